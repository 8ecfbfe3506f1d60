import FluentKit
import SQLKit

/// Schema v9: the front door's referrals to children's social care as its case system exports
/// them through the year (the CIN census has them once a year): the source, the outcome and the
/// day it was decided, linked to people where the index knows them.
struct AddFrontDoorReferrals: AsyncMigration {
    var name: String { "v9-front-door-referrals" }

    func prepare(on database: any Database) async throws {
        try await database.schema("front_door_referrals")
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("referral_id", .string, .required)
            .field("la_child_id", .string, .required)
            // The child as the referral names them, for matching by hand when the index does not know them.
            .field("forename", .string, .required)
            .field("surname", .string, .required)
            .field("date_of_birth", .string)
            .field("upn", .string)
            .field("nhs_number", .string)
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .field("referral_date", .string, .required)
            .field("source", .string, .required)
            .field("outcome", .string, .required)
            .field("decision_date", .string)
            .field("fingerprint", .string, .required)
            .field("import_run_id", .uuid, .required, .references(ImportRun.schema, "id"))
            .field("updated_at", .datetime, .required)
            .unique(on: "agency_id", "referral_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "front_door_referrals_person_idx").on("front_door_referrals").column("person_id").column("referral_date").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("front_door_referrals").delete()
    }
}
