import Vapor
import Fluent
import EyesOnCore
import Store

/// The agreed list: propose a child, agree as an agency, record a meeting's decision, decline or
/// remove with a reason, and the reviews due. Through `AgreedList` (the access policy) only.
struct ListController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("list", use: index)
        routes.get("list", "suggestions", use: suggestions)
        routes.get("hidden-children", use: hiddenChildren)
        routes.get("list", ":id", use: show)
        routes.post("list", ":id", "agree", use: agree)
        routes.post("list", ":id", "meeting", use: meeting)
        routes.post("list", ":id", "decline", use: decline)
        routes.post("list", ":id", "remove", use: remove)
        routes.get("school", "propose", use: findPupilToPropose)
        routes.get("children", ":id", "propose", use: proposeForm)
        routes.post("children", ":id", "propose", use: propose)
    }

    static func list(_ req: Request) throws -> AgreedList {
        let list = AgreedList(directory: try req.childDirectory())
        guard list.mayAct else { throw Abort(.forbidden) }
        return list
    }

    @Sendable
    func index(req: Request) async throws -> HTML {
        let list = try Self.list(req)
        let proposed = try await list.entries([.proposed])
        let agreed = try await list.entries([.agreed])
        let due = try await list.reviewsDue(by: list.directory.today.adding(days: 14))
        try await req.auditRead(.childSearch, detail: "viewed the agreed list (\(agreed.count) agreed, \(proposed.count) proposed)")
        return ListViews.index(context: req.pageContext, proposed: proposed, agreed: agreed, reviewsDue: due, today: list.directory.today)
    }

    /// Rules propose, people decide: children the proposal rules name who are not on the list.
    @Sendable
    func suggestions(req: Request) async throws -> HTML {
        let list = try Self.list(req)
        let (rules, proposals) = try await EyesOn(directory: list.directory).ruleProposals()
        try await req.auditRead(.childSearch, detail: "viewed the children suggested by the proposal rules (\(proposals.count))")
        return ListViews.suggestions(context: req.pageContext, rules: rules, proposals: proposals)
    }

    @Sendable
    func hiddenChildren(req: Request) async throws -> HTML {
        let list = try Self.list(req)
        guard AccessPolicy.worksAcrossTheArea(list.viewer) else { throw Abort(.forbidden) }
        let (policy, children) = try await HiddenChildren(directory: list.directory).find()
        try await req.auditRead(.childSearch, detail: "viewed the hidden-children finder (\(children.count) children)")
        return ListViews.hiddenChildren(context: req.pageContext, policy: policy, children: children)
    }

    @Sendable
    func show(req: Request) async throws -> HTML {
        let list = try Self.list(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let entry = try await list.entry(id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        let agencies = try await Agency.query(on: req.db).sort(\.$name).all()
        return ListViews.entry(context: req.pageContext, entry: entry, history: try await list.history(id), list: list,
                               agencies: agencies, errors: [], message: req.query[String.self, at: "done"])
    }

    /// Runs a change and goes back to the entry, or shows the entry with the error.
    func change(_ req: Request, _ body: @Sendable (AgreedList, UUID) async throws -> String) async throws -> Response {
        let list = try Self.list(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        do {
            let done = try await body(list, id)
            return req.redirect(to: "/list/\(id.uuidString)?done=\(done.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", redirectType: .normal)
        } catch let error as ListError {
            guard error.kind != .notFound, let entry = try await list.entry(id, audited: false) else { throw Abort(.notFound) }
            let agencies = try await Agency.query(on: req.db).sort(\.$name).all()
            let html = ListViews.entry(context: req.pageContext, entry: entry, history: try await list.history(id), list: list, agencies: agencies,
                                       errors: [FieldError(field: error.field ?? "actions", message: error.message)], message: nil)
            return HTML.response(html, status: error.kind == .invalid ? .unprocessableEntity : .conflict)
        }
    }

    struct ReasonForm: Content { var reason: String? }
    struct MeetingForm: Content {
        var meeting_date: String?
        var meeting_agencies: [String]?
    }

    @Sendable func agree(req: Request) async throws -> Response {
        let address = req.clientAddress
        return try await change(req) { list, id in
            let status = try await list.agree(id, clientAddress: address)
            return status == .agreed ? "Agreed: the child is now on the list" : "Your agency's agreement is recorded"
        }
    }

    @Sendable func meeting(req: Request) async throws -> Response {
        let form = try req.content.decode(MeetingForm.self)
        let address = req.clientAddress
        return try await change(req) { list, id in
            guard let date = ChildrenController.parseDate((form.meeting_date ?? "").trimmingCharacters(in: .whitespaces)) else {
                throw ListError(.invalid, field: "meeting_date", "enter the meeting date, like 27/3/2026")
            }
            let agencies = (form.meeting_agencies ?? []).compactMap(UUID.init(uuidString:))
            try await list.recordMeetingDecision(id, date: date, agencies: agencies, clientAddress: address)
            return "The partnership meeting's agreement is recorded"
        }
    }

    @Sendable func decline(req: Request) async throws -> Response {
        let reason = try req.content.decode(ReasonForm.self).reason ?? ""
        let address = req.clientAddress
        return try await change(req) { list, id in
            try await list.decline(id, reason: reason, clientAddress: address)
            return "The proposal was declined"
        }
    }

    @Sendable func remove(req: Request) async throws -> Response {
        let reason = try req.content.decode(ReasonForm.self).reason ?? ""
        let address = req.clientAddress
        return try await change(req) { list, id in
            try await list.remove(id, reason: reason, clientAddress: address)
            return "The child was taken off the list"
        }
    }

    // MARK: Proposing

    struct ProposalForm: Content {
        var reasons: [String]?
        var reason_other: String?
        var risk: String?
        var risk_rationale: String?
        var lead_agency: String?
        var lead_professional: String?
        var review_date: String?
    }

    @Sendable
    func proposeForm(req: Request) async throws -> HTML {
        let list = try Self.list(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let child = try await Self.proposable(list, id, req) else { throw Abort(.notFound) }
        let agencies = try await Agency.query(on: req.db).sort(\.$name).all()
        var form = ProposalForm()
        form.review_date = list.directory.today.adding(months: 3).description
        // From the hidden-children finder: its factors become the reasons, its evidence the rationale.
        if req.query[String.self, at: "from"] == "hidden-children", AccessPolicy.worksAcrossTheArea(list.viewer),
           let named = try await HiddenChildren(directory: list.directory).find(only: id).children.first {
            form.reasons = named.found.map(\.factor.reason.rawValue)
            form.risk_rationale = named.evidence
        }
        return ListViews.proposeForm(context: req.formPageContext, child: child, agencies: agencies, form: form, errors: [])
    }

    /// The child to propose: one whose record the viewer may open (audited as a read), or a pupil
    /// on a school's roll it does not see yet (name, birth date and UPN only; audited too).
    static func proposable(_ list: AgreedList, _ id: UUID, _ req: Request) async throws -> ChildSummary? {
        if let record = try await list.directory.record(id: id, clientAddress: req.clientAddress) { return record.summary }
        guard let pupil = try await list.directory.pupilToPropose(id) else { return nil }
        try await list.directory.auditRead(
            id, detail: "\(list.viewer.role.rawValue) at \(list.viewer.agencyName) opened the proposal form for a pupil on the roll (name, birth date and UPN only)",
            clientAddress: req.clientAddress)
        return pupil
    }

    struct PupilLookup: Content {
        var upn: String?
        var name: String?
        var dob: String?
    }

    /// A school's safeguarding lead sees only its listed pupils, but may propose any pupil on its
    /// roll: found by UPN, or by name and date of birth.
    @Sendable
    func findPupilToPropose(req: Request) async throws -> Response {
        let list = try Self.list(req)
        let query = try req.query.decode(PupilLookup.self)
        let upnText = (query.upn ?? "").trimmingCharacters(in: .whitespaces)
        let name = (query.name ?? "").trimmingCharacters(in: .whitespaces)
        let dobText = (query.dob ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [FieldError] = []
        var upn: UPN?
        var dob: CivilDate?
        if !upnText.isEmpty {
            do { upn = try UPN(upnText) } catch { errors.append(FieldError(field: "upn", message: ChildrenController.sentence(error.reason, field: "UPN"))) }
        } else if !name.isEmpty || !dobText.isEmpty {
            if name.isEmpty { errors.append(FieldError(field: "name", message: "Enter the pupil's name, or their UPN")) }
            dob = ChildrenController.parseDate(dobText)
            if dob == nil { errors.append(FieldError(field: "dob", message: "Enter the pupil's date of birth, like 27/3/2014")) }
        }
        let searched = errors.isEmpty && (upn != nil || dob != nil)
        let found = searched ? try await list.directory.pupilsToPropose(upn: upn, name: name, dateOfBirth: dob) : []
        return HTML.response(ListViews.findPupil(context: req.pageContext, query: query, searched: searched, found: found, errors: errors),
                             status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable
    func propose(req: Request) async throws -> Response {
        let list = try Self.list(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let child = try await Self.proposable(list, id, req) else { throw Abort(.notFound) }
        let form = try req.content.decode(ProposalForm.self)
        var errors: [FieldError] = []
        let reasons = (form.reasons ?? []).compactMap(ListReason.init(rawValue:))
        if reasons.isEmpty { errors.append(FieldError(field: "reasons", message: "Choose at least one reason")) }
        let risk = form.risk.flatMap(RiskLevel.init(rawValue:))
        if risk == nil { errors.append(FieldError(field: "risk", message: "Choose the risk level")) }
        let lead = form.lead_agency.flatMap(UUID.init(uuidString:))
        if lead == nil { errors.append(FieldError(field: "lead_agency", message: "Choose the lead agency")) }
        let review = ChildrenController.parseDate((form.review_date ?? "").trimmingCharacters(in: .whitespaces))
        if review == nil { errors.append(FieldError(field: "review_date", message: "Enter the review date, like 27/3/2027")) }
        else if let review, review <= list.directory.today { errors.append(FieldError(field: "review_date", message: "The review date must be in the future")) }
        if errors.isEmpty, let risk, let lead, let review {
            do {
                let entryID = try await list.propose(ListProposal(
                    personID: id, reasons: reasons, reasonOther: form.reason_other, risk: risk, riskRationale: form.risk_rationale ?? "",
                    leadAgencyID: lead, leadProfessional: form.lead_professional ?? "", reviewDate: review), clientAddress: req.clientAddress)
                return req.redirect(to: "/list/\(entryID.uuidString)?done=Proposed", redirectType: .normal)
            } catch let error as ListError {
                if error.kind == .notFound { throw Abort(.notFound) }
                errors.append(FieldError(field: error.field ?? "reasons", message: error.message.prefix(1).uppercased() + error.message.dropFirst()))
            }
        }
        let agencies = try await Agency.query(on: req.db).sort(\.$name).all()
        return HTML.response(ListViews.proposeForm(context: req.formPageContext, child: child, agencies: agencies, form: form, errors: errors),
                             status: .unprocessableEntity)
    }
}
