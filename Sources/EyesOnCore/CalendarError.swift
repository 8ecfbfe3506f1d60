/// Why a calendar question cannot be answered, or a calendar file cannot be read.
///
/// The `message` says what is wrong and what to do, e.g. "2029-01-04 is beyond the
/// bank-holiday calendar: bank holidays are known only up to 2028; import a newer GOV.UK
/// bank-holidays.json with `eyeson calendar import FILE`".
public struct CalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of problem, for code that needs to react to it.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A bank-holiday file is not JSON, or not in the GOV.UK shape.
        case notJSON
        /// A bank-holiday file has no such division (e.g. no `england-and-wales`).
        case missingDivision
        /// An event in a bank-holiday file is missing a field or has a bad date.
        case badEvent
        /// A date lies outside the years the bank-holiday data covers.
        case beyondCoverage
        /// A school calendar is malformed or inconsistent (overlapping terms, a half term outside its term…).
        case invalidSchoolCalendar
        /// A date lies before the first or after the last configured school term.
        case beyondSchoolCalendar
    }

    /// The kind of problem.
    public let kind: Kind
    /// The date asked about, when the problem is about a date.
    public let date: CivilDate?
    /// A sentence a person can act on.
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, date: CivilDate? = nil) {
        self.kind = kind
        self.message = message
        self.date = date
    }

    /// The message.
    public var description: String { message }
}
