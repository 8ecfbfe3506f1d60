import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// A child as a line in a list.
public struct ChildSummary: Sendable, Equatable {
    public let id: UUID
    public let kind: PersonKind
    public let givenName: String
    public let familyName: String
    public let sex: Sex
    public let dateOfBirth: CivilDate?
    public let expectedDateOfBirth: CivilDate?
    public let postcode: String?
    public let nhsNumber: String?
    public let upn: String?
}

/// What a person searching for a child typed, already validated.
public struct ChildSearch: Sendable, Equatable {
    public var name: String?
    public var nhsNumber: NHSNumber?
    public var upn: UPN?
    public var postcode: Postcode?
    public var dateOfBirth: CivilDate?
    public var page: Int

    public init(name: String? = nil, nhsNumber: NHSNumber? = nil, upn: UPN? = nil, postcode: Postcode? = nil, dateOfBirth: CivilDate? = nil, page: Int = 1) {
        self.name = name
        self.nhsNumber = nhsNumber
        self.upn = upn
        self.postcode = postcode
        self.dateOfBirth = dateOfBirth
        self.page = max(1, page)
    }

    public var isEmpty: Bool {
        (name ?? "").isEmpty && nhsNumber == nil && upn == nil && postcode == nil && dateOfBirth == nil
    }
}

public struct ChildSearchResult: Sendable {
    public let children: [ChildSummary]
    public let page: Int
    public let hasMore: Bool
}

/// A child's record as a practitioner sees it.
public struct ChildRecord: Sendable {
    public struct IdentifierLine: Sendable, Equatable {
        public let kind: IdentifierKind
        public let value: String
        public let agencyName: String?
    }
    public struct RelationshipLine: Sendable, Equatable {
        public let personID: UUID
        /// How the other person relates to this child, in words ("Parent or carer", "Sibling", …).
        public let description: String
        public let name: String
        public let kind: PersonKind
        public let dateOfBirth: CivilDate?
    }
    public struct EnrolmentLine: Sendable, Equatable {
        public let schoolName: String
        public let urn: Int?
        public let from: CivilDate?
        public let to: CivilDate?
    }

    public let summary: ChildSummary
    public let address: String?
    public let identifiers: [IdentifierLine]
    public let relationships: [RelationshipLine]
    public let enrolments: [EnrolmentLine]
}

/// Refused: the viewer's role may not open child records (analysts see counts only).
public struct ChildAccessDenied: Error, Sendable {}

/// A piece of the store that reads and writes child data for one viewer, through their
/// `ChildDirectory` (the one access policy's scope, the viewer's today).
protocol ThroughDirectory: Sendable {
    var directory: ChildDirectory { get }
}

extension ThroughDirectory {
    var db: any Database { directory.db }
    var sql: any SQLDatabase { directory.sql }
    var viewer: Viewer { directory.viewer }
}

/// The only door to child data. Every list, search and record of a child goes through here,
/// filtered by `AccessPolicy`, and every record opened is written to the audit trail. A child the
/// viewer may not see is answered exactly like a child that does not exist.
public struct ChildDirectory: Sendable {
    public let db: any Database
    public let viewer: Viewer
    public let today: CivilDate
    public let scope: ChildScope
    /// Whether opening a record writes it to the audit trail: always, except in the audit
    /// benchmark's comparison server (`serve --demo --benchmark-unaudited-reads`).
    public let auditsReads: Bool
    /// The server's group commit for the audit trail; without one (the command line, tests) each
    /// read is appended in a transaction of its own.
    public let auditWriter: AuditWriter?

    public static let pageSize = 50

    public init(db: any Database, viewer: Viewer, today: CivilDate = .today(), auditsReads: Bool = true, auditWriter: AuditWriter? = nil) {
        self.db = db
        self.viewer = viewer
        self.today = today
        self.scope = AccessPolicy.scope(for: viewer)
        self.auditsReads = auditsReads
        self.auditWriter = auditWriter
    }

    /// Records that the viewer read the child's record (or part of it): returns once the entry is
    /// committed, so nothing of the record may be shown before this returns.
    public func auditRead(_ personID: UUID, detail: String, clientAddress: String?) async throws {
        guard auditsReads else { return }
        try await audit(.childRecordRead, personID: personID, detail: detail, clientAddress: clientAddress)
    }

    /// Records, in the viewer's name, what they looked at (a record, a list, a board, a search):
    /// through the server's group commit when there is one (one insert for many requests' entries),
    /// else straight onto the chain. Returns once the entry is committed.
    public func audit(_ action: AuditAction, personID: UUID? = nil, detail: String, clientAddress: String?) async throws {
        let entry = AuditLog.entry(action, userID: viewer.userID, actor: viewer.email, personID: personID,
                                   detail: detail, clientAddress: clientAddress)
        if let auditWriter, !db.inTransaction {
            try await auditWriter.append(entry)
        } else {
            try await AuditChain.append(entry, on: db)
        }
    }

    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// The people the agency holds a record of (the access policy's `agencyRecords`).
    static func agencyRecords(_ agencyID: UUID) -> SQLQueryString {
        "SELECT person_id FROM person_identifiers WHERE agency_id = \(bind: agencyID)"
    }

    /// The condition for the children in scope, on the column holding a person's id (by default
    /// `p.id`, people aliased `p`), or nil when none are.
    func scopeCondition(personColumn: String = "p.id") -> SQLQueryString? {
        switch scope {
        case .everyChild, .aggregatesOnly:
            return "1 = 1"
        case .linkedToAgency(let agencyID):
            let cutoff = today.adding(months: -AccessPolicy.formerPupilMonths).description
            let records = Self.agencyRecords(agencyID)
            // Each cohort is a set of people, but the households, kept as a table (HouseholdScopes),
            // which is a condition of its own.
            var conditions: [SQLQueryString] = []
            let parts: [SQLQueryString] = AccessPolicy.cohorts(for: viewer).flatMap { cohort -> [SQLQueryString] in
                switch cohort {
                case .agencyRecords:
                    return [records]
                case .schoolRoll:
                    return ["SELECT person_id FROM school_enrolments WHERE agency_id = \(bind: agencyID) AND (to_date IS NULL OR to_date >= \(bind: cutoff))"]
                case .pupilsOfConcern:
                    return [
                        """
                        SELECT person_id FROM school_enrolments WHERE agency_id = \(bind: agencyID) AND (to_date IS NULL OR to_date >= \(bind: cutoff)) \
                        AND person_id IN (SELECT person_id FROM list_entries WHERE status IN ('proposed', 'agreed'))
                        """,
                        "SELECT person_id FROM encompass_notices WHERE addressee_agency_id = \(bind: agencyID) AND person_id IS NOT NULL",
                    ]
                case .households:
                    conditions.append(HouseholdScopes.condition(agencyID: agencyID, personColumn: personColumn, on: sql))
                    return []
                case .lookedAfterOrSocialWorker:
                    return ["SELECT person_id FROM looked_after_children WHERE person_id IS NOT NULL",
                            "SELECT person_id FROM social_care_children WHERE person_id IS NOT NULL"]
                case .breakGlass:
                    return ["SELECT person_id FROM break_glass_grants WHERE user_id = \(bind: viewer.userID) AND expires_at > \(bind: Date())"]
                }
            }
            if let first = parts.first {
                let union = parts.dropFirst().reduce(first) { $0 + " UNION " + $1 }
                conditions.insert("\(unsafeRaw: personColumn) IN (\(union))", at: 0)
            }
            guard let first = conditions.first else { return nil }
            return conditions.count == 1 ? first : "(" + conditions.dropFirst().reduce(first) { $0 + " OR " + $1 } + ")"
        case .nothing:
            return nil
        }
    }

    /// Whether the child exists and is in the viewer's scope (not audited: no data is returned).
    public func isVisible(_ id: UUID) async throws -> Bool {
        guard scope.mayOpenRecords, let condition = scopeCondition() else { return false }
        return try await sql.raw("SELECT p.id FROM people p WHERE p.id = \(bind: id) AND \(Self.childKinds) AND \(condition)").first() != nil
    }

    /// A pupil a school's safeguarding lead may propose for the list although the policy does not
    /// show them the pupil's record: on the school's roll now or in the last 12 months. Only the
    /// name, birth date and UPN, looked up by UPN or by name and birth date; audited as a search.
    public func pupilsToPropose(upn: UPN?, name: String?, dateOfBirth: CivilDate?) async throws -> [ChildSummary] {
        guard viewer.role == .safeguardingLead, viewer.agencyKind.isEducationSetting, case .linkedToAgency = scope else { return [] }
        let cutoff = today.adding(months: -AccessPolicy.formerPupilMonths).description
        var query: SQLQueryString = """
            SELECT \(Self.summaryColumns) FROM people p WHERE \(Self.childKinds) AND p.id IN (SELECT person_id FROM school_enrolments \
            WHERE agency_id = \(bind: viewer.agencyID) AND (to_date IS NULL OR to_date >= \(bind: cutoff)))
            """
        if let upn {
            query = query + " AND p.id IN (SELECT person_id FROM person_identifiers WHERE kind = 'upn' AND value = \(bind: upn.value))"
        } else if let name = name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty, let dateOfBirth {
            for word in name.lowercased().split(separator: " ").prefix(4) {
                let pattern = "%" + Self.escapeLike(String(word)) + "%"
                query = query + " AND LOWER(p.given_name || ' ' || p.family_name) LIKE \(bind: pattern) ESCAPE '\\'"
            }
            query = query + " AND p.date_of_birth = \(bind: dateOfBirth.description)"
        } else {
            return []
        }
        let found = try await sql.raw(query + " ORDER BY p.family_name, p.given_name LIMIT 10").all().map(Self.summary(from:))
        try await AuditLog.record(.childSearch, on: db, userID: viewer.userID, actor: viewer.email,
                                  detail: "looked up pupils on the roll to propose (\(upn != nil ? "by UPN" : "by name and date of birth")): \(found.count) found")
        return found
    }

    /// The pupil's summary when `pupilsToPropose` would find them (for the proposal form).
    public func pupilToPropose(_ id: UUID) async throws -> ChildSummary? {
        guard viewer.role == .safeguardingLead, viewer.agencyKind.isEducationSetting, case .linkedToAgency = scope else { return nil }
        let cutoff = today.adding(months: -AccessPolicy.formerPupilMonths).description
        return try await sql.raw("""
            SELECT \(Self.summaryColumns) FROM people p WHERE p.id = \(bind: id) AND \(Self.childKinds) AND p.id IN (SELECT person_id FROM school_enrolments \
            WHERE agency_id = \(bind: viewer.agencyID) AND (to_date IS NULL OR to_date >= \(bind: cutoff)))
            """).first().map(Self.summary(from:))
    }

    /// The child's name, birth date and identifiers if the viewer may see them, for checking what
    /// is recorded about the child (not audited: a page that shows a child opens the `record`).
    public func summary(id: UUID) async throws -> ChildSummary? {
        guard scope.mayOpenRecords, let condition = scopeCondition() else { return nil }
        return try await sql.raw("""
            SELECT \(Self.summaryColumns) FROM people p WHERE p.id = \(bind: id) AND \(Self.childKinds) AND \(condition)
            """).first().map(Self.summary(from:))
    }

    /// What `summary(from:)` reads, people aliased `p`.
    static let summaryColumns: SQLQueryString = """
        p.id, p.kind, p.given_name, p.family_name, p.sex, p.date_of_birth, p.expected_date_of_birth, p.postcode, \
        (SELECT i.value FROM person_identifiers i WHERE i.person_id = p.id AND i.kind = 'nhs-number' LIMIT 1) AS nhs_number, \
        (SELECT i.value FROM person_identifiers i WHERE i.person_id = p.id AND i.kind = 'upn' LIMIT 1) AS upn
        """

    static let childKinds: SQLQueryString = "p.kind IN ('child', 'unborn-child')"

    /// How many children (born and unborn) the viewer may count; nil when they may not.
    public func count() async throws -> Int? {
        guard let condition = scopeCondition() else { return nil }
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM people p WHERE \(Self.childKinds) AND \(condition)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Children matching the search, a page at a time, sorted by family name.
    public func search(_ search: ChildSearch) async throws -> ChildSearchResult {
        guard scope.mayOpenRecords, let condition = scopeCondition() else { throw ChildAccessDenied() }
        var query: SQLQueryString = """
        SELECT \(Self.summaryColumns) FROM people p WHERE \(Self.childKinds) AND \(condition)
        """
        if let name = search.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty {
            for word in name.lowercased().split(separator: " ").prefix(4) {
                let pattern = "%" + Self.escapeLike(String(word)) + "%"
                query = query + " AND LOWER(p.given_name || ' ' || p.family_name) LIKE \(bind: pattern) ESCAPE '\\'"
            }
        }
        if let nhs = search.nhsNumber {
            query = query + " AND p.id IN (SELECT person_id FROM person_identifiers WHERE kind = 'nhs-number' AND value = \(bind: nhs.digits))"
        }
        if let upn = search.upn {
            query = query + " AND p.id IN (SELECT person_id FROM person_identifiers WHERE kind = 'upn' AND value = \(bind: upn.value))"
        }
        if let postcode = search.postcode {
            query = query + " AND p.postcode = \(bind: postcode.normalised)"
        }
        if let dob = search.dateOfBirth {
            query = query + " AND (p.date_of_birth = \(bind: dob.description) OR p.expected_date_of_birth = \(bind: dob.description))"
        }
        let offset = (search.page - 1) * Self.pageSize
        query = query + " ORDER BY p.family_name, p.given_name, p.id LIMIT \(unsafeRaw: String(Self.pageSize + 1)) OFFSET \(unsafeRaw: String(offset))"
        let rows = try await sql.raw(query).all()
        let children = try rows.prefix(Self.pageSize).map(Self.summary(from:))
        return ChildSearchResult(children: children, page: search.page, hasMore: rows.count > Self.pageSize)
    }

    /// Opens one child's record, writing the read to the audit trail. Nil both when the child does
    /// not exist and when the viewer may not see them.
    public func record(id: UUID, clientAddress: String? = nil) async throws -> ChildRecord? {
        guard let (row, outsideEntry) = try await scopedRow(id, columns: "\(Self.summaryColumns), p.address") else { return nil }
        let summary = try Self.summary(from: row)
        let address = try row.decode(column: "address", as: String?.self)
        // The read goes on record while the rest of the record is read; both finish before it is returned.
        async let audited: Void = auditRead(id, detail: openedDetail, clientAddress: clientAddress)

        let identifiers = try await sql.raw("""
            SELECT i.kind, i.value, a.name AS agency_name FROM person_identifiers i \
            LEFT JOIN agencies a ON a.id = i.agency_id WHERE i.person_id = \(bind: id) ORDER BY i.kind, i.value
            """).all().compactMap { row -> ChildRecord.IdentifierLine? in
                guard let kind = IdentifierKind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
                return .init(kind: kind, value: try row.decode(column: "value", as: String.self),
                             agencyName: try row.decode(column: "agency_name", as: String?.self))
            }

        // The relationship as seen from this child: "from" is the parent/carer of "to".
        let relationRows = try await sql.raw("""
            SELECT r.kind, r.from_person_id, r.to_person_id, o.id AS other_id, o.kind AS other_kind, \
            o.given_name, o.family_name, o.date_of_birth \
            FROM person_relationships r JOIN people o ON o.id = CASE WHEN r.from_person_id = \(bind: id) THEN r.to_person_id ELSE r.from_person_id END \
            WHERE r.from_person_id = \(bind: id) OR r.to_person_id = \(bind: id) ORDER BY o.date_of_birth, o.family_name
            """).all()
        let relationships = try relationRows.map { row -> ChildRecord.RelationshipLine in
            let kind = RelationshipKind(rawValue: try row.decode(column: "kind", as: String.self))
            let childIsFrom = try row.decode(column: "from_person_id", as: UUID.self) == id
            let description: String
            switch kind {
            case .parentOrCarer?: description = childIsFrom ? "Child of this person" : "Parent or carer"
            case .sibling?: description = "Sibling"
            case .householdMember?: description = "Household member"
            case nil: description = "Related"
            }
            return .init(
                personID: try row.decode(column: "other_id", as: UUID.self),
                description: description,
                name: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                kind: PersonKind(rawValue: try row.decode(column: "other_kind", as: String.self)) ?? .adult,
                dateOfBirth: try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init))
        }

        let enrolments = try await sql.raw("""
            SELECT a.name, a.urn, e.from_date, e.to_date FROM school_enrolments e JOIN agencies a ON a.id = e.agency_id \
            WHERE e.person_id = \(bind: id) ORDER BY e.from_date DESC
            """).all().map { row in
                ChildRecord.EnrolmentLine(
                    schoolName: try row.decode(column: "name", as: String.self),
                    urn: try row.decode(column: "urn", as: Int?.self),
                    from: CivilDate(try row.decode(column: "from_date", as: String.self)),
                    to: try row.decode(column: "to_date", as: String?.self).flatMap(CivilDate.init))
            }

        try await audited
        if let outsideEntry { try await notifyOutsideView(of: id, entryID: outsideEntry, on: db) }
        return ChildRecord(summary: summary, address: address, identifiers: identifiers, relationships: relationships, enrolments: enrolments)
    }

    /// A read of the child's record for a page kept from an earlier read (`PageCache` in the
    /// server): the same access check, audit entry and outside-view task as `record`, without
    /// reading the record again. False when the viewer may not open it.
    public func open(id: UUID, clientAddress: String? = nil) async throws -> Bool {
        guard let (_, outsideEntry) = try await scopedRow(id, columns: "p.id") else { return false }
        try await auditRead(id, detail: openedDetail, clientAddress: clientAddress)
        if let outsideEntry { try await notifyOutsideView(of: id, entryID: outsideEntry, on: db) }
        return true
    }

    /// The child's row when the viewer may open the record; an audited read also learns, in the
    /// same query, whether it is a look from outside (OutsideViews).
    private func scopedRow(_ id: UUID, columns: SQLQueryString) async throws -> (row: any SQLRow, outsideEntry: UUID?)? {
        guard scope.mayOpenRecords, let condition = scopeCondition() else { return nil }
        let outside: SQLQueryString = auditsReads ? ", \(outsideViewEntry(personColumn: "p.id")) AS outside_view_entry" : ""
        guard let row = try await sql.raw("""
            SELECT \(columns)\(outside) FROM people p WHERE p.id = \(bind: id) AND \(Self.childKinds) AND \(condition)
            """).first() else { return nil }
        return (row, auditsReads ? try row.decode(column: "outside_view_entry", as: UUID?.self) : nil)
    }

    private var openedDetail: String { "\(viewer.role.rawValue) at \(viewer.agencyName) opened the record" }

    static func summary(from row: any SQLRow) throws -> ChildSummary {
        ChildSummary(
            id: try row.decode(column: "id", as: UUID.self),
            kind: PersonKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .child,
            givenName: try row.decode(column: "given_name", as: String.self),
            familyName: try row.decode(column: "family_name", as: String.self),
            sex: Sex(rawValue: try row.decode(column: "sex", as: String.self)) ?? .unknown,
            dateOfBirth: try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init),
            expectedDateOfBirth: try row.decode(column: "expected_date_of_birth", as: String?.self).flatMap(CivilDate.init),
            postcode: try row.decode(column: "postcode", as: String?.self),
            nhsNumber: try row.decode(column: "nhs_number", as: String?.self),
            upn: try row.decode(column: "upn", as: String?.self))
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
