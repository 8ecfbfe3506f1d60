import EyesOnCore

// Pupils' characteristics from the school census, as the local authority's education team holds
// them: free school meals eligibility and special educational needs provision (an EHC plan, SEN
// support, or none), per pupil by UPN. Attendance of vulnerable groups counts by them.

/// The school census's special educational needs provision (`SENprovision`).
public enum SENProvision: String, Sendable, CaseIterable, Codable {
    /// An education, health and care plan.
    case ehcPlan = "E"
    case senSupport = "K"
    case none = "N"

    public var title: String {
        switch self {
        case .ehcPlan: "Education, health and care plan"
        case .senSupport: "SEN support"
        case .none: "No special educational need"
        }
    }
}

/// One pupil's characteristics: one row of the file, every value checked.
public struct PupilCharacteristics: Sendable, Equatable {
    public let line: Int
    public let upn: String
    public let freeSchoolMeals: Bool
    public let sen: SENProvision
}

/// Reads a pupil characteristics CSV, streaming: `upn,fsm_eligible,sen_provision` (any order, any
/// case, other columns ignored). `fsm_eligible` is `Y`/`N` (also `true`/`false`, `1`/`0`);
/// `sen_provision` the census code `E`, `K` or `N`. A UPN twice in one file is a problem on its
/// second row. A bad row is a ``RowProblem`` naming its line and column; a file that cannot be read
/// throws ``FeedFileError``. Used by one task at a time, hence unchecked.
public final class PupilCharacteristicsReader: @unchecked Sendable {
    public enum Item: Sendable, Equatable {
        case pupil(PupilCharacteristics)
        case problem(RowProblem)
    }

    public static let columns = ["upn", "fsm_eligible", "sen_provision"]
    public static let maximumFieldLength = 40

    public let name: String
    public private(set) var rowsRead = 0

    private let reader: CSVReader
    private let index: [Int]
    private let width: Int
    private var lines: [String: Int] = [:]

    public init(reader: CSVReader) throws(FeedFileError) {
        self.reader = reader
        self.name = reader.name
        let header = try reader.feedHeader(expected: Self.columns.joined(separator: ","))
        index = try CSVHeader(header.map { $0.lowercased() }).feedColumns(Self.columns, kind: "a pupil characteristics file", file: reader.name, line: reader.line)
        width = header.count
    }

    public convenience init(path: String) throws(FeedFileError) {
        try self.init(reader: CSVReader.openFeed(path))
    }

    /// The next pupil or row problem; nil at the end of the file.
    public func next() throws(FeedFileError) -> Item? {
        guard let read = try reader.feedRecord(width: width) else { return nil }
        rowsRead += 1
        let line = reader.line
        let record: [String]
        switch read {
        case .wrongWidth(let problem): return .problem(problem)
        case .fields(let row): record = row
        }
        let values = index.map { record[$0].trimmingSpaces }
        func problem(_ column: Int, _ reason: String) -> Item { .problem(RowProblem(line: line, field: Self.columns[column], value: values[column], reason: reason)) }
        for (k, v) in values.enumerated() where v.utf8.count > Self.maximumFieldLength {
            return problem(k, "is longer than \(Self.maximumFieldLength) characters")
        }
        let upn: String
        do { upn = try UPN(values[0]).value } catch { return problem(0, "is not a valid UPN: \(error.reason)") }
        if let first = lines[upn] { return problem(0, "appears twice (first at line \(first))") }
        let fsm: Bool
        switch values[1].lowercased() {
        case "y", "yes", "true", "1": fsm = true
        case "n", "no", "false", "0": fsm = false
        default: return problem(1, "must be Y or N")
        }
        guard let sen = SENProvision(rawValue: values[2].uppercased()) else { return problem(2, "must be the census code E (EHC plan), K (SEN support) or N (none)") }
        lines[upn] = line
        return .pupil(PupilCharacteristics(line: line, upn: upn, freeSchoolMeals: fsm, sen: sen))
    }
}
