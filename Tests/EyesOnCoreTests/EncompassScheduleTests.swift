import Testing
import EyesOnCore

@Suite("Operation Encompass: when a notice is due")
struct EncompassScheduleTests {
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    func calendar() throws -> SchoolCalendar {
        try SchoolCalendar(area: "Northshire", terms: [
            SchoolTerm(name: "Autumn 2026", start: d("2026-09-01"), end: d("2026-12-18"),
                       halfTerm: d("2026-10-26")...d("2026-10-30"), insetDays: [d("2026-09-01")]),
            SchoolTerm(name: "Spring 2027", start: d("2027-01-04"), end: d("2027-03-25"),
                       halfTerm: d("2027-02-15")...d("2027-02-19"), insetDays: [d("2027-01-04")]),
        ])
    }

    @Test("before the next school day starts: the same morning, the next day, Monday after a weekend, after half term and Christmas", arguments: [
        ("2026-11-19", 2 * 60, "2026-11-19"),    // Thursday 02:00: before school starts that day
        ("2026-11-19", 8 * 60 + 30, "2026-11-20"), // Thursday 08:30: school has started, so Friday
        ("2026-11-19", 21 * 60, "2026-11-20"),   // Thursday evening → Friday
        ("2026-11-20", 22 * 60, "2026-11-23"),   // Friday night → Monday
        ("2026-11-22", 1 * 60, "2026-11-23"),    // Sunday → Monday
        ("2026-10-23", 19 * 60, "2026-11-02"),   // Friday before half term → the Monday after it
        ("2026-12-18", 20 * 60, "2027-01-05"),   // end of term; 4 January is an INSET day, no pupils
    ])
    func due(date: String, minute: Int, expected: String) throws {
        let due = EncompassSchedule.due(incidentDate: d(date), minute: minute, calendar: try calendar(), bankHolidays: .englandAndWales)
        #expect(due.date == d(expected) && due.minute == 8 * 60 + 30)
    }

    @Test("without a calendar for the date, school days are working days; the start time is a setting")
    func noCalendar() {
        // Christmas Day 2026 is a Friday; Monday 28 December is the substitute Boxing Day bank holiday.
        let due = EncompassSchedule.due(incidentDate: d("2026-12-24"), minute: 23 * 60, calendar: nil, bankHolidays: .englandAndWales, startMinute: 8 * 60)
        #expect(due.date == d("2026-12-29") && due.minute == 480)
    }

    @Test("school age is 4 to 17 on the day of the incident")
    func schoolAge() {
        #expect(EncompassSchedule.isSchoolAge(bornOn: d("2022-11-20"), on: d("2026-11-20")))
        #expect(!EncompassSchedule.isSchoolAge(bornOn: d("2022-11-21"), on: d("2026-11-20")))
        #expect(EncompassSchedule.isSchoolAge(bornOn: d("2008-11-21"), on: d("2026-11-20")))
        #expect(!EncompassSchedule.isSchoolAge(bornOn: d("2008-11-20"), on: d("2026-11-20")))
    }
}
