import Vapor

/// Turns every error into a page in the layout (or JSON for `/api/`), with a status and words a
/// person can act on, never a stack trace or a database message.
struct ErrorPageMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let status: HTTPResponseStatus
            if let abort = error as? any AbortError {
                status = abort.status
            } else {
                status = .internalServerError
            }
            if status.code >= 500 {
                request.logger.report(error: error)
            }
            if request.url.path.hasPrefix("/api/") {
                // A path the API has, asked with a method it does not take: 405 with the methods it takes.
                if status == .notFound, request.route == nil, case let allowed = Self.methods(for: request), !allowed.isEmpty {
                    let response = try API.problem(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; allowed: \(allowed.joined(separator: ", "))")
                    response.headers.replaceOrAdd(name: .allow, value: allowed.joined(separator: ", "))
                    return response
                }
                // A refusal's own words (which parameter, why); never an internal error's.
                let reason = (error as? any AbortError).map(\.reason) ?? status.reasonPhrase
                return try API.problem(status, status.code >= 500 ? status.reasonPhrase : reason)
            }
            let html = ErrorView.render(status: status, context: request.pageContext)
            let response = HTML.response(html, status: status)
            if let abort = error as? any AbortError {
                for (name, value) in abort.headers where name.lowercased() == "location" {
                    response.headers.replaceOrAdd(name: name, value: value)
                }
            }
            return response
        }
    }

    /// The methods the server takes on the request's path (matching its routes' patterns).
    static func methods(for request: Request) -> [String] {
        let parts = request.url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return request.application.routes.all.filter { route in
            route.path.count == parts.count && zip(route.path, parts).allSatisfy { component, part in
                switch component {
                case .constant(let c): c == part
                case .parameter: true
                default: false
                }
            }
        }.map(\.method.rawValue).sorted()
    }
}
