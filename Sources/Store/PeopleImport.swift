import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds

/// Imports the people feed: the people an agency without a format of its own works with (a
/// youth justice service's caseload, say), read through the agency's column mapping. The file
/// is the agency's whole caseload: the same file twice changes nothing, a changed row replaces
/// the person's entry, and an entry the newer file no longer holds is discharged (kept, with the
/// day). People are linked by NHS number, else UPN, else name and date of birth (one child
/// only), and the agency to them: its workers may then open their records (the access policy's
/// "their caseload"). One transaction.
public enum PeopleImport {
    public struct Options: Sendable {
        /// The sending agency (required: the file names no agency).
        public var agencyID: UUID
        public var userID: UUID?
        public var actor: String?
        public var today: CivilDate

        public init(agencyID: UUID, userID: UUID? = nil, actor: String? = nil, today: CivilDate = .today()) {
            self.agencyID = agencyID
            self.userID = userID
            self.actor = actor
            self.today = today
        }
    }

    /// Imports the CSV at `path` with `mapping`, or (nil) the agency's saved mapping, else the
    /// fields' own names as columns; a mapping given is saved as the agency's for next time.
    public static func run(path: String, sourceName: String? = nil, mapping: PeopleColumnMapping?, on db: any Database,
                           options: Options) async throws -> FeedImportReport {
        let started = Date()
        let name = sourceName ?? (path as NSString).lastPathComponent
        do {
            guard let agency = try await Agency.find(options.agencyID, on: db) else {
                throw FeedFileError(file: name, message: "the sending agency is not known")
            }
            let saved = try await PartnershipSettings.peopleColumns(on: db)[agency.key]
            let columns = mapping ?? saved ?? PeopleColumnMapping()
            let reader = try PeopleCSVReader(path: path, mapping: columns, latestDate: options.today)
            let items = BackgroundBatches(batchSize: 1_000, maxQueued: 8) { () throws(FeedFileError) in try reader.next() }
            defer { items.cancel() }
            var report = try await db.writeTransaction { tx in
                let sql = tx as! any SQLDatabase
                if sql.dialect.name == "postgresql" { try await sql.raw("LOCK TABLE agency_caseload_entries IN EXCLUSIVE MODE").run() }
                var recorder = try await ImportRecorder.start(kind: "people", file: name, agencyID: options.agencyID, started: started, on: tx)
                var report = FeedImportReport(kind: "people", file: name)
                report.runID = recorder.runID
                while let batch = try await items.nextBatch() {
                    var rows: [PersonRow] = []
                    for item in batch {
                        switch item {
                        case .problem(let problem): try await recorder.quarantine(problem)
                        case .person(let row): rows.append(row)
                        }
                    }
                    try await write(rows, agencyID: options.agencyID, runID: recorder.runID, sql: sql, report: &report)
                }
                // Whom the agency no longer works with is discharged today.
                try await sql.raw("""
                    UPDATE agency_caseload_entries SET discharged_on = \(bind: options.today.description) \
                    WHERE agency_id = \(bind: options.agencyID) AND last_seen_run_id <> \(bind: recorder.runID) AND discharged_on IS NULL
                    """).run()
                if mapping != nil { try await PartnershipSettings.savePeopleColumns(columns, agencyKey: agency.key, on: tx, actor: options.actor) }
                try await recorder.finish(&report, userID: options.userID, actor: options.actor, on: tx) { r in
                    "people \(name) from \(agency.name): \(r.accepted) new, \(r.updated) updated, \(r.unchanged) unchanged, \(r.quarantined) quarantined"
                }
                return report
            }
            report.recordsRead = reader.rowsRead
            report.seconds = Date().timeIntervalSince(started)
            return report
        } catch let error as FeedFileError {
            try await ImportRecorder.rejected(kind: "people", file: name, agencyID: options.agencyID, started: started, error: error,
                                              audit: .feedImported, userID: options.userID, actor: options.actor, on: db)
            throw error
        }
    }

    static func write(_ rows: [PersonRow], agencyID: UUID, runID: UUID, sql: any SQLDatabase, report: inout FeedImportReport) async throws {
        guard !rows.isEmpty else { return }
        var held: [String: (UUID, String)] = [:]
        for chunk in rows.map(\.localID).chunked(400) {
            for row in try await sql.raw("""
                SELECT id, local_id, fingerprint FROM agency_caseload_entries WHERE agency_id = \(bind: agencyID) AND \(sql.isIn("local_id", chunk))
                """).all() {
                held[try row.decode(column: "local_id", as: String.self)] = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "fingerprint", as: String.self))
            }
        }
        var unchanged: [UUID] = []
        var changed: [(PersonRow, String, UUID?)] = []
        for row in rows {
            let fingerprint = Self.fingerprint(row)
            if let (id, old) = held[row.localID], old == fingerprint { report.unchanged += 1; unchanged.append(id); continue }
            changed.append((row, fingerprint, held[row.localID]?.0))
        }
        for chunk in unchanged.chunked(500) {
            try await sql.raw("UPDATE agency_caseload_entries SET last_seen_run_id = \(bind: runID), discharged_on = NULL WHERE id IN (\(bindList: Array(chunk)))").run()
        }
        guard !changed.isEmpty else { return }
        // People: by NHS number, else UPN, else name and date of birth.
        let byNHS = try await sql.people(withIdentifier: .nhsNumber, changed.compactMap(\.0.nhsNumber))
        let byUPN = try await sql.people(withIdentifier: .upn, changed.compactMap(\.0.upn))
        let byName = try await sql.childrenByNameAndBirth(changed.map { ($0.0.forename, $0.0.surname, $0.0.dateOfBirth) })
        let refused = try await PersonLinking.RefusedLinks(sql, records: changed.compactMap(\.2))
        for chunk in changed.compactMap(\.2).chunked(500) {
            try await sql.raw("DELETE FROM agency_caseload_entries WHERE id IN (\(bindList: Array(chunk)))").run()
        }
        var inserts: [[any Encodable & Sendable]] = []
        var links: [(person: UUID, reference: String)] = []
        let now = Date()
        for (row, fingerprint, oldID) in changed {
            if oldID == nil { report.accepted += 1 } else { report.updated += 1 }
            let person = refused.allowing(row.nhsNumber.flatMap { byNHS[$0] } ?? row.upn.flatMap { byUPN[$0] }
                ?? byName[ImportMatching.key(row.forename, row.surname, row.dateOfBirth)], for: oldID)
            if let person { report.matched += 1; links.append((person, "caseload \(row.localID)")) } else { report.unmatched += 1 }
            inserts.append([oldID ?? UUID(), agencyID, row.localID, row.forename, row.surname, row.dateOfBirth.description, row.nhsNumber, row.upn,
                            row.postcode, row.sex?.rawValue, row.worker, person, fingerprint, runID, nil as String?, now])
        }
        try await sql.insertRows("agency_caseload_entries", ["id", "agency_id", "local_id", "forename", "surname", "date_of_birth", "nhs_number", "upn",
                                                             "postcode", "sex", "worker", "person_id", "fingerprint", "last_seen_run_id", "discharged_on",
                                                             "updated_at"], inserts)
        try await sql.linkToAgency(links, agencyID: agencyID)
    }

    static func fingerprint(_ r: PersonRow) -> String {
        SocialCareImport.fnv([r.localID, r.forename, r.surname, r.dateOfBirth.description, r.nhsNumber ?? "", r.upn ?? "", r.postcode ?? "",
                              r.sex?.rawValue ?? "", r.worker ?? ""].joined(separator: "|"))
    }
}

/// An agency's caseload entry for a child (the people feed), as the viewer may see it.
public struct AgencyCaseloadLine: Sendable, Equatable {
    public let agency: String
    public let worker: String?
    public let dischargedOn: CivilDate?
}

extension SocialCare {
    /// The agencies whose people feed holds (or held) the child, current first.
    public func agencyCaseloads(forChild personID: UUID) async throws -> [AgencyCaseloadLine] {
        guard try await directory.isVisible(personID) else { return [] }
        return try await sql.raw("""
            SELECT a.name, e.worker, e.discharged_on FROM agency_caseload_entries e JOIN agencies a ON a.id = e.agency_id \
            WHERE e.person_id = \(bind: personID) ORDER BY e.discharged_on IS NOT NULL, e.updated_at DESC
            """).all().map { row in
            AgencyCaseloadLine(agency: try row.decode(column: "name", as: String.self), worker: try row.decode(column: "worker", as: String?.self),
                               dischargedOn: try row.decode(column: "discharged_on", as: String?.self).flatMap(CivilDate.init))
        }
    }
}
