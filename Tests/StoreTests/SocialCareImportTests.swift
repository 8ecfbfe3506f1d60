import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import Synthetic
import Store
import TestSupport

/// The CIN census feed through the import pipeline, on each engine, with a synthetic area's
/// census file and edited copies of it.
@Suite("CIN census import")
struct SocialCareImportTests {
    static let asOf = CivilDate(year: 2026, month: 11, day: 25)!
    static let area = SyntheticArea.generate(AreaConfiguration(children: 2_000, seed: 11, asOf: asOf, attendanceSchoolDays: 0))
    /// The area's census file, written once.
    static let census: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-cin-\(UUID().uuidString)")
        let file = try! area.writeCINCensusExtract(to: folder)
        return try! String(contentsOf: folder.appendingPathComponent(file.name), encoding: .utf8)
    }()

    static func write(_ text: String, name: String = "cin.xml") throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-test-\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func count(_ table: String, _ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
    }

    static func occurrences(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The text with the `n`th (0-based) occurrence of `old` replaced.
    static func replacing(_ old: String, with new: String, occurrence n: Int = 0, in text: String) -> String {
        var parts = text.components(separatedBy: old)
        precondition(parts.count > n + 1, "no occurrence \(n) of \(old)")
        let joined = parts[n] + new + parts[n + 1]
        parts.replaceSubrange(n...(n + 1), with: [joined])
        return parts.joined(separator: old)
    }

    @Test("a census file imports every child linked to the person index; the same file twice changes nothing", arguments: Engine.available)
    func importsAndIsIdempotent(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let path = try Self.write(Self.census)
            let children = Self.occurrences("<Child>", in: Self.census)
            let first = try await SocialCareImport.cin(path: path, on: store.db, options: .init())
            #expect(children > 50)
            #expect(first.recordsRead == children && first.accepted == children && first.quarantined == 0)
            #expect(first.matched == children, "the synthetic index holds every child's LAchildID")
            let sql = store.sql
            #expect(try await Self.count("referrals", sql) == Self.occurrences("<CINdetails>", in: Self.census))
            #expect(try await Self.count("protection_plans", sql) == Self.occurrences("<ChildProtectionPlans>", in: Self.census))
            #expect(try await Self.count("assessments", sql) == Self.occurrences("<Assessments>", in: Self.census))
            let plans = try await Self.count("protection_plans", sql)

            let again = try await SocialCareImport.cin(path: path, on: store.db, options: .init())
            #expect(again.unchanged == children && again.accepted == 0 && again.updated == 0)
            #expect(try await Self.count("protection_plans", sql) == plans)
            #expect(try await Self.count("social_care_children", sql) == children)
            let history = try await sql.raw("SELECT status, records_accepted, reference_date FROM import_runs WHERE kind = 'cin' ORDER BY started_at").all()
            #expect(history.count == 2)
            #expect(try history.map { try $0.decode(column: "status", as: String.self) } == ["completed", "completed"])
            #expect(try history[0].decode(column: "reference_date", as: String?.self)?.hasSuffix("-03-31") == true)
        }
    }

    @Test("a newer extract replaces a changed child's records; a bad child is quarantined and its held record kept", arguments: Engine.available)
    func supersedesAndQuarantines(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            _ = try await SocialCareImport.cin(path: try Self.write(Self.census), on: store.db, options: .init())
            let sql = store.sql
            let referrals = try await Self.count("referrals", sql)
            // The first child's first referral now came from the police; the second child has a
            // hostile value where a code belongs.
            let firstSource = try #require(Self.census.range(of: "<ReferralSource>"))
            let end = try #require(Self.census.range(of: "</ReferralSource>", range: firstSource.upperBound..<Self.census.endIndex))
            let old = String(Self.census[firstSource.upperBound..<end.lowerBound])
            let police = old == "6" ? "2A" : "6"
            var edited = Self.census.replacingCharacters(in: firstSource.upperBound..<end.lowerBound, with: police)
            let secondChild = try #require(edited.range(of: "<Child>", range: edited.index(after: edited.range(of: "<Child>")!.upperBound)..<edited.endIndex))
            let ethnicity = try #require(edited.range(of: "<Ethnicity>", range: secondChild.upperBound..<edited.endIndex))
            let ethnicityEnd = try #require(edited.range(of: "</Ethnicity>", range: ethnicity.upperBound..<edited.endIndex))
            let secondID = try #require(edited[secondChild.upperBound...].firstMatch(of: /<LAchildID>([A-Za-z0-9]+)<\/LAchildID>/)).1
            edited.replaceSubrange(ethnicity.upperBound..<ethnicityEnd.lowerBound, with: "&lt;script&gt;alert(1)&lt;/script&gt;")

            let report = try await SocialCareImport.cin(path: try Self.write(edited), on: store.db, options: .init())
            #expect(report.updated == 1 && report.quarantined == 1 && report.accepted == 0)
            #expect(report.unchanged == report.recordsRead - 2)
            let problem = try #require(report.problems.first)
            #expect(problem.field.hasSuffix("Ethnicity") && problem.value.contains("<script>"))
            #expect(try await Self.count("referrals", sql) == referrals, "the replaced child's referrals replaced, not added to")
            let firstID = try #require(Self.census.firstMatch(of: /<LAchildID>([A-Za-z0-9]+)<\/LAchildID>/)).1
            let source = try await sql.raw("""
                SELECT r.source FROM referrals r JOIN social_care_children c ON c.id = r.child_id WHERE c.la_child_id = \(bind: String(firstID)) \
                ORDER BY r.referral_date LIMIT 1
                """).first()?.decode(column: "source", as: String?.self)
            #expect(source == police)
            let kept = try await sql.raw("SELECT COUNT(*) AS n FROM social_care_children WHERE la_child_id = \(bind: String(secondID))").first()?.decode(column: "n", as: Int.self)
            #expect(kept == 1, "the quarantined child's record from the last extract stays")
        }
    }

    @Test("a truncated file, an older extract and a file from the wrong agency apply nothing and say why", arguments: Engine.available)
    func rejections(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let sql = store.sql
            let cut = String(Self.census.prefix(Self.census.count * 2 / 3))
            do {
                _ = try await SocialCareImport.cin(path: try Self.write(cut, name: "cut.xml"), on: store.db, options: .init())
                Issue.record("a truncated file was accepted")
            } catch let error as FeedFileError {
                #expect(error.line != nil && error.description.contains("nothing was imported"))
            }
            #expect(try await Self.count("social_care_children", sql) == 0, "nothing of the truncated file applied")
            #expect(try await Self.count("referrals", sql) == 0)

            _ = try await SocialCareImport.cin(path: try Self.write(Self.census), on: store.db, options: .init())
            let children = try await Self.count("social_care_children", sql)
            let older = Self.census.replacingOccurrences(of: try #require(Self.census.firstMatch(of: /<ReferenceDate>[0-9-]+<\/ReferenceDate>/)).0,
                                                         with: "<ReferenceDate>2020-03-31</ReferenceDate>")
            await #expect(throws: FeedFileError.self) {
                _ = try await SocialCareImport.cin(path: try Self.write(older), on: store.db, options: .init())
            }
            let school = try #require(try await Agency.query(on: store.db).filter(\.$kindRaw == AgencyKind.school.rawValue).first())
            do {
                _ = try await SocialCareImport.cin(path: try Self.write(Self.census), on: store.db, options: .init(agencyID: school.id))
                Issue.record("a school's CIN census was accepted")
            } catch let error as FeedFileError {
                #expect(error.message.contains("wrong agency"))
            }
            #expect(try await Self.count("social_care_children", sql) == children)
            let statuses = try await sql.raw("SELECT status FROM import_runs WHERE kind = 'cin' ORDER BY started_at").all().map { try $0.decode(column: "status", as: String.self) }
            #expect(statuses == ["rejected", "completed", "rejected", "rejected"])
        }
    }

    @Test("a child whose UPN names a person born on another day is kept unmatched, for review", arguments: Engine.available)
    func conflictingBirthDate(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            // A child the index knows by UPN only (no LAchildID held for them), born on another day.
            let sql = store.sql
            try await sql.raw("DELETE FROM person_identifiers WHERE kind = 'la-child-id'").run()
            let match = try #require(Self.census.firstMatch(of: /<UPN>([A-Z0-9]+)<\/UPN>\s*(?:<UPNunknown>[^<]*<\/UPNunknown>\s*)?<PersonBirthDate>([0-9-]+)<\/PersonBirthDate>/))
            let born = try #require(CivilDate(String(match.2)))
            let edited = Self.census.replacingOccurrences(of: String(match.0), with: String(match.0).replacingOccurrences(
                of: "<PersonBirthDate>\(match.2)</PersonBirthDate>", with: "<PersonBirthDate>\(born.adding(days: -400))</PersonBirthDate>"))
            let report = try await SocialCareImport.cin(path: try Self.write(edited), on: store.db, options: .init())
            #expect(report.conflicts == 1)
            let linked = try await sql.raw("SELECT person_id FROM social_care_children WHERE upn = \(bind: String(match.1))").first()?.decode(column: "person_id", as: UUID?.self)
            #expect(linked == .some(nil), "kept, but not linked to the person born on another day")
        }
    }

    @Test("a child's referrals are read through the access policy", arguments: Engine.available)
    func readThroughPolicy(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            _ = try await SocialCareImport.cin(path: try Self.write(Self.census), on: store.db, options: .init())
            let sql = store.sql
            let person = try #require(try await sql.raw("""
                SELECT person_id FROM protection_plans WHERE person_id IS NOT NULL AND end_date IS NULL LIMIT 1
                """).first()?.decode(column: "person_id", as: UUID.self))
            let csc = try #require(try await Agency.query(on: store.db).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).first())
            let worker = Viewer(userID: UUID(), email: "sw@example.org", displayName: "Social worker", role: .socialWorker,
                                agencyID: csc.id!, agencyName: csc.name, agencyKind: .laChildrensSocialCare)
            let referrals = try await SocialCare(directory: ChildDirectory(db: store.db, viewer: worker)).referrals(forChild: person)
            #expect(!referrals.isEmpty && referrals.contains { $0.protectionPlans.contains { $0.end == nil } })
            #expect(referrals.allSatisfy { $0.source != nil && $0.source!.label != $0.source!.code }, "sources come with their labels")
            let admin = Viewer(userID: UUID(), email: "admin@example.org", displayName: "Admin", role: .administrator,
                               agencyID: csc.id!, agencyName: csc.name, agencyKind: .laChildrensSocialCare)
            #expect(try await SocialCare(directory: ChildDirectory(db: store.db, viewer: admin)).referrals(forChild: person).isEmpty,
                    "an administrator sees no child data")
        }
    }
}

@Suite("Hidden-children finder")
struct HiddenChildrenTests {
    @Test("a child with two recent referrals, closed since, is named with both factors and their points; a setting or the list takes them off", arguments: Engine.available)
    func findsAndExplains(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let area = SocialCareImportTests.area, today = SocialCareImportTests.asOf
            _ = try await SyntheticAreaLoader.load(area, on: store.db)
            let sql = store.sql
            // A child children's social care has never known, with a UPN and a date of birth.
            let row = try #require(try await sql.raw("""
                SELECT p.id, p.date_of_birth, i.value FROM people p JOIN person_identifiers i ON i.person_id = p.id AND i.kind = 'upn' \
                WHERE p.kind = 'child' AND p.date_of_birth IS NOT NULL \
                AND NOT EXISTS (SELECT 1 FROM person_identifiers l WHERE l.person_id = p.id AND l.kind = 'la-child-id') ORDER BY p.id LIMIT 1
                """).first())
            let person = try row.decode(column: "id", as: UUID.self)
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2027</Year><ReferenceDate>2027-03-31</ReferenceDate></CollectionDetails></Header>
                <Children><Child>
                <ChildIdentifiers><LAchildID>HC1</LAchildID><UPN>\(try row.decode(column: "value", as: String.self))</UPN>\
                <PersonBirthDate>\(try row.decode(column: "date_of_birth", as: String.self))</PersonBirthDate><Sex>U</Sex></ChildIdentifiers>
                <ChildCharacteristics><Ethnicity>NOBT</Ethnicity></ChildCharacteristics>
                <CINdetails><CINreferralDate>\(today.adding(days: -60))</CINreferralDate><ReferralSource>2A</ReferralSource>\
                <CINclosureDate>\(today.adding(days: -50))</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure><ReferralNFA>false</ReferralNFA></CINdetails>
                <CINdetails><CINreferralDate>\(today.adding(days: -20))</CINreferralDate><ReferralSource>6</ReferralSource>\
                <CINclosureDate>\(today.adding(days: -10))</CINclosureDate><ReasonForClosure>RC9</ReasonForClosure><ReferralNFA>false</ReferralNFA></CINdetails>
                </Child></Children></Message>
                """
            let report = try await SocialCareImport.cin(path: try SocialCareImportTests.write(xml), on: store.db, options: .init())
            #expect(report.accepted == 1 && report.matched == 1)

            let csc = try #require(try await Agency.query(on: store.db).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).first())
            let worker = Viewer(userID: UUID(), email: "fd@example.org", displayName: "Front door", role: .frontDoor,
                                agencyID: csc.id!, agencyName: csc.name, agencyKind: .laChildrensSocialCare)
            let finder = HiddenChildren(directory: ChildDirectory(db: store.db, viewer: worker, today: today))
            let named = try #require(try await finder.find().children.first { $0.personID == person })
            #expect(Set(named.found.map(\.factor)) == [.repeatedReferrals, .recentlyClosed])
            #expect(named.score == HiddenChildrenPolicy.defaults.repeatedReferralsPoints + HiddenChildrenPolicy.defaults.recentlyClosedPoints)
            #expect(named.found.first { $0.factor == .repeatedReferrals }?.evidence.hasPrefix("2 referrals in 12 months") == true)
            #expect(named.evidence.contains("closed on \(today.adding(days: -10))"))

            var stricter = HiddenChildrenPolicy.defaults
            stricter.referralsAtLeast = 3
            let encoded = String(decoding: try JSONEncoder().encode(stricter), as: UTF8.self)
            try await PartnershipSettings.setJSON(PartnershipSettings.hiddenChildrenKey, encoded, on: store.db, actor: "test")
            let again = try #require(try await finder.find().children.first { $0.personID == person })
            #expect(again.found.map(\.factor) == [.recentlyClosed], "three referrals now needed")

            try await sql.insert(into: "list_entries")
                .columns("id", "person_id", "status", "risk", "risk_rationale", "reasons", "lead_agency_id", "lead_professional",
                         "review_date", "proposed_at", "updated_at")
                .values(SQLBind(UUID()), SQLBind(person), SQLBind("proposed"), SQLBind("amber"), SQLBind(named.evidence), SQLBind("repeated-referrals"),
                        SQLBind(csc.id!), SQLBind("Duty"), SQLBind(today.adding(days: 90).description), SQLBind(Date()), SQLBind(Date()))
                .run()
            #expect(try await finder.find().children.contains { $0.personID == person } == false, "a proposed child is no longer hidden")
        }
    }
}
