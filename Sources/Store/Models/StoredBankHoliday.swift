import Foundation
import FluentKit

/// A bank holiday imported from a GOV.UK bank-holidays.json file with `eyeson calendar import`.
/// When any are stored they replace the snapshot shipped with EyesOn.
public final class StoredBankHoliday: Model, @unchecked Sendable {
    public static let schema = "bank_holidays"

    @ID(key: .id) public var id: UUID?
    @Field(key: "date") public var dateText: String
    @Field(key: "title") public var title: String
    @Field(key: "notes") public var notes: String
    @Field(key: "source") public var source: String
    @Timestamp(key: "imported_at", on: .create) public var importedAt: Date?

    public init() {}
}
