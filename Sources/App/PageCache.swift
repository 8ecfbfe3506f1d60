import Vapor
import Fluent
import SQLKit
import NIOConcurrencyHelpers
import Store

/// Built pages kept in memory and served again while the data they were built from is unchanged
/// (`PageVersions`): the "not seen" board, which at 100,000 children reads every agreed entry and
/// renders up to 500 rows, and a child's page, which reads some twenty tables — for each person
/// who opens them, many times a day (BENCHMARKS.md, "Load").
///
/// What is kept is a page's main content only, never the page around it: the viewer's name, the
/// form token and the navigation are rendered for every request, and so is the audit entry (each
/// view is audited as before). A child's page also checks access on every view (`ChildDirectory.open`)
/// and reads its latest reads afresh. A kept page is used only
/// - by the same user (the key starts with their id: scopes differ between people of one role,
///   by break-glass and delegation; a child's page, which holds the form token, by the same
///   session), for the same address and query, on the same day (the clock);
/// - while no change to the data it read has been committed since it was built, by this server or
///   any other process (checked against the database on every use: one indexed read);
/// - before the first break-glass grant in its scope expires (`Built.validUntil`), and at most
///   `maxAge` after it was built.
/// A change made through the server is on the next page it serves; so is a change by `eyeson
/// import` or another server, since the check is the database's, not this process's.
final class PageCache: Sendable {
    struct Entry: Sendable {
        let version: PageVersions.Version
        let built: ContinuousClock.Instant
        let page: Built
        var bytes: Int { page.content.readableBytes + page.tail.readableBytes + page.detail.utf8.count + page.title.utf8.count + 128 }
    }

    /// What a page's builder returns: its content, the audit detail, and when its scope next
    /// changes by the clock alone (a break-glass grant expiring), if it does; its title when the
    /// page around the content needs it.
    struct Built: Sendable {
        /// The content as the bytes sent (`Layout.response`).
        let content: ByteBuffer
        let detail: String
        let validUntil: Date?
        let title: String
        /// Content that follows a part read afresh for every request (a child's latest reads).
        let tail: ByteBuffer

        init(content: HTML, detail: String = "", validUntil: Date?, title: String = "", tail: HTML = .empty) {
            self.content = ByteBuffer(string: content.rendered)
            self.detail = detail
            self.validUntil = validUntil
            self.title = title
            self.tail = ByteBuffer(string: tail.rendered)
        }
    }

    struct Counts: Sendable { var hits = 0, misses = 0, changed = 0 }

    /// How long a kept page may be used for at most (PostgreSQL's `page_changes` rows are pruned
    /// only when older than any kept page could need: `pruneInterval` is longer).
    static let maxAge: Duration = .seconds(600)
    static let pruneInterval: Duration = .seconds(1800)
    let maxBytes: Int
    let enabled: Bool

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var counts = Counts()
        /// PostgreSQL: the horizon taken at the last pruning, pruned below at the next.
        var horizon: (taken: ContinuousClock.Instant, xmin: Int64)?
        var pruning = false
    }
    private let state = NIOLockedValueBox(State())

    init(enabled: Bool, maxBytes: Int = 64 << 20) {
        self.enabled = enabled
        self.maxBytes = maxBytes
    }

    var counts: Counts { state.withLockedValue { $0.counts } }

    /// The page's content for `key`: the kept one while it is current, else `build()`'s, kept for
    /// next time.
    func page(_ key: String, for req: Request, build: () async throws -> Built) async throws -> Built {
        if let kept = try await kept(key, for: req) { return kept }
        let version = try await version(for: req)
        let built = try await build()
        keep(built, as: key, version: version)
        return built
    }

    /// The page kept for `key`, if there is one and it is current: on SQLite against the version
    /// read with the viewer at the request's start, on PostgreSQL by asking `page_changes`.
    func kept(_ key: String, for req: Request) async throws -> Built? {
        let db = req.db
        if pruneDue, (db as? any SQLDatabase)?.dialect.name == "postgresql" { Task { [logger = req.logger] in await self.prune(on: db, logger: logger) } }
        guard enabled else { return nil }
        guard let entry = state.withLockedValue({ $0.entries[key] }), ContinuousClock.now - entry.built < Self.maxAge,
              entry.page.validUntil.map({ $0 > Date() }) ?? true else {
            state.withLockedValue { $0.counts.misses += 1 }
            return nil
        }
        let current: Bool
        if case .counter = entry.version, let known = req.storage[PageVersionKey.self] {
            current = known == entry.version
        } else {
            current = try await PageVersions.isCurrent(entry.version, on: db)
        }
        guard current else {
            state.withLockedValue { $0.counts.changed += 1 }
            return nil
        }
        state.withLockedValue { $0.counts.hits += 1 }
        return entry.page
    }

    /// The version to keep a page under: taken before the page's queries, so that a change
    /// committed while they run leaves it out of date. Nil when nothing is kept.
    func version(for req: Request) async throws -> PageVersions.Version? {
        guard enabled else { return nil }
        if let known = req.storage[PageVersionKey.self] { return known }
        return try await PageVersions.current(on: req.db)
    }

    /// Keeps a page built after `version` was taken (nothing without a version).
    func keep(_ built: Built, as key: String, version: PageVersions.Version?) {
        guard let version else { return }
        let entry = Entry(version: version, built: .now, page: built)
        state.withLockedValue { s in
            if let old = s.entries.updateValue(entry, forKey: key) { s.bytes -= old.bytes }
            s.bytes += entry.bytes
            // Over the limit: the oldest pages go first.
            while s.bytes > maxBytes, let oldest = s.entries.min(by: { $0.value.built < $1.value.built }) {
                s.entries[oldest.key] = nil
                s.bytes -= oldest.value.bytes
            }
        }
    }

    private var pruneDue: Bool { state.withLockedValue { Self.pruneDue($0) } }

    private static func pruneDue(_ s: State) -> Bool {
        !s.pruning && (s.horizon.map { ContinuousClock.now - $0.taken >= pruneInterval } ?? true)
    }

    /// PostgreSQL, at most every `pruneInterval`: deletes the `page_changes` rows older than the
    /// horizon taken at the previous pruning (which is older than any kept page may be, by any
    /// server), then takes the next. Started in the background by a request for a kept page when
    /// it is due, whether or not pages are kept (the triggers add rows all the same).
    func prune(on db: any Database, logger: Logger) async {
        let due = state.withLockedValue { s -> Bool in
            guard Self.pruneDue(s) else { return false }
            s.pruning = true
            return true
        }
        guard due else { return }
        defer { state.withLockedValue { $0.pruning = false } }
        do {
            if let previous = state.withLockedValue({ $0.horizon }) {
                let gone = try await PageVersions.prune(before: previous.xmin, on: db)
                if gone > 0 { logger.debug("page versions pruned", metadata: ["rows": .stringConvertible(gone)]) }
            }
            if let xmin = try await PageVersions.horizon(on: db) {
                state.withLockedValue { $0.horizon = (ContinuousClock.now, xmin) }
            }
        } catch {
            logger.warning("page versions not pruned", metadata: ["error": .string(StoreSetup.describe(error))])
        }
    }
}

extension Application {
    struct PageCacheKey: StorageKey { typealias Value = PageCache }

    /// Set by `configure`; off when `ServerOptions.pageCache` is false.
    var pageCache: PageCache {
        get { storage[PageCacheKey.self] ?? PageCache(enabled: false) }
        set { storage[PageCacheKey.self] = newValue }
    }
}
