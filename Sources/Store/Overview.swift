import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// The figures on a role's home page. Child counts come through the access policy.
public struct Overview: Sendable {
    public struct ImportLine: Sendable {
        public let kind: String
        public let sourceName: String
        public let agencyName: String?
        public let status: String
        public let accepted: Int
        public let quarantined: Int
        public let finishedAt: Date?
    }

    /// Children (born and unborn) the viewer may count; nil when the role sees no child data.
    public let childrenVisible: Int?
    public let agencies: Int
    public let users: Int
    public let lastImports: [ImportLine]

    public static func load(for viewer: Viewer, on db: any Database, today: CivilDate = .today()) async throws -> Overview {
        let children = try await ChildDirectory(db: db, viewer: viewer, today: today).count()
        let agencies = try await Agency.query(on: db).count()
        let users = try await UserAccount.query(on: db).count()
        let runs = try await ImportRun.query(on: db).with(\.$agency).sort(\.$startedAt, .descending).limit(5).all()
        return Overview(
            childrenVisible: children, agencies: agencies, users: users,
            lastImports: runs.map {
                ImportLine(kind: $0.kind, sourceName: $0.sourceName, agencyName: $0.agency?.name, status: $0.status,
                           accepted: $0.recordsAccepted, quarantined: $0.recordsQuarantined, finishedAt: $0.finishedAt)
            })
    }
}
