import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// A workforce record could not be kept: the field at fault (the form's field id) and why.
public struct WorkforceError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String
    public var description: String { message }
}

/// One DBS check in the register.
public struct DBSCheck: Sendable, Equatable {
    public enum SettingKind: String, CaseIterable, Sendable {
        case childrensHome = "childrens-home"
        case secureChildrensHome = "secure-childrens-home"

        public var title: String {
            switch self {
            case .childrensHome: "Children's home"
            case .secureChildrensHome: "Secure children's home"
            }
        }
    }

    public let id: UUID
    public let staffName: String
    public let jobTitle: String
    public let settingName: String
    public let settingKind: SettingKind
    public let appliedOn: CivilDate
    /// The day the certificate was issued; nil while the check is outstanding.
    public let issuedOn: CivilDate?

    /// Days from application to certificate, or (outstanding) to `today`.
    public func days(today: CivilDate) -> Int { appliedOn.days(until: issuedOn ?? today) }
}

/// The DBS register as of a day: outstanding checks first (oldest first), then those cleared.
public struct DBSRegister: Sendable, Equatable {
    public struct Month: Sendable, Equatable {
        /// "2026-11": the month certificates were issued in.
        public let month: String
        public let cleared: Int
        /// The median days from application to certificate of the checks cleared that month.
        public let medianDays: Double
    }

    public let today: CivilDate
    /// An outstanding check older than this many days is flagged (setting `workforce`).
    public let flagAfterDays: Int
    public let outstanding: [DBSCheck]
    public let cleared: [DBSCheck]
    public let months: [Month]

    public func isFlagged(_ check: DBSCheck) -> Bool { check.issuedOn == nil && check.days(today: today) > flagAfterDays }
    public var flagged: Int { outstanding.filter(isFlagged).count }
}

/// Staff unavailable in one team in one week.
public struct StaffAbsence: Sendable, Equatable {
    public let weekBeginning: CivilDate
    public let team: String
    public let staff: Int
    public let unavailable: Int

    public var share: Double? { staff == 0 ? nil : Double(unavailable) / Double(staff) }
    /// More than 10% unavailable: the VCYP survey's threshold.
    public var isFlagged: Bool { (share ?? 0) > 0.1 }
}

/// The workforce records no feed holds (issue 8): staff unavailable by team, a snapshot a week,
/// and the DBS register for staff in children's homes and secure children's homes. Kept by the
/// partnership administrator and children's social care's team managers
/// (`AccessPolicy.mayKeepWorkforceRecords`); every change audited.
public struct Workforce: Sendable {
    public let db: any Database
    public let viewer: Viewer
    public let today: CivilDate

    public init(db: any Database, viewer: Viewer, today: CivilDate) throws {
        guard AccessPolicy.mayKeepWorkforceRecords(viewer) else { throw ChildAccessDenied() }
        self.db = db
        self.viewer = viewer
        self.today = today
    }

    var sql: any SQLDatabase { db as! any SQLDatabase }
    var recorder: String { viewer.displayName + " (" + viewer.email + ")" }

    static func text(_ value: String, field: String, label: String, limit: Int = 200) throws -> String {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !v.isEmpty else { throw WorkforceError(field: field, message: "Enter the \(label)") }
        guard v.count <= limit, !v.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw WorkforceError(field: field, message: "The \(label) must be at most \(limit) characters on one line")
        }
        return v
    }

    /// The Monday of the week containing `date`, for a weekly snapshot: not a future week, not more than two years ago.
    func snapshotWeek(_ date: CivilDate, field: String) throws -> CivilDate {
        let monday = date.adding(days: -(date.weekday.rawValue - 1))
        guard monday <= today else { throw WorkforceError(field: field, message: "The week cannot be in the future") }
        guard monday >= today.adding(years: -2) else { throw WorkforceError(field: field, message: "The week is more than two years ago") }
        return monday
    }

    // MARK: Staff unavailable

    /// Records (or replaces) a team's snapshot for the week containing `week`. Audited.
    public func recordAbsence(week: CivilDate, team: String, staff: Int, unavailable: Int, clientAddress: String? = nil) async throws {
        let team = try Self.text(team, field: "team", label: "team")
        let monday = try snapshotWeek(week, field: "week")
        guard (1...100_000).contains(staff) else { throw WorkforceError(field: "staff", message: "Staff must be a whole number from 1 to 100,000") }
        guard (0...staff).contains(unavailable) else { throw WorkforceError(field: "unavailable", message: "Unavailable must be a whole number from 0 to the team's staff") }
        let recorder = self.recorder, viewer = self.viewer
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.delete(from: "staff_absence").where("week_beginning", .equal, monday.description).where("team", .equal, team).run()
            try await sql.insert(into: "staff_absence")
                .columns("id", "week_beginning", "team", "staff", "unavailable", "recorded_by", "recorded_at")
                .values(SQLBind(UUID()), SQLBind(monday.description), SQLBind(team), SQLBind(staff), SQLBind(unavailable), SQLBind(recorder), SQLBind(Date()))
                .run()
            try await AuditLog.record(.workforceRecorded, on: tx, userID: viewer.userID, actor: viewer.email,
                                      detail: "staff unavailable: \(team), week of \(monday): \(unavailable) of \(staff)", clientAddress: clientAddress)
        }
    }

    /// The snapshots of the last `weeks` weeks, newest week first, teams in order.
    public func absence(weeks: Int = 12) async throws -> [StaffAbsence] {
        let since = today.adding(days: -7 * weeks)
        return try await sql.raw("""
            SELECT week_beginning, team, staff, unavailable FROM staff_absence WHERE week_beginning >= \(bind: since.description) \
            ORDER BY week_beginning DESC, team
            """).all().map { row in
            StaffAbsence(weekBeginning: CivilDate(try row.decode(column: "week_beginning", as: String.self)) ?? today,
                         team: try row.decode(column: "team", as: String.self), staff: try row.decode(column: "staff", as: Int.self),
                         unavailable: try row.decode(column: "unavailable", as: Int.self))
        }
    }

    // MARK: DBS register

    /// Adds a check to the register (outstanding unless `issued` is given). Audited.
    @discardableResult
    public func recordDBS(staffName: String, jobTitle: String, settingName: String, settingKind: DBSCheck.SettingKind,
                          applied: CivilDate, issued: CivilDate? = nil, clientAddress: String? = nil) async throws -> UUID {
        let name = try Self.text(staffName, field: "staff_name", label: "member of staff's name")
        let title = try Self.text(jobTitle, field: "job_title", label: "job title")
        let setting = try Self.text(settingName, field: "setting_name", label: "home's name")
        guard applied <= today else { throw WorkforceError(field: "applied_on", message: "The date applied cannot be in the future") }
        guard applied >= today.adding(years: -5) else { throw WorkforceError(field: "applied_on", message: "The date applied is more than five years ago") }
        if let issued { try Self.checkIssued(issued, applied: applied, today: today) }
        let id = UUID(), recorder = self.recorder, viewer = self.viewer
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.insert(into: "dbs_checks")
                .columns("id", "staff_name", "job_title", "setting_name", "setting_kind", "applied_on", "issued_on", "recorded_by", "recorded_at", "updated_at")
                .values(SQLBind(id), SQLBind(name), SQLBind(title), SQLBind(setting), SQLBind(settingKind.rawValue), SQLBind(applied.description),
                        SQLBind(issued?.description), SQLBind(recorder), SQLBind(Date()), SQLBind(Date()))
                .run()
            try await AuditLog.record(.workforceRecorded, on: tx, userID: viewer.userID, actor: viewer.email,
                                      detail: "DBS check \(id): applied \(applied)\(issued.map { ", issued \($0)" } ?? "")", clientAddress: clientAddress)
        }
        return id
    }

    static func checkIssued(_ issued: CivilDate, applied: CivilDate, today: CivilDate) throws {
        guard issued <= today else { throw WorkforceError(field: "issued_on", message: "The date issued cannot be in the future") }
        guard issued >= applied else { throw WorkforceError(field: "issued_on", message: "The certificate cannot be issued before the check was applied for") }
    }

    /// Records that an outstanding check's certificate was issued. Audited.
    public func recordIssued(_ id: UUID, on issued: CivilDate, clientAddress: String? = nil) async throws {
        let viewer = self.viewer, today = self.today
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            guard let row = try await sql.raw("SELECT applied_on, issued_on FROM dbs_checks WHERE id = \(bind: id)").first(),
                  let applied = CivilDate(try row.decode(column: "applied_on", as: String.self)) else {
                throw WorkforceError(field: "issued_on", message: "There is no such DBS check")
            }
            guard try row.decode(column: "issued_on", as: String?.self) == nil else {
                throw WorkforceError(field: "issued_on", message: "This check's certificate is already recorded")
            }
            try Self.checkIssued(issued, applied: applied, today: today)
            try await sql.update("dbs_checks").set("issued_on", to: issued.description).set("updated_at", to: Date()).where("id", .equal, id).run()
            try await AuditLog.record(.workforceRecorded, on: tx, userID: viewer.userID, actor: viewer.email,
                                      detail: "DBS check \(id): issued \(issued)", clientAddress: clientAddress)
        }
    }

    /// The register as of today: every outstanding check, the checks cleared in the last
    /// `months` months, and the median days to clear per month.
    public func register(months: Int = 12) async throws -> DBSRegister {
        let flagDays = try await PartnershipSettings.workforce(on: db).dbsOutstandingDays
        let since = today.adding(months: -months)
        let rows = try await sql.raw("""
            SELECT id, staff_name, job_title, setting_name, setting_kind, applied_on, issued_on FROM dbs_checks \
            WHERE issued_on IS NULL OR issued_on >= \(bind: since.description) ORDER BY applied_on, staff_name
            """).all()
        let checks = try rows.compactMap { row -> DBSCheck? in
            guard let applied = CivilDate(try row.decode(column: "applied_on", as: String.self)),
                  let kind = DBSCheck.SettingKind(rawValue: try row.decode(column: "setting_kind", as: String.self)) else { return nil }
            return DBSCheck(id: try row.decode(column: "id", as: UUID.self), staffName: try row.decode(column: "staff_name", as: String.self),
                            jobTitle: try row.decode(column: "job_title", as: String.self), settingName: try row.decode(column: "setting_name", as: String.self),
                            settingKind: kind, appliedOn: applied, issuedOn: try row.decode(column: "issued_on", as: String?.self).flatMap(CivilDate.init))
        }
        let cleared = checks.filter { $0.issuedOn != nil }.sorted { ($0.issuedOn!, $0.staffName) > ($1.issuedOn!, $1.staffName) }
        var byMonth: [String: [Int]] = [:]
        for check in cleared {
            let d = check.issuedOn!
            byMonth[String(format: "%04d-%02d", d.year, d.month), default: []].append(check.days(today: today))
        }
        let monthLines = byMonth.keys.sorted(by: >).map { month in
            DBSRegister.Month(month: month, cleared: byMonth[month]!.count, medianDays: Self.median(byMonth[month]!))
        }
        return DBSRegister(today: today, flagAfterDays: flagDays, outstanding: checks.filter { $0.issuedOn == nil },
                           cleared: cleared, months: monthLines)
    }

    static func median(_ values: [Int]) -> Double {
        let v = values.sorted()
        guard !v.isEmpty else { return 0 }
        return v.count % 2 == 1 ? Double(v[v.count / 2]) : Double(v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }
}
