import Foundation
import Testing
import EyesOnCore
import Store

@Suite("Restricted fields: who of those who open a record sees them")
struct RestrictedFieldTests {
    static func viewer(_ role: Role, _ kind: AgencyKind) -> Viewer {
        Viewer(userID: UUID(), email: "x@example.org", displayName: "X", role: role, agencyID: UUID(), agencyName: "Agency", agencyKind: kind)
    }

    /// Written out by hand from the issue, not from the policy's code: M = MARAC safety details,
    /// P = perpetrator and victim identity, H = health notes.
    static let expected: [(Role, AgencyKind, String)] = [
        (.socialWorker, .laChildrensSocialCare, "MPH"),
        (.frontDoor, .laChildrensSocialCare, "MPH"),
        (.policeOfficer, .policeForce, "MP"),
        (.healthPractitioner, .healthOrganisation, "H"),
        (.virtualSchoolHead, .virtualSchool, "H"),
        (.safeguardingLead, .school, ""),
        (.youthJusticeWorker, .youthJustice, ""),
        (.analyst, .laChildrensSocialCare, ""),
        (.auditor, .laChildrensSocialCare, ""),
        (.administrator, .laChildrensSocialCare, ""),
        (.administrator, .policeForce, ""),
    ]

    @Test("each role sees exactly its restricted fields")
    func matrix() {
        for (role, kind, fields) in Self.expected {
            let viewer = Self.viewer(role, kind)
            let seen = String([(RestrictedField.maracSafety, "M"), (.perpetratorIdentity, "P"), (.healthNotes, "H")]
                .filter { AccessPolicy.mayRead($0.0, viewer) }.map(\.1).joined())
            #expect(seen == fields, "\(role.rawValue) at \(kind.rawValue)")
        }
    }
}
