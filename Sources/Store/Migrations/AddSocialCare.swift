import FluentKit
import SQLKit

/// Schema v4: children's social care from the CIN census feed — each child as the local
/// authority records it (matched to a person when the index knows them, kept unmatched when not),
/// their referrals (episodes of need) with assessments, section 47 enquiries, child in need plans
/// and child protection plans. Every row below a child carries the child's id, so a newer extract
/// replaces a child's records in one delete per table. Also: the reference date of each import
/// (a newer extract supersedes an older one), the local authority's DfE code on its agencies, and
/// the API tokens agencies' systems push feeds with.
struct AddSocialCare: AsyncMigration {
    var name: String { "v4-social-care" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Agency.schema).field("la_code", .string).update()
        try await database.schema(ImportRun.schema).field("reference_date", .string).update()

        try await database.schema("social_care_children")
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("la_child_id", .string, .required)
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .field("upn", .string)
            .field("date_of_birth", .string)
            .field("expected_date_of_birth", .string)
            .field("sex", .string)
            .field("ethnicity", .string)
            .field("disabilities", .string, .required)
            .field("fingerprint", .string, .required)
            .field("import_run_id", .uuid, .required, .references(ImportRun.schema, "id"))
            .field("updated_at", .datetime, .required)
            .unique(on: "agency_id", "la_child_id")
            .create()
        try await database.schema("referrals")
            .id()
            .field("child_id", .uuid, .required, .references("social_care_children", "id"))
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .field("referral_date", .string, .required)
            .field("source", .string)
            .field("primary_need", .string)
            .field("closure_date", .string)
            .field("closure_reason", .string)
            .field("initial_cpc_date", .string)
            .field("no_further_action", .bool, .required)
            .create()
        try await database.schema("assessments")
            .id()
            .field("child_id", .uuid, .required, .references("social_care_children", "id"))
            .field("referral_id", .uuid, .required, .references("referrals", "id"))
            .field("start_date", .string, .required)
            .field("authorised_date", .string)
            .field("factors", .string, .required)
            .create()
        try await database.schema("section47_enquiries")
            .id()
            .field("child_id", .uuid, .required, .references("social_care_children", "id"))
            .field("referral_id", .uuid, .required, .references("referrals", "id"))
            .field("start_date", .string, .required)
            .field("icpc_target", .string)
            .field("icpc_date", .string)
            .field("icpc_not_required", .bool, .required)
            .create()
        try await database.schema("cin_plans")
            .id()
            .field("child_id", .uuid, .required, .references("social_care_children", "id"))
            .field("referral_id", .uuid, .required, .references("referrals", "id"))
            .field("start_date", .string, .required)
            .field("end_date", .string)
            .create()
        try await database.schema("protection_plans")
            .id()
            .field("child_id", .uuid, .required, .references("social_care_children", "id"))
            .field("referral_id", .uuid, .required, .references("referrals", "id"))
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .field("start_date", .string, .required)
            .field("end_date", .string)
            .field("initial_category", .string, .required)
            .field("latest_category", .string, .required)
            .field("previous_plans", .int, .required)
            .field("review_dates", .string, .required)
            .create()
        // System-to-system pushes: one token per agency and feed, only its SHA-256 kept.
        try await database.schema("api_tokens")
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("feed", .string, .required)
            .field("token_hash", .string, .required)
            .field("label", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for (name, table, columns) in [
            ("social_care_children_person_idx", "social_care_children", ["person_id"]),
            ("referrals_person_idx", "referrals", ["person_id", "referral_date"]),
            ("referrals_child_idx", "referrals", ["child_id"]),
            ("assessments_child_idx", "assessments", ["child_id"]),
            ("section47_enquiries_child_idx", "section47_enquiries", ["child_id"]),
            ("cin_plans_child_idx", "cin_plans", ["child_id"]),
            ("protection_plans_child_idx", "protection_plans", ["child_id"]),
            ("protection_plans_person_idx", "protection_plans", ["person_id", "end_date"]),
        ] {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["api_tokens", "protection_plans", "cin_plans", "section47_enquiries", "assessments", "referrals", "social_care_children"] {
            try await database.schema(table).delete()
        }
        try await database.schema(ImportRun.schema).deleteField("reference_date").update()
        try await database.schema(Agency.schema).deleteField("la_code").update()
    }
}
