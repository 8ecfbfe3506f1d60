/// String similarity on normalised bytes: Jaro–Winkler and the (optimal string alignment)
/// Damerau–Levenshtein distance. No allocation for strings of up to 64 bytes.
public enum StringSimilarity {
    /// Jaro–Winkler similarity in 0…1 (prefix scale 0.1, up to 4 characters of common prefix).
    public static func jaroWinkler(_ a: [UInt8], _ b: [UInt8]) -> Double {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in jaroWinkler(pa, pb) } }
    }

    public static func jaroWinkler(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let la = a.count, lb = b.count
        if la == 0 || lb == 0 { return la == lb ? 1 : 0 }
        if la > 64 || lb > 64 { return slowJaroWinkler(Array(a), Array(b)) }
        let window = max(0, max(la, lb) / 2 - 1)
        var flagsA: UInt64 = 0, flagsB: UInt64 = 0
        var matches = 0
        for i in 0..<la {
            let lo = max(0, i - window), hi = min(lb - 1, i + window)
            if lo > hi { continue }
            let c = a[i]
            var j = lo
            while j <= hi {
                if flagsB & (1 << UInt64(j)) == 0 && b[j] == c {
                    flagsA |= 1 << UInt64(i); flagsB |= 1 << UInt64(j); matches += 1
                    break
                }
                j += 1
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var k = 0
        for i in 0..<la where flagsA & (1 << UInt64(i)) != 0 {
            while flagsB & (1 << UInt64(k)) == 0 { k += 1 }
            if a[i] != b[k] { transpositions += 1 }
            k += 1
        }
        return score(matches: matches, transpositions: transpositions, a, b)
    }

    static func slowJaroWinkler(_ a: [UInt8], _ b: [UInt8]) -> Double {
        let la = a.count, lb = b.count
        let window = max(0, max(la, lb) / 2 - 1)
        var fa = [Bool](repeating: false, count: la), fb = [Bool](repeating: false, count: lb)
        var matches = 0
        for i in 0..<la {
            let lo = max(0, i - window), hi = min(lb - 1, i + window)
            if lo > hi { continue }
            for j in lo...hi where !fb[j] && b[j] == a[i] { fa[i] = true; fb[j] = true; matches += 1; break }
        }
        if matches == 0 { return 0 }
        var t = 0, k = 0
        for i in 0..<la where fa[i] {
            while !fb[k] { k += 1 }
            if a[i] != b[k] { t += 1 }
            k += 1
        }
        return score(matches: matches, transpositions: t, a, b)
    }

    /// Jaro from the matching characters and the matched characters out of order (half of them
    /// count as transpositions), plus Winkler's bonus for a common prefix (scale 0.1, up to 4
    /// characters).
    @inline(__always)
    static func score<C: RandomAccessCollection<UInt8>>(matches: Int, transpositions: Int, _ a: C, _ b: C) -> Double
    where C.Index == Int {
        let la = a.count, lb = b.count
        let m = Double(matches)
        let jaro = (m / Double(la) + m / Double(lb) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, min(la, lb)) && a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// The optimal-string-alignment Damerau–Levenshtein distance, or `limit + 1` as soon as it
    /// is known to exceed `limit`.
    public static func damerauLevenshtein(_ a: [UInt8], _ b: [UInt8], limit: Int = .max) -> Int {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in damerauLevenshtein(pa, pb, limit: limit) } }
    }

    public static func damerauLevenshtein(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, limit: Int = .max) -> Int {
        let la = a.count, lb = b.count
        if abs(la - lb) > limit { return limit == .max ? abs(la - lb) : limit + 1 }
        if la == 0 { return lb }
        if lb == 0 { return la }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (lb + 1)) { rows in
            var prev2 = 0, prev = lb + 1, cur = 2 * (lb + 1)
            for j in 0...lb { rows[prev + j] = j; rows[prev2 + j] = 0 }
            for i in 1...la {
                rows[cur] = i
                var rowMin = i
                for j in 1...lb {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var v = min(rows[prev + j] + 1, rows[cur + j - 1] + 1, rows[prev + j - 1] + cost)
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        v = min(v, rows[prev2 + j - 2] + 1)
                    }
                    rows[cur + j] = v
                    rowMin = min(rowMin, v)
                }
                if limit != .max && rowMin > limit { return limit + 1 }
                let t = prev2; prev2 = prev; prev = cur; cur = t
            }
            let d = rows[prev + lb]
            return limit != .max && d > limit ? limit + 1 : d
        }
    }
}
