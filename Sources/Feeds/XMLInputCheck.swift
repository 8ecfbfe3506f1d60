import Foundation

/// The check every XML feed file passes before XMLParser sees it, for two faults of FoundationXML
/// that stop the whole process (found by fuzzing the CIN census and SSDA903 readers; the inputs
/// are kept in Fuzz/regressions):
/// - libxml2 hands an element or attribute name holding bytes that are not UTF-8 straight to
///   FoundationXML, which traps. libxml2 itself refuses such bytes only in text. So every byte
///   must be UTF-8. Both formats are UTF-8 by their specifications, so a file in another encoding
///   is refused whatever it declares: trusting the declaration let the fuzzer through with a
///   broken one (`encoding="UTFment…`) that libxml2 then ignored.
/// - A processing instruction with no data, `<?name?>` (even `<?xml?>`), reaches FoundationXML
///   as a null pointer, which it reads. Neither format has processing instructions.
/// The check costs one extra read of the file; the refusal names the line.
enum XMLInputCheck {
    /// Refuses the file at `path` (named `name` in the error) unless its bytes are UTF-8.
    static func requireUTF8(path: String, name: String) throws(FeedFileError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw FeedFileError(file: name, message: "cannot open") }
        defer { try? handle.close() }
        var scan = XMLByteScan()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw FeedFileError(file: name, message: "cannot be read (\(error.localizedDescription))")
            }
            if chunk.isEmpty { break }
            if let fault = chunk.withUnsafeBytes({ scan.feed($0) }) { throw error(name, fault) }
        }
        if let fault = scan.finish() { throw error(name, fault) }
    }

    /// As ``requireUTF8(path:name:)``, for bytes in memory.
    static func requireUTF8(data: Data, name: String) throws(FeedFileError) {
        var scan = XMLByteScan()
        if let fault = data.withUnsafeBytes({ scan.feed($0) }) ?? scan.finish() { throw error(name, fault) }
    }

    private static func error(_ name: String, _ fault: XMLByteScan.Fault) -> FeedFileError {
        switch fault {
        case .notUTF8(let line):
            FeedFileError(file: name, line: line, message: "the text is not UTF-8 (save the file as UTF-8 and try again)")
        case .emptyInstruction(let line):
            FeedFileError(file: name, line: line, message: "the XML is broken here: an empty processing instruction (<?…?>)")
        }
    }
}

/// A UTF-8 validator fed in pieces (a sequence may span two), counting lines (LF) so a refusal
/// can name the line of the first byte that is not UTF-8 (overlong forms, surrogates and code
/// points past U+10FFFF included, as the Unicode standard's table 3-7); it also finds `<?` and a
/// name closed by `?>` at once.
struct XMLByteScan {
    enum Fault: Equatable {
        case notUTF8(line: Int)
        case emptyInstruction(line: Int)
    }

    private var line = 1
    private var need = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    /// Where a processing instruction's target is: 0 outside one; 1 after `<`; 2 after `<?` and
    /// in its target; 3 after a `?` that ends the target.
    private var instruction = 0

    /// The first fault in `bytes`, or nil if all is well so far.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Fault? {
        for b in bytes {
            if need == 0 {
                if b < 0x80 {
                    if b == 0x0A { line += 1 }
                    switch (instruction, b) {
                    case (_, UInt8(ascii: "<")): instruction = 1
                    case (1, UInt8(ascii: "?")): instruction = 2
                    case (2, UInt8(ascii: "?")): instruction = 3
                    case (3, UInt8(ascii: ">")): return .emptyInstruction(line: line)
                    case (2, _) where b > 0x20: break
                    default: instruction = 0
                    }
                    continue
                }
                switch b {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; lower = 0xA0
                case 0xED: need = 2; upper = 0x9F
                case 0xE1...0xEF: need = 2
                case 0xF0: need = 3; lower = 0x90
                case 0xF4: need = 3; upper = 0x8F
                case 0xF1...0xF3: need = 3
                default: return .notUTF8(line: line)
                }
            } else {
                guard b >= lower && b <= upper else { return .notUTF8(line: line) }
                lower = 0x80
                upper = 0xBF
                need -= 1
            }
            // A name may hold other letters; anything else ends the target.
            if instruction != 2 { instruction = 0 }
        }
        return nil
    }

    /// A sequence cut off by the end of the input, if any.
    func finish() -> Fault? { need == 0 ? nil : .notUTF8(line: line) }
}
