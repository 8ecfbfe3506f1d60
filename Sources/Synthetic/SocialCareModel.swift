import EyesOnCore

/// Where a child stands with children's social care at the as-of date.
public enum SyntheticCareStatus: String, Sendable, Hashable, CaseIterable {
    /// Known during the census year but no episode open at `asOf` (closed, or referral NFA).
    case closed = "closed"
    /// An open episode of need: being assessed, or on a CIN plan.
    case childInNeed = "child-in-need"
    /// On a child protection plan.
    case childProtectionPlan = "child-protection-plan"
    /// Looked after by the local authority.
    case lookedAfter = "looked-after"
    /// A former looked-after child aged 18–21.
    case careLeaver = "care-leaver"
}

/// What children's social care holds about one child (or care leaver): the truth behind the
/// CIN census and SSDA903 extracts. Dates never lie after `asOf`.
public struct SyntheticSocialCareRecord: Sendable {
    public let personID: Int
    /// `EB` + 7 digits; also the SSDA903 `CHILD`.
    public let laChildID: String
    /// CIN/903 ethnicity code (WBRI, APKN, MWBC, …).
    public let ethnicity: String
    /// CIN disability codes; empty means `NONE`.
    public let disabilities: [String]
    public let status: SyntheticCareStatus
    /// Episodes of need (one per referral), oldest first. Empty for care leavers.
    public let episodes: [SyntheticCINEpisode]
    /// SSDA903 episodes (periods of care with one placement and legal status), oldest first.
    public let careEpisodes: [SyntheticCareEpisode]
    /// SSDA903 looked-after reviews.
    public let reviews: [SyntheticLACReview]
    /// SSDA903 missing / away-from-placement episodes.
    public let missing: [SyntheticMissingEpisode]
    /// SSDA903 OC3 (care leavers only).
    public let careLeaver: SyntheticCareLeaverOutcome?
}

/// One CIN episode of need: a referral and everything that followed it.
public struct SyntheticCINEpisode: Sendable {
    public let referralDate: CivilDate
    /// ReferralSource code (1A … 10).
    public let referralSource: String
    /// PrimaryNeedCode (N0 … N9); `nil` on a referral with no further action.
    public let primaryNeed: String?
    public let closureDate: CivilDate?
    /// ReasonForClosure (RC1 … RC9).
    public let closureReason: String?
    public let referralNFA: Bool
    public let assessments: [SyntheticAssessment]
    public let cinPlans: [SyntheticPeriod]
    public let section47s: [SyntheticSection47]
    public let protectionPlans: [SyntheticProtectionPlan]

    /// Whether the episode is open on `date`.
    public func isOpen(on date: CivilDate) -> Bool {
        referralDate <= date && (closureDate.map { $0 >= date } ?? true)
    }
}

public struct SyntheticAssessment: Sendable {
    public let start: CivilDate
    /// The authorisation (completion) date; `nil` while still in progress.
    public let authorised: CivilDate?
    /// AssessmentFactors codes (e.g. 3B, 4B, 24A); set when authorised.
    public let factors: [String]
}

public struct SyntheticPeriod: Sendable {
    public let start: CivilDate
    public let end: CivilDate?
}

public struct SyntheticSection47: Sendable {
    public let start: CivilDate
    public let icpcTarget: CivilDate?
    public let icpcDate: CivilDate?
    public let icpcNotRequired: Bool
}

public struct SyntheticProtectionPlan: Sendable {
    public let start: CivilDate
    public let end: CivilDate?
    /// NEG, PHY, SAB, EMO or MUL.
    public let initialCategory: String
    public let latestCategory: String
    public let previousPlans: Int
    public let reviews: [CivilDate]
}

/// One SSDA903 episode.
public struct SyntheticCareEpisode: Sendable {
    /// DECOM.
    public let start: CivilDate
    /// RNE: S, L, P, T, B, U.
    public let reasonNew: String
    /// LS: C1, C2, V2, E1, L1, L2, J1, …
    public let legalStatus: String
    /// CIN: N1 … N8.
    public let needCode: String
    /// PLACE: U1 … U6, K2, H5, P1, …
    public let placement: String
    /// PLACE_PROVIDER: PR0 … PR5.
    public let provider: String
    /// DEC; `nil` while open.
    public let end: CivilDate?
    /// REC: X1 (a new episode follows) or an exit code (E4A, E13, E45, E11, E17, …).
    public let reasonEnded: String?
    /// REASON_PLACE_CHANGE, on an episode that ended with a placement change.
    public let reasonPlaceChange: String?
    public let homePostcode: String
    public let placementPostcode: String
    /// The placement's Ofsted URN (`SC` + 6 digits) or `XXXXXXX` where none applies.
    public let urn: String
}

public struct SyntheticLACReview: Sendable {
    public let date: CivilDate
    /// REVIEW_CODE: PN0 … PN7.
    public let participation: String
}

public struct SyntheticMissingEpisode: Sendable {
    /// `M` missing, `A` away from placement without authorisation.
    public let kind: String
    public let start: CivilDate
    /// `nil`: still missing at `asOf`.
    public let end: CivilDate?
}

public struct SyntheticCareLeaverOutcome: Sendable {
    /// IN_TOUCH: YES, NO, REFU, NREQ, RHOM.
    public let inTouch: String
    /// ACTIV: F1, P1, F2, F4, F5, G4, G5, G6, 0.
    public let activity: String
    /// ACCOM: letter + 1/2 (e.g. U1, Z1, B1, K2).
    public let accommodation: String
}

/// A MARAC case: one referral heard at one meeting.
public struct SyntheticMARACCase: Sendable {
    /// `MA` + 6 digits, in meeting order.
    public let caseID: String
    public let meetingDate: CivilDate
    /// DASH risk indicator checklist "yes" count, 0…24.
    public let dashScore: Int
    /// `visible-high-risk`, `professional-judgement`, `escalation` or `repeat`.
    public let referralReason: String
    /// `police`, `idva`, `health`, `childrens-social-care`, `housing`.
    public let referringAgency: String
    /// For a repeat referral: the previous MARAC meeting date.
    public let previousMeetingDate: CivilDate?
    public let victimID: Int
    public let perpetratorID: Int
    /// Children of the victim's household (born), oldest first.
    public let childIDs: [Int]
}

/// A police-attended domestic abuse incident.
public struct SyntheticPoliceIncident: Sendable {
    /// `EBP-` + year + `-` + 6 digits, in time order.
    public let reference: String
    public let date: CivilDate
    /// Minutes after midnight, 0…1439 (local time).
    public let minuteOfDay: Int
    public let postcode: String
    /// `standard`, `medium` or `high`.
    public let riskLevel: String
    public let victimID: Int
    public let suspectID: Int
    public let children: [SyntheticIncidentChild]
}

public struct SyntheticIncidentChild: Sendable {
    public let personID: Int
    /// `present`, `witnessed` or `involved`.
    public let presence: String
}

/// One person on a health caseload.
public struct SyntheticCaseloadEntry: Sendable {
    /// The service's ODS code (see the agencies with kind `.healthOrganisation`).
    public let odsCode: String
    /// `health-visiting`, `midwifery` or `school-nursing`.
    public let caseloadType: String
    /// The service's own record number.
    public let localID: String
    public let personID: Int
    /// For an unborn child (midwifery): the mother's `localID` on the same caseload.
    public let motherLocalID: String?
}
