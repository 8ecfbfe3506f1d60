import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// A red, amber or green rating, as assurance surveys and the partnership's executive use them.
public enum RAG: String, CaseIterable, Codable, Sendable {
    case red, amber, green

    public var title: String {
        switch self {
        case .red: "Red: not in place"
        case .amber: "Amber: partly in place"
        case .green: "Green: in place"
        }
    }
}

/// A safeguarding partner's function delegated to someone else, the partner still accountable.
public struct Delegation: Sendable, Equatable {
    public let id: UUID
    public let partner: String
    public let function: String
    public let delegatedTo: String
    public let accountableLead: String
    public let starts: CivilDate
    public let ends: CivilDate?

    public func isInForce(on date: CivilDate) -> Bool { starts <= date && (ends.map { $0 >= date } ?? true) }
}

public struct SurveyAnswer: Codable, Sendable, Equatable {
    public let rating: RAG
    public let comment: String

    public init(rating: RAG, comment: String) {
        self.rating = rating
        self.comment = comment
    }
}

/// An assurance survey with every member agency's response so far.
public struct AssuranceSurvey: Sendable, Equatable {
    public struct Response: Sendable, Equatable {
        public let agencyID: UUID
        public let agency: String
        public let answers: [SurveyAnswer]
        public let respondedBy: String
        public let respondedAt: Date

        /// The agency's overall rating: red if any answer is, else amber if any is, else green.
        public var overall: RAG { answers.contains { $0.rating == .red } ? .red : answers.contains { $0.rating == .amber } ? .amber : .green }
    }

    public let id: UUID
    public let title: String
    public let questions: [String]
    public let sent: CivilDate
    public let due: CivilDate
    public let responses: [Response]
    /// Member agencies that have not responded.
    public let awaiting: [String]

    /// Per question, how many agencies rated it red, amber and green.
    public func tally(_ question: Int) -> [RAG: Int] {
        var counts: [RAG: Int] = [.red: 0, .amber: 0, .green: 0]
        for r in responses where question < r.answers.count { counts[r.answers[question].rating, default: 0] += 1 }
        return counts
    }
}

public struct MeetingDecision: Sendable, Equatable {
    public let id: UUID
    public let meeting: CivilDate
    public let decision: String
    public let owner: String
    public let due: CivilDate?
    public let done: CivilDate?
}

/// The partnership's governance (issue 8): delegations, assurance surveys and meeting decisions.
/// The partnership administrator keeps them; analysts may read them; every member agency's users
/// answer the surveys sent to it (`respond`). Every change audited.
public struct Governance: Sendable {
    public let db: any Database
    public let viewer: Viewer
    public let today: CivilDate

    public init(db: any Database, viewer: Viewer, today: CivilDate) {
        self.db = db
        self.viewer = viewer
        self.today = today
    }

    var sql: any SQLDatabase { db as! any SQLDatabase }
    var who: String { viewer.displayName + " (" + viewer.email + ")" }

    public var mayKeep: Bool { AccessPolicy.mayKeepGovernance(viewer) }
    public var mayRead: Bool { AccessPolicy.mayReadGovernance(viewer) }

    func requireKeep() throws { guard mayKeep else { throw ChildAccessDenied() } }
    func requireRead() throws { guard mayRead else { throw ChildAccessDenied() } }

    func audit(_ detail: String, on tx: any Database, clientAddress: String?) async throws {
        try await AuditLog.record(.governanceRecorded, on: tx, userID: viewer.userID, actor: viewer.email, detail: detail, clientAddress: clientAddress)
    }

    // MARK: Delegations

    /// The agencies that are safeguarding partners: the local authority, the police and health.
    public func partners() async throws -> [Agency] {
        try await Agency.query(on: db).all().filter { $0.kind.map { $0.isLocalAuthority || $0 == .policeForce || $0.isHealth } ?? false }
            .sorted { $0.name < $1.name }
    }

    @discardableResult
    public func recordDelegation(partner: UUID, function: String, delegatedTo: String, accountableLead: String, starts: CivilDate, ends: CivilDate?,
                                 clientAddress: String? = nil) async throws -> UUID {
        try requireKeep()
        guard try await partners().contains(where: { $0.id == partner }) else { throw WorkforceError(field: "partner", message: "Choose the safeguarding partner") }
        let function = try Workforce.text(function, field: "function", label: "function delegated", limit: 500)
        let to = try Workforce.text(delegatedTo, field: "delegated_to", label: "who it is delegated to")
        let lead = try Workforce.text(accountableLead, field: "accountable_lead", label: "accountable lead")
        if let ends, ends < starts { throw WorkforceError(field: "ends_on", message: "The delegation cannot end before it starts") }
        let id = UUID()
        try await db.writeTransaction { tx in
            try await (tx as! any SQLDatabase).insert(into: "delegations")
                .columns("id", "partner_agency_id", "function", "delegated_to", "accountable_lead", "starts_on", "ends_on", "recorded_by", "recorded_at")
                .values(SQLBind(id), SQLBind(partner), SQLBind(function), SQLBind(to), SQLBind(lead), SQLBind(starts.description), SQLBind(ends?.description),
                        SQLBind(who), SQLBind(Date())).run()
            try await audit("delegation \(id): \(function) to \(to), accountable \(lead), from \(starts)", on: tx, clientAddress: clientAddress)
        }
        return id
    }

    /// Every delegation, those in force first, newest first within each.
    public func delegations() async throws -> [Delegation] {
        try requireRead()
        let rows = try await sql.raw("""
            SELECT d.id, a.name, d.function, d.delegated_to, d.accountable_lead, d.starts_on, d.ends_on \
            FROM delegations d JOIN agencies a ON a.id = d.partner_agency_id ORDER BY d.starts_on DESC
            """).all()
        let all = try rows.compactMap { row -> Delegation? in
            guard let starts = CivilDate(try row.decode(column: "starts_on", as: String.self)) else { return nil }
            return Delegation(id: try row.decode(column: "id", as: UUID.self), partner: try row.decode(column: "name", as: String.self),
                              function: try row.decode(column: "function", as: String.self), delegatedTo: try row.decode(column: "delegated_to", as: String.self),
                              accountableLead: try row.decode(column: "accountable_lead", as: String.self), starts: starts,
                              ends: try row.decode(column: "ends_on", as: String?.self).flatMap(CivilDate.init))
        }
        return all.filter { $0.isInForce(on: today) } + all.filter { !$0.isInForce(on: today) }
    }

    // MARK: Assurance surveys

    /// Sends a survey to every member agency. Audited.
    @discardableResult
    public func createSurvey(title: String, questions: [String], due: CivilDate, clientAddress: String? = nil) async throws -> UUID {
        try requireKeep()
        let title = try Workforce.text(title, field: "title", label: "survey's title")
        let questions = questions.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard (1...30).contains(questions.count) else { throw WorkforceError(field: "questions", message: "Write 1 to 30 questions, one a line") }
        for (k, q) in questions.enumerated() where q.count > 500 {
            throw WorkforceError(field: "questions", message: "Question \(k + 1) is longer than 500 characters")
        }
        guard due >= today else { throw WorkforceError(field: "due_on", message: "The survey cannot be due before today") }
        let id = UUID()
        let json = String(decoding: try JSONEncoder().encode(questions), as: UTF8.self)
        try await db.writeTransaction { tx in
            try await (tx as! any SQLDatabase).insert(into: "assurance_surveys").columns("id", "title", "questions", "sent_on", "due_on", "created_by", "created_at")
                .values(SQLBind(id), SQLBind(title), SQLBind(json), SQLBind(today.description), SQLBind(due.description), SQLBind(who), SQLBind(Date())).run()
            try await audit("assurance survey \(id) sent: \(title), \(questions.count) questions, due \(due)", on: tx, clientAddress: clientAddress)
        }
        return id
    }

    static func surveyRow(_ row: any SQLRow) throws -> (UUID, String, [String], CivilDate, CivilDate)? {
        guard let sent = CivilDate(try row.decode(column: "sent_on", as: String.self)), let due = CivilDate(try row.decode(column: "due_on", as: String.self)) else { return nil }
        let questions = try JSONDecoder().decode([String].self, from: Data(try row.decode(column: "questions", as: String.self).utf8))
        return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "title", as: String.self), questions, sent, due)
    }

    /// A survey with its responses and the agencies still to answer.
    public func survey(_ id: UUID) async throws -> AssuranceSurvey? {
        try requireRead()
        return try await Self.load(id, on: sql)
    }

    static func load(_ id: UUID, on sql: any SQLDatabase) async throws -> AssuranceSurvey? {
        guard let row = try await sql.raw("SELECT * FROM assurance_surveys WHERE id = \(bind: id)").first(), let (_, title, questions, sent, due) = try surveyRow(row) else {
            return nil
        }
        var responses: [AssuranceSurvey.Response] = []
        for r in try await sql.raw("""
            SELECT r.agency_id, a.name, r.answers, r.responded_by, r.responded_at FROM survey_responses r JOIN agencies a ON a.id = r.agency_id \
            WHERE r.survey_id = \(bind: id) ORDER BY a.name
            """).all() {
            responses.append(.init(agencyID: try r.decode(column: "agency_id", as: UUID.self), agency: try r.decode(column: "name", as: String.self),
                                   answers: try JSONDecoder().decode([SurveyAnswer].self, from: Data(try r.decode(column: "answers", as: String.self).utf8)),
                                   respondedBy: try r.decode(column: "responded_by", as: String.self), respondedAt: try r.decode(column: "responded_at", as: Date.self)))
        }
        let answered = Set(responses.map(\.agencyID))
        let awaiting = try await sql.raw("SELECT id, name FROM agencies ORDER BY name").all()
            .filter { !answered.contains(try $0.decode(column: "id", as: UUID.self)) }.map { try $0.decode(column: "name", as: String.self) }
        return AssuranceSurvey(id: id, title: title, questions: questions, sent: sent, due: due, responses: responses, awaiting: awaiting)
    }

    /// Every survey, newest first: (id, title, due, responses, agencies).
    public func surveys() async throws -> [(id: UUID, title: String, due: CivilDate, responses: Int, agencies: Int)] {
        try requireRead()
        let agencies = try await Agency.query(on: db).count()
        var out: [(id: UUID, title: String, due: CivilDate, responses: Int, agencies: Int)] = []
        for row in try await sql.raw("""
            SELECT s.*, (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses FROM assurance_surveys s ORDER BY s.sent_on DESC, s.created_at DESC
            """).all() {
            guard let (id, title, _, _, due) = try Self.surveyRow(row) else { continue }
            out.append((id, title, due, try row.decode(column: "responses", as: Int.self), agencies))
        }
        return out
    }

    /// The surveys sent to the viewer's agency, newest first, with its answer when it has given one.
    public func surveysForMyAgency() async throws -> [(survey: AssuranceSurvey, mine: AssuranceSurvey.Response?)] {
        var out: [(survey: AssuranceSurvey, mine: AssuranceSurvey.Response?)] = []
        for row in try await sql.raw("SELECT id FROM assurance_surveys ORDER BY sent_on DESC, created_at DESC LIMIT 50").all() {
            guard let survey = try await Self.load(try row.decode(column: "id", as: UUID.self), on: sql) else { continue }
            out.append((survey, survey.responses.first { $0.agencyID == viewer.agencyID }))
        }
        return out
    }

    /// The viewer's agency's answer (given again, it replaces the first). Every question needs a rating. Audited.
    public func respond(to id: UUID, answers: [SurveyAnswer], clientAddress: String? = nil) async throws {
        guard viewer.role != .auditor else { throw ChildAccessDenied() }
        guard let survey = try await Self.load(id, on: sql) else { throw WorkforceError(field: "survey", message: "There is no such survey") }
        guard answers.count == survey.questions.count else { throw WorkforceError(field: "q1", message: "Rate every question") }
        for (k, a) in answers.enumerated() where a.comment.count > 2_000 {
            throw WorkforceError(field: "q\(k + 1)-comment", message: "The comment on question \(k + 1) is longer than 2,000 characters")
        }
        let json = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
        let agency = viewer.agencyID
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.delete(from: "survey_responses").where("survey_id", .equal, id).where("agency_id", .equal, agency).run()
            try await sql.insert(into: "survey_responses").columns("id", "survey_id", "agency_id", "answers", "responded_by", "responded_at")
                .values(SQLBind(UUID()), SQLBind(id), SQLBind(agency), SQLBind(json), SQLBind(who), SQLBind(Date())).run()
            try await audit("assurance survey \(id) answered for \(viewer.agencyName)", on: tx, clientAddress: clientAddress)
        }
    }

    // MARK: Meeting decisions

    @discardableResult
    public func recordDecision(meeting: CivilDate, decision: String, owner: String, due: CivilDate?, clientAddress: String? = nil) async throws -> UUID {
        try requireKeep()
        let decision = try Workforce.text(decision, field: "decision", label: "decision", limit: 1_000)
        let owner = try Workforce.text(owner, field: "owner", label: "owner")
        guard meeting <= today else { throw WorkforceError(field: "meeting_on", message: "The meeting cannot be in the future") }
        if let due, due < meeting { throw WorkforceError(field: "decision_due", message: "The decision cannot be due before the meeting") }
        let id = UUID()
        try await db.writeTransaction { tx in
            try await (tx as! any SQLDatabase).insert(into: "meeting_decisions").columns("id", "meeting_date", "decision", "owner", "due_on", "recorded_by", "recorded_at")
                .values(SQLBind(id), SQLBind(meeting.description), SQLBind(decision), SQLBind(owner), SQLBind(due?.description), SQLBind(who), SQLBind(Date())).run()
            try await audit("meeting decision \(id) of \(meeting): \(decision)", on: tx, clientAddress: clientAddress)
        }
        return id
    }

    public func markDone(_ id: UUID, on date: CivilDate, clientAddress: String? = nil) async throws {
        try requireKeep()
        guard date <= today else { throw WorkforceError(field: "done-\(id.uuidString)", message: "The decision cannot be done in the future") }
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            guard try await sql.raw("SELECT id FROM meeting_decisions WHERE id = \(bind: id) AND done_on IS NULL").first() != nil else {
                throw WorkforceError(field: "done-\(id.uuidString)", message: "There is no such open decision")
            }
            try await sql.update("meeting_decisions").set("done_on", to: date.description).where("id", .equal, id).run()
            try await audit("meeting decision \(id) done on \(date)", on: tx, clientAddress: clientAddress)
        }
    }

    /// Open decisions first (soonest due first), then those done, newest meeting first.
    public func decisions() async throws -> [MeetingDecision] {
        try requireRead()
        let all = try await sql.raw("SELECT * FROM meeting_decisions ORDER BY meeting_date DESC, recorded_at DESC").all().compactMap { row -> MeetingDecision? in
            guard let meeting = CivilDate(try row.decode(column: "meeting_date", as: String.self)) else { return nil }
            return MeetingDecision(id: try row.decode(column: "id", as: UUID.self), meeting: meeting, decision: try row.decode(column: "decision", as: String.self),
                                   owner: try row.decode(column: "owner", as: String.self), due: try row.decode(column: "due_on", as: String?.self).flatMap(CivilDate.init),
                                   done: try row.decode(column: "done_on", as: String?.self).flatMap(CivilDate.init))
        }
        let open = all.filter { $0.done == nil }.sorted { ($0.due ?? .init(year: 9999, month: 1, day: 1)!) < ($1.due ?? .init(year: 9999, month: 1, day: 1)!) }
        return open + all.filter { $0.done != nil }
    }
}
