import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Store
import TestSupport

/// The audit trail's hash chain, on each engine: an intact chain verifies; altering, inserting or
/// deleting a row in the database makes verification fail and name the entry.
@Suite("Audit chain")
struct AuditChainTests {
    static func write(_ n: Int, on db: any Database) async throws {
        for k in 1...n {
            try await AuditLog.record(.childRecordRead, on: db, userID: UUID(), actor: "worker\(k)@example.org", personID: UUID(),
                                      detail: "opened the record (\(k))", clientAddress: "127.0.0.1")
        }
    }

    static func messages(_ store: EyesOnStore) async throws -> [String] {
        try await AuditChain.verify(on: store.db).problems.map(\.message)
    }

    @Test("an intact chain verifies, also with writers at once; its places run 1, 2, 3 with no gaps", arguments: Engine.available)
    func intact(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.write(5, on: store.db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for k in 0..<8 {
                    group.addTask { try await AuditLog.record(.childSearch, on: store.db, actor: "parallel\(k)@example.org", detail: "search \(k)") }
                }
                try await group.waitForAll()
            }
            // Inside another transaction too, as the imports write theirs.
            try await store.db.transaction { tx in try await AuditLog.record(.feedImported, on: tx, actor: "import", detail: "imported") }
            let report = try await AuditChain.verify(on: store.db)
            #expect(report.isIntact, "\(report.problems)")
            #expect(report.entries == 14 && report.headSeq == 14)
            let places = try await store.sql.raw("SELECT seq FROM audit_events ORDER BY seq").all().map { try $0.decode(column: "seq", as: Int64.self) }
            #expect(places == Array(1...14))
        }
    }

    @Test("the server's group commit: many requests' reads at once each return once on record, in one unbroken chain", arguments: Engine.available)
    func groupCommit(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.write(3, on: store.db)
            let writer = AuditWriter(database: { store.db })
            let people = (0..<40).map { _ in UUID() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (k, person) in people.enumerated() {
                    group.addTask {
                        try await writer.append(AuditLog.entry(.childRecordRead, actor: "reader\(k)@example.org", personID: person, detail: "read \(k)"))
                        // Returned: the entry is committed and can be read back at once.
                        let found = try await AuditLog.recent(on: store.db, limit: 5, personID: person, action: .childRecordRead)
                        #expect(found.map(\.detail) == ["read \(k)"])
                    }
                }
                // Meanwhile another writer (sign-ins, changes) moves the head under the writer, one
                // transaction after another. (Ten at once, each holding SQLite's one write lock, kept
                // the writer's connection waiting past the pool's 30 s when the whole test run shared
                // two cores.)
                group.addTask {
                    for k in 0..<3 { try await AuditLog.record(.signIn, on: store.db, actor: "other\(k)@example.org", detail: "signed in") }
                }
                try await group.waitForAll()
            }
            // Entries written the old way since the writer's last batch: its next batch still follows them.
            try await Self.write(2, on: store.db)
            let late = UUID()
            try await writer.append(AuditLog.entry(.childRecordRead, actor: "late@example.org", personID: late, detail: "read late"))
            #expect(try await AuditLog.recent(on: store.db, personID: late).map(\.detail) == ["read late"])
            let report = try await AuditChain.verify(on: store.db)
            #expect(report.isIntact, "\(report.problems)")
            #expect(report.entries == 49 && report.headSeq == 49)
            let places = try await store.sql.raw("SELECT seq FROM audit_events ORDER BY seq").all().map { try $0.decode(column: "seq", as: Int64.self) }
            #expect(places == Array(1...49))
        }
    }

    @Test("the database refuses an entry that does not follow the chain's head, and applies nothing of its statement", arguments: Engine.available)
    func headGuarded(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.write(3, on: store.db)
            let sql = store.sql
            let head = try #require(try await sql.raw("SELECT seq, hash FROM audit_chain_head").first())
            let (seq, hash) = (try head.decode(column: "seq", as: Int64.self), try head.decode(column: "hash", as: String.self))
            func insert(_ rows: [(Int64, String)]) async throws {
                var builder = sql.insert(into: "audit_events").columns("id", "at", "action", "detail", "seq", "prev_hash", "hash")
                for (place, link) in rows {
                    builder = builder.values(SQLBind(UUID()), SQLBind(Date()), SQLBind("sign-in"), SQLBind("forged"), SQLBind(place), SQLBind(link), SQLBind("f"))
                }
                try await builder.run()
            }
            // A good first row and a second that skips a place: the whole statement is refused.
            await #expect(throws: (any Error).self) { try await insert([(seq + 1, hash), (seq + 3, "f")]) }
            // A place already taken, and a wrong link.
            await #expect(throws: (any Error).self) { try await insert([(seq, hash)]) }
            await #expect(throws: (any Error).self) { try await insert([(seq + 1, "not-the-head")]) }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE detail = 'forged'").first()?.decode(column: "n", as: Int.self) == 0)
            let after = try #require(try await sql.raw("SELECT seq, hash FROM audit_chain_head").first())
            #expect(try after.decode(column: "seq", as: Int64.self) == seq && after.decode(column: "hash", as: String.self) == hash)
            #expect(try await AuditChain.verify(on: store.db).isIntact)
        }
    }

    @Test("an altered row is named", arguments: Engine.available)
    func altered(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.write(6, on: store.db)
            try await store.sql.raw("UPDATE audit_events SET detail = 'nothing to see' WHERE seq = 3").run()
            let found = try await Self.messages(store)
            #expect(found.count == 1 && found[0].hasPrefix("entry 3 (child-record-read") && found[0].contains("was altered"), "\(found)")
            // Changing who read it is as visible as what was read.
            try await store.sql.raw("UPDATE audit_events SET detail = 'opened the record (3)' WHERE seq = 3").run()
            #expect(try await Self.messages(store).isEmpty, "put back, it verifies again")
            try await store.sql.raw("UPDATE audit_events SET actor = 'someone.else@example.org' WHERE seq = 5").run()
            #expect(try await Self.messages(store).first?.hasPrefix("entry 5 ") == true)
        }
    }

    @Test("a deleted row is named: in the middle, and at the end", arguments: Engine.available)
    func deleted(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.write(6, on: store.db)
            try await store.sql.raw("DELETE FROM audit_events WHERE seq = 4").run()
            #expect(try await Self.messages(store) == ["entry 4 is missing (deleted?): the chain goes from 3 to 5"])
            try await store.sql.raw("DELETE FROM audit_events WHERE seq = 5").run()
            #expect(try await Self.messages(store) == ["entries 4 to 5 are missing (deleted?): the chain goes from 3 to 6"])
        }
        try await withScratchStore(engine) { store in
            try await Self.write(6, on: store.db)
            try await store.sql.raw("DELETE FROM audit_events WHERE seq = 6").run()
            let found = try await Self.messages(store)
            #expect(found == ["the chain's head is entry 6 but the last entry is 5: entries 6 to 6 are missing (deleted from the end?)"], "\(found)")
        }
    }

    @Test("an inserted row is named, with a place in the chain or without", arguments: Engine.available)
    func inserted(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.write(4, on: store.db)
            let forged = AuditEvent()
            forged.at = Date()
            forged.action = "sign-in"
            forged.actor = "intruder@example.org"
            forged.detail = "signed in"
            try await forged.create(on: store.db)
            let found = try await Self.messages(store)
            #expect(found.count == 1 && found[0].contains("has no place in the chain"), "\(found)")
            // Given the next place and a made-up hash: the link and the head both give it away.
            try await store.sql.raw("UPDATE audit_events SET seq = 5, prev_hash = 'x', hash = 'y' WHERE seq IS NULL").run()
            let placed = try await Self.messages(store)
            #expect(placed.contains { $0.hasPrefix("entry 5 (sign-in") && $0.contains("does not follow entry 4") }, "\(placed)")
            #expect(placed.contains { $0.contains("was altered") })
        }
    }

    @Test("the entries written before the chain existed are chained by the upgrade, oldest first", arguments: Engine.available)
    func upgrade(engine: Engine) async throws {
        let scratch = try await ScratchDatabase(engine)
        let store = try EyesOnStore(location: scratch.location)
        do {
            try await store.migrate(first: try #require(StoreMigrations.all.firstIndex { $0.name == "v11-audit-chain" }))
            let base = Date(timeIntervalSince1970: 1_790_000_000.123456)
            for k in [2, 0, 1] {
                try await store.sql.raw("""
                    INSERT INTO audit_events (id, at, actor, action, detail) VALUES (\(bind: UUID()), \(bind: base.addingTimeInterval(Double(k) * 60)), \
                    \(bind: "old\(k)@example.org"), 'sign-in', 'signed in')
                    """).run()
            }
            try await store.migrate()
            let report = try await AuditChain.verify(on: store.db)
            #expect(report.isIntact && report.entries == 3, "\(report.problems)")
            let actors = try await store.sql.raw("SELECT actor FROM audit_events ORDER BY seq").all().map { try $0.decode(column: "actor", as: String.self) }
            #expect(actors == ["old0@example.org", "old1@example.org", "old2@example.org"])
            try await AuditLog.record(.signIn, on: store.db, actor: "new@example.org", detail: "signed in")
            #expect(try await AuditChain.verify(on: store.db).entries == 4)
        } catch {
            await store.shutdown(); await scratch.remove(); throw error
        }
        await store.shutdown()
        await scratch.remove()
    }
}
