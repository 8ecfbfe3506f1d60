import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// What the people running EyesOn watch (`/ready`, `/metrics`): whether the database answers and
/// its schema is current, and counts that say something needs attention. Counts only — no child,
/// no name, no identifier — so they need no access policy; the server still shows them only to
/// the holder of the metrics token.
public enum Operations {
    /// The migrations `expected` names that the database has not applied, in order; nil when the
    /// database cannot be read (unreachable, or never migrated).
    public static func pendingMigrations(_ expected: [String], on db: any Database) async -> [String]? {
        guard let rows = try? await (db as! any SQLDatabase).raw("SELECT name FROM _fluent_migrations").all() else { return nil }
        let applied = Set(rows.compactMap { try? $0.decode(column: "name", as: String.self) })
        return expected.filter { !applied.contains($0) }
    }

    /// Why the database cannot take writes, or nil when it can: a PostgreSQL standby (after a
    /// failover that left `DATABASE_URL` pointing at the old primary, now following the new one),
    /// a database set read-only, or a SQLite file or folder the server may not write. nil too when
    /// the database does not answer (`pendingMigrations` reports that).
    public static func readOnlyReason(on db: any Database, sqlitePath: String? = nil) async -> String? {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            struct State: Decodable { let recovering: Bool; let read_only: String }
            guard let state = try? await sql.raw("SELECT pg_is_in_recovery() AS recovering, current_setting('transaction_read_only') AS read_only")
                .first(decoding: State.self) else { return nil }
            if state.recovering { return "the database is a standby and takes no writes: point DATABASE_URL at the primary" }
            if state.read_only == "on" { return "the database is read-only (default_transaction_read_only is on)" }
            return nil
        }
        guard let path = sqlitePath else { return nil }
        let folder = (path as NSString).deletingLastPathComponent
        if !FileManager.default.isWritableFile(atPath: path) { return "the SQLite file \(path) is not writable" }
        if !FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) {
            return "the folder of \(path) is not writable (SQLite writes its log beside the file)"
        }
        return nil
    }

    /// Imports by feed and outcome (completed, rejected, running), since the database began.
    public static func imports(on db: any Database) async throws -> [(feed: String, outcome: String, count: Int)] {
        try await (db as! any SQLDatabase).raw("SELECT kind, status, COUNT(*) AS n FROM import_runs GROUP BY kind, status ORDER BY kind, status").all().map {
            (try $0.decode(column: "kind", as: String.self), try $0.decode(column: "status", as: String.self), try $0.decode(column: "n", as: Int.self))
        }
    }

    /// Tasks still open or escalated whose due day has passed.
    public static func tasksOverdue(today: CivilDate, on db: any Database) async throws -> Int {
        try await count("SELECT COUNT(*) AS n FROM tasks WHERE state IN ('open', 'escalated') AND due_date < \(bind: today.description)", on: db)
    }

    /// Operation Encompass notices not acknowledged by the time they were due.
    public static func noticesOverdue(now: Date, on db: any Database) async throws -> Int {
        try await count("SELECT COUNT(*) AS n FROM encompass_notices WHERE acknowledged_at IS NULL AND due_at < \(bind: now)", on: db)
    }

    /// The audit chain's last place.
    public static func auditEntries(on db: any Database) async throws -> Int {
        try await count("SELECT seq AS n FROM audit_chain_head WHERE id = 1", on: db)
    }

    /// The `n` a one-row query answers (0 when it answers no row).
    static func count(_ query: SQLQueryString, on db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
