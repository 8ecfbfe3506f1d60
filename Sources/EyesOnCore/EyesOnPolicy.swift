/// How a practitioner laid eyes on a child (or tried to).
public enum ContactType: String, CaseIterable, Codable, Sendable {
    /// In school: taken automatically from present attendance marks, never recorded by hand.
    case inSchool = "in-school"
    case homeVisit = "home-visit"
    case virtual
    case phone
    case healthAppointment = "health-appointment"
    case policeWelfareCheck = "police-welfare-check"
    case other

    public var title: String {
        switch self {
        case .inSchool: "In school (from attendance)"
        case .homeVisit: "Home visit"
        case .virtual: "Virtual or video call"
        case .phone: "Phone call"
        case .healthAppointment: "Seen at a health appointment"
        case .policeWelfareCheck: "Police welfare check"
        case .other: "Other"
        }
    }

    /// A phone call never counts as seeing the child; every other contact does when the child
    /// was seen.
    public var canCountAsSeen: Bool { self != .phone }

    /// Whether a practitioner records it on the form (in-school contacts come from the marks).
    public var isRecordedByHand: Bool { self != .inSchool }
}

/// The state of an eyes-on task.
public enum TaskState: String, CaseIterable, Codable, Sendable {
    case open, done, escalated, cancelled

    public var title: String {
        switch self {
        case .open: "Open"
        case .done: "Done"
        case .escalated: "Escalated to the team manager"
        case .cancelled: "Cancelled"
        }
    }

    /// Still waiting for someone to lay eyes on the child.
    public var isOutstanding: Bool { self == .open || self == .escalated }
}

/// The partnership's eyes-on policy (settings): how long a listed child may go unseen at each
/// risk level, and how many consecutive unexplained absent sessions (N, O, U) raise a task.
public struct EyesOnPolicy: Codable, Sendable, Equatable {
    /// Working days a child may go without being seen.
    public var maximumUnseenWorkingDays: [RiskLevel: Int]
    /// Consecutive unexplained absent sessions that raise a task, due the next working day.
    public var unexplainedSessionsTrigger: [RiskLevel: Int]
    /// Local-authority agreement plus this many other partner agencies agree an entry.
    public var partnerAgreementsNeeded: Int

    public init(maximumUnseenWorkingDays: [RiskLevel: Int], unexplainedSessionsTrigger: [RiskLevel: Int], partnerAgreementsNeeded: Int) {
        self.maximumUnseenWorkingDays = maximumUnseenWorkingDays
        self.unexplainedSessionsTrigger = unexplainedSessionsTrigger
        self.partnerAgreementsNeeded = partnerAgreementsNeeded
    }

    /// Red 5 working days, amber 10, green 20; red 2 unexplained sessions, amber 4, green 6;
    /// the local authority and one other agency agree.
    public static let defaults = EyesOnPolicy(
        maximumUnseenWorkingDays: [.red: 5, .amber: 10, .green: 20],
        unexplainedSessionsTrigger: [.red: 2, .amber: 4, .green: 6],
        partnerAgreementsNeeded: 1)

    public func maximumUnseen(_ risk: RiskLevel) -> Int {
        maximumUnseenWorkingDays[risk] ?? Self.defaults.maximumUnseenWorkingDays[risk]!
    }

    public func trigger(_ risk: RiskLevel) -> Int {
        unexplainedSessionsTrigger[risk] ?? Self.defaults.unexplainedSessionsTrigger[risk]!
    }

    /// Rejects a policy that would never raise anything or makes no sense.
    public func validate() throws(CodeError) {
        for risk in RiskLevel.allCases {
            guard (1...250).contains(maximumUnseen(risk)) else {
                throw CodeError(list: "eyes-on policy", code: "\(risk.rawValue) maximum unseen days \(maximumUnseen(risk))", reason: "must be 1 to 250 working days")
            }
            guard (1...100).contains(trigger(risk)) else {
                throw CodeError(list: "eyes-on policy", code: "\(risk.rawValue) trigger \(trigger(risk))", reason: "must be 1 to 100 sessions")
            }
        }
        guard (0...10).contains(partnerAgreementsNeeded) else {
            throw CodeError(list: "eyes-on policy", code: "partner agreements \(partnerAgreementsNeeded)", reason: "must be 0 to 10")
        }
    }
}
