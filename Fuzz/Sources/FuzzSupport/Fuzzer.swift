// Fuzzer: starts libFuzzer from a target's main.swift, or writes the target's seed corpus
// (`<target> --write-seeds DIR`) instead; and where the repository and its data are.

import CFuzzer
import Foundation

/// libFuzzer's callback: one input, return 0.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

/// Running a fuzz target.
public enum Fuzzer {
    /// Runs libFuzzer over `callback` with the process's arguments, or, when the first argument is
    /// `--write-seeds DIR`, writes `seeds()` into DIR (one file each) and exits.
    public static func main(seeds: () -> [[UInt8]], _ callback: FuzzCallback) -> Never {
        let arguments = CommandLine.arguments
        if arguments.count == 3, arguments[1] == "--write-seeds" {
            let directory = URL(fileURLWithPath: arguments[2])
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var written = 0
            for seed in seeds() {
                let name = String(format: "seed-%016llx", Fuzzer.hash(seed))
                if FileManager.default.createFile(
                    atPath: directory.appendingPathComponent(name).path, contents: Data(seed))
                {
                    written += 1
                }
            }
            print("wrote \(written) seeds to \(directory.path)")
            exit(0)
        }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv, callback)
        exit(status)
    }

    /// A stable 64-bit FNV-1a hash, for seed file names.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// Stops the process with a message: libFuzzer records the input as a crash.
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("BUDGETQL FUZZ FAILURE: " + message + "\n").utf8))
        abort()
    }
}

/// Paths in the repository.
public enum Repo {
    /// A scratch folder for this process (one per process, so parallel jobs do not collide):
    /// `bql-fuzz-<name>-<pid>` under `BQL_FUZZ_TMP`, else /dev/shm when there is one.
    public static func scratch(_ name: String) -> URL {
        let shm = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let base = ProcessInfo.processInfo.environment["BQL_FUZZ_TMP"] ?? shm
        let url = URL(fileURLWithPath: base).appendingPathComponent("bql-fuzz-\(name)-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The repository root: $BQL_REPO, else found from this file's path.
    public static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["BQL_REPO"] { return URL(fileURLWithPath: env) }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    /// The bundled datasets.
    public static var datasets: URL { root.appendingPathComponent("Datasets") }

    /// The text of a file in the repository, or "".
    public static func text(_ path: String) -> String {
        (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }

    /// The names of the files in a folder of the repository, sorted.
    public static func files(_ path: String, suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(path).path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { path + "/" + $0 }
    }
}
