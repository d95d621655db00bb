// LibeditReader: the terminal line reader — libedit's wide-character API (el_wgets) with
// setlocale first (else Chinese input is dropped), ~/.editrc, persistent bounded history
// (~/.bql_history or $BQL_HISTORY, written only when it is libedit's own file or new), Tab
// completion through a key binding, Ctrl-R incremental search, and Ctrl-C cancelling.

import BudgetQL
import BudgetShell
import CLibedit
import Foundation

/// State the C callbacks need (they cannot capture context).
private final class ReaderContext: @unchecked Sendable {
    let lock = NSLock()
    var prompt: [wchar_t] = [0]
    var completer: Completer?
    var pending = ""
}

private let context = ReaderContext()
nonisolated(unsafe) private var interrupted: sig_atomic_t = 0

private func promptCallback(_ el: OpaquePointer?) -> UnsafeMutablePointer<wchar_t>? {
    context.prompt.withUnsafeMutableBufferPointer { $0.baseAddress }
}

private func wide(_ s: String) -> [wchar_t] { s.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0] }

private func string(from start: UnsafePointer<wchar_t>, to end: UnsafePointer<wchar_t>) -> String {
    var s = String.UnicodeScalarView()
    var p = start
    while p < end {
        if let u = Unicode.Scalar(UInt32(bitPattern: p.pointee)) { s.append(u) }
        p += 1
    }
    return String(s)
}

private func completeCallback(_ el: OpaquePointer?, _ ch: Int32) -> UInt8 {
    guard let el, let completer = context.completer, let buffer = bql_line_buffer(el), let cursor = bql_line_cursor(el)
    else { return 6 }
    let before = string(from: buffer, to: cursor)
    let text = context.pending.isEmpty ? before : context.pending + "\n" + before
    let (start, candidates) = completer.complete(text)
    let characters = Array(text)
    let typed = String(characters[min(max(0, start), characters.count)...])
    guard !candidates.isEmpty else { return 6 }  // CC_ERROR: beep
    let inserts = candidates.map(\.insert)
    let common = candidates.count == 1 ? inserts[0] : commonPrefix(inserts)
    let finished = candidates.count == 1 && common.lowercased() == typed.lowercased()
    if finished || (common.count > typed.count && common.lowercased().hasPrefix(typed.lowercased())) {
        // Replace the typed word (case may differ) with the completion.
        if !typed.isEmpty { el_deletestr(el, Int32(typed.unicodeScalars.count)) }
        // A unique candidate is finished: a space after a word, the closing quote after a value.
        var w = wide(common + (candidates.count == 1 && !common.hasSuffix("(") ? candidates[0].terminator : ""))
        _ = w.withUnsafeMutableBufferPointer { el_winsertstr(el, $0.baseAddress) }
        return 4  // CC_REFRESH
    }
    // Ambiguous: list the candidates below the line.
    let list = candidates.prefix(60).map(\.display)
    let width = (list.map { DisplayWidth.of($0) }.max() ?? 0) + 2
    let columns = max(1, Console.terminalWidth / max(width, 1))
    var out = "\n"
    for (i, c) in list.enumerated() {
        out += c + String(repeating: " ", count: max(0, width - DisplayWidth.of(c)))
        if (i + 1) % columns == 0 { out += "\n" }
    }
    if list.count % columns != 0 { out += "\n" }
    if candidates.count > list.count { out += "… \(candidates.count - list.count) more\n" }
    Console.write(out)
    return 8  // CC_REDISPLAY
}

/// Reads lines with libedit on a terminal.
final class LibeditReader: LineReader {
    private let el: OpaquePointer
    private let hist: OpaquePointer
    /// Where history is saved; nil when there is no path or the file there is not libedit's.
    private let historyPath: String?
    static let historySize: Int32 = 1000

    init(completer: Completer, warn: (String) -> Void) {
        setlocale(LC_ALL, "")
        context.completer = completer
        el = el_init("bql", fdopen(STDIN_FILENO, "r"), fdopen(STDOUT_FILENO, "w"), fdopen(STDERR_FILENO, "w"))
        hist = history_winit()
        bql_history_set_size(hist, LibeditReader.historySize)
        bql_history_set_unique(hist, 1)
        bql_el_set_history(el, hist)
        bql_el_set_editor(el, wide("emacs"))
        bql_el_set_prompt(el, promptCallback)
        bql_el_add_function(el, wide("bql-complete"), wide("Complete tables, fields and values"), completeCallback)
        bql_el_bind(el, wide("^I"), wide("bql-complete"))
        // Ctrl-R: libedit's incremental history search (its emacs map redraws the line instead).
        bql_el_bind(el, wide("^R"), wide("em-inc-search-prev"))
        el_source(el, nil)  // ~/.editrc, which may bind these keys otherwise
        let env = ProcessInfo.processInfo.environment
        let path: String?
        if let p = env["BQL_HISTORY"], !p.isEmpty {
            path = p
        } else if let home = env["HOME"] {
            path = home + "/.bql_history"
        } else {
            path = nil
        }
        // Another program's file at the path is never loaded or overwritten.
        switch path.map(HistoryFile.classify) {
        case .libedit?:
            if let path, bql_history_load(hist, path) < 0 {
                warn("warning: cannot read history file \(path); starting with empty history")
            }
            historyPath = path
        case .foreign(let reason)?:
            if let path {
                warn("warning: history file \(path) is left untouched (\(reason)); history is not saved")
            }
            historyPath = nil
        case .missing?, .empty?, nil:
            historyPath = path
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interrupted = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: a read interrupted by Ctrl-C returns
        sigaction(SIGINT, &action, nil)
    }

    deinit {
        el_end(el)
        history_wend(hist)
    }

    func setCompleter(_ c: Completer) { context.completer = c }

    /// Whether Ctrl-C was pressed since the last prompt (read by a running query's
    /// `CancellationToken`; the handler only sets a `sig_atomic_t`).
    static var interruptPending: Bool { interrupted != 0 }

    /// Forgets a Ctrl-C that was meant for another program (the pager, which shares the terminal).
    static func forgetInterrupt() { interrupted = 0 }

    func read(prompt: String) -> LineInput {
        context.prompt = wide(prompt)
        interrupted = 0
        var count: Int32 = 0
        guard let line = el_wgets(el, &count) else {
            if interrupted != 0 || count < 0 {
                interrupted = 0
                Console.write("\n")
                el_reset(el)
                return .interrupt
            }
            return .end
        }
        if interrupted != 0 {
            interrupted = 0
            return .interrupt
        }
        var text = string(from: line, to: line + Int(count))
        if text.hasSuffix("\n") { text.removeLast() }
        context.pending = prompt.hasPrefix("bql") ? text : context.pending + "\n" + text
        return .line(text)
    }

    func remember(_ entry: String) {
        context.pending = ""
        var w = wide(entry)
        _ = w.withUnsafeMutableBufferPointer { bql_history_enter(hist, $0.baseAddress) }
        if let path = historyPath {
            _ = bql_history_save(hist, path)
        }
    }

    var history: [String] {
        var out: [String] = []
        var first: Int32 = 1
        while let p = bql_history_step(hist, first) {
            out.append(String(decodingCString: p))
            first = 0
        }
        return out
    }
}

extension String {
    init(decodingCString p: UnsafePointer<wchar_t>) {
        var end = p
        while end.pointee != 0 { end += 1 }
        var s = String.UnicodeScalarView()
        var q = p
        while q < end {
            if let u = Unicode.Scalar(UInt32(bitPattern: q.pointee)) { s.append(u) }
            q += 1
        }
        self = String(s)
    }
}

/// Reads lines from a non-terminal stdin.
final class PlainReader: LineReader {
    func read(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .end }
        return .line(line)
    }
    func remember(_ entry: String) {}
    var history: [String] { [] }
}
