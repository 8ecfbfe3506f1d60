import Foundation
import Testing
import EyesOnCore
@testable import Feeds
@testable import Synthetic

/// Small health caseload files, written by hand with synthetic values only: made-up names,
/// fictional Z9 ODS codes (as the synthetic area's), NHS numbers in the 999 test range with a
/// valid check digit, `EB` postcodes.
enum HealthCSV {
    static let today = CivilDate("2025-03-14")!
    static let allColumns = HealthCaseloadReader.columns + HealthCaseloadReader.optionalColumns

    /// `999` and six digits, with its check digit.
    static func nhs(_ n: Int) -> String {
        let nine = "999" + String(1_000_000 + n).dropFirst()
        return nine + String(NHSNumber.checkDigit(forFirstNine: nine)!)
    }

    /// A pre-school child on the health visitors' caseload.
    static let defaults: [String: String] = [
        "ods_code": "Z9H", "caseload_type": "health-visiting", "local_id": "HV1000001", "nhs_number": nhs(1),
        "forename": "Isla", "surname": "Hartley", "date_of_birth": "2023-06-01", "expected_date_of_birth": "", "sex": "F",
        "postcode": "EB1 2AB", "address": "12 Mill Lane, Eastbury", "gp_practice": "Z90001", "mother_local_id": "",
        "named_professional": "", "concerns": "",
    ]

    /// A mother's own midwifery row (an adult: the 25-year limit does not apply to her).
    static let mother: [String: String] = [
        "ods_code": "Z9M", "caseload_type": "midwifery", "local_id": "MAT1000001", "nhs_number": nhs(2),
        "forename": "Amelia", "surname": "Hartley", "date_of_birth": "1990-04-12", "sex": "F",
    ]

    /// Her unborn baby's maternity record: no forename, the mother's surname, an expected date only.
    static let unborn: [String: String] = [
        "ods_code": "Z9M", "caseload_type": "midwifery", "local_id": "MAT1000002", "nhs_number": "",
        "forename": "", "surname": "Hartley", "date_of_birth": "", "expected_date_of_birth": "2025-06-20", "sex": "U",
        "mother_local_id": "MAT1000001",
    ]

    static func row(_ changes: [String: String] = [:], columns: [String] = allColumns) -> String {
        columns.map { quoted(changes[$0] ?? defaults[$0] ?? "") }.joined(separator: ",")
    }

    static func file(_ rows: [String], columns: [String] = allColumns) -> String {
        ([columns.joined(separator: ",")] + rows).joined(separator: "\r\n") + "\r\n"
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func read(_ text: String) throws -> [HealthCaseloadReader.Item] {
        try read(CSVReader(string: text, name: "health-caseload.csv"))
    }

    static func read(_ reader: CSVReader) throws -> [HealthCaseloadReader.Item] {
        let caseload = try HealthCaseloadReader(reader: reader, latestDate: today)
        var items: [HealthCaseloadReader.Item] = []
        while let item = try caseload.next() { items.append(item) }
        return items
    }

    static func entries(_ items: [HealthCaseloadReader.Item]) -> [HealthCaseloadEntry] {
        items.compactMap { if case .entry(let e) = $0 { e } else { nil } }
    }

    static func problems(_ items: [HealthCaseloadReader.Item]) -> [RowProblem] {
        items.compactMap { if case .problem(let p) = $0 { p } else { nil } }
    }
}

@Suite("Health caseload reader")
struct HealthFeedTests {
    @Test("a synthetic area's health caseload reads with no problems, one entry per row, matching the synthetic truth")
    func syntheticArea() throws {
        let area = SyntheticArea.generate(AreaConfiguration(children: 3_000, seed: 20_250_314, asOf: CivilDate("2025-03-14")!))
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("health-feed-tests-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try area.writeExtracts(to: directory)
        let url = directory.appendingPathComponent("health-caseload.csv")

        let reader = try HealthCaseloadReader(path: url.path, latestDate: area.configuration.asOf)
        var items: [HealthCaseloadReader.Item] = []
        while let item = try reader.next() { items.append(item) }
        let problems = HealthCSV.problems(items)
        #expect(problems.isEmpty, "problems: \(problems.prefix(5))")
        let entries = HealthCSV.entries(items)
        let (header, rows) = try CSVReader(path: url.path).readAll()
        #expect(entries.count == rows.count && reader.rowsRead == rows.count)
        #expect(entries.count == area.caseloads.count)
        #expect(Set(entries.map(\.caseload)) == Set(HealthCaseloadEntry.Caseload.allCases), "all three caseloads")
        for (truth, read) in zip(area.caseloads, entries) {
            #expect(read.odsCode == truth.odsCode && read.localID == truth.localID && read.caseload.rawValue == truth.caseloadType)
            #expect(read.motherLocalID == truth.motherLocalID)
            #expect(read.namedProfessional == nil && read.concerns == false, "the synthetic file has no optional columns")
        }

        // The "A & B" surname, verbatim.
        let surname = try #require(header.firstIndex(of: "surname"))
        let ampersands = entries.filter { $0.surname.contains(" & ") }
        #expect(ampersands.count == 1 && ampersands.first?.caseload == .healthVisiting)
        if let e = ampersands.first { #expect(e.surname == rows[e.line - 2][surname]) }

        // Unborn babies: an empty forename, an expected date and no date of birth, a mother given earlier.
        let unbornIDs = Set(area.caseloads.filter { area.people[$0.personID - 1].kind == .unbornChild }.map(\.localID))
        let unborn = entries.filter { unbornIDs.contains($0.localID) }
        #expect(unborn.count > 0 && unborn.count == unbornIDs.count)
        for baby in unborn {
            #expect(baby.caseload == .midwifery && baby.forename.isEmpty && !baby.surname.isEmpty)
            #expect(baby.expectedDateOfBirth != nil && baby.dateOfBirth == nil && baby.motherLocalID != nil)
        }
        #expect(entries.filter { $0.forename.isEmpty }.count == unborn.count, "only the unborn have no forename")
        let lines = Dictionary(uniqueKeysWithValues: entries.map { ($0.localID, $0.line) })
        #expect(entries.allSatisfy { e in e.motherLocalID.map { lines[$0]! < e.line } ?? true }, "mothers come first")
        #expect(entries.contains { $0.motherLocalID == nil && $0.caseload == .midwifery && ($0.dateOfBirth.map { $0 < area.configuration.asOf.adding(years: -25) } ?? false) },
                "some mothers are over 25")
    }

    @Test("a good file: values canonical, columns in any order, extra columns ignored")
    func goodFile() throws {
        var columns = HealthCaseloadReader.columns.reversed() as [String]
        columns.insert("team", at: 4)
        let text = HealthCSV.file([
            HealthCSV.row(["ods_code": "z9h", "caseload_type": "Health-Visiting", "nhs_number": "999 000 0018", "postcode": "eb12ab",
                           "gp_practice": "z90001", "sex": "f", "team": "North"], columns: columns),
            HealthCSV.row(["ods_code": "Z9S", "caseload_type": "school-nursing", "local_id": "SN/2025_01-7", "nhs_number": "",
                           "forename": "Noah", "surname": "O'Brien", "date_of_birth": "2014-09-30", "sex": "", "postcode": "",
                           "address": "", "gp_practice": ""], columns: columns),
        ], columns: columns)
        let items = try HealthCSV.read(text)
        #expect(items == [
            .entry(HealthCaseloadEntry(line: 2, odsCode: "Z9H", caseload: .healthVisiting, localID: "HV1000001", nhsNumber: "9990000018",
                                       forename: "Isla", surname: "Hartley", dateOfBirth: CivilDate("2023-06-01"), expectedDateOfBirth: nil,
                                       sex: .female, postcode: "EB1 2AB", address: "12 Mill Lane, Eastbury", gpPractice: "Z90001",
                                       motherLocalID: nil, namedProfessional: nil, concerns: false)),
            .entry(HealthCaseloadEntry(line: 3, odsCode: "Z9S", caseload: .schoolNursing, localID: "SN/2025_01-7", nhsNumber: nil,
                                       forename: "Noah", surname: "O'Brien", dateOfBirth: CivilDate("2014-09-30"), expectedDateOfBirth: nil,
                                       sex: nil, postcode: nil, address: nil, gpPractice: nil,
                                       motherLocalID: nil, namedProfessional: nil, concerns: false)),
        ])
    }

    @Test("a mother's row, then her unborn baby's and her newborn's: all delivered, the mother of any age")
    func mothersAndBabies() throws {
        let newborn = ["ods_code": "Z9M", "caseload_type": "midwifery", "local_id": "MAT1000003", "nhs_number": HealthCSV.nhs(3),
                       "forename": "Freya", "date_of_birth": "2025-03-01", "mother_local_id": "MAT1000001"]
        let text = HealthCSV.file([HealthCSV.row(HealthCSV.mother), HealthCSV.row(HealthCSV.unborn), HealthCSV.row(newborn)])
        let items = try HealthCSV.read(text)
        #expect(HealthCSV.problems(items).isEmpty, "\(HealthCSV.problems(items))")
        let entries = HealthCSV.entries(items)
        #expect(entries.map(\.localID) == ["MAT1000001", "MAT1000002", "MAT1000003"])
        #expect(entries[0].dateOfBirth == CivilDate("1990-04-12") && entries[0].motherLocalID == nil)
        let baby = entries[1]
        #expect(baby.forename == "" && baby.surname == "Hartley" && baby.dateOfBirth == nil)
        #expect(baby.expectedDateOfBirth == CivilDate("2025-06-20") && baby.sex == .unknown && baby.nhsNumber == nil)
        #expect(baby.motherLocalID == "MAT1000001" && entries[2].motherLocalID == "MAT1000001")
    }

    @Test("the limits themselves are accepted: a child of exactly 25 years, an expected date exactly 10 months on, born today")
    func limits() throws {
        let text = HealthCSV.file([
            HealthCSV.row(["local_id": "HV1", "date_of_birth": "2000-03-14"]),
            HealthCSV.row(["local_id": "HV2", "date_of_birth": "2025-03-14"]),
            HealthCSV.row(HealthCSV.mother),
            HealthCSV.row(HealthCSV.unborn.merging(["expected_date_of_birth": "2026-01-14"]) { $1 }),
            HealthCSV.row(HealthCSV.unborn.merging(["local_id": "MAT1000003", "expected_date_of_birth": "2025-03-01"]) { $1 }),
        ])
        let items = try HealthCSV.read(text)
        #expect(HealthCSV.problems(items).isEmpty, "\(HealthCSV.problems(items))")
        #expect(HealthCSV.entries(items).count == 5)
    }

    struct BadRow: Sendable, CustomTestStringConvertible {
        let change: [String: String]
        let field: String
        let reason: String
        var testDescription: String { "\(field): \(change)" }
    }

    static let badRows: [BadRow] = [
        BadRow(change: ["ods_code": "Z9-H"], field: "ods_code", reason: "is not an ODS code: may contain only letters and digits"),
        BadRow(change: ["ods_code": "Z9"], field: "ods_code", reason: "is not an ODS code: must be 3 to 6"),
        BadRow(change: ["ods_code": ""], field: "ods_code", reason: "is empty"),
        BadRow(change: ["caseload_type": "nursery"], field: "caseload_type", reason: "must be health-visiting, midwifery or school-nursing"),
        BadRow(change: ["caseload_type": ""], field: "caseload_type", reason: "is empty"),
        BadRow(change: ["local_id": "HV 1000002"], field: "local_id", reason: "must be 1 to 40 letters, digits, '-', '/' and '_'"),
        BadRow(change: ["local_id": String(repeating: "7", count: 41)], field: "local_id", reason: "must be 1 to 40"),
        BadRow(change: ["local_id": ""], field: "local_id", reason: "is empty"),
        BadRow(change: ["local_id": "HV1000001"], field: "local_id", reason: "appears twice (first at line 2)"),
        BadRow(change: ["nhs_number": "9990000019"], field: "nhs_number", reason: "the check digit should be 8, not 9"),
        BadRow(change: ["nhs_number": "999000001"], field: "nhs_number", reason: "must be 10 digits"),
        BadRow(change: ["nhs_number": "9990000140"], field: "nhs_number", reason: "no valid NHS number starts with 999000014"),
        BadRow(change: ["date_of_birth": ""], field: "date_of_birth", reason: "is empty, and so is expected_date_of_birth"),
        BadRow(change: ["date_of_birth": "01/06/2023"], field: "date_of_birth", reason: "is not a date (YYYY-MM-DD)"),
        BadRow(change: ["date_of_birth": "2025-03-15"], field: "date_of_birth", reason: "is after 2025-03-14: a date of birth cannot be in the future"),
        BadRow(change: ["date_of_birth": "2000-03-13"], field: "date_of_birth", reason: "is more than 25 years before 2025-03-14"),
        BadRow(change: ["date_of_birth": "", "forename": "", "expected_date_of_birth": "2026-01-15"], field: "expected_date_of_birth",
               reason: "is more than 10 months after 2025-03-14"),
        BadRow(change: ["date_of_birth": "", "expected_date_of_birth": "2025-13-01"], field: "expected_date_of_birth", reason: "is not a date"),
        BadRow(change: ["expected_date_of_birth": "2025-06-20"], field: "expected_date_of_birth", reason: "is given with a date of birth"),
        BadRow(change: ["forename": ""], field: "forename", reason: "only an unborn baby (an expected date, no date of birth) may have no forename"),
        BadRow(change: ["surname": ""], field: "surname", reason: "is empty"),
        BadRow(change: ["sex": "X"], field: "sex", reason: "must be M, F or U"),
        BadRow(change: ["postcode": "EB1 2CC"], field: "postcode", reason: "is not a valid postcode"),
        BadRow(change: ["postcode": "EB1"], field: "postcode", reason: "is not a valid postcode"),
        BadRow(change: ["gp_practice": "Z9000001"], field: "gp_practice", reason: "is not an ODS code"),
        BadRow(change: ["concerns": "maybe"], field: "concerns", reason: "must be yes or no"),
        BadRow(change: ["mother_local_id": "MAT9999999"], field: "mother_local_id", reason: "names no midwifery row of Z9H before this one"),
        BadRow(change: ["address": String(repeating: "a", count: 101)], field: "address", reason: "is longer than 100 characters"),
        BadRow(change: ["named_professional": String(repeating: "b", count: 101)], field: "named_professional", reason: "is longer than 100 characters"),
    ]

    @Test("a bad value makes its row a problem, naming the line and column; the neighbours come through", arguments: badRows)
    func badRow(_ bad: BadRow) throws {
        let text = HealthCSV.file([
            HealthCSV.row(),
            HealthCSV.row(["local_id": "HV1000002", "nhs_number": HealthCSV.nhs(2), "forename": "Leo"].merging(bad.change) { $1 }),
            HealthCSV.row(["local_id": "HV1000003", "nhs_number": HealthCSV.nhs(3), "forename": "Freya"]),
        ])
        let items = try HealthCSV.read(text)
        let problems = HealthCSV.problems(items)
        let problem = try #require(problems.first)
        #expect(problems.count == 1, "\(problems)")
        #expect(problem.line == 3 && problem.field == bad.field, "\(problem)")
        #expect(problem.reason.contains(bad.reason), "\(problem.reason)")
        #expect(HealthCSV.entries(items).map(\.line) == [2, 4])
        #expect(HealthCSV.entries(items).map(\.forename) == ["Isla", "Freya"])
        if case .problem = items[1] {} else { Issue.record("the problem comes in the row's place: \(items)") }
    }

    struct BadMother: Sendable, CustomTestStringConvertible {
        let name: String
        let rows: [[String: String]]
        let line: Int
        let reason: String
        var testDescription: String { name }
    }

    static let badMothers: [BadMother] = [
        BadMother(name: "the baby before the mother", rows: [HealthCSV.unborn, HealthCSV.mother], line: 2,
                  reason: "names no midwifery row of Z9M before this one: a mother's own row comes before her babies' rows"),
        BadMother(name: "the mother under another ODS code",
                  rows: [HealthCSV.mother.merging(["ods_code": "Z9N"]) { $1 }, HealthCSV.unborn], line: 3,
                  reason: "names no midwifery row of Z9M before this one"),
        BadMother(name: "the mother on another caseload",
                  rows: [HealthCSV.mother.merging(["caseload_type": "health-visiting", "date_of_birth": "2010-01-01"]) { $1 }, HealthCSV.unborn],
                  line: 3, reason: "names no midwifery row of Z9M before this one"),
        BadMother(name: "the baby names itself",
                  rows: [HealthCSV.mother, HealthCSV.unborn.merging(["mother_local_id": "MAT1000002"]) { $1 }], line: 3,
                  reason: "names no midwifery row of Z9M before this one"),
        BadMother(name: "the baby names another baby",
                  rows: [HealthCSV.mother, HealthCSV.unborn,
                         HealthCSV.unborn.merging(["local_id": "MAT1000003", "mother_local_id": "MAT1000002"]) { $1 }], line: 4,
                  reason: "names line 3, a baby's row (it has a mother_local_id of its own), not a mother's"),
        BadMother(name: "the mother's row was not accepted",
                  rows: [HealthCSV.mother.merging(["postcode": "EB1 2CC"]) { $1 }, HealthCSV.unborn], line: 3,
                  reason: "names the mother's row at line 2, which was not accepted (see its problem)"),
    ]

    @Test("a mother_local_id must name an accepted mother's midwifery row given earlier with the same ODS code", arguments: badMothers)
    func badMother(_ bad: BadMother) throws {
        let items = try HealthCSV.read(HealthCSV.file(bad.rows.map { HealthCSV.row($0) }))
        let problem = try #require(HealthCSV.problems(items).last)
        #expect(problem.line == bad.line && problem.field == "mother_local_id", "\(problem)")
        #expect(problem.reason.contains(bad.reason), "\(problem.reason)")
        let good = HealthCSV.entries(items)
        #expect(good.count + HealthCSV.problems(items).count == bad.rows.count)
        #expect(!good.contains { $0.line == bad.line })
    }

    @Test("an adult is refused on the health visitors' caseload, and on midwifery as a baby, but not as a mother")
    func adults() throws {
        let text = HealthCSV.file([
            HealthCSV.row(["date_of_birth": "1990-04-12"]),
            HealthCSV.row(HealthCSV.mother),
            HealthCSV.row(HealthCSV.unborn.merging(["forename": "Amelia", "date_of_birth": "1990-04-12", "expected_date_of_birth": ""]) { $1 }),
        ])
        let items = try HealthCSV.read(text)
        #expect(HealthCSV.problems(items).map(\.line) == [2, 4])
        #expect(HealthCSV.problems(items).allSatisfy { $0.field == "date_of_birth" && $0.reason.contains("more than 25 years before") })
        #expect(HealthCSV.entries(items).map(\.localID) == ["MAT1000001"])
    }

    @Test("a local id given twice under one ODS code is a problem; under two ODS codes it is not")
    func duplicates() throws {
        let text = HealthCSV.file([
            HealthCSV.row(),
            HealthCSV.row(["ods_code": "Z9S", "caseload_type": "school-nursing"]),
            HealthCSV.row(["ods_code": "z9h", "forename": "Isla-Rose"]),
            HealthCSV.row(["ods_code": "Z9H", "postcode": "EB1 2CC"]),
        ])
        let items = try HealthCSV.read(text)
        #expect(HealthCSV.entries(items).map(\.line) == [2, 3])
        let problems = HealthCSV.problems(items)
        #expect(problems.map(\.line) == [4, 5] && problems.allSatisfy { $0.field == "local_id" })
        #expect(problems.allSatisfy { $0.reason == "appears twice (first at line 2) for ODS code Z9H" }, "\(problems)")
    }

    @Test("without the optional columns: no named professional, no concerns")
    func optionalColumnsAbsent() throws {
        let items = try HealthCSV.read(HealthCSV.file([HealthCSV.row(columns: HealthCaseloadReader.columns)], columns: HealthCaseloadReader.columns))
        let entry = try #require(HealthCSV.entries(items).first)
        #expect(items.count == 1 && entry.namedProfessional == nil && entry.concerns == false)
    }

    @Test("with the optional columns: the named professional as given, concerns in any of their spellings")
    func optionalColumnsPresent() throws {
        let answers: [(String, Bool)] = [("yes", true), ("Y", true), ("TRUE", true), ("1", true), ("Yes", true),
                                         ("no", false), ("N", false), ("False", false), ("0", false), ("", false)]
        var columns = HealthCaseloadReader.optionalColumns.reversed() + HealthCaseloadReader.columns
        columns[0] = "CONCERNS"
        let rows = answers.enumerated().map { k, answer in
            HealthCSV.row(["local_id": "HV\(k)", "concerns": answer.0, "CONCERNS": answer.0,
                           "named_professional": k == 0 ? "Jo Whitfield, Health Visitor" : ""], columns: columns)
        }
        let items = try HealthCSV.read(HealthCSV.file(rows, columns: columns))
        #expect(HealthCSV.problems(items).isEmpty, "\(HealthCSV.problems(items))")
        let entries = HealthCSV.entries(items)
        #expect(entries.map(\.concerns) == answers.map(\.1))
        #expect(entries.map(\.namedProfessional) == ["Jo Whitfield, Health Visitor"] + Array(repeating: nil, count: answers.count - 1))
    }

    @Test("a <script> forename, quotes, commas and an ampersand are kept verbatim: they are only text")
    func hostileNames() throws {
        let text = HealthCSV.file([HealthCSV.row(["forename": "<script>alert(1)</script>", "surname": "O'Brien, \"Isla\" & <b>Hartley</b>",
                                                  "named_professional": "<img src=x onerror=alert(1)>"])])
        let entry = try #require(HealthCSV.entries(try HealthCSV.read(text)).first)
        #expect(entry.forename == "<script>alert(1)</script>")
        #expect(entry.surname == "O'Brien, \"Isla\" & <b>Hartley</b>")
        #expect(entry.namedProfessional == "<img src=x onerror=alert(1)>")
    }

    @Test("a row of the wrong length is a problem; the rows around it come through")
    func wrongLength() throws {
        let text = HealthCSV.file([HealthCSV.row(), HealthCSV.row(["local_id": "HV2"]) + ",extra", HealthCSV.row(["local_id": "HV3"])])
        let reader = try HealthCaseloadReader(reader: CSVReader(string: text), latestDate: HealthCSV.today)
        var items: [HealthCaseloadReader.Item] = []
        while let item = try reader.next() { items.append(item) }
        #expect(HealthCSV.entries(items).map(\.localID) == ["HV1000001", "HV3"] && reader.rowsRead == 3)
        let problem = try #require(HealthCSV.problems(items).first)
        #expect(problem.line == 3 && problem.field == "row" && problem.reason == "has 16 columns; the header has 15")
    }

    @Test("a missing column, an empty file and a header alone")
    func structure() throws {
        let columns = HealthCaseloadReader.columns.filter { $0 != "mother_local_id" && $0 != "expected_date_of_birth" }
        do {
            _ = try HealthCSV.read(HealthCSV.file([], columns: columns + HealthCaseloadReader.optionalColumns))
            Issue.record("read a file with missing columns")
        } catch let error as FeedFileError {
            #expect(error.line == 1 && error.message.hasPrefix("this is not a health caseload file: no columns expected_date_of_birth, mother_local_id"), "\(error)")
        }
        do {
            _ = try HealthCSV.read("")
            Issue.record("read an empty file")
        } catch let error as FeedFileError {
            #expect(error.message.hasPrefix("the file is empty"))
        }
        #expect(try HealthCSV.read(HealthCSV.file([])).isEmpty)
        #expect(try HealthCSV.read(HealthCSV.file([], columns: HealthCaseloadReader.columns)).isEmpty, "the optional columns are optional")
    }

    @Test("a file cut short part-way through a row, or inside a quoted field, is refused; a last row without its line end is not")
    func cutShort() throws {
        let full = HealthCSV.file([HealthCSV.row(), HealthCSV.row(["local_id": "HV2"])])   // ends "\r\n", one Character
        let cut = String(full.dropLast(1).split(separator: ",", omittingEmptySubsequences: false).dropLast(4).joined(separator: ","))
        do {
            _ = try HealthCSV.read(cut)
            Issue.record("read a file cut short")
        } catch let error as FeedFileError {
            #expect(error.line == 3 && error.message.contains("cut short"), "\(error)")
        }
        do {
            _ = try HealthCSV.read(full + "Z9H,health-visiting,HV3,,\"Noah")
            Issue.record("read a file cut inside a quote")
        } catch let error as FeedFileError {
            #expect(error.message.contains("never closed"), "\(error)")
        }
        #expect(HealthCSV.entries(try HealthCSV.read(String(full.dropLast(1)))).count == 2)
    }

    @Test("bytes that are not UTF-8 refuse the file, naming the line")
    func notUTF8() throws {
        let text = HealthCSV.file([HealthCSV.row(), HealthCSV.row(["local_id": "HV2", "forename": "Zoë"])])
        var bytes = Array(text.utf8)
        let at = try #require(bytes.indices.first { bytes[$0] == 0xC3 })   // the first byte of ë
        bytes[at] = 0xFF
        do {
            _ = try HealthCSV.read(CSVReader(bytes: bytes, name: "health-caseload.csv"))
            Issue.record("read bytes that are not UTF-8")
        } catch let error as FeedFileError {
            #expect(error.line == 3 && error.message.contains("not UTF-8"), "\(error)")
        }
    }

    @Test("a file that does not exist cannot be opened")
    func noFile() {
        #expect(throws: FeedFileError.self) { _ = try HealthCaseloadReader(path: "/nonexistent/health-caseload.csv", latestDate: HealthCSV.today) }
    }
}
