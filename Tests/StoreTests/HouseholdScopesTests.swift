import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Synthetic
import Store
import TestSupport

/// The households cohort kept as a table (HouseholdScopes): the same children as the policy's
/// rule worked out in Swift from the rows, before it is built, once built, and after a change
/// that leaves it out of date.
@Suite("Household scopes kept per agency")
struct HouseholdScopesTests {
    static let asOf = CivilDate(year: 2026, month: 11, day: 23)!
    static let area = SyntheticArea.generate(AreaConfiguration(children: 1_000, seed: 11, asOf: asOf))

    /// The children a health practitioner of `agencyID` may see, from the rule in words: the
    /// agency's records, their siblings and household members (either direction), and the
    /// children of their parents or carers — counted here from the raw rows, not through SQL sets.
    static func expected(_ agencyID: UUID, on sql: any SQLDatabase) async throws -> Set<UUID> {
        let records = Set(try await sql.raw("SELECT person_id FROM person_identifiers WHERE agency_id = \(bind: agencyID)").all()
            .map { try $0.decode(column: "person_id", as: UUID.self) })
        var seen = records
        var parentsOf: [UUID: [UUID]] = [:]
        var childrenOf: [UUID: [UUID]] = [:]
        for row in try await sql.raw("SELECT from_person_id, to_person_id, kind FROM person_relationships").all() {
            let from = try row.decode(column: "from_person_id", as: UUID.self), to = try row.decode(column: "to_person_id", as: UUID.self)
            switch try row.decode(column: "kind", as: String.self) {
            case "sibling", "household-member":
                if records.contains(from) { seen.insert(to) }
                if records.contains(to) { seen.insert(from) }
            case "parent-or-carer":
                parentsOf[to, default: []].append(from)
                childrenOf[from, default: []].append(to)
            default: break
            }
        }
        for record in records { for parent in parentsOf[record] ?? [] { seen.formUnion(childrenOf[parent] ?? []) } }
        let children = Set(try await sql.raw("SELECT id FROM people WHERE kind <> 'adult'").all().map { try $0.decode(column: "id", as: UUID.self) })
        return seen.intersection(children)
    }

    static func visible(_ directory: ChildDirectory) async throws -> Set<UUID> {
        var ids: Set<UUID> = []
        var page = 1
        while true {
            let result = try await directory.search(ChildSearch(page: page))
            ids.formUnion(result.children.map(\.id))
            if !result.hasMore { return ids }
            page += 1
        }
    }

    @Test("a health practitioner sees the same children before the table is built, once built, and at once after a new sibling", arguments: Engine.available)
    func sameChildren(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(Self.area, on: store.db)
            let db = store.db, sql = store.sql
            // The health agency whose households add the most children to its own records.
            var best: (id: UUID, name: String, expected: Set<UUID>, added: Int)?
            for row in try await sql.raw("SELECT id, name FROM agencies WHERE kind = 'health-organisation' ORDER BY name").all() {
                let id = try row.decode(column: "id", as: UUID.self)
                let own = try await sql.raw("""
                    SELECT COUNT(DISTINCT i.person_id) AS n FROM person_identifiers i JOIN people p ON p.id = i.person_id \
                    WHERE i.agency_id = \(bind: id) AND p.kind <> 'adult'
                    """).first()!.decode(column: "n", as: Int.self)
                let set = try await Self.expected(id, on: sql)
                if set.count - own > (best?.added ?? 0) { best = (id, try row.decode(column: "name", as: String.self), set, set.count - own) }
            }
            let chosen = try #require(best, "no health agency whose households add a child")
            let agencyID = chosen.id
            let viewer = Viewer(userID: UUID(), email: "hv@example.org", displayName: "Health visitor", role: .healthPractitioner,
                                agencyID: agencyID, agencyName: chosen.name, agencyKind: .healthOrganisation)
            let directory = ChildDirectory(db: db, viewer: viewer, today: Self.asOf)
            let expected = chosen.expected
            let records = try await sql.raw("""
                SELECT COUNT(DISTINCT i.person_id) AS n FROM person_identifiers i JOIN people p ON p.id = i.person_id \
                WHERE i.agency_id = \(bind: agencyID) AND p.kind <> 'adult'
                """).first()!.decode(column: "n", as: Int.self)
            #expect(expected.count > records, "the households add children to the agency's own: \(expected.count) against \(records)")

            #expect(try await !HouseholdScopes.isCurrent(agencyID, on: db))
            #expect(try await Self.visible(directory) == expected, "worked out afresh")
            #expect(try await directory.count() == expected.count)
            #expect(try await HouseholdScopes.refresh(agencyID, on: db))
            #expect(try await HouseholdScopes.isCurrent(agencyID, on: db))
            #expect(try await !HouseholdScopes.refresh(agencyID, on: db), "a current table is not built again")
            // A statement that changes no row (an import of nothing new) leaves it current.
            try await sql.raw("DELETE FROM person_relationships WHERE 1 = 0").run()
            try await sql.raw("UPDATE person_identifiers SET value = value WHERE 1 = 0").run()
            #expect(try await HouseholdScopes.isCurrent(agencyID, on: db))
            #expect(try await Self.visible(directory) == expected, "from the table")
            #expect(try await directory.count() == expected.count)

            // A child outside the scope becomes a sibling of one of the agency's children: the
            // table is out of date, and the child is visible at once all the same.
            let record = try #require(try await sql.raw("""
                SELECT i.person_id FROM person_identifiers i JOIN people p ON p.id = i.person_id WHERE i.agency_id = \(bind: agencyID) AND p.kind = 'child' \
                ORDER BY i.person_id LIMIT 1
                """).first()?.decode(column: "person_id", as: UUID.self))
            let outsider = try #require(try await sql.raw("SELECT id FROM people WHERE kind = 'child' ORDER BY id").all()
                .map { try $0.decode(column: "id", as: UUID.self) }.first { !expected.contains($0) })
            let link = UUID()
            try await sql.raw("""
                INSERT INTO person_relationships (id, from_person_id, to_person_id, kind) VALUES (\(bind: link), \(bind: record), \(bind: outsider), 'sibling')
                """).run()
            #expect(try await !HouseholdScopes.isCurrent(agencyID, on: db))
            let widened = try await Self.expected(agencyID, on: sql)
            #expect(widened == expected.union([outsider]))
            #expect(try await Self.visible(directory) == widened, "visible before the table is built again")
            #expect(try await HouseholdScopes.refresh(agencyID, on: db))
            #expect(try await Self.visible(directory) == widened, "and after")

            // The link removed: out of sight at once, before the table is built again.
            try await sql.raw("DELETE FROM person_relationships WHERE id = \(bind: link)").run()
            #expect(try await !HouseholdScopes.isCurrent(agencyID, on: db))
            #expect(try await Self.visible(directory) == expected)
            #expect(try await directory.isVisible(outsider) == false)
        }
    }
}
