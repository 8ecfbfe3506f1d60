import Foundation
import Testing
import FluentKit
import EyesOnCore
import Store
import TestSupport

@Suite("Stored calendars")
struct CalendarStoreTests {
    static let file = """
    {"england-and-wales":{"division":"england-and-wales","events":[
      {"title":"New Year’s Day","date":"2029-01-01","notes":"","bunting":true},
      {"title":"Good Friday","date":"2029-03-30","notes":"","bunting":false},
      {"title":"Easter Monday","date":"2029-04-02","notes":"","bunting":true}]},
     "scotland":{"division":"scotland","events":[]}}
    """

    @Test("an imported GOV.UK file replaces the shipped bank holidays", arguments: Engine.available)
    func importReplaces(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            #expect(try await CalendarStore.bankHolidays(on: store.db).lastYear == BankHolidays.englandAndWales.lastYear)
            _ = try await CalendarStore.importBankHolidays(json: Data(Self.file.utf8), sourceName: "bank-holidays.json", on: store.db)
            let holidays = try await CalendarStore.bankHolidays(on: store.db)
            #expect(holidays.lastYear == 2029)
            #expect(try holidays.isBankHoliday(CivilDate(year: 2029, month: 4, day: 2)!))
            // Thursday 29 March 2029 + 1 working day skips Good Friday and Easter Monday.
            let calendar = WorkingDayCalendar(bankHolidays: holidays)
            #expect(try calendar.adding(workingDays: 1, to: CivilDate(year: 2029, month: 3, day: 29)!) == CivilDate(year: 2029, month: 4, day: 3)!)
        }
    }

    @Test("a broken file changes nothing", arguments: Engine.available)
    func brokenFileChangesNothing(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await CalendarStore.importBankHolidays(json: Data(Self.file.utf8), sourceName: "good.json", on: store.db)
            let truncated = String(Self.file.prefix(120))
            await #expect(throws: (any Error).self) {
                _ = try await CalendarStore.importBankHolidays(json: Data(truncated.utf8), sourceName: "truncated.json", on: store.db)
            }
            #expect(try await StoredBankHoliday.query(on: store.db).count() == 3)
        }
    }

    @Test("school term dates are the demo defaults until the area sets its own", arguments: Engine.available)
    func schoolCalendar(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            #expect(try await CalendarStore.schoolCalendar(on: store.db).terms == SchoolCalendar.demoDefaults().terms)
            let own = try SchoolCalendar(area: "Eastbrook", terms: [
                SchoolTerm(name: "Autumn 2026", start: CivilDate(year: 2026, month: 9, day: 2)!, end: CivilDate(year: 2026, month: 12, day: 18)!),
            ])
            let json = try JSONEncoder().encode(own)
            _ = try await CalendarStore.saveSchoolCalendar(json: json, on: store.db)
            let stored = try await CalendarStore.schoolCalendar(on: store.db)
            #expect(stored.area == "Eastbrook")
            #expect(stored.terms.count == 1)
        }
    }
}
