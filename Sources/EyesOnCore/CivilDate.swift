import Foundation

/// A calendar date with no time and no time zone ("civil" date), years 1 to 9999.
///
/// Deadlines, dates of birth and school days are civil dates. Arithmetic is done on a day count
/// (Howard Hinnant's days-from-civil algorithm), not with `Calendar`, so it is fast and exact.
/// Encodes as ISO 8601, `"2026-11-23"`. `CivilDate` is `Strideable`, so `a...b` can be iterated.
public struct CivilDate: Hashable, Comparable, Strideable, Sendable, Codable, CustomStringConvertible,
    LosslessStringConvertible
{
    /// The year, 1…9999.
    public let year: Int
    /// The month, 1…12.
    public let month: Int
    /// The day of the month, 1…31.
    public let day: Int

    /// The years a `CivilDate` may have.
    public static let validYears = 1...9999
    /// A date after any real one (31 December 9999), for sorting what has no date last.
    public static let distantFuture = CivilDate(year: 9999, month: 12, day: 31)!

    /// The date, or `nil` when there is no such day (e.g. 30 February, 29 February 2027)
    /// or the year is outside 1…9999.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.validYears.contains(year), (1...12).contains(month),
              day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses an ISO 8601 calendar date, `YYYY-MM-DD` exactly (e.g. `"2026-11-23"`);
    /// `nil` for any other form or for a day that does not exist.
    public init?(_ iso: String) {
        let u = Array(iso.utf8)
        guard u.count == 10, u[4] == 45, u[7] == 45 else { return nil }   // '-'
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                n = n * 10 + Int(u[i] - 48)
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date whose day count since 1970-01-01 is `daysSince1970` (0 is 1 January 1970).
    /// - Precondition: the result lies in years 1…9999.
    public init(daysSince1970 z: Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        precondition(Self.validYears.contains(y), "CivilDate out of range: year \(y)")
        self.year = y
        self.month = m
        self.day = d
    }

    /// The civil date of the instant `date` in `timeZone` (by default Europe/London).
    public init(_ date: Date, in timeZone: TimeZone = TimeZone(identifier: "Europe/London")!) {
        let offset = timeZone.secondsFromGMT(for: date)
        let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + offset
        self.init(daysSince1970: Self.floorDiv(seconds, 86_400))
    }

    /// Today's date in `timeZone` (by default Europe/London).
    public static func today(in timeZone: TimeZone = TimeZone(identifier: "Europe/London")!) -> CivilDate {
        CivilDate(Date(), in: timeZone)
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSince1970: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The instant this date starts (local midnight) in `timeZone`.
    public func startOfDay(in timeZone: TimeZone = TimeZone(identifier: "Europe/London")!) -> Date {
        let localMidnight = TimeInterval(daysSince1970 * 86_400)   // as if the zone were UTC
        func offset(at t: TimeInterval) -> TimeInterval {
            TimeInterval(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: t)))
        }
        // Two passes: the offset at the guess settles it around clock changes.
        let guess = localMidnight - offset(at: localMidnight)
        return Date(timeIntervalSince1970: localMidnight - offset(at: guess))
    }

    /// The day of the week.
    public var weekday: Weekday {
        Weekday(rawValue: Self.floorMod(daysSince1970 + 3, 7) + 1)!   // 1970-01-01 was a Thursday
    }

    /// Saturday or Sunday.
    public var isWeekend: Bool { weekday.isWeekend }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CivilDate {
        days == 0 ? self : CivilDate(daysSince1970: daysSince1970 + days)
    }

    /// The date `months` calendar months later (earlier when negative).
    ///
    /// When the target month is shorter, the day is **clamped to its last day**: 31 January plus
    /// one month is 28 February (29 in a leap year); 31 August plus one month is 30 September.
    /// This is a policy choice for "3 months"/"6 months" timescales (STANDARDS §5.2). Note that
    /// the clamp means `adding(months: 1).adding(months: 1)` may differ from `adding(months: 2)`.
    public func adding(months: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + months
        let y = Self.floorDiv(total, 12)
        let m = Self.floorMod(total, 12) + 1
        let d = min(day, Self.daysIn(month: m, year: y))
        guard let result = CivilDate(year: y, month: m, day: d) else {
            preconditionFailure("CivilDate out of range: year \(y)")
        }
        return result
    }

    /// The date `years` years later, clamping 29 February to 28 February in a common year.
    public func adding(years: Int) -> CivilDate { adding(months: years * 12) }

    /// The number of days from this date to `other` (negative when `other` is earlier).
    public func days(until other: CivilDate) -> Int { other.daysSince1970 - daysSince1970 }

    /// ISO 8601, `2026-11-23`.
    public var description: String {
        Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
    }

    /// The British long form, `23 November 2026`.
    public var ukFormatted: String { "\(day) \(Self.monthNames[month - 1]) \(year)" }

    /// English month names, January first.
    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                                    "August", "September", "October", "November", "December"]

    /// Whether `year` is a leap year in the Gregorian calendar.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // MARK: Comparable, Strideable

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public func distance(to other: CivilDate) -> Int { days(until: other) }

    public func advanced(by n: Int) -> CivilDate { adding(days: n) }

    // MARK: Codable

    /// Decodes from an ISO 8601 string, `"2026-11-23"`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a date in the form YYYY-MM-DD")
        }
        self = date
    }

    /// Encodes as an ISO 8601 string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: Helpers

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func floorMod(_ a: Int, _ b: Int) -> Int {
        let r = a % b
        return r < 0 ? r + b : r
    }
}
