import Vapor
import Foundation
import EyesOnCore
import Store

/// The board, tasks, contact form and attendance upload pages.
enum EyesOnViews {
    static let home = Breadcrumb(title: "Home", href: "/")

    static func board(context: PageContext, content: ByteBuffer) -> Response {
        Layout.response(title: "Not seen", context: context, breadcrumbs: [home, Breadcrumb(title: "Not seen", href: nil)], parts: [content])
    }

    /// The board's content, the same for every request of one user while the data is unchanged
    /// (kept by `PageCache`): nothing of the request or the session in it.
    static func boardContent(result: BoardResult, filter: BoardFilter, agencies: [Agency]) -> HTML {
        let risks = RiskLevel.allCases.map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        let reasons = ListReason.allCases.map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        let leads = agencies.filter { !($0.kind?.isEducationSetting ?? false) }.compactMap { a in a.id.map { FormFields.Option(value: $0.uuidString, label: a.name) } }
        let schools = agencies.filter { $0.kind?.isEducationSetting ?? false }.compactMap { a in a.urn.map { FormFields.Option(value: String($0), label: a.name) } }
        let shown = result.rows.prefix(500)
        let rows = shown.map { r -> HTML in
            """
            <tr><td><a href="/children/\(r.personID.uuidString)">\(r.childName)</a></td><td>\(FormFields.riskTag(r.risk))</td>\
            <td>\(r.reasons.map(\.title).joined(separator: "; "))</td><td>\(r.leadAgencyName)</td>\
            <td>\(r.lastSeen.map { "\(DisplayFormat.date($0)) (\(r.lastSeenHow))" } ?? "Never seen since listed")</td>\
            <td class="numeric"><span class="overdue">\(r.workingDaysUnseen)</span> of \(r.allowed)</td>\
            <td class="numeric">\(r.openTasks)</td></tr>
            """
        }
        let table: HTML = result.rows.isEmpty ? "<p>Every listed child you can see has been seen within their eyes-on policy.</p>" : """
            <table><caption>\(result.rows.count) of \(result.listed) listed children not seen within their policy\(result.rows.count > shown.count ? HTML(unsafeRaw: " (the first 500 shown)") : .empty)</caption>
            <thead><tr><th scope="col">Child</th><th scope="col">Risk</th><th scope="col">Reasons</th><th scope="col">Lead agency</th>\
            <th scope="col">Last seen</th><th scope="col" class="numeric">Working days unseen (allowed)</th><th scope="col" class="numeric">Open tasks</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return """
        <h1>Not seen</h1>
        <p>Listed children whose last eyes-on — a contact where the child was seen, or a present mark in school — is longer ago than \
        their risk level allows, worst first. Phone calls do not count.</p>
        <form method="get" action="/board" class="filters">
        \(FormFields.select(id: "risk", label: "Risk", options: risks, selected: filter.risk?.rawValue, includeBlank: "Any"))
        \(FormFields.select(id: "reason", label: "Reason", options: reasons, selected: filter.reason?.rawValue, includeBlank: "Any"))
        \(FormFields.select(id: "lead", label: "Lead agency", options: leads, selected: filter.leadAgencyID?.uuidString, includeBlank: "Any"))
        \(FormFields.select(id: "school", label: "School", options: schools, selected: filter.schoolURN.map(String.init), includeBlank: "Any"))
        <div class="form-group"><button type="submit" class="button">Filter</button></div>
        </form>
        \(table)
        """
    }

    static func caseload(context: PageContext, result: BoardResult, name: String) -> HTML {
        let rows = result.rows.map { r -> HTML in
            let state: HTML = r.overdueBy > 0 ? "<strong class=\"overdue\">Not seen for \(r.workingDaysUnseen) working days (allowed \(r.allowed))</strong>"
                : .text("Within policy: \(r.workingDaysUnseen) of \(r.allowed) working days")
            return """
            <tr><td><a href="/children/\(r.personID.uuidString)">\(r.childName)</a></td><td>\(FormFields.riskTag(r.risk))</td>\
            <td>\(r.reasons.map(\.title).joined(separator: "; "))</td>\
            <td>\(r.lastSeen.map { "\(DisplayFormat.date($0)) (\(r.lastSeenHow))" } ?? "Never seen since listed")</td><td>\(state)</td>\
            <td class="numeric">\(r.openTasks)</td><td><a href="/children/\(r.personID.uuidString)/contact">Record a contact<span class="visually-hidden"> for \(r.childName)</span></a></td></tr>
            """
        }
        let table: HTML = result.rows.isEmpty ? "<p>No agreed entry names you as its lead professional.</p>" : """
            <table><caption>\(result.rows.count) listed children with you as lead professional</caption>
            <thead><tr><th scope="col">Child</th><th scope="col">Risk</th><th scope="col">Reasons</th><th scope="col">Last seen</th>\
            <th scope="col">Eyes on</th><th scope="col" class="numeric">Open tasks</th><th scope="col">Action</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page(title: "My caseload", context: context, breadcrumbs: [home, Breadcrumb(title: "My caseload", href: nil)], content: """
        <h1>My caseload</h1>
        <p>The agreed entries that name \(name) as lead professional, the children past their eyes-on policy first.</p>
        \(table)
        """)
    }

    static func listedPupils(context: PageContext, title: String, intro: String, pupils: [EyesOn.ListedPupil], showLatest: Bool, actions: HTML = .empty) -> HTML {
        let rows = pupils.map { p -> HTML in
            let s = p.summary
            let latest: HTML = showLatest ? "<td>\(p.latestMarks.isEmpty ? "–" : p.latestMarks.map { "\($0.session.rawValue) \($0.codeText)\($0.countsAsAbsent ? " (absent)" : "")" }.joined(separator: ", "))</td>" : .empty
            return """
            <tr><td><a href="/children/\(p.personID.uuidString)">\(p.childName)</a></td><td>\(FormFields.riskTag(p.risk))</td>\
            <td>\(p.reasons.map(\.title).joined(separator: "; "))</td><td>\(p.schoolName ?? "No marks received")</td>\
            <td class="numeric">\(ChildSections.percent(s?.termRate))</td><td class="numeric">\(ChildSections.percent(s?.recentRate))</td>\
            <td>\(s?.lastPresentDate.map { DisplayFormat.date($0) } ?? "–")</td><td class="numeric">\(s.map { String($0.consecutiveUnexplained) } ?? "–")</td>\(latest)</tr>
            """
        }
        let table: HTML = pupils.isEmpty ? "<p>No children.</p>" : """
            <table><caption>\(title) (\(pupils.count))</caption>
            <thead><tr><th scope="col">Child</th><th scope="col">Risk</th><th scope="col">Reasons</th><th scope="col">School</th>\
            <th scope="col" class="numeric">This term</th><th scope="col" class="numeric">Last 4 weeks</th><th scope="col">Last present</th>\
            <th scope="col" class="numeric">Unexplained in a row</th>\(showLatest ? HTML(unsafeRaw: "<th scope=\"col\">Latest marks</th>") : .empty)</tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page(title: title, context: context, breadcrumbs: [home, Breadcrumb(title: title, href: nil)], content: """
        <h1>\(title)</h1>
        <p>\(intro)</p>
        \(actions)
        \(table)
        """)
    }

    static func taskTable(_ caption: String, _ tasks: [TaskLine], today: CivilDate, context: PageContext, actions: Bool) -> HTML {
        guard !tasks.isEmpty else { return "<h2>\(caption)</h2><p>None.</p>" }
        let rows = tasks.map { t -> HTML in
            let field = "reason-\(t.id.uuidString.prefix(8))"
            let cancel: HTML = actions ? FormFields.form(action: "/tasks/\(t.id.uuidString)", context: context, submit: "Cancel task", secondary: true, """
                <input type="hidden" name="state" value="cancelled">
                <div class="form-group"><label for="\(field)">Reason for cancelling</label><input type="text" id="\(field)" name="reason"></div>
                """) : .empty
            return """
            <tr><td><a href="/children/\(t.personID.uuidString)">\(t.childName)</a></td><td>\(t.reason)</td><td>\(t.ownerAgencyName)</td>\
            <td>\(t.isOverdue(today: today) ? HTML(unsafeRaw: "<span class=\"overdue\">") : .empty)\(DisplayFormat.date(t.due))\(t.isOverdue(today: today) ? HTML(unsafeRaw: " (overdue)</span>") : .empty)</td>\
            <td>\(t.state.title)</td><td>\(cancel)</td></tr>
            """
        }
        return """
        <table><caption>\(caption) (\(tasks.count))</caption>
        <thead><tr><th scope="col">Child</th><th scope="col">Why</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">State</th><th scope="col">Action</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
    }

    static func tasks(context: PageContext, mine: [TaskLine], escalated: [TaskLine], today: CivilDate, agencyName: String) -> HTML {
        Layout.page(title: "Tasks", context: context, breadcrumbs: [home, Breadcrumb(title: "Tasks", href: nil)], content: """
        <h1>Tasks</h1>
        <p>A task closes when someone records a contact in which the child was seen. Open tasks past their due date escalate to the team manager.</p>
        \(taskTable("Open tasks for \(agencyName)", mine, today: today, context: context, actions: true))
        \(context.viewer?.agencyKind == .laChildrensSocialCare ? taskTable("Escalated to the team manager", escalated, today: today, context: context, actions: false) : .empty)
        """)
    }

    static func contactForm(context: PageContext, child: ChildSummary, form: EyesOnController.ContactForm, errors: [FieldError]) -> HTML {
        let name = "\(child.givenName) \(child.familyName)"
        let types = ContactType.allCases.filter(\.isRecordedByHand).map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        let yesNo = [FormFields.Option(value: "yes", label: "Yes"), FormFields.Option(value: "no", label: "No")]
        return Layout.page(title: "Record a contact with \(name)", context: context,
                           breadcrumbs: [home, Breadcrumb(title: name, href: "/children/\(child.id.uuidString)"), Breadcrumb(title: "Record a contact", href: nil)],
                           errors: errors, content: """
        <span class="caption">\(name)</span>
        <h1>Record a contact</h1>
        <p>A contact in which the child was seen closes the child's open tasks. A phone call never counts as seeing the child.</p>
        \(FormFields.form(action: "/children/\(child.id.uuidString)/contact", context: context, submit: "Record the contact", """
            \(Layout.textField(id: "date", label: "Date", value: form.date, hint: "For example 27/3/2026", errors: errors))
            \(Layout.textField(id: "time", label: "Time (optional)", value: form.time, hint: "For example 14:30", errors: errors))
            \(FormFields.choices(id: "type", legend: "Type of contact", options: types, selected: Set([form.type ?? ""]), multiple: false, errors: errors))
            \(FormFields.choices(id: "child_seen", legend: "Was the child seen?", options: yesNo, selected: Set([form.child_seen ?? ""]), multiple: false, errors: errors))
            \(FormFields.choices(id: "seen_alone", legend: "Was the child seen alone?", options: yesNo, selected: Set([form.seen_alone ?? ""]), multiple: false, errors: errors))
            \(Layout.textField(id: "location", label: "Where", value: form.location, errors: errors, spellcheck: true))
            \(FormFields.textArea(id: "virtual_basis", label: "For a virtual contact: why virtual, and what risk was considered", value: form.virtual_basis, hint: "Required for a virtual or video contact", errors: errors))
            \(FormFields.textArea(id: "outcome", label: "Outcome", value: form.outcome, errors: errors))
            \(FormFields.textArea(id: "concerns", label: "Concerns (optional)", value: form.concerns, errors: errors))
            """))
        """)
    }
}
