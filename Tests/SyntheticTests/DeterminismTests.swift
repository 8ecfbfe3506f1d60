import EyesOnCore
import Foundation
import Testing
@testable import Synthetic

@Suite("Determinism")
struct DeterminismTests {
    static func write(_ config: AreaConfiguration, _ tag: String) throws -> (URL, [ExtractFile]) {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("synthetic-determinism-\(ProcessInfo.processInfo.processIdentifier)-\(tag)")
        try? FileManager.default.removeItem(at: dir)
        let files = try SyntheticArea.generate(config).writeExtracts(to: dir)
        return (dir, files)
    }

    @Test("the same seed and as-of date give byte-identical extracts")
    func sameSeedSameBytes() throws {
        let config = AreaConfiguration(children: 2_000, seed: 7, asOf: CivilDate("2025-03-10")!)
        let (a, filesA) = try Self.write(config, "a")
        let (b, filesB) = try Self.write(config, "b")
        #expect(filesA == filesB)
        #expect(filesA.count == 13, "CIN, five SSDA903 tables, referrals, attendance, roll, MARAC, incidents, health, truth")
        for file in filesA {
            let x = try Data(contentsOf: a.appendingPathComponent(file.name))
            let y = try Data(contentsOf: b.appendingPathComponent(file.name))
            #expect(x == y, "\(file.name) differs between two runs with the same seed")
            #expect(x.count == file.bytes, "\(file.name): reported \(file.bytes) bytes, wrote \(x.count)")
        }
        try? FileManager.default.removeItem(at: a)
        try? FileManager.default.removeItem(at: b)
    }

    @Test("a different seed gives a different area")
    func differentSeedDifferentArea() throws {
        let asOf = CivilDate("2025-03-10")!
        let one = SyntheticArea.generate(AreaConfiguration(children: 2_000, seed: 7, asOf: asOf))
        let two = SyntheticArea.generate(AreaConfiguration(children: 2_000, seed: 8, asOf: asOf))
        let namesOne = one.people.prefix(200).map { "\($0.givenName) \($0.familyName) \($0.dateOfBirth?.description ?? "")" }
        let namesTwo = two.people.prefix(200).map { "\($0.givenName) \($0.familyName) \($0.dateOfBirth?.description ?? "")" }
        #expect(namesOne != namesTwo)
        #expect(one.people.compactMap(\.nhsNumber).prefix(50) != two.people.compactMap(\.nhsNumber).prefix(50))
        let (a, _) = try Self.write(AreaConfiguration(children: 2_000, seed: 7, asOf: asOf), "c")
        let (b, _) = try Self.write(AreaConfiguration(children: 2_000, seed: 8, asOf: asOf), "d")
        #expect(try Data(contentsOf: a.appendingPathComponent("truth.csv")) != Data(contentsOf: b.appendingPathComponent("truth.csv")))
        try? FileManager.default.removeItem(at: a)
        try? FileManager.default.removeItem(at: b)
    }

    @Test("the requested number of children is generated exactly")
    func exactChildCount() {
        for n in [1, 37, 1_000] {
            let area = SyntheticArea.generate(AreaConfiguration(children: n, seed: 3, asOf: CivilDate("2025-01-15")!))
            #expect(area.people.filter { $0.kind == .child }.count == n)
            #expect(area.people.enumerated().allSatisfy { $0.offset + 1 == $0.element.id })
        }
    }
}
