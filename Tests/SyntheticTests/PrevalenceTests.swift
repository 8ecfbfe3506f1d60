import EyesOnCore
import Foundation
import Testing
@testable import Synthetic

@Suite("Prevalence (10,000 children)")
struct PrevalenceTests {
    let area = Fixture.area
    var summary: SyntheticAreaSummary { area.summary }

    @Test("social care rates per 10,000 children are near the English ones")
    func socialCare() {
        let s = summary
        #expect(s.children == 10_000)
        #expect((250...420).contains(s.childrenInNeed), "children in need \(s.childrenInNeed) (≈330 expected)")
        #expect((28...65).contains(s.childProtectionPlans), "CP plans \(s.childProtectionPlans) (≈42 expected)")
        #expect((50...95).contains(s.lookedAfter), "looked after \(s.lookedAfter) (≈70 expected)")
        #expect((420...700).contains(s.referralsLast12Months), "referrals \(s.referralsLast12Months) (≈550 expected)")
        #expect((15...45).contains(s.careLeavers), "care leavers \(s.careLeavers)")
        for r in area.socialCare where r.status == .careLeaver {
            let age = area.person(r.personID).dateOfBirth.map { $0.adding(years: 18) <= Fixture.asOf && $0.adding(years: 22) > Fixture.asOf }
            #expect(age == true, "care leavers are 18 to 21")
            #expect(area.person(r.personID).kind == .adult)
        }
    }

    @Test("the statuses agree with the episodes: plans open at as-of, looked-after episodes open")
    func statusesConsistent() {
        let asOf = Fixture.asOf
        for r in area.socialCare {
            switch r.status {
            case .lookedAfter:
                #expect(r.careEpisodes.last?.end == nil)
            case .childProtectionPlan:
                #expect(r.episodes.contains { e in e.protectionPlans.contains { $0.end == nil || $0.end! >= asOf } })
            case .childInNeed:
                #expect(r.episodes.contains { $0.closureDate == nil })
            case .closed:
                #expect(r.episodes.allSatisfy { $0.closureDate != nil })
            case .careLeaver:
                #expect(r.careLeaver != nil)
            }
        }
    }

    @Test("population: ages 0–18, pregnancies, adults, about 1 school per 300 pupils")
    func population() {
        let s = summary
        #expect((200...420).contains(s.unbornChildren), "unborn \(s.unbornChildren)")
        #expect(s.adults > 8_000 && s.adults < 14_000)
        let pupils = area.enrolments.filter { e in e.to == nil && area.agencies.contains { $0.key == e.agencyKey && $0.kind == .school } }.count
        let ratio = Double(pupils) / Double(s.schools)
        #expect((200...500).contains(ratio), "\(pupils) pupils in \(s.schools) schools")
        #expect(s.nurseries > 0 && s.colleges > 0)
        let ages = area.people.filter { $0.kind == .child }.compactMap { area.ncYear($0) }
        #expect(ages.min()! < -4 && ages.max()! == 13)
    }

    @Test("every school-age child is on the roll of a school of the right phase, but a few are not")
    func enrolment() {
        let phase: [String: EducationSetting.Phase] = Dictionary(uniqueKeysWithValues: area.internals.settings.map { ($0.key, $0.phase) })
        var current: [Int: EducationSetting.Phase] = [:]
        for e in area.enrolments where e.to == nil { current[e.personID] = phase[e.agencyKey] }
        var compulsory = 0, missing = 0
        for p in area.people where p.kind == .child {
            guard let nc = area.ncYear(p), (0...11).contains(nc) else { continue }
            compulsory += 1
            guard let ph = current[p.id] else { missing += 1; continue }
            switch ph {
            case .primary: #expect(nc <= 6, "Y\(nc) pupil at a primary school")
            case .secondary: #expect(nc >= 7, "Y\(nc) pupil at a secondary school")
            case .special: break
            case .nursery, .college: Issue.record("compulsory-age child at a \(ph)")
            }
        }
        #expect(missing > 0, "a few school-age children should be out of school")
        #expect(Double(missing) / Double(compulsory) < 0.02, "\(missing) of \(compulsory) school-age children not on a roll")
        // Children who left the roll with no destination: an ended enrolment and no open one.
        let ended = Set(area.enrolments.filter { $0.to != nil && $0.to! > Fixture.asOf.adding(days: -160) }.map(\.personID))
        #expect(ended.contains { current[$0] == nil && (area.ncYear(area.person($0)) ?? 0) >= 1 })
    }

    @Test("domestic abuse: incidents some per 1,000 households a month; MARAC cases with children")
    func domesticAbuse() {
        let s = summary
        let perThousandPerMonth = Double(s.policeIncidents) / Double(area.households.count) * 1000 / 12
        #expect(perThousandPerMonth > 1 && perThousandPerMonth < 6, "\(perThousandPerMonth) incidents per 1,000 households a month")
        #expect((15...90).contains(s.maracCases), "MARAC cases \(s.maracCases)")
        let asOf = Fixture.asOf
        for c in area.maracCases {
            #expect(c.meetingDate <= asOf && c.meetingDate > asOf.adding(days: -366))
            #expect((0...24).contains(c.dashScore))
            #expect(["visible-high-risk", "professional-judgement", "escalation", "repeat"].contains(c.referralReason))
            // The children of the household where the abuse happens: the victim's or the perpetrator's
            // (a parent living elsewhere can be either).
            let households = [area.person(c.victimID).householdID, area.person(c.perpetratorID).householdID]
            for child in c.childIDs { #expect(households.contains(area.person(child).householdID)) }
        }
        #expect(area.maracCases.contains { !$0.childIDs.isEmpty })
        #expect(area.maracCases.contains { $0.referralReason == "visible-high-risk" })
        for i in area.policeIncidents { #expect(i.date <= asOf && (0..<1440).contains(i.minuteOfDay)) }
    }

    @Test("health caseloads include pregnancies and under-ones, with the mother linked")
    func health() {
        let c = area.caseloads
        let unborn = c.filter { area.person($0.personID).kind == .unbornChild }
        #expect(!unborn.isEmpty)
        #expect(unborn.allSatisfy { $0.caseloadType == "midwifery" && $0.motherLocalID != nil })
        let underOne = c.filter { e in
            guard let dob = area.person(e.personID).dateOfBirth else { return false }
            return e.caseloadType == "health-visiting" && dob > Fixture.asOf.adding(years: -1)
        }
        #expect(underOne.count > 300)
        #expect(c.contains { $0.caseloadType == "school-nursing" })
        let rows = Fixture.records("health-caseload.csv")
        #expect(rows.contains { $0["nhs_number"]!.isEmpty && !$0["date_of_birth"]!.isEmpty }, "some born people without an NHS number")
    }
}
