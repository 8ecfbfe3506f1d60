/// What a user does in the partnership; decides which agencies they may belong to.
/// (What they may see is decided by the access policy, not here.)
public enum Role: String, CaseIterable, Codable, Sendable {
    case administrator
    case socialWorker = "social-worker"
    case frontDoor = "front-door"
    case virtualSchoolHead = "virtual-school-head"
    case safeguardingLead = "safeguarding-lead"
    case policeOfficer = "police-officer"
    case healthPractitioner = "health-practitioner"
    case youthJusticeWorker = "youth-justice-worker"
    case analyst
    case auditor

    /// The role as people name it, e.g. "Designated safeguarding lead".
    public var title: String {
        switch self {
        case .administrator: "Partnership administrator"
        case .socialWorker: "Social worker or team manager"
        case .frontDoor: "Front door (MASH) practitioner"
        case .virtualSchoolHead: "Virtual School Head"
        case .safeguardingLead: "Designated safeguarding lead"
        case .policeOfficer: "Police officer (public protection)"
        case .healthPractitioner: "Health visitor, midwife, school nurse or GP lead"
        case .youthJusticeWorker: "Youth justice worker"
        case .analyst: "Analyst"
        case .auditor: "Auditor or data protection officer"
        }
    }

    /// The agency kinds a user with this role may belong to.
    public var allowedAgencyKinds: Set<AgencyKind> {
        switch self {
        case .administrator: Set(AgencyKind.allCases)
        case .socialWorker, .frontDoor: [.laChildrensSocialCare]
        case .virtualSchoolHead: [.virtualSchool, .laEducation]
        case .safeguardingLead: AgencyKind.educationSettingKinds
        case .policeOfficer: [.policeForce]
        case .healthPractitioner: [.healthOrganisation]
        case .youthJusticeWorker: [.youthJustice]
        case .analyst, .auditor: AgencyKind.localAuthorityKinds
        }
    }

    /// Whether a user with this role may belong to an agency of `kind`.
    public func mayBelong(to kind: AgencyKind) -> Bool { allowedAgencyKinds.contains(kind) }
}
