import Testing
import EyesOnCore

@Suite("Working days")
struct WorkingDayCalendarTests {
    let calendar = WorkingDayCalendar()

    func add(_ n: Int, to text: String) throws -> String {
        try calendar.adding(workingDays: n, to: CivilDate(text)!).description
    }

    @Test func christmas2026() throws {
        // Thu 24 Dec; Fri 25 and Mon 28 Dec are bank holidays (Boxing Day falls on a Saturday).
        #expect(try add(1, to: "2026-12-24") == "2026-12-29")
        #expect(try add(2, to: "2026-12-23") == "2026-12-29")
        // A serious incident notification due 5 working days after Tue 22 Dec:
        // 23, 24, 29, 30, 31 December.
        #expect(try add(5, to: "2026-12-22") == "2026-12-31")
        // A rapid review, 15 working days: the 5 above, then 4–8 and 11–15 January (1 Jan is a bank holiday).
        #expect(try add(15, to: "2026-12-22") == "2027-01-15")
        #expect(try add(-1, to: "2026-12-29") == "2026-12-24")
    }

    @Test func easter2027() throws {
        // Good Friday 26 March, Easter Monday 29 March 2027.
        #expect(try add(1, to: "2027-03-25") == "2027-03-30")
        #expect(try add(-1, to: "2027-03-30") == "2027-03-25")
        #expect(try calendar.isWorkingDay(CivilDate("2027-03-26")!) == false)
        #expect(try calendar.isWorkingDay(CivilDate("2027-03-29")!) == false)
    }

    @Test func platinumJubilee2022() throws {
        // Thu 2 June (moved spring bank holiday) and Fri 3 June 2022 (Platinum Jubilee).
        #expect(try add(1, to: "2022-06-01") == "2022-06-06")
        #expect(try add(3, to: "2022-05-31") == "2022-06-07")
    }

    @Test func assessmentWithin45WorkingDays() throws {
        // Referral Mon 23 Nov 2026, counted by hand: 24–27 Nov (4), 30 Nov (5), 1–4 Dec (9),
        // 7–11 (14), 14–18 (19), 21–24 (23), 29–31 (26), 4–8 Jan (31), 11–15 (36), 18–22 (41),
        // 25–28 Jan (45).
        #expect(try add(45, to: "2026-11-23") == "2027-01-28")
        #expect(try calendar.workingDays(from: CivilDate("2026-11-23")!, to: CivilDate("2027-01-28")!) == 45)
    }

    @Test func dayZeroIsTheAnchorEvenAtAWeekend() throws {
        #expect(try add(0, to: "2026-11-28") == "2026-11-28")       // a Saturday
        #expect(try add(1, to: "2026-11-28") == "2026-11-30")       // the Monday
        #expect(try add(-1, to: "2026-11-29") == "2026-11-27")      // Sunday back to Friday
        #expect(try calendar.nextWorkingDay(after: CivilDate("2026-12-24")!).description == "2026-12-29")
        #expect(try calendar.previousWorkingDay(before: CivilDate("2027-01-04")!).description == "2026-12-31")
    }

    @Test func beyondCoverageIsLoud() throws {
        // Fri 22 Dec 2028 + 5: 27, 28, 29 Dec, then 2029, which the snapshot does not cover.
        #expect { try calendar.adding(workingDays: 5, to: CivilDate("2028-12-22")!) } throws: { error in
            guard let e = error as? CalendarError else { return false }
            return e.kind == .beyondCoverage && e.date == CivilDate("2029-01-01")
                && e.message.contains("known only up to 2028")
        }
        #expect(throws: CalendarError.self) { try calendar.isWorkingDay(CivilDate("2029-01-02")!) }
        #expect(throws: CalendarError.self) {
            try calendar.workingDays(from: CivilDate("2028-12-01")!, to: CivilDate("2029-01-10")!)
        }
        // A weekend needs no bank-holiday data.
        #expect(try calendar.isWorkingDay(CivilDate("2029-01-06")!) == false)
        #expect(try add(3, to: "2028-12-22") == "2028-12-29")
    }

    @Test func customBankHolidays() throws {
        let holidays = try BankHolidays(events: [BankHoliday(date: CivilDate("2030-05-06")!, title: "Early May")],
                                        source: "test", firstYear: 2030, lastYear: 2030)
        let custom = WorkingDayCalendar(bankHolidays: holidays)
        #expect(try custom.adding(workingDays: 1, to: CivilDate("2030-05-03")!).description == "2030-05-07")
    }

    /// workingDays(from:to:) counts arithmetically; a day-by-day count is the independent check.
    @Test("adding and counting agree with a day-by-day count over random spans")
    func addingAndCountingAgree() throws {
        var rng = SplitMix64(seed: 7)
        let first = CivilDate("2012-03-01")!
        for _ in 0..<400 {
            let anchor = first.adding(days: Int.random(in: 0..<6_000, using: &rng))
            let n = Int.random(in: -60...60, using: &rng)
            let target = try calendar.adding(workingDays: n, to: anchor)
            if n != 0 { #expect(try calendar.isWorkingDay(target)) }
            // Counting inverts adding (backwards only from a working day: day 0 must count).
            if try n >= 0 || calendar.isWorkingDay(anchor) {
                #expect(try calendar.workingDays(from: anchor, to: target) == n, "\(anchor) + \(n) = \(target)")
            }

            let other = first.adding(days: Int.random(in: 0..<6_000, using: &rng))
            let (lo, hi) = anchor <= other ? (anchor, other) : (other, anchor)
            var count = 0
            var day = lo
            while day < hi {
                day = day.adding(days: 1)
                if try calendar.isWorkingDay(day) { count += 1 }
            }
            #expect(try calendar.workingDays(from: lo, to: hi) == count)
            #expect(try calendar.workingDays(from: hi, to: lo) == -count)
        }
    }

    @Test("one-off bank holidays (2022, 2023), substitute days and year ends")
    func oneOffsAndSubstitutes() throws {
        // The Queen's state funeral, Monday 19 September 2022; the coronation, Monday 8 May 2023.
        #expect(try calendar.isWorkingDay(CivilDate("2022-09-19")!) == false)
        #expect(try add(1, to: "2022-09-16") == "2022-09-20")
        #expect(try calendar.isWorkingDay(CivilDate("2023-05-08")!) == false)
        #expect(try add(1, to: "2023-05-05") == "2023-05-09")
        // Christmas 2027 falls on a Saturday: Monday 27 and Tuesday 28 December are the substitute days.
        #expect(try calendar.isWorkingDay(CivilDate("2027-12-27")!) == false)
        #expect(try calendar.isWorkingDay(CivilDate("2027-12-28")!) == false)
        #expect(try add(1, to: "2027-12-24") == "2027-12-29")
        // Across a year end: Thursday 31 December 2026, then Monday 4 January 2027 (1 January a bank holiday).
        #expect(try add(1, to: "2026-12-31") == "2027-01-04")
        #expect(try calendar.workingDays(from: CivilDate("2026-12-31")!, to: CivilDate("2027-01-04")!) == 1)
    }

    /// Properties: each step of n is the next working day after step n - 1, with nothing but
    /// weekends and bank holidays between; counting agrees.
    @Test("stepping one working day at a time skips exactly the weekends and bank holidays")
    func steppingProperties() throws {
        var rng = SplitMix64(seed: 11)
        let first = CivilDate("2012-01-01")!
        for _ in 0..<200 {
            let anchor = first.adding(days: Int.random(in: 0..<6_000, using: &rng))
            var previous = anchor
            for n in 1...30 {
                let next = try calendar.adding(workingDays: n, to: anchor)
                #expect(next > previous)
                #expect(try calendar.isWorkingDay(next))
                var day = previous.adding(days: 1)
                while day < next {
                    #expect(try !calendar.isWorkingDay(day), "\(day) was skipped but is a working day")
                    day = day.adding(days: 1)
                }
                #expect(try calendar.workingDays(from: anchor, to: next) == n)
                previous = next
            }
        }
    }
}
