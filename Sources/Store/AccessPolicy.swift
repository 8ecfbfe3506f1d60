import Foundation
import EyesOnCore

/// Who is asking: the signed-in user, their role and their agency.
public struct Viewer: Sendable, Equatable {
    public let userID: UUID
    public let email: String
    public let displayName: String
    public let role: Role
    public let agencyID: UUID
    public let agencyName: String
    public let agencyKind: AgencyKind

    public init(userID: UUID, email: String, displayName: String, role: Role, agencyID: UUID, agencyName: String, agencyKind: AgencyKind) {
        self.userID = userID
        self.email = email
        self.displayName = displayName
        self.role = role
        self.agencyID = agencyID
        self.agencyName = agencyName
        self.agencyKind = agencyKind
    }
}

/// Which children's records a viewer may see.
public enum ChildScope: Sendable, Equatable {
    /// Every child in the area (local-authority children's social care).
    case everyChild
    /// Children the viewer's agency has a relationship with (`AccessPolicy.cohorts`): a record it
    /// holds, a school enrolment now or in the last 12 months, and what the role adds.
    case linkedToAgency(UUID)
    /// Counts only; never a name or a record.
    case aggregatesOnly
    /// No child data at all.
    case nothing

    public var mayOpenRecords: Bool {
        switch self {
        case .everyChild, .linkedToAgency: return true
        case .aggregatesOnly, .nothing: return false
        }
    }
}

/// Fields of a child's record shown only to some of those who may open it.
public enum RestrictedField: String, CaseIterable, Sendable {
    /// A MARAC's safety detail: the case, the risk score and the reason for referral.
    case maracSafety = "marac-safety"
    /// Who the adults are in a MARAC case: the victim and the alleged perpetrator.
    case perpetratorIdentity = "perpetrator-identity"
    /// Health's own concerns about a child on a health caseload.
    case healthNotes = "health-notes"

    public var title: String {
        switch self {
        case .maracSafety: "MARAC safety details"
        case .perpetratorIdentity: "Perpetrator and victim identity"
        case .healthNotes: "Health notes and concerns"
        }
    }
}

/// The one access policy: every query that returns a child's data asks it first (through
/// `ChildDirectory`, the only door to child data). Deny by default: a role or agency not named
/// here sees nothing.
public enum AccessPolicy {
    /// How far back a school's link to a former pupil reaches.
    public static let formerPupilMonths = 12

    /// Children's social care's social workers and front door, who see every child: they alone do
    /// the area-wide work over every feed's records (the hidden-children finder, matching the
    /// feeds' unmatched records, the statutory timescales).
    public static func worksAcrossTheArea(_ viewer: Viewer) -> Bool {
        scope(for: viewer) == .everyChild && viewer.agencyKind == .laChildrensSocialCare && [.socialWorker, .frontDoor].contains(viewer.role)
    }

    /// Who prepares and signs off the partnership's returns: the local authority's analysts (who
    /// see the figures only) and children's social care (who may also open a figure to the
    /// children behind it, `worksAcrossTheArea`).
    public static func mayWorkOnReturns(_ viewer: Viewer) -> Bool {
        (viewer.role == .analyst && scope(for: viewer) == .aggregatesOnly && viewer.agencyKind.isLocalAuthority) || worksAcrossTheArea(viewer)
    }

    /// Who keeps the workforce records (staff unavailable by team, the DBS register of staff in
    /// children's homes): the partnership administrator and children's social care's team
    /// managers (the social-worker role). Staff names, never children's.
    public static func mayKeepWorkforceRecords(_ viewer: Viewer) -> Bool {
        (viewer.role == .administrator && viewer.agencyKind.isLocalAuthority)
            || (viewer.role == .socialWorker && viewer.agencyKind == .laChildrensSocialCare)
    }

    /// Who keeps the partnership's governance records (delegations, assurance surveys, meeting
    /// decisions): the partnership administrator.
    public static func mayKeepGovernance(_ viewer: Viewer) -> Bool {
        viewer.role == .administrator
    }

    /// Who reads them: the administrator and the local authority's analysts.
    public static func mayReadGovernance(_ viewer: Viewer) -> Bool {
        mayKeepGovernance(viewer) || (viewer.role == .analyst && viewer.agencyKind.isLocalAuthority)
    }

    /// Whether a viewer who may open the child's record also sees the restricted field: MARAC
    /// safety details and the adults' identity only the police and children's social care (who
    /// act on them); health notes health, children's social care and the Virtual School Head (who
    /// holds looked-after children's health plans). Nobody else,
    /// whatever their role's reach.
    public static func mayRead(_ field: RestrictedField, _ viewer: Viewer) -> Bool {
        guard scope(for: viewer).mayOpenRecords else { return false }
        switch field {
        case .maracSafety, .perpetratorIdentity:
            return (viewer.agencyKind == .policeForce && viewer.role == .policeOfficer)
                || (viewer.agencyKind == .laChildrensSocialCare && [.socialWorker, .frontDoor].contains(viewer.role))
        case .healthNotes:
            return (viewer.agencyKind.isHealth && viewer.role == .healthPractitioner)
                || (viewer.agencyKind == .laChildrensSocialCare && [.socialWorker, .frontDoor].contains(viewer.role))
                || (viewer.role == .virtualSchoolHead && viewer.agencyKind.isLocalAuthority)
        }
    }

    /// Two-factor sign-in is required of every role that sees named children, and of the auditor
    /// (who sees whose records were opened) and the administrator (who manages the accounts);
    /// only the analyst, who sees counts alone, may sign in with a password only.
    public static func requiresTwoFactor(_ role: Role) -> Bool {
        role != .analyst
    }

    /// The groups of children a `.linkedToAgency` viewer sees, together.
    public enum Cohort: Sendable, Equatable {
        /// Children with a record the agency sent (its caseload, its incidents, its identifiers).
        case agencyRecords
        /// Pupils on the agency's roll now or in the last `formerPupilMonths`.
        case schoolRoll
        /// Of those pupils, only the ones on the agreed list (proposed or agreed), and children an
        /// Operation Encompass notice was sent to the school about: a school's safeguarding lead
        /// sees nobody else. (Any pupil on the roll may still be proposed: `ChildDirectory.pupilToPropose`.)
        case pupilsOfConcern
        /// Children in the households of the agency's children: siblings, household members and
        /// the other children of their parents or carers (health: "children in those households").
        case households
        /// Looked-after and previously looked-after children (SSDA903) and children with a social
        /// worker (CIN census): the Virtual School Head's duties.
        case lookedAfterOrSocialWorker
        /// Children this user opened by break-glass, while the access lasts.
        case breakGlass
    }

    public static func cohorts(for viewer: Viewer) -> [Cohort] {
        guard case .linkedToAgency = scope(for: viewer) else { return [] }
        switch viewer.role {
        case .healthPractitioner: return [.agencyRecords, .households, .breakGlass]
        case .virtualSchoolHead: return [.agencyRecords, .lookedAfterOrSocialWorker, .breakGlass]
        case .safeguardingLead: return [.pupilsOfConcern, .breakGlass]
        default: return [.agencyRecords, .schoolRoll, .breakGlass]
        }
    }

    public static func scope(for viewer: Viewer) -> ChildScope {
        switch viewer.role {
        case .socialWorker, .frontDoor:
            // Children's social care sees every child, but only from a local-authority agency.
            return viewer.agencyKind.isLocalAuthority ? .everyChild : .nothing
        case .virtualSchoolHead:
            return viewer.agencyKind.isLocalAuthority ? .linkedToAgency(viewer.agencyID) : .nothing
        case .safeguardingLead:
            return viewer.agencyKind.isEducationSetting ? .linkedToAgency(viewer.agencyID) : .nothing
        case .policeOfficer:
            return viewer.agencyKind == .policeForce ? .linkedToAgency(viewer.agencyID) : .nothing
        case .healthPractitioner:
            return viewer.agencyKind.isHealth ? .linkedToAgency(viewer.agencyID) : .nothing
        case .youthJusticeWorker:
            return viewer.agencyKind == .youthJustice ? .linkedToAgency(viewer.agencyID) : .nothing
        case .analyst:
            return .aggregatesOnly
        case .administrator, .auditor:
            return .nothing
        }
    }
}
