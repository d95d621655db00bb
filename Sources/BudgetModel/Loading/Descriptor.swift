// Descriptor: checks a dataset folder's `datapackage.json` against the schema — the format
// version (`bql:format`), the package name (the folder's name), and one resource per table whose
// name, path, fields and field types are the schema's; duplicate and unknown resources are
// errors. A descriptor byte-identical to the one `DatasetSchema.dataPackageJSON` writes for its
// folder (every bundled and generated one) is accepted after one comparison; any other is
// parsed with JSONSerialization and checked field by field, which is also what decides every
// error, so both paths give the same verdict (the canonical text passes the full check).

import Foundation

extension DatasetLoader {
    /// Checks the descriptor `bytes` of the folder named `folder` (read from `location`).
    static func checkDescriptor(_ bytes: [UInt8], folder: String, location: DataLocation) throws(DatasetError) {
        if CanonicalDescriptor.shared.matches(bytes, name: folder) { return }
        try checkParsedDescriptor(bytes, folder: folder, location: location)
    }

    /// The full check, on the parsed JSON.
    static func checkParsedDescriptor(_ bytes: [UInt8], folder: String, location: DataLocation) throws(DatasetError) {
        func fail(_ problem: DescriptorProblem) -> DatasetError { .invalidDescriptor(location, problem) }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(bytes)) } catch { throw fail(.notJSON) }
        guard let root = object as? [String: Any], let resources = root["resources"] as? [Any] else {
            throw fail(.notAnObject)
        }
        guard let format = root["bql:format"] as? String, format == DatasetSchema.version else {
            throw fail(.format(found: root["bql:format"].map(Self.jsonText)))
        }
        guard let name = root["name"] as? String, name == folder else {
            throw fail(.name(found: root["name"].map(Self.jsonText), folder: folder))
        }
        var described: Set<String> = []
        for resource in resources {
            let resource = resource as? [String: Any] ?? [:]
            if let path = resource["path"] as? String, DatasetSchema.sidecarFiles.contains(path) {
                guard described.insert(path).inserted else { throw fail(.duplicateResource(path: path)) }
                continue
            }
            guard let path = resource["path"] as? String,
                let table = DatasetSchema.tables.first(where: { $0.file == path })
            else { throw fail(.unknownResource(path: resource["path"].map(Self.jsonText) ?? "(none)")) }
            guard described.insert(path).inserted else { throw fail(.duplicateResource(path: path)) }
            guard resource["name"] as? String == table.name else {
                throw fail(.resourceName(path: path, found: resource["name"].map(Self.jsonText), expected: table.name))
            }
            let schema = resource["schema"] as? [String: Any]
            let fields = (schema?["fields"] as? [Any])?.map { $0 as? [String: Any] ?? [:] } ?? []
            for (i, expected) in table.fields.enumerated() {
                guard i < fields.count else {
                    throw fail(.missingField(path: path, position: i + 1, expected: expected.name))
                }
                guard fields[i]["name"] as? String == expected.name else {
                    throw fail(
                        .fieldName(
                            path: path, position: i + 1, found: fields[i]["name"].map(Self.jsonText),
                            expected: expected.name))
                }
                guard fields[i]["type"] as? String == expected.type.rawValue else {
                    throw fail(
                        .fieldType(
                            path: path, field: expected.name, found: fields[i]["type"].map(Self.jsonText),
                            expected: expected.type.rawValue))
                }
            }
            if fields.count > table.fields.count {
                let extra = fields[table.fields.count]["name"].map(Self.jsonText) ?? "(unnamed)"
                throw fail(.extraField(path: path, position: table.fields.count + 1, found: extra))
            }
        }
        for table in DatasetSchema.tables where !described.contains(table.file) {
            throw fail(.undescribed(path: table.file))
        }
    }

    /// A JSON value as a message shows it: strings quoted, anything else as JSON writes it.
    private static func jsonText(_ value: Any) -> String {
        if let s = value as? String { return "\"\(s)\"" }
        if value is NSNull { return "null" }
        if let n = value as? NSNumber { return n.stringValue }
        if value is [Any] { return "an array" }
        return "an object"
    }
}

/// The descriptor `DatasetSchema.dataPackageJSON` writes, as the text around its two variable
/// parts: the package name (the folder's name) and its title.
struct CanonicalDescriptor: Sendable {
    private let head: [UInt8]
    private let middle: [UInt8]
    private let tail: [UInt8]

    static let shared = CanonicalDescriptor()

    private init() {
        let name = "BQLNAMEPLACEHOLDER"
        let title = "BQLTITLEPLACEHOLDER"
        let text = Array(DatasetSchema.dataPackageJSON(id: name, title: title).utf8)
        func find(_ needle: String, from start: Int) -> Int? {
            let n = Array(needle.utf8)
            guard text.count >= n.count else { return nil }
            return (start...(text.count - n.count)).first { Array(text[$0..<($0 + n.count)]) == n }
        }
        // The name comes first (keys are sorted: bql:format, name, profile, resources, title).
        guard let n = find(name, from: 0), let t = find(title, from: n + name.utf8.count) else {
            // Never: then nothing matches, and every descriptor gets the full check.
            head = [1]
            middle = [1]
            tail = [1]
            return
        }
        head = Array(text[..<n])
        middle = Array(text[(n + name.utf8.count)..<t])
        tail = Array(text[(t + title.utf8.count)...])
    }

    /// Whether `bytes` are exactly the canonical descriptor of package `name`, with some title
    /// that JSON writes without escapes (no quote, backslash or control character).
    func matches(_ bytes: [UInt8], name: String) -> Bool {
        let nameBytes = Array(name.utf8)
        let fixed = head.count + nameBytes.count + middle.count + tail.count
        guard bytes.count >= fixed else { return false }
        let titleStart = head.count + nameBytes.count + middle.count
        let titleEnd = bytes.count - tail.count
        guard bytes[..<head.count].elementsEqual(head),
            bytes[head.count..<(head.count + nameBytes.count)].elementsEqual(nameBytes),
            bytes[(head.count + nameBytes.count)..<titleStart].elementsEqual(middle),
            bytes[titleEnd...].elementsEqual(tail)
        else { return false }
        // The name too must be written without escapes, as the folder's name is.
        let plain = { (b: UInt8) in b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") }
        let title = Array(bytes[titleStart..<titleEnd])
        return nameBytes.allSatisfy(plain) && title.allSatisfy(plain) && UTF8Validation.isValid(title)
    }
}
