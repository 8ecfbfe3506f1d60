import ArgumentParser
import Feeds
import Foundation
import Linkage

/// `eyeson link`: links two CSV files (or de-duplicates one) through a column mapping.
struct LinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Link two CSV files of people (or de-duplicate one) and write the matched pairs.",
        discussion: """
            Fields the built-in model knows: first_name, surname, dob, postcode, nhs_number, upn, sex; \
            id names the column holding each record's id (default: a column called "id", else the row number). \
            Any other mapped field gets a generic string comparison. \
            Example: eyeson link --left school.csv --right health.csv \
            --map id=pupil_id,first_name=forename,surname=surname,dob=dob,postcode=postcode --out pairs.csv
            The output has the columns left_id,right_id,match_weight,match_probability,decision \
            (decision: match at or above the accept threshold, review between the review and accept thresholds).
            """)

    @Option(help: ArgumentHelp("The first CSV file.", valueName: "file")) var left: String?
    @Option(help: ArgumentHelp("The second CSV file.", valueName: "file")) var right: String?
    @Option(help: ArgumentHelp("De-duplicate this one CSV file instead of linking two.", valueName: "file")) var dedupe: String?
    @Option(help: ArgumentHelp("field=column pairs, comma-separated (for both files unless --right-map is given).", valueName: "mapping"))
    var map: String
    @Option(name: .customLong("right-map"), help: ArgumentHelp("field=column pairs for the right file, when its columns differ.", valueName: "mapping"))
    var rightMap: String?
    @Option(help: ArgumentHelp("A JSON model file (default: the built-in model for children).", valueName: "file")) var model: String?
    @Option(help: ArgumentHelp("Accept threshold: match probability at or above which a pair is a match (default from the model, 0.95).", valueName: "P"))
    var threshold: Double?
    @Option(name: .customLong("review-threshold"), help: ArgumentHelp("Pairs at or above this probability and below the accept threshold are written for review (default 0.5).", valueName: "P"))
    var reviewThreshold: Double?
    @Flag(name: .customLong("one-to-one"), help: "Each record keeps at most one match (each file holds one record per person).")
    var oneToOne = false
    @Option(name: .customLong("parameters-out"), help: ArgumentHelp("Write the trained parameters (m, u, λ) as JSON here.", valueName: "file"))
    var parametersOut: String?
    @Option(name: .customLong("parameters"), help: ArgumentHelp("Link with these parameters (from --parameters-out) instead of training: a new extract against an index already trained on.", valueName: "file"))
    var parameters: String?
    @Option(help: ArgumentHelp("Where to write the pairs (CSV).", valueName: "file")) var out: String

    func validate() throws {
        if dedupe == nil && (left == nil || right == nil) { throw ValidationError("give --left and --right, or --dedupe") }
        if dedupe != nil && (left != nil || right != nil) { throw ValidationError("--dedupe takes one file; do not give --left or --right with it") }
        for (name, p) in [("--threshold", threshold), ("--review-threshold", reviewThreshold)] {
            if let p, !(0...1).contains(p) { throw ValidationError("\(name) must be a probability between 0 and 1") }
        }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let job = try LinkJob(left: dedupe ?? left!, right: dedupe == nil ? right! : nil, map: map, rightMap: rightMap,
                              modelPath: model, threshold: threshold, reviewThreshold: reviewThreshold, oneToOne: oneToOne,
                              parametersPath: parameters)
        let outcome = try await job.run()
        let writeStart = clock.now
        try LinkJob.writePairs(outcome, to: out)
        if let parametersOut {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            do { try encoder.encode(outcome.result.parameters).write(to: URL(fileURLWithPath: parametersOut)) } catch {
                throw Failure("cannot write \(parametersOut): \(error.localizedDescription)")
            }
        }
        let writeSeconds = (clock.now - writeStart) / .seconds(1)
        let r = outcome.result.report
        var lines: [String] = []
        if dedupe != nil {
            lines.append("Records: \(r.leftRecords) in \(outcome.leftName)")
        } else {
            lines.append("Records: \(r.leftRecords) left (\(outcome.leftName)), \(r.rightRecords) right (\(outcome.rightName))")
        }
        lines.append("Candidate pairs compared: \(r.candidatePairs)" + (r.skippedBlocks > 0 ? " (\(r.skippedBlocks) oversized blocks skipped)" : ""))
        lines.append("Pairs written: \(r.matches) match, \(r.reviews) review → \(out)")
        lines.append("People with more than one record: \(r.linkedPeople)")
        lines.append(String(format: "Prior λ: %.3g", outcome.result.parameters.lambda))
        if let share = r.counterpartShare {
            lines.append(String(format: "One-to-one: %.1f%% of left and %.1f%% of right records expected to have a counterpart",
                                share.left * 100, share.right * 100))
        }
        for (field, n) in r.issues.unparseable.sorted(by: { $0.key < $1.key }) {
            lines.append("Unparseable \(field) values treated as missing: \(n)")
        }
        for (side, issues) in outcome.sideIssues {
            if issues.duplicateIdCount > 0 {
                lines.append("Duplicate ids in \(side): \(issues.duplicateIdCount) (e.g. \(issues.duplicateIds.prefix(5).joined(separator: ", ")))")
            }
        }
        var timing = "Timings: read+encode \(format(outcome.readSeconds)) s"
        for (stage, s) in r.timings { timing += ", \(stage) \(format(s)) s" }
        timing += ", write \(format(writeSeconds)) s, total \(format((clock.now - start) / .seconds(1))) s"
        lines.append(timing)
        print(lines.joined(separator: "\n"))
    }

    private func format(_ s: Double) -> String { String(format: "%.2f", s) }
}

/// The work of `eyeson link`, separate from argument parsing so that tests can drive it.
struct LinkJob {
    let leftPath: String
    let rightPath: String?
    let leftMapping: [(field: String, column: String)]
    let rightMapping: [(field: String, column: String)]
    let model: LinkageModel
    let oneToOne: Bool

    struct Outcome {
        let result: LinkageResult
        let leftIds: [String]
        let rightIds: [String]
        let leftName: String
        let rightName: String
        let readSeconds: Double
        let sideIssues: [(String, InputIssues)]
    }

    /// Parameters kept from an earlier run (`--parameters`): no training.
    let trained: TrainedParameters?

    static let knownFields = ["first_name", "surname", "dob", "postcode", "nhs_number", "upn", "sex"]

    init(left: String, right: String?, map: String, rightMap: String?, modelPath: String?, threshold: Double?,
         reviewThreshold: Double?, oneToOne: Bool, parametersPath: String? = nil) throws {
        leftPath = left
        rightPath = right
        leftMapping = try Self.parseMapping(map)
        rightMapping = try rightMap.map(Self.parseMapping) ?? leftMapping
        var model = LinkageModel.children
        if let modelPath {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: modelPath)) } catch { throw Failure("cannot read the model file \(modelPath)") }
            do { model = try JSONDecoder().decode(LinkageModel.self, from: data) } catch {
                throw Failure("\(modelPath): not a linkage model (\(Self.describe(error)))")
            }
            do { try model.validate() } catch { throw Failure("\(modelPath): \(error.description)") }
        }
        let fields = leftMapping.map(\.field).filter { $0 != "id" }
        if Set(fields) != Set(rightMapping.map(\.field).filter { $0 != "id" }) {
            throw Failure("--map and --right-map must map the same fields")
        }
        if modelPath != nil {
            let missing = model.fields.filter { !fields.contains($0) }
            if !missing.isEmpty {
                throw Failure("the model uses field\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")), which --map does not map")
            }
        } else {
            model = Self.adapt(model, to: fields)
        }
        if let threshold { model.acceptProbability = threshold }
        if let reviewThreshold { model.reviewProbability = reviewThreshold }
        if model.reviewProbability > model.acceptProbability { model.reviewProbability = model.acceptProbability }
        self.model = model
        self.oneToOne = oneToOne
        if let parametersPath {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: parametersPath)) } catch { throw Failure("cannot read the parameters file \(parametersPath)") }
            let kept: TrainedParameters
            do { kept = try JSONDecoder().decode(TrainedParameters.self, from: data) } catch {
                throw Failure("\(parametersPath): not trained parameters (\(Self.describe(error)))")
            }
            let expected = model.comparisons.map(\.name), given = kept.comparisons.map(\.name)
            guard expected == given, zip(model.comparisons, kept.comparisons).allSatisfy({ $0.levels.count == $1.m.count && $1.m.count == $1.u.count }) else {
                throw Failure("\(parametersPath): trained for the comparisons \(given.joined(separator: ", ")), not this model's \(expected.joined(separator: ", "))")
            }
            trained = kept
        } else {
            trained = nil
        }
    }

    /// The built-in model cut down to the mapped fields, with a generic comparison for every
    /// mapped field it does not know.
    static func adapt(_ base: LinkageModel, to fields: [String]) -> LinkageModel {
        var model = base
        let present = Set(fields)
        model.comparisons = base.comparisons.filter { present.contains($0.field) }.map { c in
            var c = c
            if let s = c.swapWith, !present.contains(s) {
                c.swapWith = nil
                c.levels.removeAll { $0.type == ComparisonType.swapped.rawValue }
            }
            return c
        }
        for f in fields where !knownFields.contains(f) {
            model.comparisons.append(Comparison(name: f, field: f, kind: .string, termFrequency: true, levels: [
                .init(.exact), .init(.jaroWinkler, threshold: 0.92), .init(.jaroWinkler, threshold: 0.8), .init(.else),
            ]))
        }
        func usable(_ r: BlockingRule) -> Bool { r.keys.allSatisfy { present.contains($0.field) } }
        model.blockingRules = base.blockingRules.filter(usable)
        model.trainingRules = base.trainingRules?.filter(usable)
        if model.trainingRules?.isEmpty == true { model.trainingRules = nil }
        model.deterministicFields = base.deterministicFields.filter { present.contains($0) }
        // Fields outside the built-in rules: block on their exact value too.
        for f in fields where !knownFields.contains(f) {
            model.blockingRules.append(BlockingRule(name: f, keys: [.init(f)]))
        }
        if model.blockingRules.isEmpty, let f = fields.first {
            model.blockingRules.append(BlockingRule(name: f, keys: [.init(f)]))
        }
        return model
    }

    static func parseMapping(_ text: String) throws -> [(field: String, column: String)] {
        var out: [(String, String)] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
                throw Failure("--map: '\(part)' is not field=column")
            }
            if out.contains(where: { $0.0 == pieces[0] }) { throw Failure("--map: field \(pieces[0]) is mapped twice") }
            out.append((pieces[0], pieces[1]))
        }
        if out.isEmpty { throw Failure("--map is empty") }
        return out
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        case DecodingError.keyNotFound(let k, _): return "missing \"\(k.stringValue)\""
        case DecodingError.typeMismatch(_, let c): return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.valueNotFound(_, let c): return "missing value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return String(describing: error)
        }
    }

    func run() async throws -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        var input = LinkageInput(model: model, fields: leftMapping.map(\.field).filter { $0 != "id" })
        var leftIssues = InputIssues(), rightIssues = InputIssues()
        let leftIds = try read(leftPath, mapping: leftMapping, side: .left, into: &input)
        leftIssues.duplicateIdCount = input.issues.duplicateIdCount
        leftIssues.duplicateIds = input.issues.duplicateIds
        var rightIds: [String] = []
        if let rightPath {
            rightIds = try read(rightPath, mapping: rightMapping, side: .right, into: &input)
            rightIssues.duplicateIdCount = input.issues.duplicateIdCount - leftIssues.duplicateIdCount
            rightIssues.duplicateIds = Array(input.issues.duplicateIds.dropFirst(leftIssues.duplicateIds.count))
        }
        input.finishAppending()
        let readSeconds = (clock.now - start) / .seconds(1)
        var options = LinkageOptions()
        options.oneToOne = oneToOne
        let linker = Linker(model: model, options: options)
        let result: LinkageResult
        do {
            if let trained {
                result = try await linker.link(input, parameters: trained, dedupe: rightPath == nil)
            } else {
                result = rightPath == nil ? try await linker.dedupe(input) : try await linker.link(input)
            }
        } catch {
            throw Failure(error.description)
        }
        var sides = [("\(leftPath)", leftIssues)]
        if let rightPath { sides.append((rightPath, rightIssues)) }
        return Outcome(result: result, leftIds: leftIds, rightIds: rightPath == nil ? leftIds : rightIds,
                       leftName: leftPath, rightName: rightPath ?? leftPath, readSeconds: readSeconds, sideIssues: sides)
    }

    /// Reads one CSV into `input`; returns the ids.
    private func read(_ path: String, mapping: [(field: String, column: String)], side: Side, into input: inout LinkageInput) throws -> [String] {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw Failure(error.description) }
        do {
            guard let header = try reader.nextRecord() else { return [] }   // an empty file: no records
            let columns = CSVHeader(header)
            let resolved: [Int]
            do throws(CSVHeaderError) { resolved = try columns.columns(mapping.map(\.column), file: path) } catch {
                let names = mapping.filter { error.missing.contains($0.column) }.map { "'\($0.column)' (for \($0.field))" }
                throw Failure("\(path): no column\(names.count == 1 ? "" : "s") \(names.joined(separator: ", ")); the columns are \(header.joined(separator: ", "))")
            }
            let idColumn = mapping.firstIndex(where: { $0.field == "id" }).map { resolved[$0] } ?? columns.column("id")
            let fieldColumns = input.fields.map { f in resolved[mapping.firstIndex(where: { $0.field == f })!] }
            var ids: [String] = []
            var values = [String?](repeating: nil, count: fieldColumns.count)
            var row = 0
            // The file is parsed on a thread of its own while this one encodes (two cores).
            let rows = BackgroundBatches { () throws(CSVError) in try reader.nextRecord() }
            while let batch = try rows.next() {
                for record in batch {
                    row += 1
                    for (k, c) in fieldColumns.enumerated() { values[k] = c < record.count ? record[c] : nil }
                    let id = idColumn.flatMap { $0 < record.count ? record[$0] : nil } ?? String(row)
                    ids.append(id)
                    input.append(side, id: id, values: values)
                }
            }
            return ids
        } catch let error as CSVError {
            throw Failure(error.description)
        }
    }

    /// Writes `left_id,right_id,match_weight,match_probability,decision`, matches first then
    /// review, each by falling weight.
    static func writePairs(_ outcome: Outcome, to path: String) throws {
        guard let file = fopen(path, "wb") else { throw Failure("cannot write \(path)") }
        defer { fclose(file) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        buffer.append(contentsOf: "left_id,right_id,match_weight,match_probability,decision\n".utf8)
        func flush() { buffer.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, file) }; buffer.removeAll(keepingCapacity: true) }
        let pairs = outcome.result.pairs.sorted { a, b in
            if a.decision != b.decision { return a.decision == .match }
            return a.weight > b.weight
        }
        for p in pairs {
            appendField(outcome.leftIds[Int(p.left)], to: &buffer); buffer.append(0x2C)
            appendField(outcome.rightIds[Int(p.right)], to: &buffer); buffer.append(0x2C)
            appendFixed(Double(p.weight), decimals: 3, to: &buffer); buffer.append(0x2C)
            appendFixed(p.probability, decimals: 6, to: &buffer); buffer.append(0x2C)
            buffer.append(contentsOf: p.decision.rawValue.utf8); buffer.append(0x0A)
            if buffer.count > (1 << 20) - 4096 { flush() }
        }
        flush()
    }

    private static let powersOfTen: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6]

    /// Appends `x` with `decimals` places (at most 6), as `%.Nf` would (a million pairs through
    /// `String(format:)` took seconds).
    static func appendFixed(_ x: Double, decimals: Int, to buffer: inout [UInt8]) {
        let scaled = (abs(x) * powersOfTen[decimals]).rounded()
        guard x.isFinite, scaled < 9e15 else { buffer.append(contentsOf: String(format: "%.\(decimals)f", x).utf8); return }
        var n = UInt64(scaled)
        if x < 0 && n > 0 { buffer.append(0x2D) }
        let start = buffer.count
        var k = 0
        repeat {
            buffer.append(UInt8(48 + n % 10)); n /= 10; k += 1
            if k == decimals { buffer.append(0x2E) }
        } while n > 0 || k <= decimals
        buffer[start...].reverse()
    }

    static func appendField(_ s: String, to buffer: inout [UInt8]) {
        if s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            buffer.append(0x22)
            for b in s.utf8 { if b == 0x22 { buffer.append(0x22) }; buffer.append(b) }
            buffer.append(0x22)
        } else {
            buffer.append(contentsOf: s.utf8)
        }
    }
}
