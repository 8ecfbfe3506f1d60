import Foundation
import Testing
import Vapor
import VaporTesting
import Fluent
import EyesOnCore
import Store
import TestSupport
import SQLKit
@testable import App

@Suite("Two-factor sign-in and the session's idle timeout, end to end in memory")
struct TwoFactorTests {
    @Test("a social worker's first sign-in sets up two-factor; a wrong code and a used code are refused; the analyst needs none", arguments: Engine.available)
    func setUpAndSignIn(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            let worker = logins.login(.socialWorker)
            let browser = Browser(app: app)
            _ = try await browser.get("/sign-in")
            let beforeCookie = browser.cookie
            let password = try await browser.post("/sign-in", form: ["email": worker.email, "password": worker.password])
            #expect(password.status == .seeOther)
            #expect(password.headers.first(name: .location) == "/sign-in/two-factor")
            #expect(browser.cookie != beforeCookie, "a new session id after the password")
            // Not signed in yet: the password alone opens nothing.
            #expect(try await browser.get("/children").headers.first(name: .location) == "/sign-in")

            let setUp = try await browser.get("/sign-in/two-factor")
            #expect(setUp.status == .ok)
            #expect(setUp.body.string.contains("<h1>Set up two-factor sign-in</h1>"))
            let user = try #require(try await Accounts.find(email: worker.email, on: app.db))
            let secretText = try #require(user.totpSecret)
            #expect(setUp.body.string.contains("otpauth://totp/EyesOn:\(worker.email)?secret=\(secretText)"))
            let secret = try #require(Base32.decode(secretText))

            let wrong = try await browser.post("/sign-in/two-factor", form: ["code": "000000" == TOTP.code(secret: secret, counter: TOTP.counter(at: Date())) ? "111111" : "000000"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains(SignInView.wrongCode))
            #expect(wrong.body.string.contains("Set up two-factor sign-in"), "still setting up: the secret is shown again")
            #expect(try await Accounts.find(email: worker.email, on: app.db)?.totpConfirmedAt == nil)

            let code = try await browser.nextCode(email: worker.email, page: setUp.body.string)
            let right = try await browser.post("/sign-in/two-factor", form: ["code": code])
            #expect(right.status == .seeOther)
            #expect(right.headers.first(name: .location) == "/")
            #expect(try await browser.get("/children").status == .ok)
            #expect(try await Accounts.find(email: worker.email, on: app.db)?.totpConfirmedAt != nil)

            // The same code, in another browser, is refused: a code works once.
            let thief = Browser(app: app)
            _ = try await thief.get("/sign-in")
            _ = try await thief.post("/sign-in", form: ["email": worker.email, "password": worker.password])
            let code2 = try await thief.get("/sign-in/two-factor")
            #expect(code2.body.string.contains("<h1>Enter the code from your authenticator app</h1>"))
            #expect(!code2.body.string.contains(secretText), "the secret is never shown again once set up")
            #expect(try await thief.post("/sign-in/two-factor", form: ["code": code]).status == .unauthorized)
            #expect(try await thief.get("/children").headers.first(name: .location) == "/sign-in")

            let actions = try await AuditEvent.query(on: app.db).filter(\.$actor == worker.email).all().map { "\($0.action) \($0.detail ?? "")" }
            #expect(actions.contains("two-factor-set-up set up two-factor sign-in"))
            #expect(actions.filter { $0 == "sign-in-failed wrong two-factor code" }.count == 2)
            #expect(actions.contains("sign-in with two-factor, set up now"))

            // The analyst sees counts only and signs in with the password alone.
            let analyst = Browser(app: app)
            let analystSignIn = try await analyst.signIn(email: logins.login(.analyst).email, password: logins.login(.analyst).password)
            #expect(analystSignIn.headers.first(name: .location) == "/")
        }
    }

    @Test("five wrong codes lock the account as five wrong passwords do; a reset asks for set-up again")
    func lockoutAndReset() async throws {
        try await withDemoApp(.sqlite) { app, logins in
            let lead = logins.login(.safeguardingLead)
            let browser = Browser(app: app)
            #expect(try await browser.signIn(email: lead.email, password: lead.password).headers.first(name: .location) == "/")
            _ = try await browser.get("/")
            #expect(try await browser.post("/sign-out", form: [:]).headers.first(name: .location) == "/sign-in")

            _ = try await browser.get("/sign-in")
            _ = try await browser.post("/sign-in", form: ["email": lead.email, "password": lead.password])
            #expect(try await browser.get("/sign-in/two-factor").body.string.contains("Enter the code"))
            var last: TestingHTTPResponse?
            for _ in 0..<5 { last = try await browser.post("/sign-in/two-factor", form: ["code": "12345"])}
            #expect(last?.status == .tooManyRequests)
            #expect(last?.body.string.contains("locked") == true)
            // Locked: even the right password is refused now.
            _ = try await browser.get("/sign-in")
            #expect(try await browser.post("/sign-in", form: ["email": lead.email, "password": lead.password]).status == .tooManyRequests)

            #expect(try await Accounts.resetTwoFactor(email: lead.email, actor: "test", on: app.db))
            let user = try #require(try await Accounts.find(email: lead.email, on: app.db))
            #expect(user.totpSecret == nil && user.totpConfirmedAt == nil)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == AuditAction.twoFactorReset.rawValue).count() == 1)
        }
    }

    @Test("in demo mode the demo accounts skip two-factor under a banner; outside it they do not")
    func demoMode() async throws {
        try await withDemoApp(.sqlite, demo: true) { app, logins in
            let worker = logins.login(.socialWorker)
            let browser = Browser(app: app)
            _ = try await browser.get("/sign-in")
            let response = try await browser.post("/sign-in", form: ["email": worker.email, "password": worker.password])
            #expect(response.headers.first(name: .location) == "/")
            let home = try await browser.get("/")
            #expect(home.body.string.contains("<strong>Demo mode:</strong>"))
            #expect(home.body.string.contains("without two-factor"))
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == AuditAction.signIn.rawValue).filter(\.$actor == worker.email).first()
            #expect(audit?.detail == "demo account: two-factor skipped in demo mode")
        }
        try await withDemoApp(.sqlite) { app, logins in
            let worker = logins.login(.socialWorker)
            let browser = Browser(app: app)
            _ = try await browser.get("/sign-in")
            let response = try await browser.post("/sign-in", form: ["email": worker.email, "password": worker.password])
            #expect(response.headers.first(name: .location) == "/sign-in/two-factor")
            #expect(!(try await browser.get("/sign-in/two-factor")).body.string.contains("Demo mode"))
        }
    }

    @Test("a session idle for longer than the timeout ends; a keep-alive keeps it; pages carry the warning script")
    func idleTimeout() async throws {
        try await withDemoApp(.sqlite) { app, logins in
            let worker = logins.login(.socialWorker)
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: worker.email, password: worker.password)
            let home = try await browser.get("/")
            #expect(home.body.string.contains("<script src=\"/assets/eyeson.js\" defer></script>"))
            #expect(home.body.string.contains("data-idle-timeout=\"1800\" data-idle-warning=\"300\""))
            let script = try await browser.get("/assets/eyeson.js")
            #expect(script.status == .ok)
            #expect(script.body.string.contains("Stay signed in"))

            func idle(for seconds: TimeInterval) async throws {
                let cookie = try #require(browser.cookie)
                let record = try #require(try await SessionRecord.query(on: app.db).filter(\.$key == SessionID(string: cookie)).first())
                record.data["last_seen_at"] = String(Int(Date().timeIntervalSince1970 - seconds))
                try await record.save(on: app.db)
            }
            // 25 minutes idle: still signed in; the keep-alive answers and renews.
            try await idle(for: 25 * 60)
            let token = try #require(Browser.csrfToken(in: home.body.string))
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "eyeson-session=\(browser.cookie!)")
            headers.add(name: "X-CSRF-Token", value: token)
            let alive = try await app.testing().sendRequest(.POST, "/session/keep-alive", headers: headers)
            #expect(alive.status == .ok)
            #expect(alive.body.string.contains("\"idleTimeoutSeconds\":1800"))
            #expect(try await browser.get("/children").status == .ok)
            // 31 minutes idle: signed out.
            try await idle(for: 31 * 60)
            #expect(try await browser.get("/children").headers.first(name: .location) == "/sign-in")
            let ended = try await app.testing().sendRequest(.POST, "/session/keep-alive", headers: headers)
            #expect(ended.status != .ok)
        }
    }

    @Test("a page in the same minute does not write the session back; a page after a minute's idle does (PostgreSQL's row version shows each write)")
    func sessionsWrittenOnlyWhenChanged() async throws {
        guard Engine.available.contains(.postgres) else { return }
        try await withDemoApp(.postgres) { app, logins in
            let worker = logins.login(.socialWorker)
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: worker.email, password: worker.password)
            #expect(try await browser.get("/children").status == .ok)
            let sql = app.db as! any SQLDatabase
            let key = try #require(browser.cookie)
            func version() async throws -> String {
                try #require(try await sql.raw("SELECT xmin::text AS v FROM \(ident: SessionRecord.schema) WHERE key = \(bind: key)").first()?.decode(column: "v", as: String.self))
            }
            let before = try await version()
            for path in ["/", "/children", "/board", "/list"] { #expect(try await browser.get(path).status == .ok) }
            #expect(try await version() == before, "four pages within the minute: the session row untouched")
            let record = try #require(try await SessionRecord.query(on: app.db).filter(\.$key == SessionID(string: key)).first())
            record.data["last_seen_at"] = String(Int(Date().timeIntervalSince1970 - 90))
            try await record.save(on: app.db)
            let idled = try await version()
            #expect(try await browser.get("/children").status == .ok)
            #expect(try await version() != idled, "after 90 seconds idle, the page renews the last-seen time")
        }
    }
}

@Suite("The administrator disables and enables accounts from the Users page")
struct AccountPagesTests {
    @Test("a disabled user cannot sign in and their open session ends; enabled, they can; the administrator cannot disable themself")
    func disableAndEnable() async throws {
        try await withDemoApp(.sqlite) { app, logins in
            let admin = Browser(app: app)
            _ = try await admin.signIn(email: logins.login(.administrator).email, password: logins.login(.administrator).password)
            let worker = logins.login(.youthJusticeWorker)
            let signedIn = Browser(app: app)
            _ = try await signedIn.signIn(email: worker.email, password: worker.password)
            #expect(try await signedIn.get("/").status == .ok)

            let users = try await admin.get("/users")
            let action = "/users/\(worker.email.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            #expect(users.body.string.contains("action=\"\(action)/disable\""))
            #expect(try await admin.post(action + "/disable", form: [:]).status == .seeOther)
            #expect(try await signedIn.get("/").headers.first(name: .location) == "/sign-in", "the open session ends at its next request")
            let refused = try await Browser(app: app).signIn(email: worker.email, password: worker.password)
            #expect(refused.status == .unauthorized)
            let page = try await admin.get("/users")
            #expect(page.body.string.contains("action=\"\(action)/enable\""))
            #expect(try await admin.post(action + "/enable", form: [:]).status == .seeOther)
            #expect(try await Browser(app: app).signIn(email: worker.email, password: worker.password).headers.first(name: .location) == "/")

            _ = try await admin.get("/users")
            let own = "/users/\(logins.login(.administrator).email.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)/disable"
            #expect(try await admin.post(own, form: [:]).status == .unprocessableEntity)
            let actions = try await AuditEvent.query(on: app.db).filter(\.$actor == logins.login(.administrator).email).all().map(\.action)
            #expect(actions.contains(AuditAction.userDisabled.rawValue) && actions.contains(AuditAction.userEnabled.rawValue))
            // Nobody else may.
            let lead = Browser(app: app)
            _ = try await lead.signIn(email: logins.login(.safeguardingLead).email, password: logins.login(.safeguardingLead).password)
            _ = try await lead.get("/")
            #expect(try await lead.post(action + "/disable", form: [:]).status == .forbidden)
        }
    }
}

@Suite("Sign-in is limited per client address as well as per account")
struct SignInThrottleTests {
    @Test("an address with too many failed sign-ins across accounts is refused even the right password, audited; another address is not; without the proxy setting the header is ignored", arguments: Engine.available)
    func sprayingIsThrottled(engine: Engine) async throws {
        try await withDemoApp(engine, options: { options in
            options.trustForwardedFor = true
            options.signInPolicy = SignInPolicy(maximumFailures: 5, lockout: 15 * 60, maximumFailuresPerAddress: 6, addressWindow: 15 * 60)
        }) { app, logins in
            let sprayer = Browser(app: app)
            sprayer.forwardedFor = "192.0.2.10"
            // Two wrong passwords on each of three accounts: no account reaches its lockout of five.
            for role in [EyesOnCore.Role.socialWorker, .policeOfficer, .healthPractitioner] {
                for _ in 0..<2 {
                    _ = try await sprayer.get("/sign-in")
                    let wrong = try await sprayer.post("/sign-in", form: ["email": logins.login(role).email, "password": "not-the-password-at-all"])
                    #expect(wrong.status == .unauthorized)
                }
            }
            let user = logins.login(.safeguardingLead)
            _ = try await sprayer.get("/sign-in")
            let refused = try await sprayer.post("/sign-in", form: ["email": user.email, "password": user.password])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body.string.contains("Too many failed sign-ins have come from your network"))
            let retryAfter = try #require(refused.headers.first(name: .retryAfter).flatMap(Int.init))
            #expect(retryAfter > 0 && retryAfter <= 15 * 60)
            #expect(try await sprayer.get("/children").headers.first(name: .location) == "/sign-in", "not signed in")
            for role in [EyesOnCore.Role.socialWorker, .policeOfficer, .healthPractitioner] {
                let account = try #require(try await Accounts.find(email: logins.login(role).email, on: app.db))
                #expect(!Accounts.isLocked(account), "the accounts themselves are not locked")
            }

            // The same user from another address signs in.
            let colleague = Browser(app: app)
            colleague.forwardedFor = "198.51.100.7"
            #expect(try await colleague.signIn(email: user.email, password: user.password).headers.first(name: .location) == "/")
            // What they open is audited with their address: a pupil's record, and the school's listed pupils.
            let account = try #require(try await Accounts.find(email: user.email, on: app.db))
            let viewer = try #require(Accounts.viewer(for: account))
            let pupil = try #require(try await (app.db as! any SQLDatabase).raw("""
                SELECT e.person_id FROM list_entries e JOIN school_enrolments s ON s.person_id = e.person_id \
                WHERE s.agency_id = \(bind: viewer.agencyID) AND s.to_date IS NULL AND e.status = 'agreed' ORDER BY e.person_id LIMIT 1
                """).first()?.decode(column: "person_id", as: UUID.self))
            #expect(try await colleague.get("/children/\(pupil.uuidString)").status == .ok)
            #expect(try await colleague.get("/school").status == .ok)
            for action in [AuditAction.childRecordRead, .childSearch] {
                let entry = try await AuditEvent.query(on: app.db).filter(\.$action == action.rawValue).filter(\.$actor == user.email)
                    .sort(\.$seq, .descending).first()
                #expect(entry?.clientAddress == "198.51.100.7", "\(action.rawValue): \(String(describing: entry?.clientAddress))")
            }

            let throttled = try await AuditEvent.query(on: app.db).filter(\.$action == AuditAction.signInThrottled.rawValue).all()
            #expect(throttled.count == 1)
            #expect(throttled.first?.clientAddress == "192.0.2.10")
            #expect(throttled.first?.actor == user.email)
            let failures = try await AuditEvent.query(on: app.db).filter(\.$action == AuditAction.signInFailed.rawValue).all()
            #expect(failures.count == 6 && failures.allSatisfy { $0.clientAddress == "192.0.2.10" })
        }
        // Clients reaching EyesOn directly cannot choose their address: the header is ignored.
        try await withDemoApp(engine) { app, logins in
            let browser = Browser(app: app)
            browser.forwardedFor = "192.0.2.99"
            let user = logins.login(.analyst)
            #expect(try await browser.signIn(email: user.email, password: user.password).headers.first(name: .location) == "/")
            let signIn = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == AuditAction.signIn.rawValue).first())
            #expect(signIn.clientAddress != "192.0.2.99")
        }
    }
}
