import FluentKit
import SQLKit

/// Schema v12: break-glass access — a user with no relationship to a child who opened the
/// child's record by giving a reason, for a few hours (`BreakGlass`); and when each API token was
/// last used.
struct AddBreakGlass: AsyncMigration {
    var name: String { "v12-break-glass" }

    func prepare(on database: any Database) async throws {
        try await database.schema("break_glass_grants")
            .id()
            .field("user_id", .uuid, .required)
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("reason", .string, .required)
            .field("granted_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        try await database.schema("api_tokens").field("last_used_at", .datetime).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "break_glass_grants_user_idx").on("break_glass_grants").column("user_id").column("person_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").deleteField("last_used_at").update()
        try await database.schema("break_glass_grants").delete()
    }
}
