import Testing
import EyesOnCore

@Suite("Attendance codes")
struct AttendanceCodeTests {
    let autumn2024 = CivilDate("2024-09-02")!
    let summer2024 = CivilDate("2024-07-15")!

    /// The 2024-25 code table, copied from STANDARDS §3.2.
    static let codes2024 = ["/", "\\", "L", "K", "V", "P", "W", "B", "D", "C1", "M", "J1", "S", "X", "C2", "C",
                            "T", "R", "I", "E", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "G", "N", "O", "U",
                            "Z", "#"]

    @Test func theCodesInForceFrom19August2024AreExactlyTheStandardsTable() {
        #expect(Set(AttendanceCode.codes(inForceOn: autumn2024).map(\.code)) == Set(Self.codes2024))
        #expect(AttendanceCode.changeover2024.description == "2024-08-19")
    }

    @Test("retired codes are refused with the date and what to use", arguments: [
        ("H", "attendance code 'H' was retired on 2024-08-19"),
        ("J", "attendance code 'J' was retired on 2024-08-19"),
        ("Y", "attendance code 'Y' was retired on 2024-08-19"),
    ])
    func retiredCodes(code: String, start: String) {
        do {
            _ = try AttendanceCode.lookup(code, on: autumn2024)
            Issue.record("accepted \(code)")
        } catch {
            #expect(error.description.hasPrefix(start), "\(error)")
        }
        #expect((try? AttendanceCode.lookup(code, on: summer2024)) != nil, "\(code) was valid before the change")
    }

    @Test func replacementsAreNamed() {
        #expect { try AttendanceCode.lookup("J", on: autumn2024) } throws: { ($0 as? CodeError)?.reason.hasSuffix("use J1") == true }
        #expect { try AttendanceCode.lookup("Y", on: autumn2024) } throws: { ($0 as? CodeError)?.reason.hasSuffix("use Y1 to Y7") == true }
    }

    @Test func theChangeoverDayIsTheFirstDayOfTheNewCodes() throws {
        let day = AttendanceCode.changeover2024
        #expect(throws: CodeError.self) { try AttendanceCode.lookup("J", on: day) }
        #expect(try AttendanceCode.lookup("J", on: day.adding(days: -1)).category == .approvedActivity)
        #expect(try AttendanceCode.lookup("J1", on: day).category == .authorisedAbsence)
        #expect { try AttendanceCode.lookup("K", on: day.adding(days: -1)) } throws: { error in
            (error as? CodeError)?.description == "attendance code 'K' came into force on 2024-08-19, after the session date 2024-08-18"
        }
    }

    @Test func fWasRetiredLongBefore() {
        #expect(throws: CodeError.self) { try AttendanceCode.lookup("F", on: CivilDate("2016-01-11")!) }
    }

    @Test func unknownAndEmptyCodes() {
        #expect(throws: CodeError(list: "attendance code", code: "ZZ", reason: "is not an attendance code")) {
            try AttendanceCode.lookup("ZZ", on: CivilDate("2025-01-06")!)
        }
        #expect(throws: CodeError.self) { try AttendanceCode.lookup("  ", on: CivilDate("2025-01-06")!) }
    }

    @Test func lookupIgnoresCaseAndSpaces() throws {
        #expect(try AttendanceCode.lookup(" y3 ", on: autumn2024).code == "Y3")
        #expect(try AttendanceCode.lookup("c1", on: autumn2024).code == "C1")
    }

    @Test func howSessionsCount() throws {
        func code(_ c: String) throws -> AttendanceCode { try AttendanceCode.lookup(c, on: autumn2024) }
        for c in ["/", "\\", "L", "K", "V", "P", "W", "B"] {
            #expect(try code(c).countsAsPresent && code(c).countsAsPossible, "\(c)")
        }
        for c in ["G", "N", "O", "U"] {
            #expect(try code(c).category == .unauthorisedAbsence && code(c).countsAsAbsent, "\(c)")
        }
        for c in ["C1", "M", "J1", "S", "C2", "C", "T", "R", "I", "E"] {
            #expect(try code(c).category == .authorisedAbsence && code(c).countsAsAbsent, "\(c)")
        }
        // Neither attendance nor absence: not possible sessions.
        for c in ["Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#", "X", "D"] {
            #expect(try !code(c).countsAsPossible && !code(c).countsAsPresent && !code(c).countsAsAbsent, "\(c)")
        }
    }

    @Test("a week's register gives the attendance a school would report")
    func aWeekOfMarks() throws {
        let marks = ["/", "\\", "I", "I", "L", "Y2", "G", "#", "V", "D"]
        let codes = try marks.map { try AttendanceCode.lookup($0, on: autumn2024) }
        let possible = codes.filter(\.countsAsPossible).count
        let present = codes.filter(\.countsAsPresent).count
        let unauthorised = codes.filter { $0.category == .unauthorisedAbsence }.count
        // Possible: / \ I I L G V (Y2, # and D are not possible sessions). Present: / \ L V.
        #expect((possible, present, unauthorised) == (7, 4, 1))
    }

    @Test func everyCodeIsUniqueAndDescribed() {
        let all = AttendanceCode.all
        #expect(Set(all.map(\.code)).count == all.count)
        #expect(all.allSatisfy { !$0.meaning.isEmpty })
        #expect(Set(all.filter { $0.retiredOn != nil }.map(\.code)) == ["H", "J", "Y", "F"])
    }
}
