import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds

/// Imports a health organisation's caseloads (health visiting, midwifery, school nursing). Each
/// row is one entry, checked whole; the same file twice changes nothing; an entry the newer
/// extract no longer holds is discharged (kept, with the day). Children and unborn babies are
/// linked to people by NHS number, else (born children) by name and date of birth; the
/// organisation is linked to them, so its practitioners may open their records.
public enum HealthImport {
    public struct Options: Sendable {
        /// The sending organisation: its rows must carry its ODS code. Default: each row's ODS
        /// code names its organisation.
        public var agencyID: UUID?
        public var userID: UUID?
        public var actor: String?
        public var today: CivilDate

        public init(agencyID: UUID? = nil, userID: UUID? = nil, actor: String? = nil, today: CivilDate = .today()) {
            self.agencyID = agencyID
            self.userID = userID
            self.actor = actor
            self.today = today
        }
    }

    public static func run(path: String, sourceName: String? = nil, on db: any Database, options: Options) async throws -> FeedImportReport {
        let started = Date()
        let name = sourceName ?? (path as NSString).lastPathComponent
        do {
            var only: String? = nil
            if let id = options.agencyID {
                guard let agency = try await Agency.find(id, on: db), agency.kind == .healthOrganisation, let ods = agency.odsCode else {
                    throw FeedFileError(file: name, message: "health caseloads come from a health organisation with an ODS code: this is a file from the wrong agency")
                }
                only = ods
            }
            var organisations: [String: UUID] = [:]
            for agency in try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.healthOrganisation.rawValue).all() {
                if let ods = agency.odsCode, let id = agency.id { organisations[ods] = id }
            }
            let (onlyCode, known) = (only, organisations)
            let reader = try HealthCaseloadReader(path: path, latestDate: options.today)
            let items = BackgroundBatches(batchSize: 1_000, maxQueued: 8) { () throws(FeedFileError) in try reader.next() }
            defer { items.cancel() }
            var report = try await db.writeTransaction { tx in
                let sql = tx as! any SQLDatabase
                if sql.dialect.name == "postgresql" { try await sql.raw("LOCK TABLE health_caseload_entries IN EXCLUSIVE MODE").run() }
                var recorder = try await ImportRecorder.start(kind: "health", file: name, agencyID: options.agencyID, started: started, on: tx)
                var report = FeedImportReport(kind: "health", file: name)
                report.runID = recorder.runID
                var codes: Set<String> = []
                while let batch = try await items.nextBatch() {
                    var entries: [(HealthCaseloadEntry, UUID)] = []
                    for item in batch {
                        switch item {
                        case .problem(let problem): try await recorder.quarantine(problem)
                        case .entry(let entry):
                            if let only = onlyCode, entry.odsCode != only {
                                throw FeedFileError(file: name, line: entry.line, field: "ods_code",
                                                    message: "holds ODS code \(entry.odsCode), but you may send only your own organisation's caseloads (\(only))")
                            }
                            guard let agency = known[entry.odsCode] else {
                                try await recorder.quarantine(RowProblem(line: entry.line, field: "ods_code", value: entry.odsCode,
                                                                         reason: "is not a health organisation EyesOn knows (see `eyeson agencies`)"))
                                continue
                            }
                            codes.insert(entry.odsCode)
                            entries.append((entry, agency))
                        }
                    }
                    try await write(entries, runID: recorder.runID, sql: sql, report: &report)
                }
                // What the organisations no longer hold is discharged today.
                if !codes.isEmpty {
                    try await sql.raw("""
                        UPDATE health_caseload_entries SET discharged_on = \(bind: options.today.description) \
                        WHERE \(sql.isIn("ods_code", codes)) AND last_seen_run_id <> \(bind: recorder.runID) AND discharged_on IS NULL
                        """).run()
                }
                try await recorder.finish(&report, userID: options.userID, actor: options.actor, on: tx) { r in
                    "health caseloads \(name): \(r.accepted) new, \(r.updated) updated, \(r.unchanged) unchanged, \(r.quarantined) quarantined"
                }
                return report
            }
            report.recordsRead = reader.rowsRead
            report.seconds = Date().timeIntervalSince(started)
            return report
        } catch let error as FeedFileError {
            try await ImportRecorder.rejected(kind: "health", file: name, agencyID: options.agencyID, started: started, error: error,
                                              audit: .feedImported, userID: options.userID, actor: options.actor, on: db)
            throw error
        }
    }

    static func write(_ entries: [(HealthCaseloadEntry, UUID)], runID: UUID, sql: any SQLDatabase, report: inout FeedImportReport) async throws {
        guard !entries.isEmpty else { return }
        func key(_ e: HealthCaseloadEntry) -> String { e.odsCode + "|" + e.localID }
        var held: [String: (UUID, String)] = [:]
        for chunk in Array(Set(entries.map(\.0.localID))).chunked(400) {
            for row in try await sql.raw("""
                SELECT id, ods_code, local_id, fingerprint FROM health_caseload_entries WHERE \(sql.isIn("local_id", chunk))
                """).all() {
                held[try row.decode(column: "ods_code", as: String.self) + "|" + (try row.decode(column: "local_id", as: String.self))] =
                    (try row.decode(column: "id", as: UUID.self), try row.decode(column: "fingerprint", as: String.self))
            }
        }
        var unchanged: [UUID] = []
        var changed: [(HealthCaseloadEntry, UUID, String, UUID?)] = []
        for (entry, agency) in entries {
            let fingerprint = Self.fingerprint(entry)
            if let (id, old) = held[key(entry)], old == fingerprint { report.unchanged += 1; unchanged.append(id); continue }
            changed.append((entry, agency, fingerprint, held[key(entry)]?.0))
        }
        for chunk in unchanged.chunked(500) {
            try await sql.raw("UPDATE health_caseload_entries SET last_seen_run_id = \(bind: runID), discharged_on = NULL WHERE id IN (\(bindList: Array(chunk)))").run()
        }
        guard !changed.isEmpty else { return }
        // People: by NHS number, else a born child by name and date of birth.
        let byNHS = try await sql.people(withIdentifier: .nhsNumber, changed.compactMap(\.0.nhsNumber))
        let byName = try await sql.childrenByNameAndBirth(changed.filter { $0.0.dateOfBirth != nil }.map { ($0.0.forename, $0.0.surname, $0.0.dateOfBirth) })
        let replaced = changed.compactMap(\.3)
        let refused = try await PersonLinking.RefusedLinks(sql, records: replaced)
        for chunk in replaced.chunked(500) {
            try await sql.raw("DELETE FROM health_caseload_entries WHERE id IN (\(bindList: Array(chunk)))").run()
        }
        var rows: [[any Encodable & Sendable]] = []
        var links: [UUID: [(person: UUID, reference: String)]] = [:]
        let now = Date()
        for (entry, agency, fingerprint, oldID) in changed {
            if oldID == nil { report.accepted += 1 } else { report.updated += 1 }
            let isAdult = entry.caseload == .midwifery && entry.motherLocalID == nil
            let person = refused.allowing(entry.nhsNumber.flatMap { byNHS[$0] }
                ?? (isAdult ? nil : byName[ImportMatching.key(entry.forename, entry.surname, entry.dateOfBirth)]), for: oldID)
            if !isAdult { if person == nil { report.unmatched += 1 } else { report.matched += 1 } }
            if let person, !isAdult { links[agency, default: []].append((person, "\(entry.caseload.rawValue) \(entry.localID)")) }
            rows.append([oldID ?? UUID(), agency, entry.odsCode, entry.caseload.rawValue, entry.localID, entry.nhsNumber, entry.forename, entry.surname,
                         entry.dateOfBirth?.description, entry.expectedDateOfBirth?.description, entry.sex?.rawValue, entry.postcode, entry.gpPractice,
                         entry.motherLocalID, entry.namedProfessional, entry.concerns, isAdult ? nil : person, fingerprint, runID, nil as String?, now])
        }
        try await sql.insertRows("health_caseload_entries", ["id", "agency_id", "ods_code", "caseload", "local_id", "nhs_number", "forename", "surname",
                                                             "date_of_birth", "expected_date_of_birth", "sex", "postcode", "gp_practice", "mother_local_id",
                                                             "named_professional", "concerns", "person_id", "fingerprint", "last_seen_run_id",
                                                             "discharged_on", "updated_at"], rows)
        for (agency, list) in links { try await sql.linkToAgency(list, agencyID: agency) }
    }

    static func fingerprint(_ e: HealthCaseloadEntry) -> String {
        SocialCareImport.fnv([e.odsCode, e.caseload.rawValue, e.localID, e.nhsNumber ?? "", e.forename, e.surname, e.dateOfBirth?.description ?? "",
                              e.expectedDateOfBirth?.description ?? "", e.sex?.rawValue ?? "", e.postcode ?? "", e.address ?? "", e.gpPractice ?? "",
                              e.motherLocalID ?? "", e.namedProfessional ?? "", e.concerns ? "1" : "0"].joined(separator: "|"))
    }
}

/// A child's place on a health caseload, as the viewer may see it (the concerns flag only for
/// health and the local authority).
public struct HealthCaseloadLine: Sendable, Equatable {
    public let organisation: String
    public let caseload: String
    public let namedProfessional: String?
    public let concerns: Bool?
    public let dischargedOn: CivilDate?
}

extension SocialCare {
    /// The health caseloads the child is (or was) on, current first.
    public func healthCaseloads(forChild personID: UUID) async throws -> [HealthCaseloadLine] {
        guard try await directory.isVisible(personID) else { return [] }
        let seesConcerns = AccessPolicy.mayRead(.healthNotes, directory.viewer)
        return try await sql.raw("""
            SELECT a.name, h.caseload, h.named_professional, h.concerns, h.discharged_on FROM health_caseload_entries h \
            JOIN agencies a ON a.id = h.agency_id WHERE h.person_id = \(bind: personID) ORDER BY h.discharged_on IS NOT NULL, h.updated_at DESC
            """).all().map { row in
            HealthCaseloadLine(organisation: try row.decode(column: "name", as: String.self), caseload: try row.decode(column: "caseload", as: String.self),
                               namedProfessional: try row.decode(column: "named_professional", as: String?.self),
                               concerns: seesConcerns ? try row.decode(column: "concerns", as: Bool.self) : nil,
                               dischargedOn: try row.decode(column: "discharged_on", as: String?.self).flatMap(CivilDate.init))
        }
    }
}
