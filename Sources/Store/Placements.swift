import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// One home's places in one week.
public struct HomeCapacity: Sendable, Equatable {
    public let weekBeginning: CivilDate
    public let home: String
    public let kind: DBSCheck.SettingKind
    public let places: Int
    public let occupied: Int
    public var available: Int { places - occupied }
}

/// Placement sufficiency (issue 8): the homes' places, occupied and available (a snapshot a week,
/// recorded), the children looked after placed outside the area (SSDA903), and the unaccompanied
/// asylum-seeking children who arrived (a count a month, recorded). Kept by the same people as the
/// workforce records (`AccessPolicy.mayKeepWorkforceRecords`); every change audited.
public struct Placements: Sendable {
    public let workforce: Workforce

    public init(db: any Database, viewer: Viewer, today: CivilDate) throws {
        workforce = try Workforce(db: db, viewer: viewer, today: today)
    }

    var db: any Database { workforce.db }
    var sql: any SQLDatabase { workforce.sql }
    public var today: CivilDate { workforce.today }

    /// Records (or replaces) a home's places for the week containing `week`. Audited.
    public func recordCapacity(week: CivilDate, home: String, kind: DBSCheck.SettingKind, places: Int, occupied: Int, clientAddress: String? = nil) async throws {
        let home = try Workforce.text(home, field: "home", label: "home's name")
        let monday = try workforce.snapshotWeek(week, field: "capacity_week")
        guard (1...1_000).contains(places) else { throw WorkforceError(field: "places", message: "Places must be a whole number from 1 to 1,000") }
        guard (0...places).contains(occupied) else { throw WorkforceError(field: "occupied", message: "Occupied must be a whole number from 0 to the home's places") }
        let recorder = workforce.recorder, viewer = workforce.viewer
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.delete(from: "home_capacity").where("week_beginning", .equal, monday.description).where("home", .equal, home).run()
            try await sql.insert(into: "home_capacity").columns("id", "week_beginning", "home", "kind", "places", "occupied", "recorded_by", "recorded_at")
                .values(SQLBind(UUID()), SQLBind(monday.description), SQLBind(home), SQLBind(kind.rawValue), SQLBind(places), SQLBind(occupied),
                        SQLBind(recorder), SQLBind(Date())).run()
            try await AuditLog.record(.workforceRecorded, on: tx, userID: viewer.userID, actor: viewer.email,
                                      detail: "home places: \(home), week of \(monday): \(occupied) of \(places) occupied", clientAddress: clientAddress)
        }
    }

    /// Each home's latest week, then the weeks before it (the last `weeks`), newest first.
    public func capacity(weeks: Int = 12) async throws -> [HomeCapacity] {
        try await sql.raw("""
            SELECT week_beginning, home, kind, places, occupied FROM home_capacity WHERE week_beginning >= \(bind: today.adding(days: -7 * weeks).description) \
            ORDER BY week_beginning DESC, home
            """).all().compactMap { row in
            guard let week = CivilDate(try row.decode(column: "week_beginning", as: String.self)),
                  let kind = DBSCheck.SettingKind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
            return HomeCapacity(weekBeginning: week, home: try row.decode(column: "home", as: String.self), kind: kind,
                                places: try row.decode(column: "places", as: Int.self), occupied: try row.decode(column: "occupied", as: Int.self))
        }
    }

    /// Records (or replaces) the month's arrivals. Audited.
    public func recordArrivals(month: CivilDate, arrived: Int, transferredIn: Int, clientAddress: String? = nil) async throws {
        let key = String(format: "%04d-%02d", month.year, month.month)
        guard CivilDate(year: month.year, month: month.month, day: 1)! <= today else { throw WorkforceError(field: "month", message: "The month cannot be in the future") }
        guard (0...10_000).contains(arrived) else { throw WorkforceError(field: "arrived", message: "Arrived must be a whole number, 0 or more") }
        guard (0...arrived).contains(transferredIn) else {
            throw WorkforceError(field: "transferred_in", message: "Transferred in must be a whole number from 0 to those who arrived")
        }
        let recorder = workforce.recorder, viewer = workforce.viewer
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.delete(from: "uasc_arrivals").where("month", .equal, key).run()
            try await sql.insert(into: "uasc_arrivals").columns("id", "month", "arrived", "transferred_in", "recorded_by", "recorded_at")
                .values(SQLBind(UUID()), SQLBind(key), SQLBind(arrived), SQLBind(transferredIn), SQLBind(recorder), SQLBind(Date())).run()
            try await AuditLog.record(.workforceRecorded, on: tx, userID: viewer.userID, actor: viewer.email,
                                      detail: "unaccompanied asylum-seeking children arrived in \(key): \(arrived) (\(transferredIn) transferred in)", clientAddress: clientAddress)
        }
    }

    /// The months recorded in the last year, newest first: (month, arrived, transferred in).
    public func arrivals() async throws -> [(month: String, arrived: Int, transferredIn: Int)] {
        let since = today.adding(months: -12)
        return try await sql.raw("""
            SELECT month, arrived, transferred_in FROM uasc_arrivals WHERE month >= \(bind: String(format: "%04d-%02d", since.year, since.month)) ORDER BY month DESC
            """).all().map { (try $0.decode(column: "month", as: String.self), try $0.decode(column: "arrived", as: Int.self), try $0.decode(column: "transferred_in", as: Int.self)) }
    }

    /// Children looked after placed outside the area today, by placement type (SSDA903; counts).
    public func outOfArea() async throws -> [(placement: String, children: Int)] {
        let d = today.description
        var byPlacement: [String: Set<String>] = [:]
        for row in try await sql.raw("""
            SELECT e.placement, c.la_child_id FROM care_episodes e JOIN looked_after_children c ON c.id = e.child_id \
            WHERE e.start_date <= \(bind: d) AND (e.end_date IS NULL OR e.end_date > \(bind: d)) AND e.out_of_area = \(bind: true)
            """).all() {
            byPlacement[try row.decode(column: "placement", as: String.self), default: []].insert(try row.decode(column: "la_child_id", as: String.self))
        }
        return byPlacement.map { ($0.key, $0.value.count) }.sorted { ($1.children, $0.placement) < ($0.children, $1.placement) }
    }
}
