import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// An Operation Encompass notice: only what STANDARDS §7.2 lets a school be told — that police
/// attended a domestic abuse incident and the child was present, witnessed it or was involved,
/// the police reference, the date and time, the risk level, and the child's name and date of
/// birth. Never the adults' identities.
public struct EncompassNotice: Sendable, Equatable {
    public enum Status: String, Sendable { case due, overdue, acknowledged }

    public let id: UUID
    public let reference: String
    public let occurredOn: CivilDate
    public let minuteOfDay: Int
    public let riskLevel: String?
    public let childName: String
    public let childDateOfBirth: CivilDate?
    public let presence: String
    public let schoolURN: Int?
    public let addresseeID: UUID
    public let addresseeName: String
    public let forceName: String
    public let personID: UUID?
    public let dueAt: Date
    public let acknowledgedAt: Date?
    public let acknowledgedBy: String?
    public let support: String?

    public func status(at now: Date) -> Status {
        acknowledgedAt != nil ? .acknowledged : (now > dueAt ? .overdue : .due)
    }

    public var time: String { String(format: "%02d:%02d", minuteOfDay / 60, minuteOfDay % 60) }
}

/// Who sees which notices, and the school's acknowledgement. A school's safeguarding lead sees
/// the notices sent to their school and acknowledges them; children's social care sees every
/// notice and acknowledges those sent to the front door (children with no known school); the
/// police force sees its own incidents' notices — which are overdue or unacknowledged.
public struct Encompass: Sendable {
    public enum Reach: Sendable, Equatable {
        case addressedTo(UUID)
        case force(UUID)
        case everyNotice
        case none
    }

    public let db: any Database
    public let viewer: Viewer
    var sql: any SQLDatabase { db as! any SQLDatabase }

    public init(db: any Database, viewer: Viewer) {
        self.db = db
        self.viewer = viewer
    }

    public var reach: Reach { Self.reach(for: viewer) }

    public static func reach(for viewer: Viewer) -> Reach {
        switch viewer.role {
        case .safeguardingLead where viewer.agencyKind.isEducationSetting: .addressedTo(viewer.agencyID)
        case .policeOfficer where viewer.agencyKind == .policeForce: .force(viewer.agencyID)
        case .socialWorker, .frontDoor: viewer.agencyKind == .laChildrensSocialCare ? .everyNotice : .none
        default: .none
        }
    }

    var condition: SQLQueryString? {
        switch reach {
        case .addressedTo(let id): "n.addressee_agency_id = \(bind: id)"
        case .force(let id): "i.agency_id = \(bind: id)"
        case .everyNotice: "1 = 1"
        case .none: nil
        }
    }

    static let select: SQLQueryString = """
        SELECT n.id, i.reference, i.occurred_on, i.occurred_minute, i.risk_level, n.child_name, n.child_date_of_birth, n.presence, \
        n.school_urn, n.addressee_agency_id, a.name AS addressee_name, f.name AS force_name, n.person_id, n.due_at, n.acknowledged_at, \
        n.acknowledged_by, n.support FROM encompass_notices n JOIN police_incidents i ON i.id = n.incident_id \
        JOIN agencies a ON a.id = n.addressee_agency_id JOIN agencies f ON f.id = i.agency_id
        """

    static func notice(_ row: any SQLRow) throws -> EncompassNotice {
        EncompassNotice(
            id: try row.decode(column: "id", as: UUID.self), reference: try row.decode(column: "reference", as: String.self),
            occurredOn: CivilDate(try row.decode(column: "occurred_on", as: String.self)) ?? CivilDate(daysSince1970: 0),
            minuteOfDay: try row.decode(column: "occurred_minute", as: Int.self), riskLevel: try row.decode(column: "risk_level", as: String?.self),
            childName: try row.decode(column: "child_name", as: String.self),
            childDateOfBirth: try row.decode(column: "child_date_of_birth", as: String?.self).flatMap(CivilDate.init),
            presence: try row.decode(column: "presence", as: String.self), schoolURN: try row.decode(column: "school_urn", as: Int?.self),
            addresseeID: try row.decode(column: "addressee_agency_id", as: UUID.self), addresseeName: try row.decode(column: "addressee_name", as: String.self),
            forceName: try row.decode(column: "force_name", as: String.self), personID: try row.decode(column: "person_id", as: UUID?.self),
            dueAt: try row.decode(column: "due_at", as: Date.self), acknowledgedAt: try row.decode(column: "acknowledged_at", as: Date?.self),
            acknowledgedBy: try row.decode(column: "acknowledged_by", as: String?.self), support: try row.decode(column: "support", as: String?.self))
    }

    /// The viewer's notices, newest incident first; `openOnly` keeps those not yet acknowledged.
    public func notices(openOnly: Bool = false, limit: Int = 500) async throws -> [EncompassNotice] {
        guard let condition else { throw ChildAccessDenied() }
        let open: SQLQueryString = openOnly ? " AND n.acknowledged_at IS NULL" : ""
        return try await sql.raw("""
            \(Self.select) WHERE \(condition)\(open) ORDER BY i.occurred_on DESC, i.occurred_minute DESC, n.child_name LIMIT \(unsafeRaw: String(limit))
            """).all().map(Self.notice)
    }

    /// One notice, read in the audit trail as a read of the child's record; nil when there is
    /// none the viewer may see (the same answer either way).
    public func notice(_ id: UUID, clientAddress: String? = nil) async throws -> EncompassNotice? {
        guard let condition else { return nil }
        guard let row = try await sql.raw("\(Self.select) WHERE n.id = \(bind: id) AND \(condition)").first() else { return nil }
        let notice = try Self.notice(row)
        try await AuditLog.record(.childRecordRead, on: db, userID: viewer.userID, actor: viewer.email, personID: notice.personID,
                                  detail: "opened the Operation Encompass notice for \(notice.childName), police reference \(notice.reference)",
                                  clientAddress: clientAddress)
        return notice
    }

    /// Whether the viewer acknowledges this notice: its addressee (the school's safeguarding
    /// lead, or children's social care for the front door).
    public func mayAcknowledge(_ notice: EncompassNotice) -> Bool {
        switch reach {
        case .addressedTo(let id): notice.addresseeID == id
        case .everyNotice: notice.addresseeID == viewer.agencyID
        default: false
        }
    }

    /// Acknowledges the notice (the first time) and records the support given (each time).
    public func acknowledge(_ id: UUID, support: String, clientAddress: String? = nil) async throws {
        let text = support.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let notice = try await notice(id, clientAddress: clientAddress), mayAcknowledge(notice) else {
            throw ListError(.notFound, "there is no such notice for you to acknowledge")
        }
        guard !text.isEmpty else { throw ListError(.invalid, field: "support", "say what support the school is giving, or will give") }
        guard text.count <= EyesOn.maximumTextLength else {
            throw ListError(.invalid, field: "support", "the support is longer than \(EyesOn.maximumTextLength) characters")
        }
        let now = Date()
        var update = sql.update("encompass_notices").set("support", to: text).set("support_recorded_at", to: now)
        if notice.acknowledgedAt == nil { update = update.set("acknowledged_at", to: now).set("acknowledged_by", to: "\(viewer.displayName), \(viewer.agencyName)") }
        try await update.where("id", .equal, id).run()
        try await AuditLog.record(.taskChanged, on: db, userID: viewer.userID, actor: viewer.email, personID: notice.personID,
                                  detail: "acknowledged the Operation Encompass notice \(notice.reference) and recorded the support given", clientAddress: clientAddress)
    }

    /// The notices about a child the viewer may see (for the child page's timeline).
    public func notices(forChild personID: UUID, directory: ChildDirectory) async throws -> [EncompassNotice] {
        guard try await directory.isVisible(personID) else { return [] }
        return try await sql.raw("\(Self.select) WHERE n.person_id = \(bind: personID) ORDER BY i.occurred_on DESC").all().map(Self.notice)
    }
}
