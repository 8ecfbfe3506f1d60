import Foundation
import Testing
import EyesOnCore

@Suite("Roles and agencies")
struct RoleAndAgencyTests {
    @Test func rolesBelongToTheRightAgencies() {
        #expect(Role.safeguardingLead.mayBelong(to: .school))
        #expect(Role.safeguardingLead.mayBelong(to: .nursery))
        #expect(Role.safeguardingLead.mayBelong(to: .college))
        #expect(!Role.safeguardingLead.mayBelong(to: .policeForce))
        #expect(Role.socialWorker.allowedAgencyKinds == [.laChildrensSocialCare])
        #expect(Role.frontDoor.allowedAgencyKinds == [.laChildrensSocialCare])
        #expect(Role.virtualSchoolHead.allowedAgencyKinds == [.virtualSchool, .laEducation])
        #expect(Role.policeOfficer.allowedAgencyKinds == [.policeForce])
        #expect(Role.healthPractitioner.allowedAgencyKinds == [.healthOrganisation])
        #expect(Role.youthJusticeWorker.allowedAgencyKinds == [.youthJustice])
        #expect(Role.administrator.allowedAgencyKinds == Set(AgencyKind.allCases))
        for role in [Role.analyst, .auditor] {
            let allLocalAuthority = role.allowedAgencyKinds.allSatisfy { $0.isLocalAuthority }
            #expect(allLocalAuthority)
            #expect(role.mayBelong(to: .laChildrensSocialCare) && !role.mayBelong(to: .school))
        }
    }

    @Test func titlesAreDistinctAndReadable() {
        #expect(Set(Role.allCases.map(\.title)).count == Role.allCases.count)
        #expect(Set(AgencyKind.allCases.map(\.title)).count == AgencyKind.allCases.count)
        #expect(Role.frontDoor.title == "Front door (MASH) practitioner")
        #expect(Role.safeguardingLead.title == "Designated safeguarding lead")
    }

    @Test func agencyKindFlags() {
        #expect(AgencyKind.allCases.filter(\.isEducationSetting) == [.school, .nursery, .college])
        #expect(AgencyKind.allCases.filter(\.isHealth) == [.healthOrganisation])
        #expect(Set(AgencyKind.allCases.filter(\.isLocalAuthority))
                == [.laChildrensSocialCare, .laEducation, .virtualSchool, .youthJustice])
        #expect(!AgencyKind.policeForce.isLocalAuthority && !AgencyKind.other.isLocalAuthority)
    }

    @Test func storedFormsAreStable() throws {
        let data = try JSONEncoder().encode([Role.socialWorker, .virtualSchoolHead])
        #expect(String(decoding: data, as: UTF8.self) == #"["social-worker","virtual-school-head"]"#)
        #expect(AgencyKind(rawValue: "la-childrens-social-care") == .laChildrensSocialCare)
        #expect(PersonKind(rawValue: "unborn-child") == .unbornChild)
        #expect(IdentifierKind(rawValue: "nhs-number") == .nhsNumber)
        #expect(RelationshipKind(rawValue: "parent-or-carer") == .parentOrCarer)
        #expect(Sex(rawValue: "U") == .unknown)
    }

    @Test func identifierKindsNormalise() throws {
        #expect(try IdentifierKind.nhsNumber.normalised("943 476 5919") == "9434765919")
        #expect(try IdentifierKind.upn.normalised("a950000178301") == "A950000178301")
        #expect(try IdentifierKind.laChildID.normalised(" CHILD0001 ") == "CHILD0001")
        #expect(throws: IdentifierError.self) { try IdentifierKind.laChildID.normalised("CHILD-0001") }
        #expect(throws: IdentifierError.self) { try IdentifierKind.laChildID.normalised(String(repeating: "A", count: 21)) }
        #expect(throws: IdentifierError.self) { try IdentifierKind.agencyLocal.normalised("   ") }
        #expect(throws: IdentifierError.self) { try IdentifierKind.nhsNumber.normalised("9434765918") }
    }
}
