import Foundation

/// Small-number suppression for anything that leaves the partnership (the yearly report): a
/// count of 1 to 4 could identify a child, so it is shown as "fewer than 5", and so is any
/// share worked out from one. Nothing (0) and 5 or more are shown as they are.
public enum SmallNumbers {
    /// The smallest count shown as it is.
    public static let threshold = 5

    public static func isSuppressed(_ count: Int) -> Bool { count > 0 && count < threshold }

    /// The count as published: "fewer than 5" for 1 to 4, else the number ("1,234").
    public static func show(_ count: Int) -> String {
        isSuppressed(count) ? "fewer than \(threshold)" : count.formatted()
    }

    /// A share of `whole` as published ("12.5%"): suppressed when either count is.
    public static func share(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        if isSuppressed(part) || isSuppressed(whole) { return "suppressed" }
        let tenths = (Double(part) * 1000 / Double(whole)).rounded() / 10
        return "\(tenths)%"
    }
}
