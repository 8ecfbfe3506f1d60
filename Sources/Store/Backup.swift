import Foundation
import FluentKit
import SQLKit

/// A backup that cannot be taken or restored, said so a person can act on it (never a password).
public struct BackupError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Backing up and restoring the whole database, while the server runs (issue 9).
///
/// - SQLite: `VACUUM INTO` writes a consistent, compact copy of the live database in one read
///   transaction (writers carry on; the copy is the database as it was when the backup began).
///   Restoring copies the file into place under a temporary name and renames it, so a half-copied
///   file is never the database.
/// - PostgreSQL: `pg_dump --format=custom` (one consistent snapshot) and `pg_restore` in a single
///   transaction, so a failed restore leaves the empty database empty. The connection details
///   go to them through the environment (PGHOST, PGPASSWORD, …), never on their command line.
///
/// A restore goes only into an empty database, is upgraded by the migrations if the backup is from
/// an earlier release, and then checked: the audit chain is verified and the rows counted.
public enum Backup {
    /// What a backup or a restored database holds: rows per table and the audit chain's check.
    public struct Summary: Sendable {
        public let rows: [(table: String, count: Int)]
        public let audit: AuditChain.Report

        public func count(_ table: String) -> Int? { rows.first { $0.table == table }?.count }

        public var lines: [String] {
            rows.map { "  \($0.table): \($0.count)" } + [audit.isIntact
                ? "  audit trail intact: \(audit.entries) entries; head entry \(audit.headSeq), hash \(audit.headHash)"
                : "  AUDIT TRAIL DOES NOT VERIFY: " + audit.problems.map(\.message).joined(separator: "; ")]
        }
    }

    /// The tables a summary counts.
    static let countedTables = ["agencies", "users", "people", "person_identifiers", "school_enrolments", "list_entries", "tasks", "contacts",
                                "attendance_pupils", "encompass_notices", "information_shares", "import_runs", "audit_events"]

    /// Writes a backup of the store's database to `path`, which must not exist yet. A backup holds
    /// every child's record, so it is audited first (and the backup holds its own entry). The
    /// summary is of the SQLite copy itself; on PostgreSQL, of the live database just before
    /// `pg_dump` takes its snapshot (what `restore` prints is then the dump's own).
    public static func write(to path: String, from store: EyesOnStore, actor: String = "eyeson backup (command line)") async throws -> Summary {
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupError("\(path) already exists: a backup never overwrites a file, give a new name") }
        let folder = (path as NSString).deletingLastPathComponent
        guard FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else { throw BackupError("cannot write in \(folder.isEmpty ? "." : folder)") }
        try await AuditLog.record(.backupWritten, on: store.db, actor: actor, detail: "backed up the whole database to \(path)")
        switch store.location {
        case .sqlite:
            try await store.sql.raw("VACUUM INTO \(bind: path)").run()
            return try await closing(try EyesOnStore(location: .sqlite(path: path))) { copy in try await self.summary(on: copy.db) }
        case .postgres(let url):
            let summary = try await self.summary(on: store.db)
            try run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", path], url: url)
            return summary
        }
    }

    /// Restores the backup at `path` into the database at `location`, which must be empty, then
    /// brings it up to this release's schema and checks it.
    public static func restore(from path: String, into location: DatabaseLocation, extraMigrations: [any Migration] = [],
                               actor: String = "eyeson restore (command line)") async throws -> Summary {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupError("cannot read \(path)") }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        let isSQLite = head.starts(with: Array("SQLite format 3".utf8))
        let isDump = head.starts(with: Array("PGDMP".utf8))
        switch location {
        case .sqlite(let target):
            guard isSQLite else {
                throw BackupError(isDump ? "\(path) is a PostgreSQL backup: restore it with DATABASE_URL set to an empty PostgreSQL database"
                                         : "\(path) is not an EyesOn backup (neither a SQLite database nor a pg_dump file)")
            }
            if FileManager.default.fileExists(atPath: target) {
                let tables = try? await closing(try EyesOnStore(location: location)) { existing in try await tableCount(on: existing.db) }
                guard tables == 0 else { throw BackupError("\(target) already holds a database: restore only into a new file or an empty database") }
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
            }
            let partial = target + ".restoring"
            try? FileManager.default.removeItem(atPath: partial)
            do {
                try FileManager.default.copyItem(atPath: path, toPath: partial)
                try FileManager.default.moveItem(atPath: partial, toPath: target)
            } catch {
                try? FileManager.default.removeItem(atPath: partial)
                throw BackupError("cannot write \(target): \(error.localizedDescription)")
            }
        case .postgres(let url):
            guard isDump else {
                throw BackupError(isSQLite ? "\(path) is a SQLite backup: restore it with --database pointing at a new file"
                                           : "\(path) is not an EyesOn backup (neither a SQLite database nor a pg_dump file)")
            }
            let tables = try await closing(try EyesOnStore(location: location)) { target in try await tableCount(on: target.db) }
            guard tables == 0 else { throw BackupError("the database DATABASE_URL names already holds tables: restore only into an empty database") }
            try run("pg_restore", ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname", databaseName(url), path], url: url)
        }
        return try await closing(try EyesOnStore(location: location, extraMigrations: extraMigrations)) { store in
            try await store.migrate()
            try await AuditLog.record(.backupRestored, on: store.db, actor: actor, detail: "restored the whole database from \(path)")
            return try await self.summary(on: store.db)
        }
    }

    /// Runs `body` on the store, then shuts the store down, whether or not `body` threw.
    static func closing<T>(_ store: EyesOnStore, _ body: (EyesOnStore) async throws -> T) async throws -> T {
        do {
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Rows per counted table and the audit chain's check.
    public static func summary(on db: any Database) async throws -> Summary {
        var rows: [(String, Int)] = []
        for table in countedTables {
            rows.append((table, try await Operations.count("SELECT COUNT(*) AS n FROM \(ident: table)", on: db)))
        }
        return Summary(rows: rows, audit: try await AuditChain.verify(on: db))
    }

    static func tableCount(on db: any Database) async throws -> Int {
        try await Operations.count((db as! any SQLDatabase).dialect.name == "postgresql"
            ? "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"
            : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'", on: db)
    }

    static func databaseName(_ url: String) -> String {
        (URLComponents(string: url)?.path ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    /// Runs a PostgreSQL client program with the connection in its environment; its error output
    /// is passed on (it never contains the password).
    static func run(_ program: String, _ arguments: [String], url: String) throws {
        guard let parts = URLComponents(string: url) else { throw BackupError("DATABASE_URL is not a valid URL") }
        guard let executable = findProgram(program) else {
            throw BackupError("\(program) is not installed: apt-get install postgresql-client (the same major version as the server, or newer)")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PGHOST"] = parts.host
        environment["PGPORT"] = String(parts.port ?? 5432)
        environment["PGUSER"] = parts.user.map { $0.removingPercentEncoding ?? $0 }
        environment["PGPASSWORD"] = parts.password.map { $0.removingPercentEncoding ?? $0 }
        environment["PGDATABASE"] = databaseName(url)
        if let mode = parts.queryItems?.first(where: { $0.name == "sslmode" })?.value { environment["PGSSLMODE"] = mode }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BackupError("\(program) failed (exit status \(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// `EYESON_PG_BIN`, then the PATH, then Debian's /usr/lib/postgresql/*/bin (newest first).
    static func findProgram(_ name: String) -> String? {
        let environment = ProcessInfo.processInfo.environment
        var folders: [String] = []
        if let bin = environment["EYESON_PG_BIN"], !bin.isEmpty { folders.append(bin) }
        folders += (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        let debian = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        folders += debian.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        return folders.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
