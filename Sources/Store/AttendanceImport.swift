import Foundation
import FluentKit
import SQLKit
import EyesOnCore
import Feeds
import FluentPostgresDriver

/// What an attendance import did.
public struct AttendanceImportReport: Sendable {
    public var runID: UUID?
    public var file: String
    public var rowsRead = 0
    public var newMarks = 0
    public var updatedMarks = 0
    public var unchangedMarks = 0
    public var duplicateRows = 0
    public var quarantined = 0
    /// The first problems, in file order (all of them are stored with the import).
    public var problems: [RowProblem] = []
    public var pupils = 0
    public var newPupils = 0
    public var pupilsMatched = 0
    public var pupilsUnmatched = 0
    public var tasksOpened = 0
    public var seconds = 0.0

    public var summaryLine: String {
        "attendance: \(rowsRead) rows read, \(newMarks) new marks, \(updatedMarks) updated, \(unchangedMarks) unchanged, "
            + "\(duplicateRows) duplicate rows, \(quarantined) quarantined; \(pupils) pupils (\(newPupils) new, "
            + "\(pupilsMatched) matched to a child, \(pupilsUnmatched) kept unmatched); \(tasksOpened) tasks opened; "
            + String(format: "%.2f s", seconds)
    }
}

/// Imports a school attendance file: every mark is checked (bad rows quarantined with their line
/// and column), a re-sent or overlapping file updates marks rather than duplicating them, pupils
/// are matched to children in the person index (by UPN, else by name and date of birth among the
/// school's pupils) or kept unmatched for later, each pupil's attendance figures are recomputed,
/// and listed children whose unexplained absences reach the eyes-on trigger get tasks. All in one
/// transaction: a file that stops part-way (or any failure) applies nothing.
public enum AttendanceImport {
    /// Rows gathered before they are written.
    static let batchRows = 8_000
    /// Rows per INSERT statement (4 columns each).
    static let marksPerStatement = 1_000
    /// Problems kept in the report (every problem is stored).
    public static let problemsInReport = 200

    public struct Options: Sendable {
        public var agencyID: UUID?
        /// A school uploading its own marks: rows for another URN refuse the file.
        public var onlyURN: Int?
        public var userID: UUID?
        public var actor: String?
        public var today: CivilDate

        public init(agencyID: UUID? = nil, onlyURN: Int? = nil, userID: UUID? = nil, actor: String? = nil, today: CivilDate = .today()) {
            self.agencyID = agencyID
            self.onlyURN = onlyURN
            self.userID = userID
            self.actor = actor
            self.today = today
        }
    }

    /// Imports the file at `path`, named `sourceName` in the import history.
    /// - Throws: ``FeedFileError`` when the file cannot be imported at all (a rejected import is
    ///   still recorded in the history, with the reason).
    public static func run(path: String, sourceName: String? = nil, on db: any Database, options: Options) async throws -> AttendanceImportReport {
        let started = Date()
        let name = sourceName ?? (path as NSString).lastPathComponent
        let calendar = try? await CalendarStore.schoolCalendar(on: db)
        let bankHolidays = try await CalendarStore.bankHolidays(on: db)
        let policy = try await PartnershipSettings.eyesOnPolicy(on: db)
        do {
            let reader = try AttendanceFeedReader(path: path, onlyURN: options.onlyURN, latestDate: options.today)
            // The file is read on a thread of its own while this task writes the previous batch.
            let items = BackgroundBatches(batchSize: 2_048) { () throws(FeedFileError) in try reader.next() }
            defer { items.cancel() }
            var report = try await db.transaction { tx in
                var writer = try await Writer(db: tx, calendar: calendar, workingDays: WorkingDayCalendar(bankHolidays: bankHolidays),
                                              policy: policy, options: options, file: name, started: started)
                var batch: [AttendanceRow] = []
                batch.reserveCapacity(batchRows + 2_048)
                while let chunk = try await items.nextBatch() {
                    for item in chunk {
                        switch item {
                        case .row(let row): batch.append(row)
                        case .problem(let problem): try await writer.quarantine(problem)
                        }
                    }
                    if batch.count >= batchRows {
                        try await writer.write(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                try await writer.write(batch)
                try await writer.finishProblems()
                writer.report.rowsRead = reader.rowsRead
                writer.report.seconds = Date().timeIntervalSince(started)
                try await writer.finish()
                return writer.report
            }
            report.seconds = Date().timeIntervalSince(started)
            return report
        } catch let error as FeedFileError {
            // Nothing was applied; the history says so.
            let run = ImportRun(agencyID: options.agencyID, kind: "attendance", sourceName: name, status: "rejected",
                                accepted: 0, updated: 0, quarantined: 0, startedAt: started, finishedAt: Date())
            try await run.create(on: db)
            try await (db as! any SQLDatabase).insert(into: "import_problems")
                .columns("id", "import_run_id", "line", "field", "value", "reason")
                .values(SQLBind(UUID()), SQLBind(run.id!), SQLBind(error.line ?? 0), SQLBind(error.field ?? "file"), SQLBind(""), SQLBind(error.message))
                .run()
            try await AuditLog.record(.attendanceImported, on: db, userID: options.userID, actor: options.actor,
                                      detail: "rejected \(name): \(error.description)")
            throw error
        }
    }

    /// An import's quarantined rows (line, column, value, reason), in file order.
    public static func problems(runID: UUID, on db: any Database, limit: Int = 10_000) async throws -> [(Int, String, String, String)] {
        try await (db as! any SQLDatabase).raw("""
            SELECT line, field, value, reason FROM import_problems WHERE import_run_id = \(bind: runID) ORDER BY line LIMIT \(unsafeRaw: String(limit))
            """).all().map { (try $0.decode(column: "line", as: Int.self), try $0.decode(column: "field", as: String.self),
                              try $0.decode(column: "value", as: String.self), try $0.decode(column: "reason", as: String.self)) }
    }

    /// The work of one import, inside its transaction.
    struct Writer {
        let db: any Database
        let sql: any SQLDatabase
        let calendar: SchoolCalendar?
        let workingDays: WorkingDayCalendar
        let policy: EyesOnPolicy
        let options: Options
        let runID: UUID
        var report: AttendanceImportReport
        var nextNumber: Int64
        var pendingProblems: [RowProblem] = []
        let now = Date()
        /// Pupils already seen in this file (a pupil may span batches), by school and UPN.
        var seen: Set<PupilKey> = []
        /// Pupils counted as matched or unmatched (once each, at their first batch's outcome… or
        /// moved to matched when a later batch matches them).
        var matchedPupils: Set<PupilKey> = []
        /// The children those pupil records belong to (their list entries' last days seen are refreshed).
        var matchedPeople: Set<UUID> = []
        /// The school days (URN and day number) the file has marks for, with at least one pupil
        /// expected in: a pupil missing from later school days has left the school's marks.
        var schoolDays: Set<SchoolDay> = []
        struct SchoolDay: Hashable { let urn: Int; let day: Int }

        struct PupilKey: Hashable { let urn: Int; let upn: String }
        struct Pupil {
            let number: Int64
            let id: UUID
            var personID: UUID?
            let isNew: Bool
            var lastPresent: (CivilDate, Session)?
        }

        init(db: any Database, calendar: SchoolCalendar?, workingDays: WorkingDayCalendar, policy: EyesOnPolicy,
             options: Options, file: String, started: Date) async throws {
            self.db = db
            self.sql = db as! any SQLDatabase
            self.calendar = calendar
            self.workingDays = workingDays
            self.policy = policy
            self.options = options
            self.report = AttendanceImportReport(file: file)
            if sql.dialect.name == "postgresql" {
                // One attendance import at a time: pupil numbers are handed out below.
                try await sql.raw("LOCK TABLE attendance_pupils IN EXCLUSIVE MODE").run()
            }
            let max = try await sql.raw("SELECT MAX(number) AS n FROM attendance_pupils").first()?.decode(column: "n", as: Int64?.self)
            nextNumber = (max ?? 0) + 1
            let run = ImportRun(agencyID: options.agencyID, kind: "attendance", sourceName: file, status: "running",
                                accepted: 0, updated: 0, quarantined: 0, startedAt: started, finishedAt: nil)
            try await run.create(on: db)
            runID = run.id!
            report.runID = runID
        }

        mutating func quarantine(_ problem: RowProblem) async throws {
            report.quarantined += 1
            if report.problems.count < AttendanceImport.problemsInReport { report.problems.append(problem) }
            pendingProblems.append(problem)
            if pendingProblems.count >= 500 { try await finishProblems() }
        }

        mutating func finishProblems() async throws {
            guard !pendingProblems.isEmpty else { return }
            var builder = sql.insert(into: "import_problems").columns("id", "import_run_id", "line", "field", "value", "reason")
            for p in pendingProblems {
                builder = builder.values(SQLBind(UUID()), SQLBind(runID), SQLBind(p.line), SQLBind(p.field), SQLBind(p.value), SQLBind(p.reason))
            }
            try await builder.run()
            pendingProblems.removeAll(keepingCapacity: true)
        }

        /// Writes one batch of good rows.
        mutating func write(_ rows: [AttendanceRow]) async throws {
            guard !rows.isEmpty else { return }
            // The batch's marks per pupil; a repeated date and session keeps the last row.
            var order: [PupilKey] = []
            var marksByPupil: [PupilKey: [Int: SessionMark]] = [:]
            var firstRow: [PupilKey: AttendanceRow] = [:]
            for row in rows {
                let key = PupilKey(urn: row.urn, upn: row.upn)
                let slot = row.mark.date.daysSince1970 * 2 + (row.mark.session == .am ? 0 : 1)
                if marksByPupil[key] == nil { order.append(key); firstRow[key] = row; marksByPupil[key] = [:] }
                if marksByPupil[key]![slot] != nil { report.duplicateRows += 1 }
                marksByPupil[key]![slot] = row.mark
                if row.mark.countsAsPossible { schoolDays.insert(SchoolDay(urn: row.urn, day: row.mark.date.daysSince1970)) }
            }

            // Pupils already known.
            var pupils: [PupilKey: Pupil] = [:]
            let upns = Array(Set(order.map(\.upn)))
            for chunk in upns.chunked(900) {
                let rows = try await sql.raw("""
                    SELECT number, id, school_urn, upn, person_id, last_present_date, last_present_session FROM attendance_pupils \
                    WHERE \(sql.isIn("upn", chunk))
                    """).all()
                for row in rows {
                    let key = PupilKey(urn: try row.decode(column: "school_urn", as: Int.self), upn: try row.decode(column: "upn", as: String.self))
                    guard marksByPupil[key] != nil else { continue }
                    let lastDate = try row.decode(column: "last_present_date", as: String?.self).flatMap(CivilDate.init)
                    let lastSession = try row.decode(column: "last_present_session", as: String?.self).flatMap(Session.init(text:))
                    pupils[key] = Pupil(number: try row.decode(column: "number", as: Int64.self), id: try row.decode(column: "id", as: UUID.self),
                                        personID: try row.decode(column: "person_id", as: UUID?.self), isNew: false,
                                        lastPresent: lastDate.map { ($0, lastSession ?? .pm) })
                }
            }
            for key in order where pupils[key] == nil {
                pupils[key] = Pupil(number: nextNumber, id: UUID(), personID: nil, isNew: true, lastPresent: nil)
                nextNumber += 1
            }
            for key in order where !seen.contains(key) {
                seen.insert(key)
                report.pupils += 1
                if pupils[key]!.isNew { report.newPupils += 1 }
            }

            // Match pupils without a child: by UPN in the person index, then by name and date of
            // birth among the school's pupils.
            let unmatched = order.filter { pupils[$0]!.personID == nil }
            if !unmatched.isEmpty {
                var byUPN: [String: UUID] = [:]
                for chunk in Array(Set(unmatched.map(\.upn))).chunked(900) {
                    for row in try await sql.raw("SELECT person_id, value FROM person_identifiers WHERE kind = 'upn' AND \(sql.isIn("value", chunk))").all() {
                        byUPN[try row.decode(column: "value", as: String.self)] = try row.decode(column: "person_id", as: UUID.self)
                    }
                }
                var stillUnmatched: [PupilKey] = []
                for key in unmatched {
                    if let person = byUPN[key.upn] { pupils[key]!.personID = person } else { stillUnmatched.append(key) }
                }
                for (urn, keys) in Dictionary(grouping: stillUnmatched, by: \.urn) {
                    let dobs = Array(Set(keys.compactMap { firstRow[$0]?.dateOfBirth?.description }))
                    guard !dobs.isEmpty else { continue }
                    var candidates: [String: [(UUID, String, String)]] = [:]
                    for chunk in dobs.chunked(900) {
                        for row in try await sql.raw("""
                            SELECT p.id, p.given_name, p.family_name, p.date_of_birth FROM school_enrolments e \
                            JOIN agencies a ON a.id = e.agency_id JOIN people p ON p.id = e.person_id \
                            WHERE a.urn = \(bind: urn) AND p.date_of_birth IN (\(bindList: chunk))
                            """).all() {
                            candidates[try row.decode(column: "date_of_birth", as: String.self), default: []].append(
                                (try row.decode(column: "id", as: UUID.self), try row.decode(column: "given_name", as: String.self).lowercased(),
                                 try row.decode(column: "family_name", as: String.self).lowercased()))
                        }
                    }
                    for key in keys {
                        guard let row = firstRow[key], let dob = row.dateOfBirth?.description else { continue }
                        let hits = (candidates[dob] ?? []).filter { $0.2 == row.surname.lowercased() && $0.1 == row.forename.lowercased() }
                        if hits.count == 1 { pupils[key]!.personID = hits[0].0 }
                    }
                }
            }

            // Marks already held for these pupils, over the window the figures need.
            let batchFirst = rows.map(\.mark.date).min()!
            let batchLast = rows.map(\.mark.date).max()!
            var windowStart = min(batchFirst, batchLast.adding(days: -(AttendanceSummary.recentDays - 1)))
            if let term = calendar?.term(containing: batchLast) { windowStart = min(windowStart, term.start) }
            var held: [Int64: [Int: SessionMark]] = [:]
            let existingNumbers = order.compactMap { pupils[$0]!.isNew ? nil : pupils[$0]!.number }
            for chunk in existingNumbers.chunked(900) {
                for row in try await sql.raw("""
                    SELECT pupil, date, session, code FROM attendance_marks WHERE pupil IN (\(bindList: chunk)) AND date >= \(bind: windowStart.description)
                    """).all() {
                    guard let date = CivilDate(try row.decode(column: "date", as: String.self)),
                          let session = Session(text: try row.decode(column: "session", as: String.self)),
                          let code = try? AttendanceCode.lookup(try row.decode(column: "code", as: String.self), on: date) else { continue }
                    held[try row.decode(column: "pupil", as: Int64.self), default: [:]][date.daysSince1970 * 2 + (session == .am ? 0 : 1)] =
                        SessionMark(date: date, session: session, code: code)
                }
            }

            // New and changed marks.
            var markRows: [(Int64, SessionMark)] = []
            var changedRows: [(Int64, SessionMark)] = []
            var merged: [[SessionMark]] = []
            merged.reserveCapacity(order.count)
            for key in order {
                let pupil = pupils[key]!
                var all = held[pupil.number] ?? [:]
                // In key order, so the database appends rather than jumps about.
                for (slot, mark) in marksByPupil[key]!.sorted(by: { $0.key < $1.key }) {
                    if let old = all[slot] {
                        if old.sameCode(as: mark) { report.unchangedMarks += 1; continue }
                        report.updatedMarks += 1
                        changedRows.append((pupil.number, mark))
                    } else {
                        report.newMarks += 1
                        markRows.append((pupil.number, mark))
                    }
                    all[slot] = mark
                }
                merged.append(all.values.filter { $0.date >= windowStart })
            }
            // The marks go to the database while each pupil's figures are worked out here (the
            // marks table has no reference to the pupils', so the order does not matter).
            // New marks cannot collide with held ones (every held mark from the batch's first date
            // on was read above, and imports take turns), so they are plainly inserted — by COPY
            // on PostgreSQL; corrections replace the held code.
            let (newRows, corrections, db) = (markRows, changedRows, self.db)
            let inserting = Task {
                try await MarkWriter.insert(newRows, on: db)
                try await MarkWriter.correct(corrections, on: db)
            }
            var summaries: [(PupilKey, Pupil, AttendanceSummary)] = []
            summaries.reserveCapacity(order.count)
            for (k, key) in order.enumerated() {
                let pupil = pupils[key]!
                summaries.append((key, pupil, AttendanceSummary.compute(merged[k], presentBefore: pupil.lastPresent, calendar: calendar)))
            }
            try await inserting.value
            try await upsertPupils(summaries, firstRow: firstRow)
            try await raiseTasks(summaries)
        }

        static let pupilColumns = ["id", "number", "school_urn", "upn", "forename", "surname", "date_of_birth", "person_id", "latest_date",
                                   "last_present_date", "last_present_session", "consecutive_absent", "consecutive_unexplained", "unexplained_term",
                                   "term_name", "term_possible", "term_present", "recent_possible", "recent_present", "not_back", "updated_at"]

        /// Each pupil record with its new figures: inserted when new, updated when held.
        mutating func upsertPupils(_ summaries: [(PupilKey, Pupil, AttendanceSummary)], firstRow: [PupilKey: AttendanceRow]) async throws {
            for (key, pupil, _) in summaries {
                guard let person = pupil.personID else { continue }
                matchedPupils.insert(key)
                matchedPeople.insert(person)
            }
            let columns = Self.pupilColumns
            var summaries = summaries
            if let postgres = db as? any PostgresDatabase {
                // New pupils (a first import holds only new ones) go in by COPY; held ones are updated below.
                let iso = ISO8601DateFormatter()
                iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                let stamp = iso.string(from: now)
                let fresh = summaries.filter { $0.1.isNew }.map { (key, pupil, s) -> [String?] in
                    let row = firstRow[key]!
                    return [pupil.id.uuidString, String(pupil.number), String(key.urn), key.upn, row.forename, row.surname, row.dateOfBirth?.description,
                            pupil.personID?.uuidString, s.latestDate?.description, s.lastPresentDate?.description, s.lastPresentSession?.rawValue,
                            String(s.consecutiveAbsent), String(s.consecutiveUnexplained), String(s.unexplainedThisTerm), s.termName,
                            String(s.termPossible), String(s.termPresent), String(s.recentPossible), String(s.recentPresent),
                            s.notBackAfterHoliday ? "t" : "f", stamp]
                }
                try await MarkWriter.copy(fresh, into: "attendance_pupils", columns: columns, on: postgres, logger: db.logger)
                summaries.removeAll { $0.1.isNew }
            }
            let updated = columns.filter { !["id", "number", "school_urn", "upn"].contains($0) }
            // 21 values a row. 200 rows a statement measured faster on PostgreSQL than 1,000
            // (6.9–7.3 s against 7.7–8.1 s for the 1M-mark bench) and well inside both engines'
            // limit on parameters.
            for chunk in summaries.chunked(200) {
                var builder = sql.insert(into: "attendance_pupils").columns(columns)
                for (key, pupil, s) in chunk {
                    let row = firstRow[key]!
                    let values: [any Encodable & Sendable] = [
                        pupil.id, pupil.number, key.urn, key.upn, row.forename, row.surname, row.dateOfBirth?.description, pupil.personID,
                        s.latestDate?.description, s.lastPresentDate?.description, s.lastPresentSession?.rawValue, s.consecutiveAbsent,
                        s.consecutiveUnexplained, s.unexplainedThisTerm, s.termName, s.termPossible, s.termPresent, s.recentPossible,
                        s.recentPresent, s.notBackAfterHoliday, now,
                    ]
                    builder = builder.values(values.map { SQLBind($0) as any SQLExpression })
                }
                try await builder.onConflict(with: ["school_urn", "upn"]) { update in
                    var u = update
                    for column in updated { u = u.set(excludedValueOf: column) }
                    return u
                }.run()
            }
        }

        /// Listed children whose run of unexplained absences reached their risk level's trigger:
        /// a task for the lead agency and one for the school, due the next working day, unless
        /// one is already open.
        mutating func raiseTasks(_ summaries: [(PupilKey, Pupil, AttendanceSummary)]) async throws {
            let triggered = summaries.filter { $0.2.consecutiveUnexplained > 0 && $0.1.personID != nil }
            guard !triggered.isEmpty else { return }
            let persons = Array(Set(triggered.compactMap(\.1.personID)))
            var entries: [UUID: (UUID, RiskLevel, UUID)] = [:]
            for chunk in persons.chunked(900) {
                for row in try await sql.raw("""
                    SELECT id, person_id, risk, lead_agency_id FROM list_entries WHERE status = 'agreed' AND person_id IN (\(bindList: chunk))
                    """).all() {
                    entries[try row.decode(column: "person_id", as: UUID.self)] = (
                        try row.decode(column: "id", as: UUID.self), RiskLevel(rawValue: try row.decode(column: "risk", as: String.self)) ?? .red,
                        try row.decode(column: "lead_agency_id", as: UUID.self))
                }
            }
            guard !entries.isEmpty else { return }
            var schoolAgency: [Int: UUID] = [:]
            for (key, pupil, summary) in triggered {
                guard let person = pupil.personID, let (entryID, risk, leadAgency) = entries[person],
                      summary.consecutiveUnexplained >= policy.trigger(risk), let latest = summary.latestDate else { continue }
                let open = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM tasks WHERE person_id = \(bind: person) AND kind = 'attendance' AND state IN ('open', 'escalated')
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                guard open == 0 else { continue }
                if schoolAgency[key.urn] == nil {
                    schoolAgency[key.urn] = try await sql.raw("SELECT id FROM agencies WHERE urn = \(bind: key.urn)").first()?.decode(column: "id", as: UUID.self)
                }
                let due = (try? workingDays.nextWorkingDay(after: max(latest, options.today))) ?? options.today.adding(days: 1)
                let reason = "\(summary.consecutiveUnexplained) unexplained absent sessions in a row up to \(latest) (\(risk.title) risk: the trigger is \(policy.trigger(risk)))"
                var owners = [leadAgency]
                if let school = schoolAgency[key.urn], school != leadAgency { owners.append(school) }
                for owner in owners {
                    try await Tasks.open(on: db, personID: person, entryID: entryID, kind: "attendance", reason: reason, ownerAgencyID: owner, due: due, at: now)
                    report.tasksOpened += 1
                }
            }
        }

        mutating func finish() async throws {
            report.pupilsMatched = matchedPupils.count
            report.pupilsUnmatched = report.pupils - matchedPupils.count
            // The board reads each listed child's last day present from the list entry.
            try await EyesOnSeen.refresh(on: sql, people: matchedPeople)
            for chunk in schoolDays.sorted(by: { ($0.urn, $0.day) < ($1.urn, $1.day) }).chunked(500) {
                var builder = sql.insert(into: "attendance_school_days").columns("school_urn", "date")
                for d in chunk { builder = builder.values(SQLBind(d.urn), SQLBind(CivilDate(daysSince1970: d.day).description)) }
                try await builder.ignoringConflicts(with: ["school_urn", "date"]).run()
            }
            try await sql.update(ImportRun.schema).set("status", to: "completed").set("records_accepted", to: report.newMarks)
                .set("records_updated", to: report.updatedMarks).set("records_quarantined", to: report.quarantined)
                .set("finished_at", to: Date()).where("id", .equal, runID).run()
            try await AuditLog.record(.attendanceImported, on: db, userID: options.userID, actor: options.actor,
                                      detail: "\(report.file): \(report.newMarks) new marks, \(report.updatedMarks) updated, \(report.quarantined) quarantined, \(report.pupils) pupils, \(report.tasksOpened) tasks opened")
        }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension SQLDatabase {
    /// `column IN (?, ?, …)`; on PostgreSQL `column = ANY(?)` with one array parameter, which
    /// parses and plans faster than hundreds of parameters.
    func isIn(_ column: String, _ values: some Collection<String>) -> SQLQueryString {
        dialect.name == "postgresql" ? "\(ident: column) = ANY(\(bind: Array(values)))" : "\(ident: column) IN (\(bindList: values))"
    }
}

extension SQLQueryString {
    /// Appends `?, ?, …` binding each value.
    mutating func appendInterpolation<S: Sequence>(bindList values: S) where S.Element: Encodable & Sendable {
        var first = true
        for value in values {
            if !first { appendLiteral(", ") }
            appendInterpolation(bind: value)
            first = false
        }
    }
}
