import FluentKit
import SQLKit

/// Schema v19: the partnership's returns, each kept as a dated submission: the template it was
/// computed from, the figures (measures and the fields filled in by hand) as they stood when it was
/// prepared, who prepared it and who signed it off. A signed-off return is never changed. And each
/// pupil's term week by week beside their term figures (`term_weeks`, `TermWeek.text`), which the
/// attendance of vulnerable groups reads instead of every mark.
struct AddReturns: AsyncMigration {
    var name: String { "v19-returns" }

    func prepare(on database: any Database) async throws {
        try await database.schema("return_submissions")
            .id()
            .field("template_key", .string, .required)
            .field("title", .string, .required)
            .field("as_of", .string, .required)
            .field("period_start", .string, .required)
            // JSON: the template as it stood, and the figures with their notes.
            .field("template", .string, .required)
            .field("figures", .string, .required)
            .field("state", .string, .required)
            .field("prepared_by", .string, .required)
            .field("prepared_at", .datetime, .required)
            .field("signed_by", .string)
            .field("signed_at", .datetime)
            .create()
        try await database.schema("attendance_pupils").field("term_weeks", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "return_submissions_template_idx").on("return_submissions").column("template_key").column("as_of").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attendance_pupils").deleteField("term_weeks").update()
        try await database.schema("return_submissions").delete()
    }
}
