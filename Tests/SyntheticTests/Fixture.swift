import EyesOnCore
import Foundation
@testable import Synthetic
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One synthetic area of 10,000 children, generated and written once for all tests.
enum Fixture {
    static let asOf = CivilDate("2025-01-15")!
    static let configuration = AreaConfiguration(children: 10_000, seed: 20_250_115, asOf: asOf)
    static let area = SyntheticArea.generate(configuration)

    /// The extracts written to a temporary folder.
    static let written: (directory: URL, files: [ExtractFile]) = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("synthetic-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: directory)
        let files = try! area.writeExtracts(to: directory)
        return (directory, files)
    }()

    static var directory: URL { written.directory }

    static func data(_ name: String) -> Data {
        try! Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// A CSV file parsed as RFC 4180 (quotes honoured): the header and the data rows.
    static func csv(_ name: String) -> (header: [String], rows: [[String]]) {
        let all = CSV.parse(data(name))
        return (all.first ?? [], Array(all.dropFirst()))
    }

    /// Rows as dictionaries keyed by column name.
    static func records(_ name: String) -> [[String: String]] {
        let (header, rows) = csv(name)
        return rows.map { row in
            var d: [String: String] = [:]
            for (i, column) in header.enumerated() where i < row.count { d[column] = row[i] }
            return d
        }
    }

    /// `truth.csv` as file → record key → truth person id.
    static let truth: [String: [String: Int]] = {
        var out: [String: [String: Int]] = [:]
        for row in CSV.parse(data("truth.csv")).dropFirst() {
            out[row[0], default: [:]][row[1]] = Int(row[2])!
        }
        return out
    }()

    /// How many truth rows each file has (to catch duplicate keys).
    static let truthRowCounts: [String: Int] = {
        var out: [String: Int] = [:]
        for row in CSV.parse(data("truth.csv")).dropFirst() { out[row[0], default: 0] += 1 }
        return out
    }()

    static let cinXML: XMLNode = XMLNode.parse(data("cin-census.xml"))!
}

/// A minimal RFC 4180 reader for the tests: commas, double quotes (doubled inside), CRLF or LF.
enum CSV {
    static func parse(_ data: Data) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var fieldWasQuoted = false
        let bytes = [UInt8](data)
        var i = 0
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == 34 {
                    if i + 1 < bytes.count && bytes[i + 1] == 34 {
                        field.append(34)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(b)
                }
            } else {
                switch b {
                case 34 where field.isEmpty && !fieldWasQuoted:
                    inQuotes = true
                    fieldWasQuoted = true
                case 44:
                    endField()
                case 13:
                    break
                case 10:
                    endField()
                    rows.append(row)
                    row = []
                default:
                    field.append(b)
                }
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }
}

/// A parsed XML element (Foundation's XMLParser), for the CIN census tests. Built once by the
/// parser and only read afterwards, hence `@unchecked Sendable`.
final class XMLNode: @unchecked Sendable {
    let name: String
    var children: [XMLNode] = []
    var text = ""
    weak var parent: XMLNode?

    init(name: String) { self.name = name }

    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// Every element below this one, depth first.
    func descendants() -> [XMLNode] {
        var out: [XMLNode] = []
        var stack = Array(children.reversed())
        while let n = stack.popLast() {
            out.append(n)
            stack.append(contentsOf: n.children.reversed())
        }
        return out
    }

    static func parse(_ data: Data) -> XMLNode? {
        let parser = XMLParser(data: data)
        let delegate = Builder()
        parser.delegate = delegate
        guard parser.parse() else { return nil }
        return delegate.root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var current: XMLNode?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let node = XMLNode(name: elementName)
            node.parent = current
            if let current { current.children.append(node) } else { root = node }
            current = node
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            current?.text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            current?.text = current?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            current = current?.parent
        }
    }
}

extension SyntheticArea {
    /// National Curriculum year of a child in the fixture's academic year.
    func ncYear(_ p: SyntheticPerson) -> Int? {
        guard let dob = p.dateOfBirth else { return nil }
        let cohort = dob.month >= 9 ? dob.year : dob.year - 1
        return internals.academicYear - cohort - 5
    }
}
