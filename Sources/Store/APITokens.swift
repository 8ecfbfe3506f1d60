import Foundation
import FluentKit
import SQLKit

/// An agency system's token: for pushing one feed to `/api/v1/feeds/{feed}`, or (`feed` is
/// ``APIToken/readFeed``) for reading the API as one user (`userID`). Only the token's SHA-256 is
/// stored (the caller hashes); the token itself is shown once, when made.
public struct APIToken: Sendable, Equatable {
    /// The `feed` of a token that reads rather than pushes.
    public static let readFeed = "read"

    public let id: UUID
    public let agencyID: UUID
    public let agencyName: String
    public let feed: String
    /// The user a read token reads as (nil for a push token).
    public var userID: UUID? = nil
    public var userEmail: String? = nil
    public let label: String
    public let createdAt: Date
    public let revokedAt: Date?
    /// The last push it made (nil: never used).
    public var lastUsedAt: Date? = nil

    public var reads: Bool { feed == Self.readFeed }
}

public enum APITokens {
    /// Records a new token (by its hash) for `agencyKey` and `feed`.
    public static func add(agencyKey: String, feed: String, label: String, hash: String, on db: any Database) async throws -> APIToken {
        guard let agency = try await Agency.query(on: db).filter(\.$key == agencyKey).first(), let agencyID = agency.id else {
            throw APITokenError(message: "there is no agency with the key '\(agencyKey)'")
        }
        let id = UUID(), now = Date()
        try await (db as! any SQLDatabase).insert(into: "api_tokens").columns("id", "agency_id", "feed", "token_hash", "label", "created_at")
            .values(SQLBind(id), SQLBind(agencyID), SQLBind(feed), SQLBind(hash), SQLBind(label), SQLBind(now)).run()
        try await AuditLog.record(.settingChanged, on: db, actor: "eyeson token", detail: "API token \(label) made for \(agency.name), feed \(feed)")
        return APIToken(id: id, agencyID: agencyID, agencyName: agency.name, feed: feed, label: label, createdAt: now, revokedAt: nil)
    }

    /// Records a new read token (by its hash) that reads as the user with this email, in their agency.
    public static func addReader(email: String, label: String, hash: String, on db: any Database) async throws -> APIToken {
        guard let user = try await Accounts.find(email: email, on: db), let userID = user.id else {
            throw APITokenError(message: "there is no user with the email '\(email)'")
        }
        guard !user.disabled else { throw APITokenError(message: "\(email) is disabled; enable the account first") }
        guard let agency = try await Agency.find(user.$agency.id, on: db) else { throw APITokenError(message: "\(email) has no agency") }
        let id = UUID(), now = Date()
        try await (db as! any SQLDatabase).insert(into: "api_tokens").columns("id", "agency_id", "feed", "token_hash", "label", "created_at", "user_id")
            .values(SQLBind(id), SQLBind(user.$agency.id), SQLBind(APIToken.readFeed), SQLBind(hash), SQLBind(label), SQLBind(now), SQLBind(userID)).run()
        try await AuditLog.record(.settingChanged, on: db, actor: "eyeson token", detail: "API read token \(label) made, reading as \(email) (\(agency.name))")
        return APIToken(id: id, agencyID: user.$agency.id, agencyName: agency.name, feed: APIToken.readFeed, userID: userID, userEmail: email,
                        label: label, createdAt: now, revokedAt: nil)
    }

    /// The live token with this hash, if any; its use is remembered (shown by `eyeson token list`),
    /// to the minute: a system reading many times a second does not write once a read.
    public static func find(hash: String, on db: any Database) async throws -> APIToken? {
        guard let token = try await list(on: db, condition: "t.token_hash = \(bind: hash) AND t.revoked_at IS NULL").first else { return nil }
        let now = Date()
        if token.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            try await (db as! any SQLDatabase).update("api_tokens").set("last_used_at", to: now).where("id", .equal, token.id).run()
        }
        return token
    }

    /// Every token, newest first.
    public static func all(on db: any Database) async throws -> [APIToken] {
        try await list(on: db, condition: "1 = 1")
    }

    /// Revokes a token by id; false when there is no such live token.
    public static func revoke(_ id: UUID, on db: any Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        guard try await sql.raw("SELECT id FROM api_tokens WHERE id = \(bind: id) AND revoked_at IS NULL").first() != nil else { return false }
        try await sql.update("api_tokens").set("revoked_at", to: Date()).where("id", .equal, id).run()
        try await AuditLog.record(.settingChanged, on: db, actor: "eyeson token", detail: "API token \(id.uuidString) revoked")
        return true
    }

    static func list(on db: any Database, condition: SQLQueryString) async throws -> [APIToken] {
        try await (db as! any SQLDatabase).raw("""
            SELECT t.id, t.agency_id, a.name AS agency_name, t.feed, t.user_id, u.email AS user_email, t.label, t.created_at, t.revoked_at, \
            t.last_used_at FROM api_tokens t JOIN agencies a ON a.id = t.agency_id LEFT JOIN users u ON u.id = t.user_id \
            WHERE \(condition) ORDER BY t.created_at DESC
            """).all().map { row in
            APIToken(id: try row.decode(column: "id", as: UUID.self), agencyID: try row.decode(column: "agency_id", as: UUID.self),
                     agencyName: try row.decode(column: "agency_name", as: String.self), feed: try row.decode(column: "feed", as: String.self),
                     userID: try row.decode(column: "user_id", as: UUID?.self), userEmail: try row.decode(column: "user_email", as: String?.self),
                     label: try row.decode(column: "label", as: String.self), createdAt: try row.decode(column: "created_at", as: Date.self),
                     revokedAt: try row.decode(column: "revoked_at", as: Date?.self), lastUsedAt: try row.decode(column: "last_used_at", as: Date?.self))
        }
    }
}

public struct APITokenError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
