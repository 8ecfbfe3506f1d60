import FluentKit

/// Schema v24: pupils' characteristics from the school census, by UPN: free school meals
/// eligibility and special educational needs provision. Each import replaces the whole set (the
/// census is a full extract), so a pupil left out of the latest file is no longer counted.
struct AddPupilCharacteristics: AsyncMigration {
    var name: String { "v24-pupil-characteristics" }

    func prepare(on database: any Database) async throws {
        try await database.schema("pupil_characteristics")
            .field("upn", .string, .identifier(auto: false))
            .field("fsm", .bool, .required)
            .field("sen_provision", .string, .required)
            .field("import_run_id", .uuid, .required, .references("import_runs", "id"))
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pupil_characteristics").delete()
    }
}
