import Foundation
import FluentKit
import EyesOnCore

/// One person in the person index: a child, an unborn child or an adult. Civil dates are stored
/// as ISO text (YYYY-MM-DD) so they sort and compare the same on SQLite and PostgreSQL.
public final class Person: Model, @unchecked Sendable {
    public static let schema = "people"

    @ID(key: .id) public var id: UUID?
    @Field(key: "kind") public var kindRaw: String
    @Field(key: "given_name") public var givenName: String
    @Field(key: "family_name") public var familyName: String
    @Field(key: "sex") public var sexRaw: String
    @OptionalField(key: "date_of_birth") public var dateOfBirthText: String?
    @OptionalField(key: "expected_date_of_birth") public var expectedDateOfBirthText: String?
    @OptionalField(key: "postcode") public var postcode: String?
    @OptionalField(key: "address") public var address: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public var kind: PersonKind? { PersonKind(rawValue: kindRaw) }
    public var sex: Sex? { Sex(rawValue: sexRaw) }
    public var dateOfBirth: CivilDate? { dateOfBirthText.flatMap(CivilDate.init) }
    public var expectedDateOfBirth: CivilDate? { expectedDateOfBirthText.flatMap(CivilDate.init) }
}
