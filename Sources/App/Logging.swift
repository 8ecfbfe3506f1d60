import Foundation
import Vapor
import EyesOnCore
import NIOConcurrencyHelpers

/// Sets up logging once per process. `LOG_LEVEL` (trace … critical; default notice) chooses the
/// level; `LOG_FORMAT=json` writes one JSON object per line (for journald, Loki, Elastic…), else
/// Vapor's console lines.
public func bootstrapLogging() {
    var environment = Environment(name: "production", arguments: ["eyeson"])
    if LogFormat.isJSON {
        try? LoggingSystem.bootstrap(from: &environment) { level in
            { label in JSONLogHandler(label: label, level: level) }
        }
    } else {
        try? LoggingSystem.bootstrap(from: &environment)
    }
}

public enum LogFormat {
    /// `LOG_FORMAT=json`.
    public static var isJSON: Bool { ProcessInfo.processInfo.environment["LOG_FORMAT"]?.lowercased() == "json" }

    /// Prints what `serve` says to people (where it serves, the demo logins): as a log line when
    /// the log is JSON, so every line of the output parses.
    public static func say(_ message: String) {
        if isJSON {
            JSONLogHandler.standardOutput(JSONLogHandler.render(level: .notice, label: "eyeson", message: message, metadata: [:]))
        } else {
            print(message)
            fflush(nil)
        }
    }
}

/// A log handler writing one JSON object per line to standard output:
/// `{"time":"2026-12-07T09:15:02.113Z","level":"info","label":"codes.vapor.request","message":"GET /ready","request-id":"…",…}`
/// — the time in UTC with milliseconds, then the logger's metadata (the request's id on every line
/// about a request) as top-level keys.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput) {
        self.label = label
        self.logLevel = level
        self.write = write
        self.metadataProvider = LoggingSystem.metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        write(Self.render(level: event.level, label: label, message: event.message.description, metadata: all,
                          source: event.source, file: event.file, line: event.line))
    }

    private static let lock = NIOLock()

    /// Writes whole lines, one writer at a time, unbuffered (a crash loses no line already logged).
    public static let standardOutput: @Sendable (String) -> Void = { line in
        lock.withLock {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }

    /// One log line. Keys are sorted after `time`, `level`, `label` and `message`, which come first.
    public static func render(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
                              source: String? = nil, file: String? = nil, line: UInt? = nil, at date: Date = Date()) -> String {
        var out = "{\"time\":" + quote(timestamp(date)) + ",\"level\":" + quote(level.rawValue)
            + ",\"label\":" + quote(label) + ",\"message\":" + quote(message)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where !["time", "level", "label", "message"].contains(key) {
            out += "," + quote(key) + ":" + json(value)
        }
        if level >= .error, let file, let line {
            out += ",\"source\":" + quote("\(source ?? "")")
            out += ",\"file\":" + quote("\((file as NSString).lastPathComponent):\(line)")
        }
        return out + "}"
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return quote(s)
        case .stringConvertible(let c): return quote(c.description)
        case .array(let values): return "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let d):
            return "{" + d.sorted { $0.key < $1.key }.map { quote($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped (a hostile value cannot
    /// end the line or forge a key).
    static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}", "\u{2029}": out += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// ISO 8601 in UTC with milliseconds: the day from ``CivilDate``, the time from the seconds
    /// past midnight (no calendar or formatter per line).
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = Int((Double(milliseconds) / 86_400_000).rounded(.down))
        let ms = milliseconds - days * 86_400_000   // since midnight
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(CivilDate(daysSince1970: days))T\(pad(ms / 3_600_000, 2)):\(pad(ms / 60_000 % 60, 2)):\(pad(ms / 1000 % 60, 2)).\(pad(ms % 1000, 3))Z"
    }
}
