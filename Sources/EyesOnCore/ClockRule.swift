/// The events statutory clocks start from and stop at. A clock is a ``ClockRule`` over these
/// kinds; the store turns the feeds' and the hand-recorded records into events of these kinds, so
/// a new clock over them is a new rule (a setting), not new code.
public enum ClockEventKind: String, CaseIterable, Codable, Sendable {
    // The front door (the referrals feed) and the CIN census.
    case referralReceived = "referral-received"
    case referralDecided = "referral-decided"
    case cinReferral = "cin-referral"
    case assessmentAuthorised = "assessment-authorised"
    // Child protection (the CIN census, or conferences recorded in EyesOn).
    case strategyDiscussion = "strategy-discussion"
    case section47Started = "section-47-started"
    case initialConference = "initial-conference"
    case protectionPlanStarted = "protection-plan-started"
    case reviewConference = "review-conference"
    case coreGroup = "core-group"
    case protectionPlanEnded = "protection-plan-ended"
    // Children looked after (SSDA903, or visits recorded in EyesOn).
    case lookedAfterStarted = "looked-after-started"
    case firstLookedAfterReview = "first-looked-after-review"
    case lookedAfterReview = "looked-after-review"
    case lookedAfterEnded = "looked-after-ended"
    case placementStarted = "placement-started"
    case placementVisit = "placement-visit"
    case longTermPlacementVisit = "long-term-placement-visit"
    case placementEnded = "placement-ended"
    // Serious incidents (recorded in EyesOn).
    case incidentAware = "incident-aware"
    case panelNotified = "panel-notified"
    case partnersInformed = "partners-informed"
    case rapidReviewDone = "rapid-review-done"
    case practiceReviewDecided = "practice-review-decided"
    case practiceReviewToBeHeld = "practice-review-to-be-held"
    case practiceReviewPublished = "practice-review-published"
    case incidentClosed = "incident-closed"

    /// What the event is, in words.
    public var title: String {
        switch self {
        case .referralReceived: "a referral is received (front-door referrals feed)"
        case .referralDecided: "the decision on a referral (front-door referrals feed)"
        case .cinReferral: "a referral (CIN census)"
        case .assessmentAuthorised: "an assessment is authorised (CIN census)"
        case .strategyDiscussion: "a strategy discussion (recorded in EyesOn)"
        case .section47Started: "a section 47 enquiry that needs a conference starts (CIN census)"
        case .initialConference: "an initial child protection conference"
        case .protectionPlanStarted: "a child protection plan starts"
        case .reviewConference: "a child protection review conference"
        case .coreGroup: "a core group meeting (recorded in EyesOn)"
        case .protectionPlanEnded: "a child protection plan ends"
        case .lookedAfterStarted: "the child starts to be looked after (SSDA903)"
        case .firstLookedAfterReview: "the first review of a period of care (SSDA903)"
        case .lookedAfterReview: "a later looked-after review (SSDA903)"
        case .lookedAfterEnded: "the period of care ends (SSDA903)"
        case .placementStarted: "a placement starts (SSDA903)"
        case .placementVisit: "a statutory visit to the child in placement (recorded in EyesOn)"
        case .longTermPlacementVisit: "a statutory visit in a long-term placement after its first year (recorded in EyesOn)"
        case .placementEnded: "the placement ends (SSDA903)"
        case .incidentAware: "the local authority becomes aware of a serious incident"
        case .panelNotified: "the Child Safeguarding Practice Review Panel is notified"
        case .partnersInformed: "the safeguarding partners are told"
        case .rapidReviewDone: "the rapid review is done"
        case .practiceReviewDecided: "the decision on a local child safeguarding practice review"
        case .practiceReviewToBeHeld: "the decision to hold a local child safeguarding practice review"
        case .practiceReviewPublished: "the local practice review is published"
        case .incidentClosed: "the serious incident is closed"
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let kind = ClockEventKind(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not an event EyesOn knows (known: \(Self.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        self = kind
    }
}

/// One dated event of one subject (a referral, a child, a placement, an incident), from which
/// clocks start and at which they stop.
public struct ClockEvent: Sendable, Equatable {
    public let subject: String
    public let kind: ClockEventKind
    public let date: CivilDate
    /// Recorded by hand in EyesOn (not read from a feed).
    public let recordedInEyesOn: Bool

    public init(subject: String, kind: ClockEventKind, date: CivilDate, recordedInEyesOn: Bool = false) {
        self.subject = subject
        self.kind = kind
        self.date = date
        self.recordedInEyesOn = recordedInEyesOn
    }
}

/// A statutory clock as data: it starts at each event of an anchor kind, is met by the first
/// event of a stop kind on or after the anchor (of the same subject), and falls away when an event
/// of an end kind comes first. Working days count from the anchor as day 0; calendar months clamp
/// to the end of a shorter month; a due date at a weekend is not moved unless `weekend` says so.
public struct ClockRule: Codable, Sendable, Equatable, Identifiable {
    /// What to do with a due date that falls on a Saturday or Sunday.
    public enum WeekendRule: String, Codable, Sendable, CaseIterable {
        case notMoved = "not-moved"
        case nextWorkingDay = "next-working-day"
        case previousWorkingDay = "previous-working-day"
    }

    public var key: String
    public var title: String
    public var anchor: [ClockEventKind]
    public var stops: [ClockEventKind]
    public var ends: [ClockEventKind]
    public var period: Timescale.Period
    public var weekend: WeekendRule
    /// Only anchors recorded in EyesOn start the clock (a feed that cannot record the stop event,
    /// such as the CIN census for core groups, would otherwise make every clock overdue).
    public var anchorsRecordedInEyesOnOnly: Bool
    /// The anchor in words, e.g. "the strategy discussion".
    public var from: String
    /// Where the timescale comes from.
    public var source: String

    public var id: String { key }

    public init(key: String, title: String, anchor: [ClockEventKind], stops: [ClockEventKind], ends: [ClockEventKind] = [],
                period: Timescale.Period, weekend: WeekendRule = .notMoved, anchorsRecordedInEyesOnOnly: Bool = false,
                from: String, source: String) {
        self.key = key
        self.title = title
        self.anchor = anchor
        self.stops = stops
        self.ends = ends
        self.period = period
        self.weekend = weekend
        self.anchorsRecordedInEyesOnOnly = anchorsRecordedInEyesOnOnly
        self.from = from
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case key, title, anchor, stops, ends, period, weekend, anchorsRecordedInEyesOnOnly, from, source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        title = try c.decode(String.self, forKey: .title)
        anchor = try c.decode([ClockEventKind].self, forKey: .anchor)
        stops = try c.decode([ClockEventKind].self, forKey: .stops)
        ends = try c.decodeIfPresent([ClockEventKind].self, forKey: .ends) ?? []
        period = try c.decode(Timescale.Period.self, forKey: .period)
        weekend = try c.decodeIfPresent(WeekendRule.self, forKey: .weekend) ?? .notMoved
        anchorsRecordedInEyesOnOnly = try c.decodeIfPresent(Bool.self, forKey: .anchorsRecordedInEyesOnOnly) ?? false
        from = try c.decode(String.self, forKey: .from)
        source = try c.decode(String.self, forKey: .source)
    }

    /// The due date for a clock started on `anchor`.
    /// - Throws: ``CalendarError/Kind-swift.enum/beyondCoverage`` when the count (or moving the
    ///   date off a weekend) passes a date whose bank holidays are unknown.
    public func due(from anchor: CivilDate, calendar: WorkingDayCalendar = WorkingDayCalendar()) throws(CalendarError) -> CivilDate {
        let due: CivilDate = switch period {
        case .workingDays(let n): try calendar.adding(workingDays: n, to: anchor)
        case .calendarMonths(let n): anchor.adding(months: n)
        case .weeks(let n): anchor.adding(days: 7 * n)
        case .days(let n): anchor.adding(days: n)
        }
        guard due.isWeekend else { return due }
        switch weekend {
        case .notMoved: return due
        case .nextWorkingDay: return try calendar.nextWorkingDay(after: due)
        case .previousWorkingDay: return try calendar.previousWorkingDay(before: due)
        }
    }

    /// The built-in rules: one per ``Timescale``.
    public static var defaults: [ClockRule] { Timescale.allCases.map(\.defaultRule) }

    /// The rules in force: `overrides` replace the defaults with the same key, in place; rules
    /// with a new key are added after them.
    public static func merged(_ overrides: [ClockRule]) -> [ClockRule] {
        var rules = defaults
        for rule in overrides {
            if let i = rules.firstIndex(where: { $0.key == rule.key }) { rules[i] = rule } else { rules.append(rule) }
        }
        return rules
    }

    /// Checks a partnership's rules; the error names the rule and what is wrong.
    public static func validate(_ rules: [ClockRule]) throws(ClockRuleError) {
        var seen: Set<String> = []
        for rule in rules {
            let name = rule.key.isEmpty ? "a rule" : "rule '\(rule.key)'"
            guard !rule.key.isEmpty, rule.key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw ClockRuleError(message: "\(name): key must be letters, digits and hyphens")
            }
            guard seen.insert(rule.key).inserted else { throw ClockRuleError(message: "\(name) is given twice") }
            guard !rule.title.trimmingCharacters(in: .whitespaces).isEmpty else { throw ClockRuleError(message: "\(name): title is empty") }
            guard !rule.anchor.isEmpty else { throw ClockRuleError(message: "\(name): anchor names no event") }
            guard !rule.stops.isEmpty else { throw ClockRuleError(message: "\(name): stops names no event") }
            guard rule.period.count > 0, rule.period.count <= 1000 else {
                throw ClockRuleError(message: "\(name): period must be more than 0 and at most 1000")
            }
            guard !rule.source.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ClockRuleError(message: "\(name): source is empty (say where the timescale comes from, e.g. local procedures)")
            }
        }
    }
}

/// A partnership's clock rules could not be accepted.
public struct ClockRuleError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// One run of a clock: its anchor, due date and what became of it.
public struct ClockLine: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// Done by the due date.
        case onTime = "on-time"
        /// Done after the due date.
        case late
        /// Not done, and not yet due.
        case open
        /// Not done, and past the due date.
        case overdue
        /// Never done: what it belonged to ended after it was due.
        case missed

        public var title: String {
            switch self {
            case .onTime: "On time"
            case .late: "Late"
            case .open: "Open"
            case .overdue: "Overdue"
            case .missed: "Missed"
            }
        }
    }

    public let rule: String
    public let subject: String
    public let started: CivilDate
    /// Nil when the working-day calendar does not reach the due date (import newer bank holidays).
    public let due: CivilDate?
    public let done: CivilDate?
    public let state: State?
}

/// The one clock engine: every statutory clock is a ``ClockRule`` evaluated here over events.
public enum ClockEngine {
    /// Every run of every rule over `events` (any order), as of `today`. The same event twice (the
    /// same subject, kind and date, say from a feed and by hand) counts once. A clock that falls
    /// away before it is due (the plan or placement ended) is left out.
    public static func evaluate(_ rules: [ClockRule], events: [ClockEvent], today: CivilDate,
                                calendar: WorkingDayCalendar = WorkingDayCalendar()) -> [ClockLine] {
        var bySubject: [String: [ClockEvent]] = [:]
        for event in events { bySubject[event.subject, default: []].append(event) }
        // Many anchors share a day: the calendar is stepped once per (rule, day). Keys are numbers, not strings.
        var dues: [Int: CivilDate?] = [:]
        let kindNumber = Dictionary(uniqueKeysWithValues: ClockEventKind.allCases.enumerated().map { ($1, $0) })
        func key(_ n: Int, _ date: CivilDate) -> Int { n &* 100_000_000 &+ date.daysSince1970 }
        var lines: [ClockLine] = []
        for (subject, unsorted) in bySubject {
            var timeline: [ClockEvent] = []
            var seen: Set<Int> = []
            // By date; the same event by hand and from a feed is kept as recorded by hand.
            for event in unsorted.sorted(by: { ($0.date, $0.recordedInEyesOn ? 0 : 1) < ($1.date, $1.recordedInEyesOn ? 0 : 1) }) where seen.insert(key(kindNumber[event.kind]!, event.date)).inserted {
                timeline.append(event)
            }
            for (r, rule) in rules.enumerated() {
                for (i, anchor) in timeline.enumerated() where rule.anchor.contains(anchor.kind) {
                    if rule.anchorsRecordedInEyesOnOnly && !anchor.recordedInEyesOn { continue }
                    // The first stop and the first end on or after the anchor, the anchor itself excepted.
                    var stop: CivilDate?
                    var end: CivilDate?
                    for (j, later) in timeline.enumerated() where j != i && later.date >= anchor.date {
                        if stop == nil, rule.stops.contains(later.kind) { stop = later.date }
                        if end == nil, rule.ends.contains(later.kind) { end = later.date }
                        if stop != nil && end != nil { break }
                    }
                    let due: CivilDate?
                    if let known = dues[key(r, anchor.date)] { due = known } else {
                        due = try? rule.due(from: anchor.date, calendar: calendar)
                        dues[key(r, anchor.date)] = due
                    }
                    if let end, stop == nil || end < stop! {
                        guard let due, end > due else { continue }     // fell away before it was due
                        lines.append(ClockLine(rule: rule.key, subject: subject, started: anchor.date, due: due, done: nil, state: .missed))
                        continue
                    }
                    let state: ClockLine.State? = due.map { due in
                        if let stop { return stop <= due ? .onTime : .late }
                        return today > due ? .overdue : .open
                    }
                    lines.append(ClockLine(rule: rule.key, subject: subject, started: anchor.date, due: due, done: stop, state: state))
                }
            }
        }
        return lines
    }
}
