import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// One run of a clock about one child (or one referral): its due date and how it stands.
public struct TimescaleLine: Sendable, Equatable {
    public typealias State = ClockLine.State

    public let personID: UUID?
    /// The child's name where the index knows them.
    public let childName: String?
    /// The record: the referral's reference, or the feed's child id (LAchildID, CHILD).
    public let reference: String
    /// The anchor: the day the clock started.
    public let started: CivilDate
    /// Nil when the working-day calendar does not reach the due date (import newer bank holidays).
    public let due: CivilDate?
    public let done: CivilDate?
    public let state: State?
    /// The team that holds the child (the team of their latest front-door referral); nil when no feed says.
    public var team: String? = nil
}

/// One clock's lines and counts.
public struct TimescaleReport: Sendable, Equatable {
    /// The rule in force.
    public let rule: ClockRule
    /// The built-in rule it replaces, when the partnership changed it; nil when it is the built-in
    /// rule or a clock the partnership added.
    public let replacedDefault: ClockRule?
    /// Overdue first, then open, missed, late and on time; newest first within each.
    public let lines: [TimescaleLine]

    /// The built-in clock this is, if it is one.
    public var timescale: Timescale? { Timescale(rawValue: rule.key) }
    public var isPartnershipsOwn: Bool { replacedDefault != nil || timescale == nil }

    public func count(_ state: TimescaleLine.State) -> Int { lines.filter { $0.state == state }.count }

    /// The report for one team's children only (`nil`: the children no feed gives a team).
    public func only(team: String?) -> TimescaleReport {
        TimescaleReport(rule: rule, replacedDefault: replacedDefault, lines: lines.filter { $0.team == team })
    }

    /// Done on time, of those done or past due; nil when there are none.
    public var onTimeShare: Double? {
        let decided = lines.filter { [.onTime, .late, .overdue, .missed].contains($0.state) }.count
        return decided == 0 ? nil : Double(count(.onTime)) / Double(decided)
    }
}

/// Every statutory clock of children's social care (STANDARDS §5.1), from one engine
/// (``ClockEngine``) over the rules in force (``PartnershipSettings/clockRules(on:)``): the feeds'
/// and the hand-recorded records become clock events — referrals and their decisions (front-door
/// feed), referrals, assessments, section 47 enquiries and plans (CIN census), periods of care,
/// placements and reviews (SSDA903), meetings and visits recorded in EyesOn, serious incidents —
/// and each rule is evaluated over them on the working-day calendar.
public struct StatutoryClocks: ThroughDirectory {
    public let directory: ChildDirectory

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    /// Who a subject is about.
    struct Subject {
        let personID: UUID?
        let name: String?
        let reference: String
        var team: String? = nil
    }

    /// A child's child protection clocks run over one subject, whichever source the event came from.
    static func protectionSubject(_ personID: UUID) -> String { "cp:\(personID.uuidString)" }

    /// Every clock's lines started since `since`, and every clock still open or overdue however old.
    /// `clientAddress`: the viewer's, for the audit entry.
    public func reports(since: CivilDate, clientAddress: String? = nil) async throws -> [TimescaleReport] {
        guard AccessPolicy.worksAcrossTheArea(directory.viewer) else { throw ChildAccessDenied() }
        let calendar = WorkingDayCalendar(bankHolidays: try await CalendarStore.bankHolidays(on: db))
        let rules = try await PartnershipSettings.clockRules(on: db)
        var events: [ClockEvent] = []
        var subjects: [String: Subject] = [:]
        try await frontDoor(since: since, &events, &subjects)
        try await childProtection(&events, &subjects)
        try await lookedAfter(&events, &subjects)
        try await seriousIncidents(&events, &subjects)
        // A child's team: the team of their latest front-door referral that names one.
        var teamOf: [UUID: (CivilDate, String)] = [:]
        for row in try await sql.raw("SELECT person_id, referral_date, team FROM front_door_referrals WHERE team IS NOT NULL AND person_id IS NOT NULL").all() {
            guard let date = CivilDate(try row.decode(column: "referral_date", as: String.self)) else { continue }
            let person = try row.decode(column: "person_id", as: UUID.self)
            if teamOf[person].map({ $0.0 <= date }) ?? true { teamOf[person] = (date, try row.decode(column: "team", as: String.self)) }
        }

        var linesOf: [String: [TimescaleLine]] = [:]
        for line in ClockEngine.evaluate(rules, events: events, today: directory.today, calendar: calendar)
        where line.started >= since || line.state == .open || line.state == .overdue {
            let subject = subjects[line.subject]
            linesOf[line.rule, default: []].append(TimescaleLine(
                personID: subject?.personID, childName: subject?.name, reference: subject?.reference ?? line.subject,
                started: line.started, due: line.due, done: line.done, state: line.state,
                team: subject?.team ?? subject?.personID.flatMap { teamOf[$0]?.1 }))
        }
        let order: [TimescaleLine.State?] = [.overdue, .open, .missed, .late, .onTime, nil]
        let reports = rules.map { rule in
            let builtIn = ClockRule.defaults.first { $0.key == rule.key }
            return TimescaleReport(rule: rule, replacedDefault: builtIn == rule ? nil : builtIn, lines: (linesOf[rule.key] ?? []).sorted { a, b in
                let (x, y) = (order.firstIndex(of: a.state)!, order.firstIndex(of: b.state)!)
                return x != y ? x < y : (a.started, a.reference) > (b.started, b.reference)
            })
        }
        // Through the directory: the server's group commit writes it to the primary even when
        // the report was read from the standby.
        try await directory.audit(.childSearch, detail: "viewed the statutory clocks since \(since) (\(reports.reduce(0) { $0 + $1.lines.count }) lines)",
                                  clientAddress: clientAddress)
        return reports
    }

    static func name(_ row: any SQLRow) throws -> String? {
        let names = [try row.decode(column: "given_name", as: String?.self), try row.decode(column: "family_name", as: String?.self)].compactMap { $0 }
        return names.isEmpty ? nil : names.joined(separator: " ")
    }

    func add(_ events: inout [ClockEvent], _ subject: String, _ kind: ClockEventKind, _ text: String?, byHand: Bool = false) {
        if let date = text.flatMap(CivilDate.init) { events.append(ClockEvent(subject: subject, kind: kind, date: date, recordedInEyesOn: byHand)) }
    }

    /// Referrals (front-door feed) from `since`, or still undecided; the census's referrals and assessments.
    func frontDoor(since: CivilDate, _ events: inout [ClockEvent], _ subjects: inout [String: Subject]) async throws {
        for row in try await sql.raw("""
            SELECT r.id, r.referral_id, r.referral_date, r.decision_date, r.team, r.person_id, p.given_name, p.family_name FROM front_door_referrals r \
            LEFT JOIN people p ON p.id = r.person_id WHERE r.referral_date >= \(bind: since.description) OR r.decision_date IS NULL
            """).all() {
            let subject = "referral:" + (try row.decode(column: "id", as: UUID.self)).uuidString
            subjects[subject] = Subject(personID: try row.decode(column: "person_id", as: UUID?.self), name: try Self.name(row),
                                        reference: try row.decode(column: "referral_id", as: String.self), team: try row.decode(column: "team", as: String?.self))
            add(&events, subject, .referralReceived, try row.decode(column: "referral_date", as: String.self))
            add(&events, subject, .referralDecided, try row.decode(column: "decision_date", as: String?.self))
        }
        // Each census referral and its assessments (the first authorised one stops the clock).
        for row in try await sql.raw("""
            SELECT r.id, c.la_child_id, r.referral_date, a.authorised_date, r.person_id, p.given_name, p.family_name FROM referrals r \
            JOIN social_care_children c ON c.id = r.child_id JOIN assessments a ON a.referral_id = r.id \
            LEFT JOIN people p ON p.id = r.person_id
            """).all() {
            let subject = "cin:" + (try row.decode(column: "id", as: UUID.self)).uuidString
            if subjects[subject] == nil {
                subjects[subject] = Subject(personID: try row.decode(column: "person_id", as: UUID?.self), name: try Self.name(row),
                                            reference: try row.decode(column: "la_child_id", as: String.self))
                add(&events, subject, .cinReferral, try row.decode(column: "referral_date", as: String.self))
            }
            add(&events, subject, .assessmentAuthorised, try row.decode(column: "authorised_date", as: String?.self))
        }
    }

    /// Section 47 enquiries and plans (CIN census) and the meetings recorded in EyesOn, per child:
    /// every child's, or one child's (`of`).
    func childProtection(of person: UUID? = nil, _ events: inout [ClockEvent], _ subjects: inout [String: Subject]) async throws {
        let referralOf: SQLQueryString = person.map { "AND r.person_id = \(bind: $0)" } ?? ""
        let planOf: SQLQueryString = person.map { "WHERE pp.person_id = \(bind: $0)" } ?? ""
        let meetingOf: SQLQueryString = person.map { "WHERE m.person_id = \(bind: $0)" } ?? ""
        func subject(_ row: any SQLRow, census: String) throws -> String {
            let person = try row.decode(column: "person_id", as: UUID?.self)
            let key = person.map(Self.protectionSubject) ?? "cp-census:\(census)"
            if subjects[key] == nil || subjects[key]?.reference.isEmpty == true {
                subjects[key] = Subject(personID: person, name: try Self.name(row), reference: try row.decode(column: "la_child_id", as: String?.self) ?? "")
            }
            return key
        }
        for row in try await sql.raw("""
            SELECT c.la_child_id, c.id AS child_id, s.start_date, s.icpc_date, r.person_id, p.given_name, p.family_name FROM section47_enquiries s \
            JOIN referrals r ON r.id = s.referral_id JOIN social_care_children c ON c.id = s.child_id LEFT JOIN people p ON p.id = r.person_id \
            WHERE NOT s.icpc_not_required \(referralOf)
            """).all() {
            let key = try subject(row, census: (try row.decode(column: "child_id", as: UUID.self)).uuidString)
            add(&events, key, .section47Started, try row.decode(column: "start_date", as: String.self))
            add(&events, key, .initialConference, try row.decode(column: "icpc_date", as: String?.self))
        }
        for row in try await sql.raw("""
            SELECT c.la_child_id, c.id AS child_id, pp.start_date, pp.end_date, pp.review_dates, pp.person_id, p.given_name, p.family_name \
            FROM protection_plans pp JOIN social_care_children c ON c.id = pp.child_id LEFT JOIN people p ON p.id = pp.person_id \(planOf)
            """).all() {
            let key = try subject(row, census: (try row.decode(column: "child_id", as: UUID.self)).uuidString)
            add(&events, key, .protectionPlanStarted, try row.decode(column: "start_date", as: String.self))
            add(&events, key, .protectionPlanEnded, try row.decode(column: "end_date", as: String?.self))
            for review in try row.decode(column: "review_dates", as: String.self).split(separator: ",") {
                add(&events, key, .reviewConference, String(review))
            }
        }
        for row in try await sql.raw("""
            SELECT m.kind, m.held_on, m.outcome, m.person_id, p.given_name, p.family_name, \
            (SELECT c.la_child_id FROM social_care_children c WHERE c.person_id = m.person_id LIMIT 1) AS la_child_id \
            FROM protection_conferences m JOIN people p ON p.id = m.person_id \(meetingOf)
            """).all() {
            guard let kind = ProtectionMeeting(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            let key = try subject(row, census: "")
            let outcome = try row.decode(column: "outcome", as: String?.self).flatMap(ProtectionMeeting.Outcome.init(rawValue:))
            for event in kind.events(outcome: outcome) { add(&events, key, event, try row.decode(column: "held_on", as: String.self), byHand: true) }
        }
    }

    /// Periods of care, placements and reviews (SSDA903) and the visits recorded in EyesOn.
    func lookedAfter(_ events: inout [ClockEvent], _ subjects: inout [String: Subject]) async throws {
        struct Episode { let start: CivilDate; let end: CivilDate?; let reason: String }
        var episodesOf: [UUID: [Episode]] = [:]
        for row in try await sql.raw("SELECT child_id, start_date, end_date, reason_new FROM care_episodes").all() {
            guard let start = CivilDate(try row.decode(column: "start_date", as: String.self)) else { continue }
            episodesOf[try row.decode(column: "child_id", as: UUID.self), default: []].append(Episode(
                start: start, end: try row.decode(column: "end_date", as: String?.self).flatMap(CivilDate.init),
                reason: try row.decode(column: "reason_new", as: String.self)))
        }
        var reviewsOf: [UUID: [CivilDate]] = [:]
        for row in try await sql.raw("SELECT child_id, review_date FROM looked_after_reviews").all() {
            if let date = CivilDate(try row.decode(column: "review_date", as: String.self)) {
                reviewsOf[try row.decode(column: "child_id", as: UUID.self), default: []].append(date)
            }
        }
        var visitsOf: [UUID: [(date: CivilDate, longTerm: Bool)]] = [:]
        for row in try await sql.raw("SELECT person_id, visit_date, long_term FROM placement_visits").all() {
            if let date = CivilDate(try row.decode(column: "visit_date", as: String.self)) {
                visitsOf[try row.decode(column: "person_id", as: UUID.self), default: []].append((date, try row.decode(column: "long_term", as: Bool.self)))
            }
        }
        var placedFrom: Set<String> = []     // "person|start" of the return's placements
        for row in try await sql.raw("""
            SELECT c.id, c.la_child_id, c.person_id, p.given_name, p.family_name FROM looked_after_children c LEFT JOIN people p ON p.id = c.person_id
            """).all() {
            let childID = try row.decode(column: "id", as: UUID.self)
            let episodes = (episodesOf[childID] ?? []).sorted { $0.start < $1.start }
            guard !episodes.isEmpty else { continue }
            let person = try row.decode(column: "person_id", as: UUID?.self)
            let who = Subject(personID: person, name: try Self.name(row), reference: try row.decode(column: "la_child_id", as: String.self))
            // Periods of care: from a start (RNE S, or the first episode) until an episode ends with none following on.
            // Placements: from each episode that is not a change of legal status only (RNE L).
            var periods: [(start: CivilDate, end: CivilDate?)] = []
            var placements: [(start: CivilDate, end: CivilDate?)] = []
            for (k, e) in episodes.enumerated() {
                let continues = k > 0 && episodes[k - 1].end == e.start
                if !continues || e.reason == "S" { periods.append((e.start, e.end)) } else { periods[periods.count - 1].end = e.end }
                if !continues || e.reason != "L" {
                    if continues, !placements.isEmpty { placements[placements.count - 1].end = e.start }
                    placements.append((e.start, e.end))
                } else if !placements.isEmpty {
                    placements[placements.count - 1].end = e.end
                }
            }
            let reviews = (reviewsOf[childID] ?? []).sorted()
            for period in periods {
                let key = "care:\(childID.uuidString):\(period.start)"
                subjects[key] = who
                events.append(ClockEvent(subject: key, kind: .lookedAfterStarted, date: period.start))
                if let end = period.end { events.append(ClockEvent(subject: key, kind: .lookedAfterEnded, date: end)) }
                for (k, review) in reviews.filter({ review in review >= period.start && (period.end.map { review <= $0 } ?? true) }).enumerated() {
                    events.append(ClockEvent(subject: key, kind: k == 0 ? .firstLookedAfterReview : .lookedAfterReview, date: review))
                }
            }
            let visits = person.flatMap { visitsOf[$0] } ?? []
            for placement in placements {
                let key = "placement:\(childID.uuidString):\(placement.start)"
                subjects[key] = who
                if let person { placedFrom.insert("\(person.uuidString)|\(placement.start)") }
                events.append(ClockEvent(subject: key, kind: .placementStarted, date: placement.start))
                if let end = placement.end { events.append(ClockEvent(subject: key, kind: .placementEnded, date: end)) }
                events += Self.visitEvents(key, visits, from: placement.start, to: placement.end)
            }
        }
        // Placements recorded by hand, unless the return holds the same one (same child, same start).
        for row in try await sql.raw("""
            SELECT r.id, r.person_id, r.start_date, r.end_date, p.given_name, p.family_name, \
            (SELECT c.la_child_id FROM looked_after_children c WHERE c.person_id = r.person_id LIMIT 1) AS la_child_id \
            FROM recorded_placements r JOIN people p ON p.id = r.person_id
            """).all() {
            let person = try row.decode(column: "person_id", as: UUID.self)
            guard let start = CivilDate(try row.decode(column: "start_date", as: String.self)),
                  !placedFrom.contains("\(person.uuidString)|\(start)") else { continue }
            let end = try row.decode(column: "end_date", as: String?.self).flatMap(CivilDate.init)
            let key = "placement-recorded:" + (try row.decode(column: "id", as: UUID.self)).uuidString
            subjects[key] = Subject(personID: person, name: try Self.name(row), reference: try row.decode(column: "la_child_id", as: String?.self) ?? "recorded in EyesOn")
            events.append(ClockEvent(subject: key, kind: .placementStarted, date: start, recordedInEyesOn: true))
            if let end { events.append(ClockEvent(subject: key, kind: .placementEnded, date: end, recordedInEyesOn: true)) }
            events += Self.visitEvents(key, visitsOf[person] ?? [], from: start, to: end)
        }
    }

    /// The visits during a placement: after its first year, a visit in a placement agreed as long-term is a long-term visit.
    static func visitEvents(_ subject: String, _ visits: [(date: CivilDate, longTerm: Bool)], from start: CivilDate, to end: CivilDate?) -> [ClockEvent] {
        let firstYearEnds = start.adding(years: 1)
        return visits.filter { visit in visit.date >= start && (end.map { visit.date < $0 } ?? true) }.map { visit in
            ClockEvent(subject: subject, kind: visit.longTerm && visit.date >= firstYearEnds ? .longTermPlacementVisit : .placementVisit,
                       date: visit.date, recordedInEyesOn: true)
        }
    }

    /// Serious incidents and their steps.
    func seriousIncidents(_ events: inout [ClockEvent], _ subjects: inout [String: Subject]) async throws {
        let steps = try await SeriousIncidents.steps(on: sql)
        for row in try await sql.raw("""
            SELECT s.id, s.aware_date, s.person_id, p.given_name, p.family_name FROM serious_incidents s JOIN people p ON p.id = s.person_id
            """).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            guard let aware = CivilDate(try row.decode(column: "aware_date", as: String.self)) else { continue }
            let key = "incident:\(id.uuidString)"
            subjects[key] = Subject(personID: try row.decode(column: "person_id", as: UUID.self), name: try Self.name(row), reference: "serious incident")
            events += SeriousIncidents.events(subject: key, aware: aware, steps: steps[id] ?? [])
        }
    }
}
