import Vapor
import Fluent
import EyesOnCore
import Store

/// The reading half of the API: a read token (`eyeson token add --feed read --user EMAIL`) reads
/// as its user — the same role, agency and access policy as that user signed in, the same audit
/// entries in their name (and the token's) — and a session cookie counts for nothing here.
struct APIReaderMiddleware: AsyncMiddleware {
    struct TokenLabelKey: StorageKey { typealias Value = String }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.storage[ViewerKey.self] = nil
        guard let bearer = request.headers.bearerAuthorization?.token, bearer.count <= 200,
              let token = try await APITokens.find(hash: FeedTokens.hash(bearer), on: request.db) else {
            return try API.unauthorised()
        }
        guard token.reads, let userID = token.userID,
              let viewer = try await Accounts.viewer(id: userID, on: request.db) else {
            // A push token, or a reader whose user was disabled since.
            return try API.problem(.forbidden, token.reads ? "this token's user is disabled" : "this token pushes the \(token.feed) feed; it cannot read")
        }
        request.storage[ViewerKey.self] = viewer
        await request.keepHouseholdScopeCurrent(viewer)
        request.storage[TokenLabelKey.self] = token.label
        return try await next.respond(to: request)
    }
}

extension Request {
    /// "(through the API, token LABEL)" after an audit entry's words, for a read through the API.
    var viaAPI: String {
        storage[APIReaderMiddleware.TokenLabelKey.self].map { " (through the API, token \($0))" } ?? ""
    }
}

/// `GET /api/v1/board`, `/list`, `/children/{id}`, `/tasks`, `/notices`: the main reads as JSON,
/// described in `/api/v1/openapi.json` (``OpenAPIDocument``).
struct ReadAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("api", "v1", "openapi.json") { _ in
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(string: OpenAPIDocument.json))
        }
        let api = routes.grouped("api", "v1").grouped(APIReaderMiddleware(), RouteAccessMiddleware())
        api.get("board", use: board)
        api.get("list", use: list)
        api.get("children", ":id", use: child)
        api.get("tasks", use: tasks)
        api.get("notices", use: notices)
    }

    // MARK: the answers

    struct BoardChild: Content {
        var entryId: UUID, childId: UUID, name: String, dateOfBirth: String?, risk: String, reasons: [String], leadAgency: String
        var lastSeen: String?, lastSeenHow: String, workingDaysUnseen: Int, allowedWorkingDays: Int, overdueBy: Int, openTasks: Int
        init(_ r: BoardRow) {
            (entryId, childId, name, dateOfBirth, risk, reasons, leadAgency) = (r.entryID, r.personID, r.childName, r.dateOfBirth?.description,
                                                                              r.risk.rawValue, r.reasons.map(\.rawValue), r.leadAgencyName)
            (lastSeen, lastSeenHow, workingDaysUnseen, allowedWorkingDays, overdueBy, openTasks) = (r.lastSeen?.description, r.lastSeenHow,
                                                                                                  r.workingDaysUnseen, r.allowed, r.overdueBy, r.openTasks)
        }
    }
    struct Board: Content { var today: String, listed: Int, children: [BoardChild] }

    struct Entry: Content {
        var id: UUID, childId: UUID, name: String, dateOfBirth: String?, status: String, risk: String, riskRationale: String, reasons: [String]
        var leadAgency: String, leadProfessional: String, reviewDate: String, proposedAt: Date, agreedAt: Date?, meetingDate: String?
        init(_ e: ListEntry) {
            (id, childId, name, dateOfBirth, status, risk, riskRationale) = (e.id, e.personID, e.childName, e.dateOfBirth?.description,
                                                                             e.status.rawValue, e.risk.rawValue, e.riskRationale)
            reasons = e.reasons.map { $0 == .other ? "other: \(e.reasonOther ?? "")" : $0.rawValue }
            (leadAgency, leadProfessional, reviewDate, proposedAt, agreedAt, meetingDate) = (e.leadAgencyName, e.leadProfessional, e.reviewDate.description,
                                                                                             e.proposedAt, e.agreedAt, e.meetingDate?.description)
        }
    }
    struct List: Content { var status: String, entries: [Entry] }

    struct TaskItem: Content {
        var id: UUID, childId: UUID, childName: String, kind: String, reason: String, ownerAgency: String, ownerName: String?
        var due: String, state: String, overdue: Bool
        init(_ t: TaskLine, today: CivilDate) {
            (id, childId, childName, kind, reason, ownerAgency, ownerName) = (t.id, t.personID, t.childName, t.kind, t.reason, t.ownerAgencyName, t.ownerName)
            (due, state, overdue) = (t.due.description, t.state.rawValue, t.isOverdue(today: today))
        }
    }
    struct Tasks: Content { var today: String, tasks: [TaskItem] }

    struct Identifier: Content { var kind: String, value: String, agency: String? }
    struct Child: Content {
        var id: UUID, kind: String, givenName: String, familyName: String, sex: String, dateOfBirth: String?, expectedDateOfBirth: String?
        var postcode: String?, address: String?, nhsNumber: String?, upn: String?, identifiers: [Identifier], listEntries: [Entry], tasks: [TaskItem]
    }

    struct Notice: Content {
        var id: UUID, reference: String, occurredOn: String, time: String, childId: UUID?, childName: String, childDateOfBirth: String?
        var schoolUrn: Int?, addressee: String, force: String, dueAt: Date, status: String, acknowledgedAt: Date?, acknowledgedBy: String?
        init(_ n: EncompassNotice, now: Date) {
            (id, reference, occurredOn, time, childId, childName, childDateOfBirth) = (n.id, n.reference, n.occurredOn.description, n.time, n.personID,
                                                                                      n.childName, n.childDateOfBirth?.description)
            (schoolUrn, addressee, force, dueAt, status, acknowledgedAt, acknowledgedBy) = (n.schoolURN, n.addresseeName, n.forceName, n.dueAt,
                                                                                            n.status(at: now).rawValue, n.acknowledgedAt, n.acknowledgedBy)
        }
    }
    struct Notices: Content { var notices: [Notice] }

    // MARK: the handlers

    /// A query parameter that must be one of `allowed` when given: nil when absent, else the value
    /// or a 400 naming it.
    static func choice(_ req: Request, _ name: String, _ allowed: [String]) throws -> String? {
        guard let value = req.query[String.self, at: name] else { return nil }
        guard allowed.contains(value) else {
            throw Abort(.badRequest, reason: "\(name) must be one of \(allowed.joined(separator: ", "))")
        }
        return value
    }

    @Sendable
    func board(req: Request) async throws -> Response {
        let eyesOn = try EyesOnController.eyesOn(req)
        var filter = BoardFilter()
        filter.risk = try Self.choice(req, "risk", RiskLevel.allCases.map(\.rawValue)).flatMap(RiskLevel.init(rawValue:))
        filter.reason = try Self.choice(req, "reason", ListReason.allCases.map(\.rawValue)).flatMap(ListReason.init(rawValue:))
        if let lead = req.query[String.self, at: "lead"] {
            guard let id = UUID(uuidString: lead) else { throw Abort(.badRequest, reason: "lead must be an agency's id") }
            filter.leadAgencyID = id
        }
        if let school = req.query[String.self, at: "school"] {
            guard let urn = Int(school), (100_000...999_999).contains(urn) else { throw Abort(.badRequest, reason: "school must be a school's URN (6 digits)") }
            filter.schoolURN = urn
        }
        let result = try await eyesOn.board(filter)
        let viewer = eyesOn.directory.viewer
        try await req.auditRead(.boardViewed, detail: "\(result.rows.count) children not seen of \(result.listed) listed")
        return try API.json(Board(today: eyesOn.directory.today.description, listed: result.listed, children: result.rows.map(BoardChild.init)), .ok)
    }

    @Sendable
    func list(req: Request) async throws -> Response {
        let list = try ListController.list(req)
        let status = try Self.choice(req, "status", [ListStatus.agreed.rawValue, ListStatus.proposed.rawValue]) ?? ListStatus.agreed.rawValue
        let entries = try await list.entries([ListStatus(rawValue: status)!])
        try await req.auditRead(.childSearch, detail: "read the agreed list's \(status) entries (\(entries.count))")
        return try API.json(List(status: status, entries: entries.map(Entry.init)), .ok)
    }

    /// A child's record (its read audited, as for the page), with their list entries and tasks;
    /// 404 alike for a child who does not exist and one the token's user may not see.
    @Sendable
    func child(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        let directory = try req.childDirectory()
        guard let record = try await directory.record(id: id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        let s = record.summary
        let tasks = try await EyesOn(directory: directory).tasks(forChild: id)
        return try API.json(Child(
            id: s.id, kind: s.kind.rawValue, givenName: s.givenName, familyName: s.familyName, sex: s.sex.rawValue,
            dateOfBirth: s.dateOfBirth?.description, expectedDateOfBirth: s.expectedDateOfBirth?.description, postcode: s.postcode,
            address: record.address, nhsNumber: s.nhsNumber, upn: s.upn,
            identifiers: record.identifiers.map { Identifier(kind: $0.kind.rawValue, value: $0.value, agency: $0.agencyName) },
            listEntries: try await AgreedList(directory: directory).entries(forChild: id).map(Entry.init),
            tasks: tasks.map { TaskItem($0, today: directory.today) }), .ok)
    }

    @Sendable
    func tasks(req: Request) async throws -> Response {
        let eyesOn = try EyesOnController.eyesOn(req)
        let today = eyesOn.directory.today
        return try API.json(Tasks(today: today.description, tasks: try await eyesOn.outstandingTasks().map { TaskItem($0, today: today) }), .ok)
    }

    @Sendable
    func notices(req: Request) async throws -> Response {
        let encompass = try EncompassController.encompass(req)
        let openOnly = try Self.choice(req, "show", ["open", "all"]) == "open"
        let notices = try await encompass.notices(openOnly: openOnly)
        try await req.auditRead(.childSearch, detail: "read the Operation Encompass notices (\(notices.count))")
        let now = Date()
        return try API.json(Notices(notices: notices.map { Notice($0, now: now) }), .ok)
    }
}
