import Foundation
import Vapor
import Fluent

/// Removes the sessions that can no longer sign anyone in, so `_fluent_sessions` does not keep
/// every visit for ever (each row names a user): run by the daily sweep (`eyeson tasks sweep`).
///
/// A session goes when it is signed in but past its limit (`SignedInUserMiddleware.sessionLifetime`
/// since sign-in, or `idleTimeout` since its last request), or when it is not signed in at all
/// (a visit to the sign-in page, a signed-out session, a code step left unfinished): such a session
/// holds only a form token, and a visitor who is mid-way through signing in just starts again.
public enum SessionCleanup {
    public static func deleteExpired(on db: any Database, now: Date = Date()) async throws -> Int {
        var expired: [UUID] = []
        for record in try await SessionRecord.query(on: db).all() {
            guard let id = record.id else { continue }
            let data = record.data
            guard data["user_id"] != nil, let signedIn = data["signed_in_at"].flatMap(Double.init) else {
                // Not signed in; a code step still open (a few minutes) is left alone.
                if let pending = data["pending_since"].flatMap(Double.init), now.timeIntervalSince1970 - pending < SignedInUserMiddleware.idleTimeout { continue }
                expired.append(id)
                continue
            }
            let lastSeen = data["last_seen_at"].flatMap(Double.init) ?? signedIn
            if now.timeIntervalSince1970 - signedIn >= SignedInUserMiddleware.sessionLifetime
                || now.timeIntervalSince1970 - lastSeen >= SignedInUserMiddleware.idleTimeout {
                expired.append(id)
            }
        }
        for batch in stride(from: 0, to: expired.count, by: 500) {
            try await SessionRecord.query(on: db).filter(\.$id ~~ Array(expired[batch..<min(batch + 500, expired.count)])).delete()
        }
        return expired.count
    }
}
