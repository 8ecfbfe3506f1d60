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
                let body = ["error": status.reasonPhrase]
                let response = Response(status: status)
                try response.content.encode(body, as: .json)
                return response
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
}
