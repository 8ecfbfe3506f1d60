import Foundation
import FluentKit
import SQLKit
import Feeds

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
