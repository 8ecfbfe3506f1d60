import Vapor
import Fluent
import Store

/// Sign in with an email address and password; sign out.
struct SignInController: RouteCollection {
    let policy: SignInPolicy

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", use: show)
        routes.post("sign-in", use: signIn)
        routes.post("sign-out", use: signOut)
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
        let user = email.isEmpty ? nil : try await Accounts.find(email: email, on: req.db)

        func refuse(_ message: String, status: HTTPResponseStatus = .unauthorized) -> Response {
            HTML.response(SignInView.render(context: req.formPageContext, email: form.email, error: message), status: status)
        }

        guard let user else {
            _ = try? await req.password.async.verify(password.isEmpty ? "x" : password, created: PasswordHashing.decoyHash)
            try await AuditLog.record(.signInFailed, on: req.db, actor: String(email.prefix(254)), detail: "no such user", clientAddress: req.clientAddress)
            return refuse(SignInView.wrongCredentials)
        }
        if Accounts.isLocked(user) {
            try await AuditLog.record(.signInLocked, on: req.db, userID: user.id, actor: user.email, detail: "account locked", clientAddress: req.clientAddress)
            return refuse(SignInView.locked, status: .tooManyRequests)
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
            return refuse(nowLocked ? SignInView.locked : SignInView.wrongCredentials, status: nowLocked ? .tooManyRequests : .unauthorized)
        }
        try await Accounts.recordSuccess(user, on: req.db)
        try await AuditLog.record(.signIn, on: req.db, userID: user.id, actor: user.email, clientAddress: req.clientAddress)

        // A new session id at sign-in, so an id planted before sign-in is worth nothing after it.
        if let old = req.session.id {
            _ = try? await req.application.sessions.driver.deleteSession(old, for: req).get()
        }
        req.session.id = nil
        req.session.data["user_id"] = user.id?.uuidString
        req.session.data["signed_in_at"] = String(Date().timeIntervalSince1970)
        req.session.data["csrf"] = Request.randomToken()
        return req.redirect(to: "/", redirectType: .normal)
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
