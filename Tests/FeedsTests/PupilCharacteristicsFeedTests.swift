import Foundation
import Testing
import EyesOnCore
@testable import Feeds

/// The school census's pupil characteristics CSV: small files written by hand (synthetic UPNs).
@Suite("Pupil characteristics feed reader")
struct PupilCharacteristicsFeedTests {
    static func read(_ text: String) throws -> [PupilCharacteristicsReader.Item] {
        let reader = try PupilCharacteristicsReader(reader: CSVReader(bytes: Array(text.utf8), name: "census.csv"))
        var items: [PupilCharacteristicsReader.Item] = []
        while let item = try reader.next() { items.append(item) }
        return items
    }

    @Test("rows are read in any column order and case, with Y/N or true/false and the census's SEN codes")
    func reads() throws {
        let items = try Self.read("SEN_Provision,UPN,fsm_eligible,Other\ne,A990200014017,Y,x\nN,A990200015018,false,\n")
        #expect(items == [.pupil(PupilCharacteristics(line: 2, upn: "A990200014017", freeSchoolMeals: true, sen: .ehcPlan)),
                          .pupil(PupilCharacteristics(line: 3, upn: "A990200015018", freeSchoolMeals: false, sen: .none))])
    }

    @Test("a bad row names its line and column: a UPN with a wrong check letter, a UPN twice, an answer that is not Y or N, an unknown SEN code, a short row")
    func badRows() throws {
        let items = try Self.read("""
            upn,fsm_eligible,sen_provision
            B990200014017,Y,E
            A990200014017,Y,E
            A990200014017,N,N
            A990200015018,maybe,N
            A990200015020,N,Q
            A990200015020,N

            """)
        let problems = items.compactMap { if case .problem(let p) = $0 { p } else { nil } }
        #expect(problems.map(\.line) == [2, 4, 5, 6, 7])
        #expect(problems.map(\.field) == ["upn", "upn", "fsm_eligible", "sen_provision", problems.last?.field ?? ""])
        #expect(problems[1].reason == "appears twice (first at line 3)")
        #expect(items.count == 6)
    }

    @Test("a file without the columns, or not UTF-8, is refused whole naming the file")
    func refused() {
        #expect(throws: FeedFileError.self) { _ = try Self.read("upn,fsm\nA990200014017,Y\n") }
        do {
            _ = try PupilCharacteristicsReader(reader: CSVReader(bytes: Array("upn,fsm_eligible,sen_provision\n".utf8) + [0xFF, 0xFE, 0x0A], name: "census.csv"))
                .next()
            Issue.record("bytes that are not UTF-8 were read")
        } catch {
            #expect(error.description.contains("census.csv"))
        }
    }
}
