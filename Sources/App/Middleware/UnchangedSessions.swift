import Vapor
import Fluent
import SQLKit

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

    /// Read in one plain query of the same table Fluent's driver writes (`SessionRecord`): the
    /// driver's model query, with its reflection over the model, cost a twentieth of a kept page's time.
    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        let promise = request.eventLoop.makePromise(of: SessionData?.self)
        promise.completeWithTask {
            guard let row = try await (request.db as! any SQLDatabase).raw("""
                SELECT data FROM \(ident: SessionRecord.schema) WHERE "key" = \(bind: sessionID.string)
                """).first() else { return nil }
            let data = try row.decode(column: "data", as: SessionData.self)
            request.storage[ReadKey.self] = data.snapshot
            return data
        }
        return promise.futureResult
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if request.storage[ReadKey.self] == data.snapshot { return request.eventLoop.makeSucceededFuture(sessionID) }
        return base.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        base.deleteSession(sessionID, for: request)
    }
}
