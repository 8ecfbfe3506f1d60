import Foundation
import Store

/// How the server runs: where the data is, where to listen, and how it is deployed.
public struct ServerOptions: Sendable {
    public var location: DatabaseLocation
    public var host: String
    public var port: Int
    /// Set when a TLS-terminating proxy sits in front (`EYESON_BEHIND_TLS=1`): adds HSTS and marks
    /// the session cookie Secure.
    public var behindTLS: Bool
    public var signInPolicy: SignInPolicy
    /// Vapor's environment name ("production" unless told otherwise).
    public var environmentName: String

    public init(location: DatabaseLocation, host: String = "127.0.0.1", port: Int = 8080, behindTLS: Bool = false,
                signInPolicy: SignInPolicy = .standard, environmentName: String = "production") {
        self.location = location
        self.host = host
        self.port = port
        self.behindTLS = behindTLS
        self.signInPolicy = signInPolicy
        self.environmentName = environmentName
    }

    /// Reads `EYESON_BEHIND_TLS` from the environment.
    public static func behindTLSFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        ["1", "true", "yes"].contains((environment["EYESON_BEHIND_TLS"] ?? "").lowercased())
    }
}
