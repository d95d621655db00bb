// DataFile: reads a dataset file whole, and says what a path is before the loader trusts it.
// Only a regular file is read (a FIFO would block the load, a device might never end); it is
// opened non-blocking so that nothing at the path can stall the open. A missing file, a symbolic
// link to nothing and an unreadable file are told apart, each as a located `DatasetError`.

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

enum DataFile {
    /// The largest dataset file read: a department's tables are kilobytes to megabytes, so a file
    /// past this is damage (a sparse or runaway file), refused before memory is allocated for it.
    static let maxSize = 1 << 30

    /// What is at a path, following symbolic links.
    enum Kind {
        /// Nothing (and no symbolic link).
        case missing
        /// A symbolic link whose target does not exist.
        case danglingLink
        /// A folder.
        case directory
        /// A regular file.
        case file
        /// A FIFO, socket or device.
        case other
    }

    /// What is at `path`.
    static func kind(_ path: String) -> Kind {
        var s = stat()
        if stat(path, &s) == 0 {
            switch s.st_mode & S_IFMT {
            case S_IFDIR: return .directory
            case S_IFREG: return .file
            default: return .other
            }
        }
        var link = stat()
        return lstat(path, &link) == 0 ? .danglingLink : .missing
    }

    /// The bytes of the regular file at `path`.
    static func read(_ path: String) throws(DatasetError) -> [UInt8] {
        let location = DataLocation(file: path)
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let error = errno
            switch kind(path) {
            case .missing: throw .missingFile(location)
            case .danglingLink: throw .danglingLink(location)
            default: throw .unreadableFile(location, reason: String(cString: strerror(error)))
            }
        }
        defer { close(fd) }
        var s = stat()
        guard fstat(fd, &s) == 0 else { throw .unreadableFile(location, reason: String(cString: strerror(errno))) }
        guard s.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(location) }
        guard s.st_size <= maxSize else { throw .fileTooLarge(location, limit: maxSize) }
        // Read to the end, whatever the size said (the file may grow or shrink meanwhile).
        var bytes = [UInt8](repeating: 0, count: max(Int(s.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                guard count <= maxSize else { throw .fileTooLarge(location, limit: maxSize) }
                bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096)))
            }
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(fd, base + count, buffer.count - count)
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw .unreadableFile(location, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            count += n
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
        Darwin.read(fd, buffer, count)
    #elseif canImport(Glibc)
        Glibc.read(fd, buffer, count)
    #else
        Musl.read(fd, buffer, count)
    #endif
}
