import Foundation
import EyesOnCore
import Store

/// The child page's sections about the list, attendance and eyes-on.
enum ChildSections {
    static func list(child: ChildSummary, extras: ChildView.Extras) -> HTML {
        let id = child.id.uuidString
        let actions: HTML = """
            <div class="actions"><a class="button" href="/children/\(id)/contact">Record a contact</a>\
            \(extras.entries.contains { $0.status.isActive } ? .empty : "<a class=\"button secondary\" href=\"/children/\(id)/propose\">Propose for the agreed list</a>" as HTML)</div>
            """
        guard let current = extras.entries.first(where: { $0.status.isActive }) else {
            return "<h2>Agreed list</h2><p>Not on the agreed list.</p>\(actions)"
        }
        let open = extras.tasks.filter(\.state.isOutstanding)
        let tasks: HTML = open.isEmpty ? "<p>No open tasks.</p>" : HTML.join(open.map { t -> HTML in
            "<p><strong>Task for \(t.ownerAgencyName), due \(DisplayFormat.date(t.due))\(t.isOverdue(today: extras.today) ? " (overdue)" : ""):</strong> \(t.reason)</p>"
        })
        return """
        <h2>Agreed list</h2>
        \(Layout.summaryList([
            ("Status", "<a href=\"/list/\(current.id.uuidString)\">\(current.status.title)</a>"),
            ("Risk", "\(FormFields.riskTag(current.risk)) \(current.riskRationale)"),
            ("Reasons", .text(current.reasonsText)),
            ("Lead", .text("\(current.leadProfessional), \(current.leadAgencyName)")),
            ("Review date", .text(DisplayFormat.date(current.reviewDate))),
        ]))
        \(tasks)
        \(actions)
        """
    }

    static func percent(_ rate: Double?) -> String {
        rate.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
    }

    static func attendance(_ pupils: [PupilAttendance]) -> HTML {
        guard !pupils.isEmpty else { return "<h2>Attendance</h2><p>No attendance marks have been received for this child.</p>" }
        return HTML.join(pupils.map { p -> HTML in
            let s = p.summary
            var flags: [String] = []
            if s.severelyAbsent { flags.append("Severely absent (under 50%)") } else if s.persistentlyAbsent { flags.append("Persistently absent (under 90%)") }
            if s.notBackAfterHoliday { flags.append("Not back after the holiday") }
            if p.leftWithNoKnownDestination {
                flags.append("Left the roll with no known destination: no mark in the school's last \(p.schoolDaysOffRoll) school days and no later school")
            } else if p.schoolDaysOffRoll > 0 {
                flags.append(p.laterSchool ? "Moved on: marks from a later school" : "No mark in the school's last \(p.schoolDaysOffRoll) school days")
            }
            let rows: [(String, HTML)] = [
                ("Last present", .text(s.lastPresentDate.map { "\(DisplayFormat.date($0)) \(s.lastPresentSession?.rawValue ?? "")" } ?? "Not present in the marks received")),
                ("Absent sessions in a row", .text(String(s.consecutiveAbsent))),
                ("Unexplained absences in a row (N, O, U)", .text(String(s.consecutiveUnexplained))),
                ("Unexplained absences this term", .text(String(s.unexplainedThisTerm))),
                ("Attendance this term\(s.termName.map { " (\($0))" } ?? "")", .text("\(percent(s.termRate)) of \(s.termPossible) sessions")),
                ("Attendance over the last 4 weeks", .text("\(percent(s.recentRate)) of \(s.recentPossible) sessions")),
                ("Flags", .text(flags.isEmpty ? "None" : flags.joined(separator: "; "))),
            ]
            return """
            <h2>Attendance at \(p.schoolName)</h2>
            \(Layout.summaryList(rows))
            \(chart(p))
            """
        })
    }

    /// Week-by-week attendance as an SVG bar chart, with the same figures in a table.
    static func chart(_ p: PupilAttendance) -> HTML {
        guard !p.weeks.isEmpty else { return .empty }
        let barWidth = 40, gap = 12, height = 160, top = 10, bottom = 30
        let width = p.weeks.count * (barWidth + gap) + 50
        var bars: [HTML] = []
        for (k, week) in p.weeks.enumerated() {
            let rate = week.rate ?? 0
            let h = Int((Double(height) * rate).rounded())
            let x = 45 + k * (barWidth + gap)
            let fill = rate < 0.5 ? "#d4351c" : rate < 0.9 ? "#b35c00" : "#00703c"
            bars.append("""
                <rect x="\(x)" y="\(top + height - h)" width="\(barWidth)" height="\(max(h, 1))" fill="\(fill)"></rect>\
                <text x="\(x + barWidth / 2)" y="\(top + height + 18)" font-size="11" text-anchor="middle" fill="#0b0c0c">\(String(format: "%02d/%02d", week.monday.day, week.monday.month))</text>
                """)
        }
        let ninety = top + height - Int(Double(height) * 0.9)
        let tableRows = p.weeks.map { "<tr><td>Week of \(DisplayFormat.date($0.monday))</td><td class=\"numeric\">\($0.present) of \($0.possible)</td><td class=\"numeric\">\(percent($0.rate))</td></tr>" as HTML }
        return """
        <figure>
        <svg class="chart" role="img" aria-labelledby="chart-title-\(p.urn)" width="\(width)" height="\(top + height + bottom)" viewBox="0 0 \(width) \(top + height + bottom)">
        <title id="chart-title-\(p.urn)">Attendance week by week at \(p.schoolName); the figures are in the table below</title>
        <line x1="40" y1="\(ninety)" x2="\(width)" y2="\(ninety)" stroke="#505a5f" stroke-dasharray="4 3"></line>
        <text x="0" y="\(ninety + 4)" font-size="11" fill="#0b0c0c">90%</text>
        <text x="0" y="\(top + 4)" font-size="11" fill="#0b0c0c">100%</text>
        \(bars)
        </svg>
        <figcaption>Share of possible sessions attended each week (the dashed line is 90%: below it is persistent absence).</figcaption>
        </figure>
        <table><caption>Attendance by week at \(p.schoolName)</caption>
        <thead><tr><th scope="col">Week</th><th scope="col" class="numeric">Sessions attended</th><th scope="col" class="numeric">Attendance</th></tr></thead>
        <tbody>\(tableRows)</tbody></table>
        """
    }

    /// Children's social care: the plans open now, and (for local-authority staff) each referral
    /// with its source, assessments and their factors, section 47 enquiries, plans and closure.
    static func socialCare(_ extras: ChildView.Extras) -> HTML {
        let referrals = extras.referrals
        guard !referrals.isEmpty else { return .empty }
        let openProtection = referrals.flatMap(\.protectionPlans).filter { $0.end == nil }
        let openCIN = referrals.flatMap(\.cinPlans).filter { $0.end == nil }
        var now: [HTML] = []
        for p in openProtection {
            let category = extras.socialCareDetail ? " (\((try? AbuseCategory.parse(p.latestCategory))?.label ?? p.latestCategory))" : ""
            now.append("<li>On a child protection plan since \(DisplayFormat.date(p.start))\(category)\(p.reviews.last.map { "; last reviewed \(DisplayFormat.date($0))" } ?? "")</li>")
        }
        for p in openCIN { now.append("<li>On a child in need plan since \(DisplayFormat.date(p.start))</li>") }
        if let open = referrals.first(where: { $0.closureDate == nil }), openProtection.isEmpty, openCIN.isEmpty {
            now.append("<li>Open to children's social care since the referral of \(DisplayFormat.date(open.referralDate))</li>")
        }
        if now.isEmpty, let closed = referrals.compactMap(\.closureDate).max() {
            now.append("<li>Closed to children's social care on \(DisplayFormat.date(closed))</li>")
        }
        guard extras.socialCareDetail else {
            return "<h2>Children's social care</h2><ul>\(now)</ul>"
        }
        let rows = referrals.map { r -> HTML in
            var found: [HTML] = []
            for a in r.assessments {
                let factors = a.factors.map { "\($0.label) (\($0.code))" }.joined(separator: "; ")
                found.append("Assessment \(DisplayFormat.date(a.start))\(a.authorised.map { "–\(DisplayFormat.date($0))" } ?? ", in progress")\(factors.isEmpty ? "" : ": \(factors)")")
            }
            for e in r.enquiries {
                let conference = e.initialConference.map { "; initial conference \(DisplayFormat.date($0))" } ?? (e.conferenceNotRequired ? "; no conference needed" : "")
                found.append("Section 47 enquiry \(DisplayFormat.date(e.start))\(conference)")
            }
            for p in r.cinPlans { found.append("Child in need plan \(DisplayFormat.date(p.start))–\(p.end.map { DisplayFormat.date($0) } ?? "open")") }
            for p in r.protectionPlans {
                let category = (try? AbuseCategory.parse(p.latestCategory))?.label ?? p.latestCategory
                found.append("Child protection plan \(DisplayFormat.date(p.start))–\(p.end.map { DisplayFormat.date($0) } ?? "open"), \(category)")
            }
            if r.noFurtherAction { found.append("No further action") }
            let closed = r.closureDate.map { "\(DisplayFormat.date($0))\(r.closureReason.map { ": \($0.label)" } ?? "")" } ?? "Open"
            return """
                <tr><td>\(DisplayFormat.date(r.referralDate))</td><td>\(r.source.map { "\($0.label) (\($0.code))" } ?? "–")</td>\
                <td>\(r.primaryNeed?.label ?? "–")</td><td>\(found.isEmpty ? "–" : HTML(unsafeRaw: found.map(\.rendered).joined(separator: "<br>")))</td><td>\(closed)</td></tr>
                """
        }
        return """
            <h2>Children's social care</h2>
            \(now.isEmpty ? .empty : "<ul>\(now)</ul>" as HTML)
            <table><caption>Referrals to children's social care (CIN census)</caption>
            <thead><tr><th scope="col">Referred</th><th scope="col">By</th><th scope="col">Primary need</th><th scope="col">What followed</th><th scope="col">Closed</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    /// The front door's referrals: when, from whom (for the local authority), what was decided and when.
    static func frontDoor(_ lines: [FrontDoorReferralLine]) -> HTML {
        guard !lines.isEmpty else { return .empty }
        let showsSource = lines.contains { $0.source != nil }
        let rows = lines.map { r -> HTML in
            "<tr><td>\(DisplayFormat.date(r.referralDate))</td>\(showsSource ? "<td>\(r.source ?? "–")</td>" as HTML : .empty)<td>\(r.outcome.title)</td><td>\(r.decisionDate.map { DisplayFormat.date($0) } ?? "–")</td></tr>"
        }
        return """
            <table><caption>Referrals to the front door</caption>
            <thead><tr><th scope="col">Referred</th>\(showsSource ? "<th scope=\"col\">By</th>" as HTML : .empty)<th scope="col">Outcome</th><th scope="col">Decided</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    /// Looked after: the child's periods of care (legal status, placement, out of the area; where
    /// only for children's social care), missing episodes and reviews, from the SSDA903 return.
    static func lookedAfter(_ record: LookedAfterRecord?) -> HTML {
        guard let record else { return .empty }
        var now: [HTML] = []
        if let open = record.episodes.first(where: { $0.end == nil }) {
            now.append("<li>Looked after: \(open.legalStatus.label) (\(open.legalStatus.code)); placed \(DisplayFormat.date(open.start)): \(open.placement.label)\(open.outOfArea ? ", <strong>out of the area</strong>" as HTML : .empty)</li>")
        } else if let last = record.episodes.first {
            now.append("<li>Left care on \(last.end.map { DisplayFormat.date($0) } ?? "–")\(last.reasonEnded.map { ": \($0.label)" } ?? "")</li>")
        }
        if let inTouch = record.careLeaverInTouch { now.append("<li>Care leaver: \(inTouch.lowercased())</li>") }
        if let open = record.missing.first(where: { $0.end == nil }) {
            now.append("<li><strong>\(open.kind.prefix(1).uppercased() + open.kind.dropFirst()) since \(DisplayFormat.date(open.start))</strong></li>")
        }
        if let review = record.reviews.first { now.append("<li>Last looked-after review \(DisplayFormat.date(review))</li>") }
        let showsWhere = record.episodes.contains { $0.placementPostcode != nil }
        let rows = record.episodes.map { e -> HTML in
            let place: HTML = showsWhere ? "<td>\(e.placementPostcode ?? "–")\(e.outOfArea ? " (out of the area)" : "")</td>" : .empty
            return "<tr><td>\(DisplayFormat.date(e.start))</td><td>\(e.end.map { DisplayFormat.date($0) } ?? "Open")</td><td>\(e.legalStatus.label) (\(e.legalStatus.code))</td><td>\(e.placement.label) (\(e.placement.code))</td>\(place)<td>\(e.reasonEnded.map { $0.label } ?? "–")</td></tr>"
        }
        let missing = record.missing.map { m -> HTML in
            "<tr><td>\(m.kind.prefix(1).uppercased() + m.kind.dropFirst())</td><td>\(DisplayFormat.date(m.start))</td><td>\(m.end.map { DisplayFormat.date($0) } ?? "Not back")</td></tr>"
        }
        return """
            <h2>Looked after</h2>
            \(now.isEmpty ? .empty : "<ul>\(now)</ul>" as HTML)
            \(rows.isEmpty ? .empty : """
            <table><caption>Periods of care (SSDA903)</caption>
            <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Legal status</th><th scope="col">Placement</th>\(showsWhere ? "<th scope=\"col\">Placed at</th>" as HTML : .empty)<th scope="col">Why it ended</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """ as HTML)
            \(missing.isEmpty ? .empty : """
            <table><caption>Missing and away from placement</caption>
            <thead><tr><th scope="col">Episode</th><th scope="col">From</th><th scope="col">Until</th></tr></thead>
            <tbody>\(missing)</tbody></table>
            """ as HTML)
            """
    }

    /// Health: the caseloads the child is on (and was), the named professional, the concerns flag
    /// (for health and the local authority only).
    static func health(_ lines: [HealthCaseloadLine]) -> HTML {
        guard !lines.isEmpty else { return .empty }
        let rows = lines.map { h -> HTML in
            let kind = h.caseload == "health-visiting" ? "Health visiting" : h.caseload == "school-nursing" ? "School nursing" : "Midwifery"
            let concerns: String = h.concerns.map { $0 ? "Yes" : "No" } ?? "Not shown"
            return "<tr><td>\(kind)</td><td>\(h.organisation)</td><td>\(h.namedProfessional ?? "–")</td><td>\(concerns)</td><td>\(h.dischargedOn.map { "Discharged \(DisplayFormat.date($0))" } ?? "Current")</td></tr>"
        }
        return """
            <table><caption>Health caseloads</caption>
            <thead><tr><th scope="col">Caseload</th><th scope="col">Organisation</th><th scope="col">Named professional</th><th scope="col">Concerns flagged</th><th scope="col">Status</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    /// The other agencies working with the child (youth justice, the Virtual School…: the people feed).
    static func agencyCaseloads(_ lines: [AgencyCaseloadLine]) -> HTML {
        guard !lines.isEmpty else { return .empty }
        let rows = lines.map { l -> HTML in
            "<tr><td>\(l.agency)</td><td>\(l.worker ?? "–")</td><td>\(l.dischargedOn.map { "Discharged \(DisplayFormat.date($0))" } ?? "Current")</td></tr>"
        }
        return """
            <table><caption>Other agencies' caseloads</caption>
            <thead><tr><th scope="col">Agency</th><th scope="col">Worker</th><th scope="col">Status</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    /// Everything that happened, newest first.
    static func timeline(_ extras: ChildView.Extras) -> HTML {
        struct Item { let sortKey: String; let when: String; let text: HTML }
        var items: [Item] = []
        func stamp(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
        for h in extras.history {
            items.append(Item(sortKey: stamp(h.at), when: DisplayFormat.dateTime(h.at), text: "<strong>Agreed list: \(h.action)</strong> — \(h.detail) (\(h.actor))"))
        }
        for c in extras.contacts {
            let seen = c.countsAsSeen ? (c.seenAlone ? "child seen alone" : "child seen") : (c.childSeen ? "does not count as seen" : "child not seen")
            var text: HTML = "<strong>\(c.type.title)</strong> by \(c.practitioner), \(c.agencyName) — \(seen)\(c.location.isEmpty ? "" : ", at \(c.location)"). \(c.outcome)"
            if let basis = c.virtualBasis { text = "\(text) <br>Why virtual: \(basis)" }
            if !c.concerns.isEmpty { text = "\(text) <br>Concerns: \(c.concerns)" }
            items.append(Item(sortKey: c.date.description + "T" + (c.time ?? "12:00"), when: DisplayFormat.date(c.date) + (c.time.map { ", \($0)" } ?? ""), text: text))
        }
        for t in extras.tasks {
            items.append(Item(sortKey: stamp(t.createdAt), when: DisplayFormat.dateTime(t.createdAt), text: "<strong>Task opened</strong> for \(t.ownerAgencyName), due \(DisplayFormat.date(t.due)): \(t.reason)"))
            if let closed = t.closedAt {
                items.append(Item(sortKey: stamp(closed), when: DisplayFormat.dateTime(closed), text: "<strong>Task \(t.state.title.lowercased())</strong> (\(t.ownerAgencyName)): \(t.stateReason ?? "")"))
            } else if t.state == .escalated {
                items.append(Item(sortKey: t.due.description + "T23:59", when: DisplayFormat.date(t.due), text: "<strong>Task escalated</strong> to the team manager: \(t.stateReason ?? "")"))
            }
        }
        for r in extras.frontDoor {
            items.append(Item(sortKey: r.referralDate.description + "T07:59", when: DisplayFormat.date(r.referralDate),
                              text: "<strong>Referral to the front door</strong>\(r.source.map { " from \($0.lowercased())" } ?? ""): \(r.outcome.title.lowercased())"))
        }
        if let care = extras.lookedAfter {
            for e in care.episodes {
                items.append(Item(sortKey: e.start.description + "T08:02", when: DisplayFormat.date(e.start),
                                  text: "<strong>Looked after: placement</strong> \(e.placement.label.lowercased()) (\(e.legalStatus.label.lowercased()))"))
            }
            for m in care.missing {
                items.append(Item(sortKey: m.start.description + "T08:03", when: DisplayFormat.date(m.start),
                                  text: "<strong>\(m.kind.prefix(1).uppercased() + m.kind.dropFirst())</strong>\(m.end.map { ", back \(DisplayFormat.date($0))" } ?? ", not back")"))
            }
        }
        for r in extras.referrals {
            let by = extras.socialCareDetail ? r.source.map { " from \($0.label.lowercased())" } ?? "" : ""
            items.append(Item(sortKey: r.referralDate.description + "T08:00", when: DisplayFormat.date(r.referralDate),
                              text: "<strong>Referral to children's social care</strong>\(by)"))
            for p in r.protectionPlans {
                items.append(Item(sortKey: p.start.description + "T08:01", when: DisplayFormat.date(p.start), text: "<strong>Child protection plan started</strong>"))
                if let end = p.end { items.append(Item(sortKey: end.description + "T08:01", when: DisplayFormat.date(end), text: "<strong>Child protection plan ended</strong>")) }
            }
            if let closed = r.closureDate {
                items.append(Item(sortKey: closed.description + "T08:02", when: DisplayFormat.date(closed), text: "<strong>Closed to children's social care</strong>"))
            }
        }
        if let recorded = extras.recorded {
            for c in recorded.conferences {
                items.append(Item(sortKey: c.date.description + "T09:00", when: DisplayFormat.date(c.date),
                                  text: "<strong>\(c.kind.title)</strong>\(c.outcome.map { ": \($0.title.lowercased())" } ?? "") (recorded by \(c.recordedBy))"))
            }
            for v in recorded.visits {
                items.append(Item(sortKey: v.date.description + "T09:30", when: DisplayFormat.date(v.date),
                                  text: "<strong>Statutory visit</strong>\(v.seenAlone ? ", child seen alone" : "") (recorded by \(v.recordedBy))"))
            }
            for p in recorded.placements {
                items.append(Item(sortKey: p.start.description + "T08:02", when: DisplayFormat.date(p.start),
                                  text: "<strong>Placement recorded in EyesOn</strong> \(p.label.lowercased())"))
            }
            for i in recorded.incidents {
                items.append(Item(sortKey: i.awareDate.description + "T08:04", when: DisplayFormat.date(i.awareDate),
                                  text: "<strong>Serious incident</strong>: \(i.harm.title.lowercased()) (\(i.stateTitle.lowercased()))"))
            }
        }
        for m in extras.maracs {
            var text: HTML = "<strong>Household discussed at a MARAC</strong>"
            if let id = m.caseID {
                let risk = m.dashScore.map { "DASH score \($0)" } ?? m.referralReason ?? ""
                text = "\(text) — case \(id)\(risk.isEmpty ? "" : ", \(risk)")\(m.victim.map { "; victim \($0)" } ?? "")\(m.perpetrator.map { "; perpetrator \($0)" } ?? "")"
            }
            items.append(Item(sortKey: m.meetingDate.description + "T10:00", when: DisplayFormat.date(m.meetingDate), text: text))
        }
        for n in extras.notices {
            let ack = n.acknowledgedAt.map { ", acknowledged \(DisplayFormat.dateTime($0))" } ?? ", not yet acknowledged"
            items.append(Item(sortKey: n.occurredOn.description + "T" + n.time, when: "\(DisplayFormat.date(n.occurredOn)), \(n.time)",
                              text: "<strong>Operation Encompass notice</strong> to \(n.addresseeName) (police reference \(n.reference))\(ack)"))
        }
        for p in extras.attendance {
            for mark in p.absences.prefix(20) {
                items.append(Item(sortKey: mark.date.description + (mark.session == .am ? "T09:00" : "T13:30"), when: "\(DisplayFormat.date(mark.date)) \(mark.session.rawValue)",
                                  text: "<strong>Absent from \(p.schoolName)</strong>: \(mark.code.code), \(mark.code.meaning)"))
            }
            if let last = p.summary.lastPresentDate {
                items.append(Item(sortKey: last.description + ((p.summary.lastPresentSession ?? .pm) == .am ? "T09:00" : "T13:30"), when: DisplayFormat.date(last),
                                  text: "<strong>Seen in school</strong> at \(p.schoolName) (last present mark)"))
            }
        }
        guard !items.isEmpty else { return "<h2>Timeline</h2><p>Nothing recorded yet.</p>" }
        let lines = items.sorted { $0.sortKey > $1.sortKey }.prefix(100).map { "<li><span class=\"when\">\($0.when)</span>\($0.text)</li>" as HTML }
        return "<h2>Timeline</h2><ol class=\"timeline\">\(lines)</ol>"
    }
}

extension ChildSections {
    /// Meetings, visits and serious incidents recorded in EyesOn, with the links to record more
    /// (children's social care's area-wide roles only).
    static func recorded(child: ChildSummary, _ recorded: ChildView.RecordedForClocks?) -> HTML {
        guard let recorded else { return .empty }
        let base = "/children/\(child.id.uuidString)"
        let conferences = recorded.conferences.map { c -> HTML in
            let agencies = c.agencies.map { a -> HTML in
                let part = a.attended ? "attended" : a.apologies ? "sent apologies" : "invited"
                let report = a.reportDate.map { d in ", report \(DisplayFormat.date(d))\(a.reportInTime == false ? " (late)" : "")" } ?? ""
                return .text("\(a.agencyName): \(part)\(report)")
            }
            return "<tr><td>\(c.kind.title)</td><td>\(DisplayFormat.date(c.date))</td><td>\(c.outcome?.title ?? "–")</td><td>\(HTML.join(agencies, separator: "; "))</td></tr>"
        }
        let visits = recorded.visits.map { v -> HTML in
            "<tr><td>\(DisplayFormat.date(v.date))</td><td>\(v.seenAlone ? "Yes" : "No")</td><td>\(v.longTerm ? "Yes" : "No")</td><td>\(v.recordedBy)</td></tr>"
        }
        let placements = recorded.placements.map { p -> HTML in
            "<tr><td>\(DisplayFormat.date(p.start))</td><td>\(p.end.map { DisplayFormat.date($0) } ?? "Open")</td><td>\(p.label) (\(p.code))</td><td>\(p.recordedBy)</td></tr>"
        }
        let incidents = recorded.incidents.map { i -> HTML in
            "<li><a href=\"/serious-incidents/\(i.id.uuidString)\">Serious incident, aware \(DisplayFormat.date(i.awareDate))</a>: \(i.harm.title.lowercased()); \(i.stateTitle.lowercased())\(i.overdue.isEmpty ? "" : " — a deadline is overdue")</li>"
        }
        return """
            <h2>Child protection meetings, visits and serious incidents</h2>
            <ul class="plain">
            <li><a href="\(base)/conferences/new">Record a strategy discussion, conference or core group</a></li>
            \(recorded.placedNow ? "<li><a href=\"\(base)/visits/new\">Record a statutory visit</a></li>" as HTML : .empty)
            <li><a href="\(base)/placements/new">Record a placement the SSDA903 return does not hold yet</a></li>
            <li><a href="\(base)/serious-incidents/new">Record a serious incident</a></li>
            </ul>
            \(incidents.isEmpty ? .empty : "<ul>\(incidents)</ul>" as HTML)
            \(conferences.isEmpty ? .empty : """
            <table><caption>Meetings recorded in EyesOn</caption>
            <thead><tr><th scope="col">Meeting</th><th scope="col">Held</th><th scope="col">Outcome</th><th scope="col">Agencies</th></tr></thead>
            <tbody>\(conferences)</tbody></table>
            """ as HTML)
            \(placements.isEmpty ? .empty : """
            <table><caption>Placements recorded in EyesOn</caption>
            <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Placement</th><th scope="col">Recorded by</th></tr></thead>
            <tbody>\(placements)</tbody></table>
            """ as HTML)
            \(visits.isEmpty ? .empty : """
            <table><caption>Statutory visits recorded in EyesOn</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Seen alone</th><th scope="col">Long-term placement</th><th scope="col">Recorded by</th></tr></thead>
            <tbody>\(visits)</tbody></table>
            """ as HTML)
            """
    }
}

extension ChildSections {
    /// Who has looked at this record (as NHS CP-IS shows): the latest reads, from the audit trail.
    static func lookedAt(_ reads: [(at: Date, actor: String, detail: String)]) -> HTML {
        guard !reads.isEmpty else { return .empty }
        let rows = reads.map { r -> HTML in "<tr><td>\(DisplayFormat.dateTime(r.at))</td><td>\(r.actor)</td><td>\(r.detail)</td></tr>" }
        return """
            <table><caption>Who has looked at this record (the latest \(reads.count), from the audit trail)</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Role and agency</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    /// The feeds' records linked to the child, by agency, each with the way to undo a wrong link.
    static func linkedRecords(child: ChildSummary, _ records: [RecordMatching.LinkedRecord]?, csrf: String) -> HTML {
        guard let records else { return .empty }
        guard !records.isEmpty else { return "<h2>Records linked to this child</h2><p>No feed's record is linked to this child.</p>" }
        let rows = records.map { r -> HTML in
            let held = [r.name ?? "no name in this feed", "born \(r.dateOfBirth.map(DisplayFormat.date) ?? "not known")"].joined(separator: ", ")
            return """
                <tr><td>\(r.agency)</td><td>\(r.feed.title)</td><td>\(r.reference)</td><td>\(held)</td><td>
                <form method="post" action="/children/\(child.id.uuidString)/records/\(r.feed.rawValue)/\(r.id.uuidString)/unlink" class="inline">
                <input type="hidden" name="_csrf" value="\(csrf)">
                <button type="submit" class="button secondary">Not this child: unlink<span class="visually-hidden"> \(r.feed.title) \(r.reference)</span></button>
                </form></td></tr>
                """
        }
        return """
            <h2>Records linked to this child</h2>
            <p>Each agency's record that counts for this child, whether an import, a person or the linking model linked it. \
            A record that is not this child can be unlinked: it goes back to Records to match, what it gave this child \
            (its LAchildID, its agency's reference) goes with it, and the linking model never links the two again. Audited.</p>
            <table><caption>Records linked to this child, by agency</caption>
            <thead><tr><th scope="col">Agency</th><th scope="col">Feed</th><th scope="col">Reference</th><th scope="col">The child as the record has them</th><th scope="col">Undo</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }
}
