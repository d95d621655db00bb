// Console: the only place that writes to stdout/stderr and decides on colour.

import BudgetShell
import Foundation

enum Console {
    /// Whether stdout is a terminal and colour is allowed (`NO_COLOR` unset).
    static var stdoutStyle: TextStyle {
        TextStyle(colour: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }
    /// Whether stderr is a terminal and colour is allowed.
    static var stderrStyle: TextStyle {
        TextStyle(colour: isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }

    /// Writes `text` to stdout as is.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes a line to stderr.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
