import Foundation
import FluentKit
import EyesOnCore

/// An identifier a person is known by: NHS number, UPN, the local authority's child id, or any
/// agency's own id. `scope` makes it unique: "national" for NHS numbers and UPNs, otherwise the
/// issuing agency's id.
public final class PersonIdentifier: Model, @unchecked Sendable {
    public static let schema = "person_identifiers"
    public static let nationalScope = "national"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "kind") public var kindRaw: String
    @Field(key: "value") public var value: String
    @OptionalParent(key: "agency_id") public var agency: Agency?
    @Field(key: "scope") public var scope: String

    public init() {}

    public var kind: IdentifierKind? { IdentifierKind(rawValue: kindRaw) }
}
