import Foundation
import FluentKit
import EyesOnCore

/// A relationship between two people: `from` is a parent or carer of `to`, or they are siblings,
/// or members of the same household.
public final class PersonRelationship: Model, @unchecked Sendable {
    public static let schema = "person_relationships"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "from_person_id") public var from: Person
    @Parent(key: "to_person_id") public var to: Person
    @Field(key: "kind") public var kindRaw: String

    public init() {}

    public var kind: RelationshipKind? { RelationshipKind(rawValue: kindRaw) }
}
