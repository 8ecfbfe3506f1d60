import FluentKit
import SQLKit

extension Database {
    /// A transaction that writes. On SQLite it takes the write lock with its first statement,
    /// before reading anything: a transaction that read first and wrote later could find that
    /// another connection had written since its snapshot, and SQLite then refuses it at once
    /// ("database is locked", SQLITE_BUSY_SNAPSHOT) without waiting — two imports pushed together
    /// failed with a 500. Taking the lock first makes the second wait its turn (busy_timeout).
    /// On PostgreSQL it is a plain transaction (row locks and MVCC let writers meet).
    public func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !inTransaction else { return try await body(self) }
        return try await transaction { tx in
            if let sql = tx as? any SQLDatabase, sql.dialect.name == "sqlite" {
                // A write statement that changes nothing: it opens the write transaction (the lock) all the same.
                try await sql.raw("DELETE FROM _fluent_migrations WHERE 0 = 1").run()
            }
            return try await body(tx)
        }
    }
}
