import FluentKit
import SQLKit

/// Schema v6: health caseloads (health visiting, midwifery, school nursing) as each health
/// organisation sends them: who is on which caseload, the named professional, a concerns flag,
/// linked to people where the index knows them. A newer extract from an organisation discharges
/// the entries it no longer holds.
struct AddHealthCaseloads: AsyncMigration {
    var name: String { "v6-health-caseloads" }

    func prepare(on database: any Database) async throws {
        try await database.schema("health_caseload_entries")
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("ods_code", .string, .required)
            .field("caseload", .string, .required)
            .field("local_id", .string, .required)
            .field("nhs_number", .string)
            .field("forename", .string, .required)
            .field("surname", .string, .required)
            .field("date_of_birth", .string)
            .field("expected_date_of_birth", .string)
            .field("sex", .string)
            .field("postcode", .string)
            .field("gp_practice", .string)
            .field("mother_local_id", .string)
            .field("named_professional", .string)
            // Restricted: for health and the local authority.
            .field("concerns", .bool, .required)
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .field("fingerprint", .string, .required)
            .field("last_seen_run_id", .uuid, .required, .references(ImportRun.schema, "id"))
            .field("discharged_on", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "ods_code", "local_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "health_caseload_entries_person_idx").on("health_caseload_entries").column("person_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("health_caseload_entries").delete()
    }
}
