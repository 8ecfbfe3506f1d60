import Foundation
import Testing
import EyesOnCore
@testable import Feeds

/// The bytes FoundationXML cannot take (it stops the process), refused before the parse with the
/// line; and every input the fuzzer found that once crashed a reader, read again.
@Suite("XML input check and fuzzing regressions")
struct XMLInputCheckTests {
    /// Each kept input in Fuzz/regressions/READER/ is refused with a FeedFileError that names
    /// the file: before the fix, each one stopped the test process.
    @Test("every input that once crashed an XML reader is refused, naming the file", arguments: ["cin", "ssda903xml"])
    func fuzzRegressions(reader: String) throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/regressions/\(reader)").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!files.isEmpty, "no regression inputs in \(folder.path)")
        for file in files {
            let path = folder.appendingPathComponent(file).path
            let error = #expect(throws: FeedFileError.self, "\(file)") {
                if reader == "cin" {
                    try CINCensusReader(path: path).read { _ in }
                } else {
                    try SSDA903Reader(path: path, latestDate: CivilDate("2027-03-31")!).read { _ in }
                }
            }
            #expect(error?.file == path && error?.message.isEmpty == false, "\(file): \(String(describing: error))")
        }
    }

    static let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Message>
          <Header>
            <Child name="Zoë">Siân 🙂</Child>
          </Header>
        </Message>

        """

    /// `document` with the `occurrence`th `marker` replaced by `bytes`.
    static func with(_ marker: String, _ bytes: [UInt8]) -> Data {
        var data = Array(document.utf8)
        let at = document.utf8.count - document.components(separatedBy: marker).last!.utf8.count - marker.utf8.count
        data.replaceSubrange(at..<(at + marker.utf8.count), with: bytes)
        return Data(data)
    }

    static func fault(_ data: Data) -> FeedFileError? {
        do { try XMLInputCheck.requireUTF8(data: data, name: "cin.xml"); return nil } catch { return error }
    }

    @Test("names and text in other scripts are UTF-8 and pass, cut anywhere into pieces")
    func goodUTF8() throws {
        #expect(Self.fault(Data(Self.document.utf8)) == nil)
        let bytes = Array(Self.document.utf8)
        for cut in 0...bytes.count {
            var scan = XMLByteScan()
            let first = bytes[..<cut].withUnsafeBytes { scan.feed($0) }
            let second = bytes[cut...].withUnsafeBytes { scan.feed($0) }
            #expect(first == nil && second == nil && scan.finish() == nil, "cut at \(cut)")
        }
    }

    /// Where the bytes go, and the bytes.
    static let badCases: [(String, [UInt8])] = [
        ("<Header", Array("<Head".utf8) + [0xFE, 0xFF]),                   // an element's name (FoundationXML trapped)
        ("name=", Array("n".utf8) + [0xE9] + Array("me=".utf8)),            // an attribute's name (trapped too)
        ("Siân", [0x53, 0x69, 0xC3, 0x28, 0x6E]),                           // a broken two-byte sequence
        ("Siân", [0xC0, 0x80]),                                              // an overlong NUL
        ("Siân", [0xED, 0xA0, 0x80]),                                        // a UTF-16 surrogate
        ("Siân", [0xF4, 0x90, 0x80, 0x80]),                                  // past U+10FFFF
    ]

    @Test("a name, attribute or text that is not UTF-8 is refused with its line", arguments: badCases)
    func badUTF8(marker: String, bytes: [UInt8]) throws {
        let error = try #require(Self.fault(Self.with(marker, bytes)))
        let line: Int = Self.document.split(separator: "\n").firstIndex { $0.contains(marker) }! + 1
        #expect(error.line == line, "\(error)")
        #expect(error.file == "cin.xml" && error.message.contains("not UTF-8"), "\(error)")
    }

    @Test("a sequence cut off by the end of the file is refused")
    func cutOff() throws {
        let error = try #require(Self.fault(Data(Self.document.utf8) + Data([0xE2, 0x82])))
        #expect(error.message.contains("not UTF-8") && error.line == 7, "\(error)")
    }

    @Test("an empty processing instruction is refused with its line; one with data is not this check's business", arguments: [
        ("<Header>", "<?pi?><Header>", 3), ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml?>", 1),
    ])
    func emptyInstruction(marker: String, replacement: String, line: Int) throws {
        let error = try #require(Self.fault(Self.with(marker, Array(replacement.utf8))))
        #expect(error.line == line && error.message.contains("empty processing instruction"), "\(error)")
        #expect(Self.fault(Self.with("<Header>", Array("<?pi some data?><Header>".utf8))) == nil)
        #expect(Self.fault(Self.with("<Header>", Array("<a>?></a><Header>".utf8))) == nil)
    }

    @Test("the CIN census reader refuses a file it once crashed on, from disk and from memory")
    func cinReader() throws {
        let data = Self.with("<Header", [UInt8]("<Head".utf8) + [0xFE, 0xFF])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("xml-input-check-\(getpid()).xml")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        for reader in [try CINCensusReader(path: url.path), CINCensusReader(data: data, name: url.path)] {
            let error = #expect(throws: FeedFileError.self) { try reader.read { _ in } }
            #expect(error?.line == 3 && error?.file == url.path && error?.message.contains("not UTF-8") == true)
        }
    }
}
