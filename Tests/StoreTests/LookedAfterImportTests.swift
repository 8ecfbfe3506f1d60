import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import Synthetic
import Store
import TestSupport

/// The SSDA903 return through the import pipeline, on each engine: the synthetic area's CSV
/// tables, edited copies of them, and the XML form.
@Suite("SSDA903 import")
struct LookedAfterImportTests {
    static let area = SocialCareImportTests.area
    static let asOf = SocialCareImportTests.asOf

    /// A fresh copy of the area's `ssda903/` folder, its tables as lines by file name.
    static func tables() throws -> (URL, [String: [String]]) {
        let folder = try area.writeSSDA903Extract(to: FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-903-\(UUID().uuidString)"))
        var tables: [String: [String]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            tables[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        }
        return (folder, tables)
    }

    static func save(_ lines: [String], to folder: URL, _ name: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    static func count(_ table: String, _ sql: any SQLDatabase) async throws -> Int { try await SocialCareImportTests.count(table, sql) }

    static func viewer(_ role: Role, _ kind: AgencyKind, on db: any Database) async throws -> Viewer {
        let agency = try #require(try await Agency.query(on: db).filter(\.$kindRaw == kind.rawValue).first())
        return Viewer(userID: UUID(), email: "\(role.rawValue)@example.org", displayName: "Test", role: role, agencyID: agency.id!,
                      agencyName: agency.name, agencyKind: kind)
    }

    @Test("a return's tables import every child with their care, linked to the person index; the same return twice changes nothing", arguments: Engine.available)
    func importsAndIsIdempotent(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let (folder, tables) = try Self.tables()
            defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
            let children = tables["header.csv"]!.count - 1
            #expect(children > 10)
            let first = try await SocialCareImport.ssda903(path: folder.path, on: store.db, options: .init(), today: Self.asOf)
            #expect(first.recordsRead == children && first.accepted == children && first.quarantined == 0, "\(first.problems)")
            #expect(first.matched == children, "the synthetic index holds every child's LAchildID")
            let sql = store.sql
            #expect(try await Self.count("care_episodes", sql) == tables["episodes.csv"]!.count - 1)
            #expect(try await Self.count("missing_episodes", sql) == tables["missing.csv"]!.count - 1)
            #expect(try await Self.count("looked_after_reviews", sql) == tables["reviews.csv"]!.count - 1)
            let leavers = try await sql.raw("SELECT COUNT(*) AS n FROM looked_after_children WHERE in_touch IS NOT NULL").first()!.decode(column: "n", as: Int.self)
            #expect(leavers == tables["oc3.csv"]!.count - 1)

            let again = try await SocialCareImport.ssda903(path: folder.path, on: store.db, options: .init(), today: Self.asOf)
            #expect(again.unchanged == children && again.accepted == 0 && again.updated == 0)
            #expect(try await Self.count("care_episodes", sql) == tables["episodes.csv"]!.count - 1, "nothing doubled")
            let runs = try await sql.raw("SELECT status FROM import_runs WHERE kind = 'ssda903'").all().map { try $0.decode(column: "status", as: String.self) }
            #expect(runs == ["completed", "completed"])
        }
    }

    @Test("a newer return replaces a changed child's care and marks a placement outside the area; a bad child is quarantined with its table, line and column, its held record kept", arguments: Engine.available)
    func supersedesAndQuarantines(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let (folder, tables) = try Self.tables()
            defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
            _ = try await SocialCareImport.ssda903(path: folder.path, on: store.db, options: .init(), today: Self.asOf)
            let sql = store.sql
            var episodes = tables["episodes.csv"]!
            let columns = episodes[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let (child, place, postcode) = (columns.firstIndex(of: "CHILD")!, columns.firstIndex(of: "PLACE")!, columns.firstIndex(of: "PL_POST")!)
            // The first child's first episode moves to a placement far outside the area; the
            // second child's first episode gets a placement code that does not exist.
            var moved = episodes[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            moved[postcode] = "ZE2 9QQ"
            episodes[1] = moved.joined(separator: ",")
            let movedChild = moved[child]
            let badLine = try #require(episodes.indices.dropFirst().first { episodes[$0].split(separator: ",", omittingEmptySubsequences: false)[child] != Substring(movedChild) })
            var bad = episodes[badLine].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            bad[place] = "Q9"
            episodes[badLine] = bad.joined(separator: ",")
            let badChild = bad[child]
            try Self.save(episodes, to: folder, "episodes.csv")
            let before = try await sql.raw("""
                SELECT COUNT(*) AS n FROM care_episodes e JOIN looked_after_children c ON c.id = e.child_id WHERE c.la_child_id = \(bind: badChild)
                """).first()!.decode(column: "n", as: Int.self)

            let second = try await SocialCareImport.ssda903(path: folder.path, on: store.db, options: .init(), today: Self.asOf)
            #expect(second.updated == 1 && second.quarantined == 1 && second.accepted == 0)
            let problem = try #require(second.problems.first)
            #expect(problem.field == "episodes.csv:PLACE" && problem.line == badLine + 1 && problem.value == "Q9")
            let outside = try await sql.raw("""
                SELECT c.la_child_id FROM care_episodes e JOIN looked_after_children c ON c.id = e.child_id WHERE e.out_of_area
                """).all().map { try $0.decode(column: "la_child_id", as: String.self) }
            #expect(outside == [movedChild], "only the moved placement is outside the area's districts")
            let kept = try await sql.raw("""
                SELECT COUNT(*) AS n FROM care_episodes e JOIN looked_after_children c ON c.id = e.child_id WHERE c.la_child_id = \(bind: badChild)
                """).first()!.decode(column: "n", as: Int.self)
            #expect(kept == before && kept > 0, "the quarantined child's care from the last return is kept")
            let stored = try await Imports.problems(runID: try #require(second.runID), on: store.db)
            #expect(stored.count == 1 && stored[0].1 == "episodes.csv:PLACE")
        }
    }

    @Test("the XML form imports a child with their care; missing from care, the child is named by the hidden-children finder", arguments: Engine.available)
    func xmlForm(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let sql = store.sql
            let people = try await sql.raw("SELECT p.id, i.value FROM people p JOIN person_identifiers i ON i.person_id = p.id WHERE i.kind = 'la-child-id' LIMIT 1").first()
            let row = try #require(people)
            let laID = try row.decode(column: "value", as: String.self)
            let person = try #require(try await Person.find(try row.decode(column: "id", as: UUID.self), on: store.db))
            let dob = try #require(person.dateOfBirthText.flatMap(CivilDate.init))
            func uk(_ d: CivilDate) -> String { String(format: "%02d/%02d/%04d", d.day, d.month, d.year) }
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <EXPSSDA903>
                  <CHILD>
                    <HEADER><CHILDID>\(laID)</CHILDID><SEX>\(person.sexRaw == "male" ? 1 : 2)</SEX><DOB>\(uk(dob))</DOB><ETHNIC>WBRI</ETHNIC><UPN>UN4</UPN>
                      <AMISSING><MISSING>M</MISSING><MIS_START>10/11/2026</MIS_START><MIS_END></MIS_END></AMISSING>
                    </HEADER>
                    <EPISODE><DECOM>01/06/2026</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>K2</PL><PLACE_PROVIDER>PR4</PLACE_PROVIDER>
                      <DEC></DEC><REC></REC><REASON_PLACE_CHANGE></REASON_PLACE_CHANGE><HOME_POST></HOME_POST><PL_POST></PL_POST><URN>SC912345</URN></EPISODE>
                  </CHILD>
                </EXPSSDA903>
                """
            let path = try SocialCareImportTests.write(xml, name: "ssda903.xml")
            let report = try await SocialCareImport.ssda903(path: path, on: store.db, options: .init(), today: Self.asOf)
            #expect(report.accepted == 1 && report.matched == 1 && report.quarantined == 0, "\(report.problems)")
            let social = try await Self.viewer(.socialWorker, .laChildrensSocialCare, on: store.db)
            let care = try #require(try await SocialCare(directory: ChildDirectory(db: store.db, viewer: social, today: Self.asOf)).lookedAfter(forChild: person.id!))
            #expect(care.isLookedAfter && care.episodes.first?.legalStatus.code == "C2" && care.episodes.first?.placement.label == "Children's home")
            #expect(care.missing.map(\.kind) == ["missing"] && care.missing.first?.start == CivilDate(year: 2026, month: 11, day: 10) && care.missing.first?.end == nil)
            // Missing from care and on nobody's list: the hidden-children finder names the child, with the episode.
            let named = try #require(try await HiddenChildren(directory: ChildDirectory(db: store.db, viewer: social, today: Self.asOf)).find(only: person.id!).children.first)
            let missing = try #require(named.found.first { $0.factor == .missingFromCare })
            #expect(missing.points == HiddenChildrenPolicy.defaults.missingPoints && missing.evidence.contains("the latest from 2026-11-10"))
        }
    }

    @Test("a return that cannot be read, or from the wrong agency, applies nothing and says why in the history", arguments: Engine.available)
    func rejections(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let (folder, tables) = try Self.tables()
            defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
            let sql = store.sql
            // episodes.csv cut short part-way through a row.
            let episodes = tables["episodes.csv"]!.joined(separator: "\n")
            try String(episodes.prefix(episodes.count * 2 / 3)).dropLast(3).write(to: folder.appendingPathComponent("episodes.csv"), atomically: true, encoding: .utf8)
            do {
                _ = try await SocialCareImport.ssda903(path: folder.path, on: store.db, options: .init(), today: Self.asOf)
                Issue.record("a return cut short was imported")
            } catch let error as FeedFileError {
                #expect(error.file.hasSuffix("episodes.csv") && error.line != nil && error.message.contains("cut short"))
            }
            #expect(try await Self.count("looked_after_children", sql) == 0)
            #expect(try await Self.count("care_episodes", sql) == 0)
            // No episodes.csv at all.
            try FileManager.default.removeItem(at: folder.appendingPathComponent("episodes.csv"))
            await #expect(throws: FeedFileError.self) {
                _ = try await SocialCareImport.ssda903(path: folder.path, on: store.db, options: .init(), today: Self.asOf)
            }
            // From a school.
            let school = try #require(try await Agency.query(on: store.db).filter(\.$kindRaw == AgencyKind.school.rawValue).first())
            do {
                _ = try await SocialCareImport.ssda903(path: folder.path, on: store.db, options: .init(agencyID: school.id), today: Self.asOf)
                Issue.record("a school's return was imported")
            } catch let error as FeedFileError {
                #expect(error.message.contains("an SSDA903 return comes from children's social care"))
            }
            let runs = try await sql.raw("SELECT status FROM import_runs WHERE kind = 'ssda903'").all().map { try $0.decode(column: "status", as: String.self) }
            #expect(runs == ["rejected", "rejected", "rejected"])
        }
    }

    @Test("where a looked-after child is placed is for children's social care only; a viewer with no relationship sees nothing", arguments: Engine.available)
    func readThroughPolicy(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let (folder, _) = try Self.tables()
            defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
            _ = try await SocialCareImport.ssda903(path: folder.path, on: store.db, options: .init(), today: Self.asOf)
            let row = try #require(try await store.sql.raw("""
                SELECT person_id FROM care_episodes WHERE placement_postcode IS NOT NULL AND person_id IS NOT NULL LIMIT 1
                """).first())
            let person = try row.decode(column: "person_id", as: UUID.self)
            func care(_ viewer: Viewer) async throws -> LookedAfterRecord? {
                try await SocialCare(directory: ChildDirectory(db: store.db, viewer: viewer, today: Self.asOf)).lookedAfter(forChild: person)
            }
            let social = try #require(try await care(try await Self.viewer(.socialWorker, .laChildrensSocialCare, on: store.db)))
            #expect(social.episodes.contains { $0.placementPostcode != nil })
            let virtualSchool = try #require(try await care(try await Self.viewer(.virtualSchoolHead, .virtualSchool, on: store.db)))
            #expect(virtualSchool.episodes.count == social.episodes.count && virtualSchool.episodes.allSatisfy { $0.placementPostcode == nil })
            #expect(try await care(try await Self.viewer(.policeOfficer, .policeForce, on: store.db)) == nil)
        }
    }

    @Test("the proposal rules name children on a protection plan or looked after who are not on the list, with the record", arguments: Engine.available)
    func rulesPropose(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let (folder, _) = try Self.tables()
            defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
            _ = try await SocialCareImport.cin(path: try SocialCareImportTests.write(SocialCareImportTests.census), on: store.db, options: .init())
            _ = try await SocialCareImport.ssda903(path: folder.path, on: store.db, options: .init(), today: Self.asOf)
            let sql = store.sql
            let onPlan = Set(try await sql.raw("SELECT DISTINCT person_id FROM protection_plans WHERE end_date IS NULL AND person_id IS NOT NULL").all()
                .map { try $0.decode(column: "person_id", as: UUID.self) })
            let lookedAfter = Set(try await sql.raw("SELECT DISTINCT person_id FROM care_episodes WHERE end_date IS NULL AND person_id IS NOT NULL").all()
                .map { try $0.decode(column: "person_id", as: UUID.self) })
            #expect(!onPlan.isEmpty && !lookedAfter.isEmpty)
            let social = try await Self.viewer(.socialWorker, .laChildrensSocialCare, on: store.db)
            let eyesOn = EyesOn(directory: ChildDirectory(db: store.db, viewer: social, today: Self.asOf))
            let proposals = try await eyesOn.ruleProposals().proposals
            func named(_ rule: String) -> Set<UUID> { Set(proposals.filter { $0.fired.contains { $0.rule.id == rule } }.map(\.personID)) }
            #expect(named("cp-plan") == onPlan, "every child on an open plan, none else")
            #expect(named("looked-after") == lookedAfter)
            let fired = try #require(proposals.first { onPlan.contains($0.personID) }?.fired.first { $0.rule.id == "cp-plan" })
            #expect(fired.schoolName.hasPrefix("the CIN census: a plan since") && fired.urn == nil)

            // Listed: no longer suggested.
            let child = try #require(onPlan.first)
            _ = try await AgreedList(directory: eyesOn.directory).propose(ListProposal(
                personID: child, reasons: [.childProtectionPlan], reasonOther: nil, risk: .red, riskRationale: "on a plan",
                leadAgencyID: social.agencyID, leadProfessional: "A Worker", reviewDate: Self.asOf.adding(months: 3)))
            #expect(try await eyesOn.ruleProposals().proposals.contains { $0.personID == child } == false)
        }
    }
}
