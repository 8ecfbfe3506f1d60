import Foundation

/// Why a child is on the partnership's agreed list (the code list). A child may have
/// several; `other` carries free text on the entry.
public enum ListReason: String, CaseIterable, Codable, Sendable {
    case childProtectionPlan = "child-protection-plan"
    case childInNeed = "child-in-need"
    case lookedAfter = "looked-after"
    case careLeaver = "care-leaver"
    case ehcPlan = "ehc-plan"
    case senSupportWithSocialWorker = "sen-support-with-social-worker"
    case maracHousehold = "marac-household"
    case operationEncompass = "operation-encompass"
    case repeatedReferrals = "repeated-referrals"
    case youthJustice = "youth-justice"
    case unbornOrUnderOne = "unborn-or-under-one"
    case recentlyClosed = "recently-closed"
    case missingEpisodes = "missing-episodes"
    case exploitation = "exploitation"
    case other

    /// The reason as practitioners say it.
    public var title: String {
        switch self {
        case .childProtectionPlan: "Child protection plan"
        case .childInNeed: "Child in need"
        case .lookedAfter: "Looked after"
        case .careLeaver: "Care leaver"
        case .ehcPlan: "Education, health and care plan"
        case .senSupportWithSocialWorker: "SEN support with a social worker"
        case .maracHousehold: "MARAC household in the last 6 months"
        case .operationEncompass: "Operation Encompass notice"
        case .repeatedReferrals: "Repeated referrals"
        case .youthJustice: "Youth justice"
        case .unbornOrUnderOne: "Unborn or under one with concerns"
        case .recentlyClosed: "Recently closed to children's social care"
        case .missingEpisodes: "Missing episodes"
        case .exploitation: "Criminal or sexual exploitation concern"
        case .other: "Other"
        }
    }

    /// Parses a `;`- or `,`-separated list of codes ("child-in-need;looked-after").
    /// - Throws: ``CodeError`` naming the first unknown code and listing the valid ones.
    public static func parseList(_ text: String) throws(CodeError) -> [ListReason] {
        var reasons: [ListReason] = []
        for part in text.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            let code = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard !code.isEmpty else { continue }
            guard let reason = ListReason(rawValue: code) else {
                throw CodeError(list: "list reason", code: code, reason: "is not one of \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !reasons.contains(reason) { reasons.append(reason) }
        }
        guard !reasons.isEmpty else {
            throw CodeError(list: "list reason", code: text, reason: "is empty; give at least one reason")
        }
        return reasons
    }
}

/// How worried the partnership is about a listed child; decides how often they must be seen.
public enum RiskLevel: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable, Comparable {
    case red, amber, green

    public var title: String {
        switch self {
        case .red: "Red"
        case .amber: "Amber"
        case .green: "Green"
        }
    }

    /// Red first.
    public var rank: Int {
        switch self {
        case .red: 0
        case .amber: 1
        case .green: 2
        }
    }

    public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rank < b.rank }
}
