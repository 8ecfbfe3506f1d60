import EyesOnCore
import Foundation
import Testing
@testable import Synthetic

@Suite("Identifiers")
struct IdentifierTests {
    let area = Fixture.area

    @Test("every NHS number in the truth is valid, unique and from the 999 test range")
    func nhsNumbers() throws {
        let numbers = area.people.compactMap(\.nhsNumber)
        #expect(numbers.count > area.people.count * 9 / 10, "nearly everyone has an NHS number")
        for n in numbers {
            let parsed = try NHSNumber(n)
            #expect(parsed.digits == n)
            #expect(n.hasPrefix("999"), "NHS number \(n) is outside the synthetic test range")
        }
        #expect(Set(numbers).count == numbers.count, "NHS numbers must be unique")
        #expect(area.people.filter { $0.kind == .unbornChild }.allSatisfy { $0.nhsNumber == nil })
    }

    @Test("every UPN in the truth is valid, unique and carries the fictional LA code")
    func upns() throws {
        let upns = area.people.compactMap(\.upn)
        #expect(!upns.isEmpty)
        for u in upns {
            #expect(try UPN(u).value == u)
            #expect(u.dropFirst().hasPrefix(SyntheticArea.laCode), "UPN \(u) does not carry LA code \(SyntheticArea.laCode)")
        }
        #expect(Set(upns).count == upns.count, "UPNs must be unique")
    }

    @Test("every child who has been at a school has a UPN; nursery-only children do not")
    func upnCoverage() {
        let schoolKeys = Set(area.agencies.filter { $0.kind == .school }.map(\.key))
        let atSchool = Set(area.enrolments.filter { schoolKeys.contains($0.agencyKey) }.map(\.personID))
        for id in atSchool { #expect(area.person(id).upn != nil, "pupil \(id) has no UPN") }
        let nurseryKeys = Set(area.agencies.filter { $0.kind == .nursery }.map(\.key))
        let nurseryOnly = Set(area.enrolments.filter { nurseryKeys.contains($0.agencyKey) }.map(\.personID)).subtracting(atSchool)
        #expect(!nurseryOnly.isEmpty)
        #expect(nurseryOnly.allSatisfy { area.person($0).upn == nil })
    }

    @Test("every NHS number and UPN emitted in an extract is valid")
    func emittedIdentifiers() throws {
        for r in Fixture.records("health-caseload.csv") where !(r["nhs_number"] ?? "").isEmpty {
            _ = try NHSNumber(r["nhs_number"]!)
        }
        for file in ["school-roll.csv", "attendance.csv"] {
            for (header, rows) in [Fixture.csv(file)] {
                let column = header.firstIndex(of: "upn")!
                for row in rows where !row[column].isEmpty { _ = try UPN(row[column]) }
            }
        }
        for r in Fixture.records("ssda903/header.csv") {
            let u = r["UPN"]!
            if !u.hasPrefix("UN") { _ = try UPN(u) } else { #expect(["UN1", "UN2", "UN3", "UN4", "UN5"].contains(u)) }
        }
        for node in Fixture.cinXML.descendants() where node.name == "UPN" { _ = try UPN(node.text) }
    }

    @Test("LA child ids: alphanumeric, at most 20 characters, unique, only for children known to social care")
    func laChildIDs() throws {
        let ids = area.people.compactMap(\.laChildID)
        #expect(ids.count == area.socialCare.count)
        for id in ids { #expect(try IdentifierKind.laChildID.normalised(id) == id) }
        #expect(Set(ids).count == ids.count)
        for r in area.socialCare { #expect(area.person(r.personID).laChildID == r.laChildID) }
    }

    @Test("agencies: unique keys, 6-digit URNs for settings, ODS codes for health, valid postcodes")
    func agencies() throws {
        let keys = area.agencies.map(\.key)
        #expect(Set(keys).count == keys.count)
        for a in area.agencies {
            if a.kind.isEducationSetting {
                let urn = try #require(a.urn)
                #expect((100_000...999_999).contains(urn))
                #expect(URN(value: urn) != nil)
                #expect(a.key.hasSuffix(String(urn)))
            }
            if a.kind == .healthOrganisation { _ = try ODSCode(try #require(a.odsCode)) }
            if let pc = a.postcode { #expect(try Postcode(pc).normalised == pc) }
        }
        for kind in [AgencyKind.laChildrensSocialCare, .laEducation, .virtualSchool, .youthJustice, .policeForce,
                     .school, .nursery, .college, .healthOrganisation] {
            #expect(area.agencies.contains { $0.kind == kind }, "no agency of kind \(kind)")
        }
    }

    @Test("every person's postcode (and every previous postcode) is a valid, normalised postcode in area EB")
    func postcodes() throws {
        for p in area.people {
            let pc = try Postcode(p.postcode)
            #expect(pc.normalised == p.postcode)
            #expect(pc.area == SyntheticArea.postcodeArea)
        }
        for h in area.households {
            if let old = h.previousPostcode { #expect(try Postcode(old).normalised == old) }
        }
    }
}
