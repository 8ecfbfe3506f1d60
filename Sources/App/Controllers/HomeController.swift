import Vapor
import Fluent
import EyesOnCore
import Store

/// The home page and the partnership's directories: agencies, users (administrators) and the audit
/// trail (auditors).
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("agencies", use: agencies)
        routes.get("users", use: users)
        routes.post("users", ":email", "disable") { req in try await setDisabled(true, req: req) }
        routes.post("users", ":email", "enable") { req in try await setDisabled(false, req: req) }
        routes.get("audit", use: audit)
        routes.get("audit", "verify", use: verifyAudit)
    }

    @Sendable
    func home(req: Request) async throws -> HTML {
        let viewer = try req.requireViewer()
        let today = req.today
        let overview = try await req.reportingRead { db in try await Overview.load(for: viewer, on: db, today: today) }
        return HomeView.render(context: req.pageContext, viewer: viewer, overview: overview)
    }

    @Sendable
    func agencies(req: Request) async throws -> HTML {
        _ = try req.requireViewer()
        let agencies = try await Agency.query(on: req.db).sort(\.$kindRaw).sort(\.$name).all()
        let users = try await UserAccount.query(on: req.db).all()
        let userCounts = Dictionary(grouping: users, by: { $0.$agency.id }).mapValues(\.count)
        let rows = agencies.map { agency in
            AgencyRow(name: agency.name, kind: agency.kind?.title ?? agency.kindRaw,
                      reference: agency.urn.map { "URN \($0)" } ?? agency.odsCode.map { "ODS \($0)" } ?? "–",
                      users: agency.id.flatMap { userCounts[$0] } ?? 0)
        }
        return DirectoryViews.agencies(context: req.pageContext, rows: rows)
    }

    /// The administrator disables or enables an account from the Users page (audited by `Accounts`);
    /// not their own, so nobody locks the partnership out by a slip.
    func setDisabled(_ disabled: Bool, req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        guard viewer.role == .administrator else { throw Abort(.forbidden) }
        guard let email = req.parameters.get("email")?.removingPercentEncoding, Accounts.normalisedEmail(email) != viewer.email else {
            throw Abort(.unprocessableEntity, reason: "You cannot disable your own account.")
        }
        guard try await Accounts.setDisabled(disabled, email: email, actor: viewer.email, on: req.db) else { throw Abort(.notFound) }
        return req.redirect(to: "/users", redirectType: .normal)
    }

    @Sendable
    func users(req: Request) async throws -> HTML {
        let viewer = try req.requireViewer()
        guard viewer.role == .administrator else { throw Abort(.forbidden) }
        let users = try await UserAccount.query(on: req.db).with(\.$agency).sort(\.$email).all()
        let rows = users.map { user in
            UserRow(name: user.displayName, email: user.email, role: user.role?.title ?? user.roleRaw,
                    agency: user.agency.name, lastSignIn: user.lastSignInAt, locked: Accounts.isLocked(user),
                    disabled: user.disabled, twoFactor: user.totpConfirmedAt != nil)
        }
        return DirectoryViews.users(context: req.pageContext, rows: rows)
    }

    @Sendable
    func audit(req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        guard viewer.role == .auditor else { throw Abort(.forbidden) }
        let form = AuditSearchForm(user: req.query[String.self, at: "user"] ?? "", child: req.query[String.self, at: "child"] ?? "",
                                   from: req.query[String.self, at: "from"] ?? "", to: req.query[String.self, at: "to"] ?? "")
        var search = AuditLog.Search()
        var errors: [FieldError] = []
        search.actor = form.user.trimmingCharacters(in: .whitespaces).lowercased()
        let child = form.child.trimmingCharacters(in: .whitespaces)
        if !child.isEmpty {
            // A child's page address or its id.
            if let id = UUID(uuidString: String(child.split(separator: "/").last ?? "")) { search.personID = id }
            else { errors.append(FieldError(field: "child", message: "Enter the child's record id, or the address of their page")) }
        }
        for (field, text) in [("from", form.from), ("to", form.to)] where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let day = ChildrenController.parseDate(text.trimmingCharacters(in: .whitespaces)) else {
                errors.append(FieldError(field: field, message: "Enter a date like 27/3/2026")); continue
            }
            if field == "from" { search.from = day.startOfDay() } else { search.to = day.adding(days: 1).startOfDay() }
        }
        let events = errors.isEmpty ? try await AuditLog.search(search, on: req.db, limit: 200) : []
        let rows = events.map { event in
            AuditRow(at: event.at, actor: event.actor ?? "–", action: event.action, personID: event.personID?.uuidString ?? "–",
                     detail: event.detail, clientAddress: event.clientAddress ?? "–", seq: event.seq)
        }
        let bursts = try await AuditLog.bursts(since: Date().addingTimeInterval(-30 * 86_400), on: req.db)
        try await AuditLog.record(.auditSearched, on: req.db, userID: viewer.userID, actor: viewer.email,
                                  detail: "searched the audit trail (\(rows.count) entries)", clientAddress: req.clientAddress)
        let html = DirectoryViews.audit(context: req.pageContext, rows: rows, form: form, errors: errors, bursts: bursts, verified: nil)
        return HTML.response(html, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// Walks the hash chain now and says whether it holds, and where not.
    @Sendable
    func verifyAudit(req: Request) async throws -> HTML {
        let viewer = try req.requireViewer()
        guard viewer.role == .auditor else { throw Abort(.forbidden) }
        let report = try await AuditChain.verify(on: req.db)
        try await AuditLog.record(.auditSearched, on: req.db, userID: viewer.userID, actor: viewer.email,
                                  detail: "verified the audit trail's hash chain: " + (report.isIntact ? "intact, \(report.entries) entries" : "\(report.problems.count) problem(s)"),
                                  clientAddress: req.clientAddress)
        let bursts = try await AuditLog.bursts(since: Date().addingTimeInterval(-30 * 86_400), on: req.db)
        return DirectoryViews.audit(context: req.pageContext, rows: [], form: AuditSearchForm(), errors: [], bursts: bursts, verified: report)
    }
}

/// The audit search as typed.
struct AuditSearchForm: Sendable {
    var user = ""
    var child = ""
    var from = ""
    var to = ""
}
