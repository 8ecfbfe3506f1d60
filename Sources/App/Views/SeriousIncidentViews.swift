import Foundation
import EyesOnCore
import Store

/// Serious incidents: the dashboard, one incident with its deadlines and steps, the form.
enum SeriousIncidentViews {
    static func stateTag(_ state: ClockLine.State?) -> HTML {
        guard let state else { return "Beyond the working-day calendar (import newer bank holidays)" }
        return state == .overdue || state == .late || state == .missed ? "<strong class=\"overdue\">\(state.title)</strong>" : .text(state.title)
    }

    static func index(context: PageContext, incidents: [SeriousIncidentRecord], today: CivilDate) -> HTML {
        let open = incidents.filter { !$0.isClosed }
        let rows = incidents.map { i -> HTML in
            let next = i.pending.first
            let nextText: HTML = next.map { "\($0.rule.title): \(DisplayFormat.date($0.line.due))" as HTML } ?? (i.isClosed ? "Closed" : "None due")
            let overdue = i.overdue.map { "\($0.rule.title) (due \(DisplayFormat.date($0.line.due)))" as HTML }
            return """
            <tr><td><a href="/serious-incidents/\(i.id.uuidString)">\(i.childName)</a></td><td>\(DisplayFormat.date(i.awareDate))</td>\
            <td>\(i.harm.title)</td><td>\(i.stateTitle)</td><td>\(nextText)</td>\
            <td>\(overdue.isEmpty ? HTML.text("None") : "<strong class=\"overdue\">\(HTML.join(overdue, separator: "; "))</strong>")</td></tr>
            """
        }
        let summary: [(String, HTML)] = [
            ("Open incidents", .text(open.count.formatted())),
            ("Open incidents with a deadline overdue", .text(open.filter { !$0.overdue.isEmpty }.count.formatted())),
            ("About children under one", .text(incidents.filter(\.underOne).count.formatted())),
            ("Closed", .text((incidents.count - open.count).formatted())),
        ]
        return Layout.page(title: "Serious incidents", context: context,
                           breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Serious incidents", href: nil)], content: """
        <h1>Serious incidents</h1>
        <p>Serious child safeguarding incidents the local authority has become aware of, with the deadlines that run from that day: \
        notify the Child Safeguarding Practice Review Panel and tell the safeguarding partners within 5 working days, the rapid review \
        and the decision on a local child safeguarding practice review within 15, publication within 6 months of deciding to hold one. \
        To record one, open the child's page and choose "Record a serious incident".</p>
        \(Layout.summaryList(summary))
        \(incidents.isEmpty ? "<p>No serious incidents are recorded.</p>" as HTML : """
        <table><caption>Serious incidents, open first (soonest deadline first)</caption>
        <thead><tr><th scope="col">Child</th><th scope="col">Aware</th><th scope="col">What happened</th><th scope="col">Where it has got to</th>\
        <th scope="col">Next deadline</th><th scope="col">Overdue</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """)
        """)
    }

    static func show(context: PageContext, incident i: SeriousIncidentRecord, form: SeriousIncidentsController.StepForm,
                     errors: [FieldError], message: String?) -> HTML {
        let details: [(String, HTML)] = [
            ("Child", "<a href=\"/children/\(i.personID.uuidString)\">\(i.childName)</a>"),
            ("Date of birth", .text(DisplayFormat.date(i.dateOfBirth))),
            ("The local authority became aware", .text(DisplayFormat.date(i.awareDate))),
            ("What happened", .text(i.harm.title)),
            ("Abuse or neglect", .text(i.abuse.title)),
            ("Under one", .text(i.underOne ? "Yes" : "No")),
            ("Looked after", .text(i.lookedAfter ? "Yes" : "No")),
            ("Contributing factors", .text(i.factors.map(\.title).joined(separator: "; ") + (i.factorsDetail.isEmpty ? "" : ". " + i.factorsDetail))),
            ("Recorded by", .text(i.recordedBy)),
            ("Where it has got to", .text(i.stateTitle)),
        ]
        let clocks = i.clocks.map { c -> HTML in
            """
            <tr><td>\(c.rule.title)</td><td>\(c.rule.period.description) from \(c.rule.from)</td><td>\(DisplayFormat.date(c.line.due))</td>\
            <td>\(c.line.done.map { DisplayFormat.date($0) } ?? "–")</td><td>\(stateTag(c.line.state))</td></tr>
            """
        }
        let steps = i.steps.map { s -> HTML in
            let decision = s.holdReview.map { $0 ? " A local child safeguarding practice review will be held." : " No local review." } ?? ""
            return "<tr><td>\(s.step.title)</td><td>\(DisplayFormat.date(s.date))</td><td>\(s.recordedBy)</td><td>\(s.note + decision)</td></tr>"
        }
        let stepForm: HTML = i.nextSteps.isEmpty ? "<p>The incident is closed.</p>" : FormFields.form(action: "/serious-incidents/\(i.id.uuidString)/steps", context: context, submit: "Record the step", """
            <h2>Record the next step</h2>
            \(FormFields.select(id: "step", label: "Step", options: i.nextSteps.map { .init(value: $0.rawValue, label: $0.title) }, selected: form.step, errors: errors))
            \(Layout.textField(id: "date", label: "Date", value: form.date, hint: "For example, 27/3/2026", errors: errors))
            \(FormFields.choices(id: "hold_review", legend: "For the decision: will a local child safeguarding practice review be held?",
                                 options: [.init(value: "yes", label: "Yes"), .init(value: "no", label: "No")], selected: Set([form.hold_review].compactMap { $0 }),
                                 multiple: false, hint: "Only for the decision on a local practice review", errors: errors))
            \(FormFields.textArea(id: "note", label: "Note (optional)", value: form.note, hint: "Closing before every step is recorded needs a reason here", errors: errors))
            """)
        return Layout.page(title: "Serious incident: \(i.childName)", context: context,
                           breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Serious incidents", href: "/serious-incidents"),
                                         Breadcrumb(title: i.childName, href: nil)], errors: errors, content: """
        \(message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" as HTML } ?? .empty)
        <span class="caption">Serious incident</span>
        <h1>\(i.childName)</h1>
        \(Layout.summaryList(details))
        <table><caption>Deadlines</caption>
        <thead><tr><th scope="col">What</th><th scope="col">Timescale</th><th scope="col">Due</th><th scope="col">Done</th><th scope="col">State</th></tr></thead>
        <tbody>\(clocks)</tbody></table>
        <p class="hint">Sources: Working Together to Safeguard Children 2023, chapter 5, and the Panel's guidance. Working days skip weekends and \
        bank holidays; a due date on a weekend is not moved.</p>
        <p><a href="/serious-incidents/\(i.id.uuidString)/notification.json" download>Download the notification for the national form (JSON)</a></p>
        \(i.steps.isEmpty ? HTML.empty : """
        <table><caption>Steps recorded</caption>
        <thead><tr><th scope="col">Step</th><th scope="col">Date</th><th scope="col">Recorded by</th><th scope="col">Note</th></tr></thead>
        <tbody>\(steps)</tbody></table>
        """)
        \(stepForm)
        """)
    }

    static func form(context: PageContext, child: ChildSummary, form: SeriousIncidentsController.IncidentForm, errors: [FieldError]) -> HTML {
        let name = "\(child.givenName) \(child.familyName)"
        let yesNo: [FormFields.Option] = [.init(value: "yes", label: "Yes"), .init(value: "no", label: "No")]
        return Layout.page(title: "Record a serious incident", context: context,
                           breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: name, href: "/children/\(child.id.uuidString)"),
                                         Breadcrumb(title: "Record a serious incident", href: nil)], errors: errors, content: """
        <span class="caption">\(name)</span>
        <h1>Record a serious incident</h1>
        <p>A serious child safeguarding incident: abuse or neglect of a child is known or suspected, and the child has died or been \
        seriously harmed. The deadlines run from the day the local authority became aware.</p>
        \(FormFields.form(action: "/children/\(child.id.uuidString)/serious-incidents", context: context, submit: "Record the serious incident", """
        \(Layout.textField(id: "aware_date", label: "The date the local authority became aware", value: form.aware_date, hint: "For example, 27/3/2026", errors: errors))
        \(FormFields.choices(id: "harm", legend: "What happened to the child?", options: SeriousIncident.Harm.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                             selected: Set([form.harm].compactMap { $0 }), multiple: false, errors: errors))
        \(FormFields.choices(id: "abuse", legend: "Abuse or neglect", options: SeriousIncident.Abuse.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                             selected: Set([form.abuse].compactMap { $0 }), multiple: false, errors: errors))
        \(FormFields.choices(id: "under_one", legend: "Was the child under one?", options: yesNo, selected: Set([form.under_one].compactMap { $0 }), multiple: false, errors: errors))
        \(FormFields.choices(id: "looked_after", legend: "Was the child looked after?", options: yesNo, selected: Set([form.looked_after].compactMap { $0 }),
                             multiple: false, hint: "Suggested from the SSDA903 return", errors: errors))
        \(FormFields.choices(id: "factors", legend: "Contributing factors", options: SeriousIncident.Factor.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                             selected: Set(form.factors ?? []), multiple: true, hint: "Choose all that apply", errors: errors))
        \(FormFields.textArea(id: "factors_detail", label: "More about the factors", value: form.factors_detail, hint: "Needed when you choose Other", errors: errors))
        """))
        """)
    }
}
