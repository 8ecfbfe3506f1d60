import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import TestSupport
@testable import Store

/// PostgreSQL keeps the attendance marks in one partition a month (schema v17).
@Suite("Attendance marks partitioned by month (PostgreSQL)")
struct MarkPartitionTests {
    @Test("an import's marks land in their month's partition, none in the default; the months ahead are made at start; queries see them all")
    func monthly() async throws {
        guard Engine.available.contains(.postgres) else { return }
        try await withScratchStore(.postgres) { store in
            let sql = store.sql
            #expect(try await sql.raw("SELECT relkind::text AS k FROM pg_class WHERE relname = 'attendance_marks'").first()?.decode(column: "k", as: String.self) == "p")
            let report = try await EyesOnTests.loaded(store)
            #expect(report.newMarks > 10_000)
            let rows = try await sql.raw("""
                SELECT c.relname AS part, MIN(m.date) AS first, MAX(m.date) AS last, COUNT(*) AS n FROM attendance_marks m \
                JOIN pg_class c ON c.oid = m.tableoid GROUP BY c.relname ORDER BY c.relname
                """).all()
            var total = 0
            for row in rows {
                let part = try row.decode(column: "part", as: String.self)
                let first = try #require(CivilDate(try row.decode(column: "first", as: String.self)))
                let last = try #require(CivilDate(try row.decode(column: "last", as: String.self)))
                #expect(part == PartitionMarksByMonth.month(first).name && part == PartitionMarksByMonth.month(last).name, "\(part) holds \(first)…\(last)")
                total += try row.decode(column: "n", as: Int.self)
            }
            #expect(rows.count >= 1 && total == report.newMarks, "every mark in a month's partition, none in the default")
            // One pupil's marks for a day, through the parent table, as the child page asks.
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM attendance_marks WHERE date >= '2000-01-01'").first()?.decode(column: "n", as: Int.self) == report.newMarks)

            // Three years on, a start makes the months up to two years after that.
            let later = CivilDate.today().adding(months: 36)
            try await PartitionMarksByMonth.ensureMonths(on: store.db, through: later)
            let newest = try await sql.raw("""
                SELECT MAX(c.relname) AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
                WHERE i.inhparent = 'attendance_marks'::regclass AND c.relname <> 'attendance_marks_default'
                """).first()?.decode(column: "name", as: String.self)
            #expect(newest == PartitionMarksByMonth.month(later).name)
        }
    }
}
