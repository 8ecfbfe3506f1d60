/// From pairs to people.
enum Clustering {
    /// The most of a source's records the one-to-one step expects to have a counterpart: never
    /// certain, so that a record's only candidate is not taken for its match on weak evidence.
    static let maxCounterpartShare = 0.99

    /// One-to-one linking, where each source holds at most one record per person.
    ///
    /// The model's probability for a pair weighs it against a random pair (the prior λ, about
    /// 1 / the other side's size). Here a record has at most one counterpart, present with chance
    /// π = λ × the other side's size, so the chance that left record `l` is right record `r` is
    /// odds(l, r) / ((1 − π) + Σ odds(l, k)) over all of `l`'s candidates k, where odds is the
    /// model's λ-weighted odds; the same from `r`'s side, and the pair gets the lower of the two.
    /// A close second candidate (a twin) lowers it; a clear single candidate raises it. The
    /// decision is taken on that probability (a pair `held` for a differing first name never
    /// matches; identifier pairs keep theirs); pairs under `review` both ways are dropped. Then each record
    /// keeps at most one match: the best first (identifier matches, then by weight), then the
    /// best among what is left. Matches that lose go to review.
    static func oneToOne(_ pairs: inout [ScoredPair], leftCount: Int, rightCount: Int,
                         counterpartShare share: (left: Double, right: Double), accept: Double, review: Double) {
        let odds = pairs.map { exp2Safe(Double($0.weight)) }
        var sumLeft = [Double](repeating: 0, count: leftCount), sumRight = [Double](repeating: 0, count: rightCount)
        for (p, o) in zip(pairs, odds) {
            sumLeft[Int(p.left)] += o; sumRight[Int(p.right)] += o
        }
        for k in pairs.indices {
            let p = pairs[k]
            let probability = min(odds[k] / ((1 - share.left) + sumLeft[Int(p.left)]),
                                  odds[k] / ((1 - share.right) + sumRight[Int(p.right)]))
            pairs[k].oneToOneProbability = Float(probability)
            if p.reason == .model { pairs[k].decision = probability >= accept && !p.held ? .match : .review }
        }
        // Kept for review: what reaches the threshold either way. Two candidates as likely as each
        // other (each about 0.5 here) are just what a person must see.
        let reviewWeight = matchWeight(probability: review)
        pairs.removeAll { $0.reason == .model && Double($0.oneToOneProbability) < review && Double($0.weight) < reviewWeight }
        var order = pairs.indices.filter { pairs[$0].decision == .match }
        order.sort { a, b in
            let ia = pairs[a].reason == .identifier, ib = pairs[b].reason == .identifier
            if ia != ib { return ia }
            if pairs[a].weight != pairs[b].weight { return pairs[a].weight > pairs[b].weight }
            return (pairs[a].left, pairs[a].right) < (pairs[b].left, pairs[b].right)
        }
        var usedLeft = [Bool](repeating: false, count: leftCount), usedRight = [Bool](repeating: false, count: rightCount)
        for k in order {
            let p = pairs[k]
            if usedLeft[Int(p.left)] || usedRight[Int(p.right)] {
                pairs[k].decision = .review
            } else {
                usedLeft[Int(p.left)] = true; usedRight[Int(p.right)] = true
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
