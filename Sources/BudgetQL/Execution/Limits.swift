// Limits: what an embedder bounds a statement by — rows, time, memory, cancellation — and the
// Interruption check that the executor and both evaluators call inside their loops.

import Foundation

/// A flag an embedder sets from any thread to stop running queries that carry it.
public final class CancellationToken: @unchecked Sendable {
    // @unchecked: `flag` is read and written only with `lock` held; `poll` is immutable.
    private let lock = NSLock()
    private var flag = false
    private let poll: (@Sendable () -> Bool)?
    /// Creates an unset token.
    public init() { poll = nil }
    /// Creates a token that is also cancelled whenever `poll` returns true — for a flag that a
    /// signal handler sets (Ctrl-C in a REPL), which may not take locks. Queries call it before
    /// and after each stage and every 4,096 rows evaluated one at a time.
    public init(polling poll: @escaping @Sendable () -> Bool) { self.poll = poll }
    /// Asks every query holding this token to stop with `QueryError.cancelled`.
    public func cancel() {
        lock.lock()
        flag = true
        lock.unlock()
    }
    /// Whether `cancel()` was called (or the polled flag is set).
    public var isCancelled: Bool {
        if poll?() == true { return true }
        lock.lock()
        defer { lock.unlock() }
        return flag
    }
}

/// Limits an embedder can set on one query.
public struct QueryLimits: Sendable {
    /// The largest number of rows a result may have.
    public var maxRows: Int
    /// The longest a statement may run; past it the query fails with `QueryError.timedOut`.
    public var timeout: Duration?
    /// An estimate of the most memory a statement's intermediate frames may take, in bytes;
    /// past it the query fails with `QueryError.memoryLimit`.
    public var maxMemory: Int?
    /// Cancels the query when set; so does cancelling the surrounding task.
    public var cancellation: CancellationToken?
    /// Creates limits.
    public init(
        maxRows: Int = 1_000_000, timeout: Duration? = nil, maxMemory: Int? = nil,
        cancellation: CancellationToken? = nil
    ) {
        self.maxRows = maxRows
        self.timeout = timeout
        self.maxMemory = maxMemory
        self.cancellation = cancellation
    }
}

/// Stops a running statement: task or token cancellation, or its deadline.
struct Interruption: Sendable {
    let limits: QueryLimits
    let deadline: ContinuousClock.Instant?
    /// The statement's range, for the error.
    let range: SourceRange

    /// Throws `cancelled` or `timedOut` when the statement must stop.
    func check() throws(QueryError) {
        if Task.isCancelled || limits.cancellation?.isCancelled == true { throw .cancelled(range) }
        if let deadline, ContinuousClock.now >= deadline { throw .timedOut(range, limit: limits.timeout ?? .zero) }
    }
}
