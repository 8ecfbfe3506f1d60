import Vapor
import EyesOnCore
import Store

/// Who may use a route: one line per route, in one table (`RouteAccess.rules`). The access policy
/// (`AccessPolicy`, `ChildDirectory`) decides which children a user sees; this decides which pages
/// and actions their role has at all. Each handler still asks the policy for the child.
struct RouteRule: Sendable {
    /// Who, in words (for the access matrix's messages and the README).
    let who: String
    /// Nil for a route open without sign-in (sign-in itself, health, assets, the token-checked API).
    let allows: (@Sendable (Viewer) -> Bool)?
    /// The route parameter holding a child's id, when the route shows or changes one child: a
    /// refused request then gets the same 404 as a child that does not exist.
    var childParameter: String? = nil
    /// Break-glass: the route is for a child outside the role's scope, so it answers a child the
    /// role may not see exactly as one that does not exist, until a reason is given.
    var outsideScope = false
    /// Proposing for the list: a school's safeguarding lead may propose any pupil on its roll
    /// (`ChildDirectory.pupilToPropose`), not only the children the policy shows it.
    var alsoPupilsOnRoll = false
    /// Answer a refusal with 404, as if the page did not exist (routes about one child always do).
    var hidden = false

    /// What a user the rule refuses gets.
    var refusal: HTTPResponseStatus { childParameter != nil || hidden ? .notFound : .forbidden }

    /// The same rule, refusing with 404 (a serious incident's existence is not told to others).
    func hiddenFromOthers() -> RouteRule {
        var rule = self
        rule.hidden = true
        return rule
    }

    static let open = RouteRule(who: "anyone (no sign-in; the API checks its token)", allows: nil)
    static let signedIn = RouteRule(who: "any signed-in user") { _ in true }
    /// Roles that open named children's records (the policy's scope).
    static let opensRecords = RouteRule(who: "roles that open children's records") { AccessPolicy.scope(for: $0).mayOpenRecords }
    /// Children's social care's area-wide roles.
    static let areaWide = RouteRule(who: "children's social care social workers and front door") { AccessPolicy.worksAcrossTheArea($0) }

    /// The local authority's analysts and children's social care's area-wide roles (`AccessPolicy.mayWorkOnReturns`).
    static let returns = RouteRule(who: "the local authority's analysts and children's social care") { AccessPolicy.mayWorkOnReturns($0) }

    /// The partnership administrator and children's social care's team managers (`AccessPolicy.mayKeepWorkforceRecords`).
    static let workforce = RouteRule(who: "the partnership administrator and children's social care's team managers") { AccessPolicy.mayKeepWorkforceRecords($0) }

    static let governanceReaders = RouteRule(who: "the partnership administrator and the local authority's analysts") { AccessPolicy.mayReadGovernance($0) }
    static let governanceKeepers = RouteRule(who: "the partnership administrator") { AccessPolicy.mayKeepGovernance($0) }
    /// Every member agency answers the assurance surveys; the auditor belongs to none's practice.
    static let surveyAnswerers = RouteRule(who: "every member agency's users but the auditor") { $0.role != .auditor }

    static func role(_ role: Role) -> RouteRule { RouteRule(who: role.title) { $0.role == role } }

    /// The same rule, for one child named by `parameter`.
    func child(_ parameter: String = "id") -> RouteRule {
        RouteRule(who: who + ", for a child they may see", allows: allows, childParameter: parameter, hidden: hidden)
    }
}

enum RouteAccess {
    /// May use the import history and reports: a role that uploads some feed, or children's social care's practitioners.
    static func readsImports(_ viewer: Viewer) -> Bool {
        AccessPolicy.scope(for: viewer).mayOpenRecords && (!Feed.allowed(for: viewer).isEmpty || viewer.agencyKind == .laChildrensSocialCare)
    }

    /// Every route the server has, by "METHOD /path/:parameter". A route missing here is refused to
    /// everyone (deny by default), and the access-matrix test fails on it.
    static let rules: [String: RouteRule] = {
        var rules: [String: RouteRule] = [
            "GET /health": .open,
            "GET /ready": .open,
            "GET /metrics": .open,
            "GET /assets/eyeson.css": .open,
            "GET /assets/eyeson.js": .open,
            "GET /sign-in": .open,
            "GET /help": .open,
            "POST /sign-in": .open,
            "GET /sign-in/two-factor": .open,
            "POST /sign-in/two-factor": .open,
            "POST /sign-out": .open,
            "POST /session/keep-alive": .open,
            "POST /api/v1/feeds/:feed": .open,
            "GET /api/v1/openapi.json": .open,
            // The reading API: a read token reads as its user (APIReaderMiddleware), by the same rules as the pages.
            "GET /api/v1/board": .opensRecords,
            "GET /api/v1/list": .opensRecords,
            "GET /api/v1/children/:id": RouteRule.opensRecords.child(),
            "GET /api/v1/tasks": .opensRecords,
            "GET /api/v1/notices": RouteRule(who: "schools' safeguarding leads, the police and children's social care") { Encompass.reach(for: $0) != .none },

            "GET /": .signedIn,
            "GET /agencies": .signedIn,
            "GET /users": .role(.administrator),
            "POST /users/:email/disable": .role(.administrator),
            "POST /users/:email/enable": .role(.administrator),
            "GET /audit": .role(.auditor),
            "GET /audit/verify": .role(.auditor),

            "GET /children": .opensRecords,
            "GET /children/:id": RouteRule.opensRecords.child(),
            "POST /children/:id/break-glass": RouteRule(who: "roles that see their agency's children only", allows: {
                if case .linkedToAgency = AccessPolicy.scope(for: $0) { return true }
                return false
            }, childParameter: "id", outsideScope: true),

            "GET /children/:id/sharing/new": RouteRule.opensRecords.child(),
            "POST /children/:id/sharing": RouteRule.opensRecords.child(),

            "GET /list": .opensRecords,
            "GET /list/suggestions": .opensRecords,
            "GET /list/:id": .opensRecords,
            "POST /list/:id/agree": .opensRecords,
            "POST /list/:id/meeting": .opensRecords,
            "POST /list/:id/decline": .opensRecords,
            "POST /list/:id/remove": .opensRecords,
            "GET /children/:id/propose": RouteRule(who: "roles that open children's records, and schools for pupils on their roll",
                                                   allows: RouteRule.opensRecords.allows, childParameter: "id", alsoPupilsOnRoll: true),
            "POST /children/:id/propose": RouteRule(who: "roles that open children's records, and schools for pupils on their roll",
                                                    allows: RouteRule.opensRecords.allows, childParameter: "id", alsoPupilsOnRoll: true),
            "GET /hidden-children": .areaWide,
            "GET /school/propose": RouteRule(who: "a school's safeguarding lead") {
                $0.role == .safeguardingLead && AccessPolicy.scope(for: $0).mayOpenRecords && $0.agencyKind.isEducationSetting
            },

            "GET /board": .opensRecords,
            "GET /tasks": .opensRecords,
            "POST /tasks/:id": .opensRecords,
            "GET /caseload": .opensRecords,
            "GET /school": RouteRule(who: "a school's safeguarding lead") {
                AccessPolicy.scope(for: $0).mayOpenRecords && $0.agencyKind.isEducationSetting
            },
            "GET /virtual-school": RouteRule(who: "local-authority roles that open children's records") {
                AccessPolicy.scope(for: $0).mayOpenRecords && $0.agencyKind.isLocalAuthority
            },
            "GET /back-to-school": .opensRecords,
            "GET /children/:id/contact": RouteRule.opensRecords.child(),
            "POST /children/:id/contact": RouteRule.opensRecords.child(),

            "GET /imports": RouteRule(who: "roles that upload a feed, and children's social care", allows: readsImports),
            "GET /imports/:id": RouteRule(who: "roles that upload a feed, and children's social care", allows: readsImports),
            "GET /imports/:id/problems.csv": RouteRule(who: "roles that upload a feed, and children's social care", allows: readsImports),

            "GET /matching": .areaWide,
            "POST /matching/:feed/:id": .areaWide,
            "POST /matching/:feed/:id/not-same": .areaWide,
            "POST /matching/:feed/:id/skip": .areaWide,
            "POST /matching/run": .areaWide,
            "POST /children/:id/records/:feed/:record/unlink": .areaWide,
            "GET /timescales": .areaWide,

            "GET /serious-incidents": RouteRule.areaWide.hiddenFromOthers(),
            "GET /serious-incidents/:incident": RouteRule.areaWide.hiddenFromOthers(),
            "POST /serious-incidents/:incident/steps": RouteRule.areaWide.hiddenFromOthers(),
            "GET /serious-incidents/:incident/notification.json": RouteRule.areaWide.hiddenFromOthers(),
            "GET /children/:id/serious-incidents/new": RouteRule.areaWide.child(),
            "POST /children/:id/serious-incidents": RouteRule.areaWide.child(),

            "GET /children/:id/conferences/new": RouteRule.areaWide.child(),
            "POST /children/:id/conferences": RouteRule.areaWide.child(),
            "GET /children/:id/visits/new": RouteRule.areaWide.child(),
            "POST /children/:id/visits": RouteRule.areaWide.child(),
            "GET /children/:id/placements/new": RouteRule.areaWide.child(),
            "POST /children/:id/placements": RouteRule.areaWide.child(),

            "GET /returns": .returns,
            "GET /returns/new": .returns,
            "GET /returns/attendance": .returns,
            "GET /returns/yearly": .returns,
            "GET /returns/yearly/edit": .returns,
            "POST /returns/yearly/edit": .returns,
            "POST /returns": .returns,
            "GET /returns/:id": .returns,
            "POST /returns/:id/sign-off": .returns,
            "GET /returns/:id/export.csv": .returns,
            "GET /returns/:id/export.json": .returns,
            // The children behind a figure: named children, for children's social care only.
            "GET /returns/:id/lines/:line": .areaWide,
            "GET /signposting": .role(.administrator),
            "POST /signposting": .role(.administrator),
            "GET /workforce": .workforce,
            "POST /workforce/absence": .workforce,
            "POST /workforce/dbs": .workforce,
            "POST /workforce/dbs/:id/issued": .workforce,
            "GET /governance": .governanceReaders,
            "GET /governance/surveys/:id": .governanceReaders,
            "POST /governance/delegations": .governanceKeepers,
            "POST /governance/surveys": .governanceKeepers,
            "POST /governance/decisions": .governanceKeepers,
            "POST /governance/decisions/:id/done": .governanceKeepers,
            "GET /surveys": .surveyAnswerers,
            "GET /surveys/:id": .surveyAnswerers,
            "POST /surveys/:id": .surveyAnswerers,
            "GET /placements": .workforce,
            "POST /placements/capacity": .workforce,
            "POST /placements/arrivals": .workforce,

            "GET /notices": RouteRule(who: "schools' safeguarding leads, the police and children's social care") { Encompass.reach(for: $0) != .none },
            "GET /notices/:id": RouteRule(who: "schools' safeguarding leads, the police and children's social care") { Encompass.reach(for: $0) != .none },
            "POST /notices/:id/acknowledge": RouteRule(who: "schools' safeguarding leads, the police and children's social care") { Encompass.reach(for: $0) != .none },
        ]
        for feed in Feed.allCases {
            let rule = RouteRule(who: "who may send the \(feed.rawValue) feed") { feed.mayUpload($0) }
            rules["GET \(feed.path)"] = rule
            rules["POST \(feed.path)"] = rule
        }
        return rules
    }()

    static func key(_ method: HTTPMethod, _ path: [PathComponent]) -> String {
        "\(method.rawValue) " + pattern(path)
    }

    /// A route's pattern as people write it: `/children/:id`.
    static func pattern(_ path: [PathComponent]) -> String {
        "/" + path.map(\.description).joined(separator: "/")
    }
}

/// Refuses a signed-in request its role's rule does not allow, before the handler runs: 404 for a
/// route about one child (as for a child that does not exist), 403 otherwise. A route with no rule
/// is refused to everyone.
struct RouteAccessMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let route = request.route else { throw Abort(.notFound) }
        let key = RouteAccess.key(route.method, route.path)
        guard let rule = RouteAccess.rules[key] else {
            request.logger.error("route \(key) has no access rule (RouteAccess.rules): refused")
            throw Abort(.notFound)
        }
        if let allows = rule.allows {
            guard let viewer = request.viewer else { return request.redirect(to: "/sign-in", redirectType: .normal) }
            guard allows(viewer) else { throw Abort(rule.refusal) }
        }
        return try await next.respond(to: request)
    }
}
