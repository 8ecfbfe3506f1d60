import Vapor
import Fluent
import EyesOnCore
import Store

/// Find a child and open their record, through `ChildDirectory` (the access policy) only.
struct ChildrenController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("children", use: search)
        routes.get("children", ":id", use: show)
        routes.post("children", ":id", "break-glass", use: breakGlass)
    }

    struct Query: Content {
        var name: String?
        var nhs: String?
        var upn: String?
        var postcode: String?
        var dob: String?
        var page: Int?
    }

    @Sendable
    func search(req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let directory = try req.childDirectory()
        guard directory.scope.mayOpenRecords else { throw Abort(.forbidden) }
        let query = (try? req.query.decode(Query.self)) ?? Query()
        var form = ChildSearchForm()
        form.name = String((query.name ?? "").prefix(100))
        form.nhsNumber = String((query.nhs ?? "").prefix(40))
        form.upn = String((query.upn ?? "").prefix(40))
        form.postcode = String((query.postcode ?? "").prefix(40))
        form.dateOfBirth = String((query.dob ?? "").prefix(40))
        let (search, errors) = Self.validate(form, page: query.page ?? 1)

        var result: ChildSearchResult?
        if errors.isEmpty {
            result = try await directory.search(search)
            let criteria = [search.name.map { _ in "name" }, search.nhsNumber.map { _ in "NHS number" }, search.upn.map { _ in "UPN" },
                            search.postcode.map { _ in "postcode" }, search.dateOfBirth.map { _ in "date of birth" }].compactMap { $0 }
            try await req.auditRead(.childSearch, detail: "listed \(result?.children.count ?? 0) children (page \(search.page))" + (criteria.isEmpty ? "" : " by " + criteria.joined(separator: ", ")))
        }
        let html = ChildrenView.render(context: req.pageContext, form: form, errors: errors, result: result, query: Self.queryString(form))
        return HTML.response(html, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// The record, or the 404 (the same whether the child exists or not), with the break-glass form
    /// for a role that sees only its agency's children.
    ///
    /// The record's content is kept for the session while its data is unchanged (`PageCache`);
    /// every view still checks access, is audited (with the outside-view task when it is one) and
    /// reads the latest reads afresh.
    @Sendable
    func show(req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        let directory = try req.childDirectory()
        let message = req.query[String.self, at: "done"]
        let cache = req.application.pageCache
        // The session's form token is in the page (unlinking a record), so the key is the session's.
        let key = "child|\(viewer.userID)|\(req.csrfToken)|\(id)|\(directory.today)|\(message ?? "")"
        let notFound = { () throws -> Response in
            guard case .linkedToAgency = directory.scope else { throw Abort(.notFound) }
            return HTML.response(ErrorView.breakGlass(context: req.formPageContext, childID: id, reason: nil, errors: []), status: .notFound)
        }
        let built: PageCache.Built
        if let kept = try await cache.kept(key, for: req) {
            guard try await directory.open(id: id, clientAddress: req.clientAddress) else { return try notFound() }
            built = kept
        } else {
            let version = try await cache.version(for: req)
            guard let record = try await directory.record(id: id, clientAddress: req.clientAddress) else { return try notFound() }
            let (head, tail) = ChildView.split(ChildView.content(record: record, extras: try await Self.extras(req, directory: directory, id: id, message: message),
                                                                 csrf: req.csrfToken))
            built = PageCache.Built(content: head, validUntil: nil, title: "\(record.summary.givenName) \(record.summary.familyName)", tail: tail)
            cache.keep(built, as: key, version: version)
        }
        let lookedAt = try await AuditLog.recent(on: req.db, limit: 20, personID: id, action: .childRecordRead).map { ($0.at, $0.actor ?? "–", $0.detail) }
        return ChildView.page(context: req.pageContext, name: built.title, head: built.content, tail: built.tail, lookedAt: lookedAt)
    }

    /// Everything on the child's page beyond the person index, but the latest reads.
    static func extras(_ req: Request, directory: ChildDirectory, id: UUID, message: String?) async throws -> ChildView.Extras {
        let viewer = directory.viewer
        let list = AgreedList(directory: directory)
        let eyesOn = EyesOn(directory: directory)
        let care = SocialCare(directory: directory)
        let entries = try await list.entries(forChild: id)
        var history: [ListHistoryLine] = []
        for entry in entries { history += try await list.history(entry.id) }
        return ChildView.Extras(
            entries: entries, history: history, attendance: try await eyesOn.attendance(forChild: id),
            contacts: try await eyesOn.contacts(forChild: id), tasks: try await eyesOn.tasks(forChild: id),
            referrals: try await care.referrals(forChild: id), socialCareDetail: viewer.agencyKind.isLocalAuthority,
            notices: try await Encompass(db: req.db, viewer: viewer).notices(forChild: id, directory: directory),
            maracs: try await care.maracs(forChild: id),
            health: try await care.healthCaseloads(forChild: id),
            lookedAfter: try await care.lookedAfter(forChild: id),
            agencyCaseloads: try await care.agencyCaseloads(forChild: id),
            frontDoor: try await care.frontDoorReferrals(forChild: id),
            sharing: try await InformationSharing(directory: directory).of(id),
            recorded: try await Self.recordedForClocks(directory, id),
            linkedRecords: AccessPolicy.worksAcrossTheArea(viewer) ? try await RecordMatching(directory: directory).linkedRecords(of: id) : nil,
            message: message, today: directory.today)
    }

    struct BreakGlassForm: Content { var reason: String? }

    @Sendable
    func breakGlass(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        let directory = try req.childDirectory()
        guard case .linkedToAgency = directory.scope else { throw Abort(.notFound) }
        let reason = try req.content.decode(BreakGlassForm.self).reason ?? ""
        do {
            guard try await BreakGlass.open(id, reason: reason, directory: directory, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        } catch let error as ListError {
            let errors = [FieldError(field: error.field ?? "reason", message: SeriousIncidentsController.sentence(error.message))]
            return HTML.response(ErrorView.breakGlass(context: req.formPageContext, childID: id, reason: reason, errors: errors), status: .unprocessableEntity)
        }
        return req.redirect(to: "/children/\(id.uuidString)", redirectType: .normal)
    }

    /// What children's social care recorded about the child for the statutory clocks (nil for other viewers).
    static func recordedForClocks(_ directory: ChildDirectory, _ id: UUID) async throws -> ChildView.RecordedForClocks? {
        guard AccessPolicy.worksAcrossTheArea(directory.viewer) else { return nil }
        let meetings = RecordedMeetings(directory: directory)
        return ChildView.RecordedForClocks(conferences: try await meetings.conferences(of: id), visits: try await meetings.visits(of: id),
                                           placements: try await meetings.placements(of: id),
                                           incidents: try await SeriousIncidents(directory: directory).of(id),
                                           placedNow: try await meetings.wasPlaced(id, on: directory.today))
    }

    /// Turns what was typed into a search, or field errors that say what is wrong.
    static func validate(_ form: ChildSearchForm, page: Int) -> (ChildSearch, [FieldError]) {
        var search = ChildSearch(page: min(max(page, 1), 10_000))
        var errors: [FieldError] = []
        let name = form.name.trimmingCharacters(in: .whitespacesAndNewlines)
        search.name = name.isEmpty ? nil : name
        if !form.nhsNumber.trimmingCharacters(in: .whitespaces).isEmpty {
            do { search.nhsNumber = try NHSNumber(form.nhsNumber) } catch { errors.append(FieldError(field: "nhs", message: Self.sentence(error.reason, field: "NHS number"))) }
        }
        if !form.upn.trimmingCharacters(in: .whitespaces).isEmpty {
            do { search.upn = try UPN(form.upn) } catch { errors.append(FieldError(field: "upn", message: Self.sentence(error.reason, field: "UPN"))) }
        }
        if !form.postcode.trimmingCharacters(in: .whitespaces).isEmpty {
            do { search.postcode = try Postcode(form.postcode) } catch { errors.append(FieldError(field: "postcode", message: Self.sentence(error.reason, field: "Postcode"))) }
        }
        let dob = form.dateOfBirth.trimmingCharacters(in: .whitespaces)
        if !dob.isEmpty {
            if let date = Self.parseDate(dob) { search.dateOfBirth = date } else {
                errors.append(FieldError(field: "dob", message: "Date of birth must be a real date, like 27/3/2014"))
            }
        }
        return (search, errors)
    }

    static func sentence(_ reason: String, field: String) -> String {
        "\(field) is not valid: \(reason)"
    }

    /// Accepts 2014-03-27, 27/3/2014, 27-3-2014 and 27 3 2014.
    static func parseDate(_ text: String) -> CivilDate? {
        if let iso = CivilDate(text) { return iso }
        let parts = text.split(whereSeparator: { "/- .".contains($0) }).compactMap { Int($0) }
        guard parts.count == 3, parts[2] >= 1900 else { return nil }
        return CivilDate(year: parts[2], month: parts[1], day: parts[0])
    }

    static func queryString(_ form: ChildSearchForm) -> String {
        let pairs = [("name", form.name), ("nhs", form.nhsNumber), ("upn", form.upn), ("postcode", form.postcode), ("dob", form.dateOfBirth)]
        return pairs.filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&" }.joined()
    }
}
