import EyesOnCore
import Foundation
import Testing
@testable import Synthetic

@Suite("As-of date")
struct DatesTests {
    let area = Fixture.area
    let asOf = Fixture.asOf

    @Test("nobody is born after as-of; unborn children are due within 9 months after it")
    func births() {
        for p in area.people {
            switch p.kind {
            case .unbornChild:
                #expect(p.dateOfBirth == nil)
                let due = p.expectedDateOfBirth!
                #expect(due > asOf && due <= asOf.adding(months: 9), "expected \(due)")
                #expect(p.sex == .unknown)
            case .child:
                #expect(p.dateOfBirth! <= asOf)
                #expect(p.dateOfBirth! > asOf.adding(years: -19))
                #expect(p.expectedDateOfBirth == nil)
            case .adult:
                #expect(p.dateOfBirth!.adding(years: 18) <= asOf, "adult \(p.id) is under 18")
            }
        }
    }

    @Test("no date in any extract lies after as-of, except expected dates of birth")
    func extractDates() {
        let isoColumns: [String: [String]] = [
            "school-roll.csv": ["date_of_birth", "entry_date", "leaving_date"],
            "attendance.csv": ["date_of_birth", "date"],
            "marac.csv": ["meeting_date", "previous_meeting_date", "victim_dob", "perpetrator_dob", "child_dob"],
            "health-caseload.csv": ["date_of_birth"],
        ]
        for (file, columns) in isoColumns {
            for r in Fixture.records(file) {
                for c in columns where !(r[c] ?? "").isEmpty {
                    guard let d = CivilDate(r[c]!) else { Issue.record("\(file) \(c): '\(r[c]!)' is not a date"); continue }
                    #expect(d <= asOf, "\(file) \(c) \(d) is after as-of")
                }
            }
        }
        for r in Fixture.records("police-incidents.csv") {
            #expect(CivilDate(String(r["occurred_at"]!.prefix(10)))! <= asOf)
            #expect(r["occurred_at"]!.count == 19)
        }
        for r in Fixture.records("health-caseload.csv") where !r["expected_date_of_birth"]!.isEmpty {
            #expect(CivilDate(r["expected_date_of_birth"]!)! > asOf)
            #expect(r["date_of_birth"]!.isEmpty)
        }
        for e in area.enrolments {
            #expect(e.from <= asOf)
            if let to = e.to { #expect(to >= e.from && to <= asOf) }
        }
    }

    @Test("another as-of date: the area and its extracts follow it (also outside the demo term dates)")
    func otherAsOfDates() throws {
        for text in ["2025-08-10", "2029-03-01", "2024-09-05"] {
            let asOf = CivilDate(text)!
            let area = SyntheticArea.generate(AreaConfiguration(children: 800, seed: 11, asOf: asOf, attendanceSchoolDays: 10))
            #expect(area.people.allSatisfy { ($0.dateOfBirth ?? asOf) <= asOf })
            let days = area.attendanceDays()
            #expect(days.count == 10)
            #expect(days.allSatisfy { $0 <= asOf && !$0.isWeekend && $0.month != 8 })
            #expect(area.censusReferenceDate.month == 3 && area.censusReferenceDate.day == 31)
            #expect(area.censusYearStart <= asOf && asOf <= area.censusReferenceDate)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-asof-\(ProcessInfo.processInfo.processIdentifier)-\(text)")
            let files = try area.writeExtracts(to: dir)
            #expect(files.first { $0.name == "attendance.csv" }!.rows > 0)
            try? FileManager.default.removeItem(at: dir)
        }
    }
}
