import ArgumentParser
import Foundation
import EyesOnCore
import Store

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Working days, bank holidays and school term dates.",
        subcommands: [Add.self, Import.self, Terms.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the date N England-and-Wales working days after DATE (day 0 is DATE itself).",
            discussion: "Uses the bank holidays shipped with EyesOn, or those imported into the database when --database or DATABASE_URL is given.")
        @Argument(help: "The anchor date, YYYY-MM-DD.") var date: String
        @Argument(help: "How many working days to add (may be negative).") var days: Int
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            guard let anchor = CivilDate(date) else { throw Failure("'\(date)' is not a date like 2026-11-23") }
            var holidays = BankHolidays.englandAndWales
            let useDatabase = db.database != nil || !(ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "").isEmpty
            if useDatabase {
                let store = try await db.openStore()
                do { holidays = try await CalendarStore.bankHolidays(on: store.db) } catch {
                    await store.shutdown(); throw Failure.describing(error)
                }
                await store.shutdown()
            }
            do {
                print(try WorkingDayCalendar(bankHolidays: holidays).adding(workingDays: days, to: anchor).description)
            } catch {
                throw Failure(error.description)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the bank holidays with those in a GOV.UK bank-holidays.json file you downloaded.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The GOV.UK bank-holidays.json file.") var file: String

        func run() async throws {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw Failure("cannot read \(file)") }
            let store = try await db.openStore()
            do {
                let holidays = try await CalendarStore.importBankHolidays(json: data, sourceName: (file as NSString).lastPathComponent, on: store.db)
                print("Imported \(holidays.events.count) England-and-Wales bank holidays, \(holidays.firstYear) to \(holidays.lastYear).")
            } catch {
                await store.shutdown()
                throw Failure("\(file): \(Failure.describing(error).message)")
            }
            await store.shutdown()
        }
    }

    struct Terms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the area's school term dates from a JSON file (see the README for the format).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The term dates JSON file.") var file: String

        func run() async throws {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw Failure("cannot read \(file)") }
            let store = try await db.openStore()
            do {
                let calendar = try await CalendarStore.saveSchoolCalendar(json: data, on: store.db)
                print("Saved \(calendar.terms.count) terms for \(calendar.area).")
            } catch {
                await store.shutdown()
                throw Failure("\(file): \(Failure.describing(error).message)")
            }
            await store.shutdown()
        }
    }
}
