import Vapor
import EyesOnCore
import Store

/// Placement sufficiency: the homes' places (a snapshot a week), children placed out of the area,
/// and the unaccompanied asylum-seeking children who arrived (a count a month).
struct PlacementsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("placements", use: index)
        routes.post("placements", "capacity", use: recordCapacity)
        routes.post("placements", "arrivals", use: recordArrivals)
    }

    static func placements(_ req: Request) throws -> Placements {
        guard let placements = try? Placements(db: req.db, viewer: try req.requireViewer(), today: req.today) else { throw Abort(.forbidden) }
        return placements
    }

    static func page(_ req: Request, _ p: Placements, fields: [String: String], errors: [FieldError]) async throws -> Response {
        let html = WorkforceViews.placements(context: req.formPageContext, capacity: try await p.capacity(), outOfArea: try await p.outOfArea(),
                                             arrivals: try await p.arrivals(), today: p.today, fields: fields, errors: errors,
                                             message: req.query[String.self, at: "done"])
        return HTML.response(html, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable
    func index(req: Request) async throws -> Response {
        let p = try Self.placements(req)
        return try await Self.page(req, p, fields: ["capacity_week": p.today.description, "month": String(format: "%04d-%02d", p.today.year, p.today.month)], errors: [])
    }

    static func number(_ fields: [String: String], _ key: String, _ message: String, _ errors: inout [FieldError]) -> Int? {
        guard let n = Int((fields[key] ?? "").trimmingCharacters(in: .whitespaces)) else {
            errors.append(FieldError(field: key, message: message))
            return nil
        }
        return n
    }

    @Sendable
    func recordCapacity(req: Request) async throws -> Response {
        let p = try Self.placements(req)
        let fields = try req.content.decode([String: String].self)
        var errors: [FieldError] = []
        let week = ChildrenController.parseDate((fields["capacity_week"] ?? "").trimmingCharacters(in: .whitespaces))
        if week == nil { errors.append(FieldError(field: "capacity_week", message: "Enter a day in the week, like 30/11/2026")) }
        let kind = DBSCheck.SettingKind(rawValue: fields["kind"] ?? "")
        if kind == nil { errors.append(FieldError(field: "kind", message: "Choose the kind of home")) }
        let places = Self.number(fields, "places", "Enter the home's places as a whole number", &errors)
        let occupied = Self.number(fields, "occupied", "Enter the places occupied as a whole number", &errors)
        if errors.isEmpty, let week, let kind, let places, let occupied {
            do {
                try await p.recordCapacity(week: week, home: fields["home"] ?? "", kind: kind, places: places, occupied: occupied, clientAddress: req.clientAddress)
                return WorkforceController.done(req, "Places recorded", path: "/placements", anchor: "capacity")
            } catch let error as WorkforceError {
                errors.append(FieldError(field: error.field, message: error.message))
            }
        }
        return try await Self.page(req, p, fields: fields, errors: errors)
    }

    @Sendable
    func recordArrivals(req: Request) async throws -> Response {
        let p = try Self.placements(req)
        let fields = try req.content.decode([String: String].self)
        var errors: [FieldError] = []
        let month = CivilDate((fields["month"] ?? "").trimmingCharacters(in: .whitespaces) + "-01")
        if month == nil { errors.append(FieldError(field: "month", message: "Enter the month like 2026-11")) }
        let arrived = Self.number(fields, "arrived", "Enter the children who arrived as a whole number", &errors)
        let transferred = Self.number(fields, "transferred_in", "Enter those transferred in as a whole number (0 if none)", &errors)
        if errors.isEmpty, let month, let arrived, let transferred {
            do {
                try await p.recordArrivals(month: month, arrived: arrived, transferredIn: transferred, clientAddress: req.clientAddress)
                return WorkforceController.done(req, "Arrivals recorded", path: "/placements", anchor: "arrivals")
            } catch let error as WorkforceError {
                errors.append(FieldError(field: error.field, message: error.message))
            }
        }
        return try await Self.page(req, p, fields: fields, errors: errors)
    }
}
