import ArgumentParser
import Foundation
import EyesOnCore
import Store

/// The partnership's returns from the command line: for scheduled jobs and for checking a
/// template before it is used in the web app.
struct ReturnsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "returns", abstract: "The partnership's returns (the DfE's VCYP survey and the partnership's own).",
        subcommands: [Templates.self, Compute.self, Attendance.self], defaultSubcommand: Templates.self)

    struct Templates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the return templates in force: key, period, title.")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let store = try await db.openStore()
            do {
                for t in try await Returns.templates(on: store.db) { print("\(t.key)\t\(t.periodDays) days\t\(t.title)") }
            } catch {
                await store.shutdown()
                throw Failure.describing(error)
            }
            await store.shutdown()
        }
    }

    struct Compute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work a return out as of a date and print it (JSON or CSV) on standard output; audited. The figures only: hand-filled fields are left empty, and nothing is kept (prepare and sign off in the web app).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The template's key (see `eyeson returns templates`), e.g. vcyp.") var template: String
        @Option(name: .customLong("as-of"), help: "The return's date (YYYY-MM-DD; default today).") var asOf: String?
        @Option(help: "json or csv.") var format: String = "json"

        func validate() throws {
            guard ["json", "csv"].contains(format) else { throw ValidationError("--format must be json or csv") }
        }

        func run() async throws {
            let date = try parseDate(asOf, option: "--as-of") ?? .today()
            try await printComputed(template, asOf: date, db: db) { store in
                guard let found = try await Returns.template(template, on: store.db) else {
                    let known = try await Returns.templates(on: store.db).map(\.key).joined(separator: ", ")
                    throw Failure("there is no return template '\(template)' (known: \(known))")
                }
                let computed = try await Returns.compute(found, asOf: date, on: store.db, actor: "eyeson returns compute (command line)")
                return format == "csv" ? ReturnExport.csv(computed, signedBy: nil, signedAt: nil) : try ReturnExport.json(computed, signedBy: nil, signedAt: nil) + "\n"
            }
        }
    }

    struct Attendance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attendance and persistent absence of the vulnerable groups against all pupils, week by week through the term, as of a date (JSON or CSV on standard output); audited.")
        @OptionGroup var db: DatabaseOptions
        @Option(name: .customLong("as-of"), help: "The report's date (YYYY-MM-DD; default today).") var asOf: String?
        @Option(help: "json or csv.") var format: String = "json"

        func validate() throws {
            guard ["json", "csv"].contains(format) else { throw ValidationError("--format must be json or csv") }
        }

        func run() async throws {
            let date = try parseDate(asOf, option: "--as-of") ?? .today()
            try await printComputed("attendance by group", asOf: date, db: db) { store in
                let report = try await Returns.attendanceByGroup(asOf: date, on: store.db, actor: "eyeson returns attendance (command line)")
                return format == "csv" ? ReturnExport.csv(report) : try ReturnExport.json(report) + "\n"
            }
        }
    }
}

/// Works something out on the database, prints it on standard output and, on standard error, how
/// long the work took (`computed WHAT as of DATE in S s`: the work alone, not opening the database;
/// bench/returns reads it).
func printComputed(_ what: String, asOf date: CivilDate, db: DatabaseOptions, _ work: (EyesOnStore) async throws -> String) async throws {
    let store = try await db.openStore()
    let output: String
    let started = ContinuousClock.now
    do {
        output = try await work(store)
    } catch {
        await store.shutdown()
        throw Failure.describing(error)
    }
    let seconds = (ContinuousClock.now - started) / .seconds(1)
    await store.shutdown()
    FileHandle.standardOutput.write(Data(output.utf8))
    FileHandle.standardError.write(Data("computed \(what) as of \(date) in \(String(format: "%.3f", seconds)) s\n".utf8))
}
