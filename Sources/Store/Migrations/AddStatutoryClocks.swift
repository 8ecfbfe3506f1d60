import FluentKit
import SQLKit

/// Schema v10: what children's social care records by hand for the statutory clocks — serious
/// incident notifications and each step after them (the Panel notified, the partners told, the
/// rapid review, the decision on a local practice review, publication, closure); child protection
/// strategy discussions and conferences with each agency's invitation, attendance and report;
/// statutory visits to looked-after children in placement; placements recorded by hand; and the
/// team that holds each front-door referral (the referrals feed's optional `team` column).
struct AddStatutoryClocks: AsyncMigration {
    var name: String { "v10-statutory-clocks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("front_door_referrals").field("team", .string).update()
        try await database.schema("serious_incidents")
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("aware_date", .string, .required)
            // 'death' or 'serious-harm'; abuse or neglect 'known' or 'suspected'.
            .field("harm", .string, .required)
            .field("abuse", .string, .required)
            .field("under_one", .bool, .required)
            .field("looked_after", .bool, .required)
            // Contributing factors: codes separated by commas, and free text.
            .field("factors", .string, .required)
            .field("factors_detail", .string, .required)
            .field("user_id", .uuid)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("serious_incident_steps")
            .id()
            .field("incident_id", .uuid, .required, .references("serious_incidents", "id"))
            .field("step", .string, .required)
            .field("step_date", .string, .required)
            // For the decision on a local practice review: 'hold' or 'not-hold'.
            .field("decision", .string)
            .field("note", .string, .required)
            .field("user_id", .uuid)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "incident_id", "step")
            .create()
        try await database.schema("protection_conferences")
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            // 'strategy-discussion', 'initial', 'review' or 'core-group'.
            .field("kind", .string, .required)
            .field("held_on", .string, .required)
            // Initial: 'plan' or 'no-plan'; review: 'plan-continues' or 'plan-ends'; otherwise null.
            .field("outcome", .string)
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("user_id", .uuid)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("conference_agencies")
            .id()
            .field("conference_id", .uuid, .required, .references("protection_conferences", "id"))
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("invited", .bool, .required)
            .field("attended", .bool, .required)
            .field("apologies", .bool, .required)
            .field("report_date", .string)
            .unique(on: "conference_id", "agency_id")
            .create()
        try await database.schema("placement_visits")
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("visit_date", .string, .required)
            .field("seen_alone", .bool, .required)
            // The placement has been agreed as the child's long-term placement.
            .field("long_term", .bool, .required)
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("user_id", .uuid)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        // A placement the SSDA903 return does not hold (yet): recorded by hand for its visit clocks.
        try await database.schema("recorded_placements")
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("start_date", .string, .required)
            .field("end_date", .string)
            .field("placement", .string, .required)
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("user_id", .uuid)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for (table, column) in [("serious_incidents", "person_id"), ("protection_conferences", "person_id"),
                                ("conference_agencies", "conference_id"), ("placement_visits", "person_id"), ("recorded_placements", "person_id"),
                                // The clocks join the census's assessments and enquiries to their referral.
                                ("assessments", "referral_id"), ("section47_enquiries", "referral_id")] {
            try await sql.create(index: "\(table)_\(column)_idx").on(table).column(column).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("front_door_referrals").deleteField("team").update()
        for table in ["recorded_placements", "placement_visits", "conference_agencies", "protection_conferences", "serious_incident_steps", "serious_incidents"] {
            try await database.schema(table).delete()
        }
    }
}
