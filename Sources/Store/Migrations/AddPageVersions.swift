import FluentKit
import SQLKit

/// Schema v26: the page version (`PageVersions`): SQLite's counter row, PostgreSQL's table of
/// changing transactions and its trigger functions, and the triggers on every tracked table.
struct AddPageVersions: AsyncMigration {
    var name: String { "v26-page-versions" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("CREATE TABLE page_changes (txid bigint PRIMARY KEY)").run()
            try await TransactionLog.createFunctions(logging: "page_changes", added: "page_data_added", removed: "page_data_removed",
                                                     always: "page_data_changed", on: sql)
        } else {
            // OR IGNORE: a database restored or copied from a later one may hold the row already.
            try await sql.raw("INSERT OR IGNORE INTO data_versions (name, version) VALUES ('pages', 1)").run()
        }
        try await PageVersions.installTriggers(on: database)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let postgres = sql.dialect.name == "postgresql"
        for table in try await PageVersions.trackedTables(sql) {
            for event in postgres ? ["insert", "update", "delete", "truncate"] : ["insert", "update", "delete"] {
                let name = "\(table)_page_\(event)"
                try await sql.raw(postgres ? "DROP TRIGGER IF EXISTS \(ident: name) ON \(ident: table)" : "DROP TRIGGER IF EXISTS \(ident: name)").run()
            }
        }
        if postgres {
            for function in ["page_data_added", "page_data_removed", "page_data_changed"] {
                try await sql.raw("DROP FUNCTION IF EXISTS \(unsafeRaw: function)()").run()
            }
            try await sql.raw("DROP TABLE IF EXISTS page_changes").run()
        } else {
            try await sql.raw("DELETE FROM data_versions WHERE name = 'pages'").run()
        }
    }
}
