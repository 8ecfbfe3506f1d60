import Foundation
import Testing
import EyesOnCore

@Suite("Civil date")
struct CivilDateTests {
    let london = TimeZone(identifier: "Europe/London")!

    @Test("ISO parsing accepts real days only", arguments: [
        ("2026-11-23", true), ("2024-02-29", true), ("2000-02-29", true),
        ("2026-02-30", false), ("2027-02-29", false), ("1900-02-29", false), ("2026-04-31", false),
        ("2026-13-01", false), ("2026-00-10", false), ("2026-01-00", false),
        ("2026-1-5", false), ("26-11-23", false), ("2026/11/23", false), ("2026-11-23T00:00", false),
        (" 2026-11-23", false), ("", false),
    ])
    func parsing(text: String, ok: Bool) {
        let date = CivilDate(text)
        #expect((date != nil) == ok)
        if let date { #expect(date.description == text) }
    }

    @Test func memberwiseValidation() {
        #expect(CivilDate(year: 2026, month: 2, day: 30) == nil)
        #expect(CivilDate(year: 2028, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2026, month: 11, day: 23)?.description == "2026-11-23")
        #expect(CivilDate(year: 5, month: 1, day: 2)?.description == "0005-01-02")
    }

    @Test func ukFormatAndWeekday() throws {
        let d = try #require(CivilDate("2026-11-23"))
        #expect(d.ukFormatted == "23 November 2026")
        #expect(CivilDate("2027-03-01")!.ukFormatted == "1 March 2027")
        #expect(d.weekday == .monday)
        #expect(!d.isWeekend)
        #expect(CivilDate("2026-11-28")!.isWeekend)
    }

    /// Foundation's Gregorian calendar is an independent oracle for weekday and day arithmetic.
    @Test("weekday, adding(days:) and days(until:) agree with Foundation's calendar")
    func agreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var rng = SplitMix64(seed: 5)
        for _ in 0..<2_000 {
            let y = Int.random(in: 1800...2200, using: &rng)
            let m = Int.random(in: 1...12, using: &rng)
            let dd = Int.random(in: 1...28, using: &rng)
            let n = Int.random(in: -5_000...5_000, using: &rng)
            let d = try #require(CivilDate(year: y, month: m, day: dd))
            let start = try #require(calendar.date(from: DateComponents(year: y, month: m, day: dd)))
            let fWeekday = calendar.component(.weekday, from: start)          // Sunday = 1
            #expect(d.weekday.rawValue == (fWeekday + 5) % 7 + 1)
            let later = try #require(calendar.date(byAdding: .day, value: n, to: start))
            let c = calendar.dateComponents([.year, .month, .day], from: later)
            let expected = try #require(CivilDate(year: c.year!, month: c.month!, day: c.day!))
            #expect(d.adding(days: n) == expected)
            #expect(d.days(until: expected) == n)
            #expect(CivilDate(daysSince1970: d.daysSince1970) == d)
            #expect((d < expected) == (n > 0))
        }
    }

    @Test("adding(months:) clamps to the end of a shorter month", arguments: [
        ("2025-01-31", 1, "2025-02-28"), ("2024-01-31", 1, "2024-02-29"), ("2026-08-31", 1, "2026-09-30"),
        ("2026-03-31", -1, "2026-02-28"), ("2026-11-30", 3, "2027-02-28"), ("2026-05-15", 6, "2026-11-15"),
        ("2026-10-31", 6, "2027-04-30"), ("2026-01-15", -13, "2024-12-15"), ("2024-02-29", 12, "2025-02-28"),
    ])
    func addingMonths(start: String, months: Int, expected: String) {
        #expect(CivilDate(start)!.adding(months: months) == CivilDate(expected)!)
    }

    @Test func addingYearsClampsLeapDay() {
        #expect(CivilDate("2024-02-29")!.adding(years: 1).description == "2025-02-28")
        #expect(CivilDate("2024-02-29")!.adding(years: 4).description == "2028-02-29")
    }

    @Test func codableIsTheISOString() throws {
        let d = CivilDate("2026-11-23")!
        let data = try JSONEncoder().encode(["due": d])
        #expect(String(decoding: data, as: UTF8.self) == #"{"due":"2026-11-23"}"#)
        #expect(try JSONDecoder().decode([String: CivilDate].self, from: data)["due"] == d)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
    }

    @Test func ordering() {
        let dates = ["2026-12-01", "2025-12-31", "2026-01-15", "2026-11-30"].map { CivilDate($0)! }
        #expect(dates.sorted().map(\.description) == ["2025-12-31", "2026-01-15", "2026-11-30", "2026-12-01"])
        let week = CivilDate("2026-11-23")!...CivilDate("2026-11-29")!
        #expect(week.count == 7)
        #expect(week.map(\.weekday) == Weekday.allCases)
    }

    @Test("the civil date of an instant is taken in London time by default")
    func fromInstant() throws {
        // 23:30 UTC on 30 June 2026 is 00:30 on 1 July in London (BST, UTC+1).
        let summerNight = try #require(ISO8601DateFormatter().date(from: "2026-06-30T23:30:00Z"))
        #expect(CivilDate(summerNight).description == "2026-07-01")
        #expect(CivilDate(summerNight, in: TimeZone(identifier: "UTC")!).description == "2026-06-30")
        // In winter London is on UTC.
        let winterNight = try #require(ISO8601DateFormatter().date(from: "2026-12-31T23:30:00Z"))
        #expect(CivilDate(winterNight).description == "2026-12-31")
        #expect(CivilDate.today(in: london) == CivilDate(Date(), in: london)
                || CivilDate.today(in: london) == CivilDate(Date(), in: london).adding(days: -1))
    }

    @Test("startOfDay is local midnight, across the clock changes", arguments: [
        "2026-03-28", "2026-03-29", "2026-03-30", "2026-10-24", "2026-10-25", "2026-10-26", "2026-07-01",
    ])
    func startOfDay(text: String) throws {
        let d = CivilDate(text)!
        let start = d.startOfDay(in: london)
        #expect(CivilDate(start, in: london) == d)
        #expect(CivilDate(start.addingTimeInterval(-1), in: london) == d.adding(days: -1))
    }
}
