import Vapor
import Fluent
import Store
import EyesOnCore

/// Finds the signed-in user from the session and keeps them on the request as a `Viewer`. A
/// session older than its limit, or whose user is disabled, is ended.
struct SignedInUserMiddleware: AsyncMiddleware {
    /// A sign-in lasts at most this long, however active the user.
    static let sessionLifetime: TimeInterval = 8 * 60 * 60
    /// A sign-in ends after this long without a request; pages warn `idleWarning` before
    /// (`/assets/eyeson.js`), and "Stay signed in" keeps the page and what is typed in it.
    static let idleTimeout: TimeInterval = 30 * 60
    static let idleWarning: TimeInterval = 5 * 60

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.hasSession, let idText = request.session.data["user_id"], let id = UUID(uuidString: idText) {
            let now = Date()
            let signedInAt = request.session.data["signed_in_at"].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) ?? .distantPast
            let lastSeen = request.session.data["last_seen_at"].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) ?? signedInAt
            if now.timeIntervalSince(signedInAt) < Self.sessionLifetime, now.timeIntervalSince(lastSeen) < Self.idleTimeout,
               let (viewer, pageVersion) = try await Accounts.signedIn(id: id, on: request.db) {
                request.storage[ViewerKey.self] = viewer
                request.storage[PageVersionKey.self] = pageVersion
                await request.keepHouseholdScopeCurrent(viewer)
                // To the minute: a page in the same minute changes nothing, so the session is not
                // written back (UnchangedSessions); the idle limit is 30 minutes.
                if now.timeIntervalSince(lastSeen) >= 60 {
                    request.session.data["last_seen_at"] = String(Int(now.timeIntervalSince1970))
                }
            } else {
                request.session.data["user_id"] = nil
            }
        }
        return try await next.respond(to: request)
    }
}

struct ViewerKey: StorageKey {
    typealias Value = Viewer
}

/// The request's reading of the server's clock (`Request.today`).
struct ClockReadingKey: StorageKey {
    typealias Value = (today: CivilDate, fixed: CivilDate?)
}

/// SQLite: the page version as of the request's start, read with the viewer (`PageCache`).
struct PageVersionKey: StorageKey {
    typealias Value = PageVersions.Version
}

/// Sends a signed-out visitor to the sign-in page.
struct RequireSignInMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.viewer != nil else {
            return request.redirect(to: "/sign-in", redirectType: .normal)
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The signed-in user, if any.
    var viewer: Viewer? { storage[ViewerKey.self] }

    /// Today, on the server's clock: read once a request, so every part of one page agrees.
    var today: CivilDate { clockReading.today }

    /// The test clock's date (`serve --clock-file`), read once a request; nil on the real clock.
    var fixedDate: CivilDate? { clockReading.fixed }

    private var clockReading: (today: CivilDate, fixed: CivilDate?) {
        if let reading = storage[ClockReadingKey.self] { return reading }
        let reading = application.serverClock.read()
        storage[ClockReadingKey.self] = reading
        return reading
    }

    /// The one door to child data, for the signed-in user, on the server's clock.
    /// `database`: the standby for a reporting read (`reportingRead`), else the primary.
    func childDirectory(on database: (any Database)? = nil) throws -> ChildDirectory {
        ChildDirectory(db: database ?? db, viewer: try requireViewer(), today: today,
                       auditsReads: !(application.serverOptions?.benchmarkUnauditedReads ?? false), auditWriter: application.auditWriter)
    }

    /// Audits a list, board or search the user (or their read token) looked at, in their name,
    /// through the server's group commit (`ChildDirectory.audit`).
    func auditRead(_ action: AuditAction, detail: String) async throws {
        try await childDirectory().audit(action, detail: detail + viaAPI, clientAddress: clientAddress)
    }

    /// The signed-in user; a 401 otherwise (routes behind `RequireSignInMiddleware` always have one).
    func requireViewer() throws -> Viewer {
        guard let viewer else { throw Abort(.unauthorized) }
        return viewer
    }

    /// The context for a page. Signed-in pages carry the form token (for the sign-out button); a
    /// signed-out visitor gets a session only on a page with a form (`formPageContext`).
    var pageContext: PageContext {
        PageContext(viewer: viewer, csrfToken: viewer != nil || hasSession ? csrfToken : "", currentPath: url.path, fixedDate: fixedDate,
                    demoMode: application.serverOptions?.demo ?? false)
    }

    /// The context for a page with a form: starts a session if there is none, for the form token.
    var formPageContext: PageContext {
        PageContext(viewer: viewer, csrfToken: csrfToken, currentPath: url.path, fixedDate: fixedDate,
                    demoMode: application.serverOptions?.demo ?? false)
    }

    /// The client's address for the audit trail and the sign-in throttle: the connection's, or,
    /// behind a trusted proxy (`ServerOptions.trustForwardedFor`), the last address in
    /// `X-Forwarded-For` (the one the proxy itself appended).
    var clientAddress: String? {
        if application.serverOptions?.trustForwardedFor == true,
           let forwarded = headers[.xForwardedFor].last?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
           !forwarded.isEmpty, forwarded.count <= 64 {
            return forwarded
        }
        return remoteAddress?.ipAddress
    }
}
