import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import Synthetic
import Store
import TestSupport

/// The agreed list, attendance import and eyes-on tasks on a real synthetic area, on each engine.
@Suite("Agreed list, attendance and eyes on")
struct EyesOnTests {
    static let asOf = CivilDate(year: 2026, month: 11, day: 25)!   // a Wednesday in the autumn term
    static let area = SyntheticArea.generate(AreaConfiguration(children: 1_000, seed: 5, asOf: asOf, attendanceSchoolDays: 10))

    static func viewer(_ role: Role, kind: AgencyKind, urn: Int? = nil, on db: any Database) async throws -> Viewer {
        var query = Agency.query(on: db).filter(\.$kindRaw == kind.rawValue)
        if let urn { query = query.filter(\.$urn == urn) }
        let agency = try #require(try await query.sort(\.$key).first())
        return Viewer(userID: UUID(), email: "\(role.rawValue)-\(agency.key)@example.org", displayName: role.title, role: role,
                      agencyID: try #require(agency.id), agencyName: agency.name, agencyKind: try #require(agency.kind))
    }

    /// A pupil in the synthetic attendance: their school URN, UPN and person id.
    static func pupil(on db: any Database, at urn: Int? = nil) async throws -> (urn: Int, upn: String, person: UUID) {
        let sql = db as! any SQLDatabase
        let row = try #require(try await sql.raw("""
            SELECT ap.school_urn, ap.upn, ap.person_id FROM attendance_pupils ap WHERE ap.person_id IS NOT NULL \
            AND ap.last_present_date IS NOT NULL ORDER BY ap.upn LIMIT 1
            """).first())
        return (try row.decode(column: "school_urn", as: Int.self), try row.decode(column: "upn", as: String.self), try row.decode(column: "person_id", as: UUID.self))
    }

    static func write(_ lines: [String], name: String = "marks.csv", terminated: Bool = true) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-test-\(UUID().uuidString)-\(name)")
        try (lines.joined(separator: "\n") + (terminated ? "\n" : "")).write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let header = "school_urn,upn,forename,surname,date_of_birth,date,session,code"

    /// Loads the area and its attendance extract.
    static func loaded(_ store: EyesOnStore) async throws -> AttendanceImportReport {
        _ = try await SyntheticAreaLoader.load(area, on: store.db)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try area.writeAttendanceExtract(to: folder)
        return try await AttendanceImport.run(path: folder.appendingPathComponent(file.name).path, on: store.db, options: .init(today: asOf))
    }

    @Test("importing the same file twice changes nothing; a corrected mark updates in place", arguments: Engine.available)
    func idempotentImport(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let first = try await Self.loaded(store)
            #expect(first.newMarks == first.rowsRead && first.rowsRead > 10_000)
            #expect(first.quarantined == 0)
            #expect(first.pupilsMatched == first.pupils, "every synthetic pupil's UPN is in the person index")
            let sql = store.sql
            let count = { try await sql.raw("SELECT COUNT(*) AS n FROM attendance_marks").first()!.decode(column: "n", as: Int.self) }
            #expect(try await count() == first.rowsRead)

            let pupil = try await Self.pupil(on: store.db)
            let path = try Self.write([Self.header, "\(pupil.urn),\(pupil.upn),A,B,,\(Self.asOf),AM,N", "\(pupil.urn),\(pupil.upn),A,B,,\(Self.asOf),AM,N"])
            let second = try await AttendanceImport.run(path: path, on: store.db, options: .init(today: Self.asOf))
            #expect(second.updatedMarks + second.unchangedMarks == 1)
            #expect(second.duplicateRows == 1, "the repeated row is one mark")
            #expect(try await count() == first.rowsRead, "a re-sent mark does not add a row")
            let code = try await sql.raw("""
                SELECT m.code FROM attendance_marks m JOIN attendance_pupils p ON p.number = m.pupil \
                WHERE p.upn = \(bind: pupil.upn) AND m.date = \(bind: Self.asOf.description) AND m.session = 'AM'
                """).first()?.decode(column: "code", as: String.self)
            #expect(code == "N")
        }
    }

    @Test("a new pupil's name with a backslash, a tab, a line break or markup is kept exactly", arguments: Engine.available)
    func hostileNames(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await Self.loaded(store)
            let pupil = try await Self.pupil(on: store.db)
            let otherURN = pupil.urn == 100_000 ? 100_001 : 100_000
            let name = "<script>alert(1)</script> O\\Brien\tX\r\nY"
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let path = try Self.write([Self.header, "\(otherURN),\(pupil.upn),\(quoted),Smith,,\(Self.asOf),AM,/"])
            let report = try await AttendanceImport.run(path: path, on: store.db, options: .init(today: Self.asOf))
            #expect(report.newPupils == 1 && report.newMarks == 1 && report.quarantined == 0)
            let stored = try await store.sql.raw("SELECT forename, person_id FROM attendance_pupils WHERE school_urn = \(bind: otherURN)").first()
            #expect(try stored?.decode(column: "forename", as: String.self) == name)
            #expect(try stored?.decode(column: "person_id", as: UUID?.self) == pupil.person, "matched to the child by UPN")
        }
    }

    @Test("a file cut short part-way through a row applies nothing and says where", arguments: Engine.available)
    func truncatedFile(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await Self.loaded(store)
            let pupil = try await Self.pupil(on: store.db)
            let before = try await store.sql.raw("SELECT COUNT(*) AS n FROM attendance_marks WHERE code = 'O'").first()!.decode(column: "n", as: Int.self)
            let path = try Self.write([Self.header, "\(pupil.urn),\(pupil.upn),A,B,,\(Self.asOf),AM,O", "\(pupil.urn),\(pupil.upn),A,B,,\(Self.asOf)"], terminated: false)
            do {
                _ = try await AttendanceImport.run(path: path, on: store.db, options: .init(today: Self.asOf))
                Issue.record("a truncated file was accepted")
            } catch let error as FeedFileError {
                #expect(error.line == 3)
                #expect(error.description.contains("cut short") && error.description.contains("nothing was imported"))
            }
            let after = try await store.sql.raw("SELECT COUNT(*) AS n FROM attendance_marks WHERE code = 'O'").first()!.decode(column: "n", as: Int.self)
            #expect(after == before, "the good first row was not applied either")
            let rejected = try await ImportRun.query(on: store.db).filter(\.$status == "rejected").count()
            #expect(rejected == 1, "the rejected import is in the history")
        }
    }

    @Test("bad rows are quarantined with their line and column; the good rows go in", arguments: Engine.available)
    func quarantine(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await Self.loaded(store)
            let p = try await Self.pupil(on: store.db)
            let rows = [Self.header,
                        "\(p.urn),\(p.upn),A,B,,\(Self.asOf),AM,H",            // retired in 2024
                        "\(p.urn),\(p.upn),A,B,,2026-02-30,AM,/",              // no such date
                        "\(p.urn),\(p.upn),A,B,,\(Self.asOf),XX,/",            // bad session
                        "\(p.urn),A12345678901Z,A,B,,\(Self.asOf),AM,/",       // bad UPN check letter
                        "\(p.urn),\(p.upn),<script>x</script>,B,,\(Self.asOf),PM,L",
                        "\(p.urn),\(p.upn),A,B,,2030-01-01,AM,/"]              // the future
            let report = try await AttendanceImport.run(path: try Self.write(rows), on: store.db, options: .init(today: Self.asOf))
            #expect(report.quarantined == 5)
            #expect(report.problems.map(\.line) == [2, 3, 4, 5, 7])
            #expect(report.problems.map(\.field) == ["code", "date", "session", "upn", "date"])
            #expect(report.problems[0].reason.contains("retired"))
            let stored = try await Imports.problems(runID: try #require(report.runID), on: store.db)
            #expect(stored.count == 5)
        }
    }

    @Test("a school may send only its own school's marks", arguments: Engine.available)
    func otherSchool(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await Self.loaded(store)
            let p = try await Self.pupil(on: store.db)
            let path = try Self.write([Self.header, "\(p.urn),\(p.upn),A,B,,\(Self.asOf),AM,/"])
            await #expect(throws: FeedFileError.self) {
                _ = try await AttendanceImport.run(path: path, on: store.db, options: .init(onlyURN: p.urn + 1, today: Self.asOf))
            }
        }
    }

    @Test("proposal, quorum, absences raise tasks, the board lists the child, a seen contact closes the tasks", arguments: Engine.available)
    func eyesOnFlow(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await Self.loaded(store)
            let db = store.db
            let p = try await Self.pupil(on: db)
            let social = try await Self.viewer(.socialWorker, kind: .laChildrensSocialCare, on: db)
            let school = try await Self.viewer(.safeguardingLead, kind: .school, urn: p.urn, on: db)
            let police = try await Self.viewer(.policeOfficer, kind: .policeForce, on: db)
            let list = AgreedList(directory: ChildDirectory(db: db, viewer: social, today: Self.asOf))
            let proposal = ListProposal(personID: p.person, reasons: [.childInNeed], reasonOther: nil, risk: .red, riskRationale: "worried",
                                        leadAgencyID: social.agencyID, leadProfessional: "Sam", reviewDate: Self.asOf.adding(months: 3))
            let entryID = try await list.propose(proposal)
            #expect(try await list.entry(entryID, audited: false)?.status == .proposed, "the local authority alone is not a quorum")
            await #expect(throws: ListError.self) { _ = try await list.propose(proposal) }   // already proposed
            await #expect(throws: ListError.self) { try await list.agree(entryID) }        // agreed already as this agency
            // The police cannot see this child, so for them the entry does not exist.
            let policeList = AgreedList(directory: ChildDirectory(db: db, viewer: police, today: Self.asOf))
            if try await !policeList.directory.isVisible(p.person) {
                #expect(try await policeList.entry(entryID) == nil)
            }
            let schoolList = AgreedList(directory: ChildDirectory(db: db, viewer: school, today: Self.asOf))
            #expect(try await schoolList.agree(entryID) == .agreed)
            await #expect(throws: ListError.self) { try await schoolList.decline(entryID, reason: "no") }  // only the local authority
            #expect(try await list.history(entryID).map(\.action) == ["proposed", "agreed", "agreement reached"])

            // Three school days of unexplained absence: red's trigger is 2 sessions.
            var lines = [Self.header]
            for day in [Self.asOf.adding(days: -2), Self.asOf.adding(days: -1), Self.asOf] {
                for s in ["AM", "PM"] { lines.append("\(p.urn),\(p.upn),A,B,,\(day),\(s),O") }
            }
            let report = try await AttendanceImport.run(path: try Self.write(lines), on: db, options: .init(today: Self.asOf))
            #expect(report.tasksOpened == 2, "a task for the lead agency and one for the school")
            let eyesOn = EyesOn(directory: ChildDirectory(db: db, viewer: social, today: Self.asOf))
            let attendance = try await eyesOn.attendance(forChild: p.person)
            #expect(attendance.first?.summary.consecutiveUnexplained == 6)

            // Last present 3 school days ago is within red's 5 working days: not yet on the board.
            #expect(try await eyesOn.board(BoardFilter()).rows.contains { $0.personID == p.person } == false)
            // A week later it is, and the sweep escalates the overdue tasks.
            let later = Self.asOf.adding(days: 7)
            let eyesOnLater = EyesOn(directory: ChildDirectory(db: db, viewer: social, today: later))
            let row = try #require(try await eyesOnLater.board(BoardFilter(risk: .red)).rows.first { $0.personID == p.person })
            #expect(row.openTasks == 2 && row.lastSeenHow == "in school")
            #expect(try await eyesOnLater.board(BoardFilter(risk: .green)).rows.contains { $0.personID == p.person } == false)
            let sweep = try await Tasks.sweep(on: db, today: later)
            #expect(sweep.escalated >= 2)
            #expect(try await eyesOnLater.outstandingTasks(escalatedOnly: true).contains { $0.personID == p.person })

            // A phone call does not count; a virtual visit needs its basis; with it, tasks close.
            var contact = ContactInput(personID: p.person, date: later, time: "10:15", type: .phone, childSeen: true, seenAlone: false,
                                       location: "", virtualBasis: nil, outcome: "spoke to mother", concerns: "")
            #expect(try await eyesOnLater.recordContact(contact).1 == 0)
            contact.type = .virtual
            await #expect(throws: ListError.self) { _ = try await eyesOnLater.recordContact(contact) }
            contact.virtualBasis = "family unwell; risk considered"
            #expect(try await eyesOnLater.recordContact(contact).1 == 2)
            #expect(try await eyesOnLater.board(BoardFilter()).rows.contains { $0.personID == p.person } == false)
            #expect(try await eyesOnLater.tasks(forChild: p.person).allSatisfy { $0.state == .done })
        }
    }
}

/// Upgrading a database the previous release (schema v2) left.
@Suite("Upgrading from schema v2")
struct EyesOnUpgradeTests {
    @Test("v3 and v4 keep v2's entries and contacts, fill in the day agreed and the last day seen, and take a CIN census", arguments: Engine.available)
    func upgradeFromV2(engine: Engine) async throws {
        let scratch = try await ScratchDatabase(engine)
        let store = try EyesOnStore(location: scratch.location)
        do {
            try await store.migrate(first: 2)
            let db = store.db, sql = store.sql
            _ = try await SyntheticAreaLoader.load(EyesOnTests.area, on: db, schema: 2)
            // Raw SQL until the upgrade: the models know the newest schema.
            let cscID = try #require(try await sql.raw("SELECT id FROM agencies WHERE kind = 'la-childrens-social-care'").first()?.decode(column: "id", as: UUID.self))
            let children = try await sql.raw("SELECT id FROM people WHERE kind = 'child' ORDER BY id LIMIT 2").all()
                .map { try $0.decode(column: "id", as: UUID.self) }
            let (seen, unseen) = (children[0], children[1])
            // Both agreed a month before "today" at 10:00 UK time; only the first seen since, 2 days ago.
            let today = EyesOnTests.asOf
            let agreedAt = today.adding(days: -30).startOfDay().addingTimeInterval(10 * 3600)
            for child in [seen, unseen] {
                try await sql.insert(into: "list_entries")
                    .columns("id", "person_id", "status", "risk", "risk_rationale", "reasons", "lead_agency_id", "lead_professional",
                             "review_date", "proposed_at", "agreed_at", "updated_at")
                    .values(SQLBind(UUID()), SQLBind(child), SQLBind("agreed"), SQLBind("red"), SQLBind("v2 entry"), SQLBind("child-in-need"),
                            SQLBind(cscID), SQLBind("A Worker"), SQLBind(today.adding(days: 60).description),
                            SQLBind(agreedAt), SQLBind(agreedAt), SQLBind(agreedAt))
                    .run()
            }
            try await sql.insert(into: "contacts")
                .columns("id", "person_id", "occurred_on", "agency_id", "practitioner", "type", "child_seen", "seen_alone", "counts_as_seen",
                         "location", "outcome", "concerns", "recorded_at")
                .values(SQLBind(UUID()), SQLBind(seen), SQLBind(today.adding(days: -2).description), SQLBind(cscID), SQLBind("A Worker"),
                        SQLBind("home-visit"), SQLBind(true), SQLBind(true), SQLBind(true), SQLBind("home"), SQLBind("well"), SQLBind(""), SQLBind(Date()))
                .run()

            try await store.migrate()
            let social = try await EyesOnTests.viewer(.socialWorker, kind: .laChildrensSocialCare, on: db)
            let rows = try await sql.raw("SELECT person_id, agreed_on, contact_seen_on, school_seen_on FROM list_entries").all()
            #expect(rows.count == 2, "no entry lost")
            for row in rows {
                #expect(try row.decode(column: "agreed_on", as: String?.self) == today.adding(days: -30).description)
                let contact = try row.decode(column: "contact_seen_on", as: String?.self)
                #expect(contact == (try row.decode(column: "person_id", as: UUID.self) == seen ? today.adding(days: -2).description : nil))
            }
            let board = try await EyesOn(directory: ChildDirectory(db: db, viewer: social, today: today)).board(BoardFilter())
            #expect(board.listed == 2)
            #expect(board.rows.map(\.personID) == [unseen], "unseen since agreed 30 days ago is past red's policy; seen 2 days ago is not")
            #expect(board.rows.first?.lastSeenHow == "never seen")
            // v4 (social care) on the upgraded database: a census imports; the entries are still there.
            let census = try SocialCareImportTests.write(SocialCareImportTests.census)
            #expect(try await SocialCareImport.cin(path: census, on: db, options: .init()).accepted > 0)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM list_entries").first()?.decode(column: "n", as: Int.self) == 2)
        } catch {
            await store.shutdown(); await scratch.remove(); throw error
        }
        await store.shutdown(); await scratch.remove()
    }
}

/// Rules propose, people decide; leaving the roll with no known destination.
@Suite("Proposal rules and leaving the roll")
struct ProposalRuleTests {
    @Test("a pupil missing from 10 of the school's days with no later school is suggested; one who moved school, or who is proposed, is not", arguments: Engine.available)
    func rulesPropose(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await EyesOnTests.loaded(store)
            let db = store.db, sql = store.sql
            // Three unlisted current pupils of one school: one stays, one vanishes, one moves to another school.
            let listed = Set(try await sql.raw("SELECT person_id FROM list_entries").all().map { try $0.decode(column: "person_id", as: UUID.self) })
            let rows = try await sql.raw("""
                SELECT school_urn, upn, person_id FROM attendance_pupils WHERE person_id IS NOT NULL AND school_urn = \
                (SELECT school_urn FROM attendance_pupils GROUP BY school_urn ORDER BY COUNT(*) DESC LIMIT 1) ORDER BY upn
                """).all().map { (try $0.decode(column: "school_urn", as: Int.self), try $0.decode(column: "upn", as: String.self),
                                  try $0.decode(column: "person_id", as: UUID.self)) }
                .filter { !listed.contains($0.2) }
            try #require(rows.count >= 3)
            let (stays, vanishes, moves) = (rows[0], rows[1], rows[2])
            let otherURN = try #require(try await sql.raw("SELECT urn FROM agencies WHERE urn IS NOT NULL AND urn <> \(bind: stays.0) AND kind = 'school' LIMIT 1")
                .first()?.decode(column: "urn", as: Int.self))
            // Ten more school days: the school marks only the pupil who stays; the mover appears at the other school.
            var days: [CivilDate] = []
            var day = EyesOnTests.asOf
            while days.count < 10 { day = day.adding(days: 1); if day.weekday.rawValue <= 5 { days.append(day) } }
            var lines = [EyesOnTests.header]
            for d in days {
                for s in ["AM", "PM"] {
                    lines.append("\(stays.0),\(stays.1),A,B,,\(d),\(s),/")
                    lines.append("\(otherURN),\(moves.1),A,B,,\(d),\(s),/")
                }
            }
            let today = days.last!
            _ = try await AttendanceImport.run(path: try EyesOnTests.write(lines), on: db, options: .init(today: today))

            let social = try await EyesOnTests.viewer(.socialWorker, kind: .laChildrensSocialCare, on: db)
            let eyesOn = EyesOn(directory: ChildDirectory(db: db, viewer: social, today: today))
            let (rules, proposals) = try await eyesOn.ruleProposals()
            #expect(rules == ProposalRule.defaults)
            let offRoll = proposals.filter { $0.fired.contains { $0.rule.id == "off-roll-no-destination" } }
            let named = try #require(offRoll.first { $0.personID == vanishes.2 }, "the pupil who vanished is suggested")
            let fired = try #require(named.fired.first { $0.rule.id == "off-roll-no-destination" })
            #expect(fired.figure == 10 && fired.urn == vanishes.0 && fired.upn == vanishes.1, "the record that made the rule fire")
            #expect(!offRoll.contains { $0.personID == moves.2 }, "a later school is a known destination")
            #expect(!offRoll.contains { $0.personID == stays.2 })
            let pages = try await eyesOn.attendance(forChild: vanishes.2)
            #expect(pages.first { $0.urn == vanishes.0 }?.leftWithNoKnownDestination == true)
            #expect(try await eyesOn.attendance(forChild: moves.2).first { $0.urn == moves.0 }?.laterSchool == true)

            // Proposed: no longer suggested.
            let list = AgreedList(directory: eyesOn.directory)
            _ = try await list.propose(ListProposal(personID: vanishes.2, reasons: [.other], reasonOther: "missing education", risk: .amber,
                                                     riskRationale: "off roll", leadAgencyID: social.agencyID, leadProfessional: "A Worker",
                                                     reviewDate: today.adding(months: 3)))
            #expect(try await eyesOn.ruleProposals().proposals.contains { $0.personID == vanishes.2 } == false)

            // A partnership's own rule, checked before it is stored.
            await #expect(throws: SettingError.self) {
                try await PartnershipSettings.setJSON(PartnershipSettings.proposalRulesKey, #"[{"id": "x", "title": "t"}]"#, on: db, actor: nil)
            }
            await #expect(throws: CodeError.self) {
                let rule = #"{"id":"a","title":"t","measure":"consecutive-absent-sessions","comparison":"at-least","value":2,"suggestedReason":"other"}"#
                try await PartnershipSettings.setJSON(PartnershipSettings.proposalRulesKey, "[\(rule),\(rule)]", on: db, actor: nil)
            }
            try await PartnershipSettings.setJSON(PartnershipSettings.proposalRulesKey, """
                [{"id":"present-all-fortnight","title":"Here every session","measure":"recent-attendance-percent","comparison":"at-least","value":100,"suggestedReason":"other"}]
                """, on: db, actor: nil)
            let mine = try await eyesOn.ruleProposals()
            #expect(mine.rules.map(\.id) == ["present-all-fortnight"])
            #expect(mine.proposals.contains { $0.personID == stays.2 }, "the pupil present every session since")
            #expect(!mine.proposals.contains { $0.personID == vanishes.2 })
        }
    }
}
