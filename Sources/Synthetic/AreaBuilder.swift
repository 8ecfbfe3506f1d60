import EyesOnCore
import Foundation

/// A household while it is being built.
struct HouseholdDraft {
    let id: Int
    let district: Int
    let postcode: String
    let address: String
    let previousPostcode: String?
    var carers: [Int] = []
    var otherAdults: [Int] = []
    var children: [Int] = []
    var unborn: Int?
    /// A parent of some of the children who lives elsewhere in the area (own household).
    var nonResidentParent: Int?
    var gpPractice = 0
    var isCareLeaver = false
}

/// Internal state kept with the area for the extract writers.
struct AreaInternals: Sendable {
    /// Per person (index id − 1): the heritage index (names, nicknames).
    let heritage: [UInt8]
    /// Per person: index into ``EthnicityCodes/all``.
    let ethnicity: [UInt8]
    /// Per person: bit flags, see ``PersonFlags``.
    let flags: [UInt8]
    /// Schools, nurseries and colleges (agency index and phase), by URN.
    let settings: [EducationSetting]
    /// Index into `settings` by agency key order; `settingIndexByURN` for lookups.
    let settingIndexByURN: [Int: Int]
    /// Per person: index into `SyntheticArea.socialCare`, or −1.
    let socialCareIndex: [Int32]
    /// Per person: index into `settings` of the setting on whose roll they are at `asOf`, or −1.
    let currentSetting: [Int32]
    /// GP practice ODS codes (index = household `gpPractice`).
    let gpPractices: [String]
    let healthVisitingODS: String
    let maternityODS: String
    let schoolNursingODS: String
    /// The academic year's September (e.g. 2024 for 2024-25).
    let academicYear: Int
}

/// Bit flags per person.
enum PersonFlags {
    static let protectionPlan: UInt8 = 1
    static let lookedAfter: UInt8 = 2
    static let childInNeed: UInt8 = 4
    static let domesticAbuseHousehold: UInt8 = 8
    static let careLeaver: UInt8 = 16
}

/// Builds a ``SyntheticArea`` step by step: households and people, education, identifiers,
/// social care, domestic abuse, health. Each step draws from its own random stream.
struct AreaBuilder {
    let config: AreaConfiguration
    let progress: ((String, Double) -> Void)?
    let seed: UInt64
    let asOf: CivilDate
    let asOfDay: Int
    /// The September year of the academic year containing `asOf`.
    let academicYear: Int
    let districtCount: Int
    let targetChildren: Int
    let schoolCalendar: SchoolCalendar
    let workingDays: WorkingDays

    var people: [SyntheticPerson] = []
    var heritage: [UInt8] = []
    var ethnicity: [UInt8] = []
    var flags: [UInt8] = []
    var households: [HouseholdDraft] = []
    var relationships: [SyntheticRelationship] = []
    var childCount = 0
    var firstPregnancies = 0
    var careLeaverIDs: [Int] = []

    // Education
    var agencies: [SyntheticAgency] = []
    var settings: [EducationSetting] = []
    var enrolments: [SyntheticEnrolment] = []
    /// Per person: the setting (index into `settings`) they are on the roll of at `asOf`, or −1.
    var currentSetting: [Int32] = []

    // Later steps
    var socialCare: [SyntheticSocialCareRecord] = []
    var socialCareIndex: [Int32] = []
    var domesticAbuseHouseholds: [Int] = []
    var maracCases: [SyntheticMARACCase] = []
    var policeIncidents: [SyntheticPoliceIncident] = []
    var caseloads: [SyntheticCaseloadEntry] = []
    var gpPractices: [String] = []
    var censusYearStart: CivilDate
    var censusReferenceDate: CivilDate

    static let laName = "Eastbrook"
    static let inwardLetters: [Character] = Array("ABDEFGHJLNPQRSTUWXYZ")
    static let healthVisitingODS = "Z9H"
    static let maternityODS = "Z9M"
    static let schoolNursingODS = "Z9S"

    init(config: AreaConfiguration, progress: ((String, Double) -> Void)?) {
        self.config = config
        self.progress = progress
        self.seed = config.seed
        self.asOf = config.asOf
        self.asOfDay = config.asOf.daysSince1970
        self.academicYear = config.asOf.month >= 9 ? config.asOf.year : config.asOf.year - 1
        self.targetChildren = max(1, config.children)
        let households = Double(targetChildren) / 1.8
        self.districtCount = min(99, max(2, Int((households / 3000).rounded())))
        self.schoolCalendar = SchoolCalendar.demoDefaults(area: Self.laName)
        self.workingDays = WorkingDays(around: config.asOf)
        let startYear = config.asOf.month >= 4 ? config.asOf.year : config.asOf.year - 1
        self.censusYearStart = CivilDate(year: startYear, month: 4, day: 1)!
        self.censusReferenceDate = CivilDate(year: startYear + 1, month: 3, day: 31)!
    }

    mutating func build() -> SyntheticArea {
        report("households", 0)
        buildHouseholds()
        buildRelationships()
        report("households", 1)
        assignGPPractices()
        report("education", 0)
        buildEducation()
        report("education", 1)
        assignNHSNumbers()
        report("domestic abuse", 0)
        buildDomesticAbuse()
        report("social care", 0)
        buildSocialCare()
        report("social care", 1)
        report("health", 0)
        buildHealthCaseloads()
        report("health", 1)
        addHealthAndCouncilAgencies()

        let publicHouseholds = makePublicHouseholds()
        let internals = AreaInternals(
            heritage: heritage, ethnicity: ethnicity, flags: flags,
            settings: settings,
            settingIndexByURN: Dictionary(uniqueKeysWithValues: settings.indices.map { (settings[$0].urn, $0) }),
            socialCareIndex: socialCareIndex, currentSetting: currentSetting, gpPractices: gpPractices,
            healthVisitingODS: Self.healthVisitingODS, maternityODS: Self.maternityODS,
            schoolNursingODS: Self.schoolNursingODS, academicYear: academicYear)
        return SyntheticArea(
            configuration: config,
            localAuthority: SyntheticLocalAuthority(name: Self.laName, code: SyntheticArea.laCode),
            agencies: agencies, people: people, relationships: relationships, enrolments: enrolments,
            households: publicHouseholds, socialCare: socialCare, maracCases: maracCases,
            policeIncidents: policeIncidents, caseloads: caseloads, censusYearStart: censusYearStart,
            censusReferenceDate: censusReferenceDate, internals: internals)
    }

    /// The public households, freeing each draft's member lists as it goes (no second copy).
    mutating func makePublicHouseholds() -> [SyntheticHousehold] {
        var publicHouseholds: [SyntheticHousehold] = []
        publicHouseholds.reserveCapacity(households.count)
        for i in households.indices {
            let h = households[i]
            publicHouseholds.append(SyntheticHousehold(
                id: h.id, postcode: h.postcode, address: h.address, previousPostcode: h.previousPostcode,
                gpPracticeODS: gpPractices[h.gpPractice],
                memberIDs: h.carers + h.otherAdults + h.children + (h.unborn.map { [$0] } ?? []),
                adultCount: h.carers.count + h.otherAdults.count))
            households[i].carers = []
            households[i].otherAdults = []
            households[i].children = []
        }
        households = []
        return publicHouseholds
    }

    func report(_ phase: String, _ fraction: Double) {
        progress?(phase, fraction)
    }

    // MARK: - Dates

    func date(_ day: Int) -> CivilDate { CivilDate(daysSince1970: day) }

    /// The National Curriculum year (reception 0, Y1…Y13; nursery −1, −2) in the academic year
    /// containing `asOf` of a child born on `dob`.
    func ncYear(_ dob: CivilDate) -> Int {
        let cohort = dob.month >= 9 ? dob.year : dob.year - 1
        return academicYear - cohort - 5
    }

    /// Whole years of age on `day`.
    func age(_ dob: CivilDate, on day: CivilDate) -> Int {
        var years = day.year - dob.year
        if (day.month, day.day) < (dob.month, dob.day) { years -= 1 }
        return years
    }

    // MARK: - Households and people

    struct Place {
        let district: Int
        let postcode: String
        let address: String
    }

    func makePlace(district: Int, rng: inout SeededRandom) -> Place {
        Self.makePlace(district: district, seed: seed, rng: &rng)
    }

    /// A random postcode unit in `district` (EB<district> <sector><two letters>) and an address on
    /// the street that unit belongs to.
    static func makePlace(district: Int, seed: UInt64, rng: inout SeededRandom) -> Place {
        let sector = rng.int(in: 1...9)
        let i1 = rng.below(20), i2 = rng.below(20)
        let postcode = "EB\(district) \(sector)\(inwardLetters[i1])\(inwardLetters[i2])"
        let unitCode = UInt64(district * 10_000 + sector * 400 + i1 * 20 + i2)
        let street = NameLists.streets[Int(SplitMix64.hash(unitCode ^ seed) % UInt64(NameLists.streets.count))]
        let locality = NameLists.localities[(district - 1) % NameLists.localities.count]
        let number = rng.int(in: 1...220)
        let address: String
        if rng.chance(Prevalence.flat) {
            address = "Flat \(rng.int(in: 1...24)), \(number) \(street), \(locality)"
        } else {
            address = "\(number) \(street), \(locality)"
        }
        return Place(district: district, postcode: postcode, address: address)
    }

    mutating func newHousehold(rng: inout SeededRandom) -> Int {
        let place = makePlace(district: rng.int(in: 1...districtCount), rng: &rng)
        var previous: String?
        if rng.chance(Prevalence.movedRecently) {
            let other = rng.chance(0.5) ? place.district : rng.int(in: 1...districtCount)
            previous = makePlace(district: other, rng: &rng).postcode
        }
        let id = households.count + 1
        households.append(HouseholdDraft(id: id, district: place.district, postcode: place.postcode,
                                         address: place.address, previousPostcode: previous))
        return id
    }

    @discardableResult
    mutating func addPerson(kind: PersonKind, given: String, family: String, sex: Sex,
                            dob: Int?, expected: Int? = nil, household: Int,
                            heritage h: Int, ethnicity e: String) -> Int {
        let id = people.count + 1
        let hh = households[household - 1]
        people.append(SyntheticPerson(
            id: id, kind: kind, givenName: given, familyName: family, sex: sex,
            dateOfBirth: dob.map(date), expectedDateOfBirth: expected.map(date),
            nhsNumber: nil, upn: nil, laChildID: nil, householdID: household,
            postcode: hh.postcode, address: hh.address))
        heritage.append(UInt8(h))
        ethnicity.append(EthnicityCodes.index(e))
        flags.append(0)
        if kind == .child { childCount += 1 }
        return id
    }

    mutating func buildHouseholds() {
        var index: UInt64 = 0
        let expectedHouseholds = max(1, Int(Double(targetChildren) / 1.8))
        // Reserve close to the final sizes: letting the arrays double would briefly hold two copies.
        let expectedPeople = Int(Double(targetChildren) * 2.12) + 1000
        people.reserveCapacity(expectedPeople)
        heritage.reserveCapacity(expectedPeople)
        ethnicity.reserveCapacity(expectedPeople)
        flags.reserveCapacity(expectedPeople)
        households.reserveCapacity(Int(Double(targetChildren) * 0.62) + 100)
        while childCount < targetChildren {
            makeFamilyHousehold(index: index, maxChildren: targetChildren - childCount)
            index += 1
            while Double(firstPregnancies) < Double(childCount) * Prevalence.firstPregnanciesPerChild {
                makeFirstPregnancyHousehold(index: index)
                index += 1
            }
            while Double(careLeaverIDs.count) < Double(childCount) * Prevalence.careLeaversPerChild {
                makeCareLeaverHousehold(index: index, maxChildren: targetChildren - childCount)
                index += 1
            }
            if index % 8192 == 0 {
                report("households", min(1, Double(households.count) / Double(expectedHouseholds)))
            }
        }
    }

    /// Dates of birth for up to `count` siblings, within the child range, eldest first.
    func siblingBirthDays(count: Int, rng: inout SeededRandom) -> [Int] {
        let minDay = CivilDate(year: academicYear - 18, month: 9, day: 1)!.daysSince1970
        let maxDay = asOfDay
        let anchor = rng.int(in: minDay...maxDay)
        var days = [anchor]
        var oldest = anchor, youngest = anchor
        for _ in 1..<max(1, count) {
            if rng.chance(Prevalence.twins) && days.count == 1 {
                days.append(anchor)
                continue
            }
            let gap = rng.hump(in: 330...1500)
            let olderFirst = rng.chance(0.5)
            let older = oldest - gap, younger = youngest + gap
            if olderFirst, older >= minDay {
                days.append(older); oldest = older
            } else if younger <= maxDay {
                days.append(younger); youngest = younger
            } else if older >= minDay {
                days.append(older); oldest = older
            } else {
                break
            }
        }
        return days.sorted()
    }

    func pickHeritage(_ rng: inout SeededRandom) -> Int { rng.pick(NameLists.heritageTable) }

    func givenName(_ h: Heritage, sex: Sex, child: Bool, rng: inout SeededRandom) -> String {
        if child {
            return sex == .female ? rng.pick(h.girls) : rng.pick(h.boys)
        }
        return sex == .female ? rng.pick(h.women) : rng.pick(h.men)
    }

    static func hyphenate(_ a: String, _ b: String) -> String {
        if a == b || a.contains("-") || b.contains("-") || a.contains(" ") || b.contains(" ") { return b }
        return a + "-" + b
    }

    mutating func makeFamilyHousehold(index: UInt64, maxChildren: Int) {
        var rng = SeededRandom(seed: seed, stream: .household, index: index)
        let hid = newHousehold(rng: &rng)
        let single = rng.chance(Prevalence.singleCarer)
        let singleFather = single && rng.chance(Prevalence.singleFather)
        var hA = pickHeritage(&rng)
        let hB = single ? hA : (rng.chance(Prevalence.mixedCouple) ? pickHeritage(&rng) : hA)
        // Hostile names on purpose in the second and fourth household (see HostileData).
        if index == 1 { hA = NameLists.heritages.firstIndex { $0.key == "irish" }! }
        let A = NameLists.heritages[hA], B = NameLists.heritages[single ? hA : hB]

        var k = rng.pick(Weighted(Prevalence.childrenPerHousehold))
        k = max(1, min(k, maxChildren))
        let births = siblingBirthDays(count: k, rng: &rng)
        k = births.count

        // Carers: carer 1 is the mother (or a single father); carer 2 her partner.
        let sameSexCouple = !single && rng.chance(0.03)
        let carer1Sex: Sex = singleFather ? .male : .female
        let carer2Sex: Sex = sameSexCouple ? .female : .male
        let eldest = births[0], youngest = births[births.count - 1]
        var motherDOB = eldest - rng.hump(in: 18...40) * 365 - rng.below(365)
        if youngest - motherDOB > 45 * 365 { motherDOB = youngest - 44 * 365 - rng.below(300) }
        if asOfDay - motherDOB < 18 * 365 + 5 { motherDOB = asOfDay - 18 * 365 - 5 - rng.below(200) }
        var partnerDOB = motherDOB + rng.int(in: -8 * 365...3 * 365)
        if asOfDay - partnerDOB < 18 * 365 + 5 { partnerDOB = asOfDay - 18 * 365 - 5 - rng.below(300) }

        var carer2Surname = rng.pick(B.surnames)
        var ownSurname1 = rng.pick(A.surnames)
        if index == 1 { carer2Surname = "O'Brien"; ownSurname1 = "O'Brien" }
        if index == 3 { carer2Surname = "Smith-Jones" }
        let married = !single && !sameSexCouple && rng.chance(Prevalence.sharedSurname)
        let carer1Surname = married ? carer2Surname : ownSurname1

        // Blended family: the eldest children are from the carer 1's previous relationship.
        let blended = !single && rng.chance(Prevalence.blended)
        let previousCount = blended ? (k == 1 ? 1 : rng.int(in: 1...(k - 1))) : 0
        let absentParentSurname = rng.pick(A.surnames)
        let previousChildrenSurname = rng.chance(0.7) ? absentParentSurname : ownSurname1

        let c1 = addPerson(kind: .adult, given: givenName(A, sex: carer1Sex, child: false, rng: &rng),
                           family: carer1Surname, sex: carer1Sex, dob: motherDOB, household: hid,
                           heritage: hA, ethnicity: A.ethnicity)
        households[hid - 1].carers.append(c1)
        var c2: Int?
        if !single {
            let id = addPerson(kind: .adult, given: givenName(B, sex: carer2Sex, child: false, rng: &rng),
                               family: carer2Surname, sex: carer2Sex, dob: partnerDOB, household: hid,
                               heritage: single ? hA : hB, ethnicity: B.ethnicity)
            households[hid - 1].carers.append(id)
            c2 = id
        }

        // Children.
        let unmarriedChoice = rng.below(100)
        let mixedForSingle = single && rng.chance(0.1) ? pickHeritage(&rng) : hA
        for (i, birth) in births.enumerated() {
            let sex: Sex = rng.chance(0.512) ? .male : .female
            let fromPrevious = i < previousCount
            let surname: String
            let childHeritage: Int
            let childEthnicity: String
            if single {
                surname = singleFather ? carer1Surname : (rng.chance(0.55) ? carer1Surname : absentParentSurname)
                childHeritage = hA
                childEthnicity = NameLists.childEthnicity(A, NameLists.heritages[mixedForSingle])
            } else if fromPrevious {
                surname = previousChildrenSurname
                childHeritage = hA
                childEthnicity = A.ethnicity
            } else {
                if married || sameSexCouple {
                    surname = carer2Surname
                } else if unmarriedChoice < 65 {
                    surname = carer2Surname
                } else if unmarriedChoice < 90 {
                    surname = carer1Surname
                } else {
                    surname = Self.hyphenate(carer1Surname, carer2Surname)
                }
                childHeritage = hA == hB ? hA : (rng.chance(0.5) ? hA : hB)
                childEthnicity = NameLists.childEthnicity(A, B)
            }
            var name = givenName(NameLists.heritages[childHeritage], sex: sex, child: true, rng: &rng)
            if index == 1 && i == 0 { name = sex == .female ? "Zoë" : "Seán" }
            if index == 3 && i == 0 { name = sex == .female ? "Chloë" : "José" }
            let id = addPerson(kind: .child, given: name, family: surname, sex: sex, dob: birth,
                               household: hid, heritage: childHeritage, ethnicity: childEthnicity)
            households[hid - 1].children.append(id)
        }

        // A further adult (grandparent), sometimes.
        if rng.chance(Prevalence.extraAdult) {
            let sex: Sex = rng.chance(0.6) ? .female : .male
            let dob = motherDOB - rng.int(in: 20...34) * 365 - rng.below(365)
            let id = addPerson(kind: .adult, given: givenName(A, sex: sex, child: false, rng: &rng),
                               family: ownSurname1, sex: sex, dob: dob, household: hid,
                               heritage: hA, ethnicity: A.ethnicity)
            households[hid - 1].otherAdults.append(id)
        }

        // A pregnancy, sometimes.
        let motherAge = (asOfDay - motherDOB) / 365
        if carer1Sex == .female, (18...44).contains(motherAge), asOfDay - youngest >= 270,
           rng.chance(Prevalence.pregnantWithChildren) {
            let surname = single ? carer1Surname : (married ? carer2Surname : (unmarriedChoice < 65 ? carer2Surname : carer1Surname))
            let id = addPerson(kind: .unbornChild, given: "Unborn", family: surname, sex: .unknown,
                               dob: nil, expected: asOfDay + rng.int(in: 1...224), household: hid,
                               heritage: hA, ethnicity: c2 == nil ? A.ethnicity : NameLists.childEthnicity(A, B))
            households[hid - 1].unborn = id
        }

        // A parent who lives elsewhere in the area.
        if (single && !singleFather && rng.chance(Prevalence.nonResidentParentInArea))
            || (blended && rng.chance(0.25)) {
            var prng = SeededRandom(seed: seed, stream: .household, index: index ^ 0x8000_0000_0000_0000)
            let other = newHousehold(rng: &prng)
            let dob = motherDOB + prng.int(in: -6 * 365...2 * 365)
            let id = addPerson(kind: .adult, given: givenName(A, sex: .male, child: false, rng: &prng),
                               family: absentParentSurname, sex: .male,
                               dob: min(dob, asOfDay - 18 * 365 - 30), household: other,
                               heritage: hA, ethnicity: A.ethnicity)
            households[other - 1].carers.append(id)
            households[hid - 1].nonResidentParent = id
        }
    }

    mutating func makeFirstPregnancyHousehold(index: UInt64) {
        var rng = SeededRandom(seed: seed, stream: .household, index: index)
        let hid = newHousehold(rng: &rng)
        let hA = pickHeritage(&rng)
        let A = NameLists.heritages[hA]
        let motherDOB = asOfDay - rng.hump(in: 18...36) * 365 - rng.below(365)
        let couple = rng.chance(0.72)
        let partnerSurname = rng.pick(A.surnames)
        let ownSurname = rng.pick(A.surnames)
        let married = couple && rng.chance(0.55)
        let m = addPerson(kind: .adult, given: givenName(A, sex: .female, child: false, rng: &rng),
                          family: married ? partnerSurname : ownSurname, sex: .female, dob: motherDOB,
                          household: hid, heritage: hA, ethnicity: A.ethnicity)
        households[hid - 1].carers.append(m)
        if couple {
            let p = addPerson(kind: .adult, given: givenName(A, sex: .male, child: false, rng: &rng),
                              family: partnerSurname, sex: .male,
                              dob: min(motherDOB + rng.int(in: -6 * 365...2 * 365), asOfDay - 18 * 365 - 30),
                              household: hid, heritage: hA, ethnicity: A.ethnicity)
            households[hid - 1].carers.append(p)
        }
        let u = addPerson(kind: .unbornChild, given: "Unborn", family: couple ? partnerSurname : ownSurname,
                          sex: .unknown, dob: nil, expected: asOfDay + rng.int(in: 1...224),
                          household: hid, heritage: hA, ethnicity: A.ethnicity)
        households[hid - 1].unborn = u
        firstPregnancies += 1
    }

    mutating func makeCareLeaverHousehold(index: UInt64, maxChildren: Int) {
        var rng = SeededRandom(seed: seed, stream: .household, index: index)
        let hid = newHousehold(rng: &rng)
        households[hid - 1].isCareLeaver = true
        let hA = pickHeritage(&rng)
        let A = NameLists.heritages[hA]
        let sex: Sex = rng.chance(0.55) ? .male : .female
        // Aged 18 to 21 at asOf.
        let dob = asOfDay - 18 * 365 - 5 - rng.below(4 * 365 - 10)
        let id = addPerson(kind: .adult, given: givenName(A, sex: sex, child: true, rng: &rng),
                           family: rng.pick(A.surnames), sex: sex, dob: dob, household: hid,
                           heritage: hA, ethnicity: A.ethnicity)
        households[hid - 1].carers.append(id)
        careLeaverIDs.append(id)
        flags[id - 1] |= PersonFlags.careLeaver
        if sex == .female, maxChildren > 0, rng.chance(Prevalence.careLeaverMother) {
            let childSex: Sex = rng.chance(0.5) ? .male : .female
            let birth = asOfDay - rng.below(900)
            let child = addPerson(kind: .child, given: givenName(A, sex: childSex, child: true, rng: &rng),
                                  family: people[id - 1].familyName, sex: childSex, dob: max(birth, dob + 16 * 365),
                                  household: hid, heritage: hA, ethnicity: A.ethnicity)
            households[hid - 1].children.append(child)
        }
    }

    /// Relationships are derived from the finished households, in household order.
    mutating func buildRelationships() {
        var out: [SyntheticRelationship] = []
        out.reserveCapacity(people.count * 2)
        for h in households {
            let kids = h.children + (h.unborn.map { [$0] } ?? [])
            for carer in h.carers {
                for child in kids { out.append(SyntheticRelationship(from: carer, to: child, kind: .parentOrCarer)) }
            }
            if let parent = h.nonResidentParent {
                // Only the children who carry his surname, or all when none do, are his.
                let surname = people[parent - 1].familyName
                let his = h.children.filter { people[$0 - 1].familyName == surname }
                for child in (his.isEmpty ? h.children : his) {
                    out.append(SyntheticRelationship(from: parent, to: child, kind: .parentOrCarer))
                }
            }
            let adults = h.carers + h.otherAdults
            for i in 0..<adults.count {
                for j in (i + 1)..<max(i + 1, adults.count) {
                    out.append(SyntheticRelationship(from: min(adults[i], adults[j]), to: max(adults[i], adults[j]),
                                                     kind: .householdMember))
                }
            }
            for other in h.otherAdults {
                for child in kids { out.append(SyntheticRelationship(from: other, to: child, kind: .householdMember)) }
            }
            for i in 0..<kids.count {
                for j in (i + 1)..<max(i + 1, kids.count) {
                    out.append(SyntheticRelationship(from: min(kids[i], kids[j]), to: max(kids[i], kids[j]), kind: .sibling))
                }
            }
        }
        relationships = out
    }

    // MARK: - GP practices and NHS numbers

    mutating func assignGPPractices() {
        var peoplePerDistrict = [Int](repeating: 0, count: districtCount + 1)
        for h in households {
            peoplePerDistrict[h.district] += h.carers.count + h.otherAdults.count + h.children.count
        }
        var firstPractice = [Int](repeating: 0, count: districtCount + 2)
        var practiceNames: [(String, Int)] = []
        for d in 1...districtCount {
            firstPractice[d] = gpPractices.count
            let n = max(1, Int((Double(peoplePerDistrict[d]) / Double(Prevalence.peoplePerGPPractice)).rounded(.up)))
            for i in 0..<n {
                let ods = "Z9" + Self.pad(gpPractices.count + 1, 4)
                gpPractices.append(ods)
                practiceNames.append((ods, d * 100 + i))
            }
        }
        firstPractice[districtCount + 1] = gpPractices.count
        for i in households.indices {
            let d = households[i].district
            let count = firstPractice[d + 1] - firstPractice[d]
            let pick = Int(SplitMix64.hash(seed ^ 0x6750, UInt64(i)) % UInt64(count))
            households[i].gpPractice = firstPractice[d] + pick
        }
        gpPracticeDistricts = practiceNames.map { $0.1 / 100 }
    }

    var gpPracticeDistricts: [Int] = []

    /// NHS numbers for everyone born, except a few recent arrivals not yet registered:
    /// 999 + 6 digits + check digit, walking the 999 block in a seeded order, then 998, 997…
    mutating func assignNHSNumbers() {
        let blockSize = 1_000_000
        let multiplier = 387_403          // coprime with 10⁶, so j ↦ (a·j + c) mod 10⁶ is a permutation
        let offset = Int(SplitMix64.hash(seed ^ 0x4E48_5320) % UInt64(blockSize))
        var block = 999
        var j = 0
        for i in people.indices {
            let p = people[i]
            guard p.kind != .unbornChild else { continue }
            var rng = SeededRandom(seed: seed, stream: .identifiers, index: UInt64(p.id))
            if rng.chance(0.004) { continue }     // not yet registered with a GP
            while true {
                if j == blockSize {
                    j = 0
                    block -= 1
                    precondition(block >= 900, "too many people for the synthetic NHS number ranges")
                }
                let body = (multiplier &* j &+ offset) % blockSize
                j += 1
                let firstNine = String(block) + Self.pad(body, 6)
                if let check = NHSNumber.checkDigit(forFirstNine: firstNine) {
                    people[i].nhsNumber = firstNine + String(check)
                    break
                }
            }
        }
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// Working days (Monday–Friday, not an England and Wales bank holiday), precomputed around the
/// as-of date. Outside the bank-holiday data's years, only weekends are skipped.
struct WorkingDays: Sendable {
    private let holidays: Set<Int>

    init(around asOf: CivilDate) {
        var set = Set<Int>()
        let calendar = BankHolidays.englandAndWales
        for event in calendar.events where abs(event.date.year - asOf.year) <= 12 {
            set.insert(event.date.daysSince1970)
        }
        holidays = set
    }

    func isWorkingDay(_ day: Int) -> Bool {
        let weekday = ((day + 3) % 7 + 7) % 7     // 0 = Monday
        return weekday < 5 && !holidays.contains(day)
    }

    /// `n` working days after `day` (day 0 is `day` itself); negative `n` goes back.
    func adding(_ n: Int, to day: Int) -> Int {
        var d = day
        var left = abs(n)
        let step = n >= 0 ? 1 : -1
        while left > 0 {
            d += step
            if isWorkingDay(d) { left -= 1 }
        }
        return d
    }

    /// `day` if it is a working day, else the next working day.
    func onOrAfter(_ day: Int) -> Int {
        var d = day
        while !isWorkingDay(d) { d += 1 }
        return d
    }

    /// `day` if it is a working day, else the previous one.
    func onOrBefore(_ day: Int) -> Int {
        var d = day
        while !isWorkingDay(d) { d -= 1 }
        return d
    }
}
