import EyesOnCore

// The health services' caseloads (health visiting, midwifery, school nursing): one CSV row per
// person on a caseload, read as `AttendanceFeedReader` reads its marks, one row at a time.

/// One person on a health caseload: one row of `health-caseload.csv`, every value checked.
public struct HealthCaseloadEntry: Sendable, Equatable {
    /// Which service's caseload the person is on.
    public enum Caseload: String, Sendable, CaseIterable {
        case healthVisiting = "health-visiting"
        case midwifery
        case schoolNursing = "school-nursing"
    }

    public let line: Int
    /// The organisation holding the caseload: an ODS code, upper case.
    public let odsCode: String
    public let caseload: Caseload
    /// The health system's own id for the person: 1 to 40 letters, digits, '-', '/' and '_'.
    /// Unique within ``odsCode`` in one file.
    public let localID: String
    /// The ten digits (spaces and hyphens removed), with a valid check digit; nil when empty.
    public let nhsNumber: String?
    /// Empty only for an unborn baby (an expected date, no date of birth).
    public let forename: String
    public let surname: String
    /// Not after the reader's `latestDate`; nil for an unborn baby.
    public let dateOfBirth: CivilDate?
    /// An unborn baby's (then ``dateOfBirth`` is nil); at most 10 months after `latestDate`.
    public let expectedDateOfBirth: CivilDate?
    public let sex: Sex?
    /// Canonical (`SW1A 1AA`); nil when empty.
    public let postcode: String?
    /// As given; nil when empty.
    public let address: String?
    /// The GP practice's ODS code, upper case; nil when empty.
    public let gpPractice: String?
    /// The ``localID`` of the mother's own midwifery row, given before this row in the file with
    /// the same ``odsCode``; nil when empty.
    public let motherLocalID: String?
    /// From the optional `named_professional` column; nil when empty or when the file has no such column.
    public let namedProfessional: String?
    /// From the optional `concerns` column; false when empty or when the file has no such column.
    public let concerns: Bool
}

/// Reads a health caseload CSV, streaming: `ods_code,caseload_type,local_id,nhs_number,forename,
/// surname,date_of_birth,expected_date_of_birth,sex,postcode,address,gp_practice,mother_local_id`
/// (any column order, extra columns ignored), and the optional `named_professional` (text) and
/// `concerns` (yes/no, y/n, true/false or 1/0 in any case; empty is no). One row per person on a
/// caseload.
///
/// Each row is checked, and a bad row comes back as a ``RowProblem`` naming its line and column
/// (its first problem only); the row is not delivered. The ODS code and GP practice are ODS
/// codes; the caseload type is `health-visiting`, `midwifery` or `school-nursing`; the local id
/// is 1 to 40 letters, digits, '-', '/' and '_', and appears once per ODS code in the file; an
/// NHS number, when given, has a valid check digit. A row gives a date of birth, or an unborn
/// baby's expected date of birth and no date of birth (then, and only then, the forename may be
/// empty); the surname is required. A date of birth is not after `latestDate` nor more than 25
/// years before it (the caseloads are of children) — except a mother's own row, a midwifery row
/// with no `mother_local_id`, which may be of any age. An expected date is not more than 10
/// months after `latestDate`. Sex is M, F or U; the postcode is a valid one (canonical); `concerns`
/// is one of its yes/no spellings. No field is longer than ``maximumFieldLength`` (100) characters.
///
/// A `mother_local_id` must name a midwifery row given EARLIER in the file with the same
/// `ods_code`, which is itself a mother's own row (no `mother_local_id` of its own) and was
/// accepted: a mother's row comes before her babies' (the synthetic area writes them so).
///
/// A file that cannot be read — not CSV, not UTF-8, empty, a missing column, cut short part-way
/// through a row — throws ``FeedFileError`` and nothing in it is to be applied.
/// Used by one task at a time (it is handed to the import's transaction), hence unchecked.
public final class HealthCaseloadReader: @unchecked Sendable {
    public enum Item: Sendable, Equatable {
        case entry(HealthCaseloadEntry)
        case problem(RowProblem)
    }

    /// The required columns.
    public static let columns = ["ods_code", "caseload_type", "local_id", "nhs_number", "forename", "surname", "date_of_birth",
                                 "expected_date_of_birth", "sex", "postcode", "address", "gp_practice", "mother_local_id"]
    /// Read when the file has them; a file without them is read as if they were empty.
    public static let optionalColumns = ["named_professional", "concerns"]
    /// Longer than any real name, code or address: a longer field is a row problem, not stored.
    public static let maximumFieldLength = 100

    public let name: String
    /// Rows read (good and bad), not counting the header.
    public private(set) var rowsRead = 0

    private let reader: CSVReader
    /// The position of each column in `CaseloadColumn` order; nil for an optional column the file lacks.
    private let index: [Int?]
    private let width: Int
    private let latestDate: CivilDate
    /// The latest expected date and the earliest date of birth accepted.
    private let latestExpected: CivilDate
    private let earliestBirth: CivilDate

    /// The line of each (ODS code, local id) seen, to tell one given twice.
    private var lines: [CaseloadKey: Int] = [:]
    /// Each midwifery row seen, for the `mother_local_id` of the rows after it.
    private var midwifery: [CaseloadKey: MidwiferyRow] = [:]

    // Values repeat row after row (a few organisations, practices and dates): each distinct text
    // is checked once.
    private var odsCodes: [String: String] = [:]
    private var dates: [String: CivilDate] = [:]
    private var postcodes: [String: String] = [:]
    private static let cacheLimit = 200_000

    /// - Parameter latestDate: the day the caseload is as of: a date of birth after it is a
    ///   problem; the 25-year and 10-month limits count from it.
    public init(reader: CSVReader, latestDate: CivilDate) throws(FeedFileError) {
        self.reader = reader
        self.name = reader.name
        self.latestDate = latestDate
        latestExpected = latestDate.adding(months: 10)
        earliestBirth = latestDate.adding(years: -25)
        let header = try reader.feedHeader(expected: "\(Self.columns.joined(separator: ","))")
        let names = CSVHeader(header.map { $0.lowercased() })
        let required = try names.feedColumns(Self.columns, kind: "a health caseload file", file: reader.name, line: 1)
        index = required + Self.optionalColumns.map { names.column($0) }
        width = header.count
    }

    public convenience init(path: String, latestDate: CivilDate) throws(FeedFileError) {
        try self.init(reader: CSVReader.openFeed(path), latestDate: latestDate)
    }

    /// The next entry or row problem; nil at the end of the file.
    public func next() throws(FeedFileError) -> Item? {
        guard let read = try reader.feedRecord(width: width) else { return nil }
        rowsRead += 1
        let line = reader.line
        let fields: [String]
        switch read {
        case .wrongWidth(let problem): return .problem(problem)
        case .fields(let row): fields = row
        }
        let row = CaseloadRow(line: line, fields: index.map { $0.map { fields[$0].trimmingSpaces } ?? "" })
        for column in CaseloadColumn.allCases where row[column].utf8.count > Self.maximumFieldLength {
            return .problem(RowProblem(line: line, field: column.name, value: row[column],
                                       reason: "is longer than \(Self.maximumFieldLength) characters"))
        }
        do throws(CaseloadRefusal) {
            return .entry(try entry(row))
        } catch {
            return .problem(error.problem)
        }
    }

    // MARK: - The checks

    private func entry(_ row: CaseloadRow) throws(CaseloadRefusal) -> HealthCaseloadEntry {
        let ods = try odsCode(row, .odsCode, required: "every row needs the ODS code of the organisation whose caseload it is")!
        let localID = row[.localID]
        guard !localID.isEmpty else { throw row.problem(.localID, "is empty; every row needs the health system's local id for the person") }
        guard AgencyLocalID.isValid(localID) else { throw row.problem(.localID, "must be 1 to 40 letters, digits, '-', '/' and '_'") }
        let key = CaseloadKey(odsCode: ods, localID: localID)
        if let first = lines[key] { throw row.problem(.localID, "appears twice (first at line \(first)) for ODS code \(ods)") }
        lines[key] = row.line

        let caseloadText = row[.caseloadType]
        let kinds = HealthCaseloadEntry.Caseload.allCases.map(\.rawValue)
        let kindNames = "\(kinds.dropLast().joined(separator: ", ")) or \(kinds.last!)"
        guard !caseloadText.isEmpty else { throw row.problem(.caseloadType, "is empty; every row needs its caseload type (\(kindNames))") }
        guard let caseload = HealthCaseloadEntry.Caseload(rawValue: caseloadText) ?? HealthCaseloadEntry.Caseload(rawValue: caseloadText.lowercased()) else {
            throw row.problem(.caseloadType, "must be \(kindNames)")
        }
        // A midwifery row is remembered, accepted or not, for the babies' rows after it.
        let motherLocalID = row.optional(.motherLocalID)
        var accepted = false
        defer {
            if caseload == .midwifery {
                midwifery[key] = MidwiferyRow(line: row.line, accepted: accepted, isMother: motherLocalID == nil)
            }
        }

        var nhsNumber: String? = nil
        if let text = row.optional(.nhsNumber) {
            do { nhsNumber = try NHSNumber(text).digits } catch {
                throw row.problem(.nhsNumber, "is not a valid NHS number: \(error.reason)")
            }
        }

        let dateOfBirth = try date(row, .dateOfBirth)
        let expected = try date(row, .expectedDateOfBirth)
        if let dateOfBirth {
            guard dateOfBirth <= latestDate else {
                throw row.problem(.dateOfBirth, "is after \(latestDate): a date of birth cannot be in the future")
            }
            if expected != nil {
                throw row.problem(.expectedDateOfBirth, "is given with a date of birth: a baby who is born has a date of birth, an unborn baby only an expected date")
            }
            let mothersOwn = caseload == .midwifery && motherLocalID == nil
            guard dateOfBirth >= earliestBirth || mothersOwn else {
                throw row.problem(.dateOfBirth, "is more than 25 years before \(latestDate): the caseloads are of children (only a mother's own midwifery row, with no mother_local_id, may be older)")
            }
        } else if let expected {
            guard expected <= latestExpected else {
                throw row.problem(.expectedDateOfBirth, "is more than 10 months after \(latestDate): it cannot be a pregnancy's expected date")
            }
        } else {
            throw row.problem(.dateOfBirth, "is empty, and so is expected_date_of_birth: a row needs a date of birth, or an unborn baby's expected date")
        }
        let unborn = dateOfBirth == nil

        let forename = row[.forename]
        if forename.isEmpty && !unborn {
            throw row.problem(.forename, "is empty; only an unborn baby (an expected date, no date of birth) may have no forename")
        }
        let surname = row[.surname]
        if surname.isEmpty {
            throw row.problem(.surname, "is empty; every row needs a surname (an unborn baby's is the mother's)")
        }

        var sex: Sex? = nil
        if let text = row.optional(.sex) {
            guard let s = Sex(rawValue: text.uppercased()) else { throw row.problem(.sex, "must be M, F or U (not known)") }
            sex = s
        }
        let postcode = try postcode(row)
        let gpPractice = try odsCode(row, .gpPractice)
        let concerns = try Self.yesNo(row, .concerns)

        if let mother = motherLocalID {
            guard let named = midwifery[CaseloadKey(odsCode: ods, localID: mother)] else {
                throw row.problem(.motherLocalID, "names no midwifery row of \(ods) before this one: a mother's own row comes before her babies' rows")
            }
            guard named.isMother else {
                throw row.problem(.motherLocalID, "names line \(named.line), a baby's row (it has a mother_local_id of its own), not a mother's")
            }
            guard named.accepted else {
                throw row.problem(.motherLocalID, "names the mother's row at line \(named.line), which was not accepted (see its problem)")
            }
        }

        accepted = true
        return HealthCaseloadEntry(line: row.line, odsCode: ods, caseload: caseload, localID: localID, nhsNumber: nhsNumber,
                                   forename: forename, surname: surname, dateOfBirth: dateOfBirth, expectedDateOfBirth: expected,
                                   sex: sex, postcode: postcode, address: row.optional(.address), gpPractice: gpPractice,
                                   motherLocalID: motherLocalID, namedProfessional: row.optional(.namedProfessional),
                                   concerns: concerns)
    }

    /// An ODS code, upper case; nil when empty, unless `required` says why it is needed.
    private func odsCode(_ row: CaseloadRow, _ column: CaseloadColumn, required: String? = nil) throws(CaseloadRefusal) -> String? {
        let text = row[column]
        if text.isEmpty {
            if let required { throw row.problem(column, "is empty; \(required)") }
            return nil
        }
        if let known = odsCodes[text] { return known }
        let code: String
        do { code = try ODSCode(text).value } catch {
            throw row.problem(column, "is not an ODS code: \(error.reason)")
        }
        remember(code, for: text, in: &odsCodes)
        return code
    }

    /// `YYYY-MM-DD`; nil when empty.
    private func date(_ row: CaseloadRow, _ column: CaseloadColumn) throws(CaseloadRefusal) -> CivilDate? {
        let text = row[column]
        if text.isEmpty { return nil }
        if let known = dates[text] { return known }
        guard let date = CivilDate(text) else { throw row.problem(column, "is not a date (YYYY-MM-DD)") }
        remember(date, for: text, in: &dates)
        return date
    }

    /// Canonical (`SW1A 1AA`); nil when empty.
    private func postcode(_ row: CaseloadRow) throws(CaseloadRefusal) -> String? {
        let text = row[.postcode]
        if text.isEmpty { return nil }
        if let known = postcodes[text] { return known }
        let canonical: String
        do { canonical = try Postcode(text).normalised } catch {
            throw row.problem(.postcode, "is not a valid postcode: \(error.reason)")
        }
        remember(canonical, for: text, in: &postcodes)
        return canonical
    }

    private func remember<V>(_ value: V, for text: String, in table: inout [String: V]) {
        if table.count >= Self.cacheLimit { table.removeAll(keepingCapacity: true) }
        table[text] = value
    }

    /// yes/no, y/n, true/false or 1/0 in any case; empty (or the column absent) is no.
    private static func yesNo(_ row: CaseloadRow, _ column: CaseloadColumn) throws(CaseloadRefusal) -> Bool {
        switch row[column].lowercased() {
        case "yes", "y", "true", "1": return true
        case "no", "n", "false", "0", "": return false
        default: throw row.problem(column, "must be yes or no (or y/n, true/false, 1/0); empty is no")
        }
    }
}

// MARK: - Rows

/// The reader's columns: the required ones, then the optional ones, in the order of their names.
private enum CaseloadColumn: Int, CaseIterable {
    case odsCode, caseloadType, localID, nhsNumber, forename, surname, dateOfBirth, expectedDateOfBirth
    case sex, postcode, address, gpPractice, motherLocalID
    case namedProfessional, concerns

    static let names = HealthCaseloadReader.columns + HealthCaseloadReader.optionalColumns
    var name: String { Self.names[rawValue] }
}

/// A row problem: the row is not delivered.
private struct CaseloadRefusal: Error {
    let problem: RowProblem
}

/// One data row, its columns trimmed, in `CaseloadColumn` order (an absent optional column is empty).
private struct CaseloadRow {
    let line: Int
    let fields: [String]

    subscript(_ column: CaseloadColumn) -> String { fields[column.rawValue] }

    func optional(_ column: CaseloadColumn) -> String? { self[column].isEmpty ? nil : self[column] }

    func problem(_ column: CaseloadColumn, _ reason: String) -> CaseloadRefusal {
        CaseloadRefusal(problem: RowProblem(line: line, field: column.name, value: self[column], reason: reason))
    }
}

/// A person's key on the caseloads of one file.
private struct CaseloadKey: Hashable {
    let odsCode: String
    let localID: String
}

/// A midwifery row, for the `mother_local_id` of the rows after it.
private struct MidwiferyRow {
    let line: Int
    /// Delivered as an entry (not a problem).
    let accepted: Bool
    /// A mother's own row: it has no `mother_local_id`.
    let isMother: Bool
}
