import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// Version 3: each list entry carries the day it was agreed and the last days the child was seen
/// (by a contact, and present in school), so the "not seen" board reads one table instead of
/// looking up every listed child's contacts and pupil records; the indexes the board, the child
/// page and the import use cover the columns they read; and the days each school sent marks for,
/// so a pupil missing from a school's marks can be told from a school that sent nothing.
struct AddEyesOnSeen: AsyncMigration {
    var name: String { "v3-list-entries-seen-school-days" }

    func prepare(on database: any Database) async throws {
        // The day it was agreed (the meeting's date, or the day the quorum was reached): the
        // eyes-on clock of a child never seen runs from it.
        try await database.schema("list_entries").field("agreed_on", .string).update()
        // Kept current by EyesOnSeen.refresh whenever a contact, a pupil's marks or an entry change.
        try await database.schema("list_entries").field("contact_seen_on", .string).update()
        try await database.schema("list_entries").field("school_seen_on", .string).update()
        guard let sql = database as? any SQLDatabase else { return }

        for row in try await sql.raw("SELECT id, agreed_at, meeting_date FROM list_entries WHERE agreed_at IS NOT NULL").all() {
            let meeting = try row.decode(column: "meeting_date", as: String?.self)
            let agreedAt = try row.decode(column: "agreed_at", as: Date.self)
            try await sql.update("list_entries").set("agreed_on", to: meeting ?? CivilDate(agreedAt).description)
                .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
        }
        for (name, table, columns) in [
            ("attendance_pupils_person_idx", "attendance_pupils", ["person_id", "last_present_date"]),
            ("contacts_person_idx", "contacts", ["person_id", "counts_as_seen", "occurred_on"]),
        ] {
            try await sql.drop(index: name).ifExists().run()
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
        try await EyesOnSeen.refresh(on: sql)

        try await sql.raw("""
            CREATE TABLE attendance_school_days (school_urn INTEGER NOT NULL, date TEXT NOT NULL, PRIMARY KEY (school_urn, date))
            """).run()
        try await sql.raw("""
            INSERT INTO attendance_school_days (school_urn, date) SELECT DISTINCT ap.school_urn, m.date \
            FROM attendance_marks m JOIN attendance_pupils ap ON ap.number = m.pupil
            """).run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.raw("DROP TABLE attendance_school_days").run() }
        for field in ["school_seen_on", "contact_seen_on", "agreed_on"] {
            try await database.schema("list_entries").deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}

/// The last days each open list entry's child was seen, copied onto the entry for the board.
enum EyesOnSeen {
    /// Recomputes `contact_seen_on` and `school_seen_on` of open entries (proposed or agreed):
    /// of one child, or of every listed child when `personID` is nil.
    static func refresh(on sql: any SQLDatabase, personID: UUID? = nil) async throws {
        try await refresh(on: sql, where: personID.map { "AND person_id = \(bind: $0)" } ?? "")
    }

    /// Recomputes the entries of these children (an import's matched pupils), 500 at a time.
    static func refresh(on sql: any SQLDatabase, people: some Collection<UUID>) async throws {
        for chunk in Array(people).chunked(500) {
            try await refresh(on: sql, where: "AND person_id IN (\(bindList: chunk))")
        }
    }

    private static func refresh(on sql: any SQLDatabase, where condition: SQLQueryString) async throws {
        let query: SQLQueryString = """
            UPDATE list_entries SET \
            contact_seen_on = (SELECT MAX(c.occurred_on) FROM contacts c WHERE c.person_id = list_entries.person_id AND c.counts_as_seen = \(bind: true)), \
            school_seen_on = (SELECT MAX(ap.last_present_date) FROM attendance_pupils ap WHERE ap.person_id = list_entries.person_id) \
            WHERE status IN ('proposed', 'agreed') \(condition)
            """
        try await sql.raw(query).run()
    }
}
