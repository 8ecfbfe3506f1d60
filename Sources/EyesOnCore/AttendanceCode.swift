/// A school attendance register code, with how it counts in attendance statistics
/// (STANDARDS §3.2).
///
/// The set in force from 19 August 2024 (School Attendance (Pupil Registration) (England)
/// Regulations 2024) added K, C1, C2, J1, Q and Y1–Y7, and retired H, Y and J. Older data uses
/// the legacy codes, so look codes up with the date of the session:
/// ```swift
/// try AttendanceCode.lookup("I", on: day).countsAsPresent   // false: illness is an authorised absence
/// try AttendanceCode.lookup("H", on: CivilDate("2024-09-02")!)
/// // throws: attendance code 'H' was retired on 2024-08-19
/// ```
public struct AttendanceCode: Hashable, Sendable, CustomStringConvertible {
    /// How a code is reported.
    public enum Category: String, CaseIterable, Codable, Sendable {
        /// In school (`/`, `\`, `L`).
        case present
        /// Attending an approved educational activity off site; counts as present.
        case approvedActivity = "approved-activity"
        /// Authorised absence (leave of absence, illness, religious observance…).
        case authorisedAbsence = "authorised-absence"
        /// Unauthorised absence (`G`, `N`, `O`, `U`).
        case unauthorisedAbsence = "unauthorised-absence"
        /// Attendance not possible (`Q`, `Y1`–`Y7`); counts neither as attendance nor absence.
        case notPossible = "not-possible"
        /// Administrative (`Z`, `#`); not a possible session.
        case administrative

        /// A short heading, e.g. "Authorised absence".
        public var title: String {
            switch self {
            case .present: "Present"
            case .approvedActivity: "Approved educational activity"
            case .authorisedAbsence: "Authorised absence"
            case .unauthorisedAbsence: "Unauthorised absence"
            case .notPossible: "Attendance not possible"
            case .administrative: "Administrative"
            }
        }
    }

    /// The code as marked in the register, e.g. `/`, `L`, `C1`.
    public let code: String
    /// What it means.
    public let meaning: String
    /// How it is reported.
    public let category: Category
    /// Whether the session counts as possible (in the denominator).
    public let countsAsPossible: Bool
    /// Whether the session counts as attended.
    public let countsAsPresent: Bool
    /// The first day the code may be used; `nil` when it was already in use before the
    /// current regulations.
    public let inForceFrom: CivilDate?
    /// The day the code stopped being valid; `nil` when still in force.
    public let retiredOn: CivilDate?
    /// What to use instead of a retired code, e.g. "J1".
    public let replacement: String?
    /// The code's place in ``all`` (how a ``SessionMark`` keeps it).
    public internal(set) var index: UInt8 = 0

    /// A possible session not attended: an absence (authorised or not).
    public var countsAsAbsent: Bool { countsAsPossible && !countsAsPresent }

    /// Whether the code may be used for a session on `date`.
    public func isInForce(on date: CivilDate) -> Bool {
        if let from = inForceFrom, date < from { return false }
        if let retired = retiredOn, date >= retired { return false }
        return true
    }

    /// The code.
    public var description: String { code }

    /// 19 August 2024, when the 2024 regulations' code set came into force.
    public static let changeover2024 = CivilDate(year: 2024, month: 8, day: 19)!

    /// The code for a session on `date` (surrounding white space ignored; letters any case).
    /// - Throws: ``CodeError`` when the code does not exist, was retired before `date`
    ///   ("attendance code 'H' was retired on 2024-08-19"), or was not yet in force.
    public static func lookup(_ code: String, on date: CivilDate) throws(CodeError) -> AttendanceCode {
        let given = IdentifierText.trimmed(code)
        let key = IdentifierText.upperASCII(given)
        guard !key.isEmpty else {
            throw CodeError(list: "attendance code", code: given, reason: "is empty")
        }
        guard let entry = byCode[key] else {
            throw CodeError(list: "attendance code", code: given, reason: "is not an attendance code")
        }
        if let retired = entry.retiredOn, date >= retired {
            let instead = entry.replacement.map { "; use \($0)" } ?? ""
            throw CodeError(list: "attendance code", code: given,
                            reason: "was retired on \(retired) (it meant: \(entry.meaning))\(instead)")
        }
        if let from = entry.inForceFrom, date < from {
            throw CodeError(list: "attendance code", code: given,
                            reason: "came into force on \(from), after the session date \(date)")
        }
        return entry
    }

    /// The codes that may be used for a session on `date`.
    public static func codes(inForceOn date: CivilDate) -> [AttendanceCode] {
        all.filter { $0.isInForce(on: date) }
    }

    /// Every code, current and retired.
    public static let all: [AttendanceCode] = {
        let new = changeover2024
        func code(_ c: String, _ meaning: String, _ category: Category, possible: Bool? = nil, present: Bool? = nil,
                  from: CivilDate? = nil, retired: CivilDate? = nil, use: String? = nil) -> AttendanceCode {
            let isPresent = category == .present || category == .approvedActivity
            let isPossible = category != .notPossible && category != .administrative
            return AttendanceCode(code: c, meaning: meaning, category: category,
                                  countsAsPossible: possible ?? isPossible, countsAsPresent: present ?? isPresent,
                                  inForceFrom: from, retiredOn: retired, replacement: use)
        }
        let codes: [AttendanceCode] = [
            // Present
            code("/", "present (morning session)", .present),
            code("\\", "present (afternoon session)", .present),
            code("L", "late, arrived before the register closed", .present),
            // Attending an approved educational activity
            code("K", "attending education provision arranged by the local authority", .approvedActivity, from: new),
            code("V", "attending an educational visit or trip", .approvedActivity),
            code("P", "participating in an approved sporting activity", .approvedActivity),
            code("W", "attending work experience", .approvedActivity),
            code("B", "attending any other approved educational activity", .approvedActivity),
            code("D", "attending another school at which the pupil is also registered (dual registration)",
                 .approvedActivity, possible: false, present: false),
            // Authorised absence: leave of absence
            code("C1", "leave of absence for a regulated performance or regulated employment abroad", .authorisedAbsence, from: new),
            code("M", "leave of absence for a medical or dental appointment", .authorisedAbsence),
            code("J1", "leave of absence to attend an interview", .authorisedAbsence, from: new),
            code("S", "leave of absence for study leave", .authorisedAbsence),
            code("X", "not of compulsory school age and not required to attend", .authorisedAbsence, possible: false),
            code("C2", "leave of absence for a compulsory-school-age pupil on a part-time timetable", .authorisedAbsence, from: new),
            code("C", "leave of absence for exceptional circumstances", .authorisedAbsence),
            // Authorised absence: other
            code("T", "parent travelling for occupational purposes", .authorisedAbsence),
            code("R", "religious observance", .authorisedAbsence),
            code("I", "illness (not medical or dental appointment)", .authorisedAbsence),
            code("E", "suspended or permanently excluded, and no alternative provision made", .authorisedAbsence),
            // Attendance not possible
            code("Q", "unable to attend because of a lack of access arrangements", .notPossible, from: new),
            code("Y1", "unable to attend because transport normally provided is not available", .notPossible, from: new),
            code("Y2", "unable to attend because of widespread disruption to travel", .notPossible, from: new),
            code("Y3", "unable to attend because part of the school premises is closed", .notPossible, from: new),
            code("Y4", "unable to attend because the whole school site is unexpectedly closed", .notPossible, from: new),
            code("Y5", "unable to attend as the pupil is in criminal justice detention", .notPossible, from: new),
            code("Y6", "unable to attend in accordance with public health guidance or law", .notPossible, from: new),
            code("Y7", "unable to attend because of any other unavoidable cause", .notPossible, from: new),
            // Unauthorised absence
            code("G", "holiday not granted by the school", .unauthorisedAbsence),
            code("N", "reason for absence not yet established", .unauthorisedAbsence),
            code("O", "absent in other or unknown circumstances", .unauthorisedAbsence),
            code("U", "arrived in school after the register closed", .unauthorisedAbsence),
            // Administrative
            code("Z", "prospective pupil not yet on the admission register", .administrative),
            code("#", "planned whole or partial school closure", .administrative),
            // Retired
            code("H", "holiday authorised by the school", .authorisedAbsence, retired: new,
                 use: "C for leave in exceptional circumstances, or G for a holiday not granted"),
            code("J", "attending an interview", .approvedActivity, retired: new, use: "J1"),
            code("Y", "unable to attend due to exceptional circumstances", .notPossible, retired: new,
                 use: "Y1 to Y7"),
            code("F", "extended family holiday (agreed)", .authorisedAbsence,
                 retired: CivilDate(year: 2013, month: 9, day: 1)!),
        ]
        return codes.enumerated().map { k, code in
            var indexed = code
            indexed.index = UInt8(k)
            return indexed
        }
    }()

    /// The codes' text, in the order of ``all``.
    public static let codeTexts: [String] = all.map(\.code)

    private static let byCode: [String: AttendanceCode] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
}
