import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// A feed's record of a child that no person in the index was found for: the feeds keep such
/// records (nothing is dropped) until someone matches them here.
public struct UnmatchedRecord: Sendable, Equatable {
    /// The feeds whose records can be matched by hand.
    public enum Feed: String, Sendable, CaseIterable {
        case cin, ssda903, referrals, health, people

        public var title: String {
            switch self {
            case .cin: "CIN census"
            case .ssda903: "SSDA903 (looked after)"
            case .referrals: "Front-door referrals"
            case .health: "Health caseloads"
            case .people: "Other agencies' caseloads"
            }
        }

        /// The table, and how its rows name the agency's reference, the child and their identifiers.
        var table: String {
            switch self {
            case .cin: "social_care_children"
            case .ssda903: "looked_after_children"
            case .referrals: "front_door_referrals"
            case .health: "health_caseload_entries"
            case .people: "agency_caseload_entries"
            }
        }
        var reference: String {
            switch self {
            case .cin, .ssda903: "la_child_id"
            case .referrals: "referral_id"
            case .health, .people: "local_id"
            }
        }
        var hasNames: Bool { ![.cin, .ssda903].contains(self) }
        var hasNHS: Bool { [.referrals, .health, .people].contains(self) }
        var hasUPN: Bool { self != .health }
        var hasSex: Bool { self != .referrals }
        var hasPostcode: Bool { [.health, .people].contains(self) }
        /// The tables whose rows hang from the record (`child_id`) and follow its person.
        var dependentTables: [String] {
            switch self {
            case .cin: ["referrals", "protection_plans"]
            case .ssda903: ["care_episodes", "missing_episodes"]
            case .referrals, .health, .people: []
            }
        }
        /// Rows that are not a child's (a mother's own midwifery row) or cannot be matched (no date of birth).
        var only: String {
            switch self {
            case .health: " AND NOT (t.caseload = 'midwifery' AND t.mother_local_id IS NULL)"
            default: ""
            }
        }
    }

    /// A person in the index who may be the record's child, with why.
    public struct Candidate: Sendable, Equatable {
        public let personID: UUID
        public let name: String
        public let dateOfBirth: CivilDate?
        public let postcode: String?
        /// E.g. "same date of birth and surname", "same UPN, born 2014-05-05".
        public let why: String
        /// The linking model's weighing of the pair, when its last run kept it for review.
        public let suggestion: LinkSuggestion?
        let score: Int
    }

    public let feed: Feed
    /// The record's row id in its feed's table.
    public let id: UUID
    public let agency: String
    /// The sending agency's reference for the record (LAchildID, local id, referral id).
    public let reference: String
    /// Nil for the feeds that carry no names (the CIN census, SSDA903).
    public let name: String?
    public let dateOfBirth: CivilDate?
    public let sex: Sex?
    public let upn: String?
    public let nhsNumber: String?
    public internal(set) var candidates: [Candidate]
}

/// Matching the feeds' unmatched records to people by hand: children's social care (the owner of
/// the person index) sees each record with the people it may be and links it to one; the link is
/// applied to the record's rows as an import would have, and audited.
public struct RecordMatching: Sendable {
    public let directory: ChildDirectory
    var sql: any SQLDatabase { directory.sql }

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    /// Unmatched records per feed, and the first `limit` of them (oldest first), each with up to 5 candidates.
    public func unmatched(limit: Int = 100) async throws -> (counts: [UnmatchedRecord.Feed: Int], records: [UnmatchedRecord]) {
        guard AccessPolicy.worksAcrossTheArea(directory.viewer) else { throw ChildAccessDenied() }
        var counts: [UnmatchedRecord.Feed: Int] = [:]
        var records: [UnmatchedRecord] = []
        for feed in UnmatchedRecord.Feed.allCases {
            counts[feed] = try await sql.raw("""
                SELECT COUNT(*) AS n FROM \(ident: feed.table) t WHERE t.person_id IS NULL\(unsafeRaw: feed.only)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard records.count < limit else { continue }
            let names = feed.hasNames ? "t.forename, t.surname" : "NULL AS forename, NULL AS surname"
            for row in try await sql.raw("""
                SELECT t.id, a.name AS agency, t.\(ident: feed.reference) AS reference, \(unsafeRaw: names), t.date_of_birth, \
                \(unsafeRaw: feed.hasSex ? "t.sex" : "NULL AS sex"), \(unsafeRaw: feed.hasUPN ? "t.upn" : "NULL AS upn"), \
                \(unsafeRaw: feed.hasNHS ? "t.nhs_number" : "NULL AS nhs_number") \
                FROM \(ident: feed.table) t JOIN agencies a ON a.id = t.agency_id \
                LEFT JOIN (SELECT record_id, MAX(decided_at) AS skipped FROM link_decisions WHERE decision = 'skipped' GROUP BY record_id) s \
                ON s.record_id = t.id WHERE t.person_id IS NULL\(unsafeRaw: feed.only) \
                ORDER BY CASE WHEN s.skipped IS NULL THEN 0 ELSE 1 END, s.skipped, t.updated_at, t.id LIMIT \(literal: limit - records.count)
                """).all() {
                let name = [try row.decode(column: "forename", as: String?.self), try row.decode(column: "surname", as: String?.self)].compactMap { $0 }
                records.append(UnmatchedRecord(
                    feed: feed, id: try row.decode(column: "id", as: UUID.self), agency: try row.decode(column: "agency", as: String.self),
                    reference: try row.decode(column: "reference", as: String.self), name: name.isEmpty ? nil : name.joined(separator: " "),
                    dateOfBirth: try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init),
                    sex: try row.decode(column: "sex", as: String?.self).flatMap(Sex.init(rawValue:)),
                    upn: try row.decode(column: "upn", as: String?.self), nhsNumber: try row.decode(column: "nhs_number", as: String?.self),
                    candidates: []))
            }
        }
        try await addCandidates(&records)
        try await AuditLog.record(.childSearch, on: directory.db, userID: directory.viewer.userID, actor: directory.viewer.email,
                                  detail: "viewed the records to match (\(records.count) shown, \(counts.values.reduce(0, +)) in all)")
        return (counts, records)
    }

    /// The people each record may be: the same date of birth, or the same UPN or NHS number
    /// (however they were born), ranked by what else agrees.
    func addCandidates(_ records: inout [UnmatchedRecord]) async throws {
        guard !records.isEmpty else { return }
        struct Person { let id: UUID; let given: String; let family: String; let dob: CivilDate?; let sex: Sex?; let postcode: String? }
        var people: [UUID: Person] = [:]
        var byDOB: [String: [UUID]] = [:]
        func load(_ rows: [any SQLRow]) throws {
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let dob = try row.decode(column: "date_of_birth", as: String?.self)
                people[id] = Person(id: id, given: try row.decode(column: "given_name", as: String.self), family: try row.decode(column: "family_name", as: String.self),
                                    dob: dob.flatMap(CivilDate.init), sex: Sex(rawValue: try row.decode(column: "sex", as: String.self)),
                                    postcode: try row.decode(column: "postcode", as: String?.self))
                if let dob { byDOB[dob, default: []].append(id) }
            }
        }
        let columns: SQLQueryString = "id, given_name, family_name, date_of_birth, sex, postcode"
        for chunk in Array(Set(records.compactMap { $0.dateOfBirth?.description })).chunked(300) {
            try load(try await sql.raw("SELECT \(columns) FROM people WHERE kind = 'child' AND \(sql.isIn("date_of_birth", chunk))").all())
        }
        let byUPN = try await sql.people(withIdentifier: .upn, records.compactMap(\.upn))
        let byNHS = try await sql.people(withIdentifier: .nhsNumber, records.compactMap(\.nhsNumber))
        let rejected = try await PersonLinking.rejectedPairs(sql, records: records.map(\.id))
        let suggested = try await PersonLinking.suggestions(sql, records: records.map(\.id), leavingOut: rejected)
        let missing = Set(byUPN.values).union(byNHS.values).union(suggested.values.flatMap { $0.map(\.personID) }).subtracting(people.keys)
        for chunk in Array(missing).chunked(300) {
            try load(try await sql.raw("SELECT \(columns) FROM people WHERE id IN (\(bindList: Array(chunk)))").all())
        }
        for k in records.indices {
            let r = records[k]
            var found: [UUID: (score: Int, why: [String])] = [:]
            for (byValue, value, label) in [(byUPN, r.upn, "UPN"), (byNHS, r.nhsNumber, "NHS number")] {
                if let value, let id = byValue[value] { found[id, default: (0, [])].score += 100; found[id]!.why.append("same \(label)") }
            }
            for id in r.dateOfBirth.flatMap({ byDOB[$0.description] }) ?? [] { found[id, default: (0, [])].score += 10; found[id]!.why.append("same date of birth") }
            for suggestion in suggested[r.id] ?? [] where found[suggestion.personID] == nil { found[suggestion.personID] = (0, []) }
            // Names compared whole, so a surname or forename of two words ("Ó Briain", "Mary Jane") counts.
            func words(_ text: String) -> String { text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            let name = words(r.name ?? "")
            var candidates: [UnmatchedRecord.Candidate] = []
            for (id, var hit) in found {
                guard let p = people[id], !rejected.contains(.init(record: r.id, person: id)) else { continue }
                let (family, given) = (words(p.family), words(p.given))
                if !family.isEmpty, name == family || name.hasSuffix(" " + family) { hit.score += 20; hit.why.append("same surname") }
                if !given.isEmpty, name.hasPrefix(given + " ") { hit.score += 15; hit.why.append("same forename") }
                if let sex = r.sex, sex != .unknown, sex == p.sex { hit.score += 2 }
                if let dob = r.dateOfBirth, let theirs = p.dob, dob != theirs { hit.why.append("born \(theirs)") }
                candidates.append(.init(personID: id, name: "\(p.given) \(p.family)", dateOfBirth: p.dob, postcode: p.postcode,
                                        why: hit.why.joined(separator: ", "), suggestion: suggested[r.id]?.first { $0.personID == id },
                                        score: hit.score))
            }
            // The model's weighing first (most likely first), then the plain clues.
            records[k].candidates = Array(candidates.sorted {
                ($0.suggestion?.weight ?? -.infinity, $0.score, $0.name) > ($1.suggestion?.weight ?? -.infinity, $1.score, $1.name)
            }.prefix(5))
        }
    }

    /// Links the record to the person, as an import would have: the record's rows point at them,
    /// their LAchildID joins the person's identifiers (social care feeds) or the sending agency is
    /// linked to them (health, other agencies). Audited. Throws when the record is already
    /// matched or gone, or the person is not a child in the index.
    public func link(_ feed: UnmatchedRecord.Feed, recordID: UUID, to personID: UUID) async throws {
        guard AccessPolicy.worksAcrossTheArea(directory.viewer) else { throw ChildAccessDenied() }
        let viewer = directory.viewer
        try await directory.db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            let reference = try await Self.apply(feed, recordID: recordID, to: personID, sql: sql)
            try await PersonLinking.remember(.same, feed: feed, recordID: recordID, personID: personID, by: viewer.email, sql: sql)
            try await AuditLog.record(.recordMatched, on: tx, userID: viewer.userID, actor: viewer.email, personID: personID,
                                      detail: "matched \(feed.title) record \(reference) to the child by hand")
        }
    }

    /// Says the record is not the child: remembered, so neither the review queue nor a later
    /// linking run offers the pair again. Audited.
    public func reject(_ feed: UnmatchedRecord.Feed, recordID: UUID, person personID: UUID) async throws {
        guard AccessPolicy.worksAcrossTheArea(directory.viewer) else { throw ChildAccessDenied() }
        let viewer = directory.viewer
        try await directory.db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            let reference = try await Self.unmatchedReference(feed, recordID: recordID, sql: sql)
            try await PersonLinking.remember(.notSame, feed: feed, recordID: recordID, personID: personID, by: viewer.email, sql: sql)
            try await AuditLog.record(.recordMatched, on: tx, userID: viewer.userID, actor: viewer.email, personID: personID,
                                      detail: "said \(feed.title) record \(reference) is not the child")
        }
    }

    /// Leaves the record for later: it goes to the end of the queue.
    public func skip(_ feed: UnmatchedRecord.Feed, recordID: UUID) async throws {
        guard AccessPolicy.worksAcrossTheArea(directory.viewer) else { throw ChildAccessDenied() }
        let viewer = directory.viewer
        try await directory.db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            _ = try await Self.unmatchedReference(feed, recordID: recordID, sql: sql)
            try await PersonLinking.remember(.skipped, feed: feed, recordID: recordID, personID: nil, by: viewer.email, sql: sql)
        }
    }

    /// A feed's record linked to a child: what the child's page lists by agency, each with the
    /// way to undo the link.
    public struct LinkedRecord: Sendable, Equatable {
        public let feed: UnmatchedRecord.Feed
        public let id: UUID
        public let agency: String
        public let reference: String
        /// As the record has them (nil for the feeds that carry no names).
        public let name: String?
        public let dateOfBirth: CivilDate?
    }

    /// Every feed record linked to the child, by agency then feed. Children's social care only
    /// (the owner of the person index); the child page's read is audited already.
    public func linkedRecords(of personID: UUID) async throws -> [LinkedRecord] {
        guard AccessPolicy.worksAcrossTheArea(directory.viewer) else { throw ChildAccessDenied() }
        var out: [LinkedRecord] = []
        for feed in UnmatchedRecord.Feed.allCases {
            let names = feed.hasNames ? "t.forename, t.surname" : "NULL AS forename, NULL AS surname"
            for row in try await sql.raw("""
                SELECT t.id, a.name AS agency, t.\(ident: feed.reference) AS reference, \(unsafeRaw: names), t.date_of_birth \
                FROM \(ident: feed.table) t JOIN agencies a ON a.id = t.agency_id WHERE t.person_id = \(bind: personID) ORDER BY reference
                """).all() {
                let name = [try row.decode(column: "forename", as: String?.self), try row.decode(column: "surname", as: String?.self)].compactMap { $0 }
                out.append(LinkedRecord(feed: feed, id: try row.decode(column: "id", as: UUID.self), agency: try row.decode(column: "agency", as: String.self),
                                        reference: try row.decode(column: "reference", as: String.self), name: name.isEmpty ? nil : name.joined(separator: " "),
                                        dateOfBirth: try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init)))
            }
        }
        return out.sorted { ($0.agency, $0.feed.title, $0.reference) < ($1.agency, $1.feed.title, $1.reference) }
    }

    /// Undoes a link (by an import, by hand or by the model): the record and the rows that hang
    /// from it no longer count for the child, the identifier the link gave the child (the record's
    /// LAchildID, or the agency's reference) goes unless another of the child's records still
    /// carries it, and "not the same child" is remembered so the linking model never links the pair
    /// again. The record goes back to Records to match. Audited.
    public func unlink(_ feed: UnmatchedRecord.Feed, recordID: UUID, from personID: UUID) async throws {
        guard AccessPolicy.worksAcrossTheArea(directory.viewer) else { throw ChildAccessDenied() }
        let viewer = directory.viewer
        try await directory.db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            guard let row = try await sql.raw("""
                SELECT agency_id, \(ident: feed.reference) AS reference FROM \(ident: feed.table) WHERE id = \(bind: recordID) AND person_id = \(bind: personID)
                """).first() else { throw MatchingError(message: "the record is not linked to this child (any more)") }
            let agencyID = try row.decode(column: "agency_id", as: UUID.self)
            let reference = try row.decode(column: "reference", as: String.self)
            try await sql.raw("UPDATE \(ident: feed.table) SET person_id = NULL WHERE id = \(bind: recordID)").run()
            for table in feed.dependentTables {
                try await sql.raw("UPDATE \(ident: table) SET person_id = NULL WHERE child_id = \(bind: recordID)").run()
            }
            // The identifier the link gave the child, unless another of the child's records carries it too.
            let identifier: (kind: IdentifierKind, value: String, stillCarried: SQLQueryString)
            switch feed {
            case .cin, .ssda903, .referrals:
                let laChildID = feed == .referrals
                    ? try await sql.raw("SELECT la_child_id FROM front_door_referrals WHERE id = \(bind: recordID)").first()!.decode(column: "la_child_id", as: String.self)
                    : reference
                identifier = (.laChildID, laChildID, """
                    SELECT 1 FROM social_care_children WHERE person_id = \(bind: personID) AND la_child_id = \(bind: laChildID) \
                    UNION ALL SELECT 1 FROM looked_after_children WHERE person_id = \(bind: personID) AND la_child_id = \(bind: laChildID) \
                    UNION ALL SELECT 1 FROM front_door_referrals WHERE person_id = \(bind: personID) AND la_child_id = \(bind: laChildID)
                    """)
            case .health:
                let caseload = try await sql.raw("SELECT caseload FROM health_caseload_entries WHERE id = \(bind: recordID)").first()!
                    .decode(column: "caseload", as: String.self)
                identifier = (.agencyLocal, String("\(caseload) \(reference)".prefix(64)), "SELECT 1 WHERE 1 = 0")
            case .people:
                identifier = (.agencyLocal, String("caseload \(reference)".prefix(64)), "SELECT 1 WHERE 1 = 0")
            }
            if try await sql.raw(identifier.stillCarried).first() == nil {
                try await sql.raw("""
                    DELETE FROM person_identifiers WHERE person_id = \(bind: personID) AND kind = \(bind: identifier.kind.rawValue) \
                    AND value = \(bind: identifier.value) AND agency_id = \(bind: agencyID)
                    """).run()
            }
            try await PersonLinking.remember(.notSame, feed: feed, recordID: recordID, personID: personID, by: viewer.email, sql: sql)
            try await AuditLog.record(.recordMatched, on: tx, userID: viewer.userID, actor: viewer.email, personID: personID,
                                      detail: "unlinked \(feed.title) record \(reference) from the child: not the same child")
        }
    }

    /// The record's reference, when it is held and still unmatched.
    static func unmatchedReference(_ feed: UnmatchedRecord.Feed, recordID: UUID, sql: any SQLDatabase) async throws -> String {
        guard let row = try await sql.raw("""
            SELECT \(ident: feed.reference) AS reference FROM \(ident: feed.table) WHERE id = \(bind: recordID) AND person_id IS NULL
            """).first() else { throw MatchingError(message: "the record is already matched, or no longer held") }
        return try row.decode(column: "reference", as: String.self)
    }

    /// Points the record (and the rows that hang from it) at the person, as an import would have:
    /// their LAchildID joins the person's identifiers (social care feeds) or the sending agency is
    /// linked to them (health, other agencies). Returns the record's reference. Throws when the
    /// record is already matched or gone, or the person is not a child in the index.
    static func apply(_ feed: UnmatchedRecord.Feed, recordID: UUID, to personID: UUID, sql: any SQLDatabase) async throws -> String {
        guard let row = try await sql.raw("""
            SELECT agency_id, \(ident: feed.reference) AS reference FROM \(ident: feed.table) WHERE id = \(bind: recordID) AND person_id IS NULL
            """).first() else { throw MatchingError(message: "the record is already matched, or no longer held") }
        guard try await sql.raw("SELECT id FROM people WHERE id = \(bind: personID) AND kind IN ('child', 'unborn-child')").first() != nil else {
            throw MatchingError(message: "there is no such child in the index")
        }
        let agencyID = try row.decode(column: "agency_id", as: UUID.self)
        let reference = try row.decode(column: "reference", as: String.self)
        try await sql.raw("UPDATE \(ident: feed.table) SET person_id = \(bind: personID) WHERE id = \(bind: recordID)").run()
        for table in feed.dependentTables {
            try await sql.raw("UPDATE \(ident: table) SET person_id = \(bind: personID) WHERE child_id = \(bind: recordID)").run()
        }
        switch feed {
        case .cin, .ssda903:
            try await SocialCareImport.recordLAChildIDs([(personID, reference)], agencyID: agencyID, sql: sql)
        case .referrals:
            let laChildID = try await sql.raw("SELECT la_child_id FROM front_door_referrals WHERE id = \(bind: recordID)").first()!
                .decode(column: "la_child_id", as: String.self)
            try await SocialCareImport.recordLAChildIDs([(personID, laChildID)], agencyID: agencyID, sql: sql)
        case .health:
            let caseload = try await sql.raw("SELECT caseload FROM health_caseload_entries WHERE id = \(bind: recordID)").first()!
                .decode(column: "caseload", as: String.self)
            try await sql.linkToAgency([(personID, "\(caseload) \(reference)")], agencyID: agencyID)
        case .people:
            try await sql.linkToAgency([(personID, "caseload \(reference)")], agencyID: agencyID)
        }
        try await sql.raw("DELETE FROM link_suggestions WHERE feed = \(bind: feed.rawValue) AND record_id = \(bind: recordID)").run()
        return reference
    }
}

public struct MatchingError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
