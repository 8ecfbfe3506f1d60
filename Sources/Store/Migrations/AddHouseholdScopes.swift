import FluentKit
import SQLKit

/// Schema v18: the access policy's households cohort kept as a table per agency
/// (`HouseholdScopes`), with what it needs to know when the table is out of date.
///
/// - `household_scopes`: per agency, the people in its households (siblings, household members,
///   the other children of its children's parents or carers).
/// - `household_scope_stamps`: per agency, the version of the records and relationships its
///   rows were built from. Rows whose stamp is not the current version are never used: the access
///   policy then works the set out afresh.
/// - The version of `person_identifiers` and `person_relationships`, advanced by triggers on every
///   change to them:
///   - SQLite: `data_versions.person-links`, a counter (per row: SQLite has no statement triggers;
///     it has one writer at a time, so the counter is never contended).
///   - PostgreSQL: the number of rows in `person_link_changes`, one per transaction that changed
///     either table (statement triggers, which look at the rows changed and add nothing when there
///     are none). A counter row there would make every importing transaction wait for the others
///     to commit, and could deadlock them; a count of committed rows also moves only when a change
///     is committed, so a table built while another import is under way is never taken as current
///     once that import commits.
struct AddHouseholdScopes: AsyncMigration {
    var name: String { "v18-household-scopes" }

    static let tables = ["person_identifiers", "person_relationships"]

    func prepare(on database: any Database) async throws {
        try await database.schema("household_scopes")
            .field("agency_id", .uuid, .required, .references("agencies", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required)
            .compositeIdentifier(over: "agency_id", "person_id")
            .create()
        try await database.schema("household_scope_stamps")
            .field("agency_id", .uuid, .identifier(auto: false), .references("agencies", "id", onDelete: .cascade))
            .field("version", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("CREATE TABLE person_link_changes (txid bigint PRIMARY KEY)").run()
            try await TransactionLog.createFunctions(logging: "person_link_changes", added: "person_links_added", removed: "person_links_removed",
                                                     always: "person_links_truncated", on: sql)
            for table in Self.tables {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_inserted AFTER INSERT ON \(unsafeRaw: table) REFERENCING NEW TABLE AS new_rows \
                    FOR EACH STATEMENT EXECUTE FUNCTION person_links_added()
                    """).run()
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_updated AFTER UPDATE ON \(unsafeRaw: table) REFERENCING NEW TABLE AS new_rows \
                    FOR EACH STATEMENT EXECUTE FUNCTION person_links_added()
                    """).run()
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_deleted AFTER DELETE ON \(unsafeRaw: table) REFERENCING OLD TABLE AS old_rows \
                    FOR EACH STATEMENT EXECUTE FUNCTION person_links_removed()
                    """).run()
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_truncated AFTER TRUNCATE ON \(unsafeRaw: table) \
                    FOR EACH STATEMENT EXECUTE FUNCTION person_links_truncated()
                    """).run()
            }
        } else {
            try await sql.raw("CREATE TABLE data_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL)").run()
            try await sql.raw("INSERT INTO data_versions (name, version) VALUES ('person-links', 1)").run()
            for table in Self.tables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try await sql.raw("""
                        CREATE TRIGGER \(unsafeRaw: table)_\(unsafeRaw: event.lowercased())_changed AFTER \(unsafeRaw: event) ON \(unsafeRaw: table) \
                        BEGIN UPDATE data_versions SET version = version + 1 WHERE name = 'person-links'; END
                        """).run()
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            for table in Self.tables {
                for event in ["inserted", "updated", "deleted", "truncated"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_\(unsafeRaw: event) ON \(unsafeRaw: table)").run()
                }
            }
            for function in ["person_links_added", "person_links_removed", "person_links_truncated"] {
                try await sql.raw("DROP FUNCTION IF EXISTS \(unsafeRaw: function)()").run()
            }
            try await sql.raw("DROP TABLE IF EXISTS person_link_changes").run()
        } else {
            for table in Self.tables {
                for event in ["insert", "update", "delete"] { try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_\(unsafeRaw: event)_changed").run() }
            }
            try await sql.raw("DROP TABLE IF EXISTS data_versions").run()
        }
        try await database.schema("household_scope_stamps").delete()
        try await database.schema("household_scopes").delete()
    }
}
