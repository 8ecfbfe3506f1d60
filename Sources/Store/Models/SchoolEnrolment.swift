import Foundation
import FluentKit
import EyesOnCore

/// A pupil on the roll of a school, nursery or college from one date to another (open-ended
/// while still on roll).
public final class SchoolEnrolment: Model, @unchecked Sendable {
    public static let schema = "school_enrolments"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Parent(key: "agency_id") public var school: Agency
    @Field(key: "from_date") public var fromDateText: String
    @OptionalField(key: "to_date") public var toDateText: String?

    public init() {}

    public var fromDate: CivilDate? { CivilDate(fromDateText) }
    public var toDate: CivilDate? { toDateText.flatMap(CivilDate.init) }
}
