import EyesOnCore

// The generic people feed: any agency without a format of its own (a youth justice service, a
// Virtual School, a voluntary sector partner) sends the people it works with as a CSV whose
// columns are named by a column mapping, one row per person.

/// Which of a file's columns holds each field of the people feed. The field names are those of
/// `eyeson link --map`: `id`, `first_name`, `surname`, `dob`, `nhs_number`, `upn`, `postcode`,
/// `sex`, and `worker` (the agency's named worker).
public struct PeopleColumnMapping: Sendable, Equatable, Codable {
    public enum Field: String, Sendable, CaseIterable, Codable {
        case id, firstName = "first_name", surname, dob, nhsNumber = "nhs_number", upn, postcode, sex, worker

        /// Every file must have these columns.
        public var isRequired: Bool { [.id, .firstName, .surname, .dob].contains(self) }
    }

    /// Field → column name; a field not named maps to a column of its own name, if there is one.
    public var columns: [Field: String]

    public init(_ columns: [Field: String] = [:]) {
        self.columns = columns
    }

    /// The column for `field`: the mapped one, else the field's own name.
    public func column(_ field: Field) -> String { columns[field] ?? field.rawValue }

    /// `id=YOT ref,first_name=Given name,dob=Birth date`: fields and columns, comma-separated
    /// (a column name may hold spaces, not commas or '=').
    public init(parsing text: String) throws(CodeError) {
        var columns: [Field: String] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pieces[0]).trimmingSpaces
            guard pieces.count == 2, !name.isEmpty else {
                throw CodeError(list: "column mapping", code: String(part), reason: "must be field=column, e.g. id=YOT ref")
            }
            guard let field = Field(rawValue: name.lowercased()) else {
                throw CodeError(list: "column mapping", code: name,
                                reason: "is not a field; the fields are \(Field.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let column = String(pieces[1]).trimmingSpaces
            guard !column.isEmpty, column.count <= 100 else {
                throw CodeError(list: "column mapping", code: String(part), reason: "names no column (or one longer than 100 characters)")
            }
            guard columns[field] == nil else { throw CodeError(list: "column mapping", code: name, reason: "is mapped twice") }
            columns[field] = column
        }
        self.columns = columns
    }

    /// As `eyeson import people --map` takes it, fields in their usual order.
    public var text: String {
        Field.allCases.compactMap { f in columns[f].map { "\(f.rawValue)=\($0)" } }.joined(separator: ",")
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: String].self)
        var columns: [Field: String] = [:]
        for (key, value) in raw {
            guard let field = Field(rawValue: key) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(key)' is not a people-feed field"))
            }
            columns[field] = value
        }
        self.columns = columns
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Dictionary(uniqueKeysWithValues: columns.map { ($0.key.rawValue, $0.value) }))
    }
}

/// One person an agency works with: one row of a people CSV, every value checked.
public struct PersonRow: Sendable, Equatable {
    public let line: Int
    /// The agency's own id for the person: 1 to 40 letters, digits, '-', '/' and '_'; once per file.
    public let localID: String
    public let forename: String
    public let surname: String
    /// Not after the reader's `latestDate` nor more than 25 years before it.
    public let dateOfBirth: CivilDate
    /// Ten digits with a valid check digit; nil when empty or not mapped.
    public let nhsNumber: String?
    /// A valid UPN, canonical; nil when empty or not mapped.
    public let upn: String?
    public let postcode: String?
    public let sex: Sex?
    public let worker: String?
}

/// Reads a people CSV through its column mapping, streaming, one row at a time (as the other
/// CSV readers). The mapped columns must all be in the header (matched in any case); other
/// columns are ignored. Each row is checked — the id (1 to 40 letters, digits, '-', '/', '_', once
/// in the file), a forename and surname, the date of birth (`YYYY-MM-DD` or `DD/MM/YYYY`, not in
/// the future, at most 25 years ago: the feed is of children and young people), the NHS number's
/// check digit, the UPN's check letter, the postcode, sex (M, F, U, male, female, 1, 2), no value
/// longer than 100 characters — and a bad row is a ``RowProblem`` naming its line and the column
/// as the file names it. A file that cannot be read (empty, not UTF-8, a mapped column missing, cut
/// short) throws ``FeedFileError``. Used by one task at a time, hence unchecked.
public final class PeopleCSVReader: @unchecked Sendable {
    public enum Item: Sendable, Equatable {
        case person(PersonRow)
        case problem(RowProblem)
    }

    public static let maximumFieldLength = 100

    public let name: String
    public private(set) var rowsRead = 0

    private let reader: CSVReader
    /// Per field (in ``PeopleColumnMapping/Field`` order), its column's position; nil when the
    /// field is optional and the file has no column for it.
    private let index: [Int?]
    /// Per field, the column's name as the file's header gives it.
    private let names: [String]
    private let width: Int
    private let latestDate: CivilDate
    private let earliestBirth: CivilDate
    private var lines: [String: Int] = [:]

    public init(reader: CSVReader, mapping: PeopleColumnMapping, latestDate: CivilDate) throws(FeedFileError) {
        self.reader = reader
        self.name = reader.name
        self.latestDate = latestDate
        earliestBirth = latestDate.adding(years: -25)
        let fields = PeopleColumnMapping.Field.allCases
        let header = try reader.feedHeader(expected: "the columns \(fields.filter(\.isRequired).map { mapping.column($0) }.joined(separator: ","))")
        let columns = CSVHeader(header.map { $0.lowercased() })
        var index: [Int?] = []
        var missing: [String] = []
        for field in fields {
            let named = mapping.column(field)
            let position = columns.column(named.lowercased())
            if position == nil && (field.isRequired || mapping.columns[field] != nil) {
                missing.append(mapping.columns[field] == nil ? named : "\(named) (mapped to \(field.rawValue))")
            }
            index.append(position)
        }
        guard missing.isEmpty else {
            throw FeedFileError(file: reader.name, line: reader.line, message: "no column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")): say which column holds each field with a column mapping (e.g. id=YOT ref,first_name=Given name,surname=Family name,dob=Date of birth); the file's columns are \(header.joined(separator: ", "))")
        }
        self.index = index
        self.names = zip(fields, index).map { field, position in position.map { CSVHeader.trimmed(header[$0]) } ?? mapping.column(field) }
        width = header.count
    }

    public convenience init(path: String, mapping: PeopleColumnMapping, latestDate: CivilDate) throws(FeedFileError) {
        try self.init(reader: CSVReader.openFeed(path), mapping: mapping, latestDate: latestDate)
    }

    /// The next person or row problem; nil at the end of the file.
    public func next() throws(FeedFileError) -> Item? {
        guard let read = try reader.feedRecord(width: width) else { return nil }
        rowsRead += 1
        let line = reader.line
        let record: [String]
        switch read {
        case .wrongWidth(let problem): return .problem(problem)
        case .fields(let row): record = row
        }
        let values = index.map { $0.map { record[$0].trimmingSpaces } ?? "" }
        func problem(_ field: PeopleColumnMapping.Field, _ reason: String) -> Item {
            .problem(RowProblem(line: line, field: names[field.index], value: values[field.index], reason: reason))
        }
        func value(_ field: PeopleColumnMapping.Field) -> String? { values[field.index].isEmpty ? nil : values[field.index] }
        for field in PeopleColumnMapping.Field.allCases where values[field.index].utf8.count > Self.maximumFieldLength {
            return problem(field, "is longer than \(Self.maximumFieldLength) characters")
        }
        guard let localID = value(.id) else { return problem(.id, "is empty; every row needs the agency's own id for the person") }
        guard AgencyLocalID.isValid(localID) else { return problem(.id, "must be 1 to 40 letters, digits, '-', '/' and '_'") }
        if let first = lines[localID] { return problem(.id, "appears twice (first at line \(first))") }
        lines[localID] = line
        guard let forename = value(.firstName) else { return problem(.firstName, "is empty; every row needs the person's forename") }
        guard let surname = value(.surname) else { return problem(.surname, "is empty; every row needs the person's surname") }
        guard let dobText = value(.dob) else { return problem(.dob, "is empty; every row needs the date of birth") }
        guard let dob = CivilDate(dayMonthYearOrISO: dobText) else { return problem(.dob, "is not a date (YYYY-MM-DD or DD/MM/YYYY)") }
        guard dob <= latestDate else { return problem(.dob, "is after \(latestDate): a date of birth cannot be in the future") }
        guard dob >= earliestBirth else { return problem(.dob, "is more than 25 years before \(latestDate): the feed is of children and young people") }
        var nhs: String? = nil
        if let text = value(.nhsNumber) {
            do { nhs = try NHSNumber(text).digits } catch { return problem(.nhsNumber, "is not a valid NHS number: \(error.reason)") }
        }
        var upn: String? = nil
        if let text = value(.upn) {
            do { upn = try UPN(text).value } catch { return problem(.upn, "is not a valid UPN: \(error.reason)") }
        }
        var postcode: String? = nil
        if let text = value(.postcode) {
            do { postcode = try Postcode(text).normalised } catch { return problem(.postcode, "is not a valid postcode: \(error.reason)") }
        }
        var sex: Sex? = nil
        if let text = value(.sex) {
            switch text.lowercased() {
            case "m", "male", "1": sex = .male
            case "f", "female", "2": sex = .female
            case "u", "unknown", "not known", "0", "9": sex = .unknown
            default: return problem(.sex, "must be M, F or U (or male, female, unknown; 1, 2)")
            }
        }
        return .person(PersonRow(line: line, localID: localID, forename: forename, surname: surname, dateOfBirth: dob, nhsNumber: nhs,
                                 upn: upn, postcode: postcode, sex: sex, worker: value(.worker)))
    }
}

/// An agency's own id for a person (a health system's, a youth justice service's): 1 to 40
/// letters, digits, '-', '/' and '_'.
enum AgencyLocalID {
    static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 40 && text.utf8.allSatisfy { b in
            (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "/") || b == UInt8(ascii: "_")
        }
    }
}

extension PeopleColumnMapping.Field {
    /// The field's position in `allCases`.
    var index: Int { Self.allCases.firstIndex(of: self)! }
}
