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
    public static let problemsInReport = ImportRecorder.problemsInReport

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
            // The file is read, checked and grouped by pupil on a thread of its own while this
            // task writes the previous batch.
            let batches = BackgroundBatches(batchSize: 1, maxQueued: 4) { () throws(FeedFileError) in try Batch.read(reader, rows: batchRows) }
            defer { batches.cancel() }
            var report = try await db.writeTransaction { tx in
                var writer = try await Writer(db: tx, calendar: calendar, workingDays: WorkingDayCalendar(bankHolidays: bankHolidays),
                                              policy: policy, options: options, file: name, started: started)
                while let next = try await batches.nextBatch() {
                    for batch in next {
                        for problem in batch.problems { try await writer.recorder.quarantine(problem) }
                        try await writer.write(batch)
                    }
                }
                writer.report.rowsRead = reader.rowsRead
                writer.report.seconds = Date().timeIntervalSince(started)
                try await writer.finish()
                return writer.report
            }
            report.seconds = Date().timeIntervalSince(started)
            return report
        } catch let error as FeedFileError {
            // Nothing was applied; the history says so.
            try await ImportRecorder.rejected(kind: "attendance", file: name, agencyID: options.agencyID, started: started, error: error,
                                              audit: .attendanceImported, userID: options.userID, actor: options.actor, on: db)
            throw error
        }
    }

    struct PupilKey: Hashable { let urn: Int; let upn: String }
    struct SchoolDay: Hashable { let urn: Int; let day: Int }

    /// About `rows` rows of a file, read and grouped by pupil (on the reading thread).
    struct Batch: Sendable {
        /// Pupils in the order of their first row.
        var order: [PupilKey] = []
        /// Each pupil's marks by slot (day × 2 + session), in slot order; a repeated date and
        /// session keeps the last row.
        var marks: [PupilKey: [(slot: Int, mark: SessionMark)]] = [:]
        var firstRow: [PupilKey: AttendanceRow] = [:]
        var duplicateRows = 0
        /// The school days with marks that count as possible sessions.
        var schoolDays: Set<SchoolDay> = []
        var problems: [RowProblem] = []
        var firstDate: CivilDate?
        var lastDate: CivilDate?

        /// The next batch; nil at the end of the file.
        static func read(_ reader: AttendanceFeedReader, rows: Int) throws(FeedFileError) -> Batch? {
            var batch = Batch()
            var slots: [PupilKey: [Int: SessionMark]] = [:]
            var count = 0
            var last: PupilKey?
            var lastSlots: [Int: SessionMark] = [:]
            // A file holds each pupil's rows together: the current pupil's marks are kept aside
            // and filed once, when the next pupil starts.
            func file() {
                guard let key = last else { return }
                slots[key, default: [:]].merge(lastSlots) { _, new in new }
                lastSlots.removeAll(keepingCapacity: true)
            }
            while count < rows, let item = try reader.next() {
                switch item {
                case .problem(let problem):
                    batch.problems.append(problem)
                case .row(let row):
                    count += 1
                    let key = PupilKey(urn: row.urn, upn: row.upn)
                    if key != last {
                        file()
                        last = key
                        if batch.firstRow[key] == nil { batch.order.append(key); batch.firstRow[key] = row }
                        else if let held = slots[key] { lastSlots = held; slots[key] = nil }
                    }
                    let slot = row.mark.date.daysSince1970 * 2 + (row.mark.session == .am ? 0 : 1)
                    if lastSlots.updateValue(row.mark, forKey: slot) != nil { batch.duplicateRows += 1 }
                    if row.mark.countsAsPossible { batch.schoolDays.insert(SchoolDay(urn: row.urn, day: row.mark.date.daysSince1970)) }
                    if batch.firstDate.map({ row.mark.date < $0 }) ?? true { batch.firstDate = row.mark.date }
                    if batch.lastDate.map({ row.mark.date > $0 }) ?? true { batch.lastDate = row.mark.date }
                }
            }
            file()
            guard count > 0 || !batch.problems.isEmpty else { return nil }
            for (key, marks) in slots {
                batch.marks[key] = marks.sorted { $0.key < $1.key }.map { (slot: $0.key, mark: $0.value) }
            }
            return batch
        }
    }

    /// The work of one import, inside its transaction.
    struct Writer {
        let db: any Database
        let sql: any SQLDatabase
        let calendar: SchoolCalendar?
        let workingDays: WorkingDayCalendar
        let policy: EyesOnPolicy
        let options: Options
        var recorder: ImportRecorder
        var report: AttendanceImportReport
        var nextNumber: Int64
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
        /// Pupils this import has written or read, as they now stand: a pupil spanning batches
        /// is not looked up again (a lookup of a table this transaction is filling is planned as
        /// a scan of it, batch after batch).
        var known: [PupilKey: Pupil] = [:]
        /// No pupil records before this import (a first import): a pupil not in `known` is new.
        var startedEmpty = false
        /// PostgreSQL: new pupils' rows not yet COPYed, by key (a later batch of the same pupil
        /// replaces its row), sent `pupilsPerCopy` at a time and before anything reads them.
        var pendingPupils: [PupilKey: [String?]] = [:]
        static let pupilsPerCopy = 10_000

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
            startedEmpty = max == nil
            recorder = try await ImportRecorder.start(kind: "attendance", file: file, agencyID: options.agencyID, started: started, on: db)
            report.runID = recorder.runID
        }

        /// Writes one batch of good rows.
        mutating func write(_ batch: Batch) async throws {
            guard let batchFirst = batch.firstDate, let batchLast = batch.lastDate else { return }
            let (order, marksByPupil, firstRow) = (batch.order, batch.marks, batch.firstRow)
            report.duplicateRows += batch.duplicateRows
            schoolDays.formUnion(batch.schoolDays)

            // Pupils already known: from earlier batches, else from the database.
            var pupils: [PupilKey: Pupil] = [:]
            var upns: Set<String> = []
            for key in order {
                if let pupil = known[key] { pupils[key] = pupil } else { upns.insert(key.upn) }
            }
            for chunk in (startedEmpty ? [] : Array(upns)).chunked(900) {
                let rows = try await sql.raw("""
                    SELECT number, id, school_urn, upn, person_id, last_present_date, last_present_session FROM attendance_pupils \
                    WHERE \(sql.isIn("upn", chunk))
                    """).all()
                for row in rows {
                    let key = PupilKey(urn: try row.decode(column: "school_urn", as: Int.self), upn: try row.decode(column: "upn", as: String.self))
                    guard marksByPupil[key] != nil, pupils[key] == nil else { continue }
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
                let byUPN = try await sql.people(withIdentifier: .upn, unmatched.map(\.upn), chunkSize: 900)
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
                for (slot, mark) in marksByPupil[key]! {
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
            for (key, pupil, s) in summaries {
                known[key] = Pupil(number: pupil.number, id: pupil.id, personID: pupil.personID, isNew: false,
                                   lastPresent: s.lastPresentDate.map { ($0, s.lastPresentSession ?? .pm) })
            }
            try await raiseTasks(summaries)
        }

        static let pupilColumns = ["id", "number", "school_urn", "upn", "forename", "surname", "date_of_birth", "person_id", "latest_date",
                                   "last_present_date", "last_present_session", "consecutive_absent", "consecutive_unexplained", "unexplained_term",
                                   "term_name", "term_possible", "term_present", "recent_possible", "recent_present", "not_back", "updated_at", "term_weeks"]

        /// Each pupil record with its new figures: inserted when new, updated when held.
        mutating func upsertPupils(_ summaries: [(PupilKey, Pupil, AttendanceSummary)], firstRow: [PupilKey: AttendanceRow]) async throws {
            for (key, pupil, _) in summaries {
                guard let person = pupil.personID else { continue }
                matchedPupils.insert(key)
                matchedPeople.insert(person)
            }
            let columns = Self.pupilColumns
            var summaries = summaries
            if db is any PostgresDatabase {
                // New pupils (a first import holds only new ones) go in by COPY, in large pieces;
                // held ones are updated below.
                let stamp = Self.copyTimestamp(now)
                for (key, pupil, s) in summaries where pupil.isNew || pendingPupils[key] != nil {
                    let row = firstRow[key]!
                    pendingPupils[key] = [
                        pupil.id.uuidString, String(pupil.number), String(key.urn), key.upn, row.forename, row.surname, row.dateOfBirth?.description,
                        pupil.personID?.uuidString, s.latestDate?.description, s.lastPresentDate?.description, s.lastPresentSession?.rawValue,
                        String(s.consecutiveAbsent), String(s.consecutiveUnexplained), String(s.unexplainedThisTerm), s.termName,
                        String(s.termPossible), String(s.termPresent), String(s.recentPossible), String(s.recentPresent),
                        s.notBackAfterHoliday ? "t" : "f", stamp, TermWeek.text(s.termWeeks),
                    ]
                }
                summaries.removeAll { $0.1.isNew || pendingPupils[$0.0] != nil }
                if pendingPupils.count >= Self.pupilsPerCopy { try await flushPupils() }
            }
            let updated = columns.filter { !["id", "number", "school_urn", "upn"].contains($0) }
            // 22 values a row. 200 rows a statement measured faster on PostgreSQL than 1,000
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
                        s.recentPresent, s.notBackAfterHoliday, now, TermWeek.text(s.termWeeks),
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

        /// COPYs the new pupils' rows waiting in `pendingPupils` (PostgreSQL), in pupil-number order.
        mutating func flushPupils() async throws {
            guard let postgres = db as? any PostgresDatabase, !pendingPupils.isEmpty else { return }
            let rows = pendingPupils.values.sorted { Int64($0[1]!)! < Int64($1[1]!)! }
            try await MarkWriter.copy(rows, into: "attendance_pupils", columns: Self.pupilColumns, on: postgres, logger: db.logger)
            pendingPupils.removeAll(keepingCapacity: true)
        }

        /// A timestamp in the form COPY reads for `timestamptz`.
        static func copyTimestamp(_ date: Date) -> String {
            let iso = ISO8601DateFormatter()
            iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return iso.string(from: date)
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
            try await flushPupils()
            // The board reads each listed child's last day present from the list entry.
            try await EyesOnSeen.refresh(on: sql, people: matchedPeople)
            for chunk in schoolDays.sorted(by: { ($0.urn, $0.day) < ($1.urn, $1.day) }).chunked(500) {
                var builder = sql.insert(into: "attendance_school_days").columns("school_urn", "date")
                for d in chunk { builder = builder.values(SQLBind(d.urn), SQLBind(CivilDate(daysSince1970: d.day).description)) }
                try await builder.ignoringConflicts(with: ["school_urn", "date"]).run()
            }
            try await recorder.complete(accepted: report.newMarks, updated: report.updatedMarks)
            report.quarantined = recorder.quarantined
            report.problems = recorder.firstProblems
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
