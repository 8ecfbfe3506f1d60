import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds

/// Loads a partnership's existing agreed list (the spreadsheet it kept before EyesOn) as entries
/// agreed at a partnership meeting. Every row is checked first; one bad row rejects the file and
/// nothing is applied.
///
/// Columns: `upn` or `nhs_number` (one of them per row), `reasons` (`;`-separated codes),
/// `risk` (red/amber/green), `risk_rationale`, `lead_agency` (an agency key),
/// `lead_professional`, `review_date`, `meeting_date` (YYYY-MM-DD) and `agencies_present`
/// (`;`-separated agency keys, at least two).
public enum ListImport {
    public static let columns = ["reasons", "risk", "risk_rationale", "lead_agency", "lead_professional", "review_date", "meeting_date", "agencies_present"]

    public struct Report: Sendable { public var added = 0; public var alreadyListed = 0 }

    public static func run(path: String, on db: any Database, actor: String, today: CivilDate = .today()) async throws -> Report {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw FeedFileError(file: path, message: "\(error)") }
        let name = (path as NSString).lastPathComponent
        func fail(_ line: Int, _ field: String?, _ message: String) -> FeedFileError {
            FeedFileError(file: name, line: line, field: field, message: message)
        }
        let sql = db as! any SQLDatabase
        var agencies: [String: UUID] = [:], agencyNames: [String: String] = [:]
        for agency in try await Agency.query(on: db).all() { agencies[agency.key] = agency.id; agencyNames[agency.key] = agency.name }
        var byUPN: [String: UUID] = [:], byNHS: [String: UUID] = [:]
        for row in try await sql.raw("SELECT person_id, kind, value FROM person_identifiers WHERE kind IN ('upn', 'nhs-number')").all() {
            let value = try row.decode(column: "value", as: String.self)
            let person = try row.decode(column: "person_id", as: UUID.self)
            if try row.decode(column: "kind", as: String.self) == "upn" { byUPN[value] = person } else { byNHS[value] = person }
        }

        struct Entry: Sendable { let person: UUID; let reasons: String; let risk: RiskLevel; let rationale: String; let lead: UUID
            let professional: String; let review: CivilDate; let meeting: CivilDate; let present: String }
        var entries: [Entry] = []
        var seen: Set<UUID> = []
        do {
            guard let header = try reader.nextRecord() else { throw fail(1, nil, "the file is empty") }
            let h = CSVHeader(header)
            let idx: [Int]
            do { idx = try h.columns(columns, file: name) } catch { throw fail(1, nil, error.description) }
            let upnColumn = h.column("upn"), nhsColumn = h.column("nhs_number")
            guard upnColumn != nil || nhsColumn != nil else { throw fail(1, nil, "needs a upn or nhs_number column to find each child") }
            while let fields = try reader.nextRecord() {
                let line = reader.line
                guard fields.count == header.count else { throw fail(line, nil, "has \(fields.count) columns; the header has \(header.count)") }
                func f(_ k: Int) -> String { fields[idx[k]].trimmingCharacters(in: .whitespaces) }
                var person: UUID? = nil
                if let c = upnColumn, !fields[c].trimmingCharacters(in: .whitespaces).isEmpty {
                    let upn: UPN
                    do { upn = try UPN(fields[c]) } catch { throw fail(line, "upn", "is not a valid UPN: \(error.reason)") }
                    person = byUPN[upn.value]
                    if person == nil { throw fail(line, "upn", "no child with UPN \(upn.value) is in the person index") }
                } else if let c = nhsColumn, !fields[c].trimmingCharacters(in: .whitespaces).isEmpty {
                    let nhs: NHSNumber
                    do { nhs = try NHSNumber(fields[c]) } catch { throw fail(line, "nhs_number", "is not a valid NHS number: \(error.reason)") }
                    person = byNHS[nhs.digits]
                    if person == nil { throw fail(line, "nhs_number", "no child with this NHS number is in the person index") }
                }
                guard let person else { throw fail(line, "upn", "give the child's UPN or NHS number") }
                guard seen.insert(person).inserted else { throw fail(line, "upn", "this child is already on an earlier line") }
                let reasons: [ListReason]
                do { reasons = try ListReason.parseList(f(0)) } catch { throw fail(line, "reasons", error.description) }
                guard let risk = RiskLevel(rawValue: f(1).lowercased()) else { throw fail(line, "risk", "must be red, amber or green") }
                guard !f(2).isEmpty else { throw fail(line, "risk_rationale", "give the reason for the risk level") }
                guard let lead = agencies[f(3)] else { throw fail(line, "lead_agency", "'\(f(3))' is not an agency key (see `eyeson agencies`)") }
                guard !f(4).isEmpty else { throw fail(line, "lead_professional", "name the lead professional") }
                guard let review = CivilDate(f(5)) else { throw fail(line, "review_date", "is not a date (YYYY-MM-DD)") }
                guard let meeting = CivilDate(f(6)), meeting <= today else { throw fail(line, "meeting_date", "is not a date (YYYY-MM-DD) on or before today") }
                let keys = f(7).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                for key in keys where agencies[key] == nil { throw fail(line, "agencies_present", "'\(key)' is not an agency key") }
                guard Set(keys).count >= 2 else { throw fail(line, "agencies_present", "name at least two agencies present at the meeting") }
                for (field, text) in [("risk_rationale", f(2)), ("lead_professional", f(4))] where text.count > AgreedList.maximumTextLength {
                    throw fail(line, field, "must be at most \(AgreedList.maximumTextLength) characters")
                }
                entries.append(Entry(person: person, reasons: reasons.map(\.rawValue).joined(separator: ";"), risk: risk, rationale: f(2),
                                     lead: lead, professional: f(4), review: review, meeting: meeting, present: keys.map { agencyNames[$0] ?? $0 }.joined(separator: "; ")))
            }
        } catch let error as CSVError {
            throw fail(error.line, error.field.map { "field \($0)" }, "\(error.kind)")
        }

        let now = Date()
        let parsed = entries
        return try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            var report = Report()
            var active: Set<UUID> = []
            for row in try await sql.raw("SELECT person_id FROM list_entries WHERE status IN ('proposed', 'agreed')").all() {
                active.insert(try row.decode(column: "person_id", as: UUID.self))
            }
            let fresh = parsed.filter { !active.contains($0.person) }
            report.alreadyListed = parsed.count - fresh.count
            for chunk in fresh.chunked(200) {
                var insert = sql.insert(into: "list_entries").columns("id", "person_id", "status", "risk", "risk_rationale", "reasons", "lead_agency_id",
                                                                      "lead_professional", "review_date", "proposed_at", "agreed_at", "agreed_on", "meeting_date", "meeting_agencies", "updated_at")
                var history = sql.insert(into: "list_history").columns("id", "entry_id", "at", "actor", "action", "detail")
                for e in chunk {
                    let id = UUID()
                    insert = insert.values(SQLBind(id), SQLBind(e.person), SQLBind("agreed"), SQLBind(e.risk.rawValue), SQLBind(e.rationale), SQLBind(e.reasons),
                                           SQLBind(e.lead), SQLBind(e.professional), SQLBind(e.review.description), SQLBind(now), SQLBind(now),
                                           SQLBind(e.meeting.description), SQLBind(e.meeting.description), SQLBind(e.present), SQLBind(now))
                    history = history.values(SQLBind(UUID()), SQLBind(id), SQLBind(now), SQLBind(actor), SQLBind("agreed by meeting"),
                                             SQLBind("loaded from \(name): partnership meeting on \(e.meeting) (\(e.present))"))
                }
                try await insert.run()
                try await history.run()
                report.added += chunk.count
            }
            try await EyesOnSeen.refresh(on: sql, people: fresh.map(\.person))
            try await AuditLog.record(.listChanged, on: tx, actor: actor, detail: "loaded \(report.added) agreed entries from \(name) (\(report.alreadyListed) already listed)")
            return report
        }
    }
}
