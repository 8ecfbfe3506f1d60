/// A morning or afternoon register.
public enum Session: String, CaseIterable, Codable, Sendable, Comparable {
    case am = "AM", pm = "PM"

    public static func < (a: Session, b: Session) -> Bool { a == .am && b == .pm }

    /// `AM` or `PM` (any case, surrounding white space ignored).
    public init?(text: String) {
        if text == "AM" { self = .am; return }
        if text == "PM" { self = .pm; return }
        switch IdentifierText.upperASCII(IdentifierText.trimmed(text)) {
        case "AM": self = .am
        case "PM": self = .pm
        default: return nil
        }
    }
}

/// One pupil's register mark for one session. Small and cheap to copy (an import holds millions):
/// the code is kept as its place in ``AttendanceCode/all`` with how it counts.
public struct SessionMark: Sendable, Equatable {
    public let date: CivilDate
    public let session: Session
    let codeIndex: UInt8
    let flags: UInt8

    static let presentFlag: UInt8 = 1, possibleFlag: UInt8 = 2, unexplainedFlag: UInt8 = 4

    public init(date: CivilDate, session: Session, code: AttendanceCode) {
        self.date = date
        self.session = session
        self.codeIndex = code.index
        self.flags = Self.flagsByCode[Int(code.index)]
    }

    static let flagsByCode: [UInt8] = AttendanceCode.all.map { code in
        var flags: UInt8 = 0
        if code.countsAsPresent { flags |= presentFlag }
        if code.countsAsPossible { flags |= possibleFlag }
        if ["N", "O", "U"].contains(code.code) { flags |= unexplainedFlag }
        return flags
    }

    public var code: AttendanceCode { AttendanceCode.all[Int(codeIndex)] }
    /// The code as marked, e.g. `/` or `N`.
    public var codeText: String { AttendanceCode.codeTexts[Int(codeIndex)] }
    public var countsAsPresent: Bool { flags & Self.presentFlag != 0 }
    public var countsAsPossible: Bool { flags & Self.possibleFlag != 0 }
    /// A possible session not attended.
    public var countsAsAbsent: Bool { countsAsPossible && !countsAsPresent }
    /// Reason for absence not established, other unauthorised, or late after the register closed.
    public var isUnexplained: Bool { flags & Self.unexplainedFlag != 0 }
    /// Whether both marks say the same (the same code).
    public func sameCode(as other: SessionMark) -> Bool { codeIndex == other.codeIndex }
}

/// What a pupil's marks say, always current: computed from the marks of this term and the
/// last 4 weeks (STANDARDS §3), per pupil record (school and UPN).
public struct AttendanceSummary: Sendable, Equatable {
    /// The latest session with a mark.
    public var latestDate: CivilDate?
    /// The last session the pupil was present (or at an approved activity).
    public var lastPresentDate: CivilDate?
    public var lastPresentSession: Session?
    /// Possible sessions missed since the last present one, counting back from the latest.
    public var consecutiveAbsent = 0
    /// The run of unexplained absences (N, O, U) ending at the latest possible session.
    public var consecutiveUnexplained = 0
    /// Unexplained absent sessions this term.
    public var unexplainedThisTerm = 0
    /// The term of the latest mark, when the school calendar knows it.
    public var termName: String?
    public var termPossible = 0
    public var termPresent = 0
    /// This term's possible and attended sessions week by week (by the week's Monday), in date order.
    public var termWeeks: [TermWeek] = []
    /// The 28 days up to the latest mark.
    public var recentPossible = 0
    public var recentPresent = 0
    /// Absent in every possible session since the first day back after the last holiday (term
    /// start or half term), with at least two such sessions.
    public var notBackAfterHoliday = false

    public init() {}

    /// Attendance this term, 0–1; nil with no possible sessions.
    public var termRate: Double? { termPossible == 0 ? nil : Double(termPresent) / Double(termPossible) }
    public var recentRate: Double? { recentPossible == 0 ? nil : Double(recentPresent) / Double(recentPossible) }
    /// Under 90% this term.
    public var persistentlyAbsent: Bool { (termRate ?? 1) < 0.9 }
    /// Under 50% this term.
    public var severelyAbsent: Bool { (termRate ?? 1) < 0.5 }

    /// Days before the latest mark counted as "the last 4 weeks".
    public static let recentDays = 28

    /// The summary of `marks` (any order; one per date and session). `presentBefore` is the last
    /// present date already known from marks older than those given (kept when none of these is
    /// a present mark). `calendar` places the latest mark in its term; without it (or outside it)
    /// the term is taken as the marks given, and a break of five days or more between marks is a
    /// holiday.
    public static func compute(_ marks: [SessionMark], presentBefore: (CivilDate, Session)? = nil,
                               calendar: SchoolCalendar?) -> AttendanceSummary {
        var s = AttendanceSummary()
        let sorted = marks.sorted { ($0.date, $0.session) < ($1.date, $1.session) }
        guard let latest = sorted.last?.date else {
            s.lastPresentDate = presentBefore?.0
            s.lastPresentSession = presentBefore?.1
            return s
        }
        s.latestDate = latest
        let term = calendar?.term(containing: latest)
        s.termName = term?.name
        let recentFrom = latest.adding(days: -(recentDays - 1))

        // The first day back after the most recent holiday.
        var returnDay: CivilDate? = nil
        if let term {
            returnDay = term.start
            if let half = term.halfTerm, latest > half.upperBound { returnDay = half.upperBound.adding(days: 1) }
        } else {
            var previous: CivilDate? = nil
            for mark in sorted {
                if let p = previous, mark.date.daysSince1970 - p.daysSince1970 >= 5 { returnDay = mark.date }
                previous = mark.date
            }
        }

        var lastPresent = presentBefore
        var sinceReturnPossible = 0, sinceReturnPresent = 0
        for mark in sorted {
            let inTerm = term.map { $0.contains(mark.date) } ?? true
            if mark.countsAsPresent { lastPresent = (mark.date, mark.session) }
            guard mark.countsAsPossible else { continue }
            if inTerm {
                s.termPossible += 1
                if mark.countsAsPresent { s.termPresent += 1 }
                if mark.isUnexplained { s.unexplainedThisTerm += 1 }
                let monday = mark.date.adding(days: -(mark.date.weekday.rawValue - 1))
                if s.termWeeks.last?.monday != monday { s.termWeeks.append(TermWeek(monday: monday, possible: 0, present: 0)) }
                s.termWeeks[s.termWeeks.count - 1].possible += 1
                if mark.countsAsPresent { s.termWeeks[s.termWeeks.count - 1].present += 1 }
            }
            if mark.date >= recentFrom {
                s.recentPossible += 1
                if mark.countsAsPresent { s.recentPresent += 1 }
            }
            if let returnDay, mark.date >= returnDay {
                sinceReturnPossible += 1
                if mark.countsAsPresent { sinceReturnPresent += 1 }
            }
        }
        s.lastPresentDate = lastPresent?.0
        s.lastPresentSession = lastPresent?.1
        s.notBackAfterHoliday = sinceReturnPossible >= 2 && sinceReturnPresent == 0

        // Trailing runs, over possible sessions only.
        var absentRun = 0, unexplainedRun = 0, unexplainedOpen = true
        for mark in sorted.reversed() where mark.countsAsPossible {
            if mark.countsAsPresent { break }
            absentRun += 1
            if unexplainedOpen && mark.isUnexplained { unexplainedRun += 1 } else { unexplainedOpen = false }
        }
        s.consecutiveAbsent = absentRun
        s.consecutiveUnexplained = unexplainedRun
        return s
    }
}

/// A pupil's possible and attended sessions in one week of the term.
public struct TermWeek: Sendable, Equatable {
    public let monday: CivilDate
    public var possible: Int
    public var present: Int

    public init(monday: CivilDate, possible: Int, present: Int) {
        self.monday = monday
        self.possible = possible
        self.present = present
    }

    /// The weeks as stored beside the pupil's figures: `2026-11-09 10 9,2026-11-16 10 10`.
    public static func text(_ weeks: [TermWeek]) -> String {
        weeks.map { "\($0.monday) \($0.possible) \($0.present)" }.joined(separator: ",")
    }

    /// The weeks from their stored text; a malformed week is left out.
    public static func parse(_ text: String) -> [TermWeek] {
        text.split(separator: ",").compactMap { part in
            let f = part.split(separator: " ")
            guard f.count == 3, let monday = CivilDate(String(f[0])), let possible = Int(f[1]), let present = Int(f[2]) else { return nil }
            return TermWeek(monday: monday, possible: possible, present: present)
        }
    }
}
