import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import Vapor
import SQLKit
import FluentKit
import VaporTesting
import TestSupport
import Store
import Synthetic
import EyesOnCore
@testable import App

/// The push API over real HTTP (the app listening on a port): an agency system sends its file
/// with its token.
@Suite("Feed push API")
struct FeedAPITests {
    /// A port nothing listens on (the kernel's choice), for the app to listen on: one per test
    /// case, since the engines' cases run at the same time.
    /// A POST over a real socket to the app's own server, started for it on a port the system
    /// picks (no race for a "free" port with the tests running beside it) and stopped after. With
    /// no time limit of its own: VaporTesting's `.running` gives up after 30 s, and under the
    /// load of the whole test run a push can take longer; a test must not depend on the machine's speed.
    static func post(_ app: Application, _ path: String, headers: HTTPHeaders, body: ByteBuffer) async throws -> ClientResponse {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            let port = try #require(app.http.server.shared.localAddress?.port)
            let response = try await app.client.post(URI(string: "http://127.0.0.1:\(port)\(path)"), headers: headers) { $0.body = body }
            await app.server.shutdown()
            return response
        } catch {
            await app.server.shutdown()
            throw error
        }
    }

    static func push(_ app: Application, feed: String, body: String, token: String?) async throws -> ClientResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        headers.contentType = HTTPMediaType(type: "application", subType: "xml")
        return try await post(app, "/api/v1/feeds/\(feed)?name=pushed.xml", headers: headers, body: ByteBuffer(string: body))
    }

    @Test("a CIN census pushed with the agency's token imports; a bad token, another feed's token and a cut file are refused", arguments: Engine.available)
    func pushCIN(engine: Engine) async throws {
        try await withDemoApp(engine) { app, _ in
            // The demo's own census (same area), which the demo already imported: nothing changes.
            let area = SyntheticArea.generate(AreaConfiguration(children: 1_000, seed: 3, asOf: .today(), attendanceSchoolDays: DemoArea.defaultAttendanceDays))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-api-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let census = try String(contentsOf: folder.appendingPathComponent(try area.writeCINCensusExtract(to: folder).name), encoding: .utf8)
            let children = census.components(separatedBy: "<Child>").count - 1
            let (token, made) = try await FeedTokens.add(agencyKey: "la-csc", feed: "cin", label: "case system", on: app.db)
            #expect(token.hasPrefix("eyeson_") && token.count > 40)
            let stored = try await (app.db as! any SQLDatabase).raw("SELECT token_hash FROM api_tokens").all().map { try $0.decode(column: "token_hash", as: String.self) }
            #expect(stored == [FeedTokens.hash(token)] && !stored.contains(token), "only the hash is kept")
            #expect(try await APITokens.all(on: app.db).first?.lastUsedAt == nil, "never used yet")

            let ok = try await Self.push(app, feed: "cin", body: census, token: token)
            #expect(ok.status == .ok)
            let outcome = try ok.content.decode(ImportsController.Outcome.self)
            #expect(try await APITokens.all(on: app.db).first?.lastUsedAt != nil, "its use is shown")
            #expect(outcome.unchanged == children && outcome.accepted == 0 && outcome.quarantined == 0)
            let run = try #require(try await ImportRun.find(outcome.runID, on: app.db))
            #expect(run.sourceName == "pushed.xml" && run.$agency.id == made.agencyID && run.status == "completed")

            let cut = try await Self.push(app, feed: "cin", body: String(census.prefix(census.count / 2)), token: token)
            #expect(cut.status == .unprocessableEntity)
            let refusal = try cut.content.decode(API.Problem.self)
            #expect(refusal.line != nil && refusal.error.contains("nothing was imported"))

            #expect(try await Self.push(app, feed: "cin", body: census, token: nil).status == .unauthorized)
            #expect(try await Self.push(app, feed: "cin", body: census, token: token + "x").status == .unauthorized)
            #expect(try await Self.push(app, feed: "attendance", body: census, token: token).status == .forbidden)
            #expect(try await APITokens.revoke(made.id, on: app.db))
            #expect(try await Self.push(app, feed: "cin", body: census, token: token).status == .unauthorized, "a revoked token stops working")
        }
    }

    /// A multipart/form-data body with each file as a `file[]` part.
    static func multipart(_ files: [(name: String, text: String)], boundary: String) -> String {
        files.map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"file[]\"; filename=\"\($0.name)\"\r\nContent-Type: text/csv\r\n\r\n\($0.text)\r\n" }
            .joined() + "--\(boundary)--\r\n"
    }

    @Test("four systems pushing at once all get their answer: each import waits its turn for the database (SQLite refused the later ones with a 500 before)", arguments: Engine.available)
    func concurrentPushes(engine: Engine) async throws {
        try await withDemoApp(engine) { app, _ in
            // The demo's own attendance (same area), which the demo already imported: every mark unchanged.
            let area = SyntheticArea.generate(AreaConfiguration(children: 1_000, seed: 3, asOf: .today(), attendanceSchoolDays: DemoArea.defaultAttendanceDays))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-api-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let marks = try String(contentsOf: folder.appendingPathComponent(try area.writeAttendanceExtract(to: folder).name), encoding: .utf8)
            let rows = marks.utf8.filter { $0 == UInt8(ascii: "\n") }.count - 1   // CRLF lines: count the line feeds
            let (token, _) = try await FeedTokens.add(agencyKey: "la-education", feed: "attendance", label: "MIS", on: app.db)
            let sql = app.db as! any SQLDatabase
            let count = { try await sql.raw("SELECT COUNT(*) AS n FROM attendance_marks").first()!.decode(column: "n", as: Int.self) }
            let before = try await count()
            // A real server and four real clients at once (the testing client starts a server per request).
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            let sent = headers
            let answers: [(HTTPStatus, String)]
            do {
                answers = try await withThrowingTaskGroup(of: (HTTPStatus, String).self) { group in
                    for k in 0..<4 {
                        group.addTask {
                            let response = try await app.client.post(URI(string: "http://127.0.0.1:\(port)/api/v1/feeds/attendance?name=mis-\(k).csv"), headers: sent) {
                                $0.body = ByteBuffer(string: marks)
                            }
                            return (response.status, response.body.map { String(buffer: $0) } ?? "")
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
            #expect(answers.allSatisfy { $0.0 == .ok }, "\(answers.map { "\($0.0.code) \($0.1.prefix(200))" })")
            let unchanged = answers.map { (try? JSONSerialization.jsonObject(with: Data($0.1.utf8)) as? [String: Any])?["unchanged"] as? Int }
            #expect(unchanged == Array(repeating: rows, count: 4), "every mark already there, four times over (\(rows) rows)")
            #expect(try await count() == before && before > 10_000)
        }
    }

    @Test("the SSDA903 tables pushed together as multipart import; a part that is not one of the tables is refused", arguments: Engine.available)
    func pushSSDA903(engine: Engine) async throws {
        try await withDemoApp(engine) { app, _ in
            let area = SyntheticArea.generate(AreaConfiguration(children: 1_000, seed: 3, asOf: .today(), attendanceSchoolDays: DemoArea.defaultAttendanceDays))
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-api-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: root) }
            let folder = try area.writeSSDA903Extract(to: root)
            let files = try ["header.csv", "episodes.csv", "missing.csv", "reviews.csv", "oc3.csv"].map {
                (name: $0.uppercased(), text: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8))
            }
            let children = files[0].text.split(whereSeparator: \.isNewline).count - 1
            let (token, _) = try await FeedTokens.add(agencyKey: "la-csc", feed: "ssda903", label: "case system", on: app.db)
            func send(_ body: String, boundary: String) async throws -> ClientResponse {
                var headers = HTTPHeaders()
                headers.bearerAuthorization = BearerAuthorization(token: token)
                headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                return try await Self.post(app, "/api/v1/feeds/ssda903?name=return.zip", headers: headers, body: ByteBuffer(string: body))
            }
            // The demo imported the same area's return: every child is unchanged.
            let ok = try await send(Self.multipart(files, boundary: "b0undary"), boundary: "b0undary")
            #expect(ok.status == .ok)
            let outcome = try ok.content.decode(ImportsController.Outcome.self)
            #expect(outcome.unchanged == children && children > 5 && outcome.quarantined == 0 && outcome.feed == "ssda903")

            // Without header.csv the return cannot be read, and the answer names what is missing.
            let noHeader = try await send(Self.multipart(Array(files.dropFirst()), boundary: "b0undary"), boundary: "b0undary")
            #expect(noHeader.status == .unprocessableEntity)
            #expect(try noHeader.content.decode(API.Problem.self).error.contains("header.csv"))
            let stray = try await send(Self.multipart(files + [(name: "../notes.txt", text: "hello")], boundary: "b0undary"), boundary: "b0undary")
            #expect(stray.status == .unprocessableEntity)
            #expect(try stray.content.decode(API.Problem.self).error.contains("not one of the return's CSV tables"))
        }
    }

    @Test("a youth justice caseload pushed with its column mapping imports and keeps the mapping; a bad mapping is refused", arguments: Engine.available)
    func pushPeople(engine: Engine) async throws {
        try await withDemoApp(engine) { app, _ in
            let yos = try #require(try await Agency.query(on: app.db).filter(\.$kindRaw == AgencyKind.youthJustice.rawValue).first())
            let (token, _) = try await FeedTokens.add(agencyKey: yos.key, feed: "people", label: "case system", on: app.db)
            let body = "Ref,Forename,Surname,Born\nYJ77,Nobody,Knownhere,01/02/2012\nYJ78,,Knownhere,01/02/2012\n"
            func send(_ query: String) async throws -> ClientResponse {
                var headers = HTTPHeaders()
                headers.bearerAuthorization = BearerAuthorization(token: token)
                headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                return try await Self.post(app, "/api/v1/feeds/people?name=yos.csv&\(query)", headers: headers, body: ByteBuffer(string: body))
            }
            let ok = try await send("map=id%3DRef%2Cfirst_name%3DForename%2Csurname%3DSurname%2Cdob%3DBorn")
            #expect(ok.status == .ok)
            let outcome = try ok.content.decode(ImportsController.Outcome.self)
            #expect(outcome.accepted == 1 && outcome.quarantined == 1 && outcome.problems.first?.field == "Forename")
            #expect(try await PartnershipSettings.peopleColumns(on: app.db)[yos.key]?.column(.dob) == "Born")
            let again = try await send("")
            #expect(try again.content.decode(ImportsController.Outcome.self).unchanged == 1, "the kept mapping reads the next file")
            let bad = try await send("map=birthday%3DBorn")
            #expect(bad.status == .unprocessableEntity)
            #expect(try bad.content.decode(API.Problem.self).field == "map")
        }
    }
}
