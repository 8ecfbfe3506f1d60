import Foundation
import EyesOnCore
import Store

/// The agreed list's pages.
enum ListViews {
    static let crumbs = [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Agreed list", href: "/list")]

    static func agreementText(_ entry: ListEntry) -> String {
        entry.agreements.isEmpty ? "None yet" : entry.agreements.map(\.agencyName).joined(separator: ", ")
    }

    static func index(context: PageContext, proposed: [ListEntry], agreed: [ListEntry], reviewsDue: [ListEntry], today: CivilDate) -> HTML {
        func table(_ caption: String, _ entries: [ListEntry], proposals: Bool) -> HTML {
            guard !entries.isEmpty else { return "<h2>\(caption)</h2><p>None.</p>" }
            let rows = entries.map { e -> HTML in
                """
                <tr><td><a href="/list/\(e.id.uuidString)">\(e.childName)</a></td><td>\(FormFields.riskTag(e.risk))</td><td>\(e.reasonsText)</td>\
                <td>\(e.leadAgencyName)</td><td>\(proposals ? agreementText(e) : DisplayFormat.date(e.reviewDate))</td></tr>
                """
            }
            return """
            <table><caption>\(caption) (\(entries.count))</caption>
            <thead><tr><th scope="col">Child</th><th scope="col">Risk</th><th scope="col">Reasons</th><th scope="col">Lead agency</th>\
            <th scope="col">\(proposals ? "Agreed so far by" : "Review date")</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        }
        return Layout.page(title: "Agreed list", context: context, breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Agreed list", href: nil)], content: """
        <h1>Agreed list</h1>
        <p>The children the partnership has agreed to keep eyes on. To propose a child, <a href="/children">find the child</a> and choose \
        "Propose for the agreed list", or start from the <a href="/list/suggestions">children the rules suggest</a>. An entry is agreed when children's social care and another partner agency agree, or a partnership meeting decides.</p>
        \(table("Waiting for agreement", proposed, proposals: true))
        \(table("Reviews due in the next 14 days or overdue", reviewsDue, proposals: false))
        \(table("Agreed", agreed, proposals: false))
        """)
    }

    static func suggestions(context: PageContext, rules: [ProposalRule], proposals: [RuleProposal]) -> HTML {
        func figure(_ f: RuleProposal.Fired) -> String {
            switch f.rule.measure {
            case .termAttendancePercent, .recentAttendancePercent: String(format: "%.1f%%", f.figure)
            case .notBackAfterHoliday: "absent every session since the return"
            case .schoolDaysOffRoll: "\(Int(f.figure)) school days without a mark"
            case .onProtectionPlan, .lookedAfter: "yes"
            case .missingEpisodes: "\(Int(f.figure)) episode\(f.figure == 1 ? "" : "s")"
            default: "\(Int(f.figure)) sessions"
            }
        }
        func record(_ f: RuleProposal.Fired) -> String {
            guard let urn = f.urn, let upn = f.upn else { return "in \(f.schoolName)" }
            return "at \(f.schoolName) (URN \(urn), UPN \(upn))"
        }
        let ruleRows = rules.map { r -> HTML in
            "<tr><td>\(r.title)</td><td>\(r.conditionText)</td><td>\(r.suggestedReason.title)</td></tr>"
        }
        let rows = proposals.map { p -> HTML in
            let fired = HTML.join(p.fired.map { f -> HTML in
                "<li>\(f.rule.title): \(figure(f)) \(record(f))</li>"
            })
            return """
            <tr><td><a href="/children/\(p.personID.uuidString)">\(p.childName)</a></td><td>\(p.dateOfBirth.map(DisplayFormat.date) ?? "Not known")</td>\
            <td><ul class="plain">\(fired)</ul></td>\
            <td><a href="/children/\(p.personID.uuidString)/propose">Propose<span class="visually-hidden"> \(p.childName)</span></a></td></tr>
            """
        }
        let table: HTML = proposals.isEmpty ? "<p>No child you can see is named by a rule.</p>" : """
            <table><caption>\(proposals.count) children named by a rule and not on the list</caption>
            <thead><tr><th scope="col">Child</th><th scope="col">Date of birth</th><th scope="col">Why: the rule and the record</th>\
            <th scope="col">Action</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page(title: "Suggested for the list", context: context, breadcrumbs: crumbs + [Breadcrumb(title: "Suggested", href: nil)], content: """
        <h1>Suggested for the agreed list</h1>
        <p>Rules over the data name children who are not on the list. A rule only suggests: read why, open the child, and \
        propose them if the partnership should keep eyes on them — the proposal then needs agreement as usual.</p>
        <table><caption>The partnership's rules (setting <code>proposal-rules</code>)</caption>
        <thead><tr><th scope="col">Rule</th><th scope="col">Fires when</th><th scope="col">Suggested reason</th></tr></thead>
        <tbody>\(ruleRows)</tbody></table>
        \(table)
        """)
    }

    /// The hidden-children finder: each child with every factor, its evidence and points.
    static func hiddenChildren(context: PageContext, policy: HiddenChildrenPolicy, children: [HiddenChild]) -> HTML {
        let rows = children.map { c -> HTML in
            let factors = HTML.join(c.found.map { f -> HTML in "<li>\(f.factor.title): \(f.evidence) <span class=\"points\">(\(f.points) points)</span></li>" })
            let born = c.kind == .unbornChild ? "Unborn" : c.dateOfBirth.map(DisplayFormat.date) ?? "Not known"
            return """
            <tr><td><a href="/children/\(c.personID.uuidString)">\(c.name)</a></td><td>\(born)</td><td class="numeric">\(c.score)</td>\
            <td><ul class="plain">\(factors)</ul></td>\
            <td><a href="/children/\(c.personID.uuidString)/propose?from=hidden-children">Propose with this evidence<span class="visually-hidden"> for \(c.name)</span></a></td></tr>
            """
        }
        let table: HTML = children.isEmpty ? "<p>The finder names no child you can see.</p>" : """
            <table><caption>\(children.count) children not on the list, highest score first</caption>
            <thead><tr><th scope="col">Child</th><th scope="col">Date of birth</th><th scope="col" class="numeric">Score</th>\
            <th scope="col">Factors and evidence</th><th scope="col">Action</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        let factors: [(String, HTML)] = [
            ("Repeated referrals", .text("\(policy.referralsAtLeast) or more referrals to children's social care in \(policy.referralMonths) months: \(policy.repeatedReferralsPoints) points")),
            ("Recently closed", .text("closed to children's social care within \(policy.closedWithinMonths) months, nothing open: \(policy.recentlyClosedPoints) points")),
            ("Operation Encompass", .text("\(policy.noticesAtLeast) or more notices in \(policy.noticeMonths) months: \(policy.noticesPoints) points")),
            ("MARAC household", .text("the household discussed at a MARAC within \(policy.maracMonths) months: \(policy.maracPoints) points")),
            ("Missing from care", .text("a looked-after child missing or away from placement within \(policy.missingMonths) months: \(policy.missingPoints) points")),
            ("Unborn or under one", .text("in the household (sibling, shared parent or carer) of a child named above: \(policy.infantInHouseholdPoints) points")),
        ]
        return Layout.page(title: "Hidden children", context: context, breadcrumbs: crumbs + [Breadcrumb(title: "Hidden children", href: nil)], content: """
        <h1>Hidden children</h1>
        <p>Children on nobody's list whose records suggest the partnership should look: a standing report, from the feeds. \
        The score is the sum of the factors' points, each shown with its evidence. Proposing a child puts the evidence in the \
        proposal; the proposal then needs agreement as usual.</p>
        <h2>Factors (setting <code>hidden-children</code>)</h2>
        \(Layout.summaryList(factors))
        \(table)
        """)
    }

    static func entry(context: PageContext, entry: ListEntry, history: [ListHistoryLine], list: AgreedList, agencies: [Agency], errors: [FieldError], message: String?) -> HTML {
        var rows: [(String, HTML)] = [
            ("Child", "<a href=\"/children/\(entry.personID.uuidString)\">\(entry.childName)</a>"),
            ("Status", "<strong>\(entry.status.title)</strong>"),
            ("Risk", "\(FormFields.riskTag(entry.risk)) \(entry.riskRationale)"),
            ("Reasons", .text(entry.reasonsText)),
            ("Lead agency", .text(entry.leadAgencyName)),
            ("Lead professional", .text(entry.leadProfessional)),
            ("Review date", .text(DisplayFormat.date(entry.reviewDate))),
            ("Proposed by", .text("\(entry.proposedByAgencyName ?? "Loaded from the partnership's list") on \(DisplayFormat.dateTime(entry.proposedAt))")),
            ("Agreed by", .text(agreementText(entry))),
        ]
        if let meeting = entry.meetingDate { rows.append(("Partnership meeting", .text("\(DisplayFormat.date(meeting)): \(entry.meetingAgencies ?? "")"))) }
        if let reason = entry.closedReason { rows.append(("Reason", .text(reason))) }

        var actions: [HTML] = []
        let viewer = list.viewer
        if entry.status == .proposed {
            if !entry.agreements.contains(where: { $0.agencyName == viewer.agencyName }) {
                actions.append(FormFields.form(action: "/list/\(entry.id.uuidString)/agree", context: context, submit: "Agree for \(viewer.agencyName)", .empty))
            }
            if list.speaksForLocalAuthority {
                let options = agencies.filter { !($0.kind?.isEducationSetting ?? false) }.compactMap { a in a.id.map { FormFields.Option(value: $0.uuidString, label: a.name) } }
                actions.append("<h2>Record a partnership meeting's agreement</h2>")
                actions.append(FormFields.form(action: "/list/\(entry.id.uuidString)/meeting", context: context, submit: "Record the meeting's agreement", """
                    \(Layout.textField(id: "meeting_date", label: "Date of the meeting", value: nil, hint: "For example 27/3/2026", errors: errors))
                    \(FormFields.choices(id: "meeting_agencies", legend: "Agencies present", options: options, selected: [], multiple: true, errors: errors))
                    """))
                actions.append("<h2>Decline the proposal</h2>")
                actions.append(FormFields.form(action: "/list/\(entry.id.uuidString)/decline", context: context, submit: "Decline", secondary: true,
                                               FormFields.textArea(id: "reason", label: "Why is it declined?", value: nil, errors: errors)))
            }
        } else if entry.status == .agreed && list.speaksForLocalAuthority {
            actions.append("<h2>Take the child off the list</h2>")
            actions.append(FormFields.form(action: "/list/\(entry.id.uuidString)/remove", context: context, submit: "Remove from the list", secondary: true,
                                           FormFields.textArea(id: "reason", label: "Why is the child coming off the list?", value: nil, errors: errors)))
        }
        let historyRows = history.map { h -> HTML in
            "<tr><td>\(DisplayFormat.dateTime(h.at))</td><td>\(h.actor)</td><td>\(h.action)</td><td>\(h.detail)</td></tr>"
        }
        let notice: HTML = message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" } ?? .empty
        let actionError: HTML = errors.first(where: { $0.field == "actions" }).map { "<p class=\"error-message\" id=\"actions\">\($0.message)</p>" } ?? .empty
        return Layout.page(title: "List entry for \(entry.childName)", context: context, breadcrumbs: crumbs + [Breadcrumb(title: entry.childName, href: nil)],
                           errors: errors, content: """
        \(notice)
        <span class="caption">Agreed list</span>
        <h1>\(entry.childName)</h1>
        \(Layout.summaryList(rows))
        \(actionError)
        \(actions)
        <table><caption>History</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Detail</th></tr></thead>
        <tbody>\(historyRows)</tbody></table>
        """)
    }

    static func proposeForm(context: PageContext, child: ChildSummary, agencies: [Agency], form: ListController.ProposalForm, errors: [FieldError]) -> HTML {
        let name = "\(child.givenName) \(child.familyName)"
        let reasons = ListReason.allCases.map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        let risks = RiskLevel.allCases.map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        let agencyOptions = agencies.compactMap { a in a.id.map { FormFields.Option(value: $0.uuidString, label: a.name) } }
        return Layout.page(title: "Propose \(name) for the agreed list", context: context,
                           breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: name, href: "/children/\(child.id.uuidString)"), Breadcrumb(title: "Propose", href: nil)],
                           errors: errors, content: """
        <span class="caption">\(name)</span>
        <h1>Propose for the agreed list</h1>
        <p>Your agency's agreement is recorded with the proposal. The child is on the list once children's social care and another partner agency agree.</p>
        \(FormFields.form(action: "/children/\(child.id.uuidString)/propose", context: context, submit: "Propose", """
            \(FormFields.choices(id: "reasons", legend: "Why should the partnership keep eyes on this child?", options: reasons, selected: Set(form.reasons ?? []), multiple: true, hint: "Choose all that apply", errors: errors))
            \(Layout.textField(id: "reason_other", label: "Other reason (if you chose Other)", value: form.reason_other, errors: errors, spellcheck: true))
            \(FormFields.choices(id: "risk", legend: "Risk level", options: risks, selected: Set([form.risk ?? ""]), multiple: false, hint: "Red: seen at least every 5 working days; amber 10; green 20", errors: errors))
            \(FormFields.textArea(id: "risk_rationale", label: "Why this risk level?", value: form.risk_rationale, errors: errors))
            \(FormFields.select(id: "lead_agency", label: "Lead agency", options: agencyOptions, selected: form.lead_agency, errors: errors, includeBlank: "Choose an agency"))
            \(Layout.textField(id: "lead_professional", label: "Lead professional", value: form.lead_professional, hint: "Name and role", errors: errors, spellcheck: true))
            \(Layout.textField(id: "review_date", label: "Review date", value: form.review_date, hint: "For example 27/3/2027", errors: errors))
            """))
        """)
    }

    /// A school's lookup of a pupil on its roll to propose for the list.
    static func findPupil(context: PageContext, query: ListController.PupilLookup, searched: Bool, found: [ChildSummary], errors: [FieldError]) -> HTML {
        let title = "Propose a pupil on your roll"
        let rows = found.map { child -> HTML in
            """
            <tr><td>\(child.givenName) \(child.familyName)</td><td>\(DisplayFormat.date(child.dateOfBirth))</td><td>\(child.upn ?? "–")</td>\
            <td><a href="/children/\(child.id.uuidString)/propose">Propose<span class="visually-hidden"> \(child.givenName) \(child.familyName)</span></a></td></tr>
            """
        }
        let results: HTML = !searched ? .empty : found.isEmpty
            ? "<p>No pupil on your roll (now or in the last 12 months) matches.</p>"
            : """
            <table><caption>Pupils on your roll who match (\(found.count))</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Date of birth</th><th scope="col">UPN</th><th scope="col">Action</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page(title: title, context: context, breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Listed pupils", href: "/school"), Breadcrumb(title: title, href: nil)],
                           errors: errors, content: """
        <h1>\(title)</h1>
        <p>You see the records of your pupils on the agreed list only. To propose another pupil you are worried about, find them by UPN, or by name and date of birth. EyesOn shows their name, date of birth and UPN only, and records the look-up.</p>
        <form method="get" action="/school/propose" novalidate>
        \(Layout.textField(id: "upn", label: "UPN", value: query.upn, hint: "13 characters, for example A123456789012", errors: errors))
        <p>Or</p>
        \(Layout.textField(id: "name", label: "Name", value: query.name, errors: errors))
        \(Layout.textField(id: "dob", label: "Date of birth", value: query.dob, hint: "For example, 27/3/2014", errors: errors))
        <button type="submit" class="button">Find the pupil</button>
        </form>
        \(results)
        """)
    }
}
