import Foundation
import EyesOnCore
import Store

/// The governance pages: delegations, assurance surveys and their RAG summary, meeting decisions,
/// and a member agency's surveys to answer.
enum GovernanceViews {
    static let crumbs = [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Governance", href: "/governance")]

    static func ragTag(_ rating: RAG) -> HTML {
        "<strong class=\"tag \(rating.rawValue == "amber" ? "amber" : rating.rawValue == "red" ? "red" : "green")\">\(rating.rawValue.capitalized)</strong>"
    }

    static func index(context: PageContext, governance g: Governance, partners: [Agency], delegations: [Delegation],
                      surveys: [(id: UUID, title: String, due: CivilDate, responses: Int, agencies: Int)], decisions: [MeetingDecision],
                      fields: [String: String], errors: [FieldError], message: String?) -> HTML {
        let delegationRows = delegations.map { d -> HTML in
            """
            <tr><th scope="row">\(d.function)</th><td>\(d.partner)</td><td>\(d.delegatedTo)</td><td>\(d.accountableLead)</td>\
            <td>\(DisplayFormat.date(d.starts)) to \(d.ends.map(DisplayFormat.date) ?? "no end set")</td>\
            <td>\(d.isInForce(on: g.today) ? "<strong class=\"tag green\">In force</strong>" as HTML : "<strong class=\"tag grey\">Not in force</strong>")</td></tr>
            """
        }
        let surveyRows = surveys.map { s -> HTML in
            """
            <tr><th scope="row"><a href="/governance/surveys/\(s.id.uuidString)">\(s.title)</a></th><td>\(DisplayFormat.date(s.due))</td>\
            <td class="numeric">\(s.responses.formatted()) of \(s.agencies.formatted())</td></tr>
            """
        }
        let decisionRows = decisions.map { d -> HTML in
            let state: HTML
            if let done = d.done {
                state = "Done \(DisplayFormat.date(done))"
            } else if g.mayKeep {
                let id = "done-\(d.id.uuidString)"
                let (error, errorID) = FormFields.errorLine(id, errors)
                state = """
                    <form method="post" action="/governance/decisions/\(d.id.uuidString)/done" class="inline-form" novalidate>\
                    <input type="hidden" name="_csrf" value="\(context.csrfToken)">\
                    <label for="\(id)" class="visually-hidden">Done on</label>\(error)\
                    <input type="text" id="\(id)" name="done_on" size="10" value="\(g.today.description)"\(errorID.map { " aria-describedby=\"\($0)\"" as HTML } ?? .empty)>\
                    <button type="submit" class="button secondary">Done</button></form>
                    """
            } else {
                state = d.due.map { $0 < g.today ? "<strong class=\"overdue\">Overdue</strong>" as HTML : "Open" } ?? "Open"
            }
            return """
                <tr><th scope="row">\(d.decision)</th><td>\(DisplayFormat.date(d.meeting))</td><td>\(d.owner)</td><td>\(d.due.map(DisplayFormat.date) ?? "–")</td><td>\(state)</td></tr>
                """
        }
        let partnerOptions = partners.compactMap { a in a.id.map { FormFields.Option(value: $0.uuidString, label: a.name) } }
        let forms: (HTML, HTML, HTML) = g.mayKeep ? (
            FormFields.form(action: "/governance/delegations", context: context, submit: "Record the delegation", """
                <h3>Record a delegation</h3>
                \(FormFields.select(id: "partner", label: "Safeguarding partner", options: partnerOptions, selected: fields["partner"], errors: errors, includeBlank: "Choose"))
                \(FormFields.textArea(id: "function", label: "The function delegated", value: fields["function"], errors: errors, rows: 2))
                \(Layout.textField(id: "delegated_to", label: "Delegated to", value: fields["delegated_to"], errors: errors, spellcheck: true))
                \(Layout.textField(id: "accountable_lead", label: "Accountable lead", value: fields["accountable_lead"], hint: "The partner stays accountable: name the lead who answers for it.", errors: errors, spellcheck: true))
                \(Layout.textField(id: "starts_on", label: "From", value: fields["starts_on"], errors: errors))
                \(Layout.textField(id: "ends_on", label: "To (optional)", value: fields["ends_on"], errors: errors))
                """),
            FormFields.form(action: "/governance/surveys", context: context, submit: "Send to every member agency", """
                <h3>Send an assurance survey</h3>
                \(Layout.textField(id: "title", label: "Title", value: fields["title"], errors: errors, spellcheck: true))
                \(FormFields.textArea(id: "questions", label: "Questions", value: fields["questions"], hint: "One a line. Each agency rates each red, amber or green, with a comment.", errors: errors, rows: 5))
                \(Layout.textField(id: "due_on", label: "Answers due", value: fields["due_on"], errors: errors))
                """),
            FormFields.form(action: "/governance/decisions", context: context, submit: "Record the decision", """
                <h3>Record a decision</h3>
                \(Layout.textField(id: "meeting_on", label: "Meeting", value: fields["meeting_on"], hint: "The day of the partnership meeting, like 2/12/2026.", errors: errors))
                \(FormFields.textArea(id: "decision", label: "Decision", value: fields["decision"], errors: errors, rows: 2))
                \(Layout.textField(id: "owner", label: "Owner", value: fields["owner"], errors: errors, spellcheck: true))
                \(Layout.textField(id: "decision_due", label: "Due (optional)", value: fields["decision_due"], errors: errors))
                """)) : (.empty, .empty, .empty)
        return Layout.page(title: "Governance", context: context, breadcrumbs: [crumbs[0], Breadcrumb(title: "Governance", href: nil)], errors: errors, content: """
            \(message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" as HTML } ?? .empty)
            <h1>Partnership governance</h1>
            <h2 id="delegations">Delegations</h2>
            <p>A safeguarding partner may delegate a function, but stays accountable for it.</p>
            \(delegations.isEmpty ? "<p>No delegation recorded.</p>" as HTML : """
                <table><caption>Delegations, those in force first</caption>
                <thead><tr><th scope="col">Function</th><th scope="col">Partner</th><th scope="col">Delegated to</th><th scope="col">Accountable lead</th><th scope="col">When</th><th scope="col">State</th></tr></thead>
                <tbody>\(delegationRows)</tbody></table>
                """)
            \(forms.0)
            <h2 id="surveys">Assurance surveys</h2>
            \(surveys.isEmpty ? "<p>No survey sent.</p>" as HTML : """
                <table><caption>Surveys sent to the member agencies, newest first</caption>
                <thead><tr><th scope="col">Survey</th><th scope="col">Due</th><th scope="col" class="numeric">Agencies answered</th></tr></thead>
                <tbody>\(surveyRows)</tbody></table>
                """)
            \(forms.1)
            <h2 id="decisions">Meeting decisions</h2>
            \(decisions.isEmpty ? "<p>No decision recorded.</p>" as HTML : """
                <table><caption>Decisions, open first (soonest due first)</caption>
                <thead><tr><th scope="col">Decision</th><th scope="col">Meeting</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">State</th></tr></thead>
                <tbody>\(decisionRows)</tbody></table>
                """)
            \(forms.2)
            """)
    }

    /// The RAG summary for the partnership's executive.
    static func survey(context: PageContext, survey s: AssuranceSurvey) -> HTML {
        let questionRows = s.questions.enumerated().map { k, q -> HTML in
            let t = s.tally(k)
            return """
                <tr><th scope="row">\(k + 1). \(q)</th><td class="numeric">\(t[.red] ?? 0)</td><td class="numeric">\(t[.amber] ?? 0)</td><td class="numeric">\(t[.green] ?? 0)</td></tr>
                """
        }
        let agencyRows = s.responses.map { r -> HTML in
            let answers = r.answers.enumerated().map { k, a -> HTML in
                "<li>\(k + 1). \(ragTag(a.rating))\(a.comment.isEmpty ? .empty : " \(a.comment)" as HTML)</li>"
            }
            return """
                <tr><th scope="row">\(r.agency)</th><td>\(ragTag(r.overall))</td><td><ul class="plain">\(answers)</ul></td><td>\(r.respondedBy), \(DisplayFormat.dateTime(r.respondedAt))</td></tr>
                """
        }
        return Layout.page(title: s.title, context: context, breadcrumbs: crumbs + [Breadcrumb(title: s.title, href: nil)], content: """
            <h1>\(s.title)</h1>
            <p>Sent \(DisplayFormat.date(s.sent)), answers due \(DisplayFormat.date(s.due)). \(s.responses.count) of \(s.responses.count + s.awaiting.count) member agencies have answered.</p>
            <table><caption>Ratings by question: how many agencies said red, amber and green</caption>
            <thead><tr><th scope="col">Question</th><th scope="col" class="numeric">Red</th><th scope="col" class="numeric">Amber</th><th scope="col" class="numeric">Green</th></tr></thead>
            <tbody>\(questionRows)</tbody></table>
            \(s.responses.isEmpty ? .empty : """
                <table><caption>Each agency's answer (overall: red if any answer is red, else amber if any is amber)</caption>
                <thead><tr><th scope="col">Agency</th><th scope="col">Overall</th><th scope="col">Answers</th><th scope="col">Answered by</th></tr></thead>
                <tbody>\(agencyRows)</tbody></table>
                """ as HTML)
            <h2>Still to answer</h2>
            \(s.awaiting.isEmpty ? "<p>Every member agency has answered.</p>" as HTML : "<ul>\(s.awaiting.map { "<li>\($0)</li>" as HTML })</ul>")
            """)
    }

    static func mySurveys(context: PageContext, viewer: Viewer, surveys: [(survey: AssuranceSurvey, mine: AssuranceSurvey.Response?)], message: String?) -> HTML {
        let rows = surveys.map { s, mine -> HTML in
            """
            <tr><th scope="row"><a href="/surveys/\(s.id.uuidString)">\(s.title)</a></th><td>\(DisplayFormat.date(s.due))</td>\
            <td>\(mine.map { "Answered by \($0.respondedBy)" as HTML } ?? (s.due < CivilDate.today() ? "<strong class=\"overdue\">Not answered, overdue</strong>" : "Not answered yet"))</td></tr>
            """
        }
        return Layout.page(title: "Assurance surveys", context: context, breadcrumbs: [crumbs[0], Breadcrumb(title: "Assurance surveys", href: nil)], content: """
            \(message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" as HTML } ?? .empty)
            <h1>Assurance surveys for \(viewer.agencyName)</h1>
            <p>The safeguarding partnership asks each member agency how its safeguarding arrangements stand. One answer an agency: answering again replaces it.</p>
            \(surveys.isEmpty ? "<p>No survey has been sent.</p>" as HTML : """
                <table><caption>Surveys sent to your agency, newest first</caption>
                <thead><tr><th scope="col">Survey</th><th scope="col">Due</th><th scope="col">Your agency</th></tr></thead><tbody>\(rows)</tbody></table>
                """)
            """)
    }

    static func answerForm(context: PageContext, viewer: Viewer, survey s: AssuranceSurvey, fields: [String: String], errors: [FieldError]) -> HTML {
        let options = RAG.allCases.map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        let questions = s.questions.enumerated().map { k, q -> HTML in
            """
            \(FormFields.choices(id: "q\(k + 1)", legend: "\(k + 1). \(q)", options: options, selected: Set([fields["q\(k + 1)"] ?? ""]), multiple: false, errors: errors))
            \(FormFields.textArea(id: "q\(k + 1)-comment", label: "Comment on question \(k + 1) (optional)", value: fields["q\(k + 1)-comment"], errors: errors, rows: 2))
            """
        }
        return Layout.page(title: s.title, context: context,
                           breadcrumbs: [crumbs[0], Breadcrumb(title: "Assurance surveys", href: "/surveys"), Breadcrumb(title: s.title, href: nil)], errors: errors, content: """
            <h1>\(s.title)</h1>
            <p>For \(viewer.agencyName). Answers due \(DisplayFormat.date(s.due)).</p>
            \(FormFields.form(action: "/surveys/\(s.id.uuidString)", context: context, submit: "Send our answer", "\(questions)"))
            """)
    }
}
