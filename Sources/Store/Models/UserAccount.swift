import Foundation
import FluentKit
import EyesOnCore

/// A person who signs in to EyesOn. Every user belongs to exactly one agency and has one role.
public final class UserAccount: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "agency_id") public var agency: Agency
    /// Stored lower-cased; unique.
    @Field(key: "email") public var email: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "role") public var roleRaw: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "failed_sign_ins") public var failedSignIns: Int
    @OptionalField(key: "locked_until") public var lockedUntil: Date?
    @OptionalField(key: "last_sign_in_at") public var lastSignInAt: Date?
    @Field(key: "disabled") public var disabled: Bool
    /// The two-factor secret in base 32; set when the user starts setting up two-factor sign-in.
    @OptionalField(key: "totp_secret") public var totpSecret: String?
    /// When the user proved the secret with a first code; until then sign-in asks them to set it up.
    @OptionalField(key: "totp_confirmed_at") public var totpConfirmedAt: Date?
    /// The step of the last code accepted: the same code is never good twice.
    @OptionalField(key: "totp_last_counter") public var totpLastCounter: Int64?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, agencyID: UUID, email: String, displayName: String, role: Role, passwordHash: String) {
        self.id = id
        self.$agency.id = agencyID
        self.email = email.lowercased()
        self.displayName = displayName
        self.roleRaw = role.rawValue
        self.passwordHash = passwordHash
        self.failedSignIns = 0
        self.disabled = false
    }

    public var role: Role? { Role(rawValue: roleRaw) }
}
