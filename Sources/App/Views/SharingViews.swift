import Vapor
import EyesOnCore
import Store

/// The information-sharing form and the child page's list of shares.
enum SharingViews {
    static func form(context: PageContext, child: ChildSummary, form: SharingController.Form, errors: [FieldError]) -> HTML {
        let yesNo: [FormFields.Option] = [.init(value: "yes", label: "Shared"), .init(value: "no", label: "Not shared (a decision not to share)")]
        let channels = SharingChannel.allCases.map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        let bases = LawfulBasis.allCases.map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        let consents = ConsentStatus.allCases.map { FormFields.Option(value: $0.rawValue, label: $0.title) }
        return Layout.page(title: "Record information sharing", context: context, breadcrumbs: MeetingViews.breadcrumbs(child, "Record information sharing"),
                           errors: errors, content: """
        <span class="caption">\(child.givenName) \(child.familyName)</span>
        <h1>Record information sharing</h1>
        <p>Record each time you share this child's information with someone outside your agency, and each decision not to share. \
        You do not need consent to share information to keep a child safe, but record the lawful basis, whether consent was sought, and why.</p>
        \(FormFields.form(action: "/children/\(child.id.uuidString)/sharing", context: context, submit: "Record it", """
        \(FormFields.choices(id: "shared", legend: "Was the information shared?", options: yesNo, selected: Set([form.shared].compactMap { $0 }), multiple: false, errors: errors))
        \(Layout.textField(id: "recipient", label: "With whom (person and agency), or who asked", value: form.recipient, errors: errors, spellcheck: true))
        \(FormFields.textArea(id: "what", label: "What information", value: form.what, errors: errors, rows: 3))
        \(FormFields.select(id: "channel", label: "How", options: channels, selected: form.channel, errors: errors, includeBlank: "Choose how"))
        \(FormFields.select(id: "basis", label: "Lawful basis", options: bases, selected: form.basis, errors: errors, includeBlank: "Choose the lawful basis"))
        \(FormFields.choices(id: "consent", legend: "Consent", options: consents, selected: Set([form.consent].compactMap { $0 }), multiple: false, errors: errors))
        \(FormFields.textArea(id: "reason", label: "Reason", value: form.reason, hint: "Needed when consent was not sought or a refusal was overridden, and for a decision not to share", errors: errors, rows: 3))
        \(Layout.textField(id: "date", label: "Date of the decision", value: form.date, hint: "For example, 27/3/2026", errors: errors))
        """))
        """)
    }

    /// The child's shares and decisions not to share, with the link to record one.
    static func section(child: ChildSummary, _ lines: [SharingLine]) -> HTML {
        let rows = lines.map { line -> HTML in
            let d = line.decision
            return """
                <tr><td>\(DisplayFormat.date(d.decidedOn))</td><td>\(d.shared ? "Shared" : "Not shared")</td><td>\(d.recipient)</td><td>\(d.what)</td>\
                <td>\(d.channel.title)</td><td>\(d.lawfulBasis.title)</td><td>\(d.consent.title)\(d.reason.isEmpty ? "" : ": \(d.reason)")</td>\
                <td>\(line.actor), \(line.agencyName)</td></tr>
                """
        }
        return """
            <h2 id="sharing">Information sharing</h2>
            \(lines.isEmpty ? "<p>No share of this child's information is recorded yet.</p>" as HTML : """
            <table><caption>Shares of this child's information and decisions not to share, newest first</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Decision</th><th scope="col">With</th><th scope="col">What</th><th scope="col">How</th>\
            <th scope="col">Lawful basis</th><th scope="col">Consent</th><th scope="col">Recorded by</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """)
            <p><a href="/children/\(child.id.uuidString)/sharing/new">Record information sharing, or a decision not to share</a></p>
            """
    }
}
