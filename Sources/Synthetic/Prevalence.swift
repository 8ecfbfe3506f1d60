/// The population and prevalence figures the generator aims at, in one place.
///
/// Social-care rates follow the order of magnitude of English national figures per 10,000
/// children (DfE "Children in need" and "Children looked after" statistics): about 330 children
/// in need at 31 March (including those on a plan and looked after), about 42 on a child
/// protection plan, about 70 looked after, and about 550 referrals a year.
enum Prevalence {
    // MARK: Households

    /// Share of family households with one carer.
    static let singleCarer = 0.24
    /// Share of single carers who are the father.
    static let singleFather = 0.10
    /// Couples where the two carers are of different heritages.
    static let mixedCouple = 0.07
    /// Couples who share a surname.
    static let sharedSurname = 0.72
    /// Couples with children from a previous relationship (blended families).
    static let blended = 0.13
    /// Households with a further adult who is not a carer (e.g. a grandparent).
    static let extraAdult = 0.035
    /// Weights for 1, 2, 3 and 4 children in a family household.
    static let childrenPerHousehold = [(1, 42), (2, 38), (3, 14), (4, 6)]
    /// Twins among second children.
    static let twins = 0.015
    /// Households that moved within the last two years (so an agency may still hold the old postcode).
    static let movedRecently = 0.15
    /// Single-carer households whose other parent lives elsewhere in the area (a person of his own).
    static let nonResidentParentInArea = 0.35
    /// Flats (the address starts "Flat n,").
    static let flat = 0.12

    // MARK: Pregnancies and care leavers

    /// Chance that an eligible mother (18–44, youngest child at least 9 months) is pregnant.
    static let pregnantWithChildren = 0.05
    /// First pregnancies (households with no children yet), per child in the area.
    static let firstPregnanciesPerChild = 0.012
    /// Care leavers aged 18–21 living in the area, per child in the area.
    static let careLeaversPerChild = 0.0028
    /// Female care leavers who are mothers of a young child (living with them).
    static let careLeaverMother = 0.20

    // MARK: Social care, per child (before the domestic-abuse multiplier)

    /// Looked after at `asOf`.
    static let lookedAfter = 0.0068
    /// On a child protection plan at `asOf` (not looked after), directly; section 47 enquiries
    /// from ``closedEpisode`` referrals add about as many again.
    static let protectionPlan = 0.001
    /// Open child-in-need episode at `asOf` (CIN plan or being assessed), not counting the
    /// assessments still running from ``closedEpisode`` referrals.
    static let childInNeed = 0.0095
    /// Stopped being looked after in the last 12 months.
    static let ceasedLookedAfter = 0.0020
    /// A referral in the 13 months before `asOf` that went no further, or closed after
    /// assessment, or after a short plan.
    static let closedEpisode = 0.042
    /// How much likelier a child in a household with domestic abuse is to be known to social care.
    static let domesticAbuseMultiplier = 3.0
    /// Unborn children (due within 26 weeks) with a pre-birth assessment, CIN plan or CP plan.
    static let unbornKnown = 0.06

    // MARK: Domestic abuse

    /// Households (with two carers, or with a non-resident parent in the area) with police
    /// domestic-abuse incidents in the last 12 months.
    static let domesticAbuseHousehold = 0.03
    /// Weights for 1…6 incidents in the year in such a household.
    static let incidentsPerHousehold = [(1, 140), (2, 36), (3, 14), (4, 6), (5, 3), (6, 1)]
    /// Households with domestic abuse known only to other agencies (a MARAC referral from an
    /// IDVA or health, no police incident), as a share of the domestic-abuse households.
    static let hiddenDomesticAbuse = 0.05

    // MARK: Education

    /// Pupils at a special school.
    static let specialSchool = 0.016
    /// Sixth-formers (Y12–13) at a school sixth form; at college; neither.
    static let sixthFormAtSchool = 0.55
    static let sixthFormAtCollege = 0.37
    /// Compulsory-school-age pupils who left the roll with no known destination this year.
    static let leftRollNoDestination = 0.005
    /// Compulsory-school-age children never on a roll here (elective home education, new arrivals).
    static let neverEnrolled = 0.0015
    /// Pupils who moved school during this academic year.
    static let movedSchool = 0.02
    /// 3–4 year olds: at a school nursery class; at a private/voluntary nursery.
    static let nurseryClass = 0.42
    static let pviNurseryThreeFour = 0.45
    /// 2 year olds at a private/voluntary nursery.
    static let pviNurseryTwo = 0.40
    /// Pupils per school, roughly: primary, secondary, special, college, nursery.
    static let primaryPupilsPerSchool = 260
    static let secondaryPupilsPerSchool = 950
    static let specialPupilsPerSchool = 110
    static let collegeStudentsPerCollege = 1500
    static let nurseryChildrenPerNursery = 45
    /// Share of secondary schools with a sixth form.
    static let secondaryWithSixthForm = 0.6

    // MARK: Attendance profiles (shares of pupils)

    static let persistentlyAbsent = 0.11
    static let severelyAbsent = 0.015
    static let didNotReturnAfterHoliday = 0.003

    // MARK: Health

    /// People registered with one GP practice, roughly.
    static let peoplePerGPPractice = 7000
    /// School-age children on a school nurse caseload though not known to social care.
    static let schoolNursingOther = 0.02
}
