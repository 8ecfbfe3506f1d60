import FluentKit
import SQLKit

/// Schema v8: the people feed — the people any agency without a format of its own (a youth
/// justice service, a Virtual School, a voluntary sector partner) works with, as its CSV names
/// them through a column mapping, linked to people where the index knows them. A newer file
/// from the agency discharges the people it no longer holds.
struct AddAgencyCaseloads: AsyncMigration {
    var name: String { "v8-agency-caseloads" }

    func prepare(on database: any Database) async throws {
        try await database.schema("agency_caseload_entries")
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("local_id", .string, .required)
            .field("forename", .string, .required)
            .field("surname", .string, .required)
            .field("date_of_birth", .string, .required)
            .field("nhs_number", .string)
            .field("upn", .string)
            .field("postcode", .string)
            .field("sex", .string)
            .field("worker", .string)
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .field("fingerprint", .string, .required)
            .field("last_seen_run_id", .uuid, .required, .references(ImportRun.schema, "id"))
            .field("discharged_on", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "agency_id", "local_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "agency_caseload_entries_person_idx").on("agency_caseload_entries").column("person_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("agency_caseload_entries").delete()
    }
}
