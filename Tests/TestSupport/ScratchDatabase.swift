import Foundation
import FluentKit
import SQLKit
import Store

/// A fresh, empty database on a real engine for one test: a SQLite file in a temporary folder, or
/// a new PostgreSQL database on the server `DATABASE_URL` names (the test script starts one).
public enum Engine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    public var description: String { rawValue }

    /// The engines to test on: SQLite always, PostgreSQL whenever `DATABASE_URL` is set.
    public static var available: [Engine] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
        return url.isEmpty ? nil : url
    }
}

public final class ScratchDatabase: Sendable {
    public let location: DatabaseLocation
    let cleanupPath: String?
    let dropName: String?

    /// Makes a new empty database on the engine.
    public init(_ engine: Engine) async throws {
        let name = "eyeson_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        switch engine {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eyeson-tests-\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            location = .sqlite(path: folder.appendingPathComponent("test.sqlite").path)
            cleanupPath = folder.path
            dropName = nil
        case .postgres:
            guard let url = Engine.postgresURL, var parts = URLComponents(string: url) else {
                throw ScratchError(message: "DATABASE_URL is not set")
            }
            let admin = try EyesOnStore(location: .postgres(url: url))
            _ = try await admin.sql.raw("CREATE DATABASE \(ident: name)").all()
            await admin.shutdown()
            parts.path = "/" + name
            location = .postgres(url: parts.string!)
            cleanupPath = nil
            dropName = name
        }
    }

    /// Opens the scratch database, migrated with the store's migrations and any extra ones.
    public func openStore(extraMigrations: [any Migration] = []) async throws -> EyesOnStore {
        let store = try EyesOnStore(location: location, extraMigrations: extraMigrations)
        try await store.migrate()
        return store
    }

    /// Drops the database (PostgreSQL) or removes its folder (SQLite).
    public func remove() async {
        if let cleanupPath { try? FileManager.default.removeItem(atPath: cleanupPath) }
        if let dropName, let url = Engine.postgresURL, let admin = try? EyesOnStore(location: .postgres(url: url)) {
            _ = try? await admin.sql.raw("DROP DATABASE IF EXISTS \(ident: dropName) WITH (FORCE)").all()
            await admin.shutdown()
        }
    }
}

public struct ScratchError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Runs `body` with a migrated store on a fresh database, and cleans up afterwards.
public func withScratchStore<T: Sendable>(_ engine: Engine, extraMigrations: [any Migration] = [], _ body: (EyesOnStore) async throws -> T) async throws -> T {
    let scratch = try await ScratchDatabase(engine)
    let store: EyesOnStore
    do { store = try await scratch.openStore(extraMigrations: extraMigrations) } catch { await scratch.remove(); throw error }
    do {
        let result = try await body(store)
        await store.shutdown()
        await scratch.remove()
        return result
    } catch {
        await store.shutdown()
        await scratch.remove()
        throw error
    }
}
