import EyesOnCore

/// Code tables for children's social care, weighted roughly as in national returns.
enum CareCodes {
    static let referralSource = Weighted([
        ("6", 28), ("2A", 20), ("3A", 3), ("3B", 3), ("3C", 1), ("3D", 2), ("3E", 3), ("3F", 2),
        ("5A", 4), ("5B", 3), ("5C", 1), ("5D", 5), ("1A", 5), ("1B", 1), ("1C", 2), ("1D", 1),
        ("4", 2), ("7", 3), ("8", 6), ("9", 2), ("10", 1), ("2B", 2),
    ])
    static let primaryNeed = Weighted([
        ("N1", 57), ("N2", 9), ("N3", 4), ("N4", 8), ("N5", 12), ("N6", 3), ("N7", 1), ("N8", 4), ("N0", 2),
    ])
    static let category = Weighted([("NEG", 50), ("EMO", 38), ("PHY", 7), ("SAB", 4), ("MUL", 1)])
    static let disability = Weighted([
        ("AUT", 30), ("LD", 25), ("COMM", 15), ("BEH", 12), ("MOB", 6), ("HAND", 2), ("PC", 3), ("INC", 2),
        ("HEAR", 3), ("VIS", 3), ("CON", 2), ("DDA", 5),
    ])
    /// Assessment factors for any child; teenagers add ``teenFactors``.
    static let factors = Weighted([
        ("3B", 30), ("4B", 24), ("2B", 12), ("1B", 9), ("16A", 12), ("17A", 12), ("18C", 5), ("19C", 2),
        ("4A", 6), ("6A", 3), ("5A", 2), ("5B", 2), ("7A", 2), ("3C", 3), ("4C", 2), ("20", 5), ("6B", 2),
        ("18B", 1), ("23A", 1), ("8E", 1),
    ])
    static let teenFactors = Weighted([
        ("24A", 22), ("10A", 18), ("11A", 10), ("13A", 8), ("15A", 14), ("14A", 10), ("2A", 8), ("1A", 4),
        ("4A", 6), ("19B", 2), ("12A", 1),
    ])
    static let placeChangeReason = Weighted([
        ("CARPL", 35), ("CREQB", 15), ("CREQO", 10), ("CHILD", 8), ("LAREQ", 8), ("STAND", 5), ("ALLEG", 4),
        ("CLOSE", 4), ("APPRR", 2), ("PLACE", 3), ("CUSTOD", 1), ("OTHER", 5),
    ])
    static let reviewParticipation = Weighted([
        ("PN1", 45), ("PN2", 15), ("PN3", 8), ("PN4", 5), ("PN5", 10), ("PN6", 12), ("PN7", 5),
    ])
    static let inTouch = Weighted([("YES", 85), ("NO", 5), ("REFU", 3), ("NREQ", 4), ("RHOM", 3)])
    static let activity = Weighted([
        ("F1", 8), ("P1", 1), ("F2", 20), ("P2", 5), ("F4", 6), ("F5", 10), ("P5", 6), ("G4", 10), ("G5", 28), ("G6", 6),
    ])
    static let accommodation = Weighted([
        ("U1", 30), ("Z1", 10), ("B1", 15), ("D1", 15), ("E1", 8), ("K1", 5), ("T1", 5), ("C1", 2), ("S2", 1),
        ("W2", 1), ("X2", 2), ("Y1", 3), ("V2", 2), ("D2", 1),
    ])
}

/// A placement: where a looked-after child lives.
struct PlacementPlace {
    let postcode: String
    let address: String
    let urn: String
}

extension AreaBuilder {
    enum CareOutcome { case none, closed, childInNeed, protectionPlan, lookedAfter, ceasedLookedAfter }

    mutating func buildSocialCare() {
        socialCareIndex = [Int32](repeating: -1, count: people.count)
        // The domestic-abuse multiplier is normalised so the overall rates stay as configured.
        var daChildren = 0, allChildren = 0
        for p in people where p.kind == .child {
            allChildren += 1
            if flags[p.id - 1] & PersonFlags.domesticAbuseHousehold != 0 { daChildren += 1 }
        }
        let daShare = allChildren == 0 ? 0 : Double(daChildren) / Double(allChildren)
        let norm = 1 + (Prevalence.domesticAbuseMultiplier - 1) * daShare
        var homes = ChildrensHomes(seed: seed, districtCount: districtCount)

        var laNumber = 0
        let idOffset = Int(SplitMix64.hash(seed ^ 0x1A_C41D) % 9_000_000)
        func nextLAChildID() -> String {
            let n = 1_000_000 + (7_777_777 &* laNumber &+ idOffset) % 9_000_000
            laNumber += 1
            return "EB" + String(n)
        }

        let count = people.count
        for i in 0..<count {
            let p = people[i]
            var rng = SeededRandom(seed: seed, stream: .socialCare, index: UInt64(p.id))
            var outcome = CareOutcome.none
            switch p.kind {
            case .child:
                let m = (flags[i] & PersonFlags.domesticAbuseHousehold != 0 ? Prevalence.domesticAbuseMultiplier : 1) / norm
                let u = rng.unit()
                let bands: [(Double, CareOutcome)] = [
                    (Prevalence.lookedAfter, .lookedAfter), (Prevalence.protectionPlan, .protectionPlan),
                    (Prevalence.childInNeed, .childInNeed), (Prevalence.ceasedLookedAfter, .ceasedLookedAfter),
                    (Prevalence.closedEpisode, .closed),
                ]
                var t = 0.0
                for (rate, band) in bands {
                    t += rate * m
                    if u < t { outcome = band; break }
                }
            case .unbornChild:
                // Known to social care from about 14 weeks; a third with a pre-birth plan.
                let weeksToGo = (p.expectedDateOfBirth!.daysSince1970 - asOfDay) / 7
                if weeksToGo <= 26 && rng.chance(Prevalence.unbornKnown) {
                    outcome = weeksToGo <= 21 && rng.chance(0.35) ? .protectionPlan : .childInNeed
                }
            case .adult:
                break
            }
            let isCareLeaver = flags[i] & PersonFlags.careLeaver != 0
            if outcome == .none && !isCareLeaver { continue }
            let record: SyntheticSocialCareRecord
            if isCareLeaver {
                record = careLeaverRecord(p, laChildID: nextLAChildID(), rng: &rng, homes: &homes)
            } else {
                record = childRecord(p, outcome: outcome, laChildID: nextLAChildID(), rng: &rng, homes: &homes)
            }
            socialCareIndex[i] = Int32(socialCare.count)
            people[i].laChildID = record.laChildID
            switch record.status {
            case .lookedAfter:
                flags[i] |= PersonFlags.lookedAfter | PersonFlags.childInNeed
                if let current = record.careEpisodes.last, current.placement != "P1" {
                    people[i].postcode = current.placementPostcode
                    people[i].address = homes.address(for: current.placementPostcode) ?? people[i].address
                }
            case .childProtectionPlan: flags[i] |= PersonFlags.protectionPlan | PersonFlags.childInNeed
            case .childInNeed: flags[i] |= PersonFlags.childInNeed
            case .careLeaver: flags[i] |= PersonFlags.careLeaver
            case .closed: break
            }
            socialCare.append(record)
        }
    }

    // MARK: - Children

    func factorsFor(age: Int, domesticAbuse: Bool, rng: inout SeededRandom) -> [String] {
        var out: [String] = []
        if domesticAbuse && rng.chance(0.8) { out.append("3B") }
        let n = rng.int(in: 1...3)
        for _ in 0..<n {
            let f = (age >= 11 && rng.chance(0.45)) ? rng.pick(CareCodes.teenFactors) : rng.pick(CareCodes.factors)
            if !out.contains(f) { out.append(f) }
        }
        return out
    }

    func disabilities(_ rng: inout SeededRandom) -> [String] {
        guard rng.chance(0.13) else { return [] }
        var out = [rng.pick(CareCodes.disability)]
        if rng.chance(0.3) {
            let second = rng.pick(CareCodes.disability)
            if second != out[0] { out.append(second) }
        }
        return out
    }

    /// Three months after `day` (clamped to the month's last day), as a day number.
    func months(_ n: Int, after day: Int) -> Int { date(day).adding(months: n).daysSince1970 }

    /// CPP review conferences: the first within 3 months of the ICPC, then at most every 6 months.
    func protectionReviews(start: Int, until end: Int, rng: inout SeededRandom) -> [Int] {
        var out: [Int] = []
        var next = workingDays.onOrBefore(months(3, after: start) - rng.below(10))
        while next <= end {
            out.append(next)
            next = workingDays.onOrBefore(months(6, after: next) - rng.below(15))
        }
        return out
    }

    func childRecord(_ p: SyntheticPerson, outcome: CareOutcome, laChildID: String,
                              rng: inout SeededRandom, homes: inout ChildrensHomes) -> SyntheticSocialCareRecord {
        let i = p.id - 1
        let da = flags[i] & PersonFlags.domesticAbuseHousehold != 0
        let born = p.dateOfBirth?.daysSince1970
        let earliest = born ?? (p.expectedDateOfBirth!.daysSince1970 - 196)   // 12 weeks into a pregnancy
        let age = p.dateOfBirth.map { self.age($0, on: asOf) } ?? -1
        var episodes: [SyntheticCINEpisode] = []
        var careEpisodes: [SyntheticCareEpisode] = []
        var reviews: [SyntheticLACReview] = []
        var missing: [SyntheticMissingEpisode] = []
        let homePostcode = households[p.householdID - 1].postcode

        switch outcome {
        case .none:
            break
        case .closed:
            let r = workingDays.onOrAfter(max(earliest + 1, asOfDay - rng.int(in: 1...395)))
            if r <= asOfDay {
                episodes.append(shortEpisode(referral: r, age: age, da: da, rng: &rng, allowOpen: true))
            }
        case .childInNeed:
            episodes.append(openChildInNeed(earliest: earliest, age: age, da: da, rng: &rng))
        case .protectionPlan:
            episodes.append(openProtectionPlan(earliest: earliest, age: age, da: da, rng: &rng))
        case .lookedAfter, .ceasedLookedAfter:
            let ageDays = asOfDay - (born ?? asOfDay)
            var start: Int
            if rng.chance(0.35) || ageDays < 400 {
                start = asOfDay - rng.int(in: 1...max(1, min(364, ageDays)))
            } else {
                start = asOfDay - rng.int(in: 365...max(365, min(ageDays, 3650)))
            }
            start = max(start, (born ?? asOfDay) + 1)
            var end: Int?
            if outcome == .ceasedLookedAfter {
                if asOfDay - start < 30 { start = max((born ?? asOfDay) + 1, asOfDay - 60) }
                let lower = max(start + 14, asOfDay - 364)
                end = lower < asOfDay ? rng.int(in: lower...(asOfDay - 1)) : nil
            }
            let referral = workingDays.onOrAfter(max(earliest + 1, start - rng.skewedLow(in: 0...300)))
            let hadPlan = start - referral > 40 && rng.chance(0.45)
            let (chain, exit) = careChain(start: start, end: end, age: age, dob: born ?? start,
                                          homePostcode: homePostcode, rng: &rng, homes: &homes)
            careEpisodes = chain
            episodes.append(lookedAfterEpisode(referral: min(referral, start), lacStart: start, lacEnd: end,
                                               exit: exit, hadPlan: hadPlan, age: age, da: da, rng: &rng))
            reviews = lacReviews(start: start, end: end ?? asOfDay, dob: born ?? start, rng: &rng)
            if age >= 10 {
                missing = missingEpisodes(start: start, end: end ?? asOfDay, teen: age >= 13,
                                          placement: chain.last?.placement ?? "", rng: &rng)
            }
        }

        // Re-referrals: an earlier, closed referral for some children with current involvement
        // (kept only if it closed before the current episode began), and a second referral after
        // some closed ones.
        if let current = episodes.first, outcome != .none, born != nil, rng.chance(0.18) {
            let r = workingDays.onOrAfter(asOfDay - rng.int(in: 200...900))
            if r > earliest + 30 {
                let earlier = shortEpisode(referral: r, age: age, da: da, rng: &rng, allowOpen: false)
                if let closed = earlier.closureDate, closed < current.referralDate {
                    episodes.insert(earlier, at: 0)
                }
            }
        }
        if outcome == .closed, let last = episodes.last, let closed = last.closureDate, rng.chance(0.2) {
            let r = workingDays.onOrAfter(closed.daysSince1970 + rng.int(in: 14...200))
            if r <= asOfDay {
                episodes.append(shortEpisode(referral: r, age: age, da: da, rng: &rng, allowOpen: true))
            }
        }

        let ethnicityCode = rng.chance(0.03) ? (rng.chance(0.7) ? "NOBT" : "REFU") : EthnicityCodes.all[Int(ethnicity[i])]
        return SyntheticSocialCareRecord(
            personID: p.id, laChildID: laChildID, ethnicity: ethnicityCode,
            disabilities: p.kind == .unbornChild ? [] : disabilities(&rng),
            status: statusAt(episodes: episodes, care: careEpisodes),
            episodes: episodes, careEpisodes: careEpisodes, reviews: reviews, missing: missing, careLeaver: nil)
    }

    func statusAt(episodes: [SyntheticCINEpisode], care: [SyntheticCareEpisode]) -> SyntheticCareStatus {
        if let last = care.last, last.end == nil { return .lookedAfter }
        for e in episodes where e.closureDate == nil || e.closureDate! >= asOf {
            if e.protectionPlans.contains(where: { $0.end == nil || $0.end! >= asOf }) { return .childProtectionPlan }
        }
        if episodes.contains(where: { $0.closureDate == nil }) { return .childInNeed }
        return .closed
    }

    /// Assessment running from `start`; authorised after 10–45 working days (sometimes later),
    /// unless that is after `asOf`.
    func assessment(start: Int, age: Int, da: Bool, rng: inout SeededRandom, noFactors: Bool = false) -> (Int?, SyntheticAssessment) {
        let length = rng.chance(0.9) ? rng.int(in: 10...45) : rng.int(in: 46...70)
        let done = workingDays.adding(length, to: start)
        let authorised = done <= asOfDay ? done : nil
        let factors = authorised == nil ? [] : (noFactors ? ["21"] : factorsFor(age: age, domesticAbuse: da, rng: &rng))
        return (authorised, SyntheticAssessment(start: date(start), authorised: authorised.map(date), factors: factors))
    }

    /// A referral that may go no further, close after assessment, lead to a short CIN plan, or
    /// to a section 47 enquiry (and sometimes a plan). `allowOpen`: it may still be open at `asOf`.
    func shortEpisode(referral r: Int, age: Int, da: Bool, rng: inout SeededRandom, allowOpen: Bool) -> SyntheticCINEpisode {
        let source = rng.pick(CareCodes.referralSource)
        let u = rng.below(100)
        if u < 12 {
            return SyntheticCINEpisode(referralDate: date(r), referralSource: source, primaryNeed: nil,
                                       closureDate: date(r), closureReason: "RC8", referralNFA: true,
                                       assessments: [], cinPlans: [], section47s: [], protectionPlans: [])
        }
        let need = rng.pick(CareCodes.primaryNeed)
        let aStart = min(workingDays.adding(rng.int(in: 0...3), to: r), asOfDay)
        if u < 64 || !allowOpen {
            // Closed after assessment: no further action, or early help.
            let noFactors = rng.chance(0.35)
            var (auth, a) = assessment(start: aStart, age: age, da: da, rng: &rng, noFactors: noFactors)
            if !allowOpen && auth == nil {
                auth = min(workingDays.adding(30, to: aStart), asOfDay - 1)
                a = SyntheticAssessment(start: date(aStart), authorised: date(auth!), factors: factorsFor(age: age, domesticAbuse: da, rng: &rng))
            }
            var closure: Int?
            if let auth {
                let c = auth + rng.int(in: 0...5)
                closure = c <= asOfDay ? c : nil
            }
            let reason = closure == nil ? nil : (noFactors || rng.chance(0.6) ? "RC8" : "RC9")
            return SyntheticCINEpisode(referralDate: date(r), referralSource: source, primaryNeed: need,
                                       closureDate: closure.map(date), closureReason: reason, referralNFA: false,
                                       assessments: [a], cinPlans: [], section47s: [], protectionPlans: [])
        }
        if u < 82 {
            // Assessment then a CIN plan of 3–13 months.
            let (auth, a) = assessment(start: aStart, age: age, da: da, rng: &rng)
            var plans: [SyntheticPeriod] = []
            var closure: Int?
            if let auth {
                let planStart = workingDays.adding(rng.int(in: 0...5), to: auth)
                if planStart <= asOfDay {
                    let planEnd = planStart + rng.int(in: 90...400)
                    plans.append(SyntheticPeriod(start: date(planStart), end: planEnd <= asOfDay ? date(planEnd) : nil))
                    if planEnd <= asOfDay {
                        let c = planEnd + rng.int(in: 0...10)
                        closure = c <= asOfDay ? c : nil
                    }
                }
            }
            return SyntheticCINEpisode(referralDate: date(r), referralSource: source, primaryNeed: need,
                                       closureDate: closure.map(date), closureReason: closure == nil ? nil : "RC7",
                                       referralNFA: false, assessments: [a], cinPlans: plans, section47s: [], protectionPlans: [])
        }
        // Section 47 enquiry.
        let s47Start = min(workingDays.adding(rng.int(in: 0...2), to: r), asOfDay)
        let (auth, a) = assessment(start: aStart, age: age, da: da, rng: &rng)
        if rng.chance(0.45) {
            // No conference needed; closed after the assessment, or a CIN plan.
            var closure: Int?
            var plans: [SyntheticPeriod] = []
            if let auth {
                if rng.chance(0.5) {
                    let c = auth + rng.int(in: 0...5)
                    closure = c <= asOfDay ? c : nil
                } else {
                    let planStart = workingDays.adding(rng.int(in: 0...5), to: auth)
                    if planStart <= asOfDay {
                        let planEnd = planStart + rng.int(in: 90...300)
                        plans.append(SyntheticPeriod(start: date(planStart), end: planEnd <= asOfDay ? date(planEnd) : nil))
                        if planEnd + 5 <= asOfDay { closure = planEnd + 5 }
                    }
                }
            }
            let s47 = SyntheticSection47(start: date(s47Start), icpcTarget: nil, icpcDate: nil, icpcNotRequired: true)
            return SyntheticCINEpisode(referralDate: date(r), referralSource: source, primaryNeed: need,
                                       closureDate: closure.map(date), closureReason: closure == nil ? nil : (plans.isEmpty ? "RC8" : "RC7"),
                                       referralNFA: false, assessments: [a], cinPlans: plans, section47s: [s47], protectionPlans: [])
        }
        let (s47, plan, closure) = conferenceAndPlan(s47Start: s47Start, planEndAllowed: true, rng: &rng)
        return SyntheticCINEpisode(referralDate: date(r), referralSource: source, primaryNeed: "N1",
                                   closureDate: closure.map(date), closureReason: closure == nil ? nil : "RC7",
                                   referralNFA: false, assessments: [a], cinPlans: [], section47s: [s47],
                                   protectionPlans: plan.map { [$0] } ?? [])
    }

    /// An ICPC 15 working days after the strategy discussion (sometimes late) and, usually, a
    /// CP plan from that day. Returns the S47, the plan and the episode closure (if any).
    func conferenceAndPlan(s47Start: Int, planEndAllowed: Bool, rng: inout SeededRandom,
                           forcedICPC: Int? = nil) -> (SyntheticSection47, SyntheticProtectionPlan?, Int?) {
        let target = workingDays.adding(15, to: s47Start)
        let icpc = forcedICPC ?? (rng.chance(0.85) ? workingDays.adding(-rng.int(in: 0...4), to: target)
                                                   : workingDays.adding(rng.int(in: 1...8), to: target))
        guard icpc <= asOfDay else {
            return (SyntheticSection47(start: date(s47Start), icpcTarget: date(target), icpcDate: nil, icpcNotRequired: false), nil, nil)
        }
        let s47 = SyntheticSection47(start: date(s47Start), icpcTarget: date(target), icpcDate: date(icpc), icpcNotRequired: false)
        guard forcedICPC != nil || rng.chance(0.88) else {
            let c = icpc + rng.int(in: 20...120)
            return (s47, nil, c <= asOfDay ? c : nil)
        }
        let length = rng.chance(0.6) ? rng.int(in: 90...365) : rng.int(in: 366...800)
        var end: Int? = planEndAllowed ? icpc + length : nil
        if let e = end, e > asOfDay { end = nil }
        if let e = end { end = workingDays.onOrBefore(e) }
        if let e = end, e <= icpc { end = nil }
        let initial = rng.pick(CareCodes.category)
        let latest = rng.chance(0.9) ? initial : rng.pick(CareCodes.category)
        let previous = rng.chance(0.8) ? 0 : (rng.chance(0.75) ? 1 : 2)
        let plan = SyntheticProtectionPlan(
            start: date(icpc), end: end.map(date), initialCategory: initial, latestCategory: latest,
            previousPlans: previous,
            reviews: protectionReviews(start: icpc, until: min(end ?? asOfDay, asOfDay), rng: &rng).map(date))
        var closure: Int?
        if let e = end {
            let c = e + rng.int(in: 20...200)      // a step-down period as a child in need first
            closure = c <= asOfDay ? c : nil
        }
        return (s47, plan, closure)
    }

    /// An episode open at `asOf`: being assessed, or on a CIN plan (sometimes after a CP plan).
    func openChildInNeed(earliest: Int, age: Int, da: Bool, rng: inout SeededRandom) -> SyntheticCINEpisode {
        let source = rng.pick(CareCodes.referralSource)
        let need = rng.pick(CareCodes.primaryNeed)
        if rng.chance(0.3) || asOfDay - earliest < 80 {
            // Still being assessed.
            let r = workingDays.onOrBefore(max(earliest + 1, asOfDay - rng.int(in: 0...55)))
            let aStart = min(workingDays.adding(rng.int(in: 0...2), to: r), asOfDay)
            let a = SyntheticAssessment(start: date(aStart), authorised: nil, factors: [])
            return SyntheticCINEpisode(referralDate: date(min(r, asOfDay)), referralSource: source, primaryNeed: need,
                                       closureDate: nil, closureReason: nil, referralNFA: false,
                                       assessments: [a], cinPlans: [], section47s: [], protectionPlans: [])
        }
        var planStart = asOfDay - rng.skewedLow(in: 5...540)
        var protection: [SyntheticProtectionPlan] = []
        var s47s: [SyntheticSection47] = []
        var firstEvent = planStart
        if rng.chance(0.15) {
            // Stepped down from a child protection plan.
            let cppStart = workingDays.onOrBefore(planStart - rng.int(in: 180...500))
            if cppStart > earliest + 40 {
                let s47Start = workingDays.adding(-rng.int(in: 10...15), to: cppStart)
                s47s.append(SyntheticSection47(start: date(s47Start), icpcTarget: date(workingDays.adding(15, to: s47Start)),
                                               icpcDate: date(cppStart), icpcNotRequired: false))
                let initial = rng.pick(CareCodes.category)
                protection.append(SyntheticProtectionPlan(
                    start: date(cppStart), end: date(planStart), initialCategory: initial, latestCategory: initial,
                    previousPlans: 0, reviews: protectionReviews(start: cppStart, until: planStart - 1, rng: &rng).map(date)))
                firstEvent = s47Start
            }
        }
        planStart = max(planStart, earliest + 30)
        let auth = workingDays.adding(-rng.int(in: 0...3), to: min(firstEvent, planStart))
        let aStart = workingDays.adding(-rng.int(in: 10...40), to: auth)
        let r = workingDays.adding(-rng.int(in: 0...3), to: aStart)
        let a = SyntheticAssessment(start: date(aStart), authorised: date(auth),
                                    factors: factorsFor(age: age, domesticAbuse: da, rng: &rng))
        return SyntheticCINEpisode(referralDate: date(r), referralSource: source, primaryNeed: need,
                                   closureDate: nil, closureReason: nil, referralNFA: false, assessments: [a],
                                   cinPlans: [SyntheticPeriod(start: date(planStart), end: nil)],
                                   section47s: s47s, protectionPlans: protection)
    }

    /// An episode with a CP plan open at `asOf`.
    func openProtectionPlan(earliest: Int, age: Int, da: Bool, rng: inout SeededRandom) -> SyntheticCINEpisode {
        let source = rng.pick(CareCodes.referralSource)
        var icpc = workingDays.onOrBefore(asOfDay - rng.skewedLow(in: 1...640))
        if icpc < earliest + 20 { icpc = workingDays.onOrBefore(max(asOfDay, earliest + 20)) }
        icpc = min(icpc, workingDays.onOrBefore(asOfDay))
        let s47Start = workingDays.adding(-rng.int(in: 11...15), to: icpc)
        let r = workingDays.adding(-rng.int(in: 0...2), to: s47Start)
        let (_, a) = assessment(start: r, age: age, da: da, rng: &rng)
        let (s47, plan, _) = conferenceAndPlan(s47Start: s47Start, planEndAllowed: false, rng: &rng, forcedICPC: icpc)
        return SyntheticCINEpisode(referralDate: date(r), referralSource: source, primaryNeed: "N1",
                                   closureDate: nil, closureReason: nil, referralNFA: false, assessments: [a],
                                   cinPlans: [], section47s: [s47], protectionPlans: plan.map { [$0] } ?? [])
    }

    /// The episode of need of a child who became looked after on `lacStart` (and perhaps left care).
    func lookedAfterEpisode(referral r: Int, lacStart: Int, lacEnd: Int?, exit: String?, hadPlan: Bool,
                            age: Int, da: Bool, rng: inout SeededRandom) -> SyntheticCINEpisode {
        let source = rng.pick(CareCodes.referralSource)
        let aStart = workingDays.adding(rng.int(in: 0...3), to: r)
        var (_, a) = assessment(start: aStart, age: age, da: da, rng: &rng)
        if let authorised = a.authorised, authorised.daysSince1970 > asOfDay { a = SyntheticAssessment(start: a.start, authorised: nil, factors: []) }
        var s47s: [SyntheticSection47] = []
        var plans: [SyntheticProtectionPlan] = []
        if hadPlan {
            let s47Start = min(workingDays.adding(rng.int(in: 0...2), to: r), lacStart - 20)
            let icpc = workingDays.adding(rng.int(in: 10...15), to: s47Start)
            if icpc < lacStart {
                s47s.append(SyntheticSection47(start: date(s47Start), icpcTarget: date(workingDays.adding(15, to: s47Start)),
                                               icpcDate: date(icpc), icpcNotRequired: false))
                let initial = rng.pick(CareCodes.category)
                plans.append(SyntheticProtectionPlan(
                    start: date(icpc), end: date(lacStart), initialCategory: initial, latestCategory: initial,
                    previousPlans: rng.chance(0.8) ? 0 : 1,
                    reviews: protectionReviews(start: icpc, until: lacStart - 1, rng: &rng).map(date)))
            }
        }
        var closure: Int?
        var reason: String?
        if let end = lacEnd {
            let c = end + rng.int(in: 0...90)
            if c <= asOfDay {
                closure = c
                switch exit {
                case "E11", "E12": reason = "RC1"
                case "E45", "E46", "E47", "E48": reason = "RC4"
                case "E41": reason = "RC3"
                case "E3": reason = "RC5"
                default: reason = "RC7"
                }
            }
        }
        return SyntheticCINEpisode(referralDate: date(r), referralSource: source, primaryNeed: rng.chance(0.7) ? "N1" : rng.pick(CareCodes.primaryNeed),
                                   closureDate: closure.map(date), closureReason: reason, referralNFA: false,
                                   assessments: [a], cinPlans: [], section47s: s47s, protectionPlans: plans)
    }

    // MARK: - Looked after (SSDA903)

    func firstPlacement(age: Int, rng: inout SeededRandom) -> String {
        switch age {
        case ..<1: return rng.pick(Weighted([("U6", 45), ("U3", 20), ("U5", 10), ("U2", 5), ("P1", 5), ("R3", 5), ("U4", 10)]))
        case 1...10: return rng.pick(Weighted([("U6", 50), ("U3", 20), ("U4", 10), ("K2", 3), ("P1", 7), ("U1", 6), ("U5", 4)]))
        case 11...15: return rng.pick(Weighted([("U6", 40), ("K2", 25), ("U3", 12), ("U4", 12), ("P1", 5), ("K1", 1), ("S1", 2), ("R5", 1), ("U1", 2)]))
        default: return rng.pick(Weighted([("K3", 18), ("H5", 12), ("K2", 25), ("U6", 25), ("U4", 8), ("P2", 5), ("R5", 2), ("U3", 5)]))
        }
    }

    func provider(for place: String, rng: inout SeededRandom) -> String {
        switch place {
        case "P1", "P2": return "PR0"
        case "U1", "U2", "U3": return "PR1"
        case "U4", "U5", "U6": return rng.chance(0.6) ? "PR1" : "PR4"
        case "K2": return rng.chance(0.75) ? "PR4" : "PR1"
        case "K1": return "PR2"
        case "R3", "R5", "R1", "R2": return "PR3"
        default: return rng.chance(0.8) ? "PR4" : "PR5"
        }
    }

    /// The chain of SSDA903 episodes from `start` to `end` (or open at `asOf`). Returns the
    /// episodes and the reason the last one ended (if it did).
    func careChain(start: Int, end: Int?, age: Int, dob: Int, homePostcode: String,
                   rng: inout SeededRandom, homes: inout ChildrensHomes) -> ([SyntheticCareEpisode], String?) {
        let limit = end ?? asOfDay
        let ageAtStart = max(0, (start - dob) / 365)
        var legal: String = {
            if ageAtStart >= 14 && rng.chance(0.05) { return "J1" }
            switch rng.below(100) {
            case 0..<4: return "L1"
            case 4..<6: return "L2"
            case 6..<46: return "V2"
            default: return "C1"
            }
        }()
        let need = rng.chance(0.62) ? "N1" : rng.pick(CareCodes.primaryNeed)
        let needCode = need == "N0" ? "N4" : need
        var place = firstPlacement(age: ageAtStart, rng: &rng)
        var prov = provider(for: place, rng: &rng)
        var where_ = homes.placement(for: place, home: homePostcode, rng: &rng)
        var episodes: [SyntheticCareEpisode] = []
        var t = start
        var reasonNew = "S"
        var legalChangeAt: Int? = {
            switch legal {
            case "L1": return t + rng.int(in: 1...3)
            case "L2": return t + rng.int(in: 5...20)
            case "C1": return t + rng.int(in: 100...300)
            case "V2": return rng.chance(0.15) ? t + rng.int(in: 30...200) : nil
            case "J1": return t + rng.int(in: 20...90)
            default: return nil
            }
        }()
        var exit: String?
        while true {
            let placementEnd = t + max(7, rng.skewedLow(in: 20...900))
            let next = min(placementEnd, legalChangeAt ?? Int.max)
            if next >= limit || episodes.count > 40 {
                var rec: String?
                if end != nil {
                    let ageAtEnd = (limit - dob) / 365
                    if ageAtEnd >= 18 {
                        rec = rng.pick(Weighted([("E17", 30), ("E5", 35), ("E6", 15), ("E8", 20)]))
                    } else if ageAtEnd < 5 && legal != "V2" && rng.chance(0.4) {
                        rec = rng.chance(0.7) ? "E11" : "E12"
                    } else {
                        rec = rng.pick(Weighted([("E4A", 40), ("E13", 10), ("E41", 8), ("E45", 8), ("E46", 4),
                                                 ("E47", 3), ("E48", 2), ("E4B", 5), ("E3", 4), ("E8", 6)]))
                    }
                    exit = rec
                }
                episodes.append(SyntheticCareEpisode(
                    start: date(t), reasonNew: reasonNew, legalStatus: legal, needCode: needCode, placement: place,
                    provider: prov, end: end.map(date), reasonEnded: rec, reasonPlaceChange: nil,
                    homePostcode: homePostcode, placementPostcode: where_.postcode, urn: where_.urn))
                break
            }
            let legalChange = legalChangeAt.map { $0 <= placementEnd } ?? false
            let placementChange = placementEnd <= (legalChangeAt ?? Int.max) || rng.chance(0.1)
            var newLegal = legal
            if legalChange {
                switch legal {
                case "L1", "L2": newLegal = rng.chance(0.5) ? "C1" : "V2"
                case "C1": newLegal = "C2"
                case "V2": newLegal = "C1"
                case "J1": newLegal = rng.chance(0.5) ? "V2" : "C1"
                default: newLegal = legal
                }
            }
            let sameCarer = placementChange && rng.chance(0.12)
            episodes.append(SyntheticCareEpisode(
                start: date(t), reasonNew: reasonNew, legalStatus: legal, needCode: needCode, placement: place,
                provider: prov, end: date(next), reasonEnded: "X1",
                reasonPlaceChange: placementChange ? rng.pick(CareCodes.placeChangeReason) : nil,
                homePostcode: homePostcode, placementPostcode: where_.postcode, urn: where_.urn))
            if placementChange {
                let ageNow = max(0, (next - dob) / 365)
                if !sameCarer {
                    var newPlace = firstPlacement(age: ageNow, rng: &rng)
                    if place.hasPrefix("U") && rng.chance(0.35) { newPlace = ageNow < 16 ? "U4" : "U6" }
                    place = newPlace
                    prov = provider(for: place, rng: &rng)
                    where_ = homes.placement(for: place, home: homePostcode, rng: &rng)
                }
                reasonNew = legalChange ? (sameCarer ? "U" : "B") : (sameCarer ? "T" : "P")
            } else {
                reasonNew = "L"
            }
            if legalChange {
                legal = newLegal
                legalChangeAt = {
                    switch newLegal {
                    case "C1": return next + rng.int(in: 100...300)
                    case "V2": return rng.chance(0.1) ? next + rng.int(in: 60...300) : nil
                    default: return nil
                    }
                }()
            }
            t = next
        }
        return (episodes, exit)
    }

    func lacReviews(start: Int, end: Int, dob: Int, rng: inout SeededRandom) -> [SyntheticLACReview] {
        var out: [SyntheticLACReview] = []
        var next = workingDays.adding(rng.int(in: 8...20), to: start)
        var n = 0
        while next <= end && next <= asOfDay {
            let code = (next - dob) < 4 * 365 ? "PN0" : rng.pick(CareCodes.reviewParticipation)
            out.append(SyntheticLACReview(date: date(next), participation: code))
            n += 1
            let gap = n == 1 ? rng.int(in: 55...90) : rng.int(in: 120...182)
            next = workingDays.onOrBefore(next + gap)
        }
        return out
    }

    func missingEpisodes(start: Int, end: Int, teen: Bool, placement: String, rng: inout SeededRandom) -> [SyntheticMissingEpisode] {
        let residential = ["K2", "K3", "H5", "P2"].contains(placement)
        guard rng.chance(residential ? 0.4 : (teen ? 0.15 : 0.04)) else { return [] }
        let from = max(start, censusYearStart.daysSince1970)
        guard from < end else { return [] }
        var out: [SyntheticMissingEpisode] = []
        var t = from
        for _ in 0..<rng.int(in: 1...5) {
            let s = t + rng.int(in: 1...max(1, (end - from) / 3))
            guard s <= end else { break }
            let e = s + rng.skewedLow(in: 0...6)
            out.append(SyntheticMissingEpisode(kind: rng.chance(0.55) ? "M" : "A", start: date(s),
                                               end: e <= asOfDay ? date(e) : nil))
            t = e + 1
        }
        return out
    }

    // MARK: - Care leavers

    func careLeaverRecord(_ p: SyntheticPerson, laChildID: String, rng: inout SeededRandom,
                                   homes: inout ChildrensHomes) -> SyntheticSocialCareRecord {
        let dob = p.dateOfBirth!.daysSince1970
        let eighteen = p.dateOfBirth!.adding(years: 18).daysSince1970
        let start = max(dob + 365 * rng.int(in: 8...16), dob + 30)
        // The last SSDA903 episode ended on the 18th birthday; kept only if in the census year.
        var care: [SyntheticCareEpisode] = []
        if eighteen >= censusYearStart.daysSince1970 && eighteen <= asOfDay {
            let (chain, _) = careChain(start: start, end: eighteen, age: 17, dob: dob,
                                       homePostcode: households[p.householdID - 1].postcode, rng: &rng, homes: &homes)
            care = chain
        }
        let inTouch = rng.pick(CareCodes.inTouch)
        let notInTouch = inTouch == "NO" || inTouch == "REFU"
        let outcome = SyntheticCareLeaverOutcome(
            inTouch: inTouch, activity: notInTouch ? "0" : rng.pick(CareCodes.activity),
            accommodation: notInTouch ? "0" : rng.pick(CareCodes.accommodation))
        return SyntheticSocialCareRecord(
            personID: p.id, laChildID: laChildID, ethnicity: EthnicityCodes.all[Int(ethnicity[p.id - 1])], disabilities: [],
            status: .careLeaver, episodes: [], careEpisodes: care, reviews: [], missing: [], careLeaver: outcome)
    }
}

/// Foster homes, children's homes and supported accommodation the area places children in.
struct ChildrensHomes {
    private var rng: SeededRandom
    private var homes: [PlacementPlace] = []
    private var supported: [PlacementPlace] = []
    private var addresses: [String: String] = [:]
    private let districtCount: Int
    private let seed: UInt64

    init(seed: UInt64, districtCount: Int) {
        rng = SeededRandom(seed: seed, stream: .careLeaver, index: 99)
        self.districtCount = districtCount
        self.seed = seed
    }

    private mutating func newPlace() -> AreaBuilder.Place {
        let s = seed
        let d = rng.int(in: 1...districtCount)
        return AreaBuilder.makePlace(district: d, seed: s, rng: &rng)
    }

    /// Where a child is placed: their own home (P1), a foster home (a new address), or one of a
    /// pool of children's homes / supported accommodation with an Ofsted URN.
    mutating func placement(for code: String, home: String, rng r: inout SeededRandom) -> PlacementPlace {
        switch code {
        case "P1":
            return PlacementPlace(postcode: home, address: "", urn: "XXXXXXX")
        case "K1", "K2", "S1", "R1", "R2", "R3", "R5":
            if homes.isEmpty || (homes.count < 400 && r.chance(0.08)) {
                let place = newPlace()
                let urn = "SC" + AreaBuilder.pad(900_000 + homes.count + 1, 6)
                let p = PlacementPlace(postcode: place.postcode, address: place.address, urn: urn)
                homes.append(p)
                addresses[place.postcode] = place.address
            }
            return homes[r.below(homes.count)]
        case "H5", "K3", "P2":
            if supported.isEmpty || (supported.count < 300 && r.chance(0.1)) {
                let place = newPlace()
                let urn = code == "K3" ? "SC" + AreaBuilder.pad(950_000 + supported.count + 1, 6) : "XXXXXXX"
                let p = PlacementPlace(postcode: place.postcode, address: place.address, urn: urn)
                supported.append(p)
                addresses[place.postcode] = place.address
            }
            return supported[r.below(supported.count)]
        default:
            let d = r.int(in: 1...districtCount)
            let place = AreaBuilder.makePlace(district: d, seed: seed, rng: &r)
            addresses[place.postcode] = place.address
            return PlacementPlace(postcode: place.postcode, address: place.address, urn: "XXXXXXX")
        }
    }

    func address(for postcode: String) -> String? { addresses[postcode] }
}
