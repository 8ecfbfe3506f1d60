import Vapor
import EyesOnCore
import Store

/// The area's public page on how to report a concern about a child (no sign-in), and the
/// partnership administrator's form that edits it.
struct SignpostingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("help", use: show)
    }

    /// The administrator's form, behind sign-in and the route table.
    struct Editing: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.get("signposting", use: edit)
            routes.post("signposting", use: save)
        }

        @Sendable
        func edit(req: Request) async throws -> HTML {
            let page = try await PartnershipSettings.signposting(on: req.db)
            return SignpostingViews.form(context: req.formPageContext, fields: SignpostingViews.fields(page), errors: [], message: req.query[String.self, at: "done"])
        }

        @Sendable
        func save(req: Request) async throws -> Response {
            let viewer = try req.requireViewer()
            let fields = try req.content.decode([String: String].self)
            var errors: [FieldError] = []
            var page: Signposting?
            do {
                page = Signposting(area: fields["area"] ?? "", introduction: fields["introduction"] ?? "",
                                   frontDoor: try SignpostingViews.contacts(fields["front_door"] ?? "", field: "front_door", what: "Front door contacts"),
                                   outOfHours: try SignpostingViews.contacts(fields["out_of_hours"] ?? "", field: "out_of_hours", what: "Out-of-hours contacts"))
            } catch let error as SignpostingError {
                errors.append(FieldError(field: error.field, message: error.message))
            }
            if let page {
                do {
                    try await PartnershipSettings.saveSignposting(page, on: req.db, actor: viewer.email)
                    return req.redirect(to: "/signposting?done=" + ("Saved: the public page now shows these contacts".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                                        redirectType: .normal)
                } catch let error as SignpostingError {
                    errors.append(FieldError(field: error.field, message: SeriousIncidentsController.sentence(error.message)))
                }
            }
            return HTML.response(SignpostingViews.form(context: req.formPageContext, fields: fields, errors: errors, message: nil), status: .unprocessableEntity)
        }
    }

    @Sendable
    func show(req: Request) async throws -> HTML {
        SignpostingViews.page(context: req.pageContext, page: try await PartnershipSettings.signposting(on: req.db))
    }
}
