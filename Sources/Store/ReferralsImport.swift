import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds

extension SocialCareImport {
    /// Imports the front door's referrals CSV: each referral with its source, outcome and
    /// decision day. The same file twice changes nothing; a referral sent again with a new
    /// outcome (a pending one decided, say) replaces the old row. Children are linked by
    /// LAchildID, else UPN (a conflicting date of birth keeps the referral unmatched), else NHS
    /// number, else name and date of birth. One transaction.
    public static func referrals(path: String, sourceName: String? = nil, on db: any Database, options: Options,
                                 today: CivilDate = .today()) async throws -> FeedImportReport {
        let started = Date()
        let name = sourceName ?? (path as NSString).lastPathComponent
        var agencyID = options.agencyID
        do {
            let agency = try await sendingAgency(options.agencyID, file: name, what: "a referrals file", on: db)
            agencyID = agency.id
            let la = agency.id!
            let reader = try ReferralReader(path: path, latestDate: today)
            let items = BackgroundBatches(batchSize: 1_000, maxQueued: 8) { () throws(FeedFileError) in try reader.next() }
            defer { items.cancel() }
            var report = try await db.writeTransaction { tx in
                let sql = tx as! any SQLDatabase
                if sql.dialect.name == "postgresql" { try await sql.raw("LOCK TABLE front_door_referrals IN EXCLUSIVE MODE").run() }
                var recorder = try await ImportRecorder.start(kind: "referrals", file: name, agencyID: la, started: started, on: tx)
                var report = FeedImportReport(kind: "referrals", file: name)
                report.runID = recorder.runID
                while let batch = try await items.nextBatch() {
                    var rows: [FrontDoorReferral] = []
                    for item in batch {
                        switch item {
                        case .problem(let problem): try await recorder.quarantine(problem)
                        case .referral(let r): rows.append(r)
                        }
                    }
                    try await writeReferrals(rows, agencyID: la, runID: recorder.runID, sql: sql, report: &report)
                }
                try await recorder.finish(&report, userID: options.userID, actor: options.actor, on: tx) { r in
                    "referrals \(name): \(r.accepted) new, \(r.updated) updated, \(r.unchanged) unchanged, \(r.quarantined) quarantined"
                }
                return report
            }
            report.recordsRead = reader.rowsRead
            report.seconds = Date().timeIntervalSince(started)
            return report
        } catch let error as FeedFileError {
            try await ImportRecorder.rejected(kind: "referrals", file: name, agencyID: agencyID, started: started, error: error,
                                              audit: .feedImported, userID: options.userID, actor: options.actor, on: db)
            throw error
        }
    }

    static func writeReferrals(_ rows: [FrontDoorReferral], agencyID: UUID, runID: UUID, sql: any SQLDatabase, report: inout FeedImportReport) async throws {
        guard !rows.isEmpty else { return }
        var held: [String: (UUID, String)] = [:]
        for chunk in rows.map(\.referralID).chunked(400) {
            for row in try await sql.raw("""
                SELECT id, referral_id, fingerprint FROM front_door_referrals WHERE agency_id = \(bind: agencyID) AND \(sql.isIn("referral_id", chunk))
                """).all() {
                held[try row.decode(column: "referral_id", as: String.self)] = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "fingerprint", as: String.self))
            }
        }
        var changed: [(FrontDoorReferral, String, UUID?)] = []
        for r in rows {
            let fingerprint = fnv([r.referralID, r.laChildID, r.upn ?? "", r.nhsNumber ?? "", r.forename, r.surname, r.dateOfBirth?.description ?? "",
                                   r.referralDate.description, r.source, r.outcome.rawValue, r.decisionDate?.description ?? ""].joined(separator: "|")
                                  + (r.team.map { "|" + $0 } ?? ""))
            if let (_, old) = held[r.referralID], old == fingerprint { report.unchanged += 1; continue }
            changed.append((r, fingerprint, held[r.referralID]?.0))
        }
        guard !changed.isEmpty else { return }
        let (byLA, conflicts) = try await link(changed.map { ChildKey(laChildID: $0.0.laChildID, upn: $0.0.upn, born: $0.0.dateOfBirth) }, agencyID: agencyID, sql: sql)
        report.conflicts += conflicts
        let byNHS = try await sql.people(withIdentifier: .nhsNumber, changed.compactMap(\.0.nhsNumber))
        let refused = try await PersonLinking.RefusedLinks(sql, records: changed.compactMap(\.2))
        let byName = try await sql.childrenByNameAndBirth(changed.filter { $0.0.dateOfBirth != nil }.map { ($0.0.forename, $0.0.surname, $0.0.dateOfBirth) })
        for chunk in changed.compactMap(\.2).chunked(500) {
            try await sql.raw("DELETE FROM front_door_referrals WHERE id IN (\(bindList: Array(chunk)))").run()
        }
        var inserts: [[any Encodable & Sendable]] = []
        var identifiers: [(person: UUID, laChildID: String)] = []
        let now = Date()
        for (r, fingerprint, oldID) in changed {
            if oldID == nil { report.accepted += 1 } else { report.updated += 1 }
            let person = refused.allowing(byLA[r.laChildID] ?? r.nhsNumber.flatMap { byNHS[$0] }
                ?? (r.dateOfBirth == nil ? nil : byName[ImportMatching.key(r.forename, r.surname, r.dateOfBirth)]), for: oldID)
            if let person { report.matched += 1; identifiers.append((person, r.laChildID)) } else { report.unmatched += 1 }
            inserts.append([oldID ?? UUID(), agencyID, r.referralID, r.laChildID, r.forename, r.surname, r.dateOfBirth?.description, r.upn, r.nhsNumber,
                            person, r.referralDate.description, r.source, r.outcome.rawValue, r.decisionDate?.description, r.team, fingerprint, runID, now])
        }
        try await sql.insertRows("front_door_referrals", ["id", "agency_id", "referral_id", "la_child_id", "forename", "surname", "date_of_birth", "upn",
                                                          "nhs_number", "person_id", "referral_date", "source", "outcome", "decision_date", "team", "fingerprint",
                                                          "import_run_id", "updated_at"], inserts)
        try await recordLAChildIDs(identifiers, agencyID: agencyID, sql: sql)
    }
}

/// A front-door referral of a child, as the viewer may see it (the source only for the local authority).
public struct FrontDoorReferralLine: Sendable, Equatable {
    public let referralDate: CivilDate
    /// The source's label, for local-authority staff; nil otherwise.
    public let source: String?
    public let outcome: ReferralOutcome
    public let decisionDate: CivilDate?
}

extension SocialCare {
    /// The front door's referrals of the child, newest first.
    public func frontDoorReferrals(forChild personID: UUID) async throws -> [FrontDoorReferralLine] {
        guard try await directory.isVisible(personID) else { return [] }
        let seesSource = directory.viewer.agencyKind.isLocalAuthority
        return try await sql.raw("""
            SELECT referral_date, source, outcome, decision_date FROM front_door_referrals WHERE person_id = \(bind: personID) ORDER BY referral_date DESC
            """).all().compactMap { row in
            guard let date = CivilDate(try row.decode(column: "referral_date", as: String.self)),
                  let outcome = ReferralOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) else { return nil }
            let source = try row.decode(column: "source", as: String.self)
            return FrontDoorReferralLine(referralDate: date, source: seesSource ? ((try? ReferralSource.parse(source))?.label ?? source) : nil,
                                         outcome: outcome, decisionDate: try row.decode(column: "decision_date", as: String?.self).flatMap(CivilDate.init))
        }
    }
}
