import ArgumentParser
import Foundation
import App
import Store

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the whole database to a new file, while the server runs.",
        discussion: """
            SQLite: a consistent copy of the live database (VACUUM INTO). PostgreSQL: pg_dump's custom format \
            (pg_dump from postgresql-client must be installed). Prints what the backup holds and checks its audit trail.
            """)
    @OptionGroup var db: DatabaseOptions
    @Option(name: .long, help: ArgumentHelp("The backup file to write; it must not exist.", valueName: "file"))
    var out: String

    func run() async throws {
        let store = try await db.openStore()
        let summary: Backup.Summary
        do { summary = try await Backup.write(to: out, from: store) } catch { await store.shutdown(); throw Failure.describing(error) }
        await store.shutdown()
        print("backup written to \(out):")
        summary.lines.forEach { print($0) }
        guard summary.audit.isIntact else { throw Failure("the database's audit trail does not verify: the backup holds it as it is; run `eyeson audit verify`") }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into an empty database (a new SQLite file, or an empty PostgreSQL database).",
        discussion: """
            Stop the server first. The backup is upgraded to this release's schema, its audit trail is verified \
            and its rows are counted. A database that already holds tables is never overwritten.
            """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: ArgumentHelp("The backup file (from `eyeson backup`).", valueName: "file"))
    var file: String

    func run() async throws {
        let summary: Backup.Summary
        do {
            summary = try await Backup.restore(from: file, into: try db.location(), extraMigrations: AppMigrations.sessions)
        } catch {
            throw Failure.describing(error)
        }
        print("restored \(file) into \(try db.location().safeDescription):")
        summary.lines.forEach { print($0) }
        guard summary.audit.isIntact else { throw Failure("the restored audit trail does not verify: the backup was altered, or taken from a database whose trail did not verify") }
    }
}
