import Foundation
import EyesOnCore
import Store

/// The front door's timescales page.
enum TimescaleViews {
    static func index(context: PageContext, reports: [TimescaleReport], months: Int, since: CivilDate) -> HTML {
        let sections = reports.map { report -> HTML in
            let t = report.timescale
            let share = report.onTimeShare.map { String(format: "%.0f%%", $0 * 100) } ?? "–"
            let counts: [(String, HTML)] = TimescaleLine.State.allCases.map { ($0.title, .text(report.count($0).formatted())) }
                + [("On time, of those decided or past due", .text(share))]
            let recurring = [.laterReviewConference, .laterLookedAfterReview].contains(t)
            let heading: String = switch t {
            case .laterReviewConference: "Child protection review conferences: the first within 3 months of the plan starting, then at most every 6 months (open plans)"
            case .laterLookedAfterReview: "Looked-after reviews: the first within 20 working days of becoming looked after, the second within 3 months, then at most every 6 months (children looked after now)"
            default: "\(t.title): within \(t.period.description) of \(t.anchor)"
            }
            let rows = report.lines.prefix(200).map { l -> HTML in
                let child: HTML = l.personID.map { "<a href=\"/children/\($0.uuidString)\">\(l.childName ?? "Child")</a>" as HTML } ?? "Not matched (\(l.reference))"
                let state: HTML = l.state.map { s in s == .overdue || s == .late ? "<strong>\(s.title)</strong>" as HTML : .text(s.title) }
                    ?? "Beyond the working-day calendar (import newer bank holidays)"
                let done: HTML = recurring ? .text(l.step?.title ?? "–") : .text(l.done.map(DisplayFormat.date) ?? "–")
                return "<tr><td>\(child)</td><td>\(DisplayFormat.date(l.started))</td><td>\(l.due.map(DisplayFormat.date) ?? "–")</td><td>\(done)</td><td>\(state)</td></tr>"
            }
            let table: HTML = report.lines.isEmpty ? "<p>None in this time.</p>" : """
                <table><caption>\(t.title): \(report.lines.count > 200 ? "the first 200 of \(report.lines.count)" : "\(report.lines.count)"), overdue first</caption>
                <thead><tr><th scope="col">Child</th><th scope="col">\(recurring ? "Counted from" : t == .initialConference ? "Enquiry started" : "Referred")</th>\
                <th scope="col">Due</th><th scope="col">\(recurring ? "Next" : "Done")</th><th scope="col">State</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """
            return """
                <h2>\(heading)</h2>
                <p class="hint">Source: \(t.source). Working days skip weekends and England and Wales bank holidays; a due date on a weekend is not moved.</p>
                \(Layout.summaryList(counts))
                \(table)
                """
        }
        let choices = [1, 3, 6, 12].map { m -> HTML in
            m == months ? "<li><strong>\(m) month\(m == 1 ? "" : "s")</strong></li>" : "<li><a href=\"/timescales?months=\(m)\">\(m) month\(m == 1 ? "" : "s")</a></li>"
        }
        return Layout.page(title: "Timescales", context: context,
                           breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Timescales", href: nil)], content: """
        <h1>Timescales</h1>
        <p>Referrals and section 47 enquiries since \(DisplayFormat.date(since)), from the front door's referrals feed (decisions) \
        and the CIN census (assessments, from the referral to the assessment's authorisation; initial conferences); the next \
        review of every open child protection plan (CIN census) and of every child looked after now (SSDA903).</p>
        <nav aria-label="Time period"><ul class="plain">\(choices)</ul></nav>
        \(sections)
        """)
    }
}
