/// A UK postcode, checked for syntax (not existence) and normalised (STANDARDS §4.3).
///
/// Accepts any case and spacing: `"sw1a1aa"` and `" SW1A  1AA "` both become `SW1A 1AA`.
/// The rules are exactly those of the STANDARDS regex, including the letter restrictions
/// and the special postcode `GIR 0AA`.
public struct Postcode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The outward code (2–4 characters), e.g. `SW1A`.
    public let outward: String
    /// The inward code (a digit and two letters), e.g. `1AA`.
    public let inward: String

    private static let firstLetters: Set<Character> = Set("ABCDEFGHIJKLMNOPRSTUWYZ")          // not Q V X
    private static let secondLetters: Set<Character> = Set("ABCDEFGHKLMNOPQRSTUVWXY")         // not I J Z
    private static let thirdLettersA9A: Set<Character> = Set("ABCDEFGHJKPSTUW")
    private static let fourthLettersAA9A: Set<Character> = Set("ABEHMNPRVWXY")
    private static let inwardLetters: Set<Character> = Set("ABDEFGHJLNPQRSTUWXYZ")           // not C I K M O V

    /// Validates and normalises a postcode written in any case with any spacing.
    public init(_ text: String) throws(IdentifierError) {
        let given = IdentifierText.trimmed(text)
        func fail(_ reason: String) -> IdentifierError {
            IdentifierError(field: "postcode", value: given, reason: reason)
        }
        guard !given.isEmpty else { throw fail("is empty") }
        var compact: [Character] = []
        for c in IdentifierText.upperASCII(given) where !c.isWhitespace {
            guard IdentifierText.isASCIILetter(c) || IdentifierText.isASCIIDigit(c) else {
                throw fail("may contain only letters, digits and spaces; found '\(c)'")
            }
            compact.append(c)
        }
        guard (5...7).contains(compact.count) else {
            throw fail("must be an outward code of 2 to 4 characters and an inward code of 3 (e.g. SW1A 1AA); got \(IdentifierText.count(compact.count, "letter or digit"))")
        }
        let out = Array(compact.dropLast(3))
        let inw = Array(compact.suffix(3))
        if out == ["G", "I", "R"] && inw == ["0", "A", "A"] {
            self.outward = "GIR"
            self.inward = "0AA"
            return
        }
        // Inward code: a digit and two letters, never C I K M O V.
        guard IdentifierText.isASCIIDigit(inw[0]),
              IdentifierText.isASCIILetter(inw[1]), IdentifierText.isASCIILetter(inw[2]) else {
            throw fail("the inward code '\(String(inw))' must be a digit followed by two letters")
        }
        for c in inw.dropFirst() where !Self.inwardLetters.contains(c) {
            throw fail("the inward code cannot contain the letter \(c) (C, I, K, M, O and V are never used there)")
        }
        try Self.checkOutward(out, fail: fail)
        self.outward = String(out)
        self.inward = String(inw)
    }

    private static func checkOutward(_ o: [Character], fail: (String) -> IdentifierError) throws(IdentifierError) {
        let L = IdentifierText.isASCIILetter
        let shape = String(o.map { L($0) ? "A" : "9" })
        let patterns = ["A9", "A99", "A9A", "AA9", "AA99", "AA9A"]
        guard patterns.contains(shape) else {
            throw fail("the outward code '\(String(o))' has the form \(shape), which is not a UK pattern (A9, A99, A9A, AA9, AA99 or AA9A)")
        }
        guard firstLetters.contains(o[0]) else {
            throw fail("a postcode cannot start with \(o[0]) (Q, V and X are never used first)")
        }
        if L(o[1]), !secondLetters.contains(o[1]) {
            throw fail("the second letter cannot be \(o[1]) (I, J and Z are never used second)")
        }
        if shape == "A9A", !thirdLettersA9A.contains(o[2]) {
            throw fail("in an outward code of the form A9A the last letter must be one of A B C D E F G H J K P S T U W; got \(o[2])")
        }
        if shape == "AA9A", !fourthLettersAA9A.contains(o[3]) {
            throw fail("in an outward code of the form AA9A the last letter must be one of A B E H M N P R V W X Y; got \(o[3])")
        }
    }

    /// Whether `text` is a syntactically valid postcode (see ``init(_:)``).
    public static func isValid(_ text: String) -> Bool {
        (try? Postcode(text)) != nil
    }

    /// Upper case with a single space: `SW1A 1AA`.
    public var normalised: String { outward + " " + inward }

    /// The postcode sector: the outward code and the inward digit, `SW1A 1`.
    public var sector: String { outward + " " + String(inward.first!) }

    /// The postcode district: the outward code, `SW1A`.
    public var district: String { outward }

    /// The postcode area: the leading letters of the outward code, `SW`.
    public var area: String { String(outward.prefix(while: IdentifierText.isASCIILetter)) }

    /// Same as ``normalised``.
    public var description: String { normalised }

    /// Decodes from a string, validating and normalising it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes as the normalised form, `SW1A 1AA`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(normalised)
    }
}
