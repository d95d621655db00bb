// Console: the only place that writes to stdout/stderr and decides on colour and width.

import BudgetShell
import Foundation

enum Console {
    private static var colourAllowed: Bool { ProcessInfo.processInfo.environment["NO_COLOR"] == nil }
    /// Colour for stdout: a terminal, and no NO_COLOR.
    static var stdoutStyle: TextStyle { TextStyle(colour: isatty(STDOUT_FILENO) == 1 && colourAllowed) }
    /// Colour for stderr.
    static var stderrStyle: TextStyle { TextStyle(colour: isatty(STDERR_FILENO) == 1 && colourAllowed) }

    /// The terminal's width in columns (80 if unknown).
    static var terminalWidth: Int {
        var w = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 { return Int(w.ws_col) }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) { return c }
        return 80
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

/// The shell's output, on the process's stdout and stderr.
final class ConsoleOutput: ShellOutput {
    func write(_ text: String) { Console.write(text) }
    func writeError(_ text: String) {
        let style = Console.stderrStyle
        Console.error(
            style.colour ? text.replacingOccurrences(of: ": error: ", with: ": " + style.red("error") + ": ") : text)
    }
}
