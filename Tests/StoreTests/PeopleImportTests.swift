import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import Synthetic
import Store
import TestSupport

/// The people feed through the import pipeline, on each engine: a youth justice caseload in
/// the service's own columns.
@Suite("People feed import")
struct PeopleImportTests {
    @Test("a caseload in its own columns links its children and opens them to the agency; the mapping is kept; a newer file discharges who has left", arguments: Engine.available)
    func caseload(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let area = SocialCareImportTests.area, today = SocialCareImportTests.asOf
            _ = try await SyntheticAreaLoader.load(area, on: store.db)
            let db = store.db, sql = store.sql
            let yos = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.youthJustice.rawValue).first())
            // Three children: one by UPN, one by name and date of birth only, one nobody knows. The first two are
            // children the service does not know yet (the synthetic area already links some of its caseload).
            let known = try await sql.raw("""
                SELECT p.id, p.given_name, p.family_name, p.date_of_birth, i.value FROM people p JOIN person_identifiers i ON i.person_id = p.id AND i.kind = 'upn' \
                WHERE p.kind = 'child' AND p.date_of_birth IS NOT NULL \
                AND NOT EXISTS (SELECT 1 FROM person_identifiers y WHERE y.person_id = p.id AND y.agency_id = \(bind: yos.id!)) ORDER BY p.id LIMIT 2
                """).all()
            #expect(known.count == 2)
            func uk(_ iso: String) -> String { let d = CivilDate(iso)!; return String(format: "%02d/%02d/%04d", d.day, d.month, d.year) }
            var lines = ["Ref,Forename,Last name,DOB,Pupil number,Officer"]
            for (k, row) in known.enumerated() {
                let (given, family, dob) = (try row.decode(column: "given_name", as: String.self), try row.decode(column: "family_name", as: String.self),
                                            try row.decode(column: "date_of_birth", as: String.self))
                lines.append("YJ\(k + 1),\(given),\(family),\(uk(dob)),\(k == 0 ? try row.decode(column: "value", as: String.self) : ""),Officer \(k + 1)")
            }
            lines.append("YJ9,Nobody,Knownhere,01/01/2012,,Officer 9")
            let path = try EyesOnTests.write(lines, name: "yos.csv")
            let mapping = try PeopleColumnMapping(parsing: "id=Ref,first_name=Forename,surname=Last name,dob=DOB,upn=Pupil number,worker=Officer")

            let officer = Viewer(userID: UUID(), email: "yos@example.org", displayName: "YOS", role: .youthJusticeWorker, agencyID: yos.id!,
                                 agencyName: yos.name, agencyKind: .youthJustice)
            let child = try known[1].decode(column: "id", as: UUID.self)
            let directory = ChildDirectory(db: db, viewer: officer, today: today)
            #expect(try await directory.isVisible(child) == false, "before the feed, the service has no relationship with the child")

            let first = try await PeopleImport.run(path: path, mapping: mapping, on: db, options: .init(agencyID: yos.id!, today: today))
            #expect(first.accepted == 3 && first.matched == 2 && first.unmatched == 1 && first.quarantined == 0, "\(first.problems)")
            #expect(try await directory.isVisible(child), "on the caseload, the child's record opens to the service")
            let lines1 = try await SocialCare(directory: directory).agencyCaseloads(forChild: child)
            #expect(lines1.map(\.agency) == [yos.name] && lines1.first?.worker == "Officer 2" && lines1.first?.dischargedOn == nil)
            #expect(try await PartnershipSettings.peopleColumns(on: db)[yos.key] == mapping, "the mapping is kept for the agency")

            // The next file, with no mapping given (the kept one), no longer holds YJ1.
            let newer = try EyesOnTests.write([lines[0]] + lines.dropFirst(2), name: "yos2.csv")
            let second = try await PeopleImport.run(path: newer, mapping: nil, on: db, options: .init(agencyID: yos.id!, today: today))
            #expect(second.unchanged == 2 && second.accepted == 0)
            let discharged = try await sql.raw("SELECT local_id, discharged_on FROM agency_caseload_entries WHERE discharged_on IS NOT NULL").all()
            #expect(try discharged.map { try $0.decode(column: "local_id", as: String.self) } == ["YJ1"])

            // A file in other columns, with no mapping for them, is refused whole and says which column.
            let other = try EyesOnTests.write(["id,first_name,surname,dob", "YJ1,A,B,2012-01-01"], name: "yos3.csv")
            do {
                _ = try await PeopleImport.run(path: other, mapping: nil, on: db, options: .init(agencyID: yos.id!, today: today))
                Issue.record("a file without the kept mapping's columns was imported")
            } catch let error as FeedFileError {
                #expect(error.message.contains("no columns Ref (mapped to id)"))
            }
            #expect(try await SocialCareImportTests.count("agency_caseload_entries", sql) == 3)
        }
    }
}
