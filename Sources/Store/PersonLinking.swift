import Foundation
import FluentKit
import SQLKit
import Linkage

/// One pair the linking model was not sure enough of: a feed's unmatched record and a child in
/// the person index, with each comparison's part of the match weight (for the review queue's
/// waterfall).
public struct LinkSuggestion: Sendable, Equatable {
    public let personID: UUID
    /// log2 of the odds that the record is the child (the prior's weight included).
    public let weight: Double
    public let probability: Double
    /// The prior first, then one line per comparison (first name, surname, date of birth, …).
    public let contributions: [Contribution]
}

/// What a linking run did.
public struct PersonLinkingSummary: Sendable {
    /// Unmatched records scored, and the children they were scored against.
    public var records = 0
    public var people = 0
    /// Records the model linked (one child only at or above the accept probability).
    public var linked = 0
    /// Pairs left for review, and the records they belong to.
    public var suggestions = 0
    public var recordsForReview = 0
    /// Pairs a person had said were not the same child, left out.
    public var rejectedPairs = 0
    /// Whether this run trained the parameters (else it used the kept ones), and on how many records.
    public var trained = false
    public var trainingRecords = 0
    public var seconds: [(stage: String, seconds: Double)] = []
}

/// Links the feeds' unmatched records to the person index with the Fellegi–Sunter model
/// (`Linkage`), incrementally: only the records no child was found for are scored, against the
/// index's children, with parameters trained once on every named feed record (and kept until
/// trained again). A record the model is sure of (one child only at or above the accept
/// probability, on the weight: a shared UPN or NHS number alone does not do) is linked as a match by hand would have been, and audited with its weight; the pairs it is
/// not sure of wait in the review queue with their evidence. A person's decision that a record is
/// not a child is never overridden: the pair is left out of every later run.
public enum PersonLinking {
    static let parametersKey = "linkage-parameters"
    static let model = LinkageModel.children

    /// The parameters kept by the last training, with what they were trained on.
    public struct KeptParameters: Codable, Sendable {
        public var parameters: TrainedParameters
        public var trainedAt: Date
        public var records: Int
        public var people: Int
    }

    public enum Decision: String, Sendable {
        case same, notSame = "not-same", skipped
    }

    /// Fewer named records than this cannot train the model: the run says so and links nothing.
    public static let minimumTrainingRecords = 50

    public static func keptParameters(on db: any Database) async throws -> KeptParameters? {
        guard let text = try await Setting.query(on: db).filter(\.$key == parametersKey).first()?.value else { return nil }
        return try? JSONDecoder().decode(KeptParameters.self, from: Data(text.utf8))
    }

    /// Scores every unmatched record against the index's children; links the sure ones and keeps
    /// the rest for review (replacing the last run's suggestions). `train`: train the parameters
    /// afresh (they are trained anyway when none are kept).
    public static func run(on db: any Database, actor: String, train: Bool = false) async throws -> PersonLinkingSummary {
        let clock = ContinuousClock()
        var t0 = clock.now
        func lap(_ stage: String, _ summary: inout PersonLinkingSummary) { summary.seconds.append((stage, (clock.now - t0) / .seconds(1))); t0 = clock.now }
        let sql = db as! any SQLDatabase
        var summary = PersonLinkingSummary()
        let people = try await children(sql)
        summary.people = people.count
        lap("read the index", &summary)

        var kept = train ? nil : try await keptParameters(on: db)
        if kept == nil {
            var input = LinkageInput(model: model)
            let records = try await feedRecords(sql, unmatchedOnly: false, feeds: UnmatchedRecord.Feed.allCases.filter(\.hasNames))
            summary.trainingRecords = records.count
            guard records.count >= minimumTrainingRecords, people.count >= minimumTrainingRecords else {
                throw MatchingError(message: "too few records to train the linking model: \(records.count) named feed records and \(people.count) children (at least \(minimumTrainingRecords) of each)")
            }
            for r in records { input.append(.left, id: r.key, values: r.values) }
            for p in people { input.append(.right, id: p.key, values: p.values) }
            input.finishAppending()
            let parameters: TrainedParameters
            do { parameters = try await Linker(model: model).train(input) } catch { throw MatchingError(message: error.description) }
            let fresh = KeptParameters(parameters: parameters, trainedAt: Date(), records: records.count, people: people.count)
            try await PartnershipSettings.save(key: parametersKey, fresh, on: db, actor: actor,
                                               what: "linking parameters trained on \(records.count) feed records and \(people.count) children")
            kept = fresh
            summary.trained = true
            lap("train", &summary)
        }

        let records = try await feedRecords(sql, unmatchedOnly: true, feeds: UnmatchedRecord.Feed.allCases)
        summary.records = records.count
        var input = LinkageInput(model: model)
        for r in records { input.append(.left, id: r.key, values: r.values) }
        for p in people { input.append(.right, id: p.key, values: p.values) }
        input.finishAppending()
        let result: LinkageResult
        do { result = try await Linker(model: model).link(input, parameters: kept!.parameters) } catch { throw MatchingError(message: error.description) }
        lap("score", &summary)

        let rejected = try await rejectedPairs(sql, records: records.map(\.id))
        var byRecord: [Int32: [ScoredPair]] = [:]
        for pair in result.pairs {
            let record = records[Int(pair.left)], person = people[Int(pair.right)]
            if rejected.contains(PairKey(record: record.id, person: person.id)) { summary.rejectedPairs += 1; continue }
            byRecord[pair.left, default: []].append(pair)
        }
        struct Link: Sendable { let feed: UnmatchedRecord.Feed; let record: UUID; let person: UUID; let weight: Double; let probability: Double }
        var links: [Link] = []
        var suggestions: [[any Encodable & Sendable]] = []
        let now = Date()
        for (left, pairs) in byRecord {
            let record = records[Int(left)]
            // Sure: a match on the weight itself. A shared identifier with a date of birth that is
            // near but not the same is a match to the model's pre-pass, but the feeds' imports left
            // it for a person on purpose, so it is linked only when the weight says so too.
            let sure = Set(pairs.filter { $0.decision == .match && $0.probability >= model.acceptProbability }.map(\.right))
            // Contested: another child holds the record's NHS number or UPN, with a date of birth
            // that conflicts (such a pair is never a match itself). A person weighs the two; the
            // model does not pick one by itself.
            let contested = pairs.contains { $0.reason == .identifierConflict }
            if sure.count == 1, !contested, let best = pairs.first(where: { $0.right == sure.first! }) {
                links.append(Link(feed: record.feed, record: record.id, person: people[Int(best.right)].id,
                                  weight: Double(best.weight), probability: best.probability))
                continue
            }
            summary.recordsForReview += 1
            for pair in pairs {
                let contributions = result.explain(left: Int(pair.left), right: Int(pair.right))
                let json = String(decoding: try JSONEncoder().encode(contributions), as: UTF8.self)
                suggestions.append([UUID(), record.feed.rawValue, record.id, people[Int(pair.right)].id, Double(pair.weight),
                                    pair.probability, json, now])
            }
        }
        summary.suggestions = suggestions.count
        let linkedCount = try await db.writeTransaction { [links, suggestions] tx in
            let sql = tx as! any SQLDatabase
            var linked = 0
            for link in links.sorted(by: { ($0.feed.rawValue, $0.record.uuidString) < ($1.feed.rawValue, $1.record.uuidString) }) {
                let reference: String
                do { reference = try await RecordMatching.apply(link.feed, recordID: link.record, to: link.person, sql: sql) } catch is MatchingError {
                    continue  // matched meanwhile (an import, a person), or no longer held
                }
                linked += 1
                try await AuditLog.record(.recordMatched, on: tx, actor: actor, personID: link.person, detail: String(
                    format: "matched %@ record %@ to the child by the linking model (match weight %.1f, probability %.5f)",
                    link.feed.title, reference, link.weight, link.probability))
            }
            try await sql.raw("DELETE FROM link_suggestions").run()
            try await sql.insertRows("link_suggestions", ["id", "feed", "record_id", "person_id", "weight", "probability", "contributions", "run_at"], suggestions)
            try await AuditLog.record(.recordMatched, on: tx, actor: actor, detail: """
                linking run: \(records.count) unmatched records scored against \(people.count) children; \(linked) matched by the model, \
                \(suggestions.count) pairs left for review
                """)
            return linked
        }
        summary.linked = linkedCount
        lap("link", &summary)
        return summary
    }

    /// The review queue's suggestions for these records, most likely first, leaving out the pairs
    /// a person has said are not the same (`rejectedPairs`).
    static func suggestions(_ sql: any SQLDatabase, records: [UUID], leavingOut rejected: Set<PairKey>) async throws -> [UUID: [LinkSuggestion]] {
        var out: [UUID: [LinkSuggestion]] = [:]
        let decoder = JSONDecoder()
        for chunk in records.chunked(300) {
            for row in try await sql.raw("""
                SELECT record_id, person_id, weight, probability, contributions FROM link_suggestions WHERE record_id IN (\(bindList: chunk))
                """).all() {
                let contributions = try decoder.decode([Contribution].self, from: Data(try row.decode(column: "contributions", as: String.self).utf8))
                out[try row.decode(column: "record_id", as: UUID.self), default: []].append(LinkSuggestion(
                    personID: try row.decode(column: "person_id", as: UUID.self), weight: try row.decode(column: "weight", as: Double.self),
                    probability: try row.decode(column: "probability", as: Double.self), contributions: contributions))
            }
        }
        for (record, list) in out {
            out[record] = list.filter { !rejected.contains(PairKey(record: record, person: $0.personID)) }.sorted { $0.weight > $1.weight }
        }
        return out
    }

    struct PairKey: Hashable { let record: UUID; let person: UUID }

    /// What people said about records an import is about to write again. A changed record keeps
    /// its row, and with it the decisions on it: the import never links it to a child someone
    /// said it is not (its identifiers or name would otherwise match it straight back).
    struct RefusedLinks: Sendable {
        let pairs: Set<PairKey>
        init(_ sql: any SQLDatabase, records: [UUID]) async throws {
            pairs = try await PersonLinking.rejectedPairs(sql, records: records)
        }
        /// `person`, unless `record` was said not to be that child.
        func allowing(_ person: UUID?, for record: UUID?) -> UUID? {
            guard let person, let record, pairs.contains(PairKey(record: record, person: person)) else { return person }
            return nil
        }
    }

    /// The pairs a person said are not the same child.
    static func rejectedPairs(_ sql: any SQLDatabase, records: [UUID]) async throws -> Set<PairKey> {
        var out = Set<PairKey>()
        for chunk in records.chunked(300) {
            for row in try await sql.raw("""
                SELECT record_id, person_id FROM link_decisions WHERE decision = \(bind: Decision.notSame.rawValue) AND record_id IN (\(bindList: chunk))
                """).all() {
                out.insert(PairKey(record: try row.decode(column: "record_id", as: UUID.self), person: try row.decode(column: "person_id", as: UUID.self)))
            }
        }
        return out
    }

    /// Keeps a person's decision on a record (and a child, but for a skip).
    static func remember(_ decision: Decision, feed: UnmatchedRecord.Feed, recordID: UUID, personID: UUID?, by actor: String,
                         sql: any SQLDatabase) async throws {
        try await sql.insertRows("link_decisions", ["id", "feed", "record_id", "person_id", "decision", "decided_by", "decided_at"],
                                 [[UUID(), feed.rawValue, recordID, personID, decision.rawValue, actor, Date()]])
        if decision == .notSame, let personID {
            try await sql.raw("DELETE FROM link_suggestions WHERE record_id = \(bind: recordID) AND person_id = \(bind: personID)").run()
        }
    }

    /// A record as the linking model reads it: `values` in `model.fields` order.
    struct Record: Sendable {
        let feed: UnmatchedRecord.Feed
        let id: UUID
        let values: [String?]
        var key: String { "\(feed.rawValue):\(id.uuidString)" }
    }

    /// The model's fields, in its order, from named columns.
    static func values(_ columns: [String: String?]) -> [String?] {
        model.fields.map { columns[$0] ?? nil }
    }

    /// The children of the person index, each with one NHS number and one UPN if held (looked up
    /// in the database, so only one row a child is decoded here).
    static func children(_ sql: any SQLDatabase) async throws -> [(id: UUID, key: String, values: [String?])] {
        func identifier(_ kind: String) -> SQLQueryString {
            "(SELECT i.value FROM person_identifiers i WHERE i.person_id = p.id AND i.kind = \(literal: kind) LIMIT 1)"
        }
        return try await sql.raw("""
            SELECT p.id, p.given_name, p.family_name, p.date_of_birth, p.sex, p.postcode, \(identifier("nhs-number")) AS nhs, \
            \(identifier("upn")) AS upn FROM people p WHERE p.kind = 'child' ORDER BY p.id
            """).all().map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            return (id, id.uuidString, values([
                "first_name": try row.decode(column: "given_name", as: String?.self), "surname": try row.decode(column: "family_name", as: String?.self),
                "dob": try row.decode(column: "date_of_birth", as: String?.self), "sex": try row.decode(column: "sex", as: String?.self),
                "postcode": try row.decode(column: "postcode", as: String?.self),
                "nhs_number": try row.decode(column: "nhs", as: String?.self), "upn": try row.decode(column: "upn", as: String?.self),
            ]))
        }
    }

    /// The feeds' records of children (unmatched only, or all), in a stable order.
    static func feedRecords(_ sql: any SQLDatabase, unmatchedOnly: Bool, feeds: [UnmatchedRecord.Feed]) async throws -> [Record] {
        var out: [Record] = []
        for feed in feeds {
            func column(_ has: Bool, _ name: String) -> String { has ? "t.\(name)" : "NULL" }
            let rows = try await sql.raw("""
                SELECT t.id, \(unsafeRaw: column(feed.hasNames, "forename")) AS forename, \(unsafeRaw: column(feed.hasNames, "surname")) AS surname, \
                t.date_of_birth, \(unsafeRaw: column(feed.hasPostcode, "postcode")) AS postcode, \(unsafeRaw: column(feed.hasNHS, "nhs_number")) AS nhs_number, \
                \(unsafeRaw: column(feed.hasUPN, "upn")) AS upn, \(unsafeRaw: column(feed.hasSex, "sex")) AS sex \
                FROM \(ident: feed.table) t WHERE t.date_of_birth IS NOT NULL\(unsafeRaw: unmatchedOnly ? " AND t.person_id IS NULL" : "")\(unsafeRaw: feed.only) \
                ORDER BY t.id
                """).all()
            for row in rows {
                out.append(Record(feed: feed, id: try row.decode(column: "id", as: UUID.self), values: values([
                    "first_name": try row.decode(column: "forename", as: String?.self), "surname": try row.decode(column: "surname", as: String?.self),
                    "dob": try row.decode(column: "date_of_birth", as: String?.self), "postcode": try row.decode(column: "postcode", as: String?.self),
                    "nhs_number": try row.decode(column: "nhs_number", as: String?.self), "upn": try row.decode(column: "upn", as: String?.self),
                    "sex": try row.decode(column: "sex", as: String?.self),
                ])))
            }
        }
        return out
    }
}
