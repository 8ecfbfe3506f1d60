import Vapor
import EyesOnCore
import Store

/// The front door's timescales: referral decisions and assessments against their clocks.
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
        let directory = ChildDirectory(db: req.db, viewer: viewer)
        let months = min(max(req.query[Int.self, at: "months"] ?? Self.defaultMonths, 1), 24)
        let since = directory.today.adding(months: -months)
        let reports = try await FrontDoorTimescales(directory: directory).reports(since: since)
        return TimescaleViews.index(context: req.pageContext, reports: reports, months: months, since: since)
    }
}
