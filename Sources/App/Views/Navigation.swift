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
        }
        items.append(Item(title: "Agencies", path: "/agencies"))
        if viewer.role == .administrator {
            items.append(Item(title: "Users", path: "/users"))
        }
        if viewer.role == .auditor {
            items.append(Item(title: "Audit trail", path: "/audit"))
        }
        return items
    }
}
