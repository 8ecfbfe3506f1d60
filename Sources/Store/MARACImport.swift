import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds

/// Imports the MARAC list: each case applied whole (a bad row quarantines its case), the same
/// file twice changes nothing, a changed case replaces its children. Each child is linked to a
/// person when exactly one child in the index has the name and date of birth. The victim's and
/// perpetrator's details are kept for the police and children's social care only; what others
/// see is that the child's household was discussed at a MARAC (and the hidden-children finder
/// counts it).
public enum MARACImport {
    static let casesPerBatch = 500

    public static func run(path: String, sourceName: String? = nil, on db: any Database, options: PoliceImport.Options) async throws -> FeedImportReport {
        let started = Date()
        let name = sourceName ?? (path as NSString).lastPathComponent
        var agencyID = options.agencyID
        do {
            let agency = try await PoliceImport.sendingForce(options.agencyID, file: name, on: db, what: "the MARAC list")
            agencyID = agency.id
            let reader = try MARACReader(path: path, latestDate: options.today)
            let items = BackgroundBatches(batchSize: casesPerBatch, maxQueued: 8) { () throws(FeedFileError) in try reader.next() }
            defer { items.cancel() }
            var report = try await db.writeTransaction { tx in
                let sql = tx as! any SQLDatabase
                if sql.dialect.name == "postgresql" { try await sql.raw("LOCK TABLE marac_cases IN EXCLUSIVE MODE").run() }
                var recorder = try await ImportRecorder.start(kind: "marac", file: name, agencyID: agency.id, started: started, on: tx)
                var report = FeedImportReport(kind: "marac", file: name)
                report.runID = recorder.runID
                while let batch = try await items.nextBatch() {
                    var cases: [MARACCase] = []
                    for item in batch {
                        switch item {
                        case .marac(let c): cases.append(c)
                        case .problem(let problem): try await recorder.quarantine(problem)
                        }
                    }
                    try await write(cases, force: agency.id!, runID: recorder.runID, sql: sql, report: &report)
                }
                try await recorder.finish(&report, userID: options.userID, actor: options.actor, on: tx) { r in
                    "MARAC list \(name): \(r.accepted) new cases, \(r.updated) updated, \(r.unchanged) unchanged, \(r.quarantined) quarantined"
                }
                return report
            }
            report.recordsRead = report.accepted + report.updated + report.unchanged + report.quarantined
            report.seconds = Date().timeIntervalSince(started)
            return report
        } catch let error as FeedFileError {
            try await ImportRecorder.rejected(kind: "marac", file: name, agencyID: agencyID, started: started, error: error,
                                              audit: .feedImported, userID: options.userID, actor: options.actor, on: db)
            throw error
        }
    }

    static func write(_ cases: [MARACCase], force: UUID, runID: UUID, sql: any SQLDatabase, report: inout FeedImportReport) async throws {
        guard !cases.isEmpty else { return }
        var held: [String: (UUID, String)] = [:]
        for chunk in cases.map(\.caseID).chunked(500) {
            for row in try await sql.raw("SELECT id, case_id, fingerprint FROM marac_cases WHERE agency_id = \(bind: force) AND \(sql.isIn("case_id", chunk))").all() {
                held[try row.decode(column: "case_id", as: String.self)] = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "fingerprint", as: String.self))
            }
        }
        var changed: [(MARACCase, String, UUID?)] = []
        for c in cases {
            let fingerprint = Self.fingerprint(c)
            if let (_, old) = held[c.caseID], old == fingerprint { report.unchanged += 1; continue }
            changed.append((c, fingerprint, held[c.caseID]?.0))
        }
        guard !changed.isEmpty else { return }
        let people = try await sql.childrenByNameAndBirth(changed.flatMap { $0.0.children.map { ($0.forename, $0.surname, $0.dateOfBirth) } })
        let replaced = changed.compactMap(\.2)
        for chunk in replaced.chunked(500) {
            try await sql.raw("DELETE FROM marac_children WHERE marac_case_id IN (\(bindList: Array(chunk)))").run()
            try await sql.raw("DELETE FROM marac_cases WHERE id IN (\(bindList: Array(chunk)))").run()
        }
        var caseRows: [[any Encodable & Sendable]] = []
        var childRows: [[any Encodable & Sendable]] = []
        let now = Date()
        for (c, fingerprint, oldID) in changed {
            let id = oldID ?? UUID()
            if oldID == nil { report.accepted += 1 } else { report.updated += 1 }
            caseRows.append([id, force, c.caseID, c.meetingDate.description, c.referringAgency, c.dashScore, c.referralReason, c.previousMeetingDate?.description,
                             c.victimForename, c.victimSurname, c.victimDateOfBirth?.description, c.victimPostcode, c.perpetratorForename,
                             c.perpetratorSurname, c.perpetratorDateOfBirth?.description, fingerprint, runID, now])
            for child in c.children {
                let person = people[ImportMatching.key(child.forename, child.surname, child.dateOfBirth)]
                if person == nil { report.unmatched += 1 } else { report.matched += 1 }
                childRows.append([UUID(), id, child.number, child.forename, child.surname, child.dateOfBirth?.description, child.schoolURN, person])
            }
        }
        try await sql.insertRows("marac_cases", ["id", "agency_id", "case_id", "meeting_date", "referring_agency", "dash_score", "referral_reason",
                                                 "previous_meeting_date", "victim_forename", "victim_surname", "victim_date_of_birth", "victim_postcode",
                                                 "perpetrator_forename", "perpetrator_surname", "perpetrator_date_of_birth", "fingerprint",
                                                 "import_run_id", "updated_at"], caseRows)
        try await sql.linkToAgency(changed.flatMap { c in c.0.children.compactMap { child in
            people[ImportMatching.key(child.forename, child.surname, child.dateOfBirth)].map { ($0, "MARAC \(c.0.caseID) child \(child.number)") }
        } }, agencyID: force)
        try await sql.insertRows("marac_children", ["id", "marac_case_id", "number", "forename", "surname", "date_of_birth", "school_urn", "person_id"], childRows)
    }

    static func fingerprint(_ c: MARACCase) -> String {
        var text = [c.caseID, c.meetingDate.description, c.referringAgency, c.dashScore.map(String.init) ?? "", c.referralReason ?? "",
                    c.previousMeetingDate?.description ?? "", c.victimForename, c.victimSurname, c.victimDateOfBirth?.description ?? "",
                    c.victimPostcode ?? "", c.perpetratorForename ?? "", c.perpetratorSurname ?? "", c.perpetratorDateOfBirth?.description ?? ""]
            .joined(separator: "|")
        for child in c.children {
            text += "#" + [String(child.number), child.forename, child.surname, child.dateOfBirth?.description ?? "", child.schoolURN.map(String.init) ?? ""]
                .joined(separator: "|")
        }
        return SocialCareImport.fnv(text)
    }
}

/// A MARAC a child's household was discussed at, as the viewer may see it: the police and
/// children's social care see the case (DASH score, reason, the adults); others only the meeting.
public struct MARACLine: Sendable, Equatable {
    public let meetingDate: CivilDate
    public let caseID: String?
    public let dashScore: Int?
    public let referralReason: String?
    public let victim: String?
    public let perpetrator: String?
}

extension SocialCare {
    /// The MARACs the child's household was discussed at, newest first.
    public func maracs(forChild personID: UUID) async throws -> [MARACLine] {
        guard try await directory.isVisible(personID) else { return [] }
        let detail = AccessPolicy.mayRead(.maracSafety, directory.viewer)
        let adults = AccessPolicy.mayRead(.perpetratorIdentity, directory.viewer)
        return try await sql.raw("""
            SELECT c.case_id, c.meeting_date, c.dash_score, c.referral_reason, c.victim_forename, c.victim_surname, \
            c.perpetrator_forename, c.perpetrator_surname FROM marac_children k JOIN marac_cases c ON c.id = k.marac_case_id \
            WHERE k.person_id = \(bind: personID) ORDER BY c.meeting_date DESC
            """).all().compactMap { row in
            guard let date = CivilDate(try row.decode(column: "meeting_date", as: String.self)) else { return nil }
            func name(_ a: String, _ b: String) throws -> String? {
                let parts = [try row.decode(column: a, as: String?.self), try row.decode(column: b, as: String?.self)].compactMap { $0 }.filter { !$0.isEmpty }
                return parts.isEmpty ? nil : parts.joined(separator: " ")
            }
            return MARACLine(meetingDate: date, caseID: detail ? try row.decode(column: "case_id", as: String.self) : nil,
                             dashScore: detail ? try row.decode(column: "dash_score", as: Int?.self) : nil,
                             referralReason: detail ? try row.decode(column: "referral_reason", as: String?.self) : nil,
                             victim: adults ? try name("victim_forename", "victim_surname") : nil,
                             perpetrator: adults ? try name("perpetrator_forename", "perpetrator_surname") : nil)
        }
    }
}
