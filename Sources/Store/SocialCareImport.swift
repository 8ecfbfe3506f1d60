import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds

/// What an import of an agency's extract did (every feed but attendance, whose report counts marks).
public struct FeedImportReport: Sendable {
    public var runID: UUID?
    /// The feed, e.g. `cin`.
    public var kind: String
    public var file: String
    /// Records read, good and bad (for the CIN census: `<Child>` elements).
    public var recordsRead = 0
    public var accepted = 0
    public var updated = 0
    /// Records exactly as the last extract had them: nothing written.
    public var unchanged = 0
    public var quarantined = 0
    /// The first problems, in file order (all are stored with the import).
    public var problems: [RowProblem] = []
    /// Records linked to a person in the index, and records kept for matching later.
    public var matched = 0
    public var unmatched = 0
    /// Records whose identifiers named a person whose date of birth disagrees: kept unmatched.
    public var conflicts = 0
    public var seconds = 0.0

    public init(kind: String, file: String) {
        self.kind = kind
        self.file = file
    }

    public var summaryLine: String {
        "\(kind): \(recordsRead) records read, \(accepted) new, \(updated) updated, \(unchanged) unchanged, \(quarantined) quarantined; "
            + "\(matched) matched to a person, \(unmatched) kept unmatched (\(conflicts) with a conflicting date of birth); "
            + String(format: "%.2f s", seconds)
    }
}

/// Imports children's social care extracts. The CIN census XML (STANDARDS §1): each child as the
/// local authority records it, with their referrals, assessments, section 47 enquiries, child in
/// need and child protection plans.
///
/// A child is applied whole. The same file twice changes nothing (each child's record is
/// fingerprinted); a child in a newer extract replaces that child's records from the older one;
/// an extract whose reference date is older than one already imported is refused. Children are
/// linked to people by the local authority's child ID, else by UPN — a date of birth that
/// disagrees with the person's keeps the record unmatched, for review — and a linked child's
/// LAchildID joins the person's identifiers. One transaction: a file that stops part-way applies
/// nothing.
public enum SocialCareImport {
    public struct Options: Sendable {
        /// The sending agency; default: the area's one agency that sends the feed (children's social care for its own).
        public var agencyID: UUID?
        public var userID: UUID?
        public var actor: String?

        public init(agencyID: UUID? = nil, userID: UUID? = nil, actor: String? = nil) {
            self.agencyID = agencyID
            self.userID = userID
            self.actor = actor
        }
    }

    /// Children handed over per batch by the reading thread.
    static let childrenPerBatch = 250

    /// Imports the CIN census file at `path`, named `sourceName` in the import history.
    /// - Throws: ``FeedFileError`` when the file cannot be imported at all (recorded in the
    ///   history with the reason; nothing applied).
    public static func cin(path: String, sourceName: String? = nil, on db: any Database, options: Options) async throws -> FeedImportReport {
        let started = Date()
        let name = sourceName ?? (path as NSString).lastPathComponent
        var agencyID = options.agencyID
        do {
            let agency = try await sendingAgency(options.agencyID, file: name, on: db)
            agencyID = agency.id
            let reader = try CINCensusReader(path: path, expectedLEA: agency.laCode)
            // The file is parsed on a thread of its own while this task writes the previous batch.
            let items = BackgroundBatches<CINCensusReader.Item, any Error>(batchSize: childrenPerBatch, maxQueued: 8) { emit in
                try reader.read { item in
                    guard emit(item) else { throw CancellationError() }
                }
            }
            defer { items.cancel() }
            var report = try await db.writeTransaction { tx in
                var writer = try await CINWriter(db: tx, agency: agency, options: options, file: name, started: started)
                while let batch = try await items.nextBatch() {
                    if !writer.headerChecked { try await writer.check(reader.header, file: name) }
                    var children: [CINChild] = []
                    for item in batch {
                        switch item {
                        case .child(let child): children.append(child)
                        case .problem(let problem): try await writer.recorder.quarantine(problem)
                        }
                    }
                    try await writer.write(children)
                }
                if !writer.headerChecked { try await writer.check(reader.header, file: name) }
                writer.report.recordsRead = reader.childrenRead
                try await writer.finish()
                return writer.report
            }
            report.seconds = Date().timeIntervalSince(started)
            return report
        } catch let error as FeedFileError {
            try await ImportRecorder.rejected(kind: "cin", file: name, agencyID: agencyID, started: started, error: error,
                                              audit: .feedImported, userID: options.userID, actor: options.actor, on: db)
            throw error
        }
    }

    /// The agency a social care extract comes from: the given one, which must be children's
    /// social care, or the only such agency.
    static func sendingAgency(_ id: UUID?, file: String, what: String = "a CIN census", on db: any Database) async throws -> Agency {
        if let id {
            guard let agency = try await Agency.find(id, on: db) else { throw FeedFileError(file: file, message: "the sending agency is not known") }
            guard agency.kind == .laChildrensSocialCare else {
                throw FeedFileError(file: file, message: "\(what) comes from children's social care, and \(agency.name) is a \(agency.kind?.title.lowercased() ?? "other agency"): this is a file from the wrong agency")
            }
            return agency
        }
        let all = try await Agency.query(on: db).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).all()
        guard all.count == 1, let agency = all.first else {
            throw FeedFileError(file: file, message: all.isEmpty ? "no children's social care agency is set up to receive it"
                                : "there are \(all.count) children's social care agencies: say which one sent the file")
        }
        return agency
    }

    /// The work of one CIN import, inside its transaction.
    struct CINWriter {
        let db: any Database
        let sql: any SQLDatabase
        let agencyID: UUID
        let options: Options
        var recorder: ImportRecorder
        var report: FeedImportReport
        var headerChecked = false
        var referenceDate: CivilDate?
        let now = Date()

        init(db: any Database, agency: Agency, options: Options, file: String, started: Date) async throws {
            self.db = db
            self.sql = db as! any SQLDatabase
            self.agencyID = agency.id!
            self.options = options
            self.report = FeedImportReport(kind: "cin", file: file)
            if sql.dialect.name == "postgresql" {
                // One social care import at a time: each decides from what the last one left.
                try await sql.raw("LOCK TABLE social_care_children IN EXCLUSIVE MODE").run()
            }
            recorder = try await ImportRecorder.start(kind: "cin", file: file, agencyID: agencyID, started: started, on: db)
            report.runID = recorder.runID
        }

        /// Refuses an extract older than one already imported from the agency.
        mutating func check(_ header: CINHeader?, file: String) async throws {
            headerChecked = true
            referenceDate = header?.referenceDate
            guard let date = header?.referenceDate else { return }
            let newest = try await sql.raw("""
                SELECT MAX(reference_date) AS d FROM import_runs WHERE kind = 'cin' AND agency_id = \(bind: agencyID) AND status = 'completed'
                """).first()?.decode(column: "d", as: String?.self).flatMap(CivilDate.init)
            if let newest, date < newest {
                throw FeedFileError(file: file, field: "Header/CollectionDetails/ReferenceDate",
                                    message: "this extract's reference date is \(date), older than the extract already imported (\(newest)); a newer extract supersedes an older one, so this one was not applied")
            }
        }

        mutating func write(_ children: [CINChild]) async throws {
            guard !children.isEmpty else { return }
            let changed = try await SocialCareImport.changed(children, in: "social_care_children", agencyID: agencyID, sql: sql, report: &report,
                                                             key: \.laChildID, fingerprint: SocialCareImport.fingerprint)
            guard !changed.isEmpty else { return }

            let people = try await link(changed.map(\.0))
            let refused = try await PersonLinking.RefusedLinks(sql, records: changed.compactMap(\.2))
            try await SocialCareImport.remove(changed.compactMap(\.2), from: "social_care_children",
                                              records: ["protection_plans", "cin_plans", "section47_enquiries", "assessments", "referrals"], sql: sql)

            var childRows: [[any Encodable & Sendable]] = []
            var referralRows: [[any Encodable & Sendable]] = []
            var assessmentRows: [[any Encodable & Sendable]] = []
            var s47Rows: [[any Encodable & Sendable]] = []
            var cinPlanRows: [[any Encodable & Sendable]] = []
            var planRows: [[any Encodable & Sendable]] = []
            var identifierRows: [(person: UUID, laChildID: String)] = []
            for (child, fingerprint, oldID) in changed {
                let id = oldID ?? UUID()
                if oldID == nil { report.accepted += 1 } else { report.updated += 1 }
                let person = refused.allowing(people[child.laChildID], for: oldID)
                if person == nil { report.unmatched += 1 } else { report.matched += 1 }
                if let person { identifierRows.append((person, child.laChildID)) }
                childRows.append([id, agencyID, child.laChildID, person, child.upn, child.dateOfBirth?.description, child.expectedDateOfBirth?.description,
                                  child.sex?.rawValue, child.ethnicity, child.disabilities.joined(separator: ","), fingerprint, recorder.runID, now])
                for episode in child.episodes {
                    let referral = UUID()
                    referralRows.append([referral, id, person, episode.referralDate.description, episode.referralSource, episode.primaryNeed,
                                         episode.closureDate?.description, episode.closureReason, episode.initialCPCDate?.description, episode.referralNFA])
                    for a in episode.assessments {
                        assessmentRows.append([UUID(), id, referral, a.start.description, a.authorised?.description, a.factors.joined(separator: ",")])
                    }
                    for s in episode.section47s {
                        s47Rows.append([UUID(), id, referral, s.start.description, s.icpcTarget?.description, s.icpcDate?.description, s.icpcNotRequired])
                    }
                    for p in episode.cinPlans {
                        cinPlanRows.append([UUID(), id, referral, p.start.description, p.end?.description])
                    }
                    for p in episode.protectionPlans {
                        planRows.append([UUID(), id, referral, person, p.start.description, p.end?.description, p.initialCategory, p.latestCategory,
                                         p.previousPlans, p.reviews.map(\.description).joined(separator: ",")])
                    }
                }
            }
            try await sql.insertRows("social_care_children", ["id", "agency_id", "la_child_id", "person_id", "upn", "date_of_birth", "expected_date_of_birth",
                                                      "sex", "ethnicity", "disabilities", "fingerprint", "import_run_id", "updated_at"], childRows)
            try await sql.insertRows("referrals", ["id", "child_id", "person_id", "referral_date", "source", "primary_need", "closure_date", "closure_reason",
                                           "initial_cpc_date", "no_further_action"], referralRows)
            try await sql.insertRows("assessments", ["id", "child_id", "referral_id", "start_date", "authorised_date", "factors"], assessmentRows)
            try await sql.insertRows("section47_enquiries", ["id", "child_id", "referral_id", "start_date", "icpc_target", "icpc_date", "icpc_not_required"], s47Rows)
            try await sql.insertRows("cin_plans", ["id", "child_id", "referral_id", "start_date", "end_date"], cinPlanRows)
            try await sql.insertRows("protection_plans", ["id", "child_id", "referral_id", "person_id", "start_date", "end_date", "initial_category",
                                                  "latest_category", "previous_plans", "review_dates"], planRows)
            try await SocialCareImport.recordLAChildIDs(identifierRows, agencyID: agencyID, sql: sql)
        }

        mutating func link(_ children: [CINChild]) async throws -> [String: UUID] {
            let (people, conflicts) = try await SocialCareImport.link(
                children.map { ChildKey(laChildID: $0.laChildID, upn: $0.upn, born: $0.dateOfBirth ?? $0.expectedDateOfBirth) }, agencyID: agencyID, sql: sql)
            report.conflicts += conflicts
            return people
        }

        mutating func finish() async throws {
            try await recorder.finish(&report, referenceDate: referenceDate?.description, userID: options.userID, actor: options.actor, on: db) { r in
                "CIN census \(r.file): \(r.accepted) new children, \(r.updated) updated, \(r.unchanged) unchanged, \(r.quarantined) quarantined"
            }
        }
    }

    /// The children whose record differs from what the last extract left in `table` (each with
    /// its fingerprint and the id of the record it replaces); the rest are counted unchanged.
    static func changed<Child>(_ children: [Child], in table: String, agencyID: UUID, sql: any SQLDatabase, report: inout FeedImportReport,
                               key: (Child) -> String, fingerprint: (Child) -> String) async throws -> [(Child, String, UUID?)] {
        var held: [String: (id: UUID, fingerprint: String, personID: UUID?)] = [:]
        for chunk in children.map(key).chunked(500) {
            for row in try await sql.raw("""
                SELECT id, la_child_id, fingerprint, person_id FROM \(ident: table) \
                WHERE agency_id = \(bind: agencyID) AND \(sql.isIn("la_child_id", chunk))
                """).all() {
                held[try row.decode(column: "la_child_id", as: String.self)] = (
                    try row.decode(column: "id", as: UUID.self), try row.decode(column: "fingerprint", as: String.self),
                    try row.decode(column: "person_id", as: UUID?.self))
            }
        }
        var changed: [(Child, String, UUID?)] = []
        for child in children {
            let print = fingerprint(child)
            if let old = held[key(child)], old.fingerprint == print {
                report.unchanged += 1
                if old.personID == nil { report.unmatched += 1 } else { report.matched += 1 }
                continue
            }
            changed.append((child, print, held[key(child)]?.id))
        }
        return changed
    }

    /// Removes the children a newer extract replaces: their rows in `records` (by `child_id`),
    /// then the children themselves in `table`.
    static func remove(_ ids: [UUID], from table: String, records: [String], sql: any SQLDatabase) async throws {
        for chunk in ids.chunked(500) {
            for rows in records {
                try await sql.raw("DELETE FROM \(ident: rows) WHERE child_id IN (\(bindList: Array(chunk)))").run()
            }
            try await sql.raw("DELETE FROM \(ident: table) WHERE id IN (\(bindList: Array(chunk)))").run()
        }
    }

    /// A child as a social care extract names them, for finding their person.
    struct ChildKey {
        let laChildID: String
        let upn: String?
        let born: CivilDate?
    }

    /// The person each child is, by the local authority's own child ID, else by UPN; a person
    /// whose date of birth differs from the child's is not taken (counted in `conflicts`, the
    /// record kept unmatched for review).
    static func link(_ children: [ChildKey], agencyID: UUID, sql: any SQLDatabase) async throws -> (people: [String: UUID], conflicts: Int) {
        var byLAID: [String: UUID] = [:]
        for chunk in children.map(\.laChildID).chunked(500) {
            for row in try await sql.raw("""
                SELECT person_id, value FROM person_identifiers WHERE kind = 'la-child-id' AND scope = \(bind: agencyID.uuidString) \
                AND \(sql.isIn("value", chunk))
                """).all() {
                byLAID[try row.decode(column: "value", as: String.self)] = try row.decode(column: "person_id", as: UUID.self)
            }
        }
        let byUPN = try await sql.people(withIdentifier: .upn, children.compactMap(\.upn))
        let candidates = Set(byLAID.values).union(byUPN.values)
        var born: [UUID: String] = [:]
        for chunk in Array(candidates).chunked(500) {
            for row in try await sql.raw("SELECT id, date_of_birth, expected_date_of_birth FROM people WHERE id IN (\(bindList: Array(chunk)))").all() {
                if let dob = try row.decode(column: "date_of_birth", as: String?.self) ?? (try row.decode(column: "expected_date_of_birth", as: String?.self)) {
                    born[try row.decode(column: "id", as: UUID.self)] = dob
                }
            }
        }
        var people: [String: UUID] = [:]
        var conflicts = 0
        for child in children {
            guard let person = byLAID[child.laChildID] ?? child.upn.flatMap({ byUPN[$0] }) else { continue }
            if let childBorn = child.born?.description, let theirs = born[person], theirs != childBorn {
                conflicts += 1
                continue
            }
            people[child.laChildID] = person
        }
        return (people, conflicts)
    }

    /// A linked child's LAchildID joins the person's identifiers (scoped to the local authority).
    static func recordLAChildIDs(_ links: [(person: UUID, laChildID: String)], agencyID: UUID, sql: any SQLDatabase) async throws {
        for chunk in links.chunked(200) {
            var builder = sql.insert(into: PersonIdentifier.schema).columns("id", "person_id", "kind", "value", "agency_id", "scope")
            for link in chunk {
                builder = builder.values(SQLBind(UUID()), SQLBind(link.person), SQLBind(IdentifierKind.laChildID.rawValue), SQLBind(link.laChildID),
                                         SQLBind(agencyID), SQLBind(agencyID.uuidString))
            }
            try await builder.ignoringConflicts(with: ["kind", "scope", "value"]).run()
        }
    }

    /// A stable digest of everything a child's record holds (not where in the file it was): the
    /// same child in a re-sent file has the same fingerprint.
    static func fingerprint(_ child: CINChild) -> String {
        var text = [child.laChildID, child.upn ?? "", child.formerUPN ?? "", child.upnUnknown ?? "", child.dateOfBirth?.description ?? "",
                    child.expectedDateOfBirth?.description ?? "", child.sex?.rawValue ?? "", child.deathDate?.description ?? "",
                    child.ethnicity ?? "", child.disabilities.joined(separator: ",")].joined(separator: "|")
        func d(_ date: CivilDate?) -> String { date?.description ?? "" }
        for e in child.episodes {
            text += "#R" + [d(e.referralDate), e.referralSource ?? "", e.primaryNeed ?? "", d(e.closureDate), e.closureReason ?? "",
                            d(e.initialCPCDate), e.referralNFA ? "1" : "0"].joined(separator: "|")
            for a in e.assessments { text += "#A" + [d(a.start), d(a.authorised), a.factors.joined(separator: ",")].joined(separator: "|") }
            for p in e.cinPlans { text += "#C" + d(p.start) + "|" + d(p.end) }
            for s in e.section47s { text += "#S" + [d(s.start), d(s.icpcTarget), d(s.icpcDate), s.icpcNotRequired ? "1" : "0"].joined(separator: "|") }
            for p in e.protectionPlans {
                text += "#P" + [d(p.start), d(p.end), p.initialCategory, p.latestCategory, String(p.previousPlans),
                                p.reviews.map(\.description).joined(separator: ",")].joined(separator: "|")
            }
        }
        return fnv(text)
    }

    /// FNV-1a, 64 bits, as hex: a digest that is the same in every process (Swift's Hasher is not).
    static func fnv(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
