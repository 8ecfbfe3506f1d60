import Foundation

/// Sign-in attempts counted by client address (issue 6): the account lockout (`SignInPolicy`)
/// stops guessing one account's password, this stops one address trying many accounts (password
/// spraying) or many codes. An address with `maximumFailuresPerAddress` failed sign-ins (wrong
/// password, unknown email, wrong code, locked account) within `addressWindow` is refused any
/// further sign-in, even with the right password, until its oldest counted failure is older than
/// the window. Held in the server's memory: a restart forgets it, as it forgets nothing else
/// (the account lockout and the audit trail are in the database).
public actor SignInThrottle {
    public let maximumFailures: Int
    public let window: TimeInterval
    /// Addresses held at most, so a flood of made-up addresses cannot exhaust memory; past it the
    /// addresses whose failures have all aged out are dropped first, then the quietest.
    public let maximumAddresses: Int
    private var failures: [String: [Date]] = [:]

    public init(policy: SignInPolicy = .standard, maximumAddresses: Int = 100_000) {
        self.maximumFailures = policy.maximumFailuresPerAddress
        self.window = policy.addressWindow
        self.maximumAddresses = maximumAddresses
    }

    /// How long the address must wait before trying again, or nil when it may try now.
    public func refusal(for address: String, now: Date = Date()) -> TimeInterval? {
        guard var times = failures[address] else { return nil }
        times.removeAll { now.timeIntervalSince($0) >= window }
        failures[address] = times.isEmpty ? nil : times
        guard times.count >= maximumFailures, let oldest = times.first else { return nil }
        return max(1, window - now.timeIntervalSince(oldest))
    }

    /// Counts one failed sign-in from the address.
    public func recordFailure(from address: String, now: Date = Date()) {
        if failures[address] == nil && failures.count >= maximumAddresses { makeRoom(now: now) }
        var times = failures[address] ?? []
        times.removeAll { now.timeIntervalSince($0) >= window }
        times.append(now)
        // Only the newest `maximumFailures` matter for the refusal.
        if times.count > maximumFailures { times.removeFirst(times.count - maximumFailures) }
        failures[address] = times
    }

    private func makeRoom(now: Date) {
        failures = failures.filter { _, times in times.contains { now.timeIntervalSince($0) < window } }
        if failures.count >= maximumAddresses {
            let quietest = failures.sorted { $0.value.count < $1.value.count }.prefix(failures.count - maximumAddresses + 1)
            for (address, _) in quietest { failures[address] = nil }
        }
    }
}
