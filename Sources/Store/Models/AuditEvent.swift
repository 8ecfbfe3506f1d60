import Foundation
import FluentKit

/// One entry in the audit trail: a sign-in, a failed sign-in, a sign-out, a read of a child's
/// record, a change. Written, never updated or deleted.
public final class AuditEvent: Model, @unchecked Sendable {
    public static let schema = "audit_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "at") public var at: Date
    @OptionalField(key: "user_id") public var userID: UUID?
    /// The email the actor used (kept even if the user is later removed, and for failed sign-ins).
    @OptionalField(key: "actor") public var actor: String?
    @Field(key: "action") public var action: String
    @OptionalField(key: "person_id") public var personID: UUID?
    @Field(key: "detail") public var detail: String
    @OptionalField(key: "client_address") public var clientAddress: String?
    /// The entry's place in the hash chain (1, 2, 3, …), the hash of the entry before and its own
    /// (see `AuditChain`); nil only for a row written outside EyesOn.
    @OptionalField(key: "seq") public var seq: Int64?
    @OptionalField(key: "prev_hash") public var previousHash: String?
    @OptionalField(key: "hash") public var hash: String?

    public init() {}
}
