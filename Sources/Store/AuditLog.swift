import Foundation
import FluentKit

/// What happened, in the audit trail's words.
public enum AuditAction: String, Sendable, CaseIterable {
    case signIn = "sign-in"
    case signInFailed = "sign-in-failed"
    case signInLocked = "sign-in-refused-locked"
    case signOut = "sign-out"
    case childRecordRead = "child-record-read"
    case childSearch = "child-search"
    case userCreated = "user-created"
    case demoLoaded = "demo-loaded"
    case calendarImported = "calendar-imported"
    case settingChanged = "setting-changed"
    case listChanged = "list-changed"
    case contactRecorded = "contact-recorded"
    case taskChanged = "task-changed"
    case attendanceImported = "attendance-imported"
    case feedImported = "feed-imported"
    case boardViewed = "board-viewed"
    case recordMatched = "record-matched"
    case seriousIncidentRecorded = "serious-incident-recorded"
    case seriousIncidentExported = "serious-incident-exported"
    case conferenceRecorded = "conference-recorded"
    case visitRecorded = "visit-recorded"
    case placementRecorded = "placement-recorded"
}

/// Appends to the audit trail. Entries are never updated or deleted.
public enum AuditLog {
    public static func record(
        _ action: AuditAction,
        on db: any Database,
        userID: UUID? = nil,
        actor: String? = nil,
        personID: UUID? = nil,
        detail: String = "",
        clientAddress: String? = nil,
        at: Date = Date()
    ) async throws {
        let event = AuditEvent()
        event.at = at
        event.userID = userID
        event.actor = actor
        event.action = action.rawValue
        event.personID = personID
        event.detail = detail
        event.clientAddress = clientAddress
        try await event.create(on: db)
    }

    /// The newest entries first.
    public static func recent(on db: any Database, limit: Int = 100, personID: UUID? = nil) async throws -> [AuditEvent] {
        var query = AuditEvent.query(on: db).sort(\.$at, .descending).limit(limit)
        if let personID { query = query.filter(\.$personID == personID) }
        return try await query.all()
    }
}
