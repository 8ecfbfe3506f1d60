import Foundation
import EyesOnCore
import Store

/// The statutory clocks page: every clock in force, grouped, each with its counts and lines.
enum TimescaleViews {
    /// Where a clock belongs on the page, by what starts it.
    static func group(_ rule: ClockRule) -> String {
        switch rule.anchor.first {
        case .referralReceived, .referralDecided, .cinReferral, .assessmentAuthorised, nil: "Front door"
        case .strategyDiscussion, .section47Started, .initialConference, .protectionPlanStarted, .reviewConference, .coreGroup, .protectionPlanEnded:
            "Child protection"
        case .lookedAfterStarted, .firstLookedAfterReview, .lookedAfterReview, .lookedAfterEnded,
             .placementStarted, .placementVisit, .longTermPlacementVisit, .placementEnded: "Children looked after"
        case .incidentAware, .panelNotified, .partnersInformed, .rapidReviewDone, .practiceReviewDecided, .practiceReviewToBeHeld,
             .practiceReviewPublished, .incidentClosed: "Serious incidents"
        }
    }

    static let groups = ["Front door", "Child protection", "Children looked after", "Serious incidents"]

    static func section(_ report: TimescaleReport) -> HTML {
        let rule = report.rule
        let share = report.onTimeShare.map { String(format: "%.0f%%", $0 * 100) } ?? "–"
        let counts: [(String, HTML)] = ClockLine.State.allCases.map { ($0.title, .text(report.count($0).formatted())) }
            + [("On time, of those done or past due", .text(share))]
        let source: HTML = if let builtIn = report.replacedDefault {
            "Set by the partnership: \(rule.source). The default is \(builtIn.period.description) from \(builtIn.from) (\(builtIn.source))."
        } else if report.isPartnershipsOwn {
            "A clock the partnership added: \(rule.source)."
        } else {
            "Source: \(rule.source)."
        }
        let rows = report.lines.prefix(200).map { l -> HTML in
            let child: HTML = l.personID.map { "<a href=\"/children/\($0.uuidString)\">\(l.childName ?? "Child")</a>" as HTML } ?? "Not matched (\(l.reference))"
            return """
            <tr><td>\(child)</td><td>\(DisplayFormat.date(l.started))</td><td>\(l.due.map(DisplayFormat.date) ?? "–")</td>\
            <td>\(l.done.map(DisplayFormat.date) ?? "–")</td><td>\(SeriousIncidentViews.stateTag(l.state))</td></tr>
            """
        }
        let table: HTML = report.lines.isEmpty ? "<p>None in this time.</p>" : """
            <table><caption>\(rule.title): \(report.lines.count > 200 ? "the first 200 of \(report.lines.count)" : "\(report.lines.count)"), overdue first</caption>
            <thead><tr><th scope="col">Child</th><th scope="col">Clock started</th><th scope="col">Due</th><th scope="col">Done</th><th scope="col">State</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return """
            <h3 id="\(rule.key)">\(rule.title): within \(rule.period.description) of \(rule.from)</h3>
            <p class="hint">\(source)\(rule.weekend == .notMoved ? " A due date on a weekend is not moved." : rule.weekend == .nextWorkingDay ? " A due date on a weekend moves to the next working day." : " A due date on a weekend moves to the working day before.")</p>
            \(Layout.summaryList(counts))
            \(table)
            """
    }

    /// Which children the page shows: one team's, or those no feed gives a team.
    enum Team: Equatable {
        case named(String)
        case none

        var name: String? { if case .named(let n) = self { n } else { nil } }
        var query: String { "team=" + ((name ?? "none").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
    }

    /// Overdue and open clocks per team, every clock together: the team leads' view.
    static func byTeam(_ reports: [TimescaleReport], months: Int, selected: Team?) -> HTML {
        var counts: [String?: (overdue: Int, open: Int)] = [:]
        for line in reports.flatMap(\.lines) where line.state == .overdue || line.state == .open {
            counts[line.team, default: (0, 0)].overdue += line.state == .overdue ? 1 : 0
            counts[line.team, default: (0, 0)].open += line.state == .open ? 1 : 0
        }
        guard counts.keys.contains(where: { $0 != nil }) else { return .empty }
        let rows = counts.sorted { ($0.key ?? "\u{10FFFF}") < ($1.key ?? "\u{10FFFF}") }.map { team, n -> HTML in
            let t: Team = team.map { .named($0) } ?? .none
            let title = team ?? "No team given by the feeds"
            let link: HTML = t == selected ? "<strong>\(title)</strong>" : "<a href=\"/timescales?months=\(months)&amp;\(t.query)\">\(title)</a>"
            return "<tr><th scope=\"row\">\(link)</th><td>\(n.overdue.formatted())</td><td>\(n.open.formatted())</td></tr>"
        }
        return """
            <table><caption>By team (the team of the child's latest front-door referral): clocks overdue and open</caption>
            <thead><tr><th scope="col">Team</th><th scope="col">Overdue</th><th scope="col">Open</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            \(selected != nil ? "<p><a href=\"/timescales?months=\(months)\">Every team</a></p>" as HTML : .empty)
            """
    }

    static func index(context: PageContext, reports all: [TimescaleReport], months: Int, since: CivilDate, team: Team?) -> HTML {
        let reports = team.map { t in all.map { $0.only(team: t.name) } } ?? all
        let grouped = groups.map { name -> HTML in
            let sections = reports.filter { group($0.rule) == name }.map(section)
            return sections.isEmpty ? .empty : "<h2>\(name)</h2>\(sections)"
        }
        let teamQuery = HTML(unsafeRaw: team.map { "&amp;" + $0.query } ?? "")
        let choices = [1, 3, 6, 12].map { m -> HTML in
            m == months ? "<li><strong>\(m) month\(m == 1 ? "" : "s")</strong></li>"
                : "<li><a href=\"/timescales?months=\(m)\(teamQuery)\">\(m) month\(m == 1 ? "" : "s")</a></li>"
        }
        let contents = reports.map { "<li><a href=\"#\($0.rule.key)\">\($0.rule.title)</a> (\($0.count(.overdue).formatted()) overdue)</li>" as HTML }
        return Layout.page(title: "Timescales", context: context,
                           breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Timescales", href: nil)], content: """
        <h1>Timescales\(team.map { ": \($0.name ?? "children no feed gives a team")" } ?? "")</h1>
        <p>Every statutory clock, from the feeds (front-door referrals, the CIN census, SSDA903) and what is recorded in EyesOn \
        (strategy discussions, conferences, core groups, visits, serious incidents): the clocks started since \(DisplayFormat.date(since)), \
        and every clock still open or overdue however old. Working days skip weekends and England and Wales bank holidays. \
        The partnership can change a clock's timescale in the settings (<code>eyeson settings set clocks</code>).</p>
        <nav aria-label="Time period"><ul class="plain">\(choices)</ul></nav>
        \(byTeam(all, months: months, selected: team))
        <nav aria-label="Clocks"><ul>\(contents)</ul></nav>
        \(grouped)
        """)
    }
}
