import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import EyesOnCore

/// The `<Header>` of a CIN census file (STANDARDS §1.2): each item as given, `nil` when absent.
public struct CINHeader: Sendable, Equatable {
    /// `CollectionDetails/ReferenceDate`: 31 March of the census year.
    public let referenceDate: CivilDate?
    /// `Source/LEA`: the local authority's 3-digit DfE code.
    public let lea: String?
    /// `CollectionDetails/Year`: the year the census ends in.
    public let year: Int?
}

/// One `<Assessments>`: an assessment, complete once authorised.
public struct CINAssessment: Sendable, Equatable {
    /// The line of the `<Assessments>` start tag.
    public let line: Int
    public let start: CivilDate
    public let authorised: CivilDate?
    /// AssessmentFactors codes (e.g. "3B", "21"), in file order.
    public let factors: [String]
}

/// One `<CINPlanDates>`: a child in need plan.
public struct CINPlanPeriod: Sendable, Equatable {
    /// The line of the `<CINPlanDates>` start tag.
    public let line: Int
    public let start: CivilDate
    public let end: CivilDate?
}

/// One `<Section47>` enquiry.
public struct CINSection47: Sendable, Equatable {
    /// The line of the `<Section47>` start tag.
    public let line: Int
    public let start: CivilDate
    public let icpcTarget: CivilDate?
    public let icpcDate: CivilDate?
    /// `ICPCnotRequired`; false when absent.
    public let icpcNotRequired: Bool
}

/// One `<ChildProtectionPlans>`: a child protection plan.
public struct CINProtectionPlan: Sendable, Equatable {
    /// The line of the `<ChildProtectionPlans>` start tag.
    public let line: Int
    public let start: CivilDate
    public let end: CivilDate?
    /// Category of abuse codes: NEG, PHY, SAB, EMO or MUL.
    public let initialCategory: String
    public let latestCategory: String
    public let previousPlans: Int
    /// `Reviews/CPPreviewDate`, in file order.
    public let reviews: [CivilDate]
}

/// One `<CINdetails>`: a referral and the episode of need that followed it.
public struct CINEpisode: Sendable, Equatable {
    /// The line of the `<CINdetails>` start tag.
    public let line: Int
    public let referralDate: CivilDate
    /// ReferralSource code (1A … 10).
    public let referralSource: String?
    /// PrimaryNeedCode (N0 … N9).
    public let primaryNeed: String?
    public let closureDate: CivilDate?
    /// ReasonForClosure code (RC1 … RC9).
    public let closureReason: String?
    /// `DateOfInitialCPC` at the CINdetails level (it may instead be in a ``CINSection47``).
    public let initialCPCDate: CivilDate?
    /// `ReferralNFA`: the referral led to no further action; false when absent.
    public let referralNFA: Bool
    public let assessments: [CINAssessment]
    public let cinPlans: [CINPlanPeriod]
    public let section47s: [CINSection47]
    public let protectionPlans: [CINProtectionPlan]
}

/// One `<Child>` of a CIN census file, every value checked.
public struct CINChild: Sendable, Equatable {
    /// The line of the `<Child>` start tag.
    public let line: Int
    /// `LAchildID`, trimmed (1 to 20 letters and digits).
    public let laChildID: String
    /// `UPN`, upper case, check letter verified.
    public let upn: String?
    /// `FormerUPN`, upper case, check letter verified.
    public let formerUPN: String?
    /// `UPNunknown` code (UN1 … UN7).
    public let upnUnknown: String?
    public let dateOfBirth: CivilDate?
    /// For an unborn child.
    public let expectedDateOfBirth: CivilDate?
    /// From `Sex` (M/F/U, 2024-25 on) or `GenderCurrent` (1/2/0/9, to 2023-24).
    public let sex: Sex?
    public let deathDate: CivilDate?
    /// Ethnicity code (WBRI, APKN, …).
    public let ethnicity: String?
    /// Disability codes (NONE, MOB, …), in file order.
    public let disabilities: [String]
    /// The `<CINdetails>`, in file order.
    public let episodes: [CINEpisode]
}

/// Reads a Children in Need census XML file (STANDARDS §1), streaming: one ``CINChild`` at a time
/// is held in memory, whatever the file's size.
///
/// Every value is checked: the LAchildID, the UPNs (with their check letters), the dates (and
/// their order: a closure before its referral, a plan or assessment ending before it starts),
/// every code against its DfE list, the yes/no items (`true`, `false`, `TRUE`, `FALSE`, `1`, `0`).
/// A bad value makes its whole child a ``RowProblem`` naming the line and the element path
/// (`Child/CINdetails/ReferralSource`); the child is not delivered, because a child is applied
/// whole. Only the first problem of a child is reported. An LAchildID already seen in the file is
/// a problem on its second child.
///
/// Both the 2024-25 `<Sex>` and the earlier `<GenderCurrent>` are accepted; elements the reader
/// does not know (the 2025-26 `PreProceedingsandFGDM` block, anything newer) are skipped, and
/// the order of elements does not matter; an empty element counts as absent. A required item
/// that is absent (a referral date, a plan's or assessment's start, a child protection plan's
/// categories and count of previous plans, the LAchildID, both birth dates) is a problem;
/// an absent `ReferralNFA` or `ICPCnotRequired` is false. A file that cannot be read — not well-formed XML, cut
/// short, not UTF-8, whose root is not `<Message>`, with no `<Children>`, whose Collection is not
/// CIN, whose Header Year or ReferenceDate is not a year or a date, or (when `expectedLEA` is
/// given) whose Header names another local authority — throws ``FeedFileError`` and nothing in it
/// is to be applied. (A file with no Header, or no LEA in it, is not refused: the XSD makes the
/// Header optional; ``header`` then says what is missing.)
///
/// Used by one task at a time (it is handed to the import's reading thread), hence unchecked.
public final class CINCensusReader: @unchecked Sendable {
    public enum Item: Sendable, Equatable {
        case child(CINChild)
        case problem(RowProblem)
    }

    /// Longer than any real code, date or identifier: a longer value is a problem, not stored.
    public static let maximumValueLength = 100

    public let name: String
    /// Set once the Header has been read (before the first child is delivered, in a file whose
    /// Header comes first, as the XSD requires).
    public private(set) var header: CINHeader?
    /// `<Child>` elements read, good and bad.
    public private(set) var childrenRead = 0

    let expectedLEA: String?
    private let input: Input

    private enum Input {
        case path(String)
        case data(Data)
    }

    /// Opens the file at `path` (it is read, streaming, by ``read(_:)``).
    /// - Parameter expectedLEA: when given, a Header/Source/LEA that differs refuses the whole
    ///   file (a file from the wrong agency).
    public init(path: String, expectedLEA: String? = nil) throws(FeedFileError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FeedFileError(file: path, message: "cannot open (there is no such file)")
        }
        guard !isDirectory.boolValue else { throw FeedFileError(file: path, message: "cannot open (it is a folder, not a file)") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FeedFileError(file: path, message: "cannot open (permission denied)")
        }
        try? handle.close()
        self.name = path
        self.expectedLEA = expectedLEA.map(Self.trimmed)
        self.input = .path(path)
    }

    /// Reads `data` (for tests and small uploads) as the file `name`.
    public init(data: Data, name: String, expectedLEA: String? = nil) {
        self.name = name
        self.expectedLEA = expectedLEA.map(Self.trimmed)
        self.input = .data(data)
    }

    /// Streams the whole file, calling `each` for every child or problem in file order.
    ///
    /// - Throws: ``FeedFileError`` on a structural error (after which the caller applies nothing,
    ///   including the items it was already given), or whatever `each` throws, unchanged: `each`
    ///   may throw to stop early (the parse stops at once).
    public func read(_ each: (Item) throws -> Void) throws {
        header = nil
        childrenRead = 0
        let parser: XMLParser
        switch input {
        case .data(let data):
            try XMLInputCheck.requireUTF8(data: data, name: name)
            parser = XMLParser(data: data)
        case .path(let path):
            try XMLInputCheck.requireUTF8(path: path, name: name)
            guard let stream = InputStream(fileAtPath: path) else { throw FeedFileError(file: name, message: "cannot open") }
            parser = XMLParser(stream: stream)
        }
        let handler = CINCensusParser(reader: self)
        parser.delegate = handler
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let parsed = withoutActuallyEscaping(each) { each -> Bool in
            handler.each = each
            defer { handler.each = nil }
            return parser.parse()
        }
        parser.delegate = nil
        if let error = handler.callerError { throw error }
        if let error = handler.fileError { throw error }
        if let first = handler.firstXMLError { throw handler.xmlFileError(first) }
        if !parsed {
            let why = (parser.parserError as NSError?).map { " (\($0.localizedDescription))" } ?? ""
            throw FeedFileError(file: name, message: "cannot be read\(why)")
        }
        guard handler.rootSeen else {
            throw FeedFileError(file: name, message: "there is no XML in the file (is it empty?): a CIN census file is XML with a <Message> root")
        }
        guard handler.sawChildren else {
            throw FeedFileError(file: name, field: "Message/Children",
                                message: "there is no <Children> element: this is not a complete CIN census file")
        }
    }

    // The reader's state, set by its parser as it reads.
    fileprivate func setHeader(_ header: CINHeader) { self.header = header }
    fileprivate func countChild() { childrenRead += 1 }

    /// Without the XML white space (space, tab, CR, LF) around it.
    static func trimmed(_ s: String) -> String {
        let u = s.utf8
        guard let f = u.first, let l = u.last else { return s }
        func space(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
        guard space(f) || space(l) else { return s }
        var start = u.startIndex
        var end = u.endIndex
        while start < end && space(u[start]) { start = u.index(after: start) }
        while end > start && space(u[u.index(before: end)]) { end = u.index(before: end) }
        return String(s[start..<end])
    }

    /// An ISO `YYYY-MM-DD` date; an XML Schema time zone suffix (`Z`, `+01:00`) is ignored.
    static func date(_ text: String) -> CivilDate? {
        if let d = CivilDate(text) { return d }
        let u = Array(text.utf8)
        let zone = u.count == 11 && u[10] == UInt8(ascii: "Z")
            || u.count == 16 && (u[10] == UInt8(ascii: "+") || u[10] == UInt8(ascii: "-")) && u[13] == UInt8(ascii: ":")
        return zone ? CivilDate(String(decoding: u[0..<10], as: UTF8.self)) : nil
    }

    /// The XSD's yes/no: `true`, `false`, `TRUE`, `FALSE`, `1`, `0` (any case).
    static func yesNo(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }
}

/// The XMLParser delegate behind ``CINCensusReader/read(_:)``: a stack of the open elements, the
/// text of the current leaf element, and the parts of the one child being read.
private final class CINCensusParser: NSObject, XMLParserDelegate {
    unowned let reader: CINCensusReader
    var each: ((CINCensusReader.Item) throws -> Void)?
    var file: String { reader.name }

    // How the parse ended, if not well.
    var callerError: (any Error)?
    var fileError: FeedFileError?
    var firstXMLError: XMLErrorAt?
    var lastXMLError: XMLErrorAt?
    var stopped: Bool { callerError != nil || fileError != nil }


    // Document shape.
    var rootSeen = false
    var rootClosed = false
    /// The line where libxml2's own recovery closed the root after an error: a file cut inside
    /// `</Message>` is closed there, where it stops.
    var rootClosedAfterErrorLine: Int?
    var sawChildren = false
    /// Open elements, counted even after an XML error (to tell a file cut short).
    var depth = 0

    /// The open elements the reader knows, outermost (`Message`) first.
    var stack: [Frame] = []
    /// Depth inside an element the reader skips (unknown, or inside a leaf).
    var skip = 0
    var text = ""
    var textOverflow = false
    static let textLimit = 1_024

    struct Frame {
        let kind: Kind
        let name: String
        let line: Int
    }

    enum Kind: Equatable {
        case message, header, collectionDetails, source, children
        case child, identifiers, characteristics, disabilities
        case details, assessment, factors, plan, section47, protectionPlan, reviews
        case leaf(Leaf)
    }

    enum Leaf: Equatable {
        case collection, year, referenceDate, lea
        case laChildID, upn, formerUPN, upnUnknown, birthDate, expectedBirthDate, genderCurrent, sex, deathDate
        case ethnicity, disability
        case referralDate, referralSource, primaryNeed, closureDate, closureReason, initialCPC, referralNFA
        case assessmentStart, assessmentReview, assessmentAuthorised, factor
        case planStart, planEnd
        case s47Start, icpcTarget, s47ICPC, icpcNotRequired
        case cppStart, cppEnd, initialCategory, latestCategory, previousPlans, reviewDate
    }

    // Header.
    var referenceDate: CivilDate?
    var year: Int?
    var lea: String?
    /// LAchildIDs seen so far, with the line of each one's LAchildID.
    var seen: [String: Int] = [:]

    // The child being read.
    struct Dated {
        let date: CivilDate
        let line: Int
    }

    struct ChildParts {
        let line: Int
        var laChildID: String?
        var upn: String?
        var formerUPN: String?
        var upnUnknown: String?
        var dateOfBirth: CivilDate?
        var expectedDateOfBirth: CivilDate?
        var sex: Sex?
        var deathDate: CivilDate?
        var ethnicity: String?
        var disabilities: [String] = []
        var episodes: [CINEpisode] = []
        var problem: RowProblem?
    }

    struct EpisodeParts {
        let line: Int
        var referralDate: Dated?
        var referralSource: String?
        var primaryNeed: String?
        var closureDate: Dated?
        var closureReason: String?
        var initialCPC: CivilDate?
        var referralNFA: Bool?
        var assessments: [CINAssessment] = []
        var cinPlans: [CINPlanPeriod] = []
        var section47s: [CINSection47] = []
        var protectionPlans: [CINProtectionPlan] = []
    }

    struct AssessmentParts {
        let line: Int
        var start: Dated?
        var review: CivilDate?
        var authorised: Dated?
        var factors: [String] = []
    }

    struct PlanParts {
        let line: Int
        var start: Dated?
        var end: Dated?
    }

    struct Section47Parts {
        let line: Int
        var start: Dated?
        var icpcTarget: CivilDate?
        var icpcDate: CivilDate?
        var notRequired: Bool?
    }

    struct ProtectionPlanParts {
        let line: Int
        var start: Dated?
        var end: Dated?
        var initialCategory: String?
        var latestCategory: String?
        var previousPlans: Int?
        var reviews: [CivilDate] = []
    }

    var child: ChildParts?
    var episode: EpisodeParts?
    var assessment: AssessmentParts?
    var plan: PlanParts?
    var section47: Section47Parts?
    var protectionPlan: ProtectionPlanParts?

    init(reader: CINCensusReader) {
        self.reader = reader
    }

    // MARK: Element tree

    /// What `name` is inside an element of kind `parent`; nil for an element the reader skips.
    static func kind(_ name: String, in parent: Kind) -> Kind? {
        switch parent {
        case .message:
            switch name {
            case "Header": return .header
            case "Children": return .children
            default: return nil
            }
        case .header:
            switch name {
            case "CollectionDetails": return .collectionDetails
            case "Source": return .source
            default: return nil
            }
        case .collectionDetails:
            switch name {
            case "Collection": return .leaf(.collection)
            case "Year": return .leaf(.year)
            case "ReferenceDate": return .leaf(.referenceDate)
            default: return nil
            }
        case .source:
            return name == "LEA" ? .leaf(.lea) : nil
        case .children:
            return name == "Child" ? .child : nil
        case .child:
            switch name {
            case "ChildIdentifiers": return .identifiers
            case "ChildCharacteristics": return .characteristics
            case "CINdetails": return .details
            default: return nil
            }
        case .identifiers:
            switch name {
            case "LAchildID": return .leaf(.laChildID)
            case "UPN": return .leaf(.upn)
            case "FormerUPN": return .leaf(.formerUPN)
            case "UPNunknown": return .leaf(.upnUnknown)
            case "PersonBirthDate": return .leaf(.birthDate)
            case "ExpectedPersonBirthDate": return .leaf(.expectedBirthDate)
            case "GenderCurrent": return .leaf(.genderCurrent)
            case "Sex": return .leaf(.sex)
            case "PersonDeathDate": return .leaf(.deathDate)
            default: return nil
            }
        case .characteristics:
            switch name {
            case "Ethnicity": return .leaf(.ethnicity)
            case "Disabilities": return .disabilities
            default: return nil
            }
        case .disabilities:
            return name == "Disability" ? .leaf(.disability) : nil
        case .details:
            switch name {
            case "CINreferralDate": return .leaf(.referralDate)
            case "ReferralSource": return .leaf(.referralSource)
            case "PrimaryNeedCode": return .leaf(.primaryNeed)
            case "CINclosureDate": return .leaf(.closureDate)
            case "ReasonForClosure": return .leaf(.closureReason)
            case "DateOfInitialCPC": return .leaf(.initialCPC)
            case "ReferralNFA": return .leaf(.referralNFA)
            case "Assessments": return .assessment
            case "CINPlanDates": return .plan
            case "Section47": return .section47
            case "ChildProtectionPlans": return .protectionPlan
            default: return nil
            }
        case .assessment:
            switch name {
            case "AssessmentActualStartDate": return .leaf(.assessmentStart)
            case "AssessmentInternalReviewDate": return .leaf(.assessmentReview)
            case "AssessmentAuthorisationDate": return .leaf(.assessmentAuthorised)
            case "FactorsIdentifiedAtAssessment": return .factors
            case "AssessmentFactors": return .leaf(.factor)   // tolerated without its wrapper
            default: return nil
            }
        case .factors:
            return name == "AssessmentFactors" ? .leaf(.factor) : nil
        case .plan:
            switch name {
            case "CINPlanStartDate": return .leaf(.planStart)
            case "CINPlanEndDate": return .leaf(.planEnd)
            default: return nil
            }
        case .section47:
            switch name {
            case "S47ActualStartDate": return .leaf(.s47Start)
            case "InitialCPCtarget": return .leaf(.icpcTarget)
            case "DateOfInitialCPC": return .leaf(.s47ICPC)
            case "ICPCnotRequired": return .leaf(.icpcNotRequired)
            default: return nil
            }
        case .protectionPlan:
            switch name {
            case "CPPstartDate": return .leaf(.cppStart)
            case "CPPendDate": return .leaf(.cppEnd)
            case "InitialCategoryOfAbuse": return .leaf(.initialCategory)
            case "LatestCategoryOfAbuse": return .leaf(.latestCategory)
            case "NumberOfPreviousCPP": return .leaf(.previousPlans)
            case "Reviews": return .reviews
            case "CPPreviewDate": return .leaf(.reviewDate)   // tolerated without its wrapper
            default: return nil
            }
        case .reviews:
            return name == "CPPreviewDate" ? .leaf(.reviewDate) : nil
        case .leaf:
            return nil
        }
    }

    /// The element's name without a namespace prefix.
    static func localName(_ name: String) -> String {
        guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name }
        return String(name[name.utf8.index(after: colon)...])
    }

    // MARK: XMLParserDelegate

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if stopped { return }
        depth += 1
        if firstXMLError != nil { return }
        if skip > 0 { skip += 1; return }
        let line = parser.lineNumber
        guard let parent = stack.last else {
            let name = Self.localName(elementName)
            if rootSeen { skip = 1; return }
            rootSeen = true
            guard name == "Message" else {
                let shown = elementName.count > 60 ? String(elementName.prefix(60)) + "…" : elementName
                fail(parser, FeedFileError(file: file, line: line, message: "the root element is <\(shown)>, not <Message>: this is not a CIN census file"))
                return
            }
            stack.append(Frame(kind: .message, name: name, line: line))
            return
        }
        // A namespace prefix (`cin:Child`) is looked at only when the name itself is unknown.
        var name = elementName
        var known = Self.kind(name, in: parent.kind)
        if known == nil && name.utf8.contains(UInt8(ascii: ":")) {
            name = Self.localName(name)
            known = Self.kind(name, in: parent.kind)
        }
        guard let kind = known else { skip = 1; return }
        stack.append(Frame(kind: kind, name: name, line: line))
        switch kind {
        case .leaf:
            text = ""
            textOverflow = false
        case .children:
            sawChildren = true
        case .child:
            child = ChildParts(line: line)
            episode = nil
        case .details:
            episode = child?.problem == nil ? EpisodeParts(line: line) : nil
        case .assessment:
            assessment = AssessmentParts(line: line)
        case .plan:
            plan = PlanParts(line: line)
        case .section47:
            section47 = Section47Parts(line: line)
        case .protectionPlan:
            protectionPlan = ProtectionPlanParts(line: line)
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard skip == 0, firstXMLError == nil, !stopped, case .leaf = stack.last?.kind else { return }
        if text.utf8.count < Self.textLimit { text += string } else { textOverflow = true }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if stopped { return }
        depth -= 1
        if depth == 0 && rootSeen {
            rootClosed = true
            if firstXMLError != nil { rootClosedAfterErrorLine = parser.lineNumber }
        }
        if firstXMLError != nil { return }
        if skip > 0 { skip -= 1; return }
        guard let frame = stack.last else { return }
        switch frame.kind {
        case .leaf(let leaf): endLeaf(leaf, frame, parser)
        default: endContainer(frame, parser)
        }
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if stopped { return }
        let code = (parseError as NSError).code
        if XMLParserErrors.warnings.contains(code) { return }
        let at = XMLErrorAt(code: code, line: parser.lineNumber)
        // Parsing goes on (XMLParser recovers) but nothing more is read: only to see whether the
        // document ever closes, which tells a file cut short from one broken part-way.
        if firstXMLError == nil { firstXMLError = at }
        lastXMLError = at
    }


    // MARK: Outcomes

    func fail(_ parser: XMLParser, _ error: FeedFileError) {
        guard !stopped else { return }
        fileError = error
        parser.abortParsing()
    }

    func deliver(_ item: CINCensusReader.Item, _ parser: XMLParser) {
        do { try each?(item) } catch {
            callerError = error
            parser.abortParsing()
        }
    }

    /// The XML error as a reason the file cannot be read.
    func xmlFileError(_ first: XMLErrorAt) -> FeedFileError {
        XMLParserErrors.fileError(file: file, first: first, last: lastXMLError, rootSeen: rootSeen, rootClosed: rootClosed,
                                  rootClosedAfterErrorLine: rootClosedAfterErrorLine, start: "a CIN census file starts <Message>", root: "Message")
    }

    /// The element path from `Child` (or `Header`) to the element on top of the stack, then `extra`.
    func path(_ extra: String? = nil) -> String {
        var names = stack.dropFirst().map(\.name)
        if names.first == "Children" { names.removeFirst() }
        if let extra { names.append(extra) }
        return names.joined(separator: "/")
    }

    /// Records the child's first problem; its parts are dropped, for it will not be delivered.
    func problem(line: Int, field: String, value: String, reason: String) {
        guard child != nil, child?.problem == nil else { return }
        child?.problem = RowProblem(line: line, field: field, value: value, reason: reason)
        child?.episodes = []
        episode = nil
    }

    // MARK: Values

    func endLeaf(_ leaf: Leaf, _ frame: Frame, _ parser: XMLParser) {
        let value = CINCensusReader.trimmed(text)
        text = ""
        let line = frame.line
        let tooLong = textOverflow
            || (value.utf8.count > CINCensusReader.maximumValueLength && value.count > CINCensusReader.maximumValueLength)
        switch leaf {
        case .collection, .year, .referenceDate, .lea:
            headerLeaf(leaf, value, tooLong: tooLong, line: line, parser)
            return
        default:
            break
        }
        guard child != nil else { return }
        let hasProblem = child?.problem != nil
        if hasProblem && leaf != .laChildID { return }
        func bad(_ reason: String) { problem(line: line, field: path(), value: value, reason: reason) }
        if tooLong { bad("is longer than \(CINCensusReader.maximumValueLength) characters"); return }
        if value.isEmpty { return }   // an empty element counts as absent
        let container = stack.count >= 2 ? stack[stack.count - 2].name : ""
        func twice() { bad("appears more than once in one <\(container)>") }
        func date() -> Dated? {
            guard let d = CINCensusReader.date(value) else { bad("is not a date (YYYY-MM-DD)"); return nil }
            return Dated(date: d, line: line)
        }
        func code<C: CodeList>(_ list: C.Type) -> String? {
            if let exact = C(rawValue: value) { return exact.rawValue }   // the usual case, without the careful path
            do { return try C.parse(value).rawValue } catch { bad(error.description); return nil }
        }
        func yesNo() -> Bool? {
            guard let b = CINCensusReader.yesNo(value) else { bad("must be true or false (or 1 or 0)"); return nil }
            return b
        }
        func upn() -> String? {
            do { return try UPN(value).value } catch { bad("is not a valid UPN: \(error.reason)"); return nil }
        }
        func set<T>(_ slot: inout T?, _ new: T?) -> Bool {
            guard let new else { return true }
            guard slot == nil else { return false }
            slot = new
            return true
        }
        switch leaf {
        case .collection, .year, .referenceDate, .lea:
            break
        case .laChildID:
            let id: String
            do { id = try IdentifierKind.laChildID.normalised(value) } catch {
                bad("is not a valid LA child ID: \(error.reason)")
                return
            }
            if let first = seen[id] {
                bad("LAchildID \(id) appears twice (first at line \(first))")
                return
            }
            seen[id] = line
            if hasProblem { return }
            if !set(&child!.laChildID, id) { twice() }
        case .upn:
            if let v = upn(), !set(&child!.upn, v) { twice() }
        case .formerUPN:
            if let v = upn(), !set(&child!.formerUPN, v) { twice() }
        case .upnUnknown:
            if let v = code(UPNUnknownReason.self), !set(&child!.upnUnknown, v) { twice() }
        case .birthDate:
            if let d = date(), !set(&child!.dateOfBirth, d.date) { twice() }
        case .expectedBirthDate:
            if let d = date(), !set(&child!.expectedDateOfBirth, d.date) { twice() }
        case .deathDate:
            if let d = date(), !set(&child!.deathDate, d.date) { twice() }
        case .genderCurrent, .sex:
            let sex: Sex
            if leaf == .sex {
                if let exact = Sex(rawValue: value) { sex = exact } else {
                    do { sex = try Sex.parse(value) } catch { bad(error.description); return }
                }
            } else {
                guard let s = Sex(genderCurrent: value) else {
                    bad("GenderCurrent must be 1 (male), 2 (female), 0 (not recorded or unborn) or 9 (indeterminate)")
                    return
                }
                sex = s
            }
            if let earlier = child!.sex, earlier != sex {
                bad("says \(sex.label.lowercased()), but an earlier Sex or GenderCurrent says \(earlier.label.lowercased())")
                return
            }
            child!.sex = sex
        case .ethnicity:
            if let v = code(Ethnicity.self), !set(&child!.ethnicity, v) { twice() }
        case .disability:
            if let v = code(Disability.self) { child!.disabilities.append(v) }
        case .referralDate:
            if let d = date(), !set(&episode!.referralDate, d) { twice() }
        case .referralSource:
            if let v = code(ReferralSource.self), !set(&episode!.referralSource, v) { twice() }
        case .primaryNeed:
            if let v = code(PrimaryNeed.self), !set(&episode!.primaryNeed, v) { twice() }
        case .closureDate:
            if let d = date(), !set(&episode!.closureDate, d) { twice() }
        case .closureReason:
            if let v = code(ReasonForClosure.self), !set(&episode!.closureReason, v) { twice() }
        case .initialCPC:
            if let d = date(), !set(&episode!.initialCPC, d.date) { twice() }
        case .referralNFA:
            if let b = yesNo(), !set(&episode!.referralNFA, b) { twice() }
        case .assessmentStart:
            if let d = date(), !set(&assessment!.start, d) { twice() }
        case .assessmentReview:
            if let d = date(), !set(&assessment!.review, d.date) { twice() }
        case .assessmentAuthorised:
            if let d = date(), !set(&assessment!.authorised, d) { twice() }
        case .factor:
            if let v = code(AssessmentFactor.self) { assessment!.factors.append(v) }
        case .planStart:
            if let d = date(), !set(&plan!.start, d) { twice() }
        case .planEnd:
            if let d = date(), !set(&plan!.end, d) { twice() }
        case .s47Start:
            if let d = date(), !set(&section47!.start, d) { twice() }
        case .icpcTarget:
            if let d = date(), !set(&section47!.icpcTarget, d.date) { twice() }
        case .s47ICPC:
            if let d = date(), !set(&section47!.icpcDate, d.date) { twice() }
        case .icpcNotRequired:
            if let b = yesNo(), !set(&section47!.notRequired, b) { twice() }
        case .cppStart:
            if let d = date(), !set(&protectionPlan!.start, d) { twice() }
        case .cppEnd:
            if let d = date(), !set(&protectionPlan!.end, d) { twice() }
        case .initialCategory:
            if let v = code(AbuseCategory.self), !set(&protectionPlan!.initialCategory, v) { twice() }
        case .latestCategory:
            if let v = code(AbuseCategory.self), !set(&protectionPlan!.latestCategory, v) { twice() }
        case .previousPlans:
            guard value.utf8.count <= 6, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(value) else {
                bad("must be a whole number, 0 or more")
                return
            }
            if !set(&protectionPlan!.previousPlans, n) { twice() }
        case .reviewDate:
            if let d = date() { protectionPlan!.reviews.append(d.date) }
        }
    }

    func headerLeaf(_ leaf: Leaf, _ value: String, tooLong: Bool, line: Int, _ parser: XMLParser) {
        let field = path()
        let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
        if tooLong {
            fail(parser, FeedFileError(file: file, line: line, field: field, message: "is longer than \(CINCensusReader.maximumValueLength) characters"))
            return
        }
        if value.isEmpty { return }
        switch leaf {
        case .collection:
            if value.uppercased() != "CIN" {
                fail(parser, FeedFileError(file: file, line: line, field: field,
                                           message: "the collection is '\(shown)', not CIN: this is not a CIN census file"))
            }
        case .year:
            guard value.utf8.count == 4, let y = Int(value), y > 0 else {
                fail(parser, FeedFileError(file: file, line: line, field: field, message: "'\(shown)' is not a year"))
                return
            }
            year = y
        case .referenceDate:
            guard let d = CINCensusReader.date(value) else {
                fail(parser, FeedFileError(file: file, line: line, field: field, message: "'\(shown)' is not a date (YYYY-MM-DD)"))
                return
            }
            referenceDate = d
        case .lea:
            if let expected = reader.expectedLEA, value != expected {
                fail(parser, FeedFileError(file: file, line: line, field: field,
                                           message: "the file is from local authority \(shown), but this import is for \(expected): a file from the wrong agency is not imported"))
                return
            }
            if lea == nil { lea = value }
        default:
            break
        }
    }

    // MARK: Containers

    func endContainer(_ frame: Frame, _ parser: XMLParser) {
        switch frame.kind {
        case .header:
            reader.setHeader(CINHeader(referenceDate: referenceDate, lea: lea, year: year))
        case .child:
            endChild(parser)
        case .details:
            guard let e = episode else { return }
            episode = nil
            guard let referral = e.referralDate else {
                missing("CINreferralDate", frame, "every <CINdetails> needs its referral date")
                return
            }
            if let closed = e.closureDate, closed.date < referral.date {
                problem(line: closed.line, field: path("CINclosureDate"), value: closed.date.description,
                        reason: "the case closes (\(closed.date)) before its referral (\(referral.date))")
                return
            }
            child?.episodes.append(CINEpisode(
                line: e.line, referralDate: referral.date, referralSource: e.referralSource, primaryNeed: e.primaryNeed,
                closureDate: e.closureDate?.date, closureReason: e.closureReason, initialCPCDate: e.initialCPC,
                referralNFA: e.referralNFA ?? false, assessments: e.assessments, cinPlans: e.cinPlans,
                section47s: e.section47s, protectionPlans: e.protectionPlans))
        case .assessment:
            guard let a = assessment else { return }
            assessment = nil
            guard episode != nil else { return }
            guard let start = a.start else {
                missing("AssessmentActualStartDate", frame, "every <Assessments> needs its start date")
                return
            }
            if let done = a.authorised, done.date < start.date {
                problem(line: done.line, field: path("AssessmentAuthorisationDate"), value: done.date.description,
                        reason: "the assessment is authorised (\(done.date)) before it starts (\(start.date))")
                return
            }
            episode?.assessments.append(CINAssessment(line: a.line, start: start.date, authorised: a.authorised?.date, factors: a.factors))
        case .plan:
            guard let p = plan else { return }
            plan = nil
            guard episode != nil else { return }
            guard let start = p.start else {
                missing("CINPlanStartDate", frame, "every <CINPlanDates> needs its start date")
                return
            }
            if let end = p.end, end.date < start.date {
                problem(line: end.line, field: path("CINPlanEndDate"), value: end.date.description,
                        reason: "the CIN plan ends (\(end.date)) before it starts (\(start.date))")
                return
            }
            episode?.cinPlans.append(CINPlanPeriod(line: p.line, start: start.date, end: p.end?.date))
        case .section47:
            guard let s = section47 else { return }
            section47 = nil
            guard episode != nil else { return }
            guard let start = s.start else {
                missing("S47ActualStartDate", frame, "every <Section47> needs its start date")
                return
            }
            episode?.section47s.append(CINSection47(line: s.line, start: start.date, icpcTarget: s.icpcTarget,
                                                    icpcDate: s.icpcDate, icpcNotRequired: s.notRequired ?? false))
        case .protectionPlan:
            guard let p = protectionPlan else { return }
            protectionPlan = nil
            guard episode != nil else { return }
            guard let start = p.start else {
                missing("CPPstartDate", frame, "every <ChildProtectionPlans> needs its start date")
                return
            }
            guard let initial = p.initialCategory else {
                missing("InitialCategoryOfAbuse", frame, "every <ChildProtectionPlans> needs its initial category of abuse")
                return
            }
            guard let latest = p.latestCategory else {
                missing("LatestCategoryOfAbuse", frame, "every <ChildProtectionPlans> needs its latest category of abuse")
                return
            }
            guard let previous = p.previousPlans else {
                missing("NumberOfPreviousCPP", frame, "every <ChildProtectionPlans> needs its number of previous plans")
                return
            }
            if let end = p.end, end.date < start.date {
                problem(line: end.line, field: path("CPPendDate"), value: end.date.description,
                        reason: "the child protection plan ends (\(end.date)) before it starts (\(start.date))")
                return
            }
            episode?.protectionPlans.append(CINProtectionPlan(line: p.line, start: start.date, end: p.end?.date, initialCategory: initial,
                                                              latestCategory: latest, previousPlans: previous, reviews: p.reviews))
        default:
            break
        }
    }

    func missing(_ element: String, _ frame: Frame, _ why: String) {
        problem(line: frame.line, field: path(element), value: "", reason: "is missing: \(why)")
    }

    func endChild(_ parser: XMLParser) {
        guard let c = child else { return }
        if c.problem == nil {
            if c.laChildID == nil {
                missing("ChildIdentifiers/LAchildID", stack.last!, "every <Child> needs its LAchildID")
            } else if c.dateOfBirth == nil && c.expectedDateOfBirth == nil {
                missing("ChildIdentifiers/PersonBirthDate", stack.last!,
                        "a child needs a PersonBirthDate, or an ExpectedPersonBirthDate if unborn")
            }
        }
        let done = child!
        child = nil
        episode = nil
        reader.countChild()
        if let problem = done.problem {
            deliver(.problem(problem), parser)
        } else {
            deliver(.child(CINChild(
                line: done.line, laChildID: done.laChildID!, upn: done.upn, formerUPN: done.formerUPN,
                upnUnknown: done.upnUnknown, dateOfBirth: done.dateOfBirth, expectedDateOfBirth: done.expectedDateOfBirth,
                sex: done.sex, deathDate: done.deathDate, ethnicity: done.ethnicity, disabilities: done.disabilities,
                episodes: done.episodes)), parser)
        }
    }
}
