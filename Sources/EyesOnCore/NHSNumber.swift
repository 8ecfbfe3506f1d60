/// An NHS number: ten digits whose last digit is a modulus 11 check digit (STANDARDS §4.1).
///
/// ```swift
/// let n = try NHSNumber("943 476 5919")
/// n.digits      // "9434765919"
/// n.formatted   // "943 476 5919"
/// ```
public struct NHSNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The ten digits, without spaces.
    public let digits: String

    /// Validates an NHS number written with or without spaces or hyphens
    /// (`9434765919`, `943 476 5919`, `943-476-5919`).
    public init(_ text: String) throws(IdentifierError) {
        let given = IdentifierText.trimmed(text)
        func fail(_ reason: String) -> IdentifierError {
            IdentifierError(field: "NHS number", value: given, reason: reason)
        }
        guard !given.isEmpty else { throw fail("is empty; an NHS number is 10 digits") }
        var digits = ""
        digits.reserveCapacity(10)
        for c in given {
            if IdentifierText.isASCIIDigit(c) {
                digits.append(c)
            } else if c != " " && c != "-" {
                throw fail("may contain only digits, spaces and hyphens; found '\(c)'")
            }
        }
        guard digits.count == 10 else {
            throw fail("must be 10 digits; got \(digits.count)")
        }
        let firstNine = String(digits.prefix(9))
        let last = IdentifierText.digitValue(digits.last!)!
        guard let expected = Self.checkDigit(forFirstNine: firstNine) else {
            throw fail("no valid NHS number starts with \(firstNine) (its check digit would be 10)")
        }
        guard expected == last else {
            throw fail("the check digit should be \(expected), not \(last)")
        }
        self.digits = digits
    }

    /// The modulus 11 check digit for the first nine digits, or `nil` when the
    /// algorithm gives 10 (no valid NHS number starts with those digits) or the
    /// input is not nine ASCII digits.
    ///
    /// Weights 10, 9, … 2; `check = 11 − (sum mod 11)`; 11 becomes 0.
    public static func checkDigit(forFirstNine digits: String) -> Int? {
        guard digits.count == 9 else { return nil }
        var sum = 0
        var weight = 10
        for c in digits {
            guard let d = IdentifierText.digitValue(c) else { return nil }
            sum += d * weight
            weight -= 1
        }
        let check = 11 - sum % 11
        switch check {
        case 11: return 0
        case 10: return nil
        default: return check
        }
    }

    /// Whether `text` is a valid NHS number (see ``init(_:)``).
    public static func isValid(_ text: String) -> Bool {
        (try? NHSNumber(text)) != nil
    }

    /// The number in the NHS's 3-3-4 display form: `943 476 5919`.
    public var formatted: String {
        let chars = Array(digits)
        return String(chars[0..<3]) + " " + String(chars[3..<6]) + " " + String(chars[6..<10])
    }

    /// Same as ``formatted``.
    public var description: String { formatted }

    /// Decodes from a string such as `"9434765919"`, validating it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes as the ten digits, without spaces.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}
