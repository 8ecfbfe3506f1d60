import Foundation
import Testing
import EyesOnCore
@testable import Feeds
@testable import Synthetic

/// Small CIN census files, written by hand with synthetic values only (LA 990, `EB` child IDs,
/// UPNs made from their last twelve digits), and edited to make each variant or fault.
enum CINFile {
    static let upn = try! UPN(lastTwelve: "990000000001").value
    static let upn2 = try! UPN(lastTwelve: "990000000002").value

    static func header(lea: String = "990", collection: String = "CIN") -> String {
        """
          <Header>
            <CollectionDetails>
              <Collection>\(collection)</Collection>
              <Year>2025</Year>
              <ReferenceDate>2025-03-31</ReferenceDate>
            </CollectionDetails>
            <Source>
              <SourceLevel>L</SourceLevel>
              <LEA>\(lea)</LEA>
              <SoftwareCode>Test</SoftwareCode>
            </Source>
          </Header>
        """
    }

    /// One child on a child protection plan: every kind of element, one per line.
    static func child(_ id: String = "EB0000001", upn: String = CINFile.upn) -> String {
        """
            <Child>
              <ChildIdentifiers>
                <LAchildID>\(id)</LAchildID>
                <UPN>\(upn)</UPN>
                <PersonBirthDate>2015-06-01</PersonBirthDate>
                <Sex>F</Sex>
              </ChildIdentifiers>
              <ChildCharacteristics>
                <Ethnicity>WBRI</Ethnicity>
                <Disabilities>
                  <Disability>MOB</Disability>
                  <Disability>HEAR</Disability>
                </Disabilities>
              </ChildCharacteristics>
              <CINdetails>
                <CINreferralDate>2024-05-01</CINreferralDate>
                <ReferralSource>2A</ReferralSource>
                <PrimaryNeedCode>N1</PrimaryNeedCode>
                <CINclosureDate>2025-01-10</CINclosureDate>
                <ReasonForClosure>RC7</ReasonForClosure>
                <Assessments>
                  <AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>
                  <AssessmentAuthorisationDate>2024-06-03</AssessmentAuthorisationDate>
                  <FactorsIdentifiedAtAssessment>
                    <AssessmentFactors>3B</AssessmentFactors>
                    <AssessmentFactors>24A</AssessmentFactors>
                  </FactorsIdentifiedAtAssessment>
                </Assessments>
                <CINPlanDates>
                  <CINPlanStartDate>2024-06-04</CINPlanStartDate>
                  <CINPlanEndDate>2024-06-20</CINPlanEndDate>
                </CINPlanDates>
                <Section47>
                  <S47ActualStartDate>2024-06-10</S47ActualStartDate>
                  <InitialCPCtarget>2024-07-01</InitialCPCtarget>
                  <DateOfInitialCPC>2024-06-21</DateOfInitialCPC>
                  <ICPCnotRequired>false</ICPCnotRequired>
                </Section47>
                <ReferralNFA>false</ReferralNFA>
                <ChildProtectionPlans>
                  <CPPstartDate>2024-06-21</CPPstartDate>
                  <CPPendDate>2025-01-10</CPPendDate>
                  <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
                  <LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
                  <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
                  <Reviews>
                    <CPPreviewDate>2024-09-13</CPPreviewDate>
                    <CPPreviewDate>2024-12-13</CPPreviewDate>
                  </Reviews>
                </ChildProtectionPlans>
              </CINdetails>
            </Child>
        """
    }

    static func file(children: [String] = [child()], header: String = CINFile.header(), root: String = "Message") -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(root)>\n\(header)\n  <Children>\n"
            + children.joined(separator: "\n") + "\n  </Children>\n</\(root.split(separator: " ").first!)>\n"
    }

    /// The 1-based line of the `occurrence`th line containing `marker`.
    static func line(of marker: String, in text: String, occurrence: Int = 1) -> Int {
        var seen = 0
        for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where l.contains(marker) {
            seen += 1
            if seen == occurrence { return i + 1 }
        }
        return -1
    }

    static func read(_ text: String, expectedLEA: String? = nil) throws -> [CINCensusReader.Item] {
        try read(Data(text.utf8), expectedLEA: expectedLEA)
    }

    static func read(_ data: Data, expectedLEA: String? = nil) throws -> [CINCensusReader.Item] {
        let reader = CINCensusReader(data: data, name: "cin.xml", expectedLEA: expectedLEA)
        var items: [CINCensusReader.Item] = []
        try reader.read { items.append($0) }
        return items
    }

    static func children(_ items: [CINCensusReader.Item]) -> [CINChild] {
        items.compactMap { if case .child(let c) = $0 { c } else { nil } }
    }

    static func problems(_ items: [CINCensusReader.Item]) -> [RowProblem] {
        items.compactMap { if case .problem(let p) = $0 { p } else { nil } }
    }

    /// The single child of a one-child file, failing the test when there is none.
    static func only(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CINChild {
        let items = try read(text)
        #expect(problems(items).isEmpty, "unexpected problems \(problems(items))", sourceLocation: sourceLocation)
        return try #require(children(items).first, sourceLocation: sourceLocation)
    }

    /// The structural error reading `data`, failing the test when it reads.
    static func fileError(_ data: Data, expectedLEA: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> FeedFileError? {
        do {
            _ = try read(data, expectedLEA: expectedLEA)
            Issue.record("the file was read", sourceLocation: sourceLocation)
            return nil
        } catch let error as FeedFileError {
            return error
        } catch {
            Issue.record("not a FeedFileError: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    static func fileError(_ text: String, expectedLEA: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> FeedFileError? {
        fileError(Data(text.utf8), expectedLEA: expectedLEA, sourceLocation: sourceLocation)
    }

    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("cin-feed-tests-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    }
}

/// A small synthetic area (3,000 children; it takes well under a second).
enum CINSyntheticFixture {
    static let area = SyntheticArea.generate(AreaConfiguration(children: 3_000, seed: 20_250_115, asOf: CivilDate("2025-01-15")!))
}

/// Counts across threads.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    private var finished = false
    var count: Int { lock.withLock { n } }
    var isFinished: Bool { lock.withLock { finished } }
    func add() { lock.withLock { n += 1 } }
    func finish() { lock.withLock { finished = true } }
}

@Suite("CIN census reader")
struct CINCensusFeedTests {
    // MARK: Good files

    @Test("a hand-written child comes back whole: identifiers, codes, dates and every sub-record")
    func everyField() throws {
        let text = CINFile.file()
        let reader = CINCensusReader(data: Data(text.utf8), name: "cin.xml", expectedLEA: "990")
        var items: [CINCensusReader.Item] = []
        try reader.read { item in
            #expect(reader.header != nil, "the header is known before the first child")
            items.append(item)
        }
        #expect(reader.header == CINHeader(referenceDate: CivilDate("2025-03-31"), lea: "990", year: 2025))
        #expect(reader.childrenRead == 1)
        guard case .child(let c) = try #require(items.first), items.count == 1 else { Issue.record("not one child: \(items)"); return }
        #expect(c.line == CINFile.line(of: "<Child>", in: text))
        #expect(c.laChildID == "EB0000001" && c.upn == CINFile.upn && c.formerUPN == nil && c.upnUnknown == nil)
        #expect(c.dateOfBirth == CivilDate("2015-06-01") && c.expectedDateOfBirth == nil && c.deathDate == nil)
        #expect(c.sex == .female && c.ethnicity == "WBRI" && c.disabilities == ["MOB", "HEAR"])
        let e = try #require(c.episodes.first)
        #expect(c.episodes.count == 1 && e.line == CINFile.line(of: "<CINdetails>", in: text))
        #expect(e.referralDate == CivilDate("2024-05-01") && e.referralSource == "2A" && e.primaryNeed == "N1")
        #expect(e.closureDate == CivilDate("2025-01-10") && e.closureReason == "RC7" && !e.referralNFA && e.initialCPCDate == nil)
        #expect(e.assessments == [CINAssessment(line: CINFile.line(of: "<Assessments>", in: text), start: CivilDate("2024-05-02")!,
                                                authorised: CivilDate("2024-06-03"), factors: ["3B", "24A"])])
        #expect(e.cinPlans == [CINPlanPeriod(line: CINFile.line(of: "<CINPlanDates>", in: text), start: CivilDate("2024-06-04")!,
                                             end: CivilDate("2024-06-20"))])
        #expect(e.section47s == [CINSection47(line: CINFile.line(of: "<Section47>", in: text), start: CivilDate("2024-06-10")!,
                                              icpcTarget: CivilDate("2024-07-01"), icpcDate: CivilDate("2024-06-21"), icpcNotRequired: false)])
        #expect(e.protectionPlans == [CINProtectionPlan(
            line: CINFile.line(of: "<ChildProtectionPlans>", in: text), start: CivilDate("2024-06-21")!, end: CivilDate("2025-01-10"),
            initialCategory: "NEG", latestCategory: "EMO", previousPlans: 1,
            reviews: [CivilDate("2024-09-13")!, CivilDate("2024-12-13")!])])
    }

    @Test("a synthetic area's CIN census reads with no problems, every child matching the synthetic truth")
    func syntheticArea() throws {
        let area = CINSyntheticFixture.area
        let directory = CINFile.temporaryURL("synthetic")
        defer { try? FileManager.default.removeItem(at: directory) }
        let truth = try ExtractWriter(url: directory.appendingPathComponent("truth.csv"))
        let rows = try area.writeCINCensus(directory, truth: truth)[0].rows
        try truth.finish()
        let url = directory.appendingPathComponent("cin-census.xml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let childElements = text.components(separatedBy: "<Child>").count - 1
        let reader = try CINCensusReader(path: url.path, expectedLEA: SyntheticArea.laCode)
        var items: [CINCensusReader.Item] = []
        try reader.read { items.append($0) }
        #expect(CINFile.problems(items).isEmpty, "problems: \(CINFile.problems(items).prefix(5))")
        let children = CINFile.children(items)
        #expect(children.count == childElements && children.count == rows && reader.childrenRead == rows)
        #expect(children.count > 50)
        #expect(reader.header == CINHeader(referenceDate: area.censusReferenceDate, lea: SyntheticArea.laCode, year: area.censusReferenceDate.year))

        // The records the writer puts in the file, in the same order.
        let start = area.censusYearStart
        let records = area.socialCare.filter { $0.status != .careLeaver && $0.episodes.contains(where: area.inCensusYear) }
        #expect(records.map(\.laChildID) == children.map(\.laChildID))
        var plansChecked = 0
        for (record, child) in zip(records, children) {
            let episodes = record.episodes.filter(area.inCensusYear)
            #expect(child.episodes.count == episodes.count, "\(child.laChildID): referral count")
            #expect(child.ethnicity == record.ethnicity)
            #expect(child.sex == area.person(record.personID).sex)
            for (truth, read) in zip(episodes, child.episodes) {
                #expect(read.referralDate == truth.referralDate && read.referralSource == truth.referralSource)
                #expect(read.primaryNeed == truth.primaryNeed && read.closureDate == truth.closureDate
                        && read.closureReason == truth.closureReason && read.referralNFA == truth.referralNFA)
                let plans = truth.protectionPlans.filter { $0.end.map { $0 >= start } ?? true }
                #expect(read.protectionPlans.count == plans.count)
                for (p, r) in zip(plans, read.protectionPlans) {
                    #expect(r.start == p.start && r.end == p.end && r.initialCategory == p.initialCategory
                            && r.latestCategory == p.latestCategory && r.previousPlans == p.previousPlans)
                    #expect(r.reviews == p.reviews.filter { $0 >= start })
                    plansChecked += 1
                }
            }
        }
        #expect(plansChecked > 0, "the area should have a child protection plan to check")
    }

    // MARK: Variants

    @Test("GenderCurrent 1/2/0/9 and Sex M/F/U (either case) give the child's sex", arguments: [
        ("<GenderCurrent>1</GenderCurrent>", Sex.male), ("<GenderCurrent>2</GenderCurrent>", .female),
        ("<GenderCurrent>0</GenderCurrent>", .unknown), ("<GenderCurrent>9</GenderCurrent>", .unknown),
        ("<Sex>M</Sex>", .male), ("<Sex>F</Sex>", .female), ("<Sex>U</Sex>", .unknown), ("<Sex>m</Sex>", .male),
    ])
    func sexVariants(element: String, sex: Sex) throws {
        let child = try CINFile.only(CINFile.file(children: [CINFile.child().replacingOccurrences(of: "<Sex>F</Sex>", with: element)]))
        #expect(child.sex == sex)
    }

    @Test("a child with neither Sex nor GenderCurrent has no sex; GenderCurrent 3 and Sex X are problems")
    func sexMissingOrBad() throws {
        #expect(try CINFile.only(CINFile.file(children: [CINFile.child().replacingOccurrences(of: "<Sex>F</Sex>", with: "")])).sex == nil)
        for bad in ["<GenderCurrent>3</GenderCurrent>", "<Sex>X</Sex>"] {
            let text = CINFile.file(children: [CINFile.child().replacingOccurrences(of: "<Sex>F</Sex>", with: bad)])
            let problems = CINFile.problems(try CINFile.read(text))
            #expect(problems.count == 1 && problems.first?.field.hasPrefix("Child/ChildIdentifiers/") == true)
        }
    }

    @Test("yes/no items accept true, false, TRUE, FALSE, 1 and 0; a missing ICPCnotRequired is false", arguments: [
        ("true", true), ("TRUE", true), ("1", true), ("false", false), ("FALSE", false), ("0", false),
    ])
    func yesNo(text: String, value: Bool) throws {
        let child = try CINFile.only(CINFile.file(children: [CINFile.child()
            .replacingOccurrences(of: "<ReferralNFA>false</ReferralNFA>", with: "<ReferralNFA>\(text)</ReferralNFA>")
            .replacingOccurrences(of: "<ICPCnotRequired>false</ICPCnotRequired>", with: "<ICPCnotRequired>\(text)</ICPCnotRequired>")]))
        #expect(child.episodes[0].referralNFA == value && child.episodes[0].section47s[0].icpcNotRequired == value)
        let without = try CINFile.only(CINFile.file(children: [CINFile.child()
            .replacingOccurrences(of: "<ICPCnotRequired>false</ICPCnotRequired>", with: "")]))
        #expect(without.episodes[0].section47s[0].icpcNotRequired == false)
    }

    @Test("'yes' is not a yes/no value")
    func yesIsNotYesNo() throws {
        let text = CINFile.file(children: [CINFile.child()
            .replacingOccurrences(of: "<ReferralNFA>false</ReferralNFA>", with: "<ReferralNFA>yes</ReferralNFA>")])
        let problem = try #require(CINFile.problems(try CINFile.read(text)).first)
        #expect(problem.field == "Child/CINdetails/ReferralNFA" && problem.value == "yes" && problem.line == CINFile.line(of: "<ReferralNFA>", in: text))
    }

    @Test("the 2025-26 PreProceedingsandFGDM block, unknown elements anywhere and comments are skipped")
    func unknownElementsSkipped() throws {
        let fgdm = """
                <PreProceedingsandFGDM>
                  <PPStartDate>2024-07-01</PPStartDate>
                  <LBPSentDate>2024-07-02</LBPSentDate>
                  <FGDMMeetingOffer>true</FGDMMeetingOffer>
                  <ReviewMeetingsCount>2</ReviewMeetingsCount>
                  <PPOutcome>A</PPOutcome>
                  <CourtAppDate>not-a-date</CourtAppDate>
                </PreProceedingsandFGDM>
              </CINdetails>
        """
        let child = CINFile.child()
            .replacingOccurrences(of: "      </CINdetails>", with: fgdm)
            .replacingOccurrences(of: "<Sex>F</Sex>", with: "<Sex>F</Sex><NewItem2030><Deep>x</Deep></NewItem2030><!-- a comment -->")
            .replacingOccurrences(of: "<ReferralSource>2A</ReferralSource>", with: "<ReferralSource>2A<Odd>9Z</Odd></ReferralSource>")
        let text = CINFile.file(children: [child])
            .replacingOccurrences(of: "  </Children>\n", with: "  </Children>\n  <Extra><Children><Child/></Children></Extra>\n")
        let read = try CINFile.only(text)
        let plain = try CINFile.only(CINFile.file())
        #expect(read == plain)
    }

    @Test("a namespace on <Message>, default or prefixed, is tolerated", arguments: [
        "Message xmlns=\"http://www.example.org/cin\"", "Message xmlns=\"cin\"",
    ])
    func namespace(root: String) throws {
        #expect(try CINFile.only(CINFile.file(root: root)).laChildID == "EB0000001")
    }

    @Test("a prefixed namespace is tolerated too")
    func prefixedNamespace() throws {
        let text = CINFile.file().replacingOccurrences(of: "<", with: "<c:").replacingOccurrences(of: "<c:/", with: "</c:")
            .replacingOccurrences(of: "<c:?xml", with: "<?xml").replacingOccurrences(of: "<c:!--", with: "<!--")
            .replacingOccurrences(of: "<c:Message>", with: "<c:Message xmlns:c=\"http://www.example.org/cin\">")
        #expect(try CINFile.only(text).laChildID == "EB0000001")
    }

    @Test("an unborn child has an expected birth date; dates with an XML Schema time zone are accepted")
    func unbornAndTimeZone() throws {
        let child = try CINFile.only(CINFile.file(children: [CINFile.child()
            .replacingOccurrences(of: "<PersonBirthDate>2015-06-01</PersonBirthDate>", with: "<ExpectedPersonBirthDate>2025-04-01Z</ExpectedPersonBirthDate>")
            .replacingOccurrences(of: "<UPN>\(CINFile.upn)</UPN>", with: "<UPNunknown>un1</UPNunknown>")
            .replacingOccurrences(of: "<CINreferralDate>2024-05-01</CINreferralDate>", with: "<CINreferralDate>2024-05-01+01:00</CINreferralDate>")]))
        #expect(child.dateOfBirth == nil && child.expectedDateOfBirth == CivilDate("2025-04-01") && child.upn == nil && child.upnUnknown == "UN1")
        #expect(child.episodes[0].referralDate == CivilDate("2024-05-01"))
    }

    @Test("lower-case UPNs and codes come back canonical; surrounding white space is ignored")
    func canonical() throws {
        let child = try CINFile.only(CINFile.file(children: [CINFile.child()
            .replacingOccurrences(of: "<UPN>\(CINFile.upn)</UPN>", with: "<UPN> \(CINFile.upn.lowercased())\n</UPN><FormerUPN>\(CINFile.upn2)</FormerUPN>")
            .replacingOccurrences(of: "<ReferralSource>2A</ReferralSource>", with: "<ReferralSource>\t2a </ReferralSource>")
            .replacingOccurrences(of: "<Ethnicity>WBRI</Ethnicity>", with: "<Ethnicity>wbri</Ethnicity>")]))
        #expect(child.upn == CINFile.upn && child.formerUPN == CINFile.upn2)
        #expect(child.episodes[0].referralSource == "2A" && child.ethnicity == "WBRI")
    }

    // MARK: Files that cannot be read

    @Test("a file cut short throws, naming a line, wherever it is cut (from memory and from disk)")
    func truncated() throws {
        let text = CINFile.file(children: (1...3).map { CINFile.child("EB000000\($0)") })
        let bytes = Array(text.utf8)
        for cut in [bytes.count / 3, bytes.count / 2 + 7, bytes.count - 30, bytes.count - 12, bytes.count - 6, bytes.count - 3] {
            let error = try #require(CINFile.fileError(Data(bytes[0..<cut])))
            #expect(error.message.contains("cut short"), "cut at \(cut): \(error)")
            let line = try #require(error.line)
            #expect(line > 1 && line <= text.split(separator: "\n").count)
        }
        let url = CINFile.temporaryURL("truncated.xml")
        try Data(bytes[0..<(bytes.count / 2)]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try CINCensusReader(path: url.path)
        let error = try #require(throws: FeedFileError.self) { try reader.read { _ in } }
        #expect(error.message.contains("cut short") && error.line != nil)
    }

    @Test("the wrong root element is refused: this is not a CIN census file")
    func wrongRoot() throws {
        let error = try #require(CINFile.fileError(CINFile.file(root: "EXPSSDA903")))
        #expect(error.message.contains("<EXPSSDA903>, not <Message>") && error.line == 2)
    }

    @Test("bytes that are not UTF-8 are refused, naming their line")
    func notUTF8() throws {
        let text = CINFile.file()
        var bytes = Array(text.utf8)
        let at = try #require(text.range(of: "WBRI").map { text.utf8.distance(from: text.startIndex, to: $0.lowerBound) })
        bytes.replaceSubrange(at..<(at + 1), with: [0xE9, 0xFF])   // "WBRI" becomes Latin-1 junk
        let error = try #require(CINFile.fileError(Data(bytes)))
        #expect(error.message.contains("not UTF-8") && error.line == CINFile.line(of: "<Ethnicity>", in: text))
    }

    @Test("a file without <Children>, an empty file and text that is not XML are refused")
    func noChildren() throws {
        let header = "<?xml version=\"1.0\"?>\n<Message>\n\(CINFile.header())\n</Message>\n"
        let error = try #require(CINFile.fileError(header))
        #expect(error.message.contains("no <Children>"))
        #expect(CINFile.fileError("")?.message.contains("no XML") == true)
        #expect(CINFile.fileError("LAchildID,UPN\nEB1,A\n")?.message.contains("not XML") == true)
        #expect(CINFile.fileError(CINFile.file() + "<Message/>")?.message.contains("more after the end") == true)
    }

    @Test("a file from another local authority is refused when the LA is known; the right LA reads")
    func wrongLEA() throws {
        let text = CINFile.file(header: CINFile.header(lea: "991"))
        let error = try #require(CINFile.fileError(text, expectedLEA: "990"))
        #expect(error.field == "Header/Source/LEA" && error.line == CINFile.line(of: "<LEA>", in: text) && error.message.contains("wrong agency"))
        #expect(CINFile.children(try CINFile.read(text, expectedLEA: "991")).count == 1)
        #expect(CINFile.children(try CINFile.read(text)).count == 1)
    }

    @Test("a collection other than CIN is refused")
    func wrongCollection() throws {
        let error = try #require(CINFile.fileError(CINFile.file(header: CINFile.header(collection: "SSDA903"))))
        #expect(error.field == "Header/CollectionDetails/Collection" && error.message.contains("not CIN"))
    }

    @Test("broken XML part-way names its line; a file that does not exist cannot be opened")
    func brokenXML() throws {
        let text = CINFile.file(children: [CINFile.child("EB0000001"), CINFile.child("EB0000002")])
            .replacingOccurrences(of: "<ReferralSource>2A</ReferralSource>", with: "<ReferralSource>2A & 2B</ReferralSource>")
        let error = try #require(CINFile.fileError(text))
        #expect(error.line == CINFile.line(of: "<ReferralSource>", in: text) && error.message.contains("not escaped"))
        #expect(throws: FeedFileError.self) { try CINCensusReader(path: CINFile.temporaryURL("no-such-file.xml").path) }
    }

    // MARK: Row problems

    struct BadValue: Sendable, CustomTestStringConvertible {
        let label: String
        let edit: @Sendable (String) -> String
        /// The marker of the line the problem is on (first occurrence in the edited text).
        let marker: String
        let field: String
        let reason: String
        let value: String?
        var testDescription: String { label }

        init(_ label: String, replace old: String, with new: String, marker: String, field: String, reason: String, value: String? = nil) {
            self.label = label
            self.edit = { $0.replacingOccurrences(of: old, with: new) }
            self.marker = marker
            self.field = field
            self.reason = reason
            self.value = value
        }
    }

    static let badValues: [BadValue] = [
        BadValue("invalid ReferralSource", replace: "<ReferralSource>2A<", with: "<ReferralSource>2Z<", marker: "<ReferralSource>",
                 field: "Child/CINdetails/ReferralSource", reason: "referral source code '2Z' is not one of", value: "2Z"),
        BadValue("hostile text as a code", replace: "<ReferralSource>2A<", with: "<ReferralSource>&lt;script&gt;<", marker: "<ReferralSource>",
                 field: "Child/CINdetails/ReferralSource", reason: "is not one of", value: "<script>"),
        BadValue("bad UPN check letter", replace: "<UPN>\(CINFile.upn)", with: "<UPN>" + (CINFile.upn.hasPrefix("A") ? "B" : "A") + CINFile.upn.dropFirst(),
                 marker: "<UPN>", field: "Child/ChildIdentifiers/UPN", reason: "check letter"),
        BadValue("CPP ends before it starts", replace: "<CPPendDate>2025-01-10<", with: "<CPPendDate>2024-06-20<", marker: "<CPPendDate>",
                 field: "Child/CINdetails/ChildProtectionPlans/CPPendDate", reason: "ends (2024-06-20) before it starts (2024-06-21)"),
        BadValue("closure before referral", replace: "<CINclosureDate>2025-01-10<", with: "<CINclosureDate>2024-04-30<", marker: "<CINclosureDate>",
                 field: "Child/CINdetails/CINclosureDate", reason: "before its referral"),
        BadValue("CIN plan ends before it starts", replace: "<CINPlanEndDate>2024-06-20<", with: "<CINPlanEndDate>2024-06-01<", marker: "<CINPlanEndDate>",
                 field: "Child/CINdetails/CINPlanDates/CINPlanEndDate", reason: "ends (2024-06-01) before it starts"),
        BadValue("assessment authorised before it starts", replace: "<AssessmentAuthorisationDate>2024-06-03<",
                 with: "<AssessmentAuthorisationDate>2024-05-01<", marker: "<AssessmentAuthorisationDate>",
                 field: "Child/CINdetails/Assessments/AssessmentAuthorisationDate", reason: "before it starts"),
        BadValue("no such day", replace: "<PersonBirthDate>2015-06-01<", with: "<PersonBirthDate>2015-02-29<", marker: "<PersonBirthDate>",
                 field: "Child/ChildIdentifiers/PersonBirthDate", reason: "is not a date", value: "2015-02-29"),
        BadValue("UK date order", replace: "<CPPstartDate>2024-06-21<", with: "<CPPstartDate>21/06/2024<", marker: "<CPPstartDate>",
                 field: "Child/CINdetails/ChildProtectionPlans/CPPstartDate", reason: "is not a date"),
        BadValue("a 200-character value", replace: "<PrimaryNeedCode>N1<", with: "<PrimaryNeedCode>" + String(repeating: "N", count: 200) + "<",
                 marker: "<PrimaryNeedCode>", field: "Child/CINdetails/PrimaryNeedCode", reason: "longer than 100 characters"),
        BadValue("invalid primary need", replace: "<PrimaryNeedCode>N1<", with: "<PrimaryNeedCode>N10<", marker: "<PrimaryNeedCode>",
                 field: "Child/CINdetails/PrimaryNeedCode", reason: "primary need code 'N10'"),
        BadValue("invalid reason for closure", replace: "<ReasonForClosure>RC7<", with: "<ReasonForClosure>RC10<", marker: "<ReasonForClosure>",
                 field: "Child/CINdetails/ReasonForClosure", reason: "reason for closure code"),
        BadValue("invalid category of abuse", replace: "<LatestCategoryOfAbuse>EMO<", with: "<LatestCategoryOfAbuse>EMOT<",
                 marker: "<LatestCategoryOfAbuse>", field: "Child/CINdetails/ChildProtectionPlans/LatestCategoryOfAbuse", reason: "category of abuse"),
        BadValue("invalid assessment factor", replace: "<AssessmentFactors>24A<", with: "<AssessmentFactors>25A<", marker: ">25A<",
                 field: "Child/CINdetails/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors", reason: "assessment factor '25A'"),
        BadValue("invalid ethnicity", replace: "<Ethnicity>WBRI<", with: "<Ethnicity>WBR<", marker: "<Ethnicity>",
                 field: "Child/ChildCharacteristics/Ethnicity", reason: "ethnicity code"),
        BadValue("invalid disability", replace: "<Disability>HEAR<", with: "<Disability>DEAF<", marker: ">DEAF<",
                 field: "Child/ChildCharacteristics/Disabilities/Disability", reason: "disability code"),
        BadValue("invalid UPNunknown", replace: "<UPN>\(CINFile.upn)</UPN>", with: "<UPNunknown>UN8</UPNunknown>", marker: "<UPNunknown>",
                 field: "Child/ChildIdentifiers/UPNunknown", reason: "UPN unknown reason"),
        BadValue("negative previous plans", replace: "<NumberOfPreviousCPP>1<", with: "<NumberOfPreviousCPP>-1<", marker: "<NumberOfPreviousCPP>",
                 field: "Child/CINdetails/ChildProtectionPlans/NumberOfPreviousCPP", reason: "whole number"),
        BadValue("invalid LAchildID", replace: "<LAchildID>EB0000001<", with: "<LAchildID>EB-0000001<", marker: "<LAchildID>",
                 field: "Child/ChildIdentifiers/LAchildID", reason: "1 to 20 letters and digits"),
        BadValue("missing LAchildID", replace: "<LAchildID>EB0000001</LAchildID>", with: "", marker: "<Child>",
                 field: "Child/ChildIdentifiers/LAchildID", reason: "is missing"),
        BadValue("no birth date of either kind", replace: "<PersonBirthDate>2015-06-01</PersonBirthDate>", with: "", marker: "<Child>",
                 field: "Child/ChildIdentifiers/PersonBirthDate", reason: "ExpectedPersonBirthDate"),
        BadValue("missing referral date", replace: "<CINreferralDate>2024-05-01</CINreferralDate>", with: "", marker: "<CINdetails>",
                 field: "Child/CINdetails/CINreferralDate", reason: "is missing"),
        BadValue("missing CPP start", replace: "<CPPstartDate>2024-06-21</CPPstartDate>", with: "", marker: "<ChildProtectionPlans>",
                 field: "Child/CINdetails/ChildProtectionPlans/CPPstartDate", reason: "is missing"),
        BadValue("missing S47 start", replace: "<S47ActualStartDate>2024-06-10</S47ActualStartDate>", with: "", marker: "<Section47>",
                 field: "Child/CINdetails/Section47/S47ActualStartDate", reason: "is missing"),
        BadValue("missing assessment start", replace: "<AssessmentActualStartDate>2024-05-02</AssessmentActualStartDate>", with: "",
                 marker: "<Assessments>", field: "Child/CINdetails/Assessments/AssessmentActualStartDate", reason: "is missing"),
        BadValue("missing CIN plan start", replace: "<CINPlanStartDate>2024-06-04</CINPlanStartDate>", with: "", marker: "<CINPlanDates>",
                 field: "Child/CINdetails/CINPlanDates/CINPlanStartDate", reason: "is missing"),
        BadValue("a value given twice", replace: "<Ethnicity>WBRI</Ethnicity>", with: "<Ethnicity>WBRI</Ethnicity>\n<Ethnicity>AIND</Ethnicity>",
                 marker: ">AIND<", field: "Child/ChildCharacteristics/Ethnicity", reason: "more than once"),
    ]

    @Test("a bad value quarantines its child, naming the line and element path; the other children are read",
          arguments: CINCensusFeedTests.badValues)
    func badValue(_ bad: BadValue) throws {
        let text = CINFile.file(children: [CINFile.child("EB0000009"), bad.edit(CINFile.child("EB0000001")), CINFile.child("EB0000002")])
        let items = try CINFile.read(text)
        #expect(CINFile.children(items).map(\.laChildID) == ["EB0000009", "EB0000002"], "the bad child is not delivered, the others are")
        let problems = CINFile.problems(items)
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        guard case .problem = items[1] else { Issue.record("the problem is not in file order: \(items)"); return }
        #expect(problem.field == bad.field)
        // The marker's line in the bad (second) child.
        let before = CINFile.child("EB0000009").split(separator: "\n").filter { $0.contains(bad.marker) }.count
        #expect(problem.line == CINFile.line(of: bad.marker, in: text, occurrence: before + 1))
        #expect(problem.reason.contains(bad.reason), "reason: \(problem.reason)")
        if let value = bad.value { #expect(problem.value == value) }
    }

    @Test("a duplicate LAchildID is a problem on its second child, naming the first")
    func duplicateLAChildID() throws {
        let text = CINFile.file(children: [CINFile.child("EB0000001"), CINFile.child("EB0000002"), CINFile.child("EB0000001")])
        let reader = CINCensusReader(data: Data(text.utf8), name: "cin.xml")
        var items: [CINCensusReader.Item] = []
        try reader.read { items.append($0) }
        #expect(reader.childrenRead == 3)
        #expect(CINFile.children(items).map(\.laChildID) == ["EB0000001", "EB0000002"])
        let problem = try #require(CINFile.problems(items).first)
        let first = CINFile.line(of: "<LAchildID>", in: text)
        #expect(problem.line == CINFile.line(of: "<LAchildID>", in: text, occurrence: 3) && problem.field == "Child/ChildIdentifiers/LAchildID")
        #expect(problem.reason == "LAchildID EB0000001 appears twice (first at line \(first))")
    }

    @Test("hostile markup, entities and long text never leak out as markup nor crash")
    func hostileText() throws {
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE Message [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
            + CINFile.file().dropFirst("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".count)
                .replacingOccurrences(of: "<LAchildID>EB0000001<", with: "<LAchildID><![CDATA[<img src=x onerror=alert(1)>]]><")
                .replacingOccurrences(of: "<ReferralSource>2A<", with: "<ReferralSource>&b;<")
                .replacingOccurrences(of: "<Ethnicity>WBRI<", with: "<Ethnicity>" + String(repeating: "&lt;script&gt;", count: 5_000) + "<")
        let items = try CINFile.read(text)
        let problem = try #require(CINFile.problems(items).first)
        #expect(CINFile.children(items).isEmpty)
        #expect(problem.field == "Child/ChildIdentifiers/LAchildID" && problem.value == "<img src=x onerror=alert(1)>")
    }

    // MARK: Streaming

    @Test("a 50 MB file streams from disk: every child read, one at a time")
    func fiftyMegabytes() throws {
        let url = CINFile.temporaryURL("large.xml")
        defer { try? FileManager.default.removeItem(at: url) }
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        let template = CINFile.child("EB@@@@@@@")
        let parts = template.components(separatedBy: "EB@@@@@@@")
        try handle.write(contentsOf: Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n\(CINFile.header())\n  <Children>\n".utf8))
        var count = 0
        var written = 0
        var chunk = ""
        while written < 50_000_000 {
            count += 1
            chunk += parts[0] + "EB" + String(count) + parts[1] + "\n"
            if chunk.utf8.count > 1 << 20 {
                written += chunk.utf8.count
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try handle.write(contentsOf: Data((chunk + "  </Children>\n</Message>\n").utf8))
        try handle.close()

        let reader = try CINCensusReader(path: url.path, expectedLEA: "990")
        var children = 0
        var problems = 0
        var last = ""
        try reader.read { item in
            switch item {
            case .child(let c): children += 1; last = c.laChildID
            case .problem: problems += 1
            }
        }
        #expect(children == count && problems == 0 && reader.childrenRead == count && last == "EB\(count)")
        #expect(count > 20_000)
    }

    @Test("an error thrown by the caller stops the read at once and comes back unchanged")
    func callerStops() throws {
        struct Enough: Error {}
        let reader = CINCensusReader(data: Data(CINFile.file(children: (1...5).map { CINFile.child("EB\($0)") }).utf8), name: "cin.xml")
        var seen = 0
        #expect(throws: Enough.self) {
            try reader.read { _ in
                seen += 1
                if seen == 2 { throw Enough() }
            }
        }
        #expect(seen == 2 && reader.childrenRead == 2)
    }

    // MARK: BackgroundBatches (push)

    @Test("BackgroundBatches(push:) hands over every item in order, then the error")
    func pushBatches() throws {
        let batches = BackgroundBatches<Int, FeedFileError>(batchSize: 7, maxQueued: 2) { (emit) throws(FeedFileError) in
            for n in 1...100 { _ = emit(n) }
            throw FeedFileError(file: "f", message: "stop")
        }
        var seen: [Int] = []
        do {
            while let batch = try batches.next() { seen += batch }
            Issue.record("no error")
        } catch {
            #expect(error.message == "stop")
        }
        #expect(seen == Array(1...100))
    }

    @Test("BackgroundBatches(push:) with any Error carries a CIN census read: its items, then its FeedFileError")
    func pushCINRead() async throws {
        let text = CINFile.file(children: (1...30).map { CINFile.child("EB\($0)") })
        let cut = Data(text.utf8.prefix(text.utf8.count - 40))
        for (data, complete) in [(Data(text.utf8), true), (cut, false)] {
            let reader = CINCensusReader(data: data, name: "cin.xml")
            let items = BackgroundBatches<CINCensusReader.Item, any Error>(batchSize: 4) { emit in
                try reader.read { item in if !emit(item) { throw CancellationError() } }
            }
            var ids: [String] = []
            do {
                while let batch = try await items.nextBatch() { ids += CINFile.children(batch).map(\.laChildID) }
                #expect(complete, "a file cut short must end in an error")
            } catch let error as FeedFileError {
                #expect(!complete && error.message.contains("cut short"))
            }
            #expect(ids == (1...(complete ? 30 : 29)).map { "EB\($0)" })
        }
    }

    @Test("cancelling BackgroundBatches(push:) stops the producer, and a CIN read with it")
    func pushCancel() throws {
        let emitted = Tally()
        let batches = BackgroundBatches<Int, Never>(batchSize: 10, maxQueued: 2) { emit in
            var n = 0
            while emit(n) { n += 1; emitted.add() }
            emitted.finish()
        }
        _ = batches.next()
        batches.cancel()
        let deadline = Date().addingTimeInterval(10)
        while !emitted.isFinished && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(emitted.isFinished, "the producer did not stop")
        #expect(emitted.count <= 10 * 5)

        let text = CINFile.file(children: (1...400).map { CINFile.child("EB\($0)") })
        let reader = CINCensusReader(data: Data(text.utf8), name: "cin.xml")
        let outcome = Tally()
        let items = BackgroundBatches<CINCensusReader.Item, any Error>(batchSize: 4, maxQueued: 1) { emit in
            do {
                try reader.read { item in if !emit(item) { throw CancellationError() } }
            } catch is CancellationError {
                outcome.add()
            }
            outcome.finish()
        }
        _ = try items.next()
        items.cancel()
        let until = Date().addingTimeInterval(10)
        while !outcome.isFinished && Date() < until { Thread.sleep(forTimeInterval: 0.01) }
        #expect(outcome.isFinished && outcome.count == 1, "read stopped with a CancellationError")
        #expect(reader.childrenRead < 400)
    }
}
