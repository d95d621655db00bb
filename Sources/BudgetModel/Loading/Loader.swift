// Loader: reads every dataset folder under a directory into `Budget` values. It validates each
// CSV against `DatasetSchema` (header, cell count, types, enumerations, keys, references) and
// throws a `DatasetError` naming the file, line and column. It never skips a row silently, nor
// a folder that looks like a dataset (one holding department.csv) but cannot be loaded.

import Foundation

/// Reads department budgets from Data Package folders.
public enum DatasetLoader {
    /// Loads every dataset under `directory`: the directory itself if it holds a
    /// `datapackage.json`, else each immediate subfolder that does, sorted by name.
    ///
    /// A subfolder holding `department.csv` but no `datapackage.json`, a `datapackage.json` that
    /// is a symbolic link to nothing, and an entry that is a symbolic link to nothing are errors,
    /// not folders to skip. The folders are loaded on all cores; the result, and the error thrown
    /// when folders are bad, are those of loading them one after another in name order (the first
    /// bad folder's error, or the first duplicate dataset id).
    public static func loadAll(from directory: URL) throws(DatasetError) -> [Budget] {
        switch folderKind(directory.path) {
        case .dataset: return [try load(from: directory)]
        case .broken(let error): throw error
        case .notADataset: break
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw .noDatasets(directory: directory.path)
        }
        let folders = entries.sorted().map { directory.appendingPathComponent($0) }
        let results = loadFolders(folders)
        var budgets: [Budget] = []
        budgets.reserveCapacity(folders.count)
        var seen: [String: String] = [:]
        for (folder, result) in zip(folders, results) {
            // A folder is left unloaded only after a failed one, whose error was thrown first.
            guard let result else { break }
            switch result {
            case .notADataset: continue
            case .failed(let error): throw error
            case .loaded(let budget):
                if let first = seen[budget.department.id] {
                    throw .duplicateDataset(id: budget.department.id, first: first, second: folder.path)
                }
                seen[budget.department.id] = folder.path
                budgets.append(budget)
            }
        }
        if budgets.isEmpty { throw .noDatasets(directory: directory.path) }
        return budgets
    }

    /// What a folder is to the loader.
    enum FolderKind {
        /// It holds a `datapackage.json`.
        case dataset
        /// A file, or a folder that is no dataset (no `datapackage.json`, no `department.csv`).
        case notADataset
        /// A dataset that cannot be loaded: why.
        case broken(DatasetError)
    }

    /// Whether `folder` (a path) is a dataset folder. The load cache's fingerprint asks the same,
    /// so that it covers exactly the folders a load reads.
    static func folderKind(_ folder: String) -> FolderKind {
        switch DataFile.kind(folder) {
        case .directory: break
        case .danglingLink: return .broken(.danglingLink(DataLocation(file: folder)))
        case .missing, .file, .other: return .notADataset
        }
        let descriptor = folder + "/datapackage.json"
        switch DataFile.kind(descriptor) {
        case .missing:
            if DataFile.kind(folder + "/department.csv") == .missing { return .notADataset }
            return .broken(.missingDescriptor(DataLocation(file: descriptor)))
        case .danglingLink: return .broken(.danglingLink(DataLocation(file: descriptor)))
        case .file, .directory, .other: return .dataset  // reading it says what is wrong with it
        }
    }

    /// Loads the dataset in one folder.
    public static func load(from folder: URL) throws(DatasetError) -> Budget {
        var interner = StringInterner()
        return try load(from: folder, interner: &interner)
    }

    static func load(from folder: URL, files: FolderFiles? = nil, interner: inout StringInterner) throws(DatasetError)
        -> Budget
    {
        let files = files ?? FolderFiles(folder)
        let name = folder.absoluteURL.standardizedFileURL.lastPathComponent
        let descriptor = files.path("datapackage.json")
        try checkDescriptor(try DataFile.read(descriptor), folder: name, location: DataLocation(file: descriptor))
        var tables: [LoadedTable] = []
        tables.reserveCapacity(DatasetSchema.tables.count)
        for schema in DatasetSchema.tables {
            tables.append(try readTable(schema, files, interner: &interner))
        }
        return try assemble(tables, folder: name)
    }

    /// The paths of a folder's files, exactly as `folder.appendingPathComponent(name).path` gives
    /// them for a plain file name, made by concatenation (URL's appending was 6% of a load).
    struct FolderFiles {
        private let prefix: String

        init(_ folder: URL) {
            let probe = "datapackage.json"
            prefix = String(folder.appendingPathComponent(probe).path.dropLast(probe.count))
        }

        /// The path of the file `name` (no slash in it) in the folder.
        func path(_ name: String) -> String { prefix + name }

        /// The folder's own path.
        var folder: String { String(prefix.dropLast()) }
    }

    // MARK: - Loading folders in parallel

    /// What became of one folder.
    enum FolderResult: Sendable {
        /// It has no `datapackage.json`.
        case notADataset
        case loaded(Budget)
        case failed(DatasetError)
    }

    /// Loads `folders` on all cores. Element `i` is folder `i`'s result; `nil` only for folders
    /// after a failed one, which a sequential load would never have reached.
    static func loadFolders(_ folders: [URL], workers: Int = ProcessInfo.processInfo.activeProcessorCount)
        -> [FolderResult?]
    {
        let workers = max(1, min(workers, folders.count))
        let work = FolderWork(count: folders.count)
        if workers == 1 {
            loadFolders(folders, from: work)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in loadFolders(folders, from: work) }
        }
        return work.finished()
    }

    /// One worker: takes folders from `work` until none is left, with one string interner for
    /// all its folders (texts repeat across departments as much as within one).
    private static func loadFolders(_ folders: [URL], from work: FolderWork) {
        var interner = StringInterner()
        while let i = work.take() {
            let folder = folders[i]
            let files = FolderFiles(folder)
            let result: FolderResult
            switch folderKind(files.folder) {
            case .notADataset: result = .notADataset
            case .broken(let error): result = .failed(error)
            case .dataset:
                do throws(DatasetError) {
                    result = .loaded(try load(from: folder, files: files, interner: &interner))
                } catch {
                    result = .failed(error)
                }
            }
            work.finish(i, result)
        }
    }

    private static func readTable(_ schema: TableSchema, _ files: FolderFiles, interner: inout StringInterner)
        throws(DatasetError) -> LoadedTable
    {
        let file = files.path(schema.file)
        let bytes = try DataFile.read(file)
        let csv: CSVCells
        switch CSVCells.split(bytes) {
        case .success(let c): csv = c
        case .failure(let problem): throw DatasetError(problem, file: file)
        }
        try requireFinalLineEnd(bytes, file: file)
        guard csv.count > 0 else {
            throw .missingColumn(
                DataLocation(file: file, position: TextPosition(line: 1, column: 1)),
                column: schema.fields[0].name, table: schema.name)
        }
        let expected = schema.fields.map(\.name)
        var index: [String: Int] = [:]
        for i in 0..<csv.cellCount(0) {
            let name = csv.text(csv.cell(0, i)).trimmedWhitespace
            guard expected.contains(name) else {
                throw .unknownColumn(
                    DataLocation(file: file, position: csv.position(ofRecord: 0, field: i)), column: name,
                    table: schema.name, suggestion: Suggestions.closest(name, in: expected))
            }
            if index[name] != nil {
                throw .duplicateKey(
                    DataLocation(file: file, position: csv.position(ofRecord: 0, field: i)), column: "header column",
                    key: name, firstLine: 1)
            }
            index[name] = i
        }
        for name in expected where index[name] == nil {
            throw .missingColumn(
                DataLocation(file: file, position: TextPosition(line: 1, column: 1)), column: name, table: schema.name)
        }
        // Every expected column is in `index` (a missing one was thrown above).
        let table = LoadedTable(schema: schema, file: file, csv: csv, headerColumn: expected.map { index[$0] ?? 0 })
        try table.read(interner: &interner)
        return table
    }

    /// Reads and parses a CSV file, mapping parse problems to located `DatasetError`s.
    /// Returns `nil` when the file does not exist; a file that is not a regular file, cannot be
    /// read or does not end with a line end is an error.
    public static func readCSV(_ url: URL) throws(DatasetError) -> [CSVRecord]? {
        let file = url.path
        if DataFile.kind(file) == .missing { return nil }
        let bytes = try DataFile.read(file)
        switch CSVReader.parse(bytes) {
        case .success(let r):
            try requireFinalLineEnd(bytes, file: file)
            return r
        case .failure(let problem): throw DatasetError(problem, file: file)
        }
    }

    /// A non-empty CSV file must end with a line end: without one, the last field may have been
    /// cut short (a truncated copy), which nothing else would show. The error is located just
    /// after the last character.
    static func requireFinalLineEnd(_ bytes: [UInt8], file: String) throws(DatasetError) {
        guard let last = bytes.last, last != 0x0A, last != 0x0D else { return }
        throw .missingFinalLineEnd(
            DataLocation(file: file, position: UTF8Validation.position(ofByte: bytes.count, in: bytes)))
    }

}

extension DatasetError {
    /// The located error for a CSV problem in `file`.
    init(_ problem: CSVProblem, file: String) {
        switch problem {
        case .invalidUTF8(let p): self = .invalidUTF8(DataLocation(file: file, position: p))
        case .unterminatedQuote(let p): self = .unterminatedQuote(DataLocation(file: file, position: p))
        case .textAfterQuote(let p): self = .textAfterQuote(DataLocation(file: file, position: p))
        }
    }
}
