import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import Synthetic
import Store
import TestSupport

/// The front door's referrals through the import pipeline, on each engine.
@Suite("Front-door referrals import")
struct ReferralsImportTests {
    @Test("the area's referrals link their children; a pending referral sent again decided updates it; the finder counts front-door referrals", arguments: Engine.available)
    func referrals(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let area = SocialCareImportTests.area, today = SocialCareImportTests.asOf
            _ = try await SyntheticAreaLoader.load(area, on: store.db)
            let db = store.db, sql = store.sql
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-referrals-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent(try area.writeReferralsExtract(to: folder).name).path
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
            let first = try await SocialCareImport.referrals(path: path, on: db, options: .init(), today: today)
            #expect(first.accepted == lines.count - 1 && first.quarantined == 0 && lines.count > 10, "\(first.problems)")
            #expect(first.matched == lines.count - 1, "every synthetic referral names its child's LAchildID")
            #expect(try await SocialCareImport.referrals(path: path, on: db, options: .init(), today: today).unchanged == lines.count - 1)

            // A child children's social care has never known: two referrals in a month, the second pending, then decided.
            let row = try #require(try await sql.raw("""
                SELECT p.id, p.given_name, p.family_name, p.date_of_birth FROM people p WHERE p.kind = 'child' AND p.date_of_birth IS NOT NULL \
                AND NOT EXISTS (SELECT 1 FROM person_identifiers l WHERE l.person_id = p.id AND l.kind = 'la-child-id') ORDER BY p.id LIMIT 1
                """).first())
            let person = try row.decode(column: "id", as: UUID.self)
            let child = [try row.decode(column: "given_name", as: String.self), try row.decode(column: "family_name", as: String.self),
                         try row.decode(column: "date_of_birth", as: String.self)].joined(separator: ",")
            let header = lines[0]
            let pending = try EyesOnTests.write([header, "FD1,NEW1,,,\(child),\(today.adding(days: -20)),2A,early-help,\(today.adding(days: -20)),",
                                                 "FD2,NEW1,,,\(child),\(today.adding(days: -2)),6,pending,,"], name: "fd.csv")
            let added = try await SocialCareImport.referrals(path: pending, on: db, options: .init(), today: today)
            #expect(added.accepted == 2 && added.matched == 2, "linked by name and date of birth")
            let decided = try EyesOnTests.write([header, "FD1,NEW1,,,\(child),\(today.adding(days: -20)),2A,early-help,\(today.adding(days: -20)),",
                                                 "FD2,NEW1,,,\(child),\(today.adding(days: -2)),6,section-47,\(today.adding(days: -1)),"], name: "fd2.csv")
            let again = try await SocialCareImport.referrals(path: decided, on: db, options: .init(), today: today)
            #expect(again.updated == 1 && again.unchanged == 1)

            let csc = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).first())
            let worker = Viewer(userID: UUID(), email: "fd@example.org", displayName: "Front door", role: .frontDoor,
                                agencyID: csc.id!, agencyName: csc.name, agencyKind: .laChildrensSocialCare)
            let directory = ChildDirectory(db: db, viewer: worker, today: today)
            let seen = try await SocialCare(directory: directory).frontDoorReferrals(forChild: person)
            #expect(seen.map(\.outcome) == [.section47, .earlyHelp] && seen.first?.source == "Police" && seen.first?.decisionDate == today.adding(days: -1))
            let named = try #require(try await HiddenChildren(directory: directory).find(only: person).children.first)
            #expect(named.found.first { $0.factor == .repeatedReferrals }?.evidence.hasPrefix("2 referrals in 12 months") == true)
        }
    }
}
