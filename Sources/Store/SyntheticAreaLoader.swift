import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Synthetic

/// Loads a synthetic local area's ground truth straight into the person index: its agencies,
/// people with their identifiers, relationships and school enrolments. This is what `eyeson demo`
/// does; the agency extracts the same area writes are for the import pipeline.
public enum SyntheticAreaLoader {
    public struct Summary: Sendable, Equatable {
        public var agencies = 0
        public var people = 0
        public var children = 0
        public var identifiers = 0
        public var relationships = 0
        public var enrolments = 0
    }

    /// Rows per INSERT statement: well inside SQLite's and PostgreSQL's bind limits.
    static let rowsPerStatement = 400

    /// - Parameter schema: for the upgrade tests, loads into the database an earlier release left,
    ///   schema v`schema` (its first `schema` migrations; nil: this release's): before v4 agencies
    ///   have no LA code, before v11 the audit trail has no hash chain.
    public static func load(
        _ area: SyntheticArea, on db: any Database, schema: Int? = nil, progress: (@Sendable (String, Double) -> Void)? = nil
    ) async throws -> Summary {
        let started = Date()
        let hasLACode = (schema ?? .max) >= 4, hasAuditChain = (schema ?? .max) >= 11
        return try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            var summary = Summary()
            let now = Date()

            // Agencies, keyed for the rows that refer to them.
            var agencyIDs: [String: UUID] = [:]
            var agencyRows: [[any Encodable & Sendable]] = []
            for agency in area.agencies {
                let id = UUID()
                agencyIDs[agency.key] = id
                var row: [any Encodable & Sendable] = [id, agency.key, agency.name, agency.kind.rawValue, agency.urn, agency.odsCode, agency.postcode, now]
                if hasLACode { row.append(agency.kind.isLocalAuthority ? area.localAuthority.code : nil) }
                agencyRows.append(row)
            }
            try await insert(sql, into: Agency.schema, columns: ["id", "key", "name", "kind", "urn", "ods_code", "postcode", "created_at"] + (hasLACode ? ["la_code"] : []),
                             rows: agencyRows)
            summary.agencies = agencyRows.count
            let socialCareID = area.agencies.first { $0.kind == .laChildrensSocialCare }.flatMap { agencyIDs[$0.key] }

            // People and their identifiers.
            let agencyLinks = area.agencyLinks()
            var personIDs: [Int: UUID] = [:]
            personIDs.reserveCapacity(area.people.count)
            var people: [[any Encodable & Sendable]] = []
            var identifiers: [[any Encodable & Sendable]] = []
            for (index, person) in area.people.enumerated() {
                let id = UUID()
                personIDs[person.id] = id
                people.append([id, person.kind.rawValue, person.givenName, person.familyName, person.sex.rawValue,
                               person.dateOfBirth?.description, person.expectedDateOfBirth?.description,
                               person.postcode, person.address, now, now])
                if person.kind != .adult { summary.children += 1 }
                if let nhs = person.nhsNumber {
                    identifiers.append([UUID(), id, IdentifierKind.nhsNumber.rawValue, nhs, UUID?.none, PersonIdentifier.nationalScope])
                }
                if let upn = person.upn {
                    identifiers.append([UUID(), id, IdentifierKind.upn.rawValue, upn, UUID?.none, PersonIdentifier.nationalScope])
                }
                if let laID = person.laChildID, let socialCareID {
                    identifiers.append([UUID(), id, IdentifierKind.laChildID.rawValue, laID, socialCareID, socialCareID.uuidString])
                }
                for link in agencyLinks[person.id] ?? [] {
                    guard let agencyID = agencyIDs[link.agencyKey] else { continue }
                    identifiers.append([UUID(), id, IdentifierKind.agencyLocal.rawValue, link.localID, agencyID, agencyID.uuidString])
                }
                if people.count >= rowsPerStatement {
                    try await insert(sql, into: Person.schema, columns: personColumns, rows: people)
                    summary.people += people.count
                    people.removeAll(keepingCapacity: true)
                    progress?("people", Double(index + 1) / Double(area.people.count))
                }
            }
            try await insert(sql, into: Person.schema, columns: personColumns, rows: people)
            summary.people += people.count
            try await insert(sql, into: PersonIdentifier.schema, columns: ["id", "person_id", "kind", "value", "agency_id", "scope"], rows: identifiers)
            summary.identifiers = identifiers.count
            progress?("identifiers", 1)

            let relationships: [[any Encodable & Sendable]] = area.relationships.compactMap { r in
                guard let from = personIDs[r.from], let to = personIDs[r.to] else { return nil }
                return [UUID(), from, to, r.kind.rawValue]
            }
            try await insert(sql, into: PersonRelationship.schema, columns: ["id", "from_person_id", "to_person_id", "kind"], rows: relationships)
            summary.relationships = relationships.count
            progress?("relationships", 1)

            let enrolments: [[any Encodable & Sendable]] = area.enrolments.compactMap { e in
                guard let person = personIDs[e.personID], let school = agencyIDs[e.agencyKey] else { return nil }
                return [UUID(), person, school, e.from.description, e.to?.description]
            }
            try await insert(sql, into: SchoolEnrolment.schema, columns: ["id", "person_id", "agency_id", "from_date", "to_date"], rows: enrolments)
            summary.enrolments = enrolments.count
            progress?("enrolments", 1)

            // Named columns, so that a database an earlier release left takes it too.
            try await sql.insert(into: ImportRun.schema)
                .columns("id", "kind", "source_name", "status", "records_accepted", "records_updated", "records_quarantined", "started_at", "finished_at")
                .values(SQLBind(UUID()), SQLBind("synthetic-area"),
                        SQLBind("synthetic area, seed \(area.configuration.seed), \(area.configuration.children) children"),
                        SQLBind("completed"), SQLBind(summary.people), SQLBind(0), SQLBind(0), SQLBind(started), SQLBind(Date()))
                .run()
            let detail = "\(summary.people) people, \(summary.agencies) agencies from synthetic seed \(area.configuration.seed)"
            if !hasAuditChain {
                // An earlier release's audit trail, before the chain: the upgrade chains it.
                try await sql.insert(into: AuditEvent.schema).columns("id", "at", "action", "detail")
                    .values(SQLBind(UUID()), SQLBind(Date()), SQLBind(AuditAction.demoLoaded.rawValue), SQLBind(detail)).run()
            } else {
                try await AuditLog.record(.demoLoaded, on: tx, detail: detail)
            }
            return summary
        }
    }

    static let personColumns = ["id", "kind", "given_name", "family_name", "sex", "date_of_birth", "expected_date_of_birth", "postcode", "address", "created_at", "updated_at"]

    /// Multi-row INSERTs, `rowsPerStatement` rows at a time.
    static func insert(_ sql: any SQLDatabase, into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        var start = 0
        while start < rows.count {
            let end = min(start + rowsPerStatement, rows.count)
            var builder = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { builder = builder.values(row) }
            try await builder.run()
            start = end
        }
    }
}
