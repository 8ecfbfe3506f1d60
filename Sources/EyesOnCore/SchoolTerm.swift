/// One school term: its first and last days, an optional half-term break and any
/// INSET (staff training) days when pupils are not in school.
///
/// In JSON (see ``SchoolCalendar``):
/// `{"name": "Autumn 2026", "start": "2026-09-01", "end": "2026-12-18",
///   "halfTerm": {"start": "2026-10-26", "end": "2026-10-30"}, "insetDays": ["2026-09-01"]}`.
/// `halfTerm` and `insetDays` may be left out.
public struct SchoolTerm: Sendable, Codable, Hashable {
    /// A name people recognise, e.g. "Autumn 2026".
    public let name: String
    /// The first day of term.
    public let start: CivilDate
    /// The last day of term.
    public let end: CivilDate
    /// The half-term break, inclusive, if any.
    public var halfTerm: ClosedRange<CivilDate>?
    /// Days in term when the school is closed to pupils.
    public var insetDays: [CivilDate]

    /// Creates a term. ``SchoolCalendar/init(area:terms:)`` checks that it makes sense.
    public init(name: String, start: CivilDate, end: CivilDate,
                halfTerm: ClosedRange<CivilDate>? = nil, insetDays: [CivilDate] = []) {
        self.name = name
        self.start = start
        self.end = end
        self.halfTerm = halfTerm
        self.insetDays = insetDays
    }

    /// Whether `date` lies between the first and last day of term (holidays within it included).
    public func contains(_ date: CivilDate) -> Bool { date >= start && date <= end }

    private enum CodingKeys: String, CodingKey { case name, start, end, halfTerm, insetDays }
    private struct Span: Codable { let start: CivilDate; let end: CivilDate }

    /// Decodes the JSON form shown above.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        start = try c.decode(CivilDate.self, forKey: .start)
        end = try c.decode(CivilDate.self, forKey: .end)
        if let span = try c.decodeIfPresent(Span.self, forKey: .halfTerm) {
            guard span.start <= span.end else {
                throw DecodingError.dataCorruptedError(
                    forKey: .halfTerm, in: c,
                    debugDescription: "half term of '\(name)' ends (\(span.end)) before it starts (\(span.start))")
            }
            halfTerm = span.start...span.end
        } else {
            halfTerm = nil
        }
        insetDays = try c.decodeIfPresent([CivilDate].self, forKey: .insetDays) ?? []
    }

    /// Encodes the JSON form shown above.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        if let halfTerm {
            try c.encode(Span(start: halfTerm.lowerBound, end: halfTerm.upperBound), forKey: .halfTerm)
        }
        if !insetDays.isEmpty { try c.encode(insetDays, forKey: .insetDays) }
    }
}
