import FluentKit
import SQLKit

/// Schema v15: the database itself advances the audit chain's head. A trigger on every entry
/// inserted with a place in the chain checks that it follows the head (its place is the next one
/// and its link is the head's hash) and moves the head onto it, in the inserting statement; an
/// entry that does not follow is refused ("audit chain moved") and the statement applies nothing.
/// So one INSERT appends a whole batch (`AuditWriter`), and two writers that read the same head
/// cannot both append after it: the second is refused and reads the head again.
struct AddAuditChainTrigger: AsyncMigration {
    var name: String { "v15-audit-chain-trigger" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE FUNCTION audit_chain_advance() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash
                    WHERE id = 1 AND seq = NEW.seq - 1 AND hash = NEW.prev_hash;
                  IF NOT FOUND THEN
                    RAISE EXCEPTION 'audit chain moved: entry % does not follow the head', NEW.seq USING ERRCODE = '40001';
                  END IF;
                  RETURN NEW;
                END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_chain_advance BEFORE INSERT ON audit_events FOR EACH ROW \
                WHEN (NEW.seq IS NOT NULL) EXECUTE FUNCTION audit_chain_advance()
                """).run()
        } else {
            try await sql.raw("""
                CREATE TRIGGER audit_chain_advance BEFORE INSERT ON audit_events FOR EACH ROW WHEN NEW.seq IS NOT NULL
                BEGIN
                  SELECT RAISE(ABORT, 'audit chain moved') WHERE NOT EXISTS
                    (SELECT 1 FROM audit_chain_head WHERE id = 1 AND seq = NEW.seq - 1 AND hash = NEW.prev_hash);
                  UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
                END
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP TRIGGER IF EXISTS audit_chain_advance\(unsafeRaw: sql.dialect.name == "postgresql" ? " ON audit_events" : "")").run()
        if sql.dialect.name == "postgresql" { try await sql.raw("DROP FUNCTION IF EXISTS audit_chain_advance()").run() }
    }
}
