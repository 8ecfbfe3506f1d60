import Vapor
import Fluent
import EyesOnCore
import Store
import Feeds

/// The screens people live in: the "not seen" board, tasks, recording a contact.
struct EyesOnController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("board", use: board)
        routes.get("tasks", use: tasks)
        routes.get("caseload", use: caseload)
        routes.get("school", use: school)
        routes.get("virtual-school", use: virtualSchool)
        routes.get("back-to-school", use: backToSchool)
        routes.post("tasks", ":id", use: changeTask)
        routes.get("children", ":id", "contact", use: contactForm)
        routes.post("children", ":id", "contact", use: recordContact)
    }

    static func eyesOn(_ req: Request) throws -> EyesOn {
        let directory = try req.childDirectory()
        guard directory.scope.mayOpenRecords else { throw Abort(.forbidden) }
        return EyesOn(directory: directory)
    }

    struct BoardQuery: Content {
        var risk: String?
        var reason: String?
        var lead: String?
        var school: String?
    }

    /// The board's content is kept for the user while its data is unchanged (`PageCache`); every
    /// view is audited all the same.
    @Sendable
    func board(req: Request) async throws -> Response {
        let started = ContinuousClock.now
        let eyesOn = try Self.eyesOn(req)
        let query = (try? req.query.decode(BoardQuery.self)) ?? BoardQuery()
        var filter = BoardFilter()
        filter.risk = query.risk.flatMap(RiskLevel.init(rawValue:))
        filter.reason = query.reason.flatMap(ListReason.init(rawValue:))
        filter.leadAgencyID = query.lead.flatMap(UUID.init(uuidString:))
        filter.schoolURN = query.school.flatMap { Int($0) }
        let viewer = eyesOn.directory.viewer
        let key = "board|\(viewer.userID)|\(eyesOn.directory.today)|\(filter.risk?.rawValue ?? "")|\(filter.reason?.rawValue ?? "")|"
            + "\(filter.leadAgencyID?.uuidString ?? "")|\(filter.schoolURN.map(String.init) ?? "")"
        let page = try await req.application.pageCache.page(key, for: req) {
            let result = try await eyesOn.board(filter)
            let agencies = try await Agency.query(on: req.db).sort(\.$name).all()
            return PageCache.Built(content: EyesOnViews.boardContent(result: result, filter: filter, agencies: agencies),
                                   detail: "\(result.rows.count) children not seen of \(result.listed) listed",
                                   validUntil: try await BreakGlass.nextExpiry(of: viewer.userID, on: req.db))
        }
        try await req.auditRead(.boardViewed, detail: page.detail)
        let response = EyesOnViews.board(context: req.pageContext, content: page.content)
        let ms = Double((ContinuousClock.now - started) / .microseconds(1)) / 1000
        response.headers.replaceOrAdd(name: "Server-Timing", value: String(format: "total;dur=%.1f", ms))
        return response
    }

    /// The lead professional's caseload: every listed child they lead, seen or not, worst first.
    @Sendable
    func caseload(req: Request) async throws -> HTML {
        let eyesOn = try Self.eyesOn(req)
        let viewer = eyesOn.directory.viewer
        let result = try await eyesOn.board(BoardFilter(leadProfessional: viewer.displayName, includeWithinPolicy: true))
        try await req.auditRead(.boardViewed, detail: "caseload: \(result.rows.count) listed children led by \(viewer.displayName)")
        return EyesOnViews.caseload(context: req.pageContext, result: result, name: viewer.displayName)
    }

    /// A designated safeguarding lead's listed pupils, with the latest day's marks.
    @Sendable
    func school(req: Request) async throws -> HTML {
        let eyesOn = try Self.eyesOn(req)
        let viewer = eyesOn.directory.viewer
        guard viewer.agencyKind.isEducationSetting, let urn = try await Agency.find(viewer.agencyID, on: req.db)?.urn else { throw Abort(.forbidden) }
        return try await Self.listedPupilsPage(req, viewer: viewer, pupils: try await eyesOn.listedPupils(schoolURN: urn, withLatestMarks: true),
                                               audit: "the school's listed pupils", title: "Listed pupils at \(viewer.agencyName)",
                                               intro: "Your pupils on the agreed list, with the latest day's marks. Absent and unexplained sessions are marked.",
                                               showLatest: true,
                                               actions: "<p><a href=\"/school/propose\">Propose a pupil on your roll for the agreed list</a></p>")
    }

    /// A page of listed pupils; who viewed it and how many children it showed is audited.
    static func listedPupilsPage(_ req: Request, viewer: Viewer, pupils: [EyesOn.ListedPupil], audit: String, title: String, intro: String,
                                 showLatest: Bool, actions: HTML = .empty) async throws -> HTML {
        try await req.auditRead(.childSearch, detail: "viewed \(audit) (\(pupils.count))")
        return EyesOnViews.listedPupils(context: req.pageContext, title: title, intro: intro, pupils: pupils, showLatest: showLatest, actions: actions)
    }

    /// The Virtual School: looked-after children and children with a social worker, with attendance.
    @Sendable
    func virtualSchool(req: Request) async throws -> HTML {
        let eyesOn = try Self.eyesOn(req)
        let viewer = eyesOn.directory.viewer
        guard viewer.agencyKind.isLocalAuthority else { throw Abort(.forbidden) }
        let pupils = try await eyesOn.listedPupils(reasons: [.lookedAfter, .childProtectionPlan, .childInNeed, .careLeaver])
        return try await Self.listedPupilsPage(req, viewer: viewer, pupils: pupils, audit: "the Virtual School list", title: "Virtual School",
                                               intro: "Looked-after children and children with a social worker on the agreed list, with their attendance.",
                                               showLatest: false)
    }

    /// Back to school: listed children absent in every session since the term (or half term) began.
    @Sendable
    func backToSchool(req: Request) async throws -> HTML {
        let eyesOn = try Self.eyesOn(req)
        let viewer = eyesOn.directory.viewer
        var urn: Int? = nil
        if viewer.agencyKind.isEducationSetting { urn = try await Agency.find(viewer.agencyID, on: req.db)?.urn }
        let pupils = try await eyesOn.listedPupils(schoolURN: urn, notBackOnly: true)
        return try await Self.listedPupilsPage(req, viewer: viewer, pupils: pupils, audit: "the back-to-school report", title: "Not back at school",
                                               intro: "Children on the agreed list who have been absent in every session since the first day back after the last holiday.",
                                               showLatest: false)
    }

    @Sendable
    func tasks(req: Request) async throws -> HTML {
        let eyesOn = try Self.eyesOn(req)
        let mine = try await eyesOn.outstandingTasks()
        let viewer = eyesOn.directory.viewer
        let escalated = viewer.agencyKind == .laChildrensSocialCare ? try await eyesOn.outstandingTasks(escalatedOnly: true) : []
        return EyesOnViews.tasks(context: req.pageContext, mine: mine, escalated: escalated, today: eyesOn.directory.today, agencyName: viewer.agencyName)
    }

    struct TaskForm: Content {
        var state: String?
        var reason: String?
    }

    @Sendable
    func changeTask(req: Request) async throws -> Response {
        let eyesOn = try Self.eyesOn(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        let form = try req.content.decode(TaskForm.self)
        do {
            try await eyesOn.setTask(id, to: form.state.flatMap(TaskState.init(rawValue:)) ?? .cancelled, reason: form.reason ?? "", clientAddress: req.clientAddress)
        } catch let error as ListError {
            if error.kind == .notFound { throw Abort(.notFound) }
            throw Abort(error.kind == .invalid ? .unprocessableEntity : .conflict, reason: error.message.prefix(1).uppercased() + error.message.dropFirst())
        }
        return req.redirect(to: "/tasks", redirectType: .normal)
    }

    // MARK: Contacts

    struct ContactForm: Content {
        var date: String?
        var time: String?
        var type: String?
        var child_seen: String?
        var seen_alone: String?
        var location: String?
        var virtual_basis: String?
        var outcome: String?
        var concerns: String?
    }

    @Sendable
    func contactForm(req: Request) async throws -> HTML {
        let eyesOn = try Self.eyesOn(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let child = try await eyesOn.directory.record(id: id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        var form = ContactForm()
        form.date = eyesOn.directory.today.description
        return EyesOnViews.contactForm(context: req.formPageContext, child: child.summary, form: form, errors: [])
    }

    @Sendable
    func recordContact(req: Request) async throws -> Response {
        let eyesOn = try Self.eyesOn(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let child = try await eyesOn.directory.record(id: id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        let form = try req.content.decode(ContactForm.self)
        var errors: [FieldError] = []
        let date = ChildrenController.parseDate((form.date ?? "").trimmingCharacters(in: .whitespaces))
        if date == nil { errors.append(FieldError(field: "date", message: "Enter the date of the contact, like 27/3/2026")) }
        let type = form.type.flatMap(ContactType.init(rawValue:))
        if type == nil || type == .inSchool { errors.append(FieldError(field: "type", message: "Choose the type of contact")) }
        if form.child_seen == nil { errors.append(FieldError(field: "child_seen", message: "Say whether the child was seen")) }
        if errors.isEmpty, let date, let type {
            do {
                let (_, closed) = try await eyesOn.recordContact(ContactInput(
                    personID: id, date: date, time: form.time?.trimmingCharacters(in: .whitespaces), type: type,
                    childSeen: form.child_seen == "yes", seenAlone: form.seen_alone == "yes", location: form.location ?? "",
                    virtualBasis: form.virtual_basis, outcome: form.outcome ?? "", concerns: form.concerns ?? ""), clientAddress: req.clientAddress)
                let note = closed == 0 ? "Contact recorded" : "Contact recorded; \(closed) task\(closed == 1 ? "" : "s") closed"
                return req.redirect(to: "/children/\(id.uuidString)?done=\(note.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", redirectType: .normal)
            } catch let error as ListError {
                if error.kind == .notFound { throw Abort(.notFound) }
                errors.append(FieldError(field: error.field ?? "type", message: error.message.prefix(1).uppercased() + error.message.dropFirst()))
            }
        }
        return HTML.response(EyesOnViews.contactForm(context: req.formPageContext, child: child.summary, form: form, errors: errors), status: .unprocessableEntity)
    }
}
