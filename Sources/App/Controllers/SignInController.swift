import Vapor
import Fluent
import Store

/// Sign in with an email address and password, then (for every role that sees named children) a
/// code from an authenticator app (RFC 6238), set up at the first sign-in; sign out.
struct SignInController: RouteCollection {
    let policy: SignInPolicy
    /// Failed sign-ins counted by client address (`SignInPolicy.maximumFailuresPerAddress`).
    let throttle: SignInThrottle
    /// `serve --demo`: the demo accounts skip two-factor (every page says so). Never otherwise.
    let demoMode: Bool

    /// How long the code step may follow the password.
    static let codeStepLifetime: TimeInterval = 5 * 60

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", use: show)
        routes.post("sign-in", use: signIn)
        routes.get("sign-in", "two-factor", use: showCode)
        routes.post("sign-in", "two-factor", use: checkCode)
        routes.post("sign-out", use: signOut)
        routes.post("session", "keep-alive", use: keepAlive)
    }

    /// "Stay signed in" and typing in a form (`/assets/eyeson.js`): the request itself renews the
    /// idle clock (`SignedInUserMiddleware`); 401 once the sign-in has ended.
    @Sendable
    func keepAlive(req: Request) async throws -> Response {
        guard req.viewer != nil else { throw Abort(.unauthorized) }
        let response = Response(status: .ok)
        try response.content.encode(["idleTimeoutSeconds": Int(SignedInUserMiddleware.idleTimeout)])
        return response
    }

    struct CodeForm: Content {
        var code: String?
    }

    struct Form: Content {
        var email: String?
        var password: String?
    }

    @Sendable
    func show(req: Request) async throws -> Response {
        if req.viewer != nil { return req.redirect(to: "/") }
        return try await SignInView.render(context: req.formPageContext, email: nil, error: nil).encodeResponse(for: req)
    }

    /// One message for an unknown email and a wrong password, so the page never reveals who has an
    /// account. An unknown email still costs a Bcrypt check, so timing does not tell either.
    @Sendable
    func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let email = Accounts.normalisedEmail(form.email ?? "")
        let password = form.password ?? ""
        if let refused = try await throttled(req, actor: String(email.prefix(254)), email: form.email) { return refused }
        let user = email.isEmpty ? nil : try await Accounts.find(email: email, on: req.db)

        func refuse(_ message: String, status: HTTPResponseStatus = .unauthorized) async -> Response {
            await throttle.recordFailure(from: Self.throttleKey(req))
            return HTML.response(SignInView.render(context: req.formPageContext, email: form.email, error: message), status: status)
        }

        guard let user else {
            _ = try? await req.password.async.verify(password.isEmpty ? "x" : password, created: PasswordHashing.decoyHash)
            try await AuditLog.record(.signInFailed, on: req.db, actor: String(email.prefix(254)), detail: "no such user", clientAddress: req.clientAddress)
            return await refuse(SignInView.wrongCredentials)
        }
        if Accounts.isLocked(user) {
            try await AuditLog.record(.signInLocked, on: req.db, userID: user.id, actor: user.email, detail: "account locked", clientAddress: req.clientAddress)
            return await refuse(SignInView.locked, status: .tooManyRequests)
        }
        var matches = false
        if !password.isEmpty {
            matches = (try? await req.password.async.verify(password, created: user.passwordHash)) ?? false
        }
        guard matches, !user.disabled else {
            try await Accounts.recordFailure(user, on: req.db, policy: policy)
            let nowLocked = Accounts.isLocked(user)
            try await AuditLog.record(.signInFailed, on: req.db, userID: user.id, actor: user.email,
                                      detail: nowLocked ? "wrong password; account now locked" : "wrong password", clientAddress: req.clientAddress)
            return await refuse(nowLocked ? SignInView.locked : SignInView.wrongCredentials, status: nowLocked ? .tooManyRequests : .unauthorized)
        }
        if Accounts.needsTwoFactor(user) && !(demoMode && Self.isDemoAccount(user)) {
            // The password is right; the code comes next, in a fresh session that is not signed in.
            try await renewSession(req)
            req.session.data["pending_user_id"] = user.id?.uuidString
            req.session.data["pending_since"] = String(Date().timeIntervalSince1970)
            return req.redirect(to: "/sign-in/two-factor", redirectType: .normal)
        }
        let detail = Accounts.needsTwoFactor(user) ? "demo account: two-factor skipped in demo mode" : "password only (the role sees no named child)"
        return try await complete(user, req: req, detail: detail)
    }

    /// The code step: the form for a user who has set up two-factor, or the set-up page with the
    /// secret for one who has not.
    @Sendable
    func showCode(req: Request) async throws -> Response {
        if req.viewer != nil { return req.redirect(to: "/") }
        guard let user = try await pendingUser(req) else { return req.redirect(to: "/sign-in", redirectType: .normal) }
        return try await codePage(for: user, req: req, error: nil, status: .ok)
    }

    @Sendable
    func checkCode(req: Request) async throws -> Response {
        guard let user = try await pendingUser(req) else { return req.redirect(to: "/sign-in", redirectType: .normal) }
        if let refused = try await throttled(req, actor: user.email, email: user.email, userID: user.id) {
            req.session.data["pending_user_id"] = nil
            return refused
        }
        if Accounts.isLocked(user) {
            await throttle.recordFailure(from: Self.throttleKey(req))
            try await AuditLog.record(.signInLocked, on: req.db, userID: user.id, actor: user.email, detail: "account locked", clientAddress: req.clientAddress)
            req.session.data["pending_user_id"] = nil
            return HTML.response(SignInView.render(context: req.formPageContext, email: user.email, error: SignInView.locked), status: .tooManyRequests)
        }
        let code = (try? req.content.decode(CodeForm.self))?.code ?? ""
        let settingUp = user.totpConfirmedAt == nil
        guard try await Accounts.acceptTwoFactorCode(code, for: user, on: req.db) else {
            await throttle.recordFailure(from: Self.throttleKey(req))
            try await Accounts.recordFailure(user, on: req.db, policy: policy)
            let nowLocked = Accounts.isLocked(user)
            try await AuditLog.record(.signInFailed, on: req.db, userID: user.id, actor: user.email,
                                      detail: nowLocked ? "wrong two-factor code; account now locked" : "wrong two-factor code", clientAddress: req.clientAddress)
            if nowLocked {
                req.session.data["pending_user_id"] = nil
                return HTML.response(SignInView.render(context: req.formPageContext, email: user.email, error: SignInView.locked), status: .tooManyRequests)
            }
            return try await codePage(for: user, req: req, error: SignInView.wrongCode, status: .unauthorized)
        }
        return try await complete(user, req: req, detail: settingUp ? "with two-factor, set up now" : "with two-factor")
    }

    /// The refusal when the client's address has had too many failed sign-ins lately (audited,
    /// with a Retry-After), or nil when it may try. The right password is refused too, so a
    /// guesser learns nothing from the answer.
    private func throttled(_ req: Request, actor: String, email: String?, userID: UUID? = nil) async throws -> Response? {
        guard let wait = await throttle.refusal(for: Self.throttleKey(req)) else { return nil }
        let minutes = Int((wait / 60).rounded(.up))
        try await AuditLog.record(.signInThrottled, on: req.db, userID: userID, actor: actor,
                                  detail: "too many failed sign-ins from this address; refused for \(minutes) more minute\(minutes == 1 ? "" : "s")",
                                  clientAddress: req.clientAddress)
        let response = HTML.response(SignInView.render(context: req.formPageContext, email: email, error: SignInView.throttled(minutes: minutes)),
                                     status: .tooManyRequests)
        response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
        return response
    }

    static func throttleKey(_ req: Request) -> String { req.clientAddress ?? "unknown" }

    /// Signs the user in: resets their failures, audits it, and starts a new session.
    private func complete(_ user: UserAccount, req: Request, detail: String) async throws -> Response {
        try await Accounts.recordSuccess(user, on: req.db)
        try await AuditLog.record(.signIn, on: req.db, userID: user.id, actor: user.email, detail: detail, clientAddress: req.clientAddress)
        try await renewSession(req)
        let now = String(Date().timeIntervalSince1970)
        req.session.data["user_id"] = user.id?.uuidString
        req.session.data["signed_in_at"] = now
        req.session.data["last_seen_at"] = now
        return req.redirect(to: "/", redirectType: .normal)
    }

    /// A new session id (and form token) at each step, so an id planted before sign-in is worth
    /// nothing after it.
    private func renewSession(_ req: Request) async throws {
        if let old = req.session.id {
            _ = try? await req.application.sessions.driver.deleteSession(old, for: req).get()
        }
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data["csrf"] = Request.randomToken()
    }

    /// The user whose password was right a moment ago in this session, if the code step is still open.
    private func pendingUser(_ req: Request) async throws -> UserAccount? {
        guard req.hasSession, let text = req.session.data["pending_user_id"], let id = UUID(uuidString: text),
              let since = req.session.data["pending_since"].flatMap(Double.init),
              Date().timeIntervalSince1970 - since < Self.codeStepLifetime,
              let user = try await Accounts.find(id: id, on: req.db), !user.disabled else { return nil }
        return user
    }

    private func codePage(for user: UserAccount, req: Request, error: String?, status: HTTPResponseStatus) async throws -> Response {
        if user.totpConfirmedAt != nil {
            return HTML.response(SignInView.code(context: req.formPageContext, error: error), status: status)
        }
        let secret = try await Accounts.pendingTwoFactorSecret(for: user, on: req.db)
        return HTML.response(SignInView.setUpTwoFactor(
            context: req.formPageContext, secret: Base32.encode(secret),
            uri: TOTP.provisioningURI(secret: secret, account: user.email, issuer: "EyesOn"), error: error), status: status)
    }

    static func isDemoAccount(_ user: UserAccount) -> Bool {
        user.email.hasSuffix("@" + DemoArea.emailDomain)
    }

    @Sendable
    func signOut(req: Request) async throws -> Response {
        if let viewer = req.viewer {
            try await AuditLog.record(.signOut, on: req.db, userID: viewer.userID, actor: viewer.email, clientAddress: req.clientAddress)
        }
        req.session.destroy()
        return req.redirect(to: "/sign-in", redirectType: .normal)
    }
}
