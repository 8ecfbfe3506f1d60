import Foundation
import FluentKit
import SQLKit

/// The access policy's households cohort (`AccessPolicy.Cohort.households`: a health
/// practitioner's view of the children in the households of their service's children), kept as a
/// table per agency.
///
/// Worked out afresh, the set is a union over the relationships of every record the agency holds:
/// for the health visiting service at 100,000 children, 42,191 records and 168,564 rows before the
/// union removes the repeats, about 0.4 s, and every board, list and record page needed it again
/// (BENCHMARKS.md, "Load"). Kept, it is one indexed lookup.
///
/// Kept rows are used only while they are current: triggers (schema v18, `AddHouseholdScopes`)
/// advance a version on every change to `person_identifiers` and `person_relationships`, and an
/// agency's rows carry the version they were built from. When an import has changed either table since, the
/// condition falls back to the set worked out afresh, inside the same query, so the answer is
/// always the policy's, only slower; `refresh` then brings the table up to date (the server runs it
/// in the background when a health practitioner's request finds it out of date).
public enum HouseholdScopes {
    /// The set worked out afresh: the people in the households of the agency's records.
    static func liveSet(_ agencyID: UUID) -> SQLQueryString {
        let records = ChildDirectory.agencyRecords(agencyID)
        return """
        SELECT r.to_person_id AS person_id FROM person_relationships r WHERE r.kind IN ('sibling', 'household-member') AND r.from_person_id IN (\(records)) \
        UNION SELECT r.from_person_id FROM person_relationships r WHERE r.kind IN ('sibling', 'household-member') AND r.to_person_id IN (\(records)) \
        UNION SELECT b.to_person_id FROM person_relationships a JOIN person_relationships b ON b.from_person_id = a.from_person_id \
        AND b.kind = 'parent-or-carer' WHERE a.kind = 'parent-or-carer' AND a.to_person_id IN (\(records))
        """
    }

    /// The version of the records and relationships: SQLite's counter, or PostgreSQL's count of
    /// committed transactions that changed them (`AddHouseholdScopes`).
    static func currentVersion(_ sql: any SQLDatabase) -> SQLQueryString {
        sql.dialect.name == "postgresql" ? "(SELECT COUNT(*) FROM person_link_changes)" : "(SELECT version FROM data_versions WHERE name = 'person-links')"
    }

    /// The condition that `personColumn` is in the agency's households: the kept rows when they
    /// are current, else the set worked out afresh.
    static func condition(agencyID: UUID, personColumn: String, on sql: any SQLDatabase) -> SQLQueryString {
        """
        (CASE WHEN (SELECT version FROM household_scope_stamps WHERE agency_id = \(bind: agencyID)) = \(currentVersion(sql)) \
        THEN \(unsafeRaw: personColumn) IN (SELECT person_id FROM household_scopes WHERE agency_id = \(bind: agencyID)) \
        ELSE \(unsafeRaw: personColumn) IN (\(liveSet(agencyID))) END)
        """
    }

    /// Whether the agency's kept rows are current.
    public static func isCurrent(_ agencyID: UUID, on db: any Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        let row = try await sql.raw("""
            SELECT CASE WHEN (SELECT version FROM household_scope_stamps WHERE agency_id = \(bind: agencyID)) = \(currentVersion(sql)) \
            THEN 1 ELSE 0 END AS current
            """).first()
        return try row?.decode(column: "current", as: Int.self) == 1
    }

    /// Builds the agency's rows again unless they are current, in one write transaction that
    /// reads one snapshot (SQLite's write transaction; PostgreSQL's repeatable read, after a lock
    /// that lets one builder in at a time): the stamp is the version that snapshot holds, so a
    /// change committed meanwhile leaves the rows out of date (and used by no one) rather than
    /// wrong. Returns whether it built them.
    @discardableResult
    public static func refresh(_ agencyID: UUID, on db: any Database) async throws -> Bool {
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            if sql.dialect.name == "postgresql" {
                // Both before the first query, which takes the transaction's snapshot.
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").run()
                try await sql.raw("LOCK TABLE household_scope_stamps IN EXCLUSIVE MODE").run()
            }
            if try await isCurrent(agencyID, on: tx) { return false }
            guard let version = try await sql.raw("SELECT \(currentVersion(sql)) AS version").first()?
                .decode(column: "version", as: Int64.self) else { return false }
            try await sql.raw("DELETE FROM household_scopes WHERE agency_id = \(bind: agencyID)").run()
            try await sql.raw("""
                INSERT INTO household_scopes (agency_id, person_id) SELECT \(bind: agencyID), s.person_id \
                FROM (\(liveSet(agencyID))) AS s WHERE s.person_id IS NOT NULL
                """).run()
            try await sql.raw("DELETE FROM household_scope_stamps WHERE agency_id = \(bind: agencyID)").run()
            try await sql.raw("INSERT INTO household_scope_stamps (agency_id, version) VALUES (\(bind: agencyID), \(bind: version))").run()
            return true
        }
    }
}
