import ArgumentParser
import Foundation
import FluentKit
import EyesOnCore
import Feeds
import Store
import App

/// `eyeson import KIND FILE`: the command-line door into the import pipeline.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an agency's file.",
        subcommands: [ImportAttendance.self, ImportCIN.self, ImportSSDA903.self, ImportReferrals.self, ImportIncidents.self, ImportMARAC.self, ImportHealth.self, ImportPeople.self, ImportCharacteristics.self])
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
            printProblems(report.problems, total: report.quarantined, file: report.file)
            print(report.summaryLine)
            print("eyes on: \(sweep.opened) not-seen tasks opened, \(sweep.escalated) overdue tasks escalated")
        } catch {
            await store.shutdown()
            throw Failure.describing(error)
        }
        await store.shutdown()
    }
}

struct ImportCIN: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cin",
        abstract: "Import a Children in Need census XML file (children's social care).",
        discussion: """
        Every variant of the DfE's CIN census XML is read (GenderCurrent or Sex, the yes/no forms, the 2025-26 \
        pre-proceedings block). Each child is checked whole: a bad value quarantines the child, listed with its line \
        and element. The same file twice changes nothing; a child in a newer extract replaces that child's records; an \
        extract older than one already imported is refused. Children are linked to people by LAchildID or UPN. One \
        transaction: a file cut short applies nothing. Exit status 1 when the file is rejected.
        """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The XML file.") var file: String
    @Option(name: .customLong("agency"), help: "The sending agency's key (default: the one children's social care agency).") var agencyKey: String?

    func run() async throws {
        try await runFeedImport(db) { db in
            try await SocialCareImport.cin(path: file, on: db, options: .init(agencyID: try await agencyID(agencyKey, on: db), actor: "eyeson import"))
        }
    }
}

struct ImportSSDA903: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssda903",
        abstract: "Import the SSDA903 children looked after return: a folder of its CSV tables, or its XML file (children's social care).",
        discussion: """
        The folder holds header.csv and episodes.csv, and optionally missing.csv, reviews.csv and oc3.csv (columns by \
        name, in any order). Each child is checked whole, with their rows from every table: a bad value quarantines the \
        child, listed with its file, line and column. The same return twice changes nothing; a child in a newer return \
        replaces that child's records. Children are linked to people by LAchildID or UPN; placements outside the area's \
        postcode districts are marked out of area. One transaction. Exit status 1 when the return is rejected.
        """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The folder of CSV tables, or the XML file.") var path: String
    @Option(name: .customLong("agency"), help: "The sending agency's key (default: the one children's social care agency).") var agencyKey: String?
    @Option(name: .customLong("as-of"), help: "Today, for the checks (YYYY-MM-DD; default today).") var asOf: String?

    func run() async throws {
        let today = try parseDate(asOf, option: "--as-of") ?? .today()
        try await runFeedImport(db) { db in
            try await SocialCareImport.ssda903(path: path, on: db, options: .init(agencyID: try await agencyID(agencyKey, on: db), actor: "eyeson import"),
                                               today: today)
        }
    }
}

struct ImportReferrals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referrals",
        abstract: "Import the front door's referrals (CSV, one row per referral; children's social care).",
        discussion: "Columns: \(ReferralReader.columns.joined(separator: ",")), optionally decision_date. Each row is checked (the source a CIN referral source code, the outcome \(ReferralOutcome.allCases.map(\.rawValue).joined(separator: ", "))); a referral sent again with a new outcome updates it; the same file twice changes nothing. Exit status 1 when the file is rejected.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .customLong("agency"), help: "The sending agency's key (default: the one children's social care agency).") var agencyKey: String?
    @Option(name: .customLong("as-of"), help: "Today, for the checks (YYYY-MM-DD; default today).") var asOf: String?

    func run() async throws {
        let today = try parseDate(asOf, option: "--as-of") ?? .today()
        try await runFeedImport(db) { db in
            try await SocialCareImport.referrals(path: file, on: db, options: .init(agencyID: try await agencyID(agencyKey, on: db), actor: "eyeson import"),
                                                 today: today)
        }
    }
}

struct ImportCharacteristics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "characteristics",
        abstract: "Import the school census's pupil characteristics (CSV, one row per pupil; the local authority).",
        discussion: "Columns: \(PupilCharacteristicsReader.columns.joined(separator: ",")): fsm_eligible Y or N, sen_provision E (EHC plan), K (SEN support) or N. The census is a full extract: the file replaces every pupil's characteristics; a file with no readable pupil changes nothing. Exit status 1 when the file is rejected.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .customLong("agency"), help: "The sending agency's key (default: the local authority's education agency, else children's social care).") var agencyKey: String?

    func run() async throws {
        try await runFeedImport(db) { db in
            try await PupilCharacteristicsImport.run(path: file, on: db, options: .init(agencyID: try await agencyID(agencyKey, on: db), actor: "eyeson import"))
        }
    }
}

/// The agency with the key given on the command line; nil when none was given.
func agencyID(_ key: String?, on db: any Database) async throws -> UUID? {
    guard let key else { return nil }
    guard let agency = try await Agency.query(on: db).filter(\.$key == key).first() else {
        throw Failure("there is no agency with the key '\(key)' (see `eyeson agencies`)")
    }
    return agency.id
}

struct ImportIncidents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "Import the police force's domestic abuse incidents (CSV, one row per party); raises the Operation Encompass notices.",
        discussion: """
        Columns: \(PoliceIncidentReader.columns.joined(separator: ",")). Each incident is checked whole (a bad row quarantines \
        its incident, with line and column). Every child of school age gets a notice to their school, due before the next \
        school day starts (setting operation-encompass). The same file twice changes nothing. Exit status 1 when the file is rejected.
        """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .customLong("as-of"), help: "Today, for the checks (YYYY-MM-DD; default today).") var asOf: String?

    func run() async throws {
        let today = try parseDate(asOf, option: "--as-of") ?? .today()
        try await runFeedImport(db) { db in try await PoliceImport.incidents(path: file, on: db, options: .init(actor: "eyeson import", today: today)) }
    }
}

struct ImportMARAC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marac",
        abstract: "Import the MARAC list (CSV, one row per child in the victim's household).",
        discussion: "Columns: \(MARACReader.columns.joined(separator: ",")). Each case is checked whole. The same file twice changes nothing. Exit status 1 when the file is rejected.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .customLong("as-of"), help: "Today, for the checks (YYYY-MM-DD; default today).") var asOf: String?

    func run() async throws {
        let today = try parseDate(asOf, option: "--as-of") ?? .today()
        try await runFeedImport(db) { db in try await MARACImport.run(path: file, on: db, options: .init(actor: "eyeson import", today: today)) }
    }
}

struct ImportHealth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Import health caseloads (health visiting, midwifery, school nursing; CSV, one row per person).",
        discussion: "Columns: \(HealthCaseloadReader.columns.joined(separator: ",")), optionally \(HealthCaseloadReader.optionalColumns.joined(separator: ",")). Each row names its organisation by ODS code. A newer file discharges the entries it no longer holds. Exit status 1 when the file is rejected.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .customLong("as-of"), help: "Today, for the checks and discharges (YYYY-MM-DD; default today).") var asOf: String?

    func run() async throws {
        let today = try parseDate(asOf, option: "--as-of") ?? .today()
        try await runFeedImport(db) { db in try await HealthImport.run(path: file, on: db, options: .init(actor: "eyeson import", today: today)) }
    }
}

struct ImportPeople: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "Import the people an agency works with (e.g. a youth justice caseload) from a CSV, through a column mapping.",
        discussion: """
        --map says which column holds each field (\(PeopleColumnMapping.Field.allCases.map(\.rawValue).joined(separator: ", ")); \
        id, first_name, surname and dob required), e.g. --map "id=YOT ref,first_name=Given name,surname=Family name,dob=Date of birth". \
        Without it, the agency's mapping from its last file is used, else columns named as the fields. A mapping given is \
        kept for the agency. The file is the agency's whole caseload: people no longer in it are discharged. Children are \
        matched by NHS number, UPN, or name and date of birth, and the agency linked to them. Exit status 1 when the file is rejected.
        """)
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .customLong("agency"), help: "The sending agency's key (see `eyeson agencies`).") var agencyKey: String
    @Option(name: .customLong("map"), help: "The column mapping, field=column,…") var map: String?
    @Option(name: .customLong("as-of"), help: "Today, for the checks and discharges (YYYY-MM-DD; default today).") var asOf: String?

    func run() async throws {
        let today = try parseDate(asOf, option: "--as-of") ?? .today()
        var mapping: PeopleColumnMapping? = nil
        if let map {
            do { mapping = try PeopleColumnMapping(parsing: map) } catch { throw Failure("--map: \(error.code) \(error.reason)") }
        }
        try await runFeedImport(db) { db in
            guard let agency = try await agencyID(agencyKey, on: db) else { throw Failure("--agency is required") }
            return try await PeopleImport.run(path: file, mapping: mapping, on: db, options: .init(agencyID: agency, actor: "eyeson import", today: today))
        }
    }
}

/// Runs a feed's import on the store, then prints its first problems and its summary; a file
/// that is refused (or any failure) becomes the command's error (exit status 1).
func runFeedImport(_ options: DatabaseOptions, _ body: (any Database) async throws -> FeedImportReport) async throws {
    let store = try await options.openStore()
    do {
        let report = try await body(store.db)
        printProblems(report.problems, total: report.quarantined, file: report.file)
        print(report.summaryLine)
    } catch {
        await store.shutdown()
        throw Failure.describing(error)
    }
    await store.shutdown()
}

/// The first quarantined rows of an import, then how many more.
func printProblems(_ problems: [RowProblem], total: Int, file: String) {
    for problem in problems.prefix(20) { print("quarantined: \(file), \(problem)") }
    if total > 20 { print("quarantined: … and \(total - 20) more (all kept with the import)") }
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
        abstract: "Open a task for every listed child past the eyes-on policy and escalate overdue tasks (run daily, e.g. from cron); remove expired sign-in sessions.")
    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("as-of"), help: "Today (YYYY-MM-DD; default today).") var asOf: String?

    func run() async throws {
        let today = try parseDate(asOf, option: "--as-of") ?? .today()
        let store = try await db.openStore()
        do {
            let sweep = try await Tasks.sweep(on: store.db, today: today)
            print("eyes on: \(sweep.opened) not-seen tasks opened, \(sweep.escalated) overdue tasks escalated")
            let sessions = try await SessionCleanup.deleteExpired(on: store.db)
            print("sessions: \(sessions) expired or never signed in, removed")
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
