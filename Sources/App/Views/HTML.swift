import Vapor

/// A fragment of HTML. Interpolated strings are escaped; only other `HTML` values are inserted as
/// they are. This is what keeps a child named `<script>` in a feed from ever becoming markup.
public struct HTML: Sendable, ExpressibleByStringInterpolation, ExpressibleByStringLiteral {
    public var rendered: String

    public init(unsafeRaw: String) { rendered = unsafeRaw }
    public init(stringLiteral value: String) { rendered = value }
    public init(stringInterpolation: StringInterpolation) { rendered = stringInterpolation.output }

    public static let empty = HTML(unsafeRaw: "")

    public struct StringInterpolation: StringInterpolationProtocol {
        var output = ""
        public init(literalCapacity: Int, interpolationCount: Int) { output.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { output += literal }
        public mutating func appendInterpolation(_ text: String) { output += HTML.escape(text) }
        public mutating func appendInterpolation(_ text: String?) { output += HTML.escape(text ?? "") }
        public mutating func appendInterpolation(_ number: Int) { output += String(number) }
        public mutating func appendInterpolation(_ html: HTML) { output += html.rendered }
        public mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { output += part.rendered } }
        public mutating func appendInterpolation<T: CustomStringConvertible>(describing value: T) { output += HTML.escape(value.description) }
    }

    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// Joins fragments.
    public static func join(_ parts: [HTML], separator: HTML = .empty) -> HTML {
        HTML(unsafeRaw: parts.map(\.rendered).joined(separator: separator.rendered))
    }
}

extension HTML: AsyncResponseEncodable {
    public func encodeResponse(for request: Request) async throws -> Response {
        Self.response(self, status: .ok)
    }

    static func response(_ html: HTML, status: HTTPResponseStatus) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: html.rendered))
    }
}
