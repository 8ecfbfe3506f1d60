import Foundation
import Fluent
import SQLKit
import EyesOnCore
import Store
import Feeds
import Synthetic

/// One demo account, printed so a newcomer can sign in.
public struct DemoLogin: Sendable, CustomStringConvertible {
    public let role: Role
    public let email: String
    public let password: String
    public let agencyName: String

    /// The exact line the README and the test script read.
    public var description: String { "demo login: role=\(role.rawValue) email=\(email) password=\(password)" }
}

/// The demo: a synthetic local area loaded into an empty database, and one user per role with a
/// fresh random password.
public enum DemoArea {
    public static let defaultChildren = 5_000
    public static let defaultSeed: UInt64 = 7
    public static let defaultAttendanceDays = 20
    public static let emailDomain = "demo.eyeson.test"

    /// True when the database holds no agencies yet.
    public static func isEmpty(_ db: any Database) async throws -> Bool {
        try await Agency.query(on: db).count() == 0
    }

    public static func load(
        on db: any Database, children: Int = defaultChildren, seed: UInt64 = defaultSeed, asOf: CivilDate = .today(),
        attendanceDays: Int = defaultAttendanceDays, progress: (@Sendable (String, Double) -> Void)? = nil
    ) async throws -> (SyntheticAreaLoader.Summary, [DemoLogin]) {
        guard try await isEmpty(db) else {
            throw DemoError(message: "the database already holds agencies; the demo loads only into an empty database")
        }
        let area = SyntheticArea.generate(AreaConfiguration(children: children, seed: seed, asOf: asOf, attendanceSchoolDays: attendanceDays), progress: progress)
        let summary = try await SyntheticAreaLoader.load(area, on: db, progress: progress)
        let logins = try await createUsers(area: area, on: db)
        // The public page, with numbers from Ofcom's range for drama (never anyone's real line).
        try await PartnershipSettings.saveSignposting(Signposting(
            area: area.localAuthority.name,
            introduction: "If you are worried that a child is being harmed or neglected, or is at risk, tell us. You do not need to be sure, and you can tell us who you are or not.\n\nChildren's social care's front door (the multi-agency safeguarding hub) will listen, ask what you know and decide with you what happens next.",
            frontDoor: [.init(name: "Children's front door", phone: "01632 960 100", email: "frontdoor@\(emailDomain)", hours: "Monday to Thursday 8:45am to 5:15pm, Friday to 4:45pm"),
                        .init(name: "Education safeguarding advice line", phone: "01632 960 155", hours: "School days, 8:30am to 4:30pm")],
            outOfHours: [.init(name: "Emergency duty team", phone: "01632 960 999", hours: "Evenings, weekends and bank holidays")]),
            on: db, actor: "eyeson demo")
        try await loadListAndAttendance(area, on: db, asOf: asOf)
        // The feeds' records no identifier matched, weighed by the linking model: the sure ones
        // join their child, the others wait in Records to match.
        _ = try await PersonLinking.run(on: db, actor: "eyeson demo")
        try await StoreSetup.refreshStatistics(db)
        return (summary, logins)
    }

    /// Children's social care's CIN census, SSDA903 return and front-door referrals, health, MARAC and police feeds, the demo's agreed list (children on a protection plan,
    /// looked after, and a share of the children in need, as a partnership meeting agreed them a
    /// month ago) and the area's last four weeks of attendance, through the same import paths a
    /// partnership uses.
    static func loadListAndAttendance(_ area: SyntheticArea, on db: any Database, asOf: CivilDate) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let csc = area.agencies.first(where: { $0.kind == .laChildrensSocialCare }),
              let police = area.agencies.first(where: { $0.kind == .policeForce }) else { return }
        let health = area.agencies.first { $0.kind == .healthOrganisation } ?? police
        // Children's social care's census extract, through the feed import.
        let census = try area.writeCINCensusExtract(to: folder)
        _ = try await SocialCareImport.cin(path: folder.appendingPathComponent(census.name).path, sourceName: "demo CIN census (synthetic)",
                                           on: db, options: .init(actor: "eyeson demo"))
        let referrals = try area.writeReferralsExtract(to: folder)
        _ = try await SocialCareImport.referrals(path: folder.appendingPathComponent(referrals.name).path, sourceName: "demo front-door referrals (synthetic)",
                                                 on: db, options: .init(actor: "eyeson demo"), today: asOf)
        let lookedAfter = try area.writeSSDA903Extract(to: folder)
        _ = try await SocialCareImport.ssda903(path: lookedAfter.path, sourceName: "demo SSDA903 return (synthetic)",
                                               on: db, options: .init(actor: "eyeson demo"), today: asOf)
        try await recordVisits(on: db, asOf: asOf)
        try await recordHomeVisits(on: db, asOf: asOf)
        try await recordMeetingsAndIncidents(on: db, asOf: asOf)
        try await recordWorkforce(on: db, asOf: asOf)
        try await recordGovernance(on: db, asOf: asOf)
        let caseloads = try area.writeHealthCaseloadExtract(to: folder)
        _ = try await HealthImport.run(path: folder.appendingPathComponent(caseloads.name).path, sourceName: "demo health caseloads (synthetic)",
                                       on: db, options: .init(actor: "eyeson demo", today: asOf))
        let marac = try area.writeMARACExtract(to: folder)
        _ = try await MARACImport.run(path: folder.appendingPathComponent(marac.name).path, sourceName: "demo MARAC list (synthetic)",
                                      on: db, options: .init(actor: "eyeson demo", today: asOf))
        // The police force's domestic abuse incidents: the Operation Encompass notices.
        let incidents = try area.writePoliceIncidentsExtract(to: folder)
        _ = try await PoliceImport.incidents(path: folder.appendingPathComponent(incidents.name).path, sourceName: "demo police incidents (synthetic)",
                                             on: db, options: .init(actor: "eyeson demo", today: asOf))
        // The youth justice service's caseload, in its own columns, through the people feed.
        if let yos = try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.youthJustice.rawValue).first(), let yosID = yos.id {
            var rows = ["YOT ref,Given name,Family name,Birth date,UPN,Case worker"]
            for (k, record) in area.socialCare.enumerated() where k % 5 == 0 {
                let person = area.person(record.personID)
                guard person.kind == .child, let dob = person.dateOfBirth, dob.adding(years: 12) <= asOf, dob.adding(years: 18) > asOf else { continue }
                rows.append("YJ\(1000 + k),\(person.givenName),\(person.familyName),\(String(format: "%02d/%02d/%04d", dob.day, dob.month, dob.year)),\(person.upn ?? ""),\(rows.count % 2 == 0 ? "Jo Case Worker" : "Ali Case Worker")")
            }
            let caseload = folder.appendingPathComponent("youth-justice-caseload.csv")
            try (rows.joined(separator: "\n") + "\n").write(to: caseload, atomically: true, encoding: .utf8)
            _ = try await PeopleImport.run(path: caseload.path, sourceName: "demo youth justice caseload (synthetic)",
                                           mapping: try PeopleColumnMapping(parsing: "id=YOT ref,first_name=Given name,surname=Family name,dob=Birth date,upn=UPN,worker=Case worker"),
                                           on: db, options: .init(agencyID: yosID, actor: "eyeson demo", today: asOf))
        }
        var lines = ["upn,nhs_number,reasons,risk,risk_rationale,lead_agency,lead_professional,review_date,meeting_date,agencies_present"]
        let meeting = asOf.adding(days: -30)
        for (k, record) in area.socialCare.enumerated() {
            let person = area.person(record.personID)
            guard person.kind == .child, person.upn != nil || person.nhsNumber != nil else { continue }
            let row: (String, String, String)?
            switch record.status {
            case .childProtectionPlan: row = ("child-protection-plan", "red", "On a child protection plan")
            case .lookedAfter: row = ("looked-after", "amber", "Looked after; placement stable")
            case .childInNeed where k % 4 == 0: row = ("child-in-need", "green", "Child in need plan; engaging with services")
            default: row = nil
            }
            guard let (reason, risk, rationale) = row else { continue }
            let review = asOf.adding(days: 7 * (k % 12) - 14)
            // The demo social worker leads one child in ten (their caseload page).
            let lead = k % 10 == 0 ? socialWorkerName : "Duty social work team"
            lines.append("\(person.upn ?? ""),\(person.nhsNumber ?? ""),\(reason),\(risk),\(rationale),\(csc.key),\(lead),\(review),\(meeting),\(csc.key);\(police.key);\(health.key)")
        }
        let listFile = folder.appendingPathComponent("agreed-list.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: listFile, atomically: true, encoding: .utf8)
        _ = try await ListImport.run(path: listFile.path, on: db, actor: "eyeson demo", today: asOf)
        // The school census's pupil characteristics (free school meals, SEN provision), from the council's education team.
        let characteristics = try area.writePupilCharacteristicsExtract(to: folder)
        _ = try await PupilCharacteristicsImport.run(path: folder.appendingPathComponent(characteristics.name).path, sourceName: "demo pupil characteristics (synthetic)",
                                                     on: db, options: .init(actor: "eyeson demo"))
        guard area.configuration.attendanceSchoolDays > 0 else { return }
        let attendance = try area.writeAttendanceExtract(to: folder)
        _ = try await AttendanceImport.run(path: folder.appendingPathComponent(attendance.name).path, sourceName: "demo attendance (synthetic)",
                                           on: db, options: .init(actor: "eyeson demo", today: asOf))
        _ = try await Tasks.sweep(on: db, today: asOf)
    }

    /// A few child protection meetings and serious incidents, as the demo social worker recorded
    /// them, so that each clock has something on its dashboard: a strategy discussion whose
    /// conference is now overdue, an initial conference with each agency's part and its core group
    /// still to come, an open serious incident with its rapid review running, and a closed one.
    static func recordMeetingsAndIncidents(on db: any Database, asOf: CivilDate) async throws {
        guard let sql = db as? any SQLDatabase, let directory = try await socialWorker(on: db, asOf: asOf) else { return }
        let children = try await sql.raw("""
            SELECT id, date_of_birth FROM people WHERE kind = 'child' AND date_of_birth < \(bind: asOf.adding(years: -2).description) \
            AND id NOT IN (SELECT person_id FROM protection_plans WHERE person_id IS NOT NULL) ORDER BY family_name, given_name, id LIMIT 4
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        guard children.count == 4 else { return }
        let agencies = try await Agency.query(on: db).all()
        func agency(_ kind: AgencyKind) -> UUID? { agencies.filter { $0.kind == kind }.sorted { $0.key < $1.key }.first?.id }
        let meetings = RecordedMeetings(directory: directory)
        let day = { (n: Int) in asOf.adding(days: -n) }
        _ = try await meetings.recordConference(personID: children[0], kind: .strategyDiscussion, date: day(20), outcome: nil,
                                                agencies: [agency(.laChildrensSocialCare), agency(.policeForce)].compactMap { $0 }.map { ConferenceAgency(agencyID: $0, invited: true, attended: true) })
        var parts: [ConferenceAgency] = []
        if let csc = agency(.laChildrensSocialCare) { parts.append(ConferenceAgency(agencyID: csc, invited: true, attended: true, reportDate: day(12))) }
        if let police = agency(.policeForce) { parts.append(ConferenceAgency(agencyID: police, invited: true, apologies: true, reportDate: day(9))) }
        if let health = agency(.healthOrganisation) { parts.append(ConferenceAgency(agencyID: health, invited: true, attended: true)) }
        _ = try await meetings.recordConference(personID: children[0], kind: .initial, date: day(8), outcome: .plan, agencies: parts)
        _ = try await meetings.recordConference(personID: children[1], kind: .strategyDiscussion, date: day(30), outcome: nil, agencies: [])
        let incidents = SeriousIncidents(directory: directory)
        let open = try await incidents.record(SeriousIncidentInput(personID: children[2], awareDate: day(10), harm: .seriousHarm, abuse: .suspected,
                                                                   underOne: false, lookedAfter: false, factors: [.domesticAbuse, .parentalSubstanceMisuse]))
        try await incidents.recordStep(open, step: .panelNotified, date: day(7))
        try await incidents.recordStep(open, step: .partnersInformed, date: day(3))
        let closed = try await incidents.record(SeriousIncidentInput(personID: children[3], awareDate: day(90), harm: .seriousHarm, abuse: .known,
                                                                     underOne: false, lookedAfter: false, factors: [.criminalExploitation, .extraFamilialHarm]))
        for (step, n) in [(SeriousIncident.Step.panelNotified, 88), (.partnersInformed, 88), (.rapidReview, 75)] {
            try await incidents.recordStep(closed, step: step, date: day(n))
        }
        try await incidents.recordStep(closed, step: .practiceReviewDecision, date: day(75), holdReview: false,
                                       note: "The rapid review found the learning is captured by the thematic review already under way.")
        try await incidents.recordStep(closed, step: .closed, date: day(70))
    }

    /// Statutory visits to the children looked after now, as social workers would have recorded
    /// them: within a few days of the current placement starting, then about every five weeks over
    /// the last year; one child in eight has had no visit for two months (overdue on the Timescales page).
    static func recordVisits(on db: any Database, asOf: CivilDate) async throws {
        guard let sql = db as? any SQLDatabase, let directory = try await socialWorker(on: db, asOf: asOf) else { return }
        let meetings = RecordedMeetings(directory: directory)
        // In the order of the child's LAchildID, so the same seed gives the same visits on every engine and every load.
        let rows = try await sql.raw("""
            SELECT e.person_id, e.start_date FROM care_episodes e JOIN looked_after_children c ON c.id = e.child_id \
            WHERE e.end_date IS NULL AND e.person_id IS NOT NULL ORDER BY c.la_child_id, e.start_date
            """).all()
        for (k, row) in rows.enumerated() {
            guard let start = CivilDate(try row.decode(column: "start_date", as: String.self)) else { continue }
            let person = try row.decode(column: "person_id", as: UUID.self)
            let last = k % 8 == 0 ? asOf.adding(days: -60) : asOf
            var visit = max(start.adding(days: 3 + k % 4), asOf.adding(years: -1))
            while visit <= last {
                try await meetings.recordVisit(personID: person, date: visit, seenAlone: k % 3 != 0, longTerm: false)
                visit = visit.adding(days: 33 + k % 5)
            }
        }
    }

    /// Social workers' home visits to the children on a child protection plan (most in the last
    /// 10 working days) and to other children in need (about two in three in the last four
    /// weeks), so the VCYP return's "seen in the last 4 weeks" has something to count.
    static func recordHomeVisits(on db: any Database, asOf: CivilDate) async throws {
        guard let sql = db as? any SQLDatabase, let directory = try await socialWorker(on: db, asOf: asOf) else { return }
        let eyesOn = EyesOn(directory: directory)
        // In the order of the child's LAchildID, so the same seed gives the same visits on every engine and every load.
        func children(_ query: SQLQueryString) async throws -> [UUID] {
            var seen: Set<UUID> = []
            return try await sql.raw(query).all().map { try $0.decode(column: "person_id", as: UUID.self) }.filter { seen.insert($0).inserted }
        }
        let onPlan = try await children("""
            SELECT s.person_id, s.la_child_id FROM protection_plans p JOIN social_care_children s ON s.id = p.child_id \
            WHERE s.person_id IS NOT NULL AND (p.end_date IS NULL OR p.end_date > \(bind: asOf.description)) ORDER BY s.la_child_id
            """)
        let inNeed = try await children("""
            SELECT s.person_id, s.la_child_id FROM referrals r JOIN social_care_children s ON s.id = r.child_id \
            WHERE s.person_id IS NOT NULL AND (r.closure_date IS NULL OR r.closure_date > \(bind: asOf.description)) ORDER BY s.la_child_id
            """)
        let planned = Set(onPlan)
        for (k, person) in onPlan.enumerated() where k % 10 != 9 {
            _ = try await eyesOn.recordContact(ContactInput(personID: person, date: asOf.adding(days: -(k % 12)), time: nil, type: .homeVisit, childSeen: true,
                                                            seenAlone: k % 2 == 0, location: "Home", virtualBasis: nil, outcome: "Plan reviewed with the family", concerns: ""))
        }
        for (k, person) in inNeed.enumerated() where !planned.contains(person) && k % 3 != 2 {
            _ = try await eyesOn.recordContact(ContactInput(personID: person, date: asOf.adding(days: -(k % 40)), time: nil, type: .homeVisit, childSeen: true,
                                                            seenAlone: false, location: "Home", virtualBasis: nil, outcome: "Child in need visit", concerns: ""))
        }
    }

    /// Twelve weeks of staff unavailable for the social work teams and the council's two homes,
    /// the homes' places, a year of unaccompanied asylum-seeking children's arrivals, and a DBS register for the homes' staff: most cleared in two to six weeks, a few
    /// outstanding, two of them for longer than the 28 days that flags them. Synthetic names.
    static func recordWorkforce(on db: any Database, asOf: CivilDate) async throws {
        guard let user = try await Accounts.find(email: "social-worker@\(emailDomain)", on: db), let viewer = Accounts.viewer(for: user),
              let workforce = try? Workforce(db: db, viewer: viewer, today: asOf) else { return }
        let teams = [("Assessment Team North", 24), ("Assessment Team South", 22), ("Children in Care Team", 30), ("Child Protection Team", 18),
                     ("Larch House children's home", 16), ("Hollybrook secure children's home", 40)]
        for week in 0..<12 {
            for (k, (team, staff)) in teams.enumerated() {
                let unavailable = (week * 7 + k * 5) % 9 == 0 ? staff / 6 : (week + k) % 4
                try await workforce.recordAbsence(week: asOf.adding(days: -7 * week), team: team, staff: staff, unavailable: unavailable)
            }
        }
        if let placements = try? Placements(db: db, viewer: viewer, today: asOf) {
            for week in 0..<12 {
                try await placements.recordCapacity(week: asOf.adding(days: -7 * week), home: "Larch House", kind: .childrensHome, places: 6, occupied: week % 5 == 0 ? 6 : 5)
                try await placements.recordCapacity(week: asOf.adding(days: -7 * week), home: "Hollybrook", kind: .secureChildrensHome, places: 12, occupied: 9 + week % 3)
            }
            for month in 0..<12 {
                let arrived = [3, 1, 4, 2, 0, 5, 2, 3, 1, 2, 4, 1][month]
                try await placements.recordArrivals(month: asOf.adding(months: -month), arrived: arrived, transferredIn: arrived / 2)
            }
        }
        let given = ["Alex", "Sam", "Jordan", "Casey", "Robin", "Morgan", "Jamie", "Taylor", "Riley", "Avery", "Quinn", "Rowan"]
        let family = ["Ashdown", "Brookfield", "Carrow", "Dunmore", "Elmstead", "Fenwick", "Garside", "Hollins", "Ingleby", "Jessop"]
        let jobs = ["Residential support worker", "Senior residential worker", "Night care worker", "Deputy manager"]
        for k in 0..<36 {
            let secure = k % 3 == 0
            let applied = asOf.adding(days: -(5 + k * 9))
            let outstanding = k % 8 == 1 || k < 2
            let issued = outstanding ? nil : Optional(min(asOf, applied.adding(days: 12 + (k * 13) % 35)))
            try await workforce.recordDBS(staffName: "\(given[k % given.count]) \(family[(k * 7) % family.count])", jobTitle: jobs[k % jobs.count],
                                          settingName: secure ? "Hollybrook" : "Larch House", settingKind: secure ? .secureChildrensHome : .childrensHome,
                                          applied: applied, issued: issued)
        }
    }

    /// The partnership's governance as its administrator kept it: a delegation, a section 11
    /// assurance survey a few agencies have answered, and the last meeting's decisions.
    static func recordGovernance(on db: any Database, asOf: CivilDate) async throws {
        guard let user = try await Accounts.find(email: "administrator@\(emailDomain)", on: db), let viewer = Accounts.viewer(for: user) else { return }
        let admin = Governance(db: db, viewer: viewer, today: asOf)
        let partners = try await admin.partners()
        if let police = partners.first(where: { $0.kind == .policeForce })?.id {
            try await admin.recordDelegation(partner: police, function: "Chairing rapid reviews after a serious incident", delegatedTo: "The partnership's independent scrutineer",
                                             accountableLead: "Head of public protection", starts: asOf.adding(months: -8), ends: nil)
        }
        let survey = try await admin.createSurvey(title: "Section 11 self-assessment", questions: [
            "Senior leaders are accountable for safeguarding children",
            "Staff are trained in safeguarding to the level their role needs",
            "Safer recruitment checks are complete before staff start",
            "Children's views inform how services are designed",
        ], due: asOf.adding(days: 21))
        let answers: [[RAG]] = [[.green, .amber, .green, .amber], [.green, .green, .red, .amber], [.amber, .green, .green, .green]]
        for (k, agency) in try await Agency.query(on: db).sort(\.$key).limit(3).all().enumerated() {
            guard let id = agency.id, let kind = agency.kind else { continue }
            let respondent = Viewer(userID: viewer.userID, email: viewer.email, displayName: viewer.displayName, role: viewer.role,
                                    agencyID: id, agencyName: agency.name, agencyKind: kind)
            try await Governance(db: db, viewer: respondent, today: asOf).respond(to: survey, answers: answers[k].map { SurveyAnswer(rating: $0, comment: "") })
        }
        try await admin.recordDecision(meeting: asOf.adding(days: -14), decision: "Audit the agreed list's infants with health visiting", owner: "Partnership manager", due: asOf.adding(days: 30))
        try await admin.recordDecision(meeting: asOf.adding(days: -14), decision: "Publish the refreshed threshold document", owner: "Head of service", due: asOf.adding(days: -2))
    }

    /// The demo social worker's door to child data, on the demo's today.
    static func socialWorker(on db: any Database, asOf: CivilDate) async throws -> ChildDirectory? {
        guard let user = try await Accounts.find(email: "social-worker@\(emailDomain)", on: db), let viewer = Accounts.viewer(for: user) else { return nil }
        return ChildDirectory(db: db, viewer: viewer, today: asOf)
    }

    static let socialWorkerName = "Sam Social Worker"

    /// One user per role, each in the agency that role works in.
    static func createUsers(area: SyntheticArea, on db: any Database) async throws -> [DemoLogin] {
        let agencies = try await Agency.query(on: db).all()
        func first(_ kinds: [AgencyKind], preferring words: [String] = []) -> Agency? {
            for word in words {
                if let match = agencies.first(where: { agency in
                    agency.kind.map(kinds.contains) == true && agency.name.lowercased().contains(word)
                }) { return match }
            }
            return agencies.filter { $0.kind.map(kinds.contains) == true }.sorted { $0.key < $1.key }.first
        }
        // The school with the most pupils on roll, so the demo safeguarding lead has pupils to see.
        var school: Agency? = nil
        let counts = Dictionary(grouping: area.enrolments.filter { $0.to == nil }, by: \.agencyKey).mapValues(\.count)
        if let busiest = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key {
            school = agencies.first { $0.key == busiest }
        }
        let plan: [(Role, Agency?, String)] = [
            (.administrator, first([.laChildrensSocialCare]), "Alex Admin"),
            (.socialWorker, first([.laChildrensSocialCare]), socialWorkerName),
            (.frontDoor, first([.laChildrensSocialCare]), "Frankie Front Door"),
            (.virtualSchoolHead, first([.virtualSchool, .laEducation]), "Vic Virtual School"),
            (.safeguardingLead, school ?? first([.school]), "Dee Safeguarding Lead"),
            (.policeOfficer, first([.policeForce]), "PC Pat Police"),
            (.healthPractitioner, first([.healthOrganisation], preferring: ["health visit"]), "Hana Health Visitor"),
            (.youthJusticeWorker, first([.youthJustice]), "Jo Youth Justice"),
            (.analyst, first([.laChildrensSocialCare]), "Ash Analyst"),
            (.auditor, first([.laChildrensSocialCare]), "Ari Auditor"),
        ]
        var logins: [DemoLogin] = []
        for (role, agency, name) in plan {
            guard let agency else { throw DemoError(message: "the synthetic area has no agency for the \(role.title) demo user") }
            let password = PasswordHashing.randomPassword()
            let email = "\(role.rawValue)@\(emailDomain)"
            _ = try await Accounts.createUser(on: db, email: email, displayName: name, role: role, agencyKey: agency.key,
                                              passwordHash: try PasswordHashing.hash(password))
            logins.append(DemoLogin(role: role, email: email, password: password, agencyName: agency.name))
        }
        return logins
    }
}

public struct DemoError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
