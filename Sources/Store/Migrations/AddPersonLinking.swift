import FluentKit
import SQLKit

/// Schema v25: the probabilistic linking of the feeds' unmatched records to the person index.
/// `link_decisions` remembers what a person decided about a record and a child (the same child,
/// not the same, or left for later), so a later run never undoes it; `link_suggestions` holds the
/// last run's pairs the model was not sure enough of, with each comparison's part of the weight,
/// for the review queue.
struct AddPersonLinking: AsyncMigration {
    var name: String { "v25-person-linking" }

    func prepare(on database: any Database) async throws {
        try await database.schema("link_decisions")
            .id()
            .field("feed", .string, .required)
            .field("record_id", .uuid, .required)
            .field("person_id", .uuid, .references("people", "id"))
            .field("decision", .string, .required)
            .field("decided_by", .string, .required)
            .field("decided_at", .datetime, .required)
            .create()
        try await database.schema("link_suggestions")
            .id()
            .field("feed", .string, .required)
            .field("record_id", .uuid, .required)
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("weight", .double, .required)
            .field("probability", .double, .required)
            .field("contributions", .string, .required)
            .field("run_at", .datetime, .required)
            .unique(on: "feed", "record_id", "person_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX link_decisions_record_idx ON link_decisions (record_id)").run()
            try await sql.raw("CREATE INDEX link_suggestions_record_idx ON link_suggestions (record_id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("link_suggestions").delete()
        try await database.schema("link_decisions").delete()
    }
}
