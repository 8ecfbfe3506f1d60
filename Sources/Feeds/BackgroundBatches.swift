import Foundation

/// Reads items on a thread of its own, in batches, while the caller works on the previous ones
/// (on two cores, parsing a file and writing it to the database overlap). At most `maxQueued`
/// batches wait, so memory stays flat however long the input. The first error ends the input
/// after the items read before it.
///
/// ```swift
/// let rows = BackgroundBatches { () throws(CSVError) in try reader.nextRecord() }
/// while let batch = try rows.next() { … }          // or `try await rows.nextBatch()`
/// ```
public final class BackgroundBatches<Item, Failure: Error>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [[Item]] = []
    private var done = false
    private var cancelled = false
    private var failure: Failure?
    private var waiter: CheckedContinuation<Void, Never>?
    private let maxQueued: Int

    /// Starts reading at once. `produce` is called on the reading thread only, until it returns nil
    /// or throws.
    public convenience init(batchSize: Int = 4096, maxQueued: Int = 16, produce: @escaping () throws(Failure) -> Item?) {
        self.init(batchSize: batchSize, maxQueued: maxQueued) { (emit: (Item) -> Bool) throws(Failure) in
            while let item = try produce() {
                guard emit(item) else { return }
            }
        }
    }

    /// Starts reading at once, for a producer that pushes its items (such as an XML parser calling
    /// its delegate). `push` runs on the reading thread only and calls `emit` for each item, in
    /// order; `emit` returns false once the caller has cancelled, and `push` should then stop soon
    /// (return, or throw: after a cancel its error is dropped). When `push` returns, the input ends;
    /// when it throws, the input ends with that error after the items emitted before it.
    ///
    /// ```swift
    /// let items = BackgroundBatches<CINCensusReader.Item, any Error> { emit in
    ///     try reader.read { item in if !emit(item) { throw CancellationError() } }
    /// }
    /// ```
    public init(batchSize: Int = 4096, maxQueued: Int = 16, push: @escaping (_ emit: (Item) -> Bool) throws(Failure) -> Void) {
        self.maxQueued = maxQueued
        let box = Unchecked(push)
        let thread = Thread { [self] in
            var batch: [Item] = []
            batch.reserveCapacity(batchSize)
            var stopped = false
            let emit = { (item: Item) -> Bool in
                if stopped { return false }
                batch.append(item)
                if batch.count == batchSize {
                    guard self.put(batch) else { stopped = true; return false }
                    batch.removeAll(keepingCapacity: true)
                }
                return true
            }
            do throws(Failure) {
                try box.value(emit)
                if stopped { return }
                if !batch.isEmpty { _ = put(batch) }
                finish(nil)
            } catch {
                if stopped { return }
                if !batch.isEmpty { _ = put(batch) }
                finish(error)
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues a batch, waiting while the queue is full; false when the reader was cancelled.
    private func put(_ batch: [Item]) -> Bool {
        condition.lock()
        while queue.count >= maxQueued && !cancelled { condition.wait() }
        if cancelled { condition.unlock(); return false }
        queue.append(batch)
        let wake = waiter
        waiter = nil
        condition.broadcast()
        condition.unlock()
        wake?.resume()
        return true
    }

    private func finish(_ error: Failure?) {
        condition.lock()
        done = true
        failure = error
        let wake = waiter
        waiter = nil
        condition.broadcast()
        condition.unlock()
        wake?.resume()
    }

    /// Stops the reading thread (when the caller gives up part-way).
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil at the end. Blocks the calling thread while the reader catches up.
    public func next() throws(Failure) -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !done { condition.wait() }
        return try take()
    }

    /// The next batch; nil at the end. Suspends (without blocking a thread) while the reader
    /// catches up: for async code such as an import inside a database transaction.
    public func nextBatch() async throws(Failure) -> [Item]? {
        while true {
            if let ready = try poll() { return ready }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in wait(continuation) }
        }
    }

    /// `.some(batch or nil at the end)` when there is an answer now; `.none` to wait.
    private func poll() throws(Failure) -> [Item]?? {
        condition.lock()
        defer { condition.unlock() }
        guard !queue.isEmpty || done else { return .none }
        return .some(try take())
    }

    /// Resumes at once if something arrived meanwhile, else when the reader next delivers.
    private func wait(_ continuation: CheckedContinuation<Void, Never>) {
        condition.lock()
        if !queue.isEmpty || done {
            condition.unlock()
            continuation.resume()
            return
        }
        waiter = continuation
        condition.unlock()
    }

    /// Called with the lock held.
    private func take() throws(Failure) -> [Item]? {
        if !queue.isEmpty {
            let batch = queue.removeFirst()
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }
}

private final class Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
