/// The statutory and guidance timescales of children's social care and safeguarding reviews
/// (STANDARDS §5.1), and their due dates: the built-in clocks. Each is the default of a
/// ``ClockRule`` (``defaultRule``), which a partnership may change in its settings.
///
/// Working days are counted from the anchor, which is day 0 (STANDARDS §5.2). Months are calendar
/// months, clamped to the end of a shorter month (see ``CivilDate/adding(months:)``). A due date
/// falling at a weekend is **not** moved: the guidance does not move it.
/// ```swift
/// try Timescale.initialConference.due(from: strategyDiscussion)   // 15 working days later
/// ```
public enum Timescale: String, CaseIterable, Codable, Sendable {
    /// Decide the response to a referral and acknowledge the referrer: 1 working day from receipt.
    case referralDecision = "referral-decision"
    /// Child and family (s17) assessment: at most 45 working days from referral.
    case assessment
    /// Initial child protection conference: within 15 working days of the strategy discussion.
    case initialConference = "initial-conference"
    /// First core group meeting: within 10 working days of the initial conference (local procedures).
    case coreGroupFirstMeeting = "core-group-first-meeting"
    /// First child protection review conference: within 3 months of the initial conference.
    case firstReviewConference = "first-review-conference"
    /// Further review conferences: at most 6 months after the previous one.
    case laterReviewConference = "later-review-conference"
    /// First looked-after review: within 20 working days of becoming looked after.
    case firstLookedAfterReview = "first-looked-after-review"
    /// Second looked-after review: within 3 months of the first.
    case secondLookedAfterReview = "second-looked-after-review"
    /// Later looked-after reviews: at most 6 months after the previous one.
    case laterLookedAfterReview = "later-looked-after-review"
    /// First statutory visit to a looked-after child: within 1 week of a placement starting.
    case firstPlacementVisit = "first-placement-visit"
    /// Later statutory visits: at most 6 weeks apart (the first year of a placement, and any
    /// placement not agreed as long-term).
    case laterPlacementVisit = "later-placement-visit"
    /// Visits in a placement agreed as long-term, after its first year: at most 3 months apart.
    case longTermPlacementVisit = "long-term-placement-visit"
    /// Serious incident notification to the Child Safeguarding Practice Review Panel:
    /// within 5 working days of the local authority becoming aware.
    case seriousIncidentNotification = "serious-incident-notification"
    /// Tell the safeguarding partners: within 5 working days of becoming aware.
    case partnersInformed = "partners-informed"
    /// Rapid review: within 15 working days of becoming aware of the incident.
    case rapidReview = "rapid-review"
    /// The decision whether to hold a local child safeguarding practice review, made at the rapid
    /// review: within 15 working days of becoming aware.
    case practiceReviewDecision = "practice-review-decision"
    /// Local child safeguarding practice review: publish within 6 months of deciding to hold one.
    case practiceReviewPublication = "practice-review-publication"

    /// A length of time; in JSON, its description ("15 working days", "3 months", "6 weeks", "7 days").
    public enum Period: Hashable, Sendable, CustomStringConvertible, Codable {
        case workingDays(Int)
        case calendarMonths(Int)
        case weeks(Int)
        case days(Int)

        /// "15 working days", "3 months", "6 weeks", "7 days".
        public var description: String {
            switch self {
            case .workingDays(let n): n == 1 ? "1 working day" : "\(n) working days"
            case .calendarMonths(let n): n == 1 ? "1 month" : "\(n) months"
            case .weeks(let n): n == 1 ? "1 week" : "\(n) weeks"
            case .days(let n): n == 1 ? "1 day" : "\(n) days"
            }
        }

        /// How many units.
        public var count: Int {
            switch self {
            case .workingDays(let n), .calendarMonths(let n), .weeks(let n), .days(let n): n
            }
        }

        /// Reads "15 working days", "3 months", "1 week", "7 days"; nil for anything else.
        public init?(parsing text: String) {
            let words = text.lowercased().split(separator: " ")
            guard words.count >= 2, let n = Int(words[0]) else { return nil }
            switch words.dropFirst().joined(separator: " ") {
            case "working day", "working days": self = .workingDays(n)
            case "month", "months", "calendar month", "calendar months": self = .calendarMonths(n)
            case "week", "weeks": self = .weeks(n)
            case "day", "days": self = .days(n)
            default: return nil
            }
        }

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let period = Period(parsing: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                    debugDescription: "'\(text)' is not a period like \"15 working days\", \"3 months\", \"6 weeks\" or \"7 days\""))
            }
            self = period
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(description)
        }
    }

    /// How long there is.
    public var period: Period {
        switch self {
        case .referralDecision: .workingDays(1)
        case .assessment: .workingDays(45)
        case .initialConference: .workingDays(15)
        case .coreGroupFirstMeeting: .workingDays(10)
        case .firstReviewConference: .calendarMonths(3)
        case .laterReviewConference: .calendarMonths(6)
        case .firstLookedAfterReview: .workingDays(20)
        case .secondLookedAfterReview: .calendarMonths(3)
        case .laterLookedAfterReview: .calendarMonths(6)
        case .firstPlacementVisit: .weeks(1)
        case .laterPlacementVisit: .weeks(6)
        case .longTermPlacementVisit: .calendarMonths(3)
        case .seriousIncidentNotification, .partnersInformed: .workingDays(5)
        case .rapidReview, .practiceReviewDecision: .workingDays(15)
        case .practiceReviewPublication: .calendarMonths(6)
        }
    }

    /// What is due, e.g. "Initial child protection conference".
    public var title: String {
        switch self {
        case .referralDecision: "Decision on a referral"
        case .assessment: "Child and family assessment"
        case .initialConference: "Initial child protection conference"
        case .coreGroupFirstMeeting: "First core group meeting"
        case .firstReviewConference: "First child protection review conference"
        case .laterReviewConference: "Child protection review conference"
        case .firstLookedAfterReview: "First looked-after review"
        case .secondLookedAfterReview: "Second looked-after review"
        case .laterLookedAfterReview: "Looked-after review"
        case .firstPlacementVisit: "First visit after a placement starts"
        case .laterPlacementVisit: "Statutory visit"
        case .longTermPlacementVisit: "Statutory visit in a long-term placement"
        case .seriousIncidentNotification: "Notify the Child Safeguarding Practice Review Panel"
        case .partnersInformed: "Tell the safeguarding partners"
        case .rapidReview: "Rapid review"
        case .practiceReviewDecision: "Decide whether to hold a local child safeguarding practice review"
        case .practiceReviewPublication: "Publication of a local child safeguarding practice review"
        }
    }

    /// The event the clock starts from, e.g. "the strategy discussion".
    public var anchor: String {
        switch self {
        case .referralDecision: "receipt of the referral"
        case .assessment: "the date of referral"
        case .initialConference: "the strategy discussion (the last one, if there were several)"
        case .coreGroupFirstMeeting: "the initial child protection conference that made the plan"
        case .firstReviewConference: "the initial child protection conference"
        case .laterReviewConference: "the previous review conference"
        case .firstLookedAfterReview: "the day the child became looked after"
        case .secondLookedAfterReview: "the first looked-after review"
        case .laterLookedAfterReview: "the previous looked-after review"
        case .firstPlacementVisit: "the start of the placement"
        case .laterPlacementVisit, .longTermPlacementVisit: "the previous visit"
        case .seriousIncidentNotification, .partnersInformed, .rapidReview, .practiceReviewDecision:
            "the local authority becoming aware of the incident"
        case .practiceReviewPublication: "the decision to hold the review"
        }
    }

    /// Where the timescale comes from.
    public var source: String {
        switch self {
        case .referralDecision, .assessment, .initialConference, .firstReviewConference, .laterReviewConference:
            "Working Together to Safeguard Children 2023"
        case .coreGroupFirstMeeting: "local child protection procedures"
        case .firstLookedAfterReview, .secondLookedAfterReview, .laterLookedAfterReview:
            "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 33"
        case .firstPlacementVisit, .laterPlacementVisit, .longTermPlacementVisit:
            "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 28"
        case .seriousIncidentNotification, .partnersInformed, .rapidReview, .practiceReviewDecision, .practiceReviewPublication:
            "Working Together to Safeguard Children 2023, chapter 5, and the Child Safeguarding Practice Review Panel's guidance"
        }
    }

    /// The built-in rule: which events start, stop and end this clock.
    public var defaultRule: ClockRule {
        typealias E = ClockEventKind
        let (anchor, stops, ends): ([E], [E], [E]) = switch self {
        case .referralDecision: ([.referralReceived], [.referralDecided], [])
        case .assessment: ([.cinReferral], [.assessmentAuthorised], [])
        case .initialConference: ([.strategyDiscussion, .section47Started], [.initialConference], [])
        case .coreGroupFirstMeeting: ([.protectionPlanStarted], [.coreGroup], [.protectionPlanEnded])
        case .firstReviewConference: ([.protectionPlanStarted], [.reviewConference], [.protectionPlanEnded])
        case .laterReviewConference: ([.reviewConference], [.reviewConference], [.protectionPlanEnded])
        case .firstLookedAfterReview: ([.lookedAfterStarted], [.firstLookedAfterReview, .lookedAfterReview], [.lookedAfterEnded])
        case .secondLookedAfterReview: ([.firstLookedAfterReview], [.lookedAfterReview], [.lookedAfterEnded])
        case .laterLookedAfterReview: ([.lookedAfterReview], [.lookedAfterReview], [.lookedAfterEnded])
        case .firstPlacementVisit: ([.placementStarted], [.placementVisit, .longTermPlacementVisit], [.placementEnded])
        case .laterPlacementVisit: ([.placementVisit], [.placementVisit, .longTermPlacementVisit], [.placementEnded])
        case .longTermPlacementVisit: ([.longTermPlacementVisit], [.placementVisit, .longTermPlacementVisit], [.placementEnded])
        case .seriousIncidentNotification: ([.incidentAware], [.panelNotified], [.incidentClosed])
        case .partnersInformed: ([.incidentAware], [.partnersInformed], [.incidentClosed])
        case .rapidReview: ([.incidentAware], [.rapidReviewDone], [.incidentClosed])
        case .practiceReviewDecision: ([.incidentAware], [.practiceReviewDecided], [.incidentClosed])
        case .practiceReviewPublication: ([.practiceReviewToBeHeld], [.practiceReviewPublished], [.incidentClosed])
        }
        return ClockRule(key: rawValue, title: title, anchor: anchor, stops: stops, ends: ends, period: period,
                         anchorsRecordedInEyesOnOnly: self == .coreGroupFirstMeeting, from: self.anchor, source: source)
    }

    /// The due date for a clock started on `anchor`.
    /// - Throws: ``CalendarError/Kind-swift.enum/beyondCoverage`` when working days would pass
    ///   a date whose bank holidays are unknown.
    public func due(from anchor: CivilDate, calendar: WorkingDayCalendar = WorkingDayCalendar()) throws(CalendarError) -> CivilDate {
        try defaultRule.due(from: anchor, calendar: calendar)
    }
}
