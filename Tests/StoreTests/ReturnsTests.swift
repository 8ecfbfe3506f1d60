import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Synthetic
import Feeds
import Store
import TestSupport

/// The returns (issue 8) on each engine: the VCYP survey's figures from a synthetic area's
/// CIN census, SSDA903 return and front-door referrals, each checked against a count worked out
/// here from the area's ground truth (not from the store); preparing, signing off and exporting;
/// who may do what; the partnership's own templates.
@Suite("Returns")
struct ReturnsTests {
    static let asOf = CivilDate(year: 2026, month: 11, day: 25)!
    static let area = SyntheticArea.generate(AreaConfiguration(children: 3_000, seed: 23, asOf: asOf, attendanceSchoolDays: 0))
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-returns-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try! area.writeCINCensusExtract(to: folder)
        _ = try! area.writeReferralsExtract(to: folder)
        _ = try! area.writeSSDA903Extract(to: folder)
        return folder
    }()

    /// The truth: children (by LAchildID) in each group on `asOf`, and the period's activity.
    struct Expected {
        var lookedAfter: Set<String> = []
        var onPlan: Set<String> = []
        var inNeed: Set<String> = []
        var referrals = 0
        var started: Set<String> = []
        var personOf: [String: Int] = [:]
    }

    static func expected(periodDays: Int = 28) -> Expected {
        let d = asOf, s = asOf.adding(days: -(periodDays - 1))
        var e = Expected()
        for r in area.socialCare {
            e.personOf[r.laChildID] = r.personID
            if r.careEpisodes.contains(where: { $0.start <= d && ($0.end.map { $0 > d } ?? true) }) { e.lookedAfter.insert(r.laChildID) }
            if r.careEpisodes.contains(where: { $0.reasonNew == "S" && $0.start >= s && $0.start <= d }) { e.started.insert(r.laChildID) }
            for episode in r.episodes {
                if episode.referralDate >= s && episode.referralDate <= d { e.referrals += 1 }
                if episode.referralDate <= d && (episode.closureDate.map { $0 > d } ?? true) { e.inNeed.insert(r.laChildID) }
                if episode.protectionPlans.contains(where: { $0.start <= d && ($0.end.map { $0 > d } ?? true) }) { e.onPlan.insert(r.laChildID) }
            }
        }
        e.inNeed.subtract(e.lookedAfter.union(e.onPlan))
        return e
    }

    /// The area in the store with its three social care feeds imported, nothing quarantined.
    static func load(_ db: any Database) async throws {
        _ = try await SyntheticAreaLoader.load(area, on: db)
        let cin = try await SocialCareImport.cin(path: folder.appendingPathComponent("cin-census.xml").path, on: db, options: .init())
        let referrals = try await SocialCareImport.referrals(path: folder.appendingPathComponent("referrals.csv").path, on: db, options: .init(), today: asOf)
        let ssda903 = try await SocialCareImport.ssda903(path: folder.appendingPathComponent("ssda903").path, on: db, options: .init(), today: asOf)
        for report in [cin, referrals, ssda903] { #expect(report.quarantined == 0 && report.accepted > 0) }
    }

    static func viewer(_ role: Role, _ kind: AgencyKind, on db: any Database) async throws -> Viewer {
        let agency = try #require(try await Agency.query(on: db).filter(\.$kindRaw == kind.rawValue).sort(\.$key).first())
        return Viewer(userID: UUID(), email: "\(role.rawValue)@example.org", displayName: role.title, role: role,
                      agencyID: try #require(agency.id), agencyName: agency.name, agencyKind: kind)
    }

    static func personID(_ syntheticID: Int, _ sql: any SQLDatabase) async throws -> UUID {
        let person = area.person(syntheticID)
        let row = try await sql.raw("""
            SELECT id FROM people WHERE given_name = \(bind: person.givenName) AND family_name = \(bind: person.familyName) \
            AND date_of_birth = \(bind: person.dateOfBirth?.description ?? "")
            """).first()
        return try #require(try row?.decode(column: "id", as: UUID.self))
    }

    @Test("the VCYP figures equal the counts worked out from the synthetic truth; a social worker's visits count as seen, a police check does not",
          arguments: Engine.available)
    func vcypAgainstTruth(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.load(store.db)
            let truth = Self.expected()
            #expect(truth.lookedAfter.count > 5 && truth.onPlan.count > 3 && truth.inNeed.count > 20 && truth.referrals > 3,
                    "the area is big enough for the figures to mean something")

            // Seen in the last 4 weeks: two children on a plan visited by a social worker 5 and 27
            // days ago, one 28 days ago (outside the window), one only by a police welfare check.
            let socialWorker = try await Self.viewer(.socialWorker, .laChildrensSocialCare, on: store.db)
            let police = try await Self.viewer(.policeOfficer, .policeForce, on: store.db)
            let plan = truth.onPlan.sorted()
            try #require(plan.count >= 4)
            var planPeople: [UUID] = []
            for ref in plan.prefix(4) { planPeople.append(try await Self.personID(truth.personOf[ref]!, store.sql)) }
            let csc = EyesOn(directory: ChildDirectory(db: store.db, viewer: socialWorker, today: Self.asOf))
            for (person, daysAgo) in [(planPeople[0], 5), (planPeople[1], 27), (planPeople[2], 28)] {
                _ = try await csc.recordContact(ContactInput(personID: person, date: Self.asOf.adding(days: -daysAgo), time: nil, type: .homeVisit, childSeen: true,
                                                             seenAlone: false, location: "Home", virtualBasis: nil, outcome: "Visit", concerns: ""))
            }
            // A phone call never counts as seeing the child.
            _ = try await csc.recordContact(ContactInput(personID: planPeople[3], date: Self.asOf, time: nil, type: .phone, childSeen: false,
                                                         seenAlone: false, location: "Phone", virtualBasis: nil, outcome: "Call", concerns: ""))
            let policeDirectory = ChildDirectory(db: store.db, viewer: police, today: Self.asOf)
            if try await policeDirectory.isVisible(planPeople[3]) {
                _ = try await EyesOn(directory: policeDirectory).recordContact(ContactInput(
                    personID: planPeople[3], date: Self.asOf, time: nil, type: .policeWelfareCheck, childSeen: true, seenAlone: false,
                    location: "Home", virtualBasis: nil, outcome: "Welfare check", concerns: ""))
            }

            let r = try await Returns.compute(.vcyp, asOf: Self.asOf, on: store.db, actor: "test")
            #expect(r.periodStart == Self.asOf.adding(days: -27))
            #expect(r.figure("cla")?.value == truth.lookedAfter.count)
            #expect(r.figure("cpp")?.value == truth.onPlan.count)
            #expect(r.figure("cin")?.value == truth.inNeed.count)
            #expect(r.figure("referrals")?.value == truth.referrals)
            #expect(r.figure("started-cla")?.value == truth.started.count)
            #expect(r.figure("cpp-seen")?.value == 2 && r.figure("cpp-seen")?.of == truth.onPlan.count)
            #expect(r.figure("cin-seen")?.value == 0 && r.figure("cla-seen")?.value == 0)
            // The front-door feed holds 12 months: last year's same 4 weeks is not known, not 0.
            #expect(r.figure("referrals-last-year")?.value == nil)
            #expect(r.figure("referrals-last-year")?.note?.contains("front-door referrals held begin on") == true)
            #expect(r.figure("sw-unavailable")?.value == nil && r.figure("sw-unavailable")?.entered == nil)

            // Over the census year so far (all the SSDA903 return holds): starts and missing episodes.
            let days = Self.asOf.daysSince1970 - Self.area.censusYearStart.daysSince1970 + 1
            let year = ReturnTemplate(key: "year", title: "Year so far", about: "", periodDays: days, lines: [
                .init(key: "started", label: "Started", measure: .startedLookedAfter), .init(key: "missing", label: "Missing", measure: .missingEpisodes)])
            let y = try await Returns.compute(year, asOf: Self.asOf, on: store.db, actor: "test")
            let s = Self.area.censusYearStart
            let started = Set(Self.area.socialCare.filter { $0.careEpisodes.contains { $0.reasonNew == "S" && $0.start >= s && $0.start <= Self.asOf } }.map(\.laChildID))
            let missing = Set(Self.area.socialCare.filter { $0.missing.contains { $0.start >= s && $0.start <= Self.asOf } }.map(\.laChildID))
            #expect(started.count > 3)
            #expect(missing.count > 0)
            #expect(y.figure("started")?.value == started.count)
            #expect(y.figure("missing")?.value == missing.count)

            // Children's social care opens a figure to the children behind it: the same children.
            let returns = Returns(directory: ChildDirectory(db: store.db, viewer: socialWorker, today: Self.asOf))
            let id = try await returns.prepare(.vcyp, asOf: Self.asOf, entered: [:])
            let kept = try #require(try await returns.submission(id))
            let members = try await returns.members(of: kept, line: "cpp")
            #expect(Set(members.map(\.reference)) == truth.onPlan)
            #expect(members.allSatisfy { $0.name != nil }, "every child on a plan is matched to the person index and named")
            let audited = try await AuditLog.recent(on: store.db, limit: 5, action: .returnListViewed)
            #expect(audited.first?.actor == socialWorker.email && audited.first?.detail.contains("cpp") == true)
        }
    }

    @Test("a figure whose feed was never imported is 'not known', not 0", arguments: Engine.available)
    func notKnownWithoutFeeds(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let r = try await Returns.compute(.vcyp, asOf: Self.asOf, on: store.db, actor: "test")
            #expect(r.figure("cla")?.value == nil && r.figure("cla")?.note == "not known: no SSDA903 return has been imported")
            #expect(r.figure("cpp")?.value == nil && r.figure("cpp")?.note == "not known: no CIN census has been imported")
            #expect(r.figure("referrals")?.value == nil && r.figure("referrals")?.note == "not known: no front-door referrals feed has been imported")
            // The partnership's own list needs no feed: an empty list is 0.
            let monthly = try await Returns.compute(.partnershipMonthly, asOf: Self.asOf, on: store.db, actor: "test")
            #expect(monthly.figure("listed")?.value == 0)
        }
    }

    @Test("prepare checks the hand-filled fields and keeps nothing on a wrong one; sign-off is once, in the signer's name; only a signed-off return exports",
          arguments: Engine.available)
    func prepareSignOffExport(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.load(store.db)
            let analyst = try await Self.viewer(.analyst, .laChildrensSocialCare, on: store.db)
            let returns = Returns(directory: ChildDirectory(db: store.db, viewer: analyst, today: Self.asOf))
            func kept() async throws -> Int {
                try await store.sql.raw("SELECT COUNT(*) AS n FROM return_submissions").first()!.decode(column: "n", as: Int.self)
            }
            await #expect(throws: ReturnError.self) {
                _ = try await returns.prepare(.vcyp, asOf: Self.asOf, entered: ["sw-unavailable": "twelve", "comments": "ok"])
            }
            await #expect(throws: ReturnError.self) { _ = try await returns.prepare(.vcyp, asOf: Self.asOf, entered: ["residential-unavailable": "101"]) }
            await #expect(throws: ReturnError.self) { _ = try await returns.prepare(.vcyp, asOf: Self.asOf.adding(days: 1), entered: [:]) }
            #expect(try await kept() == 0)

            let hostile = "<script>alert(1)</script>"
            let id = try await returns.prepare(.vcyp, asOf: Self.asOf, entered: ["sw-unavailable": "12.5", "residential-unavailable": "10", "comments": hostile])
            let draft = try #require(try await returns.submission(id))
            #expect(draft.state == .draft && draft.preparedBy.contains(analyst.email))
            #expect(draft.computed.figure("sw-unavailable")?.flagged == true, "more than 10% is flagged")
            #expect(draft.computed.figure("residential-unavailable")?.flagged == false, "10% exactly is not")
            #expect(draft.computed.figure("comments")?.entered == hostile)
            await #expect(throws: ReturnError.self) { try await returns.recordExport(draft, format: "csv", clientAddress: nil) }

            try await returns.signOff(id)
            await #expect(throws: ReturnError.self) { try await returns.signOff(id) }
            let signed = try #require(try await returns.submission(id))
            #expect(signed.state == .signedOff && signed.signedBy?.contains(analyst.email) == true && signed.signedAt != nil)
            try await returns.recordExport(signed, format: "csv", clientAddress: nil)
            let csv = ReturnExport.csv(signed.computed, signedBy: signed.signedBy, signedAt: signed.signedAt)
            let lines = csv.split(separator: "\r\n")
            #expect(lines.count == ReturnTemplate.vcyp.lines.count + 1)
            let cla = try #require(signed.computed.figure("cla")?.value)
            #expect(lines.contains { $0.hasPrefix("\"vcyp\",\"2026-11-25\",\"2026-10-29\",\"cla\",\"Children looked after\",\(cla),") })
            #expect(lines.contains { $0.contains("\"sw-unavailable\"") && $0.contains("\"12.5\",yes") })
            let json = try ReturnExport.json(signed.computed, signedBy: signed.signedBy, signedAt: signed.signedAt)
            let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(decoded["template"] as? String == "vcyp" && decoded["asOf"] as? String == "2026-11-25")

            let actions = try await AuditLog.recent(on: store.db, limit: 10).map(\.action)
            for action in [AuditAction.returnPrepared, .returnSignedOff, .returnExported] { #expect(actions.contains(action.rawValue)) }

            // The analyst sees counts only: never the children behind a figure.
            await #expect(throws: ChildAccessDenied.self) { _ = try await returns.members(of: signed, line: "cla") }
        }
    }

    @Test("only analysts and children's social care work on returns", arguments: Engine.available)
    func whoMay(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            for (role, kind) in [(Role.policeOfficer, AgencyKind.policeForce), (.healthPractitioner, .healthOrganisation), (.administrator, .laChildrensSocialCare),
                                 (.auditor, .laChildrensSocialCare), (.virtualSchoolHead, .virtualSchool)] {
                let returns = Returns(directory: ChildDirectory(db: store.db, viewer: try await Self.viewer(role, kind, on: store.db), today: Self.asOf))
                await #expect(throws: ChildAccessDenied.self, "\(role)") { _ = try await returns.compute(.vcyp, asOf: Self.asOf) }
                await #expect(throws: ChildAccessDenied.self, "\(role)") { _ = try await returns.submissions() }
            }
            let frontDoor = Returns(directory: ChildDirectory(db: store.db, viewer: try await Self.viewer(.frontDoor, .laChildrensSocialCare, on: store.db), today: Self.asOf))
            #expect(try await frontDoor.compute(.vcyp, asOf: Self.asOf).figures.count == ReturnTemplate.vcyp.lines.count)
        }
    }

    @Test("a partnership defines its own return as a setting; a wrong template is refused naming the line", arguments: Engine.available)
    func ownTemplates(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let own = """
                [{"key": "weekly-cp", "title": "Weekly child protection check", "about": "For the head of service", "periodDays": 7,
                  "lines": [{"key": "cpp", "label": "On a plan", "measure": "protection-plan"},
                            {"key": "seen", "label": "Seen this week", "measure": "protection-plan-seen"},
                            {"key": "staff", "label": "Staff off sick", "manual": "count"}]}]
                """
            try await PartnershipSettings.setJSON("return-templates", own, on: store.db, actor: "test")
            let templates = try await Returns.templates(on: store.db)
            #expect(templates.map(\.key) == ["vcyp", "partnership-monthly", "weekly-cp"])
            #expect(templates.last?.lines.count == 3 && templates.last?.periodDays == 7)

            func refusal(_ json: String) async -> String? {
                do { try await PartnershipSettings.setJSON("return-templates", json, on: store.db, actor: "test"); return nil } catch { return "\(error)" }
            }
            let unknown = await refusal(#"[{"key":"x","title":"X","about":"","periodDays":7,"lines":[{"key":"a","label":"A","measure":"children-on-mars"}]}]"#)
            #expect(unknown?.contains("children-on-mars") == true, "\(unknown ?? "accepted")")
            let both = await refusal(#"[{"key":"x","title":"X","about":"","periodDays":7,"lines":[{"key":"a","label":"A","measure":"looked-after","manual":"count"}]}]"#)
            #expect(both?.contains("template 'x', line 1 'a'") == true, "\(both ?? "accepted")")
            let period = await refusal(#"[{"key":"x","title":"X","about":"","periodDays":0,"lines":[{"key":"a","label":"A","measure":"looked-after"}]}]"#)
            #expect(period?.contains("periodDays") == true)
            // A refused setting leaves the templates in force as they were.
            #expect(try await Returns.templates(on: store.db).map(\.key) == ["vcyp", "partnership-monthly", "weekly-cp"])
        }
    }

    static let schoolArea = SyntheticArea.generate(AreaConfiguration(children: 1_500, seed: 31, asOf: asOf, attendanceSchoolDays: 10))

    @Test("attendance by group: every group's weeks and persistent absence equal those worked out here from the attendance file and the truth",
          arguments: Engine.available)
    func attendanceByGroup(engine: Engine) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-groups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let area = Self.schoolArea
        _ = try area.writeCINCensusExtract(to: folder)
        _ = try area.writeSSDA903Extract(to: folder)
        let attendanceFile = folder.appendingPathComponent(try area.writeAttendanceExtract(to: folder).name)
        let censusFile = folder.appendingPathComponent(try area.writePupilCharacteristicsExtract(to: folder).name)
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(area, on: store.db)
            _ = try await SocialCareImport.cin(path: folder.appendingPathComponent("cin-census.xml").path, on: store.db, options: .init())
            _ = try await SocialCareImport.ssda903(path: folder.appendingPathComponent("ssda903").path, on: store.db, options: .init(), today: Self.asOf)
            let imported = try await AttendanceImport.run(path: attendanceFile.path, on: store.db, options: .init(today: Self.asOf))
            #expect(imported.newMarks > 10_000)
            let census = try await PupilCharacteristicsImport.run(path: censusFile.path, on: store.db, options: .init())
            #expect(census.quarantined == 0 && census.accepted > 500)
            // EHC plans and free school meals, by UPN, from the census file itself.
            var ehc: Set<String> = [], fsm: Set<String> = []
            for line in try String(contentsOf: censusFile, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
                let f = line.split(separator: ",").map(String.init)
                if f[2] == "E" { ehc.insert(f[0]) }
                if f[1] == "Y" { fsm.insert(f[0]) }
            }

            // The truth: per pupil (URN and UPN), per week of the term, sessions possible and attended, from the file itself.
            let term = try #require(SchoolCalendar.demoDefaults().term(containing: Self.asOf))
            // The report as of the latest marks reads the figures the import kept per pupil; as of a
            // day a week earlier it sums the marks themselves. Both must agree with the file.
            for upTo in [Self.asOf, Self.asOf.adding(days: -7)] {
                let firstMonday = term.start.adding(days: -(term.start.weekday.rawValue - 1))
                var byPupil: [String: [Int: (Int, Int)]] = [:]
                var upnOfPupil: [String: String] = [:]
                let text = try String(contentsOf: attendanceFile, encoding: .utf8)
                var seen: Set<String> = []
                /// A CSV line's fields (a quoted field may hold a comma).
                func fields(_ line: Substring) -> [String] {
                    var out: [String] = [], field = "", quoted = false
                    for c in line {
                        if c == "\"" { quoted.toggle() } else if c == ",", !quoted { out.append(field); field = "" } else { field.append(c) }
                    }
                    return out + [field]
                }
                for line in text.split(whereSeparator: \.isNewline).dropFirst() {
                    let f = fields(line)
                    guard f.count == 8, let date = CivilDate(f[5]), date >= term.start, date <= upTo else { continue }
                    guard seen.insert(f[0] + f[1] + f[5] + f[6]).inserted else { continue }
                    let code = try AttendanceCode.lookup(f[7], on: date)
                    let key = f[0] + "/" + f[1]
                    upnOfPupil[key] = f[1]
                    let w = (date.daysSince1970 - firstMonday.daysSince1970) / 7
                    var t = byPupil[key, default: [:]][w] ?? (0, 0)
                    t.0 += code.countsAsPossible ? 1 : 0
                    t.1 += code.countsAsPresent ? 1 : 0
                    byPupil[key, default: [:]][w] = t
                }
                // Groups on the day, by UPN, from the truth.
                let d = upTo
                func upns(_ include: (SyntheticSocialCareRecord) -> Bool) -> Set<String> {
                    Set(area.socialCare.filter(include).compactMap { area.person($0.personID).upn })
                }
                let looked = upns { $0.careEpisodes.contains { $0.start <= d && ($0.end.map { $0 > d } ?? true) } }
                let plan = upns { $0.episodes.contains { $0.protectionPlans.contains { $0.start <= d && ($0.end.map { $0 > d } ?? true) } } }
                func expected(_ members: Set<String>?) -> (pupils: Int, possible: Int, present: Int, persistent: Int, weekly: [Int: (Int, Int)]) {
                    var pupils = 0, possible = 0, present = 0, persistent = 0
                    var weekly: [Int: (Int, Int)] = [:]
                    for (key, weeks) in byPupil where members.map({ $0.contains(upnOfPupil[key]!) }) ?? true {
                        let p = weeks.values.map(\.0).reduce(0, +), a = weeks.values.map(\.1).reduce(0, +)
                        for (w, t) in weeks { weekly[w, default: (0, 0)].0 += t.0; weekly[w, default: (0, 0)].1 += t.1 }
                        guard p > 0 else { continue }
                        pupils += 1; possible += p; present += a
                        if Double(a) < Double(p) * 0.9 { persistent += 1 }
                    }
                    return (pupils, possible, present, persistent, weekly)
                }

                let report = try await Returns.attendanceByGroup(asOf: upTo, on: store.db, actor: "test")
                #expect(report.from == term.start && report.termName == term.name && report.to == upTo)
                let fast = try await AttendanceByGroup.summariesCover(term: term, to: upTo, sql: store.sql)
                #expect(fast == (upTo == Self.asOf), "as of the latest marks the kept figures are read; a week earlier the marks")
                for (group, members) in [(AttendanceByGroup.Group.allPupils, Set<String>?.none), (.lookedAfter, looked), (.protectionPlan, plan),
                                         (.ehcPlan, ehc), (.freeSchoolMeals, fsm)] {
                    let want = expected(members)
                    let line = try #require(report.line(group))
                    #expect(want.pupils > 0, "\(group): the area has such pupils")
                    #expect(line.pupils == want.pupils, "\(group)")
                    #expect(line.possible == want.possible && line.present == want.present, "\(group)")
                    #expect(line.persistentlyAbsent == want.persistent, "\(group)")
                    for week in line.weeks {
                        let w = (week.monday.daysSince1970 - firstMonday.daysSince1970) / 7
                        #expect(week.possible == want.weekly[w]?.0 && week.present == want.weekly[w]?.1, "\(group) week of \(week.monday)")
                    }
                    #expect(line.weeks.count == want.weekly.count, "\(group)")
                }
                let csv = ReturnExport.csv(report)
                #expect(csv.contains(",all-pupils,,\(expected(nil).pupils),"))
            }
            // A pupil last marked in last year's term of the same name ("Autumn"), with figures kept
            // before the weeks were: not this term's, so the kept weeks still answer, with the same count.
            let before = try #require(try await Returns.attendanceByGroup(asOf: Self.asOf, on: store.db, actor: "test").line(.allPupils)?.pupils)
            try await store.sql.insert(into: "attendance_pupils")
                .columns("id", "number", "school_urn", "upn", "forename", "surname", "latest_date", "consecutive_absent", "consecutive_unexplained",
                         "unexplained_term", "term_name", "term_possible", "term_present", "recent_possible", "recent_present", "not_back", "updated_at")
                .values(SQLBind(UUID()), SQLBind(Int64(99_999_999)), SQLBind(100_000), SQLBind("A999999999999"), SQLBind("Last"), SQLBind("Year"),
                        SQLBind(term.start.adding(years: -1).adding(days: 20).description), SQLBind(0), SQLBind(0), SQLBind(0), SQLBind(term.name),
                        SQLBind(10), SQLBind(2), SQLBind(10), SQLBind(2), SQLBind(false), SQLBind(Date()))
                .run()
            #expect(try await AttendanceByGroup.summariesCover(term: term, to: Self.asOf, sql: store.sql))
            #expect(try await Returns.attendanceByGroup(asOf: Self.asOf, on: store.db, actor: "test").line(.allPupils)?.pupils == before)
        }
    }

    @Test("the yearly report: the year's figures from the truth, infants on the list by reason, serious incidents by age, the partnership's words; 4 is suppressed, 5 is not",
          arguments: Engine.available)
    func yearlyReport(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.load(store.db)
            let truth = Self.expected()
            let socialWorker = try await Self.viewer(.socialWorker, .laChildrensSocialCare, on: store.db)
            let directory = ChildDirectory(db: store.db, viewer: socialWorker, today: Self.asOf)
            let from = CivilDate(year: 2026, month: 4, day: 1)!

            // Three infants and one older child agreed onto the list; five infants' and four young children's serious incidents.
            let people = Self.area.people.filter { $0.kind == .child && $0.nhsNumber != nil }
            let infants = people.filter { ($0.dateOfBirth ?? from) > Self.asOf.adding(years: -1) && ($0.dateOfBirth ?? Self.asOf) < Self.asOf.adding(days: -30) }
            let young = people.filter { p in p.dateOfBirth.map { PartnershipReport.AgeBand.of(birth: $0, on: Self.asOf.adding(days: -20)) == .fiveToNine } ?? false }
            try #require(infants.count >= 5 && young.count >= 4)
            let csc = try #require(Self.area.agencies.first { $0.kind == .laChildrensSocialCare })
            let police = try #require(Self.area.agencies.first { $0.kind == .policeForce })
            var rows = ["upn,nhs_number,reasons,risk,risk_rationale,lead_agency,lead_professional,review_date,meeting_date,agencies_present"]
            for p in infants.prefix(3) { rows.append(",\(p.nhsNumber!),child-protection-plan;unborn-or-under-one,red,Infant on a plan,\(csc.key),Team,2026-12-20,2026-11-01,\(csc.key);\(police.key)") }
            rows.append(",\(young[0].nhsNumber!),child-in-need,green,Older child,\(csc.key),Team,2026-12-20,2026-11-01,\(csc.key);\(police.key)")
            let listFile = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-list-\(UUID().uuidString).csv")
            try (rows.joined(separator: "\n") + "\n").write(to: listFile, atomically: true, encoding: .utf8)
            _ = try await ListImport.run(path: listFile.path, on: store.db, actor: "test", today: Self.asOf)
            let incidents = SeriousIncidents(directory: directory)
            for p in infants.prefix(5) {
                _ = try await incidents.record(SeriousIncidentInput(personID: try await Self.personID(p.id, store.sql), awareDate: Self.asOf.adding(days: -10),
                                                                    harm: .seriousHarm, abuse: .suspected, underOne: true, lookedAfter: false, factors: [.domesticAbuse]))
            }
            for p in young.prefix(4) {
                _ = try await incidents.record(SeriousIncidentInput(personID: try await Self.personID(p.id, store.sql), awareDate: Self.asOf.adding(days: -20),
                                                                    harm: .death, abuse: .known, underOne: false, lookedAfter: false, factors: [.neglect]))
            }
            let returns = Returns(directory: directory)
            try await returns.saveNarrative(year: 2026, section: .learning, text: "We learned to <b>listen</b>.\n\nAnd to act.")

            let report = try await returns.partnershipReport(year: 2026)
            #expect(report.from == from && report.to == Self.asOf && !report.isComplete)
            let started = Set(Self.area.socialCare.filter { $0.careEpisodes.contains { $0.reasonNew == "S" && $0.start >= from && $0.start <= Self.asOf } }.map(\.laChildID))
            let referrals = Self.area.socialCare.flatMap(\.episodes).filter { $0.referralDate >= from && $0.referralDate <= Self.asOf }.count
            #expect(report.figures.first { $0.key == "cla" }?.value == truth.lookedAfter.count)
            #expect(report.figures.first { $0.key == "started-cla" }?.value == started.count)
            #expect(report.figures.first { $0.key == "referrals" }?.value == referrals)
            #expect(report.figures.first { $0.key == "listed" }?.value == 4)
            #expect(report.infants == 3)
            #expect(report.infantsByReason.map(\.reason) == [.childProtectionPlan, .unbornOrUnderOne] && report.infantsByReason.map(\.children) == [3, 3])
            let underOne = try #require(report.incidents.first { $0.band == .underOne })
            let fiveToNine = try #require(report.incidents.first { $0.band == .fiveToNine })
            #expect(underOne.seriousHarm == 5 && underOne.deaths == 0 && fiveToNine.deaths == 4 && report.incidentsTotal == 9)
            // Published: 5 shows as 5, 4 as "fewer than 5", and a share of a suppressed count is suppressed.
            #expect(SmallNumbers.show(underOne.total) == "5" && SmallNumbers.show(fiveToNine.total) == "fewer than 5")
            #expect(SmallNumbers.share(report.incidentsUnderOne, of: report.incidentsTotal) == "55.6%")
            #expect(SmallNumbers.share(fiveToNine.total, of: report.incidentsTotal) == "suppressed")
            #expect(report.narratives[.learning]?.text == "We learned to <b>listen</b>.\n\nAnd to act." && report.narratives[.introduction] == nil)
            try await returns.saveNarrative(year: 2026, section: .learning, text: "  ")
            #expect(try await returns.partnershipReport(year: 2026).narratives[.learning] == nil, "an emptied section is removed")
            await #expect(throws: ReturnError.self) { _ = try await returns.partnershipReport(year: 2027) }
        }
    }

    @Test("pupil characteristics: the census replaces every pupil's; a file from a school, or with no readable pupil, changes nothing; the groups are not held until one is imported",
          arguments: Engine.available)
    func pupilCharacteristics(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            func write(_ text: String) throws -> String {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-census-\(UUID().uuidString).csv")
                try text.write(to: url, atomically: true, encoding: .utf8)
                return url.path
            }
            func held() async throws -> [String: String] {
                var out: [String: String] = [:]
                for row in try await store.sql.raw("SELECT upn, fsm, sen_provision FROM pupil_characteristics").all() {
                    out[try row.decode(column: "upn", as: String.self)] = (try row.decode(column: "fsm", as: Bool.self) ? "Y" : "N") + (try row.decode(column: "sen_provision", as: String.self))
                }
                return out
            }
            let before = try await Returns.attendanceByGroup(asOf: Self.asOf, on: store.db, actor: "test")
            #expect(before.line(.ehcPlan)?.pupils == nil && before.line(.ehcPlan)?.note?.hasPrefix("not held") == true)

            let upns = Self.area.people.compactMap(\.upn).prefix(3).map { $0 }
            let first = try await PupilCharacteristicsImport.run(path: try write("upn,fsm_eligible,sen_provision\n\(upns[0]),Y,E\n\(upns[1]),N,K\n\(upns[2]),N,N\nnot-a-upn,Y,E\n"),
                                                                 on: store.db, options: .init())
            #expect(first.accepted == 3 && first.quarantined == 1 && first.matched == 3)
            #expect(try await held() == [upns[0]: "YE", upns[1]: "NK", upns[2]: "NN"])
            let second = try await PupilCharacteristicsImport.run(path: try write("upn,fsm_eligible,sen_provision\n\(upns[0]),Y,E\n\(upns[1]),Y,K\n"),
                                                                  on: store.db, options: .init())
            #expect(second.unchanged == 1 && second.updated == 1 && second.accepted == 0)
            #expect(try await held() == [upns[0]: "YE", upns[1]: "YK"], "a pupil left out of the census is no longer counted")
            await #expect(throws: FeedFileError.self) {
                _ = try await PupilCharacteristicsImport.run(path: try write("upn,fsm_eligible,sen_provision\nnot-a-upn,Y,E\n"), on: store.db, options: .init())
            }
            let school = try #require(try await Agency.query(on: store.db).all().first { $0.kind?.isEducationSetting == true })
            await #expect(throws: FeedFileError.self) {
                _ = try await PupilCharacteristicsImport.run(path: try write("upn,fsm_eligible,sen_provision\n\(upns[2]),N,N\n"), on: store.db, options: .init(agencyID: school.id))
            }
            #expect(try await held() == [upns[0]: "YE", upns[1]: "YK"], "a refused file changed nothing")
        }
    }

    @Test("the partnership's monthly return: children on the agreed list and those nobody saw in the period, against the list and the contacts written here",
          arguments: Engine.available)
    func monthlyAgainstWhatWasRecorded(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let csc = try #require(Self.area.agencies.first { $0.kind == .laChildrensSocialCare })
            let police = try #require(Self.area.agencies.first { $0.kind == .policeForce })
            let children = Array(Self.area.people.filter { $0.kind == .child && $0.nhsNumber != nil && ($0.dateOfBirth ?? Self.asOf) < Self.asOf.adding(years: -3) }.prefix(7))
            try #require(children.count == 7)
            var rows = ["upn,nhs_number,reasons,risk,risk_rationale,lead_agency,lead_professional,review_date,meeting_date,agencies_present"]
            for p in children { rows.append(",\(p.nhsNumber!),child-in-need,amber,Worried,\(csc.key),Team,2026-12-20,2026-10-01,\(csc.key);\(police.key)") }
            let listFile = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-list-\(UUID().uuidString).csv")
            try (rows.joined(separator: "\n") + "\n").write(to: listFile, atomically: true, encoding: .utf8)
            _ = try await ListImport.run(path: listFile.path, on: store.db, actor: "test", today: Self.asOf)
            // Seen in the 30 days: three children (by a visit, a police welfare check, a virtual contact with its basis);
            // not seen: one by phone only, one seen 31 days ago, two with no contact at all.
            let socialWorker = try await Self.viewer(.socialWorker, .laChildrensSocialCare, on: store.db)
            let eyesOn = EyesOn(directory: ChildDirectory(db: store.db, viewer: socialWorker, today: Self.asOf))
            var ids: [UUID] = []
            for p in children { ids.append(try await Self.personID(p.id, store.sql)) }
            let contacts: [(Int, ContactType, Bool, Int, String?)] = [(0, .homeVisit, true, 2, nil), (1, .policeWelfareCheck, true, 10, nil),
                                                                      (2, .virtual, true, 29, "Family isolating; child seen on video with the parent"),
                                                                      (3, .phone, false, 1, nil), (4, .homeVisit, true, 30, nil)]
            for (k, type, seen, daysAgo, basis) in contacts {
                _ = try await eyesOn.recordContact(ContactInput(personID: ids[k], date: Self.asOf.adding(days: -daysAgo), time: nil, type: type, childSeen: seen,
                                                                seenAlone: false, location: "Home", virtualBasis: basis, outcome: "Contact", concerns: ""))
            }
            let r = try await Returns.compute(.partnershipMonthly, asOf: Self.asOf, on: store.db, actor: "test")
            #expect(r.periodStart == Self.asOf.adding(days: -29))
            #expect(r.figure("listed")?.value == 7)
            #expect(r.figure("listed-not-seen")?.value == 4 && r.figure("listed-not-seen")?.of == 7,
                    "the phone call, the contact 30 days ago (outside the 30-day period) and the two never contacted")
            #expect(r.figure("encompass")?.value == 0 && r.figure("missing")?.note == "not known: no SSDA903 return has been imported")
        }
    }
}
