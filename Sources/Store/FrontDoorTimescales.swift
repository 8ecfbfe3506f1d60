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

/// The front door's timescales (STANDARDS §5.1): the decision on each referral within 1 working
/// day of receipt, and the child and family assessment within 45 working days of the referral,
/// computed on the working-day calendar from the referrals feed and the CIN census.
public struct FrontDoorTimescales: Sendable {
    public let directory: ChildDirectory
    var sql: any SQLDatabase { directory.sql }

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    /// Children's social care (its social workers and front door).
    public static func mayView(_ viewer: Viewer) -> Bool {
        viewer.agencyKind == .laChildrensSocialCare && [.socialWorker, .frontDoor].contains(viewer.role)
    }

    /// Referrals from `since` to today, and the assessments of referrals in that time.
    public func reports(since: CivilDate) async throws -> [TimescaleReport] {
        guard Self.mayView(directory.viewer) else { throw ChildAccessDenied() }
        let calendar = WorkingDayCalendar(bankHolidays: try await CalendarStore.bankHolidays(on: directory.db))
        let today = directory.today
        func line(_ timescale: Timescale, _ row: any SQLRow, reference: String, started: String, done: String) throws -> TimescaleLine? {
            guard let start = CivilDate(try row.decode(column: started, as: String.self)) else { return nil }
            let finished = try row.decode(column: done, as: String?.self).flatMap(CivilDate.init)
            let due = try? timescale.due(from: start, calendar: calendar)
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
        let order: [TimescaleLine.State?] = [.overdue, .open, .late, .onTime, nil]
        func sorted(_ lines: [TimescaleLine]) -> [TimescaleLine] {
            lines.sorted { a, b in
                let (x, y) = (order.firstIndex(of: a.state)!, order.firstIndex(of: b.state)!)
                return x != y ? x < y : (a.started, a.reference) > (b.started, b.reference)
            }
        }
        try await AuditLog.record(.childSearch, on: directory.db, userID: directory.viewer.userID, actor: directory.viewer.email,
                                  detail: "viewed the front door's timescales since \(since) (\(decisions.count) referrals, \(assessments.count) assessments)")
        return [TimescaleReport(timescale: .referralDecision, lines: sorted(decisions)), TimescaleReport(timescale: .assessment, lines: sorted(assessments))]
    }
}
