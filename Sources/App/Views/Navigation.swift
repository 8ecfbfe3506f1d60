import EyesOnCore
import Store

/// The main navigation, decided by role in this one place.
enum Navigation {
    struct Item: Sendable, Equatable {
        let title: String
        let path: String
    }

    static func items(for viewer: Viewer) -> [Item] {
        var items = [Item(title: "Home", path: "/")]
        if AccessPolicy.scope(for: viewer).mayOpenRecords {
            items.append(Item(title: "Children", path: "/children"))
            items.append(Item(title: "Not seen", path: "/board"))
            items.append(Item(title: "Agreed list", path: "/list"))
            items.append(Item(title: "Suggested for the list", path: "/list/suggestions"))
            if AccessPolicy.worksAcrossTheArea(viewer) { items.append(Item(title: "Hidden children", path: "/hidden-children")) }
            items.append(Item(title: "Tasks", path: "/tasks"))
            items.append(Item(title: "My caseload", path: "/caseload"))
            if viewer.agencyKind.isEducationSetting { items.append(Item(title: "Our listed pupils", path: "/school")) }
            if viewer.agencyKind.isLocalAuthority { items.append(Item(title: "Virtual School", path: "/virtual-school")) }
            items.append(Item(title: "Not back at school", path: "/back-to-school"))
        }
        if Encompass.reach(for: viewer) != .none { items.append(Item(title: "Operation Encompass", path: "/notices")) }
        for feed in Feed.allowed(for: viewer) { items.append(Item(title: feed.title, path: feed.path)) }
        if !Feed.allowed(for: viewer).isEmpty || viewer.agencyKind == .laChildrensSocialCare {
            items.append(Item(title: "Imports", path: "/imports"))
        }
        if AccessPolicy.worksAcrossTheArea(viewer) { items.append(Item(title: "Records to match", path: "/matching")) }
        if AccessPolicy.worksAcrossTheArea(viewer) { items.append(Item(title: "Timescales", path: "/timescales")) }
        if AccessPolicy.worksAcrossTheArea(viewer) { items.append(Item(title: "Serious incidents", path: "/serious-incidents")) }
        if AccessPolicy.mayWorkOnReturns(viewer) { items.append(Item(title: "Returns", path: "/returns")) }
        if AccessPolicy.mayKeepWorkforceRecords(viewer) {
            items.append(Item(title: "Workforce", path: "/workforce"))
            items.append(Item(title: "Placements", path: "/placements"))
        }
        if AccessPolicy.mayReadGovernance(viewer) { items.append(Item(title: "Governance", path: "/governance")) }
        if viewer.role != .auditor { items.append(Item(title: "Assurance surveys", path: "/surveys")) }
        items.append(Item(title: "Agencies", path: "/agencies"))
        if viewer.role == .administrator {
            items.append(Item(title: "Users", path: "/users"))
            items.append(Item(title: "Public page", path: "/signposting"))
        }
        if viewer.role == .auditor {
            items.append(Item(title: "Audit trail", path: "/audit"))
        }
        return items
    }
}
