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

@Suite("Statutory clock pages, end to end in memory")
struct StatutoryClockPagesTests {
    @Test("serious incidents, meetings and visits: only children's social care's area-wide roles reach them; what they type renders inert", arguments: Engine.available)
    func accessAndHostileInput(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            let child = try #require(try await Person.query(on: app.db).filter(\.$kindRaw == "child").filter(\.$dateOfBirthText < "2024-01-01").first()?.id)
            let worker = Browser(app: app)
            _ = try await worker.signIn(email: logins.login(.socialWorker).email, password: logins.login(.socialWorker).password)
            let form = try await worker.get("/children/\(child.uuidString)/serious-incidents/new")
            #expect(form.status == .ok)
            let today = CivilDate.today()
            let created = try await worker.post("/children/\(child.uuidString)/serious-incidents", form: [
                "aware_date": today.description, "harm": "serious-harm", "abuse": "suspected", "under_one": "no", "looked_after": "no",
                "factors[]": "other", "factors_detail": "<script>alert(1)</script>"])
            #expect(created.status == .seeOther)
            let incident = try #require(created.headers.first(name: .location)?.split(separator: "?").first.map(String.init))
            let page = try await worker.get(incident)
            #expect(page.status == .ok)
            #expect(!page.body.string.contains("<script>alert(1)</script>") && page.body.string.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let json = try await worker.get(incident + "/notification.json")
            #expect(json.status == .ok && json.headers.contentType == .json)
            #expect(json.headers.first(name: .contentDisposition)?.contains("attachment") == true)

            func meetings() async throws -> Int {
                try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM protection_conferences").first()!.decode(column: "n", as: Int.self)
            }
            let before = try await meetings()
            for role in Role.allCases where ![.socialWorker, .frontDoor].contains(role) {
                let other = Browser(app: app)
                _ = try await other.signIn(email: logins.login(role).email, password: logins.login(role).password)
                _ = try await other.get("/")
                for path in ["/serious-incidents", incident, incident + "/notification.json", "/children/\(child.uuidString)/serious-incidents/new",
                             "/children/\(child.uuidString)/conferences/new", "/children/\(child.uuidString)/visits/new"] {
                    #expect(try await other.get(path).status == .notFound, "\(role) \(path)")
                }
                let posted = try await other.post("/children/\(child.uuidString)/conferences", form: ["kind": "strategy-discussion", "date": today.description])
                #expect(posted.status == .notFound, "\(role) posting a meeting")
                #expect(try await other.get("/").body.string.contains("href=\"/serious-incidents\"") == false, "\(role) sees the link")
            }
            #expect(try await meetings() == before, "no refused post recorded anything")
        }
    }
}
