import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// Where an entry on the agreed list stands.
public enum ListStatus: String, CaseIterable, Sendable {
    /// Proposed by a practitioner, waiting for the agreement quorum.
    case proposed
    /// Agreed by the local authority and enough partner agencies, or by a partnership meeting.
    case agreed
    /// Not agreed, with a reason.
    case declined
    /// Taken off the list, with a reason.
    case removed

    public var title: String {
        switch self {
        case .proposed: "Proposed"
        case .agreed: "Agreed"
        case .declined: "Declined"
        case .removed: "Removed"
        }
    }

    public var isActive: Bool { self == .proposed || self == .agreed }
}

/// One child's entry on the agreed list, as a practitioner sees it.
public struct ListEntry: Sendable, Equatable {
    public struct Agreement: Sendable, Equatable {
        public let agencyName: String
        public let agencyIsLocalAuthority: Bool
        public let actor: String
        public let at: Date
    }

    public let id: UUID
    public let personID: UUID
    public let childName: String
    public let dateOfBirth: CivilDate?
    public let status: ListStatus
    public let risk: RiskLevel
    public let riskRationale: String
    public let reasons: [ListReason]
    public let reasonOther: String?
    public let leadAgencyID: UUID
    public let leadAgencyName: String
    public let leadProfessional: String
    public let reviewDate: CivilDate
    public let proposedByAgencyName: String?
    public let proposedAt: Date
    public let agreedAt: Date?
    public let meetingDate: CivilDate?
    public let meetingAgencies: String?
    public let closedReason: String?
    public var agreements: [Agreement]

    /// "Child in need; Other: …".
    public var reasonsText: String {
        reasons.map { $0 == .other ? "Other: \(reasonOther ?? "")" : $0.title }.joined(separator: "; ")
    }
}

/// A change to an entry, kept for ever.
public struct ListHistoryLine: Sendable, Equatable {
    public let at: Date
    public let actor: String
    public let action: String
    public let detail: String
}

/// What a practitioner proposes.
public struct ListProposal: Sendable {
    public var personID: UUID
    public var reasons: [ListReason]
    public var reasonOther: String?
    public var risk: RiskLevel
    public var riskRationale: String
    public var leadAgencyID: UUID
    public var leadProfessional: String
    public var reviewDate: CivilDate

    public init(personID: UUID, reasons: [ListReason], reasonOther: String?, risk: RiskLevel, riskRationale: String,
                leadAgencyID: UUID, leadProfessional: String, reviewDate: CivilDate) {
        self.personID = personID
        self.reasons = reasons
        self.reasonOther = reasonOther
        self.risk = risk
        self.riskRationale = riskRationale
        self.leadAgencyID = leadAgencyID
        self.leadProfessional = leadProfessional
        self.reviewDate = reviewDate
    }
}

/// Why a change to the list was refused, in words for the person who asked.
public struct ListError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case notFound, refused, invalid }
    public let kind: Kind
    public let field: String?
    public let message: String

    public init(_ kind: Kind, field: String? = nil, _ message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    public var description: String { (field.map { "\($0): " } ?? "") + message }
    static let notFound = ListError(.notFound, "no such entry")
}

/// The partnership's agreed list. Every read and change goes through the viewer's
/// `ChildDirectory` scope (the one access policy): an entry for a child the viewer may not see
/// does not exist for them. Every change is written to the entry's history and the audit trail.
public struct AgreedList: Sendable {
    public let directory: ChildDirectory
    public var db: any Database { directory.db }
    public var viewer: Viewer { directory.viewer }
    var sql: any SQLDatabase { directory.sql }

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    /// Longest free text kept on an entry.
    public static let maximumTextLength = 2_000

    /// Whether the viewer may propose, agree or record contacts at all.
    public var mayAct: Bool { directory.scope.mayOpenRecords }
    /// Whether the viewer speaks for the local authority (agreeing as it, declining, removing,
    /// recording a partnership meeting's decision).
    public var speaksForLocalAuthority: Bool { viewer.agencyKind == .laChildrensSocialCare && mayAct }

    // MARK: Changes

    /// Proposes a child for the list. The proposer's agency agrees by proposing.
    public func propose(_ proposal: ListProposal, clientAddress: String? = nil) async throws -> UUID {
        guard mayAct else { throw ListError(.refused, "your role cannot propose children for the list") }
        try Self.validate(proposal)
        // A school may propose any pupil on its roll, though it sees only the listed ones.
        var mayPropose = try await directory.isVisible(proposal.personID)
        if !mayPropose { mayPropose = try await directory.pupilToPropose(proposal.personID) != nil }
        guard mayPropose else { throw ListError.notFound }
        guard try await Agency.find(proposal.leadAgencyID, on: db) != nil else {
            throw ListError(.invalid, field: "lead_agency", "choose the lead agency from the list")
        }
        let now = Date()
        let id = UUID()
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            let active = try await sql.raw("""
                SELECT COUNT(*) AS n FROM list_entries WHERE person_id = \(bind: proposal.personID) AND status IN ('proposed', 'agreed')
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard active == 0 else { throw ListError(.refused, "this child is already on the list or proposed for it") }
            try await sql.insert(into: "list_entries")
                .columns("id", "person_id", "status", "risk", "risk_rationale", "reasons", "reason_other", "lead_agency_id",
                         "lead_professional", "review_date", "proposed_by_user_id", "proposed_by_agency_id", "proposed_at", "updated_at")
                .values(SQLBind(id), SQLBind(proposal.personID), SQLBind(ListStatus.proposed.rawValue), SQLBind(proposal.risk.rawValue),
                        SQLBind(proposal.riskRationale), SQLBind(proposal.reasons.map(\.rawValue).joined(separator: ";")),
                        SQLBind(proposal.reasonOther), SQLBind(proposal.leadAgencyID), SQLBind(proposal.leadProfessional),
                        SQLBind(proposal.reviewDate.description), SQLBind(viewer.userID), SQLBind(viewer.agencyID), SQLBind(now), SQLBind(now))
                .run()
            try await EyesOnSeen.refresh(on: sql, personID: proposal.personID)
            try await history(id, "proposed", "\(proposal.risk.title) risk: \(proposal.reasons.map(\.title).joined(separator: "; ")). \(proposal.riskRationale)", on: tx, at: now)
            try await AuditLog.record(.listChanged, on: tx, userID: viewer.userID, actor: viewer.email, personID: proposal.personID,
                                      detail: "proposed for the agreed list", clientAddress: clientAddress, at: now)
            try await addAgreement(id, on: tx, at: now)
            try await settle(id, on: tx, at: now)
        }
        return id
    }

    /// The viewer's agency agrees. The entry is agreed once the local authority and the
    /// policy's number of other partner agencies have.
    @discardableResult
    public func agree(_ entryID: UUID, clientAddress: String? = nil) async throws -> ListStatus {
        guard mayAct else { throw ListError(.refused, "your role cannot agree entries") }
        guard let entry = try await entry(entryID, audited: false) else { throw ListError.notFound }
        guard entry.status == .proposed else { throw ListError(.refused, "this entry is \(entry.status.title.lowercased()), not waiting for agreement") }
        guard !entry.agreements.contains(where: { $0.agencyName == viewer.agencyName }) else {
            throw ListError(.refused, "\(viewer.agencyName) has already agreed")
        }
        let now = Date()
        return try await db.writeTransaction { tx in
            try await addAgreement(entryID, on: tx, at: now)
            try await history(entryID, "agreed", "\(viewer.agencyName) agreed", on: tx, at: now)
            try await AuditLog.record(.listChanged, on: tx, userID: viewer.userID, actor: viewer.email, personID: entry.personID,
                                      detail: "agreed the list entry for \(viewer.agencyName)", clientAddress: clientAddress, at: now)
            return try await settle(entryID, on: tx, at: now)
        }
    }

    /// A partnership meeting agreed the entry: its date and the agencies present.
    public func recordMeetingDecision(_ entryID: UUID, date: CivilDate, agencies: [UUID], clientAddress: String? = nil) async throws {
        guard speaksForLocalAuthority else { throw ListError(.refused, "only children's social care records a partnership meeting's decision") }
        guard let entry = try await entry(entryID, audited: false) else { throw ListError.notFound }
        guard entry.status == .proposed else { throw ListError(.refused, "this entry is \(entry.status.title.lowercased()), not waiting for agreement") }
        guard date <= directory.today else { throw ListError(.invalid, field: "meeting_date", "the meeting date cannot be in the future") }
        let names = try await Agency.query(on: db).filter(\.$id ~~ agencies).all().map(\.name).sorted()
        guard names.count >= 2 else { throw ListError(.invalid, field: "meeting_agencies", "choose at least two agencies present at the meeting") }
        let now = Date()
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.update("list_entries").set("status", to: ListStatus.agreed.rawValue).set("agreed_at", to: now)
                .set("agreed_on", to: date.description).set("meeting_date", to: date.description).set("meeting_agencies", to: names.joined(separator: "; "))
                .set("updated_at", to: now).where("id", .equal, entryID).run()
            try await history(entryID, "agreed by meeting", "partnership meeting on \(date): \(names.joined(separator: ", "))", on: tx, at: now)
            try await AuditLog.record(.listChanged, on: tx, userID: viewer.userID, actor: viewer.email, personID: entry.personID,
                                      detail: "recorded a partnership meeting's agreement (\(date))", clientAddress: clientAddress, at: now)
        }
    }

    /// Declines a proposal (children's social care), with a reason.
    public func decline(_ entryID: UUID, reason: String, clientAddress: String? = nil) async throws {
        try await close(entryID, to: .declined, from: [.proposed], reason: reason, clientAddress: clientAddress)
    }

    /// Takes an agreed child off the list (children's social care), with a reason.
    public func remove(_ entryID: UUID, reason: String, clientAddress: String? = nil) async throws {
        try await close(entryID, to: .removed, from: [.agreed], reason: reason, clientAddress: clientAddress)
    }

    func close(_ entryID: UUID, to status: ListStatus, from: [ListStatus], reason: String, clientAddress: String?) async throws {
        guard speaksForLocalAuthority else { throw ListError(.refused, "only children's social care may decline or remove an entry") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ListError(.invalid, field: "reason", "give the reason") }
        guard reason.count <= Self.maximumTextLength else { throw ListError(.invalid, field: "reason", "the reason must be at most \(Self.maximumTextLength) characters") }
        guard let entry = try await entry(entryID, audited: false) else { throw ListError.notFound }
        guard from.contains(entry.status) else { throw ListError(.refused, "this entry is \(entry.status.title.lowercased())") }
        let now = Date()
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.update("list_entries").set("status", to: status.rawValue).set("closed_reason", to: reason)
                .set("updated_at", to: now).where("id", .equal, entryID).run()
            try await sql.update("tasks").set("state", to: TaskState.cancelled.rawValue)
                .set("state_reason", to: "the child's list entry was \(status.rawValue)").set("closed_at", to: now).set("closed_by", to: viewer.email)
                .where("entry_id", .equal, entryID).where("state", .in, [TaskState.open.rawValue, TaskState.escalated.rawValue]).run()
            try await history(entryID, status.rawValue, reason, on: tx, at: now)
            try await AuditLog.record(.listChanged, on: tx, userID: viewer.userID, actor: viewer.email, personID: entry.personID,
                                      detail: "\(status.rawValue) the list entry", clientAddress: clientAddress, at: now)
        }
    }

    func addAgreement(_ entryID: UUID, on db: any Database, at now: Date) async throws {
        try await (db as! any SQLDatabase).insert(into: "list_agreements")
            .columns("id", "entry_id", "agency_id", "user_id", "actor", "at")
            .values(SQLBind(UUID()), SQLBind(entryID), SQLBind(viewer.agencyID), SQLBind(viewer.userID), SQLBind(viewer.email), SQLBind(now))
            .run()
    }

    /// Marks the entry agreed when the quorum is met; returns its status.
    @discardableResult
    func settle(_ entryID: UUID, on db: any Database, at now: Date) async throws -> ListStatus {
        let sql = db as! any SQLDatabase
        let policy = try await PartnershipSettings.eyesOnPolicy(on: db)
        let kinds = try await sql.raw("""
            SELECT a.kind FROM list_agreements g JOIN agencies a ON a.id = g.agency_id WHERE g.entry_id = \(bind: entryID)
            """).all().map { try $0.decode(column: "kind", as: String.self) }
        let localAuthority = kinds.contains(AgencyKind.laChildrensSocialCare.rawValue)
        let partners = kinds.filter { $0 != AgencyKind.laChildrensSocialCare.rawValue }.count
        guard localAuthority && partners >= policy.partnerAgreementsNeeded else { return .proposed }
        try await sql.update("list_entries").set("status", to: ListStatus.agreed.rawValue).set("agreed_at", to: now)
            .set("agreed_on", to: directory.today.description).set("updated_at", to: now).where("id", .equal, entryID).run()
        // A moment after the agreement that completed the quorum, so the history reads in order.
        try await history(entryID, "agreement reached", "the local authority and \(partners) partner agenc\(partners == 1 ? "y" : "ies") agreed",
                          on: db, at: now.addingTimeInterval(0.001))
        return .agreed
    }

    func history(_ entryID: UUID, _ action: String, _ detail: String, on db: any Database, at now: Date) async throws {
        try await (db as! any SQLDatabase).insert(into: "list_history")
            .columns("id", "entry_id", "at", "user_id", "actor", "action", "detail")
            .values(SQLBind(UUID()), SQLBind(entryID), SQLBind(now), SQLBind(viewer.userID), SQLBind("\(viewer.displayName), \(viewer.agencyName)"),
                    SQLBind(action), SQLBind(String(detail.prefix(Self.maximumTextLength))))
            .run()
    }

    static func validate(_ p: ListProposal) throws(ListError) {
        guard !p.reasons.isEmpty else { throw ListError(.invalid, field: "reasons", "choose at least one reason") }
        if p.reasons.contains(.other) && (p.reasonOther ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ListError(.invalid, field: "reason_other", "say what the other reason is")
        }
        guard !p.riskRationale.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ListError(.invalid, field: "risk_rationale", "give the reason for the risk level")
        }
        guard !p.leadProfessional.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ListError(.invalid, field: "lead_professional", "name the lead professional")
        }
        for (field, text) in [("risk_rationale", p.riskRationale), ("lead_professional", p.leadProfessional), ("reason_other", p.reasonOther ?? "")]
        where text.count > maximumTextLength {
            throw ListError(.invalid, field: field, "must be at most \(maximumTextLength) characters")
        }
    }

    // MARK: Reads

    static let entryColumns: SQLQueryString = """
        e.id, e.person_id, e.status, e.risk, e.risk_rationale, e.reasons, e.reason_other, e.lead_agency_id, la.name AS lead_agency_name, \
        e.lead_professional, e.review_date, pa.name AS proposed_by_agency_name, e.proposed_at, e.agreed_at, e.meeting_date, \
        e.meeting_agencies, e.closed_reason, p.given_name, p.family_name, p.date_of_birth
        """
    static let entryJoins: SQLQueryString = """
        FROM list_entries e JOIN people p ON p.id = e.person_id JOIN agencies la ON la.id = e.lead_agency_id \
        LEFT JOIN agencies pa ON pa.id = e.proposed_by_agency_id
        """

    /// One entry; nil when it does not exist or its child is outside the viewer's scope.
    /// Listing entries is audited by the caller; opening one through here (audited) records a read.
    public func entry(_ id: UUID, audited: Bool = true, clientAddress: String? = nil) async throws -> ListEntry? {
        guard mayAct, let condition = directory.scopeCondition() else { return nil }
        let rows = try await sql.raw("SELECT \(Self.entryColumns) \(Self.entryJoins) WHERE e.id = \(bind: id) AND \(condition)").all()
        guard let row = rows.first else { return nil }
        var entry = try Self.entry(from: row)
        entry.agreements = try await agreements(id)
        if audited {
            try await directory.auditRead(entry.personID, detail: "opened the list entry", clientAddress: clientAddress)
        }
        return entry
    }

    /// Entries in the viewer's scope with one of `statuses`, most worrying first.
    public func entries(_ statuses: [ListStatus], limit: Int = 500) async throws -> [ListEntry] {
        guard mayAct, let condition = directory.scopeCondition() else { return [] }
        let statusList = SQLQueryString(statuses.map { "'\($0.rawValue)'" }.joined(separator: ", "))
        let rows = try await sql.raw("""
            SELECT \(Self.entryColumns) \(Self.entryJoins) WHERE e.status IN (\(statusList)) AND \(condition) \
            ORDER BY CASE e.risk WHEN 'red' THEN 0 WHEN 'amber' THEN 1 ELSE 2 END, p.family_name, p.given_name \
            LIMIT \(unsafeRaw: String(limit))
            """).all()
        var entries = try rows.map(Self.entry(from:))
        if statuses.contains(.proposed) {
            for k in entries.indices where entries[k].status == .proposed { entries[k].agreements = try await agreements(entries[k].id) }
        }
        return entries
    }

    /// Agreed entries whose review date is on or before `by`.
    public func reviewsDue(by date: CivilDate) async throws -> [ListEntry] {
        guard mayAct, let condition = directory.scopeCondition() else { return [] }
        let rows = try await sql.raw("""
            SELECT \(Self.entryColumns) \(Self.entryJoins) WHERE e.status = 'agreed' AND e.review_date <= \(bind: date.description) \
            AND \(condition) ORDER BY e.review_date, p.family_name LIMIT 500
            """).all()
        return try rows.map(Self.entry(from:))
    }

    /// The child's entries (the current one first), for the child page; nil-scope returns none.
    public func entries(forChild personID: UUID) async throws -> [ListEntry] {
        guard mayAct, let condition = directory.scopeCondition() else { return [] }
        let rows = try await sql.raw("""
            SELECT \(Self.entryColumns) \(Self.entryJoins) WHERE e.person_id = \(bind: personID) AND \(condition) ORDER BY e.proposed_at DESC
            """).all()
        var entries = try rows.map(Self.entry(from:))
        for k in entries.indices { entries[k].agreements = try await agreements(entries[k].id) }
        return entries
    }

    public func history(_ entryID: UUID) async throws -> [ListHistoryLine] {
        try await sql.raw("SELECT at, actor, action, detail FROM list_history WHERE entry_id = \(bind: entryID) ORDER BY at, id").all().map {
            ListHistoryLine(at: try $0.decode(column: "at", as: Date.self), actor: try $0.decode(column: "actor", as: String.self),
                            action: try $0.decode(column: "action", as: String.self), detail: try $0.decode(column: "detail", as: String.self))
        }
    }

    func agreements(_ entryID: UUID) async throws -> [ListEntry.Agreement] {
        try await sql.raw("""
            SELECT a.name, a.kind, g.actor, g.at FROM list_agreements g JOIN agencies a ON a.id = g.agency_id \
            WHERE g.entry_id = \(bind: entryID) ORDER BY g.at
            """).all().map {
                ListEntry.Agreement(agencyName: try $0.decode(column: "name", as: String.self),
                                    agencyIsLocalAuthority: try $0.decode(column: "kind", as: String.self) == AgencyKind.laChildrensSocialCare.rawValue,
                                    actor: try $0.decode(column: "actor", as: String.self), at: try $0.decode(column: "at", as: Date.self))
            }
    }

    static func entry(from row: any SQLRow) throws -> ListEntry {
        let reasons = (try row.decode(column: "reasons", as: String.self)).split(separator: ";").compactMap { ListReason(rawValue: String($0)) }
        return ListEntry(
            id: try row.decode(column: "id", as: UUID.self),
            personID: try row.decode(column: "person_id", as: UUID.self),
            childName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
            dateOfBirth: try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init),
            status: ListStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .proposed,
            risk: RiskLevel(rawValue: try row.decode(column: "risk", as: String.self)) ?? .red,
            riskRationale: try row.decode(column: "risk_rationale", as: String.self),
            reasons: reasons,
            reasonOther: try row.decode(column: "reason_other", as: String?.self),
            leadAgencyID: try row.decode(column: "lead_agency_id", as: UUID.self),
            leadAgencyName: try row.decode(column: "lead_agency_name", as: String.self),
            leadProfessional: try row.decode(column: "lead_professional", as: String.self),
            reviewDate: CivilDate(try row.decode(column: "review_date", as: String.self)) ?? CivilDate(year: 2000, month: 1, day: 1)!,
            proposedByAgencyName: try row.decode(column: "proposed_by_agency_name", as: String?.self),
            proposedAt: try row.decode(column: "proposed_at", as: Date.self),
            agreedAt: try row.decode(column: "agreed_at", as: Date?.self),
            meetingDate: try row.decode(column: "meeting_date", as: String?.self).flatMap(CivilDate.init),
            meetingAgencies: try row.decode(column: "meeting_agencies", as: String?.self),
            closedReason: try row.decode(column: "closed_reason", as: String?.self),
            agreements: [])
    }
}
