import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// A share of a child's information, or a decision not to share, as asked to be recorded.
public struct SharingDecision: Sendable, Equatable {
    public var shared: Bool
    public var channel: SharingChannel
    public var recipient: String
    public var what: String
    public var lawfulBasis: LawfulBasis
    public var consent: ConsentStatus
    public var reason: String
    public var decidedOn: CivilDate

    public init(shared: Bool, channel: SharingChannel, recipient: String, what: String, lawfulBasis: LawfulBasis,
                consent: ConsentStatus, reason: String, decidedOn: CivilDate) {
        self.shared = shared
        self.channel = channel
        self.recipient = recipient
        self.what = what
        self.lawfulBasis = lawfulBasis
        self.consent = consent
        self.reason = reason
        self.decidedOn = decidedOn
    }
}

/// A recorded share or decision not to share, as the child's page lists it.
public struct SharingLine: Sendable, Equatable {
    public let decision: SharingDecision
    public let actor: String
    public let agencyName: String
    public let recordedAt: Date
}

/// Information-sharing records (issue 6): every share of a child's information — by hand (a call,
/// an email, a meeting) or by EyesOn itself (a download, a notice) — and every decision not to
/// share, with the lawful basis and what was asked of consent. Recorded and read through the
/// viewer's `ChildDirectory`, and audited.
public struct InformationSharing: ThroughDirectory {
    public let directory: ChildDirectory

    public init(directory: ChildDirectory) { self.directory = directory }

    /// Checks and records the decision; the error names the field to mend.
    @discardableResult
    public func record(_ decision: SharingDecision, personID: UUID, clientAddress: String? = nil) async throws -> UUID {
        guard try await directory.isVisible(personID) else { throw ListError.notFound }
        let recipient = decision.recipient.trimmingCharacters(in: .whitespacesAndNewlines)
        let what = decision.what.trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = decision.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !recipient.isEmpty else {
            throw ListError(.invalid, field: "recipient", decision.shared ? "say who the information went to" : "say who asked for it, or who it would have gone to")
        }
        guard !what.isEmpty else { throw ListError(.invalid, field: "what", "say what information was shared, or asked for") }
        for (field, text) in [("recipient", recipient), ("what", what), ("reason", reason)] where text.count > EyesOn.maximumTextLength {
            throw ListError(.invalid, field: field, "must be at most \(EyesOn.maximumTextLength) characters")
        }
        if decision.shared && decision.consent == .refused {
            throw ListError(.invalid, field: "consent", "consent was refused: either record that it was overridden, with the reason, or record a decision not to share")
        }
        if !decision.shared && reason.isEmpty { throw ListError(.invalid, field: "reason", "say why the information was not shared") }
        if decision.consent.needsReason && reason.isEmpty {
            throw ListError(.invalid, field: "reason", decision.consent == .overridden ? "say why the refusal was overridden" : "say why consent was not sought")
        }
        guard decision.decidedOn <= directory.today else { throw ListError(.invalid, field: "date", "the date cannot be in the future") }
        let id = UUID()
        var trimmed = decision
        (trimmed.recipient, trimmed.what, trimmed.reason) = (recipient, what, reason)
        let checked = trimmed
        try await db.writeTransaction { tx in
            try await Self.insert([.init(id: id, personID: personID, decision: checked, userID: viewer.userID, actor: viewer.email,
                                         agencyName: viewer.agencyName)], on: tx as! any SQLDatabase)
            try await AuditLog.record(decision.shared ? .informationShared : .sharingDeclined, on: tx, userID: viewer.userID, actor: viewer.email,
                                      personID: personID,
                                      detail: "\(decision.shared ? "shared with" : "decided not to share with") \(recipient) (\(decision.channel.rawValue)): \(decision.lawfulBasis.rawValue), consent \(decision.consent.rawValue)",
                                      clientAddress: clientAddress)
        }
        return id
    }

    /// A share as stored: by a user through `record`, or by EyesOn itself (an import sending
    /// Operation Encompass notices), already checked.
    struct Row: Sendable {
        var id = UUID()
        let personID: UUID
        let decision: SharingDecision
        let userID: UUID?
        let actor: String
        let agencyName: String
        var recordedAt = Date()
    }

    /// Stores the shares, in the caller's transaction.
    static func insert(_ rows: [Row], on sql: any SQLDatabase) async throws {
        try await sql.insertRows("information_shares", ["id", "person_id", "shared", "channel", "recipient", "what", "lawful_basis", "consent", "reason",
                                                        "decided_on", "user_id", "actor", "agency_name", "recorded_at"], rows.map { row in
            let d = row.decision
            return [row.id, row.personID, d.shared, d.channel.rawValue, d.recipient, d.what, d.lawfulBasis.rawValue, d.consent.rawValue, d.reason,
                    d.decidedOn.description, row.userID, row.actor, row.agencyName, row.recordedAt]
        })
    }

    /// The child's shares and decisions not to share, newest first; empty for a child the viewer may not see.
    public func of(_ personID: UUID) async throws -> [SharingLine] {
        guard try await directory.isVisible(personID) else { return [] }
        return try await sql.raw("""
            SELECT shared, channel, recipient, what, lawful_basis, consent, reason, decided_on, actor, agency_name, recorded_at \
            FROM information_shares WHERE person_id = \(bind: personID) ORDER BY decided_on DESC, recorded_at DESC
            """).all().compactMap { row in
                guard let channel = SharingChannel(rawValue: try row.decode(column: "channel", as: String.self)),
                      let basis = LawfulBasis(rawValue: try row.decode(column: "lawful_basis", as: String.self)),
                      let consent = ConsentStatus(rawValue: try row.decode(column: "consent", as: String.self)),
                      let date = CivilDate(try row.decode(column: "decided_on", as: String.self)) else { return nil }
                return SharingLine(
                    decision: SharingDecision(shared: try row.decode(column: "shared", as: Bool.self), channel: channel,
                                              recipient: try row.decode(column: "recipient", as: String.self),
                                              what: try row.decode(column: "what", as: String.self), lawfulBasis: basis, consent: consent,
                                              reason: try row.decode(column: "reason", as: String.self), decidedOn: date),
                    actor: try row.decode(column: "actor", as: String.self), agencyName: try row.decode(column: "agency_name", as: String.self),
                    recordedAt: try row.decode(column: "recorded_at", as: Date.self))
            }
    }
}
