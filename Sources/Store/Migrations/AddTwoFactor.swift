import FluentKit

/// Schema v13: two-factor sign-in (RFC 6238) — each user's shared secret, when they confirmed it
/// with a first code, and the step of the last code used (a code is good once).
struct AddTwoFactor: AsyncMigration {
    var name: String { "v13-two-factor" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        try await database.schema(UserAccount.schema).field("totp_secret", .string).update()
        try await database.schema(UserAccount.schema).field("totp_confirmed_at", .datetime).update()
        try await database.schema(UserAccount.schema).field("totp_last_counter", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserAccount.schema).deleteField("totp_last_counter").update()
        try await database.schema(UserAccount.schema).deleteField("totp_confirmed_at").update()
        try await database.schema(UserAccount.schema).deleteField("totp_secret").update()
    }
}
