import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds

/// Imports the school census's pupil characteristics (free school meals, SEN provision) sent by a
/// local-authority agency. The census is a full extract, so the file replaces the whole set: a
/// pupil left out is no longer counted. One transaction: a file refused whole changes nothing.
public enum PupilCharacteristicsImport {
    /// The sending agency (default: the local authority's education agency, else children's social care), who and in whose name.
    public typealias Options = SocialCareImport.Options

    public static func run(path: String, sourceName: String? = nil, on db: any Database, options: Options) async throws -> FeedImportReport {
        let started = Date()
        let name = sourceName ?? (path as NSString).lastPathComponent
        var agencyID = options.agencyID
        do {
            let agency = try await sendingAgency(options.agencyID, file: name, on: db)
            agencyID = agency.id
            let reader = try PupilCharacteristicsReader(path: path)
            let items = BackgroundBatches(batchSize: 2_000, maxQueued: 8) { () throws(FeedFileError) in try reader.next() }
            defer { items.cancel() }
            var report = try await db.writeTransaction { tx in
                let sql = tx as! any SQLDatabase
                if sql.dialect.name == "postgresql" { try await sql.raw("LOCK TABLE pupil_characteristics IN EXCLUSIVE MODE").run() }
                var recorder = try await ImportRecorder.start(kind: "characteristics", file: name, agencyID: agency.id, started: started, on: tx)
                var report = FeedImportReport(kind: "characteristics", file: name)
                report.runID = recorder.runID
                var held: [String: (Bool, String)] = [:]
                for row in try await sql.raw("SELECT upn, fsm, sen_provision FROM pupil_characteristics").all() {
                    held[try row.decode(column: "upn", as: String.self)] = (try row.decode(column: "fsm", as: Bool.self), try row.decode(column: "sen_provision", as: String.self))
                }
                try await sql.raw("DELETE FROM pupil_characteristics").run()
                var known: Set<String> = []
                while let batch = try await items.nextBatch() {
                    var rows: [[any Encodable & Sendable]] = []
                    var upns: [String] = []
                    for item in batch {
                        switch item {
                        case .problem(let problem): try await recorder.quarantine(problem)
                        case .pupil(let p):
                            switch held[p.upn] {
                            case .none: report.accepted += 1
                            case .some(let old) where old == (p.freeSchoolMeals, p.sen.rawValue): report.unchanged += 1
                            case .some: report.updated += 1
                            }
                            rows.append([p.upn, p.freeSchoolMeals, p.sen.rawValue, recorder.runID])
                            upns.append(p.upn)
                        }
                    }
                    try await sql.insertRows("pupil_characteristics", ["upn", "fsm", "sen_provision", "import_run_id"], rows)
                    known.formUnion(try await sql.people(withIdentifier: .upn, upns).keys)
                    report.matched = known.count
                    report.unmatched = report.accepted + report.updated + report.unchanged - known.count
                }
                guard report.accepted + report.updated + report.unchanged > 0 else {
                    throw FeedFileError(file: name, message: "holds no pupil that could be read, so nothing was changed (the census replaces every pupil's characteristics)")
                }
                let removed = max(0, held.count - report.updated - report.unchanged)
                try await recorder.finish(&report, userID: options.userID, actor: options.actor, on: tx) { r in
                    "pupil characteristics \(name): \(r.accepted) new, \(r.updated) changed, \(r.unchanged) unchanged, \(removed) no longer in the census, \(r.quarantined) quarantined"
                }
                return report
            }
            report.recordsRead = reader.rowsRead
            report.seconds = Date().timeIntervalSince(started)
            return report
        } catch let error as FeedFileError {
            try await ImportRecorder.rejected(kind: "characteristics", file: name, agencyID: agencyID, started: started, error: error,
                                              audit: .feedImported, userID: options.userID, actor: options.actor, on: db)
            throw error
        }
    }

    /// The local-authority agency that sent the file: the one named, or the only one that holds the
    /// census (local-authority education, else children's social care).
    static func sendingAgency(_ id: UUID?, file: String, on db: any Database) async throws -> Agency {
        if let id {
            guard let agency = try await Agency.find(id, on: db) else { throw FeedFileError(file: file, message: "the sending agency is not known") }
            guard agency.kind?.isLocalAuthority == true else {
                throw FeedFileError(file: file, message: "pupil characteristics come from the local authority, and \(agency.name) is not part of it: this is a file from the wrong agency")
            }
            return agency
        }
        let all = try await Agency.query(on: db).all()
        guard let agency = all.first(where: { $0.kind == .laEducation }) ?? all.first(where: { $0.kind == .laChildrensSocialCare }) else {
            throw FeedFileError(file: file, message: "no local-authority agency is set up to receive it")
        }
        return agency
    }
}
