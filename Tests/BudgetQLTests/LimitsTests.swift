// LimitsTests: the embedder's limits hold inside a stage, not only between stages — regular
// expressions that backtrack exponentially elsewhere finish or stop at the deadline, a
// cancellation token stops a long match, text counts against the memory limit, and the text
// functions that took a minute (substr, upper on long constants) answer quickly. Regression
// tests for findings 2 and 3 of the reliability issue.

import BudgetQL
import Foundation
import Testing

@Suite struct LimitsTests {
    /// Runs `query` under `limits` in `mode`; the outcome and the seconds it took.
    static func run(
        _ query: String, _ limits: QueryLimits, mode: EvaluationMode = .batch, catalog: Catalog = Fixture.catalog
    ) -> (Result<[[Value]], QueryError>, Double) {
        var session = Session(catalog: catalog, limits: limits)
        session.evaluation = mode
        let start = ContinuousClock.now
        let outcome: Result<[[Value]], QueryError>
        do { outcome = .success(try session.query(query).rows) } catch { outcome = .failure(error) }
        let elapsed = ContinuousClock.now - start
        return (outcome, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func kind(_ r: Result<[[Value]], QueryError>) -> String {
        switch r {
        case .success: return "answer"
        case .failure(let e): return e.kind
        }
    }

    // MARK: - Regular expressions (finding 2, issue 17 item 4)

    @Test(arguments: [EvaluationMode.batch, .rowByRow])
    func catastrophicRegexStopsWithinItsTimeout(_ mode: EvaluationMode) {
        // Exponential for a backtracking engine: more than 10 minutes before, under a 1 s timeout.
        let (r, seconds) = Self.run(
            "projects | where name =~ \"^(.|.)*x$\" | agg n = count()", QueryLimits(timeout: .seconds(1)), mode: mode)
        #expect(Self.kind(r) == "answer" || Self.kind(r) == "timeout")
        if case .success(let rows) = r { #expect(rows == [[.integer(0)]]) }
        #expect(seconds < 1.5, "took \(seconds) s")
    }

    @Test(arguments: [EvaluationMode.batch, .rowByRow])
    func nestedStarsStopWithin200Milliseconds(_ mode: EvaluationMode) {
        let query = "indicators | where matches(description, \"^(.*)*(.*)*(.*)*[0-9]x$\") | agg n = count()"
        let (r, seconds) = Self.run(query, QueryLimits(timeout: .milliseconds(200)), mode: mode)
        #expect(Self.kind(r) == "answer" || Self.kind(r) == "timeout")
        if case .success(let rows) = r { #expect(rows == [[.integer(0)]]) }
        #expect(seconds < 1, "took \(seconds) s")
    }

    @Test func catastrophicPatternsAnswerQuicklyWithoutLimits() throws {
        #expect(try Fixture.rows("projects | where name =~ \"^(.|.)*x$\" | agg n = count()") == [["0"]])
        #expect(
            try Fixture.rows("projects | where name =~ \"^(a|a)*$\" or name =~ \"(x+x+)+y\" | agg n = count()") == [
                ["0"]
            ])
        #expect(
            try Fixture.rows("indicators | where matches(description, \"^(.*)*(.*)*(.*)*[0-9]x$\") | agg n = count()")
                == [["0"]])
    }

    /// A match that takes seconds on any engine: 5,000 optional states alive at each of
    /// 240,000 positions.
    static let longMatch =
        "departments | where id = \"yima-2025\" | select m = matches(\"" + String(repeating: "a", count: 240_000)
        + "\", \"" + String(repeating: "a{0,1000}", count: 5) + "c\")"

    @Test func cancellationStopsARunningMatch() throws {
        let token = CancellationToken()
        let limits = QueryLimits(cancellation: token)
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable {
            var outcome: Result<[[Value]], QueryError>?
            var cancelledAt: ContinuousClock.Instant?
            var finishedAt: ContinuousClock.Instant?
        }
        let box = Box()
        Thread.detachNewThread {
            box.outcome = Self.run(Self.longMatch, limits).0
            box.finishedAt = .now
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.3)
        box.cancelledAt = .now
        token.cancel()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(box.outcome.map(Self.kind) == "cancelled")
        if let a = box.cancelledAt, let b = box.finishedAt {
            #expect(b - a < .seconds(1), "stopped \(b - a) after cancel()")
        }
    }

    @Test func aPollingTokenStopsARunningMatch() throws {
        // As the REPL's Ctrl-C handler does: a flag that the token polls.
        final class Flag: @unchecked Sendable {
            let lock = NSLock()
            var set = false
        }
        let flag = Flag()
        let token = CancellationToken(polling: {
            flag.lock.lock()
            defer { flag.lock.unlock() }
            return flag.set
        })
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var kind = "" }
        let box = Box()
        Thread.detachNewThread {
            box.kind = Self.kind(Self.run(Self.longMatch, QueryLimits(cancellation: token), mode: .rowByRow).0)
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.3)
        flag.lock.lock()
        flag.set = true
        flag.lock.unlock()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(box.kind == "cancelled")
    }

    @Test func aLongMatchStopsAtTheDeadline() {
        let (r, seconds) = Self.run(Self.longMatch, QueryLimits(timeout: .milliseconds(300)))
        #expect(Self.kind(r) == "timeout")
        #expect(seconds < 1.3, "took \(seconds) s")
    }

    // MARK: - Text functions (finding 2)

    @Test(arguments: [EvaluationMode.batch, .rowByRow])
    func substrOfALongConstantIsCheap(_ mode: EvaluationMode) {
        // 68–73 s before, under a 1 s timeout.
        let long = String(repeating: "医疗保障abc", count: 100_000 / 15)
        let (r, seconds) = Self.run(
            "indicators | select x = substr(\"\(long)\", 2) | agg n = count()", QueryLimits(timeout: .seconds(1)),
            mode: mode)
        #expect(Self.kind(r) == "answer" || Self.kind(r) == "timeout")
        if case .success(let rows) = r { #expect(rows == [[.integer(543)]]) }
        #expect(seconds < 2, "took \(seconds) s")
    }

    @Test(arguments: [EvaluationMode.batch, .rowByRow])
    func upperOfThirtyThousandHanziIsCheap(_ mode: EvaluationMode) {
        // 9 s before, under a 1 s timeout.
        let long = String(repeating: "医", count: 30_000)
        let (r, seconds) = Self.run(
            "indicators | select x = upper(\"\(long)\") | agg n = count()", QueryLimits(timeout: .seconds(1)),
            mode: mode)
        #expect(Self.kind(r) == "answer" || Self.kind(r) == "timeout")
        if case .success(let rows) = r { #expect(rows == [[.integer(543)]]) }
        #expect(seconds < 2, "took \(seconds) s")
    }

    // MARK: - Memory (finding 3)

    @Test(arguments: [EvaluationMode.batch, .rowByRow])
    func textCountsAgainstTheMemoryLimit(_ mode: EvaluationMode) {
        // 9.6 GB under a 256 MB limit before. 13,032 indicators × 100 KB is 1.3 GB of text.
        let big = String(repeating: "A", count: 100_000)
        let (r, _) = Self.run(
            "indicators | derive x = lower(\"\(big)\") | agg n = count()", QueryLimits(maxMemory: 256 << 20),
            mode: mode, catalog: BatchEvaluationTests.large)
        #expect(Self.kind(r) == "memory-limit")
        if case .failure(let e) = r {
            #expect(e.message == "query needs more than the memory limit of 268435456 bytes")
        }
    }

    @Test(arguments: [EvaluationMode.batch, .rowByRow])
    func chainedCaseMappingCountsAgainstTheMemoryLimit(_ mode: EvaluationMode) {
        // Forty chained upper/lower columns over 543 indicators used 4.27 GB.
        let big = String(repeating: "Ab", count: 50_000)
        var columns = ["c0 = upper(\"\(big)\")"]
        for k in 1..<40 { columns.append("c\(k) = \(k % 2 == 0 ? "upper" : "lower")(c\(k - 1))") }
        let (r, _) = Self.run(
            "indicators | derive " + columns.joined(separator: ", ") + " | agg n = count()",
            QueryLimits(maxMemory: 256 << 20), mode: mode)
        #expect(Self.kind(r) == "memory-limit")
    }

    @Test func smallTextStaysUnderTheLimit() throws {
        let (r, _) = Self.run(
            "indicators | derive x = lower(name), y = upper(unit) | agg n = count()", QueryLimits(maxMemory: 256 << 20))
        #expect(Self.kind(r) == "answer")
        // A memory limit that text alone exceeds: 543 rows of a 10 KB constant is 5.4 MB.
        let (small, _) = Self.run(
            "indicators | derive x = \"\(String(repeating: "x", count: 10_000))\" | agg n = count()",
            QueryLimits(maxMemory: 1 << 20))
        #expect(Self.kind(small) == "memory-limit")
    }

    // MARK: - Every per-row loop checks the deadline

    @Test(arguments: [
        "spending | sort name, -amount", "spending | group by name, dept | agg n = count(), t = sum(amount)",
        "spending | distinct name, dept", "spending | rollup", "spending | derive s = share(amount)",
        "projects | where any(indicators, name ~ \"满意度\")", "indicators | select x = project.dept.name",
    ])
    func everyStageStopsAtAnExpiredDeadline(_ query: String) {
        for mode in [EvaluationMode.batch, .rowByRow] {
            let (r, _) = Self.run(query, QueryLimits(timeout: .zero), mode: mode)
            #expect(Self.kind(r) == "timeout", "\(query)")
        }
    }
}
