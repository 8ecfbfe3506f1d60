import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import Synthetic
import Store
import TestSupport

/// Police incidents through the import pipeline and the Operation Encompass notices they raise.
@Suite("Police incidents and Operation Encompass")
struct PoliceImportTests {
    static let header = "reference,occurred_at,postcode,risk_level,party_number,role,forename,surname,date_of_birth,sex,school_urn,child_presence"

    static func viewer(_ role: Role, _ agency: Agency) -> Viewer {
        Viewer(userID: UUID(), email: "\(role.rawValue)@example.org", displayName: role.title, role: role,
               agencyID: agency.id!, agencyName: agency.name, agencyKind: agency.kind!)
    }

    @Test("each school-age child gets one notice to their school (or the front door), due before the next school day; the school acknowledges it", arguments: Engine.available)
    func notices(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(SocialCareImportTests.area, on: store.db)
            let db = store.db
            let schools = try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.school.rawValue).sort(\.$key).all()
            let (school, other) = (schools[0], schools[1])
            let urn = try #require(school.urn)
            // Thursday 19 November 2026, 21:15: an 8-year-old at the school, a 2-year-old (no
            // notice: not of school age), a 10-year-old with no known school (the front door).
            let rows = [
                Self.header,
                "NP/26/0001,2026-11-19T21:15:00,EB1 1AA,high,1,victim,Ada,Exampleton,1990-01-02,F,,",
                "NP/26/0001,2026-11-19T21:15:00,EB1 1AA,high,2,suspect,Bram,Exampleton,1988-03-04,M,,",
                "NP/26/0001,2026-11-19T21:15:00,EB1 1AA,high,3,child,Cleo,Exampleton,2018-05-06,F,\(urn),witnessed",
                "NP/26/0001,2026-11-19T21:15:00,EB1 1AA,high,4,child,Dov,Exampleton,2024-07-08,M,,present",
                "NP/26/0001,2026-11-19T21:15:00,EB1 1AA,high,5,child,Eli,Exampleton,2016-09-10,M,,involved",
                "NP/26/0002,2026-11-18T10:00:00,EB1 1AB,medium,1,victim,Fay,Sampleford,1992-01-02,F,,",
                "NP/26/0002,2026-11-18T10:00:00,EB1 1AB,medium,2,child,Gus,Sampleford,2017-01-02,M,\(urn),maybe",
            ]
            let path = try EyesOnTests.write(rows, name: "incidents.csv")
            let today = CivilDate(year: 2026, month: 11, day: 20)!
            let report = try await PoliceImport.incidents(path: path, on: db, options: .init(today: today))
            #expect(report.accepted == 1 && report.quarantined == 1, "the incident with a bad presence is quarantined whole")
            #expect(report.problems.first?.line == 8 && report.problems.first?.field == "child_presence")
            let sql = store.sql
            let notices = try await sql.raw("SELECT child_name, addressee_agency_id, due_at FROM encompass_notices ORDER BY child_name").all()
            #expect(try notices.map { try $0.decode(column: "child_name", as: String.self) } == ["Cleo Exampleton", "Eli Exampleton"])
            let csc = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).first())
            #expect(try notices.map { try $0.decode(column: "addressee_agency_id", as: UUID.self) } == [school.id!, csc.id!])
            var london = Calendar(identifier: .gregorian)
            london.timeZone = TimeZone(identifier: "Europe/London")!
            let due = london.date(from: DateComponents(year: 2026, month: 11, day: 20, hour: 8, minute: 30))!
            #expect(try notices[0].decode(column: "due_at", as: Date.self) == due, "before school starts on Friday")

            // The same file again changes nothing.
            let again = try await PoliceImport.incidents(path: path, on: db, options: .init(today: today))
            #expect(again.unchanged == 1 && again.accepted == 0)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM encompass_notices").first()?.decode(column: "n", as: Int.self) == 2)

            // The school's safeguarding lead sees their pupil's notice only, and acknowledges it.
            let dsl = Encompass(db: db, viewer: Self.viewer(.safeguardingLead, school))
            let theirs = try await dsl.notices()
            #expect(theirs.map(\.childName) == ["Cleo Exampleton"] && theirs[0].presence == "witnessed" && theirs[0].reference == "NP/26/0001")
            #expect(theirs[0].status(at: due.addingTimeInterval(60)) == .overdue)
            await #expect(throws: ListError.self) { try await dsl.acknowledge(theirs[0].id, support: "  ") }
            try await dsl.acknowledge(theirs[0].id, support: "Key adult checked in with Cleo at the gate.")
            let otherSchool = Encompass(db: db, viewer: Self.viewer(.safeguardingLead, other))
            #expect(try await otherSchool.notice(theirs[0].id) == nil, "another school gets the same answer as for no notice")
            await #expect(throws: ListError.self) { try await otherSchool.acknowledge(theirs[0].id, support: "x") }

            // The force sees its notices and which are acknowledged; a corrected incident keeps them.
            let police = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.policeForce.rawValue).first())
            let seen = try await Encompass(db: db, viewer: Self.viewer(.policeOfficer, police)).notices()
            #expect(seen.count == 2 && seen.filter { $0.acknowledgedAt != nil }.map(\.childName) == ["Cleo Exampleton"])
            let corrected = try EyesOnTests.write(rows.map { $0.replacingOccurrences(of: ",high,", with: ",medium,") }, name: "incidents.csv")
            let third = try await PoliceImport.incidents(path: corrected, on: db, options: .init(today: today))
            #expect(third.updated == 1)
            let kept = try await dsl.notices()
            #expect(kept.first?.acknowledgedAt != nil && kept.first?.support == "Key adult checked in with Cleo at the gate." && kept.first?.riskLevel == "medium")
        }
    }

    @Test("a notice about a known child is recorded as a share with the school, once, under safeguarding with consent not sought", arguments: Engine.available)
    func noticeIsAShare(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(SocialCareImportTests.area, on: store.db)
            let db = store.db, sql = store.sql
            let today = SocialCareImportTests.asOf
            // A pupil of school age (8 to 15) on a school's roll, with a name and birth date no other child shares.
            let row = try #require(try await sql.raw("""
                SELECT p.id, p.given_name, p.family_name, p.date_of_birth, a.urn, a.name FROM people p \
                JOIN school_enrolments e ON e.person_id = p.id JOIN agencies a ON a.id = e.agency_id \
                WHERE p.kind = 'child' AND e.to_date IS NULL AND p.date_of_birth <= \(bind: today.adding(months: -8 * 12).description) \
                AND p.date_of_birth > \(bind: today.adding(months: -15 * 12).description) \
                AND a.urn IS NOT NULL AND (SELECT COUNT(*) FROM people q WHERE q.given_name = p.given_name AND q.family_name = p.family_name \
                AND q.date_of_birth = p.date_of_birth) = 1 ORDER BY p.id LIMIT 1
                """).first())
            let person = try row.decode(column: "id", as: UUID.self)
            let (given, family, born) = (try row.decode(column: "given_name", as: String.self), try row.decode(column: "family_name", as: String.self),
                                         try row.decode(column: "date_of_birth", as: String.self))
            let (urn, schoolName) = (try row.decode(column: "urn", as: Int.self), try row.decode(column: "name", as: String.self))
            let occurred = today.adding(days: -1)
            let rows = [
                Self.header,
                "NP/26/0101,\(occurred)T20:05:00,EB1 1AA,high,1,victim,Ada,Exampleton,1990-01-02,F,,",
                "NP/26/0101,\(occurred)T20:05:00,EB1 1AA,high,2,child,\(given),\(family),\(born),,\(urn),present",
            ]
            let path = try EyesOnTests.write(rows, name: "incidents.csv")
            let report = try await PoliceImport.incidents(path: path, on: db, options: .init(actor: "feed token police-incidents", today: today))
            #expect(report.accepted == 1 && report.matched == 1)

            let csc = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).first())
            let sharing = InformationSharing(directory: ChildDirectory(db: db, viewer: Self.viewer(.socialWorker, csc), today: today))
            let shares = try await sharing.of(person)
            #expect(shares.count == 1)
            let share = try #require(shares.first)
            #expect(share.decision.shared && share.decision.channel == .notice)
            #expect(share.decision.recipient == "\(schoolName) (designated safeguarding lead)")
            #expect(share.decision.what.contains("NP/26/0101"))
            #expect(share.decision.lawfulBasis == .safeguarding && share.decision.consent == .notSought && !share.decision.reason.isEmpty)
            #expect(share.actor == "feed token police-incidents" && share.agencyName == "Eastshire Constabulary")

            // The same file again, and a corrected incident, send no new notice: no new share.
            _ = try await PoliceImport.incidents(path: path, on: db, options: .init(today: today))
            let corrected = try EyesOnTests.write(rows.map { $0.replacingOccurrences(of: ",high,", with: ",medium,") }, name: "incidents.csv")
            #expect(try await PoliceImport.incidents(path: corrected, on: db, options: .init(today: today)).updated == 1)
            #expect(try await sharing.of(person).count == 1)
        }
    }

    @Test("a MARAC case links its children; schools see that the household was discussed, never the adults; the finder counts it", arguments: Engine.available)
    func marac(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(SocialCareImportTests.area, on: store.db)
            let db = store.db, sql = store.sql
            let today = SocialCareImportTests.asOf
            // A pupil on a school's roll, not known to children's social care.
            let row = try #require(try await sql.raw("""
                SELECT p.id, p.given_name, p.family_name, p.date_of_birth, e.agency_id FROM people p JOIN school_enrolments e ON e.person_id = p.id \
                WHERE p.kind = 'child' AND e.to_date IS NULL AND p.date_of_birth IS NOT NULL ORDER BY p.id LIMIT 1
                """).first())
            let person = try row.decode(column: "id", as: UUID.self)
            let (given, family, born) = (try row.decode(column: "given_name", as: String.self), try row.decode(column: "family_name", as: String.self),
                                         try row.decode(column: "date_of_birth", as: String.self))
            let columns = "case_id,meeting_date,referring_agency,dash_score,referral_reason,previous_meeting_date,victim_forename,victim_surname,victim_dob,victim_postcode,perpetrator_forename,perpetrator_surname,perpetrator_dob,child_number,child_forename,child_surname,child_dob,child_school_urn"
            let meeting = today.adding(days: -30)
            let path = try EyesOnTests.write([
                columns,
                "M-0001,\(meeting),Police,17,,,Vera,Victimson,1990-01-02,EB1 1AA,Zed,Suspectson,1988-03-04,1,\(given),\(family),\(born),",
                "M-0002,\(meeting),Police,40,,,Una,Other,1990-01-02,EB1 1AA,,,,,,,,",
            ], name: "marac.csv")
            let report = try await MARACImport.run(path: path, on: db, options: .init(today: today))
            #expect(report.accepted == 1 && report.quarantined == 1 && report.matched == 1)
            #expect(report.problems.first?.field == "dash_score")
            #expect(try await MARACImport.run(path: path, on: db, options: .init(today: today)).unchanged == 1)

            // The finder counts the child while they are on nobody's list.
            let csc = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).first())
            let finder = HiddenChildren(directory: ChildDirectory(db: db, viewer: Self.viewer(.frontDoor, csc), today: today))
            let named = try await finder.find().children.first { $0.personID == person }
            #expect(named?.found.contains { $0.factor == .maracHousehold && $0.evidence.contains(meeting.description) } == true)
            let school = try #require(try await Agency.find(try row.decode(column: "agency_id", as: UUID.self), on: db))
            let schoolDirectory = ChildDirectory(db: db, viewer: Self.viewer(.safeguardingLead, school), today: today)
            try await AccessPolicyTests.propose(person, by: schoolDirectory)   // the school sees its listed pupils
            let dsl = SocialCare(directory: schoolDirectory)
            let seen = try await dsl.maracs(forChild: person)
            #expect(seen.count == 1 && seen[0].meetingDate == meeting)
            #expect(seen[0].perpetrator == nil && seen[0].victim == nil && seen[0].dashScore == nil, "a school is not told who the adults are")
            let police = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.policeForce.rawValue).first())
            let officer = SocialCare(directory: ChildDirectory(db: db, viewer: Self.viewer(.policeOfficer, police), today: today))
            let detail = try await officer.maracs(forChild: person)
            #expect(detail.first?.perpetrator == "Zed Suspectson" && detail.first?.dashScore == 17)

        }
    }
}
