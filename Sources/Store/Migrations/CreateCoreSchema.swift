import FluentKit
import SQLKit

/// Version 1 of the schema: agencies, users, the person index (people, identifiers,
/// relationships, school enrolments), import runs, the audit trail, bank holidays and settings.
/// The same migration runs on SQLite and PostgreSQL.
struct CreateCoreSchema: AsyncMigration {
    var name: String { "v1-core-schema" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Agency.schema)
            .id()
            .field("key", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("urn", .int)
            .field("ods_code", .string)
            .field("postcode", .string)
            .field("created_at", .datetime)
            .unique(on: "key")
            .create()

        try await database.schema(UserAccount.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, .id))
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string, .required)
            .field("failed_sign_ins", .int, .required)
            .field("locked_until", .datetime)
            .field("last_sign_in_at", .datetime)
            .field("disabled", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()

        try await database.schema(Person.schema)
            .id()
            .field("kind", .string, .required)
            .field("given_name", .string, .required)
            .field("family_name", .string, .required)
            .field("sex", .string, .required)
            .field("date_of_birth", .string)
            .field("expected_date_of_birth", .string)
            .field("postcode", .string)
            .field("address", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()

        try await database.schema(PersonIdentifier.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .field("agency_id", .uuid, .references(Agency.schema, .id))
            .field("scope", .string, .required)
            .unique(on: "kind", "scope", "value")
            .create()

        try await database.schema(PersonRelationship.schema)
            .id()
            .field("from_person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("to_person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .unique(on: "from_person_id", "to_person_id", "kind")
            .create()

        try await database.schema(SchoolEnrolment.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("agency_id", .uuid, .required, .references(Agency.schema, .id))
            .field("from_date", .string, .required)
            .field("to_date", .string)
            .create()

        try await database.schema(ImportRun.schema)
            .id()
            .field("agency_id", .uuid, .references(Agency.schema, .id))
            .field("kind", .string, .required)
            .field("source_name", .string, .required)
            .field("status", .string, .required)
            .field("records_accepted", .int, .required)
            .field("records_updated", .int, .required)
            .field("records_quarantined", .int, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .create()

        try await database.schema(AuditEvent.schema)
            .id()
            .field("at", .datetime, .required)
            .field("user_id", .uuid)
            .field("actor", .string)
            .field("action", .string, .required)
            .field("person_id", .uuid)
            .field("detail", .string, .required)
            .field("client_address", .string)
            .create()

        try await database.schema(StoredBankHoliday.schema)
            .id()
            .field("date", .string, .required)
            .field("title", .string, .required)
            .field("notes", .string, .required)
            .field("source", .string, .required)
            .field("imported_at", .datetime)
            .unique(on: "date")
            .create()

        try await database.schema(Setting.schema)
            .id()
            .field("key", .string, .required)
            .field("value", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "key")
            .create()

        guard let sql = database as? any SQLDatabase else { return }
        let indexes: [(String, String, [String])] = [
            ("people_family_name_idx", Person.schema, ["family_name", "given_name"]),
            ("people_kind_idx", Person.schema, ["kind"]),
            ("person_identifiers_person_idx", PersonIdentifier.schema, ["person_id"]),
            ("person_identifiers_agency_idx", PersonIdentifier.schema, ["agency_id", "person_id"]),
            ("person_relationships_from_idx", PersonRelationship.schema, ["from_person_id"]),
            ("person_relationships_to_idx", PersonRelationship.schema, ["to_person_id"]),
            ("school_enrolments_person_idx", SchoolEnrolment.schema, ["person_id"]),
            ("school_enrolments_agency_idx", SchoolEnrolment.schema, ["agency_id", "person_id"]),
            ("audit_events_at_idx", AuditEvent.schema, ["at"]),
            ("audit_events_person_idx", AuditEvent.schema, ["person_id"]),
            ("import_runs_started_idx", ImportRun.schema, ["started_at"]),
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [Setting.schema, StoredBankHoliday.schema, AuditEvent.schema, ImportRun.schema,
                       SchoolEnrolment.schema, PersonRelationship.schema, PersonIdentifier.schema,
                       Person.schema, UserAccount.schema, Agency.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// Every migration of the store, in order. New migrations are appended, never edited.
public enum StoreMigrations {
    public static var all: [any Migration] {
        [CreateCoreSchema(), CreateEyesOnSchema(), AddEyesOnSeen(), AddSocialCare(), AddPoliceFeeds(), AddHealthCaseloads(), AddLookedAfter(), AddAgencyCaseloads(), AddFrontDoorReferrals(), AddStatutoryClocks(), AddAuditChain(), AddBreakGlass(), AddTwoFactor(), AddInformationSharing(), AddAuditChainTrigger(), AddReadTokens(), PartitionMarksByMonth(), AddHouseholdScopes(), AddReturns(), AddWorkforce(), AddPartnershipReport(), AddPlacementSufficiency(), AddGovernance(), AddPupilCharacteristics(), AddPersonLinking(), AddPageVersions()]
    }
}
