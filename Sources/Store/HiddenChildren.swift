import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// A child on nobody's list whom the hidden-children finder names, with every factor and its
/// evidence: the score is the sum of the factors' points, nothing else.
public struct HiddenChild: Sendable, Equatable {
    public enum Factor: String, Sendable, CaseIterable {
        case repeatedReferrals = "repeated-referrals"
        case recentlyClosed = "recently-closed"
        case encompassNotices = "encompass-notices"
        case maracHousehold = "marac-household"
        case missingFromCare = "missing-from-care"
        case infantInHousehold = "infant-in-household"

        public var title: String {
            switch self {
            case .repeatedReferrals: "Repeated referrals"
            case .recentlyClosed: "Recently closed to children's social care"
            case .encompassNotices: "Operation Encompass notices"
            case .maracHousehold: "MARAC household"
            case .missingFromCare: "Missing from care"
            case .infantInHousehold: "Unborn or under one in a household of concern"
            }
        }

        /// The agreed list's reason a proposal carries for this factor.
        public var reason: ListReason {
            switch self {
            case .repeatedReferrals: .repeatedReferrals
            case .recentlyClosed: .recentlyClosed
            case .encompassNotices: .operationEncompass
            case .maracHousehold: .maracHousehold
            case .missingFromCare: .missingEpisodes
            case .infantInHousehold: .unbornOrUnderOne
            }
        }
    }

    public struct Found: Sendable, Equatable {
        public let factor: Factor
        public let points: Int
        /// What made it fire, in words, e.g. "3 referrals from 2026-01-04 to 2026-09-30".
        public let evidence: String
    }

    public let personID: UUID
    public let name: String
    public let kind: PersonKind
    public let dateOfBirth: CivilDate?
    public var found: [Found]
    public var score: Int { found.reduce(0) { $0 + $1.points } }

    /// The evidence as one paragraph, for a proposal's rationale.
    public var evidence: String {
        "Named by the hidden-children finder (score \(score)): " + found.map { "\($0.factor.title.lowercased()): \($0.evidence)" }.joined(separator: "; ") + "."
    }
}

/// The standing report one council once made by hand: children not on the agreed list (nor
/// proposed) with repeated referrals, recently closed to children's social care, with repeated
/// Operation Encompass notices, in a MARAC household, missing from care (SSDA903), or unborn or
/// under one in the household of such a child — windows and points from the partnership setting
/// `hidden-children`. Read through the access policy (only children the viewer may see).
public struct HiddenChildren: Sendable {
    public let directory: ChildDirectory
    var sql: any SQLDatabase { directory.sql }

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    /// The named children, highest score first (at most `limit`); with `only`, just that child.
    public func find(limit: Int = 500, only: UUID? = nil) async throws -> (policy: HiddenChildrenPolicy, children: [HiddenChild]) {
        guard directory.scope.mayOpenRecords, let scope = directory.scopeCondition() else { throw ChildAccessDenied() }
        let policy = try await PartnershipSettings.hiddenChildrenPolicy(on: directory.db)
        let today = directory.today
        var found: [UUID: [HiddenChild.Found]] = [:]

        // Referrals from the census and from the front door's feed, a day's referral counted once.
        let since = today.adding(months: -policy.referralMonths).description
        for row in try await sql.raw("""
            SELECT person_id, COUNT(*) AS n, MIN(referral_date) AS first, MAX(referral_date) AS last FROM \
            (SELECT person_id, referral_date FROM referrals UNION SELECT person_id, referral_date FROM front_door_referrals) r \
            WHERE person_id IS NOT NULL AND referral_date >= \(bind: since) AND referral_date <= \(bind: today.description) \
            GROUP BY person_id HAVING COUNT(*) >= \(bind: policy.referralsAtLeast)
            """).all() {
            let n = try row.decode(column: "n", as: Int.self)
            found[try row.decode(column: "person_id", as: UUID.self), default: []].append(HiddenChild.Found(
                factor: .repeatedReferrals, points: policy.repeatedReferralsPoints,
                evidence: "\(n) referrals in \(policy.referralMonths) months (\(try row.decode(column: "first", as: String.self)) to \(try row.decode(column: "last", as: String.self)))"))
        }
        let closedSince = today.adding(months: -policy.closedWithinMonths).description
        for row in try await sql.raw("""
            SELECT person_id, MAX(closure_date) AS closed FROM referrals WHERE person_id IS NOT NULL GROUP BY person_id \
            HAVING SUM(CASE WHEN closure_date IS NULL THEN 1 ELSE 0 END) = 0 AND MAX(closure_date) >= \(bind: closedSince) \
            AND MAX(closure_date) <= \(bind: today.description)
            """).all() {
            found[try row.decode(column: "person_id", as: UUID.self), default: []].append(HiddenChild.Found(
                factor: .recentlyClosed, points: policy.recentlyClosedPoints,
                evidence: "closed on \(try row.decode(column: "closed", as: String.self)), within \(policy.closedWithinMonths) months"))
        }
        let noticesSince = today.adding(months: -policy.noticeMonths).description
        for row in try await sql.raw("""
            SELECT n.person_id, COUNT(*) AS n, MAX(i.occurred_on) AS last FROM encompass_notices n JOIN police_incidents i ON i.id = n.incident_id \
            WHERE n.person_id IS NOT NULL AND i.occurred_on >= \(bind: noticesSince) AND i.occurred_on <= \(bind: today.description) \
            GROUP BY n.person_id HAVING COUNT(*) >= \(bind: policy.noticesAtLeast)
            """).all() {
            found[try row.decode(column: "person_id", as: UUID.self), default: []].append(HiddenChild.Found(
                factor: .encompassNotices, points: policy.noticesPoints,
                evidence: "\(try row.decode(column: "n", as: Int.self)) notices in \(policy.noticeMonths) months, the latest after an incident on \(try row.decode(column: "last", as: String.self))"))
        }
        let maracSince = today.adding(months: -policy.maracMonths).description
        for row in try await sql.raw("""
            SELECT k.person_id, MAX(c.meeting_date) AS last FROM marac_children k JOIN marac_cases c ON c.id = k.marac_case_id \
            WHERE k.person_id IS NOT NULL AND c.meeting_date >= \(bind: maracSince) AND c.meeting_date <= \(bind: today.description) \
            GROUP BY k.person_id
            """).all() {
            found[try row.decode(column: "person_id", as: UUID.self), default: []].append(HiddenChild.Found(
                factor: .maracHousehold, points: policy.maracPoints,
                evidence: "the household was discussed at a MARAC on \(try row.decode(column: "last", as: String.self)), within \(policy.maracMonths) months"))
        }
        let missingSince = today.adding(months: -policy.missingMonths).description
        for row in try await sql.raw("""
            SELECT person_id, COUNT(*) AS n, MAX(start_date) AS last FROM missing_episodes \
            WHERE person_id IS NOT NULL AND start_date >= \(bind: missingSince) AND start_date <= \(bind: today.description) \
            GROUP BY person_id
            """).all() {
            let n = try row.decode(column: "n", as: Int.self)
            found[try row.decode(column: "person_id", as: UUID.self), default: []].append(HiddenChild.Found(
                factor: .missingFromCare, points: policy.missingPoints,
                evidence: "\(n) missing or away-from-placement episode\(n == 1 ? "" : "s") in \(policy.missingMonths) months, the latest from \(try row.decode(column: "last", as: String.self))"))
        }
        // Unborn children and under-ones in the household of a child named above: linked to them
        // as sibling or household member, or sharing a parent or carer.
        let named = Array(found.keys)
        let yearAgo = today.adding(months: -12).description
        for chunk in named.chunked(400) {
            let ids = Array(chunk)
            for row in try await sql.raw("""
                SELECT DISTINCT h.infant, c.given_name, c.family_name FROM (\
                SELECT CASE WHEN r.from_person_id = c0.id THEN r.to_person_id ELSE r.from_person_id END AS infant, c0.id AS child \
                FROM people c0 JOIN person_relationships r ON (r.from_person_id = c0.id OR r.to_person_id = c0.id) AND r.kind = 'sibling' \
                WHERE c0.id IN (\(bindList: ids)) \
                UNION SELECT k.to_person_id AS infant, c0.id AS child FROM people c0 \
                JOIN person_relationships p ON p.to_person_id = c0.id AND p.kind IN ('parent-or-carer', 'household-member') \
                JOIN person_relationships k ON k.from_person_id = p.from_person_id AND k.kind IN ('parent-or-carer', 'household-member') \
                WHERE c0.id IN (\(bindList: ids))) h \
                JOIN people i ON i.id = h.infant JOIN people c ON c.id = h.child \
                WHERE i.id <> c.id AND (i.kind = 'unborn-child' OR (i.kind = 'child' AND i.date_of_birth > \(bind: yearAgo)))
                """).all() {
                let infant = try row.decode(column: "infant", as: UUID.self)
                guard !(found[infant]?.contains { $0.factor == .infantInHousehold } ?? false) else { continue }
                found[infant, default: []].append(HiddenChild.Found(
                    factor: .infantInHousehold, points: policy.infantInHouseholdPoints,
                    evidence: "in the household of \(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self)), whom the finder names"))
            }
        }
        var people = Array(found.keys)
        if let only { people = people.filter { $0 == only } }
        var children: [HiddenChild] = []
        for chunk in people.chunked(400) {
            for row in try await sql.raw("""
                SELECT p.id, p.kind, p.given_name, p.family_name, p.date_of_birth FROM people p WHERE p.id IN (\(bindList: Array(chunk))) \
                AND \(ChildDirectory.childKinds) AND \(scope) \
                AND NOT EXISTS (SELECT 1 FROM list_entries e WHERE e.person_id = p.id AND e.status IN ('proposed', 'agreed'))
                """).all() {
                let id = try row.decode(column: "id", as: UUID.self)
                children.append(HiddenChild(
                    personID: id, name: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                    kind: PersonKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .child,
                    dateOfBirth: try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init),
                    found: found[id]!.sorted { $0.points > $1.points }))
            }
        }
        children.sort { ($0.score, $1.name) > ($1.score, $0.name) }
        return (policy, Array(children.prefix(limit)))
    }
}
