import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// The safeguarding partnership's yearly report (issue 8): the year's figures worked out from the
/// data, infants on the list and serious incidents by age, the attendance of vulnerable groups,
/// DBS checks, and the partnership's own words, section by section. It is published, so every
/// count is shown through `SmallNumbers` (1 to 4 as "fewer than 5").
public struct PartnershipReport: Sendable, Equatable {
    /// The sections the partnership writes itself.
    public enum Section: String, CaseIterable, Sendable {
        case introduction, priorities, learning, nextYear = "next-year"

        public var title: String {
            switch self {
            case .introduction: "About the partnership"
            case .priorities: "Our priorities and how we did"
            case .learning: "Learning from reviews"
            case .nextYear: "Next year"
            }
        }
    }

    public enum AgeBand: String, CaseIterable, Sendable {
        case underOne = "under-1", oneToFour = "1-4", fiveToNine = "5-9", tenToFifteen = "10-15", sixteenPlus = "16-17", notKnown = "not-known"

        public var title: String {
            switch self {
            case .underOne: "Under 1"
            case .oneToFour: "1 to 4"
            case .fiveToNine: "5 to 9"
            case .tenToFifteen: "10 to 15"
            case .sixteenPlus: "16 and over"
            case .notKnown: "Age not known"
            }
        }

        /// The band of a child born on `birth` (nil: not known) on `date`.
        public static func of(birth: CivilDate?, on date: CivilDate) -> AgeBand {
            guard let birth, birth <= date else { return .notKnown }
            var age = date.year - birth.year
            if (date.month, date.day) < (birth.month, birth.day) { age -= 1 }
            switch age {
            case ..<1: return .underOne
            case 1...4: return .oneToFour
            case 5...9: return .fiveToNine
            case 10...15: return .tenToFifteen
            default: return .sixteenPlus
            }
        }
    }

    public struct IncidentLine: Sendable, Equatable {
        public let band: AgeBand
        public let deaths: Int
        public let seriousHarm: Int
        public var total: Int { deaths + seriousHarm }
    }

    public struct Narrative: Sendable, Equatable {
        public let section: Section
        public let text: String
        public let updatedBy: String
        public let updatedAt: Date
    }

    /// The reporting year's first calendar year: 2026 is 1 April 2026 to 31 March 2027.
    public let year: Int
    public let from: CivilDate
    /// The year's last day, or today while the year is not over.
    public let to: CivilDate
    public var isComplete: Bool { to == Self.yearEnd(year) }
    /// The year's figures: the same measures as the returns, over the year, as of `to`.
    public let figures: [ReturnFigure]
    /// Children under one or unborn on the agreed list on `to`, by reason (a child with two reasons counts under each), and in all.
    public let infantsByReason: [(reason: ListReason, children: Int)]
    public let infants: Int
    /// Serious incidents the local authority became aware of in the year, by the child's age then.
    public let incidents: [IncidentLine]
    public let attendance: AttendanceByGroup?
    /// DBS checks for staff in children's homes cleared in the year, and the median days to clear.
    public let dbsCleared: Int
    public let dbsMedianDays: Double?
    public let narratives: [Section: Narrative]

    public static func == (a: PartnershipReport, b: PartnershipReport) -> Bool {
        a.year == b.year && a.to == b.to && a.figures == b.figures && a.infantsByReason.map(\.reason) == b.infantsByReason.map(\.reason)
            && a.infantsByReason.map(\.children) == b.infantsByReason.map(\.children) && a.incidents == b.incidents && a.narratives == b.narratives
    }

    public var incidentsTotal: Int { incidents.map(\.total).reduce(0, +) }
    public var incidentsUnderOne: Int { incidents.first { $0.band == .underOne }?.total ?? 0 }

    public static func yearStart(_ year: Int) -> CivilDate { CivilDate(year: year, month: 4, day: 1)! }
    public static func yearEnd(_ year: Int) -> CivilDate { CivilDate(year: year + 1, month: 3, day: 31)! }
    /// The reporting year `date` falls in.
    public static func year(of date: CivilDate) -> Int { date.month >= 4 ? date.year : date.year - 1 }

    /// The figures the report opens with: the returns' measures over the year.
    static func template(days: Int) -> ReturnTemplate {
        ReturnTemplate(key: "partnership-yearly", title: "Yearly report", about: "", periodDays: days, lines: [
            .init(key: "referrals", label: "Referrals to children's social care", measure: .referrals),
            .init(key: "cla", label: "Children looked after at the end of the year", measure: .lookedAfter),
            .init(key: "started-cla", label: "Children who started to be looked after", measure: .startedLookedAfter),
            .init(key: "cpp", label: "Children on a child protection plan at the end of the year", measure: .protectionPlan),
            .init(key: "cin", label: "Other children in need at the end of the year", measure: .otherInNeed),
            .init(key: "listed", label: "Children on the agreed list at the end of the year", measure: .onTheList),
            .init(key: "encompass", label: "Children an Operation Encompass notice was sent about", measure: .encompassNotices),
            .init(key: "missing", label: "Children looked after who went missing or were away from placement", measure: .missingEpisodes),
        ])
    }

    static func compute(year: Int, today: CivilDate, on db: any Database) async throws -> PartnershipReport {
        let sql = db as! any SQLDatabase
        let from = yearStart(year)
        guard from <= today else { throw ReturnError(message: "the year \(year) to \(year + 1) has not begun") }
        let to = min(yearEnd(year), today)
        var calculator = ReturnCalculator(sql: sql, asOf: to, periodDays: from.days(until: to) + 1)
        let figures = try await calculator.compute(template(days: from.days(until: to) + 1)).figures

        // Infants on the list: unborn, or not yet one, on the last day.
        var byReason: [ListReason: Int] = [:]
        let infantRows = try await sql.raw("""
            SELECT l.reasons FROM list_entries l JOIN people p ON p.id = l.person_id WHERE l.status = 'agreed' AND l.agreed_on <= \(bind: to.description) \
            AND (p.kind = \(bind: PersonKind.unbornChild.rawValue) OR p.date_of_birth > \(bind: to.adding(years: -1).description))
            """).all()
        for row in infantRows {
            for reason in Set(try row.decode(column: "reasons", as: String.self).split(separator: ";").compactMap { ListReason(rawValue: String($0)) }) {
                byReason[reason, default: 0] += 1
            }
        }

        // Serious incidents by the child's age when the local authority became aware.
        var bands: [AgeBand: (Int, Int)] = [:]
        for row in try await sql.raw("""
            SELECT s.aware_date, s.harm, p.date_of_birth FROM serious_incidents s JOIN people p ON p.id = s.person_id \
            WHERE s.aware_date >= \(bind: from.description) AND s.aware_date <= \(bind: to.description)
            """).all() {
            guard let aware = CivilDate(try row.decode(column: "aware_date", as: String.self)) else { continue }
            let band = AgeBand.of(birth: try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init), on: aware)
            let death = try row.decode(column: "harm", as: String.self) == SeriousIncident.Harm.death.rawValue
            bands[band, default: (0, 0)].0 += death ? 1 : 0
            bands[band, default: (0, 0)].1 += death ? 0 : 1
        }

        // DBS checks cleared in the year.
        let cleared = try await sql.raw("""
            SELECT applied_on, issued_on FROM dbs_checks WHERE issued_on >= \(bind: from.description) AND issued_on <= \(bind: to.description)
            """).all().compactMap { row -> Int? in
            guard let a = CivilDate(try row.decode(column: "applied_on", as: String.self)),
                  let i = try row.decode(column: "issued_on", as: String?.self).flatMap(CivilDate.init) else { return nil }
            return a.days(until: i)
        }

        var narratives: [Section: Narrative] = [:]
        for row in try await sql.raw("SELECT section, text, updated_by, updated_at FROM report_narratives WHERE year = \(bind: year)").all() {
            guard let section = Section(rawValue: try row.decode(column: "section", as: String.self)) else { continue }
            narratives[section] = Narrative(section: section, text: try row.decode(column: "text", as: String.self),
                                            updatedBy: try row.decode(column: "updated_by", as: String.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
        }
        let attendance = try? await AttendanceByGroup.compute(asOf: to, on: db)
        return PartnershipReport(
            year: year, from: from, to: to, figures: figures,
            infantsByReason: ListReason.allCases.compactMap { r in byReason[r].map { (r, $0) } }, infants: infantRows.count,
            incidents: AgeBand.allCases.map { IncidentLine(band: $0, deaths: bands[$0]?.0 ?? 0, seriousHarm: bands[$0]?.1 ?? 0) },
            attendance: attendance, dbsCleared: cleared.count, dbsMedianDays: cleared.isEmpty ? nil : Workforce.median(cleared),
            narratives: narratives)
    }
}

extension Returns {
    /// The yearly report for the reporting year starting in April of `year` (counts only).
    public func partnershipReport(year: Int) async throws -> PartnershipReport {
        guard AccessPolicy.mayWorkOnReturns(viewer) else { throw ChildAccessDenied() }
        return try await PartnershipReport.compute(year: year, today: directory.today, on: db)
    }

    /// Saves the partnership's words for one section of a year's report (empty text removes it). Audited.
    public func saveNarrative(year: Int, section: PartnershipReport.Section, text: String, clientAddress: String? = nil) async throws {
        guard AccessPolicy.mayWorkOnReturns(viewer) else { throw ChildAccessDenied() }
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 20_000 else { throw ReturnError(message: "\(section.title) is longer than 20,000 characters") }
        guard (2000...2100).contains(year) else { throw ReturnError(message: "there is no reporting year \(year)") }
        let viewer = self.viewer
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.delete(from: "report_narratives").where("year", .equal, year).where("section", .equal, section.rawValue).run()
            if !text.isEmpty {
                try await sql.insert(into: "report_narratives").columns("id", "year", "section", "text", "updated_by", "updated_at")
                    .values(SQLBind(UUID()), SQLBind(year), SQLBind(section.rawValue), SQLBind(text),
                            SQLBind(viewer.displayName + " (" + viewer.email + ")"), SQLBind(Date())).run()
            }
            try await AuditLog.record(.returnPrepared, on: tx, userID: viewer.userID, actor: viewer.email,
                                      detail: "yearly report \(year): \(section.rawValue) \(text.isEmpty ? "removed" : "saved")", clientAddress: clientAddress)
        }
    }
}
