/// One bank holiday, as listed by GOV.UK.
public struct BankHoliday: Hashable, Sendable, Codable {
    /// The day.
    public let date: CivilDate
    /// The name, e.g. "Boxing Day".
    public let title: String
    /// GOV.UK's notes, e.g. "Substitute day"; often empty.
    public let notes: String
    /// Whether GOV.UK flies bunting for it.
    public let bunting: Bool

    /// Creates a bank holiday.
    public init(date: CivilDate, title: String, notes: String = "", bunting: Bool = false) {
        self.date = date
        self.title = title
        self.notes = notes
        self.bunting = bunting
    }
}
