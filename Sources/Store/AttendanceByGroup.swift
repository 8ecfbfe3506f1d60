import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds

/// Attendance and persistent absence of the vulnerable groups against all pupils, week by week
/// through the term (issue 8): counts only, for the returns' users.
public struct AttendanceByGroup: Sendable, Equatable, Codable {
    /// A group of pupils, by what EyesOn holds about them on the report's date.
    public enum Group: String, CaseIterable, Sendable, Codable {
        case protectionPlan = "protection-plan"
        case childInNeed = "child-in-need"
        case lookedAfter = "looked-after"
        case ehcPlan = "ehc-plan"
        case freeSchoolMeals = "free-school-meals"
        case agreedList = "agreed-list"
        case allPupils = "all-pupils"

        public var title: String {
            switch self {
            case .protectionPlan: "On a child protection plan"
            case .childInNeed: "Other children in need"
            case .lookedAfter: "Looked after"
            case .ehcPlan: "With an education, health and care plan"
            case .freeSchoolMeals: "Eligible for free school meals"
            case .agreedList: "On the agreed list"
            case .allPupils: "All pupils"
            }
        }

        /// Whether the group is told from the school census's pupil characteristics.
        public var fromCensus: Bool { self == .ehcPlan || self == .freeSchoolMeals }
    }

    public struct Week: Sendable, Equatable, Codable {
        public let monday: CivilDate
        /// Sessions possible and attended in the week.
        public let possible: Int
        public let present: Int
        /// Pupils with a possible session this term up to the end of the week, and those of them
        /// below 90% attendance over that time (persistently absent).
        public let pupils: Int
        public let persistentlyAbsent: Int

        public var rate: Double? { possible == 0 ? nil : Double(present) / Double(possible) }
        public var persistentShare: Double? { pupils == 0 ? nil : Double(persistentlyAbsent) / Double(pupils) }
    }

    public struct Line: Sendable, Equatable, Codable {
        public let group: Group
        /// Pupils in the group with marks this term; nil when the group is not held.
        public let pupils: Int?
        public let possible: Int
        public let present: Int
        public let persistentlyAbsent: Int
        public let weeks: [Week]
        public let note: String?

        public var rate: Double? { possible == 0 ? nil : Double(present) / Double(possible) }
        public var persistentShare: Double? { (pupils ?? 0) == 0 ? nil : Double(persistentlyAbsent) / Double(pupils!) }
    }

    public let asOf: CivilDate
    /// The term the report covers (up to `asOf`), and its name.
    public let from: CivilDate
    public let to: CivilDate
    public let termName: String
    public let lines: [Line]

    public func line(_ group: Group) -> Line? { lines.first { $0.group == group } }

    /// Attendance below this share of possible sessions is persistent absence (DfE).
    public static let persistentAbsenceBelow = 0.9

    /// The report as of `asOf`: the term containing it (or the last one before it), up to `asOf`.
    static func compute(asOf: CivilDate, on db: any Database) async throws -> AttendanceByGroup {
        let sql = db as! any SQLDatabase
        let calendar = try await CalendarStore.schoolCalendar(on: db)
        guard let term = calendar.term(containing: asOf) ?? calendar.terms.last(where: { $0.start <= asOf }) else {
            throw ReturnError(message: "the school calendar has no term on or before \(asOf.ukFormatted)")
        }
        let from = term.start, to = min(asOf, term.end)
        let firstMonday = from.adding(days: -(from.weekday.rawValue - 1))

        // Who is in each group on the date, as the returns count them.
        var calculator = ReturnCalculator(sql: sql, asOf: asOf, periodDays: 1)
        var members: [Group: Set<UUID>] = [:]
        for (group, measure) in [(Group.protectionPlan, ReturnMeasure.protectionPlan), (.childInNeed, .otherInNeed),
                                 (.lookedAfter, .lookedAfter), (.agreedList, .onTheList)] {
            if case .success(let rows) = try await calculator.members(measure) { members[group] = Set(rows.compactMap(\.personID)) }
        }
        var groupsOfPupil: [Int64: [Group]] = [:]
        let wanted = members.values.reduce(into: Set<UUID>()) { $0.formUnion($1) }
        if !wanted.isEmpty {
            for row in try await sql.raw("SELECT number, person_id FROM attendance_pupils WHERE person_id IS NOT NULL").all() {
                let person = try row.decode(column: "person_id", as: UUID.self)
                guard wanted.contains(person) else { continue }
                let number = try row.decode(column: "number", as: Int64.self)
                groupsOfPupil[number] = members.filter { $0.value.contains(person) }.map(\.key)
            }
        }
        // EHC plans and free school meals: the school census's characteristics, by UPN.
        let censusHeld = try await sql.raw("SELECT upn FROM pupil_characteristics LIMIT 1").first() != nil
        if censusHeld {
            for row in try await sql.raw("""
                SELECT ap.number, pc.fsm, pc.sen_provision FROM attendance_pupils ap JOIN pupil_characteristics pc ON pc.upn = ap.upn \
                WHERE pc.fsm = \(bind: true) OR pc.sen_provision = \(bind: SENProvision.ehcPlan.rawValue)
                """).all() {
                let number = try row.decode(column: "number", as: Int64.self)
                if try row.decode(column: "fsm", as: Bool.self) { groupsOfPupil[number, default: []].append(.freeSchoolMeals) }
                if try row.decode(column: "sen_provision", as: String.self) == SENProvision.ehcPlan.rawValue { groupsOfPupil[number, default: []].append(.ehcPlan) }
            }
        }

        let weeks = (to.daysSince1970 - firstMonday.daysSince1970) / 7 + 1

        // Per group: the week's sums, and each pupil's running totals for persistent absence.
        struct Tally {
            var possible: [Int], present: [Int], pupils: [Int], persistent: [Int]
            init(_ n: Int) { possible = Array(repeating: 0, count: n); present = possible; pupils = possible; persistent = possible }
        }
        let counted: [Group] = Group.allCases
        var tallies = Dictionary(uniqueKeysWithValues: counted.map { ($0, Tally(weeks)) })
        var pupilWeeks = [(possible: Int, present: Int)](repeating: (0, 0), count: weeks)
        var current: Int64? = nil
        func finish(_ pupil: Int64) {
            let groups = [Group.allPupils] + (groupsOfPupil[pupil] ?? [])
            var possible = 0, present = 0
            for w in 0..<weeks {
                possible += pupilWeeks[w].possible
                present += pupilWeeks[w].present
                for g in groups {
                    tallies[g]!.possible[w] += pupilWeeks[w].possible
                    tallies[g]!.present[w] += pupilWeeks[w].present
                    if possible > 0 {
                        tallies[g]!.pupils[w] += 1
                        if Double(present) < Double(possible) * persistentAbsenceBelow { tallies[g]!.persistent[w] += 1 }
                    }
                }
            }
            pupilWeeks = [(possible: Int, present: Int)](repeating: (0, 0), count: weeks)
        }
        if try await summariesCover(term: term, to: to, sql: sql) {
            // Each pupil's term week by week, as the imports left it beside their figures.
            for row in try await sql.raw("""
                SELECT number, term_weeks FROM attendance_pupils WHERE term_name = \(bind: term.name) AND term_possible > 0 \
                AND latest_date >= \(bind: from.description)
                """).all() {
                for week in TermWeek.parse(try row.decode(column: "term_weeks", as: String?.self) ?? "") {
                    let w = (week.monday.daysSince1970 - firstMonday.daysSince1970) / 7
                    if (0..<weeks).contains(w) { pupilWeeks[w] = (week.possible, week.present) }
                }
                finish(try row.decode(column: "number", as: Int64.self))
            }
        } else {
            // A date inside the marks held: every pupil's sessions per week up to it, summed by the database.
            let possibleCodes = Set(AttendanceCode.all.filter(\.countsAsPossible).map(\.code)).sorted()
            let presentCodes = Set(AttendanceCode.all.filter(\.countsAsPresent).map(\.code)).sorted()
            let week: SQLQueryString = sql.dialect.name == "postgresql"
                ? "((m.date::date - \(bind: firstMonday.description)::date) / 7)"
                : "CAST((julianday(m.date) - julianday(\(bind: firstMonday.description))) / 7 AS INTEGER)"
            let rows = try await sql.raw("""
                SELECT m.pupil, \(week) AS week, \
                SUM(CASE WHEN m.code IN (\(bindList: possibleCodes)) THEN 1 ELSE 0 END) AS possible, \
                SUM(CASE WHEN m.code IN (\(bindList: presentCodes)) THEN 1 ELSE 0 END) AS present \
                FROM attendance_marks m WHERE m.date >= \(bind: from.description) AND m.date <= \(bind: to.description) \
                GROUP BY 1, 2 ORDER BY 1, 2
                """).all()
            for row in rows {
                let pupil = try row.decode(column: "pupil", as: Int64.self)
                if let c = current, c != pupil { finish(c) }
                current = pupil
                let w = try row.decode(column: "week", as: Int.self)
                guard (0..<weeks).contains(w) else { continue }
                pupilWeeks[w] = (try row.decode(column: "possible", as: Int.self), try row.decode(column: "present", as: Int.self))
            }
            if let c = current { finish(c) }
        }

        var lines: [Line] = []
        for group in Group.allCases {
            if group.fromCensus && !censusHeld {
                lines.append(Line(group: group, pupils: nil, possible: 0, present: 0, persistentlyAbsent: 0, weeks: [],
                                  note: "not held: no pupil characteristics file (the school census's free school meals and SEN provision) has been imported"))
                continue
            }
            guard let t = tallies[group] else { continue }
            let weekLines = (0..<weeks).map { w in
                Week(monday: firstMonday.adding(days: 7 * w), possible: t.possible[w], present: t.present[w], pupils: t.pupils[w], persistentlyAbsent: t.persistent[w])
            }.filter { $0.possible > 0 || $0.pupils > 0 }
            let last = weeks - 1
            lines.append(Line(group: group, pupils: t.pupils[last], possible: t.possible.reduce(0, +), present: t.present.reduce(0, +),
                              persistentlyAbsent: t.persistent[last], weeks: weekLines,
                              note: group != .allPupils && !group.fromCensus && members[group] == nil ? "not known: the feed behind this group has not been imported" : nil))
        }
        return AttendanceByGroup(asOf: asOf, from: from, to: to, termName: term.name, lines: lines)
    }
}

extension AttendanceByGroup {
    /// Whether the pupils' stored term weeks (written by each import) answer a report on the term
    /// up to `to`: every pupil with marks this term has them, and no mark is later than `to`. A
    /// pupil's figures are this term's when their latest mark is in it (the term's name alone could
    /// be last year's "Autumn").
    /// Otherwise the report sums the marks themselves (a date in the past, or figures kept before
    /// the weeks were).
    public static func summariesCover(term: SchoolTerm, to: CivilDate, sql: any SQLDatabase) async throws -> Bool {
        guard let row = try await sql.raw("""
            SELECT MAX(latest_date) AS latest, SUM(CASE WHEN term_weeks IS NULL THEN 1 ELSE 0 END) AS missing \
            FROM attendance_pupils WHERE term_name = \(bind: term.name) AND term_possible > 0 AND latest_date >= \(bind: term.start.description)
            """).first() else { return false }
        guard let latest = try row.decode(column: "latest", as: String?.self).flatMap(CivilDate.init) else { return true }
        let missing = try row.decode(column: "missing", as: Int?.self) ?? 0
        return latest <= to && missing == 0
    }
}

extension Returns {
    /// Attendance of the vulnerable groups against all pupils, as of `asOf` (counts only).
    public func attendanceByGroup(asOf: CivilDate) async throws -> AttendanceByGroup {
        guard AccessPolicy.mayWorkOnReturns(viewer) else { throw ChildAccessDenied() }
        return try await AttendanceByGroup.compute(asOf: asOf, on: db)
    }

    /// The same for the command line (an operator with the database's credentials); audited under `actor`.
    public static func attendanceByGroup(asOf: CivilDate, on db: any Database, actor: String) async throws -> AttendanceByGroup {
        let report = try await AttendanceByGroup.compute(asOf: asOf, on: db)
        try await AuditLog.record(.returnComputed, on: db, actor: actor, detail: "attendance by group as of \(asOf)")
        return report
    }
}
