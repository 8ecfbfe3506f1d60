import Foundation
import FluentKit
import SQLKit

/// The audit trail as a hash chain: every entry has a place (`seq`, 1, 2, 3, … with no gaps), the
/// hash of the entry before it and its own hash, SHA-256 over its place, that link and every field
/// it records. A one-row table, `audit_chain_head`, holds the last place and hash. Writers take
/// the head's row lock, so entries join the chain one at a time in the order they commit.
/// `verify` walks the chain and names the first entries where an alteration, an insertion or a
/// deletion shows.
///
/// Anyone who can write to the database and knows this scheme could rewrite the whole chain from
/// the altered entry on; keeping a copy of the head (`eyeson audit verify` prints it) outside the
/// database makes that detectable too.
public enum AuditChain {
    /// The link of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Milliseconds since 1970: the time as the chain records it (entries are stored at whole milliseconds).
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// `date` to the whole millisecond, as an entry stores it.
    static func wholeMilliseconds(_ date: Date) -> Date { Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000) }

    /// An entry's hash: each field length-prefixed, so no two entries read the same.
    static func hash(seq: Int64, previous: String, at: Date, userID: UUID?, actor: String?, action: String, personID: UUID?,
                     detail: String, clientAddress: String?) -> String {
        let fields = [String(seq), previous, String(milliseconds(at)), userID?.uuidString ?? "", actor ?? "", action,
                      personID?.uuidString ?? "", detail, clientAddress ?? ""]
        let text = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return Hashing.sha256Hex(text)
    }

    static func hash(of event: AuditEvent, seq: Int64, previous: String) -> String {
        hash(seq: seq, previous: previous, at: event.at, userID: event.userID, actor: event.actor, action: event.action,
             personID: event.personID, detail: event.detail, clientAddress: event.clientAddress)
    }

    /// Appends `event` to the chain, inside the caller's transaction or one of its own.
    static func append(_ event: AuditEvent, on db: any Database) async throws {
        if db.inTransaction {
            try await append([event], locked: db)
        } else {
            // A plain transaction: its first statement (the head's UPDATE) takes the write lock itself.
            try await db.transaction { tx in try await append([event], locked: tx) }
        }
    }

    /// Appends `events`, in order, inside the caller's transaction: one lock of the head, one
    /// insert of them all (the v15 trigger moves the head onto the last).
    static func append(_ events: [AuditEvent], locked db: any Database) async throws {
        guard !events.isEmpty else { return }
        let sql = db as! any SQLDatabase
        _ = try await insert(events, after: try await readHead(on: sql, locking: true), on: sql)
    }

    /// The chain's last place and hash, as `audit_chain_head` holds them.
    struct Head: Sendable, Equatable {
        var seq: Int64
        var hash: String
    }

    /// Reads the head; with `locking`, takes its row lock in the same statement first (inside a
    /// transaction: on PostgreSQL the UPDATE locks the row until commit; on SQLite it takes the
    /// database's write lock).
    static func readHead(on sql: any SQLDatabase, locking: Bool = false) async throws -> Head {
        let query: SQLQueryString = locking ? "UPDATE audit_chain_head SET seq = seq WHERE id = 1 RETURNING seq, hash"
                                            : "SELECT seq, hash FROM audit_chain_head WHERE id = 1"
        guard let row = try await sql.raw(query).first() else { return Head(seq: 0, hash: genesis) }
        return Head(seq: try row.decode(column: "seq", as: Int64.self), hash: try row.decode(column: "hash", as: String.self))
    }

    /// Places `events` on the chain after `head` and writes them in one statement; the v15 trigger
    /// checks each follows the head and moves the head onto it, so when another writer has
    /// appended since `head` was read the statement fails whole (`isChainMoved`). Returns the new head.
    static func insert(_ events: [AuditEvent], after head: Head, on sql: any SQLDatabase) async throws -> Head {
        var (seq, previous) = (head.seq, head.hash)
        var rows: [[any Encodable & Sendable]] = []
        rows.reserveCapacity(events.count)
        for event in events {
            if event.id == nil { event.id = UUID() }
            event.at = wholeMilliseconds(event.at)
            seq += 1
            event.seq = seq
            event.previousHash = previous
            let own = hash(of: event, seq: seq, previous: previous)
            event.hash = own
            previous = own
            rows.append([event.id, event.at, event.userID, event.actor, event.action, event.personID, event.detail, event.clientAddress,
                         seq, event.previousHash, own])
        }
        try await sql.insertRows(AuditEvent.schema, ["id", "at", "user_id", "actor", "action", "person_id", "detail", "client_address",
                                                     "seq", "prev_hash", "hash"], rows)
        return Head(seq: seq, hash: previous)
    }

    /// Whether `error` is the v15 trigger's refusal of an entry that does not follow the head.
    static func isChainMoved(_ error: any Error) -> Bool {
        (String(describing: error) + " " + String(reflecting: error)).contains("audit chain moved")
    }

    /// One place where the chain does not hold.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The entry's place in the chain, where it has one.
        public let seq: Int64?
        public let entryID: UUID?
        public let message: String
        public var description: String { message }
    }

    /// What `verify` found.
    public struct Report: Sendable {
        public let entries: Int
        public let headSeq: Int64
        public let headHash: String
        /// The first problems (at most `limit`), in chain order; empty when the chain holds.
        public let problems: [Problem]
        public var isIntact: Bool { problems.isEmpty }
    }

    /// Walks the whole chain, a page at a time, recomputing every hash.
    ///
    /// It reads one snapshot of the database (a read-only transaction, repeatable read on
    /// PostgreSQL), so entries written while it walks — the server keeps writing — are not taken
    /// for a head with missing entries.
    public static func verify(on db: any Database, limit: Int = 20) async throws -> Report {
        if db.inTransaction { return try await walk(on: db, limit: limit) }
        return try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            if sql.dialect.name == "postgresql" { try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run() }
            return try await walk(on: tx, limit: limit)
        }
    }

    private static func walk(on db: any Database, limit: Int) async throws -> Report {
        let sql = db as! any SQLDatabase
        var problems: [Problem] = []
        func problem(_ seq: Int64?, _ id: UUID?, _ message: String) { if problems.count < limit { problems.append(Problem(seq: seq, entryID: id, message: message)) } }
        for event in try await AuditEvent.query(on: db).filter(\.$seq == nil).sort(\.$at).limit(limit).all() {
            problem(nil, event.id, "an entry of \(event.at) (\(event.action)) has no place in the chain: it was written outside EyesOn (inserted?)")
        }
        var expected: Int64 = 1
        var previous = genesis
        var entries = 0
        while true {
            let page = try await AuditEvent.query(on: db).filter(\.$seq >= expected).sort(\.$seq).limit(5_000).all()
            guard !page.isEmpty else { break }
            for event in page {
                guard let seq = event.seq else { continue }
                entries += 1
                if seq != expected {
                    problem(expected, nil, seq == expected + 1 ? "entry \(expected) is missing (deleted?): the chain goes from \(expected - 1) to \(seq)"
                                                               : "entries \(expected) to \(seq - 1) are missing (deleted?): the chain goes from \(expected - 1) to \(seq)")
                } else if event.previousHash != previous {
                    problem(seq, event.id, "entry \(seq) (\(event.action), \(event.at)) does not follow entry \(seq - 1): its link to the entry before is not that entry's hash")
                }
                if hash(of: event, seq: seq, previous: event.previousHash ?? "") != event.hash {
                    problem(seq, event.id, "entry \(seq) (\(event.action), \(event.at)) was altered: what it records does not match its hash")
                }
                previous = event.hash ?? ""
                expected = seq + 1
            }
        }
        let head = try await sql.raw("SELECT seq, hash FROM audit_chain_head WHERE id = 1").first()
        let headSeq = try head?.decode(column: "seq", as: Int64.self) ?? -1
        let headHash = try head?.decode(column: "hash", as: String.self) ?? ""
        if headSeq != expected - 1 || (headSeq > 0 && headHash != previous) {
            problem(headSeq, nil, headSeq > expected - 1
                ? "the chain's head is entry \(headSeq) but the last entry is \(expected - 1): entries \(expected) to \(headSeq) are missing (deleted from the end?)"
                : "the chain's head (entry \(headSeq)) does not match the last entry (\(expected - 1))")
        }
        return Report(entries: entries, headSeq: headSeq, headHash: headHash, problems: problems)
    }

    /// Puts the entries written before the chain existed onto it, oldest first (the v11 migration).
    static func chainExisting(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        var previous = genesis
        var seq: Int64 = 0
        for event in try await AuditEvent.query(on: db).sort(\.$at).sort(\.$id).all() {
            seq += 1
            let h = hash(of: event, seq: seq, previous: previous)
            try await sql.update(AuditEvent.schema).set("seq", to: seq).set("prev_hash", to: previous).set("hash", to: h)
                .where("id", .equal, event.id!).run()
            previous = h
        }
        try await sql.raw("UPDATE audit_chain_head SET seq = \(bind: seq), hash = \(bind: previous) WHERE id = 1").run()
    }
}
