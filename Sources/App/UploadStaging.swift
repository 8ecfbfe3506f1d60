import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where an uploaded or pushed file waits for its import: a folder of this server process's own
/// (`$TMPDIR/eyeson-uploads-PID/`), each file removed when its import ends. A server killed in the
/// middle of an import (SIGKILL, power cut) cannot remove its file, so the next server to start
/// removes the folders of processes no longer running: children's data does not linger in /tmp.
enum UploadStaging {
    static let prefix = "eyeson-uploads-"

    static var directory: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent(prefix + String(getpid()), isDirectory: true)
    }

    /// A new path in this process's folder (made readable by this user only, if missing).
    static func newPath() throws -> String {
        let folder = directory
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder.appendingPathComponent(UUID().uuidString).path
    }

    /// Removes the folders left by server processes that are no longer running; returns how many.
    @discardableResult
    static func removeAbandoned() -> Int {
        let temp = FileManager.default.temporaryDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temp.path) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            // kill(pid, 0): no signal sent; ESRCH means no such process.
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            if (try? FileManager.default.removeItem(at: temp.appendingPathComponent(name))) != nil { removed += 1 }
        }
        return removed
    }
}
