import Foundation
import FluentKit
import SQLKit
import EyesOnCore

/// A task to lay eyes on a child.
public struct TaskLine: Sendable, Equatable {
    public let id: UUID
    public let personID: UUID
    public let childName: String
    public let kind: String
    public let reason: String
    public let ownerAgencyName: String
    public let ownerName: String?
    public let due: CivilDate
    public let state: TaskState
    public let stateReason: String?
    public let createdAt: Date
    public let closedAt: Date?
    public let closedBy: String?

    public func isOverdue(today: CivilDate) -> Bool { state.isOutstanding && due < today }
}

/// A recorded contact with a child.
public struct ContactLine: Sendable, Equatable {
    public let id: UUID
    public let date: CivilDate
    public let time: String?
    public let type: ContactType
    public let agencyName: String
    public let practitioner: String
    public let childSeen: Bool
    public let seenAlone: Bool
    public let countsAsSeen: Bool
    public let location: String
    public let virtualBasis: String?
    public let outcome: String
    public let concerns: String
}

/// What a practitioner records about a contact.
public struct ContactInput: Sendable {
    public var personID: UUID
    public var date: CivilDate
    public var time: String?
    public var type: ContactType
    public var childSeen: Bool
    public var seenAlone: Bool
    public var location: String
    public var virtualBasis: String?
    public var outcome: String
    public var concerns: String

    public init(personID: UUID, date: CivilDate, time: String?, type: ContactType, childSeen: Bool, seenAlone: Bool,
                location: String, virtualBasis: String?, outcome: String, concerns: String) {
        self.personID = personID
        self.date = date
        self.time = time
        self.type = type
        self.childSeen = childSeen
        self.seenAlone = seenAlone
        self.location = location
        self.virtualBasis = virtualBasis
        self.outcome = outcome
        self.concerns = concerns
    }
}

/// A pupil record's attendance, as the child page shows it.
public struct PupilAttendance: Sendable, Equatable {
    public struct Week: Sendable, Equatable {
        public let monday: CivilDate
        public let possible: Int
        public let present: Int
        public var rate: Double? { possible == 0 ? nil : Double(present) / Double(possible) }
    }
    public let schoolName: String
    public let urn: Int
    public let summary: AttendanceSummary
    /// Recent absences (possible sessions not attended), newest first.
    public let absences: [SessionMark]
    /// Week by week, oldest first.
    public let weeks: [Week]
    /// School days the school has sent marks for since this pupil's last mark (0 while on its marks).
    public let schoolDaysOffRoll: Int
    /// Whether another school has marks for the child after this school's last.
    public let laterSchool: Bool
    /// Off this school's marks for 10 school days or more and no later school known: left the
    /// roll with no known destination (the children-missing-education threshold).
    public var leftWithNoKnownDestination: Bool { schoolDaysOffRoll >= EyesOn.offRollSchoolDays && !laterSchool }
}

/// A listed child on the "not seen" board.
public struct BoardRow: Sendable, Equatable {
    public let entryID: UUID
    public let personID: UUID
    public let childName: String
    public let dateOfBirth: CivilDate?
    public let risk: RiskLevel
    public let reasons: [ListReason]
    public let leadAgencyName: String
    /// The last time anyone laid eyes on the child (a contact where the child was seen, or a
    /// present mark in school); nil when never.
    public let lastSeen: CivilDate?
    public let lastSeenHow: String
    /// Working days since last seen (since listed, when never seen).
    public let workingDaysUnseen: Int
    /// The policy's limit for the child's risk level.
    public let allowed: Int
    public let openTasks: Int
    public var overdueBy: Int { workingDaysUnseen - allowed }
}

/// What the board is filtered by.
public struct BoardFilter: Sendable, Equatable {
    public var leadAgencyID: UUID?
    public var schoolURN: Int?
    public var risk: RiskLevel?
    public var reason: ListReason?
    /// Only entries with this lead professional (compared without case): a caseload.
    public var leadProfessional: String?
    /// Every matching listed child, not only those past their policy (the caseload view).
    public var includeWithinPolicy: Bool
    public init(leadAgencyID: UUID? = nil, schoolURN: Int? = nil, risk: RiskLevel? = nil, reason: ListReason? = nil,
                leadProfessional: String? = nil, includeWithinPolicy: Bool = false) {
        self.leadAgencyID = leadAgencyID
        self.schoolURN = schoolURN
        self.risk = risk
        self.reason = reason
        self.leadProfessional = leadProfessional
        self.includeWithinPolicy = includeWithinPolicy
    }
}

public struct BoardResult: Sendable {
    /// Listed children past their policy, worst first.
    public let rows: [BoardRow]
    /// Agreed entries looked at.
    public let listed: Int
}

/// Opening tasks (from attendance triggers and the daily sweep).
public enum Tasks {
    static func open(on db: any Database, personID: UUID, entryID: UUID?, kind: String, reason: String, ownerAgencyID: UUID,
                     ownerName: String? = nil, due: CivilDate, at now: Date) async throws {
        try await (db as! any SQLDatabase).insert(into: "tasks")
            .columns("id", "person_id", "entry_id", "kind", "reason", "owner_agency_id", "owner_name", "due_date", "state", "created_at")
            .values(SQLBind(UUID()), SQLBind(personID), SQLBind(entryID), SQLBind(kind), SQLBind(reason), SQLBind(ownerAgencyID),
                    SQLBind(ownerName), SQLBind(due.description), SQLBind(TaskState.open.rawValue), SQLBind(now))
            .run()
    }

    /// The daily sweep (run by `eyeson tasks sweep`, and after each attendance import): a task
    /// for the lead agency for every listed child past their eyes-on policy without one, due the
    /// next working day; open tasks past their due date escalate to the team manager.
    public static func sweep(on db: any Database, today: CivilDate = .today()) async throws -> (opened: Int, escalated: Int) {
        let policy = try await PartnershipSettings.eyesOnPolicy(on: db)
        let calendar = WorkingDayCalendar(bankHolidays: try await CalendarStore.bankHolidays(on: db))
        let sql = db as! any SQLDatabase
        let board = try await EyesOn.computeBoard(sql: sql, scope: "1 = 1", filter: BoardFilter(), policy: policy, calendar: calendar, today: today)
        let now = Date()
        let due = (try? calendar.nextWorkingDay(after: today)) ?? today.adding(days: 1)
        let opened = try await db.writeTransaction { tx -> Int in
            var opened = 0
            for row in board.rows where row.openTasks == 0 {
                let entry = try await (tx as! any SQLDatabase).raw("SELECT lead_agency_id FROM list_entries WHERE id = \(bind: row.entryID)").first()
                guard let lead = try entry?.decode(column: "lead_agency_id", as: UUID.self) else { continue }
                let since = row.lastSeen.map { "last seen \($0) (\(row.lastSeenHow))" } ?? "not seen since listed"
                try await open(on: tx, personID: row.personID, entryID: row.entryID, kind: "not-seen",
                               reason: "\(row.risk.title) risk: \(since), \(row.workingDaysUnseen) working days; the policy allows \(row.allowed)",
                               ownerAgencyID: lead, due: due, at: now)
                opened += 1
            }
            return opened
        }
        let escalated = try await sql.raw("SELECT COUNT(*) AS n FROM tasks WHERE state = 'open' AND due_date < \(bind: today.description)").first()?.decode(column: "n", as: Int.self) ?? 0
        try await sql.update("tasks").set("state", to: TaskState.escalated.rawValue)
            .set("state_reason", to: "not done by its due date: escalated to the team manager")
            .where("state", .equal, TaskState.open.rawValue).where("due_date", .lessThan, today.description).run()
        if opened + escalated > 0 {
            try await AuditLog.record(.taskChanged, on: db, actor: "eyeson", detail: "daily sweep: \(opened) not-seen tasks opened, \(escalated) escalated")
        }
        return (opened, escalated)
    }
}

/// Eyes on: contacts, tasks, attendance and the "not seen" board, for one viewer, through the
/// access policy (`ChildDirectory`'s scope).
public struct EyesOn: ThroughDirectory {
    public let directory: ChildDirectory

    public init(directory: ChildDirectory) {
        self.directory = directory
    }

    public static let maximumTextLength = 4_000

    // MARK: Contacts

    /// Records a contact. One where the child was seen (not by phone) closes the child's open tasks.
    /// - Returns: the contact's id and how many tasks it closed.
    public func recordContact(_ input: ContactInput, clientAddress: String? = nil) async throws -> (UUID, Int) {
        guard directory.scope.mayOpenRecords else { throw ListError(.refused, "your role cannot record contacts") }
        guard input.type.isRecordedByHand else { throw ListError(.invalid, field: "type", "in-school contacts come from the attendance marks") }
        guard try await directory.isVisible(input.personID) else { throw ListError.notFound }
        guard input.date <= directory.today else { throw ListError(.invalid, field: "date", "the date of the contact cannot be in the future") }
        guard input.date >= directory.today.adding(years: -1) else { throw ListError(.invalid, field: "date", "the date is more than a year ago") }
        let basis = input.virtualBasis?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if input.type == .virtual && basis.isEmpty {
            throw ListError(.invalid, field: "virtual_basis", "say why the contact was virtual and what risk was considered")
        }
        if input.seenAlone && !input.childSeen {
            throw ListError(.invalid, field: "seen_alone", "a child who was not seen cannot have been seen alone")
        }
        if let time = input.time, !time.isEmpty, !Self.isTime(time) {
            throw ListError(.invalid, field: "time", "enter the time like 14:30")
        }
        for (field, text) in [("location", input.location), ("outcome", input.outcome), ("concerns", input.concerns), ("virtual_basis", basis)]
        where text.count > Self.maximumTextLength {
            throw ListError(.invalid, field: field, "must be at most \(Self.maximumTextLength) characters")
        }
        guard !input.outcome.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ListError(.invalid, field: "outcome", "say what the outcome was")
        }
        let counts = input.childSeen && input.type.canCountAsSeen
        let id = UUID()
        let now = Date()
        let closed = try await db.writeTransaction { tx -> Int in
            var closed = 0
            let sql = tx as! any SQLDatabase
            try await sql.insert(into: "contacts")
                .columns("id", "person_id", "occurred_on", "occurred_time", "agency_id", "user_id", "practitioner", "type", "child_seen",
                         "seen_alone", "counts_as_seen", "location", "virtual_basis", "outcome", "concerns", "recorded_at")
                .values(SQLBind(id), SQLBind(input.personID), SQLBind(input.date.description), SQLBind(input.time?.isEmpty == false ? input.time : nil),
                        SQLBind(viewer.agencyID), SQLBind(viewer.userID), SQLBind(viewer.displayName), SQLBind(input.type.rawValue),
                        SQLBind(input.childSeen), SQLBind(input.seenAlone), SQLBind(counts), SQLBind(input.location),
                        SQLBind(basis.isEmpty ? nil : basis), SQLBind(input.outcome), SQLBind(input.concerns), SQLBind(now))
                .run()
            if counts {
                try await EyesOnSeen.refresh(on: sql, personID: input.personID)
                closed = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM tasks WHERE person_id = \(bind: input.personID) AND state IN ('open', 'escalated') \
                    AND kind <> 'break-glass'
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                try await sql.update("tasks").set("state", to: TaskState.done.rawValue)
                    .set("state_reason", to: "\(input.type.title) on \(input.date) by \(viewer.displayName), \(viewer.agencyName)")
                    .set("closed_at", to: now).set("closed_by", to: viewer.email).set("contact_id", to: id)
                    .where("person_id", .equal, input.personID).where("state", .in, [TaskState.open.rawValue, TaskState.escalated.rawValue])
                    .where("kind", .notEqual, "break-glass").run()
            }
            try await AuditLog.record(.contactRecorded, on: tx, userID: viewer.userID, actor: viewer.email, personID: input.personID,
                                      detail: "\(input.type.rawValue) on \(input.date)" + (counts ? ", child seen; \(closed) tasks closed" : ", does not count as seen"),
                                      clientAddress: clientAddress, at: now)
            return closed
        }
        return (id, closed)
    }

    static func isTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), parts[1].count == 2 else { return false }
        return (0...23).contains(h) && (0...59).contains(m)
    }

    public func contacts(forChild personID: UUID) async throws -> [ContactLine] {
        guard try await directory.isVisible(personID) else { return [] }
        return try await sql.raw("""
            SELECT c.*, a.name AS agency_name FROM contacts c JOIN agencies a ON a.id = c.agency_id \
            WHERE c.person_id = \(bind: personID) ORDER BY c.occurred_on DESC, c.recorded_at DESC LIMIT 200
            """).all().map { row in
                ContactLine(
                    id: try row.decode(column: "id", as: UUID.self),
                    date: CivilDate(try row.decode(column: "occurred_on", as: String.self)) ?? directory.today,
                    time: try row.decode(column: "occurred_time", as: String?.self),
                    type: ContactType(rawValue: try row.decode(column: "type", as: String.self)) ?? .other,
                    agencyName: try row.decode(column: "agency_name", as: String.self),
                    practitioner: try row.decode(column: "practitioner", as: String.self),
                    childSeen: try row.decode(column: "child_seen", as: Bool.self),
                    seenAlone: try row.decode(column: "seen_alone", as: Bool.self),
                    countsAsSeen: try row.decode(column: "counts_as_seen", as: Bool.self),
                    location: try row.decode(column: "location", as: String.self),
                    virtualBasis: try row.decode(column: "virtual_basis", as: String?.self),
                    outcome: try row.decode(column: "outcome", as: String.self),
                    concerns: try row.decode(column: "concerns", as: String.self))
            }
    }

    // MARK: Tasks

    static let taskSelect: SQLQueryString = """
        SELECT t.id, t.person_id, t.kind, t.reason, t.owner_name, t.due_date, t.state, t.state_reason, t.created_at, t.closed_at, \
        t.closed_by, a.name AS owner_agency_name, p.given_name, p.family_name \
        FROM tasks t JOIN agencies a ON a.id = t.owner_agency_id JOIN people p ON p.id = t.person_id
        """

    public func tasks(forChild personID: UUID) async throws -> [TaskLine] {
        guard try await directory.isVisible(personID) else { return [] }
        return try await sql.raw("\(Self.taskSelect) WHERE t.person_id = \(bind: personID) ORDER BY t.created_at DESC LIMIT 200").all().map(Self.task(from:))
    }

    /// Outstanding tasks owned by the viewer's agency, soonest due first; with `escalatedOnly`,
    /// every escalated task in the viewer's scope (the team manager's view).
    public func outstandingTasks(escalatedOnly: Bool = false) async throws -> [TaskLine] {
        guard directory.scope.mayOpenRecords, let condition = directory.scopeCondition() else { return [] }
        let which: SQLQueryString = escalatedOnly ? "t.state = 'escalated'" : "t.state IN ('open', 'escalated') AND t.owner_agency_id = \(bind: viewer.agencyID)"
        return try await sql.raw("\(Self.taskSelect) WHERE \(which) AND \(condition) ORDER BY t.due_date, p.family_name LIMIT 500").all().map(Self.task(from:))
    }

    /// Cancels (with a reason) or marks done a task in the viewer's scope.
    public func setTask(_ id: UUID, to state: TaskState, reason: String, clientAddress: String? = nil) async throws {
        guard directory.scope.mayOpenRecords, let condition = directory.scopeCondition() else { throw ListError(.refused, "your role cannot change tasks") }
        guard state == .cancelled || state == .done else { throw ListError(.invalid, field: "state", "a task can be marked done or cancelled") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ListError(.invalid, field: "reason", "give the reason") }
        guard let row = try await sql.raw("SELECT t.person_id, t.state FROM tasks t JOIN people p ON p.id = t.person_id WHERE t.id = \(bind: id) AND \(condition)").first() else {
            throw ListError.notFound
        }
        guard TaskState(rawValue: try row.decode(column: "state", as: String.self))?.isOutstanding == true else {
            throw ListError(.refused, "this task is already closed")
        }
        try await sql.update("tasks").set("state", to: state.rawValue).set("state_reason", to: String(reason.prefix(Self.maximumTextLength)))
            .set("closed_at", to: Date()).set("closed_by", to: viewer.email).where("id", .equal, id).run()
        try await AuditLog.record(.taskChanged, on: db, userID: viewer.userID, actor: viewer.email, personID: try row.decode(column: "person_id", as: UUID.self),
                                  detail: "task \(state.rawValue): \(reason)", clientAddress: clientAddress)
    }

    static func task(from row: any SQLRow) throws -> TaskLine {
        TaskLine(
            id: try row.decode(column: "id", as: UUID.self),
            personID: try row.decode(column: "person_id", as: UUID.self),
            childName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
            kind: try row.decode(column: "kind", as: String.self),
            reason: try row.decode(column: "reason", as: String.self),
            ownerAgencyName: try row.decode(column: "owner_agency_name", as: String.self),
            ownerName: try row.decode(column: "owner_name", as: String?.self),
            due: CivilDate(try row.decode(column: "due_date", as: String.self)) ?? CivilDate(year: 2000, month: 1, day: 1)!,
            state: TaskState(rawValue: try row.decode(column: "state", as: String.self)) ?? .open,
            stateReason: try row.decode(column: "state_reason", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            closedAt: try row.decode(column: "closed_at", as: Date?.self),
            closedBy: try row.decode(column: "closed_by", as: String?.self))
    }

    // MARK: Attendance

    /// The child's attendance at each school that sends marks, with recent absences and weeks.
    public func attendance(forChild personID: UUID, weeks: Int = 12) async throws -> [PupilAttendance] {
        guard try await directory.isVisible(personID) else { return [] }
        let pupils = try await sql.raw("""
            SELECT ap.*, a.name AS school_name FROM attendance_pupils ap LEFT JOIN agencies a ON a.urn = ap.school_urn \
            WHERE ap.person_id = \(bind: personID) ORDER BY ap.latest_date DESC
            """).all()
        var result: [PupilAttendance] = []
        let summaries = try pupils.map(Self.summary)
        let latestOfAll = summaries.compactMap(\.latestDate).max()
        for (row, s) in zip(pupils, summaries) {
            let number = try row.decode(column: "number", as: Int64.self)
            let urn = try row.decode(column: "school_urn", as: Int.self)
            let offRoll = try await sql.raw("""
                SELECT COUNT(*) AS n FROM attendance_school_days WHERE school_urn = \(bind: urn) AND date > \(bind: s.latestDate?.description ?? "")
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            let from = (s.latestDate ?? directory.today).adding(days: -7 * weeks)
            let marks = try await sql.raw("""
                SELECT date, session, code FROM attendance_marks WHERE pupil = \(bind: number) AND date >= \(bind: from.description) ORDER BY date, session
                """).all().compactMap(Self.mark)
            var byWeek: [Int: (Int, Int)] = [:]
            for mark in marks where mark.countsAsPossible {
                let monday = mark.date.daysSince1970 - (mark.date.weekday.rawValue - 1)
                var w = byWeek[monday] ?? (0, 0)
                w.0 += 1
                if mark.countsAsPresent { w.1 += 1 }
                byWeek[monday] = w
            }
            let weekLines = byWeek.keys.sorted().map { PupilAttendance.Week(monday: CivilDate(daysSince1970: $0), possible: byWeek[$0]!.0, present: byWeek[$0]!.1) }
            let absences = marks.filter(\.countsAsAbsent).reversed().prefix(40)
            let laterSchool = s.latestDate.map { latest in latestOfAll.map { $0 > latest } ?? false } ?? false
            result.append(PupilAttendance(schoolName: try row.decode(column: "school_name", as: String?.self) ?? "School \(urn)",
                                          urn: urn, summary: s, absences: Array(absences), weeks: weekLines,
                                          schoolDaysOffRoll: offRoll, laterSchool: laterSchool))
        }
        return result
    }

    // MARK: Listed children with their attendance

    /// A listed child with their attendance at one school (nil when no school sends marks).
    public struct ListedPupil: Sendable, Equatable {
        public let entryID: UUID
        public let personID: UUID
        public let childName: String
        public let risk: RiskLevel
        public let reasons: [ListReason]
        public let leadAgencyName: String
        public let schoolName: String?
        public let summary: AttendanceSummary?
        /// The marks of the latest day the school sent (AM, PM).
        public let latestMarks: [SessionMark]
    }

    /// Agreed entries in the viewer's scope with their attendance: for a school (`schoolURN`:
    /// its pupils only), the Virtual School (`reasons`), or the back-to-school report
    /// (`notBackOnly`).
    public func listedPupils(schoolURN: Int? = nil, reasons: [ListReason]? = nil, notBackOnly: Bool = false, withLatestMarks: Bool = false, limit: Int = 2_000) async throws -> [ListedPupil] {
        guard directory.scope.mayOpenRecords, let condition = directory.scopeCondition() else { throw ChildAccessDenied() }
        var query: SQLQueryString = """
            SELECT e.id, e.person_id, e.risk, e.reasons, la.name AS lead_agency_name, p.given_name, p.family_name, \
            ap.number, ap.school_urn, s.name AS school_name, ap.latest_date, ap.last_present_date, ap.last_present_session, \
            ap.consecutive_absent, ap.consecutive_unexplained, ap.unexplained_term, ap.term_name, ap.term_possible, ap.term_present, \
            ap.recent_possible, ap.recent_present, ap.not_back \
            FROM list_entries e JOIN people p ON p.id = e.person_id JOIN agencies la ON la.id = e.lead_agency_id \
            LEFT JOIN attendance_pupils ap ON ap.person_id = e.person_id LEFT JOIN agencies s ON s.urn = ap.school_urn \
            WHERE e.status = 'agreed' AND \(condition)
            """
        if let urn = schoolURN { query = query + " AND ap.school_urn = \(bind: urn)" }
        if notBackOnly { query = query + " AND ap.not_back = \(bind: true)" }
        if let reasons, !reasons.isEmpty {
            let ors = reasons.map { "(';' || e.reasons || ';') LIKE '%;\($0.rawValue);%'" }.joined(separator: " OR ")
            query = query + " AND (\(unsafeRaw: ors))"
        }
        query = query + " ORDER BY CASE e.risk WHEN 'red' THEN 0 WHEN 'amber' THEN 1 ELSE 2 END, p.family_name, p.given_name LIMIT \(unsafeRaw: String(limit))"
        var result: [ListedPupil] = []
        for row in try await sql.raw(query).all() {
            var summary: AttendanceSummary? = nil
            var latest: [SessionMark] = []
            if let number = try row.decode(column: "number", as: Int64?.self) {
                let s = try Self.summary(row)
                summary = s
                if withLatestMarks, let day = s.latestDate {
                    latest = try await sql.raw("""
                        SELECT date, session, code FROM attendance_marks WHERE pupil = \(bind: number) AND date = \(bind: day.description) ORDER BY session
                        """).all().compactMap(Self.mark)
                }
            }
            result.append(ListedPupil(
                entryID: try row.decode(column: "id", as: UUID.self),
                personID: try row.decode(column: "person_id", as: UUID.self),
                childName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                risk: RiskLevel(rawValue: try row.decode(column: "risk", as: String.self)) ?? .red,
                reasons: try row.decode(column: "reasons", as: String.self).split(separator: ";").compactMap { ListReason(rawValue: String($0)) },
                leadAgencyName: try row.decode(column: "lead_agency_name", as: String.self),
                schoolName: try row.decode(column: "school_name", as: String?.self),
                summary: summary, latestMarks: latest))
        }
        return result
    }

    // MARK: The board

    /// A pupil record's stored figures (an `attendance_pupils` row).
    static func summary(_ row: any SQLRow) throws -> AttendanceSummary {
        var s = AttendanceSummary()
        s.latestDate = try row.decode(column: "latest_date", as: String?.self).flatMap(CivilDate.init)
        s.lastPresentDate = try row.decode(column: "last_present_date", as: String?.self).flatMap(CivilDate.init)
        s.lastPresentSession = try row.decode(column: "last_present_session", as: String?.self).flatMap(Session.init(text:))
        s.consecutiveAbsent = try row.decode(column: "consecutive_absent", as: Int.self)
        s.consecutiveUnexplained = try row.decode(column: "consecutive_unexplained", as: Int.self)
        s.unexplainedThisTerm = try row.decode(column: "unexplained_term", as: Int.self)
        s.termName = try row.decode(column: "term_name", as: String?.self)
        s.termPossible = try row.decode(column: "term_possible", as: Int.self)
        s.termPresent = try row.decode(column: "term_present", as: Int.self)
        s.recentPossible = try row.decode(column: "recent_possible", as: Int.self)
        s.recentPresent = try row.decode(column: "recent_present", as: Int.self)
        s.notBackAfterHoliday = try row.decode(column: "not_back", as: Bool.self)
        return s
    }

    /// A stored mark (`date`, `session`, `code` columns); nil for a row that no longer reads as one.
    static func mark(_ row: any SQLRow) throws -> SessionMark? {
        guard let date = CivilDate(try row.decode(column: "date", as: String.self)),
              let session = Session(text: try row.decode(column: "session", as: String.self)),
              let code = try? AttendanceCode.lookup(try row.decode(column: "code", as: String.self), on: date) else { return nil }
        return SessionMark(date: date, session: session, code: code)
    }

    /// Listed children in the viewer's scope whose last eyes-on is past their policy, worst first.
    public func board(_ filter: BoardFilter) async throws -> BoardResult {
        guard directory.scope.mayOpenRecords, let condition = directory.scopeCondition(personColumn: "e.person_id") else { throw ChildAccessDenied() }
        let policy = try await PartnershipSettings.eyesOnPolicy(on: db)
        let calendar = WorkingDayCalendar(bankHolidays: try await CalendarStore.bankHolidays(on: db))
        return try await Self.computeBoard(sql: sql, scope: condition, filter: filter, policy: policy, calendar: calendar, today: directory.today)
    }

    /// `scope` is the access policy's condition on `e.person_id` (list entries aliased `e`).
    static func computeBoard(sql: any SQLDatabase, scope: SQLQueryString, filter: BoardFilter, policy: EyesOnPolicy,
                             calendar: WorkingDayCalendar, today: CivilDate) async throws -> BoardResult {
        // A child is past their policy when last seen before the day `allowed` working days ago
        // (unseen > allowed ⟺ last seen < today − allowed working days): the database compares
        // dates, on the last days seen kept on each entry (EyesOnSeen), so the 50,000 listed
        // children are one pass over one table and only the children on the board are read back.
        var cutoff: [RiskLevel: String] = [:]
        for risk in RiskLevel.allCases {
            let allowed = policy.maximumUnseen(risk)
            cutoff[risk] = ((try? calendar.adding(workingDays: -allowed, to: today)) ?? today.adding(days: -allowed * 7 / 5)).description
        }
        let greatest: SQLQueryString = sql.dialect.name == "sqlite" ? "MAX" : "GREATEST"
        var conditions: SQLQueryString = "e.status = 'agreed' AND \(scope)"
        if let lead = filter.leadAgencyID { conditions = conditions + " AND e.lead_agency_id = \(bind: lead)" }
        if let risk = filter.risk { conditions = conditions + " AND e.risk = \(bind: risk.rawValue)" }
        if let lead = filter.leadProfessional { conditions = conditions + " AND LOWER(e.lead_professional) = \(bind: lead.lowercased())" }
        if let reason = filter.reason { conditions = conditions + " AND (';' || e.reasons || ';') LIKE \(bind: "%;" + reason.rawValue + ";%")" }
        if let urn = filter.schoolURN {
            conditions = conditions + " AND e.person_id IN (SELECT ap.person_id FROM attendance_pupils ap WHERE ap.school_urn = \(bind: urn))"
        }
        let pastPolicy: SQLQueryString = filter.includeWithinPolicy ? "" : """
             AND COALESCE(NULLIF(\(greatest)(COALESCE(e.contact_seen_on, ''), COALESCE(e.school_seen_on, '')), ''), e.agreed_on) < \
            CASE e.risk WHEN 'red' THEN \(bind: cutoff[.red]!) WHEN 'amber' THEN \(bind: cutoff[.amber]!) ELSE \(bind: cutoff[.green]!) END
            """
        let query: SQLQueryString = """
            SELECT b.*, la.name AS lead_agency_name, p.given_name, p.family_name, p.date_of_birth, \
            (SELECT COUNT(*) FROM tasks t WHERE t.person_id = b.person_id AND t.state IN ('open', 'escalated')) AS open_tasks \
            FROM (SELECT e.id, e.person_id, e.risk, e.reasons, e.lead_agency_id, e.agreed_on, \
                  e.contact_seen_on AS contact_seen, e.school_seen_on AS school_seen FROM list_entries e \
                  WHERE \(conditions)\(pastPolicy)) b \
            JOIN people p ON p.id = b.person_id JOIN agencies la ON la.id = b.lead_agency_id
            """
        let counted: SQLQueryString = "SELECT COUNT(*) AS n FROM list_entries e WHERE \(conditions)"
        let listed = try await sql.raw(counted).first()?.decode(column: "n", as: Int.self) ?? 0
        var board: [BoardRow] = []
        for row in try await sql.raw(query).all() {
            let risk = RiskLevel(rawValue: try row.decode(column: "risk", as: String.self)) ?? .red
            let contact = try row.decode(column: "contact_seen", as: String?.self).flatMap(CivilDate.init)
            let school = try row.decode(column: "school_seen", as: String?.self).flatMap(CivilDate.init)
            let lastSeen: CivilDate?
            let how: String
            switch (contact, school) {
            case let (c?, s?): lastSeen = max(c, s); how = s > c ? "in school" : "contact"
            case let (c?, nil): lastSeen = c; how = "contact"
            case let (nil, s?): lastSeen = s; how = "in school"
            default: lastSeen = nil; how = "never seen"
            }
            // Never seen: the clock runs from the day the entry was agreed.
            let agreedOn = try row.decode(column: "agreed_on", as: String?.self).flatMap(CivilDate.init)
            let since = lastSeen ?? agreedOn ?? today
            let unseen = (try? calendar.workingDays(from: since, to: today)) ?? today.daysSince1970 - since.daysSince1970
            board.append(BoardRow(
                entryID: try row.decode(column: "id", as: UUID.self),
                personID: try row.decode(column: "person_id", as: UUID.self),
                childName: "\(try row.decode(column: "given_name", as: String.self)) \(try row.decode(column: "family_name", as: String.self))",
                dateOfBirth: try row.decode(column: "date_of_birth", as: String?.self).flatMap(CivilDate.init),
                risk: risk,
                reasons: try row.decode(column: "reasons", as: String.self).split(separator: ";").compactMap { ListReason(rawValue: String($0)) },
                leadAgencyName: try row.decode(column: "lead_agency_name", as: String.self),
                lastSeen: lastSeen, lastSeenHow: how, workingDaysUnseen: unseen, allowed: policy.maximumUnseen(risk),
                openTasks: try row.decode(column: "open_tasks", as: Int.self)))
        }
        board.sort { a, b in
            if a.risk != b.risk { return a.risk < b.risk }
            if a.overdueBy != b.overdueBy { return a.overdueBy > b.overdueBy }
            return a.childName < b.childName
        }
        return BoardResult(rows: board, listed: listed)
    }
}
