/// An NHS Organisation Data Service code for a health organisation: 3 to 6 letters and
/// digits, upper case (a GP practice `A81001`, a trust `RX1`).
public struct ODSCode: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The code, upper case.
    public let value: String

    /// Validates an ODS code; trims surrounding white space and upper-cases it.
    public init(_ text: String) throws(IdentifierError) {
        let given = IdentifierText.trimmed(text)
        func fail(_ reason: String) -> IdentifierError {
            IdentifierError(field: "ODS code", value: given, reason: reason)
        }
        guard !given.isEmpty else { throw fail("is empty; an ODS code is 3 to 6 letters and digits") }
        if let bad = given.first(where: { !IdentifierText.isASCIIDigit($0) && !IdentifierText.isASCIILetter($0) }) {
            throw fail("may contain only letters and digits; found '\(bad)'")
        }
        guard (3...6).contains(given.count) else {
            throw fail("must be 3 to 6 letters and digits; got \(given.count)")
        }
        self.value = IdentifierText.upperASCII(given)
    }

    /// Whether `text` is a valid ODS code.
    public static func isValid(_ text: String) -> Bool {
        (try? ODSCode(text)) != nil
    }

    /// The code.
    public var description: String { value }

    public static func < (a: ODSCode, b: ODSCode) -> Bool { a.value < b.value }

    /// Decodes from a string, validating it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes as the upper-case code.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
