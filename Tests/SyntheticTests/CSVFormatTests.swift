import EyesOnCore
import Foundation
import Testing
@testable import Synthetic

@Suite("CSV extracts")
struct CSVFormatTests {
    static let headers: [String: [String]] = [
        "ssda903/header.csv": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
        "ssda903/episodes.csv": ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"],
        "ssda903/missing.csv": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
        "ssda903/oc3.csv": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
        "ssda903/reviews.csv": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
        "attendance.csv": ["school_urn", "upn", "forename", "surname", "date_of_birth", "date", "session", "code"],
        "school-roll.csv": ["school_urn", "upn", "forename", "surname", "date_of_birth", "sex", "postcode",
                            "entry_date", "leaving_date"],
        "marac.csv": ["case_id", "meeting_date", "referring_agency", "dash_score", "referral_reason", "previous_meeting_date",
                      "victim_forename", "victim_surname", "victim_dob", "victim_postcode",
                      "perpetrator_forename", "perpetrator_surname", "perpetrator_dob",
                      "child_number", "child_forename", "child_surname", "child_dob", "child_school_urn"],
        "police-incidents.csv": ["reference", "occurred_at", "postcode", "risk_level", "party_number", "role",
                                 "forename", "surname", "date_of_birth", "sex", "school_urn", "child_presence"],
        "health-caseload.csv": ["ods_code", "caseload_type", "local_id", "nhs_number", "forename", "surname",
                                "date_of_birth", "expected_date_of_birth", "sex", "postcode", "address",
                                "gp_practice", "mother_local_id"],
        "referrals.csv": ["referral_id", "la_child_id", "upn", "nhs_number", "forename", "surname", "date_of_birth", "referral_date",
                          "source", "outcome", "decision_date", "team"],
        "truth.csv": ["file", "record_key", "truth_person_id"],
    ]

    @Test("every CSV has the exact header and the same number of fields on every row", arguments: Array(headers.keys).sorted())
    func headerAndColumns(file: String) throws {
        let (header, rows) = Fixture.csv(file)
        #expect(header == Self.headers[file])
        #expect(!rows.isEmpty, "\(file) has no rows")
        for (i, row) in rows.enumerated() where row.count != header.count {
            Issue.record("\(file) row \(i + 1) has \(row.count) fields, the header \(header.count)")
            break
        }
        let reported = Fixture.written.files.first { $0.name == file }
        #expect(reported?.rows == rows.count, "ExtractFile.rows for \(file)")
    }

    @Test("records end in CRLF, files are UTF-8 without a byte-order mark")
    func lineEndings() throws {
        for file in Self.headers.keys {
            let data = Fixture.data(file)
            #expect(data.prefix(3) != Data([0xEF, 0xBB, 0xBF]))
            #expect(String(data: data, encoding: .utf8) != nil, "\(file) is not UTF-8")
            let bytes = [UInt8](data.prefix(200_000))
            for (i, b) in bytes.enumerated() where b == 10 {
                #expect(i > 0 && bytes[i - 1] == 13, "\(file): a bare LF")
                break
            }
        }
    }

    @Test("fields with commas, quotes and other awkward characters round-trip through RFC 4180 quoting")
    func quoting() throws {
        // Addresses contain commas; one pupil's forename carries a quoted short form.
        let health = Fixture.records("health-caseload.csv")
        #expect(health.contains { ($0["address"] ?? "").contains(", ") })
        #expect(health.contains { ($0["surname"] ?? "").contains(" & ") }, "the ampersand surname (HostileData)")
        let roll = Fixture.records("school-roll.csv")
        let quoted = try #require(roll.first { ($0["forename"] ?? "").contains("\"") }, "the quoted short form (HostileData)")
        #expect(quoted["forename"]!.hasSuffix("\""))
        #expect(Fixture.records("police-incidents.csv").contains { ($0["surname"] ?? "").contains("<") })
        let attendance = Fixture.csv("attendance.csv").rows
        #expect(attendance.contains { $0[2] == quoted["forename"] })

        // The writer itself.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-quote-\(ProcessInfo.processInfo.processIdentifier).csv")
        let w = try ExtractWriter(url: url)
        let awkward = ["plain", "a,b", "say \"hi\"", "line\nbreak", "Zoë O'Brien-Smith", "", "&<>"]
        w.header(["x"])
        w.row(awkward)
        try w.finish()
        let parsed = CSV.parse(try Data(contentsOf: url))
        #expect(parsed.count == 2)
        #expect(parsed[1] == awkward)
        try? FileManager.default.removeItem(at: url)
    }

    @Test("names with apostrophes, hyphens and accents are in the truth and in the extracts")
    func awkwardNames() {
        let names = Fixture.area.people.map { $0.givenName + " " + $0.familyName }
        #expect(names.contains { $0.contains("'") })
        #expect(names.contains { $0.contains("-") })
        #expect(names.contains { $0.contains("ë") || $0.contains("é") || $0.contains("á") || $0.contains("ł") })
        let roll = Fixture.records("school-roll.csv")
        #expect(roll.contains { ($0["surname"] ?? "").contains("'") })
        #expect(roll.contains { ($0["forename"]! + $0["surname"]!).unicodeScalars.contains { $0.value > 127 } })
    }

    @Test("SSDA903 dates are dd/mm/yyyy and codes come from the 903 lists")
    func ssda903Formats() throws {
        func ukDate(_ s: String) -> CivilDate? {
            let parts = s.split(separator: "/")
            guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4 else { return nil }
            return CivilDate(year: Int(parts[2])!, month: Int(parts[1])!, day: Int(parts[0])!)
        }
        let asOf = Fixture.asOf
        let episodes = Fixture.records("ssda903/episodes.csv")
        let places: Set = ["A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
                           "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"]
        var byChild: [String: [(CivilDate, CivilDate?)]] = [:]
        for e in episodes {
            let start = try #require(ukDate(e["DECOM"]!))
            #expect(start <= asOf)
            let end = e["DEC"]!.isEmpty ? nil : ukDate(e["DEC"]!)
            if let end { #expect(end >= start && end <= asOf) }
            #expect(["S", "L", "P", "T", "B", "U"].contains(e["RNE"]!))
            #expect(["C1", "C2", "V2", "V3", "V4", "E1", "L1", "L2", "L3", "J1", "J2", "J3"].contains(e["LS"]!))
            #expect(["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"].contains(e["CIN"]!))
            #expect(places.contains(e["PLACE"]!))
            #expect(["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"].contains(e["PLACE_PROVIDER"]!))
            #expect(e["DEC"]!.isEmpty == e["REC"]!.isEmpty)
            _ = try Postcode(e["HOME_POST"]!)
            _ = try Postcode(e["PL_POST"]!)
            byChild[e["CHILD"]!, default: []].append((start, end))
        }
        for (child, list) in byChild {
            for (a, b) in zip(list, list.dropFirst()) {
                #expect(a.1 != nil && a.1! <= b.0, "\(child): episodes overlap or are out of order")
            }
        }
        for h in Fixture.records("ssda903/header.csv") {
            #expect(["1", "2"].contains(h["SEX"]!))
            #expect(ukDate(h["DOB"]!) != nil)
            _ = try Ethnicity.parse(h["ETHNIC"]!)
        }
        for r in Fixture.records("ssda903/reviews.csv") {
            #expect(ukDate(r["REVIEW"]!)! <= asOf)
            #expect(["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"].contains(r["REVIEW_CODE"]!))
        }
        for m in Fixture.records("ssda903/missing.csv") {
            #expect(["M", "A"].contains(m["MISSING"]!))
            #expect(ukDate(m["MIS_START"]!) != nil)
        }
        for o in Fixture.records("ssda903/oc3.csv") {
            #expect(["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"].contains(o["IN_TOUCH"]!))
        }
    }
}
