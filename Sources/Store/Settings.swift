import Foundation
import FluentKit
import EyesOnCore

/// The partnership's settings kept in the `settings` table as JSON.
public enum PartnershipSettings {
    public static let eyesOnPolicyKey = "eyes-on-policy"

    /// The eyes-on policy in force: the stored one, or the defaults.
    public static func eyesOnPolicy(on db: any Database) async throws -> EyesOnPolicy {
        guard let setting = try await Setting.query(on: db).filter(\.$key == eyesOnPolicyKey).first() else { return .defaults }
        return (try? JSONDecoder().decode(EyesOnPolicy.self, from: Data(setting.value.utf8))) ?? .defaults
    }

    /// Stores a new policy, after checking it; audited.
    public static func saveEyesOnPolicy(_ policy: EyesOnPolicy, on db: any Database, actor: String?) async throws {
        try policy.validate()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(policy), as: UTF8.self)
        if let existing = try await Setting.query(on: db).filter(\.$key == eyesOnPolicyKey).first() {
            existing.value = text
            try await existing.save(on: db)
        } else {
            try await Setting(key: eyesOnPolicyKey, value: text).create(on: db)
        }
        try await AuditLog.record(.settingChanged, on: db, actor: actor, detail: "eyes-on policy: \(text)")
    }
}
