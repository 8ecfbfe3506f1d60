import ArgumentParser
import Foundation
import App
import EyesOnCore
import Store
import Synthetic
import FluentKit

@main
struct EyesOnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eyeson",
        abstract: "EyesOn: the local safeguarding partnership's agreed list of children, and who has eyes on them.",
        discussion: "Data lives in a SQLite file (--database, default ./eyeson.sqlite) unless DATABASE_URL names a PostgreSQL server.",
        subcommands: [Serve.self, Migrate.self, Demo.self, Synth.self, UserCommand.self, Agencies.self, TokenCommand.self, CalendarCommand.self, LinkCommand.self, LinkRecordsCommand.self,
                      ImportCommand.self, ListCommand.self, TasksCommand.self, SettingsCommand.self, ReturnsCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self]
    )

    static func main() async {
        bootstrapLogging()
        await main(nil)
    }
}

/// `--database PATH`, shared by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite file (default ./eyeson.sqlite). Not allowed together with DATABASE_URL.", valueName: "path"))
    var database: String?

    func location() throws -> DatabaseLocation {
        do { return try DatabaseLocation.resolve(databasePath: database) } catch { throw Failure(error.description) }
    }

    /// Opens and migrates the database.
    func openStore() async throws -> EyesOnStore {
        let store = try EyesOnStore(location: try location(), extraMigrations: AppMigrations.sessions)
        do {
            try await store.migrate()
        } catch {
            await store.shutdown()
            throw Failure.describing(error)
        }
        return store
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the web application (on 127.0.0.1:8080 unless told otherwise).")

    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Load the synthetic demo area first if the database is empty, and print one demo login per role.")
    var demo = false
    @Option(help: "The port to listen on.") var port = 8080
    @Option(help: "The address to listen on. Use 0.0.0.0 only behind a TLS proxy.") var host = "127.0.0.1"
    @Option(name: .customLong("clock-file"), help: ArgumentHelp("For tests: a file holding the date to take as today (YYYY-MM-DD), read on every request; every page says so.", valueName: "path"))
    var clockFile: String?
    @Flag(name: .customLong("benchmark-unaudited-reads"), help: ArgumentHelp("For bench/audit only, with --demo: opening a child's record is not audited, to measure what auditing costs.", visibility: .hidden))
    var benchmarkUnauditedReads = false
    @Flag(name: .customLong("no-page-cache"), help: "Build every page afresh: keep no built \"not seen\" board for the next request, even while its data is unchanged.")
    var noPageCache = false

    func run() async throws {
        if benchmarkUnauditedReads && !demo {
            throw Failure("--benchmark-unaudited-reads is for the audit benchmark only and needs --demo: a real server audits every read")
        }
        let location = try db.location()
        let standby: DatabaseLocation?
        let maxLag: Double
        do {
            standby = try DatabaseLocation.resolveStandby(primary: location)
            maxLag = try ServerOptions.maxStandbyLagFromEnvironment()
        } catch { throw Failure(error.message) }
        let options = ServerOptions(location: location, host: host, port: port, behindTLS: ServerOptions.behindTLSFromEnvironment(),
                                    trustForwardedFor: ServerOptions.trustForwardedForFromEnvironment(),
                                    metricsToken: ProcessInfo.processInfo.environment["EYESON_METRICS_TOKEN"],
                                    clockFile: clockFile, demo: demo, benchmarkUnauditedReads: benchmarkUnauditedReads,
                                    standby: standby, maxStandbyLag: maxLag, pageCache: !noPageCache)
        do {
            try await EyesOnServer.run(options: options, output: LogFormat.say)
        } catch {
            throw Failure.describing(error)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database's tables.")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let store = try await db.openStore()
        print("The database is up to date (\(store.location.safeDescription)).")
        await store.shutdown()
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load a synthetic demo area into an empty database and print one demo login per role.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "How many children the synthetic area has.") var children = DemoArea.defaultChildren
    @Option(help: "The seed: the same seed gives the same area.") var seed: UInt64 = DemoArea.defaultSeed
    @Option(name: .customLong("as-of"), help: "The demo's today (YYYY-MM-DD; default today): the same seed and date give the same area as `eyeson synth`.") var asOf: String?
    @Option(name: .customLong("attendance-days"), help: "School days of attendance marks to import up to the as-of date (0 for none).") var attendanceDays = DemoArea.defaultAttendanceDays

    func run() async throws {
        guard (1_000...1_000_000).contains(children) else { throw Failure("--children must be between 1,000 and 1,000,000") }
        guard (0...200).contains(attendanceDays) else { throw Failure("--attendance-days must be between 0 and 200") }
        let date = try parseDate(asOf, option: "--as-of") ?? .today()
        let store = try await db.openStore()
        do {
            let progress = TerminalProgress()
            let (summary, logins) = try await DemoArea.load(on: store.db, children: children, seed: seed, asOf: date, attendanceDays: attendanceDays, progress: progress.report)
            progress.finish()
            print("Loaded \(summary.children) children, \(summary.people) people, \(summary.agencies) agencies into \(store.location.safeDescription).")
            print("Demo logins (synthetic accounts for this database only):")
            for login in logins { print(login.description) }
        } catch {
            await store.shutdown()
            throw Failure.describing(error)
        }
        await store.shutdown()
    }
}

struct Synth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic local area's agency extracts, in their real formats, and the ground truth.")
    @Option(help: "How many children (1,000 to 1,000,000).") var children = 50_000
    @Option(help: "The seed: the same seed and date give the same files.") var seed: UInt64 = 7
    @Option(help: "The folder to write into (created if missing).") var out: String
    @Option(name: .customLong("as-of"), help: "The day the extracts are taken (YYYY-MM-DD; default today).") var asOf: String?
    @Option(name: .customLong("attendance-days"), help: "School days of attendance marks up to the as-of date.") var attendanceDays = 20

    func run() async throws {
        guard (1_000...1_000_000).contains(children) else { throw Failure("--children must be between 1,000 and 1,000,000") }
        let date: CivilDate
        if let asOf {
            guard let parsed = CivilDate(asOf) else { throw Failure("--as-of '\(asOf)' is not a date like 2026-11-23") }
            date = parsed
        } else {
            date = .today()
        }
        let progress = TerminalProgress()
        let area = SyntheticArea.generate(AreaConfiguration(children: children, seed: seed, asOf: date, attendanceSchoolDays: attendanceDays), progress: progress.report)
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let files = try area.writeExtracts(to: directory, progress: progress.report)
            progress.finish()
            for file in files {
                print("\(file.name)\t\(file.kind)\t\(file.rows) rows\t\(file.bytes) bytes")
            }
        } catch {
            throw Failure("cannot write the extracts into \(out): \(error.localizedDescription)")
        }
    }
}

struct Agencies: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the agencies and their keys (for `eyeson user add --agency`), or add one.",
        subcommands: [List.self, Add.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the agencies: key, kind, name.")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let store = try await db.openStore()
            let agencies = try await Agency.query(on: store.db).sort(\.$kindRaw).sort(\.$name).all()
            for agency in agencies {
                print("\(agency.key)\t\(agency.kind?.title ?? agency.kindRaw)\t\(agency.name)")
            }
            await store.shutdown()
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an agency of the partnership (audited).",
            discussion: "Kinds: \(AgencyKind.allCases.map(\.rawValue).joined(separator: ", ")). A school, nursery or college needs --urn; a health organisation --ods; children's social care should have --la-code.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Its key: 2 to 64 lower-case letters, digits and hyphens (e.g. school-910001).") var key: String
        @Option(help: "Its name, as users will see it.") var name: String
        @Option(help: "Its kind.") var kind: String
        @Option(help: "A school's, nursery's or college's unique reference number.") var urn: String?
        @Option(help: "A health organisation's ODS code.") var ods: String?
        @Option(name: .customLong("la-code"), help: "Children's social care: the three-digit DfE local authority code.") var laCode: String?
        @Option(help: "Its postcode.") var postcode: String?

        func run() async throws {
            guard let kind = AgencyKind(rawValue: kind) else {
                throw Failure("--kind '\(kind)' is not a kind of agency; use one of: \(AgencyKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let store = try await db.openStore()
            do {
                // `Store.`: inside this command, `Agencies` is the command itself.
                let agency = try await Store.Agencies.add(key: key, name: name, kind: kind, urn: urn, odsCode: ods, laCode: laCode,
                                                          postcode: postcode, actor: "eyeson agencies add", on: store.db)
                print("Added \(agency.key)\t\(kind.title)\t\(agency.name)")
            } catch {
                await store.shutdown()
                throw Failure.describing(error)
            }
            await store.shutdown()
        }
    }
}

