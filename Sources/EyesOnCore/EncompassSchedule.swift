/// When an Operation Encompass notice is due: before the start of the next school day after the
/// incident (STANDARDS §7.2) — the same day when a school day has not started yet, otherwise the
/// next school day (term dates, weekends and bank holidays).
public enum EncompassSchedule {
    /// The school day's start the partnership sets (default 08:30), as minutes after midnight.
    public static let defaultStartMinute = 8 * 60 + 30

    /// The school day and minute (UK local time) by which the notice must reach the school.
    /// Without a school calendar covering the date, school days are working days.
    public static func due(incidentDate: CivilDate, minute: Int, calendar: SchoolCalendar?, bankHolidays: BankHolidays,
                           startMinute: Int = defaultStartMinute) -> (date: CivilDate, minute: Int) {
        func isSchoolDay(_ d: CivilDate) -> Bool {
            if let calendar, let yes = try? calendar.isSchoolDay(d, bankHolidays: bankHolidays) { return yes }
            return d.weekday.rawValue <= 5 && !((try? bankHolidays.isBankHoliday(d)) ?? false)
        }
        if minute < startMinute && isSchoolDay(incidentDate) { return (incidentDate, startMinute) }
        var day = incidentDate.adding(days: 1)
        // A school year has breaks of at most a few weeks: 60 days always reaches a school day.
        for _ in 0..<60 where !isSchoolDay(day) { day = day.adding(days: 1) }
        return (day, startMinute)
    }

    /// School age for a notice: from 4 (reception) to 17 on the day of the incident.
    public static func isSchoolAge(bornOn birth: CivilDate?, on date: CivilDate) -> Bool {
        guard let birth else { return true }   // unknown: notify rather than not
        let age = date.year - birth.year - ((date.month, date.day) < (birth.month, birth.day) ? 1 : 0)
        return (4...17).contains(age)
    }
}
