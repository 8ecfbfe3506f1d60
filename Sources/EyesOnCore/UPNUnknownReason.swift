/// Why a child has no UPN (CIN `UPNunknown`, UN1–UN7; STANDARDS §1.4). SSDA903 accepts UN1–UN5.
public enum UPNUnknownReason: String, CaseIterable, Codable, Sendable, CodeList {
    case notOfSchoolAge = "UN1", neverAttendedMaintainedSchool = "UN2", educatedOutsideEngland = "UN3"
    case newlyInScope = "UN4", sourcesDisagree = "UN5", un6 = "UN6", referralNoFurtherAction = "UN7"

    public static let listName = "UPN unknown reason"

    public var label: String {
        switch self {
        case .notOfSchoolAge: "Child not of school age and no UPN yet assigned"
        case .neverAttendedMaintainedSchool: "Child has never attended a maintained school in England"
        case .educatedOutsideEngland: "Child educated outside England"
        case .newlyInScope: "Child newly in scope; UPN not yet known at the time of the return"
        case .sourcesDisagree: "Sources collating UPNs disagree (name or date of birth mismatch, duplicates)"
        case .un6: "UN6 (label not confirmed)"
        case .referralNoFurtherAction: "Referral with no further action"
        }
    }

    /// Whether SSDA903 accepts the code (UN1–UN5).
    public var isValidInSSDA903: Bool { self != .un6 && self != .referralNoFurtherAction }
}
