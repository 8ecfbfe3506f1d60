import Foundation
import Testing
import EyesOnCore

@Suite("School calendar")
struct SchoolCalendarTests {
    func d(_ s: String) -> CivilDate { CivilDate(s)! }

    /// A small calendar written out in the test, so expectations follow from these dates.
    func northshire() throws -> SchoolCalendar {
        try SchoolCalendar(area: "Northshire", terms: [
            SchoolTerm(name: "Autumn 2026", start: d("2026-09-01"), end: d("2026-12-18"),
                       halfTerm: d("2026-10-26")...d("2026-10-30"), insetDays: [d("2026-09-01")]),
            SchoolTerm(name: "Spring 2027", start: d("2027-01-04"), end: d("2027-03-25"),
                       halfTerm: d("2027-02-15")...d("2027-02-19"), insetDays: [d("2027-01-04")]),
            SchoolTerm(name: "Summer 2027", start: d("2027-04-12"), end: d("2027-07-22"),
                       halfTerm: d("2027-05-31")...d("2027-06-04")),
        ])
    }

    @Test("next school day skips half term, Christmas, INSET days, Easter and bank holidays", arguments: [
        ("2026-11-19", "2026-11-20"),   // an ordinary Thursday
        ("2026-10-23", "2026-11-02"),   // Friday before half term → Monday after
        ("2026-12-18", "2027-01-05"),   // last day of autumn → 4 Jan is an INSET day
        ("2026-12-25", "2027-01-05"),   // from inside the Christmas holiday
        ("2027-03-25", "2027-04-12"),   // Easter holiday
        ("2027-04-30", "2027-05-04"),   // Mon 3 May 2027 is the early May bank holiday
        ("2027-05-28", "2027-06-07"),   // Whitsun half term, after the spring bank holiday on 31 May
        ("2026-08-31", "2026-09-02"),   // before term; 1 Sep is an INSET day
    ])
    func nextSchoolDay(from: String, expected: String) throws {
        #expect(try northshire().nextSchoolDay(after: d(from)) == d(expected))
    }

    @Test func previousSchoolDay() throws {
        #expect(try northshire().previousSchoolDay(before: d("2027-01-05")) == d("2026-12-18"))
        #expect(try northshire().previousSchoolDay(before: d("2026-11-02")) == d("2026-10-23"))
    }

    @Test func beyondTheLastTermIsLoud() throws {
        let calendar = try northshire()
        #expect { try calendar.nextSchoolDay(after: d("2027-07-22")) } throws: { error in
            guard let e = error as? CalendarError else { return false }
            return e.kind == .beyondSchoolCalendar && e.message.contains("Summer 2027")
                && e.message.contains("add the next terms' dates")
        }
        #expect(throws: CalendarError.self) { try calendar.isSchoolDay(d("2027-09-06")) }
        #expect(throws: CalendarError.self) { try calendar.isSchoolDay(d("2026-08-28")) }
        #expect(throws: CalendarError.self) { try calendar.previousSchoolDay(before: d("2026-09-02")) }
    }

    @Test func schoolDays() throws {
        let calendar = try northshire()
        #expect(try calendar.isSchoolDay(d("2026-09-02")))
        #expect(try !calendar.isSchoolDay(d("2026-09-01")))        // INSET
        #expect(try !calendar.isSchoolDay(d("2026-09-05")))        // Saturday
        #expect(try !calendar.isSchoolDay(d("2026-10-28")))        // half term
        #expect(try !calendar.isSchoolDay(d("2026-12-23")))        // Christmas holiday
        #expect(try !calendar.isSchoolDay(d("2027-05-03")))        // bank holiday in term
        let days = try calendar.schoolDays(in: d("2026-10-19")...d("2026-11-06"))
        #expect(days.count == 10)
        #expect(days.first == d("2026-10-19") && days.last == d("2026-11-06"))
        #expect(calendar.term(containing: d("2026-12-23")) == nil)
        #expect(calendar.term(containing: d("2027-02-16"))?.name == "Spring 2027")
    }

    @Test("inconsistent term dates are rejected with the term named", arguments: [
        ([("A", "2026-09-01", "2026-08-31")], "term 'A' ends (2026-08-31) before it starts (2026-09-01)"),
        ([("A", "2026-09-01", "2026-12-18"), ("B", "2026-12-18", "2027-03-25")],
         "term 'B' starts on 2026-12-18, before 'A' ends on 2026-12-18"),
        ([("A", "2027-01-04", "2027-03-25"), ("B", "2026-09-01", "2026-12-18")],
         "terms must be in date order: 'B' (starts 2026-09-01) is listed after 'A' (starts 2027-01-04)"),
    ])
    func rejectsInconsistentTerms(terms: [(String, String, String)], message: String) {
        #expect(throws: CalendarError(.invalidSchoolCalendar, "school calendar 'X': " + message)) {
            try SchoolCalendar(area: "X", terms: terms.map { SchoolTerm(name: $0.0, start: d($0.1), end: d($0.2)) })
        }
    }

    @Test func rejectsHalfTermsAndInsetDaysOutsideTheirTerm() {
        #expect(throws: CalendarError.self) {
            try SchoolCalendar(area: "X", terms: [SchoolTerm(name: "A", start: d("2026-09-01"), end: d("2026-12-18"),
                                                             halfTerm: d("2026-12-14")...d("2026-12-22"))])
        }
        #expect(throws: CalendarError.self) {
            try SchoolCalendar(area: "X", terms: [SchoolTerm(name: "A", start: d("2026-09-01"), end: d("2026-12-18"),
                                                             insetDays: [d("2026-08-31")])])
        }
        #expect(throws: CalendarError(.invalidSchoolCalendar, "school calendar 'X': INSET day 2026-09-05 in 'A' is a Saturday")) {
            try SchoolCalendar(area: "X", terms: [SchoolTerm(name: "A", start: d("2026-09-01"), end: d("2026-12-18"),
                                                             insetDays: [d("2026-09-05")])])
        }
        #expect(throws: CalendarError.self) { try SchoolCalendar(area: "X", terms: []) }
    }

    @Test func readsTheDocumentedJSONForm() throws {
        let json = Data(#"""
        {
          "area": "Northshire",
          "terms": [
            { "name": "Autumn 2026", "start": "2026-09-01", "end": "2026-12-18",
              "halfTerm": { "start": "2026-10-26", "end": "2026-10-30" },
              "insetDays": ["2026-09-01"] },
            { "name": "Spring 2027", "start": "2027-01-04", "end": "2027-03-25" }
          ]
        }
        """#.utf8)
        let calendar = try SchoolCalendar(json: json)
        #expect(calendar.area == "Northshire")
        #expect(calendar.terms.count == 2)
        #expect(calendar.terms[1].halfTerm == nil && calendar.terms[1].insetDays.isEmpty)
        #expect(try calendar.nextSchoolDay(after: d("2026-10-23")) == d("2026-11-02"))
        let again = try SchoolCalendar(json: calendar.jsonData())
        #expect(again == calendar)
        let viaCodable = try JSONDecoder().decode(SchoolCalendar.self, from: JSONEncoder().encode(try northshire()))
        #expect(viaCodable == (try northshire()))
    }

    @Test("a broken calendar file names the place that is wrong", arguments: [
        (#"{"area": "N", "terms": [{"name": "A", "start": "2026-09-01", "end": "2026-12-18"}, {"name": "B", "start": "2027-01-04", "end": "2027-03-25", "halfTerm": {"start": "2027-02-30", "end": "2027-03-05"}}]}"#,
         "terms[1].halfTerm.start: '2027-02-30' is not a date in the form YYYY-MM-DD"),
        (#"{"area": "N", "terms": [{"name": "A", "start": "2026-09-01"}]}"#, "terms[0]: 'end' is missing"),
        (#"{"terms": []}"#, "'area' is missing"),
        (#"{"area": "N", "terms": {}}"#, "terms: expected a list"),
        ("area: N", "is not valid JSON"),
        (#"{"area": "N", "terms": [{"name": "A", "start": "2026-09-01", "end": "2026-12-18", "halfTerm": {"start": "2026-10-30", "end": "2026-10-26"}}]}"#,
         "half term of 'A' ends (2026-10-26) before it starts (2026-10-30)"),
    ])
    func brokenFiles(json: String, fragment: String) {
        do {
            _ = try SchoolCalendar(json: Data(json.utf8))
            Issue.record("accepted a broken calendar")
        } catch {
            #expect(error.kind == .invalidSchoolCalendar)
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test("the demo calendar is a plausible English school year, four years of it")
    func demoDefaults() throws {
        let demo = SchoolCalendar.demoDefaults()
        #expect(try SchoolCalendar(area: demo.area, terms: demo.terms) == demo)   // passes validation
        #expect(demo.terms.count == 12)
        #expect(demo.firstDay.year == 2024 && demo.firstDay.month == 9)
        #expect(demo.lastDay.year == 2028 && demo.lastDay.month == 7)
        let bankHolidays = BankHolidays.englandAndWales
        for year in 2024...2027 {
            let terms = demo.terms.filter { $0.start >= d("\(year)-08-01") && $0.end <= d("\(year + 1)-07-31") }
            #expect(terms.count == 3)
            let academicYear = try demo.schoolDays(in: terms[0].start...terms[2].end)
            // England: 190 days of teaching a year (195 less INSET days), give or take a few.
            #expect((185...195).contains(academicYear.count), "\(year)-\(year + 1): \(academicYear.count) school days")
            #expect(try !demo.isSchoolDay(d("\(year)-12-25")))
        }
        for term in demo.terms {
            #expect(!term.start.isWeekend && !term.end.isWeekend, "\(term.name)")
            #expect(term.halfTerm != nil)
        }
        // Neither Good Friday nor Easter Monday is ever a school day.
        for event in bankHolidays.events where event.date >= demo.firstDay && event.date <= demo.lastDay {
            #expect(try !demo.isSchoolDay(event.date))
        }
    }
}
