import EyesOnCore
import Store

/// The page of records to match.
enum MatchingViews {
    static func index(context: PageContext, counts: [UnmatchedRecord.Feed: Int], records: [UnmatchedRecord], message: String?, error: String?) -> HTML {
        let total = counts.values.reduce(0, +)
        let summary = UnmatchedRecord.Feed.allCases.map { f -> (String, HTML) in (f.title, .text((counts[f] ?? 0).formatted())) }
        let rows = records.map { r -> HTML in
            var held: [String] = [r.name ?? "No name in this feed", "born \(r.dateOfBirth.map(DisplayFormat.date) ?? "not known")"]
            if let sex = r.sex { held.append(sex.label.lowercased()) }
            if let upn = r.upn { held.append("UPN \(upn)") }
            if let nhs = r.nhsNumber { held.append("NHS number \((try? NHSNumber(nhs).formatted) ?? nhs)") }
            let candidates: HTML = r.candidates.isEmpty ? "No one in the index is born that day or shares an identifier." : """
                <ul class="plain">\(r.candidates.map { c -> HTML in
                    """
                    <li><a href="/children/\(c.personID.uuidString)">\(c.name)</a>, born \(c.dateOfBirth.map(DisplayFormat.date) ?? "not known")\
                    \(c.postcode.map { ", \($0)" } ?? "") — \(c.why)
                    <form method="post" action="/matching/\(r.feed.rawValue)/\(r.id.uuidString)" class="inline">
                    <input type="hidden" name="_csrf" value="\(context.csrfToken)"><input type="hidden" name="person" value="\(c.personID.uuidString)">
                    <button type="submit" class="button secondary">Same child<span class="visually-hidden">: \(r.feed.title) \(r.reference) is \(c.name)</span></button>
                    </form></li>
                    """
                })</ul>
                """
            return "<tr><td>\(r.feed.title)<br>\(r.agency)<br>\(r.reference)</td><td>\(held.joined(separator: ", "))</td><td>\(candidates)</td></tr>"
        }
        let table: HTML = records.isEmpty ? "<p>Every record the feeds hold is matched to a child.</p>" : """
            <table><caption>The first \(records.count) of \(total.formatted()) records to match</caption>
            <thead><tr><th scope="col">Record</th><th scope="col">The child as the record has them</th><th scope="col">Who it may be</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page(title: "Records to match", context: context, breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Records to match", href: nil)], content: """
        \(message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" as HTML } ?? .empty)
        \(error.map { "<div class=\"error-summary\" role=\"alert\"><p>\($0)</p></div>" as HTML } ?? .empty)
        <h1>Records to match</h1>
        <p>The feeds keep every record they could not match to a child in the index — a date of birth that disagrees, an \
        identifier the index does not hold, a name spelt another way. Open a candidate's record to check, then say which child \
        the record is: the record then counts for that child everywhere (their page, the finder, the list's rules), and the \
        match is audited.</p>
        \(Layout.summaryList(summary))
        \(table)
        """)
    }
}
