import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// One referral (CIN episode of need) as children's social care recorded it, with what followed.
public struct SocialCareReferral: Sendable, Equatable {
    public struct Assessment: Sendable, Equatable {
        public let start: CivilDate
        public let authorised: CivilDate?
        /// Factor codes with their labels, e.g. ("24A", "Child criminal exploitation").
        public let factors: [(code: String, label: String)]
        public static func == (a: Self, b: Self) -> Bool { a.start == b.start && a.authorised == b.authorised && a.factors.map(\.code) == b.factors.map(\.code) }
    }
    public struct Enquiry: Sendable, Equatable {
        public let start: CivilDate
        public let initialConference: CivilDate?
        public let conferenceNotRequired: Bool
    }
    public struct Plan: Sendable, Equatable {
        public let start: CivilDate
        public let end: CivilDate?
    }
    public struct ProtectionPlan: Sendable, Equatable {
        public let start: CivilDate
        public let end: CivilDate?
        public let initialCategory: String
        public let latestCategory: String
        public let reviews: [CivilDate]
    }

    public let referralDate: CivilDate
    /// The source code and its label, e.g. ("2A", "Schools").
    public let source: (code: String, label: String)?
    public let primaryNeed: (code: String, label: String)?
    public let closureDate: CivilDate?
    public let closureReason: (code: String, label: String)?
    public let noFurtherAction: Bool
    public let assessments: [Assessment]
    public let enquiries: [Enquiry]
    public let cinPlans: [Plan]
    public let protectionPlans: [ProtectionPlan]

    public static func == (a: Self, b: Self) -> Bool {
        a.referralDate == b.referralDate && a.source?.code == b.source?.code && a.closureDate == b.closureDate
            && a.assessments == b.assessments && a.enquiries == b.enquiries && a.cinPlans == b.cinPlans && a.protectionPlans == b.protectionPlans
    }
}

/// What children's social care holds on a child, from its feeds, read through the access policy.
public struct SocialCare: Sendable {
    public let directory: ChildDirectory
    var sql: any SQLDatabase { directory.sql }

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    /// The label of a code from a list, or the code itself when the list does not know it.
    static func labelled<C: CodeList>(_ code: String?, _: C.Type) -> (code: String, label: String)? {
        guard let code else { return nil }
        return (code, (try? C.parse(code))?.label ?? code)
    }

    /// The child's referrals, newest first (empty when the viewer may not see the child).
    public func referrals(forChild personID: UUID) async throws -> [SocialCareReferral] {
        guard try await directory.isVisible(personID) else { return [] }
        let referrals = try await sql.raw("""
            SELECT id, referral_date, source, primary_need, closure_date, closure_reason, no_further_action FROM referrals \
            WHERE person_id = \(bind: personID) ORDER BY referral_date DESC
            """).all()
        guard !referrals.isEmpty else { return [] }
        let ids = try referrals.map { try $0.decode(column: "id", as: UUID.self) }
        func date(_ row: any SQLRow, _ column: String) throws -> CivilDate? { try row.decode(column: column, as: String?.self).flatMap(CivilDate.init) }
        var assessments: [UUID: [SocialCareReferral.Assessment]] = [:]
        for row in try await sql.raw("SELECT referral_id, start_date, authorised_date, factors FROM assessments WHERE referral_id IN (\(bindList: ids)) ORDER BY start_date").all() {
            guard let start = try date(row, "start_date") else { continue }
            let factors = try row.decode(column: "factors", as: String.self).split(separator: ",").map { code in
                (String(code), (try? AssessmentFactor.parse(String(code)))?.label ?? String(code))
            }
            assessments[try row.decode(column: "referral_id", as: UUID.self), default: []].append(.init(start: start, authorised: try date(row, "authorised_date"), factors: factors))
        }
        var enquiries: [UUID: [SocialCareReferral.Enquiry]] = [:]
        for row in try await sql.raw("SELECT referral_id, start_date, icpc_date, icpc_not_required FROM section47_enquiries WHERE referral_id IN (\(bindList: ids)) ORDER BY start_date").all() {
            guard let start = try date(row, "start_date") else { continue }
            enquiries[try row.decode(column: "referral_id", as: UUID.self), default: []].append(.init(
                start: start, initialConference: try date(row, "icpc_date"), conferenceNotRequired: try row.decode(column: "icpc_not_required", as: Bool.self)))
        }
        var plans: [UUID: [SocialCareReferral.Plan]] = [:]
        for row in try await sql.raw("SELECT referral_id, start_date, end_date FROM cin_plans WHERE referral_id IN (\(bindList: ids)) ORDER BY start_date").all() {
            guard let start = try date(row, "start_date") else { continue }
            plans[try row.decode(column: "referral_id", as: UUID.self), default: []].append(.init(start: start, end: try date(row, "end_date")))
        }
        var protection: [UUID: [SocialCareReferral.ProtectionPlan]] = [:]
        for row in try await sql.raw("""
            SELECT referral_id, start_date, end_date, initial_category, latest_category, review_dates FROM protection_plans \
            WHERE referral_id IN (\(bindList: ids)) ORDER BY start_date
            """).all() {
            guard let start = try date(row, "start_date") else { continue }
            protection[try row.decode(column: "referral_id", as: UUID.self), default: []].append(.init(
                start: start, end: try date(row, "end_date"), initialCategory: try row.decode(column: "initial_category", as: String.self),
                latestCategory: try row.decode(column: "latest_category", as: String.self),
                reviews: try row.decode(column: "review_dates", as: String.self).split(separator: ",").compactMap { CivilDate(String($0)) }))
        }
        return try referrals.compactMap { row in
            let id = try row.decode(column: "id", as: UUID.self)
            guard let referred = try date(row, "referral_date") else { return nil }
            return SocialCareReferral(
                referralDate: referred, source: Self.labelled(try row.decode(column: "source", as: String?.self), ReferralSource.self),
                primaryNeed: Self.labelled(try row.decode(column: "primary_need", as: String?.self), PrimaryNeed.self),
                closureDate: try date(row, "closure_date"),
                closureReason: Self.labelled(try row.decode(column: "closure_reason", as: String?.self), ReasonForClosure.self),
                noFurtherAction: try row.decode(column: "no_further_action", as: Bool.self),
                assessments: assessments[id] ?? [], enquiries: enquiries[id] ?? [], cinPlans: plans[id] ?? [], protectionPlans: protection[id] ?? [])
        }
    }
}
