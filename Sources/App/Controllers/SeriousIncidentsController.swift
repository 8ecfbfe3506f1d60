import Vapor
import EyesOnCore
import Store

/// Serious incident notifications: the partnership's dashboard, recording one from the child's
/// page, each step after it, and the notification's content for the national form.
struct SeriousIncidentsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("serious-incidents", use: index)
        routes.get("serious-incidents", ":incident", use: show)
        routes.post("serious-incidents", ":incident", "steps", use: recordStep)
        routes.get("serious-incidents", ":incident", "notification.json", use: notification)
        routes.get("children", ":id", "serious-incidents", "new", use: newForm)
        routes.post("children", ":id", "serious-incidents", use: create)
    }

    static func incidents(_ req: Request) throws -> SeriousIncidents {
        let directory = try req.childDirectory()
        guard AccessPolicy.worksAcrossTheArea(directory.viewer) else { throw Abort(.notFound) }
        return SeriousIncidents(directory: directory)
    }

    @Sendable
    func index(req: Request) async throws -> HTML {
        let incidents = try Self.incidents(req)
        return SeriousIncidentViews.index(context: req.pageContext, incidents: try await incidents.all(), today: incidents.directory.today)
    }

    @Sendable
    func show(req: Request) async throws -> HTML {
        let incidents = try Self.incidents(req)
        guard let id = req.parameters.get("incident").flatMap(UUID.init(uuidString:)),
              let incident = try await incidents.incident(id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        return SeriousIncidentViews.show(context: req.formPageContext, incident: incident, form: StepForm(date: incidents.directory.today.description),
                                         errors: [], message: req.query[String.self, at: "done"])
    }

    struct StepForm: Content {
        var step: String?
        var date: String?
        var hold_review: String?
        var note: String?
    }

    @Sendable
    func recordStep(req: Request) async throws -> Response {
        let incidents = try Self.incidents(req)
        guard let id = req.parameters.get("incident").flatMap(UUID.init(uuidString:)),
              let incident = try await incidents.incident(id, audit: false) else { throw Abort(.notFound) }
        let form = try req.content.decode(StepForm.self)
        var errors: [FieldError] = []
        let step = form.step.flatMap(SeriousIncident.Step.init(rawValue:))
        if step == nil { errors.append(FieldError(field: "step", message: "Choose the step to record")) }
        let date = ChildrenController.parseDate((form.date ?? "").trimmingCharacters(in: .whitespaces))
        if date == nil { errors.append(FieldError(field: "date", message: "Enter the date, like 27/3/2026")) }
        if errors.isEmpty, let step, let date {
            do {
                try await incidents.recordStep(id, step: step, date: date, holdReview: form.hold_review.map { $0 == "yes" }, note: form.note ?? "",
                                               clientAddress: req.clientAddress)
                let note = "\(step.title) recorded".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return req.redirect(to: "/serious-incidents/\(id.uuidString)?done=\(note)", redirectType: .normal)
            } catch let error as ListError {
                if error.kind == .notFound { throw Abort(.notFound) }
                errors.append(FieldError(field: error.field ?? "step", message: Self.sentence(error.message)))
            }
        }
        return HTML.response(SeriousIncidentViews.show(context: req.formPageContext, incident: incident, form: form, errors: errors, message: nil),
                             status: .unprocessableEntity)
    }

    @Sendable
    func notification(req: Request) async throws -> Response {
        let incidents = try Self.incidents(req)
        guard let id = req.parameters.get("incident").flatMap(UUID.init(uuidString:)),
              let data = try await incidents.notification(id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"serious-incident-notification.json\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    struct IncidentForm: Content {
        var aware_date: String?
        var harm: String?
        var abuse: String?
        var under_one: String?
        var looked_after: String?
        var factors: [String]?
        var factors_detail: String?
    }

    @Sendable
    func newForm(req: Request) async throws -> HTML {
        let incidents = try Self.incidents(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let child = try await incidents.directory.record(id: id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        let today = incidents.directory.today
        var form = IncidentForm()
        form.aware_date = today.description
        if let dob = child.summary.dateOfBirth ?? child.summary.expectedDateOfBirth { form.under_one = today < dob.adding(years: 1) ? "yes" : "no" }
        form.looked_after = try await incidents.wasLookedAfter(id, on: today) ? "yes" : "no"
        return SeriousIncidentViews.form(context: req.formPageContext, child: child.summary, form: form, errors: [])
    }

    @Sendable
    func create(req: Request) async throws -> Response {
        let incidents = try Self.incidents(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let child = try await incidents.directory.summary(id: id) else { throw Abort(.notFound) }
        let form = try req.content.decode(IncidentForm.self)
        var errors: [FieldError] = []
        let aware = ChildrenController.parseDate((form.aware_date ?? "").trimmingCharacters(in: .whitespaces))
        if aware == nil { errors.append(FieldError(field: "aware_date", message: "Enter the date the local authority became aware, like 27/3/2026")) }
        let harm = form.harm.flatMap(SeriousIncident.Harm.init(rawValue:))
        if harm == nil { errors.append(FieldError(field: "harm", message: "Say whether the child died or was seriously harmed")) }
        let abuse = form.abuse.flatMap(SeriousIncident.Abuse.init(rawValue:))
        if abuse == nil { errors.append(FieldError(field: "abuse", message: "Say whether abuse or neglect is known or suspected")) }
        if form.under_one != "yes" && form.under_one != "no" { errors.append(FieldError(field: "under_one", message: "Say whether the child was under one")) }
        if form.looked_after != "yes" && form.looked_after != "no" { errors.append(FieldError(field: "looked_after", message: "Say whether the child was looked after")) }
        let factors = (form.factors ?? []).compactMap(SeriousIncident.Factor.init(rawValue:))
        if factors.count != (form.factors ?? []).count { errors.append(FieldError(field: "factors", message: "Choose contributing factors from the list")) }
        if errors.isEmpty, let aware, let harm, let abuse {
            do {
                let incident = try await incidents.record(SeriousIncidentInput(
                    personID: id, awareDate: aware, harm: harm, abuse: abuse, underOne: form.under_one == "yes", lookedAfter: form.looked_after == "yes",
                    factors: factors, factorsDetail: form.factors_detail ?? ""), clientAddress: req.clientAddress)
                let note = "Serious incident recorded".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return req.redirect(to: "/serious-incidents/\(incident.uuidString)?done=\(note)", redirectType: .normal)
            } catch let error as ListError {
                if error.kind == .notFound { throw Abort(.notFound) }
                errors.append(FieldError(field: error.field ?? "aware_date", message: Self.sentence(error.message)))
            }
        }
        return HTML.response(SeriousIncidentViews.form(context: req.formPageContext, child: child, form: form, errors: errors), status: .unprocessableEntity)
    }

    /// A store message as a sentence: capital first letter.
    static func sentence(_ message: String) -> String { message.prefix(1).uppercased() + message.dropFirst() }
}
