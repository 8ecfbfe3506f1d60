import Foundation
import Testing
import EyesOnCore

@Suite("Bank holidays")
struct BankHolidaysTests {
    let shipped = BankHolidays.englandAndWales

    @Test func shippedSnapshotCoverage() {
        #expect(shipped.division == "england-and-wales")
        #expect(shipped.firstYear == 2012)
        #expect(shipped.lastYear == 2028)
        #expect(shipped.events.count == 140)          // STANDARDS §5.3: 140 E&W events
        #expect(shipped.events.first?.date == CivilDate("2012-01-02"))
        #expect(shipped.events.last?.date == CivilDate("2028-12-26"))
    }

    @Test("the one-off and substitute days listed in STANDARDS §5.3 are present", arguments: [
        "2022-06-02", "2022-06-03", "2022-09-19", "2023-05-08", "2022-12-27", "2026-12-25", "2026-12-28",
        "2027-12-27", "2027-12-28", "2028-01-03",
    ])
    func knownHolidays(text: String) throws {
        #expect(try shipped.isBankHoliday(CivilDate(text)!))
    }

    @Test("ordinary days are not bank holidays", arguments: ["2026-12-24", "2026-12-26", "2026-12-29", "2022-06-06"])
    func ordinaryDays(text: String) throws {
        #expect(try !shipped.isBankHoliday(CivilDate(text)!))
    }

    @Test func substituteDayIsLabelled() throws {
        let boxing = try #require(try shipped.holiday(on: CivilDate("2026-12-28")!))
        #expect(boxing.title == "Boxing Day")
        #expect(boxing.notes == "Substitute day")
        #expect(try shipped.holiday(on: CivilDate("2026-12-29")!) == nil)
    }

    /// Good Friday and Easter Monday, computed independently with the Anonymous Gregorian
    /// (Meeus/Jones/Butcher) Easter algorithm, must be in the file for every covered year.
    @Test func easterAgreesWithTheEasterAlgorithm() throws {
        for year in shipped.firstYear...shipped.lastYear {
            let a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4
            let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
            let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7
            let m = (a + 11 * h + 22 * l) / 451
            let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
            let easter = try #require(CivilDate(year: year, month: month, day: day))
            #expect(easter.weekday == .sunday)
            #expect(try shipped.holiday(on: easter.adding(days: -2))?.title == "Good Friday")
            #expect(try shipped.holiday(on: easter.adding(days: 1))?.title == "Easter Monday")
        }
    }

    @Test("a date beyond the snapshot fails loudly with what to do", arguments: ["2029-01-01", "2029-07-15"])
    func beyondCoverage(text: String) {
        do {
            _ = try shipped.isBankHoliday(CivilDate(text)!)
            Issue.record("answered for \(text)")
        } catch {
            #expect(error.kind == .beyondCoverage)
            #expect(error.date == CivilDate(text))
            #expect(error.message.contains("bank holidays are known only up to 2028; import a newer GOV.UK bank-holidays.json with `eyeson calendar import FILE`"))
        }
    }

    @Test func beforeCoverageAlsoFails() {
        #expect { try shipped.isBankHoliday(CivilDate("2011-12-26")!) } throws: { error in
            (error as? CalendarError)?.kind == .beyondCoverage
                && (error as? CalendarError)?.message.contains("known only from 2012") == true
        }
    }

    // MARK: Reading GOV.UK files

    func json(_ text: String) -> Data { Data(text.utf8) }

    @Test func readsAnotherDivision() throws {
        let data = json(#"""
        {"scotland": {"division": "scotland", "events": [
          {"title": "2nd January", "date": "2026-01-02", "notes": "", "bunting": true},
          {"title": "St Andrew’s Day", "date": "2026-11-30", "notes": "", "bunting": true}]}}
        """#)
        let scotland = try BankHolidays(govUKJSON: data, division: "scotland", source: "test.json")
        #expect(try scotland.isBankHoliday(CivilDate("2026-11-30")!))
        #expect((scotland.firstYear, scotland.lastYear) == (2026, 2026))
    }

    @Test func notJSON() {
        #expect(throws: CalendarError(.notJSON, "new.json is not JSON; expected the GOV.UK bank-holidays.json format")) {
            try BankHolidays(govUKJSON: json("<html>Bank holidays</html>"), source: "new.json")
        }
        #expect { try BankHolidays(govUKJSON: json("[1, 2]"), source: "new.json") } throws: { error in
            (error as? CalendarError)?.kind == .notJSON
        }
    }

    @Test func missingDivisionListsWhatWasFound() {
        let data = json(#"{"scotland": {"division": "scotland", "events": []}, "northern-ireland": {"events": []}}"#)
        #expect(throws: CalendarError(.missingDivision, "new.json has no 'england-and-wales' division (found: northern-ireland, scotland)")) {
            try BankHolidays(govUKJSON: data, source: "new.json")
        }
    }

    @Test func badDateNamesTheEvent() {
        let data = json(#"""
        {"england-and-wales": {"division": "england-and-wales", "events": [
          {"title": "New Year’s Day", "date": "2029-01-01", "notes": "", "bunting": true},
          {"title": "Good Friday", "date": "2029-02-30", "notes": "", "bunting": false}]}}
        """#)
        #expect(throws: CalendarError(.badEvent, "new.json: england-and-wales events[1]: date '2029-02-30' is not a real date in the form YYYY-MM-DD")) {
            try BankHolidays(govUKJSON: data, source: "new.json")
        }
    }

    @Test func missingFieldsAreNamed() {
        let noDate = json(#"{"england-and-wales": {"events": [{"title": "Good Friday"}]}}"#)
        #expect(throws: CalendarError(.badEvent, "f.json: england-and-wales events[0] has no 'date'")) {
            try BankHolidays(govUKJSON: noDate, source: "f.json")
        }
        let noTitle = json(#"{"england-and-wales": {"events": [{"date": "2029-04-02"}]}}"#)
        #expect(throws: CalendarError(.badEvent, "f.json: england-and-wales events[0] (2029-04-02) has no 'title'")) {
            try BankHolidays(govUKJSON: noTitle, source: "f.json")
        }
        let noEvents = json(#"{"england-and-wales": {"division": "england-and-wales"}}"#)
        #expect(throws: CalendarError(.missingDivision, "f.json: 'england-and-wales' has no 'events' list")) {
            try BankHolidays(govUKJSON: noEvents, source: "f.json")
        }
        let empty = json(#"{"england-and-wales": {"events": []}}"#)
        #expect { try BankHolidays(govUKJSON: empty, source: "f.json") } throws: { error in
            (error as? CalendarError)?.message.contains("lists no bank holidays") == true
        }
    }

    @Test("importing a newer file extends coverage and keeps the older years")
    func merging() throws {
        let newer = try BankHolidays(events: [
            BankHoliday(date: CivilDate("2028-12-25")!, title: "Christmas Day"),
            BankHoliday(date: CivilDate("2029-01-01")!, title: "New Year’s Day"),
            BankHoliday(date: CivilDate("2029-03-30")!, title: "Good Friday"),
        ], source: "2029.json")
        let merged = try shipped.merging(newer)
        #expect((merged.firstYear, merged.lastYear) == (2012, 2029))
        #expect(try merged.isBankHoliday(CivilDate("2029-03-30")!))
        #expect(try merged.isBankHoliday(CivilDate("2022-06-03")!))
        // 2028 now comes from the newer file only.
        #expect(try !merged.isBankHoliday(CivilDate("2028-12-26")!))
        #expect(throws: CalendarError.self) {
            try shipped.merging(try BankHolidays(events: [BankHoliday(date: CivilDate("2031-01-01")!, title: "X")], source: "gap.json"))
        }
    }

    @Test func writesTheGovUKFormatBack() throws {
        let again = try BankHolidays(govUKJSON: shipped.govUKJSON(), source: "round trip")
        #expect(again.events == shipped.events)
        #expect((again.firstYear, again.lastYear) == (shipped.firstYear, shipped.lastYear))
    }
}
