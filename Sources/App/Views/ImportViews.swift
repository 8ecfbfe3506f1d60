import Foundation
import EyesOnCore
import Store
import Feeds

/// The import pipeline's pages: an upload form per feed, an import's report, the history.
enum ImportViews {
    static let home = Breadcrumb(title: "Home", href: "/")
    static let imports = Breadcrumb(title: "Imports", href: "/imports")

    static func uploadForm(_ feed: Feed, context: PageContext, onlyURN: Int?, columns: String? = nil, errors: [FieldError]) -> HTML {
        let about: HTML
        let label: String
        let accept: String
        switch feed {
        case .attendance:
            about = """
                <p>A CSV file with the columns <code>school_urn,upn,forename,surname,date_of_birth,date,session,code</code>, one row per pupil and session \
                (AM or PM), with the 2024 register codes. Sending a file again, or one that overlaps an earlier one, corrects the marks instead of adding them twice.\
                \(onlyURN.map { " You may send marks for your own school only (URN \($0))." as HTML } ?? .empty)</p>
                """
            label = "Attendance file (CSV, up to 50 MB)"
            accept = ".csv,text/csv"
        case .cin:
            about = """
                <p>The Children in Need census XML your case management system produces for the DfE (any year's layout: \
                <code>GenderCurrent</code> or <code>Sex</code>, with or without the pre-proceedings block). Each child is checked whole: \
                a child with a bad value is quarantined and listed with its line and element, the rest are applied. \
                Sending the same file again changes nothing; a newer extract replaces each child's records from the older one.</p>
                """
            label = "CIN census file (XML, up to 50 MB)"
            accept = ".xml,text/xml,application/xml"
        case .ssda903:
            about = """
                <p>The SSDA903 children looked after return your case management system produces for the DfE: its CSV tables \
                (choose <code>header.csv</code> and <code>episodes.csv</code>, and <code>missing.csv</code>, <code>reviews.csv</code> and \
                <code>oc3.csv</code> where you have them, all at once), or its XML file. Each child is checked whole, with their rows from every \
                table: a child with a bad value is quarantined and listed with its file, line and column, the rest are applied. Sending the \
                same return again changes nothing; a newer return replaces each child's records from the older one.</p>
                """
            label = "The return's CSV tables, or its XML file (up to 50 MB in all)"
            accept = ".csv,text/csv,.xml,text/xml,application/xml"
        case .referrals:
            about = """
                <p>The front door's referrals as CSV, one row per referral: <code>\(ReferralReader.columns.joined(separator: ","))</code>, \
                and optionally <code>decision_date</code>. The source is a CIN census referral source code (2A schools, 3A GP, 6 police…); \
                the outcome one of <code>\(ReferralOutcome.allCases.map(\.rawValue).joined(separator: ", "))</code>. Sending a referral \
                again with its outcome decided updates it; the same file twice changes nothing.</p>
                """
            label = "Referrals file (CSV, up to 50 MB)"
            accept = ".csv,text/csv"
        case .incidents:
            about = """
                <p>The force's domestic abuse incidents as CSV, one row per party: \
                <code>\(PoliceIncidentReader.columns.joined(separator: ","))</code>. Each incident is checked whole. Every child of school \
                age gets an Operation Encompass notice to their school's designated safeguarding lead (or, with no known school, to \
                children's social care's front door), due before the next school day starts. Sending an incident again changes nothing.</p>
                """
            label = "Incidents file (CSV, up to 50 MB)"
            accept = ".csv,text/csv"
        case .marac:
            about = """
                <p>The MARAC list as CSV, one row per child in the victim's household (a case with no children has one row): \
                <code>\(MARACReader.columns.joined(separator: ","))</code>. Each case is checked whole. The victim's and perpetrator's \
                details are shown only to the police and children's social care; schools and health see that the household was \
                discussed at a MARAC.</p>
                """
            label = "MARAC list (CSV, up to 50 MB)"
            accept = ".csv,text/csv"
        case .characteristics:
            about = """
                <p>The school census's pupil characteristics as CSV, one row per pupil: <code>\(PupilCharacteristicsReader.columns.joined(separator: ","))</code>, \
                with <code>fsm_eligible</code> Y or N and <code>sen_provision</code> the census code E (EHC plan), K (SEN support) or N. \
                The census is a full extract: each file replaces every pupil's characteristics, and a file with no readable pupil changes nothing. \
                The attendance of vulnerable groups counts children with an EHC plan and eligible for free school meals by them.</p>
                """
            label = "Pupil characteristics file (CSV, up to 50 MB)"
            accept = ".csv,text/csv"
        case .people:
            about = """
                <p>The people your service works with as CSV, one row per person. Say which of your columns holds each field \
                (<code>\(PeopleColumnMapping.Field.allCases.map(\.rawValue).joined(separator: ", "))</code>; \
                <code>id</code>, <code>first_name</code>, <code>surname</code> and <code>dob</code> are required), e.g. \
                <code>id=YOT ref,first_name=Given name,surname=Family name,dob=Date of birth</code>; a field you do not map is \
                read from a column of its own name. The mapping is kept for your next file. The file is your whole caseload: \
                people no longer in it are discharged. Children are matched by NHS number, UPN, or name and date of birth, \
                and you may then open their records.</p>
                """
            label = "Caseload file (CSV, up to 50 MB)"
            accept = ".csv,text/csv"
        case .health:
            about = """
                <p>Your organisation's caseloads as CSV, one row per person on a health-visiting, midwifery or school-nursing \
                caseload: <code>\(HealthCaseloadReader.columns.joined(separator: ","))</code>, and optionally \
                <code>\(HealthCaseloadReader.optionalColumns.joined(separator: ","))</code>. A baby's row names the mother's row \
                (<code>mother_local_id</code>), which comes first. A newer file replaces the older: entries no longer in it are discharged.</p>
                """
            label = "Caseload file (CSV, up to 50 MB)"
            accept = ".csv,text/csv"
        }
        return Layout.page(title: feed.title, context: context, breadcrumbs: [home, imports, Breadcrumb(title: feed.title, href: nil)], errors: errors, content: """
        <h1>\(feed.title)</h1>
        \(about)
        \(FormFields.form(action: feed.path, context: context, submit: "Upload", multipart: true, """
            \(feed == .people ? columnsField(columns, errors) : .empty)
            <div class="form-group\(errors.isEmpty ? "" : " error")">
            <label for="file">\(label)</label>
            \(FormFields.errorLine("file", errors).0)
            <input type="file" id="file" name="\(feed == .ssda903 ? "file[]" : "file")"\(feed == .ssda903 ? HTML(unsafeRaw: " multiple") : .empty) accept="\(accept)"\(errors.isEmpty ? .empty : HTML(unsafeRaw: " aria-describedby=\"file-error\""))>
            </div>
            """))
        """)
    }

    /// The people feed's column mapping, as typed or as last kept.
    static func columnsField(_ columns: String?, _ errors: [FieldError]) -> HTML {
        FormFields.textArea(id: "columns", label: "Column mapping (field=column, comma-separated)", value: columns,
                            hint: "Leave empty to use the mapping kept from your last file, or columns named as the fields.", errors: errors, rows: 2)
    }

    /// What the counts of an import are counts of.
    static func nouns(_ kind: String) -> (accepted: String, updated: String, quarantined: String) {
        switch kind {
        case "attendance": ("New marks", "Marks corrected", "Rows quarantined")
        case "cin", "ssda903": ("New children", "Children updated", "Children quarantined")
        case "incidents": ("New incidents", "Incidents updated", "Incidents quarantined")
        case "marac": ("New cases", "Cases updated", "Cases quarantined")
        case "health", "people": ("New entries", "Entries updated", "Rows quarantined")
        case "referrals": ("New referrals", "Referrals updated", "Referrals quarantined")
        case "characteristics": ("New pupils", "Pupils changed", "Rows quarantined")
        default: ("Records accepted", "Records updated", "Records quarantined")
        }
    }

    static func importReport(context: PageContext, run: ImportRun, problems: [(Int, String, String, String)]) -> HTML {
        let nouns = nouns(run.kind)
        var rows: [(String, HTML)] = [
            ("File", .text(run.sourceName)),
            ("Feed", .text(Feed.title(ofKind: run.kind))),
            ("From", .text(run.agency?.name ?? "–")),
            ("Status", .text(run.status)),
            (nouns.accepted, .text(run.recordsAccepted.formatted())),
            (nouns.updated, .text(run.recordsUpdated.formatted())),
            (nouns.quarantined, .text(run.recordsQuarantined.formatted())),
            ("Finished", .text(run.finishedAt.map(DisplayFormat.dateTime) ?? "–")),
        ]
        if let reference = run.referenceDate { rows.insert(("Extract's reference date", .text(reference)), at: 2) }
        let lines = problems.prefix(500).map { "<tr><td class=\"numeric\">\($0.0)</td><td>\($0.1)</td><td>\($0.2)</td><td>\($0.3)</td></tr>" as HTML }
        let table: HTML = problems.isEmpty ? "<p>Nothing was quarantined.</p>" : """
            <p><a href="/imports/\(run.id!.uuidString)/problems.csv">Download the quarantined rows (CSV)</a></p>
            <table><caption>Quarantined rows</caption>
            <thead><tr><th scope="col" class="numeric">Line</th><th scope="col">Column or element</th><th scope="col">Value</th><th scope="col">Why</th></tr></thead>
            <tbody>\(lines)</tbody></table>
            """
        return Layout.page(title: "Import report", context: context, breadcrumbs: [home, imports, Breadcrumb(title: "Import report", href: nil)], content: """
        <h1>Import report</h1>
        \(Layout.summaryList(rows))
        \(table)
        """)
    }

    static func history(context: PageContext, feeds: [Feed], runs: [ImportRun]) -> HTML {
        let links = feeds.map { "<li><a href=\"\($0.path)\">\($0.title)</a></li>" as HTML }
        let rows = runs.map { run -> HTML in
            let nouns = nouns(run.kind)
            return """
                <tr><td>\(DisplayFormat.dateTime(run.startedAt))</td><td>\(Feed.title(ofKind: run.kind))</td>\
                <td><a href="/imports/\(run.id!.uuidString)">\(run.sourceName)</a></td><td>\(run.agency?.name ?? "–")</td><td>\(run.status)</td>\
                <td class="numeric">\(run.recordsAccepted.formatted())<span class="visually-hidden"> \(nouns.accepted.lowercased())</span></td>\
                <td class="numeric">\(run.recordsUpdated.formatted())</td><td class="numeric">\(run.recordsQuarantined.formatted())</td></tr>
                """
        }
        let table: HTML = runs.isEmpty ? "<p>No imports yet.</p>" : """
            <table><caption>Imports, newest first</caption>
            <thead><tr><th scope="col">Started</th><th scope="col">Feed</th><th scope="col">File</th><th scope="col">From</th><th scope="col">Status</th>\
            <th scope="col" class="numeric">New</th><th scope="col" class="numeric">Updated</th><th scope="col" class="numeric">Quarantined</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page(title: "Imports", context: context, breadcrumbs: [home, Breadcrumb(title: "Imports", href: nil)], content: """
        <h1>Imports</h1>
        \(feeds.isEmpty ? .empty : "<ul>\(links)</ul>" as HTML)
        \(table)
        """)
    }
}
