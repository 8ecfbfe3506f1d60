/// How two people are related, as recorded between person records.
public enum RelationshipKind: String, CaseIterable, Codable, Sendable {
    case parentOrCarer = "parent-or-carer"
    case sibling
    case householdMember = "household-member"

    /// A short name, e.g. "Parent or carer".
    public var title: String {
        switch self {
        case .parentOrCarer: "Parent or carer"
        case .sibling: "Sibling"
        case .householdMember: "Household member"
        }
    }
}
