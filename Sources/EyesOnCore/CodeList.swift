/// A fixed list of codes from a data standard (CIN census, SSDA903), each with a short label.
///
/// Conforming enums get ``parse(_:)``, which trims and upper-cases the text and explains
/// a bad code by listing the valid ones.
public protocol CodeList: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {
    /// The list's name in messages, e.g. "ethnicity code".
    static var listName: String { get }
    /// The short official label, e.g. "White British".
    var label: String { get }
}

extension CodeList {
    /// The code as written in returns, e.g. `WBRI`.
    public var code: String { rawValue }

    /// The code for `text` (surrounding white space ignored, any case).
    /// - Throws: ``CodeError`` listing the valid codes.
    public static func parse(_ text: String) throws(CodeError) -> Self {
        let given = IdentifierText.trimmed(text)
        if let value = Self(rawValue: IdentifierText.upperASCII(given)) { return value }
        let valid = allCases.map(\.rawValue).joined(separator: ", ")
        throw CodeError(list: listName, code: given,
                        reason: given.isEmpty ? "is empty; expected one of \(valid)" : "is not one of \(valid)")
    }
}
