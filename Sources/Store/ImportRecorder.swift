import Foundation
import FluentKit
import SQLKit
import Feeds
import EyesOnCore

/// The import history, shared by every feed: one ``ImportRun`` per file (running, then completed
/// or rejected), the rows it quarantined with their line, field and reason, and the audit entry.
struct ImportRecorder {
    let sql: any SQLDatabase
    let runID: UUID
    /// Rows quarantined so far.
    private(set) var quarantined = 0
    /// The first problems, in file order (all are stored).
    private(set) var firstProblems: [RowProblem] = []
    private var pending: [RowProblem] = []
    /// Problems kept in a report (every problem is stored with the import).
    static let problemsInReport = 200

    /// Records the start of an import of `file` (inside the import's transaction: a failure
    /// leaves no trace but the rejection ``rejected(kind:file:agencyID:started:error:on:)`` writes).
    static func start(kind: String, file: String, agencyID: UUID?, started: Date, on db: any Database) async throws -> ImportRecorder {
        let run = ImportRun(agencyID: agencyID, kind: kind, sourceName: file, status: "running",
                            accepted: 0, updated: 0, quarantined: 0, startedAt: started, finishedAt: nil)
        try await run.create(on: db)
        return ImportRecorder(sql: db as! any SQLDatabase, runID: run.id!)
    }

    mutating func quarantine(_ problem: RowProblem) async throws {
        quarantined += 1
        if firstProblems.count < Self.problemsInReport { firstProblems.append(problem) }
        pending.append(problem)
        if pending.count >= 500 { try await flush() }
    }

    /// Writes the quarantined rows not yet stored.
    mutating func flush() async throws {
        guard !pending.isEmpty else { return }
        var builder = sql.insert(into: "import_problems").columns("id", "import_run_id", "line", "field", "value", "reason")
        for p in pending {
            builder = builder.values(SQLBind(UUID()), SQLBind(runID), SQLBind(p.line), SQLBind(p.field), SQLBind(p.value), SQLBind(p.reason))
        }
        try await builder.run()
        pending.removeAll(keepingCapacity: true)
    }

    /// Marks the import completed with its counts.
    mutating func complete(accepted: Int, updated: Int, referenceDate: String? = nil) async throws {
        try await flush()
        var update = sql.update(ImportRun.schema).set("status", to: "completed").set("records_accepted", to: accepted)
            .set("records_updated", to: updated).set("records_quarantined", to: quarantined).set("finished_at", to: Date())
        if let referenceDate { update = update.set("reference_date", to: referenceDate) }
        try await update.where("id", .equal, runID).run()
    }

    /// Records a file that could not be imported at all (outside the failed transaction): the
    /// history says so, with the reason, and the audit trail too.
    /// Completes the run with the report's counts, gives the report the quarantine, and audits the
    /// import as `detail` says it (given the finished report).
    mutating func finish(_ report: inout FeedImportReport, referenceDate: String? = nil, userID: UUID?, actor: String?, on db: any Database,
                         detail: (FeedImportReport) -> String) async throws {
        try await complete(accepted: report.accepted, updated: report.updated, referenceDate: referenceDate)
        report.quarantined = quarantined
        report.problems = firstProblems
        try await AuditLog.record(.feedImported, on: db, userID: userID, actor: actor, detail: detail(report))
    }

    static func rejected(kind: String, file: String, agencyID: UUID?, started: Date, error: FeedFileError,
                         audit: AuditAction, userID: UUID?, actor: String?, on db: any Database) async throws {
        let run = ImportRun(agencyID: agencyID, kind: kind, sourceName: file, status: "rejected",
                            accepted: 0, updated: 0, quarantined: 0, startedAt: started, finishedAt: Date())
        try await run.create(on: db)
        try await (db as! any SQLDatabase).insert(into: "import_problems")
            .columns("id", "import_run_id", "line", "field", "value", "reason")
            .values(SQLBind(UUID()), SQLBind(run.id!), SQLBind(error.line ?? 0), SQLBind(error.field ?? "file"), SQLBind(""), SQLBind(error.message))
            .run()
        try await AuditLog.record(audit, on: db, userID: userID, actor: actor, detail: "rejected \(file): \(error.description)")
    }

}

/// The import history, for the pages and the command line.
public enum Imports {
    /// An import's quarantined rows (line, field or element, value, reason), in file order.
    public static func problems(runID: UUID, on db: any Database, limit: Int = 10_000) async throws -> [(Int, String, String, String)] {
        try await (db as! any SQLDatabase).raw("""
            SELECT line, field, value, reason FROM import_problems WHERE import_run_id = \(bind: runID) ORDER BY line LIMIT \(unsafeRaw: String(limit))
            """).all().map { (try $0.decode(column: "line", as: Int.self), try $0.decode(column: "field", as: String.self),
                              try $0.decode(column: "value", as: String.self), try $0.decode(column: "reason", as: String.self)) }
    }
}

extension SQLDatabase {
    /// Multi-row INSERTs of bound values, as many rows a statement as keep it under 900 parameters
    /// (well inside both engines' limits).
    func insertRows(_ table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]]) async throws {
        for chunk in rows.chunked(max(1, 900 / columns.count)) {
            var builder = insert(into: table).columns(columns)
            for row in chunk { builder = builder.values(row.map { SQLBind($0) as any SQLExpression }) }
            try await builder.run()
        }
    }

    /// The person each value of an identifier (an NHS number, a UPN) belongs to in the person index.
    func people(withIdentifier kind: IdentifierKind, _ values: [String], chunkSize: Int = 500) async throws -> [String: UUID] {
        var people: [String: UUID] = [:]
        for chunk in Array(Set(values)).chunked(chunkSize) {
            for row in try await raw("SELECT person_id, value FROM person_identifiers WHERE kind = \(bind: kind.rawValue) AND \(isIn("value", chunk))").all() {
                people[try row.decode(column: "value", as: String.self)] = try row.decode(column: "person_id", as: UUID.self)
            }
        }
        return people
    }

    /// Children in the person index by name and date of birth (any case): the child when exactly
    /// one has them. Keyed by `ImportMatching.key`.
    func childrenByNameAndBirth(_ people: [(forename: String, surname: String, dateOfBirth: CivilDate?)]) async throws -> [String: UUID] {
        let dobs = Array(Set(people.compactMap { $0.dateOfBirth?.description }))
        var candidates: [String: [UUID]] = [:]
        for chunk in dobs.chunked(500) {
            for row in try await raw("""
                SELECT id, given_name, family_name, date_of_birth FROM people WHERE kind = 'child' AND \(isIn("date_of_birth", chunk))
                """).all() {
                let key = ImportMatching.key(try row.decode(column: "given_name", as: String.self), try row.decode(column: "family_name", as: String.self),
                                             CivilDate(try row.decode(column: "date_of_birth", as: String.self)))
                candidates[key, default: []].append(try row.decode(column: "id", as: UUID.self))
            }
        }
        var linked: [String: UUID] = [:]
        for person in people {
            let key = ImportMatching.key(person.forename, person.surname, person.dateOfBirth)
            if let hits = candidates[key], hits.count == 1 { linked[key] = hits[0] }
        }
        return linked
    }
}

extension SQLDatabase {
    /// Records that an agency holds a person (its own reference for them): the link the access
    /// policy follows (e.g. the police see the children in their force's incidents and MARACs).
    func linkToAgency(_ links: [(person: UUID, reference: String)], agencyID: UUID) async throws {
        guard !links.isEmpty else { return }
        for chunk in links.chunked(200) {
            var builder = insert(into: PersonIdentifier.schema).columns("id", "person_id", "kind", "value", "agency_id", "scope")
            for link in chunk {
                builder = builder.values(SQLBind(UUID()), SQLBind(link.person), SQLBind(IdentifierKind.agencyLocal.rawValue),
                                         SQLBind(String(link.reference.prefix(64))), SQLBind(agencyID), SQLBind(agencyID.uuidString))
            }
            try await builder.ignoringConflicts(with: ["kind", "scope", "value"]).run()
        }
    }
}

enum ImportMatching {
    static func key(_ forename: String, _ surname: String, _ dateOfBirth: CivilDate?) -> String {
        [forename, surname, dateOfBirth?.description ?? ""].joined(separator: "|").lowercased()
    }
}
