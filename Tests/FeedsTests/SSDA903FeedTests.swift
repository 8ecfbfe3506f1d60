import Foundation
import Testing
import EyesOnCore
@testable import Feeds
@testable import Synthetic

/// One CSV table of an SSDA903 return as the test writes it: its file name and columns as written
/// (any case, any order) and its rows, each a value by upper-case column name.
struct SSDA903Sheet: Sendable {
    var name: String
    var columns: [String]
    var rows: [[String: String]]

    init(_ name: String, _ columns: [String], _ rows: [[String: String]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }

    /// Rows given as values in `columns` order.
    init(_ name: String, _ columns: [String], values: [[String]]) {
        self.init(name, columns, values.map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) })
    }

    /// RFC 4180 text with CRLF line ends, as the synthetic writer and most LA systems write it.
    var text: String {
        ([columns.joined(separator: ",")] + rows.map { row in columns.map { SSDA903Sheet.quoted(row[$0.uppercased()] ?? "") }.joined(separator: ",") })
            .joined(separator: "\r\n") + "\r\n"
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A whole SSDA903 return, written by hand with synthetic values only: LA 990, `EB` child IDs,
/// UPNs made from their last twelve digits (check letter computed), fictional `EB` postcodes and
/// made-up URNs. Edited to make each variant or fault, then written as a folder or as XML.
struct SSDA903Return: Sendable {
    var header: SSDA903Sheet
    var episodes: SSDA903Sheet
    var missing: SSDA903Sheet?
    var reviews: SSDA903Sheet?
    var oc3: SSDA903Sheet?

    var sheets: [SSDA903Sheet] { [header, episodes] + [missing, reviews, oc3].compactMap { $0 } }

    /// Writes the tables into a new folder, which the caller removes.
    func write() throws -> URL {
        let folder = SSDA903Fixture.temporaryURL("return")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for sheet in sheets {
            try Data(sheet.text.utf8).write(to: folder.appendingPathComponent(sheet.name))
        }
        return folder
    }

    /// The same return in the XML form (STANDARDS §2.1), one element a line: each child's
    /// `<HEADER>` with its reviews, missing episodes and care-leaver items (and items the reader
    /// skips: UASC, MOTHER, MC_DOB, PERMANENCE, an OC2 item), then its `<EPISODE>`s; an empty
    /// value as an empty element.
    var xml: String {
        var out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<EXPSSDA903>"]
        func leaf(_ name: String, _ value: String?, _ indent: Int) {
            let pad = String(repeating: " ", count: indent)
            if let value, !value.isEmpty { out.append("\(pad)<\(name)>\(SSDA903Fixture.escaped(value))</\(name)>") } else { out.append("\(pad)<\(name)/>") }
        }
        func rows(_ sheet: SSDA903Sheet?, _ id: String) -> [[String: String]] { (sheet?.rows ?? []).filter { $0["CHILD"] == id } }
        for h in header.rows {
            let id = h["CHILD"] ?? ""
            out += ["  <CHILD>", "    <HEADER>"]
            for name in ["CHILD", "UPN", "SEX", "DOB", "ETHNIC"] { leaf(name == "CHILD" ? "CHILDID" : name, h[name], 6) }
            leaf("UASC", "0", 6)
            for r in rows(reviews, id) {
                out.append("      <AREVIEW>")
                for name in ["REVIEW", "REVIEW_CODE"] { leaf(name, r[name], 8) }
                out.append("      </AREVIEW>")
            }
            for m in rows(missing, id) {
                out.append("      <AMISSING>")
                for name in ["MISSING", "MIS_START", "MIS_END"] { leaf(name, m[name], 8) }
                out.append("      </AMISSING>")
            }
            leaf("MOTHER", h["MOTHER"], 6)
            leaf("MC_DOB", h["MC_DOB"], 6)
            out += ["      <PERMANENCE>", "        <PREV_PERM>Z1</PREV_PERM>", "        <LA_PERM/>", "      </PERMANENCE>"]
            leaf("SDQ_SCORE", "Q9", 6)
            for o in rows(oc3, id) {
                for name in ["IN_TOUCH", "ACTIV", "ACCOM"] { leaf(name, o[name], 6) }
            }
            out.append("    </HEADER>")
            for e in rows(episodes, id) {
                out.append("    <EPISODE>")
                for name in ["DECOM", "RNE", "LS", "CIN", "PLACE", "PL_POST", "HOME_POST", "URN", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE"] {
                    leaf(name == "PLACE" ? "PL" : name, e[name], 6)
                }
                out.append("    </EPISODE>")
            }
            out.append("  </CHILD>")
        }
        out.append("</EXPSSDA903>")
        return out.joined(separator: "\n") + "\n"
    }

    /// The tables of a folder written by someone else (the synthetic area), read back as sheets.
    init(folder: URL) throws {
        func sheet(_ name: String) throws -> SSDA903Sheet? {
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            let (columns, rows) = try CSVReader(path: url.path).readAll()
            return SSDA903Sheet(name, columns.map { $0.uppercased() }, values: rows)
        }
        header = try #require(try sheet("header.csv"))
        episodes = try #require(try sheet("episodes.csv"))
        missing = try sheet("missing.csv")
        reviews = try sheet("reviews.csv")
        oc3 = try sheet("oc3.csv")
    }

    init(header: SSDA903Sheet, episodes: SSDA903Sheet, missing: SSDA903Sheet?, reviews: SSDA903Sheet?, oc3: SSDA903Sheet?) {
        self.header = header
        self.episodes = episodes
        self.missing = missing
        self.reviews = reviews
        self.oc3 = oc3
    }
}

enum SSDA903Fixture {
    /// The reader's `latestDate`: the end of the 2024-25 collection year.
    static let latest = CivilDate("2025-03-31")!
    static let upn1 = try! UPN(lastTwelve: "990000000011").value
    static let upn3 = try! UPN(lastTwelve: "990000000013").value

    static let headerColumns = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
    static let episodeColumns = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
    static let missingColumns = ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]
    static let reviewColumns = ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]
    static let oc3Columns = ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]

    /// Three children: EB0000001 in care now (two episodes, rows interleaved with another child's,
    /// two missing episodes, two reviews), EB0000002 (one short s20 episode, a UPN-unknown
    /// reason, a review without a participation code) and EB0000003, a care leaver with an OC3 row.
    static let good = SSDA903Return(
        header: SSDA903Sheet("header.csv", headerColumns, values: [
            ["EB0000001", "2", "14/03/2012", "WBRI", upn1, "", ""],            // line 2
            ["EB0000002", "1", "01/09/2008", "APKN", "UN2", "", ""],           // line 3
            ["EB0000003", "1", "05/11/2005", "BAFR", upn3, "", ""],            // line 4
        ]),
        episodes: SSDA903Sheet("episodes.csv", episodeColumns, values: [
            ["EB0000001", "01/04/2024", "S", "C2", "N1", "U4", "PR1", "10/09/2024", "X1", "", "eb1 2ab", "EB34DE", "SC123456"],  // line 2
            ["EB0000002", "15/05/2024", "S", "V2", "N4", "U1", "PR0", "20/06/2024", "E4A", "", "EB7 8HJ", "EB7 8HJ", ""],       // line 3
            ["EB0000001", "10/09/2024", "P", "C2", "N1", "K2", "PR4", "", "", "CARPL", "EB1 2AB", "EB5 6FG", "XXXXXXX"],        // line 4
            ["EB0000003", "01/06/2023", "S", "C2", "N1", "U6", "PR4", "05/11/2023", "E17", "", "EB2 3GH", "EB9 9ZZ", "1234567"], // line 5
        ]),
        missing: SSDA903Sheet("missing.csv", missingColumns, values: [
            ["EB0000001", "14/03/2012", "M", "03/05/2024", "04/05/2024"],     // line 2
            ["EB0000001", "14/03/2012", "a", "01/11/2024", ""],               // line 3
        ]),
        reviews: SSDA903Sheet("reviews.csv", reviewColumns, values: [
            ["EB0000001", "14/03/2012", "30/04/2024", "PN1"],                 // line 2
            ["EB0000002", "01/09/2008", "10/06/2024", ""],                    // line 3
            ["EB0000001", "14/03/2012", "28/10/2024", "PN3"],                 // line 4
        ]),
        oc3: SSDA903Sheet("oc3.csv", oc3Columns, values: [
            ["EB0000003", "05/11/2005", "YES", "F2", "U1"],                   // line 2
        ])
    )

    static func d(_ iso: String) -> CivilDate { CivilDate(iso)! }

    /// What ``good`` reads as, value by value.
    static let expected: [SSDA903Child] = [
        SSDA903Child(
            line: 2, childID: "EB0000001", sex: .female, dateOfBirth: d("2012-03-14"), ethnicity: "WBRI", upn: upn1, upnUnknown: nil,
            episodes: [
                SSDA903Episode(line: 2, start: d("2024-04-01"), reasonNew: "S", legalStatus: "C2", need: "N1", placement: "U4", provider: "PR1",
                               end: d("2024-09-10"), reasonEnded: "X1", reasonPlaceChange: nil, homePostcode: "EB1 2AB",
                               placementPostcode: "EB3 4DE", urn: 123_456),
                SSDA903Episode(line: 4, start: d("2024-09-10"), reasonNew: "P", legalStatus: "C2", need: "N1", placement: "K2", provider: "PR4",
                               end: nil, reasonEnded: nil, reasonPlaceChange: "CARPL", homePostcode: "EB1 2AB",
                               placementPostcode: "EB5 6FG", urn: nil),
            ],
            missing: [SSDA903Missing(line: 2, kind: "M", start: d("2024-05-03"), end: d("2024-05-04")),
                      SSDA903Missing(line: 3, kind: "A", start: d("2024-11-01"), end: nil)],
            reviews: [SSDA903Review(line: 2, date: d("2024-04-30"), participation: "PN1"),
                      SSDA903Review(line: 4, date: d("2024-10-28"), participation: "PN3")],
            careLeaver: nil),
        SSDA903Child(
            line: 3, childID: "EB0000002", sex: .male, dateOfBirth: d("2008-09-01"), ethnicity: "APKN", upn: nil, upnUnknown: "UN2",
            episodes: [
                SSDA903Episode(line: 3, start: d("2024-05-15"), reasonNew: "S", legalStatus: "V2", need: "N4", placement: "U1", provider: "PR0",
                               end: d("2024-06-20"), reasonEnded: "E4A", reasonPlaceChange: nil, homePostcode: "EB7 8HJ",
                               placementPostcode: "EB7 8HJ", urn: nil),
            ],
            missing: [], reviews: [SSDA903Review(line: 3, date: d("2024-06-10"), participation: nil)], careLeaver: nil),
        SSDA903Child(
            line: 4, childID: "EB0000003", sex: .male, dateOfBirth: d("2005-11-05"), ethnicity: "BAFR", upn: upn3, upnUnknown: nil,
            episodes: [
                SSDA903Episode(line: 5, start: d("2023-06-01"), reasonNew: "S", legalStatus: "C2", need: "N1", placement: "U6", provider: "PR4",
                               end: d("2023-11-05"), reasonEnded: "E17", reasonPlaceChange: nil, homePostcode: "EB2 3GH",
                               placementPostcode: "EB9 9ZZ", urn: 1_234_567),
            ],
            missing: [], reviews: [], careLeaver: SSDA903CareLeaver(line: 2, inTouch: "YES", activity: "F2", accommodation: "U1")),
    ]

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("ssda903-feed-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)-\(name)")
    }

    /// Writes `text` (or `bytes`) to a new file, which the caller removes.
    static func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = temporaryURL(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func file(_ name: String, _ text: String) throws -> URL { try file(name, Array(text.utf8)) }

    /// Every item of the return at `path`, and the reader (for ``SSDA903Reader/childrenRead``).
    static func read(_ path: String, latest: CivilDate = latest) throws -> (items: [SSDA903Reader.Item], reader: SSDA903Reader) {
        let reader = try SSDA903Reader(path: path, latestDate: latest)
        var items: [SSDA903Reader.Item] = []
        try reader.read { items.append($0) }
        return (items, reader)
    }

    /// Writes `r` as a folder, reads it and removes it.
    static func read(_ r: SSDA903Return) throws -> (items: [SSDA903Reader.Item], reader: SSDA903Reader) {
        let folder = try r.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        return try read(folder.path)
    }

    /// Writes `r` in the XML form, reads it and removes it.
    static func readXML(_ text: String) throws -> [SSDA903Reader.Item] {
        let url = try file("return.xml", text)
        defer { try? FileManager.default.removeItem(at: url) }
        return try read(url.path).items
    }

    static func children(_ items: [SSDA903Reader.Item]) -> [SSDA903Child] {
        items.compactMap { if case .child(let c) = $0 { c } else { nil } }
    }

    static func problems(_ items: [SSDA903Reader.Item]) -> [RowProblem] {
        items.compactMap { if case .problem(let p) = $0 { p } else { nil } }
    }

    /// The structural error reading `path` (from the initialiser or from `read`), failing the test when it reads.
    static func fileError(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> FeedFileError? {
        do {
            _ = try read(path)
            Issue.record("the return was read", sourceLocation: sourceLocation)
            return nil
        } catch let error as FeedFileError {
            return error
        } catch {
            Issue.record("not a FeedFileError: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The structural error of a folder holding `r` with `name` replaced by `bytes` (nil: removed).
    static func fileError(_ r: SSDA903Return, replacing name: String? = nil, with bytes: [UInt8]? = nil,
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> (error: FeedFileError?, folder: String) {
        let folder = try r.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        if let name {
            let url = folder.appendingPathComponent(name)
            if let bytes { try Data(bytes).write(to: url) } else { try FileManager.default.removeItem(at: url) }
        }
        return (fileError(folder.path, sourceLocation: sourceLocation), folder.path)
    }

    static func xmlFileError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> FeedFileError? {
        let url = try file("return.xml", bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        return fileError(url.path, sourceLocation: sourceLocation)
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

    /// `c` with every line number 0: the CSV and XML forms of one return differ only in their lines.
    static func unlined(_ c: SSDA903Child) -> SSDA903Child {
        SSDA903Child(
            line: 0, childID: c.childID, sex: c.sex, dateOfBirth: c.dateOfBirth, ethnicity: c.ethnicity, upn: c.upn, upnUnknown: c.upnUnknown,
            episodes: c.episodes.map {
                SSDA903Episode(line: 0, start: $0.start, reasonNew: $0.reasonNew, legalStatus: $0.legalStatus, need: $0.need,
                               placement: $0.placement, provider: $0.provider, end: $0.end, reasonEnded: $0.reasonEnded,
                               reasonPlaceChange: $0.reasonPlaceChange, homePostcode: $0.homePostcode,
                               placementPostcode: $0.placementPostcode, urn: $0.urn)
            },
            missing: c.missing.map { SSDA903Missing(line: 0, kind: $0.kind, start: $0.start, end: $0.end) },
            reviews: c.reviews.map { SSDA903Review(line: 0, date: $0.date, participation: $0.participation) },
            careLeaver: c.careLeaver.map { SSDA903CareLeaver(line: 0, inTouch: $0.inTouch, activity: $0.activity, accommodation: $0.accommodation) })
    }
}

/// A small synthetic area (4,000 children: a few dozen looked after, some care leavers).
enum SSDA903SyntheticFixture {
    static let area = SyntheticArea.generate(AreaConfiguration(children: 4_000, seed: 20_250_331, asOf: CivilDate("2025-03-31")!))
}

@Suite("SSDA903 reader")
struct SSDA903FeedTests {
    typealias F = SSDA903Fixture

    // MARK: Good returns

    @Test("a good CSV folder: every child with its episodes, missing episodes, reviews and care-leaver row, values canonical")
    func goodFolder() throws {
        let folder = try F.good.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (items, reader) = try F.read(folder.path)
        #expect(items == F.expected.map { SSDA903Reader.Item.child($0) })
        #expect(reader.childrenRead == 3)
        // The same reader reads the same again.
        var again: [SSDA903Reader.Item] = []
        try reader.read { again.append($0) }
        #expect(again == items && reader.childrenRead == 3)
    }

    @Test("file and column names in any case, columns in another order, extra and unread columns, a byte-order mark, varied spellings of values")
    func variants() throws {
        var r = F.good
        r.header.name = "HEADER.CSV"
        r.episodes.name = "Episodes.Csv"
        r.missing!.name = "MISSING.csv"
        r.reviews!.name = "Reviews.CSV"
        r.oc3!.name = "oC3.csv"
        // Header: lower-case names, another order, MOTHER and MC_DOB (not read) left out, two extra columns.
        r.header.columns = ["notes", "upn", "Ethnic", "dob", "child", "sex", "LA_CODE"]
        r.header.rows[0]["NOTES"] = "moved, twice: \"urgent\" " + String(repeating: "x", count: 500)   // an extra column's value is not checked
        r.header.rows[1]["NOTES"] = "<script>alert(1)</script>"
        r.header.rows[0]["LA_CODE"] = "990"
        r.header.rows[0]["UPN"] = F.upn1.lowercased()
        r.header.rows[0]["ETHNIC"] = "wbri"
        r.header.rows[1]["UPN"] = "un2"
        r.header.rows[2]["CHILD"] = " EB0000003\t"
        // Episodes: reversed, with an extra column in the middle.
        var columns = Array(F.episodeColumns.reversed().map { $0.lowercased() })
        columns.insert("Placement_Name", at: 5)
        r.episodes.columns = columns
        r.episodes.rows[0]["DECOM"] = "1/4/2024"          // one-digit day and month
        r.episodes.rows[0]["RNE"] = "s"
        r.episodes.rows[0]["PLACE"] = "u4"
        r.episodes.rows[0]["URN"] = "sc123456"
        r.episodes.rows[2]["DECOM"] = "2024-09-10"        // ISO
        r.episodes.rows[2]["PL_POST"] = " eb56fg "
        r.episodes.rows[2]["URN"] = "xxxxxxx"
        // The smaller tables: only the columns read, in another order.
        r.missing!.columns = ["MIS_END", "mis_start", "Missing", "CHILD"]
        r.reviews!.columns = ["REVIEW_CODE", "child", "review"]
        r.oc3!.columns = ["accom", "ACTIV", "in_touch", "Child", "DOB"]
        r.oc3!.rows[0]["IN_TOUCH"] = "yes"
        let folder = try r.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("HEADER.CSV")
        try Data([0xEF, 0xBB, 0xBF] + Array(r.header.text.utf8)).write(to: url)   // as Excel saves it

        let (items, reader) = try F.read(folder.path)
        #expect(F.problems(items) == [])
        #expect(F.children(items) == F.expected)
        #expect(reader.childrenRead == 3)
    }

    @Test("a bad value in a file whose name is in another case still names its field by the table's name")
    func fieldNameInAnyCase() throws {
        var r = F.good
        r.episodes.name = "EPISODES.CSV"
        r.episodes.rows[2]["PLACE"] = "Q9"
        r.episodes.rows.append(["CHILD": "EB0000099", "DECOM": "01/04/2024", "RNE": "S", "LS": "C2", "PLACE": "U1"])
        let problems = F.problems(try F.read(r).items)
        #expect(problems.map(\.field) == ["episodes.csv:PLACE", "episodes.csv:CHILD"])
    }

    @Test("missing.csv, reviews.csv and oc3.csv are optional; a table with a header and no rows is fine")
    func optionalTables() throws {
        var r = F.good
        r.missing = nil
        r.reviews = nil
        r.oc3 = nil
        let (items, _) = try F.read(r)
        #expect(items == F.expected.map {
            SSDA903Reader.Item.child(SSDA903Child(line: $0.line, childID: $0.childID, sex: $0.sex, dateOfBirth: $0.dateOfBirth, ethnicity: $0.ethnicity,
                                upn: $0.upn, upnUnknown: $0.upnUnknown, episodes: $0.episodes, missing: [], reviews: [], careLeaver: nil))
        })

        var empty = F.good
        empty.missing!.rows = []
        empty.reviews!.rows = []
        let children = F.children(try F.read(empty).items)
        #expect(children.map(\.childID) == ["EB0000001", "EB0000002", "EB0000003"])
        #expect(children.allSatisfy { $0.missing.isEmpty && $0.reviews.isEmpty })
        #expect(children[2].careLeaver == F.expected[2].careLeaver)
    }

    @Test("a child with no episodes (a care leaver whose last episode ended before the year) is delivered")
    func childWithoutEpisodes() throws {
        var r = F.good
        r.episodes.rows.removeLast()
        let children = F.children(try F.read(r).items)
        #expect(children.count == 3 && children[2].episodes == [] && children[2].careLeaver == F.expected[2].careLeaver)
    }

    @Test("a care leaver not in touch: ACTIV and ACCOM 0, as the DfE validator accepts them")
    func careLeaverNotInTouch() throws {
        var r = F.good
        r.oc3!.rows[0] = ["CHILD": "EB0000003", "IN_TOUCH": "REFU", "ACTIV": "0", "ACCOM": "0"]
        let items = try F.read(r).items
        #expect(F.problems(items) == [])
        #expect(F.children(items).last?.careLeaver == SSDA903CareLeaver(line: 2, inTouch: "REFU", activity: "0", accommodation: "0"))
        let xml = F.children(try F.readXML(r.xml))
        #expect(xml.last?.careLeaver.map(\.accommodation) == "0")
    }

    @Test("the XML form gives the same children as the equivalent CSV folder, with the XML's lines")
    func xmlForm() throws {
        let text = F.good.xml
        let url = try F.file("return.xml", text)
        defer { try? FileManager.default.removeItem(at: url) }
        let (items, reader) = try F.read(url.path)
        #expect(F.problems(items) == [])
        let children = F.children(items)
        #expect(children.map(F.unlined) == F.expected.map(F.unlined))
        #expect(reader.childrenRead == 3)
        // Lines: each <CHILD>, <EPISODE>, <AMISSING>, <AREVIEW> and the care leaver's IN_TOUCH.
        #expect(children.map(\.line) == (1...3).map { F.line(of: "<CHILD>", in: text, occurrence: $0) })
        #expect(children.flatMap(\.episodes).map(\.line) == (1...4).map { F.line(of: "<EPISODE>", in: text, occurrence: $0) })
        #expect(children[0].missing.map(\.line) == (1...2).map { F.line(of: "<AMISSING>", in: text, occurrence: $0) })
        #expect(children.flatMap(\.reviews).map(\.line) == (1...3).map { F.line(of: "<AREVIEW>", in: text, occurrence: $0) })
        #expect(children[2].careLeaver?.line == F.line(of: "<IN_TOUCH>", in: text))
    }

    @Test("the XML form: a namespace prefix, surrounding white space, CDATA and unknown elements are tolerated")
    func xmlVariants() throws {
        let text = F.good.xml
            .replacingOccurrences(of: "<EXPSSDA903>", with: "<EXPSSDA903 xmlns=\"http://www.example.org/ssda903\">")
            .replacingOccurrences(of: "<PL>U4</PL>", with: "<PL>\n        u4\n      </PL>")
            .replacingOccurrences(of: "<ETHNIC>WBRI</ETHNIC>", with: "<ETHNIC><![CDATA[WBRI]]></ETHNIC><NEW_ITEM_2030><X>1</X></NEW_ITEM_2030>")
            .replacingOccurrences(of: "  <CHILD>", with: "  <!-- a child -->\n  <CHILD>")
        let children = F.children(try F.readXML(text))
        #expect(children.map(F.unlined) == F.expected.map(F.unlined))
    }

    @Test("a synthetic area's ssda903/ folder reads with no problems, one child per header.csv row, matching the synthetic truth")
    func syntheticArea() throws {
        let area = SSDA903SyntheticFixture.area
        let directory = F.temporaryURL("synthetic")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try area.writeExtracts(to: directory)
        let folder = directory.appendingPathComponent("ssda903")

        let (items, reader) = try F.read(folder.path, latest: area.configuration.asOf)
        let problems = F.problems(items)
        #expect(problems.isEmpty, "problems: \(problems.prefix(5))")
        let children = F.children(items)
        let sheets = try SSDA903Return(folder: folder)
        #expect(children.count == sheets.header.rows.count && reader.childrenRead == sheets.header.rows.count)
        #expect(children.count == files.first { $0.name == "ssda903/header.csv" }?.rows)
        #expect(children.count > 10, "the area should have some looked-after children and care leavers")
        #expect(children.map(\.childID) == sheets.header.rows.map { $0["CHILD"]! })
        for (row, child) in zip(sheets.header.rows, children) {
            #expect(child.dateOfBirth.map(SSDA903Reader.ukDate) == row["DOB"].flatMap { $0.isEmpty ? nil : $0 })
            #expect((child.upn ?? child.upnUnknown) == row["UPN"] && (child.upn == nil) != (child.upnUnknown == nil))
        }
        #expect(children.contains { $0.upn != nil } && children.contains { $0.upnUnknown != nil })
        // Every row of every table delivered with its child.
        #expect(children.flatMap(\.episodes).count == sheets.episodes.rows.count)
        #expect(children.flatMap(\.missing).count == sheets.missing!.rows.count)
        #expect(children.flatMap(\.reviews).count == sheets.reviews!.rows.count)
        #expect(children.compactMap(\.careLeaver).count == sheets.oc3!.rows.count)
        #expect(sheets.episodes.rows.count > children.count / 2 && sheets.oc3!.rows.count > 0 && sheets.reviews!.rows.count > 0)

        // Against the synthetic truth, in the writer's order.
        let start = area.censusYearStart
        let records = area.socialCare.filter { r in r.careEpisodes.contains { $0.end.map { $0 >= start } ?? true } || r.careLeaver != nil }
        #expect(records.map(\.laChildID) == children.map(\.childID))
        let read = Dictionary(uniqueKeysWithValues: children.map { ($0.childID, $0) })
        for record in records {
            guard let child = read[record.laChildID] else { continue }
            #expect(child.ethnicity == record.ethnicity)
            #expect(child.sex == (area.person(record.personID).sex == .male ? .male : .female))
            let episodes = record.careEpisodes.filter { $0.end.map { $0 >= start } ?? true }
            #expect(child.episodes.count == episodes.count, "\(child.childID): episode count")
            for (truth, read) in zip(episodes, child.episodes) {
                #expect(read.start == truth.start && read.end == truth.end && read.reasonNew == truth.reasonNew
                        && read.legalStatus == truth.legalStatus && read.need == truth.needCode && read.placement == truth.placement
                        && read.provider == truth.provider && read.reasonEnded == truth.reasonEnded
                        && read.reasonPlaceChange == truth.reasonPlaceChange)
                let home = try Postcode(truth.homePostcode).normalised, placed = try Postcode(truth.placementPostcode).normalised
                #expect(read.homePostcode == home && read.placementPostcode == placed)
                #expect(read.urn == (truth.urn.hasPrefix("SC") ? Int(truth.urn.dropFirst(2)) : nil), "\(truth.urn)")
            }
            #expect(child.careLeaver.map { [$0.inTouch, $0.activity ?? "", $0.accommodation ?? ""] }
                    == record.careLeaver.map { [$0.inTouch, $0.activity, $0.accommodation] })
            #expect(child.reviews.map(\.date) == record.reviews.filter { $0.date >= start }.map(\.date))
            #expect(child.missing.map(\.start) == record.missing.filter { $0.start >= start }.map(\.start))
        }

        // And the same return in the XML form reads as the same children.
        let url = directory.appendingPathComponent("ssda903.xml")
        try Data(sheets.xml.utf8).write(to: url)
        let xml = try F.read(url.path, latest: area.configuration.asOf).items
        #expect(F.problems(xml).isEmpty, "XML problems: \(F.problems(xml).prefix(5))")
        #expect(F.children(xml).map(F.unlined) == children.map(F.unlined))
    }

    // MARK: Bad rows

    struct BadRow: Sendable, CustomTestStringConvertible {
        let label: String
        let edit: @Sendable (inout SSDA903Return) -> Void
        let child: String
        let field: String
        let line: Int
        let reason: String
        let value: String?
        var testDescription: String { label }

        init(_ label: String, child: String = "EB0000001", field: String, line: Int, reason: String, value: String? = nil,
             _ edit: @escaping @Sendable (inout SSDA903Return) -> Void) {
            self.label = label
            self.edit = edit
            self.child = child
            self.field = field
            self.line = line
            self.reason = reason
            self.value = value
        }
    }

    static let hostile = "<script>alert(1)</script>"

    static let badRows: [BadRow] = [
        BadRow("PLACE Q9", field: "episodes.csv:PLACE", line: 4, reason: "is not a placement type (PLACE)", value: "Q9") {
            $0.episodes.rows[2]["PLACE"] = "Q9"
        },
        BadRow("an episode ending before it starts", field: "episodes.csv:DEC", line: 2,
               reason: "is before the episode's start (DECOM 01/04/2024)", value: "31/03/2024") {
            $0.episodes.rows[0]["DEC"] = "31/03/2024"
        },
        BadRow("DECOM in the future", field: "episodes.csv:DECOM", line: 4, reason: "is after 31/03/2025", value: "01/04/2025") {
            $0.episodes.rows[2]["DECOM"] = "01/04/2025"
        },
        BadRow("a date of birth in the future", field: "header.csv:DOB", line: 2, reason: "is after 31/03/2025", value: "14/03/2026") {
            $0.header.rows[0]["DOB"] = "14/03/2026"
        },
        BadRow("a review in the future", field: "reviews.csv:REVIEW", line: 4, reason: "cannot be in the future", value: "2025-04-01") {
            $0.reviews!.rows[2]["REVIEW"] = "2025-04-01"
        },
        BadRow("an impossible date: 31/02/2025", field: "reviews.csv:REVIEW", line: 4, reason: "is not a date (dd/mm/yyyy)", value: "31/02/2025") {
            $0.reviews!.rows[2]["REVIEW"] = "31/02/2025"
        },
        BadRow("29 February in a common year", field: "missing.csv:MIS_START", line: 3, reason: "is not a date", value: "29/02/2023") {
            $0.missing!.rows[1]["MIS_START"] = "29/02/2023"
        },
        BadRow("a date in month-first order", field: "episodes.csv:DEC", line: 2, reason: "is not a date", value: "09/30/2024") {
            $0.episodes.rows[0]["DEC"] = "09/30/2024"
        },
        BadRow("a two-digit year", field: "header.csv:DOB", line: 2, reason: "is not a date", value: "14/03/12") {
            $0.header.rows[0]["DOB"] = "14/03/12"
        },
        BadRow("hostile markup as a postcode", field: "episodes.csv:PL_POST", line: 2, reason: "is not a valid postcode", value: hostile) {
            $0.episodes.rows[0]["PL_POST"] = hostile
        },
        BadRow("hostile markup as a participation code", field: "reviews.csv:REVIEW_CODE", line: 2, reason: "is not a participation code",
               value: hostile) {
            $0.reviews!.rows[0]["REVIEW_CODE"] = hostile
        },
        BadRow("hostile markup as an ethnicity", field: "header.csv:ETHNIC", line: 2, reason: "is not an ethnicity code", value: hostile) {
            $0.header.rows[0]["ETHNIC"] = hostile
        },
        BadRow("hostile markup as a URN", field: "episodes.csv:URN", line: 4, reason: "is not a URN", value: hostile) {
            $0.episodes.rows[2]["URN"] = hostile
        },
        BadRow("an over-long URN", field: "episodes.csv:URN", line: 2, reason: "is longer than 100 characters",
               value: String(repeating: "1", count: 77) + "…") {
            $0.episodes.rows[0]["URN"] = String(repeating: "1", count: 200)
        },
        BadRow("an over-long value in header.csv", field: "header.csv:ETHNIC", line: 2, reason: "is longer than 100 characters") {
            $0.header.rows[0]["ETHNIC"] = String(repeating: "W", count: 101)
        },
        BadRow("an over-long value in oc3.csv", child: "EB0000003", field: "oc3.csv:ACCOM", line: 2, reason: "is longer than 100 characters") {
            $0.oc3!.rows[0]["ACCOM"] = String(repeating: "U1", count: 60)
        },
        BadRow("SEX 3", field: "header.csv:SEX", line: 2, reason: "must be 1 (male) or 2 (female)", value: "3") {
            $0.header.rows[0]["SEX"] = "3"
        },
        BadRow("a UPN with the wrong check letter", field: "header.csv:UPN", line: 2, reason: "is not a valid UPN") {
            $0.header.rows[0]["UPN"] = (F.upn1.hasPrefix("A") ? "B" : "A") + F.upn1.dropFirst()
        },
        BadRow("UN6, not accepted in SSDA903", child: "EB0000002", field: "header.csv:UPN", line: 3, reason: "not accepted in SSDA903", value: "UN6") {
            $0.header.rows[1]["UPN"] = "UN6"
        },
        BadRow("an unknown ethnicity code", field: "header.csv:ETHNIC", line: 2, reason: "is not an ethnicity code", value: "WBR") {
            $0.header.rows[0]["ETHNIC"] = "WBR"
        },
        BadRow("legal status C3", field: "episodes.csv:LS", line: 2, reason: "is not a legal status (LS)", value: "C3") {
            $0.episodes.rows[0]["LS"] = "C3"
        },
        BadRow("an empty RNE", field: "episodes.csv:RNE", line: 4, reason: "is empty") {
            $0.episodes.rows[2]["RNE"] = ""
        },
        BadRow("an empty DECOM", field: "episodes.csv:DECOM", line: 4, reason: "is empty") {
            $0.episodes.rows[2]["DECOM"] = ""
        },
        BadRow("category of need N9", field: "episodes.csv:CIN", line: 2, reason: "is not a category of need", value: "N9") {
            $0.episodes.rows[0]["CIN"] = "N9"
        },
        BadRow("provider PR6", field: "episodes.csv:PLACE_PROVIDER", line: 2, reason: "is not a placement provider", value: "PR6") {
            $0.episodes.rows[0]["PLACE_PROVIDER"] = "PR6"
        },
        BadRow("reason ceased E99", field: "episodes.csv:REC", line: 2, reason: "is not a reason the episode ceased", value: "E99") {
            $0.episodes.rows[0]["REC"] = "E99"
        },
        BadRow("an unknown reason for placement change", field: "episodes.csv:REASON_PLACE_CHANGE", line: 4,
               reason: "is not a reason for placement change", value: "MOVED") {
            $0.episodes.rows[2]["REASON_PLACE_CHANGE"] = "MOVED"
        },
        BadRow("a home postcode starting Q", field: "episodes.csv:HOME_POST", line: 2, reason: "is not a valid postcode", value: "QB1 2AB") {
            $0.episodes.rows[0]["HOME_POST"] = "QB1 2AB"
        },
        BadRow("SC and five digits", field: "episodes.csv:URN", line: 2, reason: "SC and six digits", value: "SC12345") {
            $0.episodes.rows[0]["URN"] = "SC12345"
        },
        BadRow("a five-digit URN", field: "episodes.csv:URN", line: 2, reason: "is not a URN", value: "12345") {
            $0.episodes.rows[0]["URN"] = "12345"
        },
        BadRow("MISSING X", field: "missing.csv:MISSING", line: 2, reason: "M (missing) or A", value: "X") {
            $0.missing!.rows[0]["MISSING"] = "X"
        },
        BadRow("a missing episode ending before it starts", field: "missing.csv:MIS_END", line: 2,
               reason: "is before MIS_START (03/05/2024)", value: "02/05/2024") {
            $0.missing!.rows[0]["MIS_END"] = "02/05/2024"
        },
        BadRow("participation PN8", child: "EB0000002", field: "reviews.csv:REVIEW_CODE", line: 3, reason: "is not a participation code", value: "PN8") {
            $0.reviews!.rows[1]["REVIEW_CODE"] = "PN8"
        },
        BadRow("IN_TOUCH MAYBE", child: "EB0000003", field: "oc3.csv:IN_TOUCH", line: 2, reason: "is not an IN_TOUCH code", value: "MAYBE") {
            $0.oc3!.rows[0]["IN_TOUCH"] = "MAYBE"
        },
        BadRow("accommodation A1", child: "EB0000003", field: "oc3.csv:ACCOM", line: 2, reason: "is not an accommodation code", value: "A1") {
            $0.oc3!.rows[0]["ACCOM"] = "A1"
        },
        BadRow("activity G7", child: "EB0000003", field: "oc3.csv:ACTIV", line: 2, reason: "is not an activity code", value: "G7") {
            $0.oc3!.rows[0]["ACTIV"] = "G7"
        },
        // Two faults in one child: the first, tables in the order header, episodes, missing, reviews, oc3; rows in file order.
        BadRow("header.csv's problem comes before the episodes'", field: "header.csv:SEX", line: 2, reason: "must be 1", value: "3") {
            $0.header.rows[0]["SEX"] = "3"
            $0.episodes.rows[0]["PLACE"] = "Q9"
        },
        BadRow("episodes.csv's problem comes before missing.csv's", field: "episodes.csv:PLACE", line: 4, reason: "is not a placement type", value: "Q9") {
            $0.missing!.rows[0]["MISSING"] = "X"
            $0.episodes.rows[2]["PLACE"] = "Q9"
        },
        BadRow("the first bad row of a table", field: "episodes.csv:LS", line: 2, reason: "is not a legal status", value: "C3") {
            $0.episodes.rows[2]["PLACE"] = "Q9"
            $0.episodes.rows[0]["LS"] = "C3"
        },
    ]

    @Test("a bad value quarantines its whole child as one problem, naming the table, column and line; the other children are read",
          arguments: SSDA903FeedTests.badRows)
    func badRow(_ bad: BadRow) throws {
        var r = F.good
        bad.edit(&r)
        let (items, reader) = try F.read(r)
        let ids = F.expected.map(\.childID)
        #expect(F.children(items) == F.expected.filter { $0.childID != bad.child }, "the other children, unchanged")
        let problems = F.problems(items)
        #expect(problems.count == 1, "problems: \(problems)")
        let problem = try #require(problems.first)
        #expect(problem.field == bad.field)
        #expect(problem.line == bad.line)
        #expect(problem.reason.contains(bad.reason), "reason: \(problem.reason)")
        if let value = bad.value { #expect(problem.value == value) }
        // In the child's place, header order.
        let index = try #require(ids.firstIndex(of: bad.child))
        if case .problem = items[index] {} else { Issue.record("the problem is not in the child's place: \(items)") }
        #expect(reader.childrenRead == 3)
    }

    @Test("rows whose CHILD is not in header.csv are each a problem, after the children, naming their table and line")
    func notInHeader() throws {
        var r = F.good
        r.episodes.rows.append(["CHILD": "EB0000099", "DECOM": "01/04/2024", "RNE": "S", "LS": "C2", "PLACE": "U1"])   // line 6
        r.episodes.rows.append(["CHILD": "EB0000098", "DECOM": "01/04/2024", "RNE": "S", "LS": "XX", "PLACE": "U1"])   // line 7, bad too
        r.missing!.rows.insert(["CHILD": "EB0000099", "MISSING": "M", "MIS_START": "01/05/2024"], at: 0)                // line 2
        r.oc3!.rows.append(["CHILD": "eb0000003", "IN_TOUCH": "YES"])                                                  // line 3: ids are case-sensitive
        let (items, _) = try F.read(r)
        var expected = F.expected
        let first = expected[0]   // its missing rows one line lower
        expected[0] = SSDA903Child(line: first.line, childID: first.childID, sex: first.sex, dateOfBirth: first.dateOfBirth,
                                   ethnicity: first.ethnicity, upn: first.upn, upnUnknown: first.upnUnknown, episodes: first.episodes,
                                   missing: first.missing.map { SSDA903Missing(line: $0.line + 1, kind: $0.kind, start: $0.start, end: $0.end) },
                                   reviews: first.reviews, careLeaver: first.careLeaver)
        #expect(Array(items.prefix(3)) == expected.map { SSDA903Reader.Item.child($0) })
        #expect(F.problems(items) == [
            RowProblem(line: 6, field: "episodes.csv:CHILD", value: "EB0000099", reason: "CHILD EB0000099 is not in header.csv"),
            RowProblem(line: 7, field: "episodes.csv:CHILD", value: "EB0000098", reason: "CHILD EB0000098 is not in header.csv"),
            RowProblem(line: 2, field: "missing.csv:CHILD", value: "EB0000099", reason: "CHILD EB0000099 is not in header.csv"),
            RowProblem(line: 3, field: "oc3.csv:CHILD", value: "eb0000003", reason: "CHILD eb0000003 is not in header.csv"),
        ])
    }

    @Test("CHILD twice in header.csv: the second row is a problem naming the first; the first child keeps its rows")
    func twiceInHeader() throws {
        var r = F.good
        r.header.rows.append(["CHILD": "EB0000001", "SEX": "2", "DOB": "14/03/2012"])   // line 5
        let (items, reader) = try F.read(r)
        #expect(F.children(items) == F.expected)
        #expect(F.problems(items) == [
            RowProblem(line: 5, field: "header.csv:CHILD", value: "EB0000001", reason: "CHILD EB0000001 appears twice in header.csv (first at line 2)"),
        ])
        #expect(reader.childrenRead == 4)
    }

    @Test("a header.csv row of the wrong width and a later row for the same child: the second is a child given twice")
    func wrongWidthThenAgain() throws {
        var r = F.good
        r.header.rows.append(["CHILD": "EB0000002", "SEX": "1", "DOB": "01/09/2008", "ETHNIC": "APKN", "UPN": "UN2"])   // line 5
        let folder = try r.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = folder.appendingPathComponent("header.csv")
        try Data(r.header.text.replacingOccurrences(of: "APKN,UN2,,\r\nEB0000003", with: "APKN,UN2,\r\nEB0000003").utf8).write(to: header)
        let items = try F.read(folder.path).items
        #expect(F.children(items) == [F.expected[0], F.expected[2]], "EB0000002 is not delivered without its rows")
        #expect(F.problems(items).map { [String($0.line), $0.field] } == [["3", "header.csv:row"], ["5", "header.csv:CHILD"]])
        #expect(F.problems(items).last?.reason == "CHILD EB0000002 appears twice in header.csv (first at line 3)")
    }

    @Test("two oc3 rows for one child quarantine the child, naming the second row and the first")
    func twoCareLeaverRows() throws {
        var r = F.good
        r.oc3!.rows.append(["CHILD": "EB0000003", "IN_TOUCH": "NO", "ACTIV": "G5", "ACCOM": "S2"])   // line 3
        let items = try F.read(r).items
        #expect(F.children(items) == Array(F.expected.prefix(2)))
        let problem = try #require(F.problems(items).first)
        #expect(F.problems(items).count == 1)
        #expect(problem.line == 3 && problem.field == "oc3.csv:CHILD" && problem.value == "EB0000003")
        #expect(problem.reason.contains("appears twice in oc3.csv (first at line 2)"), "reason: \(problem.reason)")
    }

    @Test("a bad CHILD in header.csv is a problem; its rows in the other tables go with it")
    func badChildID() throws {
        var r = F.good
        r.header.rows[1]["CHILD"] = "EB-0000002"
        r.episodes.rows[1]["CHILD"] = "EB-0000002"
        r.reviews!.rows[1]["CHILD"] = "EB-0000002"
        let items = try F.read(r).items
        #expect(F.children(items) == [F.expected[0], F.expected[2]])
        #expect(F.problems(items).count == 1)
        let problem = try #require(F.problems(items).first)
        #expect(problem.line == 3 && problem.field == "header.csv:CHILD" && problem.value == "EB-0000002")
        #expect(problem.reason.contains("is not a valid LA child ID"))
    }

    @Test("a row with the wrong number of columns quarantines its child, naming the row; in header.csv its rows go with it")
    func wrongWidth() throws {
        let folder = try F.good.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        let episodes = folder.appendingPathComponent("episodes.csv")
        var text = try String(contentsOf: episodes, encoding: .utf8)
        text = text.replacingOccurrences(of: "EB5 6FG,XXXXXXX", with: "EB5 6FG,XXXXXXX,extra")   // line 4, EB0000001
        try Data(text.utf8).write(to: episodes)
        let items = try F.read(folder.path).items
        #expect(F.children(items) == Array(F.expected.dropFirst()))
        #expect(F.problems(items).map { [String($0.line), $0.field, $0.reason] } == [["4", "episodes.csv:row", "has 14 columns; the header has 13"]])

        let header = folder.appendingPathComponent("header.csv")
        try Data(F.good.header.text.replacingOccurrences(of: "APKN,UN2,,", with: "APKN,UN2,").utf8).write(to: header)   // line 3, EB0000002
        let again = try F.read(folder.path).items
        #expect(F.children(again).map(\.childID) == ["EB0000003"])
        #expect(F.problems(again).map { [String($0.line), $0.field] } == [["4", "episodes.csv:row"], ["3", "header.csv:row"]])
    }

    @Test("the XML form: a bad value quarantines its child, naming the element path and its line", arguments: [
        ("<PL>U4</PL>", "<PL>Q9</PL>", "CHILD/EPISODE/PL", "is not a placement type"),
        ("<DEC>10/09/2024</DEC>", "<DEC>31/03/2024</DEC>", "CHILD/EPISODE/DEC", "before the episode's start"),
        ("<DECOM>10/09/2024</DECOM>", "<DECOM>01/04/2025</DECOM>", "CHILD/EPISODE/DECOM", "is after 31/03/2025"),
        ("<SEX>2</SEX>", "<SEX>F</SEX>", "CHILD/HEADER/SEX", "must be 1 (male) or 2 (female)"),
        ("<MIS_END>04/05/2024</MIS_END>", "<MIS_END>02/05/2024</MIS_END>", "CHILD/HEADER/AMISSING/MIS_END", "is before MIS_START"),
        ("<REVIEW>28/10/2024</REVIEW>", "<REVIEW>31/02/2025</REVIEW>", "CHILD/HEADER/AREVIEW/REVIEW", "is not a date"),
        ("<PL_POST>EB34DE</PL_POST>", "<PL_POST>&lt;script&gt;alert(1)&lt;/script&gt;</PL_POST>", "CHILD/EPISODE/PL_POST", "is not a valid postcode"),
        ("<URN>SC123456</URN>", "<URN>" + String(repeating: "1", count: 150) + "</URN>", "CHILD/EPISODE/URN", "is longer than 100 characters"),
    ])
    func xmlBadValue(old: String, new: String, field: String, reason: String) throws {
        let good = F.good.xml
        #expect(good.contains(old))
        let text = good.replacingOccurrences(of: old, with: new)
        let items = try F.readXML(text)
        #expect(F.children(items).map(F.unlined) == F.expected.dropFirst().map(F.unlined))
        let problem = try #require(F.problems(items).first)
        #expect(F.problems(items).count == 1)
        if case .problem = items[0] {} else { Issue.record("the problem is not in the child's place") }
        #expect(problem.field == field && problem.line == F.line(of: new, in: text))
        #expect(problem.reason.contains(reason), "reason: \(problem.reason)")
        if new.contains("&lt;script") { #expect(problem.value == "<script>alert(1)</script>") }
    }

    @Test("the XML form: a CHILDID given twice, a child with no header and an oc3 value that is not a code are problems")
    func xmlChildProblems() throws {
        var r = F.good
        r.header.rows[2]["CHILD"] = "EB0000001"
        let twice = r.xml
        let items = try F.readXML(twice)
        #expect(F.children(items).map(\.childID) == ["EB0000001", "EB0000002"])
        let problem = try #require(F.problems(items).first)
        #expect(problem.field == "CHILD/HEADER/CHILDID" && problem.line == F.line(of: "<CHILDID>EB0000001<", in: twice, occurrence: 2))
        #expect(problem.reason == "CHILDID EB0000001 appears twice (first at line \(F.line(of: "<CHILDID>EB0000001<", in: twice)))")

        let noHeader = "<?xml version=\"1.0\"?>\n<EXPSSDA903>\n  <CHILD>\n    <UNKNOWN>1</UNKNOWN>\n  </CHILD>\n</EXPSSDA903>\n"
        #expect(try F.readXML(noHeader) == [.problem(RowProblem(line: 3, field: "CHILD/HEADER", value: "",
                                                                reason: "is missing: every <CHILD> needs its <HEADER> with a CHILDID"))])

        let leaver = F.good.xml.replacingOccurrences(of: "<IN_TOUCH>YES</IN_TOUCH>", with: "<IN_TOUCH>MAYBE</IN_TOUCH>")
        let leaverItems = try F.readXML(leaver)
        #expect(F.children(leaverItems).count == 2)
        #expect(F.problems(leaverItems).map(\.field) == ["CHILD/HEADER/IN_TOUCH"])
        #expect(F.problems(leaverItems).map(\.line) == [F.line(of: "<IN_TOUCH>", in: leaver)])

        let long = F.good.xml.replacingOccurrences(of: "<ACCOM>U1</ACCOM>", with: "<ACCOM>" + String(repeating: "U1", count: 60) + "</ACCOM>")
        let longItems = try F.readXML(long)
        #expect(F.children(longItems).count == 2)
        #expect(F.problems(longItems).map { [$0.field, $0.reason] } == [["CHILD/HEADER/ACCOM", "is longer than 100 characters"]])
    }

    // MARK: Returns that cannot be read

    @Test("a folder without header.csv or episodes.csv is refused, naming the folder and the missing table", arguments: ["header.csv", "episodes.csv"])
    func requiredTableMissing(name: String) throws {
        let (error, folder) = try F.fileError(F.good, replacing: name)
        let e = try #require(error)
        #expect(e.file == folder && e.message.contains("has no \(name)"), "\(e)")
    }

    @Test("two files for one table, names differing only in case, are refused rather than one silently ignored")
    func twoFilesForOneTable() throws {
        let folder = try F.good.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(F.good.episodes.text.utf8).write(to: folder.appendingPathComponent("Episodes.csv"))
        let e = try #require(F.fileError(folder.path))
        #expect(e.file == folder.path && e.message.contains("2 files named episodes.csv in different cases (Episodes.csv, episodes.csv)"), "\(e)")
    }

    @Test("a missing column is reported on the header row's own line, after blank lines")
    func missingColumnAfterBlankLines() throws {
        var r = F.good
        r.reviews!.columns = ["CHILD", "REVIEW"]
        let (error, folder) = try F.fileError(r, replacing: "reviews.csv", with: Array(("\r\n\r\n" + r.reviews!.text).utf8))
        let e = try #require(error)
        #expect(e.file == folder + "/reviews.csv" && e.line == 3 && e.message.contains("no column REVIEW_CODE"), "\(e)")
    }

    @Test("a table missing a column it needs is refused, naming the file, line 1 and the column", arguments: [
        ("header.csv", ["CHILD", "SEX", "ETHNIC", "UPN"], "no column DOB"),
        ("episodes.csv", ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST"],
         "no columns PLACE, URN"),
        ("missing.csv", ["CHILD", "DOB", "MISSING", "MIS_START"], "no column MIS_END"),
        ("reviews.csv", ["CHILD", "DOB", "REVIEW_CODE"], "no column REVIEW"),
        ("oc3.csv", ["CHILD", "DOB", "ACTIV", "ACCOM"], "no column IN_TOUCH"),
    ])
    func missingColumn(name: String, columns: [String], message: String) throws {
        var r = F.good
        for keyPath in [\SSDA903Return.header, \.episodes] where r[keyPath: keyPath].name == name { r[keyPath: keyPath].columns = columns }
        for keyPath in [\SSDA903Return.missing, \.reviews, \.oc3] where r[keyPath: keyPath]?.name == name { r[keyPath: keyPath]!.columns = columns }
        let (error, folder) = try F.fileError(r)
        let e = try #require(error)
        #expect(e.file == folder + "/" + name && e.line == 1 && e.message.contains(message), "\(e)")
    }

    @Test("an empty table (no header row) is refused, naming the file", arguments: ["header.csv", "episodes.csv", "missing.csv", "reviews.csv", "oc3.csv"])
    func emptyTable(name: String) throws {
        let (error, folder) = try F.fileError(F.good, replacing: name, with: [])
        let e = try #require(error)
        #expect(e.file == folder + "/" + name && e.message.contains("the file is empty"), "\(e)")
        let (blank, _) = try F.fileError(F.good, replacing: name, with: Array("\r\n\r\n".utf8))
        #expect(blank?.message.contains("the file is empty") == true)
    }

    @Test("a table cut short part-way through a row is refused, naming the file and the row's line", arguments: [
        "header.csv", "episodes.csv", "missing.csv", "reviews.csv", "oc3.csv",
    ])
    func cutShort(name: String) throws {
        let sheet = try #require(F.good.sheets.first { $0.name == name })
        let text = sheet.text
        let rows = text.split(separator: "\r\n")
        // The last row stops after its second field, with no line end.
        let cut = rows.dropLast().joined(separator: "\r\n") + "\r\n" + rows.last!.split(separator: ",").prefix(2).joined(separator: ",")
        let (error, folder) = try F.fileError(F.good, replacing: name, with: Array(cut.utf8))
        let e = try #require(error)
        #expect(e.file == folder + "/" + name && e.line == rows.count && e.message.contains("cut short"), "\(e)")
    }

    @Test("a table cut short inside a quoted field is refused, naming the line")
    func cutShortInQuotes() throws {
        var r = F.good
        r.episodes.columns.append("NOTES")
        r.episodes.rows[3]["NOTES"] = "placed with \"Ms Okafor\", long term"
        let text = r.episodes.text
        let cut = String(text.prefix(upTo: text.range(of: "Okafor")!.lowerBound))
        let (error, folder) = try F.fileError(r, replacing: "episodes.csv", with: Array(cut.utf8))
        let e = try #require(error)
        #expect(e.file == folder + "/episodes.csv" && e.line == 5 && e.message.contains("cut short"), "\(e)")
    }

    @Test("a table that is not UTF-8 (Latin-1) is refused, naming the file, line and field", arguments: ["header.csv", "episodes.csv", "reviews.csv"])
    func notUTF8(name: String) throws {
        var r = F.good
        for keyPath in [\SSDA903Return.header, \.episodes] { r[keyPath: keyPath].columns.append("NOTES") }
        r.reviews!.columns.append("NOTES")
        let sheet = try #require(r.sheets.first { $0.name == name })
        var bytes = Array(sheet.text.utf8)
        // "Zoë" in Latin-1 as the last field of the second data row (line 3).
        let lineEnds = bytes.indices.filter { bytes[$0] == 0x0D }
        bytes.insert(contentsOf: [0x5A, 0x6F, 0xEB], at: lineEnds[2])
        let (error, folder) = try F.fileError(r, replacing: name, with: bytes)
        let e = try #require(error)
        #expect(e.file == folder + "/" + name && e.line == 3 && e.field == "field \(sheet.columns.count)"
                && e.message.contains("not UTF-8"), "\(e)")
    }

    @Test("a path that does not exist is refused, naming it")
    func noSuchPath() throws {
        let path = F.temporaryURL("no-such-return").path
        let e = try #require(throws: FeedFileError.self) { try SSDA903Reader(path: path, latestDate: F.latest) }
        #expect(e.file == path && e.message.contains("no such file or folder"))
    }

    @Test("XML that is broken part-way is refused, naming the line", arguments: [
        ("<PL>U4</PL>", "<PL>U4 & K2</PL>", "not escaped"),
        ("<PL>U4</PL>", "<PL>U4</PLACE>", "does not match"),
        ("<RNE>P</RNE>", "<RNE>P</RNE x>", "is not closed with >"),
    ])
    func brokenXML(old: String, new: String, message: String) throws {
        let text = F.good.xml.replacingOccurrences(of: old, with: new)
        let e = try #require(try F.xmlFileError(Array(text.utf8)))
        #expect(e.line == F.line(of: new, in: text) && e.message.contains(message), "\(e)")
    }

    @Test("XML cut short is refused, naming a line, wherever it is cut")
    func xmlCutShort() throws {
        let text = F.good.xml
        let bytes = Array(text.utf8)
        let lines = text.split(separator: "\n").count
        for cut in [60, bytes.count / 3, bytes.count / 2 + 7, bytes.count - 30, bytes.count - 3] {
            let e = try #require(try F.xmlFileError(Array(bytes[0..<cut])))
            #expect(e.message.contains("cut short"), "cut at \(cut): \(e)")
            let line = try #require(e.line)
            #expect(line > 1 && line <= lines, "cut at \(cut): line \(line)")
        }
    }

    @Test("XML whose root is not <EXPSSDA903> is refused, naming the root and its line")
    func wrongRoot() throws {
        let text = F.good.xml.replacingOccurrences(of: "EXPSSDA903>", with: "Message>")
        let e = try #require(try F.xmlFileError(Array(text.utf8)))
        #expect(e.line == 2 && e.message.contains("the root element is <Message>, not <EXPSSDA903>"), "\(e)")
    }

    @Test("XML that is not UTF-8, an empty file and a CSV file given as the return are refused")
    func xmlNotReadable() throws {
        let text = F.good.xml
        var bytes = Array(text.utf8)
        let at = try #require(text.range(of: "WBRI").map { text.utf8.distance(from: text.startIndex, to: $0.lowerBound) })
        bytes.replaceSubrange(at..<(at + 1), with: [0xE9, 0xFF])
        let latin = try #require(try F.xmlFileError(bytes))
        #expect(latin.message.contains("not UTF-8") && latin.line == F.line(of: "<ETHNIC>WBRI", in: text), "\(latin)")
        let empty = try #require(try F.xmlFileError([]))
        #expect(empty.message.contains("no XML in the file (is it empty?)"), "\(empty)")
        let csv = try #require(try F.xmlFileError(Array(F.good.header.text.utf8)))
        #expect(csv.message.contains("not XML"), "\(csv)")
    }

    // MARK: The caller

    @Test("an error thrown by the caller stops the read and comes back unchanged (CSV and XML)")
    func callerStops() throws {
        struct Stop: Error, Equatable {}
        let folder = try F.good.write()
        let xml = try F.file("return.xml", F.good.xml)
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: xml)
        }
        for path in [folder.path, xml.path] {
            let reader = try SSDA903Reader(path: path, latestDate: F.latest)
            var seen = 0
            #expect(throws: Stop.self) {
                try reader.read { _ in
                    seen += 1
                    if seen == 2 { throw Stop() }
                }
            }
            #expect(seen == 2, "\(path)")
        }
    }
}

