import Foundation
import Testing
import EyesOnCore
import Store

/// The policy's decision for every role in every kind of agency: deny unless a rule says otherwise.
@Suite("The access policy's decisions")
struct AccessPolicyScopeTests {
    static func viewer(_ role: Role, _ kind: AgencyKind) -> Viewer {
        Viewer(userID: UUID(), email: "x@example.org", displayName: "X", role: role, agencyID: UUID(), agencyName: "Agency", agencyKind: kind)
    }

    @Test("every role × agency kind gets exactly the scope the policy table says", arguments: Role.allCases)
    func matrix(role: Role) {
        for kind in AgencyKind.allCases {
            let viewer = Self.viewer(role, kind)
            let scope = AccessPolicy.scope(for: viewer)
            let expected: ChildScope
            switch role {
            case .socialWorker, .frontDoor:
                expected = kind.isLocalAuthority ? .everyChild : .nothing
            case .virtualSchoolHead:
                expected = kind.isLocalAuthority ? .linkedToAgency(viewer.agencyID) : .nothing
            case .safeguardingLead:
                expected = [.school, .nursery, .college].contains(kind) ? .linkedToAgency(viewer.agencyID) : .nothing
            case .policeOfficer:
                expected = kind == .policeForce ? .linkedToAgency(viewer.agencyID) : .nothing
            case .healthPractitioner:
                expected = kind == .healthOrganisation ? .linkedToAgency(viewer.agencyID) : .nothing
            case .youthJusticeWorker:
                expected = kind == .youthJustice ? .linkedToAgency(viewer.agencyID) : .nothing
            case .analyst:
                expected = .aggregatesOnly
            case .administrator, .auditor:
                expected = .nothing
            }
            #expect(scope == expected, "\(role) in \(kind)")
        }
    }

    @Test("only roles with a relationship to children may open records")
    func recordsOnlyWithARelationship() {
        #expect(!AccessPolicy.scope(for: Self.viewer(.analyst, .laChildrensSocialCare)).mayOpenRecords)
        #expect(!AccessPolicy.scope(for: Self.viewer(.administrator, .laChildrensSocialCare)).mayOpenRecords)
        #expect(!AccessPolicy.scope(for: Self.viewer(.auditor, .laChildrensSocialCare)).mayOpenRecords)
        #expect(AccessPolicy.scope(for: Self.viewer(.socialWorker, .laChildrensSocialCare)).mayOpenRecords)
    }
}
