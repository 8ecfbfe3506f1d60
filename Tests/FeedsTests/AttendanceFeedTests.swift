import Testing
import EyesOnCore
@testable import Feeds

@Suite("Attendance file reader")
struct AttendanceFeedTests {
    static let header = "school_urn,upn,forename,surname,date_of_birth,date,session,code"
    static let today = CivilDate(year: 2026, month: 12, day: 2)!

    static func items(_ text: String, onlyURN: Int? = nil) throws -> [AttendanceFeedReader.Item] {
        let reader = try AttendanceFeedReader(reader: CSVReader(string: text, name: "marks.csv"), onlyURN: onlyURN, latestDate: today)
        var items: [AttendanceFeedReader.Item] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    @Test("a good row becomes a mark with its code's meaning; columns may come in any order")
    func goodRow() throws {
        let items = try Self.items("code,session,date,date_of_birth,surname,forename,upn,school_urn\nN,AM,2026-12-01,2015-03-04,Pupil,Ada,A123456789012,123456\n")
        guard case .row(let row) = try #require(items.first) else { Issue.record("not a row"); return }
        #expect(row.urn == 123456 && row.upn == "A123456789012" && row.line == 2)
        #expect(row.mark.isUnexplained && row.mark.countsAsAbsent && row.mark.codeText == "N")
    }

    @Test("legacy codes are accepted for sessions before 19 August 2024 and refused after")
    func legacyCodes() throws {
        let items = try Self.items("\(Self.header)\n123456,A123456789012,A,B,,2024-07-01,AM,H\n123456,A123456789012,A,B,,2024-09-02,AM,H\n")
        guard case .row = items[0], case .problem(let p) = items[1] else { Issue.record("wrong items \(items)"); return }
        #expect(p.line == 3 && p.field == "code" && p.reason.contains("retired on 2024-08-19"))
    }

    @Test("a missing column, an empty file and a wrong-length row are named")
    func structure() throws {
        #expect(throws: FeedFileError.self) { _ = try Self.items("school_urn,upn,date\n1,2,3\n") }
        #expect(throws: FeedFileError.self) { _ = try Self.items("") }
        let items = try Self.items("\(Self.header)\n123456,A123456789012,A\n")
        guard case .problem(let p) = try #require(items.first) else { Issue.record("not a problem"); return }
        #expect(p.field == "row" && p.reason.contains("3 columns"))
    }

    @Test("BackgroundBatches hands over every item in order, then the error")
    func batches() throws {
        var n = 0
        let batches = BackgroundBatches<Int, FeedFileError>(batchSize: 7, maxQueued: 2) { () throws(FeedFileError) -> Int? in
            n += 1
            if n > 100 { throw FeedFileError(file: "f", message: "stop") }
            return n
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
}
