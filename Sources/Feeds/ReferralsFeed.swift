import EyesOnCore

// The front door's referrals to children's social care, as its case system exports them through
// the year (the CIN census has them only once a year, after the event): one CSV row per referral.

/// What the front door decided about a referral.
public enum ReferralOutcome: String, Sendable, CaseIterable, Codable {
    case pending
    case noFurtherAction = "no-further-action"
    case informationAndAdvice = "information-and-advice"
    case earlyHelp = "early-help"
    case assessment
    case section47 = "section-47"

    public var title: String {
        switch self {
        case .pending: "Decision pending"
        case .noFurtherAction: "No further action"
        case .informationAndAdvice: "Information and advice"
        case .earlyHelp: "Early help"
        case .assessment: "Assessment"
        case .section47: "Section 47 enquiry"
        }
    }
}

/// One referral: one row of a referrals CSV, every value checked.
public struct FrontDoorReferral: Sendable, Equatable {
    public let line: Int
    /// The case system's reference for the referral (1 to 40 letters, digits, '-', '/', '_'); once per file.
    public let referralID: String
    /// The local authority's child ID, as ``IdentifierKind/laChildID`` normalises it.
    public let laChildID: String
    public let upn: String?
    public let nhsNumber: String?
    public let forename: String
    public let surname: String
    /// Nil for an unborn child.
    public let dateOfBirth: CivilDate?
    /// Not in the future, not before the date of birth.
    public let referralDate: CivilDate
    /// A CIN census ReferralSource code.
    public let source: String
    public let outcome: ReferralOutcome
    /// When the decision was made: not before the referral, not in the future; nil while pending.
    public let decisionDate: CivilDate?
    /// The team that holds the child's case (the case system's name for it); nil when not given.
    public var team: String? = nil
}

/// Reads a referrals CSV, streaming: `referral_id,la_child_id,upn,nhs_number,forename,surname,
/// date_of_birth,referral_date,source,outcome` and optionally `decision_date` and `team` (any order, any case,
/// other columns ignored). Dates `YYYY-MM-DD`. The source is a CIN census ReferralSource code; the
/// outcome one of ``ReferralOutcome`` (`pending` has no decision date; in a file with the column,
/// every other outcome has one).
/// A bad row is a ``RowProblem`` naming its line and column; a file that cannot be read throws
/// ``FeedFileError``. Used by one task at a time, hence unchecked.
public final class ReferralReader: @unchecked Sendable {
    public enum Item: Sendable, Equatable {
        case referral(FrontDoorReferral)
        case problem(RowProblem)
    }

    public static let columns = ["referral_id", "la_child_id", "upn", "nhs_number", "forename", "surname", "date_of_birth", "referral_date", "source", "outcome"]
    public static let optionalColumns = ["decision_date", "team"]
    public static let maximumFieldLength = 100

    public let name: String
    public private(set) var rowsRead = 0

    private let reader: CSVReader
    private let index: [Int?]
    private let width: Int
    private let latestDate: CivilDate
    private var lines: [String: Int] = [:]

    public init(reader: CSVReader, latestDate: CivilDate) throws(FeedFileError) {
        self.reader = reader
        self.name = reader.name
        self.latestDate = latestDate
        let header = try reader.feedHeader(expected: Self.columns.joined(separator: ","))
        let names = CSVHeader(header.map { $0.lowercased() })
        let required = try names.feedColumns(Self.columns, kind: "a referrals file", file: reader.name, line: reader.line)
        index = required + Self.optionalColumns.map { names.column($0) }
        width = header.count
    }

    public convenience init(path: String, latestDate: CivilDate) throws(FeedFileError) {
        try self.init(reader: CSVReader.openFeed(path), latestDate: latestDate)
    }

    /// The next referral or row problem; nil at the end of the file.
    public func next() throws(FeedFileError) -> Item? {
        guard let read = try reader.feedRecord(width: width) else { return nil }
        rowsRead += 1
        let line = reader.line
        let record: [String]
        switch read {
        case .wrongWidth(let problem): return .problem(problem)
        case .fields(let row): record = row
        }
        let names = Self.columns + Self.optionalColumns
        let values = index.map { $0.map { record[$0].trimmingSpaces } ?? "" }
        func problem(_ column: Int, _ reason: String) -> Item { .problem(RowProblem(line: line, field: names[column], value: values[column], reason: reason)) }
        func value(_ column: Int) -> String? { values[column].isEmpty ? nil : values[column] }
        func date(_ column: Int) -> CivilDate?? { value(column).map { CivilDate($0) } }
        for (k, v) in values.enumerated() where v.utf8.count > Self.maximumFieldLength {
            return problem(k, "is longer than \(Self.maximumFieldLength) characters")
        }
        guard let referralID = value(0) else { return problem(0, "is empty; every row needs the referral's reference") }
        guard AgencyLocalID.isValid(referralID) else { return problem(0, "must be 1 to 40 letters, digits, '-', '/' and '_'") }
        if let first = lines[referralID] { return problem(0, "appears twice (first at line \(first))") }
        lines[referralID] = line
        let laChildID: String
        do { laChildID = try IdentifierKind.laChildID.normalised(values[1]) } catch { return problem(1, "is not an LA child ID: \(error.reason)") }
        var upn: String? = nil
        if let text = value(2) {
            do { upn = try UPN(text).value } catch { return problem(2, "is not a valid UPN: \(error.reason)") }
        }
        var nhs: String? = nil
        if let text = value(3) {
            do { nhs = try NHSNumber(text).digits } catch { return problem(3, "is not a valid NHS number: \(error.reason)") }
        }
        guard let forename = value(4) else { return problem(4, "is empty; every row needs the child's forename") }
        guard let surname = value(5) else { return problem(5, "is empty; every row needs the child's surname") }
        let dob: CivilDate?
        switch date(6) {
        case .none: dob = nil
        case .some(.none): return problem(6, "is not a date (YYYY-MM-DD)")
        case .some(.some(let d)):
            guard d <= latestDate else { return problem(6, "is after \(latestDate): a date of birth cannot be in the future") }
            // Also keeps the unborn allowance below in the calendar (year 1 less 10 months
            // stopped the process: found by fuzzing, Fuzz/regressions/referrals).
            guard d.year >= 1900 else { return problem(6, "is before 1900: not a child's date of birth") }
            dob = d
        }
        guard case .some(.some(let referred)) = date(7) else { return problem(7, values[7].isEmpty ? "is empty; every row needs the referral date" : "is not a date (YYYY-MM-DD)") }
        guard referred <= latestDate else { return problem(7, "is after \(latestDate): a referral cannot be in the future") }
        guard referred.year >= 1900 else { return problem(7, "is before 1900: not a referral date") }
        if let dob, referred < dob.adding(months: -10) { return problem(7, "is before \(dob), the date of birth (less 10 months for an unborn child)") }
        let source: String
        do { source = try ReferralSource.parse(values[8]).rawValue } catch { return problem(8, error.reason) }
        guard let outcome = ReferralOutcome(rawValue: values[9].lowercased()) else {
            return problem(9, "must be \(ReferralOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let decided: CivilDate?
        switch date(10) {
        case .none:
            guard outcome == .pending || index[10] == nil else { return problem(10, "is empty; a referral with an outcome has the day it was decided") }
            decided = nil
        case .some(.none): return problem(10, "is not a date (YYYY-MM-DD)")
        case .some(.some(let d)):
            guard outcome != .pending else { return problem(10, "is given for a pending referral: a decision date goes with an outcome") }
            guard d >= referred else { return problem(10, "is before the referral (\(referred))") }
            guard d <= latestDate else { return problem(10, "is after \(latestDate): a decision cannot be in the future") }
            decided = d
        }
        return .referral(FrontDoorReferral(line: line, referralID: referralID, laChildID: laChildID, upn: upn, nhsNumber: nhs, forename: forename,
                                           surname: surname, dateOfBirth: dob, referralDate: referred, source: source, outcome: outcome,
                                           decisionDate: decided, team: value(11)))
    }
}
