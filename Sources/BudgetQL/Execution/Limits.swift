// Limits: what an embedder bounds a statement by — rows, time, memory, cancellation — and the
// Interruption that the executor, both evaluators, text functions and regular-expression
// matching call inside their loops: a count of work done that checks the token and the deadline
// every few thousand units, and the memory a statement's values are estimated to take.

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
    /// and after each stage and about every millisecond of work inside one (rows, text, regular
    /// expression steps).
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
    /// past it the query fails with `QueryError.memoryLimit`. Every computed value counts its
    /// slot, and text also its UTF-8 bytes; a column being computed is checked as it grows, so
    /// the memory a statement holds stays within about twice this limit.
    public var maxMemory: Int?
    /// Cancels the query when set; so does cancelling the surrounding task.
    public var cancellation: CancellationToken?
    /// The most threads one statement may use: a `where` over many rows is split into morsels
    /// evaluated on up to this many threads. Answers and errors are the same for every value.
    /// nil (the default) is one thread: on the 2-core benchmark machine, beside another busy
    /// process, splitting made the filter questions slower (Benchmarks/README.md), so it is
    /// opt-in until it is measured faster.
    public var maxThreads: Int?
    /// The fewest rows a `where` splits across threads (smaller frames run on the caller).
    package var parallelMinimumRows = 65_536
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

/// Stops a running statement: task or token cancellation, its deadline, or its memory limit.
///
/// Loops report work with `tick` — a row, a byte of text read or written, a step of a
/// regular-expression match — and every `interval` units the token and the clock are checked,
/// so a statement stops within milliseconds wherever it is, at a negligible cost per unit.
package struct Interruption: Sendable {
    package let limits: QueryLimits
    package let deadline: ContinuousClock.Instant?
    /// The statement's range, for the error.
    package let range: SourceRange
    /// Work since the last check; shared by the copies of this value within one statement.
    private let meter = WorkMeter()

    package init(limits: QueryLimits, deadline: ContinuousClock.Instant?, range: SourceRange) {
        self.limits = limits
        self.deadline = deadline
        self.range = range
    }

    /// Units of work between two checks of the token and the clock (about a millisecond of rows
    /// or regex steps; a check costs tens of nanoseconds).
    static let interval = 16_384

    /// Throws `cancelled` or `timedOut` when the statement must stop.
    package func check() throws(QueryError) {
        meter.work = 0
        if Task.isCancelled || limits.cancellation?.isCancelled == true { throw .cancelled(range) }
        if let deadline, ContinuousClock.now >= deadline { throw .timedOut(range, limit: limits.timeout ?? .zero) }
    }

    /// Counts `units` of work, and checks when an interval's worth has accumulated.
    @inline(__always) package func tick(_ units: Int = 1) throws(QueryError) {
        meter.work &+= units
        if meter.work >= Interruption.interval { try check() }
    }

    /// Throws `memoryLimit` when `bytes` of values being built pass the limit.
    @inline(__always) package func checkMemory(_ bytes: Int) throws(QueryError) {
        if let limit = limits.maxMemory, bytes > limit { throw .memoryLimit(range, limit: limit) }
    }

    /// The estimated bytes of one value held in a column: its slot, plus a text's UTF-8 bytes
    /// and string header (counted for every row, whether or not rows share one string's storage).
    @inline(__always) static func bytes(of value: Value) -> Int {
        if case .text(let s) = value {
            let n = s.utf8.count
            return MemoryLayout<Value>.stride + (n > 15 ? n + 32 : 0)
        }
        return MemoryLayout<Value>.stride
    }

    /// The estimated bytes of a column of values.
    static func bytes(of column: [Value]) -> Int {
        var total = 0
        for v in column { total &+= bytes(of: v) }
        return total
    }
}

/// The work counter behind `Interruption.tick`. One statement runs on one thread, so the
/// counter is not synchronized: a statement's Interruption is never shared between threads.
private final class WorkMeter: @unchecked Sendable {
    var work = 0
}
