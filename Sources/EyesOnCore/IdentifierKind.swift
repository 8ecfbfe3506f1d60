/// The kinds of identifier a person record can carry.
public enum IdentifierKind: String, CaseIterable, Codable, Sendable {
    /// A 10-digit NHS number (``NHSNumber``).
    case nhsNumber = "nhs-number"
    /// A Unique Pupil Number (``UPN``).
    case upn
    /// The local authority's child ID (CIN `LAchildID`): up to 20 letters and digits.
    case laChildID = "la-child-id"
    /// An agency's own reference for the person (up to 64 characters).
    case agencyLocal = "agency-local"

    /// A short name, e.g. "NHS number".
    public var title: String {
        switch self {
        case .nhsNumber: "NHS number"
        case .upn: "UPN"
        case .laChildID: "LA child ID"
        case .agencyLocal: "Agency reference"
        }
    }

    /// Validates `text` as this kind of identifier and returns its canonical form
    /// (NHS number: 10 digits without spaces; UPN: upper case; others: trimmed).
    public func normalised(_ text: String) throws(IdentifierError) -> String {
        switch self {
        case .nhsNumber:
            return try NHSNumber(text).digits
        case .upn:
            return try UPN(text).value
        case .laChildID:
            let given = IdentifierText.trimmed(text)
            guard !given.isEmpty, given.count <= 20,
                  given.allSatisfy({ IdentifierText.isASCIILetter($0) || IdentifierText.isASCIIDigit($0) }) else {
                throw IdentifierError(field: title, value: given, reason: "must be 1 to 20 letters and digits")
            }
            return given
        case .agencyLocal:
            let given = IdentifierText.trimmed(text)
            guard !given.isEmpty, given.count <= 64 else {
                throw IdentifierError(field: title, value: given, reason: "must be 1 to 64 characters")
            }
            return given
        }
    }
}
