/// Why a child in need episode closed, RC1–RC9 (STANDARDS §1.4). RC9 was added in 2022-23.
public enum ReasonForClosure: String, CaseIterable, Codable, Sendable, CodeList {
    case adopted = "RC1", died = "RC2", childArrangementsOrder = "RC3", specialGuardianshipOrder = "RC4"
    case transferredToAnotherLA = "RC5", transferredToAdultSocialCare = "RC6", servicesCeased = "RC7"
    case noFurtherActionAfterAssessment = "RC8", referredToEarlyHelpAfterAssessment = "RC9"

    public static let listName = "reason for closure code"

    public var label: String {
        switch self {
        case .adopted: "Adopted"
        case .died: "Died"
        case .childArrangementsOrder: "Child arrangements order"
        case .specialGuardianshipOrder: "Special guardianship order"
        case .transferredToAnotherLA: "Transferred to services of another local authority"
        case .transferredToAdultSocialCare: "Transferred to adult social care"
        case .servicesCeased: "Services ceased for any other reason, including child no longer in need"
        case .noFurtherActionAfterAssessment: "Case closed after assessment, no further action"
        case .referredToEarlyHelpAfterAssessment: "Case closed after assessment, referred to early help"
        }
    }
}
