import EyesOnCore

extension AreaBuilder {
    /// One household's domestic abuse in the 12 months to `asOf` (drafts, before references).
    struct AbuseDraft {
        let household: Int
        let victim: Int
        let perpetrator: Int
        let hidden: Bool
    }

    struct IncidentDraft {
        let day: Int
        let minute: Int
        let household: Int
        let victim: Int
        let suspect: Int
        let risk: String
        let children: [SyntheticIncidentChild]
        let postcode: String
    }

    struct MARACDraft {
        let meeting: Int
        let household: Int
        let dash: Int
        let reason: String
        let agency: String
        let previous: Int?
        let victim: Int
        let perpetrator: Int
        let children: [Int]
    }

    /// Picks the households with domestic abuse, then writes their police incidents and MARAC
    /// referrals for the 12 months to `asOf`. Children of these households are flagged, so that
    /// social care (built next) knows them more often.
    mutating func buildDomesticAbuse() {
        var drafts: [AbuseDraft] = []
        for h in households where !h.isCareLeaver {
            var rng = SeededRandom(seed: seed, stream: .domesticAbuse, index: UInt64(h.id))
            let partner: Int?
            if h.carers.count == 2 { partner = h.carers[1] } else { partner = h.nonResidentParent }
            guard let other = partner, rng.chance(Prevalence.domesticAbuseHousehold) else { continue }
            let primary = h.carers[0]
            let femaleVictim = people[primary - 1].sex == .female
            var victim = femaleVictim ? primary : other
            var perpetrator = femaleVictim ? other : primary
            if rng.chance(0.08) { swap(&victim, &perpetrator) }
            drafts.append(AbuseDraft(household: h.id, victim: victim, perpetrator: perpetrator,
                                     hidden: rng.chance(Prevalence.hiddenDomesticAbuse)))
            for member in h.carers + h.children + (h.unborn.map { [$0] } ?? []) {
                flags[member - 1] |= PersonFlags.domesticAbuseHousehold
            }
        }
        domesticAbuseHouseholds = drafts.map(\.household)

        var incidents: [IncidentDraft] = []
        var meetings: [MARACDraft] = []
        let yearStart = asOfDay - 364
        for d in drafts {
            var rng = SeededRandom(seed: seed, stream: .police, index: UInt64(d.household))
            let h = households[d.household - 1]
            let kids = h.children.filter { people[$0 - 1].kind == .child }
            if d.hidden {
                let meeting = nextMeetingDay(after: yearStart + rng.below(350))
                if meeting <= asOfDay {
                    meetings.append(MARACDraft(meeting: meeting, household: d.household, dash: rng.int(in: 10...22),
                                               reason: rng.chance(0.6) ? "professional-judgement" : "visible-high-risk",
                                               agency: rng.chance(0.6) ? "idva" : (rng.chance(0.5) ? "health" : "childrens-social-care"),
                                               previous: nil, victim: d.victim, perpetrator: d.perpetrator, children: kids))
                }
                continue
            }
            let count = rng.pick(Weighted(Prevalence.incidentsPerHousehold))
            var days = (0..<count).map { _ in yearStart + rng.below(365) }
            days.sort()
            var householdIncidents: [IncidentDraft] = []
            for (n, day) in days.enumerated() {
                let hour = rng.pick(Weighted([(17, 6), (18, 8), (19, 10), (20, 12), (21, 13), (22, 12), (23, 10), (0, 7),
                                              (1, 5), (2, 3), (10, 2), (12, 3), (14, 3), (15, 3), (16, 4), (8, 2)]))
                let escalate = n >= 2 ? 8 : 0
                let riskRoll = rng.below(100)
                let risk = riskRoll < 6 + escalate ? "high" : (riskRoll < 36 + escalate ? "medium" : "standard")
                var present: [SyntheticIncidentChild] = []
                for child in kids where rng.chance(0.6) {
                    let presence = rng.pick(Weighted([("present", 50), ("witnessed", 35), ("involved", 15)]))
                    present.append(SyntheticIncidentChild(personID: child, presence: presence))
                }
                let incident = IncidentDraft(day: day, minute: hour * 60 + rng.below(60), household: d.household,
                                             victim: d.victim, suspect: d.perpetrator, risk: risk,
                                             children: present, postcode: h.postcode)
                householdIncidents.append(incident)
            }
            incidents.append(contentsOf: householdIncidents)

            // MARAC referrals: visible high risk, escalation (3rd incident), professional
            // judgement; a later incident within 12 months of a MARAC is a repeat referral.
            var lastMeeting: Int?
            for (n, incident) in householdIncidents.enumerated() {
                var reason: String?
                var dash = 0
                if let last = lastMeeting {
                    if incident.day > last && incident.day - last <= 365 {
                        reason = "repeat"; dash = rng.int(in: 6...20)
                    }
                } else if incident.risk == "high" {
                    reason = "visible-high-risk"; dash = rng.int(in: 14...24)
                } else if n == 2 && rng.chance(0.5) {
                    reason = "escalation"; dash = rng.int(in: 5...13)
                } else if rng.chance(0.04) {
                    reason = "professional-judgement"; dash = rng.int(in: 8...13)
                }
                guard let why = reason else { continue }
                let meeting = nextMeetingDay(after: incident.day + 6)
                guard meeting <= asOfDay else { continue }
                if let last = lastMeeting, meeting <= last { continue }
                meetings.append(MARACDraft(meeting: meeting, household: d.household, dash: dash, reason: why,
                                           agency: why == "professional-judgement" && rng.chance(0.5) ? "idva" : "police",
                                           previous: why == "repeat" ? lastMeeting : nil,
                                           victim: d.victim, perpetrator: d.perpetrator, children: kids))
                lastMeeting = meeting
            }
        }

        incidents.sort { ($0.day, $0.minute, $0.household) < ($1.day, $1.minute, $1.household) }
        var perYear: [Int: Int] = [:]
        policeIncidents = incidents.map { i in
            let d = date(i.day)
            let n = perYear[d.year, default: 0] + 1
            perYear[d.year] = n
            return SyntheticPoliceIncident(reference: "EBP-\(d.year)-" + Self.pad(n, 6),
                                           date: d, minuteOfDay: i.minute, postcode: i.postcode, riskLevel: i.risk,
                                           victimID: i.victim, suspectID: i.suspect, children: i.children)
        }
        meetings.sort { ($0.meeting, $0.household) < ($1.meeting, $1.household) }
        maracCases = meetings.enumerated().map { n, m in
            SyntheticMARACCase(caseID: "MA" + Self.pad(n + 1, 6), meetingDate: date(m.meeting), dashScore: m.dash,
                               referralReason: m.reason, referringAgency: m.agency,
                               previousMeetingDate: m.previous.map(date), victimID: m.victim,
                               perpetratorID: m.perpetrator, childIDs: m.children)
        }
    }

    /// MARAC meets on Thursdays: the first Thursday on or after `day`.
    func nextMeetingDay(after day: Int) -> Int {
        var d = day
        while ((d + 3) % 7 + 7) % 7 != 3 { d += 1 }       // 0 = Monday … 3 = Thursday
        return workingDays.isWorkingDay(d) ? d : d + 7
    }

    // MARK: - Health caseloads

    mutating func buildHealthCaseloads() {
        var out: [SyntheticCaseloadEntry] = []
        func localID(_ prefix: String, _ n: Int, _ salt: UInt64) -> String {
            let offset = Int(SplitMix64.hash(seed ^ salt) % 9_000_000)
            return prefix + String(1_000_000 + (7_777_777 &* n &+ offset) % 9_000_000)
        }
        // Health visiting: every pre-school child (born, not yet in reception).
        var n = 0
        for p in people where p.kind == .child {
            guard let dob = p.dateOfBirth, ncYear(dob) < 0 else { continue }
            out.append(SyntheticCaseloadEntry(odsCode: Self.healthVisitingODS, caseloadType: "health-visiting",
                                              localID: localID("HV", n, 0x4856), personID: p.id, motherLocalID: nil))
            n += 1
        }
        // Midwifery: pregnant women and their unborn children; babies under 28 days and their mothers.
        n = 0
        var motherIDs: [Int: String] = [:]
        for h in households {
            guard let mother = h.carers.first(where: { people[$0 - 1].sex == .female }) else { continue }
            var babies: [Int] = []
            if let u = h.unborn { babies.append(u) }
            for c in h.children {
                if let dob = people[c - 1].dateOfBirth, asOfDay - dob.daysSince1970 <= 28 { babies.append(c) }
            }
            guard !babies.isEmpty else { continue }
            let motherLocal = motherIDs[mother] ?? localID("MAT", n, 0x4D41)
            if motherIDs[mother] == nil {
                motherIDs[mother] = motherLocal
                n += 1
                out.append(SyntheticCaseloadEntry(odsCode: Self.maternityODS, caseloadType: "midwifery",
                                                  localID: motherLocal, personID: mother, motherLocalID: nil))
            }
            for b in babies {
                out.append(SyntheticCaseloadEntry(odsCode: Self.maternityODS, caseloadType: "midwifery",
                                                  localID: localID("MAT", n, 0x4D41), personID: b, motherLocalID: motherLocal))
                n += 1
            }
        }
        // School nursing: school-age children known to social care, and a few others with health needs.
        n = 0
        for p in people where p.kind == .child {
            guard let dob = p.dateOfBirth, (0...13).contains(ncYear(dob)) else { continue }
            let known = flags[p.id - 1] & (PersonFlags.lookedAfter | PersonFlags.protectionPlan | PersonFlags.childInNeed) != 0
            var rng = SeededRandom(seed: seed, stream: .health, index: UInt64(p.id))
            guard known || rng.chance(Prevalence.schoolNursingOther) else { continue }
            out.append(SyntheticCaseloadEntry(odsCode: Self.schoolNursingODS, caseloadType: "school-nursing",
                                              localID: localID("SN", n, 0x534E), personID: p.id, motherLocalID: nil))
            n += 1
        }
        caseloads = out
    }
}
