// Console: the only place that writes to stdout/stderr and decides on colour and width. Writes
// are POSIX writes: SIGPIPE is ignored, and a closed or failing stdout ends bql with a message
// and the output-error exit code, never a signal.

import BudgetShell
import Foundation

enum Console {
    /// Colour for stdout: a terminal, and no NO_COLOR.
    static var stdoutStyle: TextStyle {
        TextStyle.forOutput(terminal: isatty(STDOUT_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
    }
    /// Colour for stderr.
    static var stderrStyle: TextStyle {
        TextStyle.forOutput(terminal: isatty(STDERR_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
    }

    /// The terminal's width in columns (80 if unknown).
    static var terminalWidth: Int {
        var w = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 { return Int(w.ws_col) }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        return 80
    }

    /// Whether stdout was closed when bql started (`bql … >&-`).
    nonisolated(unsafe) private static var stdoutClosed = false

    /// Prepares the standard streams before anything is written or opened: SIGPIPE is ignored
    /// (a closed pipe becomes the error EPIPE), and a closed stdin, stdout or stderr is
    /// reopened on /dev/null so that no file bql opens later takes its descriptor. A closed
    /// stdout is remembered: the first write to it fails as a write to a closed stream does.
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            if fd == STDOUT_FILENO { stdoutClosed = true }
            // open() returns the lowest free descriptor: this one.
            let reopened = open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if reopened >= 0 && reopened != fd {
                dup2(reopened, fd)
                close(reopened)
            }
        }
    }

    /// Writes `text` to stdout as is. When stdout cannot be written (closed, a closed pipe, a
    /// full disk), says so on stderr and exits with the output-error code.
    static func write(_ text: String) {
        var text = text
        let failure: Int32? =
            stdoutClosed ? EBADF : text.withUTF8 { writeAll(STDOUT_FILENO, UnsafeRawBufferPointer($0)) }
        if let failure {
            error("bql: \(FileError("write", "standard output", errno: failure))")
            exit(BQLExit.ioError)
        }
    }

    /// Writes a line to stderr. A failure is ignored: there is nowhere left to report it.
    static func error(_ text: String) {
        var line = text.hasSuffix("\n") ? text : text + "\n"
        _ = line.withUTF8 { writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
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
    /// Warnings are for a person at a terminal: on stderr when it is one, else nowhere.
    func writeWarning(_ text: String) {
        guard isatty(STDERR_FILENO) == 1 else { return }
        Console.error(text)
    }
}
