import EyesOnCore

/// Form controls beyond the text field (`Layout.textField`), after the GOV.UK Design System:
/// grouped choices in a fieldset with a legend, errors beside the field they belong to.
enum FormFields {
    struct Option: Sendable {
        let value: String
        let label: String
    }

    static func errorLine(_ id: String, _ errors: [FieldError]) -> (HTML, String?) {
        guard let error = errors.first(where: { $0.field == id }) else { return (.empty, nil) }
        return ("<span class=\"error-message\" id=\"\(id)-error\"><span class=\"visually-hidden\">Error: </span>\(error.message)</span>", "\(id)-error")
    }

    static func select(id: String, label: String, options: [Option], selected: String?, hint: String? = nil, errors: [FieldError] = [], includeBlank: String? = nil) -> HTML {
        let (error, errorID) = errorLine(id, errors)
        let described = [hint != nil ? "\(id)-hint" : nil, errorID].compactMap { $0 }.joined(separator: " ")
        var items: [HTML] = []
        if let includeBlank { items.append("<option value=\"\"\(selected == nil || selected == "" ? HTML(unsafeRaw: " selected") : .empty)>\(includeBlank)</option>") }
        for o in options {
            items.append("<option value=\"\(o.value)\"\(o.value == selected ? HTML(unsafeRaw: " selected") : .empty)>\(o.label)</option>")
        }
        return """
        <div class="form-group\(errorID != nil ? " error" : "")">
        <label for="\(id)">\(label)</label>
        \(hint.map { "<span class=\"hint\" id=\"\(id)-hint\">\($0)</span>" as HTML } ?? .empty)
        \(error)
        <select id="\(id)" name="\(id)"\(described.isEmpty ? .empty : " aria-describedby=\"\(described)\"" as HTML)>\(items)</select>
        </div>
        """
    }

    /// Radios (one choice) or checkboxes (several, named `id[]`).
    static func choices(id: String, legend: String, options: [Option], selected: Set<String>, multiple: Bool, hint: String? = nil, errors: [FieldError] = []) -> HTML {
        let (error, errorID) = errorLine(id, errors)
        let described = [hint != nil ? "\(id)-hint" : nil, errorID].compactMap { $0 }.joined(separator: " ")
        let items = options.enumerated().map { (k, o) -> HTML in
            let inputID = k == 0 ? id : "\(id)-\(k + 1)"
            return """
            <div class="choice"><input type="\(multiple ? "checkbox" : "radio")" id="\(inputID)" name="\(multiple ? id + "[]" : id)" value="\(o.value)"\(selected.contains(o.value) ? HTML(unsafeRaw: " checked") : .empty)>\
            <label for="\(inputID)">\(o.label)</label></div>
            """
        }
        return """
        <div class="form-group\(errorID != nil ? " error" : "")">
        <fieldset\(described.isEmpty ? .empty : " aria-describedby=\"\(described)\"" as HTML)>
        <legend>\(legend)</legend>
        \(hint.map { "<span class=\"hint\" id=\"\(id)-hint\">\($0)</span>" as HTML } ?? .empty)
        \(error)
        <div class="choices">\(items)</div>
        </fieldset>
        </div>
        """
    }

    static func textArea(id: String, label: String, value: String?, hint: String? = nil, errors: [FieldError] = [], rows: Int = 4) -> HTML {
        let (error, errorID) = errorLine(id, errors)
        let described = [hint != nil ? "\(id)-hint" : nil, errorID].compactMap { $0 }.joined(separator: " ")
        return """
        <div class="form-group\(errorID != nil ? " error" : "")">
        <label for="\(id)">\(label)</label>
        \(hint.map { "<span class=\"hint\" id=\"\(id)-hint\">\($0)</span>" as HTML } ?? .empty)
        \(error)
        <textarea id="\(id)" name="\(id)" rows="\(rows)"\(described.isEmpty ? .empty : " aria-describedby=\"\(described)\"" as HTML)>\(value ?? "")</textarea>
        </div>
        """
    }

    /// A POST form with the CSRF token.
    static func form(action: String, context: PageContext, submit: String, secondary: Bool = false, multipart: Bool = false, _ fields: HTML) -> HTML {
        """
        <form method="post" action="\(action)"\(multipart ? HTML(unsafeRaw: " enctype=\"multipart/form-data\"") : .empty) novalidate>
        <input type="hidden" name="_csrf" value="\(context.csrfToken)">
        \(fields)
        <button type="submit" class="button\(secondary ? " secondary" : "")">\(submit)</button>
        </form>
        """
    }

    static func riskTag(_ risk: RiskLevel) -> HTML {
        "<span class=\"tag \(risk.rawValue)\">\(risk.title)</span>"
    }
}
