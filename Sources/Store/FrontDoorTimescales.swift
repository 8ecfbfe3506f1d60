import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// One clock of the front door: a referral's decision (1 working day) or the assessment that
/// followed (45 working days from the referral), with its due date and how it stands.
public struct TimescaleLine: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// Done by the due date.
        case onTime = "on-time"
        /// Done after the due date.
        case late
        /// Not done, and not yet due.
        case open
        /// Not done, and past the due date.
        case overdue

        public var title: String {
            switch self {
            case .onTime: "On time"
            case .late: "Late"
            case .open: "Open"
            case .overdue: "Overdue"
            }
        }
    }

    public let personID: UUID?
    /// The child's name where the index knows them.
    public let childName: String?
    /// The record: the referral's reference, or the census child's LAchildID.
    public let reference: String
    /// The anchor: the referral's date.
    public let started: CivilDate
    /// Nil when the working-day calendar does not reach the due date (import newer bank holidays).
    public let due: CivilDate?
    public let done: CivilDate?
    public let state: State?
    /// For a recurring clock, which step is next (the first, second or a later review); nil otherwise.
    public var step: Timescale? = nil
}

/// A timescale's lines and counts.
public struct TimescaleReport: Sendable, Equatable {
    public let timescale: Timescale
    /// Overdue first, then open, late and on time; newest first within each.
    public let lines: [TimescaleLine]

    public func count(_ state: TimescaleLine.State) -> Int { lines.filter { $0.state == state }.count }

    /// Done on time, of those done or past due; nil when there are none.
    public var onTimeShare: Double? {
        let decided = lines.filter { [.onTime, .late, .overdue].contains($0.state) }.count
        return decided == 0 ? nil : Double(count(.onTime)) / Double(decided)
    }
}

/// Children's social care's timescales (STANDARDS §5.1), computed on the working-day calendar
/// from the feeds: at the front door, the decision on each referral within 1 working day of
/// receipt and the child and family assessment within 45 working days of the referral; for child
/// protection, the initial conference within 15 working days of the section 47 enquiry's start and
/// the next review conference (3 months after the plan starts, then at most 6 months apart); for
/// looked-after children, the next review (20 working days after the child became looked after,
/// then 3 months, then at most 6 months apart).
public struct FrontDoorTimescales: Sendable {
    public let directory: ChildDirectory
    var sql: any SQLDatabase { directory.sql }

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    /// Referrals from `since` to today, and the assessments of referrals in that time.
    public func reports(since: CivilDate) async throws -> [TimescaleReport] {
        guard AccessPolicy.worksAcrossTheArea(directory.viewer) else { throw ChildAccessDenied() }
        let calendar = WorkingDayCalendar(bankHolidays: try await CalendarStore.bankHolidays(on: directory.db))
        let today = directory.today
        // Many records share a day: each (timescale, day) is stepped through the calendar once.
        var dues: [String: CivilDate?] = [:]
        func due(_ timescale: Timescale, _ anchor: CivilDate) -> CivilDate? {
            let key = timescale.rawValue + anchor.description
            if let known = dues[key] { return known }
            let value = try? timescale.due(from: anchor, calendar: calendar)
            dues[key] = value
            return value
        }
        func line(_ timescale: Timescale, _ row: any SQLRow, reference: String, started: String, done: String) throws -> TimescaleLine? {
            guard let start = CivilDate(try row.decode(column: started, as: String.self)) else { return nil }
            let finished = try row.decode(column: done, as: String?.self).flatMap(CivilDate.init)
            let due = due(timescale, start)
            let state: TimescaleLine.State? = due.map { due in
                if let finished { return finished <= due ? .onTime : .late }
                return today > due ? .overdue : .open
            }
            let names = [try row.decode(column: "given_name", as: String?.self), try row.decode(column: "family_name", as: String?.self)].compactMap { $0 }
            return TimescaleLine(personID: try row.decode(column: "person_id", as: UUID?.self), childName: names.isEmpty ? nil : names.joined(separator: " "),
                                 reference: try row.decode(column: reference, as: String.self), started: start, due: due, done: finished, state: state)
        }
        let window: SQLQueryString = "BETWEEN \(bind: since.description) AND \(bind: today.description)"
        let decisions = try await sql.raw("""
            SELECT r.referral_id, r.referral_date, r.decision_date, r.person_id, p.given_name, p.family_name FROM front_door_referrals r \
            LEFT JOIN people p ON p.id = r.person_id WHERE r.referral_date \(window)
            """).all().compactMap { try line(.referralDecision, $0, reference: "referral_id", started: "referral_date", done: "decision_date") }
        // Each referral's first assessment (the census records the referral and what followed).
        let assessments = try await sql.raw("""
            SELECT c.la_child_id, r.referral_date, MIN(a.authorised_date) AS authorised, r.person_id, p.given_name, p.family_name \
            FROM referrals r JOIN assessments a ON a.referral_id = r.id JOIN social_care_children c ON c.id = r.child_id \
            LEFT JOIN people p ON p.id = r.person_id WHERE r.referral_date \(window) \
            GROUP BY r.id, c.la_child_id, r.referral_date, r.person_id, p.given_name, p.family_name
            """).all().compactMap { try line(.assessment, $0, reference: "la_child_id", started: "referral_date", done: "authorised") }
        // Initial conferences: from the start of each section 47 enquiry that needed one.
        let conferences = try await sql.raw("""
            SELECT c.la_child_id, s.start_date, s.icpc_date, r.person_id, p.given_name, p.family_name FROM section47_enquiries s \
            JOIN referrals r ON r.id = s.referral_id JOIN social_care_children c ON c.id = s.child_id LEFT JOIN people p ON p.id = r.person_id \
            WHERE s.start_date \(window) AND NOT s.icpc_not_required
            """).all().compactMap { try line(.initialConference, $0, reference: "la_child_id", started: "start_date", done: "icpc_date") }
        // The next review conference of each open plan, and of each looked-after child.
        var planReviews: [TimescaleLine] = []
        for row in try await sql.raw("""
            SELECT c.la_child_id, pp.start_date, pp.review_dates, pp.person_id, p.given_name, p.family_name FROM protection_plans pp \
            JOIN social_care_children c ON c.id = pp.child_id LEFT JOIN people p ON p.id = pp.person_id WHERE pp.end_date IS NULL
            """).all() {
            guard let start = CivilDate(try row.decode(column: "start_date", as: String.self)) else { continue }
            let reviews = try row.decode(column: "review_dates", as: String.self).split(separator: ",").compactMap { CivilDate(String($0)) }.sorted()
            let (timescale, anchor) = reviews.last.map { (Timescale.laterReviewConference, $0) } ?? (.firstReviewConference, start)
            planReviews.append(try next(timescale, anchor: anchor, row: row, today: today, calendar: calendar))
        }
        var careReviews: [TimescaleLine] = []
        var reviewsOf: [UUID: [CivilDate]] = [:]
        for row in try await sql.raw("""
            SELECT child_id, review_date FROM looked_after_reviews WHERE child_id IN \
            (SELECT child_id FROM care_episodes WHERE end_date IS NULL) ORDER BY review_date
            """).all() {
            if let date = CivilDate(try row.decode(column: "review_date", as: String.self)) {
                reviewsOf[try row.decode(column: "child_id", as: UUID.self), default: []].append(date)
            }
        }
        for row in try await sql.raw("""
            SELECT c.id, c.la_child_id, c.person_id, p.given_name, p.family_name, \
            (SELECT MAX(e.start_date) FROM care_episodes e WHERE e.child_id = c.id AND e.reason_new = 'S') AS looked_after_from, \
            (SELECT MIN(e.start_date) FROM care_episodes e WHERE e.child_id = c.id) AS first_episode \
            FROM looked_after_children c LEFT JOIN people p ON p.id = c.person_id \
            WHERE EXISTS (SELECT 1 FROM care_episodes e WHERE e.child_id = c.id AND e.end_date IS NULL)
            """).all() {
            guard let from = (try row.decode(column: "looked_after_from", as: String?.self) ?? (try row.decode(column: "first_episode", as: String?.self)))
                .flatMap(CivilDate.init) else { continue }
            // Reviews of this period of care: on or after the day the child became looked after.
            let reviews = (reviewsOf[try row.decode(column: "id", as: UUID.self)] ?? []).filter { $0 >= from }
            let (timescale, anchor): (Timescale, CivilDate) = switch reviews.count {
            case 0: (.firstLookedAfterReview, from)
            case 1: (.secondLookedAfterReview, reviews[0])
            default: (.laterLookedAfterReview, reviews.last!)
            }
            careReviews.append(try next(timescale, anchor: anchor, row: row, today: today, calendar: calendar))
        }
        let order: [TimescaleLine.State?] = [.overdue, .open, .late, .onTime, nil]
        func sorted(_ lines: [TimescaleLine]) -> [TimescaleLine] {
            lines.sorted { a, b in
                let (x, y) = (order.firstIndex(of: a.state)!, order.firstIndex(of: b.state)!)
                return x != y ? x < y : (a.started, a.reference) > (b.started, b.reference)
            }
        }
        try await AuditLog.record(.childSearch, on: directory.db, userID: directory.viewer.userID, actor: directory.viewer.email,
                                  detail: "viewed the front door's timescales since \(since) (\(decisions.count) referrals, \(assessments.count) assessments)")
        return [TimescaleReport(timescale: .referralDecision, lines: sorted(decisions)), TimescaleReport(timescale: .assessment, lines: sorted(assessments)),
                TimescaleReport(timescale: .initialConference, lines: sorted(conferences)),
                TimescaleReport(timescale: .laterReviewConference, lines: sorted(planReviews)),
                TimescaleReport(timescale: .laterLookedAfterReview, lines: sorted(careReviews))]
    }

    /// The next event of a recurring clock (a review), not yet held: due from `anchor`.
    func next(_ timescale: Timescale, anchor: CivilDate, row: any SQLRow, today: CivilDate, calendar: WorkingDayCalendar) throws -> TimescaleLine {
        let due = try? timescale.due(from: anchor, calendar: calendar)
        let names = [try row.decode(column: "given_name", as: String?.self), try row.decode(column: "family_name", as: String?.self)].compactMap { $0 }
        return TimescaleLine(personID: try row.decode(column: "person_id", as: UUID?.self), childName: names.isEmpty ? nil : names.joined(separator: " "),
                             reference: try row.decode(column: "la_child_id", as: String.self), started: anchor, due: due, done: nil,
                             state: due.map { today > $0 ? .overdue : .open }, step: timescale)
    }
}
