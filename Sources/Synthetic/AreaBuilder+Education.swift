import EyesOnCore

/// A school, nursery or college of the area.
struct EducationSetting: Sendable {
    enum Phase: UInt8, Sendable { case primary, secondary, special, nursery, college }
    let urn: Int
    let key: String
    let name: String
    let phase: Phase
    let district: Int
    let postcode: String
    /// The 4-digit DfE establishment number used in the UPNs it allocates.
    let establishment: Int
    let hasSixthForm: Bool

    var kind: AgencyKind {
        switch phase {
        case .primary, .secondary, .special: .school
        case .nursery: .nursery
        case .college: .college
        }
    }

    /// Takes daily attendance marks (schools; not nurseries or colleges).
    var takesRegister: Bool { kind == .school }
}

extension AreaBuilder {
    /// Where a child is educated at `asOf`.
    enum Placement: UInt8 {
        case none, primary, secondary, sixthForm, college, special, nurseryClass, pviNursery
    }

    // MARK: Term dates

    /// The first day of the autumn term of `year` (demo calendar, else the first weekday from 3 September).
    func autumnStart(_ year: Int) -> Int {
        if let term = schoolCalendar.terms.first(where: { $0.start.year == year && $0.start.month == 9 }) {
            return term.start.daysSince1970
        }
        return workingDays.onOrAfter(CivilDate(year: year, month: 9, day: 3)!.daysSince1970)
    }

    /// The last day of the summer term of `year` (demo calendar, else the weekday on or before 22 July).
    func summerEnd(_ year: Int) -> Int {
        if let term = schoolCalendar.terms.first(where: { $0.end.year == year && $0.end.month == 7 }) {
            return term.end.daysSince1970
        }
        return workingDays.onOrBefore(CivilDate(year: year, month: 7, day: 22)!.daysSince1970)
    }

    /// The first day of the spring term of `year`.
    func springStart(_ year: Int) -> Int {
        if let term = schoolCalendar.terms.first(where: { $0.start.year == year && $0.start.month == 1 }) {
            return term.start.daysSince1970
        }
        return workingDays.onOrAfter(CivilDate(year: year, month: 1, day: 6)!.daysSince1970)
    }

    // MARK: Building

    mutating func buildEducation() {
        let n = people.count
        var placement = [Placement](repeating: .none, count: n)
        // Placement per child, counted by district.
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 8), count: districtCount + 1)
        for h in households {
            for c in h.children {
                let p = people[c - 1]
                guard let dob = p.dateOfBirth else { continue }
                var rng = SeededRandom(seed: seed, stream: .enrolment, index: UInt64(c))
                let nc = ncYear(dob)
                let place: Placement
                switch nc {
                case ..<(-2):
                    place = .none
                case -2:
                    place = rng.chance(Prevalence.pviNurseryTwo) ? .pviNursery : .none
                case -1:
                    let u = rng.unit()
                    place = u < Prevalence.nurseryClass ? .nurseryClass
                        : (u < Prevalence.nurseryClass + Prevalence.pviNurseryThreeFour ? .pviNursery : .none)
                case 0...11:
                    if nc >= 1 && rng.chance(Prevalence.neverEnrolled) {
                        place = .none
                    } else if rng.chance(Prevalence.specialSchool) {
                        place = .special
                    } else {
                        place = nc <= 6 ? .primary : .secondary
                    }
                default:
                    if rng.chance(Prevalence.specialSchool) {
                        place = .special
                    } else {
                        let u = rng.unit()
                        place = u < Prevalence.sixthFormAtSchool ? .sixthForm
                            : (u < Prevalence.sixthFormAtSchool + Prevalence.sixthFormAtCollege ? .college : .none)
                    }
                }
                placement[c - 1] = place
                counts[h.district][Int(place.rawValue)] += 1
            }
        }
        createSettings(counts: counts)

        // Settings by district and phase.
        var byDistrict = [[[Int]]](repeating: [[Int]](repeating: [], count: 5), count: districtCount + 1)
        var sixthForms: [[Int]] = [[Int]](repeating: [], count: districtCount + 1)
        var allSixthForms: [Int] = []
        var specials: [Int] = [], colleges: [Int] = []
        for (i, s) in settings.enumerated() {
            byDistrict[s.district][Int(s.phase.rawValue)].append(i)
            if s.phase == .secondary && s.hasSixthForm { sixthForms[s.district].append(i); allSixthForms.append(i) }
            if s.phase == .special { specials.append(i) }
            if s.phase == .college { colleges.append(i) }
        }
        func choose(_ list: [Int], _ rng: inout SeededRandom) -> Int? { list.isEmpty ? nil : rng.pick(list) }
        let districts = districtCount
        func anyOf(_ phase: EducationSetting.Phase, district: Int, _ rng: inout SeededRandom) -> Int? {
            if let i = choose(byDistrict[district][Int(phase.rawValue)], &rng) { return i }
            for d in 1...districts {
                if let i = choose(byDistrict[d][Int(phase.rawValue)], &rng) { return i }
            }
            return nil
        }

        currentSetting = [Int32](repeating: -1, count: n)
        var firstSchool = [Int32](repeating: -1, count: n)
        var firstSchoolYear = [Int16](repeating: 0, count: n)
        let Y = academicYear
        enrolments.reserveCapacity(n)

        for h in households {
            for c in h.children {
                let place = placement[c - 1]
                guard place != .none, let dob = people[c - 1].dateOfBirth else { continue }
                var rng = SeededRandom(seed: seed, stream: .enrolment, index: UInt64(c) ^ 0x5EED_0000_0000)
                let nc = ncYear(dob)
                let dobDay = dob.daysSince1970
                let d = h.district
                var setting: Int?
                var from = 0
                var previous: (Int, Int, Int)?        // (setting, from, to)
                switch place {
                case .primary:
                    setting = anyOf(.primary, district: d, &rng)
                    let reception = autumnStart(Y - nc)
                    if rng.chance(0.8) {
                        from = (nc == 0 && rng.chance(0.35)) ? autumnStart(Y - 1) : reception
                    } else {
                        from = rng.int(in: reception...max(reception, asOfDay - 1))
                    }
                case .secondary:
                    setting = anyOf(.secondary, district: d, &rng)
                    let start = autumnStart(Y - (nc - 7))
                    from = rng.chance(0.88) ? start : rng.int(in: start...max(start, asOfDay - 1))
                    if nc == 7, let p = anyOf(.primary, district: d, &rng) {
                        previous = (p, autumnStart(Y - 7), summerEnd(Y))
                    }
                case .sixthForm:
                    setting = choose(sixthForms[d], &rng) ?? choose(allSixthForms, &rng) ?? anyOf(.secondary, district: d, &rng)
                    from = autumnStart(Y - (nc - 7))
                case .college:
                    setting = choose(colleges, &rng)
                    from = autumnStart(Y - (nc - 12))
                    if nc == 12, let s = anyOf(.secondary, district: d, &rng) {
                        previous = (s, autumnStart(Y - 5), summerEnd(Y))
                    }
                case .special:
                    let local = specials.filter { settings[$0].district == d }
                    setting = choose(local, &rng) ?? choose(specials, &rng)
                    let start = autumnStart(Y - max(0, nc))
                    from = rng.int(in: start...max(start, min(asOfDay - 1, start + 3 * 365)))
                case .nurseryClass:
                    setting = anyOf(.primary, district: d, &rng)
                    let spring = springStart(Y + 1)
                    from = (spring <= asOfDay && rng.chance(0.3)) ? spring : autumnStart(Y)
                case .pviNursery:
                    setting = anyOf(.nursery, district: d, &rng)
                    let earliest = dobDay + (nc == -2 ? 730 : 270)
                    from = rng.int(in: min(earliest, asOfDay)...max(earliest, asOfDay - 1))
                case .none:
                    break
                }
                guard let s = setting else { continue }
                from = min(max(from, dobDay + 1), asOfDay)
                let compulsory = nc >= 1 && nc <= 11
                if let (ps, pf, pt) = previous, pt < asOfDay {
                    addEnrolment(c, ps, from: pf, to: pt)
                }
                if compulsory && rng.chance(Prevalence.leftRollNoDestination) {
                    // Left the roll with no known destination: no new enrolment.
                    let lower = max(from + 20, asOfDay - 150)
                    let to = lower < asOfDay ? rng.int(in: lower...(asOfDay - 1)) : asOfDay - 1
                    if to > from {
                        addEnrolment(c, s, from: from, to: to)
                        noteFirstSchool(c, s, from: from, firstSchool: &firstSchool, year: &firstSchoolYear)
                        continue
                    }
                }
                let phase = settings[s].phase
                if compulsory && (phase == .primary || phase == .secondary) && rng.chance(Prevalence.movedSchool) {
                    let earliest = max(from, autumnStart(Y)) + 10
                    let latest = asOfDay - 5
                    let others = byDistrict[rng.int(in: 1...districtCount)][Int(phase.rawValue)].filter { $0 != s }
                    if earliest < latest, let old = choose(others, &rng) {
                        let moveDay = rng.int(in: earliest...latest)
                        let newFrom = min(workingDays.onOrAfter(moveDay + rng.int(in: 1...10)), asOfDay)
                        addEnrolment(c, old, from: from, to: moveDay)
                        addEnrolment(c, s, from: newFrom, to: nil)
                        currentSetting[c - 1] = Int32(s)
                        noteFirstSchool(c, old, from: from, firstSchool: &firstSchool, year: &firstSchoolYear)
                        continue
                    }
                }
                addEnrolment(c, s, from: from, to: nil)
                currentSetting[c - 1] = Int32(s)
                if phase != .nursery {
                    // The school that allocated the UPN: the reception (or nursery class) school, or
                    // for later joiners a primary of the district.
                    if place == .primary && from <= autumnStart(Y - nc) || place == .nurseryClass {
                        noteFirstSchool(c, s, from: from, firstSchool: &firstSchool, year: &firstSchoolYear)
                    } else if let p = anyOf(.primary, district: d, &rng) {
                        let receptionYear = Y - max(0, min(nc, 13))
                        firstSchool[c - 1] = Int32(p)
                        firstSchoolYear[c - 1] = Int16(receptionYear)
                    } else {
                        noteFirstSchool(c, s, from: from, firstSchool: &firstSchool, year: &firstSchoolYear)
                    }
                }
            }
        }

        // School-age children never on a roll here: half had been at school before (so have a UPN).
        for h in households {
            for c in h.children where placement[c - 1] == .none && firstSchool[c - 1] < 0 {
                guard let dob = people[c - 1].dateOfBirth else { continue }
                let nc = ncYear(dob)
                guard nc >= 1 else { continue }
                var rng = SeededRandom(seed: seed, stream: .enrolment, index: UInt64(c) ^ 0xE4E0_0000_0000)
                if rng.chance(0.5), let p = anyOf(.primary, district: h.district, &rng) {
                    firstSchool[c - 1] = Int32(p)
                    firstSchoolYear[c - 1] = Int16(Y - min(nc, 13))
                }
            }
        }
        // Care leavers went to school here.
        for id in careLeaverIDs {
            guard let dob = people[id - 1].dateOfBirth else { continue }
            var rng = SeededRandom(seed: seed, stream: .enrolment, index: UInt64(id) ^ 0xCA4E_0000_0000)
            if let p = anyOf(.primary, district: households[people[id - 1].householdID - 1].district, &rng) {
                let cohort = dob.month >= 9 ? dob.year : dob.year - 1
                firstSchool[id - 1] = Int32(p)
                firstSchoolYear[id - 1] = Int16(cohort + 5)
            }
        }
        allocateUPNs(firstSchool: firstSchool, year: firstSchoolYear)
    }

    mutating func addEnrolment(_ person: Int, _ setting: Int, from: Int, to: Int?) {
        enrolments.append(SyntheticEnrolment(personID: person, agencyKey: settings[setting].key,
                                             from: date(from), to: to.map(date)))
    }

    func noteFirstSchool(_ person: Int, _ setting: Int, from: Int, firstSchool: inout [Int32], year: inout [Int16]) {
        guard settings[setting].phase != .nursery, settings[setting].phase != .college else { return }
        firstSchool[person - 1] = Int32(setting)
        let d = date(from)
        year[person - 1] = Int16(d.month >= 9 ? d.year : d.year - 1)
    }

    /// UPN = check letter + LA code (3) + establishment number (4) + the last two digits of the
    /// academic year of allocation + a 3-digit serial, in person order.
    mutating func allocateUPNs(firstSchool: [Int32], year: [Int16]) {
        var serials: [Int: Int] = [:]
        for i in people.indices where firstSchool[i] >= 0 {
            var estab = settings[Int(firstSchool[i])].establishment
            let yy = Int(year[i]) % 100
            var serial: Int
            repeat {
                let key = estab * 100 + yy
                serial = serials[key, default: 0] + 1
                if serial > 999 { estab = 1000 + (estab + 1) % 9000; continue }
                serials[key] = serial
                break
            } while true
            let body = SyntheticArea.laCode + Self.pad(estab, 4) + Self.pad(yy, 2) + Self.pad(serial, 3)
            people[i].upn = String(UPN.checkLetter(forLastTwelve: body)) + body
        }
    }

    mutating func createSettings(counts: [[Int]]) {
        var rng = SeededRandom(seed: seed, stream: .schools)
        var primaryNo = 0, secondaryNo = 0, specialNo = 0, nurseryNo = 0, collegeNo = 0
        func count(_ c: [Int], _ places: [Placement]) -> Int { places.reduce(0) { $0 + c[Int($1.rawValue)] } }
        var totalSpecial = 0, totalCollege = 0
        for d in 1...districtCount {
            let locality = NameLists.localities[(d - 1) % NameLists.localities.count]
            let primaryPupils = count(counts[d], [.primary, .nurseryClass])
            let nPrimary = primaryPupils == 0 ? 0 : max(1, Int((Double(primaryPupils) / Double(Prevalence.primaryPupilsPerSchool)).rounded()))
            for i in 0..<nPrimary {
                primaryNo += 1
                let name: String
                switch rng.below(6) {
                case 0: name = "St \(rng.pick(NameLists.saints))'s CofE Primary School"
                case 1: name = "St \(rng.pick(NameLists.saints))'s Catholic Primary School"
                case 2: name = "\(rng.pick(NameLists.trees)) Tree Primary Academy"
                case 3: name = "\(locality) Infant and Junior School"
                default: name = i == 0 ? "\(locality) Primary School" : "\(locality) \(["North", "South", "East", "West", "Park", "Green", "Vale", "Hill"][i % 8]) Primary School"
                }
                addSetting(urn: 910_000 + primaryNo, phase: .primary, name: name, district: d,
                           establishment: 2000 + (primaryNo - 1) % 2000, sixthForm: false, rng: &rng)
            }
            let secondaryPupils = count(counts[d], [.secondary, .sixthForm])
            let nSecondary = secondaryPupils == 0 ? 0 : max(1, Int((Double(secondaryPupils) / Double(Prevalence.secondaryPupilsPerSchool)).rounded()))
            for i in 0..<nSecondary {
                secondaryNo += 1
                let names = ["\(locality) High School", "\(locality) Academy", "\(locality) School",
                             "The \(rng.pick(NameLists.trees)) Academy", "St \(rng.pick(NameLists.saints))'s Catholic High School",
                             "\(locality) Community School"]
                addSetting(urn: 930_000 + secondaryNo, phase: .secondary, name: i == 0 ? names[0] : names[1 + rng.below(5)] + (i > 1 ? " \(i)" : ""),
                           district: d, establishment: 4000 + (secondaryNo - 1) % 2000,
                           sixthForm: i == 0 || rng.chance(Prevalence.secondaryWithSixthForm), rng: &rng)
            }
            let pvi = counts[d][Int(Placement.pviNursery.rawValue)]
            let nNursery = pvi == 0 ? 0 : max(1, Int((Double(pvi) / Double(Prevalence.nurseryChildrenPerNursery)).rounded()))
            for _ in 0..<nNursery {
                nurseryNo += 1
                let suffix = ["Day Nursery", "Nursery", "Pre-School", "Nursery & Pre-School"][rng.below(4)]
                addSetting(urn: 950_000 + nurseryNo, phase: .nursery,
                           name: "\(rng.pick(NameLists.nurseryNames)) \(suffix), \(locality)", district: d,
                           establishment: 1000 + (nurseryNo - 1) % 1000, sixthForm: false, rng: &rng)
            }
            totalSpecial += counts[d][Int(Placement.special.rawValue)]
            totalCollege += counts[d][Int(Placement.college.rawValue)]
        }
        let nSpecial = totalSpecial == 0 ? 0 : max(1, Int((Double(totalSpecial) / Double(Prevalence.specialPupilsPerSchool)).rounded()))
        let specialNames = ["Brookside School", "Oakfield Academy", "The Willows School", "Meadowbank School",
                            "Highgrove Specialist College", "Rainbow Bridge School", "Fernhill School", "Larkfield School"]
        for i in 0..<nSpecial {
            specialNo += 1
            let d = 1 + (i * districtCount) / max(1, nSpecial)
            addSetting(urn: 940_000 + specialNo, phase: .special,
                       name: specialNames[i % specialNames.count] + (i >= specialNames.count ? " \(i / specialNames.count + 1)" : ""),
                       district: d, establishment: 7000 + (specialNo - 1) % 1000, sixthForm: true, rng: &rng)
        }
        let nCollege = totalCollege == 0 ? 0 : max(1, Int((Double(totalCollege) / Double(Prevalence.collegeStudentsPerCollege)).rounded()))
        for i in 0..<nCollege {
            collegeNo += 1
            let d = 1 + (i * districtCount) / max(1, nCollege)
            let locality = NameLists.localities[(d - 1) % NameLists.localities.count]
            addSetting(urn: 980_000 + collegeNo, phase: .college,
                       name: i == 0 ? "\(AreaBuilder.laName) College" : "\(locality) Sixth Form College",
                       district: d, establishment: 8000 + (collegeNo - 1) % 1000, sixthForm: true, rng: &rng)
        }
    }

    mutating func addSetting(urn: Int, phase: EducationSetting.Phase, name: String, district: Int,
                             establishment: Int, sixthForm: Bool, rng: inout SeededRandom) {
        let prefix: String
        switch phase {
        case .primary, .secondary, .special: prefix = "school-"
        case .nursery: prefix = "nursery-"
        case .college: prefix = "college-"
        }
        let place = makePlace(district: district, rng: &rng)
        settings.append(EducationSetting(urn: urn, key: prefix + String(urn), name: name, phase: phase,
                                         district: district, postcode: place.postcode,
                                         establishment: establishment, hasSixthForm: sixthForm))
    }

    /// The council's services, the police force, every setting, and the health organisations.
    mutating func addHealthAndCouncilAgencies() {
        var list: [SyntheticAgency] = [
            SyntheticAgency(key: "la-csc", name: "\(Self.laName) Council Children's Social Care",
                            kind: .laChildrensSocialCare, urn: nil, odsCode: nil, postcode: "EB1 1AA"),
            SyntheticAgency(key: "la-education", name: "\(Self.laName) Council Education Services",
                            kind: .laEducation, urn: nil, odsCode: nil, postcode: "EB1 1AA"),
            SyntheticAgency(key: "virtual-school", name: "\(Self.laName) Virtual School",
                            kind: .virtualSchool, urn: nil, odsCode: nil, postcode: "EB1 1AA"),
            SyntheticAgency(key: "yjs", name: "\(Self.laName) Youth Justice Service",
                            kind: .youthJustice, urn: nil, odsCode: nil, postcode: "EB1 1AB"),
            SyntheticAgency(key: "police", name: "Eastshire Constabulary",
                            kind: .policeForce, urn: nil, odsCode: nil, postcode: "EB1 2PD"),
        ]
        for s in settings {
            list.append(SyntheticAgency(key: s.key, name: s.name, kind: s.kind, urn: s.urn, odsCode: nil, postcode: s.postcode))
        }
        list.append(SyntheticAgency(key: "health-" + Self.healthVisitingODS, name: "\(Self.laName) Health Visiting Service",
                                    kind: .healthOrganisation, urn: nil, odsCode: Self.healthVisitingODS, postcode: "EB1 3HW"))
        list.append(SyntheticAgency(key: "health-" + Self.maternityODS, name: "\(Self.laName) General Hospital Maternity Unit",
                                    kind: .healthOrganisation, urn: nil, odsCode: Self.maternityODS, postcode: "EB1 3NU"))
        list.append(SyntheticAgency(key: "health-" + Self.schoolNursingODS, name: "\(Self.laName) School Nursing Service",
                                    kind: .healthOrganisation, urn: nil, odsCode: Self.schoolNursingODS, postcode: "EB1 3HW"))
        var rng = SeededRandom(seed: seed, stream: .schools, index: 77)
        for (i, ods) in gpPractices.enumerated() {
            let d = gpPracticeDistricts[i]
            let locality = NameLists.localities[(d - 1) % NameLists.localities.count]
            let style = ["\(locality) Medical Practice", "\(rng.pick(NameLists.streets)) Surgery",
                         "\(locality) Health Centre", "The \(rng.pick(NameLists.trees)) Tree Surgery"][rng.below(4)]
            list.append(SyntheticAgency(key: "health-" + ods, name: style, kind: .healthOrganisation, urn: nil,
                                        odsCode: ods, postcode: makePlace(district: d, rng: &rng).postcode))
        }
        agencies = list
    }
}
