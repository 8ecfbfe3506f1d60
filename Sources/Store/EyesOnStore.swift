import Foundation
import FluentKit
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// A handle on the EyesOn database outside the web server: for the command line and the tests.
/// The server uses the same migrations and queries through Vapor's `app.db`.
public final class EyesOnStore: Sendable {
    public let location: DatabaseLocation
    public let databases: Databases
    let logger: Logger
    /// This store's own threads for SQLite's blocking calls (`StoreSetup.blockingThreads`).
    let threadPool: NIOThreadPool

    /// Opens (but does not yet touch) the database. Call `checkConnection()` or `migrate()`.
    public init(location: DatabaseLocation, logger: Logger = Logger(label: "eyeson.store"), extraMigrations: [any Migration] = []) throws {
        self.location = location
        self.logger = logger
        self.extraMigrations = extraMigrations
        self.threadPool = NIOThreadPool(numberOfThreads: StoreSetup.blockingThreads)
        threadPool.start()
        self.databases = Databases(threadPool: threadPool, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(try location.configuration(), as: .eyeson, isDefault: true)
    }

    let extraMigrations: [any Migration]

    /// The database to run queries on.
    public var db: any Database {
        databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())!
    }

    public var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Connects once, so that an unreachable server fails fast with a clear message.
    public func checkConnection() async throws(DatabaseLocationError) {
        try await StoreSetup.checkConnection(quietDatabase, location: location)
    }

    /// The database with a logger that stays silent, for the first connection: its failure is
    /// reported once, in our words, not as the driver's log line.
    var quietDatabase: any Database {
        databases.database(logger: StoreSetup.quietLogger, on: MultiThreadedEventLoopGroup.singleton.any())!
    }

    /// Applies every migration not yet applied (the store's and any given by the caller), after
    /// setting the SQLite pragmas. With `first`, only the store's first migrations (the schema an
    /// earlier release left, for upgrade tests).
    public func migrate(first: Int? = nil) async throws {
        try await checkConnection()
        try await StoreSetup.prepareEngine(db)
        let migrations = Migrations()
        migrations.add(Array(StoreMigrations.all.prefix(first ?? .max)))
        migrations.add(extraMigrations)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any(), migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        try await StoreSetup.afterMigrations(db)
        // Again, now the file has its schema: on a new, empty file the switch to WAL is not yet
        // written to it, and another connection writing the first tables could leave it unset.
        try await StoreSetup.prepareEngine(db)
        try await StoreSetup.prepareConnections(databases, on: MultiThreadedEventLoopGroup.singleton)
    }

    public func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
    }
}

/// Engine set-up shared by the command line, the tests and the server.
public enum StoreSetup {
    /// Threads for SQLite's blocking calls, for each database handle (the server's, a command's, a
    /// test's): more than its connections (one an event loop). SQLite's driver waits for another
    /// connection's write lock on the thread it runs on, so when the connections waiting could hold
    /// every thread, the connection holding the lock would never get one to commit and release it
    /// (which happened when several databases shared the process's two-thread pool).
    public static var blockingThreads: Int { max(4, System.coreCount + 2) }

    /// A logger that prints nothing below critical.
    public static var quietLogger: Logger {
        var logger = Logger(label: "eyeson.store.check")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `SELECT 1`, turning any failure into one line that names the host, never the password.
    public static func checkConnection(_ db: any Database, location: DatabaseLocation) async throws(DatabaseLocationError) {
        do {
            _ = try await (db as! any SQLDatabase).raw("SELECT 1 AS ok").all()
        } catch {
            throw DatabaseLocationError(message: "cannot open the database (\(location.safeDescription)): \(describe(error))")
        }
    }

    /// SQLite: write-ahead logging, so readers never wait for a writer (and it persists in the
    /// file), and foreign keys (also enabled per connection by the driver). PostgreSQL: nothing.
    public static func prepareEngine(_ db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        _ = try await sql.raw("PRAGMA journal_mode=WAL").all()
        _ = try await sql.raw("PRAGMA foreign_keys=ON").all()
    }

    /// SQLite: each connection (one an event loop) waits for another's write lock by sleeping
    /// (1, 2, 5, 10 … ms, up to 30 s) rather than by the driver's own wait, which retries at once
    /// without end and so keeps a core busy for as long as the other holds the lock — under load
    /// the waiters took the CPU the holder needed to finish (tests timed out waiting for a
    /// connection). The setting lasts for the connection's life, and the pool keeps its connections.
    /// Upkeep once the schema is current, at every start: PostgreSQL's attendance partitions made
    /// two years ahead (`PartitionMarksByMonth`), and the page version's triggers on any table a
    /// later migration added (`PageVersions`).
    public static func afterMigrations(_ db: any Database) async throws {
        try await PartitionMarksByMonth.ensureMonths(on: db)
        try await PageVersions.installTriggers(on: db)
    }

    public static func prepareConnections(_ databases: Databases, on group: any EventLoopGroup) async throws {
        for loop in group.makeIterator() {
            guard let sql = databases.database(.eyeson, logger: quietLogger, on: loop) as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
            _ = try await sql.raw("PRAGMA busy_timeout = 30000").all()
        }
    }

    /// After a bulk load (the demo): PostgreSQL vacuums and analyses at once, so the first
    /// queries are planned on the tables as they now are and the autovacuum that a large load
    /// sets off does not run alongside them. SQLite copies the write-ahead log into the database
    /// and empties it (the demo's load leaves hundreds of megabytes there), so that work is not
    /// left to whichever request commits first once the server is running.
    public static func refreshStatistics(_ db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("VACUUM (ANALYZE)").run()
        } else {
            _ = try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").all()
        }
    }

    public static func describe(_ error: any Error) -> String {
        let lowered = (String(describing: error) + " " + String(reflecting: error)).lowercased()
        if lowered.contains("connection refused") || lowered.contains("connect(descriptor") || lowered.contains("connectionrefused") {
            return "connection refused"
        }
        if lowered.contains("password authentication failed") || lowered.contains("28p01") {
            return "authentication failed"
        }
        if lowered.contains("does not exist") || lowered.contains("3d000") {
            return "the database does not exist"
        }
        if lowered.contains("unable to open") || lowered.contains("cantopen") {
            return "the file cannot be opened (check the folder exists and is writable)"
        }
        if lowered.contains("timeout") || lowered.contains("timed out") {
            return "timed out"
        }
        if lowered.contains("name resolution") || lowered.contains("nodename") || lowered.contains("getaddrinfo") || lowered.contains("unknownhost") || lowered.contains("name or service not known") {
            return "host name not found"
        }
        if lowered.contains("read-only transaction") || lowered.contains("25006") {
            return "a write was refused: the database is read-only (a standby)"
        }
        // The server's error code says what went wrong without the query or its values.
        if let at = lowered.range(of: "sqlstate: ") {
            return "database error (SQLSTATE \(lowered[at.upperBound...].prefix(5).uppercased()))"
        }
        // Keep the message short and free of the URL.
        return "connection failed"
    }
}
