import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
@testable import Store
import TestSupport

/// The page version (PageVersions): what tells the server a kept page is out of date. It must
/// move for a committed change to any table a page reads, and only once the change is committed.
@Suite("Page versions")
struct PageVersionsTests {
    static func person(_ sql: any SQLDatabase) async throws -> UUID {
        let id = UUID()
        try await sql.raw("""
            INSERT INTO people (id, kind, given_name, family_name, date_of_birth, sex, created_at) \
            VALUES (\(bind: id), 'child', 'Ada', 'Example', '2018-03-04', 'female', \(bind: Date()))
            """).run()
        return id
    }

    @Test("a version stays current until a change is committed, from any connection; reads and audit entries leave it current", arguments: Engine.available)
    func currentUntilCommitted(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let sql = store.sql
            let child = try await Self.person(sql)
            let version = try #require(try await PageVersions.current(on: store.db))
            #expect(try await PageVersions.isCurrent(version, on: store.db))
            // Reading, and the audit trail every page view writes, change nothing a page shows.
            _ = try await sql.raw("SELECT * FROM people").all()
            try await AuditLog.record(.boardViewed, on: store.db, userID: nil, actor: "test", detail: "a board view")
            #expect(try await PageVersions.isCurrent(version, on: store.db))

            // A change inside a transaction not yet committed leaves it current for everyone else:
            // another process's handle on the same database (the store's own pool may have no
            // second connection free while the transaction holds one).
            let other = try EyesOnStore(location: store.location)
            do {
                try await store.db.writeTransaction { tx in
                    try await (tx as! any SQLDatabase).raw("UPDATE people SET given_name = 'Renamed' WHERE id = \(bind: child)").run()
                    #expect(try await PageVersions.isCurrent(version, on: other.db), "not yet committed")
                }
                #expect(try await !PageVersions.isCurrent(version, on: other.db), "committed")
            } catch {
                await other.shutdown()
                throw error
            }
            await other.shutdown()

            // An update that changes no row moves nothing; a delete does.
            let after = try #require(try await PageVersions.current(on: store.db))
            try await sql.raw("UPDATE people SET given_name = 'Nobody' WHERE id = \(bind: UUID())").run()
            #expect(try await PageVersions.isCurrent(after, on: store.db))
            try await sql.raw("DELETE FROM people WHERE id = \(bind: child)").run()
            #expect(try await !PageVersions.isCurrent(after, on: store.db))
        }
    }

    @Test("every table a page could read carries the triggers; the untracked ones carry none, nor on SQLite the marks (their writer moves the version)", arguments: Engine.available)
    func everyTableTracked(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let sql = store.sql
            let postgres = sql.dialect.name == "postgresql"
            let tables = try await sql.raw(postgres
                ? "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
                .map { try $0.decode(column: "name", as: String.self) }
            let triggers = Set(try await sql.raw(postgres ? "SELECT tgname AS name FROM pg_trigger" : "SELECT name FROM sqlite_master WHERE type = 'trigger'").all()
                .map { try $0.decode(column: "name", as: String.self) })
            #expect(tables.contains("list_entries") && tables.contains("people") && tables.contains("tasks") && tables.contains("attendance_marks"))
            for table in tables {
                let has = ["insert", "update", "delete"].map { triggers.contains("\(table)_page_\($0)") }
                if PageVersions.untracked.contains(table) || (!postgres && PageVersions.bulkWritten.contains(table)) {
                    #expect(!has.contains(true), "\(table) is untracked")
                } else {
                    #expect(!has.contains(false), "\(table) lacks a trigger")
                }
            }
        }
    }

    @Test("the attendance marks' writer moves the version for each batch it writes or corrects (SQLite has no trigger a mark)", arguments: Engine.available)
    func marksMoveTheVersion(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await EyesOnTests.loaded(store)
            let pupil = try #require(try await store.sql.raw("SELECT number FROM attendance_pupils ORDER BY number LIMIT 1").first()?
                .decode(column: "number", as: Int64.self))
            let day = EyesOnTests.asOf.adding(days: 1)
            let present = try AttendanceCode.lookup("/", on: day), absent = try AttendanceCode.lookup("N", on: day)
            let version = try #require(try await PageVersions.current(on: store.db))
            try await store.db.writeTransaction { tx in try await MarkWriter.insert([(pupil, SessionMark(date: day, session: .am, code: present))], on: tx) }
            #expect(try await !PageVersions.isCurrent(version, on: store.db), "a new mark")
            let after = try #require(try await PageVersions.current(on: store.db))
            try await store.db.writeTransaction { tx in try await MarkWriter.correct([(pupil, SessionMark(date: day, session: .am, code: absent))], on: tx) }
            #expect(try await !PageVersions.isCurrent(after, on: store.db), "a corrected mark")
        }
    }

    @Test("PostgreSQL: pruning below a horizon keeps every change a version taken since could need")
    func pruning() async throws {
        guard Engine.available.contains(.postgres) else { return }
        try await withScratchStore(.postgres) { store in
            let sql = store.sql
            _ = try await Self.person(sql)
            let first = try #require(try await sql.raw("SELECT MAX(txid) AS t FROM page_changes").first()?.decode(column: "t", as: Int64.self))
            let version = try #require(try await PageVersions.current(on: store.db))
            let child = try await Self.person(sql)
            #expect(try await !PageVersions.isCurrent(version, on: store.db))
            // The first insert's row goes (it was committed before the version was taken); the
            // second's stays, so the version still sees that it is out of date.
            #expect(try await PageVersions.prune(before: first + 1, on: store.db) >= 1)
            #expect(try await !PageVersions.isCurrent(version, on: store.db))
            let later = try #require(try await PageVersions.current(on: store.db))
            #expect(try await PageVersions.isCurrent(later, on: store.db))
            try await sql.raw("UPDATE people SET family_name = 'Changed' WHERE id = \(bind: child)").run()
            #expect(try await !PageVersions.isCurrent(later, on: store.db))
        }
    }
}
