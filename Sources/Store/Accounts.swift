import Foundation
import FluentKit
import EyesOnCore

/// A user account that cannot be created as asked, said so a person can fix it.
public struct AccountError: Error, CustomStringConvertible, Sendable, Equatable {
    public let field: String
    public let message: String
    public var description: String { "\(field): \(message)" }
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// How many failed sign-ins lock an account, and for how long.
public struct SignInPolicy: Sendable {
    public var maximumFailures: Int
    public var lockout: TimeInterval
    public static let standard = SignInPolicy(maximumFailures: 5, lockout: 15 * 60)
    public init(maximumFailures: Int, lockout: TimeInterval) {
        self.maximumFailures = maximumFailures
        self.lockout = lockout
    }
}

/// Users: creating them, finding them, and counting failed sign-ins. Passwords arrive here only
/// as hashes: the web layer hashes with Bcrypt.
public enum Accounts {
    public static let minimumPasswordLength = 12

    public static func normalisedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Checks an email address's shape: one @, something either side, a dot in the domain, no spaces.
    public static func validateEmail(_ email: String) throws(AccountError) {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace }), email.count <= 254
        else {
            throw AccountError(field: "email", message: "'\(email)' is not an email address like name@example.org")
        }
    }

    public static func validatePassword(_ password: String) throws(AccountError) {
        guard password.count >= minimumPasswordLength else {
            throw AccountError(field: "password", message: "must be at least \(minimumPasswordLength) characters")
        }
        guard password.count <= 72 else {
            throw AccountError(field: "password", message: "must be at most 72 characters (Bcrypt's limit)")
        }
    }

    /// Creates a user in the agency with the given key, checking the role fits the agency's kind
    /// and the email is not already used.
    public static func createUser(
        on db: any Database, email rawEmail: String, displayName: String, role: Role, agencyKey: String,
        passwordHash: String
    ) async throws -> UserAccount {
        let email = normalisedEmail(rawEmail)
        try validateEmail(email)
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw AccountError(field: "name", message: "enter the user's name") }
        guard let agency = try await Agency.query(on: db).filter(\.$key == agencyKey).first(), let agencyID = agency.id else {
            throw AccountError(field: "agency", message: "no agency has the key '\(agencyKey)' (see `eyeson agencies`)")
        }
        guard let kind = agency.kind, role.allowedAgencyKinds.contains(kind) else {
            throw AccountError(field: "role", message: "a \(role.title.lowercased()) cannot belong to \(agency.name) (\(agency.kind?.title ?? agency.kindRaw))")
        }
        if try await UserAccount.query(on: db).filter(\.$email == email).first() != nil {
            throw AccountError(field: "email", message: "a user with the email \(email) already exists")
        }
        let user = UserAccount(agencyID: agencyID, email: email, displayName: name, role: role, passwordHash: passwordHash)
        try await user.create(on: db)
        try await AuditLog.record(.userCreated, on: db, userID: user.id, actor: email, detail: "\(role.rawValue) at \(agency.name)")
        return user
    }

    public static func find(email: String, on db: any Database) async throws -> UserAccount? {
        try await UserAccount.query(on: db).filter(\.$email == normalisedEmail(email)).with(\.$agency).first()
    }

    public static func find(id: UUID, on db: any Database) async throws -> UserAccount? {
        try await UserAccount.query(on: db).filter(\.$id == id).with(\.$agency).first()
    }

    public static func isLocked(_ user: UserAccount, now: Date = Date()) -> Bool {
        if let until = user.lockedUntil, until > now { return true }
        return false
    }

    /// Counts a failed sign-in; locks the account when the policy's limit is reached.
    public static func recordFailure(_ user: UserAccount, on db: any Database, policy: SignInPolicy = .standard, now: Date = Date()) async throws {
        user.failedSignIns += 1
        if user.failedSignIns >= policy.maximumFailures {
            user.lockedUntil = now.addingTimeInterval(policy.lockout)
            user.failedSignIns = 0
        }
        try await user.save(on: db)
    }

    public static func recordSuccess(_ user: UserAccount, on db: any Database, now: Date = Date()) async throws {
        user.failedSignIns = 0
        user.lockedUntil = nil
        user.lastSignInAt = now
        try await user.save(on: db)
    }

    /// The viewer a signed-in user acts as, or nil for a disabled user or one whose role or
    /// agency kind is no longer known.
    public static func viewer(for user: UserAccount) -> Viewer? {
        guard !user.disabled, let id = user.id, let role = user.role, let agency = user.$agency.value,
              let agencyID = agency.id, let kind = agency.kind
        else { return nil }
        return Viewer(userID: id, email: user.email, displayName: user.displayName, role: role,
                      agencyID: agencyID, agencyName: agency.name, agencyKind: kind)
    }
}
