import Foundation
import Vapor
import Store
import EyesOnCore

/// How the server runs: where the data is, where to listen, and how it is deployed.
public struct ServerOptions: Sendable {
    public var location: DatabaseLocation
    public var host: String
    public var port: Int
    /// Set when a TLS-terminating proxy sits in front (`EYESON_BEHIND_TLS=1`): adds HSTS and marks
    /// the session cookie Secure.
    public var behindTLS: Bool
    /// Set when a reverse proxy in front adds the client's address to `X-Forwarded-For`
    /// (`EYESON_TRUST_FORWARDED_FOR=1`): the audit trail and the sign-in throttle then take the
    /// address the proxy saw (the header's last entry) instead of the proxy's own. Never set it
    /// when clients reach EyesOn directly: they could write any address into the header.
    public var trustForwardedFor: Bool
    public var signInPolicy: SignInPolicy
    /// The bearer token `/metrics` answers (`EYESON_METRICS_TOKEN`); without one there is no `/metrics`.
    public var metricsToken: String?
    /// Vapor's environment name ("production" unless told otherwise).
    public var environmentName: String
    /// For tests: a file holding the date the server takes as today (YYYY-MM-DD), read on every
    /// request, so a test can move the clock; when the file is missing or empty, the real date.
    public var clockFile: String?
    /// Demo mode (`serve --demo`): the demo accounts may sign in without two-factor, under a banner.
    public var demo: Bool
    /// For the audit benchmark only (`serve --demo --benchmark-unaudited-reads`): opening a child's
    /// record is not written to the audit trail, so the benchmark can measure what auditing costs.
    /// Refused outside demo mode.
    public var benchmarkUnauditedReads: Bool
    /// The read-only standby for reporting and dashboard reads (`READ_DATABASE_URL`), if any.
    public var standby: DatabaseLocation?
    /// How many seconds behind the primary the standby may be and still be read
    /// (`READ_DATABASE_MAX_LAG`, default 10).
    public var maxStandbyLag: Double
    /// Built pages kept and served again while their data is unchanged (`PageCache`); on unless
    /// `serve --no-page-cache`.
    public var pageCache: Bool

    public init(location: DatabaseLocation, host: String = "127.0.0.1", port: Int = 8080, behindTLS: Bool = false,
                trustForwardedFor: Bool = false, metricsToken: String? = nil, signInPolicy: SignInPolicy = .standard, environmentName: String = "production", clockFile: String? = nil,
                demo: Bool = false, benchmarkUnauditedReads: Bool = false, standby: DatabaseLocation? = nil, maxStandbyLag: Double = 10,
                pageCache: Bool = true) {
        self.location = location
        self.host = host
        self.port = port
        self.behindTLS = behindTLS
        self.trustForwardedFor = trustForwardedFor
        self.metricsToken = metricsToken.flatMap { $0.isEmpty ? nil : $0 }
        self.signInPolicy = signInPolicy
        self.environmentName = environmentName
        self.clockFile = clockFile
        self.demo = demo
        self.benchmarkUnauditedReads = benchmarkUnauditedReads && demo
        self.standby = standby
        self.maxStandbyLag = maxStandbyLag
        self.pageCache = pageCache
    }

    /// Reads `READ_DATABASE_MAX_LAG` (seconds, default 10; 0 reads the standby only when it has
    /// replayed everything).
    public static func maxStandbyLagFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(DatabaseLocationError) -> Double {
        let text = (environment["READ_DATABASE_MAX_LAG"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return 10 }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
            throw DatabaseLocationError(message: "READ_DATABASE_MAX_LAG must be a number of seconds from 0 to 86400, not \(text)")
        }
        return seconds
    }

    /// Reads `EYESON_BEHIND_TLS` from the environment.
    public static func behindTLSFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isSet("EYESON_BEHIND_TLS", in: environment)
    }

    /// Reads `EYESON_TRUST_FORWARDED_FOR` from the environment.
    public static func trustForwardedForFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isSet("EYESON_TRUST_FORWARDED_FOR", in: environment)
    }

    static func isSet(_ name: String, in environment: [String: String]) -> Bool {
        ["1", "true", "yes"].contains((environment[name] ?? "").lowercased())
    }
}

/// The server's today: the real date in Europe/London, or the date in the test clock file.
struct ServerClock: Sendable {
    let file: String?

    var today: CivilDate { read().today }

    /// Today, and the date the clock file sets if it sets one, from one reading of the file.
    func read() -> (today: CivilDate, fixed: CivilDate?) {
        let fixed = fixedDate
        return (fixed ?? .today(), fixed)
    }

    /// The date the clock file sets, when it sets one (pages say so).
    var fixedDate: CivilDate? {
        guard let file, let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return CivilDate(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

extension Application {
    struct ServerClockKey: StorageKey {
        typealias Value = ServerClock
    }

    struct ServerOptionsKey: StorageKey {
        typealias Value = ServerOptions
    }

    struct AuditWriterKey: StorageKey {
        typealias Value = AuditWriter
    }

    /// The audit trail's group commit for the server's requests (set by `configure`).
    var auditWriter: AuditWriter? {
        get { storage[AuditWriterKey.self] }
        set { storage[AuditWriterKey.self] = newValue }
    }

    /// How the server was started (set by `configure`).
    var serverOptions: ServerOptions? {
        get { storage[ServerOptionsKey.self] }
        set { storage[ServerOptionsKey.self] = newValue }
    }

    /// The server's clock (the real one unless `serve --clock-file` was given).
    var serverClock: ServerClock {
        get { storage[ServerClockKey.self] ?? ServerClock(file: nil) }
        set { storage[ServerClockKey.self] = newValue }
    }
}
