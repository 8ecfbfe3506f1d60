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
            <ul>
            <li><a href="/returns/attendance">Attendance of vulnerable groups</a>: week by week through the term, against all pupils.</li>
            <li><a href="/returns/yearly">The partnership's yearly report</a>: the year's figures and the partnership's own words, to print or save as a PDF.</li>
            </ul>
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

    // MARK: Attendance of the vulnerable groups

    static func percent(_ x: Double?) -> String { x.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }

    static func attendance(context: PageContext, report r: AttendanceByGroup, errors: [FieldError]) -> HTML {
        let held = r.lines.filter { $0.note == nil }
        let summary = r.lines.map { l -> HTML in
            guard l.note == nil, let pupils = l.pupils else {
                return "<tr><th scope=\"row\">\(l.group.title)</th><td colspan=\"3\" class=\"hint\">\(l.note ?? "Not known")</td></tr>"
            }
            return """
                <tr><th scope="row">\(l.group.title)</th><td class="numeric">\(pupils.formatted())</td><td class="numeric">\(percent(l.rate))</td>\
                <td class="numeric">\(l.persistentlyAbsent.formatted()) (\(percent(l.persistentShare)))</td></tr>
                """
        }
        let mondays = Array(Set(held.flatMap { $0.weeks.map(\.monday) })).sorted()
        let weekly: [(String, [Double?])] = held.map { l in (l.group.title, mondays.map { m in l.weeks.first { $0.monday == m }?.rate }) }
        let persistent: [(String, [Double?])] = held.map { l in (l.group.title, mondays.map { m in l.weeks.first { $0.monday == m }?.persistentShare }) }
        let labels = mondays.map { String(format: "%02d/%02d", $0.day, $0.month) }
        func table(_ caption: String, _ series: [(String, [Double?])]) -> HTML {
            let head = mondays.map { "<th scope=\"col\" class=\"numeric\">Week of \(DisplayFormat.date($0))</th>" as HTML }
            let rows = series.map { name, values -> HTML in
                "<tr><th scope=\"row\">\(name)</th>\(values.map { "<td class=\"numeric\">\(percent($0))</td>" as HTML })</tr>"
            }
            return "<div class=\"table-scroll\" role=\"region\" aria-label=\"\(caption)\" tabindex=\"0\"><table><caption>\(caption)</caption><thead><tr><th scope=\"col\">Group</th>\(head)</tr></thead><tbody>\(rows)</tbody></table></div>"
        }
        let form: HTML = """
            <form method="get" action="/returns/attendance" novalidate>
            \(Layout.textField(id: "as_of", label: "As of", value: r.asOf.description, hint: "The report's date, like 2/12/2026: the term it falls in, up to that day.", errors: errors))
            <button type="submit" class="button secondary">Show</button>
            </form>
            """
        return Layout.page(title: "Attendance of vulnerable groups", context: context,
                           breadcrumbs: crumbs + [Breadcrumb(title: "Attendance of vulnerable groups", href: nil)], errors: errors, content: """
            <h1>Attendance of vulnerable groups</h1>
            <p>\(r.termName), from \(DisplayFormat.date(r.from)) to \(DisplayFormat.date(r.to)), from the attendance marks the schools sent.
            A pupil is persistently absent when they attended less than 90% of their possible sessions this term up to that week.
            Groups are as children's social care's feeds and the agreed list stand on \(DisplayFormat.date(r.asOf)); a pupil on the roll of two schools counts at each.</p>
            \(form)
            <table><caption>This term so far, by group</caption>
            <thead><tr><th scope="col">Group</th><th scope="col" class="numeric">Pupils</th><th scope="col" class="numeric">Attendance</th><th scope="col" class="numeric">Persistently absent</th></tr></thead>
            <tbody>\(summary)</tbody></table>
            <h2>Attendance week by week</h2>
            \(lineChart(id: "weekly", title: "Attendance week by week, by group; the figures are in the table below", labels: labels, series: weekly, floor: 0.8))
            \(table("Attendance week by week, by group", weekly))
            <h2>Persistent absence through the term</h2>
            \(lineChart(id: "persistent", title: "Share of pupils persistently absent, by group, at the end of each week; the figures are in the table below", labels: labels, series: persistent, floor: 0))
            \(table("Share of pupils persistently absent at the end of each week, by group", persistent))
            """)
    }

    /// Colours (with a dash pattern and marker each, so no line is told apart by colour alone).
    static let seriesStyles: [(colour: String, dash: String, marker: String)] = [
        ("#d4351c", "", "circle"), ("#1d70b8", "6 3", "square"), ("#00703c", "2 3", "triangle"),
        ("#4c2c92", "10 4 2 4", "diamond"), ("#0b0c0c", "", "cross"), ("#b35c00", "4 4", "circle"),
    ]

    /// A line chart of shares (0…1) over the weeks, with a legend; the caller shows the figures in a table.
    static func lineChart(id: String, title: String, labels: [String], series: [(String, [Double?])], floor: Double) -> HTML {
        guard labels.count >= 1 else { return "<p>No attendance marks in this term yet.</p>" }
        let left = 48, top = 12, height = 220, step = 120, width = left + max(labels.count - 1, 1) * step + 40
        let ceiling = 1.0
        let low = min(floor, series.flatMap { $0.1.compactMap { $0 } }.min() ?? floor)
        let bottomValue = max(0, (low * 10).rounded(.down) / 10)
        func y(_ v: Double) -> Int { top + Int((Double(height) * (ceiling - v) / max(ceiling - bottomValue, 0.01)).rounded()) }
        func x(_ k: Int) -> Int { left + k * step }
        var parts: [HTML] = []
        let range = ceiling - bottomValue
        for tick in stride(from: bottomValue, through: ceiling + 0.0001, by: range <= 0.3 ? 0.05 : range <= 0.6 ? 0.1 : 0.25) {
            parts.append("""
                <line x1="\(left)" y1="\(y(tick))" x2="\(width - 20)" y2="\(y(tick))" stroke="#b1b4b6" stroke-width="1"></line>\
                <text x="\(left - 6)" y="\(y(tick) + 4)" font-size="11" text-anchor="end" fill="#0b0c0c">\(Int((tick * 100).rounded()))%</text>
                """)
        }
        for (k, label) in labels.enumerated() {
            parts.append("<text x=\"\(x(k))\" y=\"\(top + height + 18)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#0b0c0c\">\(label)</text>")
        }
        var legend: [HTML] = []
        for (n, (name, values)) in series.enumerated() {
            let style = seriesStyles[n % seriesStyles.count]
            let points = values.enumerated().compactMap { k, v in v.map { "\(x(k)),\(y($0))" } }.joined(separator: " ")
            parts.append("<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(style.colour)\" stroke-width=\"2.5\"\(style.dash.isEmpty ? .empty : " stroke-dasharray=\"\(style.dash)\"" as HTML)></polyline>")
            for (k, v) in values.enumerated() { if let v { parts.append(marker(style.marker, x: x(k), y: y(v), colour: style.colour)) } }
            legend.append("""
                <li><svg width="34" height="14" aria-hidden="true" focusable="false"><line x1="0" y1="7" x2="34" y2="7" stroke="\(style.colour)" stroke-width="2.5"\(style.dash.isEmpty ? .empty : " stroke-dasharray=\"\(style.dash)\"" as HTML)></line>\(marker(style.marker, x: 17, y: 7, colour: style.colour))</svg> \(name)</li>
                """)
        }
        return """
            <figure>
            <svg class="chart" role="img" aria-labelledby="\(id)-title" width="\(width)" height="\(top + height + 30)" viewBox="0 0 \(width) \(top + height + 30)">
            <title id="\(id)-title">\(title)</title>
            \(parts)
            </svg>
            <figcaption><ul class="chart-legend">\(legend)</ul></figcaption>
            </figure>
            """
    }

    static func marker(_ shape: String, x: Int, y: Int, colour: String) -> HTML {
        switch shape {
        case "square": "<rect x=\"\(x - 4)\" y=\"\(y - 4)\" width=\"8\" height=\"8\" fill=\"\(colour)\"></rect>"
        case "triangle": "<polygon points=\"\(x),\(y - 5) \(x + 5),\(y + 4) \(x - 5),\(y + 4)\" fill=\"\(colour)\"></polygon>"
        case "diamond": "<polygon points=\"\(x),\(y - 5) \(x + 5),\(y) \(x),\(y + 5) \(x - 5),\(y)\" fill=\"\(colour)\"></polygon>"
        case "cross": "<path d=\"M\(x - 4) \(y - 4) L\(x + 4) \(y + 4) M\(x - 4) \(y + 4) L\(x + 4) \(y - 4)\" stroke=\"\(colour)\" stroke-width=\"2\"></path>"
        default: "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"4\" fill=\"\(colour)\"></circle>"
        }
    }
}

// MARK: The yearly partnership report

extension ReturnViews {
    static func yearTitle(_ year: Int) -> String { "April \(year) to March \(year + 1)" }

    /// The report as it is published: every count through `SmallNumbers`.
    static func yearly(context: PageContext, report r: PartnershipReport, years: [Int]) -> HTML {
        func narrative(_ section: PartnershipReport.Section) -> HTML {
            guard let n = r.narratives[section] else { return "<p class=\"hint no-print\">Not written yet.</p>" }
            let paragraphs = n.text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }.map { "<p>\($0)</p>" as HTML }
            return "\(paragraphs)"
        }
        let figureRows = r.figures.map { f -> HTML in
            let shown: HTML = f.value.map { .text(SmallNumbers.show($0)) } ?? "<span class=\"hint\">\(f.note ?? "Not known")</span>"
            return "<tr><th scope=\"row\">\(f.label)</th><td class=\"numeric\">\(shown)</td></tr>"
        }
        let infantRows = r.infantsByReason.map { "<tr><th scope=\"row\">\($0.reason.title)</th><td class=\"numeric\">\(SmallNumbers.show($0.children))</td></tr>" as HTML }
        let incidentRows = r.incidents.filter { $0.total > 0 || $0.band != .notKnown }.map { l -> HTML in
            """
            <tr><th scope="row">\(l.band.title)</th><td class="numeric">\(SmallNumbers.show(l.deaths))</td><td class="numeric">\(SmallNumbers.show(l.seriousHarm))</td>\
            <td class="numeric">\(SmallNumbers.show(l.total))</td></tr>
            """
        }
        let attendanceRows: [HTML] = (r.attendance?.lines ?? []).filter { $0.note == nil }.map { l in
            let pupils = l.pupils ?? 0
            return """
                <tr><th scope="row">\(l.group.title)</th><td class="numeric">\(SmallNumbers.show(pupils))</td>\
                <td class="numeric">\(SmallNumbers.isSuppressed(pupils) ? "suppressed" : percent(l.rate))</td>\
                <td class="numeric">\(SmallNumbers.share(l.persistentlyAbsent, of: pupils))</td></tr>
                """
        }
        let attendanceChart: HTML = r.attendance.map { a in
            let held = a.lines.filter { $0.note == nil && !SmallNumbers.isSuppressed($0.pupils ?? 0) }
            let mondays = Array(Set(held.flatMap { $0.weeks.map(\.monday) })).sorted()
            let series: [(String, [Double?])] = held.map { l in (l.group.title, mondays.map { m in l.weeks.first { $0.monday == m }?.rate }) }
            return lineChart(id: "yearly-attendance", title: "Attendance week by week this term, by group; the figures are in the table below",
                             labels: mondays.map { String(format: "%02d/%02d", $0.day, $0.month) }, series: series, floor: 0.8)
        } ?? .empty
        let choose = years.map { y -> HTML in
            y == r.year ? "<li><strong>\(yearTitle(y))</strong></li>" : "<li><a href=\"/returns/yearly?year=\(y)\">\(yearTitle(y))</a></li>"
        }
        return Layout.page(title: "Partnership report \(yearTitle(r.year))", context: context,
                           breadcrumbs: crumbs + [Breadcrumb(title: "Partnership report", href: nil)], content: """
            <div class="report">
            <h1>Safeguarding partnership report, \(yearTitle(r.year))</h1>
            <p>\(r.isComplete ? "The year from \(DisplayFormat.date(r.from)) to \(DisplayFormat.date(r.to))." : "The year so far: from \(DisplayFormat.date(r.from)) to \(DisplayFormat.date(r.to)).")
            To protect the children behind them, numbers from 1 to 4 are shown as "fewer than 5", and so is any share worked out from one.</p>
            <div class="no-print">
            <p><a href="/returns/yearly/edit?year=\(r.year)">Write the partnership's sections</a> · Print this page, or save it as a PDF from the browser's print dialogue.</p>
            <ul class="actions">\(choose)</ul>
            </div>
            <h2>\(PartnershipReport.Section.introduction.title)</h2>
            \(narrative(.introduction))
            <h2>The year in figures</h2>
            <table><caption>Children's social care, the agreed list and the police, \(yearTitle(r.year))</caption>
            <thead><tr><th scope="col">Measure</th><th scope="col" class="numeric">Children</th></tr></thead><tbody>\(figureRows)</tbody></table>
            <h2>Babies and infants</h2>
            <p>Children under one or not yet born on the agreed list on \(DisplayFormat.date(r.to)): \(SmallNumbers.show(r.infants)). A child listed for two reasons counts under each.</p>
            \(infantRows.isEmpty ? "<p>None.</p>" as HTML : "<table><caption>Infants on the agreed list, by reason</caption><thead><tr><th scope=\"col\">Reason</th><th scope=\"col\" class=\"numeric\">Infants</th></tr></thead><tbody>\(infantRows)</tbody></table>")
            <h2>Serious incidents</h2>
            <p>Serious incidents notified in the year: \(SmallNumbers.show(r.incidentsTotal)), of which about children under one: \(SmallNumbers.show(r.incidentsUnderOne)) (\(SmallNumbers.share(r.incidentsUnderOne, of: r.incidentsTotal))).</p>
            <table><caption>Serious incidents by the child's age when the local authority became aware</caption>
            <thead><tr><th scope="col">Age</th><th scope="col" class="numeric">Death</th><th scope="col" class="numeric">Serious harm</th><th scope="col" class="numeric">All</th></tr></thead>
            <tbody>\(incidentRows)</tbody></table>
            <h2>School attendance of vulnerable groups</h2>
            \(r.attendance.map { "<p>\($0.termName), to \(DisplayFormat.date($0.to)).</p>" as HTML } ?? "<p>No school calendar term falls in the year yet.</p>")
            \(attendanceChart)
            \(attendanceRows.isEmpty ? .empty : "<table><caption>Attendance and persistent absence this term</caption><thead><tr><th scope=\"col\">Group</th><th scope=\"col\" class=\"numeric\">Pupils</th><th scope=\"col\" class=\"numeric\">Attendance</th><th scope=\"col\" class=\"numeric\">Persistently absent</th></tr></thead><tbody>\(attendanceRows)</tbody></table>" as HTML)
            <h2>The workforce</h2>
            <p>DBS checks for staff in children's homes cleared in the year: \(SmallNumbers.show(r.dbsCleared))\(r.dbsMedianDays.map { SmallNumbers.isSuppressed(r.dbsCleared) ? "" : ", in a median of \(String(format: "%g", $0)) days" } ?? "").</p>
            <h2>\(PartnershipReport.Section.priorities.title)</h2>
            \(narrative(.priorities))
            <h2>\(PartnershipReport.Section.learning.title)</h2>
            \(narrative(.learning))
            <h2>\(PartnershipReport.Section.nextYear.title)</h2>
            \(narrative(.nextYear))
            </div>
            """)
    }

    static func yearlyForm(context: PageContext, report r: PartnershipReport, texts: [String: String], errors: [FieldError]) -> HTML {
        let fields = PartnershipReport.Section.allCases.map { s -> HTML in
            let updated = r.narratives[s].map { " Last saved by \($0.updatedBy), \(DisplayFormat.dateTime($0.updatedAt))." } ?? ""
            return FormFields.textArea(id: s.rawValue, label: s.title, value: texts[s.rawValue] ?? r.narratives[s]?.text,
                                       hint: "Paragraphs separated by a blank line.\(updated)", errors: errors, rows: 8)
        }
        return Layout.page(title: "Write the partnership report", context: context,
                           breadcrumbs: crumbs + [Breadcrumb(title: "Partnership report", href: "/returns/yearly?year=\(r.year)"), Breadcrumb(title: "Write", href: nil)],
                           errors: errors, content: """
            <h1>Write the partnership report, \(yearTitle(r.year))</h1>
            <p>The partnership's own words, shown between the figures. The report is published: do not name or describe a child.</p>
            \(FormFields.form(action: "/returns/yearly/edit?year=\(r.year)", context: context, submit: "Save the sections", "\(fields)"))
            """)
    }
}
