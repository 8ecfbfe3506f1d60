import Foundation
import EyesOnCore
import Store

/// The returns pages: the templates and the kept returns, a return worked out with its hand-filled
/// fields, a kept return (sign off, export), and the children behind a figure.
enum ReturnViews {
    static let crumbs = [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Returns", href: "/returns")]

    static func index(context: PageContext, templates: [ReturnTemplate], submissions: [ReturnSubmission], today: CivilDate, errors: [FieldError]) -> HTML {
        let templateRows = templates.map { t -> HTML in
            "<tr><th scope=\"row\">\(t.title)</th><td>\(t.about)</td><td>\(t.periodDays.formatted()) days to the return's date</td></tr>"
        }
        let kept: HTML = submissions.isEmpty ? "<p>No return has been prepared yet.</p>" : """
            <table><caption>Returns kept, newest first</caption>
            <thead><tr><th scope="col">Return</th><th scope="col">As of</th><th scope="col">Prepared by</th><th scope="col">State</th></tr></thead>
            <tbody>\(submissions.map(keptRow))</tbody></table>
            """
        let form: HTML = """
            <form method="get" action="/returns/new" novalidate>
            \(FormFields.select(id: "template", label: "Return", options: templates.map { .init(value: $0.key, label: $0.title) }, selected: nil, errors: errors))
            \(Layout.textField(id: "as_of", label: "As of", value: today.description, hint: "The return's date, like 2/12/2026: counts are as of this day, activity is over the period up to it.", errors: errors))
            <button type="submit" class="button">Work it out</button>
            </form>
            """
        return Layout.page(title: "Returns", context: context, breadcrumbs: [crumbs[0], Breadcrumb(title: "Returns", href: nil)], errors: errors, content: """
            <h1>Returns</h1>
            <p>A return is worked out from the feeds and what EyesOn records, as of a date. Fill in what only people know,
            keep it as a draft, check it, then sign it off in your name. Only a signed-off return can be exported, and it is never changed after.</p>
            <h2>Prepare a return</h2>
            \(form)
            <h2>Kept returns</h2>
            \(kept)
            <h2>Templates</h2>
            <p class="hint">The partnership adds its own with <code>eyeson settings set return-templates FILE</code>.</p>
            <table><caption>Return templates in force</caption>
            <thead><tr><th scope="col">Return</th><th scope="col">What it is</th><th scope="col">Activity period</th></tr></thead>
            <tbody>\(templateRows)</tbody></table>
            """)
    }

    static func keptRow(_ s: ReturnSubmission) -> HTML {
        let state: HTML = s.state == .signedOff ? "<strong class=\"tag green\">Signed off</strong>" : "<strong class=\"tag grey\">Draft</strong>"
        return """
            <tr><th scope="row"><a href="/returns/\(s.id.uuidString)">\(s.title)</a></th><td>\(DisplayFormat.date(s.computed.asOf))</td>\
            <td>\(s.preparedBy), \(DisplayFormat.dateTime(s.preparedAt))</td><td>\(state)</td></tr>
            """
    }

    /// A figure as the table shows it: the count, the share, or why it is not known.
    static func figureText(_ f: ReturnFigure) -> HTML {
        if f.manual != nil { return .text(f.entered ?? "Not given") }
        guard let value = f.value else { return "<span class=\"hint\">\(f.note ?? "Not known")</span>" }
        if let of = f.of {
            return .text("\(value.formatted()) of \(of.formatted())" + (f.percent.map { " (\(String(format: "%.1f", $0))%)" } ?? ""))
        }
        return .text(value.formatted())
    }

    static func period(_ r: ComputedReturn) -> String {
        "As of \(DisplayFormat.date(r.asOf)); activity from \(DisplayFormat.date(r.periodStart)) to \(DisplayFormat.date(r.asOf)) (\(r.template.periodDays) days)."
    }

    static func preview(context: PageContext, computed: ComputedReturn, entered: [String: String], errors: [FieldError]) -> HTML {
        var fields: [HTML] = []
        let rows = computed.figures.map { f -> HTML in
            guard let kind = f.manual else {
                return "<tr><th scope=\"row\">\(f.label)</th><td>\(figureText(f))</td></tr>"
            }
            let id = "manual_" + f.key
            let hint: String = switch kind {
            case .count: "A whole number; leave empty if not known."
            case .percent: "A percentage from 0 to 100; leave empty if not known." + (computed.template.lines.first { $0.key == f.key }?.flagAbove.map { " Above \(String(format: "%g", $0))% is flagged." } ?? "")
            case .text: "At most 2,000 characters."
            }
            fields.append(kind == .text ? FormFields.textArea(id: id, label: f.label, value: entered[f.key], hint: hint, errors: errors)
                                        : Layout.textField(id: id, label: f.label, value: entered[f.key], hint: hint, errors: errors))
            return "<tr><th scope=\"row\">\(f.label)</th><td>Filled in below</td></tr>"
        }
        let hidden: HTML = """
            <input type="hidden" name="template" value="\(computed.template.key)"><input type="hidden" name="as_of" value="\(computed.asOf.description)">
            """
        return Layout.page(title: computed.template.title, context: context, breadcrumbs: crumbs + [Breadcrumb(title: computed.template.title, href: nil)],
                           errors: errors, content: """
            <h1>\(computed.template.title)</h1>
            <p>\(period(computed))</p>
            <table><caption>The figures, worked out now (not yet kept)</caption>
            <thead><tr><th scope="col">Line</th><th scope="col">Figure</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            \(FormFields.form(action: "/returns", context: context, submit: "Keep as a draft", "\(hidden)<h2>What only people know</h2>\(fields)"))
            """)
    }

    static func show(context: PageContext, submission s: ReturnSubmission, mayOpenLists: Bool, message: String?) -> HTML {
        let r = s.computed
        let rows = r.figures.map { f -> HTML in
            let label: HTML = (mayOpenLists && f.measure != nil && f.value != nil)
                ? "<a href=\"/returns/\(s.id.uuidString)/lines/\(f.key)\">\(f.label)</a>" : .text(f.label)
            let flag: HTML = f.flagged ? " <strong class=\"tag red\">Above the threshold</strong>" : .empty
            let about: HTML = f.measure.map { .text($0.title) } ?? "Filled in by hand"
            return "<tr><th scope=\"row\">\(label)</th><td>\(figureText(f))\(flag)</td><td class=\"hint\">\(about)</td></tr>"
        }
        let state: HTML = s.state == .signedOff
            ? "<p><strong class=\"tag green\">Signed off</strong> by \(s.signedBy ?? "") on \(s.signedAt.map(DisplayFormat.dateTime) ?? ""). It is kept as it stands and can no longer be changed.</p>"
            : "<p><strong class=\"tag grey\">Draft</strong>: check each figure, then sign it off. To change a hand-filled field, prepare the return again.</p>"
        let actions: HTML = s.state == .signedOff ? """
            <h2>Export</h2>
            <ul><li><a href="/returns/\(s.id.uuidString)/export.csv" download>Download as CSV</a></li>\
            <li><a href="/returns/\(s.id.uuidString)/export.json" download>Download as JSON</a></li></ul>
            """ : FormFields.form(action: "/returns/\(s.id.uuidString)/sign-off", context: context, submit: "Sign off in my name",
                                  "<p>Signing off says you have checked this return. It is recorded with your name and the time.</p>")
        return Layout.page(title: "\(s.title), \(DisplayFormat.date(r.asOf))", context: context,
                           breadcrumbs: crumbs + [Breadcrumb(title: "\(s.title), \(DisplayFormat.date(r.asOf))", href: nil)], content: """
            \(message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" as HTML } ?? .empty)
            <h1>\(s.title)</h1>
            <p>\(period(r)) Prepared by \(s.preparedBy) on \(DisplayFormat.dateTime(s.preparedAt)).</p>
            \(state)
            <table><caption>The return's figures\(mayOpenLists ? " (open a line to see the children behind it)" : "")</caption>
            <thead><tr><th scope="col">Line</th><th scope="col">Figure</th><th scope="col">What it counts</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            \(actions)
            """)
    }

    static func members(context: PageContext, submission s: ReturnSubmission, line: ReturnTemplate.Line, measure: ReturnMeasure,
                        members: [ReturnMember], gap: String?) -> HTML {
        let rows = members.prefix(1_000).map { m -> HTML in
            let child: HTML = m.personID.map { "<a href=\"/children/\($0.uuidString)\">\(m.name ?? "Child")</a>" as HTML } ?? "Not matched to the person index"
            return "<tr><td>\(child)</td><td>\(m.dateOfBirth.map(DisplayFormat.date) ?? "–")</td><td>\(m.reference.isEmpty ? "–" : m.reference)</td></tr>"
        }
        let body: HTML = if let gap { "<p>\(gap)</p>" } else if members.isEmpty { "<p>None.</p>" } else { """
            <table><caption>\(line.label): \(members.count > 1_000 ? "the first 1,000 of \(members.count.formatted())" : members.count.formatted())</caption>
            <thead><tr><th scope="col">Child</th><th scope="col">Date of birth</th><th scope="col">Record</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """ }
        return Layout.page(title: line.label, context: context,
                           breadcrumbs: crumbs + [Breadcrumb(title: "\(s.title), \(DisplayFormat.date(s.computed.asOf))", href: "/returns/\(s.id.uuidString)"),
                                                  Breadcrumb(title: line.label, href: nil)], content: """
            <h1>\(line.label)</h1>
            <p>\(measure.title.prefix(1).uppercased() + measure.title.dropFirst()). \(period(s.computed)) Worked out again now from the data held, so a record
            changed since the return was prepared shows here as it stands today. Your look at this list is recorded in the audit trail.</p>
            \(body)
            """)
    }
}
