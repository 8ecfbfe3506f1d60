import Vapor
import Fluent
import EyesOnCore
import Store
import Feeds

/// A feed EyesOn takes in: who may upload it in the web app, its upload form, and its name in
/// the push API (`/api/v1/feeds/{rawValue}`).
enum Feed: String, CaseIterable, Sendable {
    case attendance
    case cin
    case ssda903
    case referrals
    case incidents
    case marac
    case health
    case people
    case characteristics

    var title: String {
        switch self {
        case .attendance: "Upload attendance"
        case .cin: "Upload a CIN census"
        case .ssda903: "Upload the SSDA903 return"
        case .referrals: "Upload referrals"
        case .incidents: "Upload police incidents"
        case .marac: "Upload the MARAC list"
        case .health: "Upload caseloads"
        case .people: "Upload your caseload"
        case .characteristics: "Upload pupil characteristics"
        }
    }

    /// The upload form's address (and its POST).
    var path: String {
        switch self {
        case .attendance: "/attendance/import"
        case .cin: "/social-care/import"
        case .ssda903: "/looked-after/import"
        case .referrals: "/referrals/import"
        case .incidents: "/police/import"
        case .marac: "/marac/import"
        case .health: "/health/import"
        case .people: "/people/import"
        case .characteristics: "/characteristics/import"
        }
    }

    /// The import history's name for the feed (`ImportRun.kind`).
    static func title(ofKind kind: String) -> String {
        switch kind {
        case "attendance": "Attendance"
        case "cin": "CIN census"
        case "ssda903": "SSDA903 (looked after)"
        case "referrals": "Front-door referrals"
        case "incidents": "Police incidents"
        case "marac": "MARAC list"
        case "health": "Health caseloads"
        case "people": "People (an agency's caseload)"
        case "characteristics": "Pupil characteristics (school census)"
        case "synthetic-area": "Synthetic area"
        default: kind
        }
    }

    /// Attendance: a school's designated safeguarding lead (their own school's marks only) and
    /// local-authority education or social care staff (any school). The CIN census, the SSDA903
    /// return and the front door's referrals: children's social care practitioners. Police
    /// incidents and the MARAC list: the force's officers. Health caseloads: the organisation's
    /// practitioners (their own ODS code only). The people feed: youth justice workers and the
    /// Virtual School Head (their own agency's caseload).
    func mayUpload(_ viewer: Viewer) -> Bool {
        switch self {
        case .attendance:
            (viewer.role == .safeguardingLead && viewer.agencyKind.isEducationSetting)
                || (viewer.agencyKind.isLocalAuthority && [.socialWorker, .frontDoor, .virtualSchoolHead].contains(viewer.role))
        case .cin, .ssda903, .referrals:
            viewer.agencyKind == .laChildrensSocialCare && [.socialWorker, .frontDoor].contains(viewer.role)
        case .incidents, .marac:
            viewer.agencyKind == .policeForce && viewer.role == .policeOfficer
        case .health:
            viewer.agencyKind.isHealth && viewer.role == .healthPractitioner
        case .people:
            (viewer.agencyKind == .youthJustice && viewer.role == .youthJusticeWorker)
                || (viewer.agencyKind == .virtualSchool && viewer.role == .virtualSchoolHead)
        case .characteristics:
            viewer.agencyKind.isLocalAuthority && [.socialWorker, .frontDoor, .virtualSchoolHead].contains(viewer.role)
        }
    }

    static func allowed(for viewer: Viewer) -> [Feed] { allCases.filter { $0.mayUpload(viewer) } }

    /// The largest upload, also the body limit the form-token check reads up to.
    static let maximumUpload = 50 << 20
    static let uploadPaths = Set(allCases.map(\.path))
}

/// The web door into the import pipeline: upload forms, each import's report (and its
/// quarantined rows as CSV) and the import history.
struct ImportsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for feed in Feed.allCases {
            let path = feed.path.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
            routes.get(path) { req in try await uploadForm(req: req, feed: feed) }
            routes.on(.POST, path, body: .collect(maxSize: ByteCount(value: Feed.maximumUpload))) { req in try await upload(req: req, feed: feed) }
        }
        routes.get("imports", use: history)
        routes.get("imports", ":id", use: importReport)
        routes.get("imports", ":id", "problems.csv", use: importProblemsCSV)
    }

    /// The one school whose marks a school's safeguarding lead may send.
    static func onlyURN(_ viewer: Viewer, feed: Feed, on db: any Database) async throws -> Int? {
        guard feed == .attendance, viewer.agencyKind.isEducationSetting else { return nil }
        guard let urn = try await Agency.find(viewer.agencyID, on: db)?.urn else { throw Abort(.forbidden) }
        return urn
    }

    func uploadForm(req: Request, feed: Feed) async throws -> HTML {
        let viewer = try req.requireViewer()
        guard feed.mayUpload(viewer) else { throw Abort(.forbidden) }
        var columns: String? = nil
        if feed == .people, let key = try await Agency.find(viewer.agencyID, on: req.db)?.key {
            columns = try await PartnershipSettings.peopleColumns(on: req.db)[key]?.text
        }
        return ImportViews.uploadForm(feed, context: req.formPageContext, onlyURN: try await Self.onlyURN(viewer, feed: feed, on: req.db), columns: columns, errors: [])
    }

    struct Upload: Content {
        var file: File?
        /// The people feed's column mapping (`id=YOT ref,…`); empty for the agency's saved one.
        var columns: String?
    }

    /// The SSDA903 return's tables, several files in one field (`file[]`), or its one XML file.
    struct TablesUpload: Content {
        var file: [File]?
    }

    /// Writes what was sent to a temporary place the feed's reader opens: one file, or (the
    /// SSDA903 CSV tables) a folder of them under their own names. Returns the path, or nil
    /// when nothing was sent. The caller removes it.
    static func stage(_ files: [File], feed: Feed, fileio: FileIO) async throws -> (path: String, name: String)? {
        let files = files.filter { $0.data.readableBytes > 0 }
        guard let first = files.first else { return nil }
        let path = try UploadStaging.newPath()
        let xml = files.count == 1 && (first.filename.lowercased().hasSuffix(".xml") || first.data.getString(at: first.data.readerIndex, length: 1) == "<")
        guard feed == .ssda903, !xml else {
            guard files.count == 1 else { throw FeedFileError(file: first.filename, message: "send one file") }
            try await fileio.writeFile(first.data, at: path)
            return (path, String(first.filename.prefix(120)))
        }
        // The tables keep their names (the reader finds header.csv, episodes.csv… by name).
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        var names: Set<String> = []
        for file in files {
            let name = (file.filename as NSString).lastPathComponent.lowercased()
            guard name.hasSuffix(".csv"), name.count <= 64, name.utf8.allSatisfy({ $0 == 46 || $0 == 95 || $0 == 45 || (48...57).contains($0) || (97...122).contains($0) }) else {
                try? FileManager.default.removeItem(atPath: path)
                throw FeedFileError(file: file.filename, message: "is not one of the return's CSV tables (header.csv, episodes.csv, missing.csv, reviews.csv, oc3.csv), nor its XML file")
            }
            guard names.insert(name).inserted else {
                try? FileManager.default.removeItem(atPath: path)
                throw FeedFileError(file: file.filename, message: "was sent twice")
            }
            try await fileio.writeFile(file.data, at: (path as NSString).appendingPathComponent(name))
        }
        return (path, String(names.sorted().joined(separator: ", ").prefix(120)))
    }

    func upload(req: Request, feed: Feed) async throws -> Response {
        let viewer = try req.requireViewer()
        guard feed.mayUpload(viewer) else { throw Abort(.forbidden) }
        let onlyURN = try await Self.onlyURN(viewer, feed: feed, on: req.db)
        let single = feed == .ssda903 ? nil : try? req.content.decode(Upload.self)
        let files = feed == .ssda903 ? (try? req.content.decode(TablesUpload.self))?.file ?? [] : [single?.file].compactMap { $0 }
        func refused(_ message: String, field: String = "file") -> Response {
            HTML.response(ImportViews.uploadForm(feed, context: req.formPageContext, onlyURN: onlyURN, columns: single?.columns,
                                                 errors: [FieldError(field: field, message: message)]), status: .unprocessableEntity)
        }
        var mapping: PeopleColumnMapping? = nil
        if feed == .people, let text = single?.columns?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            do { mapping = try PeopleColumnMapping(parsing: text) } catch { return refused("Column mapping: \(error.code) \(error.reason)", field: "columns") }
        }
        let staged: (path: String, name: String)?
        do { staged = try await Self.stage(files, feed: feed, fileio: req.fileio) } catch let error as FeedFileError { return refused(error.description) }
        guard let (path, name) = staged else { return refused(feed == .ssda903 ? "Choose the return's files to upload" : "Choose the file to upload") }
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let outcome = try await Self.runImport(feed, path: path, name: name, agencyID: viewer.agencyID, onlyURN: onlyURN, mapping: mapping,
                                                   userID: viewer.userID, actor: viewer.email, today: req.today, on: req.db)
            return req.redirect(to: "/imports/\(outcome.runID.uuidString)", redirectType: .normal)
        } catch let error as FeedFileError {
            return refused(error.description.replacingOccurrences(of: path + "/", with: "").replacingOccurrences(of: path, with: name))
        }
    }

    /// What an import did, whichever the feed.
    struct Outcome: Content {
        var runID: UUID
        var feed: String
        var file: String
        var accepted: Int
        var updated: Int
        var unchanged: Int
        var quarantined: Int
        var problems: [Problem]
        var summary: String
        struct Problem: Content { var line: Int; var field: String; var value: String; var reason: String }
        init(runID: UUID, feed: String, file: String, accepted: Int, updated: Int, unchanged: Int, quarantined: Int, problems: [Problem], summary: String) {
            (self.runID, self.feed, self.file, self.accepted, self.updated, self.unchanged, self.quarantined, self.problems, self.summary) =
                (runID, feed, file, accepted, updated, unchanged, quarantined, problems, summary)
        }

        /// Any feed but attendance.
        init(_ r: FeedImportReport, feed: Feed) {
            self.init(runID: r.runID!, feed: feed.rawValue, file: r.file, accepted: r.accepted, updated: r.updated, unchanged: r.unchanged,
                      quarantined: r.quarantined, problems: Outcome.problems(r.problems), summary: r.summaryLine)
        }

        static func problems(_ list: [RowProblem]) -> [Problem] {
            list.prefix(50).map { Problem(line: $0.line, field: $0.field, value: $0.value, reason: $0.reason) }
        }
    }

    /// Runs `feed`'s import of the file at `path` for the sending agency: the one pipeline every
    /// door (upload, API) goes through. Throws ``FeedFileError`` when the file is refused.
    /// Runs `feed`'s import of the file at `path`, then the eyes-on sweep, as of `today` (the server's clock).
    static func runImport(_ feed: Feed, path: String, name: String, agencyID: UUID, onlyURN: Int?, mapping: PeopleColumnMapping? = nil,
                          userID: UUID?, actor: String, today: CivilDate, on db: any Database) async throws -> Outcome {
        switch feed {
        case .attendance:
            let r = try await AttendanceImport.run(path: path, sourceName: name, on: db, options: .init(
                agencyID: agencyID, onlyURN: onlyURN, userID: userID, actor: actor, today: today))
            _ = try await Tasks.sweep(on: db, today: today)
            return Outcome(runID: r.runID!, feed: feed.rawValue, file: name, accepted: r.newMarks, updated: r.updatedMarks, unchanged: r.unchangedMarks,
                           quarantined: r.quarantined, problems: Outcome.problems(r.problems), summary: r.summaryLine)
        case .cin:
            return Outcome(try await SocialCareImport.cin(path: path, sourceName: name, on: db, options: .init(agencyID: agencyID, userID: userID, actor: actor)), feed: feed)
        case .referrals:
            return Outcome(try await SocialCareImport.referrals(path: path, sourceName: name, on: db, options: .init(agencyID: agencyID, userID: userID, actor: actor),
                                                                today: today), feed: feed)
        case .ssda903:
            return Outcome(try await SocialCareImport.ssda903(path: path, sourceName: name, on: db, options: .init(agencyID: agencyID, userID: userID, actor: actor),
                                                              today: today), feed: feed)
        case .marac:
            return Outcome(try await MARACImport.run(path: path, sourceName: name, on: db, options: .init(agencyID: agencyID, userID: userID, actor: actor, today: today)), feed: feed)
        case .health:
            return Outcome(try await HealthImport.run(path: path, sourceName: name, on: db, options: .init(agencyID: agencyID, userID: userID, actor: actor, today: today)), feed: feed)
        case .people:
            return Outcome(try await PeopleImport.run(path: path, sourceName: name, mapping: mapping, on: db,
                                                      options: .init(agencyID: agencyID, userID: userID, actor: actor, today: today)), feed: feed)
        case .incidents:
            return Outcome(try await PoliceImport.incidents(path: path, sourceName: name, on: db,
                                                            options: .init(agencyID: agencyID, userID: userID, actor: actor, today: today)), feed: feed)
        case .characteristics:
            return Outcome(try await PupilCharacteristicsImport.run(path: path, sourceName: name, on: db,
                                                                    options: .init(agencyID: agencyID, userID: userID, actor: actor)), feed: feed)
        }
    }

    /// Imports a viewer may see: their own agency's, or every agency's for children's social care.
    static func mayOpen(_ run: ImportRun, _ viewer: Viewer) -> Bool {
        run.$agency.id == viewer.agencyID || viewer.agencyKind == .laChildrensSocialCare
    }

    func history(req: Request) async throws -> HTML {
        let viewer = try req.requireViewer()
        let feeds = Feed.allowed(for: viewer)
        guard RouteAccess.readsImports(viewer) else { throw Abort(.forbidden) }
        var query = ImportRun.query(on: req.db).with(\.$agency).sort(\.$startedAt, .descending).limit(200)
        if viewer.agencyKind != .laChildrensSocialCare { query = query.filter(\.$agency.$id == viewer.agencyID) }
        return ImportViews.history(context: req.pageContext, feeds: feeds, runs: try await query.all())
    }

    static func run(_ req: Request) async throws -> (ImportRun, [(Int, String, String, String)]) {
        let viewer = try req.requireViewer()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let run = try await ImportRun.query(on: req.db).filter(\.$id == id).with(\.$agency).first(),
              RouteAccess.readsImports(viewer), mayOpen(run, viewer) else { throw Abort(.notFound) }
        return (run, try await Imports.problems(runID: id, on: req.db))
    }

    @Sendable
    func importReport(req: Request) async throws -> HTML {
        let (run, problems) = try await Self.run(req)
        return ImportViews.importReport(context: req.pageContext, run: run, problems: problems)
    }

    @Sendable
    func importProblemsCSV(req: Request) async throws -> Response {
        let (run, problems) = try await Self.run(req)
        var text = "line,field,value,reason\n"
        for p in problems { text += "\(p.0),\(ReturnExport.field(p.1)),\(ReturnExport.field(p.2)),\(ReturnExport.field(p.3))\n" }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"import-\(run.id!.uuidString.prefix(8))-problems.csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
