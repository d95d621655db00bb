// Pager: bql's terminal as the shell sees it — its size now (read at every result, so a resized
// window is followed) and the pager that results taller than the screen go through: $PAGER, or
// `less -SRFX` (chop long lines, keep colour, quit at once if it fits, leave the screen as it is).

import BudgetShell
import Foundation

/// stdout when it is a terminal.
final class ConsoleTerminal: ShellTerminal {
    let pager: String?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        pager = ConsoleTerminal.pagerCommand(environment)
        // bql writes UTF-8 whatever the locale says; less must not show 汉字 as <E9><A1>…
        if environment["LESSCHARSET"] == nil { setenv("LESSCHARSET", "utf-8", 0) }
    }

    /// `$PAGER` when set and not empty, else `less -SRFX` when `less` is on the PATH.
    static func pagerCommand(_ environment: [String: String]) -> String? {
        if let p = environment["PAGER"], !p.trimmingCharacters(in: .whitespaces).isEmpty { return p }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/less") {
            return "less -SRFX"
        }
        return nil
    }

    var size: (columns: Int, rows: Int) {
        var w = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 {
            return (Int(w.ws_col), Int(w.ws_row))
        }
        let env = ProcessInfo.processInfo.environment
        return (
            env["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 80,
            env["LINES"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 24
        )
    }

    func page(_ text: String) -> Bool {
        guard let pager, let pipe = popen(pager, "w") else { return false }
        // The pager ends when the user quits it, perhaps before reading everything: the write
        // then fails with EPIPE (SIGPIPE is ignored), which is not an error.
        var text = text
        _ = text.withUTF8 { writeAll(fileno(pipe), UnsafeRawBufferPointer($0)) }
        let status = pclose(pipe)
        // Ctrl-C in the pager reached bql too (one process group): it was the pager's.
        LibeditReader.forgetInterrupt()
        // 127: the shell could not find the command; nothing was shown.
        return !(status != -1 && (status >> 8) & 0xFF == 127)
    }
}
