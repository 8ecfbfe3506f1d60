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
    ///
    /// This is a scalar subquery on the column holding the child's id, read with the record itself
    /// (it runs on every read): the child's open list entry, unless the viewer's agency works with
    /// the child, the viewer broke the glass, or the task is already open; NULL then.
    func outsideViewEntry(personColumn: String) -> SQLQueryString {
        let person: SQLQueryString = "\(unsafeRaw: personColumn)"
        let marker = "[\(viewer.email)]"
        return """
            (SELECT oe.id FROM list_entries oe WHERE oe.person_id = \(person) AND oe.status IN ('proposed', 'agreed') \
            AND \(bind: viewer.agencyID) NOT IN (SELECT agency_id FROM person_identifiers WHERE person_id = \(person) AND agency_id IS NOT NULL \
            UNION SELECT agency_id FROM school_enrolments WHERE person_id = \(person) \
            UNION SELECT lead_agency_id FROM list_entries WHERE person_id = \(person) \
            UNION SELECT proposed_by_agency_id FROM list_entries WHERE person_id = \(person) AND proposed_by_agency_id IS NOT NULL \
            UNION SELECT a.agency_id FROM list_agreements a JOIN list_entries e ON e.id = a.entry_id WHERE e.person_id = \(person) \
            UNION SELECT agency_id FROM social_care_children WHERE person_id = \(person) \
            UNION SELECT agency_id FROM looked_after_children WHERE person_id = \(person)) \
            AND NOT EXISTS (SELECT 1 FROM break_glass_grants WHERE user_id = \(bind: viewer.userID) AND person_id = \(person) AND expires_at > \(bind: Date())) \
            AND NOT EXISTS (SELECT 1 FROM tasks WHERE person_id = \(person) AND kind = 'outside-view' AND state = 'open' \
            AND reason LIKE \(bind: "%" + ChildDirectory.escapeLike(marker) + "%") ESCAPE '\\') \
            ORDER BY oe.updated_at DESC LIMIT 1)
            """
    }

    /// Opens the lead agency's task for an outside view found by `outsideViewEntry`.
    func notifyOutsideView(of personID: UUID, entryID: UUID, on db: any Database) async throws {
        guard let entry = try await (db as! any SQLDatabase).raw("""
            SELECT lead_agency_id, lead_professional FROM list_entries WHERE id = \(bind: entryID)
            """).first() else { return }
        try await Tasks.open(
            on: db, personID: personID, entryID: entryID, kind: "outside-view",
            reason: "Viewed from outside the agencies working with this child: \(viewer.displayName) [\(viewer.email)] (\(viewer.role.title), \(viewer.agencyName)) opened the record on \(today). Check the look was needed.",
            ownerAgencyID: try entry.decode(column: "lead_agency_id", as: UUID.self),
            ownerName: try entry.decode(column: "lead_professional", as: String?.self), due: today.adding(days: 1), at: Date())
    }
}
