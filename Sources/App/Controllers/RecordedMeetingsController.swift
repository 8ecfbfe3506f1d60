import Vapor
import EyesOnCore
import Store

/// What children's social care records by hand from the child's page for the statutory clocks:
/// strategy discussions, child protection conferences and core groups (with each agency's part),
/// and statutory visits to a looked-after child.
struct RecordedMeetingsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("children", ":id", "conferences", "new", use: conferenceForm)
        routes.post("children", ":id", "conferences", use: recordConference)
        routes.get("children", ":id", "visits", "new", use: visitForm)
        routes.post("children", ":id", "visits", use: recordVisit)
        routes.get("children", ":id", "placements", "new", use: placementForm)
        routes.post("children", ":id", "placements", use: recordPlacement)
    }

    static func meetings(_ req: Request) throws -> (RecordedMeetings, UUID) {
        let directory = try req.childDirectory()
        guard AccessPolicy.worksAcrossTheArea(directory.viewer),
              let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        return (RecordedMeetings(directory: directory), id)
    }

    /// The conference form as posted: the meeting, and per agency `agency_<id>_invited`,
    /// `_attended`, `_apologies`, `_report`.
    struct ConferenceForm: Sendable {
        var kind = ""
        var date = ""
        var outcome = ""
        var fields: [String: String] = [:]

        func value(_ agency: UUID, _ part: String) -> String { fields["agency_\(agency.uuidString)_\(part)"] ?? "" }
    }

    @Sendable
    func conferenceForm(req: Request) async throws -> HTML {
        let (meetings, id) = try Self.meetings(req)
        guard let child = try await meetings.directory.record(id: id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        let form = ConferenceForm(date: meetings.directory.today.description)
        return MeetingViews.conferenceForm(context: req.formPageContext, child: child.summary, agencies: try await meetings.agenciesToInvite(id), form: form, errors: [])
    }

    @Sendable
    func recordConference(req: Request) async throws -> Response {
        let (meetings, id) = try Self.meetings(req)
        guard let child = try await meetings.directory.summary(id: id) else { throw Abort(.notFound) }
        let fields = try req.content.decode([String: String].self)
        let form = ConferenceForm(kind: fields["kind"] ?? "", date: fields["date"] ?? "", outcome: fields["outcome"] ?? "", fields: fields)
        let agencies = try await meetings.agenciesToInvite(id)
        var errors: [FieldError] = []
        let kind = ProtectionMeeting(rawValue: form.kind)
        if kind == nil { errors.append(FieldError(field: "kind", message: "Choose what kind of meeting it was")) }
        let date = ChildrenController.parseDate(form.date.trimmingCharacters(in: .whitespaces))
        if date == nil { errors.append(FieldError(field: "date", message: "Enter the date of the meeting, like 27/3/2026")) }
        var parts: [ConferenceAgency] = []
        for (k, agency) in agencies.enumerated() {
            guard let agencyID = agency.id else { continue }
            let reportText = form.value(agencyID, "report").trimmingCharacters(in: .whitespaces)
            let report = reportText.isEmpty ? nil : ChildrenController.parseDate(reportText)
            if !reportText.isEmpty && report == nil {
                errors.append(FieldError(field: "agency-\(k + 1)", message: "\(agency.name): enter the report's date, like 25/3/2026"))
            }
            let part = ConferenceAgency(agencyID: agencyID, invited: !form.value(agencyID, "invited").isEmpty,
                                        attended: form.value(agencyID, "attendance") == "attended",
                                        apologies: form.value(agencyID, "attendance") == "apologies", reportDate: report)
            if part.invited || part.attended || part.apologies || part.reportDate != nil { parts.append(part) }
        }
        if errors.isEmpty, let kind, let date {
            do {
                _ = try await meetings.recordConference(personID: id, kind: kind, date: date,
                                                        outcome: kind.outcomes.isEmpty ? nil : ProtectionMeeting.Outcome(rawValue: form.outcome),
                                                        agencies: parts, clientAddress: req.clientAddress)
                let note = "\(kind.title) recorded".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return req.redirect(to: "/children/\(id.uuidString)?done=\(note)", redirectType: .normal)
            } catch let error as ListError {
                if error.kind == .notFound { throw Abort(.notFound) }
                var message = SeriousIncidentsController.sentence(error.message)
                var field = error.field ?? "date"
                // An agency's error: name the agency (the store numbers the parts it was given).
                if field.hasPrefix("agency-"), let k = Int(field.dropFirst(7)), k >= 1, k <= parts.count,
                   let index = agencies.firstIndex(where: { $0.id == parts[k - 1].agencyID }) {
                    message = "\(agencies[index].name): \(error.message)"
                    field = "agency-\(index + 1)"
                }
                errors.append(FieldError(field: field, message: message))
            }
        }
        return HTML.response(MeetingViews.conferenceForm(context: req.formPageContext, child: child, agencies: agencies, form: form, errors: errors),
                             status: .unprocessableEntity)
    }

    struct VisitForm: Content {
        var date: String?
        var seen_alone: String?
        var long_term: [String]?
    }

    @Sendable
    func visitForm(req: Request) async throws -> HTML {
        let (meetings, id) = try Self.meetings(req)
        guard let child = try await meetings.directory.record(id: id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        let previous = try await meetings.visits(of: id).first
        return MeetingViews.visitForm(context: req.formPageContext, child: child.summary,
                                      form: VisitForm(date: meetings.directory.today.description, long_term: previous?.longTerm == true ? ["yes"] : nil), errors: [])
    }

    @Sendable
    func recordVisit(req: Request) async throws -> Response {
        let (meetings, id) = try Self.meetings(req)
        guard let child = try await meetings.directory.summary(id: id) else { throw Abort(.notFound) }
        let form = try req.content.decode(VisitForm.self)
        var errors: [FieldError] = []
        let date = ChildrenController.parseDate((form.date ?? "").trimmingCharacters(in: .whitespaces))
        if date == nil { errors.append(FieldError(field: "date", message: "Enter the date of the visit, like 27/3/2026")) }
        if form.seen_alone != "yes" && form.seen_alone != "no" { errors.append(FieldError(field: "seen_alone", message: "Say whether the child was seen alone")) }
        if errors.isEmpty, let date {
            do {
                try await meetings.recordVisit(personID: id, date: date, seenAlone: form.seen_alone == "yes", longTerm: form.long_term?.contains("yes") == true,
                                               clientAddress: req.clientAddress)
                let note = "Visit recorded".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return req.redirect(to: "/children/\(id.uuidString)?done=\(note)", redirectType: .normal)
            } catch let error as ListError {
                if error.kind == .notFound { throw Abort(.notFound) }
                errors.append(FieldError(field: error.field ?? "date", message: SeriousIncidentsController.sentence(error.message)))
            }
        }
        return HTML.response(MeetingViews.visitForm(context: req.formPageContext, child: child, form: form, errors: errors), status: .unprocessableEntity)
    }

    struct PlacementForm: Content {
        var start_date: String?
        var end_date: String?
        var placement: String?
    }

    @Sendable
    func placementForm(req: Request) async throws -> HTML {
        let (meetings, id) = try Self.meetings(req)
        guard let child = try await meetings.directory.record(id: id, clientAddress: req.clientAddress) else { throw Abort(.notFound) }
        return MeetingViews.placementForm(context: req.formPageContext, child: child.summary, form: PlacementForm(), errors: [])
    }

    @Sendable
    func recordPlacement(req: Request) async throws -> Response {
        let (meetings, id) = try Self.meetings(req)
        guard let child = try await meetings.directory.summary(id: id) else { throw Abort(.notFound) }
        let form = try req.content.decode(PlacementForm.self)
        var errors: [FieldError] = []
        let start = ChildrenController.parseDate((form.start_date ?? "").trimmingCharacters(in: .whitespaces))
        if start == nil { errors.append(FieldError(field: "start_date", message: "Enter the date the placement started, like 27/3/2026")) }
        let endText = (form.end_date ?? "").trimmingCharacters(in: .whitespaces)
        let end = endText.isEmpty ? nil : ChildrenController.parseDate(endText)
        if !endText.isEmpty && end == nil { errors.append(FieldError(field: "end_date", message: "Enter the date the placement ended, like 27/3/2026, or leave it empty")) }
        if errors.isEmpty, let start {
            do {
                try await meetings.recordPlacement(personID: id, start: start, end: end, placement: form.placement ?? "", clientAddress: req.clientAddress)
                let note = "Placement recorded".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return req.redirect(to: "/children/\(id.uuidString)?done=\(note)", redirectType: .normal)
            } catch let error as ListError {
                if error.kind == .notFound { throw Abort(.notFound) }
                errors.append(FieldError(field: error.field ?? "start_date", message: SeriousIncidentsController.sentence(error.message)))
            }
        }
        return HTML.response(MeetingViews.placementForm(context: req.formPageContext, child: child, form: form, errors: errors), status: .unprocessableEntity)
    }
}
