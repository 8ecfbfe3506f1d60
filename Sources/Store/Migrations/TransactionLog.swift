import SQLKit

/// PostgreSQL trigger functions that add the changing transaction's id to a log table, one row a
/// transaction: the household scopes' version (schema v18, `person_link_changes`) and the page
/// version (v26, `page_changes`).
enum TransactionLog {
    /// `added` and `removed` add the row only when the statement changed rows (they read the
    /// statement's transition table, `new_rows` or `old_rows`); `always` adds it whatever the
    /// statement did (TRUNCATE, which has no transition table, and tables whose statements always
    /// change rows).
    static func createFunctions(logging table: String, added: String, removed: String, always: String, on sql: any SQLDatabase) async throws {
        for (function, rows) in [(added, "new_rows"), (removed, "old_rows")] {
            try await sql.raw("""
                CREATE FUNCTION \(unsafeRaw: function)() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM \(unsafeRaw: rows)) THEN
                    INSERT INTO \(unsafeRaw: table) (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
                  END IF;
                  RETURN NULL;
                END $$
                """).run()
        }
        try await sql.raw("""
            CREATE FUNCTION \(unsafeRaw: always)() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO \(unsafeRaw: table) (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
              RETURN NULL;
            END $$
            """).run()
    }
}
