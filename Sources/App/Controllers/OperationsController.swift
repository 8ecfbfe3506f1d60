import Vapor
import Fluent
import Store

/// For the people who run EyesOn, not its users: `/health` (the process answers), `/ready` (the
/// database answers and its schema is current: send traffic), and `/metrics` (Prometheus: request
/// latency by route, imports by feed and outcome, overdue tasks and notices), which answers only
/// the metrics token (`EYESON_METRICS_TOKEN`) and is not there at all without one.
struct OperationsController: RouteCollection {
    let metricsToken: String?

    func boot(routes: any RoutesBuilder) throws {
        routes.get("health") { _ in ["status": "ok"] }
        routes.get("ready", use: ready)
        routes.get("metrics", use: metrics)
    }

    struct Readiness: Content {
        var status: String
        var database: String
        var pendingMigrations: [String]?
        /// With READ_DATABASE_URL: how the standby is. It never makes the server unready: without
        /// it, the reports read from the primary.
        var standby: String?
    }

    /// 200 when the database answers, takes writes and every migration is applied; 503 saying
    /// which is not.
    @Sendable
    func ready(req: Request) async throws -> Response {
        let engine = req.application.serverOptions?.location.isPostgres == true ? "postgresql" : "sqlite"
        var readiness: Readiness
        var status: HTTPResponseStatus
        if let pending = await Operations.pendingMigrations(AppMigrations.all.map(\.name), on: req.db) {
            readiness = Readiness(status: pending.isEmpty ? "ready" : "migrations pending", database: engine, pendingMigrations: pending.isEmpty ? nil : pending)
            status = pending.isEmpty ? .ok : .serviceUnavailable
            var sqlitePath: String?
            if case .sqlite(let path) = req.application.serverOptions?.location { sqlitePath = path }
            if pending.isEmpty, let reason = await Operations.readOnlyReason(on: req.db, sqlitePath: sqlitePath) {
                readiness = Readiness(status: "database read-only: \(reason)", database: engine)
                status = .serviceUnavailable
            }
        } else {
            readiness = Readiness(status: "database unavailable", database: engine)
            status = .serviceUnavailable
        }
        if let monitor = req.application.standbyMonitor {
            readiness.standby = await monitor.current(primary: req.db, standby: req.db(.eyesonStandby)).description
        }
        return try API.json(readiness, status)
    }

    @Sendable
    func metrics(req: Request) async throws -> Response {
        guard let metricsToken, !metricsToken.isEmpty else { throw Abort(.notFound) }
        guard let given = req.headers.bearerAuthorization?.token, ConstantTime.equal(given, metricsToken) else {
            throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer"])
        }
        var lines = [req.application.requestMetrics?.render() ?? ""]
        func gauge(_ name: String, _ help: String, _ value: Int) {
            lines += ["# HELP \(name) \(help)", "# TYPE \(name) gauge", "\(name) \(value)"]
        }
        lines += ["# HELP eyeson_imports Imports by feed and outcome, since the database began.", "# TYPE eyeson_imports gauge"]
        for (feed, outcome, count) in try await Operations.imports(on: req.db) {
            lines.append("eyeson_imports{feed=\"\(Metrics.escape(feed))\",outcome=\"\(Metrics.escape(outcome))\"} \(count)")
        }
        gauge("eyeson_tasks_overdue", "Eyes-on tasks open or escalated past their due day.", try await Operations.tasksOverdue(today: req.today, on: req.db))
        gauge("eyeson_encompass_notices_overdue", "Operation Encompass notices not acknowledged by the time they were due.",
              try await Operations.noticesOverdue(now: Date(), on: req.db))
        gauge("eyeson_audit_entries", "Entries in the audit trail's hash chain.", try await Operations.auditEntries(on: req.db))
        let kept = req.application.pageCache.counts
        lines += ["# HELP eyeson_page_cache_requests_total Requests for a kept page (the \"not seen\" board), by outcome: served kept, built for the first time, built again after a change.",
                  "# TYPE eyeson_page_cache_requests_total counter",
                  "eyeson_page_cache_requests_total{outcome=\"kept\"} \(kept.hits)",
                  "eyeson_page_cache_requests_total{outcome=\"new\"} \(kept.misses)",
                  "eyeson_page_cache_requests_total{outcome=\"changed\"} \(kept.changed)"]
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: lines.joined(separator: "\n") + "\n"))
    }
}
