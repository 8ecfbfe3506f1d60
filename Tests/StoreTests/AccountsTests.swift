import Foundation
import Testing
import FluentKit
import EyesOnCore
import Store
import TestSupport

@Suite("User accounts")
struct AccountsTests {
    static func seedAgencies(on db: any Database) async throws {
        try await Agency(key: "la-csc", name: "Eastbrook Children's Services", kind: .laChildrensSocialCare).create(on: db)
        try await Agency(key: "school-100001", name: "Brook Lane Primary", kind: .school, urn: 100001).create(on: db)
    }

    @Test("a user is created in an agency their role fits, once", arguments: Engine.available)
    func create(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.seedAgencies(on: store.db)
            let user = try await Accounts.createUser(on: store.db, email: " Sam.Worker@Example.org ", displayName: "Sam Worker",
                                                     role: .socialWorker, agencyKey: "la-csc", passwordHash: "hash")
            #expect(user.email == "sam.worker@example.org")
            await #expect(throws: AccountError(field: "email", message: "a user with the email sam.worker@example.org already exists")) {
                _ = try await Accounts.createUser(on: store.db, email: "sam.worker@example.org", displayName: "Sam", role: .socialWorker,
                                                  agencyKey: "la-csc", passwordHash: "hash")
            }
            await #expect(throws: AccountError.self) {
                // A designated safeguarding lead belongs to a school, not to social care.
                _ = try await Accounts.createUser(on: store.db, email: "dsl@example.org", displayName: "Dee", role: .safeguardingLead,
                                                  agencyKey: "la-csc", passwordHash: "hash")
            }
            await #expect(throws: AccountError.self) {
                _ = try await Accounts.createUser(on: store.db, email: "not-an-email", displayName: "X", role: .analyst,
                                                  agencyKey: "la-csc", passwordHash: "hash")
            }
            await #expect(throws: AccountError.self) {
                _ = try await Accounts.createUser(on: store.db, email: "x@example.org", displayName: "X", role: .analyst,
                                                  agencyKey: "no-such-agency", passwordHash: "hash")
            }
            #expect(try await UserAccount.query(on: store.db).count() == 1)
            #expect(try await AuditEvent.query(on: store.db).filter(\.$action == "user-created").count() == 1)

            // Disabled, the user acts as nobody (a session ends at its next request); enabled, again as themselves.
            #expect(try await Accounts.setDisabled(true, email: "SAM.WORKER@example.org", actor: "admin", on: store.db))
            #expect(Accounts.viewer(for: try #require(try await Accounts.find(email: "sam.worker@example.org", on: store.db))) == nil)
            #expect(try await Accounts.setDisabled(false, email: "sam.worker@example.org", actor: "admin", on: store.db))
            #expect(Accounts.viewer(for: try #require(try await Accounts.find(email: "sam.worker@example.org", on: store.db)))?.role == .socialWorker)
            #expect(try await Accounts.setDisabled(true, email: "nobody@example.org", actor: "admin", on: store.db) == false)
            #expect(try await AuditEvent.query(on: store.db).filter(\.$action ~~ ["user-disabled", "user-enabled"]).count() == 2)
        }
    }

    @Test("passwords: long enough, not a common one, not a repeat or a run, not built on the user's email or name")
    func passwordRules() throws {
        func refusal(_ password: String) -> String? {
            do { try Accounts.validatePassword(password, email: "sam.jones@eastbrook.example", name: "Sam Jones"); return nil }
            catch { return error.message }
        }
        #expect(refusal("short")?.contains("at least 12") == true)
        #expect(refusal(String(repeating: "x", count: 73))?.contains("at most 72") == true)
        #expect(refusal("Password1234")?.contains("most often") == true, "common, whatever the case")
        #expect(refusal("Safeguarding")?.contains("most often") == true)
        #expect(refusal("aaaaaaaaaaaaaa")?.contains("repeats") == true)
        #expect(refusal("abababababab")?.contains("repeats") == true)
        #expect(refusal("123456789012")?.contains("most often") == true)
        #expect(refusal("3456789:;<=>")?.contains("run of characters") == true)
        #expect(refusal("LKJIHGFEDCBA")?.contains("run of characters") == true)
        #expect(refusal("sam.jones-2026!")?.contains("'sam.jones'") == true)
        #expect(refusal("JonesFamily2026")?.contains("'jones'") == true)
        #expect(refusal("my-eyeson-login")?.contains("'eyeson'") == true)
        #expect(refusal("correct horse battery staple") == nil)
        #expect(refusal("Tangerine-Kettle-Orbit") == nil)
    }

    @Test("five failed sign-ins lock the account for the set time", arguments: Engine.available)
    func lockout(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            try await Self.seedAgencies(on: store.db)
            let user = try await Accounts.createUser(on: store.db, email: "a@example.org", displayName: "A", role: .analyst,
                                                     agencyKey: "la-csc", passwordHash: "hash")
            let now = Date()
            for _ in 1...4 { try await Accounts.recordFailure(user, on: store.db, now: now) }
            let reloaded = try #require(try await Accounts.find(email: "a@example.org", on: store.db))
            #expect(!Accounts.isLocked(reloaded, now: now))
            try await Accounts.recordFailure(reloaded, on: store.db, now: now)
            let locked = try #require(try await Accounts.find(email: "A@EXAMPLE.ORG", on: store.db))
            #expect(Accounts.isLocked(locked, now: now.addingTimeInterval(14 * 60)))
            #expect(!Accounts.isLocked(locked, now: now.addingTimeInterval(16 * 60)))
        }
    }
}
