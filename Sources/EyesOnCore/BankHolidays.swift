import Foundation

/// The bank holidays of one UK division (England and Wales by default), for a known span of years.
///
/// Built from the GOV.UK `bank-holidays.json` format (STANDARDS §5.3). The data covers whole
/// years from ``firstYear`` to ``lastYear``; asking about any other date throws
/// ``CalendarError/Kind-swift.enum/beyondCoverage`` instead of silently answering "no".
public struct BankHolidays: Sendable {
    /// England and Wales, from the snapshot shipped with EyesOn (`Resources/bank-holidays.json`,
    /// GOV.UK data via the `govuk-bank-holidays` package, 2012–2028). Loaded once.
    public static let englandAndWales: BankHolidays = {
        let name = "shipped bank-holidays.json"
        guard let url = Bundle.module.url(forResource: "bank-holidays", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            fatalError("\(name) is missing from the EyesOnCore resources")
        }
        do {
            return try BankHolidays(govUKJSON: data, source: name)
        } catch {
            fatalError("\(error)")
        }
    }()

    /// The division, e.g. `england-and-wales`.
    public let division: String
    /// Where the data came from (a file name or a note), used in messages.
    public let source: String
    /// Every bank holiday, in date order.
    public let events: [BankHoliday]
    /// The dates of ``events``.
    public let dates: Set<CivilDate>
    /// The first year the data covers.
    public let firstYear: Int
    /// The last year the data covers.
    public let lastYear: Int

    /// Weekday bank holidays as sorted day numbers, for fast counting.
    let weekdayHolidayDays: [Int]

    /// Reads the GOV.UK `bank-holidays.json` format:
    /// `{"england-and-wales": {"division": …, "events": [{"title", "date": "YYYY-MM-DD", "notes", "bunting"}]}, …}`.
    ///
    /// Coverage runs from the year of the first event to the year of the last.
    /// - Parameters:
    ///   - division: which division to read (`england-and-wales`, `scotland`, `northern-ireland`).
    ///   - source: a name for the data (e.g. the file name), used in error messages.
    /// - Throws: ``CalendarError`` naming what is wrong: not JSON, the division missing,
    ///   or a bad event at `events[i]`.
    public init(govUKJSON data: Data, division: String = "england-and-wales", source: String) throws(CalendarError) {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CalendarError(.notJSON, "\(source) is not JSON; expected the GOV.UK bank-holidays.json format")
        }
        guard let divisions = root as? [String: Any] else {
            throw CalendarError(.notJSON, "\(source) is JSON but not the GOV.UK bank-holidays format: expected an object keyed by division (england-and-wales, scotland, northern-ireland)")
        }
        guard let body = divisions[division] else {
            let found = divisions.keys.sorted().joined(separator: ", ")
            throw CalendarError(.missingDivision, "\(source) has no '\(division)' division (found: \(found.isEmpty ? "nothing" : found))")
        }
        guard let object = body as? [String: Any], let list = object["events"] as? [Any] else {
            throw CalendarError(.missingDivision, "\(source): '\(division)' has no 'events' list")
        }
        var events: [BankHoliday] = []
        events.reserveCapacity(list.count)
        for (i, item) in list.enumerated() {
            let at = "\(source): \(division) events[\(i)]"
            guard let event = item as? [String: Any] else {
                throw CalendarError(.badEvent, "\(at) is not an object with a title and a date")
            }
            guard let text = event["date"] as? String else {
                throw CalendarError(.badEvent, "\(at) has no 'date'")
            }
            guard let date = CivilDate(text) else {
                throw CalendarError(.badEvent, "\(at): date '\(text)' is not a real date in the form YYYY-MM-DD")
            }
            guard let title = event["title"] as? String, !title.isEmpty else {
                throw CalendarError(.badEvent, "\(at) (\(text)) has no 'title'")
            }
            events.append(BankHoliday(date: date, title: title,
                                      notes: event["notes"] as? String ?? "",
                                      bunting: event["bunting"] as? Bool ?? false))
        }
        try self.init(events: events, division: division, source: source)
    }

    /// Creates bank holidays from a list of events. Coverage runs from `firstYear` (default: the
    /// year of the earliest event) to `lastYear` (default: the year of the latest event).
    /// - Throws: ``CalendarError`` when there are no events to define the coverage, or an
    ///   event lies outside the coverage given.
    public init(events: [BankHoliday], division: String = "england-and-wales", source: String,
                firstYear: Int? = nil, lastYear: Int? = nil) throws(CalendarError) {
        let sorted = events.sorted { $0.date < $1.date }
        guard let first = firstYear ?? sorted.first?.date.year,
              let last = lastYear ?? sorted.last?.date.year else {
            throw CalendarError(.badEvent, "\(source): '\(division)' lists no bank holidays, so no years are covered")
        }
        guard first <= last else {
            throw CalendarError(.badEvent, "\(source): coverage from \(first) to \(last) is empty")
        }
        if let outside = sorted.first(where: { $0.date.year < first || $0.date.year > last }) {
            throw CalendarError(.badEvent, "\(source): \(outside.title) on \(outside.date) lies outside the coverage \(first)–\(last)")
        }
        self.division = division
        self.source = source
        self.events = sorted
        self.dates = Set(sorted.map(\.date))
        self.firstYear = first
        self.lastYear = last
        self.weekdayHolidayDays = Array(Set(sorted.filter { !$0.date.isWeekend }.map(\.date.daysSince1970))).sorted()
    }

    /// Whether the data covers `date` (its year lies in ``firstYear``…``lastYear``).
    public func covers(_ date: CivilDate) -> Bool {
        date.year >= firstYear && date.year <= lastYear
    }

    /// Throws ``CalendarError/Kind-swift.enum/beyondCoverage`` unless the data covers `date`.
    public func checkCoverage(_ date: CivilDate) throws(CalendarError) {
        guard !covers(date) else { return }
        if date.year > lastYear {
            throw CalendarError(.beyondCoverage, "\(date) is beyond the bank-holiday calendar: bank holidays are known only up to \(lastYear); import a newer GOV.UK bank-holidays.json with `eyeson calendar import FILE`", date: date)
        }
        throw CalendarError(.beyondCoverage, "\(date) is before the bank-holiday calendar: bank holidays are known only from \(firstYear); import a GOV.UK bank-holidays.json that covers \(date.year) with `eyeson calendar import FILE`", date: date)
    }

    /// Whether `date` is a bank holiday.
    /// - Throws: ``CalendarError/Kind-swift.enum/beyondCoverage`` when `date` is outside the
    ///   years the data covers, rather than guess.
    public func isBankHoliday(_ date: CivilDate) throws(CalendarError) -> Bool {
        try checkCoverage(date)
        return dates.contains(date)
    }

    /// The bank holiday on `date`, if any (same coverage rule as ``isBankHoliday(_:)``).
    public func holiday(on date: CivilDate) throws(CalendarError) -> BankHoliday? {
        try checkCoverage(date)
        guard dates.contains(date) else { return nil }
        return events.first { $0.date == date }
    }

    /// The number of bank holidays falling Monday to Friday with day numbers in `lower..<upper`
    /// (days since 1970). The caller checks coverage.
    func weekdayHolidayCount(fromDay lower: Int, toDay upper: Int) -> Int {
        guard lower < upper else { return 0 }
        return Self.lowerBound(weekdayHolidayDays, upper) - Self.lowerBound(weekdayHolidayDays, lower)
    }

    private static func lowerBound(_ a: [Int], _ x: Int) -> Int {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// These bank holidays updated with a newer file: years that `newer` covers come from
    /// `newer`, older years are kept. Use it when importing a fresh GOV.UK file, which drops
    /// older years.
    /// - Throws: ``CalendarError`` when the two would leave a gap of uncovered years, or the
    ///   divisions differ.
    public func merging(_ newer: BankHolidays) throws(CalendarError) -> BankHolidays {
        guard newer.division == division else {
            throw CalendarError(.missingDivision, "cannot merge \(newer.division) bank holidays (\(newer.source)) into \(division)")
        }
        guard newer.firstYear <= lastYear + 1, newer.lastYear >= firstYear - 1 else {
            throw CalendarError(.badEvent, "\(newer.source) covers \(newer.firstYear)–\(newer.lastYear), which would leave a gap after the current \(firstYear)–\(lastYear)")
        }
        let kept = events.filter { $0.date.year < newer.firstYear || $0.date.year > newer.lastYear }
        return try BankHolidays(events: kept + newer.events, division: division,
                                source: "\(source) + \(newer.source)",
                                firstYear: min(firstYear, newer.firstYear), lastYear: max(lastYear, newer.lastYear))
    }

    /// The events in the GOV.UK `bank-holidays.json` format, for this division only.
    public func govUKJSON() -> Data {
        struct Event: Encodable { let title: String; let date: String; let notes: String; let bunting: Bool }
        struct Division: Encodable { let division: String; let events: [Event] }
        let body = Division(division: division, events: events.map {
            Event(title: $0.title, date: $0.date.description, notes: $0.notes, bunting: $0.bunting)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and booleans cannot fail.
        return (try? encoder.encode([division: body])) ?? Data()
    }
}
