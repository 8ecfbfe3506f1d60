import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// One agency's part in a conference: invited, attended or sent apologies, and its report.
public struct ConferenceAgency: Sendable, Equatable {
    public var agencyID: UUID
    public var invited: Bool
    public var attended: Bool
    public var apologies: Bool
    public var reportDate: CivilDate?

    public init(agencyID: UUID, invited: Bool, attended: Bool = false, apologies: Bool = false, reportDate: CivilDate? = nil) {
        self.agencyID = agencyID
        self.invited = invited
        self.attended = attended
        self.apologies = apologies
        self.reportDate = reportDate
    }
}

/// A child protection meeting as recorded.
public struct ConferenceRecord: Sendable {
    public struct AgencyLine: Sendable, Equatable {
        public let agencyName: String
        public let invited: Bool
        public let attended: Bool
        public let apologies: Bool
        public let reportDate: CivilDate?
        /// Whether the report came at least 2 working days before; nil without a report (or a calendar).
        public let reportInTime: Bool?
    }

    public let id: UUID
    public let kind: ProtectionMeeting
    public let date: CivilDate
    public let outcome: ProtectionMeeting.Outcome?
    public let agencies: [AgencyLine]
    public let recordedBy: String
}

/// A placement recorded by hand (one the SSDA903 return does not hold yet).
public struct RecordedPlacement: Sendable, Equatable {
    public let start: CivilDate
    public let end: CivilDate?
    /// The SSDA903 placement type code and its words.
    public let code: String
    public let label: String
    public let recordedBy: String
}

/// A statutory visit to a looked-after child in placement, as recorded.
public struct VisitRecord: Sendable, Equatable {
    public let date: CivilDate
    public let seenAlone: Bool
    public let longTerm: Bool
    public let recordedBy: String
}

/// What children's social care records by hand for the statutory clocks the feeds cannot answer:
/// child protection strategy discussions, conferences (with each agency's invitation, attendance
/// and report) and core groups, and statutory visits to looked-after children. The CIN census
/// and SSDA903 supply the rest; ``StatutoryClocks`` puts both on the same clocks. For the
/// area-wide roles of children's social care, about a child the policy lets them see.
public struct RecordedMeetings: ThroughDirectory {
    public let directory: ChildDirectory

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    func requireChild(_ personID: UUID) async throws -> ChildSummary {
        guard AccessPolicy.worksAcrossTheArea(viewer) else { throw ChildAccessDenied() }
        guard let child = try await directory.summary(id: personID) else { throw ListError.notFound }
        return child
    }

    func checkDate(_ date: CivilDate, field: String = "date") throws {
        guard date <= directory.today else { throw ListError(.invalid, field: field, "the date cannot be in the future") }
        guard date >= directory.today.adding(years: -2) else { throw ListError(.invalid, field: field, "the date is more than 2 years ago") }
    }

    // MARK: Conferences

    /// Records a strategy discussion, conference or core group; the error names the field that is wrong.
    public func recordConference(personID: UUID, kind: ProtectionMeeting, date: CivilDate, outcome: ProtectionMeeting.Outcome?,
                                 agencies: [ConferenceAgency], clientAddress: String? = nil) async throws -> UUID {
        _ = try await requireChild(personID)
        try checkDate(date)
        if kind.outcomes.isEmpty { guard outcome == nil else { throw ListError(.invalid, field: "outcome", "a \(kind.title.lowercased()) decides no outcome") } }
        else if outcome.map(kind.outcomes.contains) != true {
            throw ListError(.invalid, field: "outcome", "choose the conference's outcome")
        }
        let history = try await childProtectionEvents(personID)
        func latest(_ kinds: Set<ClockEventKind>, onOrBefore day: CivilDate) -> CivilDate? {
            history.filter { kinds.contains($0.kind) && $0.date <= day }.map(\.date).max()
        }
        func earliest(_ kinds: Set<ClockEventKind>) -> CivilDate? { history.filter { kinds.contains($0.kind) }.map(\.date).min() }
        switch kind {
        case .strategyDiscussion: break
        case .initial:
            if latest([.strategyDiscussion, .section47Started], onOrBefore: date) == nil, let first = earliest([.strategyDiscussion, .section47Started]) {
                throw ListError(.invalid, field: "date", "the initial conference is before its strategy discussion (\(first.ukFormatted))")
            }
        case .review, .coreGroup:
            guard let start = earliest([.protectionPlanStarted]) else {
                throw ListError(.invalid, field: "date", "there is no child protection plan for this child: record the initial conference that made it first")
            }
            if latest([.protectionPlanStarted], onOrBefore: date) == nil {
                throw ListError(.invalid, field: "date", kind == .review
                    ? "the review date is before the plan started (\(start.ukFormatted))"
                    : "the core group is before the initial conference that made the plan (\(start.ukFormatted))")
            }
        }
        var seen: Set<UUID> = []
        for (k, agency) in agencies.enumerated() {
            let field = "agency-\(k + 1)"
            guard seen.insert(agency.agencyID).inserted else { throw ListError(.invalid, field: field, "the agency is given twice") }
            guard try await Agency.find(agency.agencyID, on: db) != nil else { throw ListError(.invalid, field: field, "there is no such agency") }
            if agency.attended && agency.apologies { throw ListError(.invalid, field: field, "an agency that attended did not send apologies: choose one") }
            if (agency.attended || agency.apologies || agency.reportDate != nil) && !agency.invited {
                throw ListError(.invalid, field: field, "an agency that attended, sent apologies or a report was invited: tick invited")
            }
            if let report = agency.reportDate, report > date {
                throw ListError(.invalid, field: field, "the report is dated after the meeting")
            }
        }
        let id = UUID()
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.insert(into: "protection_conferences")
                .columns("id", "person_id", "kind", "held_on", "outcome", "agency_id", "user_id", "recorded_by", "recorded_at")
                .values(SQLBind(id), SQLBind(personID), SQLBind(kind.rawValue), SQLBind(date.description), SQLBind(outcome?.rawValue),
                        SQLBind(viewer.agencyID), SQLBind(viewer.userID), SQLBind(viewer.displayName), SQLBind(Date()))
                .run()
            for agency in agencies where agency.invited {
                try await sql.insert(into: "conference_agencies")
                    .columns("id", "conference_id", "agency_id", "invited", "attended", "apologies", "report_date")
                    .values(SQLBind(UUID()), SQLBind(id), SQLBind(agency.agencyID), SQLBind(true), SQLBind(agency.attended),
                            SQLBind(agency.apologies), SQLBind(agency.reportDate?.description))
                    .run()
            }
            try await AuditLog.record(.conferenceRecorded, on: tx, userID: viewer.userID, actor: viewer.email, personID: personID,
                                      detail: "recorded a \(kind.title.lowercased()) on \(date)\(outcome.map { ": \($0.title.lowercased())" } ?? "")",
                                      clientAddress: clientAddress)
        }
        return id
    }

    /// The agencies a conference about the child would invite: every agency that is not a school,
    /// and the child's schools now or in the last 12 months; by name.
    public func agenciesToInvite(_ personID: UUID) async throws -> [Agency] {
        let cutoff = directory.today.adding(months: -AccessPolicy.formerPupilMonths).description
        let schools = Set(try await sql.raw("""
            SELECT agency_id FROM school_enrolments WHERE person_id = \(bind: personID) AND (to_date IS NULL OR to_date >= \(bind: cutoff))
            """).all().map { try $0.decode(column: "agency_id", as: UUID.self) })
        return try await Agency.query(on: db).sort(\.$name).all().filter { agency in
            guard let kind = agency.kind else { return false }
            return !kind.isEducationSetting || agency.id.map(schools.contains) == true
        }
    }

    /// The child's recorded meetings, newest first (for the child page, already audited there).
    public func conferences(of personID: UUID) async throws -> [ConferenceRecord] {
        guard AccessPolicy.worksAcrossTheArea(viewer), try await directory.isVisible(personID) else { return [] }
        let calendar = WorkingDayCalendar(bankHolidays: try await CalendarStore.bankHolidays(on: db))
        var agencies: [UUID: [ConferenceRecord.AgencyLine]] = [:]
        let rows = try await sql.raw("SELECT * FROM protection_conferences WHERE person_id = \(bind: personID) ORDER BY held_on DESC, recorded_at DESC").all()
        let dates = try Dictionary(uniqueKeysWithValues: rows.map { (try $0.decode(column: "id", as: UUID.self), CivilDate(try $0.decode(column: "held_on", as: String.self))) })
        for row in try await sql.raw("""
            SELECT ca.*, a.name FROM conference_agencies ca JOIN agencies a ON a.id = ca.agency_id \
            JOIN protection_conferences c ON c.id = ca.conference_id WHERE c.person_id = \(bind: personID) ORDER BY a.name
            """).all() {
            let conference = try row.decode(column: "conference_id", as: UUID.self)
            let report = try row.decode(column: "report_date", as: String?.self).flatMap(CivilDate.init)
            var inTime: Bool?
            if let report, let held = dates[conference] ?? nil,
               let latest = try? calendar.adding(workingDays: -ProtectionMeeting.reportWorkingDaysBefore, to: held) { inTime = report <= latest }
            agencies[conference, default: []].append(.init(
                agencyName: try row.decode(column: "name", as: String.self), invited: try row.decode(column: "invited", as: Bool.self),
                attended: try row.decode(column: "attended", as: Bool.self), apologies: try row.decode(column: "apologies", as: Bool.self),
                reportDate: report, reportInTime: inTime))
        }
        return try rows.compactMap { row in
            let id = try row.decode(column: "id", as: UUID.self)
            guard let kind = ProtectionMeeting(rawValue: try row.decode(column: "kind", as: String.self)), let date = dates[id] ?? nil else { return nil }
            return ConferenceRecord(id: id, kind: kind, date: date,
                                    outcome: try row.decode(column: "outcome", as: String?.self).flatMap(ProtectionMeeting.Outcome.init(rawValue:)),
                                    agencies: agencies[id] ?? [], recordedBy: try row.decode(column: "recorded_by", as: String.self))
        }
    }

    /// The child's child protection events from the CIN census and from what was recorded here.
    func childProtectionEvents(_ personID: UUID) async throws -> [ClockEvent] {
        var events: [ClockEvent] = []
        var subjects: [String: StatutoryClocks.Subject] = [:]
        try await StatutoryClocks(directory: directory).childProtection(of: personID, &events, &subjects)
        return events
    }

    // MARK: Placements

    /// Records a placement the SSDA903 return does not hold yet (its visit clocks start from it);
    /// the error names the field that is wrong.
    public func recordPlacement(personID: UUID, start: CivilDate, end: CivilDate?, placement: String, clientAddress: String? = nil) async throws {
        _ = try await requireChild(personID)
        try checkDate(start, field: "start_date")
        let code = placement.trimmingCharacters(in: .whitespaces).uppercased()
        guard LookedAfterCodes.placement[code] != nil else { throw ListError(.invalid, field: "placement", "choose the placement type") }
        if let end {
            guard end >= start else { throw ListError(.invalid, field: "end_date", "the placement cannot end before it starts") }
            guard end <= directory.today else { throw ListError(.invalid, field: "end_date", "the date cannot be in the future") }
        }
        if try await sql.raw("""
            SELECT 1 AS x FROM recorded_placements WHERE person_id = \(bind: personID) AND start_date = \(bind: start.description) LIMIT 1
            """).first() != nil {
            throw ListError(.invalid, field: "start_date", "a placement starting on that day is already recorded")
        }
        try await db.writeTransaction { tx in
            try await (tx as! any SQLDatabase).insert(into: "recorded_placements")
                .columns("id", "person_id", "start_date", "end_date", "placement", "agency_id", "user_id", "recorded_by", "recorded_at")
                .values(SQLBind(UUID()), SQLBind(personID), SQLBind(start.description), SQLBind(end?.description), SQLBind(code),
                        SQLBind(viewer.agencyID), SQLBind(viewer.userID), SQLBind(viewer.displayName), SQLBind(Date()))
                .run()
            try await AuditLog.record(.placementRecorded, on: tx, userID: viewer.userID, actor: viewer.email, personID: personID,
                                      detail: "recorded a placement from \(start) (\(code))", clientAddress: clientAddress)
        }
    }

    /// The placements recorded by hand for the child, newest first.
    public func placements(of personID: UUID) async throws -> [RecordedPlacement] {
        guard AccessPolicy.worksAcrossTheArea(viewer), try await directory.isVisible(personID) else { return [] }
        return try await sql.raw("SELECT * FROM recorded_placements WHERE person_id = \(bind: personID) ORDER BY start_date DESC").all().compactMap { row in
            guard let start = CivilDate(try row.decode(column: "start_date", as: String.self)) else { return nil }
            let code = try row.decode(column: "placement", as: String.self)
            return RecordedPlacement(start: start, end: try row.decode(column: "end_date", as: String?.self).flatMap(CivilDate.init), code: code,
                                     label: LookedAfterCodes.placement[code] ?? code, recordedBy: try row.decode(column: "recorded_by", as: String.self))
        }
    }

    /// Whether the child was in a placement on `date`: in the SSDA903 return's care, or recorded here.
    public func wasPlaced(_ personID: UUID, on date: CivilDate) async throws -> Bool {
        let day = date.description
        return try await sql.raw("""
            SELECT 1 AS x FROM care_episodes WHERE person_id = \(bind: personID) AND start_date <= \(bind: day) AND (end_date IS NULL OR end_date >= \(bind: day)) \
            UNION ALL SELECT 1 AS x FROM recorded_placements WHERE person_id = \(bind: personID) AND start_date <= \(bind: day) \
            AND (end_date IS NULL OR end_date >= \(bind: day))
            """).first() != nil
    }

    // MARK: Visits

    /// Records a statutory visit to a looked-after child; the error names the field that is wrong.
    public func recordVisit(personID: UUID, date: CivilDate, seenAlone: Bool, longTerm: Bool, clientAddress: String? = nil) async throws {
        _ = try await requireChild(personID)
        try checkDate(date)
        guard try await wasPlaced(personID, on: date) else {
            throw ListError(.invalid, field: "date", "the child was not in a placement on that date (neither the SSDA903 return nor EyesOn holds one then)")
        }
        try await db.writeTransaction { tx in
            try await (tx as! any SQLDatabase).insert(into: "placement_visits")
                .columns("id", "person_id", "visit_date", "seen_alone", "long_term", "agency_id", "user_id", "recorded_by", "recorded_at")
                .values(SQLBind(UUID()), SQLBind(personID), SQLBind(date.description), SQLBind(seenAlone), SQLBind(longTerm),
                        SQLBind(viewer.agencyID), SQLBind(viewer.userID), SQLBind(viewer.displayName), SQLBind(Date()))
                .run()
            try await AuditLog.record(.visitRecorded, on: tx, userID: viewer.userID, actor: viewer.email, personID: personID,
                                      detail: "recorded a statutory visit on \(date)", clientAddress: clientAddress)
        }
    }

    /// The child's recorded visits, newest first.
    public func visits(of personID: UUID) async throws -> [VisitRecord] {
        guard AccessPolicy.worksAcrossTheArea(viewer), try await directory.isVisible(personID) else { return [] }
        return try await sql.raw("SELECT * FROM placement_visits WHERE person_id = \(bind: personID) ORDER BY visit_date DESC").all().compactMap { row in
            guard let date = CivilDate(try row.decode(column: "visit_date", as: String.self)) else { return nil }
            return VisitRecord(date: date, seenAlone: try row.decode(column: "seen_alone", as: Bool.self),
                               longTerm: try row.decode(column: "long_term", as: Bool.self), recordedBy: try row.decode(column: "recorded_by", as: String.self))
        }
    }
}
