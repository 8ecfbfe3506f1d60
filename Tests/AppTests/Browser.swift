import Foundation
import Vapor
import VaporTesting
import Testing
import TestSupport
import Store
import EyesOnCore
@testable import App

/// A person's browser against the app in memory: keeps the session cookie and reads the form
/// token from each page, the way a real browser submits forms.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookie: String?
    var lastBody = ""
    /// Sent as `X-Forwarded-For`, as a reverse proxy in front would (`EYESON_TRUST_FORWARDED_FOR`).
    var forwardedFor: String?

    init(app: Application) { self.app = app }

    func get(_ path: String) async throws -> TestingHTTPResponse {
        let response = try await app.testing().sendRequest(.GET, path, headers: headers())
        remember(response)
        return response
    }

    /// Posts a form; the `_csrf` token from the last page is added unless `token` says otherwise.
    func post(_ path: String, form: [String: String], token: String? = nil) async throws -> TestingHTTPResponse {
        var fields = form
        if let token = token ?? Self.csrfToken(in: lastBody) { fields["_csrf"] = token }
        let body = fields.map { "\($0.key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
            .joined(separator: "&")
        var headers = headers()
        headers.contentType = .urlEncodedForm
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// Signs in through the form, returning the response to the last POST. When the password step
    /// asks for a code, the code step is done as the user's authenticator app would: the secret is
    /// the one on the set-up page, or the one the user set up before (read from the database, as
    /// the phone holds it).
    func signIn(email: String, password: String) async throws -> TestingHTTPResponse {
        _ = try await get("/sign-in")
        let response = try await post("/sign-in", form: ["email": email, "password": password])
        guard response.headers.first(name: .location) == "/sign-in/two-factor" else { return response }
        let page = try await get("/sign-in/two-factor")
        return try await post("/sign-in/two-factor", form: ["code": try await nextCode(email: email, page: page.body.string)])
    }

    /// A code the server has not accepted yet for this user, waiting for the next 30-second step
    /// when the user has already used every step the server accepts now.
    func nextCode(email: String, page: String) async throws -> String {
        guard let user = try await Accounts.find(email: email, on: app.db), let text = user.totpSecret,
              let secret = Base32.decode(text) else { throw TwoFactorMissing(email: email) }
        if page.contains("data-secret=\"") { #expect(page.contains("data-secret=\"\(text)\"")) }
        while true {
            let now = TOTP.counter(at: Date())
            let next = max(now, UInt64((user.totpLastCounter ?? -1) + 1))
            if next <= now + 1 { return TOTP.code(secret: secret, counter: next) }
            try await Task.sleep(for: .seconds(2))
        }
    }

    struct TwoFactorMissing: Error { let email: String }

    private func headers() -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let cookie { headers.add(name: .cookie, value: "eyeson-session=\(cookie)") }
        if let forwardedFor { headers.add(name: .xForwardedFor, value: forwardedFor) }
        return headers
    }

    private func remember(_ response: TestingHTTPResponse) {
        if let value = response.headers.setCookie?["eyeson-session"] {
            cookie = value.string.isEmpty ? nil : value.string
        }
        lastBody = response.body.string
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

/// Runs `body` with the app configured on a fresh database on the engine, holding a small demo area
/// (1,000 children) and one user per role.
/// With `demo`, the server runs as `serve --demo` does (demo accounts skip two-factor); `options`
/// changes the rest of how it runs.
func withDemoApp(_ engine: Engine, demo: Bool = false, options adjust: @escaping @Sendable (inout ServerOptions) -> Void = { _ in },
                 _ body: (Application, [DemoLogin]) async throws -> Void) async throws {
    let scratch = try await ScratchDatabase(engine)
    do {
        try await withApp(configure: { app in
            var options = ServerOptions(location: scratch.location, environmentName: "testing", demo: demo)
            adjust(&options)
            try await configure(app, options: options)
        }) { app in
            let (_, logins) = try await DemoArea.load(on: app.db, children: 1_000, seed: 3)
            try await body(app, logins)
        }
    } catch {
        await scratch.remove()
        throw error
    }
    await scratch.remove()
}

extension Array where Element == DemoLogin {
    func login(_ role: EyesOnCore.Role) -> DemoLogin { first { $0.role == role }! }
}
