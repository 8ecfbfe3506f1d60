import FluentKit
import SQLKit

/// Schema v5: the police force's domestic-abuse incidents (each party as the force recorded them,
/// children linked to people where the index knows them) and the Operation Encompass notices they
/// raise: one per child of school age, to the child's school's safeguarding lead (or, with no
/// known school, the local authority's front door), due before the next school day starts; and
/// the MARAC list's cases with the children in each household (the adults' details restricted).
struct AddPoliceFeeds: AsyncMigration {
    var name: String { "v5-police-incidents-encompass-marac" }

    func prepare(on database: any Database) async throws {
        try await database.schema("police_incidents")
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("reference", .string, .required)
            .field("occurred_on", .string, .required)
            .field("occurred_minute", .int, .required)
            .field("postcode", .string)
            .field("risk_level", .string)
            .field("fingerprint", .string, .required)
            .field("import_run_id", .uuid, .required, .references(ImportRun.schema, "id"))
            .field("updated_at", .datetime, .required)
            .unique(on: "agency_id", "reference")
            .create()
        // Restricted: the adults' identities are for the police and children's social care only.
        try await database.schema("incident_parties")
            .id()
            .field("incident_id", .uuid, .required, .references("police_incidents", "id"))
            .field("number", .int, .required)
            .field("role", .string, .required)
            .field("forename", .string, .required)
            .field("surname", .string, .required)
            .field("date_of_birth", .string)
            .field("sex", .string)
            .field("school_urn", .int)
            .field("presence", .string)
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .create()
        try await database.schema("encompass_notices")
            .id()
            .field("incident_id", .uuid, .required, .references("police_incidents", "id"))
            .field("party_number", .int, .required)
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .field("child_name", .string, .required)
            .field("child_date_of_birth", .string)
            .field("presence", .string, .required)
            .field("school_urn", .int)
            .field("addressee_agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("due_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .field("acknowledged_at", .datetime)
            .field("acknowledged_by", .string)
            .field("support", .string)
            .field("support_recorded_at", .datetime)
            .unique(on: "incident_id", "party_number")
            .create()
        try await database.schema("marac_cases")
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("case_id", .string, .required)
            .field("meeting_date", .string, .required)
            .field("referring_agency", .string, .required)
            .field("dash_score", .int)
            .field("referral_reason", .string)
            .field("previous_meeting_date", .string)
            // Restricted: the victim's and perpetrator's identities and the victim's address.
            .field("victim_forename", .string, .required)
            .field("victim_surname", .string, .required)
            .field("victim_date_of_birth", .string)
            .field("victim_postcode", .string)
            .field("perpetrator_forename", .string)
            .field("perpetrator_surname", .string)
            .field("perpetrator_date_of_birth", .string)
            .field("fingerprint", .string, .required)
            .field("import_run_id", .uuid, .required, .references(ImportRun.schema, "id"))
            .field("updated_at", .datetime, .required)
            .unique(on: "agency_id", "case_id")
            .create()
        try await database.schema("marac_children")
            .id()
            .field("marac_case_id", .uuid, .required, .references("marac_cases", "id"))
            .field("number", .int, .required)
            .field("forename", .string, .required)
            .field("surname", .string, .required)
            .field("date_of_birth", .string)
            .field("school_urn", .int)
            .field("person_id", .uuid, .references(Person.schema, "id"))
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for (name, table, columns) in [
            ("incident_parties_incident_idx", "incident_parties", ["incident_id"]),
            ("incident_parties_person_idx", "incident_parties", ["person_id"]),
            ("encompass_notices_addressee_idx", "encompass_notices", ["addressee_agency_id", "due_at"]),
            ("encompass_notices_person_idx", "encompass_notices", ["person_id"]),
            ("marac_children_case_idx", "marac_children", ["marac_case_id"]),
            ("marac_children_person_idx", "marac_children", ["person_id"]),
        ] {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["marac_children", "marac_cases", "encompass_notices", "incident_parties", "police_incidents"] { try await database.schema(table).delete() }
    }
}
