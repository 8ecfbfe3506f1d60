import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Synthetic
import Store
import TestSupport

/// The workforce records (issue 8) on each engine: staff unavailable by team and week, the DBS
/// register with its outstanding checks, flags and median time to clear, who may keep them.
@Suite("Workforce")
struct WorkforceTests {
    static let today = CivilDate(year: 2026, month: 11, day: 25)!   // a Wednesday
    static let area = SyntheticArea.generate(AreaConfiguration(children: 1_000, seed: 5, asOf: today, attendanceSchoolDays: 0))

    static func viewer(_ role: Role, _ kind: AgencyKind, on db: any Database) async throws -> Viewer {
        let agency = try #require(try await Agency.query(on: db).filter(\.$kindRaw == kind.rawValue).sort(\.$key).first())
        return Viewer(userID: UUID(), email: "\(role.rawValue)@example.org", displayName: role.title, role: role,
                      agencyID: try #require(agency.id), agencyName: agency.name, agencyKind: kind)
    }

    static func refusal(_ body: () async throws -> Void) async -> WorkforceError? {
        do { try await body(); return nil } catch let error as WorkforceError { return error } catch { return nil }
    }

    @Test("staff unavailable: a week per team, replaced when recorded again, more than 10% flagged; bad figures refused by field", arguments: Engine.available)
    func absence(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let w = try Workforce(db: store.db, viewer: try await Self.viewer(.socialWorker, .laChildrensSocialCare, on: store.db), today: Self.today)
            try await w.recordAbsence(week: Self.today, team: "Assessment Team North", staff: 30, unavailable: 5)
            try await w.recordAbsence(week: Self.today.adding(days: -2), team: "Assessment Team North", staff: 30, unavailable: 3)  // the same week
            try await w.recordAbsence(week: Self.today.adding(days: -7), team: "Assessment Team North", staff: 30, unavailable: 4)
            let weeks = try await w.absence()
            #expect(weeks.count == 2, "the same week recorded twice is kept once")
            let monday = CivilDate(year: 2026, month: 11, day: 23)!
            #expect(weeks.first?.weekBeginning == monday && weeks.first?.unavailable == 3 && weeks.first?.isFlagged == false, "10% exactly is not flagged")
            #expect(weeks.last?.weekBeginning == monday.adding(days: -7) && weeks.last?.isFlagged == true, "4 of 30 is")

            #expect(await Self.refusal { try await w.recordAbsence(week: Self.today, team: "T", staff: 10, unavailable: 11) }?.field == "unavailable")
            #expect(await Self.refusal { try await w.recordAbsence(week: Self.today.adding(days: 7), team: "T", staff: 10, unavailable: 1) }?.field == "week")
            #expect(await Self.refusal { try await w.recordAbsence(week: Self.today, team: "  ", staff: 10, unavailable: 1) }?.field == "team")
            #expect(await Self.refusal { try await w.recordAbsence(week: Self.today, team: "T", staff: 0, unavailable: 0) }?.field == "staff")
            #expect(try await w.absence().count == 2, "a refused week writes nothing")
        }
    }

    @Test("the DBS register: outstanding oldest first, flagged after the set days, median days to clear per month; wrong dates refused", arguments: Engine.available)
    func dbs(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let w = try Workforce(db: store.db, viewer: try await Self.viewer(.socialWorker, .laChildrensSocialCare, on: store.db), today: Self.today)
            let d = { (n: Int) in Self.today.adding(days: -n) }
            let old = try await w.recordDBS(staffName: "Robin Ashdown", jobTitle: "Night care worker", settingName: "Larch House", settingKind: .childrensHome, applied: d(40))
            _ = try await w.recordDBS(staffName: "Casey Dunmore", jobTitle: "Deputy manager", settingName: "Hollybrook", settingKind: .secureChildrensHome, applied: d(10))
            // Cleared in November 2026 after 10, 4 and 9 days; in October after 20.
            _ = try await w.recordDBS(staffName: "A One", jobTitle: "Worker", settingName: "Larch House", settingKind: .childrensHome, applied: d(30), issued: d(20))
            _ = try await w.recordDBS(staffName: "B Two", jobTitle: "Worker", settingName: "Larch House", settingKind: .childrensHome, applied: d(14), issued: d(10))
            let late = try await w.recordDBS(staffName: "C Three", jobTitle: "Worker", settingName: "Hollybrook", settingKind: .secureChildrensHome, applied: d(12))
            _ = try await w.recordDBS(staffName: "D Four", jobTitle: "Worker", settingName: "Hollybrook", settingKind: .secureChildrensHome, applied: d(60), issued: d(40))
            try await w.recordIssued(late, on: d(3))

            var register = try await w.register()
            #expect(register.outstanding.map(\.staffName) == ["Robin Ashdown", "Casey Dunmore"])
            #expect(register.outstanding.first?.id == old && register.outstanding.first?.days(today: Self.today) == 40)
            #expect(register.flagAfterDays == 28 && register.flagged == 1)
            #expect(register.months.map(\.month) == ["2026-11", "2026-10"])
            #expect(register.months.first?.cleared == 3 && register.months.first?.medianDays == 9)
            #expect(register.months.last?.cleared == 1 && register.months.last?.medianDays == 20)

            #expect(await Self.refusal { try await w.recordIssued(late, on: d(1)) }?.message == "This check's certificate is already recorded")
            #expect(await Self.refusal { try await w.recordIssued(old, on: d(41)) }?.field == "issued_on", "before it was applied for")
            #expect(await Self.refusal { try await w.recordIssued(old, on: Self.today.adding(days: 1)) }?.field == "issued_on", "in the future")
            #expect(await Self.refusal {
                _ = try await w.recordDBS(staffName: "X", jobTitle: "Y", settingName: "Z", settingKind: .childrensHome, applied: d(5), issued: d(6))
            }?.field == "issued_on")
            #expect(await Self.refusal {
                _ = try await w.recordDBS(staffName: "", jobTitle: "Y", settingName: "Z", settingKind: .childrensHome, applied: d(5))
            }?.field == "staff_name")

            // The partnership sets its own threshold.
            try await PartnershipSettings.setJSON("workforce", #"{"dbsOutstandingDays": 7}"#, on: store.db, actor: "test")
            register = try await w.register()
            #expect(register.flagged == 2)
            let audited = try await AuditLog.recent(on: store.db, limit: 50, action: .workforceRecorded)
            #expect(audited.count == 7, "every check and certificate recorded is audited")
        }
    }

    @Test("only the administrator and children's social care's team managers keep the workforce records", arguments: Engine.available)
    func whoMay(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            for (role, kind) in [(Role.analyst, AgencyKind.laChildrensSocialCare), (.policeOfficer, .policeForce), (.auditor, .laChildrensSocialCare),
                                 (.frontDoor, .laChildrensSocialCare), (.healthPractitioner, .healthOrganisation)] {
                let viewer = try await Self.viewer(role, kind, on: store.db)
                #expect(throws: ChildAccessDenied.self, "\(role)") { _ = try Workforce(db: store.db, viewer: viewer, today: Self.today) }
            }
            _ = try Workforce(db: store.db, viewer: try await Self.viewer(.administrator, .laChildrensSocialCare, on: store.db), today: Self.today)
        }
    }
}

@Suite("Placements")
struct PlacementsTests {
    @Test("a home's places a week (replaced when recorded again; occupied within places) and arrivals a month (transferred within arrived)", arguments: Engine.available)
    func placements(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(WorkforceTests.area, on: store.db)
            let today = WorkforceTests.today
            let p = try Placements(db: store.db, viewer: try await WorkforceTests.viewer(.socialWorker, .laChildrensSocialCare, on: store.db), today: today)
            try await p.recordCapacity(week: today, home: "Larch House", kind: .childrensHome, places: 6, occupied: 6)
            try await p.recordCapacity(week: today.adding(days: -1), home: "Larch House", kind: .childrensHome, places: 6, occupied: 4)
            try await p.recordCapacity(week: today, home: "Hollybrook", kind: .secureChildrensHome, places: 12, occupied: 9)
            let capacity = try await p.capacity()
            #expect(capacity.count == 2, "the same week recorded twice is kept once")
            #expect(capacity.first { $0.home == "Larch House" }?.available == 2 && capacity.first { $0.home == "Hollybrook" }?.available == 3)
            #expect(await WorkforceTests.refusal { try await p.recordCapacity(week: today, home: "Larch House", kind: .childrensHome, places: 6, occupied: 7) }?.field == "occupied")
            #expect(await WorkforceTests.refusal { try await p.recordCapacity(week: today.adding(days: 7), home: "X", kind: .childrensHome, places: 6, occupied: 1) }?.field == "capacity_week")

            try await p.recordArrivals(month: today, arrived: 4, transferredIn: 1)
            try await p.recordArrivals(month: today.adding(days: -1), arrived: 5, transferredIn: 2)   // the same month, replaced
            try await p.recordArrivals(month: today.adding(months: -1), arrived: 0, transferredIn: 0)
            let arrivals = try await p.arrivals()
            #expect(arrivals.map(\.month) == ["2026-11", "2026-10"] && arrivals.first?.arrived == 5 && arrivals.first?.transferredIn == 2)
            #expect(await WorkforceTests.refusal { try await p.recordArrivals(month: today, arrived: 2, transferredIn: 3) }?.field == "transferred_in")
            #expect(await WorkforceTests.refusal { try await p.recordArrivals(month: today.adding(months: 1), arrived: 2, transferredIn: 0) }?.field == "month")
            #expect(try await p.outOfArea().isEmpty, "no SSDA903 return imported: nobody placed out of the area")
        }
    }
}

@Suite("Governance")
struct GovernanceTests {
    @Test("delegations name a partner and an accountable lead; a survey goes to every agency, each answers once, the RAG tally counts them; decisions open then done",
          arguments: Engine.available)
    func governance(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(WorkforceTests.area, on: store.db)
            let today = WorkforceTests.today
            let admin = Governance(db: store.db, viewer: try await WorkforceTests.viewer(.administrator, .laChildrensSocialCare, on: store.db), today: today)
            let analyst = Governance(db: store.db, viewer: try await WorkforceTests.viewer(.analyst, .laChildrensSocialCare, on: store.db), today: today)
            let police = Governance(db: store.db, viewer: try await WorkforceTests.viewer(.policeOfficer, .policeForce, on: store.db), today: today)
            let health = Governance(db: store.db, viewer: try await WorkforceTests.viewer(.healthPractitioner, .healthOrganisation, on: store.db), today: today)
            let auditor = Governance(db: store.db, viewer: try await WorkforceTests.viewer(.auditor, .laChildrensSocialCare, on: store.db), today: today)

            // Delegations: only to a safeguarding partner's function; never ending before it starts.
            let partners = try await admin.partners()
            #expect(!partners.isEmpty && partners.allSatisfy { $0.kind.map { $0.isLocalAuthority || $0 == .policeForce || $0.isHealth } ?? false })
            let school = try #require(try await Agency.query(on: store.db).all().first { $0.kind?.isEducationSetting == true })
            #expect(await WorkforceTests.refusal {
                try await admin.recordDelegation(partner: school.id!, function: "F", delegatedTo: "T", accountableLead: "L", starts: today, ends: nil)
            }?.field == "partner")
            let partner = try #require(partners.first { $0.kind == .policeForce }?.id)
            #expect(await WorkforceTests.refusal {
                try await admin.recordDelegation(partner: partner, function: "F", delegatedTo: "T", accountableLead: "L", starts: today, ends: today.adding(days: -1))
            }?.field == "ends_on")
            try await admin.recordDelegation(partner: partner, function: "Chairing the rapid review panel", delegatedTo: "Independent chair",
                                             accountableLead: "Detective Chief Superintendent", starts: today.adding(years: -1), ends: today.adding(days: -1))
            try await admin.recordDelegation(partner: partner, function: "Scrutiny of multi-agency audits", delegatedTo: "Independent scrutineer",
                                             accountableLead: "Detective Chief Superintendent", starts: today.adding(days: -10), ends: nil)
            let delegations = try await analyst.delegations()
            #expect(delegations.map(\.function) == ["Scrutiny of multi-agency audits", "Chairing the rapid review panel"], "in force first")
            await #expect(throws: ChildAccessDenied.self) {
                try await analyst.recordDelegation(partner: partner, function: "F", delegatedTo: "T", accountableLead: "L", starts: today, ends: nil)
            }

            // A survey to every member agency.
            let id = try await admin.createSurvey(title: "Section 11 audit", questions: ["Safer recruitment is in place", "", "Staff are trained"], due: today.adding(days: 14))
            try await police.respond(to: id, answers: [.init(rating: .red, comment: "Vetting backlog"), .init(rating: .green, comment: "")])
            try await health.respond(to: id, answers: [.init(rating: .amber, comment: ""), .init(rating: .green, comment: "All trained")])
            try await police.respond(to: id, answers: [.init(rating: .amber, comment: "Backlog halved"), .init(rating: .green, comment: "")])   // replaces
            #expect(await WorkforceTests.refusal { try await health.respond(to: id, answers: [.init(rating: .green, comment: "")]) }?.field == "q1")
            await #expect(throws: ChildAccessDenied.self) { try await auditor.respond(to: id, answers: [.init(rating: .green, comment: ""), .init(rating: .green, comment: "")]) }
            let survey = try #require(try await analyst.survey(id))
            #expect(survey.questions == ["Safer recruitment is in place", "Staff are trained"], "an empty line is not a question")
            #expect(survey.responses.count == 2 && survey.tally(0) == [.red: 0, .amber: 2, .green: 0] && survey.tally(1) == [.red: 0, .amber: 0, .green: 2])
            #expect(survey.responses.first { $0.agency == police.viewer.agencyName }?.overall == .amber)
            let agencies = try await Agency.query(on: store.db).count()
            #expect(survey.awaiting.count == agencies - 2 && !survey.awaiting.contains(police.viewer.agencyName))
            #expect(try await police.surveysForMyAgency().first?.mine?.answers.first?.comment == "Backlog halved")

            // Decisions.
            #expect(await WorkforceTests.refusal {
                try await admin.recordDecision(meeting: today, decision: "D", owner: "O", due: today.adding(days: -1))
            }?.field == "decision_due")
            let first = try await admin.recordDecision(meeting: today.adding(days: -7), decision: "Audit neglect cases", owner: "Head of quality", due: today.adding(days: 30))
            try await admin.recordDecision(meeting: today.adding(days: -7), decision: "Refresh the threshold document", owner: "Partnership manager", due: today.adding(days: 10))
            #expect(try await analyst.decisions().map(\.decision) == ["Refresh the threshold document", "Audit neglect cases"], "soonest due first")
            try await admin.markDone(first, on: today)
            #expect(await WorkforceTests.refusal { try await admin.markDone(first, on: today) }?.message == "There is no such open decision")
            #expect(try await analyst.decisions().last?.done == today)
            #expect(try await AuditLog.recent(on: store.db, limit: 50, action: .governanceRecorded).count == 9)
        }
    }
}
