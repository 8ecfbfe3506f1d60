import Foundation
import Testing
import Vapor
import VaporTesting
import FluentKit
import SQLKit
import EyesOnCore
import Store
import TestSupport
@testable import App

/// READ_DATABASE_URL: the reporting reads (home page figures, the timescales report) go to a real
/// streaming standby that scripts/test starts beside the primary (scripts/start-postgres
/// --standby, which exports EYESON_PG_STANDBY_PORT); they come back to the primary while the
/// standby is too far behind or gone, and no page fails for it.
@Suite("Reads from a PostgreSQL standby")
struct StandbyTests {
    /// The standby's port, when scripts/test started one.
    static let standbyPort: Int? = ProcessInfo.processInfo.environment["EYESON_PG_STANDBY_PORT"].flatMap(Int.init)

    /// `location`'s database on the server at `port`.
    static func url(_ location: DatabaseLocation, port: Int) -> DatabaseLocation {
        guard case .postgres(let url) = location, var parts = URLComponents(string: url) else { return location }
        parts.port = port
        return .postgres(url: parts.string!)
    }

    static func ready(_ app: Application) async throws -> String {
        let response = try await Browser(app: app).get("/ready")
        #expect(response.status == .ok)
        struct Ready: Decodable { let standby: String? }
        return try JSONDecoder().decode(Ready.self, from: Data(response.body.readableBytesView)).standby ?? "(none)"
    }

    /// Polls `/ready` until the standby's state starts with `prefix` (the standby is a real
    /// server replaying the primary's log, under the load of every other test: it gets there when
    /// it gets there), at most two minutes.
    static func waitFor(_ app: Application, _ prefix: String) async throws {
        var last = ""
        for _ in 0..<480 {
            last = try await ready(app)
            if last.hasPrefix(prefix) { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("the standby never became \"\(prefix)…\"; last: \(last)")
    }

    /// `path` read while the standby is in use. The other tests write to the same cluster all the
    /// while (a scratch database's creation is a burst of log to replay), so the standby can slip
    /// past the lag allowed between `/ready`'s answer and the page's read; the page then rightly
    /// reads the primary, and the read is tried again, at most 20 times.
    static func getFromStandby(_ app: Application, _ browser: Browser, _ path: String) async throws -> TestingHTTPResponse {
        var page: TestingHTTPResponse?
        for _ in 0..<20 {
            try await waitFor(app, "in use")
            page = try await browser.get(path)
            if page?.headers.first(name: "X-EyesOn-Read-From") == "standby" { break }
        }
        return page!
    }

    @Test("reports read from the standby, from the primary while it lags, and from the standby again once it catches up",
          .enabled(if: standbyPort != nil && Engine.available.contains(.postgres)))
    func readsFollowTheLag() async throws {
        let port = try #require(Self.standbyPort)
        try await withDemoApp(.postgres, options: { $0.standby = StandbyTests.url($0.location, port: port); $0.maxStandbyLag = 2 }) { app, logins in
            let standby = try #require(app.serverOptions?.standby)
            let admin = try EyesOnStore(location: standby)
            defer { Task { await admin.shutdown() } }
            try await Self.waitFor(app, "in use")
            // The standby itself would not do as DATABASE_URL: /ready's check says why.
            let reason = await Operations.readOnlyReason(on: admin.db)
            #expect(reason?.contains("standby") == true, "\(String(describing: reason))")
            #expect(await Operations.readOnlyReason(on: app.db) == nil)

            let worker = Browser(app: app)
            _ = try await worker.signIn(email: logins.login(.socialWorker).email, password: logins.login(.socialWorker).password)
            for path in ["/", "/timescales"] {
                let page = try await Self.getFromStandby(app, worker, path)
                #expect(page.status == .ok && page.headers.first(name: "X-EyesOn-Read-From") == "standby", "\(path)")
            }
            // The report's view is audited all the same, on the primary (the standby is read-only).
            let audited = try await AuditEvent.query(on: app.db).filter(\.$actor == logins.login(.socialWorker).email).all()
            #expect(audited.contains { $0.detail.hasPrefix("viewed the statutory clocks since") })
            let child = try await worker.get("/children")
            #expect(child.headers.first(name: "X-EyesOn-Read-From") == nil, "a page that is not a report reads the primary, and says nothing")

            // The standby stops replaying; a change on the primary leaves it behind.
            _ = try await admin.sql.raw("SELECT pg_wal_replay_pause()").all()
            try await ImportRun(agencyID: nil, kind: "people", sourceName: "written-while-the-standby-waits.csv", status: "completed",
                                accepted: 1, updated: 0, quarantined: 0, startedAt: Date(), finishedAt: Date()).create(on: app.db)
            try await Self.waitFor(app, "not in use")
            let behind = try await worker.get("/")
            #expect(behind.headers.first(name: "X-EyesOn-Read-From") == "primary")
            #expect(behind.body.string.contains("written-while-the-standby-waits.csv"), "read from the primary, the page has the change")

            _ = try await admin.sql.raw("SELECT pg_wal_replay_resume()").all()
            let caughtUp = try await Self.getFromStandby(app, worker, "/")
            #expect(caughtUp.headers.first(name: "X-EyesOn-Read-From") == "standby")
            #expect(caughtUp.body.string.contains("written-while-the-standby-waits.csv"), "the standby has replayed the change")
        }
    }

    @Test("a standby that is not there sends the reports to the primary; /ready says so and stays ready",
          .enabled(if: Engine.available.contains(.postgres)))
    func missingStandby() async throws {
        let port = 1   // tcpmux: nothing listens there on a test machine
        try await withDemoApp(.postgres, options: { $0.standby = StandbyTests.url($0.location, port: port) }) { app, logins in
            let worker = Browser(app: app)
            _ = try await worker.signIn(email: logins.login(.socialWorker).email, password: logins.login(.socialWorker).password)
            for path in ["/", "/timescales"] {
                let page = try await worker.get(path)
                #expect(page.status == .ok && page.headers.first(name: "X-EyesOn-Read-From") == "primary", "\(path)")
            }
            let state = try await Self.ready(app)
            #expect(state.hasPrefix("not in use") && state.contains("refused"), "\(state)")
        }
    }

    @Test("READ_DATABASE_URL needs PostgreSQL, a postgres:// URL, and a sensible READ_DATABASE_MAX_LAG")
    func configuration() throws {
        let sqlite = DatabaseLocation.sqlite(path: "x.sqlite")
        let primary = DatabaseLocation.postgres(url: "postgres://u@127.0.0.1:5432/eyeson")
        #expect(try DatabaseLocation.resolveStandby(primary: primary, environment: [:]) == nil)
        #expect(try DatabaseLocation.resolveStandby(primary: primary, environment: ["READ_DATABASE_URL": "postgres://u@10.0.0.2/eyeson"])
                == .postgres(url: "postgres://u@10.0.0.2/eyeson"))
        let onSQLite = #expect(throws: DatabaseLocationError.self) {
            try DatabaseLocation.resolveStandby(primary: sqlite, environment: ["READ_DATABASE_URL": "postgres://u@10.0.0.2/eyeson"])
        }
        #expect(onSQLite?.message.contains("SQLite") == true)
        let notPostgres = #expect(throws: DatabaseLocationError.self) {
            try DatabaseLocation.resolveStandby(primary: primary, environment: ["READ_DATABASE_URL": "mysql://u@10.0.0.2/eyeson"])
        }
        #expect(notPostgres?.message.hasPrefix("READ_DATABASE_URL is not a postgres:// URL") == true)
        #expect(try ServerOptions.maxStandbyLagFromEnvironment([:]) == 10)
        #expect(try ServerOptions.maxStandbyLagFromEnvironment(["READ_DATABASE_MAX_LAG": "2.5"]) == 2.5)
        for bad in ["-1", "soon", "inf"] {
            #expect(throws: DatabaseLocationError.self, "\(bad)") { try ServerOptions.maxStandbyLagFromEnvironment(["READ_DATABASE_MAX_LAG": bad]) }
        }
    }
}
