import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// What a social worker records when the local authority becomes aware of a serious incident.
public struct SeriousIncidentInput: Sendable {
    public var personID: UUID
    public var awareDate: CivilDate
    public var harm: SeriousIncident.Harm
    public var abuse: SeriousIncident.Abuse
    public var underOne: Bool
    public var lookedAfter: Bool
    public var factors: [SeriousIncident.Factor]
    public var factorsDetail: String

    public init(personID: UUID, awareDate: CivilDate, harm: SeriousIncident.Harm, abuse: SeriousIncident.Abuse, underOne: Bool,
                lookedAfter: Bool, factors: [SeriousIncident.Factor], factorsDetail: String = "") {
        self.personID = personID
        self.awareDate = awareDate
        self.harm = harm
        self.abuse = abuse
        self.underOne = underOne
        self.lookedAfter = lookedAfter
        self.factors = factors
        self.factorsDetail = factorsDetail
    }
}

/// One serious incident with its steps and clocks.
public struct SeriousIncidentRecord: Sendable {
    public struct StepLine: Sendable, Equatable {
        public let step: SeriousIncident.Step
        public let date: CivilDate
        /// For the decision on a local practice review: whether one is to be held.
        public let holdReview: Bool?
        public let note: String
        public let recordedBy: String
    }

    public let id: UUID
    public let personID: UUID
    public let childName: String
    public let dateOfBirth: CivilDate?
    public let awareDate: CivilDate
    public let harm: SeriousIncident.Harm
    public let abuse: SeriousIncident.Abuse
    public let underOne: Bool
    public let lookedAfter: Bool
    public let factors: [SeriousIncident.Factor]
    public let factorsDetail: String
    public let recordedBy: String
    public let steps: [StepLine]
    /// Each clock of the incident (rule, due date, state), in the rules' order.
    public let clocks: [(rule: ClockRule, line: ClockLine)]

    public func step(_ step: SeriousIncident.Step) -> StepLine? { steps.first { $0.step == step } }
    public var isClosed: Bool { step(.closed) != nil }

    /// Where the incident has got to: the latest step recorded, or "Notified" (recorded in EyesOn).
    public var stateTitle: String {
        SeriousIncident.Step.allCases.last { step($0) != nil }?.title ?? "Notified to the local authority; nothing since"
    }

    /// The clocks not yet met, soonest first.
    public var pending: [(rule: ClockRule, line: ClockLine)] {
        clocks.filter { $0.line.state == .open || $0.line.state == .overdue }.sorted { ($0.line.due ?? .distantFuture) < ($1.line.due ?? .distantFuture) }
    }

    public var overdue: [(rule: ClockRule, line: ClockLine)] { pending.filter { $0.line.state == .overdue } }

    /// Steps that may be recorded now, in order.
    public var nextSteps: [SeriousIncident.Step] {
        guard !isClosed else { return [] }
        return SeriousIncident.Step.allCases.filter { s in
            guard step(s) == nil else { return false }
            if s == .published { return step(.practiceReviewDecision)?.holdReview == true }
            return true
        }
    }
}

/// Serious incident notifications and their clocks (Working Together 2023, chapter 5): children's
/// social care records what the local authority became aware of, then each step — the Panel
/// notified (5 working days), the partners told (5), the rapid review and the decision on a local
/// practice review (15), publication (6 months from the decision) — and closes it. Everything is
/// for the area-wide roles of children's social care (``AccessPolicy/worksAcrossTheArea(_:)``),
/// about a child the policy lets them see; each read of an incident is audited as a read of the
/// child's record.
public struct SeriousIncidents: ThroughDirectory {
    public let directory: ChildDirectory

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    /// The longest free text kept (the detail of the factors, a step's note), as for contacts.
    public static let maximumTextLength = EyesOn.maximumTextLength

    func requireAccess() throws {
        guard AccessPolicy.worksAcrossTheArea(viewer) else { throw ChildAccessDenied() }
    }

    /// Records a notification; the error names the field that is wrong.
    public func record(_ input: SeriousIncidentInput, clientAddress: String? = nil) async throws -> UUID {
        try requireAccess()
        guard let child = try await directory.summary(id: input.personID) else { throw ListError.notFound }
        let today = directory.today
        guard input.awareDate <= today else {
            throw ListError(.invalid, field: "aware_date", "the date the local authority became aware cannot be in the future")
        }
        guard input.awareDate >= today.adding(years: -5) else {
            throw ListError(.invalid, field: "aware_date", "the date the local authority became aware is more than 5 years ago")
        }
        if let dob = child.dateOfBirth ?? child.expectedDateOfBirth {
            guard dob <= input.awareDate else {
                throw ListError(.invalid, field: "aware_date", "the date is before the child was born (\(dob))")
            }
            let underOne = input.awareDate < dob.adding(years: 1)
            if underOne != input.underOne {
                throw ListError(.invalid, field: "under_one", underOne
                    ? "the child was under one on that date (born \(dob)): answer yes"
                    : "the child was not under one on that date (born \(dob)): answer no")
            }
        }
        guard !input.factors.isEmpty else { throw ListError(.invalid, field: "factors", "choose at least one contributing factor") }
        let detail = input.factorsDetail.trimmingCharacters(in: .whitespacesAndNewlines)
        if input.factors.contains(.other) && detail.isEmpty {
            throw ListError(.invalid, field: "factors_detail", "say what the other contributing factor is")
        }
        guard detail.count <= Self.maximumTextLength else {
            throw ListError(.invalid, field: "factors_detail", "must be at most \(Self.maximumTextLength) characters")
        }
        let id = UUID()
        try await db.writeTransaction { tx in
            try await (tx as! any SQLDatabase).insert(into: "serious_incidents")
                .columns("id", "person_id", "agency_id", "aware_date", "harm", "abuse", "under_one", "looked_after", "factors", "factors_detail",
                         "user_id", "recorded_by", "recorded_at")
                .values(SQLBind(id), SQLBind(input.personID), SQLBind(viewer.agencyID), SQLBind(input.awareDate.description),
                        SQLBind(input.harm.rawValue), SQLBind(input.abuse.rawValue), SQLBind(input.underOne), SQLBind(input.lookedAfter),
                        SQLBind(input.factors.map(\.rawValue).joined(separator: ",")), SQLBind(detail), SQLBind(viewer.userID),
                        SQLBind(viewer.displayName), SQLBind(Date()))
                .run()
            try await AuditLog.record(.seriousIncidentRecorded, on: tx, userID: viewer.userID, actor: viewer.email, personID: input.personID,
                                      detail: "recorded a serious incident (\(input.harm.rawValue)) the local authority became aware of on \(input.awareDate)",
                                      clientAddress: clientAddress)
        }
        return id
    }

    /// Records one step of an incident; the error names the field that is wrong.
    public func recordStep(_ incidentID: UUID, step: SeriousIncident.Step, date: CivilDate, holdReview: Bool? = nil, note: String = "",
                           clientAddress: String? = nil) async throws {
        guard let incident = try await incident(incidentID, audit: false) else { throw ListError.notFound }
        if incident.isClosed { throw ListError(.refused, "the incident is closed") }
        if let done = incident.step(step) {
            throw ListError(.invalid, field: "step", "\(step.title.lowercased()) was already recorded, on \(done.date)")
        }
        guard date <= directory.today else { throw ListError(.invalid, field: "date", "the date cannot be in the future") }
        guard date >= incident.awareDate else {
            throw ListError(.invalid, field: "date", "the date is before the local authority became aware of the incident (\(incident.awareDate))")
        }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= Self.maximumTextLength else { throw ListError(.invalid, field: "note", "must be at most \(Self.maximumTextLength) characters") }
        switch step {
        case .practiceReviewDecision:
            guard holdReview != nil else { throw ListError(.invalid, field: "hold_review", "say whether a local practice review will be held") }
        case .published:
            guard let decision = incident.step(.practiceReviewDecision), decision.holdReview == true else {
                throw ListError(.invalid, field: "step", "only a local practice review that was decided on can be published")
            }
            guard date >= decision.date else { throw ListError(.invalid, field: "date", "the date is before the decision to hold the review (\(decision.date))") }
        case .closed:
            var needed: [SeriousIncident.Step] = [.panelNotified, .partnersInformed, .rapidReview, .practiceReviewDecision]
            if incident.step(.practiceReviewDecision)?.holdReview == true { needed.append(.published) }
            let missing = needed.filter { incident.step($0) == nil }
            guard missing.isEmpty || !text.isEmpty else {
                throw ListError(.invalid, field: "note", "not yet recorded: \(missing.map { $0.title.lowercased() }.joined(separator: "; ")); say why the incident is closed without them")
            }
        case .panelNotified, .partnersInformed, .rapidReview: break
        }
        try await db.writeTransaction { tx in
            try await (tx as! any SQLDatabase).insert(into: "serious_incident_steps")
                .columns("id", "incident_id", "step", "step_date", "decision", "note", "user_id", "recorded_by", "recorded_at")
                .values(SQLBind(UUID()), SQLBind(incidentID), SQLBind(step.rawValue), SQLBind(date.description),
                        SQLBind(step == .practiceReviewDecision ? (holdReview == true ? "hold" : "not-hold") : nil as String?),
                        SQLBind(text), SQLBind(viewer.userID), SQLBind(viewer.displayName), SQLBind(Date()))
                .run()
            try await AuditLog.record(.seriousIncidentRecorded, on: tx, userID: viewer.userID, actor: viewer.email, personID: incident.personID,
                                      detail: "serious incident of \(incident.awareDate): \(step.title.lowercased()) on \(date)", clientAddress: clientAddress)
        }
    }

    /// Every incident, open ones first (soonest deadline first), then closed ones, newest first.
    public func all() async throws -> [SeriousIncidentRecord] {
        try requireAccess()
        let records = try await load()
        try await AuditLog.record(.childSearch, on: db, userID: viewer.userID, actor: viewer.email,
                                  detail: "viewed the serious incidents (\(records.count))")
        return records.sorted { a, b in
            if a.isClosed != b.isClosed { return !a.isClosed }
            let (x, y) = (a.pending.first?.line.due ?? .distantFuture, b.pending.first?.line.due ?? .distantFuture)
            return x != y ? x < y : a.awareDate > b.awareDate
        }
    }

    /// One incident; nil when there is none the viewer may see. Audited as a read of the child's record.
    public func incident(_ id: UUID, audit: Bool = true, clientAddress: String? = nil) async throws -> SeriousIncidentRecord? {
        try requireAccess()
        guard let record = try await load(id).first, try await directory.isVisible(record.personID) else { return nil }
        if audit {
            try await directory.auditRead(record.personID, detail: "opened the serious incident of \(record.awareDate)", clientAddress: clientAddress)
        }
        return record
    }

    /// The notification's content for the Panel's national form, as JSON; audited as an export.
    public func notification(_ id: UUID, clientAddress: String? = nil) async throws -> Data? {
        guard let record = try await incident(id, audit: false) else { return nil }
        let person = try await sql.raw("""
            SELECT p.sex, COALESCE((SELECT c.ethnicity FROM social_care_children c WHERE c.person_id = p.id LIMIT 1), \
            (SELECT c.ethnicity FROM looked_after_children c WHERE c.person_id = p.id LIMIT 1)) AS ethnicity, (SELECT i.value FROM person_identifiers i WHERE i.person_id = p.id AND i.kind = 'nhs-number' LIMIT 1) AS nhs \
            FROM people p WHERE p.id = \(bind: record.personID)
            """).first()
        let agency = try await Agency.find(viewer.agencyID, on: db)
        let steps: [[String: String]] = record.steps.map { s in
            var line = ["step": s.step.rawValue, "title": s.step.title, "date": s.date.description, "recordedBy": s.recordedBy]
            if let hold = s.holdReview { line["decision"] = hold ? "hold a local child safeguarding practice review" : "no local review" }
            if !s.note.isEmpty { line["note"] = s.note }
            return line
        }
        let body: [String: Any] = [
            "form": "Serious incident notification (Child Safeguarding Practice Review Panel)",
            "localAuthority": ["name": agency?.name ?? viewer.agencyName, "code": agency?.laCode ?? ""],
            "child": ["name": record.childName, "dateOfBirth": record.dateOfBirth?.description ?? "",
                      "sex": try person?.decode(column: "sex", as: String?.self) ?? "",
                      "ethnicity": try person?.decode(column: "ethnicity", as: String?.self) ?? "",
                      "nhsNumber": try person?.decode(column: "nhs", as: String?.self) ?? "",
                      "underOne": record.underOne, "lookedAfter": record.lookedAfter],
            "incident": ["awareDate": record.awareDate.description, "harm": record.harm.rawValue, "harmTitle": record.harm.title,
                         "abuseOrNeglect": record.abuse.rawValue, "contributingFactors": record.factors.map(\.title),
                         "contributingFactorsDetail": record.factorsDetail],
            "deadlines": record.clocks.map { ["clock": $0.rule.title, "due": $0.line.due?.description ?? "", "state": $0.line.state?.rawValue ?? ""] },
            "steps": steps,
            "recordedBy": record.recordedBy,
        ]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.prettyPrinted, .sortedKeys])
        try await AuditLog.record(.seriousIncidentExported, on: db, userID: viewer.userID, actor: viewer.email, personID: record.personID,
                                  detail: "exported the notification of the serious incident of \(record.awareDate) for the national form",
                                  clientAddress: clientAddress)
        // The download is a share: kept with its lawful basis, as every share is.
        try await InformationSharing(directory: directory).record(SharingDecision(
            shared: true, channel: .download, recipient: "Child Safeguarding Practice Review Panel (the national notification form)",
            what: "Serious incident notification of \(record.awareDate): the child's details, the incident and its steps",
            lawfulBasis: .panelNotification, consent: .notSought,
            reason: "A statutory notification: the local authority must notify the Panel (Children Act 2004, section 16C)",
            decidedOn: directory.today), personID: record.personID, clientAddress: clientAddress)
        return data
    }

    /// The child's incidents, newest first (for the child page, already audited there); empty
    /// for a viewer outside the area-wide roles.
    public func of(_ personID: UUID) async throws -> [SeriousIncidentRecord] {
        guard AccessPolicy.worksAcrossTheArea(viewer), try await directory.isVisible(personID) else { return [] }
        return try await load(person: personID).sorted { $0.awareDate > $1.awareDate }
    }

    /// The incidents (one, a child's, or all), with their steps and clocks.
    func load(_ id: UUID? = nil, person: UUID? = nil) async throws -> [SeriousIncidentRecord] {
        let filter: SQLQueryString = id.map { "WHERE s.id = \(bind: $0)" } ?? person.map { "WHERE s.person_id = \(bind: $0)" } ?? ""
        let rows = try await sql.raw("""
            SELECT s.*, p.given_name, p.family_name, p.date_of_birth, p.expected_date_of_birth FROM serious_incidents s \
            JOIN people p ON p.id = s.person_id \(filter)
            """).all()
        guard !rows.isEmpty else { return [] }
        let stepsOf = try await Self.steps(on: sql, id.map { "WHERE incident_id = \(bind: $0)" }
            ?? person.map { "WHERE incident_id IN (SELECT id FROM serious_incidents WHERE person_id = \(bind: $0))" } ?? "")
        let rules = try await PartnershipSettings.clockRules(on: db)
        let calendar = WorkingDayCalendar(bankHolidays: try await CalendarStore.bankHolidays(on: db))
        return try rows.compactMap { row in
            let id = try row.decode(column: "id", as: UUID.self)
            guard let aware = CivilDate(try row.decode(column: "aware_date", as: String.self)),
                  let harm = SeriousIncident.Harm(rawValue: try row.decode(column: "harm", as: String.self)),
                  let abuse = SeriousIncident.Abuse(rawValue: try row.decode(column: "abuse", as: String.self)) else { return nil }
            let steps = stepsOf[id] ?? []
            let events = Self.events(subject: id.uuidString, aware: aware, steps: steps)
            let lines = ClockEngine.evaluate(rules, events: events, today: directory.today, calendar: calendar)
            let clocks = rules.compactMap { rule in lines.first { $0.rule == rule.key }.map { (rule: rule, line: $0) } }
            let dob = try row.decode(column: "date_of_birth", as: String?.self) ?? (try row.decode(column: "expected_date_of_birth", as: String?.self))
            return SeriousIncidentRecord(
                id: id, personID: try row.decode(column: "person_id", as: UUID.self),
                childName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                dateOfBirth: dob.flatMap(CivilDate.init), awareDate: aware, harm: harm, abuse: abuse,
                underOne: try row.decode(column: "under_one", as: Bool.self), lookedAfter: try row.decode(column: "looked_after", as: Bool.self),
                factors: try row.decode(column: "factors", as: String.self).split(separator: ",").compactMap { SeriousIncident.Factor(rawValue: String($0)) },
                factorsDetail: try row.decode(column: "factors_detail", as: String.self), recordedBy: try row.decode(column: "recorded_by", as: String.self),
                steps: steps, clocks: clocks)
        }
    }

    /// The incidents' steps (those `filter` selects), by incident, in the order the steps come.
    static func steps(on sql: any SQLDatabase, _ filter: SQLQueryString = "") async throws -> [UUID: [SeriousIncidentRecord.StepLine]] {
        var stepsOf: [UUID: [SeriousIncidentRecord.StepLine]] = [:]
        for row in try await sql.raw("SELECT * FROM serious_incident_steps \(filter)").all() {
            guard let step = SeriousIncident.Step(rawValue: try row.decode(column: "step", as: String.self)),
                  let date = CivilDate(try row.decode(column: "step_date", as: String.self)) else { continue }
            let decision = try row.decode(column: "decision", as: String?.self)
            stepsOf[try row.decode(column: "incident_id", as: UUID.self), default: []].append(.init(
                step: step, date: date, holdReview: decision.map { $0 == "hold" }, note: try row.decode(column: "note", as: String.self),
                recordedBy: try row.decode(column: "recorded_by", as: String.self)))
        }
        return stepsOf.mapValues { $0.sorted { SeriousIncident.Step.allCases.firstIndex(of: $0.step)! < SeriousIncident.Step.allCases.firstIndex(of: $1.step)! } }
    }

    /// An incident's clock events: the awareness date, each step, and a decision to hold a review.
    static func events(subject: String, aware: CivilDate, steps: [SeriousIncidentRecord.StepLine]) -> [ClockEvent] {
        var events = [ClockEvent(subject: subject, kind: .incidentAware, date: aware, recordedInEyesOn: true)]
        for step in steps {
            events.append(ClockEvent(subject: subject, kind: step.step.event, date: step.date, recordedInEyesOn: true))
            if step.step == .practiceReviewDecision, step.holdReview == true {
                events.append(ClockEvent(subject: subject, kind: .practiceReviewToBeHeld, date: step.date, recordedInEyesOn: true))
            }
        }
        return events
    }

    /// Whether the child was looked after on `date` (SSDA903), to suggest the answer on the form.
    public func wasLookedAfter(_ personID: UUID, on date: CivilDate) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS x FROM care_episodes WHERE person_id = \(bind: personID) AND start_date <= \(bind: date.description) \
            AND (end_date IS NULL OR end_date >= \(bind: date.description)) LIMIT 1
            """).first() != nil
    }
}
