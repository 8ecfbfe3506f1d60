/// A Unique Pupil Number: 13 characters, a check letter followed by twelve characters
/// (STANDARDS §4.2).
///
/// A permanent UPN is a letter then twelve digits (`A950000178301`). A temporary UPN ends in a
/// letter instead of its last digit (`A12345678901B`-style). The check letter is computed from
/// characters 2–13; the letters I, O and S are never used.
public struct UPN: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 23 letters a UPN may use, in check-value order (A = 0 … Z = 22).
    public static let alphabet: [Character] = Array("ABCDEFGHJKLMNPQRTUVWXYZ")

    /// The 13 characters, upper case.
    public let value: String

    /// Whether this is a temporary UPN (its final character is a letter).
    public var isTemporary: Bool { value.last.map(IdentifierText.isASCIILetter) ?? false }

    /// Validates a UPN: trims surrounding white space and upper-cases it, then checks the
    /// length, the pattern, the letters used and the check letter.
    public init(_ text: String) throws(IdentifierError) {
        // The usual case — 13 upper-case ASCII characters, valid — checked on the bytes, without
        // allocating; anything else takes the careful path below, which explains what is wrong.
        if let fast = Self.fastValid(text) {
            self.value = fast
            return
        }
        let given = IdentifierText.trimmed(text)
        func fail(_ reason: String) -> IdentifierError {
            IdentifierError(field: "UPN", value: given, reason: reason)
        }
        let upper = IdentifierText.upperASCII(given)
        let chars = Array(upper)
        guard !chars.isEmpty else { throw fail("is empty; a UPN is 13 characters") }
        guard chars.count == 13 else {
            throw fail("must be 13 characters; got \(chars.count)")
        }
        guard IdentifierText.isASCIILetter(chars[0]) else {
            throw fail("must start with a check letter; found '\(chars[0])'")
        }
        for i in 1..<12 where !IdentifierText.isASCIIDigit(chars[i]) {
            throw fail("characters 2 to 12 must be digits; found '\(chars[i])' at position \(i + 1)")
        }
        let final = chars[12]
        if IdentifierText.isASCIILetter(final) {
            guard Self.alphabet.contains(final) else {
                throw fail("a temporary UPN cannot end in '\(final)' (I, O and S are never used)")
            }
        } else if !IdentifierText.isASCIIDigit(final) {
            throw fail("must end in a digit, or a letter for a temporary UPN; found '\(final)'")
        }
        let expected = Self.checkLetter(forLastTwelve: String(chars[1...]))
        guard chars[0] == expected else {
            throw fail("the check letter should be \(expected), not \(chars[0])")
        }
        self.value = upper
    }

    /// `text` itself when it is exactly a valid UPN in upper case; nil otherwise (not necessarily
    /// invalid: lower case and surrounding spaces are left to the full check).
    static func fastValid(_ text: String) -> String? {
        let utf8 = text.utf8
        guard utf8.count == 13 else { return nil }
        return utf8.withContiguousStorageIfAvailable { b -> String? in
            let first = b[0]
            guard first >= 65 && first <= 90 else { return nil }
            var sum = 0
            for i in 1..<12 {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                sum += Int(c - 48) * (i + 1)
            }
            let last = b[12]
            if last >= 48 && last <= 57 {
                sum += Int(last - 48) * 13
            } else if let index = fastAlphabet.firstIndex(of: last) {
                sum += index * 13
            } else {
                return nil
            }
            return fastAlphabet[sum % 23] == first ? text : nil
        } ?? nil   // not contiguous in memory: the full check decides
    }

    private static let fastAlphabet: [UInt8] = Array("ABCDEFGHJKLMNPQRTUVWXYZ".utf8)

    /// Builds a UPN from its last twelve characters by prefixing the right check letter.
    public init(lastTwelve: String) throws(IdentifierError) {
        let body = IdentifierText.upperASCII(IdentifierText.trimmed(lastTwelve))
        let chars = Array(body)
        let wellFormed = chars.count == 12
            && chars[0..<11].allSatisfy(IdentifierText.isASCIIDigit)
            && (IdentifierText.isASCIIDigit(chars[11]) || Self.alphabet.contains(chars[11]))
        guard wellFormed else {
            throw IdentifierError(
                field: "UPN", value: body,
                reason: "the last twelve characters must be 11 digits then a digit or a letter other than I, O, S")
        }
        try self.init(String(Self.checkLetter(forLastTwelve: body)) + body)
    }

    /// The check letter for characters 2–13 of a UPN.
    ///
    /// Each character's value (a digit at face value; a final letter as its index in
    /// ``alphabet``) is multiplied by its position (2…13); the sum mod 23 indexes ``alphabet``.
    /// - Precondition: `forLastTwelve` is eleven ASCII digits followed by a digit or a letter
    ///   from ``alphabet`` (either case).
    public static func checkLetter(forLastTwelve: String) -> Character {
        let chars = Array(IdentifierText.upperASCII(forLastTwelve))
        precondition(chars.count == 12, "UPN.checkLetter needs exactly 12 characters; got \(chars.count)")
        var sum = 0
        for (i, c) in chars.enumerated() {
            let v: Int
            if let d = IdentifierText.digitValue(c) {
                v = d
            } else if i == 11, let index = alphabet.firstIndex(of: c) {
                v = index
            } else {
                preconditionFailure("UPN.checkLetter: '\(c)' is not allowed at position \(i + 2)")
            }
            sum += v * (i + 2)
        }
        return alphabet[sum % 23]
    }

    /// Whether `text` is a valid UPN (see ``init(_:)``).
    public static func isValid(_ text: String) -> Bool {
        (try? UPN(text)) != nil
    }

    /// The 13 characters.
    public var description: String { value }

    /// Decodes from a string, validating it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes as the 13 characters.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
