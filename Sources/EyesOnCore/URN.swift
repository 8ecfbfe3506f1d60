/// A school or setting's unique reference number (Ofsted/DfE URN): 6 or 7 digits,
/// from 100000 to 9999999.
public struct URN: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The number, 100000…9999999.
    public let value: Int

    /// The values a URN may take.
    public static let validRange = 100_000...9_999_999

    /// Validates a URN written as 6 or 7 digits (surrounding white space is ignored).
    public init(_ text: String) throws(IdentifierError) {
        let given = IdentifierText.trimmed(text)
        func fail(_ reason: String) -> IdentifierError {
            IdentifierError(field: "URN", value: given, reason: reason)
        }
        guard !given.isEmpty else { throw fail("is empty; a URN is 6 or 7 digits") }
        if let bad = given.first(where: { !IdentifierText.isASCIIDigit($0) }) {
            throw fail("must contain only digits; found '\(bad)'")
        }
        guard given.count == 6 || given.count == 7 else {
            throw fail("must be 6 or 7 digits; got \(given.count)")
        }
        guard given.first != "0" else { throw fail("cannot start with 0") }
        self.value = Int(given)!
    }

    /// A URN from its number, or `nil` outside ``validRange``.
    public init?(value: Int) {
        guard Self.validRange.contains(value) else { return nil }
        self.value = value
    }

    /// The digits, e.g. `100000`.
    public var description: String { String(value) }

    public static func < (a: URN, b: URN) -> Bool { a.value < b.value }

    /// Decodes from a JSON number (or a string of digits), validating it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            guard let urn = URN(value: number) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "URN '\(number)': must be 6 or 7 digits, 100000 to 9999999")
            }
            self = urn
        } else {
            let text = try container.decode(String.self)
            do { try self.init(text) } catch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
            }
        }
    }

    /// Encodes as a number.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
