/// A child's sex as recorded in the CIN census from 2024-25 (STANDARDS §1.4).
/// An unborn child is recorded as `unknown`.
public enum Sex: String, CaseIterable, Codable, Sendable, CodeList {
    case male = "M"
    case female = "F"
    case unknown = "U"

    public static let listName = "sex code"

    /// "Male", "Female", "Not known".
    public var label: String {
        switch self {
        case .male: "Male"
        case .female: "Female"
        case .unknown: "Not known"
        }
    }

    /// The sex for a legacy CIN `GenderCurrent` code (used up to 2023-24):
    /// 1 male, 2 female, 0 (not recorded or unborn) and 9 (indeterminate) unknown;
    /// `nil` for any other value.
    public init?(genderCurrent: String) {
        switch IdentifierText.trimmed(genderCurrent) {
        case "1": self = .male
        case "2": self = .female
        case "0", "9": self = .unknown
        default: return nil
        }
    }
}
