import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import Synthetic
import Store
import TestSupport

@Suite("Health caseloads import")
struct HealthImportTests {
    @Test("caseloads link children and their organisation; a newer file discharges what it no longer holds; another organisation's rows are refused", arguments: Engine.available)
    func caseloads(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let area = SocialCareImportTests.area, today = SocialCareImportTests.asOf
            _ = try await SyntheticAreaLoader.load(area, on: store.db)
            let db = store.db, sql = store.sql
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-health-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent(try area.writeHealthCaseloadExtract(to: folder).name).path
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
            let first = try await HealthImport.run(path: path, on: db, options: .init(today: today))
            #expect(first.accepted == lines.count - 1 && first.quarantined == 0)
            #expect(first.matched > first.unmatched, "most children and babies are linked by NHS number")
            #expect(try await HealthImport.run(path: path, on: db, options: .init(today: today)).unchanged == lines.count - 1)

            // A health-visiting row (the last one of its kind) leaves the caseload.
            let leaving = try #require(lines.lastIndex { $0.contains(",health-visiting,") })
            let localID = lines[leaving].split(separator: ",")[2]
            let newer = try EyesOnTests.write(lines.enumerated().filter { $0.offset != leaving }.map(\.element), name: "caseload.csv")
            let second = try await HealthImport.run(path: newer, on: db, options: .init(today: today))
            #expect(second.unchanged == lines.count - 2 && second.accepted == 0)
            let discharged = try await sql.raw("SELECT local_id, discharged_on FROM health_caseload_entries WHERE discharged_on IS NOT NULL").all()
            #expect(try discharged.map { try $0.decode(column: "local_id", as: String.self) } == [String(localID)])
            #expect(try discharged.first?.decode(column: "discharged_on", as: String.self) == today.description)

            // The organisation's practitioner sees the concerns flag; a school (if it may see the child) does not.
            let row = try #require(try await sql.raw("""
                SELECT h.person_id, h.agency_id FROM health_caseload_entries h WHERE h.person_id IS NOT NULL AND h.discharged_on IS NULL LIMIT 1
                """).first())
            let person = try row.decode(column: "person_id", as: UUID.self)
            let agency = try #require(try await Agency.find(try row.decode(column: "agency_id", as: UUID.self), on: db))
            let practitioner = Viewer(userID: UUID(), email: "hv@example.org", displayName: "Health visitor", role: .healthPractitioner,
                                      agencyID: agency.id!, agencyName: agency.name, agencyKind: .healthOrganisation)
            let seen = try await SocialCare(directory: ChildDirectory(db: db, viewer: practitioner, today: today)).healthCaseloads(forChild: person)
            #expect(!seen.isEmpty && seen.allSatisfy { $0.concerns != nil && $0.organisation == agency.name })

            // From one organisation, another's rows refuse the whole file.
            let other = try #require(try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.healthOrganisation.rawValue)
                .filter(\.$odsCode != agency.odsCode).first())
            let before = try await sql.raw("SELECT COUNT(*) AS n FROM health_caseload_entries").first()?.decode(column: "n", as: Int.self)
            do {
                _ = try await HealthImport.run(path: path, on: db, options: .init(agencyID: other.id, today: today))
                Issue.record("another organisation's caseloads were accepted")
            } catch let error as FeedFileError {
                #expect(error.field == "ods_code" && error.message.contains("only your own organisation"))
            }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM health_caseload_entries").first()?.decode(column: "n", as: Int.self) == before)
        }
    }
}
