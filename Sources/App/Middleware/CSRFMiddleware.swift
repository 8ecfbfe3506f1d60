import Vapor
import Store

/// Cross-site request forgery protection for every form: each session holds a random token, every
/// form carries it in `_csrf`, and any POST, PUT, PATCH or DELETE whose token does not match is
/// refused with 403 before it reaches a handler. (The future token-authenticated API under
/// `/api/` uses no cookies, so it is exempt.)
struct CSRFMiddleware: AsyncMiddleware {
    static let fieldName = "_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let unsafe: [HTTPMethod] = [.POST, .PUT, .PATCH, .DELETE]
        guard unsafe.contains(request.method), !request.url.path.hasPrefix("/api/") else {
            return try await next.respond(to: request)
        }
        // Uploads (an agency's file) may be larger than a form.
        let limit = Feed.uploadPaths.contains(request.url.path) ? Feed.maximumUpload : 1 << 20
        _ = try await request.body.collect(max: limit).get()
        let sent = (try? request.content.get(String.self, at: Self.fieldName)) ?? request.headers.first(name: "X-CSRF-Token") ?? ""
        guard request.hasSession, let expected = request.session.data["csrf"], !sent.isEmpty,
              ConstantTime.equal(sent, expected)
        else {
            request.logger.notice("refused a \(request.method) to \(request.url.path) without a valid form token")
            throw Abort(.forbidden, reason: "The form has expired or did not come from EyesOn.")
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The session's form token, made on first use (which also starts the session).
    var csrfToken: String {
        if let token = session.data["csrf"] { return token }
        let token = Self.randomToken()
        session.data["csrf"] = token
        return token
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
