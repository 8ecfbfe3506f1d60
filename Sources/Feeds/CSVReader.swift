#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV file that cannot be read, and where: the file, the line (1-based, counting the lines
/// inside quoted fields) and the field (1-based) when there is one.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case cannotOpen(String)
        case readFailed
        /// The bytes of the field are not UTF-8.
        case invalidUTF8
        /// A quoted field that is still open at the end of the file.
        case unterminatedQuote
        /// Something other than a delimiter or the end of the line after a closing quote.
        case textAfterClosingQuote
    }

    public var file: String
    public var line: Int
    public var field: Int?
    public var kind: Kind

    public init(file: String, line: Int, field: Int?, kind: Kind) {
        self.file = file; self.line = line; self.field = field; self.kind = kind
    }

    public var description: String {
        let place = "\(file), line \(line)" + (field.map { ", field \($0)" } ?? "")
        switch kind {
        case .cannotOpen(let why): return "\(file): cannot open (\(why))"
        case .readFailed: return "\(place): read error"
        case .invalidUTF8: return "\(place): the text is not UTF-8 (save the file as UTF-8 and try again)"
        case .unterminatedQuote: return "\(place): a quoted field is never closed"
        case .textAfterClosingQuote: return "\(place): text after the closing quote of a field"
        }
    }
}

/// A streaming RFC 4180 CSV reader working on bytes: quoted fields with embedded delimiters,
/// doubled quotes and line breaks; LF, CRLF or CR line ends; a UTF-8 byte-order mark is skipped;
/// blank lines are skipped. Every field must be UTF-8 (an error names the line and field).
/// A quote inside an unquoted field is kept as an ordinary character.
///
/// ```swift
/// let reader = try CSVReader(path: "pupils.csv")
/// let header = try reader.nextRecord() ?? []
/// while let row = try reader.nextRecord() { … reader.line … }
/// ```
public final class CSVReader {
    public let name: String
    public let delimiter: UInt8
    /// The line on which the last record returned began (1-based).
    public private(set) var line = 0
    /// Whether the last record returned ran to the end of the input with no line break after it:
    /// in a file that should end with one, the sign of a file cut short.
    public private(set) var lastRecordUnterminated = false

    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8]
    private var position = 0
    private var end = 0
    private var atEOF = false
    private var physicalLine = 1
    private var field: [UInt8] = []
    private var started = false

    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Reads the file at `path`, `chunkSize` bytes at a time.
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 1 << 20) throws(CSVError) {
        name = path
        self.delimiter = delimiter
        guard let f = fopen(path, "rb") else {
            throw CSVError(file: path, line: 0, field: nil, kind: .cannotOpen(String(cString: strerror(errno))))
        }
        file = f
        buffer = [UInt8](repeating: 0, count: max(chunkSize, 16))
    }

    /// Reads CSV text held in memory.
    public init(bytes: [UInt8], name: String = "input", delimiter: UInt8 = UInt8(ascii: ",")) {
        self.name = name
        self.delimiter = delimiter
        file = nil
        buffer = bytes
        end = bytes.count
        atEOF = true
    }

    public convenience init(string: String, name: String = "input") {
        self.init(bytes: Array(string.utf8), name: name)
    }

    deinit { if let file { fclose(file) } }

    /// Refills the buffer; false at the end of the input.
    private func refill() throws(CSVError) -> Bool {
        if position < end { return true }
        guard let file, !atEOF else { return false }
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n == 0 {
            atEOF = true
            if ferror(file) != 0 { throw CSVError(file: name, line: physicalLine, field: nil, kind: .readFailed) }
            return false
        }
        position = 0; end = n
        return true
    }

    @inline(__always) private func peek() throws(CSVError) -> UInt8? {
        if position < end { return buffer[position] }
        return try refill() ? buffer[position] : nil
    }

    private func skipByteOrderMark() throws(CSVError) {
        started = true
        guard try peek() == 0xEF else { return }
        // The mark is at the very start of the first chunk (chunks are at least 16 bytes).
        if end - position >= 3 && buffer[position + 1] == 0xBB && buffer[position + 2] == 0xBF { position += 3 }
    }

    /// The next record's fields, or nil at the end of the input.
    public func nextRecord() throws(CSVError) -> [String]? {
        if !started { try skipByteOrderMark() }
        // Skip blank lines.
        while true {
            guard let b = try peek() else { return nil }
            if b == Self.lf { position += 1; physicalLine += 1; continue }
            if b == Self.cr {
                position += 1
                if try peek() == Self.lf { position += 1 }
                physicalLine += 1; continue
            }
            break
        }
        line = physicalLine
        lastRecordUnterminated = false
        var fields: [String] = []
        fields.reserveCapacity(16)
        while true {
            field.removeAll(keepingCapacity: true)
            let fieldStartLine = physicalLine
            if try peek() == Self.quote {
                position += 1
                quoted: while true {
                    guard try refill() else {
                        throw CSVError(file: name, line: fieldStartLine, field: fields.count + 1, kind: .unterminatedQuote)
                    }
                    var newlines = 0
                    let (stop, found) = buffer.withUnsafeBufferPointer { p -> (Int, Bool) in
                        var k = position
                        while k < end {
                            let c = p[k]
                            if c == Self.quote { return (k, true) }
                            if c == Self.lf { newlines += 1 }
                            k += 1
                        }
                        return (k, false)
                    }
                    field.append(contentsOf: buffer[position..<stop])
                    physicalLine += newlines
                    position = stop
                    if !found { continue }
                    position += 1 // the quote
                    if try peek() == Self.quote { field.append(Self.quote); position += 1; continue }
                    break quoted
                }
                if let next = try peek(), next != delimiter, next != Self.lf, next != Self.cr {
                    throw CSVError(file: name, line: physicalLine, field: fields.count + 1, kind: .textAfterClosingQuote)
                }
            } else {
                while try refill() {
                    let delimiter = self.delimiter
                    let (stop, found) = buffer.withUnsafeBufferPointer { p -> (Int, Bool) in
                        var k = position
                        while k < end {
                            let c = p[k]
                            if c == delimiter || c == Self.lf || c == Self.cr { return (k, true) }
                            k += 1
                        }
                        return (k, false)
                    }
                    field.append(contentsOf: buffer[position..<stop])
                    position = stop
                    if found { break }
                }
            }
            guard let text = Self.decode(field) else {
                throw CSVError(file: name, line: physicalLine, field: fields.count + 1, kind: .invalidUTF8)
            }
            fields.append(text)
            guard let t = try peek() else { lastRecordUnterminated = true; return fields }
            if t == delimiter { position += 1; continue }
            position += 1
            if t == Self.cr, try peek() == Self.lf { position += 1 }
            physicalLine += 1
            return fields
        }
    }

    @inline(__always) static func decode(_ bytes: [UInt8]) -> String? {
        var ascii = true
        for b in bytes where b >= 0x80 { ascii = false; break }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Reads the whole input: the header and the rows (each row as read; rows may be of any length).
    public func readAll() throws(CSVError) -> (header: [String], rows: [[String]]) {
        let header = try nextRecord() ?? []
        var rows: [[String]] = []
        while let r = try nextRecord() { rows.append(r) }
        return (header, rows)
    }
}

/// A header row's columns by name, for readers that take columns by name.
public struct CSVHeader: Sendable {
    public let names: [String]
    private let index: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (k, n) in names.enumerated() {
            let key = Self.trimmed(n)
            if index[key] == nil { index[key] = k }
        }
        self.index = index
    }

    public func column(_ name: String) -> Int? { index[Self.trimmed(name)] }

    /// The position of each required column, or an error naming every one that is missing.
    public func columns(_ required: [String], file: String) throws(CSVHeaderError) -> [Int] {
        let missing = required.filter { column($0) == nil }
        if !missing.isEmpty { throw CSVHeaderError(file: file, missing: missing, present: names) }
        return required.map { column($0)! }
    }

    static func trimmed(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f == " " || f == "\t" { sub.removeFirst() }
        while let l = sub.last, l == " " || l == "\t" { sub.removeLast() }
        return String(sub)
    }
}

/// Required columns missing from a CSV header.
public struct CSVHeaderError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var missing: [String]
    public var present: [String]
    public var description: String {
        "\(file): no column\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", ")) (the columns are \(present.joined(separator: ", ")))"
    }
}
