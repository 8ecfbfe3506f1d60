import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds

extension SocialCareImport {
    /// Imports the local authority's SSDA903 return (STANDARDS §2), the folder of CSV tables or
    /// the XML form: each looked-after child with their periods of care, missing episodes,
    /// reviews and care-leaver return.
    ///
    /// As the CIN census: a child is applied whole, the same return twice changes nothing, a
    /// child in a newer return replaces that child's records from the older one, and children
    /// are linked to people by LAchildID, else by UPN (a date of birth that disagrees keeps the
    /// record unmatched, for review). A placement whose postcode district is not one the area's
    /// agencies are in is marked out of the area. One transaction.
    /// - Throws: ``FeedFileError`` when the return cannot be imported at all (recorded in the
    ///   history with the reason; nothing applied).
    public static func ssda903(path: String, sourceName: String? = nil, on db: any Database, options: Options,
                               today: CivilDate = .today()) async throws -> FeedImportReport {
        let started = Date()
        let name = sourceName ?? (path as NSString).lastPathComponent
        var agencyID = options.agencyID
        do {
            let agency = try await sendingAgency(options.agencyID, file: name, what: "an SSDA903 return", on: db)
            agencyID = agency.id
            let reader = try SSDA903Reader(path: path, latestDate: today)
            let items = BackgroundBatches<SSDA903Reader.Item, any Error>(batchSize: childrenPerBatch, maxQueued: 8) { emit in
                try reader.read { item in
                    guard emit(item) else { throw CancellationError() }
                }
            }
            defer { items.cancel() }
            var report = try await db.writeTransaction { tx in
                var writer = try await LookedAfterWriter(db: tx, agency: agency, options: options, file: name, started: started)
                while let batch = try await items.nextBatch() {
                    var children: [SSDA903Child] = []
                    for item in batch {
                        switch item {
                        case .child(let child): children.append(child)
                        case .problem(let problem): try await writer.recorder.quarantine(problem)
                        }
                    }
                    try await writer.write(children)
                }
                writer.report.recordsRead = reader.childrenRead
                try await writer.finish()
                return writer.report
            }
            report.seconds = Date().timeIntervalSince(started)
            return report
        } catch let error as FeedFileError {
            try await ImportRecorder.rejected(kind: "ssda903", file: name, agencyID: agencyID, started: started, error: error,
                                              audit: .feedImported, userID: options.userID, actor: options.actor, on: db)
            throw error
        }
    }

    /// The postcode districts (outward codes) of the area: where its agencies are.
    static func areaDistricts(on sql: any SQLDatabase) async throws -> Set<String> {
        var districts: Set<String> = []
        for row in try await sql.raw("SELECT DISTINCT postcode FROM agencies WHERE postcode IS NOT NULL").all() {
            if let district = try row.decode(column: "postcode", as: String.self).split(separator: " ").first { districts.insert(district.uppercased()) }
        }
        return districts
    }

    /// The work of one SSDA903 import, inside its transaction.
    struct LookedAfterWriter {
        let db: any Database
        let sql: any SQLDatabase
        let agencyID: UUID
        let options: Options
        let districts: Set<String>
        var recorder: ImportRecorder
        var report: FeedImportReport
        let now = Date()

        init(db: any Database, agency: Agency, options: Options, file: String, started: Date) async throws {
            self.db = db
            self.sql = db as! any SQLDatabase
            self.agencyID = agency.id!
            self.options = options
            self.report = FeedImportReport(kind: "ssda903", file: file)
            if sql.dialect.name == "postgresql" {
                try await sql.raw("LOCK TABLE looked_after_children IN EXCLUSIVE MODE").run()
            }
            districts = try await SocialCareImport.areaDistricts(on: sql)
            recorder = try await ImportRecorder.start(kind: "ssda903", file: file, agencyID: agencyID, started: started, on: db)
            report.runID = recorder.runID
        }

        func outOfArea(_ postcode: String?) -> Bool {
            guard let district = postcode?.split(separator: " ").first, !districts.isEmpty else { return false }
            return !districts.contains(String(district))
        }

        mutating func write(_ children: [SSDA903Child]) async throws {
            guard !children.isEmpty else { return }
            let changed = try await SocialCareImport.changed(children, in: "looked_after_children", agencyID: agencyID, sql: sql, report: &report,
                                                             key: \.childID, fingerprint: SocialCareImport.fingerprint)
            guard !changed.isEmpty else { return }

            let (people, conflicts) = try await SocialCareImport.link(
                changed.map { ChildKey(laChildID: $0.0.childID, upn: $0.0.upn, born: $0.0.dateOfBirth) }, agencyID: agencyID, sql: sql)
            report.conflicts += conflicts
            let refused = try await PersonLinking.RefusedLinks(sql, records: changed.compactMap(\.2))
            try await SocialCareImport.remove(changed.compactMap(\.2), from: "looked_after_children",
                                              records: ["looked_after_reviews", "missing_episodes", "care_episodes"], sql: sql)

            var childRows: [[any Encodable & Sendable]] = []
            var episodeRows: [[any Encodable & Sendable]] = []
            var missingRows: [[any Encodable & Sendable]] = []
            var reviewRows: [[any Encodable & Sendable]] = []
            var identifiers: [(person: UUID, laChildID: String)] = []
            for (child, fingerprint, oldID) in changed {
                let id = oldID ?? UUID()
                if oldID == nil { report.accepted += 1 } else { report.updated += 1 }
                let person = refused.allowing(people[child.childID], for: oldID)
                if person == nil { report.unmatched += 1 } else { report.matched += 1 }
                if let person { identifiers.append((person, child.childID)) }
                childRows.append([id, agencyID, child.childID, person, child.upn, child.dateOfBirth?.description, child.sex?.rawValue, child.ethnicity,
                                  child.careLeaver?.inTouch, child.careLeaver?.activity, child.careLeaver?.accommodation, fingerprint, recorder.runID, now])
                for e in child.episodes {
                    episodeRows.append([UUID(), id, person, e.start.description, e.end?.description, e.reasonNew, e.legalStatus, e.need, e.placement,
                                        e.provider, e.reasonEnded, e.reasonPlaceChange, e.homePostcode, e.placementPostcode, e.urn, outOfArea(e.placementPostcode)])
                }
                for m in child.missing {
                    missingRows.append([UUID(), id, person, m.kind, m.start.description, m.end?.description])
                }
                for r in child.reviews {
                    reviewRows.append([UUID(), id, r.date.description, r.participation])
                }
            }
            try await sql.insertRows("looked_after_children", ["id", "agency_id", "la_child_id", "person_id", "upn", "date_of_birth", "sex", "ethnicity",
                                                               "in_touch", "activity", "accommodation", "fingerprint", "import_run_id", "updated_at"], childRows)
            try await sql.insertRows("care_episodes", ["id", "child_id", "person_id", "start_date", "end_date", "reason_new", "legal_status", "need",
                                                       "placement", "provider", "reason_ended", "reason_place_change", "home_postcode",
                                                       "placement_postcode", "urn", "out_of_area"], episodeRows)
            try await sql.insertRows("missing_episodes", ["id", "child_id", "person_id", "kind", "start_date", "end_date"], missingRows)
            try await sql.insertRows("looked_after_reviews", ["id", "child_id", "review_date", "participation"], reviewRows)
            try await SocialCareImport.recordLAChildIDs(identifiers, agencyID: agencyID, sql: sql)
        }

        mutating func finish() async throws {
            try await recorder.finish(&report, userID: options.userID, actor: options.actor, on: db) { r in
                "SSDA903 \(r.file): \(r.accepted) new children, \(r.updated) updated, \(r.unchanged) unchanged, \(r.quarantined) quarantined"
            }
        }
    }

    /// Everything an SSDA903 child's record holds (not where in the files it was).
    static func fingerprint(_ child: SSDA903Child) -> String {
        func d(_ date: CivilDate?) -> String { date?.description ?? "" }
        var text = [child.childID, child.sex?.rawValue ?? "", d(child.dateOfBirth), child.ethnicity ?? "", child.upn ?? "", child.upnUnknown ?? ""]
            .joined(separator: "|")
        for e in child.episodes {
            text += "#E" + [d(e.start), e.reasonNew, e.legalStatus, e.need ?? "", e.placement, e.provider ?? "", d(e.end), e.reasonEnded ?? "",
                            e.reasonPlaceChange ?? "", e.homePostcode ?? "", e.placementPostcode ?? "", e.urn.map(String.init) ?? ""].joined(separator: "|")
        }
        for m in child.missing { text += "#M" + [m.kind, d(m.start), d(m.end)].joined(separator: "|") }
        for r in child.reviews { text += "#R" + d(r.date) + "|" + (r.participation ?? "") }
        if let c = child.careLeaver { text += "#L" + [c.inTouch, c.activity ?? "", c.accommodation ?? ""].joined(separator: "|") }
        return fnv(text)
    }
}

/// A child's care as the local authority's SSDA903 return records it, as the viewer may see it.
public struct LookedAfterRecord: Sendable, Equatable {
    public struct Episode: Sendable, Equatable {
        public let start: CivilDate
        public let end: CivilDate?
        /// Code and label, e.g. ("C2", "Full care order").
        public let legalStatus: (code: String, label: String)
        public let placement: (code: String, label: String)
        public let reasonEnded: (code: String, label: String)?
        /// Where the child is placed: only for children's social care (nil otherwise).
        public let placementPostcode: String?
        public let outOfArea: Bool

        public static func == (a: Self, b: Self) -> Bool {
            a.start == b.start && a.end == b.end && a.legalStatus.code == b.legalStatus.code && a.placement.code == b.placement.code
                && a.reasonEnded?.code == b.reasonEnded?.code && a.placementPostcode == b.placementPostcode && a.outOfArea == b.outOfArea
        }
    }
    public struct Missing: Sendable, Equatable {
        /// "missing" or "away from placement without authorisation".
        public let kind: String
        public let start: CivilDate
        public let end: CivilDate?
    }

    /// Newest first.
    public let episodes: [Episode]
    public let missing: [Missing]
    public let reviews: [CivilDate]
    /// The care leaver's latest return, e.g. "in touch: yes".
    public let careLeaverInTouch: String?

    /// Looked after now: a period of care with no end.
    public var isLookedAfter: Bool { episodes.contains { $0.end == nil } }
}

extension SocialCare {
    /// The child's care from the SSDA903 return; nil when there is none (or the viewer may not see the child).
    public func lookedAfter(forChild personID: UUID) async throws -> LookedAfterRecord? {
        guard try await directory.isVisible(personID) else { return nil }
        let children = try await sql.raw("""
            SELECT id, in_touch FROM looked_after_children WHERE person_id = \(bind: personID) ORDER BY updated_at DESC
            """).all()
        guard let first = children.first else { return nil }
        let ids = try children.map { try $0.decode(column: "id", as: UUID.self) }
        let seesWhere = directory.viewer.agencyKind == .laChildrensSocialCare
        func date(_ row: any SQLRow, _ column: String) throws -> CivilDate? { try row.decode(column: column, as: String?.self).flatMap(CivilDate.init) }
        let episodes = try await sql.raw("""
            SELECT start_date, end_date, legal_status, placement, reason_ended, placement_postcode, out_of_area FROM care_episodes \
            WHERE child_id IN (\(bindList: ids)) ORDER BY start_date DESC
            """).all().compactMap { row -> LookedAfterRecord.Episode? in
            guard let start = try date(row, "start_date") else { return nil }
            let legal = try row.decode(column: "legal_status", as: String.self), place = try row.decode(column: "placement", as: String.self)
            return .init(start: start, end: try date(row, "end_date"), legalStatus: (legal, LookedAfterCodes.legalStatus[legal] ?? legal),
                         placement: (place, LookedAfterCodes.placement[place] ?? place),
                         reasonEnded: try row.decode(column: "reason_ended", as: String?.self).map { ($0, LookedAfterCodes.reasonEnded[$0] ?? $0) },
                         placementPostcode: seesWhere ? try row.decode(column: "placement_postcode", as: String?.self) : nil,
                         outOfArea: try row.decode(column: "out_of_area", as: Bool.self))
        }
        let missing = try await sql.raw("""
            SELECT kind, start_date, end_date FROM missing_episodes WHERE child_id IN (\(bindList: ids)) ORDER BY start_date DESC
            """).all().compactMap { row -> LookedAfterRecord.Missing? in
            guard let start = try date(row, "start_date") else { return nil }
            let kind = try row.decode(column: "kind", as: String.self) == "M" ? "missing" : "away from placement without authorisation"
            return .init(kind: kind, start: start, end: try date(row, "end_date"))
        }
        let reviews = try await sql.raw("SELECT review_date FROM looked_after_reviews WHERE child_id IN (\(bindList: ids)) ORDER BY review_date DESC")
            .all().compactMap { try date($0, "review_date") }
        let inTouch = try first.decode(column: "in_touch", as: String?.self).map { LookedAfterCodes.inTouch[$0] ?? $0 }
        return LookedAfterRecord(episodes: episodes, missing: missing, reviews: reviews, careLeaverInTouch: inTouch)
    }
}
