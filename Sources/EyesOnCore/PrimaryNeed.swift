/// CIN primary need codes N0–N9 (STANDARDS §1.4). SSDA903 uses N1–N8 only.
public enum PrimaryNeed: String, CaseIterable, Codable, Sendable, CodeList {
    case abuseOrNeglect = "N1", childsDisability = "N2", parentalDisabilityOrIllness = "N3"
    case familyInAcuteStress = "N4", familyDysfunction = "N5", sociallyUnacceptableBehaviour = "N6"
    case lowIncome = "N7", absentParenting = "N8", notChildInNeed = "N9", notStated = "N0"

    public static let listName = "primary need code"

    public var label: String {
        switch self {
        case .abuseOrNeglect: "Abuse or neglect"
        case .childsDisability: "Child's disability"
        case .parentalDisabilityOrIllness: "Parental disability or illness"
        case .familyInAcuteStress: "Family in acute stress"
        case .familyDysfunction: "Family dysfunction"
        case .sociallyUnacceptableBehaviour: "Socially unacceptable behaviour"
        case .lowIncome: "Low income"
        case .absentParenting: "Absent parenting"
        case .notChildInNeed: "Cases other than children in need"
        case .notStated: "Not stated"
        }
    }

    /// Whether SSDA903 (children looked after) accepts the code (N1–N8).
    public var isValidInSSDA903: Bool { self != .notChildInNeed && self != .notStated }
}
