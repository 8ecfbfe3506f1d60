import ArgumentParser
import Foundation
import EyesOnCore
import Store
import App
import Feeds

/// A command that cannot go on: one line on standard error, exit status 1.
struct Failure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }

    /// Words for any error, from the types that know how to say what went wrong.
    static func describing(_ error: any Error) -> Failure {
        switch error {
        case let failure as Failure: return failure
        case let error as DatabaseLocationError: return Failure(error.description)
        case let error as IdentifierError: return Failure(error.description)
        case let error as CalendarError: return Failure(error.description)
        case let error as AccountError: return Failure(error.description)
        case let error as DemoError: return Failure(error.description)
        case let error as FeedFileError: return Failure(error.description)
        case let error as ListError: return Failure(error.description)
        case let error as SettingError: return Failure(error.description)
        case let error as CodeError: return Failure(error.description)
        case let error as APITokenError: return Failure(error.description)
        case let error as BackupError: return Failure(error.description)
        case let error as Store.Agencies.Invalid: return Failure(error.description)
        case let error as ReturnError: return Failure(error.description)
        default:
            // PostgreSQL's errors hide the server's message from `description`; the reflection shows it.
            let text = String(describing: error)
            return Failure(text.contains("PSQLError") ? String(reflecting: error) : text)
        }
    }
}

extension Failure: LocalizedError {
    var errorDescription: String? { message }
}

/// Progress on a terminal (standard error), silent when not a terminal.
final class TerminalProgress: @unchecked Sendable {
    private let enabled = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var last = ""

    var report: @Sendable (String, Double) -> Void {
        { [self] stage, fraction in
            guard enabled else { return }
            let line = "\(stage): \(Int((fraction * 100).rounded()))%"
            lock.lock(); defer { lock.unlock() }
            guard line != last else { return }
            last = line
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        }
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
