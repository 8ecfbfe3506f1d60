import FluentKit

/// Schema v21: the partnership's own words in its yearly report, a section a year, as last saved
/// (who and when).
struct AddPartnershipReport: AsyncMigration {
    var name: String { "v21-partnership-report" }

    func prepare(on database: any Database) async throws {
        try await database.schema("report_narratives")
            .id()
            // The reporting year's first calendar year: 2026 is April 2026 to March 2027.
            .field("year", .int, .required)
            .field("section", .string, .required)
            .field("text", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "year", "section")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("report_narratives").delete()
    }
}
