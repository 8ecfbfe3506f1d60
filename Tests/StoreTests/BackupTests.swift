import Foundation
import Testing
import FluentKit
import SQLKit
import EyesOnCore
import Synthetic
import Store
import TestSupport

/// `eyeson backup` and `eyeson restore`, on each engine: a backup taken while entries are being
/// written restores into an empty database with the same rows and an audit chain that verifies.
@Suite("Backup and restore")
struct BackupTests {
    static func count(_ table: String, on db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The restored database's audit actions, in chain order.
    static func actions(_ target: ScratchDatabase) async throws -> [String] {
        let store = try EyesOnStore(location: target.location)
        let rows = try await store.sql.raw("SELECT action FROM audit_events ORDER BY seq").all().map { try $0.decode(column: "action", as: String.self) }
        await store.shutdown()
        return rows
    }

    @Test("a backup taken while the trail is written restores into an empty database whole; it never overwrites a file, and a database with data is never restored into", arguments: Engine.available)
    func roundTrip(engine: Engine) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withScratchStore(engine) { store in
            _ = try await SyntheticAreaLoader.load(SocialCareImportTests.area, on: store.db)
            let people = try await Self.count("people", on: store.db)
            let before = try await Self.count("audit_events", on: store.db)
            #expect(people > 0 && before > 0)
            let file = folder.appendingPathComponent("eyeson.backup").path
            // Entries keep arriving while the backup is taken, as they do from a running server.
            let written = try await withThrowingTaskGroup(of: Backup.Summary?.self) { group in
                group.addTask {
                    for k in 0..<40 {
                        try await AuditLog.record(.childRecordRead, on: store.db, actor: "reader\(k)@example.org", personID: UUID(), detail: "read \(k)")
                    }
                    return nil
                }
                group.addTask { try await Backup.write(to: file, from: store) }
                var summary: Backup.Summary?
                for try await result in group where result != nil { summary = result }
                return try #require(summary)
            }
            #expect(written.audit.isIntact, "\(written.audit.problems)")
            #expect(written.count("people") == people)
            await #expect(throws: BackupError.self, "a backup never overwrites") { _ = try await Backup.write(to: file, from: store) }

            // Into an empty database: the same people, and a chain that verifies.
            let target = try await ScratchDatabase(engine)
            do {
                let restored = try await Backup.restore(from: file, into: target.location)
                #expect(restored.audit.isIntact, "\(restored.audit.problems)")
                #expect(restored.count("people") == people)
                let entries = try #require(restored.count("audit_events"))
                // The trail as it stood at some moment of the backup, with the backup's own entry, and the restore's.
                #expect(entries >= before + 2 && entries <= before + 42)
                let actions = try await Self.actions(target)
                #expect(actions.contains(AuditAction.backupWritten.rawValue) && actions.last == AuditAction.backupRestored.rawValue)
                #expect(restored.audit.entries == entries)
                let check = try await target.openStore()
                #expect(try await Self.count("people", on: check.db) == people)
                #expect(try await Self.count("list_entries", on: check.db) == Self.count("list_entries", on: store.db))
                await check.shutdown()
            } catch {
                await target.remove(); throw error
            }
            await target.remove()

            // Never into a database that holds data; and a file that is no backup is named as such.
            let entriesNow = try await Self.count("audit_events", on: store.db)
            await #expect(throws: BackupError.self) { _ = try await Backup.restore(from: file, into: store.location) }
            #expect(try await Self.count("audit_events", on: store.db) == entriesNow, "nothing applied")
            let notABackup = folder.appendingPathComponent("notes.txt").path
            try "not a backup".write(toFile: notABackup, atomically: true, encoding: .utf8)
            let empty = try await ScratchDatabase(engine)
            await #expect(throws: BackupError.self) { _ = try await Backup.restore(from: notABackup, into: empty.location) }
            await empty.remove()
        }
    }
}
