import EyesOnCore

// The police's domestic abuse incidents (for Operation Encompass) and the MARAC list
// (STANDARDS §7): CSV files in which one record — an incident, a MARAC case — spans several
// consecutive rows, one per party or per child, the record's own columns repeated on each.
// Both readers share one driver, `GroupedRecords`, which reads and checks the rows, groups them
// by the record's key (the first column) and applies each record whole.

// MARK: - Police domestic abuse incidents

/// One party to a police-attended domestic abuse incident: one row of `police-incidents.csv`.
public struct IncidentParty: Sendable, Equatable {
    public let line: Int
    /// `party_number`: 1, 2, 3… within the incident.
    public let number: Int
    public enum Role: String, Sendable, CaseIterable { case victim, suspect, child }
    public let role: Role
    /// May be empty (a suspect not yet named, a child whose name was not taken).
    public let forename: String
    public let surname: String
    public let dateOfBirth: CivilDate?
    public let sex: Sex?
    public let schoolURN: Int?
    /// How the child was there (Operation Encompass, STANDARDS §7.2).
    public enum Presence: String, Sendable, CaseIterable { case present, witnessed, involved }
    /// Required for a child, nil otherwise (a victim's or suspect's `child_presence` is not read).
    public let presence: Presence?
}

/// A police-attended domestic abuse incident with its parties, every value checked.
public struct PoliceIncident: Sendable, Equatable {
    /// The line of the incident's first row.
    public let line: Int
    /// The police reference: 1 to 40 letters, digits, '/' and '-'.
    public let reference: String
    /// From `occurred_at`, `YYYY-MM-DDTHH:MM[:SS]` (local time; a space for the `T` is accepted).
    public let date: CivilDate
    /// Minutes after midnight, 0…1439.
    public let minuteOfDay: Int
    /// Canonical (`SW1A 1AA`); nil when empty.
    public let postcode: String?
    /// `standard`, `medium` or `high`; nil when empty.
    public let riskLevel: String?
    /// In file order.
    public let parties: [IncidentParty]
}

/// Reads a police domestic abuse incidents CSV, streaming, one incident at a time:
/// `reference,occurred_at,postcode,risk_level,party_number,role,forename,surname,date_of_birth,
/// sex,school_urn,child_presence` (any column order, extra columns ignored), one row per party,
/// an incident's rows together.
///
/// An incident is applied whole: one bad row makes the whole incident a ``RowProblem`` (its first
/// problem only, naming the line and column), delivered when the incident's rows end. Every row
/// of an incident must give the same `occurred_at`, `postcode` and `risk_level`; a child party
/// needs its `child_presence`; party numbers are unique within the incident; an incident cannot
/// be after `latestDate`. An incident whose rows reappear later in the file, apart from the
/// first ones, is a problem. An incident with no child is delivered (it notifies no school).
/// A file that cannot be read — not CSV, not UTF-8, empty, a missing column, cut short part-way
/// through a row — throws ``FeedFileError`` and nothing in it is to be applied.
/// Used by one task at a time (it is handed to the import's transaction), hence unchecked.
public final class PoliceIncidentReader: @unchecked Sendable {
    public enum Item: Sendable, Equatable {
        case incident(PoliceIncident)
        case problem(RowProblem)
    }

    public static let columns = IncidentRows.Column.names
    /// Longer than any real name, code or reference: a longer field is a problem, not stored.
    public static let maximumFieldLength = longestField

    public let name: String
    /// Rows read (good and bad), not counting the header.
    public var rowsRead: Int { rows.rowsRead }
    private let rows: GroupedRecords<IncidentRows>

    /// - Parameter latestDate: an incident after this day is a problem (it cannot be in the future).
    public init(reader: CSVReader, latestDate: CivilDate) throws(FeedFileError) {
        rows = try GroupedRecords(reader: reader, latestDate: latestDate)
        name = reader.name
    }

    public convenience init(path: String, latestDate: CivilDate) throws(FeedFileError) {
        try self.init(reader: CSVReader.openFeed(path), latestDate: latestDate)
    }

    /// The next incident or problem; nil at the end of the file.
    public func next() throws(FeedFileError) -> Item? {
        switch try rows.next() {
        case nil: nil
        case .success(let incident): .incident(incident)
        case .failure(let quarantine): .problem(quarantine.problem)
        }
    }
}

// MARK: - MARAC list

/// A child of a MARAC victim's household: one row of `marac.csv`.
public struct MARACChild: Sendable, Equatable {
    public let line: Int
    /// `child_number`: 1, 2, 3… within the case.
    public let number: Int
    /// At least one of the two names is given.
    public let forename: String
    public let surname: String
    public let dateOfBirth: CivilDate?
    public let schoolURN: Int?
}

/// A MARAC case (STANDARDS §7.1): one referral heard at one meeting, with the victim's children.
public struct MARACCase: Sendable, Equatable {
    /// The line of the case's first row.
    public let line: Int
    /// 1 to 40 letters, digits, '/' and '-'.
    public let caseID: String
    /// Not after the reader's `latestDate`.
    public let meetingDate: CivilDate
    public let referringAgency: String
    /// The DASH risk indicator checklist's count of "yes" answers, 0…24.
    public let dashScore: Int?
    /// As given (e.g. `visible-high-risk`, `professional-judgement`, `escalation`, `repeat`).
    /// A case has a DASH score or a referral reason, or both.
    public let referralReason: String?
    /// Before ``meetingDate``.
    public let previousMeetingDate: CivilDate?
    public let victimForename: String
    public let victimSurname: String
    public let victimDateOfBirth: CivilDate?
    /// Canonical (`SW1A 1AA`).
    public let victimPostcode: String?
    public let perpetratorForename: String?
    public let perpetratorSurname: String?
    public let perpetratorDateOfBirth: CivilDate?
    /// In file order; empty for a case with no children.
    public let children: [MARACChild]
}

/// Reads a MARAC list CSV, streaming, one case at a time: `case_id,meeting_date,
/// referring_agency,dash_score,referral_reason,previous_meeting_date,victim_forename,
/// victim_surname,victim_dob,victim_postcode,perpetrator_forename,perpetrator_surname,
/// perpetrator_dob,child_number,child_forename,child_surname,child_dob,child_school_urn`
/// (any column order, extra columns ignored). One row per child in the household, the case's
/// columns repeated on each; a case with no children has one row with the child columns empty
/// (a row whose child columns are all empty adds no child).
///
/// A case is applied whole, as ``PoliceIncidentReader`` applies an incident: one bad row makes
/// the whole case a ``RowProblem`` (its first problem only). Every row of a case must give the
/// same case columns; a case needs a DASH score (0–24) or a referral reason; its previous
/// meeting is before its meeting, which is not after `latestDate`; the victim's forename and
/// surname are required; child numbers are unique within the case. A file that cannot be read
/// throws ``FeedFileError`` and nothing in it is to be applied.
/// Used by one task at a time (it is handed to the import's transaction), hence unchecked.
public final class MARACReader: @unchecked Sendable {
    public enum Item: Sendable, Equatable {
        case marac(MARACCase)
        case problem(RowProblem)
    }

    public static let columns = MARACRows.Column.names
    /// Longer than any real name, code or identifier: a longer field is a problem, not stored.
    public static let maximumFieldLength = longestField

    public let name: String
    /// Rows read (good and bad), not counting the header.
    public var rowsRead: Int { rows.rowsRead }
    private let rows: GroupedRecords<MARACRows>

    /// - Parameter latestDate: a meeting after this day is a problem (it has not been held).
    public init(reader: CSVReader, latestDate: CivilDate) throws(FeedFileError) {
        rows = try GroupedRecords(reader: reader, latestDate: latestDate)
        name = reader.name
    }

    public convenience init(path: String, latestDate: CivilDate) throws(FeedFileError) {
        try self.init(reader: CSVReader.openFeed(path), latestDate: latestDate)
    }

    /// The next case or problem; nil at the end of the file.
    public func next() throws(FeedFileError) -> Item? {
        switch try rows.next() {
        case nil: nil
        case .success(let marac): .marac(marac)
        case .failure(let quarantine): .problem(quarantine.problem)
        }
    }
}

// MARK: - The records of each file

/// How `police-incidents.csv` rows make incidents.
private struct IncidentRows: RecordRows {
    enum Column: Int, FeedColumn {
        case reference, occurredAt, postcode, riskLevel, partyNumber, role
        case forename, surname, dateOfBirth, sex, schoolURN, childPresence

        static let names = ["reference", "occurred_at", "postcode", "risk_level", "party_number", "role",
                            "forename", "surname", "date_of_birth", "sex", "school_urn", "child_presence"]
    }

    static let fileKind = "a police incidents file"
    static let noun = "incident"

    enum RiskLevel: String, CaseIterable { case standard, medium, high }

    struct Moment: Equatable {
        let date: CivilDate
        let minuteOfDay: Int
    }

    let first: FeedRow<Column>
    let latestDate: CivilDate
    let occurred: Moment
    let postcode: String?
    let riskLevel: String?
    var parties: [IncidentParty] = []
    /// Each party number's line.
    var numbers: [Int: Int] = [:]

    init(first row: FeedRow<Column>, latestDate: CivilDate) throws(Quarantine) {
        first = row
        self.latestDate = latestDate
        occurred = try Self.occurredAt(row, latestDate: latestDate)
        postcode = try row.postcode(.postcode)
        riskLevel = try row.choice(.riskLevel, RiskLevel.self)?.rawValue
        try add(row)
    }

    mutating func add(_ row: FeedRow<Column>) throws(Quarantine) {
        try agree(.occurredAt, row, occurred) { [latestDate] r throws(Quarantine) in try Self.occurredAt(r, latestDate: latestDate) }
        try agree(.postcode, row, postcode) { r throws(Quarantine) in try r.postcode(.postcode) }
        try agree(.riskLevel, row, riskLevel) { r throws(Quarantine) in try r.choice(.riskLevel, RiskLevel.self)?.rawValue }

        let number = try row.number(.partyNumber, in: 1...999_999, required: "every row needs its party number (1, 2, 3…)")!
        if let earlier = numbers[number] {
            throw row.problem(.partyNumber, "party \(number) appears twice in incident \(first.key) (first at line \(earlier))")
        }
        let role = try row.choice(.role, IncidentParty.Role.self, required: "every party needs its role")!
        let dateOfBirth = try row.birthDate(.dateOfBirth, latestDate: latestDate)
        let sex = try row.sex(.sex)
        let schoolURN = try row.urn(.schoolURN)
        let presence: IncidentParty.Presence? = if role == .child {
            try row.choice(.childPresence, IncidentParty.Presence.self,
                           required: "a child party needs it: was the child present, did they witness it, or were they involved?")
        } else {
            nil
        }
        numbers[number] = row.line
        parties.append(IncidentParty(line: row.line, number: number, role: role, forename: row[.forename], surname: row[.surname],
                                     dateOfBirth: dateOfBirth, sex: sex, schoolURN: schoolURN, presence: presence))
    }

    var record: PoliceIncident {
        PoliceIncident(line: first.line, reference: first.key, date: occurred.date, minuteOfDay: occurred.minuteOfDay,
                       postcode: postcode, riskLevel: riskLevel, parties: parties)
    }

    /// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` (or a space for the `T`), not after `latestDate`.
    static func occurredAt(_ row: FeedRow<Column>, latestDate: CivilDate) throws(Quarantine) -> Moment {
        let u = Array(row[.occurredAt].utf8)
        guard !u.isEmpty else { throw row.problem(.occurredAt, "is empty; every incident needs its date and time (YYYY-MM-DDTHH:MM)") }
        func digits(_ at: Int, below limit: Int) -> Int? {
            guard (48...57).contains(u[at]), (48...57).contains(u[at + 1]) else { return nil }
            let n = Int(u[at] - 48) * 10 + Int(u[at + 1] - 48)
            return n < limit ? n : nil
        }
        guard u.count == 16 || u.count == 19, u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "),
              let date = CivilDate(String(decoding: u[0..<10], as: UTF8.self)),
              let hour = digits(11, below: 24), u[13] == UInt8(ascii: ":"), let minute = digits(14, below: 60),
              u.count == 16 || u[16] == UInt8(ascii: ":") && digits(17, below: 60) != nil
        else {
            throw row.problem(.occurredAt, "is not a date and time (YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS)")
        }
        guard date <= latestDate else {
            throw row.problem(.occurredAt, "is after \(latestDate): an incident cannot be in the future")
        }
        return Moment(date: date, minuteOfDay: hour * 60 + minute)
    }
}

/// How `marac.csv` rows make cases.
private struct MARACRows: RecordRows {
    enum Column: Int, FeedColumn {
        case caseID, meetingDate, referringAgency, dashScore, referralReason, previousMeetingDate
        case victimForename, victimSurname, victimDOB, victimPostcode
        case perpetratorForename, perpetratorSurname, perpetratorDOB
        case childNumber, childForename, childSurname, childDOB, childSchoolURN

        static let names = ["case_id", "meeting_date", "referring_agency", "dash_score", "referral_reason", "previous_meeting_date",
                            "victim_forename", "victim_surname", "victim_dob", "victim_postcode",
                            "perpetrator_forename", "perpetrator_surname", "perpetrator_dob",
                            "child_number", "child_forename", "child_surname", "child_dob", "child_school_urn"]
        static let child: [Column] = [.childNumber, .childForename, .childSurname, .childDOB, .childSchoolURN]
    }

    static let fileKind = "a MARAC list"
    static let noun = "case"

    let first: FeedRow<Column>
    let latestDate: CivilDate
    let meetingDate: CivilDate
    let dashScore: Int?
    let previousMeetingDate: CivilDate?
    let victimDateOfBirth: CivilDate?
    let victimPostcode: String?
    let perpetratorDateOfBirth: CivilDate?
    var children: [MARACChild] = []
    /// Each child number's line.
    var numbers: [Int: Int] = [:]

    init(first row: FeedRow<Column>, latestDate: CivilDate) throws(Quarantine) {
        first = row
        self.latestDate = latestDate
        meetingDate = try Self.meetingDate(row, latestDate: latestDate)
        _ = try row.required(.referringAgency, "every case needs the agency that referred it")
        dashScore = try Self.dashScore(row)
        if dashScore == nil && row[.referralReason].isEmpty {
            throw row.problem(.dashScore, "is empty, and so is referral_reason: a case needs its DASH score or its reason for referral")
        }
        previousMeetingDate = try Self.previousMeeting(row, meetingDate: meetingDate)
        _ = try row.required(.victimForename, "every case needs its victim's forename")
        _ = try row.required(.victimSurname, "every case needs its victim's surname")
        victimDateOfBirth = try row.birthDate(.victimDOB, latestDate: latestDate)
        victimPostcode = try row.postcode(.victimPostcode)
        perpetratorDateOfBirth = try row.birthDate(.perpetratorDOB, latestDate: latestDate)
        try add(row)
    }

    mutating func add(_ row: FeedRow<Column>) throws(Quarantine) {
        try agree(.meetingDate, row, meetingDate) { [latestDate] r throws(Quarantine) in try Self.meetingDate(r, latestDate: latestDate) }
        try agree(.referringAgency, row)
        try agree(.dashScore, row, dashScore) { r throws(Quarantine) in try Self.dashScore(r) }
        try agree(.referralReason, row)
        try agree(.previousMeetingDate, row, previousMeetingDate) { r throws(Quarantine) in try r.date(.previousMeetingDate) }
        try agree(.victimForename, row)
        try agree(.victimSurname, row)
        try agree(.victimDOB, row, victimDateOfBirth) { r throws(Quarantine) in try r.date(.victimDOB) }
        try agree(.victimPostcode, row, victimPostcode) { r throws(Quarantine) in try r.postcode(.victimPostcode) }
        try agree(.perpetratorForename, row)
        try agree(.perpetratorSurname, row)
        try agree(.perpetratorDOB, row, perpetratorDateOfBirth) { r throws(Quarantine) in try r.date(.perpetratorDOB) }

        if Column.child.allSatisfy({ row[$0].isEmpty }) { return }   // no child on this row
        let number = try row.number(.childNumber, in: 1...999_999,
                                    required: "the row names a child, so it needs the child's number (1, 2, 3…)")!
        if let earlier = numbers[number] {
            throw row.problem(.childNumber, "child \(number) appears twice in case \(first.key) (first at line \(earlier))")
        }
        if row[.childForename].isEmpty && row[.childSurname].isEmpty {
            throw row.problem(.childForename, "is empty, and so is child_surname: a child needs a name")
        }
        numbers[number] = row.line
        children.append(MARACChild(line: row.line, number: number, forename: row[.childForename], surname: row[.childSurname],
                                   dateOfBirth: try row.birthDate(.childDOB, latestDate: latestDate),
                                   schoolURN: try row.urn(.childSchoolURN)))
    }

    var record: MARACCase {
        MARACCase(line: first.line, caseID: first.key, meetingDate: meetingDate, referringAgency: first[.referringAgency],
                  dashScore: dashScore, referralReason: first.optional(.referralReason), previousMeetingDate: previousMeetingDate,
                  victimForename: first[.victimForename], victimSurname: first[.victimSurname],
                  victimDateOfBirth: victimDateOfBirth, victimPostcode: victimPostcode,
                  perpetratorForename: first.optional(.perpetratorForename), perpetratorSurname: first.optional(.perpetratorSurname),
                  perpetratorDateOfBirth: perpetratorDateOfBirth, children: children)
    }

    /// The DASH risk indicator checklist's "yes" answers.
    static func dashScore(_ row: FeedRow<Column>) throws(Quarantine) -> Int? {
        try row.number(.dashScore, in: 0...24, what: "a DASH score, a whole number from 0 to 24 (the checklist has 24 questions)")
    }

    static func meetingDate(_ row: FeedRow<Column>, latestDate: CivilDate) throws(Quarantine) -> CivilDate {
        guard let date = try row.date(.meetingDate) else {
            throw row.problem(.meetingDate, "is empty; every case needs the date of its meeting (YYYY-MM-DD)")
        }
        guard date <= latestDate else {
            throw row.problem(.meetingDate, "is after \(latestDate): the meeting has not been held yet")
        }
        return date
    }

    static func previousMeeting(_ row: FeedRow<Column>, meetingDate: CivilDate) throws(Quarantine) -> CivilDate? {
        guard let previous = try row.date(.previousMeetingDate) else { return nil }
        guard previous < meetingDate else {
            throw row.problem(.previousMeetingDate, "is not before this case's meeting (\(meetingDate)): a previous meeting comes first")
        }
        return previous
    }
}

// MARK: - The shared driver

private let longestField = 100

/// A row problem that quarantines the whole record whose row it is in.
private struct Quarantine: Error {
    let problem: RowProblem
}

/// A reader's required columns, numbered in the order of `names`.
private protocol FeedColumn: RawRepresentable<Int>, CaseIterable {
    static var names: [String] { get }
}

extension FeedColumn {
    var name: String { Self.names[rawValue] }
}

/// How one kind of record is made from its consecutive rows. The record's key is its first
/// column; ``GroupedRecords`` checks it before the record begins.
private protocol RecordRows {
    associatedtype Column: FeedColumn
    associatedtype Record
    /// "a police incidents file", for the header error.
    static var fileKind: String { get }
    /// "incident", for the row problems.
    static var noun: String { get }
    /// The record's first row.
    var first: FeedRow<Column> { get }
    /// Begins a record with its first row: checks the record's own columns, then adds the row.
    init(first row: FeedRow<Column>, latestDate: CivilDate) throws(Quarantine)
    /// Adds a row of the record (the first row too): checks that it agrees with the first, and its own part.
    mutating func add(_ row: FeedRow<Column>) throws(Quarantine)
    var record: Record { get }
}

extension RecordRows {
    /// Checks that `row` gives the record's `column` as its first row did: the same text, or the
    /// same value once parsed (`sw1a1aa` and `SW1A 1AA` agree).
    func agree<V: Equatable>(_ column: Column, _ row: FeedRow<Column>, _ value: V,
                             _ parse: (FeedRow<Column>) throws(Quarantine) -> V) throws(Quarantine) {
        if row[column] == first[column] { return }
        if try parse(row) == value { return }
        throw disagreement(column, row)
    }

    /// Checks that `row` gives the same text as the record's first row in `column`.
    func agree(_ column: Column, _ row: FeedRow<Column>) throws(Quarantine) {
        if row[column] != first[column] { throw disagreement(column, row) }
    }

    private func disagreement(_ column: Column, _ row: FeedRow<Column>) -> Quarantine {
        let given = first[column].isEmpty ? "nothing" : "'\(first[column])'"
        return row.problem(column, "differs from the \(Self.noun)'s first row (line \(first.line), which gives \(given)): every row of one \(Self.noun) must give the same \(column.name)")
    }
}

/// One data row, its required columns trimmed, with the checks the readers share.
private struct FeedRow<Column: FeedColumn> {
    let line: Int
    /// The required columns, in `Column` order.
    let fields: [String]
    let cache: ValueCache

    subscript(_ column: Column) -> String { fields[column.rawValue] }
    /// The record's key: the first column.
    var key: String { fields[0] }

    func problem(_ column: Column, _ reason: String) -> Quarantine {
        Quarantine(problem: RowProblem(line: line, field: column.name, value: self[column], reason: reason))
    }

    func optional(_ column: Column) -> String? { self[column].isEmpty ? nil : self[column] }

    func required(_ column: Column, _ why: String) throws(Quarantine) -> String {
        guard !self[column].isEmpty else { throw problem(column, "is empty; \(why)") }
        return self[column]
    }

    /// `YYYY-MM-DD`; nil when empty.
    func date(_ column: Column) throws(Quarantine) -> CivilDate? {
        let text = self[column]
        if text.isEmpty { return nil }
        if let known = cache.dates[text] { return known }
        guard let date = CivilDate(text) else { throw problem(column, "is not a date (YYYY-MM-DD)") }
        cache.remember(date, for: text, in: \.dates)
        return date
    }

    /// A date of birth: not after `latestDate`; nil when empty.
    func birthDate(_ column: Column, latestDate: CivilDate) throws(Quarantine) -> CivilDate? {
        guard let date = try date(column) else { return nil }
        guard date <= latestDate else { throw problem(column, "is after \(latestDate): a date of birth cannot be in the future") }
        return date
    }

    /// Canonical (`SW1A 1AA`); nil when empty.
    func postcode(_ column: Column) throws(Quarantine) -> String? {
        let text = self[column]
        if text.isEmpty { return nil }
        if let known = cache.postcodes[text] { return known }
        let canonical: String
        do { canonical = try Postcode(text).normalised } catch {
            throw problem(column, "is not a valid postcode: \(error.reason)")
        }
        cache.remember(canonical, for: text, in: \.postcodes)
        return canonical
    }

    /// A school URN; nil when empty.
    func urn(_ column: Column) throws(Quarantine) -> Int? {
        let text = self[column]
        if text.isEmpty { return nil }
        if let known = cache.urns[text] { return known }
        let urn: Int
        do { urn = try URN(text).value } catch { throw problem(column, "is not a school URN: \(error.reason)") }
        cache.remember(urn, for: text, in: \.urns)
        return urn
    }

    /// A whole number in `range`; nil when empty, unless `required` says why it is needed.
    func number(_ column: Column, in range: ClosedRange<Int>, what: String? = nil, required: String? = nil) throws(Quarantine) -> Int? {
        let text = self[column]
        if text.isEmpty {
            if let required { throw problem(column, "is empty; \(required)") }
            return nil
        }
        guard text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(text), range.contains(n) else {
            throw problem(column, "must be \(what ?? "a whole number from \(range.lowerBound) to \(range.upperBound)")")
        }
        return n
    }

    /// One of `E`'s values, in any case; nil when empty, unless `required` says why it is needed.
    func choice<E: RawRepresentable<String> & CaseIterable>(_ column: Column, _ type: E.Type, required: String? = nil) throws(Quarantine) -> E? {
        let text = self[column]
        if text.isEmpty {
            if let required { throw problem(column, "is empty; \(required)") }
            return nil
        }
        if let value = E(rawValue: text) ?? E(rawValue: text.lowercased()) { return value }
        let names = E.allCases.map(\.rawValue)
        throw problem(column, "must be \(names.dropLast().joined(separator: ", ")) or \(names.last!)")
    }

    /// M, F or U (any case); nil when empty.
    func sex(_ column: Column) throws(Quarantine) -> Sex? {
        let text = self[column]
        if text.isEmpty { return nil }
        guard let sex = Sex(rawValue: text.uppercased()) else { throw problem(column, "must be M, F or U (not known)") }
        return sex
    }
}

/// Values repeat row after row (a handful of dates, the same schools and postcodes): each
/// distinct text is checked once.
private final class ValueCache {
    var dates: [String: CivilDate] = [:]
    var postcodes: [String: String] = [:]
    var urns: [String: Int] = [:]
    static let limit = 200_000

    func remember<V>(_ value: V, for text: String, in table: ReferenceWritableKeyPath<ValueCache, [String: V]>) {
        if self[keyPath: table].count >= Self.limit { self[keyPath: table].removeAll(keepingCapacity: true) }
        self[keyPath: table][text] = value
    }
}

/// Reads a CSV file whose records span consecutive rows, grouped by their first column, and
/// applies each record whole: the header, every row's shape, the grouping, and the first problem.
private final class GroupedRecords<Rows: RecordRows> {
    let reader: CSVReader
    let latestDate: CivilDate
    private let index: [Int]
    private let width: Int
    private let cache = ValueCache()
    private(set) var rowsRead = 0

    /// A row as read: its record's key (nil when a row of the wrong length has none), and the
    /// row, or what is wrong with it.
    private struct Read {
        let line: Int
        let key: String?
        let row: Result<FeedRow<Rows.Column>, Quarantine>
    }

    /// The record being read: its rows so far, or its first problem.
    private struct Open {
        let key: String?
        var rows: Rows?
        var problem: Quarantine?

        mutating func add(_ read: Read) {
            guard problem == nil else { return }   // only a record's first problem is reported
            do throws(Quarantine) { try rows!.add(read.row.get()) } catch {
                problem = error
                rows = nil
            }
        }
    }

    private var open: Open?
    /// The row after the last record, which begins the next.
    private var held: Read?
    /// Each key's first line, to tell a record whose rows are not together.
    private var firstLines: [String: Int] = [:]

    init(reader: CSVReader, latestDate: CivilDate) throws(FeedFileError) {
        self.reader = reader
        self.latestDate = latestDate
        let columns = Rows.Column.names
        assert(Rows.Column.allCases.count == columns.count, "a column without its name")
        let header = try reader.feedHeader(expected: "\(columns.joined(separator: ","))")
        index = try CSVHeader(header.map { $0.lowercased() }).feedColumns(columns, kind: Rows.fileKind, file: reader.name, line: 1)
        width = header.count
    }

    /// The next record, or the first problem of one; nil at the end of the file.
    func next() throws(FeedFileError) -> Result<Rows.Record, Quarantine>? {
        while true {
            let read: Read
            if let row = held {
                held = nil
                read = row
            } else if let row = try nextRow() {
                read = row
            } else {
                guard let done = open else { return nil }
                open = nil
                return finished(done)
            }
            if open != nil, read.key == nil || read.key == open!.key {
                open!.add(read)
            } else if let done = open {
                open = nil
                held = read
                return finished(done)
            } else {
                open = begin(read)
            }
        }
    }

    private func finished(_ record: Open) -> Result<Rows.Record, Quarantine> {
        if let problem = record.problem { return .failure(problem) }
        return .success(record.rows!.record)
    }

    /// A record from its first row: the key checked, then the record's own columns.
    private func begin(_ read: Read) -> Open {
        var open = Open(key: read.key)
        do throws(Quarantine) {
            let row = try read.row.get()
            try checkKey(row)
            if let first = firstLines[row.key] {
                throw row.problem(Rows.Column(rawValue: 0)!, "\(Rows.noun) \(row.key)'s rows must be together (first at line \(first))")
            }
            firstLines[row.key] = row.line
            open.rows = try Rows(first: row, latestDate: latestDate)
        } catch {
            open.problem = error
        }
        return open
    }

    /// 1 to 40 letters, digits, '/' and '-'.
    private func checkKey(_ row: FeedRow<Rows.Column>) throws(Quarantine) {
        let column = Rows.Column(rawValue: 0)!
        let key = row.key
        guard !key.isEmpty else { throw row.problem(column, "is empty; every row needs its \(Rows.noun)'s \(column.name.replacingOccurrences(of: "_", with: " "))") }
        func allowed(_ b: UInt8) -> Bool {
            (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: "-")
        }
        guard key.utf8.count <= 40, key.utf8.allSatisfy(allowed) else {
            throw row.problem(column, "must be 1 to 40 letters, digits, '/' and '-'")
        }
    }

    /// The next row, its shape checked; nil at the end of the file.
    private func nextRow() throws(FeedFileError) -> Read? {
        guard let fields = try reader.feedRow() else { return nil }
        rowsRead += 1
        let line = reader.line
        let columns = Rows.Column.names
        if fields.count != width {
            if reader.lastRecordUnterminated && fields.count < width {
                throw FeedFileError(file: reader.name, line: line, message: "the file stops part-way through this row (\(fields.count) of \(width) columns): it looks cut short")
            }
            let problem = RowProblem(line: line, field: "row", value: fields.joined(separator: ","),
                                     reason: "has \(fields.count) columns; the header has \(width)")
            let key = index[0] < fields.count ? fields[index[0]].trimmingSpaces : nil
            return Read(line: line, key: key, row: .failure(Quarantine(problem: problem)))
        }
        let row = FeedRow<Rows.Column>(line: line, fields: index.map { fields[$0].trimmingSpaces }, cache: cache)
        for (k, field) in row.fields.enumerated() where field.utf8.count > longestField {
            let problem = RowProblem(line: line, field: columns[k], value: field,
                                     reason: "is longer than \(longestField) characters")
            return Read(line: line, key: row.key, row: .failure(Quarantine(problem: problem)))
        }
        return Read(line: line, key: row.key, row: .success(row))
    }
}
