import Foundation
import FluentKit

/// One import of one file (or one synthetic load): what came in and what happened to it.
public final class ImportRun: Model, @unchecked Sendable {
    public static let schema = "import_runs"

    @ID(key: .id) public var id: UUID?
    @OptionalParent(key: "agency_id") public var agency: Agency?
    @Field(key: "kind") public var kind: String
    @Field(key: "source_name") public var sourceName: String
    @Field(key: "status") public var status: String
    @Field(key: "records_accepted") public var recordsAccepted: Int
    @Field(key: "records_updated") public var recordsUpdated: Int
    @Field(key: "records_quarantined") public var recordsQuarantined: Int
    @Field(key: "started_at") public var startedAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    /// An extract's own date (the CIN census `ReferenceDate`): a newer extract supersedes an older one.
    @OptionalField(key: "reference_date") public var referenceDate: String?

    public init() {}

    public init(agencyID: UUID?, kind: String, sourceName: String, status: String, accepted: Int, updated: Int, quarantined: Int, startedAt: Date, finishedAt: Date?) {
        self.$agency.id = agencyID
        self.kind = kind
        self.sourceName = sourceName
        self.status = status
        self.recordsAccepted = accepted
        self.recordsUpdated = updated
        self.recordsQuarantined = quarantined
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
