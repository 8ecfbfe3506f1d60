import Testing
import EyesOnCore

@Suite("Attendance figures from a pupil's marks")
struct AttendanceSummaryTests {
    static let calendar = SchoolCalendar.demoDefaults()

    static func marks(_ spec: [(String, String, String)]) throws -> [SessionMark] {
        try spec.map { d, s, c in
            let date = try #require(CivilDate(d))
            return SessionMark(date: date, session: try #require(Session(text: s)), code: try AttendanceCode.lookup(c, on: date))
        }
    }

    @Test("runs of absence and unexplained absence end at the latest session; not-possible sessions are skipped")
    func runs() throws {
        let s = AttendanceSummary.compute(try Self.marks([
            ("2026-11-23", "AM", "/"), ("2026-11-23", "PM", "\\"),
            ("2026-11-24", "AM", "I"), ("2026-11-24", "PM", "N"),
            ("2026-11-25", "AM", "#"), ("2026-11-25", "PM", "O"),
        ]), calendar: Self.calendar)
        #expect(s.lastPresentDate == CivilDate("2026-11-23") && s.lastPresentSession == .pm)
        #expect(s.consecutiveAbsent == 3)
        #expect(s.consecutiveUnexplained == 2)
        #expect(s.termPossible == 5 && s.termPresent == 2)
        #expect(s.unexplainedThisTerm == 2)
        #expect(s.persistentlyAbsent && s.severelyAbsent)
        #expect(s.termName == "Autumn 2026")
    }

    @Test("not back after the holiday: absent in every possible session since half term")
    func notBack() throws {
        let before = try Self.marks([("2026-10-23", "AM", "/"), ("2026-10-23", "PM", "/")])
        let after = try Self.marks([("2026-11-02", "AM", "N"), ("2026-11-02", "PM", "N"), ("2026-11-03", "AM", "O")])
        #expect(AttendanceSummary.compute(before + after, calendar: Self.calendar).notBackAfterHoliday)
        let back = try Self.marks([("2026-11-03", "PM", "L")])
        #expect(!AttendanceSummary.compute(before + after + back, calendar: Self.calendar).notBackAfterHoliday)
    }

    @Test("a last present date from older marks is kept when the new ones show none")
    func carriesLastPresent() throws {
        let s = AttendanceSummary.compute(try Self.marks([("2026-11-25", "AM", "N")]),
                                          presentBefore: (CivilDate("2026-11-02")!, .am), calendar: Self.calendar)
        #expect(s.lastPresentDate == CivilDate("2026-11-02"))
    }

    @Test("list reasons parse from codes and name the bad one")
    func reasons() throws {
        #expect(try ListReason.parseList("child-in-need; looked-after,child-in-need") == [.childInNeed, .lookedAfter])
        #expect(throws: CodeError.self) { try ListReason.parseList("child-in-need;cin") }
        #expect(throws: CodeError.self) { try ListReason.parseList(" ; ") }
    }
}
