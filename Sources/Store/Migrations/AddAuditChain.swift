import FluentKit
import SQLKit

/// Schema v11: the audit trail becomes a hash chain (`AuditChain`): each entry's place, the hash
/// of the entry before it and its own hash, and the chain's head. The entries written before are
/// chained, oldest first.
struct AddAuditChain: AsyncMigration {
    var name: String { "v11-audit-chain" }

    func prepare(on database: any Database) async throws {
        // One column at a time: SQLite adds one per ALTER TABLE.
        try await database.schema(AuditEvent.schema).field("seq", .int64).update()
        try await database.schema(AuditEvent.schema).field("prev_hash", .string).update()
        try await database.schema(AuditEvent.schema).field("hash", .string).update()
        try await database.schema("audit_chain_head")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_events_seq_idx").on(AuditEvent.schema).column("seq").unique().run()
        try await sql.insert(into: "audit_chain_head").columns("id", "seq", "hash").values(SQLBind(1), SQLBind(Int64(0)), SQLBind(AuditChain.genesis)).run()
        try await AuditChain.chainExisting(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_chain_head").delete()
        try await database.schema(AuditEvent.schema).deleteField("seq").deleteField("prev_hash").deleteField("hash").update()
    }
}
