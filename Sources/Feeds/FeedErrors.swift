import EyesOnCore

/// A row a feed could not accept, and why: kept (quarantined) with the import's report, never
/// applied. `line` is the file's line (1-based; the header is line 1).
public struct RowProblem: Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    /// The column (or XML element) at fault.
    public let field: String
    /// The value as given, shortened for the report.
    public let value: String
    public let reason: String

    public init(line: Int, field: String, value: String, reason: String) {
        self.line = line
        self.field = field
        self.value = value.count > 80 ? String(value.prefix(77)) + "…" : value
        self.reason = reason
    }

    public var description: String { "line \(line), \(field): \(reason)" }
}

/// A file that cannot be imported at all: nothing in it is applied. Names the file, and the
/// line and field where there is one.
public struct FeedFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let field: String?
    public let message: String

    public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ", line \(line)" }
        if let field { place += ", \(field)" }
        return "\(place): \(message); nothing was imported"
    }
}

/// A feed file's data row as ``CSVReader/feedRecord(width:)`` reads it.
enum FeedRecord {
    case fields([String])
    /// A row with more or fewer columns than the header: its problem.
    case wrongWidth(RowProblem)
}

extension CSVReader {
    /// Opens a feed file; one that cannot be opened is a ``FeedFileError``.
    static func openFeed(_ path: String) throws(FeedFileError) -> CSVReader {
        do { return try CSVReader(path: path) } catch {
            throw FeedFileError(file: path, message: AttendanceFeedReader.message(error))
        }
    }

    /// A feed file's header row; an empty file, or one that cannot be read, is a ``FeedFileError``
    /// (`expected` says what the header should hold).
    func feedHeader(expected: String) throws(FeedFileError) -> [String] {
        guard let first = try feedRow() else { throw FeedFileError(file: name, message: "the file is empty; expected a header row with \(expected)") }
        return first
    }

    /// A feed file's next data row, of `width` columns: nil at the end; a row of another width is
    /// its problem — or, short and where the file ends, the sign of a file cut short (thrown).
    func feedRecord(width: Int) throws(FeedFileError) -> FeedRecord? {
        guard let record = try feedRow() else { return nil }
        guard record.count == width else {
            if lastRecordUnterminated && record.count < width {
                throw FeedFileError(file: name, line: line, message: "the file stops part-way through this row (\(record.count) of \(width) columns): it looks cut short")
            }
            return .wrongWidth(RowProblem(line: line, field: "row", value: record.joined(separator: ","), reason: "has \(record.count) columns; the header has \(width)"))
        }
        return .fields(record)
    }

    /// A feed file's next row; nil at the end; a CSV error is a ``FeedFileError`` naming its line.
    func feedRow() throws(FeedFileError) -> [String]? {
        do { return try nextRecord() } catch {
            throw FeedFileError(file: name, line: error.line, field: error.field.map { "field \($0)" }, message: AttendanceFeedReader.message(error))
        }
    }
}

extension CivilDate {
    /// `dd/mm/yyyy` (one-digit day or month accepted), as the DfE's returns and many agencies'
    /// systems write dates, or ISO `yyyy-mm-dd`; nil when it is neither, or not a real day.
    init?(dayMonthYearOrISO text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 3 {
            guard (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
                  parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
                  let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) else { return nil }
            self.init(year: y, month: m, day: d)
        } else {
            self.init(text)
        }
    }
}

extension CSVHeader {
    /// The positions of a feed file's `required` columns (as the lower-cased header names them),
    /// or the refusal of a file that is not `kind`: "this is not KIND: no columns a, b (expected …)",
    /// every name as `shown` spells it, at `line`.
    func feedColumns(_ required: [String], kind: String, file: String, line: Int,
                     shown: (String) -> String = { $0 }) throws(FeedFileError) -> [Int] {
        do { return try columns(required, file: file) } catch {
            let missing = error.missing.map(shown)
            throw FeedFileError(file: file, line: line, message: "this is not \(kind): no column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (expected \(required.map(shown).joined(separator: ",")))")
        }
    }
}

/// An XML parser error and the line it was reported at.
struct XMLErrorAt {
    let code: Int
    let line: Int
}

/// What the XML feed readers (CIN census, SSDA903) make of libxml2's errors through XMLParser.
enum XMLParserErrors {
    /// libxml2 warnings and namespace errors, which leave the document readable (e.g. a relative
    /// or undeclared namespace on the root).
    static let warnings: Set<Int> = [27, 93, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 200, 201, 202, 203, 204, 205]

    /// Why an XML feed file cannot be read, from the first and last XML errors of its parse: a file
    /// cut short when every error is where the input stops and the root never closed (or was closed
    /// there only by libxml2's own recovery, a file cut inside the root's closing tag); otherwise
    /// the first error's reason.
    static func fileError(file: String, first: XMLErrorAt, last: XMLErrorAt?, rootSeen: Bool, rootClosed: Bool, rootClosedAfterErrorLine: Int?,
                          start: String, root: String) -> FeedFileError {
        let last = last ?? first
        let closedWhereItStops = rootClosedAfterErrorLine == last.line
        if rootSeen && (!rootClosed || closedWhereItStops) && last.line == first.line && first.code != 9 && first.code != 81 {
            return FeedFileError(file: file, line: first.line, message: "the XML stops part-way (is the file cut short?)")
        }
        return FeedFileError(file: file, line: first.line, message: message(code: first.code, start: start, root: root, rootClosed: rootClosed))
    }

    /// The reason a file cannot be read, for the first XML error `code`; `start` is what such a
    /// file starts with (e.g. "a CIN census file starts <Message>"), `root` its root element.
    static func message(code: Int, start: String, root: String, rootClosed: Bool) -> String {
        switch code {
        case 9, 81: "the text is not UTF-8, or has a character XML does not allow (save the file as UTF-8 and try again)"
        case 31, 32, 79: "the file declares a text encoding that cannot be read (save the file as UTF-8 and try again)"
        case 4: "this is not XML: \(start)"
        case 5: rootClosed ? "there is more after the end of </\(root)> (two files joined together?)" : "the XML stops part-way (is the file cut short?)"
        case 76: "the XML is broken here: a closing tag does not match its opening tag"
        case 73: "the XML is broken here: a tag is not closed with >"
        case 23, 68: "the XML is broken here: a < or & in the text is not escaped (&lt;, &amp;)"
        case 26: "the XML is broken here: an entity (&…;) that is not defined"
        case 89: "the XML refers to itself endlessly (an entity loop)"
        default: "the XML is broken here (XML parser error \(code))"
        }
    }
}
