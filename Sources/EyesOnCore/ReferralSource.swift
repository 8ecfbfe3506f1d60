/// CIN census referral source codes (STANDARDS §1.4). 5D (early help) was added in 2022-23.
public enum ReferralSource: String, CaseIterable, Codable, Sendable, CodeList {
    case familyMember = "1A", acquaintance = "1B", selfReferral = "1C", individualOther = "1D"
    case schools = "2A", educationServices = "2B"
    case gp = "3A", healthVisitor = "3B", schoolNurse = "3C", otherPrimaryHealth = "3D"
    case accidentAndEmergency = "3E", healthOther = "3F"
    case housing = "4"
    case laSocialCare = "5A", laOtherInternal = "5B", laExternal = "5C", earlyHelp = "5D"
    case police = "6", otherLegalAgency = "7", other = "8", anonymous = "9", unknown = "10"

    public static let listName = "referral source code"

    public var label: String {
        switch self {
        case .familyMember: "Individual – family member, relative, carer"
        case .acquaintance: "Individual – acquaintance (neighbours, childminders)"
        case .selfReferral: "Individual – self"
        case .individualOther: "Individual – other (including strangers)"
        case .schools: "Schools"
        case .educationServices: "Education services"
        case .gp: "Health – GP"
        case .healthVisitor: "Health – health visitor"
        case .schoolNurse: "Health – school nurse"
        case .otherPrimaryHealth: "Health – other primary health"
        case .accidentAndEmergency: "Health – A&E"
        case .healthOther: "Health – other (e.g. hospice)"
        case .housing: "Housing (LA housing or housing association)"
        case .laSocialCare: "LA services – social care (e.g. adult social care)"
        case .laOtherInternal: "LA services – other internal (e.g. youth offending, not housing)"
        case .laExternal: "LA services – external (another LA's adult social care)"
        case .earlyHelp: "LA services – early help"
        case .police: "Police"
        case .otherLegalAgency: "Other legal agency (courts, probation, immigration, Cafcass, prison)"
        case .other: "Other (children's centres, independent or voluntary organisations)"
        case .anonymous: "Anonymous"
        case .unknown: "Unknown"
        }
    }
}
