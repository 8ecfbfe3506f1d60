import EyesOnCore
import Store

/// The public "report a concern about a child" page and its editing form.
enum SignpostingViews {
    static func contactList(_ contacts: [Signposting.Contact]) -> HTML {
        let items = contacts.map { c -> HTML in
            let tel = c.phone.filter { $0.isNumber || $0 == "+" }
            return """
                <li><strong>\(c.name)</strong>: <a href="tel:\(tel)">\(c.phone)</a>\
                \(c.email.flatMap { $0.isEmpty ? nil : $0 }.map { ", <a href=\"mailto:\($0)\">\($0)</a>" as HTML } ?? .empty)\
                \(c.hours.flatMap { $0.isEmpty ? nil : $0 }.map { " (\($0))" as HTML } ?? .empty)</li>
                """
        }
        return "<ul class=\"contacts\">\(items)</ul>"
    }

    static func page(context: PageContext, page: Signposting) -> HTML {
        let paragraphs = page.introduction.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }.map { "<p>\($0)</p>" as HTML }
        let frontDoor: HTML = page.frontDoor.isEmpty
            ? "<p>The partnership has not yet published its contacts here. Contact your local council's children's services.</p>"
            : contactList(page.frontDoor)
        return Layout.page(title: "Report a concern about a child", context: context, content: """
            <h1>Report a concern about a child in \(page.area)</h1>
            <div class="banner warning" role="note"><p><strong>If a child is in immediate danger, call 999.</strong></p></div>
            \(paragraphs)
            <h2>Children's social care front door</h2>
            \(frontDoor)
            <h2>Out of hours, at weekends and on bank holidays</h2>
            \(page.outOfHours.isEmpty ? "<p>Call 999 if a child is in danger now.</p>" as HTML : contactList(page.outOfHours))
            <h2>Practitioners</h2>
            <p>If you work with children in \(page.area), follow your agency's safeguarding procedure and tell your designated safeguarding lead.
            <a href="/sign-in">Sign in to EyesOn</a>.</p>
            """)
    }

    /// The form's text for a stored page: one contact a line, `Name | phone | email | hours`.
    static func fields(_ page: Signposting) -> [String: String] {
        func lines(_ contacts: [Signposting.Contact]) -> String {
            contacts.map { [$0.name, $0.phone, $0.email ?? "", $0.hours ?? ""].joined(separator: " | ") }.joined(separator: "\n")
        }
        return ["area": page.area, "introduction": page.introduction, "front_door": lines(page.frontDoor), "out_of_hours": lines(page.outOfHours)]
    }

    /// Contacts typed one a line, `Name | phone | email | hours` (email and hours may be left out).
    static func contacts(_ text: String, field: String, what: String) throws -> [Signposting.Contact] {
        var out: [Signposting.Contact] = []
        for (k, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 2, parts.count <= 4 else {
                throw SignpostingError(field: field, message: "\(what), line \(k + 1): write Name | phone | email | hours (email and hours may be left out)")
            }
            out.append(Signposting.Contact(name: parts[0], phone: parts[1], email: parts.count > 2 && !parts[2].isEmpty ? parts[2] : nil,
                                           hours: parts.count > 3 && !parts[3].isEmpty ? parts[3] : nil))
        }
        return out
    }

    static func form(context: PageContext, fields: [String: String], errors: [FieldError], message: String?) -> HTML {
        Layout.page(title: "Public page: report a concern", context: context,
                    breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Public page", href: nil)], errors: errors, content: """
            \(message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" as HTML } ?? .empty)
            <h1>Public page: report a concern about a child</h1>
            <p>Anyone can read <a href="/help">the public page</a> without signing in. It always tells people to call 999 if a child is in immediate danger.</p>
            \(FormFields.form(action: "/signposting", context: context, submit: "Save the public page", """
                \(Layout.textField(id: "area", label: "Area", value: fields["area"], hint: "As the heading says it: Report a concern about a child in …", errors: errors, spellcheck: true))
                \(FormFields.textArea(id: "introduction", label: "How to report a concern", value: fields["introduction"], hint: "Paragraphs separated by a blank line.", errors: errors, rows: 6))
                \(FormFields.textArea(id: "front_door", label: "Front door contacts", value: fields["front_door"], hint: "One a line: Name | phone | email | hours. Email and hours may be left out.", errors: errors))
                \(FormFields.textArea(id: "out_of_hours", label: "Out-of-hours contacts", value: fields["out_of_hours"], hint: "One a line: Name | phone | email | hours.", errors: errors))
                """))
            """)
    }
}
