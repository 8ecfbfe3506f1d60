import Vapor

/// What every `/api/v1` answer shares: JSON (dates as ISO 8601, keys sorted), never cached, and
/// errors as `{"error": …}` with the file, line and field where there is one.
enum API {
    struct Problem: Content {
        var error: String
        var file: String?
        var line: Int?
        var field: String?
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json<T: Encodable>(_ value: T, _ status: HTTPStatus) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(data: try encoder.encode(value)))
    }

    static func problem(_ status: HTTPStatus, _ error: String, file: String? = nil, line: Int? = nil, field: String? = nil) throws -> Response {
        try json(Problem(error: error, file: file, line: line, field: field), status)
    }

    /// 401, asking for a bearer token.
    static func unauthorised() throws -> Response {
        let response = try problem(.unauthorized, "a valid API token is required (Authorization: Bearer TOKEN)")
        response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
        return response
    }
}
