import Foundation
import Testing
import Vapor
import VaporTesting
import FluentKit
import Fluent
import SQLKit
import EyesOnCore
import Store
import TestSupport
import NIOConcurrencyHelpers
@testable import App

@Suite("Health, readiness and metrics, end to end in memory")
struct OperationsTests {
    @Test("ready when the database answers and its schema is current; 503 naming a migration not applied", arguments: Engine.available)
    func readiness(engine: Engine) async throws {
        try await withDemoApp(engine) { app, _ in
            #expect(try await app.testing().sendRequest(.GET, "/health").status == .ok)
            let ready = try await app.testing().sendRequest(.GET, "/ready")
            #expect(ready.status == .ok)
            #expect(ready.body.string.contains("\"status\":\"ready\""))
            // A database one release behind: its newest migration not applied.
            let newest = try #require(AppMigrations.all.last?.name)
            try await (app.db as! any SQLDatabase).raw("DELETE FROM _fluent_migrations WHERE name = \(bind: newest)").run()
            let behind = try await app.testing().sendRequest(.GET, "/ready")
            #expect(behind.status == .serviceUnavailable)
            #expect(behind.body.string.contains("migrations pending") && behind.body.string.contains(newest))
        }
    }

    @Test("metrics: absent without a token, refused without the right one; with it, latency by route pattern (never a child's id) and the counts the database holds")
    func metrics() async throws {
        let token = "metrics-token-for-this-test-only-7Qx2"
        try await withDemoApp(.sqlite, options: { $0.metricsToken = token }) { app, logins in
            #expect(try await app.testing().sendRequest(.GET, "/metrics").status == .unauthorized)
            #expect(try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer not-the-token"]).status == .unauthorized)

            let sql = app.db as! any SQLDatabase
            let child = try #require(try await sql.raw("SELECT id FROM people WHERE kind = 'child' ORDER BY id LIMIT 1").first()?.decode(column: "id", as: UUID.self))
            let worker = Browser(app: app)
            _ = try await worker.signIn(email: logins.login(.socialWorker).email, password: logins.login(.socialWorker).password)
            let page = try await worker.get("/children/\(child.uuidString)")
            #expect(page.status == .ok)
            #expect(!(page.headers.first(name: .xRequestId) ?? "").isEmpty, "every response carries its request id")

            let scraped = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer \(token)"])
            #expect(scraped.status == .ok)
            #expect(scraped.headers.contentType?.subType == "plain")
            let body = scraped.body.string
            #expect(body.contains("eyeson_http_request_duration_seconds_count{method=\"GET\",route=\"/children/:id\",status=\"2xx\"} 1"))
            #expect(body.contains("eyeson_http_request_duration_seconds_bucket{method=\"GET\",route=\"/children/:id\",status=\"2xx\",le=\"+Inf\"} 1"))
            #expect(!body.lowercased().contains(child.uuidString.lowercased()), "no child's id in the metrics")

            // The counts, each worked out here from the rows themselves.
            let today = CivilDate.today()
            let tasks = try await sql.raw("SELECT state, due_date FROM tasks").all()
            var overdue = 0
            for task in tasks {
                let (state, due) = (try task.decode(column: "state", as: String.self), try task.decode(column: "due_date", as: String.self))
                if ["open", "escalated"].contains(state), let day = CivilDate(due), day < today { overdue += 1 }
            }
            #expect(body.contains("\neyeson_tasks_overdue \(overdue)\n"))
            let now = Date()
            let notices = try await sql.raw("SELECT acknowledged_at, due_at FROM encompass_notices").all()
            var late = 0
            for notice in notices where try notice.decode(column: "acknowledged_at", as: Date?.self) == nil {
                if try notice.decode(column: "due_at", as: Date.self) < now { late += 1 }
            }
            #expect(body.contains("\neyeson_encompass_notices_overdue \(late)\n"))
            var imports: [String: Int] = [:]
            for row in try await sql.raw("SELECT kind, status FROM import_runs").all() {
                imports["eyeson_imports{feed=\"\(try row.decode(column: "kind", as: String.self))\",outcome=\"\(try row.decode(column: "status", as: String.self))\"}", default: 0] += 1
            }
            #expect(!imports.isEmpty, "the demo loads its feeds through imports")
            for (series, count) in imports { #expect(body.contains("\(series) \(count)\n"), "\(series)") }
        }
        try await withDemoApp(.sqlite) { app, _ in
            let status = try await app.testing().sendRequest(.GET, "/metrics").status
            #expect(status == .notFound, "no token set: no metrics")
        }
    }

    @Test("JSON logs: one object per line, a hostile value kept inside its string, and each request's line carries its X-Request-Id, route pattern and status")
    func jsonLogs() async throws {
        let hostile = "<script>\"\n{\"level\":\"critical\"}\u{2028}\\"
        let at = Date(timeIntervalSince1970: 1_796_000_000.0429)   // 2026-11-30 00:53:20.042 UTC
        let line = JSONLogHandler.render(level: .warning, label: "eyeson", message: hostile,
                                         metadata: ["child": .string(hostile), "counts": .dictionary(["b": "2", "a": .array(["1", "x y"])])], at: at)
        #expect(!line.contains("\n") && !line.contains("\u{2028}"), "one line: \(line)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == hostile && object["child"] as? String == hostile)
        #expect(object["level"] as? String == "warning", "the hostile text did not forge the level")
        #expect(object["time"] as? String == "2026-11-30T00:53:20.042Z")
        #expect((object["counts"] as? [String: Any])?["a"] as? [String] == ["1", "x y"])

        let lines = NIOLockedValueBox<[String]>([])
        try await withDemoApp(.sqlite) { app, _ in
            app.logger = Logger(label: "test") { label in JSONLogHandler(label: label, level: .info) { line in lines.withLockedValue { $0.append(line) } } }
            let child = UUID()
            let response = try await app.testing().sendRequest(.GET, "/children/\(child.uuidString)?q=Ada%20Lovelace")
            let id = try #require(response.headers.first(name: .xRequestId))
            let logged = try lines.withLockedValue { $0 }.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            let mine = try #require(logged.first { $0["request-id"] as? String == id && $0["message"] as? String == "request" }, "\(logged)")
            #expect(mine["route"] as? String == "/children/:id" && mine["method"] as? String == "GET")
            #expect(mine["status"] as? String == String(response.status.code))
            #expect(!lines.withLockedValue { $0 }.joined().contains(child.uuidString) && !lines.withLockedValue { $0 }.joined().contains("Lovelace"),
                    "neither the child's id nor the query is logged")
        }
    }
}

@Suite("Expired sessions are removed by the daily sweep")
struct SessionCleanupTests {
    static func sessions(_ app: Application) async throws -> Int { try await SessionRecord.query(on: app.db).count() }

    @Test("a signed-in session stays until its limit; past it, and a visit that never signed in, it goes", arguments: Engine.available)
    func removesExpired(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            let worker = Browser(app: app)
            _ = try await worker.signIn(email: logins.login(.socialWorker).email, password: logins.login(.socialWorker).password)
            let visitor = Browser(app: app)
            _ = try await visitor.get("/sign-in")     // a form token only
            #expect(try await Self.sessions(app) == 2)

            #expect(try await SessionCleanup.deleteExpired(on: app.db) == 1, "the visit that never signed in goes")
            #expect(try await worker.get("/tasks").status == .ok, "the signed-in session stays")

            // Forty minutes on, idle past its 30 minutes: it goes, and the user is asked to sign in.
            #expect(try await SessionCleanup.deleteExpired(on: app.db, now: Date().addingTimeInterval(40 * 60)) == 1)
            #expect(try await Self.sessions(app) == 0)
            let after = try await worker.get("/tasks")
            #expect(after.status == .seeOther && after.headers.first(name: .location) == "/sign-in")
        }
    }
}
