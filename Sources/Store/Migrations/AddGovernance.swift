import FluentKit
import SQLKit

/// Schema v23: the partnership's governance. Delegations of a safeguarding partner's functions
/// (the partner stays accountable, so each names the accountable lead); multi-agency assurance
/// surveys (questions sent to every member agency, one response an agency with a red, amber or
/// green rating and a comment per question); and the decisions of partnership meetings.
struct AddGovernance: AsyncMigration {
    var name: String { "v23-governance" }

    func prepare(on database: any Database) async throws {
        try await database.schema("delegations")
            .id()
            .field("partner_agency_id", .uuid, .required, .references("agencies", "id"))
            .field("function", .string, .required)
            .field("delegated_to", .string, .required)
            .field("accountable_lead", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("assurance_surveys")
            .id()
            .field("title", .string, .required)
            // JSON: the questions, in order.
            .field("questions", .string, .required)
            .field("sent_on", .string, .required)
            .field("due_on", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("survey_responses")
            .id()
            .field("survey_id", .uuid, .required, .references("assurance_surveys", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            // JSON: per question, its rating and comment.
            .field("answers", .string, .required)
            .field("responded_by", .string, .required)
            .field("responded_at", .datetime, .required)
            .unique(on: "survey_id", "agency_id")
            .create()
        try await database.schema("meeting_decisions")
            .id()
            .field("meeting_date", .string, .required)
            .field("decision", .string, .required)
            .field("owner", .string, .required)
            .field("due_on", .string)
            .field("done_on", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["meeting_decisions", "survey_responses", "assurance_surveys", "delegations"] {
            try await database.schema(table).delete()
        }
    }
}
