import Foundation
import Testing
@testable import Feeds

@Suite("CSV reader")
struct CSVReaderTests {
    func rows(_ text: String) throws -> [[String]] {
        let r = CSVReader(string: text)
        var out: [[String]] = []
        while let row = try r.nextRecord() { out.append(row) }
        return out
    }

    @Test func plainAndQuotedFields() throws {
        #expect(try rows("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try rows("\"Smith, John\",\"He said \"\"hi\"\"\",x\n") == [["Smith, John", "He said \"hi\"", "x"]])
    }

    @Test func embeddedNewlinesCountLines() throws {
        let r = CSVReader(string: "id,note\n1,\"two\nlines\"\n2,after\n")
        _ = try r.nextRecord()
        #expect(try r.nextRecord() == ["1", "two\nlines"])
        #expect(r.line == 2)
        #expect(try r.nextRecord() == ["2", "after"])
        #expect(r.line == 4)
    }

    @Test func crlfBomEmptyFieldsAndNoFinalNewline() throws {
        #expect(try rows("\u{FEFF}a,b\r\n1,\r\n,2") == [["a", "b"], ["1", ""], ["", "2"]])
        #expect(try rows("a,b\r\n\r\n\n1,2\r\n") == [["a", "b"], ["1", "2"]])
        #expect(try rows("") == [])
        #expect(try rows("\"\"") == [[""]])
    }

    @Test func accentsSurvive() throws {
        #expect(try rows("Zoë,Łukasz,Siobhán\n") == [["Zoë", "Łukasz", "Siobhán"]])
    }

    @Test func invalidUTF8NamesLineAndField() throws {
        var bytes = Array("id,name\n1,ok\n2,".utf8)
        bytes += [0x5A, 0x6F, 0xEB]  // "Zo" + Latin-1 ë
        bytes += Array("\n".utf8)
        let r = CSVReader(bytes: bytes, name: "people.csv")
        _ = try r.nextRecord(); _ = try r.nextRecord()
        #expect(throws: CSVError(file: "people.csv", line: 3, field: 2, kind: .invalidUTF8)) { try r.nextRecord() }
        let message = CSVError(file: "people.csv", line: 3, field: 2, kind: .invalidUTF8).description
        #expect(message.contains("people.csv") && message.contains("line 3") && message.contains("field 2") && message.contains("UTF-8"))
    }

    @Test func malformedQuotes() throws {
        #expect(throws: CSVError(file: "input", line: 2, field: 2, kind: .unterminatedQuote)) { try rows("a,b\n1,\"open\nstill open") }
        #expect(throws: CSVError(file: "input", line: 1, field: 1, kind: .textAfterClosingQuote)) { try rows("\"a\"b,c\n") }
        // A quote inside an unquoted field is an ordinary character.
        #expect(try rows("O\"Brien,x\n") == [["O\"Brien", "x"]])
    }

    @Test func streamsAFileAcrossChunkBoundaries() throws {
        let path = NSTemporaryDirectory() + "csvreader-\(UUID().uuidString).csv"
        var text = "\u{FEFF}id,name,note\r\n"
        for i in 0..<500 { text += "\(i),\"Name \(i), Jr\",\"line one\nline \"\"two\"\"\"\r\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CSVReader(path: path, chunkSize: 7)
        #expect(try r.nextRecord() == ["id", "name", "note"])
        var n = 0
        while let row = try r.nextRecord() {
            #expect(row == ["\(n)", "Name \(n), Jr", "line one\nline \"two\""])
            #expect(r.line == 2 + 2 * n)
            n += 1
        }
        #expect(n == 500)
    }

    @Test func missingFileAndMissingColumns() throws {
        #expect(throws: CSVError.self) { try CSVReader(path: "/nonexistent/x.csv") }
        let header = CSVHeader(["id", " given ", "family"])
        #expect(try header.columns(["given", "id"], file: "a.csv") == [1, 0])
        #expect(throws: CSVHeaderError(file: "a.csv", missing: ["dob", "sex"], present: ["id", " given ", "family"])) {
            try header.columns(["dob", "given", "sex"], file: "a.csv")
        }
    }
}
