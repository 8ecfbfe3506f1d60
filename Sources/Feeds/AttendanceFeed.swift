import EyesOnCore

/// One register mark read from an attendance file.
public struct AttendanceRow: Sendable, Equatable {
    public let line: Int
    public let urn: Int
    public let upn: String
    public let forename: String
    public let surname: String
    public let dateOfBirth: CivilDate?
    public let mark: SessionMark
}

/// Reads a school attendance CSV, streaming: `school_urn,upn,forename,surname,date_of_birth,
/// date,session,code` (any column order, extra columns ignored), one row per pupil and session.
///
/// Each row is checked: the URN and the UPN (with its check letter), the dates, the session
/// (AM/PM) and the code, looked up for the session's date (the 2024 code set from 19 August
/// 2024, the legacy codes before). A bad row comes back as a ``RowProblem`` naming its line and
/// column. A file that cannot be read — not CSV, not UTF-8, a missing column, cut short part-way
/// through a row, or (for an upload by a school) another school's URN — throws
/// ``FeedFileError`` and nothing in it is to be applied.
/// Used by one task at a time (it is handed to the import's transaction), hence unchecked.
public final class AttendanceFeedReader: @unchecked Sendable {
    public enum Item: Sendable, Equatable {
        case row(AttendanceRow)
        case problem(RowProblem)
    }

    public static let columns = ["school_urn", "upn", "forename", "surname", "date_of_birth", "date", "session", "code"]
    /// Longer than any real name or code: a longer field is a row error, not stored.
    public static let maximumFieldLength = 100

    public let name: String
    let reader: CSVReader
    let index: [Int]
    let width: Int
    let onlyURN: Int?
    let latestDate: CivilDate
    /// Rows read (good and bad), not counting the header.
    public private(set) var rowsRead = 0

    // Values repeat row after row (a file holds each pupil's sessions together, and a handful of
    // dates and codes): each distinct text is checked once.
    private var urns: [String: Int] = [:]
    private var upns: [String: String] = [:]
    private var dates: [String: CivilDate] = [:]
    private var codes: [String: AttendanceCode] = [:]
    private static let cacheLimit = 200_000

    /// - Parameters:
    ///   - onlyURN: the one school whose marks the uploader may send; a row for another school
    ///     refuses the whole file.
    ///   - latestDate: marks after this day are row errors (a register cannot be in the future).
    public init(reader: CSVReader, onlyURN: Int? = nil, latestDate: CivilDate) throws(FeedFileError) {
        self.reader = reader
        self.name = reader.name
        self.onlyURN = onlyURN
        self.latestDate = latestDate
        let header = try reader.feedHeader(expected: "\(Self.columns.joined(separator: ","))")
        index = try CSVHeader(header.map { $0.lowercased() }).feedColumns(Self.columns, kind: "an attendance file", file: reader.name, line: 1)
        width = header.count
    }

    public convenience init(path: String, onlyURN: Int? = nil, latestDate: CivilDate) throws(FeedFileError) {
        try self.init(reader: CSVReader.openFeed(path), onlyURN: onlyURN, latestDate: latestDate)
    }

    static func message(_ error: CSVError) -> String {
        switch error.kind {
        case .cannotOpen(let why): return "cannot open (\(why))"
        case .readFailed: return "read error"
        case .invalidUTF8: return "the text is not UTF-8 (save the file as UTF-8 and try again)"
        case .unterminatedQuote: return "a quoted field is never closed (is the file cut short?)"
        case .textAfterClosingQuote: return "text after the closing quote of a field"
        }
    }

    /// The next row or row problem; nil at the end of the file.
    public func next() throws(FeedFileError) -> Item? {
        guard let read = try reader.feedRecord(width: width) else { return nil }
        rowsRead += 1
        let line = reader.line
        let fields: [String]
        switch read {
        case .wrongWidth(let problem): return .problem(problem)
        case .fields(let row): fields = row
        }
        func field(_ k: Int) -> String { fields[index[k]] }
        for k in 0..<Self.columns.count where field(k).utf8.count > Self.maximumFieldLength {
            return .problem(RowProblem(line: line, field: Self.columns[k], value: field(k),
                                       reason: "is longer than \(Self.maximumFieldLength) characters"))
        }
        let urnText = field(0)
        let urn: Int
        if let known = urns[urnText] { urn = known } else {
            do { urn = try URN(urnText).value } catch {
                return .problem(RowProblem(line: line, field: "school_urn", value: urnText, reason: "is not a school URN: \(error.reason)"))
            }
            if urns.count < Self.cacheLimit { urns[urnText] = urn }
        }
        if let onlyURN, urn != onlyURN {
            throw FeedFileError(file: name, line: line, field: "school_urn",
                                message: "has marks for school URN \(urn), but you may send marks only for your own school (URN \(onlyURN))")
        }
        let upnText = field(1)
        let upn: String
        if let known = upns[upnText] { upn = known } else {
            do { upn = try UPN(upnText).value } catch {
                return .problem(RowProblem(line: line, field: "upn", value: upnText, reason: "is not a valid UPN: \(error.reason)"))
            }
            if upns.count >= Self.cacheLimit { upns.removeAll(keepingCapacity: true) }
            upns[upnText] = upn
        }
        let dobText = field(4).trimmingSpaces
        var dob: CivilDate? = nil
        if !dobText.isEmpty {
            guard let d = CivilDate(dobText) else {
                return .problem(RowProblem(line: line, field: "date_of_birth", value: dobText, reason: "is not a date (YYYY-MM-DD)"))
            }
            dob = d
        }
        let dateText = field(5)
        let date: CivilDate
        if let known = dates[dateText] { date = known } else {
            guard let parsed = CivilDate(dateText.trimmingSpaces) else {
                return .problem(RowProblem(line: line, field: "date", value: dateText, reason: "is not a date (YYYY-MM-DD)"))
            }
            date = parsed
            if dates.count < Self.cacheLimit { dates[dateText] = parsed }
        }
        if date > latestDate {
            return .problem(RowProblem(line: line, field: "date", value: dateText, reason: "is after \(latestDate): a register cannot be marked in advance"))
        }
        guard let session = Session(text: field(6)) else {
            return .problem(RowProblem(line: line, field: "session", value: field(6), reason: "must be AM or PM"))
        }
        let codeText = field(7)
        let code: AttendanceCode
        if let known = codes[codeText], known.isInForce(on: date) { code = known } else {
            do { code = try AttendanceCode.lookup(codeText, on: date) } catch {
                return .problem(RowProblem(line: line, field: "code", value: codeText, reason: "\(error) for a session on \(date)"))
            }
            if codes.count < 1_000 { codes[codeText] = code }
        }
        return .row(AttendanceRow(line: line, urn: urn, upn: upn, forename: field(2).trimmingSpaces,
                                  surname: field(3).trimmingSpaces, dateOfBirth: dob,
                                  mark: SessionMark(date: date, session: session, code: code)))
    }
}

extension String {
    var trimmingSpaces: String {
        guard let f = utf8.first, let l = utf8.last, f == 32 || f == 9 || l == 32 || l == 9 else { return self }
        var sub = Substring(self)
        while let f = sub.first, f == " " || f == "\t" { sub.removeFirst() }
        while let l = sub.last, l == " " || l == "\t" { sub.removeLast() }
        return String(sub)
    }
}
