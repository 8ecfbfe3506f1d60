import Foundation
import FluentKit

/// What happened, in the audit trail's words.
public enum AuditAction: String, Sendable, CaseIterable {
    case signIn = "sign-in"
    case signInFailed = "sign-in-failed"
    case signInLocked = "sign-in-refused-locked"
    case signInThrottled = "sign-in-refused-throttled"
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
    case auditSearched = "audit-searched"
    case breakGlass = "break-glass"
    case userDisabled = "user-disabled"
    case userEnabled = "user-enabled"
    case twoFactorSetUp = "two-factor-set-up"
    case twoFactorReset = "two-factor-reset"
    case informationShared = "information-shared"
    case sharingDeclined = "information-not-shared"
    case backupWritten = "backup-written"
    case backupRestored = "backup-restored"
    case returnComputed = "return-computed"
    case returnPrepared = "return-prepared"
    case returnSignedOff = "return-signed-off"
    case returnExported = "return-exported"
    case returnListViewed = "return-list-viewed"
    case workforceRecorded = "workforce-recorded"
    case governanceRecorded = "governance-recorded"
}

/// Appends to the audit trail, a hash chain (`AuditChain`). Entries are never updated or deleted.
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
        try await AuditChain.append(entry(action, userID: userID, actor: actor, personID: personID, detail: detail,
                                          clientAddress: clientAddress, at: at), on: db)
    }

    /// An entry not yet on the chain (`record` and `AuditWriter.append` put it there).
    public static func entry(
        _ action: AuditAction,
        userID: UUID? = nil,
        actor: String? = nil,
        personID: UUID? = nil,
        detail: String = "",
        clientAddress: String? = nil,
        at: Date = Date()
    ) -> AuditEvent {
        let event = AuditEvent()
        event.at = at
        event.userID = userID
        event.actor = actor
        event.action = action.rawValue
        event.personID = personID
        event.detail = detail
        event.clientAddress = clientAddress
        return event
    }

    /// The newest entries first: all, or those about one child, of one action.
    public static func recent(on db: any Database, limit: Int = 100, personID: UUID? = nil, action: AuditAction? = nil) async throws -> [AuditEvent] {
        var query = AuditEvent.query(on: db).sort(\.$at, .descending).limit(limit)
        if let personID { query = query.filter(\.$personID == personID) }
        if let action { query = query.filter(\.$action == action.rawValue) }
        return try await query.all()
    }

    /// What the data-protection officer searches by: who (part of the email), which child, from
    /// and to which day (UK dates, inclusive).
    public struct Search: Sendable, Equatable {
        public var actor: String?
        public var personID: UUID?
        public var from: Date?
        public var to: Date?

        public init(actor: String? = nil, personID: UUID? = nil, from: Date? = nil, to: Date? = nil) {
            self.actor = actor
            self.personID = personID
            self.from = from
            self.to = to
        }
    }

    /// The newest entries matching `search` first, at most `limit`.
    public static func search(_ search: Search, on db: any Database, limit: Int = 200) async throws -> [AuditEvent] {
        var query = AuditEvent.query(on: db).sort(\.$at, .descending).sort(\.$seq, .descending).limit(limit)
        if let actor = search.actor?.lowercased(), !actor.isEmpty { query = query.filter(\.$actor, .custom("LIKE"), "%\(actor)%") }
        if let personID = search.personID { query = query.filter(\.$personID == personID) }
        if let from = search.from { query = query.filter(\.$at >= from) }
        if let to = search.to { query = query.filter(\.$at < to) }
        return try await query.all()
    }

    /// A user who opened many children's records in a short time.
    public struct Burst: Sendable, Equatable {
        public let actor: String
        public let records: Int
        public let from: Date
        public let to: Date
    }

    /// The times since `since` that one user opened at least `threshold` different children's
    /// records within `window`: the busiest window of each user, busiest first.
    public static func bursts(since: Date, threshold: Int = 20, window: TimeInterval = 3600, on db: any Database) async throws -> [Burst] {
        let reads = try await AuditEvent.query(on: db).filter(\.$action == AuditAction.childRecordRead.rawValue).filter(\.$at >= since)
            .sort(\.$at).all()
        var best: [String: Burst] = [:]
        for (actor, events) in Dictionary(grouping: reads, by: { $0.actor ?? "–" }) {
            // A sliding window: how often each child's record was opened in it.
            var start = 0
            var inWindow: [UUID: Int] = [:]
            for end in events.indices {
                if let person = events[end].personID { inWindow[person, default: 0] += 1 }
                while events[end].at.timeIntervalSince(events[start].at) > window {
                    if let person = events[start].personID {
                        inWindow[person]! -= 1
                        if inWindow[person] == 0 { inWindow[person] = nil }
                    }
                    start += 1
                }
                let children = inWindow.count
                if children >= threshold, children > (best[actor]?.records ?? 0) {
                    best[actor] = Burst(actor: actor, records: children, from: events[start].at, to: events[end].at)
                }
            }
        }
        return best.values.sorted { ($0.records, $1.actor) > ($1.records, $0.actor) }
    }
}
