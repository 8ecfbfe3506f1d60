import Foundation
import EyesOnCore
import Store

/// A role's home page: what that role will work from.
enum HomeView {
    static func purpose(of role: Role) -> String {
        switch role {
        case .administrator: return "Look after the partnership's users, agencies and settings. Administrators see no child records."
        case .socialWorker: return "Every child on the agreed list: lead-professional work, agreement decisions and the children nobody has seen."
        case .frontDoor: return "Referrals coming in, the children on nobody's list yet, and proposals to the agreed list."
        case .virtualSchoolHead: return "Attendance of looked-after children and children with a social worker."
        case .safeguardingLead: return "Your pupils who are on the agreed list, their attendance, eyes-on contacts and Operation Encompass notices."
        case .policeOfficer: return "Children linked to your force's MARAC cases and domestic-abuse incidents, and Operation Encompass notices to schools."
        case .healthPractitioner: return "Children on your caseload, unborn babies and under-ones, and the contacts you record."
        case .youthJusticeWorker: return "The young people on your caseload."
        case .analyst: return "Figures for the partnership's returns and dashboards. Counts only: no names."
        case .auditor: return "The audit trail: who looked at which record, and when."
        }
    }

    static func render(context: PageContext, viewer: Viewer, overview: Overview) -> HTML {
        var rows: [(String, HTML)] = []
        if let children = overview.childrenVisible {
            let label = viewer.role == .analyst ? "Children in the area (count only)" : "Children you can see"
            let link: HTML = AccessPolicy.scope(for: viewer).mayOpenRecords ? " <a href=\"/children\">Find a child</a>" : .empty
            rows.append((label, "\(children.formatted())\(link)"))
        }
        rows.append(("Agencies in the partnership", "\(overview.agencies.formatted()) <a href=\"/agencies\">View agencies</a>"))
        rows.append(("Users", HTML.text(overview.users.formatted())))
        rows.append(("Your agency", HTML.text("\(viewer.agencyName) (\(viewer.agencyKind.title))")))

        let imports: HTML
        if overview.lastImports.isEmpty {
            imports = "<p>Nothing has been imported yet.</p>"
        } else {
            let lines = overview.lastImports.map { line -> HTML in
                """
                <tr><td>\(line.sourceName)</td><td>\(line.agencyName ?? "Partnership")</td><td><span class="tag\(line.status == "completed" ? " green" : " grey")">\(line.status)</span></td>\
                <td class="numeric">\(line.accepted.formatted())</td><td class="numeric">\(line.quarantined.formatted())</td>\
                <td>\(line.finishedAt.map(DisplayFormat.dateTime) ?? "–")</td></tr>
                """
            }
            imports = """
            <table><caption>Latest imports</caption>
            <thead><tr><th scope="col">Source</th><th scope="col">Agency</th><th scope="col">Status</th><th scope="col" class="numeric">Accepted</th><th scope="col" class="numeric">Quarantined</th><th scope="col">Finished</th></tr></thead>
            <tbody>\(lines)</tbody></table>
            """
        }

        var links: [HTML] = []
        if viewer.role == .administrator { links.append("<li><a href=\"/users\">Manage users</a></li>") }
        if viewer.role == .auditor { links.append("<li><a href=\"/audit\">Open the audit trail</a></li>") }
        let linkList: HTML = links.isEmpty ? .empty : "<ul>\(links)</ul>"

        return Layout.page(title: "Home", context: context, content: """
        <span class="caption">\(viewer.agencyName)</span>
        <h1>\(viewer.role.title)</h1>
        <p class="lead">\(purpose(of: viewer.role))</p>
        \(linkList)
        <h2>At a glance</h2>
        \(Layout.summaryList(rows))
        \(imports)
        """)
    }
}

/// Dates and times as people in England read them.
enum DisplayFormat {
    /// UK local time, e.g. "7 December 2026, 09:05". From the calendar's components rather than a
    /// DateFormatter: making one for each time shown cost an eighth of a child's page.
    static func dateTime(_ date: Date) -> String {
        let parts = london.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day, let date = CivilDate(year: year, month: month, day: day),
              let hour = parts.hour, let minute = parts.minute else { return "" }
        return "\(date.ukFormatted), \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    private static let london: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        return calendar
    }()

    static func date(_ date: CivilDate?) -> String {
        date?.ukFormatted ?? "Not known"
    }
}
