import EyesOnCore
import Foundation

/// Writing the agencies' extracts and the ground truth.
///
/// Every file is written streaming through ``ExtractWriter``. CSV files are RFC 4180 (CRLF line
/// ends, quotes only where needed), UTF-8 without a byte-order mark; dates are ISO `YYYY-MM-DD`
/// except in SSDA903 (`dd/mm/yyyy`, as the DfE specifies).
///
/// `truth.csv` (`file,record_key,truth_person_id`) names, for every record of every extract, the
/// person it is really about. The record key per file:
///
/// | file | record_key |
/// |---|---|
/// | `cin-census.xml` | the `LAchildID` |
/// | `ssda903/header.csv`, `ssda903/oc3.csv` | `CHILD` |
/// | `ssda903/episodes.csv` | `CHILD|DECOM` |
/// | `ssda903/reviews.csv` | `CHILD|REVIEW` |
/// | `ssda903/missing.csv` | `CHILD|MIS_START` |
/// | `attendance.csv` | `school_urn|upn` (one truth row per pupil, covering all its session rows) |
/// | `school-roll.csv` | the data row number (1 = first row after the header) |
/// | `marac.csv` | `case_id|victim`, `case_id|perpetrator`, `case_id|child|child_number` |
/// | `police-incidents.csv` | `reference|party_number` |
/// | `health-caseload.csv` | `ods_code|local_id` |
extension SyntheticArea {
    /// Writes every extract and `truth.csv` into `directory` (created if needed) and returns
    /// what was written. `progress` gets the file being written and the overall fraction done.
    public func writeExtracts(to directory: URL, progress: ((String, Double) -> Void)? = nil) throws -> [ExtractFile] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let truth = try ExtractWriter(url: directory.appendingPathComponent("truth.csv"))
        truth.header(["file", "record_key", "truth_person_id"])
        var files: [ExtractFile] = []
        let steps: [(String, (ExtractWriter) throws -> [ExtractFile])] = [
            ("cin-census.xml", { try writeCINCensus(directory, truth: $0) }),
            ("ssda903", { try writeSSDA903(directory, truth: $0) }),
            ("referrals.csv", { try writeReferrals(directory, truth: $0) }),
            ("attendance.csv", { try writeAttendance(directory, truth: $0) }),
            ("school-roll.csv", { try writeSchoolRoll(directory, truth: $0) }),
            ("marac.csv", { try writeMARAC(directory, truth: $0) }),
            ("police-incidents.csv", { try writePoliceIncidents(directory, truth: $0) }),
            ("health-caseload.csv", { try writeHealthCaseload(directory, truth: $0) }),
        ]
        for (i, step) in steps.enumerated() {
            progress?(step.0, Double(i) / Double(steps.count + 1))
            files += try step.1(truth)
        }
        try truth.finish()
        files.append(ExtractFile(name: "truth.csv", kind: "truth-csv", rows: truth.records, bytes: truth.bytesWritten))
        progress?("truth.csv", 1)
        return files
    }

    static func truthRow(_ truth: ExtractWriter, _ file: String, _ key: String, _ person: Int) {
        truth.field(file); truth.comma(); truth.field(key); truth.comma(); truth.int(person); truth.endRecord()
    }

    // MARK: - CIN census

    /// Whether an episode falls in the census year (open at its start or active during it).
    func inCensusYear(_ e: SyntheticCINEpisode) -> Bool {
        e.referralDate <= configuration.asOf && (e.closureDate.map { $0 >= censusYearStart } ?? true)
    }

    /// The CIN census XML, 2024-25 layout (`<Sex>`), elements in the XSD's order (STANDARDS §1.2).
    func writeCINCensus(_ directory: URL, truth: ExtractWriter) throws -> [ExtractFile] {
        let name = "cin-census.xml"
        let w = try ExtractWriter(url: directory.appendingPathComponent(name))
        let start = censusYearStart
        w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        w.open("Message", indent: 0)
        w.open("Header", indent: 2)
        w.open("CollectionDetails", indent: 4)
        w.element("Collection", "CIN", indent: 6)
        w.element("Year", String(censusReferenceDate.year), indent: 6)
        w.element("ReferenceDate", censusReferenceDate, indent: 6)
        w.close("CollectionDetails", indent: 4)
        w.open("Source", indent: 4)
        w.element("SourceLevel", "L", indent: 6)
        w.element("LEA", localAuthority.code, indent: 6)
        w.element("SoftwareCode", "EyesOn Synthetic", indent: 6)
        w.element("Release", "1.0", indent: 6)
        w.element("SerialNo", "001", indent: 6)
        w.element("DateTime", configuration.asOf.description + "T18:00:00", indent: 6)
        w.close("Source", indent: 4)
        w.close("Header", indent: 2)
        w.open("Children", indent: 2)
        for record in socialCare where record.status != .careLeaver {
            let episodes = record.episodes.filter(inCensusYear)
            guard !episodes.isEmpty else { continue }
            let p = people[record.personID - 1]
            let held = held(p.id, .socialCare)
            w.open("Child", indent: 4)
            w.open("ChildIdentifiers", indent: 6)
            w.element("LAchildID", record.laChildID, indent: 8)
            if let upn = p.upn, !held.upnMissing {
                w.element("UPN", upn, indent: 8)
            } else {
                w.element("UPNunknown", upnUnknownReason(p, episodes: episodes, hasUPN: p.upn != nil), indent: 8)
            }
            if p.kind == .unbornChild {
                w.element("ExpectedPersonBirthDate", p.expectedDateOfBirth!, indent: 8)
            } else if let dob = held.dateOfBirth {
                w.element("PersonBirthDate", dob, indent: 8)
            }
            w.element("Sex", p.sex.rawValue, indent: 8)
            w.close("ChildIdentifiers", indent: 6)
            w.open("ChildCharacteristics", indent: 6)
            w.element("Ethnicity", record.ethnicity, indent: 8)
            if p.kind != .unbornChild {
                w.open("Disabilities", indent: 8)
                for code in record.disabilities.isEmpty ? ["NONE"] : record.disabilities {
                    w.element("Disability", code, indent: 10)
                }
                w.close("Disabilities", indent: 8)
            }
            w.close("ChildCharacteristics", indent: 6)
            for e in episodes { writeCINDetails(e, to: w, censusStart: start) }
            w.close("Child", indent: 4)
            w.countRecord()
            Self.truthRow(truth, name, record.laChildID, p.id)
        }
        w.close("Children", indent: 2)
        w.close("Message", indent: 0)
        try w.finish()
        return [ExtractFile(name: name, kind: "cin-census-xml", rows: w.records, bytes: w.bytesWritten)]
    }

    /// UN1 not of school age; UN7 referral with no further action; UN5 sources disagree (the
    /// UPN is known elsewhere); UN4 not yet known; UN2 never at a maintained school in England.
    func upnUnknownReason(_ p: SyntheticPerson, episodes: [SyntheticCINEpisode], hasUPN: Bool) -> String {
        if p.kind == .unbornChild { return "UN1" }
        if let dob = p.dateOfBirth {
            let cohort = dob.month >= 9 ? dob.year : dob.year - 1
            if internals.academicYear - cohort - 5 < 0 { return "UN1" }
        }
        if episodes.allSatisfy(\.referralNFA) { return "UN7" }
        if hasUPN { return p.id % 2 == 0 ? "UN5" : "UN4" }
        return p.id % 3 == 0 ? "UN2" : "UN4"
    }

    func writeCINDetails(_ e: SyntheticCINEpisode, to w: ExtractWriter, censusStart: CivilDate) {
        w.open("CINdetails", indent: 6)
        w.element("CINreferralDate", e.referralDate, indent: 8)
        w.element("ReferralSource", e.referralSource, indent: 8)
        if let need = e.primaryNeed { w.element("PrimaryNeedCode", need, indent: 8) }
        if let closed = e.closureDate { w.element("CINclosureDate", closed, indent: 8) }
        if let reason = e.closureReason { w.element("ReasonForClosure", reason, indent: 8) }
        for a in e.assessments where a.authorised.map({ $0 >= censusStart }) ?? true {
            w.open("Assessments", indent: 8)
            w.element("AssessmentActualStartDate", a.start, indent: 10)
            if let done = a.authorised { w.element("AssessmentAuthorisationDate", done, indent: 10) }
            if !a.factors.isEmpty {
                w.open("FactorsIdentifiedAtAssessment", indent: 10)
                for f in a.factors { w.element("AssessmentFactors", f, indent: 12) }
                w.close("FactorsIdentifiedAtAssessment", indent: 10)
            }
            w.close("Assessments", indent: 8)
        }
        for plan in e.cinPlans where plan.end.map({ $0 >= censusStart }) ?? true {
            w.open("CINPlanDates", indent: 8)
            w.element("CINPlanStartDate", plan.start, indent: 10)
            if let end = plan.end { w.element("CINPlanEndDate", end, indent: 10) }
            w.close("CINPlanDates", indent: 8)
        }
        for s in e.section47s where s.start >= censusStart || (s.icpcDate.map { $0 >= censusStart } ?? !s.icpcNotRequired) {
            w.open("Section47", indent: 8)
            w.element("S47ActualStartDate", s.start, indent: 10)
            if let target = s.icpcTarget { w.element("InitialCPCtarget", target, indent: 10) }
            if let icpc = s.icpcDate { w.element("DateOfInitialCPC", icpc, indent: 10) }
            w.element("ICPCnotRequired", s.icpcNotRequired ? "true" : "false", indent: 10)
            w.close("Section47", indent: 8)
        }
        w.element("ReferralNFA", e.referralNFA ? "true" : "false", indent: 8)
        for plan in e.protectionPlans where plan.end.map({ $0 >= censusStart }) ?? true {
            w.open("ChildProtectionPlans", indent: 8)
            w.element("CPPstartDate", plan.start, indent: 10)
            if let end = plan.end { w.element("CPPendDate", end, indent: 10) }
            w.element("InitialCategoryOfAbuse", plan.initialCategory, indent: 10)
            w.element("LatestCategoryOfAbuse", plan.latestCategory, indent: 10)
            w.element("NumberOfPreviousCPP", String(plan.previousPlans), indent: 10)
            let reviews = plan.reviews.filter { $0 >= censusStart }
            if !reviews.isEmpty {
                w.open("Reviews", indent: 10)
                for r in reviews { w.element("CPPreviewDate", r, indent: 12) }
                w.close("Reviews", indent: 10)
            }
            w.close("ChildProtectionPlans", indent: 8)
        }
        w.close("CINdetails", indent: 6)
    }

    // MARK: - SSDA903

    func writeSSDA903(_ directory: URL, truth: ExtractWriter) throws -> [ExtractFile] {
        let folder = directory.appendingPathComponent("ssda903")
        let header = try ExtractWriter(url: folder.appendingPathComponent("header.csv"))
        let episodes = try ExtractWriter(url: folder.appendingPathComponent("episodes.csv"))
        let missing = try ExtractWriter(url: folder.appendingPathComponent("missing.csv"))
        let oc3 = try ExtractWriter(url: folder.appendingPathComponent("oc3.csv"))
        let reviews = try ExtractWriter(url: folder.appendingPathComponent("reviews.csv"))
        header.header(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
        episodes.header(["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                         "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"])
        missing.header(["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"])
        oc3.header(["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"])
        reviews.header(["CHILD", "DOB", "REVIEW", "REVIEW_CODE"])
        let start = censusYearStart
        var truthRows: [(String, String, Int)] = []
        for record in socialCare {
            let inYear = record.careEpisodes.filter { $0.end.map { $0 >= start } ?? true }
            guard !inYear.isEmpty || record.careLeaver != nil else { continue }
            let p = people[record.personID - 1]
            let held = held(p.id, .socialCare)
            let child = record.laChildID
            let dob = held.dateOfBirth ?? p.dateOfBirth
            // Header.
            header.field(child); header.comma()
            header.raw(p.sex == .male ? "1" : "2"); header.comma()
            if let dob { header.ukDate(dob) }
            header.comma()
            header.field(record.ethnicity); header.comma()
            if let upn = p.upn, !held.upnMissing {
                header.field(upn)
            } else {
                let nc = dob.map { d in internals.academicYear - (d.month >= 9 ? d.year : d.year - 1) - 5 } ?? 0
                header.raw(nc < 0 ? "UN1" : (p.upn != nil ? "UN5" : "UN4"))
            }
            header.comma()
            if p.sex == .female, let d = p.dateOfBirth, d.adding(years: 12) <= configuration.asOf { header.raw("0") }
            header.comma()
            header.endRecord()
            truthRows.append(("ssda903/header.csv", child, p.id))
            for e in inYear {
                episodes.field(child); episodes.comma()
                episodes.ukDate(e.start); episodes.comma()
                episodes.field(e.reasonNew); episodes.comma()
                episodes.field(e.legalStatus); episodes.comma()
                episodes.field(e.needCode); episodes.comma()
                episodes.field(e.placement); episodes.comma()
                episodes.field(e.provider); episodes.comma()
                if let end = e.end { episodes.ukDate(end) }
                episodes.comma()
                if let rec = e.reasonEnded { episodes.field(rec) }
                episodes.comma()
                if let why = e.reasonPlaceChange { episodes.field(why) }
                episodes.comma()
                episodes.field(e.homePostcode); episodes.comma()
                episodes.field(e.placementPostcode); episodes.comma()
                episodes.field(e.urn)
                episodes.endRecord()
                truthRows.append(("ssda903/episodes.csv", child + "|" + Self.ukDate(e.start), p.id))
            }
            for r in record.reviews where r.date >= start {
                reviews.field(child); reviews.comma()
                if let dob { reviews.ukDate(dob) }
                reviews.comma()
                reviews.ukDate(r.date); reviews.comma()
                reviews.field(r.participation)
                reviews.endRecord()
                truthRows.append(("ssda903/reviews.csv", child + "|" + Self.ukDate(r.date), p.id))
            }
            for m in record.missing where m.start >= start {
                missing.field(child); missing.comma()
                if let dob { missing.ukDate(dob) }
                missing.comma()
                missing.field(m.kind); missing.comma()
                missing.ukDate(m.start); missing.comma()
                if let end = m.end { missing.ukDate(end) }
                missing.endRecord()
                truthRows.append(("ssda903/missing.csv", child + "|" + Self.ukDate(m.start), p.id))
            }
            if let leaver = record.careLeaver {
                oc3.field(child); oc3.comma()
                if let dob { oc3.ukDate(dob) }
                oc3.comma()
                oc3.field(leaver.inTouch); oc3.comma()
                oc3.field(leaver.activity); oc3.comma()
                oc3.field(leaver.accommodation)
                oc3.endRecord()
                truthRows.append(("ssda903/oc3.csv", child, p.id))
            }
        }
        // Truth rows grouped by file, in the order the files list.
        for file in ["ssda903/header.csv", "ssda903/episodes.csv", "ssda903/missing.csv", "ssda903/oc3.csv", "ssda903/reviews.csv"] {
            for row in truthRows where row.0 == file { Self.truthRow(truth, row.0, row.1, row.2) }
        }
        var out: [ExtractFile] = []
        for (w, name, kind) in [(header, "header.csv", "ssda903-header"), (episodes, "episodes.csv", "ssda903-episodes"),
                                (missing, "missing.csv", "ssda903-missing"), (oc3, "oc3.csv", "ssda903-oc3"),
                                (reviews, "reviews.csv", "ssda903-reviews")] {
            try w.finish()
            out.append(ExtractFile(name: "ssda903/" + name, kind: kind, rows: w.records, bytes: w.bytesWritten))
        }
        return out
    }

    // MARK: - Front-door referrals

    /// The teams the front door allocates children's cases to (a child stays with one team).
    static let socialWorkTeams = ["Assessment Team North", "Assessment Team South", "Children in Care Team", "Child Protection Team"]

    /// The front door's referrals of the last 12 months, as its case system exports them through
    /// the year (the census has them only once a year): one row per referral, the child as
    /// children's social care holds them, the source code, the outcome and the decision's day.
    func writeReferrals(_ directory: URL, truth: ExtractWriter) throws -> [ExtractFile] {
        let name = "referrals.csv"
        let w = try ExtractWriter(url: directory.appendingPathComponent(name))
        w.header(["referral_id", "la_child_id", "upn", "nhs_number", "forename", "surname", "date_of_birth", "referral_date", "source",
                  "outcome", "decision_date", "team"])
        let since = configuration.asOf.adding(months: -12)
        var n = 0
        for record in socialCare {
            let p = people[record.personID - 1]
            let h = held(p.id, .socialCare)
            for e in record.episodes where e.referralDate >= since && e.referralDate <= configuration.asOf {
                n += 1
                let id = "REF" + AreaBuilder.pad(n, 7)
                // Decided the same day, or the next day for one referral in five (pending until then).
                let decided = e.referralDate.adding(days: n % 5 == 0 ? 1 : 0)
                let outcome = decided > configuration.asOf ? "pending" : e.referralNFA ? "no-further-action"
                    : !e.section47s.isEmpty ? "section-47" : !e.assessments.isEmpty ? "assessment" : "early-help"
                w.field(id); w.comma()
                w.field(record.laChildID); w.comma()
                if let upn = p.upn, !h.upnMissing { w.field(upn) }
                w.comma()
                if let nhs = h.nhsNumber { w.field(nhs) }
                w.comma()
                w.field(h.given); w.comma()
                w.field(h.family); w.comma()
                if let d = h.dateOfBirth { w.isoDate(d) }
                w.comma()
                w.isoDate(e.referralDate); w.comma()
                w.field(e.referralSource); w.comma()
                w.field(outcome); w.comma()
                if decided <= configuration.asOf { w.isoDate(decided) }
                w.comma()
                w.field(Self.socialWorkTeams[record.personID % Self.socialWorkTeams.count])
                w.endRecord()
                Self.truthRow(truth, name, id, p.id)
            }
        }
        try w.finish()
        return [ExtractFile(name: name, kind: "referrals-csv", rows: w.records, bytes: w.bytesWritten)]
    }

    static func ukDate(_ d: CivilDate) -> String {
        AreaBuilder.pad(d.day, 2) + "/" + AreaBuilder.pad(d.month, 2) + "/" + AreaBuilder.pad(d.year, 4)
    }

    // MARK: - School roll

    /// Enrolment indices grouped by setting, in setting order (then enrolment order).
    func enrolmentsBySetting() -> [[Int]] {
        var keyIndex: [String: Int] = [:]
        for (i, s) in internals.settings.enumerated() { keyIndex[s.key] = i }
        var groups = [[Int]](repeating: [], count: internals.settings.count)
        for (i, e) in enrolments.enumerated() {
            if let s = keyIndex[e.agencyKey] { groups[s].append(i) }
        }
        return groups
    }

    /// The first pupil (by truth id) with a school UPN whose given name has a short form: the
    /// schools hold them as `Given "Short"` (see ``HostileData``).
    func quotedNicknamePupil() -> Int? {
        people.first { p in
            let s = internals.currentSetting[p.id - 1]
            return p.kind == .child && p.upn != nil && NameLists.nicknames[p.givenName] != nil
                && s >= 0 && internals.settings[Int(s)].takesRegister
        }?.id
    }

    /// How school `urn` holds pupil `id`.
    func schoolHeld(_ id: Int, urn: Int, quoted: Int?) -> HeldIdentity {
        var h = held(id, .school, instance: UInt64(urn))
        if id == quoted, let short = NameLists.nicknames[people[id - 1].givenName]?.first {
            h.given = people[id - 1].givenName + " \"" + short + "\""
        }
        return h
    }

    func writeSchoolRoll(_ directory: URL, truth: ExtractWriter) throws -> [ExtractFile] {
        let name = "school-roll.csv"
        let w = try ExtractWriter(url: directory.appendingPathComponent(name))
        w.header(["school_urn", "upn", "forename", "surname", "date_of_birth", "sex", "postcode", "entry_date", "leaving_date"])
        let quoted = quotedNicknamePupil()
        var row = 0
        for (s, group) in enrolmentsBySetting().enumerated() {
            let setting = internals.settings[s]
            for i in group {
                let e = enrolments[i]
                let p = people[e.personID - 1]
                let h = schoolHeld(p.id, urn: setting.urn, quoted: quoted)
                w.int(setting.urn); w.comma()
                if setting.phase != .nursery, let upn = p.upn { w.field(upn) }
                w.comma()
                w.field(h.given); w.comma()
                w.field(h.family); w.comma()
                if let dob = h.dateOfBirth { w.isoDate(dob) }
                w.comma()
                w.raw(p.sex.rawValue); w.comma()
                w.field(h.postcode); w.comma()
                w.isoDate(e.from); w.comma()
                if let to = e.to { w.isoDate(to) }
                w.endRecord()
                row += 1
                Self.truthRow(truth, name, String(row), p.id)
            }
        }
        try w.finish()
        return [ExtractFile(name: name, kind: "school-roll-csv", rows: w.records, bytes: w.bytesWritten)]
    }

    // MARK: - Pupil characteristics

    /// The school census's characteristics of every pupil with a UPN, as the local authority's
    /// education team holds them: `upn,fsm_eligible,sen_provision`. About one pupil in five is
    /// eligible for free school meals and one in twenty-five has an EHC plan (one in nine SEN
    /// support); children known to children's social care far more often.
    func writePupilCharacteristics(_ directory: URL, truth: ExtractWriter) throws -> [ExtractFile] {
        let name = "pupil-characteristics.csv"
        let w = try ExtractWriter(url: directory.appendingPathComponent(name))
        w.header(["upn", "fsm_eligible", "sen_provision"])
        let known = Set(socialCare.map(\.personID))
        var seen: Set<String> = []
        for e in enrolments {
            let p = people[e.personID - 1]
            guard let upn = p.upn, seen.insert(upn).inserted else { continue }
            var rng = SeededRandom(seed: configuration.seed, stream: .pupilCharacteristics, index: UInt64(p.id))
            let vulnerable = known.contains(p.id)
            let fsm = rng.chance(vulnerable ? 0.62 : 0.21)
            let roll = rng.unit()
            let sen = roll < (vulnerable ? 0.14 : 0.04) ? "E" : roll < (vulnerable ? 0.40 : 0.15) ? "K" : "N"
            w.field(upn); w.comma()
            w.raw(fsm ? "Y" : "N"); w.comma()
            w.raw(sen)
            w.endRecord()
            Self.truthRow(truth, name, upn, p.id)
        }
        try w.finish()
        return [ExtractFile(name: name, kind: "pupil-characteristics-csv", rows: w.records, bytes: w.bytesWritten)]
    }

    // MARK: - MARAC

    /// MARAC list: **one row per child in the victim's household**, the case's columns repeated
    /// on each; a case with no children has one row with the child columns empty.
    /// `child_number` numbers the children of a case 1, 2, 3….
    func writeMARAC(_ directory: URL, truth: ExtractWriter) throws -> [ExtractFile] {
        let name = "marac.csv"
        let w = try ExtractWriter(url: directory.appendingPathComponent(name))
        w.header(["case_id", "meeting_date", "referring_agency", "dash_score", "referral_reason", "previous_meeting_date",
                  "victim_forename", "victim_surname", "victim_dob", "victim_postcode",
                  "perpetrator_forename", "perpetrator_surname", "perpetrator_dob",
                  "child_number", "child_forename", "child_surname", "child_dob", "child_school_urn"])
        for c in maracCases {
            let v = held(c.victimID, .marac)
            let perp = held(c.perpetratorID, .marac)
            Self.truthRow(truth, name, c.caseID + "|victim", c.victimID)
            Self.truthRow(truth, name, c.caseID + "|perpetrator", c.perpetratorID)
            let children: [Int?] = c.childIDs.isEmpty ? [nil] : c.childIDs.map { $0 }
            for (n, child) in children.enumerated() {
                w.field(c.caseID); w.comma()
                w.isoDate(c.meetingDate); w.comma()
                w.field(c.referringAgency); w.comma()
                w.int(c.dashScore); w.comma()
                w.field(c.referralReason); w.comma()
                if let prev = c.previousMeetingDate { w.isoDate(prev) }
                w.comma()
                w.field(v.given); w.comma(); w.field(v.family); w.comma()
                if let d = v.dateOfBirth { w.isoDate(d) }
                w.comma(); w.field(v.postcode); w.comma()
                w.field(perp.given); w.comma(); w.field(perp.family); w.comma()
                if let d = perp.dateOfBirth { w.isoDate(d) }
                w.comma()
                if let child {
                    let h = held(child, .marac)
                    w.int(n + 1); w.comma()
                    w.field(h.given); w.comma(); w.field(h.family); w.comma()
                    if let d = h.dateOfBirth { w.isoDate(d) }
                    w.comma()
                    let s = internals.currentSetting[child - 1]
                    if s >= 0 { w.int(internals.settings[Int(s)].urn) }
                    Self.truthRow(truth, name, c.caseID + "|child|" + String(n + 1), child)
                } else {
                    w.comma(); w.comma(); w.comma(); w.comma()
                }
                w.endRecord()
            }
        }
        try w.finish()
        return [ExtractFile(name: name, kind: "marac-csv", rows: w.records, bytes: w.bytesWritten)]
    }

    // MARK: - Police incidents

    /// One row per party to an incident (victim, suspect, each child present).
    func writePoliceIncidents(_ directory: URL, truth: ExtractWriter) throws -> [ExtractFile] {
        let name = "police-incidents.csv"
        let w = try ExtractWriter(url: directory.appendingPathComponent(name))
        w.header(["reference", "occurred_at", "postcode", "risk_level", "party_number", "role",
                  "forename", "surname", "date_of_birth", "sex", "school_urn", "child_presence"])
        var notedChild = false
        for incident in policeIncidents {
            var parties: [(Int, String, String?)] = [(incident.victimID, "victim", nil), (incident.suspectID, "suspect", nil)]
            parties += incident.children.map { ($0.personID, "child", $0.presence) }
            for (n, party) in parties.enumerated() {
                let (id, role, presence) = party
                var h = held(id, .police)
                if role == "child" && !notedChild {
                    h.family += HostileData.policeNote
                    notedChild = true
                }
                w.field(incident.reference); w.comma()
                w.isoDate(incident.date); w.byte(84)         // 'T'
                w.int(incident.minuteOfDay / 60, width: 2); w.byte(58); w.int(incident.minuteOfDay % 60, width: 2)
                w.raw(":00"); w.comma()
                w.field(incident.postcode); w.comma()
                w.field(incident.riskLevel); w.comma()
                w.int(n + 1); w.comma()
                w.field(role); w.comma()
                w.field(h.given); w.comma(); w.field(h.family); w.comma()
                if let d = h.dateOfBirth { w.isoDate(d) }
                w.comma()
                w.raw(people[id - 1].sex.rawValue); w.comma()
                if role == "child" {
                    let s = internals.currentSetting[id - 1]
                    if s >= 0 { w.int(internals.settings[Int(s)].urn) }
                }
                w.comma()
                if let presence { w.field(presence) }
                w.endRecord()
                Self.truthRow(truth, name, incident.reference + "|" + String(n + 1), id)
            }
        }
        try w.finish()
        return [ExtractFile(name: name, kind: "police-incidents-csv", rows: w.records, bytes: w.bytesWritten)]
    }

    // MARK: - Health caseloads

    func writeHealthCaseload(_ directory: URL, truth: ExtractWriter) throws -> [ExtractFile] {
        let name = "health-caseload.csv"
        let w = try ExtractWriter(url: directory.appendingPathComponent(name))
        w.header(["ods_code", "caseload_type", "local_id", "nhs_number", "forename", "surname", "date_of_birth",
                  "expected_date_of_birth", "sex", "postcode", "address", "gp_practice", "mother_local_id"])
        var ampersandDone = false
        var mothers: [String: HeldIdentity] = [:]
        for entry in caseloads {
            let p = people[entry.personID - 1]
            var h = held(p.id, .health)
            if entry.caseloadType == "midwifery" && entry.motherLocalID == nil { mothers[entry.localID] = h }
            if p.kind == .unbornChild, let mother = entry.motherLocalID.flatMap({ mothers[$0] }) {
                // The maternity record of an unborn baby: no name yet, the mother's surname and address.
                h.given = ""
                h.family = mother.family
                h.postcode = mother.postcode
            }
            if !ampersandDone && entry.caseloadType == "health-visiting" {
                let surnames = households[p.householdID - 1].adultIDs.map { people[$0 - 1].familyName }
                if surnames.count == 2 && surnames[0] != surnames[1] {
                    h.family = surnames[0] + " & " + surnames[1]
                    ampersandDone = true
                }
            }
            let household = households[p.householdID - 1]
            w.field(entry.odsCode); w.comma()
            w.field(entry.caseloadType); w.comma()
            w.field(entry.localID); w.comma()
            if let nhs = h.nhsNumber { w.field(nhs) }
            w.comma()
            w.field(h.given); w.comma()
            w.field(h.family); w.comma()
            if p.kind != .unbornChild, let d = h.dateOfBirth { w.isoDate(d) }
            w.comma()
            if let edd = p.expectedDateOfBirth { w.isoDate(edd) }
            w.comma()
            w.raw(p.sex.rawValue); w.comma()
            w.field(h.postcode); w.comma()
            w.field(h.postcode == p.postcode ? p.address : "")
            w.comma()
            w.field(household.gpPracticeODS); w.comma()
            if let mother = entry.motherLocalID { w.field(mother) }
            w.endRecord()
            Self.truthRow(truth, name, entry.odsCode + "|" + entry.localID, p.id)
        }
        try w.finish()
        return [ExtractFile(name: name, kind: "health-caseload-csv", rows: w.records, bytes: w.bytesWritten)]
    }
}

extension SyntheticArea {
    /// Writes one extract into `directory`, its truth rows to `truthName` beside it.
    func writeOne(_ truthName: String, to directory: URL, _ write: (URL, ExtractWriter) throws -> [ExtractFile]) throws -> ExtractFile {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let truth = try ExtractWriter(url: directory.appendingPathComponent(truthName))
        truth.header(["file", "record_key", "truth_person_id"])
        let files = try write(directory, truth)
        try truth.finish()
        return files[0]
    }

    /// Only `cin-census.xml` (truth rows to `cin-truth.csv`), for the demo's social care import.
    public func writeCINCensusExtract(to directory: URL) throws -> ExtractFile {
        try writeOne("cin-truth.csv", to: directory, writeCINCensus)
    }

    /// Only `police-incidents.csv` (truth rows to `police-truth.csv`), for the demo's notices.
    public func writePoliceIncidentsExtract(to directory: URL) throws -> ExtractFile {
        try writeOne("police-truth.csv", to: directory, writePoliceIncidents)
    }

    /// Only `health-caseload.csv` (truth rows to `health-truth.csv`), for the demo.
    public func writeHealthCaseloadExtract(to directory: URL) throws -> ExtractFile {
        try writeOne("health-truth.csv", to: directory, writeHealthCaseload)
    }

    /// Only `marac.csv` (truth rows to `marac-truth.csv`), for the demo.
    public func writeMARACExtract(to directory: URL) throws -> ExtractFile {
        try writeOne("marac-truth.csv", to: directory, writeMARAC)
    }

    /// Only `pupil-characteristics.csv` (truth rows to `pupil-characteristics-truth.csv`), for the demo.
    public func writePupilCharacteristicsExtract(to directory: URL) throws -> ExtractFile {
        try writeOne("pupil-characteristics-truth.csv", to: directory, writePupilCharacteristics)
    }

    /// Only `referrals.csv` (truth rows to `referrals-truth.csv`), for the demo.
    public func writeReferralsExtract(to directory: URL) throws -> ExtractFile {
        try writeOne("referrals-truth.csv", to: directory, writeReferrals)
    }

    /// Only the `ssda903/` folder of CSV tables (truth rows to `ssda903-truth.csv`), for the demo;
    /// returns the folder.
    public func writeSSDA903Extract(to directory: URL) throws -> URL {
        _ = try writeOne("ssda903-truth.csv", to: directory, writeSSDA903)
        return directory.appendingPathComponent("ssda903")
    }
}
