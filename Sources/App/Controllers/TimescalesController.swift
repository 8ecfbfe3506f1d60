import Vapor
import EyesOnCore
import Store

/// Every statutory clock in force, with what is overdue and what is due.
struct TimescalesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("timescales", use: index)
    }

    /// How far back the page looks unless told (`?months=N`, 1 to 24).
    static let defaultMonths = 3

    @Sendable
    func index(req: Request) async throws -> HTML {
        let viewer = try req.requireViewer()
        guard AccessPolicy.worksAcrossTheArea(viewer) else { throw Abort(.forbidden) }
        let months = min(max(req.query[Int.self, at: "months"] ?? Self.defaultMonths, 1), 24)
        let since = req.today.adding(months: -months)
        // A report: from the standby when there is one (READ_DATABASE_URL).
        let reports = try await req.reportingRead { db in
            try await StatutoryClocks(directory: try req.childDirectory(on: db)).reports(since: since, clientAddress: req.clientAddress)
        }
        // ?team=NAME: one team's children; ?team=none: those no feed gives a team.
        let team = req.query[String.self, at: "team"].map { $0 == "none" ? TimescaleViews.Team.none : .named($0) }
        return TimescaleViews.index(context: req.pageContext, reports: reports, months: months, since: since, team: team)
    }
}
