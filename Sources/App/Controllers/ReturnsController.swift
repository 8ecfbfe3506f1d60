import Vapor
import EyesOnCore
import Store

/// The partnership's returns: work one out as of a date, fill in what only people know, keep it
/// as a draft, sign it off, export it; open a figure to the children behind it (children's social
/// care only). Analysts and children's social care (`AccessPolicy.mayWorkOnReturns`).
struct ReturnsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("returns", use: index)
        routes.get("returns", "new", use: preview)
        routes.get("returns", "attendance", use: attendance)
        routes.get("returns", "yearly", use: yearly)
        routes.get("returns", "yearly", "edit", use: yearlyForm)
        routes.post("returns", "yearly", "edit", use: saveYearly)
        routes.post("returns", use: prepare)
        routes.get("returns", ":id", use: show)
        routes.post("returns", ":id", "sign-off", use: signOff)
        routes.get("returns", ":id", "export.csv", use: exportCSV)
        routes.get("returns", ":id", "export.json", use: exportJSON)
        routes.get("returns", ":id", "lines", ":line", use: lines)
    }

    static func returns(_ req: Request) throws -> Returns {
        let directory = try req.childDirectory()
        guard AccessPolicy.mayWorkOnReturns(directory.viewer) else { throw Abort(.forbidden) }
        return Returns(directory: directory)
    }

    static func submission(_ req: Request, _ returns: Returns) async throws -> ReturnSubmission {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let submission = try await returns.submission(id) else { throw Abort(.notFound) }
        return submission
    }

    @Sendable
    func index(req: Request) async throws -> HTML {
        let returns = try Self.returns(req)
        let templates = try await Returns.templates(on: req.db)
        return ReturnViews.index(context: req.pageContext, templates: templates, submissions: try await returns.submissions(),
                                 today: returns.directory.today, errors: [])
    }

    /// Attendance of the vulnerable groups (`?as_of=DATE`, default today).
    @Sendable
    func attendance(req: Request) async throws -> Response {
        let returns = try Self.returns(req)
        let text = (req.query[String.self, at: "as_of"] ?? "").trimmingCharacters(in: .whitespaces)
        let parsed = text.isEmpty ? returns.directory.today : ChildrenController.parseDate(text)
        var errors: [FieldError] = []
        if parsed == nil { errors.append(FieldError(field: "as_of", message: "Enter the report's date, like 2/12/2026")) }
        if let parsed, parsed > returns.directory.today { errors.append(FieldError(field: "as_of", message: "The report's date must be today or earlier")) }
        let date = errors.isEmpty ? parsed! : returns.directory.today
        // A report: from the standby when there is one (READ_DATABASE_URL).
        let report: AttendanceByGroup
        do {
            report = try await req.reportingRead { db in try await Returns(directory: try req.childDirectory(on: db)).attendanceByGroup(asOf: date) }
        } catch let error as ReturnError {
            throw Abort(.unprocessableEntity, reason: SeriousIncidentsController.sentence(error.message))
        }
        return HTML.response(ReturnViews.attendance(context: req.pageContext, report: report, errors: errors), status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// `?year=YYYY` (the reporting year starting that April; default the one today falls in).
    static func reportYear(_ req: Request, _ returns: Returns) throws -> Int {
        let current = PartnershipReport.year(of: returns.directory.today)
        let year = req.query[Int.self, at: "year"] ?? current
        guard (2000...current).contains(year) else { throw Abort(.notFound) }
        return year
    }

    @Sendable
    func yearly(req: Request) async throws -> HTML {
        let returns = try Self.returns(req)
        let year = try Self.reportYear(req, returns)
        let report = try await req.reportingRead { db in try await Returns(directory: try req.childDirectory(on: db)).partnershipReport(year: year) }
        try await returns.directory.audit(.returnComputed, detail: "partnership report \(year)", clientAddress: req.clientAddress)
        let current = PartnershipReport.year(of: returns.directory.today)
        return ReturnViews.yearly(context: req.pageContext, report: report, years: Array((current - 2)...current).reversed())
    }

    @Sendable
    func yearlyForm(req: Request) async throws -> HTML {
        let returns = try Self.returns(req)
        let report = try await returns.partnershipReport(year: try Self.reportYear(req, returns))
        return ReturnViews.yearlyForm(context: req.formPageContext, report: report, texts: [:], errors: [])
    }

    @Sendable
    func saveYearly(req: Request) async throws -> Response {
        let returns = try Self.returns(req)
        let year = try Self.reportYear(req, returns)
        let fields = try req.content.decode([String: String].self)
        var errors: [FieldError] = []
        for section in PartnershipReport.Section.allCases {
            do {
                try await returns.saveNarrative(year: year, section: section, text: fields[section.rawValue] ?? "", clientAddress: req.clientAddress)
            } catch let error as ReturnError {
                errors.append(FieldError(field: section.rawValue, message: SeriousIncidentsController.sentence(error.message)))
            }
        }
        guard errors.isEmpty else {
            let report = try await returns.partnershipReport(year: year)
            return HTML.response(ReturnViews.yearlyForm(context: req.formPageContext, report: report, texts: fields, errors: errors), status: .unprocessableEntity)
        }
        return req.redirect(to: "/returns/yearly?year=\(year)", redirectType: .normal)
    }

    /// `?template=KEY&as_of=DATE`: the return worked out, with the fields to fill in by hand.
    @Sendable
    func preview(req: Request) async throws -> Response {
        let returns = try Self.returns(req)
        let templates = try await Returns.templates(on: req.db)
        guard let key = req.query[String.self, at: "template"] else {
            // Nothing chosen yet: the page to choose from.
            return HTML.response(ReturnViews.index(context: req.pageContext, templates: templates, submissions: try await returns.submissions(),
                                                   today: returns.directory.today, errors: []), status: .ok)
        }
        let dateText = (req.query[String.self, at: "as_of"] ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [FieldError] = []
        let template = templates.first { $0.key == key }
        if template == nil { errors.append(FieldError(field: "template", message: "Choose the return to prepare")) }
        let date = dateText.isEmpty ? returns.directory.today : ChildrenController.parseDate(dateText)
        if date == nil { errors.append(FieldError(field: "as_of", message: "Enter the return's date, like 2/12/2026")) }
        if let date, date > returns.directory.today { errors.append(FieldError(field: "as_of", message: "The return's date must be today or earlier")) }
        guard errors.isEmpty, let template, let date else {
            return HTML.response(ReturnViews.index(context: req.pageContext, templates: templates, submissions: try await returns.submissions(),
                                                   today: returns.directory.today, errors: errors), status: .unprocessableEntity)
        }
        let computed = try await returns.compute(template, asOf: date)
        return HTML.response(ReturnViews.preview(context: req.formPageContext, computed: computed, entered: [:], errors: []), status: .ok)
    }

    @Sendable
    func prepare(req: Request) async throws -> Response {
        let returns = try Self.returns(req)
        let fields = try req.content.decode([String: String].self)
        guard let template = try await Returns.template(fields["template"] ?? "", on: req.db),
              let date = CivilDate(fields["as_of"] ?? ""), date <= returns.directory.today else { throw Abort(.badRequest) }
        var entered: [String: String] = [:]
        var errors: [FieldError] = []
        for line in template.lines {
            guard let kind = line.manual else { continue }
            let value = fields["manual_" + line.key] ?? ""
            entered[line.key] = value
            if let problem = kind.problem(with: value) { errors.append(FieldError(field: "manual_" + line.key, message: "\(line.label) \(problem)")) }
        }
        if errors.isEmpty {
            do {
                let id = try await returns.prepare(template, asOf: date, entered: entered, clientAddress: req.clientAddress)
                return req.redirect(to: "/returns/\(id.uuidString)", redirectType: .normal)
            } catch let error as ReturnError {
                errors.append(FieldError(field: "template", message: SeriousIncidentsController.sentence(error.message)))
            }
        }
        let computed = try await returns.compute(template, asOf: date, entered: entered)
        return HTML.response(ReturnViews.preview(context: req.formPageContext, computed: computed, entered: entered, errors: errors), status: .unprocessableEntity)
    }

    @Sendable
    func show(req: Request) async throws -> HTML {
        let returns = try Self.returns(req)
        let submission = try await Self.submission(req, returns)
        return ReturnViews.show(context: req.formPageContext, submission: submission,
                                mayOpenLists: AccessPolicy.worksAcrossTheArea(returns.directory.viewer), message: req.query[String.self, at: "done"])
    }

    @Sendable
    func signOff(req: Request) async throws -> Response {
        let returns = try Self.returns(req)
        let submission = try await Self.submission(req, returns)
        do {
            try await returns.signOff(submission.id, clientAddress: req.clientAddress)
        } catch let error as ReturnError {
            throw Abort(.conflict, reason: error.message)
        }
        let note = "Signed off".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return req.redirect(to: "/returns/\(submission.id.uuidString)?done=\(note)", redirectType: .normal)
    }

    static func download(_ req: Request, format: String) async throws -> (ReturnSubmission, HTTPHeaders) {
        let returns = try Self.returns(req)
        let submission = try await Self.submission(req, returns)
        do {
            try await returns.recordExport(submission, format: format, clientAddress: req.clientAddress)
        } catch let error as ReturnError {
            throw Abort(.conflict, reason: error.message)
        }
        var headers = HTTPHeaders()
        headers.contentType = format == "csv" ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]) : .json
        headers.replaceOrAdd(name: .contentDisposition,
                             value: "attachment; filename=\"\(submission.computed.template.key)-\(submission.computed.asOf).\(format)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return (submission, headers)
    }

    @Sendable
    func exportCSV(req: Request) async throws -> Response {
        let (s, headers) = try await Self.download(req, format: "csv")
        return Response(status: .ok, headers: headers, body: .init(string: ReturnExport.csv(s.computed, signedBy: s.signedBy, signedAt: s.signedAt)))
    }

    @Sendable
    func exportJSON(req: Request) async throws -> Response {
        let (s, headers) = try await Self.download(req, format: "json")
        return Response(status: .ok, headers: headers, body: .init(string: try ReturnExport.json(s.computed, signedBy: s.signedBy, signedAt: s.signedAt)))
    }

    /// The children (or referrals) behind one figure: children's social care only.
    @Sendable
    func lines(req: Request) async throws -> HTML {
        let returns = try Self.returns(req)
        guard AccessPolicy.worksAcrossTheArea(returns.directory.viewer) else { throw Abort(.forbidden) }
        let submission = try await Self.submission(req, returns)
        guard let key = req.parameters.get("line"), let line = submission.computed.template.lines.first(where: { $0.key == key }),
              let measure = line.measure else { throw Abort(.notFound) }
        let members: [ReturnMember]
        do {
            members = try await returns.members(of: submission, line: key, clientAddress: req.clientAddress)
        } catch let error as ReturnError {
            return ReturnViews.members(context: req.pageContext, submission: submission, line: line, measure: measure, members: [], gap: error.message)
        }
        return ReturnViews.members(context: req.pageContext, submission: submission, line: line, measure: measure, members: members, gap: nil)
    }
}
