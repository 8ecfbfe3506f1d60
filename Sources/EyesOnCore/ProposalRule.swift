/// Rules propose, people decide: a rule over the data names children who are not on the agreed
/// list but perhaps should be. A rule only suggests; a practitioner reads which records made it
/// fire and proposes the child (or not) through the usual agreement.
///
/// Rules are data (the partnership setting `proposal-rules`, a JSON array), so a partnership adds
/// or tunes them without a new release.
public struct ProposalRule: Codable, Sendable, Equatable, Identifiable {
    /// What a rule measures on each pupil record matched to a child.
    public enum Measure: String, Codable, Sendable, CaseIterable {
        /// Attendance this term, per cent of possible sessions (records with at least 10).
        case termAttendancePercent = "term-attendance-percent"
        /// Attendance over the last four weeks, per cent (records with at least 10 possible).
        case recentAttendancePercent = "recent-attendance-percent"
        /// Unexplained absent sessions (N, O, U) in a row, up to the latest mark.
        case consecutiveUnexplainedSessions = "consecutive-unexplained-sessions"
        /// Unexplained absent sessions this term.
        case unexplainedSessionsThisTerm = "unexplained-sessions-this-term"
        /// Absent sessions in a row, up to the latest mark.
        case consecutiveAbsentSessions = "consecutive-absent-sessions"
        /// 1 when absent in every session since the first day back after the last holiday.
        case notBackAfterHoliday = "not-back-after-holiday"
        /// School days the school has sent marks for since the pupil's last mark, when no later
        /// school has marks for the child: left the roll with no known destination.
        case schoolDaysOffRoll = "school-days-off-roll-no-destination"
        /// 1 when the child is on a child protection plan (an open plan in the CIN census).
        case onProtectionPlan = "on-child-protection-plan"
        /// 1 when the child is looked after (an open period of care in the SSDA903 return).
        case lookedAfter = "looked-after"
        /// Missing or away-from-placement episodes that started in the last 6 months (SSDA903).
        case missingEpisodes = "missing-episodes-6-months"

        /// Measured on each pupil record (attendance); the others on the child's social care records.
        public var isAttendance: Bool { ![.onProtectionPlan, .lookedAfter, .missingEpisodes].contains(self) }

        public var title: String {
            switch self {
            case .termAttendancePercent: "attendance this term (%)"
            case .recentAttendancePercent: "attendance over the last 4 weeks (%)"
            case .consecutiveUnexplainedSessions: "unexplained absent sessions in a row"
            case .unexplainedSessionsThisTerm: "unexplained absent sessions this term"
            case .consecutiveAbsentSessions: "absent sessions in a row"
            case .notBackAfterHoliday: "not back after the holiday"
            case .schoolDaysOffRoll: "school days missing from the school's marks, no later school"
            case .onProtectionPlan: "on a child protection plan"
            case .lookedAfter: "looked after"
            case .missingEpisodes: "missing or away from placement in the last 6 months (episodes)"
            }
        }
    }

    public enum Comparison: String, Codable, Sendable, CaseIterable {
        case below
        case atLeast = "at-least"
        public var symbol: String { self == .below ? "<" : "≥" }
    }

    /// A short stable key, e.g. `severe-absence`.
    public var id: String
    /// What the rule finds, in words.
    public var title: String
    public var measure: Measure
    public var comparison: Comparison
    public var value: Double
    /// The reason a proposal would most likely carry (the proposer chooses).
    public var suggestedReason: ListReason

    public init(id: String, title: String, measure: Measure, comparison: Comparison, value: Double, suggestedReason: ListReason) {
        self.id = id
        self.title = title
        self.measure = measure
        self.comparison = comparison
        self.value = value
        self.suggestedReason = suggestedReason
    }

    /// Whether a measured figure makes the rule fire.
    public func fires(on figure: Double) -> Bool {
        comparison == .below ? figure < value : figure >= value
    }

    /// "attendance this term (%) < 50"
    public var conditionText: String {
        let number = value == value.rounded() ? String(Int(value)) : String(value)
        return [.notBackAfterHoliday, .onProtectionPlan, .lookedAfter].contains(measure) ? measure.title : "\(measure.title) \(comparison.symbol) \(number)"
    }

    /// Severe absence; 10 school days off a school's roll with nowhere known (the children
    /// missing education threshold of statutory guidance); 3 school days of unexplained absence
    /// in a row; not back after the holiday; on a child protection plan, looked after, or missing
    /// from care, and not on the list (the list should hold them all).
    public static let defaults: [ProposalRule] = [
        ProposalRule(id: "severe-absence", title: "Severe absence this term (under 50%)", measure: .termAttendancePercent,
                     comparison: .below, value: 50, suggestedReason: .other),
        ProposalRule(id: "off-roll-no-destination", title: "Left the roll with no known destination (10 school days)",
                     measure: .schoolDaysOffRoll, comparison: .atLeast, value: 10, suggestedReason: .other),
        ProposalRule(id: "unexplained-absence", title: "Three school days of unexplained absence in a row", measure: .consecutiveUnexplainedSessions,
                     comparison: .atLeast, value: 6, suggestedReason: .other),
        ProposalRule(id: "not-back", title: "Not back after the holiday", measure: .notBackAfterHoliday,
                     comparison: .atLeast, value: 1, suggestedReason: .other),
        ProposalRule(id: "cp-plan", title: "On a child protection plan and not on the list", measure: .onProtectionPlan,
                     comparison: .atLeast, value: 1, suggestedReason: .childProtectionPlan),
        ProposalRule(id: "looked-after", title: "Looked after and not on the list", measure: .lookedAfter,
                     comparison: .atLeast, value: 1, suggestedReason: .lookedAfter),
        ProposalRule(id: "missing-from-care", title: "Missing from care in the last 6 months", measure: .missingEpisodes,
                     comparison: .atLeast, value: 1, suggestedReason: .missingEpisodes),
    ]

    /// Rejects a rule set that could not run or would be ambiguous.
    public static func validate(_ rules: [ProposalRule]) throws(CodeError) {
        var ids: Set<String> = []
        for rule in rules {
            guard !rule.id.isEmpty, rule.id.count <= 40, rule.id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw CodeError(list: "proposal rules", code: rule.id, reason: "an id is 1 to 40 letters, digits or hyphens")
            }
            guard ids.insert(rule.id).inserted else { throw CodeError(list: "proposal rules", code: rule.id, reason: "two rules have this id") }
            guard rule.title.contains(where: { !$0.isWhitespace }), rule.title.count <= 200 else {
                throw CodeError(list: "proposal rules", code: rule.id, reason: "the title must be 1 to 200 characters")
            }
            guard rule.value.isFinite, rule.value >= 0, rule.value <= 10_000 else {
                throw CodeError(list: "proposal rules", code: rule.id, reason: "the value must be a number from 0 to 10000")
            }
        }
        guard rules.count <= 50 else { throw CodeError(list: "proposal rules", code: "\(rules.count) rules", reason: "at most 50 rules") }
    }
}
