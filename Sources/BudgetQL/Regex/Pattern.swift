// Pattern: the regular expressions of `=~` and `matches()`, compiled to a Thompson NFA and run
// by simulating every state at once over the text's Unicode scalars — time linear in the text
// for a given pattern (at most program size × text length steps), never backtracking. A match
// checks the statement's Interruption (cancellation, deadline) as it goes, so no pattern can
// run away. Compiled patterns are cached by their text.

import Foundation

/// A compiled regular expression.
package final class Pattern: Sendable {
    /// The largest program (NFA states) a pattern may compile to.
    package static let maxProgramSize = 20_000

    /// The pattern's text.
    package let source: String
    private let program: [PatternInstruction]
    private let sets: [ScalarSet]
    /// Whether every match must start at the beginning of the text (`^…` without `(?m)`).
    private let anchored: Bool

    private init(source: String, program: [PatternInstruction], sets: [ScalarSet], anchored: Bool) {
        self.source = source
        self.program = program
        self.sets = sets
        self.anchored = anchored
    }

    /// Compiles `source`, or says why it does not compile.
    package static func compile(_ source: String) throws(PatternError) -> Pattern {
        let tree = try PatternParser.parse(source)
        guard PatternCompiler.size(of: tree) + 1 <= maxProgramSize else {
            throw PatternError(
                detail:
                    "it compiles to more than \(maxProgramSize) states (repetitions such as {1000} multiply the size)")
        }
        var compiler = PatternCompiler()
        compiler.emit(tree)
        compiler.program.append(PatternInstruction(.match))
        return Pattern(source: source, program: compiler.program, sets: compiler.sets, anchored: anchoredAtStart(tree))
    }

    private static func anchoredAtStart(_ node: PatternNode) -> Bool {
        switch node {
        case .assertion(.textStart): return true
        case .concat(let items): return items.first.map(anchoredAtStart) ?? false
        case .alternation(let branches): return branches.allSatisfy(anchoredAtStart)
        case .repetition(let inner, let min, _): return min > 0 && anchoredAtStart(inner)
        default: return false
        }
    }

    // MARK: - Cache

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Pattern] = [:]

    /// The compiled pattern for `source`, from a cache of recently used patterns (a query that
    /// tests one pattern against every row compiles it once).
    package static func cached(_ source: String) throws(PatternError) -> Pattern {
        cacheLock.lock()
        let hit = cache[source]
        cacheLock.unlock()
        if let hit { return hit }
        let compiled = try compile(source)
        cacheLock.lock()
        if cache.count >= 256 { cache.removeAll(keepingCapacity: true) }
        cache[source] = compiled
        cacheLock.unlock()
        return compiled
    }

    // MARK: - Matching

    /// Whether some part of `text` matches, checking `interruption` every few thousand steps.
    func matches(_ text: String, interruption: Interruption?) throws(QueryError) -> Bool {
        var outcome: Result<Bool, QueryError> = .success(false)
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
            do { outcome = .success(try run(bytes, interruption)) } catch { outcome = .failure(error) }
        }
        if text.utf8.withContiguousStorageIfAvailable(scan) == nil {
            var copy = text
            copy.makeContiguousUTF8()
            _ = copy.utf8.withContiguousStorageIfAvailable(scan)
        }
        return try outcome.get()
    }

    /// Whether some part of `text` matches, without limits (for tests and constant folding).
    package func matches(_ text: String) -> Bool {
        (try? matches(text, interruption: nil)) ?? false
    }

    /// The simulation. Two lists hold the states alive before the current scalar and after it;
    /// a state enters a list at most once per position (a generation mark per list), so each
    /// position costs at most one visit per state.
    private func run(_ text: UnsafeBufferPointer<UInt8>, _ interruption: Interruption?) throws(QueryError) -> Bool {
        let n = program.count
        return try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 5 * n) {
            (memory) throws(QueryError) -> Bool in
            guard let base = memory.baseAddress else { return false }
            base.initialize(repeating: 0, count: 5 * n)
            var current = PatternThreadList(states: base, marks: base + n)
            var next = PatternThreadList(states: base + 2 * n, marks: base + 3 * n)
            let stack = base + 4 * n
            var generation: Int32 = 1
            current.reset(generation)
            var steps = 0
            let finalBreak = PatternScanner.finalBreakOffset(text)

            var offset = 0
            var previous: UInt32? = nil
            while true {
                // The scalar at `offset` (nil at the end) and the offset after it.
                let scalar: UInt32?
                let after: Int
                if offset < text.count {
                    (scalar, after) = PatternScanner.decode(text, at: offset)
                } else {
                    (scalar, after) = (nil, offset)
                }
                if !anchored || offset == 0 {
                    add(0, to: &current, stack: stack)
                } else if current.count == 0 {
                    return false
                }
                generation &+= 1
                next.reset(generation)
                var k = 0
                while k < current.count {
                    let pc = Int(current.states[k])
                    k += 1
                    let instruction = program[pc]
                    switch instruction.op {
                    case .match:
                        return true
                    case .assert:
                        let holds = PatternScanner.holds(
                            instruction.a, previous: previous, scalar: scalar, atStart: offset == 0,
                            atFinalBreak: offset == finalBreak)
                        if holds { add(pc + 1, to: &current, stack: stack) }
                    case .scalar:
                        if let scalar, scalar == UInt32(bitPattern: instruction.a) {
                            add(pc + 1, to: &next, stack: stack)
                        }
                    case .folded:
                        if let scalar, CaseFolding.fold(scalar) == UInt32(bitPattern: instruction.a) {
                            add(pc + 1, to: &next, stack: stack)
                        }
                    case .set:
                        if let scalar, sets[Int(instruction.a)].contains(scalar) {
                            add(pc + 1, to: &next, stack: stack)
                        }
                    case .split, .jump:
                        break
                    }
                }
                steps &+= k + 1
                if steps >= 2_048 {
                    try interruption?.tick(steps)
                    steps = 0
                }
                guard let scalar else { return false }
                previous = scalar
                offset = after
                swap(&current, &next)
            }
        }
    }

    /// Adds state `pc` and every state reachable from it without reading a scalar. A state is
    /// marked when pushed, so the stack never holds more than one entry per state.
    private func add(_ pc: Int, to list: inout PatternThreadList, stack: UnsafeMutablePointer<Int32>) {
        let generation = list.generation
        if list.marks[pc] == generation { return }
        list.marks[pc] = generation
        stack[0] = Int32(pc)
        var top = 1
        while top > 0 {
            top -= 1
            let s = Int(stack[top])
            let instruction = program[s]
            switch instruction.op {
            case .jump:
                if list.marks[Int(instruction.a)] != generation {
                    list.marks[Int(instruction.a)] = generation
                    stack[top] = instruction.a
                    top += 1
                }
            case .split:
                if list.marks[Int(instruction.b)] != generation {
                    list.marks[Int(instruction.b)] = generation
                    stack[top] = instruction.b
                    top += 1
                }
                if list.marks[Int(instruction.a)] != generation {
                    list.marks[Int(instruction.a)] = generation
                    stack[top] = instruction.a
                    top += 1
                }
            default:
                list.states[list.count] = Int32(s)
                list.count += 1
            }
        }
    }
}

/// The states alive at one position, with a mark per state saying whether it is already in.
private struct PatternThreadList {
    let states: UnsafeMutablePointer<Int32>
    let marks: UnsafeMutablePointer<Int32>
    var count = 0
    var generation: Int32 = 0

    init(states: UnsafeMutablePointer<Int32>, marks: UnsafeMutablePointer<Int32>) {
        self.states = states
        self.marks = marks
    }

    mutating func reset(_ generation: Int32) {
        count = 0
        self.generation = generation
    }
}

/// One NFA state.
struct PatternInstruction: Sendable {
    enum Op: UInt8, Sendable {
        /// Reads the scalar `a`.
        case scalar
        /// Reads a scalar whose case folding is `a`.
        case folded
        /// Reads a scalar of class `a`.
        case set
        /// Continues at `a` and at `b`.
        case split
        /// Continues at `a`.
        case jump
        /// Continues when assertion `a` holds here.
        case assert
        /// The pattern has matched.
        case match
    }
    var op: Op
    var a: Int32 = 0
    var b: Int32 = 0

    init(_ op: Op, _ a: Int32 = 0, _ b: Int32 = 0) {
        self.op = op
        self.a = a
        self.b = b
    }
}

/// Emits the NFA of a parsed pattern.
struct PatternCompiler {
    var program: [PatternInstruction] = []
    var sets: [ScalarSet] = []

    /// The number of states `node` compiles to (saturating, so huge repetitions stay comparable).
    static func size(of node: PatternNode) -> Int {
        switch node {
        case .empty: return 0
        case .scalar, .set, .assertion: return 1
        case .concat(let items): return items.reduce(0) { $0.addingSaturating(size(of: $1)) }
        case .alternation(let branches):
            return branches.reduce(2 * branches.count) { $0.addingSaturating(size(of: $1)) }
        case .repetition(let inner, let min, let max):
            let one = size(of: inner).addingSaturating(2)
            return one.multipliedSaturating(by: Swift.max(min, max ?? (min + 1)))
        }
    }

    mutating func emit(_ node: PatternNode) {
        switch node {
        case .empty:
            break
        case .scalar(let v, let caseless):
            program.append(PatternInstruction(caseless ? .folded : .scalar, Int32(bitPattern: v)))
        case .set(let set):
            sets.append(set)
            program.append(PatternInstruction(.set, Int32(sets.count - 1)))
        case .assertion(let a):
            program.append(PatternInstruction(.assert, a.rawValue))
        case .concat(let items):
            for item in items { emit(item) }
        case .alternation(let branches):
            // split L1, next; L1: branch; jump end; next: split L2, … ; last branch; end:
            var jumps: [Int] = []
            for (k, branch) in branches.enumerated() {
                if k < branches.count - 1 {
                    let split = program.count
                    program.append(PatternInstruction(.split))
                    program[split].a = Int32(program.count)
                    emit(branch)
                    jumps.append(program.count)
                    program.append(PatternInstruction(.jump))
                    program[split].b = Int32(program.count)
                } else {
                    emit(branch)
                }
            }
            for j in jumps { program[j].a = Int32(program.count) }
        case .repetition(let inner, let min, let max):
            for _ in 0..<min { emit(inner) }
            if let max {
                // Each optional copy may be skipped to the end.
                var splits: [Int] = []
                for _ in min..<Swift.max(min, max) {
                    splits.append(program.count)
                    program.append(PatternInstruction(.split))
                    program[program.count - 1].a = Int32(program.count)
                    emit(inner)
                }
                for s in splits { program[s].b = Int32(program.count) }
            } else {
                // loop: split body, end; body; jump loop
                let loop = program.count
                program.append(PatternInstruction(.split))
                program[loop].a = Int32(program.count)
                emit(inner)
                program.append(PatternInstruction(.jump, Int32(loop)))
                program[loop].b = Int32(program.count)
            }
        }
    }
}

/// Reading UTF-8 and evaluating assertions during a match.
enum PatternScanner {
    /// The scalar at `i` of valid UTF-8 and the offset after it.
    @inline(__always) static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, i + 1) }
        // A String's UTF-8 is valid; the bounds are checked anyway, so damaged input ends early.
        func cont(_ k: Int) -> UInt32 { k < b.count ? UInt32(b[k]) & 0x3F : 0 }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | cont(i + 1), i + 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | cont(i + 1) << 6 | cont(i + 2), i + 3) }
        return ((b0 & 0x07) << 18 | cont(i + 1) << 12 | cont(i + 2) << 6 | cont(i + 3), i + 4)
    }

    static func isLineBreak(_ v: UInt32) -> Bool { (v >= 0x0A && v <= 0x0D) || v == 0x85 || v == 0x2028 || v == 0x2029 }

    /// The offset of the line break that ends the text (`\r\n` counts as one), or -1.
    static func finalBreakOffset(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        guard !b.isEmpty else { return -1 }
        if b.count >= 2 && b[b.count - 2] == 0x0D && b[b.count - 1] == 0x0A { return b.count - 2 }
        var start = b.count - 1
        while start > 0 && b[start] & 0xC0 == 0x80 { start -= 1 }
        return isLineBreak(decode(b, at: start).0) ? start : -1
    }

    /// Whether assertion `raw` holds between `previous` and `scalar` (`\r\n` is one line break).
    static func holds(_ raw: Int32, previous: UInt32?, scalar: UInt32?, atStart: Bool, atFinalBreak: Bool) -> Bool {
        guard let assertion = PatternAssertion(rawValue: raw) else { return false }
        switch assertion {
        case .textStart: return atStart
        case .textEnd: return scalar == nil
        case .textEndOrFinalBreak: return scalar == nil || atFinalBreak
        case .lineStart:
            guard let previous else { return true }
            return isLineBreak(previous) && !(previous == 0x0D && scalar == 0x0A)
        case .lineEnd:
            guard let scalar else { return true }
            return isLineBreak(scalar) && !(previous == 0x0D && scalar == 0x0A)
        case .wordBoundary, .notWordBoundary:
            let before = previous.map(ScalarPredicate.word.test) ?? false
            let after = scalar.map(ScalarPredicate.word.test) ?? false
            return (before != after) == (assertion == .wordBoundary)
        }
    }
}

extension Int {
    fileprivate func addingSaturating(_ other: Int) -> Int {
        let (r, o) = addingReportingOverflow(other)
        return o ? .max : r
    }
    fileprivate func multipliedSaturating(by other: Int) -> Int {
        let (r, o) = multipliedReportingOverflow(by: other)
        return o ? .max : r
    }
}
