import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds

/// Imports the police force's domestic-abuse incidents: each incident applied whole (a bad row
/// quarantines its incident), the same file twice changes nothing, a changed incident replaces its
/// parties. Each child party is linked to a person when exactly one child in the index has the name
/// and date of birth, and each child of school age gets one Operation Encompass notice — to their
/// school's safeguarding lead, or to children's social care's front door when the school is not
/// known — due before the next school day starts. Notices already sent (and their
/// acknowledgements) are kept when a later extract repeats the incident.
public enum PoliceImport {
    public struct Options: Sendable {
        /// The sending force; default: the area's one police force.
        public var agencyID: UUID?
        public var userID: UUID?
        public var actor: String?
        /// Today: an incident after it is a row error.
        public var today: CivilDate

        public init(agencyID: UUID? = nil, userID: UUID? = nil, actor: String? = nil, today: CivilDate = .today()) {
            self.agencyID = agencyID
            self.userID = userID
            self.actor = actor
            self.today = today
        }
    }

    static let incidentsPerBatch = 500

    public static func incidents(path: String, sourceName: String? = nil, on db: any Database, options: Options) async throws -> FeedImportReport {
        let started = Date()
        let name = sourceName ?? (path as NSString).lastPathComponent
        var agencyID = options.agencyID
        do {
            let agency = try await sendingForce(options.agencyID, file: name, on: db)
            agencyID = agency.id
            let reader = try PoliceIncidentReader(path: path, latestDate: options.today)
            let items = BackgroundBatches(batchSize: incidentsPerBatch, maxQueued: 8) { () throws(FeedFileError) in try reader.next() }
            defer { items.cancel() }
            let calendar = try? await CalendarStore.schoolCalendar(on: db)
            let bankHolidays = try await CalendarStore.bankHolidays(on: db)
            let startMinute = try await PartnershipSettings.encompassStartMinute(on: db)
            var report = try await db.writeTransaction { tx in
                var writer = try await Writer(db: tx, force: agency, options: options, file: name, started: started,
                                              schedule: { date, minute in
                                                  EncompassSchedule.due(incidentDate: date, minute: minute, calendar: calendar,
                                                                        bankHolidays: bankHolidays, startMinute: startMinute)
                                              })
                while let batch = try await items.nextBatch() {
                    var incidents: [PoliceIncident] = []
                    for item in batch {
                        switch item {
                        case .incident(let incident): incidents.append(incident)
                        case .problem(let problem): try await writer.recorder.quarantine(problem)
                        }
                    }
                    try await writer.write(incidents)
                }
                try await writer.finish()
                return writer.report
            }
            report.recordsRead = report.accepted + report.updated + report.unchanged + report.quarantined
            report.seconds = Date().timeIntervalSince(started)
            return report
        } catch let error as FeedFileError {
            try await ImportRecorder.rejected(kind: "incidents", file: name, agencyID: agencyID, started: started, error: error,
                                              audit: .feedImported, userID: options.userID, actor: options.actor, on: db)
            throw error
        }
    }

    static func sendingForce(_ id: UUID?, file: String, on db: any Database, what: String = "an incidents file") async throws -> Agency {
        if let id {
            guard let agency = try await Agency.find(id, on: db) else { throw FeedFileError(file: file, message: "the sending agency is not known") }
            guard agency.kind == .policeForce else {
                throw FeedFileError(file: file, message: "\(what) comes from the police force, and \(agency.name) is not one: this is a file from the wrong agency")
            }
            return agency
        }
        let forces = try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.policeForce.rawValue).all()
        guard forces.count == 1, let force = forces.first else {
            throw FeedFileError(file: file, message: forces.isEmpty ? "no police force is set up to send \(what)" : "there are \(forces.count) police forces: say which one sent the file")
        }
        return force
    }

    /// The instant a notice is due: the school day's start, UK local time.
    static func instant(_ date: CivilDate, minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: minute / 60, minute: minute % 60))!
    }

    struct Writer {
        let db: any Database
        let sql: any SQLDatabase
        let forceID: UUID
        let options: Options
        let schedule: @Sendable (CivilDate, Int) -> (date: CivilDate, minute: Int)
        var recorder: ImportRecorder
        var report: FeedImportReport
        var noticesRaised = 0
        let frontDoor: UUID?
        var schools: [Int: UUID] = [:]
        var agencyNames: [UUID: String] = [:]
        let forceName: String
        let now = Date()

        init(db: any Database, force: Agency, options: Options, file: String, started: Date,
             schedule: @escaping @Sendable (CivilDate, Int) -> (date: CivilDate, minute: Int)) async throws {
            self.db = db
            self.sql = db as! any SQLDatabase
            self.forceID = force.id!
            self.forceName = force.name
            self.options = options
            self.schedule = schedule
            if sql.dialect.name == "postgresql" { try await sql.raw("LOCK TABLE police_incidents IN EXCLUSIVE MODE").run() }
            frontDoor = try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).first()?.id
            for row in try await sql.raw("SELECT id, urn, name FROM agencies").all() {
                let id = try row.decode(column: "id", as: UUID.self)
                if let urn = try row.decode(column: "urn", as: Int?.self) { schools[urn] = id }
                agencyNames[id] = try row.decode(column: "name", as: String.self)
            }
            recorder = try await ImportRecorder.start(kind: "incidents", file: file, agencyID: force.id, started: started, on: db)
            report = FeedImportReport(kind: "incidents", file: file)
            report.runID = recorder.runID
        }

        mutating func write(_ incidents: [PoliceIncident]) async throws {
            guard !incidents.isEmpty else { return }
            var held: [String: (UUID, String)] = [:]
            for chunk in incidents.map(\.reference).chunked(500) {
                for row in try await sql.raw("""
                    SELECT id, reference, fingerprint FROM police_incidents WHERE agency_id = \(bind: forceID) AND \(sql.isIn("reference", chunk))
                    """).all() {
                    held[try row.decode(column: "reference", as: String.self)] = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "fingerprint", as: String.self))
                }
            }
            var changed: [(PoliceIncident, String, UUID, Bool)] = []
            for incident in incidents {
                let fingerprint = PoliceImport.fingerprint(incident)
                if let (id, old) = held[incident.reference] {
                    if old == fingerprint { report.unchanged += 1; continue }
                    changed.append((incident, fingerprint, id, false))
                } else {
                    changed.append((incident, fingerprint, UUID(), true))
                }
            }
            guard !changed.isEmpty else { return }
            let people = try await sql.childrenByNameAndBirth(changed.flatMap { $0.0.parties.filter { $0.role == .child } }
                .map { ($0.forename, $0.surname, $0.dateOfBirth) })
            let replaced = changed.filter { !$0.3 }.map(\.2)
            // A replaced incident keeps its row (and id), so its notices and what the schools did
            // with them stay; its parties are written again.
            for chunk in replaced.chunked(500) {
                try await sql.raw("DELETE FROM incident_parties WHERE incident_id IN (\(bindList: Array(chunk)))").run()
            }
            for (incident, fingerprint, id, isNew) in changed where !isNew {
                try await sql.update("police_incidents").set("occurred_on", to: incident.date.description).set("occurred_minute", to: incident.minuteOfDay)
                    .set("postcode", to: incident.postcode).set("risk_level", to: incident.riskLevel).set("fingerprint", to: fingerprint)
                    .set("import_run_id", to: recorder.runID).set("updated_at", to: now).where("id", .equal, id).run()
            }
            // A repeated incident's notices were sent already (and recorded as shares then).
            var sent = Set<String>()
            for chunk in replaced.chunked(500) {
                for row in try await sql.raw("SELECT incident_id, party_number FROM encompass_notices WHERE incident_id IN (\(bindList: Array(chunk)))").all() {
                    sent.insert("\(try row.decode(column: "incident_id", as: UUID.self)) \(try row.decode(column: "party_number", as: Int.self))")
                }
            }
            var incidentRows: [[any Encodable & Sendable]] = []
            var partyRows: [[any Encodable & Sendable]] = []
            var noticeRows: [[any Encodable & Sendable]] = []
            var shares: [InformationSharing.Row] = []
            for (incident, fingerprint, id, isNew) in changed {
                if isNew { report.accepted += 1 } else { report.updated += 1 }
                if isNew {
                    incidentRows.append([id, forceID, incident.reference, incident.date.description, incident.minuteOfDay, incident.postcode,
                                         incident.riskLevel, fingerprint, recorder.runID, now])
                }
                let due = schedule(incident.date, incident.minuteOfDay)
                for party in incident.parties {
                    let person = party.role == .child ? people[ImportMatching.key(party.forename, party.surname, party.dateOfBirth)] : nil
                    if party.role == .child { if person == nil { report.unmatched += 1 } else { report.matched += 1 } }
                    partyRows.append([UUID(), id, party.number, party.role.rawValue, party.forename, party.surname, party.dateOfBirth?.description,
                                      party.sex?.rawValue, party.schoolURN, party.presence?.rawValue, person])
                    guard party.role == .child, EncompassSchedule.isSchoolAge(bornOn: party.dateOfBirth, on: incident.date) else { continue }
                    guard let addressee = party.schoolURN.flatMap({ schools[$0] }) ?? frontDoor else { continue }
                    noticeRows.append([UUID(), id, party.number, person, "\(party.forename) \(party.surname)", party.dateOfBirth?.description,
                                       (party.presence ?? .involved).rawValue, party.schoolURN, addressee, PoliceImport.instant(due.date, minute: due.minute), now])
                    if let person, !sent.contains("\(id) \(party.number)") {
                        shares.append(PoliceImport.encompassShare(person: person, incident: incident, addressee: agencyNames[addressee] ?? "the addressee",
                                                                  toSchool: addressee != frontDoor, force: forceName, options: options, at: now))
                    }
                }
            }
            try await sql.insertRows("police_incidents", ["id", "agency_id", "reference", "occurred_on", "occurred_minute", "postcode", "risk_level",
                                                  "fingerprint", "import_run_id", "updated_at"], incidentRows)
            var links: [(person: UUID, reference: String)] = []
            for (incident, _, _, _) in changed {
                for party in incident.parties where party.role == .child {
                    if let person = people[ImportMatching.key(party.forename, party.surname, party.dateOfBirth)] {
                        links.append((person, "incident \(incident.reference) party \(party.number)"))
                    }
                }
            }
            try await sql.linkToAgency(links, agencyID: forceID)
            try await sql.insertRows("incident_parties", ["id", "incident_id", "number", "role", "forename", "surname", "date_of_birth", "sex",
                                                  "school_urn", "presence", "person_id"], partyRows)
            for chunk in noticeRows.chunked(max(1, 900 / 11)) {
                var builder = sql.insert(into: "encompass_notices").columns("id", "incident_id", "party_number", "person_id", "child_name",
                                                                          "child_date_of_birth", "presence", "school_urn", "addressee_agency_id",
                                                                          "due_at", "created_at")
                for row in chunk { builder = builder.values(row.map { SQLBind($0) as any SQLExpression }) }
                try await builder.ignoringConflicts(with: ["incident_id", "party_number"]).run()
            }
            noticesRaised += noticeRows.count
            try await InformationSharing.insert(shares, on: sql)
        }

        mutating func finish() async throws {
            try await recorder.finish(&report, userID: options.userID, actor: options.actor, on: db) { r in
                "police incidents \(r.file): \(r.accepted) new, \(r.updated) updated, \(r.unchanged) unchanged, \(r.quarantined) quarantined, \(noticesRaised) Operation Encompass notices"
            }
        }
    }

    /// An Operation Encompass notice is a share of the child's information with the school (or the
    /// front door): recorded as one, with its lawful basis, when the notice is first raised.
    static func encompassShare(person: UUID, incident: PoliceIncident, addressee: String, toSchool: Bool, force: String,
                               options: Options, at now: Date) -> InformationSharing.Row {
        InformationSharing.Row(personID: person, decision: SharingDecision(
            shared: true, channel: .notice,
            recipient: toSchool ? "\(addressee) (designated safeguarding lead)" : "\(addressee) (front door, the child's school is not known)",
            what: "Operation Encompass notice: police attended a domestic abuse incident on \(incident.date) (reference \(incident.reference)) "
                + "and the child was present or involved; the child's name, date of birth and the risk level",
            lawfulBasis: .safeguarding, consent: .notSought,
            reason: "Operation Encompass: the school is told before the next school day so that it can support the child; "
                + "consent is not sought, as asking could put the child or a parent at risk",
            decidedOn: options.today), userID: options.userID, actor: options.actor ?? "\(force) incidents feed", agencyName: force, recordedAt: now)
    }

    /// A stable digest of an incident's content (not its lines).
    static func fingerprint(_ incident: PoliceIncident) -> String {
        var text = [incident.reference, incident.date.description, String(incident.minuteOfDay), incident.postcode ?? "", incident.riskLevel ?? ""].joined(separator: "|")
        for p in incident.parties {
            text += "#" + [String(p.number), p.role.rawValue, p.forename, p.surname, p.dateOfBirth?.description ?? "", p.sex?.rawValue ?? "",
                           p.schoolURN.map(String.init) ?? "", p.presence?.rawValue ?? ""].joined(separator: "|")
        }
        return SocialCareImport.fnv(text)
    }
}
