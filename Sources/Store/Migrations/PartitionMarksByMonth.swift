import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// Schema v17 (PostgreSQL; nothing on SQLite): the attendance marks, the largest table by far
/// (a secondary school writes about 2,000 a day), partitioned by month — `attendance_marks` is
/// a table partitioned by range of `date`, with one partition a month (`attendance_marks_2026_11`)
/// and a default partition for marks outside them. A month's marks are then one table to vacuum,
/// back up, or detach and archive when the partnership's retention period ends; queries by date
/// read only the months they ask for. The dates are ISO text compared byte by byte (collation "C").
/// The marks held are moved across in the migration's transaction; ``ensureMonths(on:through:)``
/// keeps partitions ready two years ahead, at every start.
struct PartitionMarksByMonth: AsyncMigration {
    var name: String { "v17-attendance-marks-by-month" }

    /// How far ahead partitions are made, and how far back a new database starts them.
    static let monthsAhead = 24
    static let monthsBack = 36

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE attendance_marks RENAME TO attendance_marks_unpartitioned").run()
        try await sql.raw("ALTER TABLE attendance_marks_unpartitioned RENAME CONSTRAINT attendance_marks_pkey TO attendance_marks_unpartitioned_pkey").run()
        try await sql.raw("""
            CREATE TABLE attendance_marks (pupil BIGINT NOT NULL, date TEXT COLLATE "C" NOT NULL, session TEXT NOT NULL, code TEXT NOT NULL, \
            PRIMARY KEY (pupil, date, session)) PARTITION BY RANGE (date)
            """).run()
        try await sql.raw("CREATE TABLE attendance_marks_default PARTITION OF attendance_marks DEFAULT").run()
        // From the earliest month held (or three years back) to two years ahead.
        let today = CivilDate.today()
        let earliest = try await sql.raw("SELECT MIN(date) AS d FROM attendance_marks_unpartitioned").first()?
            .decode(column: "d", as: String?.self).flatMap(CivilDate.init)
        var first = today.adding(months: -Self.monthsBack)
        if let earliest, earliest < first { first = earliest }
        try await Self.createMonths(from: first, through: today.adding(months: Self.monthsAhead), on: sql)
        try await sql.raw("INSERT INTO attendance_marks (pupil, date, session, code) SELECT pupil, date, session, code FROM attendance_marks_unpartitioned").run()
        try await sql.raw("DROP TABLE attendance_marks_unpartitioned").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE attendance_marks RENAME TO attendance_marks_partitioned").run()
        try await sql.raw("ALTER TABLE attendance_marks_partitioned RENAME CONSTRAINT attendance_marks_pkey TO attendance_marks_partitioned_pkey").run()
        try await sql.raw("CREATE TABLE attendance_marks (pupil BIGINT NOT NULL, date TEXT NOT NULL, session TEXT NOT NULL, code TEXT NOT NULL, PRIMARY KEY (pupil, date, session))").run()
        try await sql.raw("INSERT INTO attendance_marks SELECT pupil, date, session, code FROM attendance_marks_partitioned").run()
        try await sql.raw("DROP TABLE attendance_marks_partitioned").run()
    }

    /// One month's partition name and bounds: `attendance_marks_2026_11`, from 2026-11-01 up to
    /// (not including) 2026-12-01.
    static func month(_ date: CivilDate) -> (name: String, from: String, to: String) {
        let first = CivilDate(year: date.year, month: date.month, day: 1)!
        let next = first.adding(months: 1)
        return (String(format: "attendance_marks_%04d_%02d", first.year, first.month), first.description, next.description)
    }

    static func createMonths(from: CivilDate, through: CivilDate, on sql: any SQLDatabase) async throws {
        var month = CivilDate(year: from.year, month: from.month, day: 1)!
        while month <= through {
            let (name, lower, upper) = Self.month(month)
            try await sql.raw("""
                CREATE TABLE IF NOT EXISTS \(ident: name) PARTITION OF attendance_marks FOR VALUES FROM (\(literal: lower)) TO (\(literal: upper))
                """).run()
            month = month.adding(months: 1)
        }
    }

    /// Makes the months' partitions missing from the last one held up to `through` (never earlier
    /// months: a mark older than the partitions is kept in the default one). Nothing on SQLite, or
    /// before v17.
    static func ensureMonths(on db: any Database, through: CivilDate = CivilDate.today().adding(months: monthsAhead)) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        let last = try await sql.raw("""
            SELECT MAX(c.relname) AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
            JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'attendance_marks' AND c.relname <> 'attendance_marks_default'
            """).first()?.decode(column: "name", as: String?.self)
        guard let last, let year = Int(last.dropFirst("attendance_marks_".count).prefix(4)),
              let monthNumber = Int(last.suffix(2)), let held = CivilDate(year: year, month: monthNumber, day: 1) else { return }
        let next = held.adding(months: 1)
        if next <= through { try await createMonths(from: next, through: through, on: sql) }
    }
}
