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

/// The access matrix (issue 6): every route the server has × every demo role × a child the role's
/// agency knows, a child it does not, and a child that does not exist. The expected answer comes
/// from the policy: the route's rule (`RouteAccess.rules`) for the role, and `ChildDirectory`'s
/// scope for the child. A route added without a rule fails here.
@Suite("The access matrix: every route × every role × own, other and missing children")
struct AccessMatrixTests {
    /// The routes open without sign-in. A new one must be added here on purpose.
    static let openRoutes: Set<String> = [
        "GET /health", "GET /ready", "GET /metrics", "GET /assets/eyeson.css", "GET /assets/eyeson.js", "GET /sign-in", "POST /sign-in",
        "GET /sign-in/two-factor", "POST /sign-in/two-factor", "POST /sign-out", "POST /session/keep-alive",
        "POST /api/v1/feeds/:feed", "GET /api/v1/openapi.json", "GET /help",
    ]

    /// The reading API: a token reads as its user, by the same rules; a session cookie counts for nothing there.
    static func isAPI(_ key: String) -> Bool { key.contains(" /api/") }

    @Test("every route has a rule, and only the sign-in, health, readiness, assets and token-checked API and metrics are open")
    func everyRouteHasARule() async throws {
        try await withDemoApp(.sqlite, demo: true) { app, _ in
            let keys = Set(app.routes.all.map { RouteAccess.key($0.method, $0.path) })
            let missing = keys.subtracting(RouteAccess.rules.keys)
            #expect(missing.isEmpty, "routes without an access rule in RouteAccess.rules: \(missing.sorted())")
            let stale = Set(RouteAccess.rules.keys).subtracting(keys)
            #expect(stale.isEmpty, "rules for routes the server does not have: \(stale.sorted())")
            let open = Set(RouteAccess.rules.filter { $0.value.allows == nil }.keys)
            #expect(open == Self.openRoutes)
        }
    }

    @Test("each role gets exactly what the policy says on every route, for its own child, another agency's and a missing one", arguments: Engine.available)
    func matrix(engine: Engine) async throws {
        try await withDemoApp(engine, demo: true) { app, logins in
            let routes = app.routes.all.map { (route: $0, key: RouteAccess.key($0.method, $0.path)) }
                .filter { !Self.openRoutes.contains($0.key) }
                .sorted { $0.key < $1.key }
            var problems: [String] = []
            var checked = 0

            // Signed out, every route that is not open sends the visitor to sign in (a POST
            // without the session's form token is refused before that).
            for (route, key) in routes {
                let response = try await app.testing().sendRequest(route.method, Self.path(route.path, child: UUID()))
                let fine = Self.isAPI(key) ? response.status == .unauthorized : route.method == .GET
                    ? response.status == .seeOther && response.headers.first(name: .location) == "/sign-in"
                    : [.seeOther, .forbidden].contains(response.status)
                if !fine { problems.append("signed out \(key): \(response.status.code)") }
                checked += 1
            }

            for login in logins {
                let browser = Browser(app: app)
                #expect(try await browser.signIn(email: login.email, password: login.password).headers.first(name: .location) == "/")
                let home = try await browser.get("/")
                let token = try #require(Browser.csrfToken(in: home.body.string))
                let user = try #require(try await Accounts.find(email: login.email, on: app.db))
                let viewer = try #require(Accounts.viewer(for: user))
                let directory = ChildDirectory(db: app.db, viewer: viewer)
                let (own, other) = try await Self.children(for: viewer, on: app.db)
                let (apiToken, _) = try await FeedTokens.addReader(email: login.email, label: "access matrix", on: app.db)
                var bearer = HTTPHeaders()
                bearer.bearerAuthorization = BearerAuthorization(token: apiToken)

                for (route, key) in routes {
                    let rule = try #require(RouteAccess.rules[key])
                    let allowed = rule.allows?(viewer) ?? true
                    var cases: [(String, UUID, Bool)] = [("a missing child", UUID(), false)]
                    if rule.childParameter != nil {
                        func reachable(_ id: UUID) async throws -> Bool {
                            if try await directory.isVisible(id) { return true }
                            guard rule.alsoPupilsOnRoll else { return false }
                            return try await directory.pupilToPropose(id) != nil
                        }
                        if let own { cases.append(("their own agency's child", own, try await reachable(own))) }
                        if let other { cases.append(("another agency's child", other, try await reachable(other))) }
                    }
                    var outsideAnswers: [UInt] = []
                    for (label, child, visible) in cases.prefix(rule.childParameter == nil ? 1 : 3) {
                        let path = Self.path(route.path, child: child)
                        let response = Self.isAPI(key) ? try await app.testing().sendRequest(route.method, path, headers: bearer)
                            : route.method == .GET
                            ? try await browser.get(path)
                            : try await browser.post(path, form: [:], token: token)
                        let status = response.status
                        let what = "\(login.role.rawValue) \(key)" + (rule.childParameter != nil ? " (\(label))" : "")
                        checked += 1
                        if !allowed {
                            let wanted = rule.refusal
                            if status != wanted { problems.append("\(what): \(status.code), wanted \(wanted.code) (\(rule.who) only)") }
                        } else if rule.outsideScope {
                            // Without a reason: refused, and the same answer for a child that exists as for one that does not.
                            if !visible { outsideAnswers.append(status.code) }
                            if status.code < 400 || status.code >= 500 { problems.append("\(what): \(status.code), wanted a refusal without a reason") }
                        } else if rule.childParameter != nil {
                            if !visible, status != .notFound { problems.append("\(what): \(status.code), wanted 404: the child is outside the role's scope") }
                            if visible, [.notFound, .forbidden].contains(status) || status.code >= 500 {
                                problems.append("\(what): \(status.code), wanted the page or a form's answer: the policy lets the role see this child")
                            }
                            if visible, route.method == .GET, status != .ok { problems.append("\(what): GET gave \(status.code), wanted 200") }
                        } else if status == .forbidden || status.code >= 500 {
                            problems.append("\(what): \(status.code): the rule allows \(rule.who)")
                        } else if route.method == .GET, !route.path.contains(where: { if case .parameter = $0 { true } else { false } }), status != .ok {
                            problems.append("\(what): GET gave \(status.code), wanted 200")
                        }
                    }
                    if Set(outsideAnswers).count > 1 {
                        problems.append("\(login.role.rawValue) \(key): \(outsideAnswers) for a missing and an existing child it may not see: the answer tells them apart")
                    }
                }
            }
            #expect(problems.isEmpty, "\(problems.count) of \(checked) answers differ from the policy:\n\(problems.joined(separator: "\n"))")
            #expect(checked > 500)
        }
    }

    @Test("health sees its caseload's households; the Virtual School Head sees looked-after children and children with a social worker, nobody else", arguments: Engine.available)
    func cohorts(engine: Engine) async throws {
        try await withDemoApp(engine, demo: true) { app, logins in
            let sql = app.db as! any SQLDatabase
            func viewer(_ role: Role) async throws -> Viewer {
                let user = try #require(try await Accounts.find(email: logins.login(role).email, on: app.db))
                return try #require(Accounts.viewer(for: user))
            }
            func ids(_ query: SQLQueryString) async throws -> Set<UUID> {
                Set(try await sql.raw(query).all().map { try $0.decode(column: "id", as: UUID.self) })
            }
            let children = try await ids("SELECT id FROM people WHERE kind = 'child'")

            let health = try await viewer(.healthPractitioner)
            let caseload = try await ids("SELECT person_id AS id FROM person_identifiers WHERE agency_id = \(bind: health.agencyID)").intersection(children)
            let siblings = try await ids("""
                SELECT b.to_person_id AS id FROM person_relationships a JOIN person_relationships b ON b.from_person_id = a.from_person_id \
                WHERE a.kind = 'parent-or-carer' AND b.kind = 'parent-or-carer' AND a.to_person_id IN \
                (SELECT person_id FROM person_identifiers WHERE agency_id = \(bind: health.agencyID))
                """).intersection(children).subtracting(caseload)
            let healthDirectory = ChildDirectory(db: app.db, viewer: health)
            let sibling = try #require(siblings.first, "the demo has a caseload child whose brother or sister is off the caseload")
            #expect(try await healthDirectory.isVisible(sibling))
            // A child outside every caseload household: no parent, sibling or household member shared with a caseload child.
            let households = try await ids("""
                SELECT b.to_person_id AS id FROM person_relationships a JOIN person_relationships b ON b.from_person_id = a.from_person_id \
                WHERE a.to_person_id IN (SELECT person_id FROM person_identifiers WHERE agency_id = \(bind: health.agencyID)) \
                UNION SELECT b.from_person_id AS id FROM person_relationships a JOIN person_relationships b ON b.to_person_id = a.to_person_id \
                WHERE a.from_person_id IN (SELECT person_id FROM person_identifiers WHERE agency_id = \(bind: health.agencyID)) \
                UNION SELECT to_person_id AS id FROM person_relationships WHERE from_person_id IN (SELECT person_id FROM person_identifiers WHERE agency_id = \(bind: health.agencyID)) \
                UNION SELECT from_person_id AS id FROM person_relationships WHERE to_person_id IN (SELECT person_id FROM person_identifiers WHERE agency_id = \(bind: health.agencyID))
                """)
            let unrelated = try #require(children.subtracting(caseload).subtracting(households).first)
            #expect(try await !healthDirectory.isVisible(unrelated))

            let head = try await viewer(.virtualSchoolHead)
            let cohort = try await ids("""
                SELECT person_id AS id FROM looked_after_children UNION SELECT person_id AS id FROM social_care_children \
                UNION SELECT person_id AS id FROM person_identifiers WHERE agency_id = \(bind: head.agencyID)
                """).intersection(children)
            let unborn = try await ids("SELECT id FROM people WHERE kind = 'unborn-child'")
            let headDirectory = ChildDirectory(db: app.db, viewer: head)
            let counted = try #require(try await headDirectory.count())
            let unbornSeen = try await ids("""
                SELECT person_id AS id FROM social_care_children UNION SELECT person_id AS id FROM looked_after_children
                """).intersection(unborn).count
            #expect(counted == cohort.count + unbornSeen)
            #expect(cohort.count > 0 && cohort.count < children.count)
            let outside = try #require(children.subtracting(cohort).first)
            #expect(try await !headDirectory.isVisible(outside))
            let browser = Browser(app: app)
            _ = try await browser.signIn(email: logins.login(.virtualSchoolHead).email, password: logins.login(.virtualSchoolHead).password)
            #expect(try await browser.get("/children/\(outside.uuidString)").status == .notFound)
            #expect(try await browser.get("/children/\(try #require(cohort.first).uuidString)").status == .ok)
        }
    }

    /// The route's path with the child's id for `:id` on child routes and a fresh id (or a feed's
    /// name) for every other parameter.
    static func path(_ components: [PathComponent], child: UUID) -> String {
        "/" + components.map { component -> String in
            switch component {
            case .parameter("feed"): "cin"
            case .parameter("id"): child.uuidString
            case .parameter: UUID().uuidString
            default: component.description
            }
        }.joined(separator: "/")
    }

    /// A child the viewer's agency holds a record of (any child for roles that see every child),
    /// and a child of another agency that this agency does not know.
    static func children(for viewer: Viewer, on db: any Database) async throws -> (own: UUID?, other: UUID?) {
        let sql = db as! any SQLDatabase
        let ownRow = try await sql.raw("""
            SELECT p.id FROM people p WHERE p.kind = 'child' AND p.id IN (SELECT person_id FROM person_identifiers WHERE agency_id = \(bind: viewer.agencyID) \
            UNION SELECT person_id FROM school_enrolments WHERE agency_id = \(bind: viewer.agencyID) AND to_date IS NULL) ORDER BY p.id LIMIT 1
            """).first()
        let anyRow = try await sql.raw("SELECT p.id FROM people p WHERE p.kind = 'child' ORDER BY p.id LIMIT 1").first()
        let otherRow = try await sql.raw("""
            SELECT p.id FROM people p WHERE p.kind = 'child' AND p.id NOT IN (SELECT person_id FROM person_identifiers WHERE agency_id = \(bind: viewer.agencyID) \
            UNION SELECT person_id FROM school_enrolments WHERE agency_id = \(bind: viewer.agencyID)) ORDER BY p.id LIMIT 1
            """).first()
        let own = try (ownRow ?? (AccessPolicy.scope(for: viewer) == .everyChild ? anyRow : nil))?.decode(column: "id", as: UUID.self)
        return (own, try otherRow?.decode(column: "id", as: UUID.self))
    }
}
