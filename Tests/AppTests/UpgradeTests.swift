import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Store
import TestSupport
@testable import App

/// Upgrading from every earlier schema: each release added migrations at the end of
/// `StoreMigrations.all`, so the database release k left is the one its first k migrations make.
/// A reference database is loaded with this release's demo area (every feed imported, the agreed
/// list, attendance, meetings, incidents, shares, users and the audit trail). For each earlier
/// schema, a database is made with that schema and filled with the reference's rows — the tables
/// and columns that schema has, values copied exactly —, every row of every table is read, the
/// database is upgraded to this release, and every row must still be there with every value it
/// had. The upgrade tests next to the migrations they test (`EyesOnUpgradeTests`, the audit
/// chain's) check what an upgrade fills in.
@Suite("Upgrading from every earlier schema keeps every row and value")
struct UpgradeTests {
    /// Every earlier schema: v1 … the one before this release's.
    static var earlier: [Int] { Array(1..<StoreMigrations.all.count) }

    @Test("from schema v1 … the one before this release, with the demo area's data", arguments: Engine.available)
    func everyEarlierSchema(engine: Engine) async throws {
        let reference = try await ScratchDatabase(engine)
        let source = try await reference.openStore(extraMigrations: AppMigrations.sessions)
        do {
            _ = try await DemoArea.load(on: source.db, children: 1_000, seed: 11, asOf: CivilDate(year: 2026, month: 11, day: 25)!, attendanceDays: 5)
            let tables = try await Self.tables(source.sql)
            for release in Self.earlier {
                try await Self.upgrade(from: release, engine: engine, source: source.sql, tables: tables)
            }
        } catch {
            await source.shutdown(); await reference.remove()
            throw error
        }
        await source.shutdown()
        await reference.remove()
    }

    static func upgrade(from release: Int, engine: Engine, source: any SQLDatabase, tables: [String: [String]]) async throws {
        let scratch = try await ScratchDatabase(engine)
        let store = try EyesOnStore(location: scratch.location, extraMigrations: AppMigrations.sessions)
        do {
            try await store.migrate(first: release)
            let name = StoreMigrations.all[release - 1].name
            let copied = try await copy(from: source, tables: tables, into: store)
            let before = try await snapshot(store.sql)
            let rows = before.values.reduce(0) { $0 + $1.rows.count }
            #expect(rows >= copied && rows > 10_000, "v\(release) (\(name)): \(copied) rows copied, \(rows) read back")
            try await store.migrate()
            let after = try await snapshot(store.sql)
            for (table, old) in before.sorted(by: { $0.key < $1.key }) {
                guard let new = after[table] else {
                    Issue.record("v\(release) (\(name)): the upgrade dropped the table \(table)")
                    continue
                }
                let missing = old.columns.filter { !new.columns.contains($0) }
                #expect(missing.isEmpty, "v\(release) (\(name)): \(table) lost its columns \(missing)")
                let kept = project(new, onto: old.columns)
                if kept != old.rows {
                    let lost = Set(old.rows).subtracting(kept)
                    Issue.record("v\(release) (\(name)): \(table) had \(old.rows.count) rows, has \(new.rows.count); \(lost.count) changed or lost, e.g. \(ordered(Array(lost)).prefix(2))")
                }
            }
        } catch {
            await store.shutdown(); await scratch.remove()
            Issue.record("v\(release): \(String(reflecting: error))")
            throw error
        }
        await store.shutdown()
        await scratch.remove()
    }

    /// The tables (but Fluent's bookkeeping, and a partitioned table's partitions, read through it) and their columns.
    static func tables(_ sql: any SQLDatabase) async throws -> [String: [String]] {
        let postgres = sql.dialect.name != "sqlite"
        let names = try await sql.raw(postgres
            ? """
              SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
              AND table_name NOT IN (SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid)
              """
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
            .map { try $0.decode(column: "name", as: String.self) }
            .filter { $0 != "_fluent_migrations" }
        var out: [String: [String]] = [:]
        for table in names {
            out[table] = try await sql.raw(postgres
                ? "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = \(bind: table) ORDER BY ordinal_position"
                : "SELECT name FROM pragma_table_info(\(bind: table)) ORDER BY cid").all()
                .map { try $0.decode(column: "name", as: String.self) }
        }
        return out
    }

    /// Replaces the store's rows with the source's, only the columns both have, each value as
    /// the engine's own literal of it (`quote` on SQLite, `quote_nullable` on PostgreSQL), in one
    /// transaction with foreign keys checked at the end (SQLite) or not at all (PostgreSQL, where
    /// the rows come from a database that had them all). Returns how many rows.
    static func copy(from source: any SQLDatabase, tables: [String: [String]], into store: EyesOnStore) async throws -> Int {
        let target = try await Self.tables(store.sql)
        let postgres = store.sql.dialect.name != "sqlite"
        // From v15 the database moves the audit chain's head as each entry goes in (a trigger, which
        // PostgreSQL's replica role skips and SQLite cannot): on SQLite the entries go in in order
        // onto the head the migration seeded, and the trigger brings the head to the last.
        let chainTrigger = postgres ? false
            : try await store.sql.raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_chain_advance'").first() != nil
        var literalRows: [(table: String, columns: [String], rows: [[String]])] = []
        for (table, columns) in target.sorted(by: { $0.key < $1.key }) {
            guard let have = tables[table], !(chainTrigger && table == "audit_chain_head") else { continue }
            let shared = columns.filter(have.contains)
            let list = shared.enumerated().map { "\(postgres ? "quote_nullable" : "quote")(\(quoted($0.element, in: source))) AS c\($0.offset)" }.joined(separator: ", ")
            let order = table == "audit_events" && shared.contains("seq") ? " ORDER BY seq" : ""
            let rows = try await source.raw("SELECT \(unsafeRaw: list) FROM \(ident: table)\(unsafeRaw: order)").all().map { row in
                try shared.indices.map { try row.decode(column: "c\($0)", as: String.self) }
            }
            literalRows.append((table, shared, rows))
        }
        let batches = literalRows
        return try await store.db.transaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.raw(postgres ? "SET LOCAL session_replication_role = replica" : "PRAGMA defer_foreign_keys = ON").run()
            var copied = 0
            for (table, columns, rows) in batches {
                // What the migrations seeded (the audit chain's head, the bank holidays…) gives way to the reference's.
                try await sql.raw("DELETE FROM \(ident: table)").run()
                let names = columns.map { quoted($0, in: sql) }.joined(separator: ", ")
                for start in stride(from: 0, to: rows.count, by: 200) {
                    let values = rows[start..<min(start + 200, rows.count)].map { "(" + $0.joined(separator: ", ") + ")" }.joined(separator: ", ")
                    try await sql.raw("INSERT INTO \(ident: table) (\(unsafeRaw: names)) VALUES \(unsafeRaw: values)").run()
                }
                copied += rows.count
            }
            return copied
        }
    }

    struct Table { var columns: [String]; var rows: [[String?]] }

    /// Every table's rows, each column cast to text (sorted, so the order rows come in does not
    /// matter); Fluent's own bookkeeping left out.
    static func snapshot(_ sql: any SQLDatabase) async throws -> [String: Table] {
        var out: [String: Table] = [:]
        for (table, columns) in try await tables(sql) {
            let list = columns.enumerated().map { "CAST(\(quoted($0.element, in: sql)) AS TEXT) AS c\($0.offset)" }.joined(separator: ", ")
            let rows = try await sql.raw("SELECT \(unsafeRaw: list) FROM \(ident: table)").all().map { row in
                try columns.indices.map { try row.decode(column: "c\($0)", as: String?.self) }
            }
            out[table] = Table(columns: columns, rows: ordered(rows))
        }
        return out
    }

    /// A column's name as the engine quotes it.
    static func quoted(_ name: String, in sql: any SQLDatabase) -> String {
        var serializer = SQLSerializer(database: sql)
        SQLIdentifier(name).serialize(to: &serializer)
        return serializer.sql
    }

    /// Rows in one order whatever order they came in (NULL before any text).
    static func ordered(_ rows: [[String?]]) -> [[String?]] {
        rows.sorted { a, b in
            a.lexicographicallyPrecedes(b) { x, y in
                switch (x, y) {
                case (nil, nil): return false
                case (nil, _): return true
                case (_, nil): return false
                case let (x?, y?): return x < y
                }
            }
        }
    }

    /// The upgraded table's rows, only the columns the earlier schema had, sorted.
    static func project(_ table: Table, onto columns: [String]) -> [[String?]] {
        let at = columns.map { table.columns.firstIndex(of: $0) }
        return ordered(table.rows.map { row in at.map { $0.map { row[$0] } ?? nil } })
    }
}
