import Foundation
import EyesOnCore
import Store

/// The forms for what children's social care records by hand for the statutory clocks.
enum MeetingViews {
    static func breadcrumbs(_ child: ChildSummary, _ title: String) -> [Breadcrumb] {
        [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "\(child.givenName) \(child.familyName)", href: "/children/\(child.id.uuidString)"),
         Breadcrumb(title: title, href: nil)]
    }

    static func conferenceForm(context: PageContext, child: ChildSummary, agencies: [Agency], form: RecordedMeetingsController.ConferenceForm,
                               errors: [FieldError]) -> HTML {
        let outcomes = ProtectionMeeting.allCases.flatMap(\.outcomes).map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        let rows = agencies.enumerated().compactMap { (k, agency) -> HTML? in
            guard let id = agency.id else { return nil }
            let prefix = "agency_\(id.uuidString)"
            let field = "agency-\(k + 1)"
            let error = errors.first { $0.field == field }
            let attendance = form.value(id, "attendance")
            func radio(_ value: String, _ label: String) -> HTML {
                """
                <div class="choice"><input type="radio" id="\(field)-\(value)" name="\(prefix)_attendance" value="\(value)"\(attendance == value ? HTML(unsafeRaw: " checked") : .empty)>\
                <label for="\(field)-\(value)">\(label)<span class="visually-hidden"> (\(agency.name))</span></label></div>
                """
            }
            return """
            <tr\(error != nil ? HTML(unsafeRaw: " class=\"error\"") : .empty)><th scope="row">\(agency.name)\
            \(error.map { "<span class=\"error-message\"><span class=\"visually-hidden\">Error: </span>\($0.message)</span>" as HTML } ?? .empty)</th>
            <td><div class="choice"><input type="checkbox" id="\(field)" name="\(prefix)_invited" value="yes"\(form.value(id, "invited").isEmpty ? .empty : HTML(unsafeRaw: " checked"))>\
            <label for="\(field)">Invited<span class="visually-hidden"> (\(agency.name))</span></label></div></td>
            <td>\(radio("attended", "Attended"))\(radio("apologies", "Sent apologies"))</td>
            <td><label for="\(field)-report" class="visually-hidden">Date of \(agency.name)'s report</label>\
            <input type="text" id="\(field)-report" name="\(prefix)_report" value="\(form.value(id, "report"))" class="short" spellcheck="false"></td></tr>
            """
        }
        return Layout.page(title: "Record a meeting", context: context, breadcrumbs: breadcrumbs(child, "Record a meeting"), errors: errors, content: """
        <span class="caption">\(child.givenName) \(child.familyName)</span>
        <h1>Record a strategy discussion, conference or core group</h1>
        <p>The clocks: the initial child protection conference within 15 working days of the strategy discussion; the first core group \
        within 10 working days of the conference that made the plan; the first review conference within 3 months, then at most every \
        6 months (Working Together to Safeguard Children 2023). Reports should reach the chair at least \
        \(ProtectionMeeting.reportWorkingDaysBefore) working days before the conference.</p>
        \(FormFields.form(action: "/children/\(child.id.uuidString)/conferences", context: context, submit: "Record the meeting", """
        \(FormFields.choices(id: "kind", legend: "Meeting", options: ProtectionMeeting.allCases.map { .init(value: $0.rawValue, label: $0.title) },
                             selected: [form.kind], multiple: false, errors: errors))
        \(Layout.textField(id: "date", label: "Date held", value: form.date, hint: "For example, 27/3/2026", errors: errors))
        \(FormFields.choices(id: "outcome", legend: "Outcome (conferences only)", options: outcomes, selected: [form.outcome], multiple: false,
                             hint: "An initial conference makes a plan or not; a review continues or ends it", errors: errors))
        <table><caption>Agencies: who was invited, who attended or sent apologies, and the date of each report</caption>
        <thead><tr><th scope="col">Agency</th><th scope="col">Invited</th><th scope="col">Attendance</th><th scope="col">Report's date (for example, 25/3/2026)</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """))
        """)
    }

    static func visitForm(context: PageContext, child: ChildSummary, form: RecordedMeetingsController.VisitForm, errors: [FieldError]) -> HTML {
        let yesNo: [FormFields.Option] = [.init(value: "yes", label: "Yes"), .init(value: "no", label: "No")]
        return Layout.page(title: "Record a statutory visit", context: context, breadcrumbs: breadcrumbs(child, "Record a visit"), errors: errors, content: """
        <span class="caption">\(child.givenName) \(child.familyName)</span>
        <h1>Record a statutory visit</h1>
        <p>Visits to a looked-after child in placement: within 1 week of a placement starting, then at most every 6 weeks in the \
        placement's first year; after that, at most every 3 months where the placement is agreed as long-term, otherwise every 6 weeks \
        (Care Planning, Placement and Case Review (England) Regulations 2010, regulation 28).</p>
        \(FormFields.form(action: "/children/\(child.id.uuidString)/visits", context: context, submit: "Record the visit", """
        \(Layout.textField(id: "date", label: "Date of the visit", value: form.date, hint: "For example, 27/3/2026", errors: errors))
        \(FormFields.choices(id: "seen_alone", legend: "Was the child seen alone?", options: yesNo, selected: Set([form.seen_alone].compactMap { $0 }), multiple: false, errors: errors))
        \(FormFields.choices(id: "long_term", legend: "The placement", options: [.init(value: "yes", label: "The placement is agreed as the child's long-term placement")],
                             selected: Set(form.long_term ?? []), multiple: true, errors: errors))
        """))
        """)
    }

    static func placementForm(context: PageContext, child: ChildSummary, form: RecordedMeetingsController.PlacementForm, errors: [FieldError]) -> HTML {
        let options = LookedAfterCodes.placement.sorted { $0.key < $1.key }.map { FormFields.Option(value: $0.key, label: "\($0.key): \($0.value)") }
        return Layout.page(title: "Record a placement", context: context, breadcrumbs: breadcrumbs(child, "Record a placement"), errors: errors, content: """
        <span class="caption">\(child.givenName) \(child.familyName)</span>
        <h1>Record a placement</h1>
        <p>A placement the SSDA903 return does not hold yet, so that its visit clocks start now: the first visit within 1 week, then \
        at most every 6 weeks. When a later return holds the same placement (the same child and start), the return's is used.</p>
        \(FormFields.form(action: "/children/\(child.id.uuidString)/placements", context: context, submit: "Record the placement", """
        \(Layout.textField(id: "start_date", label: "Date the placement started", value: form.start_date, hint: "For example, 27/3/2026", errors: errors))
        \(FormFields.select(id: "placement", label: "Placement type (SSDA903)", options: options, selected: form.placement, errors: errors, includeBlank: "Choose the placement type"))
        \(Layout.textField(id: "end_date", label: "Date it ended (optional)", value: form.end_date, hint: "Leave empty while the child is placed there", errors: errors))
        """))
        """)
    }
}
