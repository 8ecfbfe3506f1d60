/// Working days: Monday to Friday, except bank holidays (STANDARDS §5).
///
/// Deadlines such as "within 15 working days" count from the anchor date: day 0 is the anchor,
/// day 1 the next working day after it, and so on (STANDARDS §5.2). Any date whose bank holidays
/// are unknown throws ``CalendarError/Kind-swift.enum/beyondCoverage`` rather than being guessed.
public struct WorkingDayCalendar: Sendable {
    /// The bank holidays used.
    public let bankHolidays: BankHolidays

    /// A calendar using `bankHolidays` (by default England and Wales, from the shipped snapshot).
    public init(bankHolidays: BankHolidays = .englandAndWales) {
        self.bankHolidays = bankHolidays
    }

    /// Whether `date` is a working day: Monday to Friday and not a bank holiday.
    /// A Saturday or Sunday is answered `false` even outside the bank-holiday coverage.
    /// - Throws: ``CalendarError/Kind-swift.enum/beyondCoverage`` for a weekday outside the coverage.
    public func isWorkingDay(_ date: CivilDate) throws(CalendarError) -> Bool {
        if date.isWeekend { return false }
        return try !bankHolidays.isBankHoliday(date)
    }

    /// The `n`th working day after `date` (before it when `n` is negative), stepping day by day
    /// and skipping weekends and bank holidays. `n == 0` returns `date` itself, even if it is not
    /// a working day; a Saturday plus 1 working day is the Monday (or the next working day).
    /// - Throws: ``CalendarError/Kind-swift.enum/beyondCoverage`` when the count passes a date
    ///   whose bank holidays are unknown.
    public func adding(workingDays n: Int, to date: CivilDate) throws(CalendarError) -> CivilDate {
        let step = n < 0 ? -1 : 1
        var remaining = abs(n)
        var day = date
        while remaining > 0 {
            day = day.adding(days: step)
            if try isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }

    /// The next working day strictly after `date`.
    public func nextWorkingDay(after date: CivilDate) throws(CalendarError) -> CivilDate {
        try adding(workingDays: 1, to: date)
    }

    /// The last working day strictly before `date`.
    public func previousWorkingDay(before date: CivilDate) throws(CalendarError) -> CivilDate {
        try adding(workingDays: -1, to: date)
    }

    /// The number of working days after `a` up to and including `b`; negative when `b` is before
    /// `a` (`workingDays(from: a, to: b) == -workingDays(from: b, to: a)`).
    ///
    /// It inverts ``adding(workingDays:to:)``: for `b` a working day on or after `a`,
    /// `adding(workingDays: workingDays(from: a, to: b), to: a) == b`. Counts arithmetically,
    /// so long spans are fast.
    /// - Throws: ``CalendarError/Kind-swift.enum/beyondCoverage`` when the days counted are not
    ///   all covered by the bank-holiday data.
    public func workingDays(from a: CivilDate, to b: CivilDate) throws(CalendarError) -> Int {
        if b < a { return try -workingDays(from: b, to: a) }
        if a == b { return 0 }
        try bankHolidays.checkCoverage(a.adding(days: 1))
        try bankHolidays.checkCoverage(b)
        // Days counted: day numbers in (A, B].
        let lower = a.daysSince1970 + 1, upper = b.daysSince1970 + 1
        let weekdays = Self.weekdaysBefore(upper) - Self.weekdaysBefore(lower)
        return weekdays - bankHolidays.weekdayHolidayCount(fromDay: lower, toDay: upper)
    }

    /// Mondays to Fridays with day numbers in [M, x), where M is the Monday 1970-01-05 (day 4);
    /// negative for x before M. Only differences of this function are meaningful.
    private static func weekdaysBefore(_ x: Int) -> Int {
        let t = x - 4
        let weeks = CivilDate.floorDiv(t, 7)
        let rest = CivilDate.floorMod(t, 7)
        return weeks * 5 + min(rest, 5)
    }
}
