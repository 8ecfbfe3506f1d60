import EyesOnCore
import Foundation
import Testing
@testable import Synthetic

@Suite("CIN census XML")
struct CINCensusTests {
    let root = Fixture.cinXML

    /// The XSD's sequence of child elements per parent (STANDARDS §1.2; `Sex` in the place of
    /// `GenderCurrent` from 2024-25).
    static let sequences: [String: [String]] = [
        "Message": ["Header", "Children"],
        "Header": ["CollectionDetails", "Source"],
        "CollectionDetails": ["Collection", "Year", "ReferenceDate"],
        "Source": ["SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime"],
        "Children": ["Child"],
        "Child": ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"],
        "ChildIdentifiers": ["LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
                             "ExpectedPersonBirthDate", "Sex", "PersonDeathDate"],
        "ChildCharacteristics": ["Ethnicity", "Disabilities"],
        "Disabilities": ["Disability"],
        "CINdetails": ["CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure",
                       "DateOfInitialCPC", "Assessments", "CINPlanDates", "Section47", "ReferralNFA", "ChildProtectionPlans"],
        "Assessments": ["AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate",
                        "FactorsIdentifiedAtAssessment"],
        "FactorsIdentifiedAtAssessment": ["AssessmentFactors"],
        "CINPlanDates": ["CINPlanStartDate", "CINPlanEndDate"],
        "Section47": ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"],
        "ChildProtectionPlans": ["CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
                                 "NumberOfPreviousCPP", "Reviews"],
        "Reviews": ["CPPreviewDate"],
    ]

    @Test("parses with XMLParser: root Message, CIN collection, reference date 31 March, our LA code")
    func header() throws {
        #expect(root.name == "Message")
        let details = try #require(root.child("Header")?.child("CollectionDetails"))
        #expect(details.child("Collection")?.text == "CIN")
        #expect(details.child("ReferenceDate")?.text == "2025-03-31")
        #expect(details.child("Year")?.text == "2025")
        #expect(root.child("Header")?.child("Source")?.child("LEA")?.text == SyntheticArea.laCode)
        let children = try #require(root.child("Children")).all("Child")
        #expect(children.count == Fixture.written.files.first { $0.name == "cin-census.xml" }?.rows)
        #expect(children.count > 300)
    }

    @Test("every element's children appear in the XSD order, and only known elements")
    func xsdOrder() {
        var checked = 0
        for node in [root] + root.descendants() where !node.children.isEmpty {
            guard let sequence = Self.sequences[node.name] else {
                Issue.record("unexpected element <\(node.name)> with children")
                continue
            }
            var last = -1
            for c in node.children {
                guard let i = sequence.firstIndex(of: c.name) else {
                    Issue.record("<\(c.name)> is not allowed in <\(node.name)>")
                    continue
                }
                #expect(i >= last, "<\(c.name)> comes after <\(sequence[max(last, 0)])> in <\(node.name)>, against the XSD order")
                last = i
            }
            checked += 1
        }
        #expect(checked > 1_000)
    }

    @Test("required items are present and codes come from the DfE lists")
    func requiredItemsAndCodes() throws {
        let asOf = Fixture.asOf
        for child in root.child("Children")!.all("Child") {
            let ids = try #require(child.child("ChildIdentifiers"))
            let laChildID = ids.child("LAchildID")?.text ?? ""
            #expect(laChildID.count >= 3)
            let births = ["PersonBirthDate", "ExpectedPersonBirthDate"].filter { ids.child($0) != nil }
            #expect(births.count == 1, "exactly one of PersonBirthDate / ExpectedPersonBirthDate (8525Q)")
            #expect((ids.child("UPN") == nil) != (ids.child("UPNunknown") == nil))
            let sex = try Sex.parse(try #require(ids.child("Sex")).text)
            if let expected = ids.child("ExpectedPersonBirthDate") {
                #expect(sex == .unknown, "an unborn child must be U (rule 4180)")
                #expect(CivilDate(expected.text)! > asOf)
            } else {
                #expect(CivilDate(ids.child("PersonBirthDate")!.text)! <= asOf)
            }
            _ = try Ethnicity.parse(child.child("ChildCharacteristics")!.child("Ethnicity")!.text)
            for d in child.descendants() where d.name == "Disability" {
                #expect(d.text == "NONE" || (try? Disability.parse(d.text)) != nil)
            }
            let details = child.all("CINdetails")
            #expect(!details.isEmpty)
            for cin in details {
                #expect(cin.child("CINreferralDate") != nil && cin.child("ReferralNFA") != nil)
                _ = try ReferralSource.parse(cin.child("ReferralSource")!.text)
                if let need = cin.child("PrimaryNeedCode") { _ = try PrimaryNeed.parse(need.text) }
                if let reason = cin.child("ReasonForClosure") { _ = try ReasonForClosure.parse(reason.text) }
                #expect((cin.child("CINclosureDate") == nil) == (cin.child("ReasonForClosure") == nil), "rules 8805/8810")
                #expect(["true", "false"].contains(cin.child("ReferralNFA")!.text))
                for f in cin.descendants() where f.name == "AssessmentFactors" { _ = try AssessmentFactor.parse(f.text) }
                for c in cin.descendants() where c.name.hasSuffix("CategoryOfAbuse") { _ = try AbuseCategory.parse(c.text) }
                for s in cin.all("Section47") { #expect(["true", "false"].contains(s.child("ICPCnotRequired")?.text ?? "")) }
            }
        }
    }

    @Test("dates are real, not after as-of (except expected births), and ordered within an episode")
    func dates() throws {
        let asOf = Fixture.asOf
        let dateElements: Set = ["CINreferralDate", "CINclosureDate", "AssessmentActualStartDate", "AssessmentAuthorisationDate",
                                 "CINPlanStartDate", "CINPlanEndDate", "S47ActualStartDate", "DateOfInitialCPC",
                                 "CPPstartDate", "CPPendDate", "CPPreviewDate", "PersonBirthDate"]
        for node in root.descendants() where dateElements.contains(node.name) {
            let d = try #require(CivilDate(node.text), "<\(node.name)> \(node.text) is not a date")
            #expect(d <= asOf, "<\(node.name)> \(d) is after as-of \(asOf)")
        }
        for cin in root.descendants() where cin.name == "CINdetails" {
            let referral = CivilDate(cin.child("CINreferralDate")!.text)!
            if let closed = cin.child("CINclosureDate").flatMap({ CivilDate($0.text) }) { #expect(closed >= referral) }
            for plan in cin.all("ChildProtectionPlans") {
                let start = CivilDate(plan.child("CPPstartDate")!.text)!
                #expect(start >= referral, "CPP before referral (rule 1105)")
                #expect(!start.isWeekend)
                if let end = plan.child("CPPendDate").flatMap({ CivilDate($0.text) }) { #expect(end > start) }
            }
        }
    }

    @Test("includes child criminal exploitation (24A), child protection plans, unborn children and NFA referrals")
    func coverage() {
        let all = root.descendants()
        #expect(all.contains { $0.name == "AssessmentFactors" && $0.text == "24A" })
        #expect(all.filter { $0.name == "ChildProtectionPlans" }.count >= 25)
        #expect(all.contains { $0.name == "ExpectedPersonBirthDate" })
        #expect(all.contains { $0.name == "ReferralNFA" && $0.text == "true" })
        #expect(all.contains { $0.name == "CINPlanDates" })
        #expect(all.contains { $0.name == "Section47" })
    }

    @Test("XML special characters are escaped by the writer")
    func escaping() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-escape-\(ProcessInfo.processInfo.processIdentifier).xml")
        let w = try ExtractWriter(url: url)
        w.open("Root", indent: 0)
        w.element("Name", "O'Brien & \"Smith\" <Jones>", indent: 2)
        w.close("Root", indent: 0)
        try w.finish()
        let node = try #require(XMLNode.parse(try Data(contentsOf: url)))
        #expect(node.child("Name")?.text == "O'Brien & \"Smith\" <Jones>")
        try? FileManager.default.removeItem(at: url)
    }
}
