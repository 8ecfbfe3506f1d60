// libFuzzer entry point for every agency file reader (issue 9, item 6).
//
// scripts/fuzz builds it with `--sanitize=fuzzer -Xswiftc -DEYESON_FUZZ`, which links libFuzzer's
// own main. Built without them (a plain `swift build`), it is a replayer instead: it reads each
// file named on its command line once, so the corpus can be run anywhere. One binary serves every
// reader: EYESON_FUZZ_READER names the one to drive (see `FuzzReader`). Each input is handed to the
// reader exactly as an upload would be; the reader may refuse it (a FeedFileError or a row problem
// is the right answer to bad input), but it must never crash, hang or run out of memory.
import EyesOnCore
import Feeds
import Foundation

/// The readers, by the name scripts/fuzz and the corpus folders (Fuzz/corpus/NAME) use.
enum FuzzReader: String, CaseIterable {
    case attendance, cin, ssda903csv, ssda903xml, marac, incidents, health, referrals, people, characteristics

    /// A date late enough for the seeds' dates (the synthetic area's) to be in the past.
    static let latest = CivilDate("2027-03-31")!

    /// Reads `bytes` to the end with this reader, discarding what it yields.
    func read(_ bytes: [UInt8]) {
        do {
            switch self {
            case .attendance:
                let reader = try AttendanceFeedReader(reader: CSVReader(bytes: bytes, name: "attendance.csv"), latestDate: Self.latest)
                while try reader.next() != nil {}
            case .health:
                let reader = try HealthCaseloadReader(reader: CSVReader(bytes: bytes, name: "health.csv"), latestDate: Self.latest)
                while try reader.next() != nil {}
            case .incidents:
                let reader = try PoliceIncidentReader(reader: CSVReader(bytes: bytes, name: "incidents.csv"), latestDate: Self.latest)
                while try reader.next() != nil {}
            case .marac:
                let reader = try MARACReader(reader: CSVReader(bytes: bytes, name: "marac.csv"), latestDate: Self.latest)
                while try reader.next() != nil {}
            case .referrals:
                let reader = try ReferralReader(reader: CSVReader(bytes: bytes, name: "referrals.csv"), latestDate: Self.latest)
                while try reader.next() != nil {}
            case .people:
                let reader = try PeopleCSVReader(reader: CSVReader(bytes: bytes, name: "people.csv"), mapping: PeopleColumnMapping(), latestDate: Self.latest)
                while try reader.next() != nil {}
            case .characteristics:
                let reader = try PupilCharacteristicsReader(reader: CSVReader(bytes: bytes, name: "characteristics.csv"))
                while try reader.next() != nil {}
            case .cin:
                try CINCensusReader(data: Data(bytes), name: "cin.xml", expectedLEA: "990").read { _ in }
            case .ssda903xml:
                try withScratch { folder in
                    let file = folder.appendingPathComponent("ssda903.xml")
                    try Data(bytes).write(to: file)
                    try SSDA903Reader(path: file.path, latestDate: Self.latest).read { _ in }
                }
            case .ssda903csv:
                // One input holds the return's tables in this order, separated by NUL bytes; a
                // table that is not there (fewer parts) is a file that is not there.
                try withScratch { folder in
                    let names = ["header.csv", "episodes.csv", "missing.csv", "reviews.csv", "oc3.csv"]
                    for (name, part) in zip(names, bytes.split(separator: 0, omittingEmptySubsequences: false)) {
                        try Data(part).write(to: folder.appendingPathComponent(name))
                    }
                    try SSDA903Reader(path: folder.path, latestDate: Self.latest).read { _ in }
                }
            }
        } catch {
            // Refusing the input is a right answer; only a crash is a finding. Every error must
            // still say something (an empty message would leave the user nothing to act on).
            if String(describing: error).isEmpty { fatalError("\(self): an error with no message") }
        }
    }

    private func withScratch(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-fuzz-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    /// The reader EYESON_FUZZ_READER names; the process stops at once on a missing or wrong name.
    static let chosen: FuzzReader = {
        let name = ProcessInfo.processInfo.environment["EYESON_FUZZ_READER"] ?? ""
        guard let reader = FuzzReader(rawValue: name) else {
            FileHandle.standardError.write(Data("EYESON_FUZZ_READER must be one of: \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return reader
    }()
}

#if !EYESON_FUZZ
@main
enum Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(1)
            }
            FuzzReader.chosen.read(Array(data))
        }
    }
}
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzReader.chosen.read(bytes)
    return 0
}
