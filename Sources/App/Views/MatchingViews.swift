import Foundation
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
            let action = "/matching/\(r.feed.rawValue)/\(r.id.uuidString)"
            let csrf: HTML = "<input type=\"hidden\" name=\"_csrf\" value=\"\(context.csrfToken)\">"
            let candidates: HTML = r.candidates.isEmpty ? "No one in the index is born that day, shares an identifier, or was weighed as them by the linking model." : """
                <ul class="plain candidates">\(r.candidates.enumerated().map { k, c -> HTML in
                    let about: HTML = "<span class=\"visually-hidden\">: \(r.feed.title) \(r.reference) is \(c.name)</span>"
                    let notAbout: HTML = "<span class=\"visually-hidden\">: \(r.feed.title) \(r.reference) is not \(c.name)</span>"
                    return """
                    <li><a href="/children/\(c.personID.uuidString)">\(c.name)</a>, born \(c.dateOfBirth.map(DisplayFormat.date) ?? "not known")\
                    \(c.postcode.map { ", \($0)" } ?? "")\(c.why.isEmpty ? "" : " — \(c.why)")
                    \(c.suggestion.map { evidence($0, id: "w-\(r.id.uuidString.prefix(8))-\(k)") } ?? .empty)
                    <div class="decisions">
                    <form method="post" action="\(action)" class="inline">\(csrf)<input type="hidden" name="person" value="\(c.personID.uuidString)">
                    <button type="submit" class="button secondary">Same child\(about)</button></form>
                    <form method="post" action="\(action)/not-same" class="inline">\(csrf)<input type="hidden" name="person" value="\(c.personID.uuidString)">
                    <button type="submit" class="button secondary">Not the same child\(notAbout)</button></form>
                    </div></li>
                    """
                })</ul>
                """
            let skip: HTML = """
                <form method="post" action="\(action)/skip" class="inline">\(csrf)<button type="submit" class="button secondary">Skip for now<span class="visually-hidden">: \(r.feed.title) \(r.reference)</span></button></form>
                """
            return "<tr><td>\(r.feed.title)<br>\(r.agency)<br>\(r.reference)</td><td>\(held.joined(separator: ", "))</td><td>\(candidates)\(skip)</td></tr>"
        }
        let table: HTML = records.isEmpty ? "<p>Every record the feeds hold is matched to a child.</p>" : """
            <table class="records"><caption>The first \(records.count) of \(total.formatted()) records to match</caption>
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
        <p>The linking model weighs every unmatched record against every child in the index each night (and when you ask): \
        a record it is sure of — one child only, at a probability of 95% or more — is matched and audited; the pairs it is \
        less sure of are shown here with what pulled towards a match and what against. "Not the same child" is remembered: \
        the pair is never offered or matched again. "Skip for now" moves the record to the end of the queue.</p>
        <form method="post" action="/matching/run"><input type="hidden" name="_csrf" value="\(context.csrfToken)">
        <button type="submit" class="button secondary">Look for matches now</button></form>
        \(Layout.summaryList(summary))
        \(table)
        """)
    }

    /// What each comparison of the linking model means, in words.
    static let comparisonTitles = ["prior": "Before comparing", "first_name": "First name", "surname": "Surname", "dob": "Date of birth",
                                   "postcode": "Postcode", "nhs_number": "NHS number", "upn": "UPN", "sex": "Sex"]

    /// A comparison level (`Linkage`'s label) in words.
    static func levelWords(_ label: String) -> String {
        var base = label, common = ""
        if base.hasSuffix(" (term frequency)") { base = String(base.dropLast(17)); common = ", weighed by how common the value is" }
        let type = base.split(separator: " ").first.map(String.init) ?? base
        let threshold = base.split(separator: " ").dropFirst().first.flatMap { Double($0) }
        let words: String = switch type {
        case "λ": "how likely two records picked at random are the same child"
        case "exact": "the same"
        case "alias": "another form of the same name"
        case "damerau_levenshtein": threshold == 1 ? "one letter different" : "a few letters different"
        case "jaro_winkler": (threshold ?? 0) >= 0.9 ? "very alike" : "alike"
        case "phonetic": "sounds the same"
        case "swapped": "first name and surname swapped"
        case "date_day_month_swapped": "day and month swapped"
        case "date_years_apart": "the same day and month, a year apart"
        case "date_one_part_differs": "one of day, month and year differs"
        case "postcode_sector": "the same postcode sector"
        case "postcode_district": "the same postcode district"
        case "null": "missing on one side"
        case "else": "different"
        default: base.replacingOccurrences(of: "_", with: " ")
        }
        return words + common
    }

    static func signed(_ w: Double) -> String { (w >= 0 ? "+" : "−") + String(format: "%.1f", abs(w)) }

    /// The model's weighing of one pair: the weight and probability, and a waterfall of each
    /// comparison's part (towards a match above zero, against below), with its table.
    static func evidence(_ s: LinkSuggestion, id: String) -> HTML {
        let lines = s.contributions.filter { $0.comparison == "prior" || $0.weight != 0 }
        let percent = s.probability >= 0.9995 ? "over 99.9%" : String(format: "%.1f%%", s.probability * 100)
        // The waterfall: each bar starts where the last ended.
        let rowHeight = 24, labelWidth = 130, plotWidth = 340, top = 8
        var running = 0.0, ends: [(Double, Double)] = []
        for line in lines { ends.append((running, running + line.weight)); running += line.weight }
        let low = min(0, ends.map { min($0.0, $0.1) }.min() ?? 0), high = max(0, ends.map { max($0.0, $0.1) }.max() ?? 0)
        let span = max(high - low, 1)
        func x(_ v: Double) -> Int { labelWidth + Int((Double(plotWidth) * (v - low) / span).rounded()) }
        var parts: [HTML] = []
        for (k, line) in lines.enumerated() {
            let (from, to) = ends[k], y = top + k * rowHeight
            let colour = line.weight >= 0 ? "#00703c" : "#d4351c"
            let title = comparisonTitles[line.comparison] ?? line.comparison
            parts.append("""
                <text x="\(labelWidth - 8)" y="\(y + 15)" font-size="12" text-anchor="end" fill="#0b0c0c">\(title)</text>\
                <rect x="\(min(x(from), x(to)))" y="\(y + 4)" width="\(max(abs(x(to) - x(from)), 2))" height="\(rowHeight - 8)" fill="\(colour)"></rect>\
                <text x="\(max(x(from), x(to)) + 4)" y="\(y + 15)" font-size="11" fill="#0b0c0c">\(signed(line.weight))</text>
                """)
        }
        let height = top + lines.count * rowHeight + 8
        parts.append("<line x1=\"\(x(0))\" y1=\"\(top)\" x2=\"\(x(0))\" y2=\"\(height - 4)\" stroke=\"#0b0c0c\" stroke-width=\"1\"></line>")
        let rows = lines.map { line -> HTML in
            "<tr><th scope=\"row\">\(comparisonTitles[line.comparison] ?? line.comparison)</th><td>\(levelWords(line.level))</td><td class=\"numeric\">\(signed(line.weight))</td></tr>"
        }
        let width = labelWidth + plotWidth + 50
        // Why a pair this likely was not matched by the model itself.
        let heldBack: HTML = s.probability < 0.95 ? .empty
            : s.contributions.contains(where: { $0.comparison == "first_name" && $0.level == "else" })
            ? " The first names are different, so the model does not match it by itself: twins and siblings share the rest."
            : " The model did not match it by itself: another child is as likely, or a shared identifier came with a different date of birth."
        return """
            <p class="weight">Linking model: match weight \(signed(s.weight)), probability \(percent).\(heldBack)</p>
            <details><summary>Why: what pulled towards a match and what against</summary>
            <figure>
            <svg class="chart" role="img" aria-labelledby="\(id)-title" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)">
            <title id="\(id)-title">Each comparison's part of the match weight, \(signed(s.weight)) in all: bars to the right of the line pull towards a match, to the left against</title>
            \(parts)
            </svg>
            </figure>
            <table><caption>Each comparison's part of the weight</caption>
            <thead><tr><th scope="col">Comparison</th><th scope="col">What was found</th><th scope="col" class="numeric">Weight</th></tr></thead>
            <tbody>\(rows)<tr><th scope="row">In all</th><td>probability \(percent)</td><td class="numeric">\(signed(s.weight))</td></tr></tbody></table>
            </details>
            """
    }
}
