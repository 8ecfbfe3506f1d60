import FluentKit
import SQLKit

/// Schema v7: children looked after, from the local authority's SSDA903 return: each child's
/// periods of care (legal status, placement type, provider, where the child is placed and whether
/// that is outside the area), missing and away-from-placement episodes, looked-after reviews and
/// the care leaver's latest OC3 return, linked to people where the index knows them. Also the
/// indexes the name-and-birth-date feeds (police, MARAC, health) look children up by.
struct AddLookedAfter: AsyncMigration {
    var name: String { "v7-looked-after" }

    func prepare(on database: any Database) async throws {
        try await database.schema("looked_after_children")
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("la_child_id", .string, .required)
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .field("upn", .string)
            .field("date_of_birth", .string)
            .field("sex", .string)
            .field("ethnicity", .string)
            // The care leaver's OC3 return (IN_TOUCH, ACTIV, ACCOM); null when the child has none.
            .field("in_touch", .string)
            .field("activity", .string)
            .field("accommodation", .string)
            .field("fingerprint", .string, .required)
            .field("import_run_id", .uuid, .required, .references(ImportRun.schema, "id"))
            .field("updated_at", .datetime, .required)
            .unique(on: "agency_id", "la_child_id")
            .create()
        try await database.schema("care_episodes")
            .id()
            .field("child_id", .uuid, .required, .references("looked_after_children", "id"))
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .field("start_date", .string, .required)
            .field("end_date", .string)
            .field("reason_new", .string, .required)
            .field("legal_status", .string, .required)
            .field("need", .string)
            .field("placement", .string, .required)
            .field("provider", .string)
            .field("reason_ended", .string)
            .field("reason_place_change", .string)
            // Restricted (where the child lives): for children's social care only.
            .field("home_postcode", .string)
            .field("placement_postcode", .string)
            .field("urn", .int)
            .field("out_of_area", .bool, .required)
            .create()
        try await database.schema("missing_episodes")
            .id()
            .field("child_id", .uuid, .required, .references("looked_after_children", "id"))
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .field("kind", .string, .required)
            .field("start_date", .string, .required)
            .field("end_date", .string)
            .create()
        try await database.schema("looked_after_reviews")
            .id()
            .field("child_id", .uuid, .required, .references("looked_after_children", "id"))
            .field("review_date", .string, .required)
            .field("participation", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for (table, column) in [("looked_after_children", "person_id"), ("care_episodes", "child_id"), ("care_episodes", "person_id"),
                                ("missing_episodes", "child_id"), ("missing_episodes", "person_id"), ("looked_after_reviews", "child_id")] {
            try await sql.create(index: "\(table)_\(column)_idx").on(table).column(column).run()
        }
        // The feeds without national identifiers (police, MARAC, health) find children by date of birth and name.
        try await sql.create(index: "people_birth_idx").on(Person.schema).column("date_of_birth").column("family_name").run()
        // A health import looks its entries up by local id (v6's unique index leads with the ODS code).
        try await sql.create(index: "health_caseload_entries_local_idx").on("health_caseload_entries").column("local_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["looked_after_reviews", "missing_episodes", "care_episodes", "looked_after_children"] {
            try await database.schema(table).delete()
        }
    }
}
