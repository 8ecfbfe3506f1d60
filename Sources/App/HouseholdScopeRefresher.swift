import Vapor
import Fluent
import Store
import EyesOnCore

/// Keeps the health services' household scopes (`HouseholdScopes`) current: before a request of
/// a viewer who sees households goes on, the agency's kept rows are checked (at most every 2 s)
/// and, when an import has changed the records or relationships since, built again; requests
/// arriving meanwhile wait for the same build. The first such request after an import pays for
/// the build (about as long as one page worked out afresh); the rest read the table.
actor HouseholdScopeRefresher {
    private var lastCheck: [UUID: ContinuousClock.Instant] = [:]
    private var running: [UUID: Task<Void, Never>] = [:]

    func ensureCurrent(_ agencyID: UUID, db: any Database, logger: Logger) async {
        if let task = running[agencyID] { return await task.value }
        let now = ContinuousClock.now
        if let last = lastCheck[agencyID], now - last < .seconds(2) { return }
        lastCheck[agencyID] = now
        let task = Task {
            let started = ContinuousClock.now
            do {
                if try await !HouseholdScopes.isCurrent(agencyID, on: db), try await HouseholdScopes.refresh(agencyID, on: db) {
                    logger.info("household scope rebuilt", metadata: [
                        "agency": .string(agencyID.uuidString),
                        "duration_ms": .string(String(format: "%.0f", (ContinuousClock.now - started) / .milliseconds(1))),
                    ])
                }
            } catch {
                // The policy still answers, from the set worked out afresh; the next check tries again.
                logger.warning("household scope not rebuilt", metadata: ["agency": .string(agencyID.uuidString), "error": .string(StoreSetup.describe(error))])
            }
        }
        running[agencyID] = task
        await task.value
        running[agencyID] = nil
    }
}

extension Application {
    struct HouseholdScopeRefresherKey: StorageKey {
        typealias Value = HouseholdScopeRefresher
    }

    /// Set by `configure`.
    var householdScopeRefresher: HouseholdScopeRefresher? {
        get { storage[HouseholdScopeRefresherKey.self] }
        set { storage[HouseholdScopeRefresherKey.self] = newValue }
    }
}

extension Request {
    /// For a viewer who sees households: their agency's kept household scope made current first.
    func keepHouseholdScopeCurrent(_ viewer: Viewer) async {
        guard case .linkedToAgency(let agency) = AccessPolicy.scope(for: viewer), AccessPolicy.cohorts(for: viewer).contains(.households),
              let refresher = application.householdScopeRefresher else { return }
        await refresher.ensureCurrent(agency, db: db, logger: logger)
    }
}
