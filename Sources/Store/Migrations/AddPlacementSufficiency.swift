import FluentKit

/// Schema v22: placement sufficiency as the partnership records it, for what no feed holds: each
/// children's home's and secure children's home's places and how many are occupied, a snapshot
/// a week; and the unaccompanied asylum-seeking children who arrived, a count a month.
struct AddPlacementSufficiency: AsyncMigration {
    var name: String { "v22-placement-sufficiency" }

    func prepare(on database: any Database) async throws {
        try await database.schema("home_capacity")
            .id()
            .field("week_beginning", .string, .required)
            .field("home", .string, .required)
            .field("kind", .string, .required)
            .field("places", .int, .required)
            .field("occupied", .int, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "week_beginning", "home")
            .create()
        try await database.schema("uasc_arrivals")
            .id()
            // "2026-11"
            .field("month", .string, .required)
            .field("arrived", .int, .required)
            // Of them, transferred to the area under the National Transfer Scheme.
            .field("transferred_in", .int, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "month")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("uasc_arrivals").delete()
        try await database.schema("home_capacity").delete()
    }
}
