import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import Synthetic
import Store
import TestSupport

/// What children's social care records by hand for the statutory clocks — serious incidents,
/// child protection meetings, statutory visits — and the clocks they start and stop, on each engine.
@Suite("Statutory clocks recorded by hand")
struct RecordedClocksTests {
    static let asOf = SocialCareImportTests.asOf     // Wednesday 25 November 2026

    static func d(_ text: String) -> CivilDate { CivilDate(text)! }

    /// A child with no social care records, at least two years old.
    static func quietChild(_ sql: any SQLDatabase) async throws -> (UUID, String) {
        let row = try #require(try await sql.raw("""
            SELECT id, given_name, family_name FROM people WHERE kind = 'child' AND date_of_birth < '2024-01-01' \
            AND id NOT IN (SELECT person_id FROM referrals WHERE person_id IS NOT NULL) \
            AND id NOT IN (SELECT person_id FROM care_episodes WHERE person_id IS NOT NULL) ORDER BY id LIMIT 1
            """).first())
        return (try row.decode(column: "id", as: UUID.self), "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))")
    }

    static func field(_ expected: String, _ body: () async throws -> Void) async {
        await #expect { try await body() } throws: { ($0 as? ListError)?.field == expected }
    }

    @Test("a serious incident: its deadlines from the awareness date, overdue as the clock passes, each step once, closed, exported", arguments: Engine.available)
    func seriousIncident(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(SocialCareImportTests.area, on: store.db)
            let db = store.db, sql = store.sql
            let (child, name) = try await Self.quietChild(sql)
            let worker = try await LookedAfterImportTests.viewer(.socialWorker, .laChildrensSocialCare, on: db)
            let incidents = SeriousIncidents(directory: ChildDirectory(db: db, viewer: worker, today: Self.asOf))
            let good = SeriousIncidentInput(personID: child, awareDate: Self.d("2026-11-17"), harm: .seriousHarm, abuse: .suspected,
                                            underOne: false, lookedAfter: false, factors: [.domesticAbuse, .neglect])

            // Bad input: each refused with its field named, nothing recorded.
            var future = good; future.awareDate = Self.d("2026-11-26")
            await Self.field("aware_date") { _ = try await incidents.record(future) }
            var infant = good; infant.underOne = true
            await Self.field("under_one") { _ = try await incidents.record(infant) }
            var none = good; none.factors = []
            await Self.field("factors") { _ = try await incidents.record(none) }
            var other = good; other.factors = [.other]
            await Self.field("factors_detail") { _ = try await incidents.record(other) }
            #expect(try await SocialCareImportTests.count("serious_incidents", sql) == 0)

            // Aware Tuesday 17 November: the Panel and the partners by Tuesday 24th (5 working days), the rapid review by Tuesday 8 December (15).
            let id = try await incidents.record(good)
            try await incidents.recordStep(id, step: .panelNotified, date: Self.d("2026-11-20"))
            var record = try #require(try await incidents.incident(id))
            #expect(record.childName == name)
            func clock(_ r: SeriousIncidentRecord, _ t: Timescale) -> ClockLine? { r.clocks.first { $0.rule.key == t.rawValue }?.line }
            #expect(clock(record, .seriousIncidentNotification)?.due == Self.d("2026-11-24") && clock(record, .seriousIncidentNotification)?.state == .onTime)
            #expect(clock(record, .partnersInformed)?.due == Self.d("2026-11-24") && clock(record, .partnersInformed)?.state == .overdue)
            #expect(clock(record, .rapidReview)?.due == Self.d("2026-12-08") && clock(record, .rapidReview)?.state == .open)
            #expect(clock(record, .practiceReviewPublication) == nil, "no decision to hold a review yet")

            // The clock passes: on 9 December the rapid review is overdue too.
            let later = SeriousIncidents(directory: ChildDirectory(db: db, viewer: worker, today: Self.d("2026-12-09")))
            let then = try #require(try await later.incident(id))
            #expect(Set(then.overdue.map(\.rule.key)) == ["partners-informed", "rapid-review", "practice-review-decision"])
            #expect(then.pending.first?.rule.key == "partners-informed", "the soonest deadline first")

            // Steps: not before the awareness date, not twice, publication only after a decision to hold a review.
            await Self.field("date") { try await incidents.recordStep(id, step: .rapidReview, date: Self.d("2026-11-16")) }
            await Self.field("step") { try await incidents.recordStep(id, step: .panelNotified, date: Self.d("2026-11-21")) }
            await Self.field("step") { try await incidents.recordStep(id, step: .published, date: Self.d("2026-11-25")) }
            await Self.field("hold_review") { try await incidents.recordStep(id, step: .practiceReviewDecision, date: Self.d("2026-11-25")) }
            try await incidents.recordStep(id, step: .partnersInformed, date: Self.d("2026-11-25"))
            try await incidents.recordStep(id, step: .rapidReview, date: Self.d("2026-11-25"))
            try await incidents.recordStep(id, step: .practiceReviewDecision, date: Self.d("2026-11-25"), holdReview: true)
            record = try #require(try await incidents.incident(id))
            #expect(clock(record, .partnersInformed)?.state == .late)
            #expect(clock(record, .practiceReviewPublication)?.due == Self.d("2027-05-25") && clock(record, .practiceReviewPublication)?.state == .open,
                    "6 months from the decision")
            #expect(record.nextSteps == [.published, .closed])

            // Closing before publication needs a reason; then it closes and takes no more steps.
            await Self.field("note") { try await incidents.recordStep(id, step: .closed, date: Self.d("2026-11-25")) }
            try await incidents.recordStep(id, step: .published, date: Self.d("2026-11-25"))
            try await incidents.recordStep(id, step: .closed, date: Self.d("2026-11-25"))
            record = try #require(try await incidents.incident(id))
            #expect(record.isClosed && record.pending.isEmpty && record.nextSteps.isEmpty)
            await #expect { try await incidents.recordStep(id, step: .published, date: Self.d("2026-11-25")) } throws: { ($0 as? ListError)?.kind == .refused }

            // The export for the national form names the child and the incident, and is audited.
            let json = try #require(try await incidents.notification(id))
            let body = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            #expect((body["child"] as? [String: Any])?["name"] as? String == name)
            #expect((body["incident"] as? [String: Any])?["awareDate"] as? String == "2026-11-17")
            #expect((body["steps"] as? [Any])?.count == 6)
            let exports = try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'serious-incident-exported' AND person_id = \(bind: child)").first()!
            #expect(try exports.decode(column: "n", as: Int.self) == 1)

            // The same incident on the statutory clocks page, and nobody outside children's social care's area-wide roles sees it.
            let reports = try await StatutoryClocks(directory: ChildDirectory(db: db, viewer: worker, today: Self.asOf)).reports(since: Self.d("2026-11-01"))
            let rapid = try #require(reports.first { $0.timescale == .rapidReview }).lines
            #expect(rapid.map(\.personID) == [child] && rapid.map(\.state) == [.onTime])
            let school = try await LookedAfterImportTests.viewer(.safeguardingLead, .school, on: db)
            await #expect(throws: ChildAccessDenied.self) { _ = try await SeriousIncidents(directory: ChildDirectory(db: db, viewer: school)).all() }
        }
    }

    @Test("child protection meetings recorded by hand: checked against each other, on the same clocks as the census", arguments: Engine.available)
    func conferences(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(SocialCareImportTests.area, on: store.db)
            let db = store.db, sql = store.sql
            let (child, _) = try await Self.quietChild(sql)
            let worker = try await LookedAfterImportTests.viewer(.socialWorker, .laChildrensSocialCare, on: db)
            let directory = ChildDirectory(db: db, viewer: worker, today: Self.asOf)
            let meetings = RecordedMeetings(directory: directory)
            let agencies = try await meetings.agenciesToInvite(child)
            let csc = try #require(agencies.first { $0.kind == .laChildrensSocialCare }?.id)
            let police = try #require(agencies.first { $0.kind == .policeForce }?.id)

            await Self.field("date") { _ = try await meetings.recordConference(personID: child, kind: .review, date: Self.d("2026-11-20"), outcome: .planContinues, agencies: []) }
            await Self.field("outcome") { _ = try await meetings.recordConference(personID: child, kind: .initial, date: Self.d("2026-11-20"), outcome: nil, agencies: []) }
            _ = try await meetings.recordConference(personID: child, kind: .strategyDiscussion, date: Self.d("2026-11-02"), outcome: nil,
                                                    agencies: [ConferenceAgency(agencyID: csc, invited: true, attended: true)])
            await Self.field("date") { _ = try await meetings.recordConference(personID: child, kind: .initial, date: Self.d("2026-10-30"), outcome: .plan, agencies: []) }
            await Self.field("agency-1") {
                _ = try await meetings.recordConference(personID: child, kind: .initial, date: Self.d("2026-11-20"), outcome: .plan,
                                                        agencies: [ConferenceAgency(agencyID: police, invited: true, attended: true, apologies: true)])
            }
            await Self.field("agency-2") {
                _ = try await meetings.recordConference(personID: child, kind: .initial, date: Self.d("2026-11-20"), outcome: .plan,
                                                        agencies: [ConferenceAgency(agencyID: csc, invited: true, attended: true),
                                                                   ConferenceAgency(agencyID: police, invited: true, reportDate: Self.d("2026-11-21"))])
            }
            await Self.field("date") { _ = try await meetings.recordConference(personID: child, kind: .coreGroup, date: Self.d("2026-11-19"), outcome: nil, agencies: []) }
            _ = try await meetings.recordConference(personID: child, kind: .initial, date: Self.d("2026-11-20"), outcome: .plan, agencies: [
                ConferenceAgency(agencyID: csc, invited: true, attended: true, reportDate: Self.d("2026-11-19")),
                ConferenceAgency(agencyID: police, invited: true, apologies: true, reportDate: Self.d("2026-11-18")),
            ])
            await Self.field("date") { _ = try await meetings.recordConference(personID: child, kind: .coreGroup, date: Self.d("2026-11-19"), outcome: nil, agencies: []) }

            let recorded = try await meetings.conferences(of: child)
            #expect(recorded.map(\.kind) == [.initial, .strategyDiscussion])
            let parts = try #require(recorded.first).agencies
            #expect(parts.count == 2)
            #expect(parts.first { $0.apologies }?.reportInTime == true, "18 November is 2 working days before the 20th")
            #expect(parts.first { $0.attended }?.reportInTime == false, "a report the day before is late")

            func lines(_ today: CivilDate) async throws -> [Timescale: [TimescaleLine]] {
                let reports = try await StatutoryClocks(directory: ChildDirectory(db: db, viewer: worker, today: today)).reports(since: Self.d("2026-10-01"))
                return Dictionary(uniqueKeysWithValues: reports.compactMap { r in r.timescale.map { ($0, r.lines.filter { $0.personID == child }) } })
            }
            var now = try await lines(Self.asOf)
            #expect(now[.initialConference]?.map(\.due) == [Self.d("2026-11-23")] && now[.initialConference]?.map(\.state) == [.onTime])
            #expect(now[.coreGroupFirstMeeting]?.map(\.due) == [Self.d("2026-12-04")] && now[.coreGroupFirstMeeting]?.map(\.state) == [.open])
            #expect(now[.firstReviewConference]?.map(\.due) == [Self.d("2027-02-20")])
            now = try await lines(Self.d("2026-12-07"))
            #expect(now[.coreGroupFirstMeeting]?.map(\.state) == [.overdue], "no core group by Friday 4 December")
            _ = try await meetings.recordConference(personID: child, kind: .coreGroup, date: Self.d("2026-11-24"), outcome: nil, agencies: [])
            now = try await lines(Self.d("2026-12-07"))
            #expect(now[.coreGroupFirstMeeting]?.map(\.state) == [.onTime])
            let audited = try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'conference-recorded' AND person_id = \(bind: child)").first()!
            #expect(try audited.decode(column: "n", as: Int.self) == 3)
        }
    }

    @Test("statutory visits to a looked-after child meet the placement's visit clocks; a partnership's own timescale replaces the default", arguments: Engine.available)
    func visits(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(SocialCareImportTests.area, on: store.db)
            let db = store.db, sql = store.sql
            let (folder, _) = try LookedAfterImportTests.tables()
            defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
            _ = try await SocialCareImport.ssda903(path: folder.path, on: db, options: .init(), today: Self.asOf)
            // A child in a placement that started in the last two years, more than 7 weeks ago.
            let row = try #require(try await sql.raw("""
                SELECT person_id, start_date FROM care_episodes WHERE end_date IS NULL AND person_id IS NOT NULL AND reason_new <> 'L' \
                AND start_date BETWEEN '2024-12-01' AND '2026-10-01' ORDER BY start_date LIMIT 1
                """).first())
            let child = try row.decode(column: "person_id", as: UUID.self)
            let start = Self.d(try row.decode(column: "start_date", as: String.self))
            let worker = try await LookedAfterImportTests.viewer(.socialWorker, .laChildrensSocialCare, on: db)
            let directory = ChildDirectory(db: db, viewer: worker, today: Self.asOf)
            let meetings = RecordedMeetings(directory: directory)
            func lines(_ t: Timescale) async throws -> [TimescaleLine] {
                let reports = try await StatutoryClocks(directory: directory).reports(since: start)
                return try #require(reports.first { $0.timescale == t }).lines.filter { $0.personID == child }
            }
            #expect(try await lines(.firstPlacementVisit).map(\.state) == [.overdue], "no visit within a week of \(start)")

            await Self.field("date") { try await meetings.recordVisit(personID: child, date: start.adding(days: -30), seenAlone: true, longTerm: false) }
            await Self.field("date") { try await meetings.recordVisit(personID: child, date: Self.d("2026-11-26"), seenAlone: true, longTerm: false) }
            let (quiet, _) = try await Self.quietChild(sql)
            await Self.field("date") { try await meetings.recordVisit(personID: quiet, date: Self.asOf, seenAlone: true, longTerm: false) }

            try await meetings.recordVisit(personID: child, date: start.adding(days: 5), seenAlone: true, longTerm: false)
            #expect(try await lines(.firstPlacementVisit).map(\.state) == [.onTime])
            let next = try await lines(.laterPlacementVisit)
            #expect(next.map(\.due) == [start.adding(days: 5 + 42)] && next.map(\.state) == [.overdue], "then within 6 weeks")
            #expect(try await meetings.visits(of: child).count == 1)

            // The partnership allows 8 weeks: the rule in force changes, and says what it replaced.
            var local = Timescale.laterPlacementVisit.defaultRule
            local.period = .weeks(8)
            local.source = "local procedures (8 weeks)"
            let text = String(decoding: try JSONEncoder().encode([local]), as: UTF8.self)
            try await PartnershipSettings.setJSON("clocks", text, on: db, actor: "test")
            let reports = try await StatutoryClocks(directory: directory).reports(since: start)
            let report = try #require(reports.first { $0.rule.key == "later-placement-visit" })
            #expect(report.replacedDefault?.period == .weeks(6) && report.rule.period == .weeks(8))
            #expect(report.lines.filter { $0.personID == child }.map(\.due) == [start.adding(days: 5 + 56)])
            await #expect { try await PartnershipSettings.setJSON("clocks", #"[{"key":"x","title":"X","anchor":["a-full-moon"],"stops":["placement-visit"],"period":"3 days","from":"f","source":"s"}]"#, on: db, actor: "test") } throws: {
                "\($0)".hasPrefix("clocks: ") && "\($0)".contains("[0].anchor[0]")
            }
            await #expect { try await PartnershipSettings.setJSON("clocks", #"[{"key":"x","title":"X","anchor":["placement-visit"],"stops":["placement-visit"],"period":"3 fortnights","from":"f","source":"s"}]"#, on: db, actor: "test") } throws: {
                "\($0)".contains("3 fortnights")
            }
            #expect(try await PartnershipSettings.clockRules(on: db).first { $0.key == "later-placement-visit" }?.period == .weeks(8), "a refused setting changes nothing")
        }
    }

    @Test("a placement recorded by hand starts its visit clocks; a child's clocks carry the team of their latest front-door referral", arguments: Engine.available)
    func placementsAndTeams(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(SocialCareImportTests.area, on: store.db)
            let db = store.db, sql = store.sql
            let (child, name) = try await Self.quietChild(sql)
            let worker = try await LookedAfterImportTests.viewer(.socialWorker, .laChildrensSocialCare, on: db)
            let directory = ChildDirectory(db: db, viewer: worker, today: Self.asOf)
            let meetings = RecordedMeetings(directory: directory)
            await Self.field("date") { try await meetings.recordVisit(personID: child, date: Self.asOf, seenAlone: true, longTerm: false) }
            await Self.field("placement") { try await meetings.recordPlacement(personID: child, start: Self.d("2026-11-02"), end: nil, placement: "Q9") }
            await Self.field("end_date") { try await meetings.recordPlacement(personID: child, start: Self.d("2026-11-02"), end: Self.d("2026-11-01"), placement: "U6") }
            await Self.field("start_date") { try await meetings.recordPlacement(personID: child, start: Self.d("2026-11-26"), end: nil, placement: "U6") }
            try await meetings.recordPlacement(personID: child, start: Self.d("2026-11-02"), end: nil, placement: "u6")
            await Self.field("start_date") { try await meetings.recordPlacement(personID: child, start: Self.d("2026-11-02"), end: nil, placement: "K2") }
            #expect(try await meetings.placements(of: child).map(\.code) == ["U6"])
            #expect(try await meetings.wasPlaced(child, on: Self.asOf))

            // The child's team: the latest front-door referral that names one.
            let header = "referral_id,la_child_id,upn,nhs_number,forename,surname,date_of_birth,referral_date,source,outcome,decision_date,team"
            let person = try #require(try await Person.find(child, on: db))
            let dob = try #require(person.dateOfBirthText)
            let file = try EyesOnTests.write([header,
                "TT1,TT1,,,\(person.givenName),\(person.familyName),\(dob),2026-06-01,2A,assessment,2026-06-02,Assessment Team North",
                "TT2,TT1,,,\(person.givenName),\(person.familyName),\(dob),2026-10-30,2A,assessment,2026-11-02,Children in Care Team",
                "TT3,TT1,,,\(person.givenName),\(person.familyName),\(dob),2026-11-20,2A,pending,,"], name: "referrals.csv")
            let imported = try await SocialCareImport.referrals(path: file, on: db, options: .init(), today: Self.asOf)
            #expect(imported.accepted == 3 && imported.matched == 3, "\(imported.problems)")

            let reports = try await StatutoryClocks(directory: directory).reports(since: Self.d("2026-06-01"))
            let first = try #require(reports.first { $0.timescale == .firstPlacementVisit }).lines.filter { $0.personID == child }
            #expect(first.map(\.due) == [Self.d("2026-11-09")] && first.map(\.state) == [.overdue], "1 week from the placement recorded by hand")
            #expect(first.first?.team == "Children in Care Team", "the latest referral that names a team")
            #expect(first.first?.childName == name)
            let decisions = try #require(reports.first { $0.timescale == .referralDecision }).lines.filter { $0.personID == child }
            #expect(decisions.map(\.team).sorted { ($0 ?? "") < ($1 ?? "") } == ["Assessment Team North", "Children in Care Team", "Children in Care Team"], "each referral keeps its own team; one without takes the child's")
            let team = try #require(reports.first { $0.timescale == .firstPlacementVisit }).only(team: "Assessment Team North")
            #expect(!team.lines.contains { $0.personID == child })

            try await meetings.recordVisit(personID: child, date: Self.d("2026-11-06"), seenAlone: false, longTerm: false)
            let after = try await StatutoryClocks(directory: directory).reports(since: Self.d("2026-06-01"))
            #expect(try #require(after.first { $0.timescale == .firstPlacementVisit }).lines.filter { $0.personID == child }.map(\.state) == [.onTime])
        }
    }
}
