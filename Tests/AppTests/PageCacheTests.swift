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

/// The "not seen" board kept between requests (PageCache): served again only while nothing it
/// shows has changed, never across users, every view audited.
@Suite("Kept pages")
struct PageCacheTests {
    static func children(on board: String) -> [UUID] {
        board.components(separatedBy: "<a href=\"/children/").dropFirst().compactMap { UUID(uuidString: String($0.prefix(36))) }
    }

    /// A browser signed in as the demo login (the sign-in answered with its redirect home).
    static func signedIn(_ app: Application, _ login: DemoLogin) async throws -> Browser {
        let browser = Browser(app: app)
        #expect(try await browser.signIn(email: login.email, password: login.password).status == .seeOther)
        return browser
    }

    static func boardViews(_ app: Application, actor: String) async throws -> Int {
        try await AuditEvent.query(on: app.db).filter(\.$action == AuditAction.boardViewed.rawValue).filter(\.$actor == actor).count()
    }

    @Test("the board is served again while unchanged, and shows a change from the server or from outside it on the next view", arguments: Engine.available)
    func keptUntilChanged(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            let worker = logins.login(.socialWorker)
            let browser = try await Self.signedIn(app, worker)
            let first = try await browser.get("/board")
            #expect(first.status == .ok)
            let page = first.body.string
            let shown = Self.children(on: page)
            try #require(!shown.isEmpty, "the demo board has a child not seen")
            let second = try await browser.get("/board")
            #expect(second.body.string == page)
            #expect(app.pageCache.counts.hits == 1)
            #expect(app.pageCache.counts.misses == 1)
            // Each view is audited, kept or not.
            #expect(try await Self.boardViews(app, actor: worker.email) == 2)

            // A change made outside the server (an import run by cron, another server): the
            // child's new name is on the next view.
            try await (app.db as! any SQLDatabase).raw("UPDATE people SET given_name = 'Zebedee' WHERE id = \(bind: shown[0])").run()
            let renamed = try await browser.get("/board").body.string
            #expect(renamed.contains(">Zebedee "))
            #expect(app.pageCache.counts.changed == 1)

            // A contact recorded through the server: the child seen leaves the board at once.
            let today = app.serverClock.today
            let form = try await browser.get("/children/\(shown[0].uuidString)/contact")
            #expect(form.status == .ok)
            let recorded = try await browser.post("/children/\(shown[0].uuidString)/contact", form: [
                "date": "\(today.day)/\(today.month)/\(today.year)", "type": ContactType.homeVisit.rawValue, "child_seen": "yes",
                "seen_alone": "yes", "location": "At home", "outcome": "Seen and well",
            ])
            #expect(recorded.status == .seeOther)
            let after = try await browser.get("/board").body.string
            #expect(!Self.children(on: after).contains(shown[0]))
            #expect(Set(Self.children(on: after)) == Set(shown.dropFirst()))
            #expect(try await Self.boardViews(app, actor: worker.email) == 4)
        }
    }

    @Test("a kept board is never another user's: a school's safeguarding lead sees their own pupils only", arguments: Engine.available)
    func neverAnotherUsers(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            let worker = try await Self.signedIn(app, logins.login(.socialWorker))
            let lead = try await Self.signedIn(app, logins.login(.safeguardingLead))
            let everyone = Set(Self.children(on: try await worker.get("/board").body.string))
            let pupils = Set(Self.children(on: try await lead.get("/board").body.string))
            #expect(pupils.count < everyone.count)
            #expect(pupils.isSubset(of: everyone))
            // Served again to each: still each their own.
            #expect(Set(Self.children(on: try await lead.get("/board").body.string)) == pupils)
            #expect(Set(Self.children(on: try await worker.get("/board").body.string)) == everyone)
            #expect(app.pageCache.counts.hits == 2)
        }
    }

    @Test("a child's page is served again while unchanged, every view audited and listed among the latest reads; a change is on the next view", arguments: Engine.available)
    func childPageKept(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            let worker = logins.login(.socialWorker)
            let browser = try await Self.signedIn(app, worker)
            let child = try #require(Self.children(on: try await browser.get("/board").body.string).first)
            let reads = { () async throws -> Int in
                try await AuditEvent.query(on: app.db).filter(\.$action == AuditAction.childRecordRead.rawValue).filter(\.$personID == child).count()
            }
            let before = app.pageCache.counts
            let first = try await browser.get("/children/\(child.uuidString)")
            #expect(first.status == .ok)
            #expect(first.body.string.contains("Who has looked at this record (the latest 1,"))
            let second = try await browser.get("/children/\(child.uuidString)")
            #expect(second.status == .ok)
            #expect(app.pageCache.counts.hits == before.hits + 1)
            #expect(try await reads() == 2)
            // The latest reads are read afresh: this view is among them.
            #expect(second.body.string.contains("Who has looked at this record (the latest 2,"))
            #expect(second.body.string.components(separatedBy: "<td>\(worker.email)</td>").count - 1 == 2)

            // A change from outside the server is on the next view.
            try await (app.db as! any SQLDatabase).raw("UPDATE people SET family_name = 'Quillfeather' WHERE id = \(bind: child)").run()
            let changed = try await browser.get("/children/\(child.uuidString)")
            #expect(changed.body.string.contains("<h1>") && changed.body.string.contains("Quillfeather</h1>"))
            #expect(try await reads() == 3)
        }
    }

    @Test("with the cache off (serve --no-page-cache) every board is built afresh")
    func off() async throws {
        try await withDemoApp(.sqlite, options: { $0.pageCache = false }) { app, logins in
            let browser = try await Self.signedIn(app, logins.login(.socialWorker))
            let first = try await browser.get("/board").body.string
            #expect(try await browser.get("/board").body.string == first)
            #expect(app.pageCache.counts.hits == 0 && app.pageCache.counts.misses == 0)
        }
    }
}
