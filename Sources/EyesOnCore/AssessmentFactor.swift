/// Factors identified at the end of a CIN assessment (STANDARDS §1.4).
///
/// 24A (child criminal exploitation) was added in 2021-22. 18A and 19A are legacy codes (valid to
/// 2019-20); use 18B/18C and 19B/19C instead (see ``isLegacy``). 21 (no factors) must be the only
/// factor: see ``validate(_:)``.
public enum AssessmentFactor: String, CaseIterable, Codable, Sendable, CodeList {
    case alcoholMisuseChild = "1A", alcoholMisuseParent = "1B", alcoholMisuseOther = "1C"
    case drugMisuseChild = "2A", drugMisuseParent = "2B", drugMisuseOther = "2C"
    case domesticViolenceChild = "3A", domesticViolenceParent = "3B", domesticViolenceOther = "3C"
    case mentalHealthChild = "4A", mentalHealthParent = "4B", mentalHealthOther = "4C"
    case learningDisabilityChild = "5A", learningDisabilityParent = "5B", learningDisabilityOther = "5C"
    case physicalDisabilityChild = "6A", physicalDisabilityParent = "6B", physicalDisabilityOther = "6C"
    case youngCarer = "7A"
    case privatelyFosteredOverseasReturn = "8B", privatelyFosteredOverseasStay = "8C"
    case privatelyFosteredUKEducational = "8D", privatelyFosteredUKFamily = "8E", privatelyFosteredOther = "8F"
    case unaccompaniedAsylumSeeking = "9A", missing = "10A", childSexualExploitation = "11A"
    case trafficking = "12A", gangs = "13A", sociallyUnacceptableBehaviour = "14A", selfHarm = "15A"
    case neglect = "16A", emotionalAbuse = "17A"
    case physicalAbuseLegacy = "18A", physicalAbuseChildOnChild = "18B", physicalAbuseAdultOnChild = "18C"
    case sexualAbuseLegacy = "19A", sexualAbuseChildOnChild = "19B", sexualAbuseAdultOnChild = "19C"
    case other = "20", noFactors = "21", femaleGenitalMutilation = "22A", faithOrBelief = "23A"
    case childCriminalExploitation = "24A"

    public static let listName = "assessment factor"

    public var label: String {
        switch self {
        case .alcoholMisuseChild: "Alcohol misuse by the child"
        case .alcoholMisuseParent: "Alcohol misuse by parent(s) or carer(s)"
        case .alcoholMisuseOther: "Alcohol misuse by another person in the household"
        case .drugMisuseChild: "Drug misuse by the child"
        case .drugMisuseParent: "Drug misuse by parent(s) or carer(s)"
        case .drugMisuseOther: "Drug misuse by another person in the household"
        case .domesticViolenceChild: "Domestic violence: the child is the subject"
        case .domesticViolenceParent: "Domestic violence: a parent or carer is the subject"
        case .domesticViolenceOther: "Domestic violence: another household member is the subject"
        case .mentalHealthChild: "Mental health of the child"
        case .mentalHealthParent: "Mental health of parent(s) or carer(s)"
        case .mentalHealthOther: "Mental health of another family or household member"
        case .learningDisabilityChild: "Learning disability of the child"
        case .learningDisabilityParent: "Learning disability of parent(s) or carer(s)"
        case .learningDisabilityOther: "Learning disability of another family or household member"
        case .physicalDisabilityChild: "Physical disability or illness of the child"
        case .physicalDisabilityParent: "Physical disability or illness of parent(s) or carer(s)"
        case .physicalDisabilityOther: "Physical disability or illness of another family or household member"
        case .youngCarer: "Young carer"
        case .privatelyFosteredOverseasReturn: "Privately fostered – overseas, intending to return"
        case .privatelyFosteredOverseasStay: "Privately fostered – overseas, intending to stay"
        case .privatelyFosteredUKEducational: "Privately fostered – UK, educational placement"
        case .privatelyFosteredUKFamily: "Privately fostered – UK, alternative family arrangement"
        case .privatelyFosteredOther: "Privately fostered – other"
        case .unaccompaniedAsylumSeeking: "Unaccompanied asylum-seeking child"
        case .missing: "Going or being missing"
        case .childSexualExploitation: "Child sexual exploitation"
        case .trafficking: "Trafficking"
        case .gangs: "Gangs"
        case .sociallyUnacceptableBehaviour: "Socially unacceptable behaviour"
        case .selfHarm: "Self-harm"
        case .neglect: "Abuse or neglect – neglect"
        case .emotionalAbuse: "Abuse or neglect – emotional abuse"
        case .physicalAbuseLegacy: "Abuse or neglect – physical abuse (legacy code)"
        case .physicalAbuseChildOnChild: "Abuse or neglect – physical abuse, child on child"
        case .physicalAbuseAdultOnChild: "Abuse or neglect – physical abuse, adult on child"
        case .sexualAbuseLegacy: "Abuse or neglect – sexual abuse (legacy code)"
        case .sexualAbuseChildOnChild: "Abuse or neglect – sexual abuse, child on child"
        case .sexualAbuseAdultOnChild: "Abuse or neglect – sexual abuse, adult on child"
        case .other: "Other"
        case .noFactors: "No factors identified"
        case .femaleGenitalMutilation: "Female genital mutilation"
        case .faithOrBelief: "Abuse linked to faith or belief"
        case .childCriminalExploitation: "Child criminal exploitation"
        }
    }

    /// 18A and 19A: valid only to 2019-20; the validator queries them and asks for the B/C codes.
    public var isLegacy: Bool { self == .physicalAbuseLegacy || self == .sexualAbuseLegacy }

    /// Checks one assessment's factors: no repeats, and 21 (no factors) only on its own (rule 8869).
    public static func validate(_ factors: [AssessmentFactor]) throws(CodeError) {
        var seen = Set<AssessmentFactor>()
        for factor in factors where !seen.insert(factor).inserted {
            throw CodeError(list: listName, code: factor.rawValue, reason: "is repeated; each factor is recorded once")
        }
        if factors.contains(.noFactors) && factors.count > 1 {
            throw CodeError(list: listName, code: "21", reason: "(no factors identified) must be the only factor")
        }
    }
}
