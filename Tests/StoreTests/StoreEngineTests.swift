import Foundation
import Testing
import FluentKit
import SQLKit
import Store
import TestSupport

@Suite("The store on each real engine")
struct StoreEngineTests {
    @Test("migrating creates the schema, and migrating again changes nothing", arguments: Engine.available)
    func migrationsAreIdempotent(engine: Engine) async throws {
        let scratch = try await ScratchDatabase(engine)
        let first = try await scratch.openStore()
        let agency = Agency(key: "la-csc", name: "Eastbrook Children's Services", kind: .laChildrensSocialCare)
        try await agency.create(on: first.db)
        await first.shutdown()

        let second = try await scratch.openStore()
        #expect(try await Agency.query(on: second.db).count() == 1)
        let applied = try await second.sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()?.decode(column: "n", as: Int.self)
        #expect(applied == StoreMigrations.all.count)
        await second.shutdown()
        await scratch.remove()
    }

    @Test("SQLite runs in WAL mode with foreign keys enforced, and every pooled connection waits for the write lock by sleeping")
    func sqlitePragmas() async throws {
        try await withScratchStore(.sqlite) { store in
            for loop in store.databases.eventLoopGroup.makeIterator() {
                let db = try #require(store.databases.database(.eyeson, logger: store.db.logger, on: loop) as? any SQLDatabase)
                #expect(try await db.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self) == 30_000)
            }
            // The mode the file itself is in: bytes 18 and 19 of its header are 2 for WAL (1 for the
            // rollback journal). Asking a pooled connection instead can give its own stale answer.
            guard case .sqlite(let path) = store.location else { Issue.record("not SQLite"); return }
            let header = try #require(FileHandle(forReadingAtPath: path)).readData(ofLength: 20)
            #expect(header.count == 20 && header[18] == 2 && header[19] == 2, "the database file is in WAL mode")
            await #expect(throws: (any Error).self) {
                // An identifier for a person who does not exist is refused.
                try await store.sql.raw("""
                    INSERT INTO person_identifiers (id, person_id, kind, value, scope) VALUES \
                    (\(bind: UUID()), \(bind: UUID()), 'nhs-number', '9999999999', 'national')
                    """).run()
            }
        }
    }

    @Test("foreign keys hold on every engine", arguments: Engine.available)
    func foreignKeys(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let user = UserAccount(agencyID: UUID(), email: "nobody@example.org", displayName: "Nobody", role: .analyst, passwordHash: "x")
            await #expect(throws: (any Error).self) { try await user.create(on: store.db) }
            let users = try await UserAccount.query(on: store.db).count()
            #expect(users == 0)
        }
    }

    @Test("a second identical NHS number is refused by the person index", arguments: Engine.available)
    func identifiersAreUnique(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let person = Person()
            person.kindRaw = "child"; person.givenName = "Ada"; person.familyName = "Okafor"; person.sexRaw = "F"
            try await person.create(on: store.db)
            func identifier() -> PersonIdentifier {
                let id = PersonIdentifier()
                id.$person.id = person.id!
                id.kindRaw = "nhs-number"; id.value = "9990000018"; id.scope = PersonIdentifier.nationalScope
                return id
            }
            try await identifier().create(on: store.db)
            await #expect(throws: (any Error).self) { try await identifier().create(on: store.db) }
        }
    }
}

@Suite("Where the data lives")
struct DatabaseLocationTests {
    @Test("SQLite by default, PostgreSQL when DATABASE_URL is set")
    func resolution() throws {
        #expect(try DatabaseLocation.resolve(databasePath: nil, environment: [:]) == .sqlite(path: "eyeson.sqlite"))
        #expect(try DatabaseLocation.resolve(databasePath: "/tmp/x.sqlite", environment: ["DATABASE_URL": ""]) == .sqlite(path: "/tmp/x.sqlite"))
        let url = "postgres://eyeson:s3cret@db.example.org:5433/eyeson?sslmode=disable"
        #expect(try DatabaseLocation.resolve(databasePath: nil, environment: ["DATABASE_URL": url]) == .postgres(url: url))
        #expect(throws: DatabaseLocationError.self) {
            try DatabaseLocation.resolve(databasePath: "x.sqlite", environment: ["DATABASE_URL": url])
        }
    }

    @Test("descriptions name the host but never the password")
    func safeDescription() {
        let location = DatabaseLocation.postgres(url: "postgres://eyeson:s3cret@db.example.org:5433/eyeson")
        #expect(location.safeDescription == "PostgreSQL at db.example.org:5433/eyeson")
        #expect(!location.safeDescription.contains("s3cret"))
    }

    @Test("a malformed DATABASE_URL is one clear line", arguments: [
        "mysql://u:p@host/db", "postgres://:s3cret@host/db", "not a url at all", "postgres://u:s3cret@/db",
        "postgres://u:s3cret@host:5432/db?sslmode=sometimes",
    ])
    func malformed(url: String) {
        do {
            _ = try DatabaseLocation.resolve(databasePath: nil, environment: ["DATABASE_URL": url])
            Issue.record("\(url) was accepted")
        } catch {
            #expect(!error.description.contains("s3cret"))
            #expect(error.description.contains("DATABASE_URL"))
        }
    }

    @Test("an unreachable PostgreSQL server is named, without its password")
    func unreachable() async throws {
        // Port 1 on loopback: nothing listens there.
        let store = try EyesOnStore(location: .postgres(url: "postgres://eyeson:s3cret@127.0.0.1:1/eyeson?sslmode=disable"))
        do {
            try await store.checkConnection()
            Issue.record("connected to a port where nothing listens")
        } catch {
            #expect(error.description.contains("127.0.0.1:1"))
            #expect(!error.description.contains("s3cret"))
        }
        await store.shutdown()
    }
}
