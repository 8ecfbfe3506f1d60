import Foundation
import FluentKit

/// Group commit for the audit trail. The server's requests append their entries (a child's record
/// opened, say) here rather than each in a transaction of its own: the entries that arrive while
/// one batch is being written make up the next, and one transaction puts a whole batch on the
/// chain (`AuditChain.append(_:locked:)`: one lock of the head, one insert, one update).
///
/// `append` returns only once its entry is committed, so a page is never shown before its read
/// is on record; if the batch fails, every request in it fails and shows nothing. One writer per
/// process keeps the process's writers from queueing for the chain's head lock one by one; other
/// processes on the same PostgreSQL database still take that lock, so the chain stays one line.
public actor AuditWriter {
    /// At most this many entries a transaction (10 values each, well under either engine's limit).
    public static let largestBatch = 500

    private let database: @Sendable () -> any Database
    private var pending: [(event: AuditEvent, committed: CheckedContinuation<Void, any Error>)] = []
    private var writing = false

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
            let events = batch.map(\.event)
            do {
                try await database().transaction { tx in try await AuditChain.append(events, locked: tx) }
                for item in batch { item.committed.resume() }
            } catch {
                for item in batch { item.committed.resume(throwing: error) }
            }
        }
        writing = false
    }
}
