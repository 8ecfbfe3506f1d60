import EyesOnCore
import Foundation

/// A buffered, streaming file writer for the extracts: bytes go into a 1 MiB buffer that is
/// flushed to the file when full, so even a multi-gigabyte attendance file never sits in memory.
///
/// CSV follows RFC 4180: fields separated by commas, records by CRLF, a field is quoted when it
/// contains a comma, a double quote, CR or LF, and a double quote inside is doubled.
final class ExtractWriter {
    private var buffer: [UInt8] = []
    private let handle: FileHandle
    private static let capacity = 1 << 20
    private(set) var bytesWritten = 0
    /// Data records written (the caller counts them with ``endRecord()`` or ``countRecord()``).
    private(set) var records = 0

    init(url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(Self.capacity + 4096)
    }

    // MARK: Raw output

    @inline(__always)
    func byte(_ b: UInt8) {
        buffer.append(b)
    }

    @inline(__always)
    func raw(_ s: String) {
        buffer.append(contentsOf: s.utf8)
    }

    @inline(__always)
    func raw(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// A non-negative integer in decimal, zero-padded to `width`.
    @inline(__always)
    func int(_ value: Int, width: Int = 1) {
        var v = max(0, value)
        var n = 1
        var t = v / 10
        while t > 0 { n += 1; t /= 10 }
        let total = max(n, width)
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(48, count: total))
        var i = start + total - 1
        repeat {
            buffer[i] = UInt8(48 + v % 10)
            v /= 10
            i -= 1
        } while v > 0
    }

    /// `YYYY-MM-DD`.
    @inline(__always)
    func isoDate(_ d: CivilDate) {
        int(d.year, width: 4); byte(45); int(d.month, width: 2); byte(45); int(d.day, width: 2)
    }

    /// `dd/mm/yyyy` (SSDA903).
    @inline(__always)
    func ukDate(_ d: CivilDate) {
        int(d.day, width: 2); byte(47); int(d.month, width: 2); byte(47); int(d.year, width: 4)
    }

    // MARK: CSV

    /// A CSV field, quoted when needed (RFC 4180).
    @inline(__always)
    func field(_ s: String) {
        var needsQuotes = false
        for b in s.utf8 where b == 44 || b == 34 || b == 10 || b == 13 {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            buffer.append(contentsOf: s.utf8)
            return
        }
        buffer.append(34)
        for b in s.utf8 {
            if b == 34 { buffer.append(34) }
            buffer.append(b)
        }
        buffer.append(34)
    }

    @inline(__always)
    func comma() { buffer.append(44) }

    /// Ends a CSV record (CRLF) and flushes when the buffer is full.
    @inline(__always)
    func endLine() {
        buffer.append(13)
        buffer.append(10)
        if buffer.count >= Self.capacity { flush() }
    }

    /// Ends a data record: like ``endLine()``, and counts it.
    @inline(__always)
    func endRecord() {
        records += 1
        endLine()
    }

    func countRecord() { records += 1 }

    /// A header line of column names.
    func header(_ columns: [String]) {
        for (i, c) in columns.enumerated() {
            if i > 0 { comma() }
            field(c)
        }
        endLine()
    }

    /// A whole CSV record of optional fields (`nil` is an empty field).
    func row(_ fields: [String?]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { comma() }
            if let f { field(f) }
        }
        endRecord()
    }

    // MARK: XML

    /// Text content with `&`, `<`, `>`, `"` and `'` escaped.
    func xmlText(_ s: String) {
        for b in s.utf8 {
            switch b {
            case 38: raw("&amp;")
            case 60: raw("&lt;")
            case 62: raw("&gt;")
            case 34: raw("&quot;")
            case 39: raw("&apos;")
            default: buffer.append(b)
            }
        }
    }

    /// `<name>text</name>` on its own indented line.
    func element(_ name: String, _ text: String, indent: Int) {
        for _ in 0..<indent { byte(32) }
        byte(60); raw(name); byte(62)
        xmlText(text)
        byte(60); byte(47); raw(name); byte(62); byte(10)
        if buffer.count >= Self.capacity { flush() }
    }

    func element(_ name: String, _ date: CivilDate, indent: Int) {
        for _ in 0..<indent { byte(32) }
        byte(60); raw(name); byte(62)
        isoDate(date)
        byte(60); byte(47); raw(name); byte(62); byte(10)
    }

    func open(_ name: String, indent: Int) {
        for _ in 0..<indent { byte(32) }
        byte(60); raw(name); byte(62); byte(10)
    }

    func close(_ name: String, indent: Int) {
        for _ in 0..<indent { byte(32) }
        byte(60); byte(47); raw(name); byte(62); byte(10)
        if buffer.count >= Self.capacity { flush() }
    }

    // MARK: Flushing

    private var failure: (any Error)?

    func flush() {
        guard !buffer.isEmpty, failure == nil else {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        bytesWritten += buffer.count
        do {
            try buffer.withUnsafeBytes { try handle.write(contentsOf: Data($0)) }
        } catch {
            failure = error
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file; throws the first write error, if any.
    func finish() throws {
        flush()
        try handle.close()
        if let failure { throw failure }
    }
}

extension ExtractWriter {
    /// The bytes of a CSV field (quoted when needed), appended to `out`.
    static func fieldBytes(_ s: String, into out: inout [UInt8]) {
        if s.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) {
            out.append(34)
            for b in s.utf8 {
                if b == 34 { out.append(34) }
                out.append(b)
            }
            out.append(34)
        } else {
            out.append(contentsOf: s.utf8)
        }
    }

    /// `YYYY-MM-DD` as bytes.
    static func isoDateBytes(_ d: CivilDate) -> [UInt8] {
        Array(d.description.utf8)
    }
}
