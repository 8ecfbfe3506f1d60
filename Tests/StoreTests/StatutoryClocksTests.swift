import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import Synthetic
import Store
import TestSupport

/// The statutory clocks over the feeds' records, on the working-day calendar, on each engine.
@Suite("Statutory clocks")
struct StatutoryClocksTests {
    @Test("referral decisions within 1 working day, assessments within 45, conferences and reviews, across a bank holiday: on time, late, overdue, open", arguments: Engine.available)
    func clocks(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let today = CivilDate("2026-11-25")!   // a Wednesday
            _ = try await SyntheticAreaLoader.load(SocialCareImportTests.area, on: store.db)
            let db = store.db
            let header = "referral_id,la_child_id,upn,nhs_number,forename,surname,date_of_birth,referral_date,source,outcome,decision_date"
            let referrals = try EyesOnTests.write([
                header,
                "T1,TC1,,,Ana,One,2015-01-01,2026-08-28,2A,early-help,2026-09-01",     // Friday; Monday 31 August a bank holiday: due Tuesday
                "T2,TC2,,,Ben,Two,2015-01-01,2026-11-02,2A,assessment,2026-11-03",     // due the next day, decided then
                "T3,TC3,,,Cai,Three,2015-01-01,2026-11-06,2A,assessment,2026-11-10",   // Friday: due Monday, decided Tuesday
                "T4,TC4,,,Dee,Four,2015-01-01,2026-11-20,6,pending,",                  // Friday: due Monday 23rd, still pending
                "T5,TC5,,,Eli,Five,2015-01-01,2026-11-25,6,pending,",                  // today: due tomorrow
            ], name: "referrals.csv")
            _ = try await SocialCareImport.referrals(path: referrals, on: db, options: .init(), today: today)
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2027</Year><ReferenceDate>2027-03-31</ReferenceDate></CollectionDetails></Header>
                <Children><Child>
                <ChildIdentifiers><LAchildID>TA1</LAchildID><UPNunknown>UN1</UPNunknown><PersonBirthDate>2015-01-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
                <ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>
                <CINdetails><CINreferralDate>2026-09-01</CINreferralDate><ReferralSource>2A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
                <Assessments><AssessmentActualStartDate>2026-09-02</AssessmentActualStartDate><AssessmentAuthorisationDate>2026-11-10</AssessmentAuthorisationDate>\
                <AssessmentFactors><AssessmentFactor>2A</AssessmentFactor></AssessmentFactors></Assessments></CINdetails>
                <CINdetails><CINreferralDate>2026-10-01</CINreferralDate><ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
                <Assessments><AssessmentActualStartDate>2026-10-02</AssessmentActualStartDate></Assessments></CINdetails>
                <CINdetails><CINreferralDate>2026-10-05</CINreferralDate><ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
                <Section47><S47ActualStartDate>2026-10-06</S47ActualStartDate><InitialCPCtarget>2026-10-27</InitialCPCtarget>\
                <DateOfInitialCPC>2026-10-26</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired></Section47>
                <ReferralNFA>false</ReferralNFA>
                <ChildProtectionPlans><CPPstartDate>2026-10-26</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>\
                <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans></CINdetails>
                </Child></Children></Message>
                """
            let census = try await SocialCareImport.cin(path: try SocialCareImportTests.write(xml), on: db, options: .init())
            #expect(census.accepted == 1, "\(census.problems)")
            // Two looked-after children: one reviewed once since the start, one never reviewed.
            func child(_ id: String, _ start: String, _ reviews: [String]) -> String {
                """
                <CHILD><HEADER><CHILDID>\(id)</CHILDID><SEX>1</SEX><DOB>01/01/2014</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN4</UPN>\
                \(reviews.map { "<AREVIEW><REVIEW>\($0)</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>" }.joined())</HEADER>
                <EPISODE><DECOM>\(start)</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U4</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC></DEC><REC></REC>\
                <REASON_PLACE_CHANGE></REASON_PLACE_CHANGE><HOME_POST></HOME_POST><PL_POST></PL_POST><URN>XXXXXXX</URN></EPISODE></CHILD>
                """
            }
            let ssda903 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EXPSSDA903>\(child("TL1", "01/10/2026", ["20/10/2026"]))\(child("TL2", "01/09/2026", []))</EXPSSDA903>"
            let care = try await SocialCareImport.ssda903(path: try SocialCareImportTests.write(ssda903, name: "903.xml"), on: db, options: .init(), today: today)
            #expect(care.accepted == 2, "\(care.problems)")

            let csc = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).first())
            let worker = Viewer(userID: UUID(), email: "fd@example.org", displayName: "Front door", role: .frontDoor,
                                agencyID: csc.id!, agencyName: csc.name, agencyKind: .laChildrensSocialCare)
            let reports = try await StatutoryClocks(directory: ChildDirectory(db: db, viewer: worker, today: today)).reports(since: CivilDate("2026-08-01")!)
            let decisions = try #require(reports.first { $0.timescale == .referralDecision })
            func state(_ ref: String) -> (CivilDate?, TimescaleLine.State?) {
                let l = decisions.lines.first { $0.reference == ref }
                return (l?.due, l?.state)
            }
            #expect(state("T1") == (CivilDate("2026-09-01"), .onTime), "the bank holiday is not a working day")
            #expect(state("T2") == (CivilDate("2026-11-03"), .onTime))
            #expect(state("T3") == (CivilDate("2026-11-09"), .late))
            #expect(state("T4") == (CivilDate("2026-11-23"), .overdue))
            #expect(state("T5") == (CivilDate("2026-11-26"), .open))
            #expect(decisions.lines.first?.reference == "T4", "overdue first")
            #expect(decisions.onTimeShare == 0.5, "2 of the 4 decided or past due")

            let assessments = try #require(reports.first { $0.timescale == .assessment }).lines.filter { $0.reference == "TA1" }
            #expect(assessments.map(\.due) == [CivilDate("2026-12-03"), CivilDate("2026-11-03")])
            #expect(assessments.map(\.state) == [.open, .late], "45 working days from the referral: the open one is not due yet, the other was authorised late")

            let conference = try #require(reports.first { $0.timescale == .initialConference }).lines.first { $0.reference == "TA1" }
            #expect(conference?.due == CivilDate("2026-10-27") && conference?.state == .onTime, "15 working days from the enquiry's start")
            func lines(_ t: Timescale) throws -> [TimescaleLine] { try #require(reports.first { $0.timescale == t }).lines }
            let review = try lines(.firstReviewConference).first { $0.reference == "TA1" }
            #expect(review?.due == CivilDate("2027-01-26") && review?.state == .open, "3 months from the plan's start")
            #expect(try lines(.laterReviewConference).isEmpty, "no review held yet, so no later one is counting")
            #expect(try lines(.coreGroupFirstMeeting).isEmpty, "the census has no core groups: that clock runs only from conferences recorded in EyesOn")
            let first = try lines(.firstLookedAfterReview)
            let once = try #require(first.first { $0.reference == "TL1" }), never = try #require(first.first { $0.reference == "TL2" })
            #expect(once.due == CivilDate("2026-10-29") && once.done == CivilDate("2026-10-20") && once.state == .onTime)
            #expect(never.due == CivilDate("2026-09-29") && never.state == .overdue, "20 working days from becoming looked after")
            let second = try #require(try lines(.secondLookedAfterReview).first { $0.reference == "TL1" })
            #expect(second.started == CivilDate("2026-10-20") && second.due == CivilDate("2027-01-20") && second.state == .open, "3 months after the first review")
            let visits = try lines(.firstPlacementVisit)
            #expect(visits.first { $0.reference == "TL1" }?.due == CivilDate("2026-10-08"), "1 week from the placement's start")
            #expect(visits.allSatisfy { $0.state == .overdue }, "no visit is recorded")

            let school = Viewer(userID: UUID(), email: "dsl@example.org", displayName: "DSL", role: .safeguardingLead, agencyID: csc.id!,
                                agencyName: "School", agencyKind: .school)
            await #expect(throws: ChildAccessDenied.self) { _ = try await StatutoryClocks(directory: ChildDirectory(db: db, viewer: school)).reports(since: today) }
        }
    }
}
