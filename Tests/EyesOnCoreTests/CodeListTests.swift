import Foundation
import Testing
import EyesOnCore

@Suite("CIN code lists")
struct CodeListTests {
    @Test("each list has the codes STANDARDS §1.4 lists")
    func listSizes() {
        #expect(Ethnicity.allCases.count == 20)
        #expect(Disability.allCases.count == 13)
        #expect(ReferralSource.allCases.count == 22)
        #expect(PrimaryNeed.allCases.count == 10)
        #expect(AbuseCategory.allCases.count == 5)
        #expect(ReasonForClosure.allCases.count == 9)
        #expect(UPNUnknownReason.allCases.count == 7)
        #expect(AssessmentFactor.allCases.count == 44)
        #expect(Sex.allCases.count == 3)
    }

    @Test func parsingIsForgivingAboutCaseAndSpaces() throws {
        #expect(try Ethnicity.parse(" wbri ") == .whiteBritish)
        #expect(try ReferralSource.parse("5d") == .earlyHelp)
        #expect(try AssessmentFactor.parse("24a") == .childCriminalExploitation)
        #expect(try ReasonForClosure.parse("RC9").label == "Case closed after assessment, referred to early help")
        #expect(try Sex.parse("f") == .female)
    }

    @Test func aBadCodeListsTheValidOnes() {
        #expect { try AbuseCategory.parse("PHYS") } throws: { error in
            (error as? CodeError)?.description == "category of abuse 'PHYS' is not one of NEG, PHY, SAB, EMO, MUL"
        }
        #expect(throws: CodeError.self) { try ReasonForClosure.parse("RC10") }
        #expect(throws: CodeError.self) { try Ethnicity.parse("") }
    }

    @Test func combinationRules() throws {
        try Disability.validate([.mobility, .hearing])
        try Disability.validate([.none])
        #expect(throws: CodeError(list: "disability code", code: "NONE", reason: "cannot be combined with other disability codes")) {
            try Disability.validate([.none, .autism])
        }
        #expect(throws: CodeError.self) { try Disability.validate([.autism, .autism]) }
        try AssessmentFactor.validate([.domesticViolenceParent, .childCriminalExploitation])
        #expect(throws: CodeError.self) { try AssessmentFactor.validate([.noFactors, .youngCarer]) }
        #expect(throws: CodeError.self) { try AssessmentFactor.validate([.neglect, .neglect]) }
    }

    @Test func legacyAndReturnSpecificCodes() {
        #expect(AssessmentFactor.allCases.filter(\.isLegacy) == [.physicalAbuseLegacy, .sexualAbuseLegacy])
        #expect(PrimaryNeed.allCases.filter(\.isValidInSSDA903).map(\.code) == ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"])
        #expect(UPNUnknownReason.allCases.filter(\.isValidInSSDA903).map(\.code) == ["UN1", "UN2", "UN3", "UN4", "UN5"])
    }

    @Test func legacyGenderCodes() {
        #expect(Sex(genderCurrent: "1") == .male)
        #expect(Sex(genderCurrent: "2") == .female)
        #expect(Sex(genderCurrent: "0") == .unknown)
        #expect(Sex(genderCurrent: "9") == .unknown)
        #expect(Sex(genderCurrent: "3") == nil)
    }

    @Test func everyCodeHasALabelAndIsUnique() {
        func check<L: CodeList>(_: L.Type) {
            #expect(L.allCases.allSatisfy { !$0.label.isEmpty })
            #expect(Set(L.allCases.map(\.label)).count == L.allCases.count, "\(L.self) labels repeat")
        }
        check(Ethnicity.self); check(Disability.self); check(ReferralSource.self); check(PrimaryNeed.self)
        check(AbuseCategory.self); check(ReasonForClosure.self); check(UPNUnknownReason.self)
        check(AssessmentFactor.self); check(Sex.self)
    }
}

@Suite("Small-number suppression")
struct SmallNumbersTests {
    @Test("1 to 4 are shown as fewer than 5; 0 and 5 or more as they are; a share of a suppressed count is suppressed")
    func boundary() {
        #expect(SmallNumbers.show(0) == "0")
        #expect(SmallNumbers.show(1) == "fewer than 5")
        #expect(SmallNumbers.show(4) == "fewer than 5")
        #expect(SmallNumbers.show(5) == "5")
        #expect(SmallNumbers.show(12_345) == 12_345.formatted())
        #expect(SmallNumbers.share(4, of: 40) == "suppressed")
        #expect(SmallNumbers.share(5, of: 40) == "12.5%")
        #expect(SmallNumbers.share(5, of: 4) == "suppressed")
        #expect(SmallNumbers.share(0, of: 40) == "0.0%")
        #expect(SmallNumbers.share(0, of: 0) == "–")
    }
}
