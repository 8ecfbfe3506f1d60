import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import EyesOnCore

// The SSDA903 children-looked-after return (STANDARDS §2): the CSV tables (a folder holding
// header.csv, episodes.csv and, optionally, missing.csv, reviews.csv and oc3.csv), or the XML
// form (root `<EXPSSDA903>`). Both are read child by child, each child with its rows from the
// other tables, every value checked against the §2.2 code lists.

/// One period of care: one row of `episodes.csv` (or one `<EPISODE>`).
public struct SSDA903Episode: Sendable, Equatable {
    public let line: Int
    /// DECOM, not after the reader's `latestDate`.
    public let start: CivilDate
    /// RNE: S, L, P, T, B or U.
    public let reasonNew: String
    /// LS: C1, C2, D1, E1, V2, V3, V4, L1, L2, L3, J1, J2 or J3.
    public let legalStatus: String
    /// CIN: N1–N8; nil when empty.
    public let need: String?
    /// PLACE (`PL` in the XML).
    public let placement: String
    /// PLACE_PROVIDER: PR0–PR5; nil when empty.
    public let provider: String?
    /// DEC: not before ``start``; nil while the episode is open.
    public let end: CivilDate?
    /// REC; nil when empty.
    public let reasonEnded: String?
    /// REASON_PLACE_CHANGE; nil when empty.
    public let reasonPlaceChange: String?
    /// HOME_POST, canonical (`SW1A 1AA`); nil when empty.
    public let homePostcode: String?
    /// PL_POST, canonical; nil when empty.
    public let placementPostcode: String?
    /// URN column: a school/setting URN or the placement's URN; `XXXXXXX` or empty means none.
    /// An Ofsted social-care URN (`SC` and six digits) is given as its number.
    public let urn: Int?
}

/// A missing or away-from-placement episode: one row of `missing.csv` (or one `<AMISSING>`).
public struct SSDA903Missing: Sendable, Equatable {
    public let line: Int
    /// MISSING: `M` missing (whereabouts unknown), `A` away from placement without authorisation.
    public let kind: String
    public let start: CivilDate
    /// Not before ``start``; nil while the child is still missing or away.
    public let end: CivilDate?
}

/// A looked-after review: one row of `reviews.csv` (or one `<AREVIEW>`).
public struct SSDA903Review: Sendable, Equatable {
    public let line: Int
    public let date: CivilDate
    /// REVIEW_CODE: PN0–PN7; nil when empty.
    public let participation: String?
}

/// A care leaver's OC3 return: one row of `oc3.csv` (or IN_TOUCH/ACTIV/ACCOM in the XML `<HEADER>`).
public struct SSDA903CareLeaver: Sendable, Equatable {
    public let line: Int
    /// IN_TOUCH: YES, NO, DIED, REFU, NREQ or RHOM.
    public let inTouch: String
    /// ACTIV; nil when empty.
    public let activity: String?
    /// ACCOM (a letter and 1 or 2); nil when empty.
    public let accommodation: String?
}

/// A looked-after child with their rows from every table, every value checked.
public struct SSDA903Child: Sendable, Equatable {
    /// The header.csv line (or the XML `<CHILD>` element's line).
    public let line: Int
    /// CHILD (`CHILDID` in the XML): the LA's child id, as ``IdentifierKind/laChildID`` normalises it.
    public let childID: String
    /// SEX: 1 male, 2 female; nil when empty.
    public let sex: Sex?
    public let dateOfBirth: CivilDate?
    /// ETHNIC, an EyesOnCore ``Ethnicity`` code; nil when empty.
    public let ethnicity: String?
    /// A valid UPN (check letter), canonical; nil when the column is empty or gives UN1–UN5.
    public let upn: String?
    /// UN1–UN5 when the UPN column gives one.
    public let upnUnknown: String?
    /// In file order.
    public let episodes: [SSDA903Episode]
    public let missing: [SSDA903Missing]
    public let reviews: [SSDA903Review]
    public let careLeaver: SSDA903CareLeaver?
}

/// Reads an SSDA903 return, child by child.
///
/// **CSV form**: `path` is a folder holding `header.csv` and `episodes.csv` (required) and
/// `missing.csv`, `reviews.csv`, `oc3.csv` (optional); file names in any case. Columns are
/// matched by name in any case and order, extra columns ignored; the columns read are required:
/// header `CHILD,SEX,DOB,ETHNIC,UPN`; episodes `CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,
/// REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN`; missing `CHILD,MISSING,MIS_START,MIS_END`;
/// reviews `CHILD,REVIEW,REVIEW_CODE`; oc3 `CHILD,IN_TOUCH,ACTIV,ACCOM`.
///
/// Memory: the tables are not sorted together, so ``read(_:)`` first reads episodes, missing,
/// reviews and oc3 into an in-memory index by CHILD, as lightweight parsed rows (an LA has at
/// most a few thousand looked-after children, so this is small); then it streams `header.csv`,
/// delivering each child with its rows, in header order. Rows whose CHILD is not in header.csv
/// are then each a problem ("CHILD X is not in header.csv").
///
/// **XML form**: `path` is a file whose root is `<EXPSSDA903>`: `<CHILD>` elements, each with a
/// `<HEADER>` (CHILDID, UPN, SEX, DOB, ETHNIC, `<AREVIEW>`*, `<AMISSING>`*, IN_TOUCH/ACTIV/ACCOM,
/// and items the reader skips) and `<EPISODE>`* (as episodes.csv, `PL` for PLACE)
/// (STANDARDS §2.1). It is streamed with XMLParser; an empty element counts as absent.
///
/// Checks: codes against the STANDARDS §2.2 lists (RNE, LS, PLACE, PLACE_PROVIDER, REC,
/// REASON_PLACE_CHANGE, CIN N1–N8, MISSING, IN_TOUCH, ACTIV, ACCOM, REVIEW_CODE, ETHNIC);
/// dates `dd/mm/yyyy` (ISO `yyyy-mm-dd` accepted), possible and not after `latestDate`; an
/// episode or missing episode does not end before it starts; SEX 1 or 2; UPN valid or UN1–UN5;
/// postcodes valid; CHILD a valid LA child id, once in header.csv; one oc3 row per child.
/// One bad value in any row of a child makes the whole child one ``RowProblem`` (its first,
/// the table's file name, in lower case whatever the file's own, in `field`: `episodes.csv:PLACE`;
/// in the XML the element path,
/// `CHILD/EPISODE/PL`), and the child is not delivered.
///
/// A return that cannot be read — a folder without header.csv or episodes.csv, or with two files
/// for one table (names differing only in case), a table missing a column, empty, cut short, not
/// UTF-8, broken XML, an XML file whose root is not
/// `<EXPSSDA903>` — throws ``FeedFileError`` and nothing in it is to be applied.
/// Used by one task at a time (it is handed to the import's transaction), hence unchecked.
public final class SSDA903Reader: @unchecked Sendable {
    public enum Item: Sendable, Equatable {
        case child(SSDA903Child)
        case problem(RowProblem)
    }

    /// Longer than any real code, date or identifier: a longer value is a problem, not stored.
    public static let maximumFieldLength = 100

    public let name: String
    /// Children read (header.csv rows, or `<CHILD>` elements), good and bad.
    public private(set) var childrenRead = 0

    let latestDate: CivilDate
    private enum Input {
        case folder(tables: [Table: String])
        case xml(String)
    }
    private let input: Input

    /// `path`: a folder holding the CSV tables (header.csv and episodes.csv required; missing.csv,
    /// oc3.csv, reviews.csv optional; file names case-insensitive), or an XML file.
    /// - Parameter latestDate: a date after this day is a problem (it cannot be in the future).
    public init(path: String, latestDate: CivilDate) throws(FeedFileError) {
        self.name = path
        self.latestDate = latestDate
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FeedFileError(file: path, message: "cannot open (there is no such file or folder)")
        }
        guard isDirectory.boolValue else {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw FeedFileError(file: path, message: "cannot open (permission denied)")
            }
            try? handle.close()
            input = .xml(path)
            return
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw FeedFileError(file: path, message: "cannot open the folder (permission denied?)")
        }
        var tables: [Table: String] = [:]
        for table in Table.allCases {
            let matches = names.filter { $0.lowercased() == table.fileName }.sorted()
            if matches.count > 1 {
                // On a case-sensitive disk: reading one would silently drop the other's rows.
                throw FeedFileError(file: path, message: "the folder has \(matches.count) files named \(table.fileName) in different cases (\(matches.joined(separator: ", "))): keep only one")
            }
            if let found = matches.first {
                tables[table] = (path as NSString).appendingPathComponent(found)
            } else if table.isRequired {
                throw FeedFileError(file: path, message: "the folder has no \(table.fileName): an SSDA903 return needs header.csv and episodes.csv")
            }
        }
        input = .folder(tables: tables)
        // Each table's header, checked now so a wrong table is refused before anything is read.
        for (table, file) in tables { _ = try TableFile(table: table, path: file) }
    }

    /// Streams the children in header order, each with its rows from the other tables, then (CSV
    /// form) a problem for each row whose CHILD is not in header.csv; `each` may throw to stop.
    ///
    /// - Throws: ``FeedFileError`` on a structural error (after which the caller applies nothing,
    ///   including the items it was already given), or whatever `each` throws, unchanged.
    public func read(_ each: (Item) throws -> Void) throws {
        childrenRead = 0
        switch input {
        case .folder(let tables): try readCSV(tables, each)
        case .xml(let path): try readXML(path, each)
        }
    }

    // MARK: - Code lists (STANDARDS §2.2; valid sets from [LIIA] yml and [LACV] rules)

    /// RNE, STANDARDS §2.2.
    static let reasonsNew: Set<String> = ["S", "L", "P", "T", "B", "U"]
    /// LS, STANDARDS §2.2.
    static let legalStatuses: Set<String> = Set(LookedAfterCodes.legalStatus.keys)
    /// CIN category of need, STANDARDS §2.2 (as §1.4): N1–N8.
    static let needs: Set<String> = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]
    /// PLACE, STANDARDS §2.2: the 2024-25 and 2025-26 lists together (H5, P2, Z1 dropped in
    /// 2025-26; Z11–Z14 added, labels UNCONFIRMED but accepted).
    static let placements: Set<String> = Set(LookedAfterCodes.placement.keys)
    /// PLACE_PROVIDER, STANDARDS §2.2.
    static let providers: Set<String> = ["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"]
    /// REC, STANDARDS §2.2.
    static let reasonsEnded: Set<String> = Set(LookedAfterCodes.reasonEnded.keys)
    /// REASON_PLACE_CHANGE, STANDARDS §2.2.
    static let reasonsPlaceChange: Set<String> = [
        "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER",
    ]
    /// REVIEW_CODE (participation), STANDARDS §2.2.
    static let participations: Set<String> = ["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"]
    /// MISSING, STANDARDS §2.2.
    static let missingKinds: Set<String> = ["M", "A"]
    /// OC3 IN_TOUCH, STANDARDS §2.2.
    static let inTouch: Set<String> = Set(LookedAfterCodes.inTouch.keys)
    /// OC3 ACTIV, STANDARDS §2.2.
    static let activities: Set<String> = ["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"]
    /// OC3 ACCOM, STANDARDS §2.2: a letter and 1 or 2 (the digit's meaning is UNCONFIRMED; accepted),
    /// or `0` where there is nothing to report (not in touch, died, home 6+ months; as ACTIV `0`:
    /// [LACV] rules 133 and 344 accept it).
    static let accommodations: Set<String> = Set("BCDEGHKRSTUVWXYZ".flatMap { letter in ["\(letter)1", "\(letter)2"] } + ["0"])

    // MARK: - CSV form

    private func readCSV(_ tables: [Table: String], _ each: (Item) throws -> Void) throws {
        // The smaller tables, indexed by CHILD.
        var index: [String: Pending] = [:]
        for table in [Table.episodes, .missing, .reviews, .oc3] {
            guard let path = tables[table] else { continue }
            let file = try TableFile(table: table, path: path)
            while let row = try file.next() {
                let key: String
                switch row {
                case .shape(let line, let child, let problem):
                    key = child ?? ""
                    index[key, default: Pending()].add(table, line, key, problem: problem)
                    continue
                case .cells(let cells):
                    key = (try? IdentifierKind.laChildID.normalised(cells[0])) ?? cells[0]
                    var pending = index[key] ?? Pending()
                    pending.rows.append(RowRef(table: table, line: cells.line, child: cells[0]))
                    if pending.problem == nil {
                        do throws(Bad) {
                            if let tooLong = cells.tooLong() { throw tooLong }
                            _ = try Self.childID(cells)
                            switch table {
                            case .episodes: pending.episodes.append(try Self.episode(cells, latestDate: latestDate))
                            case .missing: pending.missing.append(try Self.missing(cells, latestDate: latestDate))
                            case .reviews: pending.reviews.append(try Self.review(cells, latestDate: latestDate))
                            case .oc3:
                                if let first = pending.careLeaver {
                                    throw cells.bad(0, "CHILD \(key) appears twice in \(table.fileName) (first at line \(first.line)): a child has one care-leaver row")
                                }
                                pending.careLeaver = try Self.careLeaver(cells)
                            case .header: break
                            }
                        } catch {
                            pending.problem = error.problem
                        }
                    }
                    index[key] = pending
                }
            }
        }

        // header.csv, streamed.
        let header = try TableFile(table: .header, path: tables[.header]!)
        var seen: [String: Int] = [:]
        while let row = try header.next() {
            childrenRead += 1
            switch row {
            case .shape(let line, let child, let problem):
                // Its rows go with it, and a later row for the same child is a second one.
                if let child, seen[child] == nil {
                    index[child] = nil
                    seen[child] = line
                }
                try each(.problem(problem))
            case .cells(let cells):
                let item: Item
                do throws(Bad) {
                    item = .child(try child(cells, &index, &seen))
                } catch {
                    item = .problem(error.problem)
                }
                try each(item)
            }
        }

        // Rows for children not in header.csv: a problem each.
        let orphans = index.values.flatMap(\.rows).sorted { ($0.table.rawValue, $0.line) < ($1.table.rawValue, $1.line) }
        for row in orphans {
            try each(.problem(RowProblem(line: row.line, field: row.table.fileName + ":CHILD", value: row.child,
                                         reason: "CHILD \(row.child) is not in header.csv")))
        }
    }

    /// The child of a header.csv row, with its rows from the index (taken out of it).
    private func child(_ cells: Cells, _ index: inout [String: Pending], _ seen: inout [String: Int]) throws(Bad) -> SSDA903Child {
        if let tooLong = cells.tooLong() {
            // Its rows go with it (keyed as the other tables key them), or each would be reported
            // again as "not in header.csv".
            let key = (try? IdentifierKind.laChildID.normalised(cells[0])) ?? cells[0]
            if seen[key] == nil { index[key] = nil }
            throw tooLong
        }
        let id: String
        do throws(Bad) { id = try Self.childID(cells) } catch {
            index[cells[0]] = nil   // its rows go with it
            throw error
        }
        if let first = seen[id] {
            throw cells.bad(0, "CHILD \(id) appears twice in header.csv (first at line \(first))")
        }
        seen[id] = cells.line
        let pending = index.removeValue(forKey: id) ?? Pending()
        let parts = try Self.headerParts(cells, latestDate: latestDate)
        if let problem = pending.problem { throw Bad(problem: problem) }
        return SSDA903Child(line: cells.line, childID: id, sex: parts.sex, dateOfBirth: parts.dateOfBirth,
                            ethnicity: parts.ethnicity, upn: parts.upn, upnUnknown: parts.upnUnknown,
                            episodes: pending.episodes, missing: pending.missing, reviews: pending.reviews,
                            careLeaver: pending.careLeaver)
    }

    // MARK: - XML form

    private func readXML(_ path: String, _ each: (Item) throws -> Void) throws {
        try XMLInputCheck.requireUTF8(path: path, name: name)
        guard let stream = InputStream(fileAtPath: path) else { throw FeedFileError(file: name, message: "cannot open") }
        let parser = XMLParser(stream: stream)
        let handler = SSDA903XMLParser(reader: self)
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
            throw FeedFileError(file: name, message: "there is no XML in the file (is it empty?): an SSDA903 XML file has an <EXPSSDA903> root")
        }
    }

    fileprivate func countChild() { childrenRead += 1 }

    // MARK: - The checks (shared by both forms)

    fileprivate static func childID(_ cells: Cells) throws(Bad) -> String {
        guard !cells[0].isEmpty else { throw cells.bad(0, "is empty; every row needs its CHILD (the LA's child id)") }
        do { return try IdentifierKind.laChildID.normalised(cells[0]) } catch {
            throw cells.bad(0, "is not a valid LA child ID: \(error.reason)")
        }
    }

    fileprivate struct HeaderParts {
        let sex: Sex?
        let dateOfBirth: CivilDate?
        let ethnicity: String?
        let upn: String?
        let upnUnknown: String?
    }

    /// Header columns: CHILD, SEX, DOB, ETHNIC, UPN.
    fileprivate static func headerParts(_ cells: Cells, latestDate: CivilDate) throws(Bad) -> HeaderParts {
        let sex: Sex?
        switch cells[1] {
        case "": sex = nil
        case "1": sex = .male
        case "2": sex = .female
        default: throw cells.bad(1, "must be 1 (male) or 2 (female)")
        }
        let dob = try cells.date(2, latestDate: latestDate)
        var ethnicity: String?
        if !cells[3].isEmpty {
            do { ethnicity = try Ethnicity.parse(cells[3]).rawValue } catch {
                throw cells.bad(3, "is not an ethnicity code (STANDARDS §1.4)")
            }
        }
        var upn: String?
        var unknown: String?
        let text = cells[4].uppercased()
        if !text.isEmpty {
            if let reason = UPNUnknownReason(rawValue: text) {
                guard reason.isValidInSSDA903 else { throw cells.bad(4, "\(text) is not accepted in SSDA903 (UN1–UN5 only)") }
                unknown = reason.rawValue
            } else {
                do { upn = try UPN(text).value } catch { throw cells.bad(4, "is not a valid UPN (nor UN1–UN5): \(error.reason)") }
            }
        }
        return HeaderParts(sex: sex, dateOfBirth: dob, ethnicity: ethnicity, upn: upn, upnUnknown: unknown)
    }

    /// Episode columns: CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC,
    /// REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN.
    fileprivate static func episode(_ cells: Cells, latestDate: CivilDate) throws(Bad) -> SSDA903Episode {
        let start = try cells.date(1, latestDate: latestDate, required: "every episode needs its start date (DECOM)")!
        let rne = try cells.code(2, reasonsNew, "a reason for new episode (RNE)", required: true)!
        let ls = try cells.code(3, legalStatuses, "a legal status (LS)", required: true)!
        let need = try cells.code(4, needs, "a category of need (N1–N8)")
        let place = try cells.code(5, placements, "a placement type (PLACE)", required: true)!
        let provider = try cells.code(6, providers, "a placement provider (PR0–PR5)")
        let end = try cells.date(7, latestDate: latestDate)
        if let end, end < start {
            throw cells.bad(7, "is before the episode's start (DECOM \(ukDate(start))): an episode cannot end before it starts")
        }
        let rec = try cells.code(8, reasonsEnded, "a reason the episode ceased (REC)")
        let change = try cells.code(9, reasonsPlaceChange, "a reason for placement change")
        let home = try cells.postcode(10)
        let placement = try cells.postcode(11)
        let urn = try cells.urn(12)
        return SSDA903Episode(line: cells.line, start: start, reasonNew: rne, legalStatus: ls, need: need, placement: place,
                              provider: provider, end: end, reasonEnded: rec, reasonPlaceChange: change,
                              homePostcode: home, placementPostcode: placement, urn: urn)
    }

    /// Missing columns: CHILD, MISSING, MIS_START, MIS_END.
    fileprivate static func missing(_ cells: Cells, latestDate: CivilDate) throws(Bad) -> SSDA903Missing {
        let kind = try cells.code(1, missingKinds, "M (missing) or A (away from placement without authorisation)", required: true)!
        let start = try cells.date(2, latestDate: latestDate, required: "every missing episode needs its start date")!
        let end = try cells.date(3, latestDate: latestDate)
        if let end, end < start {
            throw cells.bad(3, "is before MIS_START (\(ukDate(start))): a missing episode cannot end before it starts")
        }
        return SSDA903Missing(line: cells.line, kind: kind, start: start, end: end)
    }

    /// Review columns: CHILD, REVIEW, REVIEW_CODE.
    fileprivate static func review(_ cells: Cells, latestDate: CivilDate) throws(Bad) -> SSDA903Review {
        let date = try cells.date(1, latestDate: latestDate, required: "every review needs its date")!
        let code = try cells.code(2, participations, "a participation code (PN0–PN7)")
        return SSDA903Review(line: cells.line, date: date, participation: code)
    }

    /// OC3 columns: CHILD, IN_TOUCH, ACTIV, ACCOM.
    fileprivate static func careLeaver(_ cells: Cells) throws(Bad) -> SSDA903CareLeaver {
        let inTouch = try cells.code(1, inTouch, "an IN_TOUCH code (YES, NO, DIED, REFU, NREQ, RHOM)", required: true)!
        let activity = try cells.code(2, activities, "an activity code (ACTIV)")
        let accommodation = try cells.code(3, accommodations, "an accommodation code (ACCOM: a letter and 1 or 2)")
        return SSDA903CareLeaver(line: cells.line, inTouch: inTouch, activity: activity, accommodation: accommodation)
    }

    static func ukDate(_ d: CivilDate) -> String {
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return pad(d.day, 2) + "/" + pad(d.month, 2) + "/" + pad(d.year, 4)
    }
}

// MARK: - Tables and rows

/// The CSV tables the reader knows, in the order it reads them for a child's first problem.
fileprivate enum Table: Int, CaseIterable, Hashable {
    case header, episodes, missing, reviews, oc3

    var fileName: String {
        switch self {
        case .header: "header.csv"
        case .episodes: "episodes.csv"
        case .missing: "missing.csv"
        case .reviews: "reviews.csv"
        case .oc3: "oc3.csv"
        }
    }

    var isRequired: Bool { self == .header || self == .episodes }

    /// The columns read, CHILD first; the cells' order.
    var columns: [String] {
        switch self {
        case .header: ["CHILD", "SEX", "DOB", "ETHNIC", "UPN"]
        case .episodes: ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                         "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
        case .missing: ["CHILD", "MISSING", "MIS_START", "MIS_END"]
        case .reviews: ["CHILD", "REVIEW", "REVIEW_CODE"]
        case .oc3: ["CHILD", "IN_TOUCH", "ACTIV", "ACCOM"]
        }
    }

    /// The XML element names, in `columns` order (CHILDID for CHILD, PL for PLACE).
    var elements: [String] {
        columns.map { $0 == "CHILD" ? "CHILDID" : $0 == "PLACE" ? "PL" : $0 }
    }
}

/// A bad value: the child it belongs to becomes this problem.
fileprivate struct Bad: Error {
    let problem: RowProblem
}

/// One row's values in its table's `columns` order, trimmed, with where each came from.
fileprivate struct Cells {
    let line: Int
    let values: [String]
    /// Each value's line (the row's, or its XML element's).
    let lines: [Int]
    /// Each value's name for a problem: `episodes.csv:PLACE`, or `CHILD/EPISODE/PL`.
    let fields: [String]

    subscript(_ i: Int) -> String { values[i] }

    func bad(_ i: Int, _ reason: String) -> Bad {
        Bad(problem: RowProblem(line: lines[i], field: fields[i], value: values[i], reason: reason))
    }

    func tooLong() -> Bad? {
        for i in values.indices where values[i].utf8.count > SSDA903Reader.maximumFieldLength {
            return bad(i, "is longer than \(SSDA903Reader.maximumFieldLength) characters")
        }
        return nil
    }

    func optional(_ i: Int) -> String? { values[i].isEmpty ? nil : values[i] }

    /// Not after `latestDate`; nil when empty, unless `required` says why it is needed.
    func date(_ i: Int, latestDate: CivilDate, required: String? = nil) throws(Bad) -> CivilDate? {
        let text = values[i]
        if text.isEmpty {
            if let required { throw bad(i, "is empty; \(required)") }
            return nil
        }
        guard let date = CivilDate(dayMonthYearOrISO: text) else { throw bad(i, "is not a date (dd/mm/yyyy)") }
        guard date <= latestDate else {
            throw bad(i, "is after \(SSDA903Reader.ukDate(latestDate)): a date in the return cannot be in the future")
        }
        return date
    }

    /// One of `valid` (any case), upper case; nil when empty unless `required`.
    func code(_ i: Int, _ valid: Set<String>, _ what: String, required: Bool = false) throws(Bad) -> String? {
        let text = values[i]
        if text.isEmpty {
            if required { throw bad(i, "is empty; every row needs \(what)") }
            return nil
        }
        if valid.contains(text) { return text }
        let upper = text.uppercased()
        if valid.contains(upper) { return upper }
        throw bad(i, "is not \(what) (STANDARDS §2.2: \(valid.sorted().joined(separator: ", ")))")
    }

    /// Canonical (`SW1A 1AA`); nil when empty.
    func postcode(_ i: Int) throws(Bad) -> String? {
        guard let text = optional(i) else { return nil }
        do { return try Postcode(text).normalised } catch { throw bad(i, "is not a valid postcode: \(error.reason)") }
    }

    /// A URN, or an Ofsted social-care URN (`SC` and six digits) as its number; nil when empty or `XXXXXXX`.
    func urn(_ i: Int) throws(Bad) -> Int? {
        guard let text = optional(i)?.uppercased(), !text.utf8.allSatisfy({ $0 == UInt8(ascii: "X") }) else { return nil }
        if text.hasPrefix("SC") {
            let digits = text.dropFirst(2)
            guard digits.count == 6, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(digits) else {
                throw bad(i, "is not a URN (an Ofsted social-care URN is SC and six digits)")
            }
            return n
        }
        do { return try URN(text).value } catch { throw bad(i, "is not a URN (or XXXXXXX for none): \(error.reason)") }
    }
}

/// Where a row of the smaller tables was, for a problem when its CHILD is not in header.csv.
fileprivate struct RowRef {
    let table: Table
    let line: Int
    let child: String
}

/// One child's rows from the smaller tables, as read before header.csv.
fileprivate struct Pending {
    var episodes: [SSDA903Episode] = []
    var missing: [SSDA903Missing] = []
    var reviews: [SSDA903Review] = []
    var careLeaver: SSDA903CareLeaver?
    /// The first problem in the child's rows (tables in ``Table`` order, rows in file order).
    var problem: RowProblem?
    var rows: [RowRef] = []

    mutating func add(_ table: Table, _ line: Int, _ child: String, problem: RowProblem) {
        rows.append(RowRef(table: table, line: line, child: child))
        if self.problem == nil { self.problem = problem }
    }
}

/// One CSV table: its header checked, its rows read and shaped into ``Cells``.
fileprivate final class TableFile {
    enum Row {
        /// A row of the wrong width: its CHILD when it has one.
        case shape(line: Int, child: String?, problem: RowProblem)
        case cells(Cells)
    }

    let table: Table
    let reader: CSVReader
    let file: String
    private let index: [Int]
    private let width: Int
    private let fields: [String]

    init(table: Table, path: String) throws(FeedFileError) {
        self.table = table
        reader = try CSVReader.openFeed(path)
        let file = (path as NSString).lastPathComponent
        self.file = file
        let columns = table.columns
        let header = try reader.feedHeader(expected: "\(columns.joined(separator: ","))")
        index = try CSVHeader(header.map { $0.lowercased() }).feedColumns(columns.map { $0.lowercased() }, kind: "an SSDA903 \(table.fileName)",
                                                                       file: reader.name, line: reader.line, shown: { $0.uppercased() })
        width = header.count
        // Named by the table, not the file's own spelling (`Episodes.CSV`), as the rows whose
        // CHILD is not in header.csv are.
        fields = columns.map { "\(table.fileName):\($0)" }
    }

    /// The next row; nil at the end of the file.
    func next() throws(FeedFileError) -> Row? {
        guard let record = try reader.feedRow() else { return nil }
        let line = reader.line
        if record.count != width {
            if reader.lastRecordUnterminated && record.count < width {
                throw FeedFileError(file: reader.name, line: line, message: "the file stops part-way through this row (\(record.count) of \(width) columns): it looks cut short")
            }
            let child = index[0] < record.count ? record[index[0]].trimmingSpaces : nil
            let key = child.map { (try? IdentifierKind.laChildID.normalised($0)) ?? $0 }
            return .shape(line: line, child: key, problem: RowProblem(line: line, field: "\(table.fileName):row", value: record.joined(separator: ","),
                                                                      reason: "has \(record.count) columns; the header has \(width)"))
        }
        return .cells(Cells(line: line, values: index.map { record[$0].trimmingSpaces },
                            lines: Array(repeating: line, count: index.count), fields: fields))
    }
}

// MARK: - The XML form's parser

/// The XMLParser delegate behind the XML form of ``SSDA903Reader/read(_:)``: the open elements,
/// the current leaf's text, and the parts of the one `<CHILD>` being read.
private final class SSDA903XMLParser: NSObject, XMLParserDelegate {
    unowned let reader: SSDA903Reader
    var each: ((SSDA903Reader.Item) throws -> Void)?
    var file: String { reader.name }

    var callerError: (any Error)?
    var fileError: FeedFileError?
    var firstXMLError: XMLErrorAt?
    var lastXMLError: XMLErrorAt?
    var stopped: Bool { callerError != nil || fileError != nil }


    var rootSeen = false
    var rootClosed = false
    /// The line where the root was closed by libxml2 itself, recovering after an XML error.
    var rootClosedAfterErrorLine: Int?
    /// Open elements, counted even after an XML error (to tell a file cut short).
    var depth = 0
    /// The open elements' local names and lines, the root first.
    var stack: [(name: String, line: Int)] = []
    var text = ""
    static let textLimit = 1_024

    /// A container's leaf values by element name, with their lines.
    typealias Leaves = [String: (value: String, line: Int)]

    struct ChildParts {
        let line: Int
        var header: Leaves = [:]
        var headerLine: Int?
        var reviews: [(leaves: Leaves, line: Int)] = []
        var missing: [(leaves: Leaves, line: Int)] = []
        var episodes: [SSDA903Episode] = []
        var problem: RowProblem?
        var parts: SSDA903Reader.HeaderParts?
        var childID: String?
        var careLeaver: SSDA903CareLeaver?
        var reviewRows: [SSDA903Review] = []
        var missingRows: [SSDA903Missing] = []
    }

    var child: ChildParts?
    var container: Leaves = [:]
    /// LA child ids seen, with each one's line.
    var seen: [String: Int] = [:]

    init(reader: SSDA903Reader) {
        self.reader = reader
    }

    static func localName(_ name: String) -> String {
        guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name }
        return String(name[name.utf8.index(after: colon)...])
    }

    var names: [String] { stack.map(\.name) }

    /// `CHILD/…` for the open elements below the root, then `extra`.
    func path(_ extra: [String]) -> String { (names.dropFirst() + extra).joined(separator: "/") }

    func cells(_ table: Table, _ leaves: Leaves, line: Int, path prefix: String) -> Cells {
        let elements = table.elements
        var values = elements.map { leaves[$0]?.value ?? "" }
        var lines = elements.map { leaves[$0]?.line ?? line }
        if table != .header, let id = child?.header["CHILDID"] {   // the CHILD column, from the header
            values[0] = id.value
            lines[0] = id.line
        }
        return Cells(line: line, values: values, lines: lines, fields: elements.map { prefix + "/" + $0 })
    }

    func record(_ error: Bad) {
        if child?.problem == nil { child?.problem = error.problem }
    }

    // MARK: XMLParserDelegate

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if stopped { return }
        depth += 1
        if firstXMLError != nil { return }
        let name = Self.localName(elementName)
        let line = parser.lineNumber
        if stack.isEmpty {
            if rootSeen { return }
            rootSeen = true
            guard name == "EXPSSDA903" else {
                let shown = elementName.count > 60 ? String(elementName.prefix(60)) + "…" : elementName
                fail(parser, FeedFileError(file: file, line: line, message: "the root element is <\(shown)>, not <EXPSSDA903>: this is not an SSDA903 XML file"))
                return
            }
        }
        stack.append((name, line))
        text = ""
        let n = names
        if n.count == 2 && name == "CHILD" {
            child = ChildParts(line: line)
        } else if n.count == 3 && n[1] == "CHILD" && name == "HEADER" {
            child?.headerLine = line
        } else if n.count == 3 && n[1] == "CHILD" && name == "EPISODE"
                    || n.count == 4 && n[2] == "HEADER" && (name == "AREVIEW" || name == "AMISSING") {
            container = [:]
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard firstXMLError == nil, !stopped else { return }
        if text.utf8.count < Self.textLimit { text += string }
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
        guard let top = stack.last else { return }
        let value = CINCensusReader.trimmed(text)
        text = ""
        let n = names
        if child != nil && n.count >= 4 && n[1] == "CHILD" {
            let parent = n[n.count - 2]
            let grand = n.count >= 5 ? n[n.count - 3] : ""
            if n.count == 4 && parent == "HEADER" || n.count == 5 && parent == "OC3" && grand == "HEADER" {
                if !value.isEmpty, child!.header[top.name] == nil { child!.header[top.name] = (value, top.line) }
            } else if n.count == 4 && parent == "EPISODE" || n.count == 5 && (parent == "AREVIEW" || parent == "AMISSING") && grand == "HEADER" {
                if !value.isEmpty, container[top.name] == nil { container[top.name] = (value, top.line) }
            }
        }
        if n.count == 4 && n[2] == "HEADER" && top.name == "AREVIEW" {
            child?.reviews.append((container, top.line))
        } else if n.count == 4 && n[2] == "HEADER" && top.name == "AMISSING" {
            child?.missing.append((container, top.line))
        } else if n.count == 3 && n[1] == "CHILD" && top.name == "HEADER" {
            endHeader()
        } else if n.count == 3 && n[1] == "CHILD" && top.name == "EPISODE" {
            if child?.problem == nil {
                let cells = cells(.episodes, container, line: top.line, path: path([]))
                do throws(Bad) {
                    if let tooLong = cells.tooLong() { throw tooLong }
                    child!.episodes.append(try SSDA903Reader.episode(cells, latestDate: reader.latestDate))
                } catch { record(error) }
            }
        } else if n.count == 2 && top.name == "CHILD" {
            endChild(parser)
        }
        stack.removeLast()
    }

    /// The header's own values, then its reviews, missing episodes and care-leaver items.
    func endHeader() {
        guard var parts = child else { return }
        let latest = reader.latestDate
        let headerLine = parts.headerLine ?? parts.line
        let prefix = path([])
        let header = cells(.header, parts.header, line: headerLine, path: prefix)
        do throws(Bad) {
            if let tooLong = header.tooLong() { throw tooLong }
            let id = try SSDA903Reader.childID(header)
            parts.childID = id
            if let first = seen[id] { throw header.bad(0, "CHILDID \(id) appears twice (first at line \(first))") }
            seen[id] = header.lines[0]
            parts.parts = try SSDA903Reader.headerParts(header, latestDate: latest)
            for (leaves, line) in parts.missing {
                let c = cells(.missing, leaves, line: line, path: prefix + "/AMISSING")
                if let tooLong = c.tooLong() { throw tooLong }
                parts.missingRows.append(try SSDA903Reader.missing(c, latestDate: latest))
            }
            for (leaves, line) in parts.reviews {
                let c = cells(.reviews, leaves, line: line, path: prefix + "/AREVIEW")
                if let tooLong = c.tooLong() { throw tooLong }
                parts.reviewRows.append(try SSDA903Reader.review(c, latestDate: latest))
            }
            if ["IN_TOUCH", "ACTIV", "ACCOM"].contains(where: { parts.header[$0] != nil }) {
                let line = parts.header["IN_TOUCH"]?.line ?? headerLine
                let c = cells(.oc3, parts.header, line: line, path: prefix)
                if let tooLong = c.tooLong() { throw tooLong }
                parts.careLeaver = try SSDA903Reader.careLeaver(c)
            }
        } catch {
            if parts.problem == nil { parts.problem = error.problem }
        }
        child = parts
    }

    func endChild(_ parser: XMLParser) {
        guard let parts = child else { return }
        child = nil
        reader.countChild()
        if let problem = parts.problem {
            deliver(.problem(problem), parser)
            return
        }
        guard let id = parts.childID, let header = parts.parts else {
            deliver(.problem(RowProblem(line: parts.line, field: "CHILD/HEADER", value: "",
                                        reason: "is missing: every <CHILD> needs its <HEADER> with a CHILDID")), parser)
            return
        }
        deliver(.child(SSDA903Child(line: parts.line, childID: id, sex: header.sex, dateOfBirth: header.dateOfBirth,
                                    ethnicity: header.ethnicity, upn: header.upn, upnUnknown: header.upnUnknown,
                                    episodes: parts.episodes, missing: parts.missingRows, reviews: parts.reviewRows,
                                    careLeaver: parts.careLeaver)), parser)
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


    func fail(_ parser: XMLParser, _ error: FeedFileError) {
        guard !stopped else { return }
        fileError = error
        parser.abortParsing()
    }

    func deliver(_ item: SSDA903Reader.Item, _ parser: XMLParser) {
        do { try each?(item) } catch {
            callerError = error
            parser.abortParsing()
        }
    }

    /// The XML error as a reason the file cannot be read (as ``CINCensusReader`` words them).
    func xmlFileError(_ first: XMLErrorAt) -> FeedFileError {
        XMLParserErrors.fileError(file: file, first: first, last: lastXMLError, rootSeen: rootSeen, rootClosed: rootClosed,
                                  rootClosedAfterErrorLine: rootClosedAfterErrorLine, start: "an SSDA903 XML file starts <EXPSSDA903>", root: "EXPSSDA903")
    }
}
