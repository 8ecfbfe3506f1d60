import Foundation
import FluentKit
import SQLKit

/// Group commit for the audit trail. The server's requests append their entries (a child's record
/// opened, say) here rather than each in a transaction of its own: the entries that arrive while
/// one batch is being written make up the next, and one INSERT statement puts a whole batch on the
/// chain after the head the writer last knew; the v15 trigger checks the batch follows that head
/// and moves the head. When another writer (a sign-in, a change, another process) appended in
/// between, the statement is refused whole and the writer reads the head and tries again.
///
/// `append` returns only once its entry is committed, so a page is never shown before its read
/// is on record; if the batch fails, every request in it fails and shows nothing.
public actor AuditWriter {
    /// At most this many entries a statement (11 values each, under `insertRows`' 900 parameters).
    public static let largestBatch = 80
    /// Times a batch is tried again after another writer moved the chain's head.
    static let attempts = 8

    private let database: @Sendable () -> any Database
    private var pending: [(event: AuditEvent, committed: CheckedContinuation<Void, any Error>)] = []
    private var writing = false
    /// The head after this writer's last batch; nil until read, or after another writer moved it.
    private var head: AuditChain.Head?

    /// `database` gives a handle on the pool for each batch (any event loop).
    public init(database: @escaping @Sendable () -> any Database) {
        self.database = database
    }

    /// Puts `event` on the chain with the next batch, and returns when that batch is committed.
    public func append(_ event: AuditEvent) async throws {
        try await withCheckedThrowingContinuation { (committed: CheckedContinuation<Void, any Error>) in
            pending.append((event, committed))
            if !writing {
                writing = true
                Task { await self.writeBatches() }
            }
        }
    }

    private func writeBatches() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.largestBatch))
            pending.removeFirst(batch.count)
            do {
                try await write(batch.map(\.event))
                for item in batch { item.committed.resume() }
            } catch {
                for item in batch { item.committed.resume(throwing: error) }
            }
        }
        writing = false
    }

    private func write(_ events: [AuditEvent]) async throws {
        let sql = database() as! any SQLDatabase
        for attempt in 1...Self.attempts {
            let after: AuditChain.Head
            if let head { after = head } else { after = try await AuditChain.readHead(on: sql) }
            do {
                head = try await AuditChain.insert(events, after: after, on: sql)
                return
            } catch where AuditChain.isChainMoved(error) && attempt < Self.attempts {
                head = nil
            } catch {
                head = nil
                throw error
            }
        }
    }
}
