/// Whom a person record describes.
public enum PersonKind: String, CaseIterable, Codable, Sendable {
    case child
    case unbornChild = "unborn-child"
    case adult

    /// A short name, e.g. "Unborn child".
    public var title: String {
        switch self {
        case .child: "Child"
        case .unbornChild: "Unborn child"
        case .adult: "Adult"
        }
    }
}
