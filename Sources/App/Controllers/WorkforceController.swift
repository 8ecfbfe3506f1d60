import Vapor
import EyesOnCore
import Store

/// The workforce records: staff unavailable by team (a snapshot a week) and the DBS register of
/// staff in children's homes and secure children's homes (`AccessPolicy.mayKeepWorkforceRecords`).
struct WorkforceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("workforce", use: index)
        routes.post("workforce", "absence", use: recordAbsence)
        routes.post("workforce", "dbs", use: recordDBS)
        routes.post("workforce", "dbs", ":id", "issued", use: recordIssued)
    }

    static func workforce(_ req: Request) throws -> Workforce {
        guard let workforce = try? Workforce(db: req.db, viewer: try req.requireViewer(), today: req.today) else { throw Abort(.forbidden) }
        return workforce
    }

    struct Forms: Sendable {
        var absence: [String: String] = [:]
        var dbs: [String: String] = [:]
        var errors: [FieldError] = []
    }

    static func page(_ req: Request, _ workforce: Workforce, forms: Forms, message: String? = nil) async throws -> Response {
        let html = WorkforceViews.index(context: req.formPageContext, absence: try await workforce.absence(), register: try await workforce.register(),
                                        forms: forms, message: message ?? req.query[String.self, at: "done"])
        return HTML.response(html, status: forms.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable
    func index(req: Request) async throws -> Response {
        let workforce = try Self.workforce(req)
        var forms = Forms()
        forms.absence["week"] = workforce.today.description
        return try await Self.page(req, workforce, forms: forms)
    }

    static func done(_ req: Request, _ note: String, path: String = "/workforce", anchor: String) -> Response {
        req.redirect(to: "\(path)?done=\(note.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")#\(anchor)", redirectType: .normal)
    }

    @Sendable
    func recordAbsence(req: Request) async throws -> Response {
        let workforce = try Self.workforce(req)
        let fields = try req.content.decode([String: String].self)
        var forms = Forms(absence: fields)
        let week = ChildrenController.parseDate((fields["week"] ?? "").trimmingCharacters(in: .whitespaces))
        let staff = Int((fields["staff"] ?? "").trimmingCharacters(in: .whitespaces))
        let unavailable = Int((fields["unavailable"] ?? "").trimmingCharacters(in: .whitespaces))
        if week == nil { forms.errors.append(FieldError(field: "week", message: "Enter a day in the week, like 30/11/2026")) }
        if staff == nil { forms.errors.append(FieldError(field: "staff", message: "Enter the team's staff as a whole number")) }
        if unavailable == nil { forms.errors.append(FieldError(field: "unavailable", message: "Enter the staff unavailable as a whole number")) }
        if forms.errors.isEmpty, let week, let staff, let unavailable {
            do {
                try await workforce.recordAbsence(week: week, team: fields["team"] ?? "", staff: staff, unavailable: unavailable, clientAddress: req.clientAddress)
                return Self.done(req, "Staff unavailable recorded", anchor: "absence")
            } catch let error as WorkforceError {
                forms.errors.append(FieldError(field: error.field, message: error.message))
            }
        }
        return try await Self.page(req, workforce, forms: forms)
    }

    @Sendable
    func recordDBS(req: Request) async throws -> Response {
        let workforce = try Self.workforce(req)
        let fields = try req.content.decode([String: String].self)
        var forms = Forms(dbs: fields)
        let applied = ChildrenController.parseDate((fields["applied_on"] ?? "").trimmingCharacters(in: .whitespaces))
        let issuedText = (fields["issued_on"] ?? "").trimmingCharacters(in: .whitespaces)
        let issued = issuedText.isEmpty ? nil : ChildrenController.parseDate(issuedText)
        let kind = DBSCheck.SettingKind(rawValue: fields["setting_kind"] ?? "")
        if applied == nil { forms.errors.append(FieldError(field: "applied_on", message: "Enter the date applied for, like 3/11/2026")) }
        if !issuedText.isEmpty && issued == nil { forms.errors.append(FieldError(field: "issued_on", message: "Enter the date issued, like 24/11/2026, or leave it empty")) }
        if kind == nil { forms.errors.append(FieldError(field: "setting_kind", message: "Choose the kind of home")) }
        if forms.errors.isEmpty, let applied, let kind {
            do {
                try await workforce.recordDBS(staffName: fields["staff_name"] ?? "", jobTitle: fields["job_title"] ?? "", settingName: fields["setting_name"] ?? "",
                                              settingKind: kind, applied: applied, issued: issued, clientAddress: req.clientAddress)
                return Self.done(req, "DBS check recorded", anchor: "dbs")
            } catch let error as WorkforceError {
                forms.errors.append(FieldError(field: error.field, message: error.message))
            }
        }
        return try await Self.page(req, workforce, forms: forms)
    }

    @Sendable
    func recordIssued(req: Request) async throws -> Response {
        let workforce = try Self.workforce(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        let fields = try req.content.decode([String: String].self)
        var forms = Forms()
        guard let issued = ChildrenController.parseDate((fields["issued_on"] ?? "").trimmingCharacters(in: .whitespaces)) else {
            forms.errors.append(FieldError(field: "issued-\(id.uuidString)", message: "Enter the date the certificate was issued, like 24/11/2026"))
            return try await Self.page(req, workforce, forms: forms)
        }
        do {
            try await workforce.recordIssued(id, on: issued, clientAddress: req.clientAddress)
            return Self.done(req, "Certificate recorded", anchor: "dbs")
        } catch let error as WorkforceError where error.message == "There is no such DBS check" {
            throw Abort(.notFound)
        } catch let error as WorkforceError {
            forms.errors.append(FieldError(field: "issued-\(id.uuidString)", message: error.message))
        }
        return try await Self.page(req, workforce, forms: forms)
    }
}
