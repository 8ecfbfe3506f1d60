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

@Suite("Information-sharing records, end to end in memory")
struct SharingTests {
    @Test("a school records a share and a decision not to share for its pupil, each checked by field; another school's pupil is a 404", arguments: Engine.available)
    func recordFromTheChildPage(engine: Engine) async throws {
        try await withDemoApp(engine) { app, logins in
            let lead = logins.login(.safeguardingLead)
            let user = try #require(try await Accounts.find(email: lead.email, on: app.db))
            let viewer = try #require(Accounts.viewer(for: user))
            let (_, other) = try await AccessMatrixTests.children(for: viewer, on: app.db)
            // A pupil the school sees: on its roll and on the agreed list.
            let listed = try await (app.db as! any SQLDatabase).raw("""
                SELECT e.person_id FROM school_enrolments e JOIN list_entries l ON l.person_id = e.person_id AND l.status IN ('proposed', 'agreed') \
                WHERE e.agency_id = \(bind: viewer.agencyID) AND e.to_date IS NULL ORDER BY e.person_id LIMIT 1
                """).first()
            let pupil = try #require(try listed?.decode(column: "person_id", as: UUID.self))
            #expect(try await ChildDirectory(db: app.db, viewer: viewer).isVisible(pupil))
            let stranger = try #require(other)
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: lead.email, password: lead.password)

            let page = try await browser.get("/children/\(pupil.uuidString)")
            #expect(page.body.string.contains("No share of this child's information is recorded yet."))
            #expect(try await browser.get("/children/\(pupil.uuidString)/sharing/new").status == .ok)

            // Shared although consent was refused, and without a recipient: both fields named, nothing kept.
            let refused = try await browser.post("/children/\(pupil.uuidString)/sharing", form: [
                "shared": "yes", "channel": "email", "recipient": "", "what": "Attendance this term", "basis": "children-act-2004-s11",
                "consent": "refused", "reason": "", "date": "1/12/2026"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Say who the information went to"))
            let noConsent = try await browser.post("/children/\(pupil.uuidString)/sharing", form: [
                "shared": "yes", "channel": "email", "recipient": "Health visitor", "what": "Attendance this term", "basis": "children-act-2004-s11",
                "consent": "refused", "reason": "", "date": "1/12/2026"])
            #expect(noConsent.status == .unprocessableEntity)
            #expect(noConsent.body.string.contains("id=\"consent-error\""))
            #expect(noConsent.body.string.contains("overridden"))
            let missing = try await browser.post("/children/\(pupil.uuidString)/sharing", form: ["shared": "no"])
            #expect(missing.status == .unprocessableEntity)
            for field in ["channel", "basis", "consent", "date"] { #expect(missing.body.string.contains("id=\"\(field)-error\""), "\(field)") }
            let sql = app.db as! any SQLDatabase
            // What the school recorded by hand (the demo's police feed records its Operation Encompass notices as shares too).
            let byHand: SQLQueryString = "SELECT COUNT(*) AS n FROM information_shares WHERE channel <> 'notice'"
            #expect(try await sql.raw(byHand).first()?.decode(column: "n", as: Int.self) == 0)

            // A share overriding a refusal, with its reason; a hostile recipient is shown as text.
            let shared = try await browser.post("/children/\(pupil.uuidString)/sharing", form: [
                "shared": "yes", "channel": "email", "recipient": "<script>alert(1)</script> School nurse", "what": "Attendance this term",
                "basis": "dpa-2018-safeguarding", "consent": "refused-overridden", "reason": "Asking would put the child at risk", "date": "1/12/2026"])
            #expect(shared.status == .seeOther)
            _ = try await browser.get("/children/\(pupil.uuidString)/sharing/new")
            let notShared = try await browser.post("/children/\(pupil.uuidString)/sharing", form: [
                "shared": "no", "channel": "conversation", "recipient": "A neighbour who telephoned", "what": "Whether the child attends",
                "basis": "children-act-2004-s11", "consent": "not-sought", "reason": "No lawful reason to share with a neighbour", "date": "2/12/2026"])
            #expect(notShared.status == .seeOther)
            let after = try await browser.get("/children/\(pupil.uuidString)").body.string
            #expect(after.contains("&lt;script&gt;alert(1)&lt;/script&gt; School nurse"))
            #expect(!after.contains("<script>alert(1)</script>"))
            #expect(after.contains("Sought, refused, and overridden: Asking would put the child at risk"))
            #expect(after.contains("Not shared"))
            let audit = try await AuditEvent.query(on: app.db).filter(\.$personID == pupil).all().map(\.action)
            #expect(audit.contains(AuditAction.informationShared.rawValue) && audit.contains(AuditAction.sharingDeclined.rawValue))

            // Another school's pupil: the same 404 as a child that does not exist.
            for id in [stranger, UUID()] {
                #expect(try await browser.get("/children/\(id.uuidString)/sharing/new").status == .notFound)
                _ = try await browser.get("/children/\(pupil.uuidString)/sharing/new")
                #expect(try await browser.post("/children/\(id.uuidString)/sharing", form: [
                    "shared": "no", "channel": "email", "recipient": "x", "what": "y", "basis": "children-act-2004-s11",
                    "consent": "not-sought", "reason": "z", "date": "1/12/2026"]).status == .notFound)
            }
            #expect(try await sql.raw(byHand).first()?.decode(column: "n", as: Int.self) == 2)
        }
    }

    @Test("downloading a serious incident's notification records the share with its statutory basis")
    func notificationDownloadIsAShare() async throws {
        try await withDemoApp(.sqlite) { app, logins in
            let sql = app.db as! any SQLDatabase
            let row = try #require(try await sql.raw("SELECT id, person_id FROM serious_incidents LIMIT 1").first())
            let incident = try row.decode(column: "id", as: UUID.self)
            let child = try row.decode(column: "person_id", as: UUID.self)
            let worker = logins.login(.socialWorker)
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: worker.email, password: worker.password)
            #expect(try await browser.get("/serious-incidents/\(incident.uuidString)/notification.json").status == .ok)
            let page = try await browser.get("/children/\(child.uuidString)").body.string
            #expect(page.contains("Child Safeguarding Practice Review Panel (the national notification form)"))
            #expect(page.contains(LawfulBasis.panelNotification.title))
        }
    }
}

@Suite("A school proposes a pupil it does not see yet")
struct SchoolProposalTests {
    @Test("the safeguarding lead finds an unlisted pupil on its roll by UPN, sees only name, birth date and UPN, proposes them, and then opens their record")
    func proposeFromTheRoll() async throws {
        try await withDemoApp(.sqlite) { app, logins in
            let lead = logins.login(.safeguardingLead)
            let user = try #require(try await Accounts.find(email: lead.email, on: app.db))
            let sql = app.db as! any SQLDatabase
            let row = try #require(try await sql.raw("""
                SELECT e.person_id, i.value FROM school_enrolments e JOIN person_identifiers i ON i.person_id = e.person_id AND i.kind = 'upn' \
                JOIN people p ON p.id = e.person_id AND p.kind = 'child' \
                WHERE e.agency_id = \(bind: try #require(user.$agency.id)) AND e.to_date IS NULL \
                AND e.person_id NOT IN (SELECT person_id FROM list_entries) AND e.person_id NOT IN (SELECT person_id FROM encompass_notices WHERE person_id IS NOT NULL) \
                ORDER BY e.person_id LIMIT 1
                """).first())
            let pupil = try row.decode(column: "person_id", as: UUID.self)
            let upn = try row.decode(column: "value", as: String.self)
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: lead.email, password: lead.password)
            #expect(try await browser.get("/children/\(pupil.uuidString)").status == .notFound, "an unlisted pupil's record is not the school's to see")

            let bad = try await browser.get("/school/propose?upn=NOTAUPN")
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("id=\"upn-error\""))
            let found = try await browser.get("/school/propose?upn=\(upn)")
            #expect(found.status == .ok)
            #expect(found.body.string.contains("href=\"/children/\(pupil.uuidString)/propose\""))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$actor == lead.email).filter(\.$action == AuditAction.childSearch.rawValue).all()
                .contains { $0.detail.contains("looked up pupils on the roll to propose (by UPN): 1 found") })

            let form = try await browser.get("/children/\(pupil.uuidString)/propose")
            #expect(form.status == .ok)
            let agency = try #require(user.$agency.id)
            let proposed = try await browser.post("/children/\(pupil.uuidString)/propose", form: [
                "reasons": ListReason.allCases[0].rawValue, "risk": "amber", "risk_rationale": "Attendance has fallen sharply",
                "lead_agency": agency.uuidString, "lead_professional": "DSL", "review_date": CivilDate.today().adding(months: 3).description])
            #expect(proposed.status == .seeOther)
            #expect(try await browser.get("/children/\(pupil.uuidString)").status == .ok, "proposed, the pupil is on the list and the school sees them")
        }
    }
}
