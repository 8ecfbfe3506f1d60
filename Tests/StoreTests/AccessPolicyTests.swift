import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Synthetic
import Store
import TestSupport

/// The access policy applied to a real synthetic area on each engine.
@Suite("Who may see which child")
struct AccessPolicyTests {
    static let asOf = CivilDate(year: 2026, month: 11, day: 23)!
    static let area = SyntheticArea.generate(AreaConfiguration(children: 1_000, seed: 11, asOf: asOf))

    /// A viewer in the first agency of the kind (or the given key).
    static func viewer(_ role: Role, agencyKey: String? = nil, kind: AgencyKind, on db: any Database) async throws -> Viewer {
        let agency: Agency?
        if let agencyKey {
            agency = try await Agency.query(on: db).filter(\.$key == agencyKey).first()
        } else {
            agency = try await Agency.query(on: db).filter(\.$kindRaw == kind.rawValue).sort(\.$key).first()
        }
        let found = try #require(agency)
        return Viewer(userID: UUID(), email: "\(role.rawValue)@example.org", displayName: role.title, role: role,
                      agencyID: try #require(found.id), agencyName: found.name, agencyKind: try #require(found.kind))
    }

    /// The school with the most pupils in the truth, and the truth ids of the pupils it may see.
    static func busiestSchool() -> (key: String, pupils: Set<Int>) {
        let cutoff = asOf.adding(months: -12)
        let bySchool = Dictionary(grouping: area.enrolments, by: \.agencyKey)
        let key = bySchool.max { $0.value.count < $1.value.count || ($0.value.count == $1.value.count && $0.key > $1.key) }!.key
        let pupils = Set(bySchool[key]!.filter { $0.to == nil || $0.to! >= cutoff }.map(\.personID))
        let children = Set(area.people.filter { $0.kind != .adult }.map(\.id))
        return (key, pupils.intersection(children))
    }

    @Test("the synthetic area loads whole: every person, identifier, relationship and enrolment", arguments: Engine.available)
    func loadsTheArea(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let summary = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            #expect(summary.people == Self.area.people.count)
            #expect(try await Person.query(on: store.db).count() == Self.area.people.count)
            #expect(try await Agency.query(on: store.db).count() == Self.area.agencies.count)
            #expect(try await SchoolEnrolment.query(on: store.db).count() == Self.area.enrolments.count)
            #expect(try await PersonRelationship.query(on: store.db).count() == Self.area.relationships.count)
            let nhsInTruth = Self.area.people.compactMap(\.nhsNumber).count
            #expect(try await PersonIdentifier.query(on: store.db).filter(\.$kindRaw == "nhs-number").count() == nhsInTruth)
            #expect(try await ImportRun.query(on: store.db).count() == 1)
        }
    }

    @Test("social workers see every child; a school sees only its pupils; analysts count; administrators see none", arguments: Engine.available)
    func scopes(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let db = store.db
            let children = Self.area.people.filter { $0.kind != .adult }.count

            let socialWorker = try await Self.viewer(.socialWorker, kind: .laChildrensSocialCare, on: db)
            #expect(try await ChildDirectory(db: db, viewer: socialWorker, today: Self.asOf).count() == children)

            let school = Self.busiestSchool()
            let lead = try await Self.viewer(.safeguardingLead, agencyKey: school.key, kind: .school, on: db)
            let leadDirectory = ChildDirectory(db: db, viewer: lead, today: Self.asOf)
            // The school sees only its pupils on the list (or with a notice): none yet. It may still
            // find any pupil on its roll to propose, and then sees that one.
            #expect(try await leadDirectory.count() == 0)
            #expect(school.pupils.count > 0 && school.pupils.count < children)
            let pupil = try #require(Self.area.people.first { school.pupils.contains($0.id) && $0.upn != nil })
            let found = try await leadDirectory.pupilsToPropose(upn: try UPN(pupil.upn!), name: nil, dateOfBirth: nil)
            #expect(found.map(\.familyName) == [pupil.familyName])
            let outsider = try #require(Self.area.people.first { $0.kind == .child && !school.pupils.contains($0.id) && $0.upn != nil })
            #expect(try await leadDirectory.pupilsToPropose(upn: try UPN(outsider.upn!), name: nil, dateOfBirth: nil).isEmpty)
            try await Self.propose(try #require(found.first).id, by: leadDirectory)
            #expect(try await leadDirectory.count() == 1)

            let analyst = try await Self.viewer(.analyst, kind: .laChildrensSocialCare, on: db)
            let analystDirectory = ChildDirectory(db: db, viewer: analyst, today: Self.asOf)
            #expect(try await analystDirectory.count() == children)
            await #expect(throws: ChildAccessDenied.self) { try await analystDirectory.search(ChildSearch()) }

            let admin = try await Self.viewer(.administrator, kind: .laChildrensSocialCare, on: db)
            #expect(try await ChildDirectory(db: db, viewer: admin, today: Self.asOf).count() == nil)

            // A social worker placed in a school agency by mistake sees nothing: deny by default.
            let misplaced = try await Self.viewer(.socialWorker, agencyKey: school.key, kind: .school, on: db)
            #expect(try await ChildDirectory(db: db, viewer: misplaced, today: Self.asOf).count() == nil)
        }
    }

    @Test("a child the viewer may not see answers exactly like a child who does not exist", arguments: Engine.available)
    func hiddenChildLooksMissing(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let db = store.db
            let school = Self.busiestSchool()
            let lead = try await Self.viewer(.safeguardingLead, agencyKey: school.key, kind: .school, on: db)
            let directory = ChildDirectory(db: db, viewer: lead, today: Self.asOf)

            let outsider = try #require(Self.area.people.first { $0.kind == .child && !school.pupils.contains($0.id) && $0.nhsNumber != nil })
            let outsiderID = try #require(try await PersonIdentifier.query(on: db).filter(\.$value == outsider.nhsNumber!).first()?.$person.id)
            #expect(try await directory.record(id: outsiderID) == nil)
            #expect(try await directory.record(id: UUID()) == nil)
            #expect(try await AuditEvent.query(on: db).filter(\.$action == AuditAction.childRecordRead.rawValue).count() == 0)

            // A pupil of the school opens, and the read is audited with who and which child.
            let pupil = try #require(Self.area.people.first { school.pupils.contains($0.id) && $0.upn != nil })
            let pupilID = try #require(try await PersonIdentifier.query(on: db).filter(\.$value == pupil.upn!).first()?.$person.id)
            #expect(try await directory.record(id: pupilID) == nil, "a pupil who is not on the list is not shown to the school")
            try await Self.propose(pupilID, by: directory)
            let record = try #require(try await directory.record(id: pupilID, clientAddress: "127.0.0.1"))
            #expect(record.summary.familyName == pupil.familyName)
            #expect(record.enrolments.contains { $0.urn != nil })
            let audit = try await AuditEvent.query(on: db).filter(\.$action == AuditAction.childRecordRead.rawValue).all()
            #expect(audit.count == 1)
            #expect(audit.first?.personID == pupilID)
            #expect(audit.first?.actor == lead.email)
        }
    }

    @Test("search finds a child by NHS number, UPN, postcode and name", arguments: Engine.available)
    func search(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let db = store.db
            let socialWorker = try await Self.viewer(.socialWorker, kind: .laChildrensSocialCare, on: db)
            let directory = ChildDirectory(db: db, viewer: socialWorker, today: Self.asOf)
            let child = try #require(Self.area.people.first { $0.kind == .child && $0.nhsNumber != nil && $0.upn != nil })

            let byNHS = try await directory.search(ChildSearch(nhsNumber: try NHSNumber(child.nhsNumber!)))
            #expect(byNHS.children.map(\.familyName) == [child.familyName])
            let byUPN = try await directory.search(ChildSearch(upn: try UPN(child.upn!)))
            #expect(byUPN.children.map(\.givenName) == [child.givenName])
            let byPostcode = try await directory.search(ChildSearch(postcode: try Postcode(child.postcode)))
            #expect(byPostcode.children.contains { $0.nhsNumber == child.nhsNumber })
            let byName = try await directory.search(ChildSearch(name: "\(child.givenName) \(child.familyName)"))
            #expect(byName.children.contains { $0.nhsNumber == child.nhsNumber })
            // LIKE wildcards typed by a user are matched literally, not as wildcards.
            let wildcard = try await directory.search(ChildSearch(name: "%_%"))
            #expect(wildcard.children.isEmpty)
            // Pages hold at most 50, with a next page when there are more.
            let all = try await directory.search(ChildSearch())
            #expect(all.children.count == ChildDirectory.pageSize)
            #expect(all.hasMore)
        }
    }
}

extension AccessPolicyTests {
    /// Proposes the child for the agreed list as the viewer (a school may propose any pupil on its
    /// roll), which puts them among the pupils the school's safeguarding lead sees.
    static func propose(_ personID: UUID, by directory: ChildDirectory) async throws {
        _ = try await AgreedList(directory: directory).propose(ListProposal(
            personID: personID, reasons: [ListReason.allCases[0]], reasonOther: nil, risk: .amber, riskRationale: "Worried about attendance",
            leadAgencyID: directory.viewer.agencyID, leadProfessional: "Designated safeguarding lead", reviewDate: directory.today.adding(months: 3)))
    }
}

extension AccessPolicyTests {
    @Test("a view from outside the agencies working with a listed child opens one task for the lead agency; views from within do not", arguments: Engine.available)
    func outsideViews(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let db = store.db
            let school = Self.busiestSchool()
            let lead = try await Self.viewer(.safeguardingLead, agencyKey: school.key, kind: .school, on: db)
            let leadDirectory = ChildDirectory(db: db, viewer: lead, today: Self.asOf)
            let worker = try await Self.viewer(.socialWorker, kind: .laChildrensSocialCare, on: db)
            // A pupil children's social care holds no record of.
            var pupilID: UUID?
            for pupil in Self.area.people where school.pupils.contains(pupil.id) && pupil.upn != nil {
                let id = try #require(try await PersonIdentifier.query(on: db).filter(\.$value == pupil.upn!).first()?.$person.id)
                if try await PersonIdentifier.query(on: db).filter(\.$person.$id == id).filter(\.$agency.$id == worker.agencyID).count() == 0 { pupilID = id; break }
            }
            let pupil = try #require(pupilID)
            try await Self.propose(pupil, by: leadDirectory)
            func outsideTasks() async throws -> [String] {
                try await (db as! any SQLDatabase).raw("""
                    SELECT reason FROM tasks WHERE person_id = \(bind: pupil) AND kind = 'outside-view' AND owner_agency_id = \(bind: lead.agencyID)
                    """).all().map { try $0.decode(column: "reason", as: String.self) }
            }
            // The school leads the entry: its own reads tell nobody.
            _ = try #require(try await leadDirectory.record(id: pupil))
            #expect(try await outsideTasks().isEmpty)
            // A social worker whose agency holds no record of the pupil is outside: the school hears, once.
            let workerDirectory = ChildDirectory(db: db, viewer: worker, today: Self.asOf)
            _ = try #require(try await workerDirectory.record(id: pupil))
            _ = try #require(try await workerDirectory.record(id: pupil))
            let tasks = try await outsideTasks()
            #expect(tasks.count == 1)
            #expect(tasks.first?.contains("[\(worker.email)]") == true && tasks.first?.contains(worker.agencyName) == true)
        }
    }
}
