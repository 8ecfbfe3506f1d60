import FluentKit
import SQLKit

/// Version 2: the agreed list (entries, agreements, history), attendance (pupils as each school
/// knows them, their marks, quarantined rows), contacts ("eyes on") and tasks.
struct CreateEyesOnSchema: AsyncMigration {
    var name: String { "v2-agreed-list-attendance-eyes-on" }

    func prepare(on database: any Database) async throws {
        try await database.schema("list_entries")
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("status", .string, .required)
            .field("risk", .string, .required)
            .field("risk_rationale", .string, .required)
            .field("reasons", .string, .required)
            .field("reason_other", .string)
            .field("lead_agency_id", .uuid, .required, .references(Agency.schema, .id))
            .field("lead_professional", .string, .required)
            .field("review_date", .string, .required)
            .field("proposed_by_user_id", .uuid)
            .field("proposed_by_agency_id", .uuid, .references(Agency.schema, .id))
            .field("proposed_at", .datetime, .required)
            .field("agreed_at", .datetime)
            .field("meeting_date", .string)
            .field("meeting_agencies", .string)
            .field("closed_reason", .string)
            .field("updated_at", .datetime, .required)
            .create()

        try await database.schema("list_agreements")
            .id()
            .field("entry_id", .uuid, .required, .references("list_entries", .id, onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references(Agency.schema, .id))
            .field("user_id", .uuid)
            .field("actor", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "entry_id", "agency_id")
            .create()

        try await database.schema("list_history")
            .id()
            .field("entry_id", .uuid, .required, .references("list_entries", .id, onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("user_id", .uuid)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("detail", .string, .required)
            .create()

        try await database.schema("attendance_pupils")
            .id()
            .field("number", .int64, .required)
            .field("school_urn", .int, .required)
            .field("upn", .string, .required)
            .field("forename", .string, .required)
            .field("surname", .string, .required)
            .field("date_of_birth", .string)
            .field("person_id", .uuid, .references(Person.schema, .id))
            .field("latest_date", .string)
            .field("last_present_date", .string)
            .field("last_present_session", .string)
            .field("consecutive_absent", .int, .required)
            .field("consecutive_unexplained", .int, .required)
            .field("unexplained_term", .int, .required)
            .field("term_name", .string)
            .field("term_possible", .int, .required)
            .field("term_present", .int, .required)
            .field("recent_possible", .int, .required)
            .field("recent_present", .int, .required)
            .field("not_back", .bool, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "school_urn", "upn")
            .unique(on: "number")
            .create()

        try await database.schema("import_problems")
            .id()
            .field("import_run_id", .uuid, .required, .references(ImportRun.schema, .id, onDelete: .cascade))
            .field("line", .int, .required)
            .field("field", .string, .required)
            .field("value", .string, .required)
            .field("reason", .string, .required)
            .create()

        try await database.schema("contacts")
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("occurred_on", .string, .required)
            .field("occurred_time", .string)
            .field("agency_id", .uuid, .required, .references(Agency.schema, .id))
            .field("user_id", .uuid)
            .field("practitioner", .string, .required)
            .field("type", .string, .required)
            .field("child_seen", .bool, .required)
            .field("seen_alone", .bool, .required)
            .field("counts_as_seen", .bool, .required)
            .field("location", .string, .required)
            .field("virtual_basis", .string)
            .field("outcome", .string, .required)
            .field("concerns", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()

        try await database.schema("tasks")
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("entry_id", .uuid, .references("list_entries", .id))
            .field("kind", .string, .required)
            .field("reason", .string, .required)
            .field("owner_agency_id", .uuid, .required, .references(Agency.schema, .id))
            .field("owner_name", .string)
            .field("due_date", .string, .required)
            .field("state", .string, .required)
            .field("state_reason", .string)
            .field("created_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("closed_by", .string)
            .field("contact_id", .uuid)
            .create()

        guard let sql = database as? any SQLDatabase else { return }
        // The marks: one row per pupil record (by the pupil's number, small and fast to compare),
        // date and session. The key is the primary key, so SQLite keeps the table itself in key
        // order (no rowid, no second index). Pupil records are never deleted.
        let integer = sql.dialect.name == "sqlite" ? "INTEGER" : "BIGINT"
        let withoutRowID = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        try await sql.raw("""
            CREATE TABLE attendance_marks (pupil \(unsafeRaw: integer) NOT NULL, date TEXT NOT NULL, session TEXT NOT NULL, \
            code TEXT NOT NULL, PRIMARY KEY (pupil, date, session))\(unsafeRaw: withoutRowID)
            """).run()
        let indexes: [(String, String, [String])] = [
            ("list_entries_person_idx", "list_entries", ["person_id", "status"]),
            ("list_entries_status_idx", "list_entries", ["status", "review_date"]),
            ("list_history_entry_idx", "list_history", ["entry_id", "at"]),
            ("attendance_pupils_person_idx", "attendance_pupils", ["person_id"]),
            ("attendance_pupils_upn_idx", "attendance_pupils", ["upn"]),
            // Matching pupils by UPN (the v1 unique index leads with the scope).
            ("person_identifiers_value_idx", PersonIdentifier.schema, ["kind", "value"]),
            ("import_problems_run_idx", "import_problems", ["import_run_id", "line"]),
            ("contacts_person_idx", "contacts", ["person_id", "occurred_on"]),
            ("tasks_person_idx", "tasks", ["person_id", "state"]),
            ("tasks_owner_idx", "tasks", ["owner_agency_id", "state", "due_date"]),
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.raw("DROP TABLE attendance_marks").run() }
        for schema in ["tasks", "contacts", "import_problems", "attendance_pupils", "list_history", "list_agreements", "list_entries"] {
            try await database.schema(schema).delete()
        }
    }
}
