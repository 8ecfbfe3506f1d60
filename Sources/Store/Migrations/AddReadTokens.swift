import FluentKit
import SQLKit

/// Schema v16: API tokens that read (`/api/v1/board`, `/list`, `/children/{id}`, `/tasks`,
/// `/notices`) as one named user — the user's role and agency decide what the token sees, as
/// the access policy decides for the user signed in, and every read is audited in the user's name.
/// A push token has no user.
struct AddReadTokens: AsyncMigration {
    var name: String { "v16-api-read-tokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens").field("user_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").deleteField("user_id").update()
    }
}
