/// The law a practitioner relies on to share a child's information (or not), as the government's
/// "Information sharing: advice for practitioners" (2024) and the Data Protection Act 2018 name it.
public enum LawfulBasis: String, CaseIterable, Codable, Sendable {
    case safeguarding = "dpa-2018-safeguarding"
    case section47 = "children-act-1989-s47"
    case section17 = "children-act-1989-s17"
    case section11 = "children-act-2004-s11"
    case panelNotification = "children-act-2004-s16c"
    case crimeAndDisorder = "crime-and-disorder-act-1998-s115"
    case publicTask = "uk-gdpr-public-task"
    case consent = "uk-gdpr-consent"

    public var title: String {
        switch self {
        case .safeguarding: "Safeguarding of children and individuals at risk (Data Protection Act 2018, Schedule 1, paragraph 18)"
        case .section47: "Child protection enquiry (Children Act 1989, section 47)"
        case .section17: "Child in need (Children Act 1989, section 17)"
        case .section11: "Duty to safeguard and promote welfare (Children Act 2004, section 11)"
        case .panelNotification: "Serious incident notification to the Panel (Children Act 2004, section 16C)"
        case .crimeAndDisorder: "Preventing crime and disorder (Crime and Disorder Act 1998, section 115)"
        case .publicTask: "Public task (UK GDPR article 6(1)(e))"
        case .consent: "Consent (UK GDPR article 6(1)(a))"
        }
    }
}

/// Whether consent was sought for a share, and what came of it. Consent is not needed to share
/// to protect a child; what matters is that the decision is recorded with its reason.
public enum ConsentStatus: String, CaseIterable, Codable, Sendable {
    case given = "given"
    case notSought = "not-sought"
    case refused = "refused"
    case overridden = "refused-overridden"

    public var title: String {
        switch self {
        case .given: "Sought and given"
        case .notSought: "Not sought"
        case .refused: "Sought and refused"
        case .overridden: "Sought, refused, and overridden"
        }
    }

    /// A reason must be written: why consent was not sought, or why a refusal was overridden.
    public var needsReason: Bool { self == .notSought || self == .overridden }
}

/// How the information went (or would have gone).
public enum SharingChannel: String, CaseIterable, Codable, Sendable {
    case conversation
    case email
    case meeting
    case export
    case download
    case notice
    case feed

    public var title: String {
        switch self {
        case .conversation: "Conversation or phone call"
        case .email: "Secure email"
        case .meeting: "Meeting"
        case .export: "Export from EyesOn"
        case .download: "Download from EyesOn"
        case .notice: "Notice (for example Operation Encompass)"
        case .feed: "A feed sent on to another agency"
        }
    }
}
