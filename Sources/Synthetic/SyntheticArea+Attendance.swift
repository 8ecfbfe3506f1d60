import EyesOnCore
import Foundation

/// `attendance.csv`: session marks (2024 code set) for the last school days up to `asOf`.
///
/// Columns `school_urn,upn,forename,surname,date_of_birth,date,session,code`; one row per pupil,
/// school day and session (AM, PM), grouped by school. The name and date of birth are as the
/// school holds them (the same as in `school-roll.csv`).
///
/// Patterns: most pupils attend about 95–97% (illness spells, appointments, a few lates); about
/// 11% are persistently absent (under 90%) and 1.5% severely absent (under 50%), some on a
/// part-time timetable (C2); a few did not come back after the last holiday in the window (N,
/// then O). Children on a child protection plan, looked after or in need are absent more often.
/// Nursery-class children on part-time places are `X` in the afternoon; about one school in
/// seven has a planned closure day (`#`); a pupil who joined during the window is `Z` for up
/// to a week before joining.
extension SyntheticArea {
    /// The school days whose marks are written, oldest first: the last
    /// `attendanceSchoolDays` school days up to and including `asOf`.
    public func attendanceDays() -> [CivilDate] {
        let wanted = max(0, configuration.attendanceSchoolDays)
        let calendar = SchoolCalendar.demoDefaults(area: localAuthority.name)
        var days: [CivilDate] = []
        var d = configuration.asOf
        var looked = 0
        while days.count < wanted && looked < 4000 {
            let isSchoolDay: Bool
            do {
                isSchoolDay = try calendar.isSchoolDay(d)
            } catch {
                // Outside the demo term dates: weekdays that are not bank holidays or in the
                // usual summer and Christmas holidays.
                let holiday = (try? BankHolidays.englandAndWales.isBankHoliday(d)) ?? false
                let summer = d.month == 8
                let christmas = (d.month == 12 && d.day >= 21) || (d.month == 1 && d.day <= 3)
                isSchoolDay = !d.isWeekend && !holiday && !summer && !christmas
            }
            if isSchoolDay { days.append(d) }
            d = d.adding(days: -1)
            looked += 1
        }
        return days.reversed()
    }

    private struct AttendanceProfile {
        enum Kind { case usual, persistent, severe, didNotReturn, alternativeProvision }
        let kind: Kind
        let absenceRate: Double
        let partTimeAfternoons: Bool
        let partTimetable: Bool
        let dualRegistered: Bool
        let holidayStart: Int?
        let suspensionStart: Int?
    }

    private func attendanceProfile(_ id: Int, urn: Int, nc: Int, days: Int, rng: inout SeededRandom) -> AttendanceProfile {
        let f = internals.flags[id - 1]
        let vulnerable = f & (PersonFlags.protectionPlan | PersonFlags.lookedAfter | PersonFlags.childInNeed) != 0
        let boost = vulnerable ? 2.0 : 1.0
        let u = rng.unit()
        var kind = AttendanceProfile.Kind.usual
        var rate = 0.003 + 0.03 * rng.unit() * rng.unit()
        if nc >= 1 && u < Prevalence.didNotReturnAfterHoliday * boost {
            kind = .didNotReturn
        } else if u < (Prevalence.didNotReturnAfterHoliday + 0.0015) * boost {
            kind = .alternativeProvision
        } else if u < (Prevalence.didNotReturnAfterHoliday + 0.0015 + Prevalence.severelyAbsent) * boost {
            kind = .severe
            rate = 0.35 + 0.3 * rng.unit()
        } else if u < (Prevalence.didNotReturnAfterHoliday + 0.0015 + Prevalence.severelyAbsent + Prevalence.persistentlyAbsent) * boost {
            kind = .persistent
            rate = 0.06 + 0.1 * rng.unit()
        } else if vulnerable {
            rate *= 1.6
        }
        let partTimeAfternoons = nc < 0 && rng.chance(0.6)
        let partTimetable = kind == .severe && nc >= 1 && rng.chance(0.3)
        let dual = rng.chance(0.002)
        let holiday = days >= 5 && rng.chance(0.015) ? rng.below(days - 3) : nil
        let suspension = nc >= 7 && rng.chance(vulnerable ? 0.02 : 0.004) ? rng.below(days) : nil
        return AttendanceProfile(kind: kind, absenceRate: rate, partTimeAfternoons: partTimeAfternoons,
                                 partTimetable: partTimetable, dualRegistered: dual,
                                 holidayStart: holiday, suspensionStart: suspension)
    }

    func writeAttendance(_ directory: URL, truth: ExtractWriter) throws -> [ExtractFile] {
        let name = "attendance.csv"
        let w = try ExtractWriter(url: directory.appendingPathComponent(name))
        w.header(["school_urn", "upn", "forename", "surname", "date_of_birth", "date", "session", "code"])
        let days = attendanceDays()
        guard let first = days.first, let last = days.last else {
            try w.finish()
            return [ExtractFile(name: name, kind: "attendance-csv", rows: 0, bytes: w.bytesWritten)]
        }
        let dayNumbers = days.map(\.daysSince1970)
        let dayBytes: [[UInt8]] = days.map { Array(($0.description + ",").utf8) }
        let am = Array("AM,".utf8), pm = Array("PM,".utf8)
        // The first school day after a holiday of a week or more (or the start of the window).
        var returnIndex = 0
        for k in 1..<max(1, days.count) where dayNumbers[k] - dayNumbers[k - 1] > 4 { returnIndex = k }
        let recentFrom = max(0, days.count - 3)      // N (reason not yet established) only this recent
        let quoted = quotedNicknamePupil()
        let academicYear = internals.academicYear
        var prefix: [UInt8] = []
        prefix.reserveCapacity(128)

        for (s, group) in enrolmentsBySetting().enumerated() {
            let setting = internals.settings[s]
            guard setting.takesRegister else { continue }
            var schoolRng = SeededRandom(seed: configuration.seed, stream: .attendanceSchool, index: UInt64(setting.urn))
            // Some schools have a planned closure day (`#`) in the window.
            let closureDay = schoolRng.chance(0.15) ? schoolRng.below(days.count) : -1
            let closed = days.indices.map { $0 == closureDay }
            for i in group {
                let e = enrolments[i]
                guard e.from <= last, (e.to.map { $0 >= first } ?? true) else { continue }
                let p = people[e.personID - 1]
                guard let upn = p.upn, let dob = p.dateOfBirth else { continue }
                let h = schoolHeld(p.id, urn: setting.urn, quoted: quoted)
                prefix.removeAll(keepingCapacity: true)
                prefix.append(contentsOf: String(setting.urn).utf8); prefix.append(44)
                ExtractWriter.fieldBytes(upn, into: &prefix); prefix.append(44)
                ExtractWriter.fieldBytes(h.given, into: &prefix); prefix.append(44)
                ExtractWriter.fieldBytes(h.family, into: &prefix); prefix.append(44)
                if let held = h.dateOfBirth { prefix.append(contentsOf: held.description.utf8) }
                prefix.append(44)

                let cohort = dob.month >= 9 ? dob.year : dob.year - 1
                let nc = academicYear - cohort - 5
                var rng = SeededRandom(seed: configuration.seed, stream: .attendance,
                                       index: SplitMix64.hash(UInt64(p.id), UInt64(setting.urn)))
                let profile = attendanceProfile(p.id, urn: setting.urn, nc: nc, days: days.count, rng: &rng)
                let fromDay = e.from.daysSince1970
                let toDay = e.to?.daysSince1970 ?? Int.max
                var spellLeft = 0
                var spellCode = "I"
                var wrote = false
                for k in 0..<days.count {
                    let day = dayNumbers[k]
                    if day > toDay { break }
                    // A prospective pupil appears (as Z) at most a week before joining.
                    if day < fromDay && k + 5 < days.count && dayNumbers[k + 5] < fromDay { continue }
                    var morning: String
                    var afternoon: String
                    if closed[k] {
                        morning = "#"; afternoon = "#"
                    } else if day < fromDay {
                        morning = "Z"; afternoon = "Z"
                    } else if profile.kind == .alternativeProvision {
                        morning = "K"; afternoon = "K"
                    } else if profile.kind == .didNotReturn && k >= returnIndex {
                        let code = k >= recentFrom ? "N" : "O"
                        morning = code; afternoon = code
                    } else if let start = profile.suspensionStart, k >= start && k < start + 2 {
                        morning = "E"; afternoon = "E"
                    } else if let start = profile.holidayStart, k >= start && k < start + 4 {
                        morning = "G"; afternoon = "G"
                    } else if spellLeft > 0 {
                        spellLeft -= 1
                        morning = spellCode; afternoon = spellCode
                    } else if rng.chance(profile.absenceRate) {
                        let roll = rng.below(100)
                        let unauthorisedShare = profile.kind == .usual ? 15 : 45
                        if roll < 8 {
                            // A medical appointment: one session.
                            if rng.chance(0.5) {
                                morning = "M"; afternoon = "\\"
                            } else {
                                morning = "/"; afternoon = "M"
                            }
                        } else if roll < 8 + unauthorisedShare {
                            spellCode = k >= recentFrom ? "N" : "O"
                            spellLeft = profile.kind == .severe ? rng.int(in: 0...4) : rng.int(in: 0...1)
                            morning = spellCode; afternoon = spellCode
                        } else if roll < 8 + unauthorisedShare + 3 {
                            morning = "C"; afternoon = "C"
                        } else {
                            spellCode = "I"
                            spellLeft = rng.skewedLow(in: 0...3)
                            morning = "I"; afternoon = "I"
                        }
                    } else {
                        morning = presentCode(am: true, nc: nc, dual: profile.dualRegistered, rng: &rng)
                        afternoon = presentCode(am: false, nc: nc, dual: profile.dualRegistered, rng: &rng)
                    }
                    if profile.partTimeAfternoons && !closed[k] && day >= fromDay { afternoon = "X" }
                    if profile.partTimetable && !closed[k] && day >= fromDay && profile.kind == .severe { afternoon = "C2" }
                    w.raw(prefix); w.raw(dayBytes[k]); w.raw(am); w.raw(morning); w.endRecord()
                    w.raw(prefix); w.raw(dayBytes[k]); w.raw(pm); w.raw(afternoon); w.endRecord()
                    wrote = true
                }
                if wrote { Self.truthRow(truth, name, String(setting.urn) + "|" + upn, p.id) }
            }
        }
        try w.finish()
        return [ExtractFile(name: name, kind: "attendance-csv", rows: w.records, bytes: w.bytesWritten)]
    }

    /// A mark for a session the pupil attended (or an approved activity, or rarely a session
    /// where attendance was not possible).
    private func presentCode(am: Bool, nc: Int, dual: Bool, rng: inout SeededRandom) -> String {
        let roll = rng.below(10_000)
        switch roll {
        case ..<200: return "L"
        case ..<230: return "U"
        case ..<250: return "P"
        case ..<270: return "V"
        case ..<280: return "B"
        case ..<290: return nc >= 10 ? "W" : (am ? "/" : "\\")
        case ..<295: return nc >= 11 ? "J1" : (am ? "/" : "\\")
        case ..<305: return "R"
        case ..<308: return "Y1"
        case ..<310: return "Y7"
        case ..<312: return "Q"
        default:
            if dual && roll < 2_300 { return "D" }
            return am ? "/" : "\\"
        }
    }
}

extension SyntheticArea {
    /// Writes only `attendance.csv` into `directory` (its truth rows go to
    /// `attendance-truth.csv` beside it), for the demo's first attendance import.
    public func writeAttendanceExtract(to directory: URL) throws -> ExtractFile {
        try writeOne("attendance-truth.csv", to: directory, writeAttendance)
    }
}
