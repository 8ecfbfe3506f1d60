import Foundation
import FluentKit
import EyesOnCore

/// An organisation in the partnership: the local authority's services, a school, the police
/// force, a health organisation.
public final class Agency: Model, @unchecked Sendable {
    public static let schema = "agencies"

    @ID(key: .id) public var id: UUID?
    /// A stable key the agency is known by in files and configuration ("school-123456", "la-csc").
    @Field(key: "key") public var key: String
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kindRaw: String
    /// The school's unique reference number (schools, nurseries and colleges).
    @OptionalField(key: "urn") public var urn: Int?
    /// The health organisation's ODS code.
    @OptionalField(key: "ods_code") public var odsCode: String?
    @OptionalField(key: "postcode") public var postcode: String?
    /// A local authority service's three-digit DfE LA code (the CIN census `LEA`).
    @OptionalField(key: "la_code") public var laCode: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, key: String, name: String, kind: AgencyKind, urn: Int? = nil, odsCode: String? = nil, postcode: String? = nil) {
        self.id = id
        self.key = key
        self.name = name
        self.kindRaw = kind.rawValue
        self.urn = urn
        self.odsCode = odsCode
        self.postcode = postcode
    }

    public var kind: AgencyKind? { AgencyKind(rawValue: kindRaw) }
}
