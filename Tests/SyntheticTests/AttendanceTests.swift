import EyesOnCore
import Foundation
import Testing
@testable import Synthetic

@Suite("Attendance")
struct AttendanceTests {
    let area = Fixture.area
    static let rows = Fixture.csv("attendance.csv").rows

    /// Attendance per pupil (school_urn|upn) over possible sessions.
    static let rates: [String: Double] = {
        var seen: [String: (present: Int, possible: Int)] = [:]
        let present: Set = ["/", "\\", "L", "P", "V", "B", "W", "J1", "K"]
        let notPossible: Set = ["X", "Z", "#", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Q", "D"]
        for row in rows where !notPossible.contains(row[7]) {
            let key = row[0] + "|" + row[1]
            var v = seen[key] ?? (0, 0)
            v.possible += 1
            if present.contains(row[7]) { v.present += 1 }
            seen[key] = v
        }
        return seen.filter { $0.value.possible > 0 }.mapValues { Double($0.present) / Double($0.possible) }
    }()

    @Test("the last N school days up to as-of, AM and PM, every code valid in the 2024 code set")
    func daysSessionsCodes() throws {
        let days = area.attendanceDays()
        #expect(days.count == Fixture.configuration.attendanceSchoolDays)
        #expect(days.last! <= Fixture.asOf)
        let calendar = SchoolCalendar.demoDefaults()
        for d in days { #expect(try calendar.isSchoolDay(d)) }
        let dayTexts = Set(days.map(\.description))
        var codes = Set<String>()
        for row in Self.rows {
            #expect(dayTexts.contains(row[5]), "\(row[5]) is not one of the window's school days")
            #expect(row[6] == "AM" || row[6] == "PM")
            codes.insert(row[7])
        }
        for code in codes { _ = try AttendanceCode.lookup(code, on: Fixture.asOf) }
        for code in ["/", "\\", "I", "O", "N", "L", "M", "G", "C2", "X", "#"] {
            #expect(codes.contains(code), "no '\(code)' marks")
        }
        #expect(!codes.contains("H") && !codes.contains("Y") && !codes.contains("J"), "retired codes")
    }

    @Test("most pupils attend about 95%; some are persistently (<90%) and severely (<50%) absent")
    func patterns() {
        let rates = Array(Self.rates.values)
        let mean = rates.reduce(0, +) / Double(rates.count)
        let persistent = Double(rates.filter { $0 < 0.9 }.count) / Double(rates.count)
        let severe = Double(rates.filter { $0 < 0.5 }.count) / Double(rates.count)
        #expect(mean > 0.92 && mean < 0.97, "mean attendance \(mean)")
        #expect(persistent > 0.06 && persistent < 0.3, "persistently absent \(persistent)")
        #expect(severe > 0.003 && severe < 0.05, "severely absent \(severe)")
    }

    @Test("children on a plan, looked after or in need are absent more often")
    func vulnerableAbsentMore() {
        let truth = Fixture.truth["attendance.csv"] ?? [:]
        var vulnerable: [Double] = [], others: [Double] = []
        for (key, rate) in Self.rates {
            guard let id = truth[key] else { Issue.record("no truth for \(key)"); continue }
            let index = area.internals.socialCareIndex[id - 1]
            let status = index >= 0 ? area.socialCare[Int(index)].status : nil
            if [.childProtectionPlan, .lookedAfter, .childInNeed].contains(status) { vulnerable.append(rate) } else { others.append(rate) }
        }
        let v = vulnerable.reduce(0, +) / Double(vulnerable.count)
        let o = others.reduce(0, +) / Double(others.count)
        #expect(vulnerable.count > 50)
        #expect(v < o - 0.01, "vulnerable \(v) vs others \(o)")
    }

    @Test("a few pupils did not come back after the holiday: absent every session since the return")
    func didNotReturn() {
        let days = area.attendanceDays().map(\.daysSince1970)
        var returnDay = days[0]
        for (a, b) in zip(days, days.dropFirst()) where b - a > 4 { returnDay = b }
        let returnText = CivilDate(daysSince1970: returnDay).description
        var sinceReturn: [String: (absent: Int, total: Int)] = [:]
        for row in Self.rows where row[5] >= returnText {
            let key = row[0] + "|" + row[1]
            var v = sinceReturn[key] ?? (0, 0)
            v.total += 1
            if row[7] == "N" || row[7] == "O" { v.absent += 1 }
            sinceReturn[key] = v
        }
        let gone = sinceReturn.filter { $0.value.total >= 4 && $0.value.absent == $0.value.total }
        #expect(gone.count >= 3, "\(gone.count) pupils absent (unexplained) every session since \(returnText)")
    }

    @Test("pupils who left the roll have no marks after their leaving date")
    func leavers() {
        let truth = Fixture.truth["attendance.csv"] ?? [:]
        var last: [String: String] = [:]
        for row in Self.rows { last[row[0] + "|" + row[1]] = max(last[row[0] + "|" + row[1]] ?? "", row[5]) }
        let byKey = Dictionary(grouping: area.enrolments.filter { $0.to != nil }) { $0.personID }
        var checked = 0
        for (key, lastDay) in last {
            let urn = String(key.split(separator: "|")[0])
            guard let id = truth[key], let ended = byKey[id]?.first(where: { $0.agencyKey.hasSuffix(urn) }), let to = ended.to else { continue }
            #expect(lastDay <= to.description)
            checked += 1
        }
        #expect(checked > 0)
    }
}
