import Foundation
import EyesOnCore
import Store

/// Operation Encompass pages. A notice shows only what a school may be told (STANDARDS §7.2).
enum EncompassViews {
    static let home = Breadcrumb(title: "Home", href: "/")

    static func statusTag(_ status: EncompassNotice.Status) -> HTML {
        switch status {
        case .acknowledged: "<strong class=\"tag green\">Acknowledged</strong>"
        case .overdue: "<strong class=\"tag red\">Overdue, not acknowledged</strong>"
        case .due: "<strong class=\"tag amber\">Not yet acknowledged</strong>"
        }
    }

    static func presence(_ text: String) -> String {
        switch text {
        case "present": "was present"
        case "witnessed": "witnessed it"
        default: "was involved"
        }
    }

    static func index(context: PageContext, encompass: Encompass, notices: [EncompassNotice], openOnly: Bool, now: Date) -> HTML {
        let intro: HTML
        switch encompass.reach {
        case .addressedTo: intro = "<p>Notices from the police about your pupils after a domestic abuse incident, to reach you before the next school day starts. Open each, acknowledge it and record the support the school gives.</p>"
        case .force: intro = "<p>The notices your force's incidents raised, and whether each school has acknowledged them.</p>"
        default: intro = "<p>Every Operation Encompass notice in the area; those sent to the front door (no known school) are yours to acknowledge.</p>"
        }
        let overdue = notices.filter { $0.status(at: now) == .overdue }.count
        let rows = notices.map { n -> HTML in
            """
            <tr><td><a href="/notices/\(n.id.uuidString)">\(n.childName)</a></td><td>\(DisplayFormat.date(n.childDateOfBirth))</td>\
            <td>\(DisplayFormat.date(n.occurredOn)) \(n.time)</td><td>\(n.addresseeName)</td><td>\(DisplayFormat.dateTime(n.dueAt))</td>\
            <td>\(statusTag(n.status(at: now)))</td></tr>
            """
        }
        let table: HTML = notices.isEmpty ? "<p>No notices.</p>" : """
            <table><caption>\(notices.count) notices\(openOnly ? " not yet acknowledged" : ""), newest incident first</caption>
            <thead><tr><th scope="col">Child</th><th scope="col">Date of birth</th><th scope="col">Incident</th><th scope="col">Sent to</th>\
            <th scope="col">Due by</th><th scope="col">Status</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page(title: "Operation Encompass", context: context, breadcrumbs: [home, Breadcrumb(title: "Operation Encompass", href: nil)], content: """
        <h1>Operation Encompass notices</h1>
        \(intro)
        \(overdue > 0 ? "<div class=\"notification\" role=\"status\"><p>\(overdue) notice\(overdue == 1 ? " is" : "s are") overdue and not acknowledged.</p></div>" as HTML : .empty)
        <p>\(openOnly ? "<a href=\"/notices\">Show all notices</a>" as HTML : "<a href=\"/notices?show=open\">Show only those not yet acknowledged</a>" as HTML)</p>
        \(table)
        """)
    }

    static func notice(context: PageContext, encompass: Encompass, notice n: EncompassNotice, support: String?, errors: [FieldError], message: String?, now: Date) -> HTML {
        var rows: [(String, HTML)] = [
            ("Child", .text(n.childName)),
            ("Date of birth", .text(DisplayFormat.date(n.childDateOfBirth))),
            ("What happened", .text("\(n.forceName) attended a domestic abuse incident; the child \(presence(n.presence)).")),
            ("Date and time", .text("\(DisplayFormat.date(n.occurredOn)), \(n.time)")),
            ("Police reference", .text(n.reference)),
            ("Risk level", .text(n.riskLevel?.capitalized ?? "Not given")),
            ("Sent to", .text(n.addresseeName)),
            ("Due by", .text(DisplayFormat.dateTime(n.dueAt))),
            ("Status", statusTag(n.status(at: now))),
        ]
        if let at = n.acknowledgedAt { rows.append(("Acknowledged", .text("\(DisplayFormat.dateTime(at)) by \(n.acknowledgedBy ?? "")"))) }
        if let given = n.support { rows.append(("Support given", .text(given))) }
        let form: HTML = encompass.mayAcknowledge(n) ? """
            <h2>\(n.acknowledgedAt == nil ? "Acknowledge and record the support" : "Update the support given")</h2>
            \(FormFields.form(action: "/notices/\(n.id.uuidString)/acknowledge", context: context, submit: n.acknowledgedAt == nil ? "Acknowledge" : "Save the support", """
                \(FormFields.textArea(id: "support", label: "The support the school is giving, or will give", value: support,
                                      hint: "For example: key adult checked in at the start of the day; quiet space offered; the family's needs discussed with children's social care", errors: errors))
                """))
            """ : .empty
        let child: HTML = n.personID.map { "<p><a href=\"/children/\($0.uuidString)\">Open the child's record</a></p>" as HTML } ?? .empty
        return Layout.page(title: "Notice: \(n.childName)", context: context,
                           breadcrumbs: [home, Breadcrumb(title: "Operation Encompass", href: "/notices"), Breadcrumb(title: n.childName, href: nil)],
                           errors: errors, content: """
        \(message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" as HTML } ?? .empty)
        <span class="caption">Operation Encompass notice</span>
        <h1>\(n.childName)</h1>
        \(Layout.summaryList(rows))
        \(child)
        \(form)
        """)
    }
}
