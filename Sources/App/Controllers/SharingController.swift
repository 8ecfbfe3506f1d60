import Vapor
import EyesOnCore
import Store

/// Information-sharing records from the child's page: a share of the child's information, or a
/// decision not to share, with the lawful basis and consent. Every role that sees the child may record one.
struct SharingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("children", ":id", "sharing", "new", use: form)
        routes.post("children", ":id", "sharing", use: record)
    }

    struct Form: Content {
        var shared: String?
        var channel: String?
        var recipient: String?
        var what: String?
        var basis: String?
        var consent: String?
        var reason: String?
        var date: String?
    }

    static func sharing(_ req: Request) throws -> (InformationSharing, UUID) {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        return (InformationSharing(directory: try req.childDirectory()), id)
    }

    @Sendable
    func form(req: Request) async throws -> HTML {
        let (sharing, id) = try Self.sharing(req)
        guard let child = try await sharing.directory.record(id: id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        return SharingViews.form(context: req.formPageContext, child: child.summary, form: Form(date: sharing.directory.today.description), errors: [])
    }

    @Sendable
    func record(req: Request) async throws -> Response {
        let (sharing, id) = try Self.sharing(req)
        guard let child = try await sharing.directory.summary(id: id) else { throw Abort(.notFound) }
        let form = try req.content.decode(Form.self)
        var errors: [FieldError] = []
        let shared: Bool? = form.shared == "yes" ? true : form.shared == "no" ? false : nil
        if shared == nil { errors.append(FieldError(field: "shared", message: "Say whether the information was shared")) }
        let channel = form.channel.flatMap(SharingChannel.init(rawValue:))
        if channel == nil { errors.append(FieldError(field: "channel", message: "Choose how it was shared, or would have been")) }
        let basis = form.basis.flatMap(LawfulBasis.init(rawValue:))
        if basis == nil { errors.append(FieldError(field: "basis", message: "Choose the lawful basis relied on")) }
        let consent = form.consent.flatMap(ConsentStatus.init(rawValue:))
        if consent == nil { errors.append(FieldError(field: "consent", message: "Say whether consent was sought, and what came of it")) }
        let date = ChildrenController.parseDate((form.date ?? "").trimmingCharacters(in: .whitespaces))
        if date == nil { errors.append(FieldError(field: "date", message: "Enter the date of the decision, like 27/3/2026")) }
        if errors.isEmpty, let shared, let channel, let basis, let consent, let date {
            do {
                try await sharing.record(SharingDecision(shared: shared, channel: channel, recipient: form.recipient ?? "", what: form.what ?? "",
                                                         lawfulBasis: basis, consent: consent, reason: form.reason ?? "", decidedOn: date),
                                         personID: id, clientAddress: req.clientAddress)
                let note = (shared ? "Share recorded" : "Decision not to share recorded").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return req.redirect(to: "/children/\(id.uuidString)?done=\(note)", redirectType: .normal)
            } catch let error as ListError {
                if error.kind == .notFound { throw Abort(.notFound) }
                errors.append(FieldError(field: error.field ?? "reason", message: SeriousIncidentsController.sentence(error.message)))
            }
        }
        return HTML.response(SharingViews.form(context: req.formPageContext, child: child, form: form, errors: errors), status: .unprocessableEntity)
    }
}
