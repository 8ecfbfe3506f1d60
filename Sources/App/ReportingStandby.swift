import Vapor
import Fluent
import SQLKit
import Store

/// The read-only PostgreSQL standby (`READ_DATABASE_URL`) that takes the reporting and dashboard
/// reads (the statutory timescales report, the home page's figures), so they do not load the
/// primary that every record, import and audit entry is written to.
///
/// A standby replays the primary's changes a little later. The monitor checks how far behind it
/// is (at most once a second) and reads go to it only while it is within the lag allowed
/// (`READ_DATABASE_MAX_LAG`, seconds, default 10): caught up (it has replayed everything the primary
/// has written), or behind by no more than that since the last change it replayed. A standby that
/// is further behind, unreachable, or not a standby at all sends the reads back to the primary
/// until it recovers; no page fails for it. Writes, audit entries included, always go to the
/// primary. Each page read this way says where from in `X-EyesOn-Read-From` (`standby` or
/// `primary`), and `/ready` says how the standby is.
actor StandbyMonitor {
    enum State: Sendable, Equatable {
        /// In use: `lag` seconds behind (0 when it has replayed all the primary has written).
        case inUse(lag: Double)
        /// Further behind than allowed: reads go to the primary.
        case lagging(seconds: Double)
        /// Unreachable or not a standby: reads go to the primary.
        case unavailable(String)

        var description: String {
            switch self {
            case .inUse(let lag): lag == 0 ? "in use, caught up" : String(format: "in use, %.1f s behind", lag)
            case .lagging(let seconds): String(format: "not in use: %.1f s behind (more than READ_DATABASE_MAX_LAG)", seconds)
            case .unavailable(let why): "not in use: \(why)"
            }
        }
    }

    let maxLag: Double
    private var state: State = .unavailable("not checked yet")
    private var checkedAt: ContinuousClock.Instant?
    private var checking: Task<State, Never>?

    init(maxLag: Double) { self.maxLag = maxLag }

    /// The standby's state, checked again when the last check is over a second old (five when it
    /// was unavailable, so a dead standby is not knocked on for every page); one check at a time.
    func current(primary: any Database, standby: any Database) async -> State {
        if let checkedAt {
            let fresh: Duration = if case .unavailable = state { .seconds(5) } else { .seconds(1) }
            if ContinuousClock.now - checkedAt < fresh { return state }
        }
        if let checking { return await checking.value }
        let maxLag = maxLag
        let task = Task { await Self.check(primary: primary, standby: standby, maxLag: maxLag) }
        checking = task
        let result = await task.value
        state = result
        checkedAt = .now
        checking = nil
        return result
    }

    /// A read on the standby failed: use the primary until the next check.
    func failed(_ error: any Error) {
        state = .unavailable(StoreSetup.describe(error))
        checkedAt = .now
    }

    /// One check, given two seconds: a standby that does not answer in that time is unavailable.
    static func check(primary: any Database, standby: any Database, maxLag: Double) async -> State {
        await withTaskGroup(of: State?.self) { group in
            group.addTask { await measure(primary: primary, standby: standby, maxLag: maxLag) }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return Task.isCancelled ? nil : .unavailable("no answer within 2 s")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .unavailable("no answer")
        }
    }

    private static func measure(primary: any Database, standby: any Database, maxLag: Double) async -> State {
        guard let primarySQL = primary as? any SQLDatabase, let standbySQL = standby as? any SQLDatabase else {
            return .unavailable("not PostgreSQL")
        }
        struct Written: Decodable { let lsn: String }
        struct Replayed: Decodable { let recovering: Bool; let caught_up: Bool?; let behind: Double? }
        do {
            guard let written = try await primarySQL.raw("SELECT pg_current_wal_lsn()::text AS lsn").first(decoding: Written.self) else {
                return .unavailable("the primary did not say where its log is")
            }
            guard let replayed = try await standbySQL.raw("""
                SELECT pg_is_in_recovery() AS recovering, pg_last_wal_replay_lsn() >= \(bind: written.lsn)::pg_lsn AS caught_up,
                       EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 AS behind
                """).first(decoding: Replayed.self) else {
                return .unavailable("the standby did not answer")
            }
            guard replayed.recovering else { return .unavailable("READ_DATABASE_URL is not a standby (pg_is_in_recovery() is false)") }
            if replayed.caught_up == true { return .inUse(lag: 0) }
            let behind = max(replayed.behind ?? .infinity, 0)
            return behind <= maxLag ? .inUse(lag: behind) : .lagging(seconds: behind)
        } catch {
            return .unavailable(StoreSetup.describe(error))
        }
    }
}

extension Application {
    struct StandbyMonitorKey: StorageKey {
        typealias Value = StandbyMonitor
    }

    /// Set by `configure` when `READ_DATABASE_URL` names a standby.
    var standbyMonitor: StandbyMonitor? {
        get { storage[StandbyMonitorKey.self] }
        set { storage[StandbyMonitorKey.self] = newValue }
    }
}

extension Request {
    struct ReadFromKey: StorageKey {
        typealias Value = String
    }

    /// Where this request's reporting read came from ("standby" or "primary"), for the
    /// `X-EyesOn-Read-From` header; nil when it made none.
    var readFrom: String? { storage[ReadFromKey.self] }

    /// Runs a reporting or dashboard read (`body`, which must only read) on the standby while it
    /// is within the lag allowed, else on the primary; a read that fails on the standby is run
    /// again on the primary. Without a standby, simply on the database.
    func reportingRead<T>(_ body: (any Database) async throws -> T) async throws -> T {
        guard let monitor = application.standbyMonitor else { return try await body(db) }
        let standby = self.db(.eyesonStandby)
        if case .inUse = await monitor.current(primary: db, standby: standby) {
            do {
                let result = try await body(standby)
                storage[ReadFromKey.self] = "standby"
                return result
            } catch {
                logger.warning("a reporting read on the standby failed; reading from the primary", metadata: ["error": .string(StoreSetup.describe(error))])
                await monitor.failed(error)
            }
        }
        storage[ReadFromKey.self] = "primary"
        return try await body(db)
    }
}
