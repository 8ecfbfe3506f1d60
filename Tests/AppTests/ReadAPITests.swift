import Foundation
import Testing
import Vapor
import SQLKit
import FluentKit
import VaporTesting
import TestSupport
import Store
import EyesOnCore
@testable import App

/// The reading API: a read token reads as its user, through the same access policy and audit as
/// the pages; the OpenAPI document describes exactly the routes the server has.
@Suite("Read API and its OpenAPI document")
struct ReadAPITests {
    static func get(_ app: Application, _ path: String, token: String?, method: HTTPMethod = .GET) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        return try await app.testing().sendRequest(method, path, headers: headers)
    }

    static func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any], "\(response.body.string)")
    }

    static func audits(_ app: Application, actor: String, action: AuditAction) async throws -> [String] {
        try await (app.db as! any SQLDatabase).raw("SELECT detail FROM audit_events WHERE actor = \(bind: actor) AND action = \(bind: action.rawValue) ORDER BY seq")
            .all().map { try $0.decode(column: "detail", as: String.self) }
    }

    @Test("a social worker's token reads the board, the list, a child (audited in their name), tasks and notices, as the policy lets them", arguments: Engine.available)
    func socialWorkerReads(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            let worker = logins.login(.socialWorker)
            let (token, made) = try await FeedTokens.addReader(email: worker.email, label: "case system", on: app.db)
            #expect(made.reads && made.userEmail == worker.email)
            let account = try #require(try await UserAccount.query(on: app.db).filter(\.$email == worker.email).with(\.$agency).first())
            let viewer = try #require(Accounts.viewer(for: account))
            let directory = ChildDirectory(db: app.db, viewer: viewer, today: app.serverClock.today, auditsReads: false)

            let board = try await Self.get(app, "/api/v1/board", token: token)
            #expect(board.status == .ok && board.headers.contentType == .json && board.headers.first(name: .cacheControl) == "no-store")
            let expected = try await EyesOn(directory: directory).board(BoardFilter())
            let rows = try #require(try Self.json(board)["children"] as? [[String: Any]])
            #expect(rows.compactMap { $0["childId"] as? String } == expected.rows.map(\.personID.uuidString), "the board the page shows, in its order")
            let listed = try Self.json(board)["listed"] as? Int
            #expect(listed == expected.listed && expected.listed > 0)
            #expect(try await Self.audits(app, actor: worker.email, action: .boardViewed).last?.hasSuffix("(through the API, token case system)") == true)

            let red = try await Self.get(app, "/api/v1/board?risk=red", token: token)
            #expect(try #require(try Self.json(red)["children"] as? [[String: Any]]).allSatisfy { $0["risk"] as? String == "red" })
            let bad = try await Self.get(app, "/api/v1/board?risk=purple", token: token)
            let badError = try Self.json(bad)["error"] as? String
            #expect(bad.status == .badRequest && badError?.contains("risk must be one of red, amber, green") == true)

            let list = try await Self.get(app, "/api/v1/list", token: token)
            let entries = try #require(try Self.json(list)["entries"] as? [[String: Any]])
            let agreed = try await AgreedList(directory: directory).entries([.agreed])
            #expect(list.status == .ok && entries.count == agreed.count && !entries.isEmpty)

            let childID = try #require(entries.first?["childId"] as? String)
            let readsBefore = try await Self.audits(app, actor: worker.email, action: .childRecordRead).count
            let child = try await Self.get(app, "/api/v1/children/\(childID)", token: token)
            #expect(child.status == .ok)
            let childUUID = try #require(UUID(uuidString: childID))
            let record = try #require(try await directory.record(id: childUUID))
            #expect(try Self.json(child)["familyName"] as? String == record.summary.familyName)
            #expect((try Self.json(child)["listEntries"] as? [[String: Any]])?.first?["childId"] as? String == childID)
            #expect(try await Self.audits(app, actor: worker.email, action: .childRecordRead).count == readsBefore + 1, "the read is audited in the user's name")
            #expect(try await Self.get(app, "/api/v1/children/\(UUID().uuidString)", token: token).status == .notFound)
            #expect(try await Self.get(app, "/api/v1/children/not-an-id", token: token).status == .notFound)

            #expect(try await Self.get(app, "/api/v1/tasks", token: token).status == .ok)
            let notices = try await Self.get(app, "/api/v1/notices?show=all", token: token)
            let noticeList = try #require(try Self.json(notices)["notices"] as? [Any])
            #expect(notices.status == .ok && !noticeList.isEmpty, "children's social care sees every notice")
        }
    }

    @Test("refused: no token, a session cookie instead, a push token, a revoked token, a disabled user, an analyst's token; a wrong method gets 405")
    func refusals() async throws {
        try await withDemoApp(.sqlite) { app, logins in
            let none = try await Self.get(app, "/api/v1/board", token: nil)
            #expect(none.status == .unauthorized && none.headers.first(name: .wwwAuthenticate) == "Bearer")
            #expect(try Self.json(none)["error"] as? String == "a valid API token is required (Authorization: Bearer TOKEN)")

            // Signed in with a cookie: the API still wants a token.
            let browser = Browser(app: app)
            let worker = logins.login(.socialWorker)
            _ = try await browser.signIn(email: worker.email, password: worker.password)
            #expect(try await browser.get("/board").status == .ok)
            #expect(try await browser.get("/api/v1/board").status == .unauthorized)

            let (push, _) = try await FeedTokens.add(agencyKey: "la-csc", feed: "cin", label: "case system", on: app.db)
            let pushing = try await Self.get(app, "/api/v1/list", token: push)
            let pushingError = try Self.json(pushing)["error"] as? String
            #expect(pushing.status == .forbidden && pushingError?.contains("cannot read") == true)

            let (reader, made) = try await FeedTokens.addReader(email: worker.email, label: "reporting", on: app.db)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: reader)
            headers.contentType = .plainText
            let readerPushes = try await app.testing().sendRequest(.POST, "/api/v1/feeds/cin", headers: headers, body: ByteBuffer(string: "x"))
            #expect(readerPushes.status == .forbidden && readerPushes.body.string.contains("cannot push"))

            #expect(try await Self.get(app, "/api/v1/board", token: reader).status == .ok)
            let trace = try await Self.get(app, "/api/v1/board", token: reader, method: .POST)
            #expect(trace.status == .methodNotAllowed && trace.headers.first(name: .allow) == "GET")
            #expect(try await Accounts.setDisabled(true, email: worker.email, actor: "test", on: app.db))
            #expect(try await Self.get(app, "/api/v1/board", token: reader).status == .forbidden, "the token stops with its user")
            #expect(try await Accounts.setDisabled(false, email: worker.email, actor: "test", on: app.db))
            #expect(try await APITokens.revoke(made.id, on: app.db))
            #expect(try await Self.get(app, "/api/v1/board", token: reader).status == .unauthorized)

            // The analyst sees counts, never names: the same refusals as on the pages.
            let (analyst, _) = try await FeedTokens.addReader(email: logins.login(.analyst).email, label: "dashboard", on: app.db)
            #expect(try await Self.get(app, "/api/v1/board", token: analyst).status == .forbidden)
            #expect(try await Self.get(app, "/api/v1/notices", token: analyst).status == .forbidden)
            let anyChild = try #require(try await (app.db as! any SQLDatabase).raw("SELECT id FROM people WHERE kind = 'child' LIMIT 1").first()?.decode(column: "id", as: UUID.self))
            #expect(try await Self.get(app, "/api/v1/children/\(anyChild.uuidString)", token: analyst).status == .notFound)
        }
    }

    @Test("the OpenAPI document parses and names exactly the server's /api/v1 routes and methods")
    func documentMatchesRoutes() async throws {
        try await withDemoApp(.sqlite) { app, _ in
            let response = try await Self.get(app, "/api/v1/openapi.json", token: nil)
            #expect(response.status == .ok)
            let document = try Self.json(response)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var described: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys { described.insert("\(method.uppercased()) \(path)") }
            }
            let served = Set(app.routes.all.filter { $0.path.first == .constant("api") }.map { route in
                "\(route.method.rawValue) /" + route.path.map { component in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
            })
            #expect(described == served)
            let feeds = (((paths["/api/v1/feeds/{feed}"]?["post"] as? [String: Any])?["parameters"] as? [[String: Any]])?.first?["schema"] as? [String: Any])?["enum"] as? [String]
            #expect(feeds == Feed.allCases.map(\.rawValue))
        }
    }
}
