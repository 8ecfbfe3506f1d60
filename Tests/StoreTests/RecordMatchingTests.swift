import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import Synthetic
import Store
import TestSupport

/// Matching the feeds' unmatched records by hand, on each engine.
@Suite("Records to match")
struct RecordMatchingTests {
    @Test("an unmatched census child and caseload entry are offered with the children they may be; linking one applies it everywhere, once, audited", arguments: Engine.available)
    func matchByHand(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let area = SocialCareImportTests.area, today = SocialCareImportTests.asOf
            _ = try await SyntheticAreaLoader.load(area, on: store.db)
            let db = store.db, sql = store.sql
            let row = try #require(try await sql.raw("""
                SELECT p.id, p.given_name, p.family_name, p.date_of_birth, i.value FROM people p JOIN person_identifiers i ON i.person_id = p.id AND i.kind = 'upn' \
                WHERE p.kind = 'child' AND p.date_of_birth IS NOT NULL \
                AND NOT EXISTS (SELECT 1 FROM person_identifiers l WHERE l.person_id = p.id AND l.kind = 'la-child-id') ORDER BY p.id LIMIT 1
                """).first())
            let person = try row.decode(column: "id", as: UUID.self)
            // A surname of two words, as the synthetic area's Irish families sometimes have (compared whole).
            let (given, family) = (try row.decode(column: "given_name", as: String.self), "Ó Briain")
            try await sql.raw("UPDATE people SET family_name = \(bind: family) WHERE id = \(bind: person)").run()
            let born = CivilDate(try row.decode(column: "date_of_birth", as: String.self))!
            // The census has the child's UPN but a birth date a day out: kept unmatched.
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2027</Year><ReferenceDate>2027-03-31</ReferenceDate></CollectionDetails></Header>
                <Children><Child>
                <ChildIdentifiers><LAchildID>MATCH1</LAchildID><UPN>\(try row.decode(column: "value", as: String.self))</UPN>\
                <PersonBirthDate>\(born.adding(days: 1))</PersonBirthDate><Sex>U</Sex></ChildIdentifiers>
                <ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>
                <CINdetails><CINreferralDate>\(today.adding(days: -30))</CINreferralDate><ReferralSource>2A</ReferralSource><ReferralNFA>false</ReferralNFA></CINdetails>
                </Child></Children></Message>
                """
            let census = try await SocialCareImport.cin(path: try SocialCareImportTests.write(xml), on: db, options: .init())
            #expect(census.conflicts == 1 && census.unmatched == 1)
            // Youth justice has the child with the forename spelt another way: no one matched.
            let yos = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.youthJustice.rawValue).first())
            let file = try EyesOnTests.write(["id,first_name,surname,dob", "YJ1,\(given)x,\(family),\(born)"], name: "yos.csv")
            let caseload = try await PeopleImport.run(path: file, mapping: nil, on: db, options: .init(agencyID: yos.id!, today: today))
            #expect(caseload.unmatched == 1)

            let csc = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).first())
            let worker = Viewer(userID: UUID(), email: "fd@example.org", displayName: "Front door", role: .frontDoor,
                                agencyID: csc.id!, agencyName: csc.name, agencyKind: .laChildrensSocialCare)
            let matching = RecordMatching(directory: ChildDirectory(db: db, viewer: worker, today: today))
            let (counts, records) = try await matching.unmatched()
            #expect(counts[.cin] == 1 && counts[.people] == 1)
            let cin = try #require(records.first { $0.feed == .cin && $0.reference == "MATCH1" })
            #expect(cin.candidates.first?.personID == person && cin.candidates.first?.why == "same UPN, born \(born)")
            let entry = try #require(records.first { $0.feed == .people })
            #expect(entry.name == "\(given)x \(family)")
            let best = try #require(entry.candidates.first)
            #expect(best.personID == person && best.why.contains("same date of birth") && best.why.contains("same surname"))

            try await matching.link(.cin, recordID: cin.id, to: person)
            try await matching.link(.people, recordID: entry.id, to: person)
            let referrals = try await SocialCare(directory: ChildDirectory(db: db, viewer: worker, today: today)).referrals(forChild: person)
            #expect(referrals.count == 1, "the census's referral now counts for the child")
            let ids = try await sql.raw("SELECT value FROM person_identifiers WHERE person_id = \(bind: person) AND kind = 'la-child-id'").all()
                .map { try $0.decode(column: "value", as: String.self) }
            #expect(ids == ["MATCH1"])
            let officer = Viewer(userID: UUID(), email: "yos@example.org", displayName: "YOS", role: .youthJusticeWorker, agencyID: yos.id!,
                                 agencyName: yos.name, agencyKind: .youthJustice)
            #expect(try await ChildDirectory(db: db, viewer: officer, today: today).isVisible(person), "the service may now open the child's record")
            await #expect(throws: MatchingError.self) { try await matching.link(.cin, recordID: cin.id, to: person) }
            #expect(try await matching.unmatched().counts.values.reduce(0, +) == 0)
            let audited = try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'record-matched'").first()!.decode(column: "n", as: Int.self)
            #expect(audited == 2)

            // Only children's social care matches records.
            await #expect(throws: ChildAccessDenied.self) { _ = try await RecordMatching(directory: ChildDirectory(db: db, viewer: officer)).unmatched() }
        }
    }
}
