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

    static func placements(context: PageContext, capacity: [HomeCapacity], outOfArea: [(placement: String, children: Int)],
                           arrivals: [(month: String, arrived: Int, transferredIn: Int)], today: CivilDate, fields: [String: String],
                           errors: [FieldError], message: String?) -> HTML {
        var latest: [String: HomeCapacity] = [:]
        for c in capacity where latest[c.home] == nil { latest[c.home] = c }
        let homes = latest.values.sorted { ($0.kind.rawValue, $0.home) < ($1.kind.rawValue, $1.home) }
        let totals = DBSCheck.SettingKind.allCases.map { kind -> HTML in
            let h = homes.filter { $0.kind == kind }
            let places = h.map(\.places).reduce(0, +), occupied = h.map(\.occupied).reduce(0, +)
            return """
                <tr><th scope="row">\(kind.title)s</th><td class="numeric">\(h.count)</td><td class="numeric">\(places.formatted())</td>\
                <td class="numeric">\(occupied.formatted())</td><td class="numeric">\((places - occupied).formatted())</td></tr>
                """
        }
        let homeRows = homes.map { c -> HTML in
            """
            <tr><th scope="row">\(c.home)</th><td>\(c.kind.title)</td><td>\(DisplayFormat.date(c.weekBeginning))</td><td class="numeric">\(c.places.formatted())</td>\
            <td class="numeric">\(c.occupied.formatted())</td><td class="numeric">\(c.available.formatted())\(c.available == 0 ? " <strong class=\"tag red\">Full</strong>" as HTML : .empty)</td></tr>
            """
        }
        let outRows = outOfArea.map { o -> HTML in
            "<tr><th scope=\"row\">\(LookedAfterCodes.placement[o.placement].map { "\($0) (\(o.placement))" } ?? o.placement)</th><td class=\"numeric\">\(o.children.formatted())</td></tr>"
        }
        let outTotal = outOfArea.map(\.children).reduce(0, +)
        let arrivalRows = arrivals.map { a -> HTML in
            "<tr><th scope=\"row\">\(a.month)</th><td class=\"numeric\">\(a.arrived.formatted())</td><td class=\"numeric\">\(a.transferredIn.formatted())</td></tr>"
        }
        let kinds = DBSCheck.SettingKind.allCases.map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        return Layout.page(title: "Placements", context: context, breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Placements", href: nil)],
                           errors: errors, content: """
            \(message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" as HTML } ?? .empty)
            <h1>Placements</h1>
            <h2 id="capacity">Places in children's homes and secure children's homes</h2>
            <p>Each home's latest week recorded.</p>
            <table><caption>Places by kind of home</caption>
            <thead><tr><th scope="col">Kind</th><th scope="col" class="numeric">Homes</th><th scope="col" class="numeric">Places</th><th scope="col" class="numeric">Occupied</th><th scope="col" class="numeric">Available</th></tr></thead>
            <tbody>\(totals)</tbody></table>
            \(homes.isEmpty ? "<p>No home's places recorded yet.</p>" as HTML : """
                <table><caption>Each home</caption>
                <thead><tr><th scope="col">Home</th><th scope="col">Kind</th><th scope="col">Week beginning</th><th scope="col" class="numeric">Places</th><th scope="col" class="numeric">Occupied</th><th scope="col" class="numeric">Available</th></tr></thead>
                <tbody>\(homeRows)</tbody></table>
                """)
            <h3>Record a home's week</h3>
            \(FormFields.form(action: "/placements/capacity", context: context, submit: "Record the places", """
                \(Layout.textField(id: "home", label: "Home", value: fields["home"], errors: errors, spellcheck: true))
                \(FormFields.choices(id: "kind", legend: "Kind of home", options: kinds, selected: Set([fields["kind"] ?? ""]), multiple: false, errors: errors))
                \(Layout.textField(id: "capacity_week", label: "Week", value: fields["capacity_week"], hint: "Any day in the week, like 30/11/2026. A week already recorded for the home is replaced.", errors: errors))
                \(Layout.textField(id: "places", label: "Places", value: fields["places"], errors: errors))
                \(Layout.textField(id: "occupied", label: "Places occupied", value: fields["occupied"], errors: errors))
                """))
            <h2 id="out-of-area">Children placed outside the area</h2>
            <p>Children looked after on \(DisplayFormat.date(today)) whose placement is outside the area, from the SSDA903 return: \(outTotal.formatted()).</p>
            \(outRows.isEmpty ? .empty : "<table><caption>Placed outside the area, by placement</caption><thead><tr><th scope=\"col\">Placement</th><th scope=\"col\" class=\"numeric\">Children</th></tr></thead><tbody>\(outRows)</tbody></table>" as HTML)
            <h2 id="arrivals">Unaccompanied asylum-seeking children arriving</h2>
            \(arrivals.isEmpty ? "<p>No month recorded yet.</p>" as HTML : "<table><caption>Arrivals by month, the last 12 months</caption><thead><tr><th scope=\"col\">Month</th><th scope=\"col\" class=\"numeric\">Arrived</th><th scope=\"col\" class=\"numeric\">Transferred in (National Transfer Scheme)</th></tr></thead><tbody>\(arrivalRows)</tbody></table>")
            <h3>Record a month</h3>
            \(FormFields.form(action: "/placements/arrivals", context: context, submit: "Record the month", """
                \(Layout.textField(id: "month", label: "Month", value: fields["month"], hint: "Like 2026-11. A month already recorded is replaced.", errors: errors))
                \(Layout.textField(id: "arrived", label: "Children who arrived", value: fields["arrived"], errors: errors))
                \(Layout.textField(id: "transferred_in", label: "Of them, transferred in under the National Transfer Scheme", value: fields["transferred_in"], errors: errors))
                """))
            """)
    }
}
