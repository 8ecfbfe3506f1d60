import Foundation
import FluentKit

/// A partnership setting, stored as text (JSON for structured values), e.g. the school term dates.
public final class Setting: Model, @unchecked Sendable {
    public static let schema = "settings"

    @ID(key: .id) public var id: UUID?
    @Field(key: "key") public var key: String
    @Field(key: "value") public var value: String
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
