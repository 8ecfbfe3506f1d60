import FluentKit
import SQLKit

/// Schema v14: information-sharing records — every share of a child's information (and every
/// decision not to share) with its lawful basis and what was asked of consent.
struct AddInformationSharing: AsyncMigration {
    var name: String { "v14-information-sharing" }

    func prepare(on database: any Database) async throws {
        try await database.schema("information_shares")
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("shared", .bool, .required)
            .field("channel", .string, .required)
            .field("recipient", .string, .required)
            .field("what", .string, .required)
            .field("lawful_basis", .string, .required)
            .field("consent", .string, .required)
            .field("reason", .string, .required)
            .field("decided_on", .string, .required)
            .field("user_id", .uuid)
            .field("actor", .string, .required)
            .field("agency_name", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "information_shares_person_idx").on("information_shares").column("person_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("information_shares").delete()
    }
}
