import Vapor
import Foundation
import EyesOnCore
import Store

/// One child's record.
enum ChildView {
    /// What the child page shows beyond the person index: the list, attendance, contacts, tasks.
    struct Extras: Sendable {
        let entries: [ListEntry]
        let history: [ListHistoryLine]
        let attendance: [PupilAttendance]
        let contacts: [ContactLine]
        let tasks: [TaskLine]
        /// Children's social care's referrals (from the CIN census feed), newest first.
        let referrals: [SocialCareReferral]
        /// Whether the viewer sees what each referral found (sources, assessment factors, enquiries):
        /// local-authority staff; other agencies see only that a plan is open.
        let socialCareDetail: Bool
        /// Operation Encompass notices about the child.
        let notices: [EncompassNotice]
        /// The MARACs the child's household was discussed at (details only for the police and children's social care).
        let maracs: [MARACLine]
        /// The health caseloads the child is or was on.
        let health: [HealthCaseloadLine]
        /// The child's care from the SSDA903 return (placement postcodes only for children's social care).
        let lookedAfter: LookedAfterRecord?
        /// Other agencies' caseloads the child is (or was) on (the people feed).
        let agencyCaseloads: [AgencyCaseloadLine]
        /// The front door's referrals (from its referrals feed), newest first.
        let frontDoor: [FrontDoorReferralLine]
        /// Shares of the child's information and decisions not to share.
        let sharing: [SharingLine]
        /// What children's social care recorded for the statutory clocks; nil for other viewers.
        let recorded: RecordedForClocks?
        /// The feeds' records linked to the child, for children's social care (who keeps the
        /// person index); nil for other viewers.
        let linkedRecords: [RecordMatching.LinkedRecord]?
        let message: String?
        let today: CivilDate
    }

    /// A child's meetings, visits and serious incidents recorded in EyesOn.
    struct RecordedForClocks: Sendable {
        let conferences: [ConferenceRecord]
        let visits: [VisitRecord]
        let placements: [RecordedPlacement]
        let incidents: [SeriousIncidentRecord]
        /// In a placement now (SSDA903, or recorded here): visits can be recorded.
        let placedNow: Bool
    }

    /// Where the latest reads of the record (this one included: when, who, from which agency) go
    /// in `content`: they change with every read, so a kept page (`PageCache`) has them read afresh.
    /// Text in a page is escaped, so no child's data can hold the marker.
    static let lookedAtMarker = "<!--eyeson:looked-at-->"

    /// The record's content in two, before and after the latest reads (`lookedAtMarker`).
    static func split(_ content: HTML) -> (head: HTML, tail: HTML) {
        guard let marker = content.rendered.range(of: lookedAtMarker) else { return (content, .empty) }
        return (HTML(unsafeRaw: String(content.rendered[..<marker.lowerBound])), HTML(unsafeRaw: String(content.rendered[marker.upperBound...])))
    }

    /// The page around the record's content, with the latest reads put in between its two parts.
    static func page(context: PageContext, name: String, head: ByteBuffer, tail: ByteBuffer, lookedAt: [(at: Date, actor: String, detail: String)]) -> Response {
        Layout.response(
            title: name, context: context,
            breadcrumbs: [Breadcrumb(title: "Home", href: "/"), Breadcrumb(title: "Children", href: "/children"), Breadcrumb(title: name, href: nil)],
            parts: [head, ByteBuffer(string: ChildSections.lookedAt(lookedAt).rendered), tail])
    }

    /// The record as the viewer sees it today, all but the latest reads (`lookedAtMarker`): the
    /// same for every request of one session while the data is unchanged.
    static func content(record: ChildRecord, extras: Extras, csrf: String) -> HTML {
        let child = record.summary
        let name = "\(child.givenName) \(child.familyName)"
        var rows: [(String, HTML)] = [("Name", .text(name))]
        if child.kind == .unbornChild {
            rows.append(("Expected date of birth", .text(DisplayFormat.date(child.expectedDateOfBirth))))
        } else {
            rows.append(("Date of birth", .text(DisplayFormat.date(child.dateOfBirth))))
        }
        rows.append(("Sex", .text(child.sex == .male ? "Male" : child.sex == .female ? "Female" : "Not known")))
        rows.append(("NHS number", .text(child.nhsNumber.flatMap { try? NHSNumber($0).formatted } ?? "Not known")))
        rows.append(("UPN", .text(child.upn ?? "Not known")))
        rows.append(("Address", .text([record.address, child.postcode].compactMap { $0 }.joined(separator: ", "))))

        let identifiers = record.identifiers.map { line -> HTML in
            "<tr><td>\(IdentifierNames.title(line.kind))</td><td>\(line.value)</td><td>\(line.agencyName ?? "National")</td></tr>"
        }
        let relationships = record.relationships.map { line -> HTML in
            let who: HTML = line.kind == .adult ? .text(line.name) : "<a href=\"/children/\(line.personID.uuidString)\">\(line.name)</a>"
            return "<tr><td>\(who)</td><td>\(line.description)</td><td>\(DisplayFormat.date(line.dateOfBirth))</td></tr>"
        }
        let enrolments = record.enrolments.map { line -> HTML in
            "<tr><td>\(line.schoolName)</td><td>\(line.urn.map(String.init) ?? "–")</td><td>\(DisplayFormat.date(line.from))</td><td>\(line.to.map { DisplayFormat.date($0) } ?? "On roll")</td></tr>"
        }
        return """
            \(extras.message.map { "<div class=\"notification\" role=\"status\"><p>\($0)</p></div>" as HTML } ?? .empty)
            <span class="caption">\(child.kind == .unbornChild ? "Unborn child" : "Child")</span>
            <h1>\(name)</h1>
            \(Layout.summaryList(rows))
            \(ChildSections.list(child: child, extras: extras))
            \(ChildSections.socialCare(extras))
            \(ChildSections.frontDoor(extras.frontDoor))
            \(ChildSections.lookedAfter(extras.lookedAfter))
            \(ChildSections.recorded(child: child, extras.recorded))
            \(ChildSections.health(extras.health))
            \(ChildSections.agencyCaseloads(extras.agencyCaseloads))
            \(ChildSections.attendance(extras.attendance))
            \(ChildSections.timeline(extras))
            \(SharingViews.section(child: child, extras.sharing))
            \(ChildSections.linkedRecords(child: child, extras.linkedRecords, csrf: csrf))
            \(HTML(unsafeRaw: lookedAtMarker))
            <table><caption>Identifiers</caption>
            <thead><tr><th scope="col">Kind</th><th scope="col">Value</th><th scope="col">Held by</th></tr></thead>
            <tbody>\(identifiers)</tbody></table>
            <table><caption>Family and household</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Relationship</th><th scope="col">Date of birth</th></tr></thead>
            <tbody>\(relationships)</tbody></table>
            <table><caption>Schools, nurseries and colleges</caption>
            <thead><tr><th scope="col">Setting</th><th scope="col">URN</th><th scope="col">From</th><th scope="col">To</th></tr></thead>
            <tbody>\(enrolments)</tbody></table>
            """
    }
}

enum IdentifierNames {
    static func title(_ kind: IdentifierKind) -> String {
        switch kind {
        case .nhsNumber: return "NHS number"
        case .upn: return "Unique pupil number"
        case .laChildID: return "Local authority child id"
        case .agencyLocal: return "Agency's own id"
        }
    }
}
