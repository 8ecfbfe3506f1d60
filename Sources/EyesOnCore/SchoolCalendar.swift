import Foundation

/// The school term dates of an area, used to tell school days from holidays
/// (e.g. "notify the school before the next school day").
///
/// An area configures it as a JSON file:
/// ```json
/// {
///   "area": "Northshire",
///   "terms": [
///     { "name": "Autumn 2026", "start": "2026-09-01", "end": "2026-12-18",
///       "halfTerm": { "start": "2026-10-26", "end": "2026-10-30" },
///       "insetDays": ["2026-09-01"] },
///     { "name": "Spring 2027", "start": "2027-01-04", "end": "2027-03-25" }
///   ]
/// }
/// ```
/// Dates are `YYYY-MM-DD`, inclusive. Terms must be in date order and must not overlap; a half
/// term and INSET days must lie within their term; `halfTerm` and `insetDays` are optional.
/// A school day is a Monday–Friday in a term that is not in its half term, not an INSET day and
/// not a bank holiday. Dates before the first term or after the last are unknown and throw
/// ``CalendarError/Kind-swift.enum/beyondSchoolCalendar``.
public struct SchoolCalendar: Sendable, Codable, Hashable {
    /// The area (or school, or trust) these dates belong to.
    public let area: String
    /// The terms, in date order.
    public let terms: [SchoolTerm]

    /// Creates a calendar, checking that every term ends on or after its start, terms are in
    /// date order without overlap, and half terms and INSET days lie within their term on weekdays.
    public init(area: String, terms: [SchoolTerm]) throws(CalendarError) {
        func invalid(_ message: String) -> CalendarError {
            CalendarError(.invalidSchoolCalendar, "school calendar '\(area)': \(message)")
        }
        guard !terms.isEmpty else { throw invalid("has no terms") }
        for (i, term) in terms.enumerated() {
            guard !term.name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw invalid("term \(i + 1) (starting \(term.start)) has no name")
            }
            guard term.start <= term.end else {
                throw invalid("term '\(term.name)' ends (\(term.end)) before it starts (\(term.start))")
            }
            if let half = term.halfTerm, !(term.contains(half.lowerBound) && term.contains(half.upperBound)) {
                throw invalid("the half term of '\(term.name)' (\(half.lowerBound) to \(half.upperBound)) is not within the term (\(term.start) to \(term.end))")
            }
            for day in term.insetDays {
                guard term.contains(day) else {
                    throw invalid("INSET day \(day) is not within term '\(term.name)' (\(term.start) to \(term.end))")
                }
                guard !day.isWeekend else {
                    throw invalid("INSET day \(day) in '\(term.name)' is a \(day.weekday.name)")
                }
            }
            if i > 0 {
                let previous = terms[i - 1]
                guard previous.start <= term.start else {
                    throw invalid("terms must be in date order: '\(term.name)' (starts \(term.start)) is listed after '\(previous.name)' (starts \(previous.start))")
                }
                guard previous.end < term.start else {
                    throw invalid("term '\(term.name)' starts on \(term.start), before '\(previous.name)' ends on \(previous.end)")
                }
            }
        }
        self.area = area
        self.terms = terms
    }

    private init(unchecked area: String, terms: [SchoolTerm]) {
        self.area = area
        self.terms = terms
    }

    private struct Raw: Decodable { let area: String; let terms: [SchoolTerm] }

    /// Reads the JSON form described above.
    /// - Throws: ``CalendarError`` naming the place in the file that is wrong
    ///   (e.g. `terms[2].halfTerm.start`) or the inconsistency found.
    public init(json: Data) throws(CalendarError) {
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: json)
        } catch let error as DecodingError {
            throw CalendarError(.invalidSchoolCalendar, "school calendar file: " + Self.explain(error))
        } catch {
            throw CalendarError(.invalidSchoolCalendar, "school calendar file: \(error)")
        }
        try self.init(area: raw.area, terms: raw.terms)
    }

    /// Decodes and validates (see ``init(json:)``).
    public init(from decoder: any Decoder) throws {
        let raw = try Raw(from: decoder)
        try self.init(area: raw.area, terms: raw.terms)
    }

    /// The calendar in the JSON form described above, pretty-printed.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// The first day of the first term.
    public var firstDay: CivilDate { terms[0].start }
    /// The last day of the last term.
    public var lastDay: CivilDate { terms[terms.count - 1].end }

    /// The term whose first-to-last-day span contains `date`, if any.
    public func term(containing date: CivilDate) -> SchoolTerm? {
        terms.first { $0.contains(date) }
    }

    /// Throws ``CalendarError/Kind-swift.enum/beyondSchoolCalendar`` unless `date` lies within
    /// the first…last configured term.
    public func checkCoverage(_ date: CivilDate) throws(CalendarError) {
        if date > lastDay {
            throw CalendarError(.beyondSchoolCalendar, "\(date) is after the last term in the '\(area)' school calendar ('\(terms[terms.count - 1].name)' ends \(lastDay)); add the next terms' dates to the school calendar", date: date)
        }
        if date < firstDay {
            throw CalendarError(.beyondSchoolCalendar, "\(date) is before the first term in the '\(area)' school calendar ('\(terms[0].name)' starts \(firstDay)); add earlier terms' dates to the school calendar", date: date)
        }
    }

    /// Whether pupils are expected in school on `date`: in a term, Monday to Friday, not in
    /// half term, not an INSET day and not a bank holiday.
    /// - Throws: ``CalendarError/Kind-swift.enum/beyondSchoolCalendar`` outside the configured
    ///   terms, or ``CalendarError/Kind-swift.enum/beyondCoverage`` when the bank holidays are unknown.
    public func isSchoolDay(_ date: CivilDate, bankHolidays: BankHolidays = .englandAndWales) throws(CalendarError) -> Bool {
        try checkCoverage(date)
        guard let term = term(containing: date), !date.isWeekend else { return false }
        if let half = term.halfTerm, half.contains(date) { return false }
        if term.insetDays.contains(date) { return false }
        return try !bankHolidays.isBankHoliday(date)
    }

    /// The first school day strictly after `date`.
    /// - Throws: ``CalendarError/Kind-swift.enum/beyondSchoolCalendar`` when no configured term
    ///   has a school day after `date` (loudly, rather than guess at next year's terms).
    public func nextSchoolDay(after date: CivilDate, bankHolidays: BankHolidays = .englandAndWales) throws(CalendarError) -> CivilDate {
        var day = date.adding(days: 1)
        while true {
            if day > lastDay {
                throw CalendarError(.beyondSchoolCalendar, "no school day after \(date) is known: the '\(area)' school calendar ends with '\(terms[terms.count - 1].name)' on \(lastDay); add the next terms' dates to the school calendar", date: date)
            }
            if day >= firstDay, term(containing: day) == nil, let next = terms.first(where: { $0.start > day }) {
                day = next.start                       // skip a holiday between terms
                continue
            }
            if try isSchoolDay(day, bankHolidays: bankHolidays) { return day }
            day = day.adding(days: 1)
        }
    }

    /// The last school day strictly before `date`.
    /// - Throws: ``CalendarError/Kind-swift.enum/beyondSchoolCalendar`` when no configured term
    ///   has a school day before `date`.
    public func previousSchoolDay(before date: CivilDate, bankHolidays: BankHolidays = .englandAndWales) throws(CalendarError) -> CivilDate {
        var day = date.adding(days: -1)
        while true {
            if day < firstDay {
                throw CalendarError(.beyondSchoolCalendar, "no school day before \(date) is known: the '\(area)' school calendar starts with '\(terms[0].name)' on \(firstDay)", date: date)
            }
            if day <= lastDay, term(containing: day) == nil, let previous = terms.last(where: { $0.end < day }) {
                day = previous.end
                continue
            }
            if try isSchoolDay(day, bankHolidays: bankHolidays) { return day }
            day = day.adding(days: -1)
        }
    }

    /// The school days in `range`, in order.
    /// - Throws: as ``isSchoolDay(_:bankHolidays:)`` when any date in `range` is unknown.
    public func schoolDays(in range: ClosedRange<CivilDate>, bankHolidays: BankHolidays = .englandAndWales) throws(CalendarError) -> [CivilDate] {
        try checkCoverage(range.lowerBound)
        try checkCoverage(range.upperBound)
        var days: [CivilDate] = []
        for day in range where try isSchoolDay(day, bankHolidays: bankHolidays) {
            days.append(day)
        }
        return days
    }

    // MARK: Demo defaults

    /// Typical English term dates for the academic years 2024-25 to 2027-28: three terms a year
    /// with half terms (autumn early September to just before Christmas; spring early January to
    /// around Easter; summer mid/late April to about 22 July) and one INSET day at the start of
    /// the autumn and spring terms. For demonstrations and tests; a real area loads its own.
    public static func demoDefaults(area: String = "Demo area") -> SchoolCalendar {
        func d(_ s: String) -> CivilDate { CivilDate(s)! }
        func term(_ name: String, _ start: String, _ end: String, half: (String, String), inset: [String] = []) -> SchoolTerm {
            SchoolTerm(name: name, start: d(start), end: d(end), halfTerm: d(half.0)...d(half.1), insetDays: inset.map(d))
        }
        return SchoolCalendar(unchecked: area, terms: [
            term("Autumn 2024", "2024-09-03", "2024-12-20", half: ("2024-10-28", "2024-11-01"), inset: ["2024-09-03"]),
            term("Spring 2025", "2025-01-06", "2025-04-04", half: ("2025-02-17", "2025-02-21"), inset: ["2025-01-06"]),
            term("Summer 2025", "2025-04-22", "2025-07-22", half: ("2025-05-26", "2025-05-30")),
            term("Autumn 2025", "2025-09-02", "2025-12-19", half: ("2025-10-27", "2025-10-31"), inset: ["2025-09-02"]),
            term("Spring 2026", "2026-01-05", "2026-03-27", half: ("2026-02-16", "2026-02-20"), inset: ["2026-01-05"]),
            term("Summer 2026", "2026-04-13", "2026-07-22", half: ("2026-05-25", "2026-05-29")),
            term("Autumn 2026", "2026-09-01", "2026-12-18", half: ("2026-10-26", "2026-10-30"), inset: ["2026-09-01"]),
            term("Spring 2027", "2027-01-04", "2027-03-25", half: ("2027-02-15", "2027-02-19"), inset: ["2027-01-04"]),
            term("Summer 2027", "2027-04-12", "2027-07-22", half: ("2027-05-31", "2027-06-04")),
            term("Autumn 2027", "2027-09-01", "2027-12-17", half: ("2027-10-25", "2027-10-29"), inset: ["2027-09-01"]),
            term("Spring 2028", "2028-01-04", "2028-04-07", half: ("2028-02-21", "2028-02-25"), inset: ["2028-01-04"]),
            term("Summer 2028", "2028-04-24", "2028-07-21", half: ("2028-05-29", "2028-06-02")),
        ])
    }

    // MARK: Helpers

    /// A readable account of a JSON decoding failure with its path, e.g.
    /// `terms[2].halfTerm.start: '2025-13-01' is not a date in the form YYYY-MM-DD`.
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var s = ""
            for key in keys {
                if let i = key.intValue { s += "[\(i)]" } else { s += (s.isEmpty ? "" : ".") + key.stringValue }
            }
            return s.isEmpty ? "the file" : s
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context.codingPath)
            return at == "the file" ? "'\(key.stringValue)' is missing" : "\(at): '\(key.stringValue)' is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.jsonTypeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.jsonTypeName(type)), found null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "is not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        if type is String.Type || type is CivilDate.Type { return "a string" }
        if type is Bool.Type { return "true or false" }
        if type is Int.Type || type is Double.Type { return "a number" }
        return String(describing: type).hasPrefix("Array") ? "a list" : "an object"
    }
}
