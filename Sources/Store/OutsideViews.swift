import Foundation
import FluentKit
import SQLKit
import EyesOnCore

extension ChildDirectory {
    /// When a viewer from an agency that is not working with the child opens a listed child's
    /// record, the lead professional hears of it: a task for the lead agency ("outside-view"), once
    /// per viewer and child while it is open. Working with the child means holding a record of
    /// them (an identifier, a caseload, a school enrolment, a CIN census or SSDA903 record), leading,
    /// proposing or agreeing their list entry. Break-glass reads are told to the lead agency already.
    func notifyOutsideView(of personID: UUID, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let agency = viewer.agencyID
        let marker = "[\(viewer.email)]"
        // One query (it runs on every read): the child's open list entry, unless the viewer's
        // agency works with the child, the viewer broke the glass, or the task is already open.
        guard let entry = try await sql.raw("""
            SELECT id, lead_agency_id, lead_professional FROM list_entries WHERE person_id = \(bind: personID) \
            AND status IN ('proposed', 'agreed') \
            AND \(bind: agency) NOT IN (SELECT agency_id FROM person_identifiers WHERE person_id = \(bind: personID) AND agency_id IS NOT NULL \
            UNION SELECT agency_id FROM school_enrolments WHERE person_id = \(bind: personID) \
            UNION SELECT lead_agency_id FROM list_entries WHERE person_id = \(bind: personID) \
            UNION SELECT proposed_by_agency_id FROM list_entries WHERE person_id = \(bind: personID) AND proposed_by_agency_id IS NOT NULL \
            UNION SELECT a.agency_id FROM list_agreements a JOIN list_entries e ON e.id = a.entry_id WHERE e.person_id = \(bind: personID) \
            UNION SELECT agency_id FROM social_care_children WHERE person_id = \(bind: personID) \
            UNION SELECT agency_id FROM looked_after_children WHERE person_id = \(bind: personID)) \
            AND NOT EXISTS (SELECT 1 FROM break_glass_grants WHERE user_id = \(bind: viewer.userID) AND person_id = \(bind: personID) AND expires_at > \(bind: Date())) \
            AND NOT EXISTS (SELECT 1 FROM tasks WHERE person_id = \(bind: personID) AND kind = 'outside-view' AND state = 'open' \
            AND reason LIKE \(bind: "%" + ChildDirectory.escapeLike(marker) + "%") ESCAPE '\\') \
            ORDER BY updated_at DESC LIMIT 1
            """).first() else { return }
        try await Tasks.open(
            on: db, personID: personID, entryID: try entry.decode(column: "id", as: UUID.self), kind: "outside-view",
            reason: "Viewed from outside the agencies working with this child: \(viewer.displayName) \(marker) (\(viewer.role.title), \(viewer.agencyName)) opened the record on \(today). Check the look was needed.",
            ownerAgencyID: try entry.decode(column: "lead_agency_id", as: UUID.self),
            ownerName: try entry.decode(column: "lead_professional", as: String?.self), due: today.adding(days: 1), at: Date())
    }
}
