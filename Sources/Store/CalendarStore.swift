import Foundation
import FluentKit
import EyesOnCore

/// The partnership's calendars: bank holidays (the shipped GOV.UK snapshot, or a newer file
/// imported with `eyeson calendar import`) and school term dates (demo defaults, or the area's own
/// with `eyeson calendar terms`).
public enum CalendarStore {
    public static let schoolCalendarKey = "school-calendar"

    /// Replaces the stored bank holidays with those in a GOV.UK bank-holidays.json file. Nothing is
    /// changed when the file is not valid.
    public static func importBankHolidays(json: Data, sourceName: String, on db: any Database) async throws -> BankHolidays {
        let holidays = try BankHolidays(govUKJSON: json, source: sourceName)
        try await db.writeTransaction { tx in
            try await StoredBankHoliday.query(on: tx).delete()
            for event in holidays.events {
                let row = StoredBankHoliday()
                row.dateText = event.date.description
                row.title = event.title
                row.notes = event.notes
                row.source = sourceName
                try await row.create(on: tx)
            }
            try await AuditLog.record(.calendarImported, on: tx, detail: "\(holidays.events.count) bank holidays \(holidays.firstYear)–\(holidays.lastYear) from \(sourceName)")
        }
        return holidays
    }

    /// The bank holidays in force: the imported ones when there are any, else the shipped snapshot.
    public static func bankHolidays(on db: any Database) async throws -> BankHolidays {
        let rows = try await StoredBankHoliday.query(on: db).sort(\.$dateText).all()
        guard !rows.isEmpty else { return .englandAndWales }
        let events = rows.map { ["title": $0.title, "date": $0.dateText, "notes": $0.notes] }
        let json = try JSONSerialization.data(withJSONObject: ["england-and-wales": ["division": "england-and-wales", "events": events]])
        return try BankHolidays(govUKJSON: json, source: "imported (\(rows.first?.source ?? "database"))")
    }

    /// Stores the area's school term dates (the JSON form `SchoolCalendar(json:)` reads).
    public static func saveSchoolCalendar(json: Data, on db: any Database) async throws -> SchoolCalendar {
        let calendar = try SchoolCalendar(json: json)
        let text = String(decoding: json, as: UTF8.self)
        if let existing = try await Setting.query(on: db).filter(\.$key == schoolCalendarKey).first() {
            existing.value = text
            try await existing.save(on: db)
        } else {
            try await Setting(key: schoolCalendarKey, value: text).create(on: db)
        }
        try await AuditLog.record(.settingChanged, on: db, detail: "school term dates for \(calendar.area): \(calendar.terms.count) terms")
        return calendar
    }

    /// The area's school term dates, or the demo defaults when none are stored.
    public static func schoolCalendar(on db: any Database) async throws -> SchoolCalendar {
        guard let setting = try await Setting.query(on: db).filter(\.$key == schoolCalendarKey).first() else {
            return .demoDefaults()
        }
        return try SchoolCalendar(json: Data(setting.value.utf8))
    }
}
