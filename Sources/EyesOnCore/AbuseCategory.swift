/// Category of abuse on a child protection plan (STANDARDS §1.4).
public enum AbuseCategory: String, CaseIterable, Codable, Sendable, CodeList {
    case neglect = "NEG", physical = "PHY", sexual = "SAB", emotional = "EMO", multiple = "MUL"

    public static let listName = "category of abuse"

    public var label: String {
        switch self {
        case .neglect: "Neglect"
        case .physical: "Physical abuse"
        case .sexual: "Sexual abuse"
        case .emotional: "Emotional abuse"
        case .multiple: "Multiple/not recommended"
        }
    }
}
