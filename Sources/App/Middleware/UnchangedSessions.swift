import Vapor
import Fluent

/// Fluent's session store, writing a session back only when a request changed it. Vapor writes
/// every session on every request; with the last-seen time kept to the minute
/// (`SignedInUserMiddleware`), most pages now change nothing, and a page costs no database write
/// of its own (on SQLite, writes take turns for one lock).
struct UnchangedSessions: SessionDriver {
    let base: any SessionDriver

    /// The session as it was read for this request.
    struct ReadKey: StorageKey { typealias Value = [String: String] }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        base.createSession(data, for: request)
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        base.readSession(sessionID, for: request).map { data in
            if let data { request.storage[ReadKey.self] = data.snapshot }
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if request.storage[ReadKey.self] == data.snapshot { return request.eventLoop.makeSucceededFuture(sessionID) }
        return base.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        base.deleteSession(sessionID, for: request)
    }
}
