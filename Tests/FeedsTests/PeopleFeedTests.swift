import Foundation
import Testing
import EyesOnCore
@testable import Feeds

/// The people feed's column mapping and reader, with small files written by hand (made-up
/// people, NHS numbers in the 999 test range).
@Suite("People feed reader")
struct PeopleFeedTests {
    static let today = CivilDate("2026-11-30")!
    static let mapping = try! PeopleColumnMapping(parsing: "id=YOT ref, first_name=Given name,surname=Family name,dob=Birth date,nhs_number=NHS,worker=Case worker")
    static let header = "YOT ref,Given name,Family name,Birth date,NHS,Case worker,Notes"

    static func read(_ lines: [String], mapping: PeopleColumnMapping = mapping) throws -> [PeopleCSVReader.Item] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-people-\(UUID().uuidString).csv")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try PeopleCSVReader(path: url.path, mapping: mapping, latestDate: today)
        var items: [PeopleCSVReader.Item] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    static func problem(_ item: PeopleCSVReader.Item?) -> RowProblem? {
        if case .problem(let p) = item { return p } else { return nil }
    }

    @Test("a mapping names fields and columns; a bad mapping says which part is wrong")
    func mappings() throws {
        #expect(Self.mapping.column(.id) == "YOT ref" && Self.mapping.column(.postcode) == "postcode", "an unmapped field reads its own name")
        #expect(Self.mapping.text == "id=YOT ref,first_name=Given name,surname=Family name,dob=Birth date,nhs_number=NHS,worker=Case worker")
        #expect(throws: CodeError.self) { try PeopleColumnMapping(parsing: "idYOT ref") }
        do { _ = try PeopleColumnMapping(parsing: "id=a,birthday=b"); Issue.record("an unknown field was taken") } catch {
            #expect(error.code == "birthday" && error.reason.contains("first_name"))
        }
        do { _ = try PeopleColumnMapping(parsing: "id=a,id=b"); Issue.record("a field mapped twice was taken") } catch {
            #expect(error.reason == "is mapped twice")
        }
        let decoded = try JSONDecoder().decode(PeopleColumnMapping.self, from: JSONEncoder().encode(Self.mapping))
        #expect(decoded == Self.mapping)
    }

    @Test("rows read through the mapping: both date forms, identifiers checked, other columns ignored")
    func reads() throws {
        let nhs = "9990000018"
        let items = try Self.read([Self.header, "YJ1,Tomas,Reyes,04/05/2011,\(nhs),Jo Worker,anything", "yj-2,Mia,Okafor,2012-01-31,,,"])
        #expect(items.count == 2)
        guard case .person(let first) = items[0], case .person(let second) = items[1] else { Issue.record("\(items)"); return }
        #expect(first == PersonRow(line: 2, localID: "YJ1", forename: "Tomas", surname: "Reyes", dateOfBirth: CivilDate("2011-05-04")!,
                                   nhsNumber: nhs, upn: nil, postcode: nil, sex: nil, worker: "Jo Worker"))
        #expect(second.dateOfBirth == CivilDate("2012-01-31") && second.nhsNumber == nil && second.worker == nil)
    }

    @Test("a bad row names its line and the file's own column; the rest are read")
    func badRows() throws {
        let items = try Self.read([Self.header,
                                   "YJ1,Tomas,Reyes,31/02/2011,,,",
                                   "YJ2,Mia,Okafor,2012-01-31,9990000019,,",
                                   "YJ3,,Okafor,2012-01-31,,,",
                                   "YJ4,Ada,Byrne,2027-01-01,,,",
                                   "YJ5,Ada,Byrne,1990-01-01,,,",
                                   "YJ6,Ada,Byrne,2012-01-31,,,",
                                   "YJ6,Ada,Byrne,2012-01-31,,,",
                                   "YJ 7,Ada,Byrne,2012-01-31,,,",
                                   "YJ8,Ada,Byrne,2012-01-31,,"])
        let problems = items.compactMap(Self.problem)
        #expect(problems.map(\.line) == [2, 3, 4, 5, 6, 8, 9, 10])
        #expect(problems.map(\.field) == ["Birth date", "NHS", "Given name", "Birth date", "Birth date", "YOT ref", "YOT ref", "row"])
        #expect(problems[1].reason.hasPrefix("is not a valid NHS number") && problems[5].reason == "appears twice (first at line 7)")
        #expect(items.count == 9 && items.filter { Self.problem($0) == nil }.count == 1)
    }

    @Test("a file without a mapped column, empty, or cut short is refused, naming the column and the mapping")
    func refusals() throws {
        do { _ = try Self.read(["ref,Given name,Family name,Birth date,NHS,Case worker", "YJ1,Tomas,Reyes,2011-05-04,,"]); Issue.record("read without its id column") } catch let error as FeedFileError {
            #expect(error.message.contains("no column YOT ref (mapped to id)") && error.message.contains("the file's columns are ref, Given name"))
        }
        do { _ = try Self.read(["id,first_name,surname"], mapping: PeopleColumnMapping()); Issue.record("read without dob") } catch let error as FeedFileError {
            #expect(error.message.hasPrefix("no column dob:"))
        }
        #expect(throws: FeedFileError.self) { _ = try Self.read([]) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-people-cut-\(UUID().uuidString).csv")
        try (Self.header + "\nYJ1,Tomas,Reyes,2011-05-04,,\"Jo").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try PeopleCSVReader(path: url.path, mapping: Self.mapping, latestDate: Self.today)
        #expect(throws: FeedFileError.self) { while try reader.next() != nil {} }
    }
}
