import Foundation
import FluentKit
import SQLKit

/// Whether the data a page was built from has changed since: what lets the server keep a built
/// page (the "not seen" board) and serve it again until a change that could alter it is committed.
///
/// Triggers on every table of child, list, task, setting and account data (schema v26,
/// `AddPageVersions`; every table but those in `untracked`) record each committed change, from any
/// process: the server, an `eyeson import` run by cron, a restore. A version taken before a page's
/// queries is current while no change has been committed since it was taken; a change committed
/// during the queries makes it out of date too, so a kept page is at worst built again, never stale.
///
/// - SQLite: `data_versions.pages`, a counter advanced by a trigger on each row changed (SQLite
///   has no statement triggers; one writer at a time, so never contended), and by the attendance
///   marks' writer once a batch (`bulkWritten`). The version is the count.
/// - PostgreSQL: `page_changes`, one row per transaction that changed a tracked table (statement
///   triggers that add nothing when no row changed). The version is a snapshot
///   (`txid_current_snapshot()`); it is current while every transaction in `page_changes` from
///   the snapshot's oldest on is visible in it. A counter row would make concurrent imports wait
///   for each other (and could deadlock them); a count of rows would grow with the table. Rows
///   older than any version still in use are pruned (`prune`).
public enum PageVersions {
    public enum Version: Sendable, Equatable {
        case counter(Int64)
        case snapshot(xmin: Int64, snapshot: String)
    }

    /// Tables that never change what a kept page shows, so writes to them do not make kept pages
    /// out of date: the audit trail (every page view writes to it), sessions, the migrations'
    /// own table, import bookkeeping (every push writes a run), tokens (their last use), and the
    /// tables derived from others (the household scopes, the versions themselves).
    /// A page kept by the server (`PageCache`) must not read any of these.
    public static let untracked: Set<String> = [
        "_fluent_migrations", "_fluent_sessions", "audit_events", "audit_chain_head", "data_versions", "page_changes",
        "person_link_changes", "household_scopes", "household_scope_stamps", "import_runs", "import_problems",
        "api_tokens",
    ]

    /// Tables written in bulk by one writer (the attendance marks: `MarkWriter`, by COPY and by
    /// upserts of whole batches, whose statements always change rows).
    /// - PostgreSQL: their statement triggers skip the transition tables that the others read to
    ///   see whether a statement changed anything (a million marks copied once more for nothing).
    /// - SQLite: no triggers; the writer advances the counter once a batch (`advance`). A trigger
    ///   a row put a counter update on each of a million marks: 8.5 s against 6.4–7.4 s for the
    ///   import (BENCHMARKS.md, "Kept pages").
    static let bulkWritten: Set<String> = ["attendance_marks"]

    /// SQLite: advances the counter for a batch written to a `bulkWritten` table, in the writer's
    /// transaction. Nothing on PostgreSQL, whose statement triggers record it.
    static func advance(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("UPDATE data_versions SET version = version + 1 WHERE name = 'pages'").run()
    }

    /// The version now, before a page's queries; nil on a database without the triggers (an
    /// older schema), where nothing may be kept.
    public static func current(on db: any Database) async throws -> Version? {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            guard let row = try await sql.raw("""
                SELECT s::text AS snapshot, txid_snapshot_xmin(s) AS xmin, to_regclass('page_changes') IS NOT NULL AS installed \
                FROM txid_current_snapshot() AS s
                """).first(), try row.decode(column: "installed", as: Bool.self) else { return nil }
            return .snapshot(xmin: try row.decode(column: "xmin", as: Int64.self), snapshot: try row.decode(column: "snapshot", as: String.self))
        }
        guard let row = try await sql.raw("SELECT version FROM data_versions WHERE name = 'pages'").first() else { return nil }
        return .counter(try row.decode(column: "version", as: Int64.self))
    }

    /// Whether no tracked change has been committed since `version` was taken.
    public static func isCurrent(_ version: Version, on db: any Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        switch version {
        case .counter:
            guard sql.dialect.name != "postgresql" else { return false }
            return try await current(on: db) == version
        case .snapshot(let xmin, let snapshot):
            guard sql.dialect.name == "postgresql" else { return false }
            return try await sql.raw("""
                SELECT 1 AS changed FROM page_changes WHERE txid >= \(bind: xmin) \
                AND NOT txid_visible_in_snapshot(txid, \(bind: snapshot)::txid_snapshot) LIMIT 1
                """).first() == nil
        }
    }

    /// PostgreSQL: the oldest transaction a version taken now could need (its snapshot's xmin).
    /// Pass an earlier answer, taken longer ago than any kept page may live, to `prune`.
    public static func horizon(on db: any Database) async throws -> Int64? {
        let sql = db as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return nil }
        return try await sql.raw("SELECT txid_snapshot_xmin(txid_current_snapshot()) AS xmin").first()?.decode(column: "xmin", as: Int64.self)
    }

    /// PostgreSQL: deletes the rows of transactions before `horizon`; every version still in use
    /// has a snapshot whose oldest transaction is later, so none of them reads those rows. Returns
    /// how many went.
    @discardableResult
    public static func prune(before horizon: Int64, on db: any Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return 0 }
        return try await sql.raw("WITH gone AS (DELETE FROM page_changes WHERE txid < \(bind: horizon) RETURNING 1) SELECT COUNT(*) AS n FROM gone")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The tables whose changes are tracked: every table (on PostgreSQL every table that is not a
    /// partition: the statement triggers of the partitioned parent cover them) but `untracked`.
    static func trackedTables(_ sql: any SQLDatabase) async throws -> [String] {
        let rows = sql.dialect.name == "postgresql"
            ? try await sql.raw("""
                SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname
                """).all()
            : try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
        return try rows.map { try $0.decode(column: "name", as: String.self) }.filter { !untracked.contains($0) }
    }

    /// Puts the triggers on every tracked table that lacks them: at the migration, and after every
    /// later migration (`StoreSetup.afterMigrations`), so a table added since is tracked too.
    /// Nothing on a database the migration has not reached.
    public static func installTriggers(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            guard try await sql.raw("SELECT to_regclass('page_changes') IS NOT NULL AS installed").first()?.decode(column: "installed", as: Bool.self) == true else { return }
            let existing = Set(try await sql.raw("SELECT tgname FROM pg_trigger WHERE tgname LIKE '%\\_page\\_%' ESCAPE '\\'").all()
                .map { try $0.decode(column: "tgname", as: String.self) })
            for table in try await trackedTables(sql) {
                for (event, rows, transition) in [("INSERT", "new_rows", "NEW"), ("UPDATE", "new_rows", "NEW"), ("DELETE", "old_rows", "OLD")] {
                    let name = "\(table)_page_\(event.lowercased())"
                    guard !existing.contains(name) else { continue }
                    if bulkWritten.contains(table) {
                        try await sql.raw("""
                            CREATE TRIGGER \(ident: name) AFTER \(unsafeRaw: event) ON \(ident: table) FOR EACH STATEMENT EXECUTE FUNCTION page_data_changed()
                            """).run()
                    } else {
                        try await sql.raw("""
                            CREATE TRIGGER \(ident: name) AFTER \(unsafeRaw: event) ON \(ident: table) REFERENCING \(unsafeRaw: transition) TABLE AS \(unsafeRaw: rows) \
                            FOR EACH STATEMENT EXECUTE FUNCTION page_data_\(unsafeRaw: rows == "new_rows" ? "added" : "removed")()
                            """).run()
                    }
                }
                let truncated = "\(table)_page_truncate"
                if !existing.contains(truncated) {
                    try await sql.raw("CREATE TRIGGER \(ident: truncated) AFTER TRUNCATE ON \(ident: table) FOR EACH STATEMENT EXECUTE FUNCTION page_data_changed()").run()
                }
            }
        } else {
            guard try await sql.raw("SELECT 1 AS installed FROM sqlite_master WHERE type = 'table' AND name = 'data_versions'").first() != nil,
                  try await sql.raw("SELECT 1 AS installed FROM data_versions WHERE name = 'pages'").first() != nil else { return }
            for table in try await trackedTables(sql) {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    guard !bulkWritten.contains(table) else {
                        try await sql.raw("DROP TRIGGER IF EXISTS \(ident: "\(table)_page_\(event.lowercased())")").run()
                        continue
                    }
                    try await sql.raw("""
                        CREATE TRIGGER IF NOT EXISTS \(ident: "\(table)_page_\(event.lowercased())") AFTER \(unsafeRaw: event) ON \(ident: table) \
                        BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'pages'; END
                        """).run()
                }
            }
        }
    }
}
