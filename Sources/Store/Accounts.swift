import Foundation
import FluentKit
import SQLKit
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

/// How many failed sign-ins lock an account, and for how long; and how many failed sign-ins from
/// one client address, within how long, stop that address signing in (`SignInThrottle`).
public struct SignInPolicy: Sendable {
    public var maximumFailures: Int
    public var lockout: TimeInterval
    public var maximumFailuresPerAddress: Int
    public var addressWindow: TimeInterval
    public static let standard = SignInPolicy(maximumFailures: 5, lockout: 15 * 60)
    public init(maximumFailures: Int, lockout: TimeInterval, maximumFailuresPerAddress: Int = 20, addressWindow: TimeInterval = 15 * 60) {
        self.maximumFailures = maximumFailures
        self.lockout = lockout
        self.maximumFailuresPerAddress = maximumFailuresPerAddress
        self.addressWindow = addressWindow
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

    /// Passwords people choose that are long enough but guessed first (lists of breached
    /// passwords, NCSC's advice); compared without case.
    static let commonPasswords: Set<String> = [
        "password1234", "password12345", "password123456", "passwordpassword", "password1234!", "password123!",
        "123456789012", "1234567890123", "12345678910", "123456789101", "1234567890qwerty", "qwertyuiop12",
        "qwertyuiopasdf", "qwerty123456", "qwertyqwerty", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3", "asdfghjkl123",
        "iloveyou1234", "letmein12345", "welcome12345", "welcome123456", "changeme1234", "trustno11234", "abc123abc123",
        "football1234", "baseball1234", "liverpool123", "chelsea12345", "arsenal12345", "manchester123", "sunshine1234",
        "princess1234", "starwars1234", "superman1234", "monkey123456", "dragon123456", "michael12345", "charlie12345",
        "summer123456", "winter123456", "spring123456", "autumn123456", "january12345", "september123", "december1234",
        "safeguarding", "safeguarding1", "safeguarding123", "socialworker", "socialworker1", "children1234", "council12345",
    ]

    /// Checks a new password: 12 to 72 characters, not one of the common ones, not a character
    /// repeated or a run like 123456789012 or abcdefghijkl, and not built on the user's email or
    /// name or the service's. The error says which.
    public static func validatePassword(_ password: String, email: String? = nil, name: String? = nil) throws(AccountError) {
        guard password.count >= minimumPasswordLength else {
            throw AccountError(field: "password", message: "must be at least \(minimumPasswordLength) characters")
        }
        guard password.count <= 72 else {
            throw AccountError(field: "password", message: "must be at most 72 characters (Bcrypt's limit)")
        }
        let lower = password.lowercased()
        if commonPasswords.contains(lower) {
            throw AccountError(field: "password", message: "is one of the passwords people choose most often: choose another (three random words work well)")
        }
        let scalars = Array(lower.unicodeScalars.map(\.value))
        if Set(scalars).count <= 2 {
            throw AccountError(field: "password", message: "repeats one or two characters: choose another")
        }
        let steps = zip(scalars.dropFirst(), scalars).map { Int($0) - Int($1) }
        if steps.allSatisfy({ $0 == 1 }) || steps.allSatisfy({ $0 == -1 }) {
            throw AccountError(field: "password", message: "is a run of characters in order: choose another")
        }
        var words = ["eyeson"]
        if let email { words.append(String(normalisedEmail(email).split(separator: "@").first ?? "")) }
        if let name { words += name.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init) }
        for word in words where word.count >= 4 && lower.contains(word) {
            throw AccountError(field: "password", message: "contains '\(word)' (your name, email or the service's): choose one nobody could guess from those")
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

    /// Disables (or enables again) the account with this email: a disabled user cannot sign in,
    /// and their open sessions end at their next request. Audited; false when there is no such user.
    public static func setDisabled(_ disabled: Bool, email: String, actor: String, on db: any Database) async throws -> Bool {
        guard let user = try await find(email: email, on: db) else { return false }
        if user.disabled != disabled {
            user.disabled = disabled
            try await user.save(on: db)
        }
        try await AuditLog.record(disabled ? .userDisabled : .userEnabled, on: db, userID: user.id, actor: actor,
                                  detail: "\(disabled ? "disabled" : "enabled") the account of \(user.email)")
        return true
    }

    // MARK: two-factor sign-in

    /// Whether the user must give a code after their password: their role requires it, or they set
    /// it up anyway.
    public static func needsTwoFactor(_ user: UserAccount) -> Bool {
        user.totpConfirmedAt != nil || user.role.map(AccessPolicy.requiresTwoFactor) ?? true
    }

    /// The secret the user is setting up (made on first asking, kept until confirmed or reset).
    public static func pendingTwoFactorSecret(for user: UserAccount, on db: any Database) async throws -> [UInt8] {
        if let text = user.totpSecret, let secret = Base32.decode(text), secret.count >= 10 { return secret }
        let secret = TOTP.newSecret()
        user.totpSecret = Base32.encode(secret)
        user.totpConfirmedAt = nil
        user.totpLastCounter = nil
        try await user.save(on: db)
        return secret
    }

    /// Checks a code against the user's secret and, when it is good, uses it up: a code accepted
    /// once (or an older one) is refused after. Confirms a secret being set up. Audited by the caller.
    public static func acceptTwoFactorCode(_ code: String, for user: UserAccount, on db: any Database, now: Date = Date()) async throws -> Bool {
        guard let text = user.totpSecret, let secret = Base32.decode(text),
              let counter = TOTP.matchingCounter(code, secret: secret, at: now) else { return false }
        if let last = user.totpLastCounter, Int64(counter) <= last { return false }
        let settingUp = user.totpConfirmedAt == nil
        user.totpLastCounter = Int64(counter)
        if settingUp { user.totpConfirmedAt = now }
        try await user.save(on: db)
        if settingUp {
            try await AuditLog.record(.twoFactorSetUp, on: db, userID: user.id, actor: user.email, detail: "set up two-factor sign-in")
        }
        return true
    }

    /// Forgets the user's two-factor secret (a lost phone): they set up a new one at their next
    /// sign-in. Audited; false when there is no such user.
    public static func resetTwoFactor(email: String, actor: String, on db: any Database) async throws -> Bool {
        guard let user = try await find(email: email, on: db) else { return false }
        user.totpSecret = nil
        user.totpConfirmedAt = nil
        user.totpLastCounter = nil
        try await user.save(on: db)
        try await AuditLog.record(.twoFactorReset, on: db, userID: user.id, actor: actor,
                                  detail: "reset two-factor sign-in for \(user.email)")
        return true
    }

    /// The user as the access policy sees them, in one query (every signed-in request asks, and
    /// the model query with its agency cost a tenth of a kept page's time); nil when the account
    /// is disabled or gone.
    public static func viewer(id: UUID, on db: any Database) async throws -> Viewer? {
        try await signedIn(id: id, on: db)?.viewer
    }

    /// `viewer(id:)`, and on SQLite the page version read in the same query (`PageVersions`): a
    /// kept page is checked against it without a query of its own. Nil on PostgreSQL, whose
    /// versions are snapshots checked against `page_changes`.
    public static func signedIn(id: UUID, on db: any Database) async throws -> (viewer: Viewer, pageVersion: PageVersions.Version?)? {
        let sql = db as! any SQLDatabase
        let counter = sql.dialect.name == "sqlite"
        guard let row = try await sql.raw("""
            SELECT u.email, u.display_name, u.role, u.disabled, a.id AS agency_id, a.name AS agency_name, a.kind AS agency_kind\
            \(unsafeRaw: counter ? ", (SELECT version FROM data_versions WHERE name = 'pages') AS page_version" : "") \
            FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.id = \(bind: id)
            """).first(),
              try !row.decode(column: "disabled", as: Bool.self),
              let role = Role(rawValue: try row.decode(column: "role", as: String.self)),
              let kind = AgencyKind(rawValue: try row.decode(column: "agency_kind", as: String.self)) else { return nil }
        let viewer = Viewer(userID: id, email: try row.decode(column: "email", as: String.self), displayName: try row.decode(column: "display_name", as: String.self),
                            role: role, agencyID: try row.decode(column: "agency_id", as: UUID.self), agencyName: try row.decode(column: "agency_name", as: String.self),
                            agencyKind: kind)
        return (viewer, counter ? try row.decode(column: "page_version", as: Int64?.self).map(PageVersions.Version.counter) : nil)
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
