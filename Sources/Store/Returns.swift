import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// One line of a computed return: a figure EyesOn worked out, or a field filled in by hand.
public struct ReturnFigure: Codable, Sendable, Equatable {
    public let key: String
    public let label: String
    public let measure: ReturnMeasure?
    public let manual: ReturnTemplate.ManualKind?
    /// The count; nil when the data held cannot answer (see `note`) or for a field filled in by hand.
    public var value: Int?
    /// For a share ("seen in the period"): the count of the group it is a share of.
    public var of: Int?
    /// A field filled in by hand: as typed; nil or empty when not known.
    public var entered: String?
    /// Above the template's threshold (a hand-filled percentage).
    public var flagged: Bool
    /// Why a figure is not known, or what it rests on.
    public var note: String?

    /// `value` as a percentage of `of`, rounded to one place; nil when either is not known or `of` is 0.
    public var percent: Double? {
        guard let value, let of, of > 0 else { return nil }
        return (Double(value) * 1000 / Double(of)).rounded() / 10
    }
}

/// A return worked out as of a date: the template's lines with their figures.
public struct ComputedReturn: Codable, Sendable, Equatable {
    public let template: ReturnTemplate
    public let asOf: CivilDate
    /// The first day of the activity window (the window ends on `asOf`).
    public let periodStart: CivilDate
    public var figures: [ReturnFigure]

    public func figure(_ key: String) -> ReturnFigure? { figures.first { $0.key == key } }
}

/// A return kept as a dated submission.
public struct ReturnSubmission: Sendable, Equatable {
    public enum State: String, Sendable { case draft, signedOff = "signed-off" }

    public let id: UUID
    public let computed: ComputedReturn
    public let state: State
    public let preparedBy: String
    public let preparedAt: Date
    public let signedBy: String?
    public let signedAt: Date?

    public var title: String { computed.template.title }
}

/// A child (or a referral) behind a figure.
public struct ReturnMember: Sendable, Equatable {
    /// The child in the person index, when the feed's record is matched to one.
    public let personID: UUID?
    /// The feed's own reference: the LAchildID or CHILD, the referral's id, the child as a notice names them.
    public let reference: String
    /// Filled in for those allowed to see names.
    public var name: String? = nil
    public var dateOfBirth: CivilDate? = nil

    /// One child counts once however many records name them: by person when matched, else by the feed's reference.
    var key: String { personID?.uuidString ?? "ref:" + reference }
}

/// A return could not be prepared or signed off; the message says why.
public struct ReturnError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Works out each measure over the store as of a date: the children (or referrals) behind it.
/// Definitions (the same for every template):
/// - looked after on a date: a period of care that started on or before it and had not ended by it
///   (an end date after it, or none); on a plan and in need likewise, from the CIN census;
/// - seen by a social worker in the period: a contact that counts as seeing the child, recorded by
///   children's social care, or a statutory visit to the child in placement;
/// - a child counts once however many records name them.
struct ReturnCalculator {
    let sql: any SQLDatabase
    let asOf: CivilDate
    let periodStart: CivilDate
    private var memo: [ReturnMeasure: [ReturnMember]] = [:]
    private var seenBySocialWorker: Set<UUID>?

    init(sql: any SQLDatabase, asOf: CivilDate, periodDays: Int) {
        self.sql = sql
        self.asOf = asOf
        self.periodStart = asOf.adding(days: -(max(periodDays, 1) - 1))
    }

    var d: String { asOf.description }
    var s: String { periodStart.description }

    /// The members of `measure`, or a reason the data held cannot answer.
    mutating func members(_ measure: ReturnMeasure) async throws -> Result<[ReturnMember], ReturnError> {
        if let known = memo[measure] { return .success(known) }
        if let gap = try await gap(measure) { return .failure(gap) }
        let rows: [ReturnMember]
        switch measure {
        case .lookedAfter:
            rows = try await children("""
                SELECT c.la_child_id AS ref, c.person_id FROM care_episodes e JOIN looked_after_children c ON c.id = e.child_id \
                WHERE e.start_date <= \(bind: d) AND (e.end_date IS NULL OR e.end_date > \(bind: d))
                """)
        case .placedOutOfArea:
            rows = try await children("""
                SELECT c.la_child_id AS ref, c.person_id FROM care_episodes e JOIN looked_after_children c ON c.id = e.child_id \
                WHERE e.start_date <= \(bind: d) AND (e.end_date IS NULL OR e.end_date > \(bind: d)) AND e.out_of_area = \(bind: true)
                """)
        case .protectionPlan:
            rows = try await children("""
                SELECT s.la_child_id AS ref, s.person_id FROM protection_plans p JOIN social_care_children s ON s.id = p.child_id \
                WHERE p.start_date <= \(bind: d) AND (p.end_date IS NULL OR p.end_date > \(bind: d))
                """)
        case .otherInNeed:
            let inNeed = try await children("""
                SELECT s.la_child_id AS ref, s.person_id FROM referrals r JOIN social_care_children s ON s.id = r.child_id \
                WHERE r.referral_date <= \(bind: d) AND (r.closure_date IS NULL OR r.closure_date > \(bind: d))
                """)
            let others = Set(try await members(.lookedAfter).get().map(\.key)).union(try await members(.protectionPlan).get().map(\.key))
            rows = inNeed.filter { !others.contains($0.key) }
        case .lookedAfterSeen, .protectionPlanSeen, .otherInNeedSeen:
            let group = try await members(measure.shareOf!).get()
            let seen = try await seenBySocialWorkerInPeriod()
            rows = group.filter { $0.personID.map(seen.contains) ?? false }
        case .referrals, .referralsLastYear:
            let (from, to) = measure == .referrals ? (s, d) : (periodStart.adding(years: -1).description, asOf.adding(years: -1).description)
            rows = try await sql.raw("""
                SELECT referral_id AS ref, person_id FROM front_door_referrals \
                WHERE referral_date >= \(bind: from) AND referral_date <= \(bind: to) ORDER BY referral_id
                """).all().map { ReturnMember(personID: try $0.decode(column: "person_id", as: UUID?.self), reference: try $0.decode(column: "ref", as: String.self)) }
            memo[measure] = rows
            return .success(rows)   // referrals, not children: each counts
        case .startedLookedAfter:
            rows = try await children("""
                SELECT c.la_child_id AS ref, c.person_id FROM care_episodes e JOIN looked_after_children c ON c.id = e.child_id \
                WHERE e.reason_new = 'S' AND e.start_date >= \(bind: s) AND e.start_date <= \(bind: d)
                """)
        case .missingEpisodes:
            rows = try await children("""
                SELECT c.la_child_id AS ref, c.person_id FROM missing_episodes m JOIN looked_after_children c ON c.id = m.child_id \
                WHERE m.start_date >= \(bind: s) AND m.start_date <= \(bind: d)
                """)
        case .onTheList:
            rows = try await children("""
                SELECT '' AS ref, l.person_id FROM list_entries l WHERE l.status = 'agreed' AND l.agreed_on <= \(bind: d)
                """)
        case .listedNotSeen:
            let listed = try await members(.onTheList).get()
            let seen = Set(try await sql.raw("""
                SELECT DISTINCT person_id FROM contacts WHERE counts_as_seen = \(bind: true) AND occurred_on >= \(bind: s) AND occurred_on <= \(bind: d)
                """).all().map { try $0.decode(column: "person_id", as: UUID.self) })
            rows = listed.filter { !($0.personID.map(seen.contains) ?? false) }
        case .encompassNotices:
            rows = try await children("""
                SELECT n.child_name || ' ' || COALESCE(n.child_date_of_birth, '') AS ref, n.person_id FROM encompass_notices n \
                JOIN police_incidents i ON i.id = n.incident_id WHERE i.occurred_on >= \(bind: s) AND i.occurred_on <= \(bind: d)
                """)
        }
        memo[measure] = rows
        return .success(rows)
    }

    /// Rows of (ref, person_id), one per child, in a stable order.
    private func children(_ query: SQLQueryString) async throws -> [ReturnMember] {
        var byKey: [String: ReturnMember] = [:]
        for row in try await sql.raw(query).all() {
            let member = ReturnMember(personID: try row.decode(column: "person_id", as: UUID?.self), reference: try row.decode(column: "ref", as: String.self))
            if let existing = byKey[member.key], existing.reference <= member.reference { continue }
            byKey[member.key] = member
        }
        return byKey.values.sorted { ($0.reference, $0.key) < ($1.reference, $1.key) }
    }

    private mutating func seenBySocialWorkerInPeriod() async throws -> Set<UUID> {
        if let seenBySocialWorker { return seenBySocialWorker }
        let rows = try await sql.raw("""
            SELECT c.person_id FROM contacts c JOIN agencies a ON a.id = c.agency_id \
            WHERE a.kind = \(bind: AgencyKind.laChildrensSocialCare.rawValue) AND c.counts_as_seen = \(bind: true) \
            AND c.occurred_on >= \(bind: s) AND c.occurred_on <= \(bind: d) \
            UNION SELECT person_id FROM placement_visits WHERE visit_date >= \(bind: s) AND visit_date <= \(bind: d)
            """).all()
        let seen = Set(try rows.map { try $0.decode(column: "person_id", as: UUID.self) })
        seenBySocialWorker = seen
        return seen
    }

    /// Why the data held cannot answer `measure`, if it cannot: a figure of 0 would be a false
    /// answer when the feed behind it was never imported or does not reach back far enough.
    private func gap(_ measure: ReturnMeasure) async throws -> ReturnError? {
        func earliest(_ column: String, _ table: String) async throws -> CivilDate?? {
            let row = try await sql.raw("SELECT MIN(\(ident: column)) AS first FROM \(ident: table)").first()
            guard let first = try row?.decode(column: "first", as: String?.self) else { return .some(nil) }
            return .some(CivilDate(first))
        }
        switch measure {
        case .referrals, .referralsLastYear:
            guard case .some(let first?) = try await earliest("referral_date", "front_door_referrals") else {
                return ReturnError(message: "not known: no front-door referrals feed has been imported")
            }
            let from = measure == .referrals ? periodStart : periodStart.adding(years: -1)
            if first > from {
                return ReturnError(message: "not known: the front-door referrals held begin on \(first.ukFormatted), after the period's first day (\(from.ukFormatted))")
            }
        case .lookedAfter, .placedOutOfArea, .startedLookedAfter, .missingEpisodes, .lookedAfterSeen:
            guard case .some(.some) = try await earliest("start_date", "care_episodes") else {
                return ReturnError(message: "not known: no SSDA903 return has been imported")
            }
        case .protectionPlan, .otherInNeed, .protectionPlanSeen, .otherInNeedSeen:
            guard case .some(.some) = try await earliest("referral_date", "referrals") else {
                return ReturnError(message: "not known: no CIN census has been imported")
            }
        case .onTheList, .listedNotSeen, .encompassNotices:
            break
        }
        return nil
    }

    /// The template's lines worked out; hand-filled fields as `entered` gives them.
    mutating func compute(_ template: ReturnTemplate, entered: [String: String] = [:]) async throws -> ComputedReturn {
        var figures: [ReturnFigure] = []
        for line in template.lines {
            var figure = ReturnFigure(key: line.key, label: line.label, measure: line.measure, manual: line.manual,
                                      value: nil, of: nil, entered: nil, flagged: false, note: nil)
            if let measure = line.measure {
                switch try await members(measure) {
                case .success(let rows):
                    figure.value = rows.count
                    if let group = measure.shareOf, case .success(let all) = try await members(group) { figure.of = all.count }
                case .failure(let gap):
                    figure.note = gap.message
                }
            } else if let kind = line.manual {
                let typed = entered[line.key]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                figure.entered = typed.isEmpty ? nil : typed
                if let limit = line.flagAbove, kind == .percent, let p = Double(typed), p > limit { figure.flagged = true }
            }
            figures.append(figure)
        }
        return ComputedReturn(template: template, asOf: asOf, periodStart: periodStart, figures: figures)
    }
}

/// The partnership's returns (issue 8): a template's figures worked out from the data, the fields
/// only people know filled in, reviewed, signed off by a named person, exported and kept as a
/// dated submission. The figures are counts; only children's social care (who see every child)
/// may open a figure to the children behind it, and each such look is audited.
public struct Returns: ThroughDirectory {
    public let directory: ChildDirectory

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    /// The templates in force: the built-in ones with the partnership's own (setting `return-templates`).
    public static func templates(on db: any Database) async throws -> [ReturnTemplate] {
        ReturnTemplate.merged(try await PartnershipSettings.returnTemplateOverrides(on: db))
    }

    public static func template(_ key: String, on db: any Database) async throws -> ReturnTemplate? {
        try await templates(on: db).first { $0.key == key }
    }

    /// Works a return out on `db` with no viewer: for the command line (an operator with the
    /// database's credentials, like `eyeson import`); audited under `actor`.
    public static func compute(_ template: ReturnTemplate, asOf: CivilDate, on db: any Database, actor: String) async throws -> ComputedReturn {
        var calculator = ReturnCalculator(sql: db as! any SQLDatabase, asOf: asOf, periodDays: template.periodDays)
        let computed = try await calculator.compute(template)
        try await AuditLog.record(.returnComputed, on: db, actor: actor, detail: "\(template.key) as of \(asOf)")
        return computed
    }

    private func requireMayWork() throws {
        guard AccessPolicy.mayWorkOnReturns(viewer) else { throw ChildAccessDenied() }
    }

    /// The return worked out as of `asOf`, with the hand-filled fields as given (not kept; see `prepare`).
    public func compute(_ template: ReturnTemplate, asOf: CivilDate, entered: [String: String] = [:]) async throws -> ComputedReturn {
        try requireMayWork()
        var calculator = ReturnCalculator(sql: sql, asOf: asOf, periodDays: template.periodDays)
        return try await calculator.compute(template, entered: entered)
    }

    /// Works the return out and keeps it as a draft for review; the hand-filled fields are checked
    /// first and nothing is kept when one is wrong (the error names the field). Audited.
    public func prepare(_ template: ReturnTemplate, asOf: CivilDate, entered: [String: String], clientAddress: String? = nil) async throws -> UUID {
        try requireMayWork()
        guard asOf <= directory.today else { throw ReturnError(message: "the as-of date \(asOf) is after today") }
        for line in template.lines {
            if let kind = line.manual, let value = entered[line.key], let problem = kind.problem(with: value) {
                throw ReturnError(message: "\(line.label): \(problem)")
            }
        }
        let computed = try await compute(template, asOf: asOf, entered: entered)
        let id = UUID()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let templateJSON = String(decoding: try encoder.encode(template), as: UTF8.self)
        let figuresJSON = String(decoding: try encoder.encode(computed.figures), as: UTF8.self)
        let preparer = viewer.displayName + " (" + viewer.email + ")"
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.insert(into: "return_submissions")
                .columns("id", "template_key", "title", "as_of", "period_start", "template", "figures", "state", "prepared_by", "prepared_at")
                .values(SQLBind(id), SQLBind(template.key), SQLBind(template.title), SQLBind(asOf.description), SQLBind(computed.periodStart.description),
                        SQLBind(templateJSON), SQLBind(figuresJSON), SQLBind(ReturnSubmission.State.draft.rawValue), SQLBind(preparer), SQLBind(Date()))
                .run()
            try await AuditLog.record(.returnPrepared, on: tx, userID: viewer.userID, actor: viewer.email,
                                      detail: "\(template.key) as of \(asOf): \(id)", clientAddress: clientAddress)
        }
        return id
    }

    /// Signs off a draft in the viewer's name: from then on it is never changed. Audited.
    public func signOff(_ id: UUID, clientAddress: String? = nil) async throws {
        try requireMayWork()
        let signer = viewer.displayName + " (" + viewer.email + ")"
        let viewer = self.viewer
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            guard let row = try await sql.raw("SELECT state FROM return_submissions WHERE id = \(bind: id)").first() else {
                throw ReturnError(message: "there is no such return")
            }
            guard try row.decode(column: "state", as: String.self) == ReturnSubmission.State.draft.rawValue else {
                throw ReturnError(message: "this return is already signed off")
            }
            try await sql.update("return_submissions").set("state", to: ReturnSubmission.State.signedOff.rawValue)
                .set("signed_by", to: signer).set("signed_at", to: Date()).where("id", .equal, id).run()
            try await AuditLog.record(.returnSignedOff, on: tx, userID: viewer.userID, actor: viewer.email, detail: "\(id)", clientAddress: clientAddress)
        }
    }

    /// The kept returns, newest as-of date first.
    public func submissions(limit: Int = 100) async throws -> [ReturnSubmission] {
        try requireMayWork()
        return try await sql.raw("SELECT * FROM return_submissions ORDER BY as_of DESC, prepared_at DESC LIMIT \(unsafeRaw: String(limit))").all().map(Self.submission)
    }

    public func submission(_ id: UUID) async throws -> ReturnSubmission? {
        try requireMayWork()
        return try await sql.raw("SELECT * FROM return_submissions WHERE id = \(bind: id)").first().map(Self.submission)
    }

    static func submission(_ row: any SQLRow) throws -> ReturnSubmission {
        let template = try JSONDecoder().decode(ReturnTemplate.self, from: Data(try row.decode(column: "template", as: String.self).utf8))
        let figures = try JSONDecoder().decode([ReturnFigure].self, from: Data(try row.decode(column: "figures", as: String.self).utf8))
        guard let asOf = CivilDate(try row.decode(column: "as_of", as: String.self)),
              let start = CivilDate(try row.decode(column: "period_start", as: String.self)) else { throw ReturnError(message: "a kept return has a bad date") }
        return ReturnSubmission(
            id: try row.decode(column: "id", as: UUID.self),
            computed: ComputedReturn(template: template, asOf: asOf, periodStart: start, figures: figures),
            state: ReturnSubmission.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
            preparedBy: try row.decode(column: "prepared_by", as: String.self), preparedAt: try row.decode(column: "prepared_at", as: Date.self),
            signedBy: try row.decode(column: "signed_by", as: String?.self), signedAt: try row.decode(column: "signed_at", as: Date?.self))
    }

    /// Records that the viewer exported a signed-off return (only a signed-off one leaves EyesOn).
    public func recordExport(_ submission: ReturnSubmission, format: String, clientAddress: String?) async throws {
        try requireMayWork()
        guard submission.state == .signedOff else { throw ReturnError(message: "only a signed-off return can be exported; sign it off first") }
        try await directory.audit(.returnExported, detail: "\(submission.id) as \(format)", clientAddress: clientAddress)
    }

    /// The children (or referrals) behind one of a kept return's figures, as of its date, with
    /// their names: children's social care only (who see every child); audited.
    public func members(of submission: ReturnSubmission, line key: String, clientAddress: String? = nil) async throws -> [ReturnMember] {
        guard AccessPolicy.worksAcrossTheArea(viewer) else { throw ChildAccessDenied() }
        guard let measure = submission.computed.template.lines.first(where: { $0.key == key })?.measure else {
            throw ReturnError(message: "this line is not a figure EyesOn works out")
        }
        var calculator = ReturnCalculator(sql: sql, asOf: submission.computed.asOf, periodDays: submission.computed.template.periodDays)
        var rows = try await calculator.members(measure).get()
        let ids = rows.compactMap(\.personID)
        var people: [UUID: (String, CivilDate?)] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for row in try await sql.raw("SELECT id, given_name, family_name, date_of_birth FROM people WHERE id IN (\(bindList: chunk))").all() {
                people[try row.decode(column: "id", as: UUID.self)] = (
                    try row.decode(column: "given_name", as: String.self) + " " + row.decode(column: "family_name", as: String.self),
                    try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init))
            }
        }
        for i in rows.indices {
            if let id = rows[i].personID, let (name, dob) = people[id] { rows[i].name = name; rows[i].dateOfBirth = dob }
        }
        try await directory.audit(.returnListViewed, detail: "\(submission.computed.template.key) \(key) as of \(submission.computed.asOf): \(rows.count) listed",
                                  clientAddress: clientAddress)
        return rows
    }
}

/// A return as it leaves EyesOn: CSV (one line per figure) and JSON.
public enum ReturnExport {
    /// A CSV field: quoted, and a leading formula character neutralised (a spreadsheet would run
    /// it). Every CSV EyesOn writes for people to open goes through here.
    public static func field(_ s: String) -> String {
        var t = s
        if let first = t.first, "=+-@\t\r".contains(first) { t = "'" + t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func csv(_ r: ComputedReturn, signedBy: String?, signedAt: Date?) -> String {
        var lines = ["return,as_of,period_start,line,label,value,of,percent,entered,flagged,note,signed_by,signed_at"]
        let stamp = signedAt.map { ISO8601DateFormatter().string(from: $0) } ?? ""
        for f in r.figures {
            lines.append([r.template.key, r.asOf.description, r.periodStart.description, f.key].map(field).joined(separator: ",") + ","
                + [field(f.label), f.value.map(String.init) ?? "", f.of.map(String.init) ?? "", f.percent.map { String($0) } ?? "",
                   field(f.entered ?? ""), f.flagged ? "yes" : "no", field(f.note ?? ""), field(signedBy ?? ""), stamp].joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Attendance by group: one line per group and week, then the term's totals (week empty).
    public static func csv(_ r: AttendanceByGroup) -> String {
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f", $0 * 100) } ?? "" }
        var lines = ["as_of,term,group,week_beginning,pupils,sessions_possible,sessions_attended,attendance_percent,persistently_absent,persistent_absence_percent,note"]
        for line in r.lines {
            let head = "\(r.asOf),\(field(r.termName)),\(line.group.rawValue)"
            for w in line.weeks {
                lines.append("\(head),\(w.monday),\(w.pupils),\(w.possible),\(w.present),\(pct(w.rate)),\(w.persistentlyAbsent),\(pct(w.persistentShare)),")
            }
            lines.append("\(head),,\(line.pupils.map(String.init) ?? ""),\(line.possible),\(line.present),\(pct(line.rate)),\(line.persistentlyAbsent),\(pct(line.persistentShare)),\(field(line.note ?? ""))")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    public static func json(_ r: AttendanceByGroup) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try encoder.encode(r), as: UTF8.self)
    }

    public struct Document: Encodable {
        let template: String
        let title: String
        let asOf: String
        let periodStart: String
        let signedBy: String?
        let signedAt: Date?
        let figures: [ReturnFigure]
    }

    public static func json(_ r: ComputedReturn, signedBy: String?, signedAt: Date?) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(Document(template: r.template.key, title: r.template.title, asOf: r.asOf.description,
                                                            periodStart: r.periodStart.description, signedBy: signedBy, signedAt: signedAt,
                                                            figures: r.figures)), as: UTF8.self)
    }
}
