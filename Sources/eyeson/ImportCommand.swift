import ArgumentParser
import Foundation
import EyesOnCore
import Feeds
import Store

/// `eyeson import KIND FILE`: the command-line door into the import pipeline.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an agency's file.",
        subcommands: [ImportAttendance.self])
}

struct ImportAttendance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "Import a school attendance CSV (school_urn,upn,forename,surname,date_of_birth,date,session,code).",
        discussion: """
        Marks are checked row by row (bad rows are quarantined and listed with their line and column); a re-sent or \
        overlapping file updates marks instead of duplicating them; pupils are matched to children in the person index; \
        each pupil's attendance figures are recomputed and eyes-on tasks raised. One transaction: a file cut short \
        applies nothing. Exit status 1 when the file is rejected.
        """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .customLong("school-urn"), help: "Accept only this school's marks (a school sending its own file).") var schoolURN: Int?
    @Option(name: .customLong("as-of"), help: "Today, for the checks and the tasks (YYYY-MM-DD; default today).") var asOf: String?

    func run() async throws {
        let today = try parseDate(asOf, option: "--as-of") ?? .today()
        let store = try await db.openStore()
        do {
            let report = try await AttendanceImport.run(path: file, on: store.db,
                                                        options: .init(onlyURN: schoolURN, actor: "eyeson import", today: today))
            let sweep = try await Tasks.sweep(on: store.db, today: today)
            for problem in report.problems.prefix(20) { print("quarantined: \(report.file), \(problem)") }
            if report.quarantined > 20 { print("quarantined: … and \(report.quarantined - 20) more (all kept with the import)") }
            print(report.summaryLine)
            print("eyes on: \(sweep.opened) not-seen tasks opened, \(sweep.escalated) overdue tasks escalated")
        } catch {
            await store.shutdown()
            throw Failure.describing(error)
        }
        await store.shutdown()
    }
}

/// `eyeson list …`: the agreed list from the command line.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The agreed list.", subcommands: [ListImportCommand.self])
}

struct ListImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load an existing agreed list (a spreadsheet saved as CSV) as entries agreed at a partnership meeting.",
        discussion: "Columns: upn or nhs_number, \(ListImport.columns.joined(separator: ", ")). One bad row rejects the file.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV file.") var file: String

    func run() async throws {
        let store = try await db.openStore()
        do {
            let report = try await ListImport.run(path: file, on: store.db, actor: "eyeson list import")
            print("agreed list: \(report.added) entries added, \(report.alreadyListed) children already listed")
        } catch {
            await store.shutdown()
            throw Failure.describing(error)
        }
        await store.shutdown()
    }
}

/// `eyeson tasks sweep`: the daily eyes-on job.
struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks", abstract: "Eyes-on tasks.", subcommands: [TasksSweep.self])
}

struct TasksSweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Open a task for every listed child past the eyes-on policy and escalate overdue tasks (run daily, e.g. from cron).")
    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("as-of"), help: "Today (YYYY-MM-DD; default today).") var asOf: String?

    func run() async throws {
        let today = try parseDate(asOf, option: "--as-of") ?? .today()
        let store = try await db.openStore()
        do {
            let sweep = try await Tasks.sweep(on: store.db, today: today)
            print("eyes on: \(sweep.opened) not-seen tasks opened, \(sweep.escalated) overdue tasks escalated")
        } catch {
            await store.shutdown()
            throw Failure.describing(error)
        }
        await store.shutdown()
    }
}

func parseDate(_ text: String?, option: String) throws -> CivilDate? {
    guard let text else { return nil }
    guard let date = CivilDate(text) else { throw Failure("\(option) '\(text)' is not a date like 2026-11-23") }
    return date
}
