import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// Break-glass: a user whose agency has no relationship to a child may still open the child's
/// record when the child's safety depends on it, by giving a reason. The access lasts a few hours,
/// is written to the audit trail as `break-glass` (highlighted on the auditor's page), and the
/// child's lead agency — or children's social care, when the child is on nobody's list — gets a
/// task to check it was needed. The access policy counts the grant (`ChildDirectory`), so every
/// page and query sees the child for that time and no longer.
public enum BreakGlass {
    /// How long a break-glass access lasts.
    public static let hours = 4
    public static let minimumReasonLength = 10

    /// Opens the child's record to the viewer; false when there is no such child (the attempt is
    /// audited all the same). The error names the reason field when it is missing or too long.
    public static func open(_ personID: UUID, reason: String, directory: ChildDirectory, clientAddress: String? = nil) async throws -> Bool {
        let viewer = directory.viewer
        guard case .linkedToAgency = directory.scope else { throw ListError(.refused, "your role opens records without break-glass, or none at all") }
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count >= minimumReasonLength else {
            throw ListError(.invalid, field: "reason", "say why the child's safety needs you to open this record (at least \(minimumReasonLength) characters)")
        }
        guard text.count <= EyesOn.maximumTextLength else { throw ListError(.invalid, field: "reason", "must be at most \(EyesOn.maximumTextLength) characters") }
        let sql = directory.sql
        let exists = try await sql.raw("SELECT p.id FROM people p WHERE p.id = \(bind: personID) AND \(ChildDirectory.childKinds)").first() != nil
        let now = Date()
        try await directory.db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            guard exists else {
                try await AuditLog.record(.breakGlass, on: tx, userID: viewer.userID, actor: viewer.email,
                                          detail: "break-glass asked for a record that does not exist (\(personID)): \(text)", clientAddress: clientAddress)
                return
            }
            let expires = now.addingTimeInterval(Double(hours) * 3600)
            try await sql.insert(into: "break_glass_grants").columns("id", "user_id", "person_id", "reason", "granted_at", "expires_at")
                .values(SQLBind(UUID()), SQLBind(viewer.userID), SQLBind(personID), SQLBind(text), SQLBind(now), SQLBind(expires)).run()
            // The lead agency of the child's newest list entry, or children's social care.
            let lead = try await sql.raw("""
                SELECT lead_agency_id FROM list_entries WHERE person_id = \(bind: personID) ORDER BY updated_at DESC LIMIT 1
                """).first()?.decode(column: "lead_agency_id", as: UUID?.self)
            let csc = try await Agency.query(on: tx).filter(\.$kindRaw == AgencyKind.laChildrensSocialCare.rawValue).sort(\.$key).first()?.id
            if let owner = lead ?? csc {
                try await Tasks.open(on: tx, personID: personID, entryID: nil, kind: "break-glass",
                                     reason: "Break-glass: \(viewer.displayName) (\(viewer.role.title), \(viewer.agencyName)) opened this child's record with no relationship to them: \"\(text)\". Check the access was needed.",
                                     ownerAgencyID: owner, due: directory.today.adding(days: 1), at: now)
            }
            try await AuditLog.record(.breakGlass, on: tx, userID: viewer.userID, actor: viewer.email, personID: personID,
                                      detail: "BREAK-GLASS: \(viewer.role.rawValue) at \(viewer.agencyName) opened the record with no relationship, for \(hours) hours: \(text)",
                                      clientAddress: clientAddress)
        }
        return exists
    }

    /// When the first of the user's break-glass grants still open ends, if they hold one: until
    /// then a page built for them may show that child, and no longer (`PageCache`).
    public static func nextExpiry(of userID: UUID, on db: any Database, now: Date = Date()) async throws -> Date? {
        try await (db as! any SQLDatabase).raw("""
            SELECT MIN(expires_at) AS next FROM break_glass_grants WHERE user_id = \(bind: userID) AND expires_at > \(bind: now)
            """).first()?.decode(column: "next", as: Date?.self)
    }
}
