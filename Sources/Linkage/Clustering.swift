/// From pairs to people.
enum Clustering {
    /// Each record keeps at most one match: the best first (identifier matches, then by weight),
    /// then the best among what is left. Matches that lose go to review.
    static func oneToOne(_ pairs: inout [ScoredPair]) {
        var order = pairs.indices.filter { pairs[$0].decision == .match }
        order.sort { a, b in
            let ia = pairs[a].reason == .identifier, ib = pairs[b].reason == .identifier
            if ia != ib { return ia }
            if pairs[a].weight != pairs[b].weight { return pairs[a].weight > pairs[b].weight }
            return (pairs[a].left, pairs[a].right) < (pairs[b].left, pairs[b].right)
        }
        var usedLeft = Set<Int32>(), usedRight = Set<Int32>()
        for k in order {
            let p = pairs[k]
            if usedLeft.contains(p.left) || usedRight.contains(p.right) {
                pairs[k].decision = .review
            } else {
                usedLeft.insert(p.left); usedRight.insert(p.right)
            }
        }
    }

    /// Connected components over the matches. Returns the person number of every left and
    /// right record, and how many people have more than one record.
    static func components(pairs: [ScoredPair], leftCount: Int, rightCount: Int, dedupe: Bool) -> ([Int32], [Int32], Int) {
        let n = leftCount + rightCount
        var parent = Array(0..<Int32(n))
        func find(_ x: Int32) -> Int32 {
            var x = x
            while parent[Int(x)] != x { parent[Int(x)] = parent[Int(parent[Int(x)])]; x = parent[Int(x)] }
            return x
        }
        for p in pairs where p.decision == .match {
            let a = find(p.left), b = find(dedupe ? p.right : Int32(leftCount) + p.right)
            if a != b { parent[Int(max(a, b))] = min(a, b) }
        }
        var number = [Int32](repeating: -1, count: n)
        var size = [Int32]()
        var person = [Int32](repeating: 0, count: n)
        for x in 0..<n {
            let r = Int(find(Int32(x)))
            if number[r] < 0 { number[r] = Int32(size.count); size.append(0) }
            person[x] = number[r]
            size[Int(number[r])] += 1
        }
        let linked = size.reduce(0) { $0 + ($1 > 1 ? 1 : 0) }
        return (Array(person[0..<leftCount]), Array(person[leftCount..<n]), linked)
    }
}
