import FluentKit
import SQLKit

/// Schema v18: the access policy's households cohort kept as a table per agency
/// (`HouseholdScopes`), with what it needs to know when the table is out of date.
///
/// - `data_versions`: one counter, `person-links`, that triggers on `person_identifiers` and
///   `person_relationships` advance on every change to them (per statement on PostgreSQL, per row
///   on SQLite, which has no statement triggers).
/// - `household_scopes`: per agency, the people in its households (siblings, household members,
///   the other children of its children's parents or carers).
/// - `household_scope_stamps`: per agency, the counter its rows were built at. Rows whose stamp is
///   not the counter are never used: the access policy then works the set out afresh.
struct AddHouseholdScopes: AsyncMigration {
    var name: String { "v18-household-scopes" }

    static let tables = ["person_identifiers", "person_relationships"]

    func prepare(on database: any Database) async throws {
        try await database.schema("data_versions")
            .field("name", .string, .identifier(auto: false))
            .field("version", .int64, .required)
            .create()
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
        try await sql.raw("INSERT INTO data_versions (name, version) VALUES ('person-links', 1)").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE FUNCTION person_links_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE data_versions SET version = version + 1 WHERE name = 'person-links';
                  RETURN NULL;
                END $$
                """).run()
            for table in Self.tables {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \(unsafeRaw: table) \
                    FOR EACH STATEMENT EXECUTE FUNCTION person_links_changed()
                    """).run()
            }
        } else {
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
            for table in Self.tables { try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_changed ON \(unsafeRaw: table)").run() }
            try await sql.raw("DROP FUNCTION IF EXISTS person_links_changed()").run()
        } else {
            for table in Self.tables {
                for event in ["insert", "update", "delete"] { try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_\(unsafeRaw: event)_changed").run() }
            }
        }
        try await database.schema("household_scope_stamps").delete()
        try await database.schema("household_scopes").delete()
        try await database.schema("data_versions").delete()
    }
}
