import Foundation
import Testing
import EyesOnCore
@testable import Feeds
@testable import Synthetic

/// Small police incident and MARAC files, written by hand with synthetic values only: made-up
/// names from the synthetic name lists, `EB` postcodes, fictional 9xxxxx URNs.
enum PoliceCSV {
    static let today = CivilDate("2025-03-14")!

    // MARK: Police incidents

    static let incidentDefaults: [String: String] = [
        "reference": "EBP-2025-000001", "occurred_at": "2025-03-10T21:05:00", "postcode": "EB1 2AB", "risk_level": "medium",
        "party_number": "1", "role": "victim", "forename": "Amelia", "surname": "Hartley", "date_of_birth": "1990-04-12",
        "sex": "F", "school_urn": "", "child_presence": "",
    ]

    /// One incident: a victim, a suspect and a child at school 900001, each row changed by
    /// `all`, then the victim's, suspect's and child's own changes.
    static func incident(_ reference: String, _ all: [String: String] = [:], victim: [String: String] = [:],
                         suspect: [String: String] = [:], child: [String: String] = [:]) -> [String] {
        let suspectRow = ["party_number": "2", "role": "suspect", "forename": "Callum", "surname": "Brennan",
                          "date_of_birth": "1987-11-30", "sex": "M"]
        let childRow = ["party_number": "3", "role": "child", "forename": "Isla", "surname": "Hartley",
                        "date_of_birth": "2016-02-09", "sex": "F", "school_urn": "900001", "child_presence": "witnessed"]
        return [victim, suspectRow.merging(suspect) { $1 }, childRow.merging(child) { $1 }].map {
            row(incidentDefaults, ["reference": reference].merging(all) { $1 }.merging($0) { $1 }, columns: PoliceIncidentReader.columns)
        }
    }

    static func incidents(_ rows: [String], columns: [String] = PoliceIncidentReader.columns) -> String {
        file(columns, rows)
    }

    static func readIncidents(_ text: String) throws -> [PoliceIncidentReader.Item] {
        try readIncidents(CSVReader(string: text, name: "police-incidents.csv"))
    }

    static func readIncidents(_ reader: CSVReader) throws -> [PoliceIncidentReader.Item] {
        let incidents = try PoliceIncidentReader(reader: reader, latestDate: today)
        var items: [PoliceIncidentReader.Item] = []
        while let item = try incidents.next() { items.append(item) }
        return items
    }

    static func incidents(_ items: [PoliceIncidentReader.Item]) -> [PoliceIncident] {
        items.compactMap { if case .incident(let i) = $0 { i } else { nil } }
    }

    static func problems(_ items: [PoliceIncidentReader.Item]) -> [RowProblem] {
        items.compactMap { if case .problem(let p) = $0 { p } else { nil } }
    }

    // MARK: MARAC

    static let maracDefaults: [String: String] = [
        "case_id": "MA000001", "meeting_date": "2025-03-06", "referring_agency": "police", "dash_score": "16",
        "referral_reason": "visible-high-risk", "previous_meeting_date": "", "victim_forename": "Amelia",
        "victim_surname": "Hartley", "victim_dob": "1990-04-12", "victim_postcode": "EB1 2AB",
        "perpetrator_forename": "Callum", "perpetrator_surname": "Brennan", "perpetrator_dob": "1987-11-30",
        "child_number": "", "child_forename": "", "child_surname": "", "child_dob": "", "child_school_urn": "",
    ]

    /// One row per child (`children` of them, at fictional schools), or one with no child.
    static func marac(_ caseID: String, children: Int = 2, _ all: [String: String] = [:], child: [Int: [String: String]] = [:]) -> [String] {
        let forenames = ["Isla", "Noah", "Freya", "Leo"]
        let rows: [[String: String]] = children == 0 ? [[:]] : (1...children).map { n in
            ["child_number": String(n), "child_forename": forenames[(n - 1) % 4], "child_surname": "Hartley",
             "child_dob": "201\(n)-05-0\(n)", "child_school_urn": "90000\(n)"]
        }
        return rows.enumerated().map { k, own in
            row(maracDefaults, ["case_id": caseID].merging(all) { $1 }.merging(own) { $1 }.merging(child[k + 1] ?? [:]) { $1 },
                columns: MARACReader.columns)
        }
    }

    static func readMARAC(_ text: String) throws -> [MARACReader.Item] {
        let reader = try MARACReader(reader: CSVReader(string: text, name: "marac.csv"), latestDate: today)
        var items: [MARACReader.Item] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    static func cases(_ items: [MARACReader.Item]) -> [MARACCase] {
        items.compactMap { if case .marac(let c) = $0 { c } else { nil } }
    }

    static func problems(_ items: [MARACReader.Item]) -> [RowProblem] {
        items.compactMap { if case .problem(let p) = $0 { p } else { nil } }
    }

    // MARK: CSV text

    static func row(_ defaults: [String: String], _ changes: [String: String], columns: [String]) -> String {
        columns.map { quoted(changes[$0] ?? defaults[$0]!) }.joined(separator: ",")
    }

    static func file(_ columns: [String], _ rows: [String]) -> String {
        ([columns.joined(separator: ",")] + rows).joined(separator: "\r\n") + "\r\n"
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("police-feed-tests-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    }
}

/// A small synthetic area (3,000 children; it takes well under a second).
enum PoliceSyntheticFixture {
    static let area = SyntheticArea.generate(AreaConfiguration(children: 3_000, seed: 20_250_314, asOf: CivilDate("2025-03-14")!))

    /// Writes the area's extracts into a temporary folder of their own, for `body`, then removes it.
    static func withExtracts(_ name: String, _ body: (URL) throws -> Void) throws {
        let directory = PoliceCSV.temporaryURL(name)
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try area.writeExtracts(to: directory)
        try body(directory)
    }

    /// The distinct values of `column` in the CSV file at `url`, in first-seen order.
    static func distinct(_ column: String, in url: URL) throws -> [String] {
        let (header, rows) = try CSVReader(path: url.path).readAll()
        let k = try #require(header.firstIndex(of: column))
        var seen = Set<String>()
        return rows.map { $0[k] }.filter { seen.insert($0).inserted }
    }
}

/// Both readers' tests, under one name (`--filter PoliceFeedTests`).
@Suite("Police feeds")
struct PoliceFeedTests {}

extension PoliceFeedTests {
    @Suite("Police incidents reader")
    struct Incidents {
        @Test("a synthetic area's incidents read with no problems, one per reference, the hostile surname as plain text")
        func syntheticArea() throws {
            try PoliceSyntheticFixture.withExtracts("incidents") { try check($0.appendingPathComponent("police-incidents.csv")) }
        }

        func check(_ url: URL) throws {
            let area = PoliceSyntheticFixture.area
            let reader = try PoliceIncidentReader(path: url.path, latestDate: area.configuration.asOf)
            var items: [PoliceIncidentReader.Item] = []
            while let item = try reader.next() { items.append(item) }
            #expect(PoliceCSV.problems(items).isEmpty, "problems: \(PoliceCSV.problems(items).prefix(5))")
            let incidents = PoliceCSV.incidents(items)
            let references = try PoliceSyntheticFixture.distinct("reference", in: url)
            #expect(incidents.count > 20)
            #expect(incidents.map(\.reference) == references)
            #expect(incidents.count == area.policeIncidents.count)
            #expect(reader.rowsRead == incidents.reduce(0) { $0 + $1.parties.count })
            for (truth, read) in zip(area.policeIncidents, incidents) {
                #expect(read.reference == truth.reference && read.date == truth.date && read.minuteOfDay == truth.minuteOfDay)
                let postcode = try Postcode(truth.postcode).normalised
                #expect(read.riskLevel == truth.riskLevel && read.postcode == postcode)
                #expect(read.parties.map(\.role) == [.victim, .suspect] + truth.children.map { _ in IncidentParty.Role.child })
                #expect(read.parties.compactMap(\.presence).map(\.rawValue) == truth.children.map(\.presence))
                #expect(read.parties.map(\.number) == Array(1...read.parties.count))
            }
            let noted = incidents.flatMap(\.parties).filter { $0.surname.contains(HostileData.policeNote) }
            #expect(noted.count == 1 && noted.first?.role == .child, "the first child's surname carries the officer's note")
            #expect(noted.first?.surname.hasSuffix(" <spelling?>") == true)
        }

        @Test("a good file: each incident whole, values canonical, columns in any order, extra columns ignored")
        func goodFile() throws {
            var columns = PoliceIncidentReader.columns.reversed() as [String]
            columns.insert("officer", at: 3)
            let defaults = PoliceCSV.incidentDefaults.merging(["officer": "PC 101"]) { $1 }
            let text = PoliceCSV.file(columns, [
                PoliceCSV.row(defaults, ["postcode": "eb1  2ab", "risk_level": "HIGH", "occurred_at": "2025-03-10T21:05"], columns: columns),
                PoliceCSV.row(defaults, ["postcode": "EB1 2AB", "risk_level": "high", "party_number": "2", "role": "SUSPECT",
                                         "forename": "Callum", "surname": "Brennan", "date_of_birth": "", "sex": ""], columns: columns),
                PoliceCSV.row(defaults, ["postcode": "EB12AB", "risk_level": "High", "party_number": "3", "role": "child",
                                         "forename": "Isla", "date_of_birth": "2016-02-09", "sex": "f", "school_urn": "900001",
                                         "child_presence": "Present"], columns: columns),
            ])
            let items = try PoliceCSV.readIncidents(text)
            guard case .incident(let incident) = try #require(items.first), items.count == 1 else { Issue.record("not one incident: \(items)"); return }
            #expect(incident.line == 2 && incident.reference == "EBP-2025-000001")
            #expect(incident.date == CivilDate("2025-03-10") && incident.minuteOfDay == 21 * 60 + 5)
            #expect(incident.postcode == "EB1 2AB" && incident.riskLevel == "high")
            #expect(incident.parties == [
                IncidentParty(line: 2, number: 1, role: .victim, forename: "Amelia", surname: "Hartley", dateOfBirth: CivilDate("1990-04-12"),
                              sex: .female, schoolURN: nil, presence: nil),
                IncidentParty(line: 3, number: 2, role: .suspect, forename: "Callum", surname: "Brennan", dateOfBirth: nil,
                              sex: nil, schoolURN: nil, presence: nil),
                IncidentParty(line: 4, number: 3, role: .child, forename: "Isla", surname: "Hartley", dateOfBirth: CivilDate("2016-02-09"),
                              sex: .female, schoolURN: 900001, presence: .present),
            ])
        }

        @Test("several incidents in a row, one with no child (delivered: it notifies nobody) and one with no postcode or risk level")
        func severalIncidents() throws {
            let noChild = Array(PoliceCSV.incident("EBP-2025-000002", ["occurred_at": "2025-03-11T02:30:00"]).prefix(2))
            let text = PoliceCSV.incidents(PoliceCSV.incident("EBP-2025-000001") + noChild
                                           + PoliceCSV.incident("EBP/2025/3", ["postcode": "", "risk_level": ""]))
            let items = try PoliceCSV.readIncidents(text)
            #expect(PoliceCSV.problems(items).isEmpty, "\(PoliceCSV.problems(items))")
            let incidents = PoliceCSV.incidents(items)
            #expect(incidents.map(\.reference) == ["EBP-2025-000001", "EBP-2025-000002", "EBP/2025/3"])
            #expect(incidents.map(\.line) == [2, 5, 7])
            #expect(incidents[1].parties.map(\.role) == [.victim, .suspect] && incidents[1].minuteOfDay == 150)
            #expect(incidents[2].postcode == nil && incidents[2].riskLevel == nil)
        }

        struct BadParty: Sendable, CustomTestStringConvertible {
            let change: [String: String]
            /// Which party row: 0 victim, 1 suspect, 2 child.
            let party: Int
            let field: String
            let reason: String
            var testDescription: String { "\(field): \(change)" }
        }

        static let badParties: [BadParty] = [
            BadParty(change: ["school_urn": "12345"], party: 2, field: "school_urn", reason: "is not a school URN"),
            BadParty(change: ["school_urn": "90000A"], party: 2, field: "school_urn", reason: "is not a school URN"),
            BadParty(change: ["child_presence": ""], party: 2, field: "child_presence", reason: "a child party needs it"),
            BadParty(change: ["child_presence": "nearby"], party: 2, field: "child_presence", reason: "must be present, witnessed or involved"),
            BadParty(change: ["role": "witness"], party: 1, field: "role", reason: "must be victim, suspect or child"),
            BadParty(change: ["role": ""], party: 1, field: "role", reason: "is empty"),
            BadParty(change: ["party_number": "1"], party: 1, field: "party_number", reason: "party 1 appears twice in incident EBP-2025-000002 (first at line 5)"),
            BadParty(change: ["party_number": "two"], party: 1, field: "party_number", reason: "must be a whole number"),
            BadParty(change: ["party_number": ""], party: 2, field: "party_number", reason: "is empty"),
            BadParty(change: ["date_of_birth": "09/02/2016"], party: 2, field: "date_of_birth", reason: "is not a date (YYYY-MM-DD)"),
            BadParty(change: ["date_of_birth": "2025-04-01"], party: 2, field: "date_of_birth", reason: "cannot be in the future"),
            BadParty(change: ["sex": "X"], party: 0, field: "sex", reason: "must be M, F or U"),
            BadParty(change: ["occurred_at": "2025-03-11T21:05:00"], party: 1, field: "occurred_at", reason: "differs from the incident's first row (line 5"),
            BadParty(change: ["postcode": "EB1 2AD"], party: 2, field: "postcode", reason: "must give the same postcode"),
            BadParty(change: ["risk_level": "high"], party: 1, field: "risk_level", reason: "must give the same risk_level"),
            BadParty(change: ["risk_level": "severe"], party: 0, field: "risk_level", reason: "must be standard, medium or high"),
            BadParty(change: ["postcode": "EB1 2CC"], party: 0, field: "postcode", reason: "is not a valid postcode"),
            BadParty(change: ["occurred_at": "2025-03-10 25:00"], party: 0, field: "occurred_at", reason: "is not a date and time"),
            BadParty(change: ["occurred_at": "10/03/2025 21:05"], party: 0, field: "occurred_at", reason: "is not a date and time"),
            BadParty(change: ["occurred_at": ""], party: 0, field: "occurred_at", reason: "is empty"),
            BadParty(change: ["occurred_at": "2025-03-15T00:10:00"], party: 0, field: "occurred_at", reason: "is after 2025-03-14: an incident cannot be in the future"),
            BadParty(change: ["forename": String(repeating: "a", count: 101)], party: 1, field: "forename", reason: "is longer than 100 characters"),
        ]

        @Test("a bad value in one row quarantines its whole incident, naming the line and column; the neighbours come through",
              arguments: badParties)
        func badParty(_ bad: BadParty) throws {
            var middle = PoliceCSV.incident("EBP-2025-000002")
            let changed = PoliceCSV.incident("EBP-2025-000002", victim: bad.party == 0 ? bad.change : [:],
                                             suspect: bad.party == 1 ? bad.change : [:], child: bad.party == 2 ? bad.change : [:])
            middle[bad.party] = changed[bad.party]
            // A changed reference starts its own incident: its other rows are then the neighbour's.
            let text = PoliceCSV.incidents(PoliceCSV.incident("EBP-2025-000001") + middle + PoliceCSV.incident("EBP-2025-000003"))
            let items = try PoliceCSV.readIncidents(text)
            let problems = PoliceCSV.problems(items)
            let problem = try #require(problems.first)
            #expect(problems.count == 1, "\(problems)")
            #expect(problem.line == 5 + bad.party && problem.field == bad.field)
            #expect(problem.reason.contains(bad.reason), "\(problem.reason)")
            let through = PoliceCSV.incidents(items)
            #expect(through.first?.reference == "EBP-2025-000001" && through.last?.reference == "EBP-2025-000003")
            #expect(through.first?.parties.count == 3 && through.last?.parties.count == 3)
            #expect(!through.contains { $0.reference == "EBP-2025-000002" }, "no part of the bad incident is delivered")
            if case .problem = items[1] {} else { Issue.record("the problem comes in the incident's place: \(items)") }
        }

        @Test("a bad reference quarantines its incident; an empty one too")
        func badReference() throws {
            let text = PoliceCSV.incidents(PoliceCSV.incident("EBP 2025 000001") + PoliceCSV.incident("") + PoliceCSV.incident("EBP-2025-000003"))
            let items = try PoliceCSV.readIncidents(text)
            #expect(PoliceCSV.incidents(items).map(\.reference) == ["EBP-2025-000003"])
            let problems = PoliceCSV.problems(items)
            #expect(problems.map(\.line) == [2, 5] && problems.allSatisfy { $0.field == "reference" })
            #expect(problems.first?.reason == "must be 1 to 40 letters, digits, '/' and '-'")
            #expect(problems.last?.reason.hasPrefix("is empty") == true)
        }

        @Test("only an incident's first problem is reported; the problem comes when the incident's rows end")
        func firstProblemOnly() throws {
            let rows = PoliceCSV.incident("EBP-2025-000001", suspect: ["sex": "Q"], child: ["school_urn": "1"])
            let text = PoliceCSV.incidents(rows)
            let reader = try PoliceIncidentReader(reader: CSVReader(string: text), latestDate: PoliceCSV.today)
            let item = try reader.next()
            #expect(reader.rowsRead == 3, "the whole incident is read before its problem is given")
            guard case .problem(let p) = try #require(item) else { Issue.record("not a problem"); return }
            #expect(p.line == 3 && p.field == "sex" && p.value == "Q")
            #expect(try reader.next() == nil)
        }

        @Test("an incident's rows apart from each other: the later ones are a problem naming the first line")
        func notTogether() throws {
            let first = PoliceCSV.incident("EBP-2025-000001")
            let text = PoliceCSV.incidents(Array(first.prefix(2)) + PoliceCSV.incident("EBP-2025-000002") + [first[2]])
            let items = try PoliceCSV.readIncidents(text)
            #expect(PoliceCSV.incidents(items).map(\.reference) == ["EBP-2025-000001", "EBP-2025-000002"])
            let problem = try #require(PoliceCSV.problems(items).first)
            #expect(PoliceCSV.problems(items).count == 1)
            #expect(problem.line == 7 && problem.field == "reference")
            #expect(problem.reason == "incident EBP-2025-000001's rows must be together (first at line 2)")
        }

        @Test("rows must agree on when the incident happened, but the same time written another way agrees")
        func disagreeingTime() throws {
            let agreeing = PoliceCSV.incidents(PoliceCSV.incident("EBP-2025-000001", suspect: ["occurred_at": "2025-03-10 21:05"],
                                                                  child: ["occurred_at": "2025-03-10T21:05"]))
            #expect(PoliceCSV.problems(try PoliceCSV.readIncidents(agreeing)).isEmpty)
            let text = PoliceCSV.incidents(PoliceCSV.incident("EBP-2025-000001", child: ["occurred_at": "2025-03-10T21:06:00"]))
            let problem = try #require(PoliceCSV.problems(try PoliceCSV.readIncidents(text)).first)
            #expect(problem.line == 4 && problem.field == "occurred_at" && problem.value == "2025-03-10T21:06:00")
            #expect(problem.reason.contains("line 2, which gives '2025-03-10T21:05:00'"), "\(problem.reason)")
        }

        @Test("a row of the wrong length quarantines its incident; other incidents come through")
        func wrongLength() throws {
            var rows = PoliceCSV.incident("EBP-2025-000001") + PoliceCSV.incident("EBP-2025-000002")
            rows[4] += ",extra"
            let items = try PoliceCSV.readIncidents(PoliceCSV.incidents(rows))
            #expect(PoliceCSV.incidents(items).map(\.reference) == ["EBP-2025-000001"])
            let problem = try #require(PoliceCSV.problems(items).first)
            #expect(PoliceCSV.problems(items).count == 1 && problem.line == 6 && problem.field == "row")
            #expect(problem.reason == "has 13 columns; the header has 12")
        }

        @Test("a <script> name, quotes and commas are kept verbatim: they are only text")
        func hostileNames() throws {
            let text = PoliceCSV.incidents(PoliceCSV.incident("EBP-2025-000001", victim: ["forename": "<script>alert(1)</script>"],
                                                              child: ["surname": "O'Brien, \"Isla\" & <b>Hartley</b>"]))
            let incident = try #require(PoliceCSV.incidents(try PoliceCSV.readIncidents(text)).first)
            #expect(incident.parties[0].forename == "<script>alert(1)</script>")
            #expect(incident.parties[2].surname == "O'Brien, \"Isla\" & <b>Hartley</b>")
        }

        @Test("a missing column, an empty file and a header alone")
        func structure() throws {
            let columns = PoliceIncidentReader.columns.filter { $0 != "child_presence" && $0 != "school_urn" }
            do {
                _ = try PoliceCSV.readIncidents(PoliceCSV.file(columns, []))
                Issue.record("read a file with missing columns")
            } catch let error as FeedFileError {
                #expect(error.line == 1 && error.message.hasPrefix("this is not a police incidents file: no columns school_urn, child_presence"))
            }
            do {
                _ = try PoliceCSV.readIncidents("")
                Issue.record("read an empty file")
            } catch let error as FeedFileError {
                #expect(error.message.hasPrefix("the file is empty"))
            }
            #expect(try PoliceCSV.readIncidents(PoliceCSV.incidents([])).isEmpty)
        }

        @Test("a file cut short part-way through a row, or inside a quoted field, is refused; a last row without its line end is not")
        func cutShort() throws {
            let full = PoliceCSV.incidents(PoliceCSV.incident("EBP-2025-000001"))   // ends "\r\n", one Character
            let cut = String(full.dropLast(1).split(separator: ",", omittingEmptySubsequences: false).dropLast(3).joined(separator: ","))
            do {
                _ = try PoliceCSV.readIncidents(cut)
                Issue.record("read a file cut short")
            } catch let error as FeedFileError {
                #expect(error.line == 4 && error.message.contains("cut short"), "\(error)")
            }
            do {
                _ = try PoliceCSV.readIncidents(full + "EBP-2025-000002,\"2025-03-10T21:05")
                Issue.record("read a file cut inside a quote")
            } catch let error as FeedFileError {
                #expect(error.message.contains("never closed"), "\(error)")
            }
            #expect(PoliceCSV.incidents(try PoliceCSV.readIncidents(String(full.dropLast(1)))).count == 1)
        }

        @Test("bytes that are not UTF-8 refuse the file, naming the line")
        func notUTF8() throws {
            var bytes = Array(PoliceCSV.incidents(PoliceCSV.incident("EBP-2025-000001")).utf8)
            let at = try #require(bytes.indices.first { bytes[$0] == UInt8(ascii: "I") })   // the child's forename, Isla
            bytes[at] = 0xFF
            do {
                _ = try PoliceCSV.readIncidents(CSVReader(bytes: bytes, name: "police-incidents.csv"))
                Issue.record("read bytes that are not UTF-8")
            } catch let error as FeedFileError {
                #expect(error.line == 4 && error.message.contains("not UTF-8"), "\(error)")
            }
        }

        @Test("a file that does not exist cannot be opened")
        func noFile() {
            #expect(throws: FeedFileError.self) { _ = try PoliceIncidentReader(path: "/nonexistent/police.csv", latestDate: PoliceCSV.today) }
        }
    }

    @Suite("MARAC list reader")
    struct MARAC {
        @Test("a synthetic area's MARAC list reads with no problems, one case per case id, matching the synthetic truth")
        func syntheticArea() throws {
            try PoliceSyntheticFixture.withExtracts("marac") { try check($0.appendingPathComponent("marac.csv")) }
        }

        func check(_ url: URL) throws {
            let area = PoliceSyntheticFixture.area
            let reader = try MARACReader(path: url.path, latestDate: area.configuration.asOf)
            var items: [MARACReader.Item] = []
            while let item = try reader.next() { items.append(item) }
            #expect(PoliceCSV.problems(items).isEmpty, "problems: \(PoliceCSV.problems(items).prefix(5))")
            let cases = PoliceCSV.cases(items)
            #expect(cases.count > 5)
            #expect(cases.map(\.caseID) == (try PoliceSyntheticFixture.distinct("case_id", in: url)))
            #expect(cases.count == area.maracCases.count)
            #expect(reader.rowsRead == cases.reduce(0) { $0 + max(1, $1.children.count) })
            for (truth, read) in zip(area.maracCases, cases) {
                #expect(read.meetingDate == truth.meetingDate && read.dashScore == truth.dashScore)
                #expect(read.referralReason == truth.referralReason && read.referringAgency == truth.referringAgency)
                #expect(read.previousMeetingDate == truth.previousMeetingDate)
                #expect(read.children.map(\.number) == Array(0..<truth.childIDs.count).map { $0 + 1 })
            }
            #expect(cases.contains { !$0.children.isEmpty })
        }

        @Test("a good list: a case with two children, a case with none, canonical postcode")
        func goodFile() throws {
            let text = PoliceCSV.file(MARACReader.columns, PoliceCSV.marac("MA000001", ["victim_postcode": "eb12ab"])
                                      + PoliceCSV.marac("MA000002", children: 0, ["perpetrator_forename": "", "perpetrator_dob": "",
                                                                                  "previous_meeting_date": "2024-10-03", "referral_reason": "repeat"]))
            let items = try PoliceCSV.readMARAC(text)
            #expect(PoliceCSV.problems(items).isEmpty, "\(PoliceCSV.problems(items))")
            let cases = PoliceCSV.cases(items)
            #expect(cases.count == 2)
            #expect(cases[0] == MARACCase(
                line: 2, caseID: "MA000001", meetingDate: CivilDate("2025-03-06")!, referringAgency: "police", dashScore: 16,
                referralReason: "visible-high-risk", previousMeetingDate: nil, victimForename: "Amelia", victimSurname: "Hartley",
                victimDateOfBirth: CivilDate("1990-04-12"), victimPostcode: "EB1 2AB", perpetratorForename: "Callum",
                perpetratorSurname: "Brennan", perpetratorDateOfBirth: CivilDate("1987-11-30"),
                children: [MARACChild(line: 2, number: 1, forename: "Isla", surname: "Hartley", dateOfBirth: CivilDate("2011-05-01"), schoolURN: 900001),
                           MARACChild(line: 3, number: 2, forename: "Noah", surname: "Hartley", dateOfBirth: CivilDate("2012-05-02"), schoolURN: 900002)]))
            #expect(cases[1].line == 4 && cases[1].children.isEmpty && cases[1].perpetratorForename == nil)
            #expect(cases[1].perpetratorSurname == "Brennan" && cases[1].perpetratorDateOfBirth == nil)
            #expect(cases[1].previousMeetingDate == CivilDate("2024-10-03") && cases[1].referralReason == "repeat")
        }

        @Test("a DASH score or a referral reason is enough; neither is a problem")
        func dashOrReason() throws {
            let text = PoliceCSV.file(MARACReader.columns, PoliceCSV.marac("MA000001", children: 0, ["dash_score": ""])
                                      + PoliceCSV.marac("MA000002", children: 0, ["referral_reason": ""])
                                      + PoliceCSV.marac("MA000003", children: 0, ["dash_score": "", "referral_reason": ""]))
            let items = try PoliceCSV.readMARAC(text)
            #expect(PoliceCSV.cases(items).map(\.dashScore) == [nil, 16])
            let problem = try #require(PoliceCSV.problems(items).first)
            #expect(problem.line == 4 && problem.field == "dash_score" && problem.reason.contains("needs its DASH score or its reason"))
        }

        struct BadCase: Sendable, CustomTestStringConvertible {
            let all: [String: String]
            let child: [Int: [String: String]]
            let line: Int
            let field: String
            let reason: String
            init(_ all: [String: String] = [:], child: [Int: [String: String]] = [:], line: Int = 4, _ field: String, _ reason: String) {
                self.all = all; self.child = child; self.line = line; self.field = field; self.reason = reason
            }
            var testDescription: String { "\(field): \(all) \(child)" }
        }

        static let badCases: [BadCase] = [
            BadCase(["dash_score": "30"], "dash_score", "must be a DASH score, a whole number from 0 to 24 (the checklist has 24 questions)"),
            BadCase(["dash_score": "-1"], "dash_score", "must be a DASH score"),
            BadCase(["previous_meeting_date": "2025-03-13"], "previous_meeting_date", "is not before this case's meeting (2025-03-06)"),
            BadCase(["previous_meeting_date": "2025-03-06"], "previous_meeting_date", "is not before this case's meeting"),
            BadCase(["meeting_date": "2025-03-20"], "meeting_date", "is after 2025-03-14: the meeting has not been held yet"),
            BadCase(["meeting_date": ""], "meeting_date", "is empty"),
            BadCase(["referring_agency": ""], "referring_agency", "is empty"),
            BadCase(["victim_surname": ""], "victim_surname", "is empty"),
            BadCase(["victim_postcode": "QQ1 1AA"], "victim_postcode", "is not a valid postcode"),
            BadCase(["victim_dob": "1990-02-30"], "victim_dob", "is not a date"),
            BadCase(["case_id": "MA 2"], "case_id", "must be 1 to 40 letters"),
            BadCase(child: [2: ["child_school_urn": "090001"]], line: 5, "child_school_urn", "is not a school URN"),
            BadCase(child: [2: ["child_number": "1"]], line: 5, "child_number", "child 1 appears twice in case MA000002 (first at line 4)"),
            BadCase(child: [2: ["child_number": ""]], line: 5, "child_number", "is empty"),
            BadCase(child: [1: ["child_forename": "", "child_surname": ""]], "child_forename", "a child needs a name"),
            BadCase(child: [2: ["dash_score": "15"]], line: 5, "dash_score", "every row of one case must give the same dash_score"),
            BadCase(child: [2: ["victim_forename": "Amy"]], line: 5, "victim_forename", "differs from the case's first row (line 4, which gives 'Amelia')"),
            BadCase(child: [2: ["previous_meeting_date": "2024-11-07"]], line: 5, "previous_meeting_date", "differs"),
        ]

        @Test("a bad value quarantines its whole case, naming the line and column; the neighbouring cases come through",
              arguments: badCases)
        func badCase(_ bad: BadCase) throws {
            let text = PoliceCSV.file(MARACReader.columns, PoliceCSV.marac("MA000001") + PoliceCSV.marac("MA000002", bad.all, child: bad.child)
                                      + PoliceCSV.marac("MA000003", children: 1))
            let items = try PoliceCSV.readMARAC(text)
            let problems = PoliceCSV.problems(items)
            let problem = try #require(problems.first)
            #expect(problems.count == 1, "\(problems)")
            #expect(problem.line == bad.line && problem.field == bad.field)
            #expect(problem.reason.contains(bad.reason), "\(problem.reason)")
            #expect(PoliceCSV.cases(items).map(\.caseID) == ["MA000001", "MA000003"])
            #expect(PoliceCSV.cases(items).map(\.children.count) == [2, 1])
        }

        @Test("the postcode written another way agrees; a case's rows apart from each other are a problem")
        func grouping() throws {
            let agreeing = PoliceCSV.marac("MA000001", child: [2: ["victim_postcode": "eb1 2ab"]])
            #expect(PoliceCSV.problems(try PoliceCSV.readMARAC(PoliceCSV.file(MARACReader.columns, agreeing))).isEmpty)
            let first = PoliceCSV.marac("MA000001")
            let text = PoliceCSV.file(MARACReader.columns, [first[0]] + PoliceCSV.marac("MA000002", children: 0) + [first[1]])
            let items = try PoliceCSV.readMARAC(text)
            #expect(PoliceCSV.cases(items).map(\.caseID) == ["MA000001", "MA000002"])
            let problem = try #require(PoliceCSV.problems(items).first)
            #expect(problem.line == 4 && problem.field == "case_id" && problem.reason == "case MA000001's rows must be together (first at line 2)")
        }

        @Test("a <script> name is kept verbatim")
        func scriptName() throws {
            let text = PoliceCSV.file(MARACReader.columns, PoliceCSV.marac("MA000001", ["victim_forename": "<script>x</script>"],
                                                                           child: [1: ["child_surname": "<img src=x onerror=alert(1)>"]]))
            let c = try #require(PoliceCSV.cases(try PoliceCSV.readMARAC(text)).first)
            #expect(c.victimForename == "<script>x</script>" && c.children[0].surname == "<img src=x onerror=alert(1)>")
        }

        @Test("a missing column, an empty file, a file cut short and bytes that are not UTF-8 refuse the file")
        func structure() throws {
            do {
                _ = try PoliceCSV.readMARAC(PoliceCSV.file(MARACReader.columns.filter { $0 != "dash_score" }, []))
                Issue.record("read a file with a missing column")
            } catch let error as FeedFileError {
                #expect(error.message.hasPrefix("this is not a MARAC list: no column dash_score"), "\(error)")
            }
            #expect(throws: FeedFileError.self) { _ = try PoliceCSV.readMARAC("") }
            let full = PoliceCSV.file(MARACReader.columns, PoliceCSV.marac("MA000001"))
            #expect(throws: FeedFileError.self) { _ = try PoliceCSV.readMARAC(String(full.prefix(full.count - 20))) }
            var bytes = Array(full.utf8)
            bytes[bytes.count - 10] = 0xC3   // a lone lead byte
            #expect(throws: FeedFileError.self) {
                let reader = try MARACReader(reader: CSVReader(bytes: bytes), latestDate: PoliceCSV.today)
                while try reader.next() != nil {}
            }
        }
    }
}
