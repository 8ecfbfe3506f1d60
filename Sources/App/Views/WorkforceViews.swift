import Foundation
import EyesOnCore
import Store

/// The workforce page: staff unavailable by team and week, and the DBS register.
enum WorkforceViews {
    static func index(context: PageContext, absence: [StaffAbsence], register: DBSRegister, forms: WorkforceController.Forms, message: String?) -> HTML {
        let errors = forms.errors
        let absenceRows = absence.map { a -> HTML in
            let flag: HTML = a.isFlagged ? " <strong class=\"tag red\">More than 10%</strong>" : .empty
            return """
                <tr><td>\(DisplayFormat.date(a.weekBeginning))</td><th scope="row">\(a.team)</th><td class="numeric">\(a.staff.formatted())</td>\
                <td class="numeric">\(a.unavailable.formatted())</td><td class="numeric">\(ReturnViews.percent(a.share))\(flag)</td></tr>
                """
        }
        let absenceTable: HTML = absence.isEmpty ? "<p>No week recorded yet.</p>" : """
            <table><caption>Staff unavailable, the last 12 weeks, newest first</caption>
            <thead><tr><th scope="col">Week beginning</th><th scope="col">Team</th><th scope="col" class="numeric">Staff</th>\
            <th scope="col" class="numeric">Unavailable</th><th scope="col" class="numeric">Share</th></tr></thead>
            <tbody>\(absenceRows)</tbody></table>
            """
        let absenceForm = FormFields.form(action: "/workforce/absence", context: context, submit: "Record the week", """
            \(Layout.textField(id: "week", label: "Week", value: forms.absence["week"], hint: "Any day in the week, like 30/11/2026. A week already recorded for the team is replaced.", errors: errors))
            \(Layout.textField(id: "team", label: "Team", value: forms.absence["team"], hint: "For example, Assessment Team North, or a children's home.", errors: errors, spellcheck: true))
            \(Layout.textField(id: "staff", label: "Staff in the team", value: forms.absence["staff"], errors: errors))
            \(Layout.textField(id: "unavailable", label: "Staff unavailable", value: forms.absence["unavailable"], hint: "Off sick, isolating or otherwise unable to work that week.", errors: errors))
            """)

        let outstandingRows = register.outstanding.map { c -> HTML in
            let id = "issued-\(c.id.uuidString)"
            let (error, errorID) = FormFields.errorLine(id, errors)
            let flag: HTML = register.isFlagged(c) ? " <strong class=\"tag red\">Over \(register.flagAfterDays) days</strong>" : .empty
            return """
                <tr><th scope="row">\(c.staffName)</th><td>\(c.jobTitle)</td><td>\(c.settingName) (\(c.settingKind.title))</td>\
                <td>\(DisplayFormat.date(c.appliedOn))</td><td class="numeric">\(c.days(today: register.today).formatted())\(flag)</td>
                <td><form method="post" action="/workforce/dbs/\(c.id.uuidString)/issued" class="inline-form" novalidate>\
                <input type="hidden" name="_csrf" value="\(context.csrfToken)">\
                <label for="\(id)" class="visually-hidden">Certificate issued on, for \(c.staffName)</label>\(error)\
                <input type="text" id="\(id)" name="issued_on" size="10"\(errorID.map { " aria-describedby=\"\($0)\"" as HTML } ?? .empty)>\
                <button type="submit" class="button secondary">Issued</button></form></td></tr>
                """
        }
        let outstanding: HTML = register.outstanding.isEmpty ? "<p>No check is outstanding.</p>" : """
            <table><caption>Outstanding DBS checks, oldest first</caption>
            <thead><tr><th scope="col">Member of staff</th><th scope="col">Job</th><th scope="col">Home</th><th scope="col">Applied</th>\
            <th scope="col" class="numeric">Days outstanding</th><th scope="col">Certificate issued on</th></tr></thead>
            <tbody>\(outstandingRows)</tbody></table>
            """
        let monthRows = register.months.map { m -> HTML in
            "<tr><th scope=\"row\">\(m.month)</th><td class=\"numeric\">\(m.cleared.formatted())</td><td class=\"numeric\">\(String(format: "%g", m.medianDays))</td></tr>"
        }
        let months: HTML = register.months.isEmpty ? .empty : """
            <table><caption>Time to clear, by the month the certificate was issued</caption>
            <thead><tr><th scope="col">Month</th><th scope="col" class="numeric">Checks cleared</th><th scope="col" class="numeric">Median days to clear</th></tr></thead>
            <tbody>\(monthRows)</tbody></table>
            """
        let clearedRows = register.cleared.prefix(50).map { c -> HTML in
            "<tr><th scope=\"row\">\(c.staffName)</th><td>\(c.settingName)</td><td>\(DisplayFormat.date(c.appliedOn))</td><td>\(DisplayFormat.date(c.issuedOn))</td><td class=\"numeric\">\(c.days(today: register.today).formatted())</td></tr>"
        }
        let cleared: HTML = register.cleared.isEmpty ? .empty : """
            <table><caption>Checks cleared, newest first (the last 12 months)</caption>
            <thead><tr><th scope="col">Member of staff</th><th scope="col">Home</th><th scope="col">Applied</th><th scope="col">Issued</th><th scope="col" class="numeric">Days</th></tr></thead>
            <tbody>\(clearedRows)</tbody></table>
            """
        let kinds = DBSCheck.SettingKind.allCases.map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        let dbsForm = FormFields.form(action: "/workforce/dbs", context: context, submit: "Add to the register", """
            \(Layout.textField(id: "staff_name", label: "Member of staff", value: forms.dbs["staff_name"], errors: errors, spellcheck: true))
            \(Layout.textField(id: "job_title", label: "Job title", value: forms.dbs["job_title"], errors: errors, spellcheck: true))
            \(Layout.textField(id: "setting_name", label: "Home", value: forms.dbs["setting_name"], errors: errors, spellcheck: true))
            \(FormFields.choices(id: "setting_kind", legend: "Kind of home", options: kinds, selected: Set([forms.dbs["setting_kind"] ?? ""]), multiple: false, errors: errors))
            \(Layout.textField(id: "applied_on", label: "Applied for on", value: forms.dbs["applied_on"], hint: "Like 3/11/2026.", errors: errors))
            \(Layout.textField(id: "issued_on", label: "Certificate issued on (optional)", value: forms.dbs["issued_on"], hint: "Leave empty while the check is outstanding.", errors: errors))
            """)

        return Layout.page(title: "Workforce", context: context, breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Workforce", href: nil)],
                           errors: errors, content: """
            \(message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" as HTML } ?? .empty)
            <h1>Workforce</h1>
            <h2 id="absence">Staff unavailable</h2>
            <p>A snapshot a week per team. More than 10% unavailable is flagged, as the DfE's survey asks.</p>
            \(absenceTable)
            <h3>Record a week</h3>
            \(absenceForm)
            <h2 id="dbs">DBS checks for staff in children's homes</h2>
            \(Layout.summaryList([("Outstanding", .text(register.outstanding.count.formatted())),
                                  ("Outstanding for more than \(register.flagAfterDays) days", .text(register.flagged.formatted()))]))
            \(outstanding)
            \(months)
            \(cleared)
            <h3>Add a check to the register</h3>
            \(dbsForm)
            """)
    }
}
