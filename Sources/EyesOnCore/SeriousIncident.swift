/// A serious child safeguarding incident, as the notification to the Child Safeguarding Practice
/// Review Panel describes it (Working Together 2023, chapter 5; STANDARDS §5.1).
public enum SeriousIncident {
    /// What happened to the child.
    public enum Harm: String, CaseIterable, Codable, Sendable {
        case death
        case seriousHarm = "serious-harm"

        public var title: String {
            switch self {
            case .death: "The child died"
            case .seriousHarm: "The child was seriously harmed"
            }
        }
    }

    /// Whether abuse or neglect is known or suspected (one of the notification criteria).
    public enum Abuse: String, CaseIterable, Codable, Sendable {
        case known
        case suspected

        public var title: String {
            switch self {
            case .known: "Abuse or neglect is known"
            case .suspected: "Abuse or neglect is suspected"
            }
        }
    }

    /// Contributing factors, after the Panel's notification form; `other` needs words.
    public enum Factor: String, CaseIterable, Codable, Sendable {
        case domesticAbuse = "domestic-abuse"
        case parentalMentalHealth = "parental-mental-health"
        case parentalSubstanceMisuse = "parental-substance-misuse"
        case neglect
        case physicalAbuse = "physical-abuse"
        case sexualAbuse = "sexual-abuse"
        case criminalExploitation = "criminal-exploitation"
        case sexualExploitation = "sexual-exploitation"
        case extraFamilialHarm = "extra-familial-harm"
        case onlineHarm = "online-harm"
        case suicideOrSelfHarm = "suicide-or-self-harm"
        case unsafeSleep = "unsafe-sleep"
        case other

        public var title: String {
            switch self {
            case .domesticAbuse: "Domestic abuse"
            case .parentalMentalHealth: "Parental mental ill health"
            case .parentalSubstanceMisuse: "Parental alcohol or drug misuse"
            case .neglect: "Neglect"
            case .physicalAbuse: "Physical abuse (including non-accidental injury)"
            case .sexualAbuse: "Sexual abuse"
            case .criminalExploitation: "Child criminal exploitation"
            case .sexualExploitation: "Child sexual exploitation"
            case .extraFamilialHarm: "Extra-familial harm (including serious youth violence)"
            case .onlineHarm: "Online harm"
            case .suicideOrSelfHarm: "Suicide or self-harm"
            case .unsafeSleep: "Sudden unexpected death in infancy or unsafe sleep"
            case .other: "Other (say what)"
            }
        }
    }

    /// The steps after the notification, in order. Each is recorded once, with who and when.
    public enum Step: String, CaseIterable, Codable, Sendable {
        case panelNotified = "panel-notified"
        case partnersInformed = "partners-informed"
        case rapidReview = "rapid-review"
        case practiceReviewDecision = "practice-review-decision"
        case published
        case closed

        public var title: String {
            switch self {
            case .panelNotified: "Child Safeguarding Practice Review Panel notified"
            case .partnersInformed: "Safeguarding partners told"
            case .rapidReview: "Rapid review done"
            case .practiceReviewDecision: "Decision on a local child safeguarding practice review"
            case .published: "Local child safeguarding practice review published"
            case .closed: "Closed"
            }
        }

        /// The clock event the step is.
        public var event: ClockEventKind {
            switch self {
            case .panelNotified: .panelNotified
            case .partnersInformed: .partnersInformed
            case .rapidReview: .rapidReviewDone
            case .practiceReviewDecision: .practiceReviewDecided
            case .published: .practiceReviewPublished
            case .closed: .incidentClosed
            }
        }
    }
}

/// A child protection meeting recorded by hand (Working Together 2023, chapter 4): the strategy
/// discussion, the initial and review conferences, core group meetings. Unborn children too.
public enum ProtectionMeeting: String, CaseIterable, Codable, Sendable {
    case strategyDiscussion = "strategy-discussion"
    case initial
    case review
    case coreGroup = "core-group"

    public var title: String {
        switch self {
        case .strategyDiscussion: "Strategy discussion"
        case .initial: "Initial child protection conference"
        case .review: "Child protection review conference"
        case .coreGroup: "Core group meeting"
        }
    }

    /// What a meeting decided: a conference's outcome for the plan.
    public enum Outcome: String, CaseIterable, Codable, Sendable {
        case plan
        case noPlan = "no-plan"
        case planContinues = "plan-continues"
        case planEnds = "plan-ends"

        public var title: String {
            switch self {
            case .plan: "A child protection plan"
            case .noPlan: "No child protection plan"
            case .planContinues: "The plan continues"
            case .planEnds: "The plan ends"
            }
        }
    }

    /// The outcomes this meeting can have; empty when it decides none.
    public var outcomes: [Outcome] {
        switch self {
        case .initial: [.plan, .noPlan]
        case .review: [.planContinues, .planEnds]
        case .strategyDiscussion, .coreGroup: []
        }
    }

    /// The clock events this meeting is.
    public func events(outcome: Outcome?) -> [ClockEventKind] {
        switch self {
        case .strategyDiscussion: [.strategyDiscussion]
        case .initial: outcome == .plan ? [.initialConference, .protectionPlanStarted] : [.initialConference]
        case .review: outcome == .planEnds ? [.reviewConference, .protectionPlanEnded] : [.reviewConference]
        case .coreGroup: [.coreGroup]
        }
    }

    /// A report for a conference should reach the chair at least this many working days before it.
    public static let reportWorkingDaysBefore = 2
}
