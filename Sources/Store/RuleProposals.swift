import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// A child not on the agreed list whom one or more proposal rules name, with the records that
/// made each rule fire.
public struct RuleProposal: Sendable, Equatable {
    public struct Fired: Sendable, Equatable {
        public let rule: ProposalRule
        /// The school of the pupil record (attendance rules), or the social care record, e.g.
        /// "the CIN census: a plan since 2026-03-02".
        public let schoolName: String
        /// The pupil record's school and UPN (attendance rules only).
        public let urn: Int?
        public let upn: String?
        /// The measured figure (a percentage, a count of sessions or school days, or 1).
        public let figure: Double
    }
    public let personID: UUID
    public let childName: String
    public let dateOfBirth: CivilDate?
    public var fired: [Fired]
}

extension EyesOn {
    /// School days off a school's marks, with no later school, that count as having left the
    /// roll with no known destination: 10, the threshold of the children missing education
    /// statutory guidance for continuous absence.
    public static let offRollSchoolDays = 10

    /// Children in the viewer's scope who are not on the list (nor proposed) and whom a rule
    /// names, in the order of the rules, each rule's worst first (at most `limitPerRule` a rule).
    public func ruleProposals(limitPerRule: Int = 500) async throws -> (rules: [ProposalRule], proposals: [RuleProposal]) {
        guard directory.scope.mayOpenRecords, let scope = directory.scopeCondition() else { throw ChildAccessDenied() }
        let rules = try await PartnershipSettings.proposalRules(on: db)
        var byPerson: [UUID: Int] = [:]
        var proposals: [RuleProposal] = []
        for rule in rules {
            guard rule.measure.isAttendance else {
                for (person, name, born, fired) in try await socialCareFired(rule, scope: scope, limit: limitPerRule) {
                    if let i = byPerson[person] { proposals[i].fired.append(fired) } else {
                        byPerson[person] = proposals.count
                        proposals.append(RuleProposal(personID: person, childName: name, dateOfBirth: born, fired: [fired]))
                    }
                }
                continue
            }
            let (figure, current) = Self.figure(rule.measure)
            let condition: SQLQueryString = rule.comparison == .below ? "x.figure < \(bind: rule.value)" : "x.figure >= \(bind: rule.value)"
            let order: SQLQueryString = rule.comparison == .below ? "x.figure ASC" : "x.figure DESC"
            // Attendance measures read pupils still on their school's marks (their last mark is
            // the school's latest day); leaving is measured on every record.
            let onMarks: SQLQueryString = current
                ? " AND ap.latest_date = (SELECT MAX(d.date) FROM attendance_school_days d WHERE d.school_urn = ap.school_urn)" : ""
            let rows = try await sql.raw("""
                SELECT x.* FROM (SELECT ap.person_id, ap.school_urn, ap.upn, p.given_name, p.family_name, p.date_of_birth, \
                a.name AS school_name, \(figure) AS figure \
                FROM attendance_pupils ap JOIN people p ON p.id = ap.person_id LEFT JOIN agencies a ON a.urn = ap.school_urn \
                WHERE \(ChildDirectory.childKinds) AND \(scope)\(onMarks) \
                AND NOT EXISTS (SELECT 1 FROM list_entries e WHERE e.person_id = ap.person_id AND e.status IN ('proposed', 'agreed'))) x \
                WHERE x.figure IS NOT NULL AND \(condition) ORDER BY \(order), x.family_name, x.given_name LIMIT \(unsafeRaw: String(limitPerRule))
                """).all()
            for row in rows {
                let person = try row.decode(column: "person_id", as: UUID.self)
                let urn = try row.decode(column: "school_urn", as: Int.self)
                let fired = RuleProposal.Fired(rule: rule, schoolName: try row.decode(column: "school_name", as: String?.self) ?? "School \(urn)",
                                               urn: urn, upn: try row.decode(column: "upn", as: String.self),
                                               figure: try row.decode(column: "figure", as: Double.self))
                if let i = byPerson[person] {
                    proposals[i].fired.append(fired)
                } else {
                    byPerson[person] = proposals.count
                    proposals.append(RuleProposal(
                        personID: person,
                        childName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                        dateOfBirth: try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init), fired: [fired]))
                }
            }
        }
        return (rules, proposals)
    }

    /// The children a social care rule names (not on the list, in scope), with the record.
    func socialCareFired(_ rule: ProposalRule, scope: SQLQueryString, limit: Int) async throws -> [(UUID, String, CivilDate?, RuleProposal.Fired)] {
        let records: SQLQueryString
        let what: String
        switch rule.measure {
        case .onProtectionPlan:
            records = "SELECT person_id, 1.0 AS figure, MIN(start_date) AS since FROM protection_plans WHERE end_date IS NULL AND person_id IS NOT NULL GROUP BY person_id"
            what = "the CIN census: a plan since"
        case .lookedAfter:
            records = "SELECT person_id, 1.0 AS figure, MIN(start_date) AS since FROM care_episodes WHERE end_date IS NULL AND person_id IS NOT NULL GROUP BY person_id"
            what = "the SSDA903 return: in the current placement since"
        case .missingEpisodes:
            records = """
                SELECT person_id, 1.0 * COUNT(*) AS figure, MAX(start_date) AS since FROM missing_episodes                 WHERE person_id IS NOT NULL AND start_date >= \(bind: directory.today.adding(months: -6).description) GROUP BY person_id
                """
            what = "the SSDA903 return: the latest from"
        default:
            return []
        }
        let condition: SQLQueryString = rule.comparison == .below ? "x.figure < \(bind: rule.value)" : "x.figure >= \(bind: rule.value)"
        return try await sql.raw("""
            SELECT x.person_id, x.figure, x.since, p.given_name, p.family_name, p.date_of_birth FROM (\(records)) x JOIN people p ON p.id = x.person_id             WHERE \(ChildDirectory.childKinds) AND \(scope) AND \(condition)             AND NOT EXISTS (SELECT 1 FROM list_entries e WHERE e.person_id = x.person_id AND e.status IN ('proposed', 'agreed'))             ORDER BY x.since, p.family_name, p.given_name LIMIT \(unsafeRaw: String(limit))
            """).all().map { row in
            let figure = try row.decode(column: "figure", as: Double.self)
            let since = try row.decode(column: "since", as: String.self)
            return (try row.decode(column: "person_id", as: UUID.self),
                    "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                    try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init),
                    RuleProposal.Fired(rule: rule, schoolName: "\(what) \(since)", urn: nil, upn: nil, figure: figure))
        }
    }

    /// The SQL figure of a measure on a pupil record `ap`, and whether it reads only pupils
    /// still on their school's marks.
    static func figure(_ measure: ProposalRule.Measure) -> (SQLQueryString, Bool) {
        switch measure {
        case .termAttendancePercent:
            return ("CASE WHEN ap.term_possible >= 10 THEN 100.0 * ap.term_present / ap.term_possible END", true)
        case .recentAttendancePercent:
            return ("CASE WHEN ap.recent_possible >= 10 THEN 100.0 * ap.recent_present / ap.recent_possible END", true)
        case .consecutiveUnexplainedSessions: return ("1.0 * ap.consecutive_unexplained", true)
        case .unexplainedSessionsThisTerm: return ("1.0 * ap.unexplained_term", true)
        case .consecutiveAbsentSessions: return ("1.0 * ap.consecutive_absent", true)
        case .notBackAfterHoliday: return ("CASE WHEN ap.not_back THEN 1.0 ELSE 0.0 END", true)
        case .onProtectionPlan, .lookedAfter, .missingEpisodes:
            return ("NULL", false)
        case .schoolDaysOffRoll:
            return ("""
                CASE WHEN EXISTS (SELECT 1 FROM attendance_pupils o WHERE o.person_id = ap.person_id AND o.number <> ap.number \
                AND o.latest_date > ap.latest_date) THEN 0.0 ELSE 1.0 * (SELECT COUNT(*) FROM attendance_school_days d \
                WHERE d.school_urn = ap.school_urn AND d.date > ap.latest_date) END
                """, false)
        }
    }
}
