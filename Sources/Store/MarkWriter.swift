import Foundation
import FluentKit
import SQLKit
import NIOCore
import FluentPostgresDriver
import EyesOnCore

/// Writes attendance marks in bulk: the import's hot path. Every value written is one EyesOn
/// made — a pupil number, an ISO date, AM or PM, a code from the register-code table — never text
/// from a file, so the values are written into the statements (or the COPY stream) directly:
/// binding four values a row cost more than the database's own work.
enum MarkWriter {
    /// Rows per INSERT statement.
    static let rowsPerStatement = 1_000

    /// Inserts marks known not to be held yet: COPY on PostgreSQL, multi-row INSERTs on SQLite.
    static func insert(_ marks: [(Int64, SessionMark)], on db: any Database) async throws {
        guard !marks.isEmpty else { return }
        if let postgres = db as? any PostgresDatabase {
            var dates = DateTexts()
            try await stream(marks, into: "attendance_marks", columns: ["pupil", "date", "session", "code"], on: postgres, logger: db.logger) { row, buffer in
                let (number, mark) = row
                buffer.writeString(String(number))
                buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeString(dates.text(mark.date))
                buffer.writeString(mark.session == .am ? "\tAM\t" : "\tPM\t")
                // COPY's text format escapes a backslash (the afternoon present mark).
                buffer.writeString(mark.codeText == "\\" ? "\\\\" : mark.codeText)
            }
            return
        }
        let sql = db as! any SQLDatabase
        for chunk in marks.chunked(rowsPerStatement) {
            try await sql.raw(statement(chunk, upsert: false)).run()
        }
        try await PageVersions.advance(on: db)
    }

    /// COPYs rows of text values (nil is NULL) into a PostgreSQL table, escaping each value for
    /// COPY's text format — for rows that hold text from a file (pupils' names).
    static func copy(_ rows: [[String?]], into table: String, columns: [String], on postgres: any PostgresDatabase, logger: Logger) async throws {
        try await stream(rows, into: table, columns: columns, on: postgres, logger: logger) { row, buffer in
            for (i, value) in row.enumerated() {
                if i > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                guard let value else { buffer.writeString("\\N"); continue }
                for byte in value.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): buffer.writeString("\\\\")
                    case UInt8(ascii: "\t"): buffer.writeString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
            }
        }
    }

    /// COPYs rows into a table, `write` putting one row's fields (without the line end) into the
    /// buffer, sent in pieces of about 64 KiB.
    private static func stream<Row>(_ rows: [Row], into table: String, columns: [String], on postgres: any PostgresDatabase, logger: Logger,
                                    write: (Row, inout ByteBuffer) -> Void) async throws {
        guard !rows.isEmpty else { return }
        let connection = try await postgres.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(1 << 16)
            for row in rows {
                write(row, &buffer)
                buffer.writeInteger(UInt8(ascii: "\n"))
                if buffer.readableBytes >= 1 << 16 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    /// Replaces the codes of marks already held.
    static func correct(_ marks: [(Int64, SessionMark)], on db: any Database) async throws {
        guard !marks.isEmpty else { return }
        let sql = db as! any SQLDatabase
        for chunk in marks.chunked(rowsPerStatement) {
            try await sql.raw(statement(chunk, upsert: true)).run()
        }
        try await PageVersions.advance(on: db)
    }

    static func statement(_ marks: ArraySlice<(Int64, SessionMark)>, upsert: Bool) -> SQLQueryString {
        var text = "INSERT INTO attendance_marks (pupil, date, session, code) VALUES "
        text.reserveCapacity(40 * marks.count + 120)
        var dates = DateTexts()
        var first = true
        for (number, mark) in marks {
            if !first { text += "," }
            first = false
            text += "("
            text += String(number)
            text += ",'"
            text += dates.text(mark.date)
            text += mark.session == .am ? "','AM','" : "','PM','"
            text += mark.codeText
            text += "')"
        }
        if upsert { text += " ON CONFLICT (pupil, date, session) DO UPDATE SET code = excluded.code" }
        return "\(unsafeRaw: text)"
    }

    /// ISO text of the few dates a batch holds, each formatted once.
    struct DateTexts {
        var byDay: [Int: String] = [:]
        mutating func text(_ date: CivilDate) -> String {
            let day = date.daysSince1970
            if let known = byDay[day] { return known }
            let text = date.description
            byDay[day] = text
            return text
        }
    }
}
