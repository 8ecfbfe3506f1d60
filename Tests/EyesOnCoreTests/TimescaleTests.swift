import Testing
import EyesOnCore

@Suite("Statutory timescales")
struct TimescaleTests {
    func due(_ t: Timescale, _ anchor: String) throws -> String {
        try t.due(from: CivilDate(anchor)!).description
    }

    @Test func workingDayClocksSkipChristmas2026() throws {
        // Aware on Tue 22 Dec 2026: 23, 24, 29, 30, 31 Dec are working days 1–5.
        #expect(try due(.seriousIncidentNotification, "2026-12-22") == "2026-12-31")
        // …then 4–8 and 11–15 Jan 2027 (1 Jan is a bank holiday).
        #expect(try due(.rapidReview, "2026-12-22") == "2027-01-15")
        #expect(try due(.initialConference, "2026-12-22") == "2027-01-15")
        // A referral on Christmas Eve is decided on the next working day.
        #expect(try due(.referralDecision, "2026-12-24") == "2026-12-29")
    }

    @Test func monthClocksClampAndAreNotMovedOffAWeekend() throws {
        // ICPC on 30 Nov 2026: 3 months on would be "30 February", clamped to Sun 28 Feb 2027.
        let review = try Timescale.firstReviewConference.due(from: CivilDate("2026-11-30")!)
        #expect(review.description == "2027-02-28")
        #expect(review.weekday == .sunday)
        #expect(try due(.laterReviewConference, "2027-02-26") == "2027-08-26")
    }

    @Test func placementVisitWithinAWeek() throws {
        #expect(try due(.firstPlacementVisit, "2026-12-24") == "2026-12-31")
    }

    @Test func clocksBeyondTheBankHolidayDataFailLoudly() {
        #expect { try Timescale.assessment.due(from: CivilDate("2028-12-01")!) } throws: { error in
            (error as? CalendarError)?.kind == .beyondCoverage
        }
    }

    @Test func everyTimescaleIsDescribed() {
        for t in Timescale.allCases {
            #expect(!t.title.isEmpty && !t.anchor.isEmpty && !t.source.isEmpty)
        }
        #expect(Timescale.assessment.period.description == "45 working days")
        #expect(Timescale.firstReviewConference.period == .calendarMonths(3))
    }
}
