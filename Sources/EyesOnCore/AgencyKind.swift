/// The kinds of organisation in a safeguarding partnership.
public enum AgencyKind: String, CaseIterable, Codable, Sendable {
    case laChildrensSocialCare = "la-childrens-social-care"
    case laEducation = "la-education"
    case virtualSchool = "virtual-school"
    case youthJustice = "youth-justice"
    case school
    case nursery
    case college
    case policeForce = "police-force"
    case healthOrganisation = "health-organisation"
    case other

    /// A short name, e.g. "Local authority children's social care".
    public var title: String {
        switch self {
        case .laChildrensSocialCare: "Local authority children's social care"
        case .laEducation: "Local authority education"
        case .virtualSchool: "Virtual School"
        case .youthJustice: "Youth justice service"
        case .school: "School"
        case .nursery: "Nursery"
        case .college: "College"
        case .policeForce: "Police force"
        case .healthOrganisation: "Health organisation"
        case .other: "Other organisation"
        }
    }

    /// Part of the local authority (children's social care, education, the Virtual School, youth justice).
    public var isLocalAuthority: Bool {
        switch self {
        case .laChildrensSocialCare, .laEducation, .virtualSchool, .youthJustice: true
        default: false
        }
    }

    /// A school, nursery or college: a setting children attend, identified by a ``URN``.
    public var isEducationSetting: Bool {
        switch self {
        case .school, .nursery, .college: true
        default: false
        }
    }

    /// A health organisation, identified by an ``ODSCode``.
    public var isHealth: Bool { self == .healthOrganisation }

    /// The local-authority kinds.
    public static var localAuthorityKinds: Set<AgencyKind> { Set(allCases.filter(\.isLocalAuthority)) }

    /// The education-setting kinds.
    public static var educationSettingKinds: Set<AgencyKind> { Set(allCases.filter(\.isEducationSetting)) }
}
