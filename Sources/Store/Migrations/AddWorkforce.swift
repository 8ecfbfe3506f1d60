import FluentKit
import SQLKit

/// Schema v20: the workforce records the returns need and no feed holds. Staff unavailable by
/// team, a snapshot per week; and the DBS register of staff in children's homes and secure
/// children's homes: when each check was applied for, and when its certificate was issued (none
/// while it is outstanding).
struct AddWorkforce: AsyncMigration {
    var name: String { "v20-workforce" }

    func prepare(on database: any Database) async throws {
        try await database.schema("staff_absence")
            .id()
            // The Monday of the week the snapshot is for.
            .field("week_beginning", .string, .required)
            .field("team", .string, .required)
            .field("staff", .int, .required)
            .field("unavailable", .int, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "week_beginning", "team")
            .create()
        try await database.schema("dbs_checks")
            .id()
            .field("staff_name", .string, .required)
            .field("job_title", .string, .required)
            .field("setting_name", .string, .required)
            .field("setting_kind", .string, .required)
            .field("applied_on", .string, .required)
            .field("issued_on", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "dbs_checks_applied_idx").on("dbs_checks").column("issued_on").column("applied_on").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("dbs_checks").delete()
        try await database.schema("staff_absence").delete()
    }
}
