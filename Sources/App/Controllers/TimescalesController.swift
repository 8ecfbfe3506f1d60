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
        let directory = try req.childDirectory()
        let months = min(max(req.query[Int.self, at: "months"] ?? Self.defaultMonths, 1), 24)
        let since = directory.today.adding(months: -months)
        let reports = try await StatutoryClocks(directory: directory).reports(since: since)
        // ?team=NAME: one team's children; ?team=none: those no feed gives a team.
        let team = req.query[String.self, at: "team"].map { $0 == "none" ? TimescaleViews.Team.none : .named($0) }
        return TimescaleViews.index(context: req.pageContext, reports: reports, months: months, since: since, team: team)
    }
}
