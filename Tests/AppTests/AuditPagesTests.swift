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

@Suite("The audit pages, end to end in memory")
struct AuditPagesTests {
    @Test("the child page says who has looked; the auditor searches by user, sees a burst of reads, and verifies the chain, which names a tampered entry", arguments: Engine.available)
    func auditTrail(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            let worker = Browser(app: app)
            let sw = logins.login(.socialWorker)
            _ = try await worker.signIn(email: sw.email, password: sw.password)
            let ids = WebAppTests.childLinks(in: try await worker.get("/children").body.string)
            #expect(ids.count >= 20)
            for id in ids.prefix(20) { #expect(try await worker.get("/children/\(id)").status == .ok) }
            let page = try await worker.get("/children/\(ids[0])").body.string
            #expect(page.contains("Who has looked at this record") && page.contains(HTML.escape(sw.email)))

            let auditor = Browser(app: app)
            let au = logins.login(.auditor)
            _ = try await auditor.signIn(email: au.email, password: au.password)
            let search = try await auditor.get("/audit?user=social-worker&child=/children/\(ids[0])")
            #expect(search.status == .ok)
            let body = search.body.string
            #expect(body.contains("child-record-read") && !body.contains("sign-in-failed"))
            #expect(body.components(separatedBy: "<tr><td>").count - 1 >= 2 + 1, "the two reads of that child, and the burst row")
            #expect(body.contains("Users who opened 20 or more children's records within an hour") && body.contains(HTML.escape(sw.email)))
            #expect(try await auditor.get("/audit?from=31/2/2026").status == .unprocessableEntity)

            let intact = try await auditor.get("/audit/verify").body.string
            #expect(intact.contains("The hash chain holds"))
            try await (app.db as! any SQLDatabase).raw("UPDATE audit_events SET detail = 'nothing' WHERE seq = 2").run()
            let broken = try await auditor.get("/audit/verify").body.string
            #expect(broken.contains("The audit trail does not verify") && broken.contains("entry 2 ("))
            // Nobody else may see the audit trail.
            #expect(try await worker.get("/audit").status == .forbidden)
            #expect(try await worker.get("/audit/verify").status == .forbidden)
        }
    }
}
