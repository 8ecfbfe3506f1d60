import Vapor
import EyesOnCore
import Store

/// The partnership's governance: delegations, assurance surveys with their RAG summary, and meeting
/// decisions (kept by the administrator, read by analysts); and each member agency's page to
/// answer the surveys sent to it.
struct GovernanceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("governance", use: index)
        routes.post("governance", "delegations", use: recordDelegation)
        routes.post("governance", "surveys", use: createSurvey)
        routes.get("governance", "surveys", ":id", use: survey)
        routes.post("governance", "decisions", use: recordDecision)
        routes.post("governance", "decisions", ":id", "done", use: markDone)
        routes.get("surveys", use: mySurveys)
        routes.get("surveys", ":id", use: answerForm)
        routes.post("surveys", ":id", use: answer)
    }

    static func governance(_ req: Request) throws -> Governance {
        Governance(db: req.db, viewer: try req.requireViewer(), today: req.today)
    }

    static func page(_ req: Request, _ g: Governance, fields: [String: String] = [:], errors: [FieldError] = []) async throws -> Response {
        let html = GovernanceViews.index(context: req.formPageContext, governance: g, partners: try await g.partners(), delegations: try await g.delegations(),
                                         surveys: try await g.surveys(), decisions: try await g.decisions(), fields: fields, errors: errors,
                                         message: req.query[String.self, at: "done"])
        return HTML.response(html, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable
    func index(req: Request) async throws -> Response {
        let g = try Self.governance(req)
        return try await Self.page(req, g, fields: ["starts_on": g.today.description, "meeting_on": g.today.description, "due_on": g.today.adding(days: 28).description])
    }

    static func date(_ fields: [String: String], _ key: String, optional: Bool = false, _ errors: inout [FieldError], _ message: String) -> CivilDate?? {
        let text = (fields[key] ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty && optional { return .some(nil) }
        guard let d = ChildrenController.parseDate(text) else { errors.append(FieldError(field: key, message: message)); return nil }
        return .some(d)
    }

    /// Runs a change; a refusal goes back to the page with the form as typed.
    static func change(_ req: Request, _ g: Governance, _ fields: [String: String], _ errors: [FieldError], note: String, anchor: String,
                       _ body: () async throws -> Void) async throws -> Response {
        var errors = errors
        if errors.isEmpty {
            do {
                try await body()
                return WorkforceController.done(req, note, path: "/governance", anchor: anchor)
            } catch let error as WorkforceError {
                errors.append(FieldError(field: error.field, message: error.message))
            }
        }
        return try await page(req, g, fields: fields, errors: errors)
    }

    @Sendable
    func recordDelegation(req: Request) async throws -> Response {
        let g = try Self.governance(req)
        let f = try req.content.decode([String: String].self)
        var errors: [FieldError] = []
        let starts = Self.date(f, "starts_on", &errors, "Enter the day the delegation starts, like 1/4/2026")
        let ends = Self.date(f, "ends_on", optional: true, &errors, "Enter the day it ends, like 31/3/2027, or leave it empty")
        let partner = UUID(uuidString: f["partner"] ?? "")
        if partner == nil { errors.append(FieldError(field: "partner", message: "Choose the safeguarding partner")) }
        return try await Self.change(req, g, f, errors, note: "Delegation recorded", anchor: "delegations") {
            try await g.recordDelegation(partner: partner!, function: f["function"] ?? "", delegatedTo: f["delegated_to"] ?? "",
                                         accountableLead: f["accountable_lead"] ?? "", starts: starts!!, ends: ends!, clientAddress: req.clientAddress)
        }
    }

    @Sendable
    func createSurvey(req: Request) async throws -> Response {
        let g = try Self.governance(req)
        let f = try req.content.decode([String: String].self)
        var errors: [FieldError] = []
        let due = Self.date(f, "due_on", &errors, "Enter the day answers are due, like 31/12/2026")
        return try await Self.change(req, g, f, errors, note: "Survey sent to every member agency", anchor: "surveys") {
            try await g.createSurvey(title: f["title"] ?? "", questions: (f["questions"] ?? "").components(separatedBy: .newlines), due: due!!,
                                     clientAddress: req.clientAddress)
        }
    }

    @Sendable
    func recordDecision(req: Request) async throws -> Response {
        let g = try Self.governance(req)
        let f = try req.content.decode([String: String].self)
        var errors: [FieldError] = []
        let meeting = Self.date(f, "meeting_on", &errors, "Enter the day of the meeting, like 2/12/2026")
        let due = Self.date(f, "decision_due", optional: true, &errors, "Enter the day it is due, like 31/1/2027, or leave it empty")
        return try await Self.change(req, g, f, errors, note: "Decision recorded", anchor: "decisions") {
            try await g.recordDecision(meeting: meeting!!, decision: f["decision"] ?? "", owner: f["owner"] ?? "", due: due!, clientAddress: req.clientAddress)
        }
    }

    @Sendable
    func markDone(req: Request) async throws -> Response {
        let g = try Self.governance(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        let f = try req.content.decode([String: String].self)
        var errors: [FieldError] = []
        let done = Self.date(f, "done_on", &errors, "Enter the day it was done, like 2/12/2026")
        if !errors.isEmpty { errors = [FieldError(field: "done-\(id.uuidString)", message: errors[0].message)] }
        return try await Self.change(req, g, [:], errors, note: "Decision marked done", anchor: "decisions") {
            try await g.markDone(id, on: done!!, clientAddress: req.clientAddress)
        }
    }

    @Sendable
    func survey(req: Request) async throws -> HTML {
        let g = try Self.governance(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let survey = try await g.survey(id) else { throw Abort(.notFound) }
        return GovernanceViews.survey(context: req.pageContext, survey: survey)
    }

    @Sendable
    func mySurveys(req: Request) async throws -> HTML {
        let g = try Self.governance(req)
        return GovernanceViews.mySurveys(context: req.pageContext, viewer: g.viewer, surveys: try await g.surveysForMyAgency(), message: req.query[String.self, at: "done"])
    }

    static func mine(_ req: Request, _ g: Governance) async throws -> (AssuranceSurvey, AssuranceSurvey.Response?) {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let found = try await g.surveysForMyAgency().first(where: { $0.survey.id == id }) else { throw Abort(.notFound) }
        return found
    }

    @Sendable
    func answerForm(req: Request) async throws -> HTML {
        let g = try Self.governance(req)
        let (survey, mine) = try await Self.mine(req, g)
        var fields: [String: String] = [:]
        for (k, a) in (mine?.answers ?? []).enumerated() { fields["q\(k + 1)"] = a.rating.rawValue; fields["q\(k + 1)-comment"] = a.comment }
        return GovernanceViews.answerForm(context: req.formPageContext, viewer: g.viewer, survey: survey, fields: fields, errors: [])
    }

    @Sendable
    func answer(req: Request) async throws -> Response {
        let g = try Self.governance(req)
        let (survey, _) = try await Self.mine(req, g)
        let f = try req.content.decode([String: String].self)
        var errors: [FieldError] = []
        var answers: [SurveyAnswer] = []
        for k in 1...survey.questions.count {
            guard let rating = RAG(rawValue: f["q\(k)"] ?? "") else {
                errors.append(FieldError(field: "q\(k)", message: "Rate question \(k): red, amber or green"))
                continue
            }
            answers.append(SurveyAnswer(rating: rating, comment: (f["q\(k)-comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        if errors.isEmpty {
            do {
                try await g.respond(to: survey.id, answers: answers, clientAddress: req.clientAddress)
                return req.redirect(to: "/surveys?done=" + ("Your agency's answer is sent".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                                    redirectType: .normal)
            } catch let error as WorkforceError {
                errors.append(FieldError(field: error.field, message: error.message))
            }
        }
        return HTML.response(GovernanceViews.answerForm(context: req.formPageContext, viewer: g.viewer, survey: survey, fields: f, errors: errors),
                             status: .unprocessableEntity)
    }
}
