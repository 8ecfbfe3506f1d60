import EyesOnCore
import Foundation

// The Synthetic module: a deterministic synthetic local area for demos, tests and benchmarks.
//
// `SyntheticArea.generate` builds the truth — households, people, relationships, the schools,
// nurseries and colleges and who is on their rolls, GP practices and health services, children's
// social care (referrals, assessments, CIN and CP plans, looked-after episodes, care leavers),
// domestic abuse (police incidents, MARAC cases) and health caseloads — from one seed and one
// as-of date. `writeExtracts` then writes what each agency would export, in its real format and
// with each agency's own identity errors (IdentityNoise.swift), plus `truth.csv` linking every
// extract record back to its person (SyntheticArea+Extracts.swift lists the files and keys).
//
// Where things are: Prevalence.swift (every population and prevalence rate), IdentityNoise.swift
// (noise rates per source, and the deliberately awkward records), NameLists.swift (names, places),
// AreaBuilder*.swift (generation), SyntheticArea+*.swift (the extracts), SeededRandom.swift (the
// only source of randomness: xoshiro256** with SplitMix64 seeding, one stream per part).
// Fictional identifiers: LA code 990, postcodes EB1…EB99, URNs 9xxxxx, ODS codes Z9…, NHS numbers
// from the 999 test range, LA child ids EB + 7 digits.

/// What to generate: how many children, from which seed, as at which date.
///
/// The same configuration always gives the same area and byte-identical extracts.
public struct AreaConfiguration: Sendable, Hashable {
    /// Children (people under 18, born) living in the area. Unborn children, adults and care
    /// leavers come on top. Designed for 1,000 to 1,000,000; smaller values work (tests).
    public var children: Int
    /// The seed of every random draw.
    public var seed: UInt64
    /// The date the area is "as at": nobody is born after it, every extract stops at it.
    public var asOf: CivilDate
    /// How many school days of attendance marks (AM and PM) to write, ending at `asOf`.
    public var attendanceSchoolDays: Int

    public init(children: Int, seed: UInt64, asOf: CivilDate, attendanceSchoolDays: Int = 20) {
        self.children = children
        self.seed = seed
        self.asOf = asOf
        self.attendanceSchoolDays = attendanceSchoolDays
    }
}

/// The fictional local authority the area belongs to.
public struct SyntheticLocalAuthority: Sendable, Hashable {
    /// "Eastbrook".
    public let name: String
    /// The 3-digit DfE LA code used in UPNs and the CIN census header (see ``SyntheticArea/laCode``).
    public let code: String
}

/// One agency of the partnership: a council service, a school, the police force, a health body.
public struct SyntheticAgency: Sendable, Hashable {
    /// Stable key: `la-csc`, `la-education`, `virtual-school`, `yjs`, `police`,
    /// `school-910001`, `nursery-950001`, `college-980001`, `health-Z9H`, `health-Z90001`.
    public let key: String
    public let name: String
    public let kind: AgencyKind
    /// For schools, nurseries and colleges: the (fictional, 9xxxxx) URN.
    public let urn: Int?
    /// For health organisations: the (fictional, Z9…) ODS code.
    public let odsCode: String?
    public let postcode: String?
}

/// One real (synthetic) person: the ground truth that every extract's records point back to.
public struct SyntheticPerson: Sendable {
    // Stored in this order so the one-byte fields sit in the padding after the first date
    // (192 bytes a person instead of 208).

    /// Truth id, 1, 2, 3… in generation order.
    public let id: Int
    /// For an unborn child: "Unborn".
    public let givenName: String
    public let familyName: String
    public let householdID: Int
    /// 10 digits from the synthetic range (999…, see ``SyntheticArea/nhsNumberPolicy``).
    public internal(set) var nhsNumber: String?
    /// 13 characters; for every child who has been at a school in the area (and care leavers).
    public internal(set) var upn: String?
    /// For children (and care leavers) known to children's social care: `EB` + 7 digits.
    public internal(set) var laChildID: String?
    /// Where the person lives now (a looked-after child: the placement's postcode).
    public internal(set) var postcode: String
    public internal(set) var address: String
    /// `nil` for an unborn child.
    public let dateOfBirth: CivilDate?
    public let kind: PersonKind
    public let sex: Sex
    /// For an unborn child: the expected date of birth, after `asOf`.
    public let expectedDateOfBirth: CivilDate?

    init(id: Int, kind: PersonKind, givenName: String, familyName: String, sex: Sex, dateOfBirth: CivilDate?,
         expectedDateOfBirth: CivilDate?, nhsNumber: String?, upn: String?, laChildID: String?,
         householdID: Int, postcode: String, address: String) {
        self.id = id
        self.givenName = givenName
        self.familyName = familyName
        self.householdID = householdID
        self.nhsNumber = nhsNumber
        self.upn = upn
        self.laChildID = laChildID
        self.postcode = postcode
        self.address = address
        self.dateOfBirth = dateOfBirth
        self.kind = kind
        self.sex = sex
        self.expectedDateOfBirth = expectedDateOfBirth
    }
}

/// A link between two people in the truth.
///
/// `parentOrCarer`: adult → child (including an unborn child and a non-resident parent);
/// `sibling`: each unordered pair of children in a household once, lower id first;
/// `householdMember`: between the adults of a household (once per pair, lower id first) and from
/// an adult who is not a carer (e.g. a grandparent) to each child.
public struct SyntheticRelationship: Sendable, Hashable {
    public let from: Int
    public let to: Int
    public let kind: RelationshipKind
}

/// A person on the roll of a school, nursery or college, from a date, until a date (or still on roll).
public struct SyntheticEnrolment: Sendable, Hashable {
    public let personID: Int
    public let agencyKey: String
    public let from: CivilDate
    /// `nil`: still on roll at `asOf`.
    public let to: CivilDate?
}

/// One file written by ``SyntheticArea/writeExtracts(to:progress:)``.
public struct ExtractFile: Sendable, Hashable {
    /// Path relative to the output directory, e.g. `ssda903/episodes.csv`.
    public let name: String
    /// What the file is: `cin-census-xml`, `ssda903-header`, `attendance-csv`, `truth-csv`, …
    public let kind: String
    /// Data records (CSV rows after the header; for the CIN census, `<Child>` elements).
    public let rows: Int
    public let bytes: Int
}

/// A household: where its people live, who they are.
public struct SyntheticHousehold: Sendable {
    public let id: Int
    public let postcode: String
    public let address: String
    /// The postcode before the household moved (within the last two years), if it moved.
    public let previousPostcode: String?
    /// The ODS code of the GP practice the household is registered with.
    public let gpPracticeODS: String
    /// Adult carers (1 or 2), then other adults, then children (born), then an unborn child.
    public let memberIDs: [Int]
    /// How many of `memberIDs` (from the start) are adults: carers, then other adults.
    public let adultCount: Int

    /// The adults: carers first, then any other adult (e.g. a grandparent).
    public var adultIDs: ArraySlice<Int> { memberIDs.prefix(adultCount) }
    /// The children, born then unborn.
    public var childIDs: ArraySlice<Int> { memberIDs.dropFirst(adultCount) }
}

/// The fictional area: its agencies, its people (the truth) and what each agency knows of them.
///
/// ```swift
/// let area = SyntheticArea.generate(AreaConfiguration(children: 10_000, seed: 42,
///                                                     asOf: CivilDate("2025-01-15")!))
/// let files = try area.writeExtracts(to: URL(fileURLWithPath: "synth-out"))
/// ```
public struct SyntheticArea: Sendable {
    public let configuration: AreaConfiguration
    public let localAuthority: SyntheticLocalAuthority
    public let agencies: [SyntheticAgency]
    /// The truth: each person once, ids 1…count in order (`people[id - 1].id == id`).
    public let people: [SyntheticPerson]
    public let relationships: [SyntheticRelationship]
    public let enrolments: [SyntheticEnrolment]
    public let households: [SyntheticHousehold]
    /// Every child (or care leaver) known to children's social care, in person id order.
    public let socialCare: [SyntheticSocialCareRecord]
    /// MARAC cases heard in the 12 months to `asOf`.
    public let maracCases: [SyntheticMARACCase]
    /// Police-attended domestic abuse incidents in the 12 months to `asOf`.
    public let policeIncidents: [SyntheticPoliceIncident]
    /// Health visitor, midwife and school nurse caseloads at `asOf`.
    public let caseloads: [SyntheticCaseloadEntry]
    /// The CIN census year the extracts cover: 1 April … 31 March (activity only up to `asOf`).
    public let censusYearStart: CivilDate
    public let censusReferenceDate: CivilDate

    // Internal state for the extract writers.
    let internals: AreaInternals

    /// The LA code: **990**. Deliberately *not* a real English LA code (919, for example, is
    /// Hertfordshire), so no synthetic UPN can equal a real pupil's. Consequence: a validator
    /// applying CIN rule 1530 (UPN characters 2–4 must be a real LA code) flags these UPNs.
    public static let laCode = "990"
    /// Postcodes are in the fictional area `EB` (EB1 … EB99), which no real UK postcode area uses.
    public static let postcodeArea = "EB"
    /// NHS numbers come from the NHS test range 999 000 0000 – 999 999 9999 (about 909,000 valid
    /// numbers, enough for an area of ~450,000 children); only larger areas continue into
    /// 998…, 997…, ranges no UK NHS number is issued from.
    public static let nhsNumberPolicy = "999 test range first, then 998, 997… (never issued)"

    /// The person with truth id `id`.
    public func person(_ id: Int) -> SyntheticPerson { people[id - 1] }

    /// Generates the area. Deterministic: the same configuration gives the same area.
    /// `progress` is called with a phase name and the fraction done (0…1) of that phase.
    public static func generate(_ config: AreaConfiguration,
                                progress: ((String, Double) -> Void)? = nil) -> SyntheticArea {
        var builder = AreaBuilder(config: config, progress: progress)
        return builder.build()
    }

    init(configuration: AreaConfiguration, localAuthority: SyntheticLocalAuthority,
         agencies: [SyntheticAgency], people: [SyntheticPerson],
         relationships: [SyntheticRelationship], enrolments: [SyntheticEnrolment],
         households: [SyntheticHousehold], socialCare: [SyntheticSocialCareRecord],
         maracCases: [SyntheticMARACCase], policeIncidents: [SyntheticPoliceIncident],
         caseloads: [SyntheticCaseloadEntry], censusYearStart: CivilDate,
         censusReferenceDate: CivilDate, internals: AreaInternals) {
        self.configuration = configuration
        self.localAuthority = localAuthority
        self.agencies = agencies
        self.people = people
        self.relationships = relationships
        self.enrolments = enrolments
        self.households = households
        self.socialCare = socialCare
        self.maracCases = maracCases
        self.policeIncidents = policeIncidents
        self.caseloads = caseloads
        self.censusYearStart = censusYearStart
        self.censusReferenceDate = censusReferenceDate
        self.internals = internals
    }
}
