import Vapor
import Fluent
import EyesOnCore
import Store

/// Operation Encompass: the notices a school's safeguarding lead receives and acknowledges, and
/// the overdue and unacknowledged ones the police and children's social care watch.
struct EncompassController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("notices", use: index)
        routes.get("notices", ":id", use: show)
        routes.post("notices", ":id", "acknowledge", use: acknowledge)
    }

    static func encompass(_ req: Request) throws -> Encompass {
        let encompass = Encompass(db: req.db, viewer: try req.requireViewer())
        guard encompass.reach != .none else { throw Abort(.forbidden) }
        return encompass
    }

    @Sendable
    func index(req: Request) async throws -> HTML {
        let encompass = try Self.encompass(req)
        let openOnly = req.query[String.self, at: "show"] == "open"
        let notices = try await encompass.notices(openOnly: openOnly)
        try await req.auditRead(.childSearch, detail: "viewed the Operation Encompass notices (\(notices.count))")
        return EncompassViews.index(context: req.pageContext, encompass: encompass, notices: notices, openOnly: openOnly, now: Date())
    }

    @Sendable
    func show(req: Request) async throws -> HTML {
        let encompass = try Self.encompass(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let notice = try await encompass.notice(id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        return EncompassViews.notice(context: req.formPageContext, encompass: encompass, notice: notice, support: notice.support, errors: [],
                                     message: req.query[String.self, at: "done"], now: Date())
    }

    struct AcknowledgeForm: Content {
        var support: String?
    }

    @Sendable
    func acknowledge(req: Request) async throws -> Response {
        let encompass = try Self.encompass(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        let form = try req.content.decode(AcknowledgeForm.self)
        do {
            try await encompass.acknowledge(id, support: form.support ?? "", clientAddress: req.clientAddress)
            return req.redirect(to: "/notices/\(id.uuidString)?done=Acknowledged%3B%20support%20recorded", redirectType: .normal)
        } catch let error as ListError {
            guard error.kind != .notFound, let notice = try await encompass.notice(id) else { throw Abort(.notFound) }
            let message = error.message.prefix(1).uppercased() + error.message.dropFirst()
            return HTML.response(EncompassViews.notice(context: req.formPageContext, encompass: encompass, notice: notice, support: form.support,
                                                       errors: [FieldError(field: error.field ?? "support", message: message)], message: nil, now: Date()),
                                 status: .unprocessableEntity)
        }
    }
}
