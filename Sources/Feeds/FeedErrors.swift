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
