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

@Suite("The web application, end to end in memory")
struct WebAppTests {
    @Test("every demo role signs in and reaches its own home page", arguments: Engine.available)
    func everyRoleSignsIn(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            #expect(logins.count == Role.allCases.count)
            for login in logins {
                let browser = Browser(app: app)
                let response = try await browser.signIn(email: login.email, password: login.password)
                #expect(response.status == .seeOther, "\(login.role)")
                #expect(response.headers.first(name: .location) == "/")
                let home = try await browser.get("/")
                #expect(home.status == .ok)
                #expect(home.body.string.contains("data-role=\"\(login.role.rawValue)\""))
                #expect(home.body.string.contains("<h1>\(HTML.escape(login.role.title))</h1>"))
                // Navigation by role: only roles that may open records get "Children".
                let mayOpen = [.socialWorker, .frontDoor, .virtualSchoolHead, .safeguardingLead, .policeOfficer, .healthPractitioner, .youthJusticeWorker].contains(login.role)
                #expect(home.body.string.contains("href=\"/children\">Children</a>") == mayOpen, "\(login.role)")
                let signOut = try await browser.post("/sign-out", form: [:])
                #expect(signOut.status == .seeOther)
                #expect(try await browser.get("/").headers.first(name: .location) == "/sign-in")
            }
        }
    }

    @Test("a wrong password and an unknown email get the same message, and five failures lock the account")
    func wrongPasswordAndLockout() async throws {
        try await withDemoApp(.sqlite) { app, logins in
            let analyst = logins.login(.analyst)
            let browser = Browser(app: app)
            let unknown = try await browser.signIn(email: "nobody@demo.eyeson.test", password: "whatever-it-is")
            let wrong = try await browser.signIn(email: analyst.email, password: "not-the-password")
            for response in [unknown, wrong] {
                #expect(response.status == .unauthorized)
                #expect(response.body.string.contains(SignInView.wrongCredentials))
                #expect(response.body.string.contains("govuk-error-summary"))
            }
            for _ in 0..<4 { _ = try await browser.signIn(email: analyst.email, password: "still-wrong") }
            let locked = try await browser.signIn(email: analyst.email, password: analyst.password)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.string.contains("locked"))
            let failures = try await AuditEvent.query(on: app.db).filter(\.$action == AuditAction.signInFailed.rawValue).count()
            #expect(failures == 6)
        }
    }

    @Test("a form without its token is refused before it does anything")
    func csrf() async throws {
        try await withDemoApp(.sqlite) { app, logins in
            let worker = logins.login(.socialWorker)
            let browser = Browser(app: app)
            _ = try await browser.get("/sign-in")
            let forged = try await browser.post("/sign-in", form: ["email": worker.email, "password": worker.password], token: "forged")
            #expect(forged.status == .forbidden)
            #expect(try await UserAccount.query(on: app.db).filter(\.$email == worker.email).first()?.lastSignInAt == nil)
            // Signed in, a sign-out without the token leaves the user signed in.
            #expect(try await browser.signIn(email: worker.email, password: worker.password).status == .seeOther)
            _ = try await browser.get("/")
            #expect(try await browser.post("/sign-out", form: [:], token: "").status == .forbidden)
            #expect(try await browser.get("/").status == .ok)
        }
    }

    @Test("security headers on every response, and a 404 page in the layout")
    func headersAndNotFound() async throws {
        try await withDemoApp(.sqlite) { app, _ in
            let browser = Browser(app: app)
            for path in ["/sign-in", "/no/such/page", "/health"] {
                let response = try await browser.get(path)
                #expect(response.headers.first(name: "Content-Security-Policy")?.contains("default-src 'none'") == true)
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Strict-Transport-Security") == nil)
            }
            let missing = try await browser.get("/no/such/page")
            #expect(missing.status == .notFound)
            #expect(missing.body.string.contains("<h1>Page not found</h1>"))
            #expect(missing.body.string.contains("class=\"service-header\""))
        }
    }

    @Test("finding a child: invalid identifiers get field errors; a school cannot open another school's pupil", arguments: Engine.available)
    func childPages(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            let worker = Browser(app: app)
            _ = try await worker.signIn(email: logins.login(.socialWorker).email, password: logins.login(.socialWorker).password)
            let invalid = try await worker.get("/children?nhs=9434765918&upn=R247962919251&postcode=QQ1+1QQ&dob=31/2/2015")
            #expect(invalid.status == .unprocessableEntity)
            for field in ["nhs", "upn", "postcode", "dob"] {
                #expect(invalid.body.string.contains("<a href=\"#\(field)\">"), "no error for \(field)")
            }
            #expect(invalid.body.string.contains("NHS number is not valid"))

            let list = try await worker.get("/children")
            #expect(list.status == .ok)
            let ids = Self.childLinks(in: list.body.string)
            #expect(ids.count == ChildDirectory.pageSize)

            // The safeguarding lead sees their own pupils, and a 404 for anyone else's.
            let lead = Browser(app: app)
            _ = try await lead.signIn(email: logins.login(.safeguardingLead).email, password: logins.login(.safeguardingLead).password)
            let leadIDs = Set(Self.childLinks(in: try await lead.get("/children").body.string))
            #expect(!leadIDs.isEmpty)
            let outsider = try #require(ids.first { !leadIDs.contains($0) })
            let refused = try await lead.get("/children/\(outsider)")
            let nonexistent = try await lead.get("/children/\(UUID().uuidString)")
            #expect(refused.status == .notFound)
            // The same page, but for the record's id in the break-glass form's address.
            #expect(refused.body.string.replacingOccurrences(of: outsider, with: "ID") == nonexistent.body.string.replacingOccurrences(
                of: nonexistent.body.string.components(separatedBy: "/children/").dropFirst().first { $0.contains("/break-glass") }?.prefix(36).description ?? "-", with: "ID"))
            #expect(refused.body.string.contains("Break-glass"))

            // Break-glass: a reason opens the record for a few hours, audited as such, with a task for the lead agency.
            let tooShort = try await lead.post("/children/\(outsider)/break-glass", form: ["reason": "need"])
            #expect(tooShort.status == .unprocessableEntity && tooShort.body.string.contains("at least 10 characters"))
            let opened = try await lead.post("/children/\(outsider)/break-glass", form: ["reason": "Police at the door say the child is missing"])
            #expect(opened.status == .seeOther && opened.headers.first(name: .location) == "/children/\(outsider)")
            #expect(try await lead.get("/children/\(outsider)").status == .ok)
            let glass = try await AuditEvent.query(on: app.db).filter(\.$action == "break-glass").filter(\.$personID == UUID(uuidString: outsider)).all()
            #expect(glass.count == 1 && glass[0].detail.contains("Police at the door"))
            let tasks = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM tasks WHERE kind = 'break-glass' AND person_id = \(bind: UUID(uuidString: outsider)!)").first()!.decode(column: "n", as: Int.self)
            #expect(tasks == 1, "the lead agency is asked to check")
            // When it lapses, the record is closed to them again.
            try await (app.db as! any SQLDatabase).raw("UPDATE break_glass_grants SET expires_at = \(bind: Date().addingTimeInterval(-60))").run()
            #expect(try await lead.get("/children/\(outsider)").status == .notFound)
            #expect(try await lead.post("/children/\(UUID().uuidString)/break-glass", form: ["reason": "Police at the door say the child is missing"]).status == .notFound)
            let own = try await lead.get("/children/\(leadIDs.first!)")
            #expect(own.status == .ok)
            #expect(own.body.string.contains("Schools, nurseries and colleges"))

            // Analysts and administrators cannot list children at all.
            let analyst = Browser(app: app)
            _ = try await analyst.signIn(email: logins.login(.analyst).email, password: logins.login(.analyst).password)
            #expect(try await analyst.get("/children").status == .forbidden)
            #expect(try await analyst.get("/children/\(outsider)").status == .notFound)
        }
    }

    @Test("a child named <script> in the data is shown as text, never run")
    func hostileNames() async throws {
        try await withDemoApp(.sqlite) { app, logins in
            let child = try #require(try await Person.query(on: app.db).filter(\.$kindRaw == "child").first())
            child.givenName = "<script>alert('x')</script>"
            child.familyName = "O'Brien & \"Sons\""
            try await child.save(on: app.db)
            let worker = Browser(app: app)
            _ = try await worker.signIn(email: logins.login(.socialWorker).email, password: logins.login(.socialWorker).password)
            let page = try await worker.get("/children/\(child.id!.uuidString)")
            #expect(page.status == .ok)
            #expect(!page.body.string.contains("<script>"))
            #expect(page.body.string.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(page.body.string.contains("O&#39;Brien &amp; &quot;Sons&quot;"))
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == AuditAction.childRecordRead.rawValue).filter(\.$personID == child.id).count()
            #expect(audit == 1)
        }
    }

    static func childLinks(in html: String) -> [String] {
        html.components(separatedBy: "href=\"/children/").dropFirst().compactMap { part in
            part.firstIndex(of: "\"").map { String(part[..<$0]) }
        }.filter { UUID(uuidString: $0) != nil }
    }
}

@Suite("How pages show times")
struct DisplayFormatTests {
    @Test("times are UK local time: GMT in winter, BST in summer (across midnight), 24-hour with leading zeros")
    func ukLocalTime() {
        let utc = { (text: String) in ISO8601DateFormatter().date(from: text)! }
        #expect(DisplayFormat.dateTime(utc("2026-01-15T09:05:00Z")) == "15 January 2026, 09:05")
        #expect(DisplayFormat.dateTime(utc("2026-07-01T23:30:00Z")) == "2 July 2026, 00:30")
        #expect(DisplayFormat.dateTime(utc("2026-10-25T00:59:00Z")) == "25 October 2026, 01:59", "still BST before 01:00 UTC on the last Sunday of October")
        #expect(DisplayFormat.dateTime(utc("2026-10-25T01:00:00Z")) == "25 October 2026, 01:00", "GMT again")
    }
}
