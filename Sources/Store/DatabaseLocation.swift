import Foundation
import FluentKit
import FluentSQLiteDriver
import FluentPostgresDriver

/// Where EyesOn keeps its data: an embedded SQLite file (the default) or a PostgreSQL server
/// (production, chosen by setting `DATABASE_URL`).
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// The default SQLite file, relative to the working directory.
    public static let defaultSQLitePath = "eyeson.sqlite"

    /// Chooses PostgreSQL when `DATABASE_URL` is set (and not empty), otherwise the SQLite file at
    /// `databasePath` (or `./eyeson.sqlite`). Giving both is an error: the caller must pick one.
    public static func resolve(
        databasePath: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DatabaseLocationError) -> DatabaseLocation {
        let url = environment["DATABASE_URL"].map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if !url.isEmpty {
            if databasePath != nil {
                throw DatabaseLocationError(message: "both --database and DATABASE_URL are set; unset DATABASE_URL to use a SQLite file, or drop --database to use PostgreSQL")
            }
            let location = DatabaseLocation.postgres(url: url)
            try location.validate()
            return location
        }
        return .sqlite(path: databasePath ?? defaultSQLitePath)
    }

    /// The location for people to read: a SQLite path, or a PostgreSQL host, port and database —
    /// never the password.
    public var safeDescription: String {
        switch self {
        case .sqlite(let path):
            return "SQLite file \(path)"
        case .postgres(let url):
            guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else {
                return "PostgreSQL (DATABASE_URL is not a valid URL)"
            }
            let db = parts.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            return "PostgreSQL at \(host):\(parts.port ?? 5432)" + (db.isEmpty ? "" : "/\(db)")
        }
    }

    /// The read-only standby for reporting and dashboard reads, when `READ_DATABASE_URL` is set
    /// (PostgreSQL only: it is a streaming replica of the primary `primary` names).
    public static func resolveStandby(
        primary: DatabaseLocation,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DatabaseLocationError) -> DatabaseLocation? {
        let url = environment["READ_DATABASE_URL"].map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !url.isEmpty else { return nil }
        guard primary.isPostgres else {
            throw DatabaseLocationError(message: "READ_DATABASE_URL is set but the data is in a SQLite file: a read-only standby needs PostgreSQL (set DATABASE_URL too, or unset READ_DATABASE_URL)")
        }
        let location = DatabaseLocation.postgres(url: url)
        try location.validate(variable: "READ_DATABASE_URL")
        return location
    }

    /// Checks the shape of a PostgreSQL URL without connecting; errors name `variable`.
    public func validate(variable: String = "DATABASE_URL") throws(DatabaseLocationError) {
        guard case .postgres(let url) = self else { return }
        guard let parts = URLComponents(string: url),
              let scheme = parts.scheme, ["postgres", "postgresql", "postgres+tcp", "postgresql+tcp"].contains(scheme)
        else {
            throw DatabaseLocationError(message: "\(variable) is not a postgres:// URL (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw DatabaseLocationError(message: "\(variable) has no host (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        guard let user = parts.user, !user.isEmpty else {
            throw DatabaseLocationError(message: "\(variable) for host \(host) has no user name")
        }
        do {
            _ = try SQLPostgresConfiguration(url: url)
        } catch {
            throw DatabaseLocationError(message: "\(variable) for host \(host) is malformed (check the port and the sslmode option)")
        }
    }

    /// The Fluent configuration for this location.
    public func configuration() throws -> DatabaseConfigurationFactory {
        switch self {
        case .sqlite(let path):
            return .sqlite(.file(path), connectionPoolTimeout: .seconds(30))
        case .postgres(let url):
            var config = try SQLPostgresConfiguration(url: url)
            config.searchPath = nil
            return .postgres(configuration: config, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30))
        }
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }
}

/// A database location that cannot be used, said in one line that never contains a password.
public struct DatabaseLocationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension DatabaseID {
    /// The database EyesOn keeps its data in (the primary, when there is a standby).
    public static let eyeson = DatabaseID(string: "eyeson")
    /// The read-only standby that takes reporting and dashboard reads (`READ_DATABASE_URL`).
    public static let eyesonStandby = DatabaseID(string: "eyeson-standby")
}
