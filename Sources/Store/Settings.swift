import Foundation
import FluentKit
import EyesOnCore
import Feeds

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
        try await save(key: eyesOnPolicyKey, policy, on: db, actor: actor, what: "eyes-on policy")
    }

    public static let proposalRulesKey = "proposal-rules"

    /// The rules that propose children for the list: the stored ones, or the defaults.
    public static func proposalRules(on db: any Database) async throws -> [ProposalRule] {
        guard let setting = try await Setting.query(on: db).filter(\.$key == proposalRulesKey).first() else { return ProposalRule.defaults }
        return (try? JSONDecoder().decode([ProposalRule].self, from: Data(setting.value.utf8))) ?? ProposalRule.defaults
    }

    /// Stores new rules, after checking them; audited.
    public static func saveProposalRules(_ rules: [ProposalRule], on db: any Database, actor: String?) async throws {
        try ProposalRule.validate(rules)
        try await save(key: proposalRulesKey, rules, on: db, actor: actor, what: "proposal rules")
    }

    public static let hiddenChildrenKey = "hidden-children"

    /// The hidden-children finder's windows and points: the stored ones, or the defaults.
    public static func hiddenChildrenPolicy(on db: any Database) async throws -> HiddenChildrenPolicy {
        guard let setting = try await Setting.query(on: db).filter(\.$key == hiddenChildrenKey).first() else { return .defaults }
        return (try? JSONDecoder().decode(HiddenChildrenPolicy.self, from: Data(setting.value.utf8))) ?? .defaults
    }

    public static let encompassKey = "operation-encompass"

    /// Operation Encompass: when the school day starts (notices are due before it).
    public struct EncompassSettings: Codable, Sendable, Equatable {
        /// "HH:MM", UK local time; default 08:30.
        public var schoolDayStarts: String
        public static let defaults = EncompassSettings(schoolDayStarts: "08:30")

        /// Minutes after midnight; nil when not a time.
        public var startMinute: Int? {
            let parts = schoolDayStarts.split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
            return h * 60 + m
        }
    }

    public static func encompass(on db: any Database) async throws -> EncompassSettings {
        guard let setting = try await Setting.query(on: db).filter(\.$key == encompassKey).first() else { return .defaults }
        return (try? JSONDecoder().decode(EncompassSettings.self, from: Data(setting.value.utf8))) ?? .defaults
    }

    public static func encompassStartMinute(on db: any Database) async throws -> Int {
        try await encompass(on: db).startMinute ?? EncompassSchedule.defaultStartMinute
    }

    public static let peopleColumnsKey = "people-columns"

    /// Each agency's column mapping for the people feed, by agency key (the last one it used).
    public static func peopleColumns(on db: any Database) async throws -> [String: PeopleColumnMapping] {
        guard let setting = try await Setting.query(on: db).filter(\.$key == peopleColumnsKey).first() else { return [:] }
        return (try? JSONDecoder().decode([String: PeopleColumnMapping].self, from: Data(setting.value.utf8))) ?? [:]
    }

    /// Keeps `mapping` as the agency's people-feed mapping; audited.
    public static func savePeopleColumns(_ mapping: PeopleColumnMapping, agencyKey: String, on db: any Database, actor: String?) async throws {
        var all = try await peopleColumns(on: db)
        guard all[agencyKey] != mapping else { return }
        all[agencyKey] = mapping
        try await save(key: peopleColumnsKey, all, on: db, actor: actor, what: "people-feed column mapping of \(agencyKey)")
    }

    public static let clocksKey = "clocks"

    /// The partnership's own clock rules, as stored: each replaces the built-in rule with its key,
    /// or adds a clock (empty when the built-in rules stand).
    public static func clockOverrides(on db: any Database) async throws -> [ClockRule] {
        guard let setting = try await Setting.query(on: db).filter(\.$key == clocksKey).first() else { return [] }
        return (try? JSONDecoder().decode([ClockRule].self, from: Data(setting.value.utf8))) ?? []
    }

    /// The statutory clocks in force: the built-in rules with the partnership's changes.
    public static func clockRules(on db: any Database) async throws -> [ClockRule] {
        ClockRule.merged(try await clockOverrides(on: db))
    }

    public static let returnTemplatesKey = "return-templates"

    /// The partnership's own return templates, as stored: each replaces the built-in template with
    /// its key, or adds a return (empty when the built-in templates stand).
    public static func returnTemplateOverrides(on db: any Database) async throws -> [ReturnTemplate] {
        guard let setting = try await Setting.query(on: db).filter(\.$key == returnTemplatesKey).first() else { return [] }
        return (try? JSONDecoder().decode([ReturnTemplate].self, from: Data(setting.value.utf8))) ?? []
    }

    public static let workforceKey = "workforce"

    /// The workforce records' settings: after how many days an outstanding DBS check is flagged.
    public struct WorkforceSettings: Codable, Sendable, Equatable {
        public var dbsOutstandingDays: Int
        public static let defaults = WorkforceSettings(dbsOutstandingDays: 28)
    }

    public static func workforce(on db: any Database) async throws -> WorkforceSettings {
        guard let setting = try await Setting.query(on: db).filter(\.$key == workforceKey).first() else { return .defaults }
        return (try? JSONDecoder().decode(WorkforceSettings.self, from: Data(setting.value.utf8))) ?? .defaults
    }

    public static let signpostingKey = "signposting"

    /// The area's public page on how to report a concern about a child.
    public static func signposting(on db: any Database) async throws -> Signposting {
        guard let setting = try await Setting.query(on: db).filter(\.$key == signpostingKey).first() else { return .defaults }
        return (try? JSONDecoder().decode(Signposting.self, from: Data(setting.value.utf8))) ?? .defaults
    }

    /// Stores the page after checking it; audited.
    public static func saveSignposting(_ page: Signposting, on db: any Database, actor: String?) async throws {
        try page.validate()
        try await save(key: signpostingKey, page, on: db, actor: actor, what: "public signposting page")
    }

    /// The keys `eyeson settings` knows, with what each holds.
    public static let known: [(key: String, about: String)] = [
        (eyesOnPolicyKey, "how long a listed child may go unseen per risk level, the attendance triggers, the agreement quorum"),
        (proposalRulesKey, "the rules that propose children for the agreed list"),
        (hiddenChildrenKey, "the hidden-children finder's windows, thresholds and points"),
        (encompassKey, "Operation Encompass: when the school day starts (notices are due before it)"),
        (peopleColumnsKey, "per agency key, the people feed's column mapping (field to column name)"),
        (clocksKey, "the statutory clocks: rules that replace a built-in one (same key) or add one; `show` prints every rule in force"),
        (returnTemplatesKey, "the returns: templates that replace a built-in one (same key) or add one; `show` prints every template in force"),
        (signpostingKey, "the public page on how to report a concern about a child: the area, the introduction, the front-door and out-of-hours contacts"),
        (workforceKey, "the workforce records: after how many days an outstanding DBS check is flagged (dbsOutstandingDays)"),
    ]

    /// A setting's JSON as stored, or its default when none is stored.
    public static func json(_ key: String, on db: any Database) async throws -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        switch key {
        case eyesOnPolicyKey: return String(decoding: try encoder.encode(try await eyesOnPolicy(on: db)), as: UTF8.self)
        case proposalRulesKey: return String(decoding: try encoder.encode(try await proposalRules(on: db)), as: UTF8.self)
        case hiddenChildrenKey: return String(decoding: try encoder.encode(try await hiddenChildrenPolicy(on: db)), as: UTF8.self)
        case encompassKey: return String(decoding: try encoder.encode(try await encompass(on: db)), as: UTF8.self)
        case peopleColumnsKey: return String(decoding: try encoder.encode(try await peopleColumns(on: db)), as: UTF8.self)
        case clocksKey: return String(decoding: try encoder.encode(try await clockRules(on: db)), as: UTF8.self)
        case workforceKey: return String(decoding: try encoder.encode(try await workforce(on: db)), as: UTF8.self)
        case signpostingKey: return String(decoding: try encoder.encode(try await signposting(on: db)), as: UTF8.self)
        case returnTemplatesKey: return String(decoding: try encoder.encode(ReturnTemplate.merged(try await returnTemplateOverrides(on: db))), as: UTF8.self)
        default: return nil
        }
    }

    /// Checks and stores a setting given as JSON text; the error names what is wrong.
    public static func setJSON(_ key: String, _ text: String, on db: any Database, actor: String?) async throws {
        let data = Data(text.utf8)
        do {
            switch key {
            case eyesOnPolicyKey: try await saveEyesOnPolicy(try JSONDecoder().decode(EyesOnPolicy.self, from: data), on: db, actor: actor)
            case proposalRulesKey: try await saveProposalRules(try JSONDecoder().decode([ProposalRule].self, from: data), on: db, actor: actor)
            case hiddenChildrenKey:
                let policy = try JSONDecoder().decode(HiddenChildrenPolicy.self, from: data)
                try policy.validate()
                try await save(key: hiddenChildrenKey, policy, on: db, actor: actor, what: "hidden-children policy")
            case encompassKey:
                let settings = try JSONDecoder().decode(EncompassSettings.self, from: data)
                guard settings.startMinute != nil else {
                    throw SettingError(message: "\(key): schoolDayStarts '\(settings.schoolDayStarts)' is not a time like 08:30")
                }
                try await save(key: encompassKey, settings, on: db, actor: actor, what: "Operation Encompass settings")
            case peopleColumnsKey:
                let mappings = try JSONDecoder().decode([String: PeopleColumnMapping].self, from: data)
                for agencyKey in mappings.keys where try await Agency.query(on: db).filter(\.$key == agencyKey).first() == nil {
                    throw SettingError(message: "\(key): there is no agency with the key '\(agencyKey)'")
                }
                try await save(key: peopleColumnsKey, mappings, on: db, actor: actor, what: "people-feed column mappings")
            case clocksKey:
                let rules = try JSONDecoder().decode([ClockRule].self, from: data)
                do { try ClockRule.validate(rules) } catch { throw SettingError(message: "\(key): \(error.message)") }
                // Only what differs from the built-in rules is kept, so a later release's corrections still reach the rest.
                let changed = rules.filter { rule in ClockRule.defaults.first { $0.key == rule.key } != rule }
                try await save(key: clocksKey, changed, on: db, actor: actor, what: "statutory clocks")
            case signpostingKey:
                let page = try JSONDecoder().decode(Signposting.self, from: data)
                do { try await saveSignposting(page, on: db, actor: actor) } catch let error as SignpostingError {
                    throw SettingError(message: "\(key): \(error.message)")
                }
            case workforceKey:
                let settings = try JSONDecoder().decode(WorkforceSettings.self, from: data)
                guard (1...365).contains(settings.dbsOutstandingDays) else {
                    throw SettingError(message: "\(key): dbsOutstandingDays must be 1 to 365")
                }
                try await save(key: workforceKey, settings, on: db, actor: actor, what: "workforce settings")
            case returnTemplatesKey:
                let templates = try JSONDecoder().decode([ReturnTemplate].self, from: data)
                do { try ReturnTemplate.validate(templates) } catch { throw SettingError(message: "\(key): \(error.message)") }
                let changed = templates.filter { template in ReturnTemplate.builtIn.first { $0.key == template.key } != template }
                try await save(key: returnTemplatesKey, changed, on: db, actor: actor, what: "return templates")
            default: throw SettingError(message: "there is no setting '\(key)' (known: \(known.map(\.key).joined(separator: ", ")))")
            }
        } catch let error as DecodingError {
            throw SettingError(message: "\(key): " + SettingError.describe(error))
        }
    }

    static func save(key: String, _ value: some Encodable, on db: any Database, actor: String?, what: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        if let existing = try await Setting.query(on: db).filter(\.$key == key).first() {
            existing.value = text
            try await existing.save(on: db)
        } else {
            try await Setting(key: key, value: text).create(on: db)
        }
        try await AuditLog.record(.settingChanged, on: db, actor: actor, detail: "\(what): \(text)")
    }
}

/// A setting that could not be read or stored.
public struct SettingError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    /// Where in the JSON a decoding error is, in words.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "" : " at \(p)"
        }
        switch error {
        case .dataCorrupted(let c): return (c.codingPath.isEmpty ? "not valid JSON" : "wrong value") + "\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c): return "missing \"\(key.stringValue)\"\(path(c))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "wrong type\(path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
