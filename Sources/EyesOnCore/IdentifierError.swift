/// Why a piece of text is not a valid identifier (NHS number, UPN, postcode, URN, ODS code).
///
/// The `description` names the field, quotes what was given and says what to change:
/// `NHS number '943 476 5918': the check digit should be 9, not 8`.
public struct IdentifierError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of identifier, as a person would name it: "NHS number", "UPN", "postcode", "URN".
    public let field: String
    /// The text that was given, trimmed of surrounding white space.
    public let value: String
    /// What is wrong, in words a person can act on.
    public let reason: String

    /// Creates an error for `field` with the offending `value` and a human `reason`.
    public init(field: String, value: String, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    /// `<field> '<value>': <reason>`.
    public var description: String { "\(field) '\(value)': \(reason)" }
}

/// Small helpers shared by the identifier types.
enum IdentifierText {
    /// The text without leading or trailing white space (spaces, tabs, newlines).
    static func trimmed(_ text: String) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    static func isASCIIDigit(_ c: Character) -> Bool {
        guard let a = c.asciiValue else { return false }
        return a >= 48 && a <= 57
    }

    static func isASCIILetter(_ c: Character) -> Bool {
        guard let a = c.asciiValue else { return false }
        return (a >= 65 && a <= 90) || (a >= 97 && a <= 122)
    }

    static func digitValue(_ c: Character) -> Int? {
        isASCIIDigit(c) ? Int(c.asciiValue! - 48) : nil
    }

    /// Upper-cases ASCII letters only (no locale surprises).
    static func upperASCII(_ text: String) -> String {
        String(text.map { c -> Character in
            if let a = c.asciiValue, a >= 97, a <= 122 { return Character(UnicodeScalar(a - 32)) }
            return c
        })
    }

    /// "1 digit" / "9 digits".
    static func count(_ n: Int, _ noun: String) -> String {
        n == 1 ? "1 \(noun)" : "\(n) \(noun)s"
    }
}
