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
        routes.get("audit", use: audit)
    }

    @Sendable
    func home(req: Request) async throws -> HTML {
        let viewer = try req.requireViewer()
        let overview = try await Overview.load(for: viewer, on: req.db)
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

    @Sendable
    func users(req: Request) async throws -> HTML {
        let viewer = try req.requireViewer()
        guard viewer.role == .administrator else { throw Abort(.forbidden) }
        let users = try await UserAccount.query(on: req.db).with(\.$agency).sort(\.$email).all()
        let rows = users.map { user in
            UserRow(name: user.displayName, email: user.email, role: user.role?.title ?? user.roleRaw,
                    agency: user.agency.name, lastSignIn: user.lastSignInAt, locked: Accounts.isLocked(user))
        }
        return DirectoryViews.users(context: req.pageContext, rows: rows)
    }

    @Sendable
    func audit(req: Request) async throws -> HTML {
        let viewer = try req.requireViewer()
        guard viewer.role == .auditor else { throw Abort(.forbidden) }
        let events = try await AuditLog.recent(on: req.db, limit: 200)
        let rows = events.map { event in
            AuditRow(at: event.at, actor: event.actor ?? "–", action: event.action, personID: event.personID?.uuidString ?? "–",
                     detail: event.detail, clientAddress: event.clientAddress ?? "–")
        }
        return DirectoryViews.audit(context: req.pageContext, rows: rows)
    }
}
