import Foundation
import Testing
@testable import Linkage

/// A small synthetic population, the same children in two sources, with a few planted cases.
struct Population {
    var input = LinkageInput(model: .children)
    var truth: Set<[String]> = []

    static let firstNames = ["Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar", "Olivia", "Amelia",
                             "Isla", "Ava", "Mia", "Ivy", "Lily", "Rosie", "Grace", "Freya", "Aisha", "Maryam",
                             "Kacper", "Zofia", "Kwame", "Ngozi", "Arjun", "Priya", "Finley", "Theo", "Poppy", "Evie"]
    static let surnames = ["Smith", "Jones", "Taylor", "Brown", "Khan", "Patel", "Nowak", "Okafor", "Murphy", "Walker",
                           "Wright", "Hughes", "Green", "Hall", "Ahmed", "Singh", "Clarke", "Wood", "Turner", "Cooper",
                           "Mensah", "Chen", "Popescu", "Evans", "Lewis", "Ward", "Begum", "Hill", "Scott", "Young"]

    static func nhs(_ rng: inout SplitMix64) -> String {
        while true {
            let d = (0..<9).map { _ in Int(rng.next() % 10) }
            var s = 0
            for i in 0..<9 { s += d[i] * (10 - i) }
            var c = 11 - s % 11
            if c == 11 { c = 0 }
            if c != 10 { return d.map(String.init).joined() + String(c) }
        }
    }

    mutating func add(_ id: String, _ side: Side, _ first: String, _ sur: String, _ dob: String, _ pc: String,
                      nhs: String = "", sex: String = "") {
        input.append(side, id: id, values: [first, sur, dob, pc, nhs, "", sex])
    }

    init(people: Int = 1500) {
        var rng = SplitMix64(seed: 7)
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        for i in 0..<people {
            let first = pick(Self.firstNames), sur = pick(Self.surnames)
            let dob = "20\(10 + Int(rng.next() % 14))-0\(1 + Int(rng.next() % 9))-\(10 + Int(rng.next() % 18))"
            let pc = "EB\(1 + Int(rng.next() % 6)) \(1 + Int(rng.next() % 9))\(pick(["AB", "DE", "FG", "HJ", "LN", "PQ"]))"
            let nhs = Self.nhs(&rng)
            var rfirst = first
            if rng.next() % 20 == 0 { rfirst = String(first.dropLast()) }   // a typo
            add("L\(i)", .left, first, sur, dob, pc, nhs: rng.next() % 3 == 0 ? nhs : "", sex: "")
            add("R\(i)", .right, rfirst, sur, dob, pc, nhs: nhs, sex: "")
            truth.insert(["L\(i)", "R\(i)"])
        }
    }

    func ids(_ result: LinkageResult, _ decision: Decision) -> Set<[String]> {
        Set(result.pairs.filter { $0.decision == decision }.map { [input.left.ids[Int($0.left)], input.right.ids[Int($0.right)]] })
    }
}

@Suite("Linker")
struct LinkerTests {
    @Test func linksTheSameChildrenAndNotTwinsOrSiblings() async throws {
        var p = Population()
        // Twins: same surname, birth date and postcode, different first names; no NHS number on the left.
        p.add("TL1", .left, "Amelia", "Ashworth", "2016-04-03", "EB9 9ZZ")
        p.add("TL2", .left, "Olivia", "Ashworth", "2016-04-03", "EB9 9ZZ")
        p.add("TR1", .right, "Amelia", "Ashworth", "2016-04-03", "EB9 9ZZ", nhs: "9434765919")
        p.add("TR2", .right, "Olivia", "Ashworth", "2016-04-03", "EB9 9ZZ", nhs: "4010232137")
        // Only one twin in the right source: her sister must not be merged with her either.
        p.add("TL3", .left, "Ruby", "Pickering", "2014-02-11", "EB8 1AB")
        p.add("TL4", .left, "Daisy", "Pickering", "2014-02-11", "EB8 1AB")
        p.add("TR3", .right, "Ruby", "Pickering", "2014-02-11", "EB8 1AB")
        // Swapped first and last names; nickname; day and month swapped.
        p.add("SL", .left, "Lockwood", "Teddy", "2012-06-20", "EB7 2CD")
        p.add("SR", .right, "Teddy", "Lockwood", "2012-06-20", "EB7 2CD")
        // Swapped and, on one side, a typo or a nickname too.
        p.add("XL", .left, "Pendlebury", "Freya", "2015-01-19", "EB2 7RP")
        p.add("XR", .right, "Frefya", "Pendlebury", "2015-01-19", "EB2 7RP")
        p.add("YL", .left, "Lockhart", "Tommy", "2022-03-31", "EB4 1SL")
        p.add("YR", .right, "Thomas", "Lockhart", "2022-03-31", "EB4 1SL")
        p.add("NL", .left, "William", "Sutcliffe", "2011-05-08", "EB7 3EF")
        p.add("NR", .right, "Bill", "Sutcliffe", "2011-08-05", "EB7 3EF")
        p.input.finishAppending()
        let result = try await Linker().link(p.input)
        let matches = p.ids(result, .match)
        for pair in [["TL1", "TR1"], ["TL2", "TR2"], ["TL3", "TR3"], ["SL", "SR"], ["XL", "XR"], ["YL", "YR"], ["NL", "NR"]] {
            #expect(matches.contains(pair), "\(pair) should match")
        }
        for pair in [["TL1", "TR2"], ["TL2", "TR1"], ["TL4", "TR3"]] {
            #expect(!matches.contains(pair), "\(pair) are twins, not one child")
        }
        let truePositives = matches.intersection(p.truth).count
        #expect(Double(truePositives) / Double(p.truth.count) > 0.97)
        #expect(matches.subtracting(p.truth).count <= 9)   // the planted pairs above
        // Explanations: the prior and every comparison, adding up to the weight.
        let pair = result.pairs.first { $0.decision == .match }!
        let parts = result.explain(left: Int(pair.left), right: Int(pair.right))
        #expect(parts.count == 1 + LinkageModel.children.comparisons.count)
        #expect(abs(parts.map(\.weight).reduce(0, +) - Double(pair.weight)) < 0.01)
        // λ near the truth (1500 of 1508 × 1507 pairs).
        #expect(result.parameters.lambda > 1500 / (1508.0 * 1507) / 3 && result.parameters.lambda < 1500 / (1508.0 * 1507) * 3)
    }

    @Test func identifierPrePass() async throws {
        var p = Population(people: 600)
        // The same NHS number with everything else different: match.
        p.add("IL", .left, "Kai", "Brindle", "2015-01-01", "EB5 5AA", nhs: "9434765919")
        p.add("IR", .right, "Jayden", "Okonkwo", "2015-01-01", "EB6 6BB", nhs: "9434765919")
        // The same NHS number but a conflicting birth date: review.
        p.add("CL", .left, "Tom", "Fisher", "2009-03-04", "EB5 5AA", nhs: "4010232137")
        p.add("CR", .right, "Tom", "Fisher", "2013-11-22", "EB5 5AA", nhs: "4010232137")
        let result = try await Linker().link(p.input)
        #expect(p.ids(result, .match).contains(["IL", "IR"]))
        #expect(p.ids(result, .review).contains(["CL", "CR"]))
        #expect(!p.ids(result, .match).contains(["CL", "CR"]))
    }

    @Test func oneToOneKeepsTheBestCounterpart() async throws {
        var p = Population(people: 600)
        p.add("AL", .left, "Harry", "Lockwood", "2013-07-07", "EB4 4DD")
        p.add("AR1", .right, "Harry", "Lockwood", "2013-07-07", "EB4 4DD")
        p.add("AR2", .right, "Harry", "Lockwood", "2013-07-07", "EB4 4DE")
        var options = LinkageOptions(); options.oneToOne = true
        let result = try await Linker(options: options).link(p.input)
        let matches = p.ids(result, .match)
        #expect(matches.contains(["AL", "AR1"]))
        #expect(!matches.contains(["AL", "AR2"]))
        var seenLeft = Set<Int32>(), seenRight = Set<Int32>()
        for m in result.pairs where m.decision == .match {
            #expect(seenLeft.insert(m.left).inserted && seenRight.insert(m.right).inserted)
        }
    }

    @Test func dedupeFindsDuplicatesWithinOneSource() async throws {
        var input = LinkageInput(model: .children)
        var p = Population(people: 500)
        for k in 0..<p.input.left.count { _ = k }
        input = p.input
        input.append(.left, id: "DUP", values: ["Zofia", "Nowakowska", "2012-12-01", "EB3 3CC", nil, nil, nil])
        input.append(.left, id: "DUP2", values: ["Zofia", "Nowakowska", "2012-12-01", "EB3 3CC", nil, nil, nil])
        p.input = input
        let result = try await Linker().dedupe(input)
        let matches = result.pairs.filter { $0.decision == .match }.map { [input.left.ids[Int($0.left)], input.left.ids[Int($0.right)]] }
        #expect(matches.contains(["DUP", "DUP2"]))
        #expect(result.rightPerson.isEmpty && result.leftPerson.count == input.left.count)
    }

    @Test func badInput() async throws {
        // Empty input: zero pairs, no crash.
        let empty = try await Linker().link(LinkageInput(model: .children))
        #expect(empty.pairs.isEmpty)
        let emptyDedupe = try await Linker().dedupe(LinkageInput(model: .children))
        #expect(emptyDedupe.pairs.isEmpty)
        // Unparseable dates are missing and counted; duplicate ids reported.
        var input = LinkageInput(model: .children)
        input.append(.left, id: "1", values: ["Ann", "Lee", "not a date", nil, nil, nil, nil])
        input.append(.left, id: "1", values: ["Ann", "Lee", "2011-02-30", nil, nil, nil, nil])
        input.append(.right, id: "1", values: ["Ann", "Lee", "2011-02-03", nil, "1234567890", nil, nil])
        #expect(input.issues.unparseable["dob"] == 2)
        #expect(input.issues.unparseable["nhs_number"] == 1)
        #expect(input.issues.duplicateIdCount == 1 && input.issues.duplicateIds == ["1"])
        let result = try await Linker().link(input)
        #expect(result.report.issues.unparseable["dob"] == 2)
    }

    @Test func modelsAreData() throws {
        let json = try JSONEncoder().encode(LinkageModel.children)
        let decoded = try JSONDecoder().decode(LinkageModel.self, from: json)
        #expect(decoded == LinkageModel.children)
        try decoded.validate()
        let bad = """
        {"comparisons": [{"name": "first_name", "field": "first_name",
                          "levels": [{"type": "exact"}, {"type": "soundex"}, {"type": "cosine"}, {"type": "else"}]}]}
        """
        let model = try JSONDecoder().decode(LinkageModel.self, from: Data(bad.utf8))
        #expect(throws: LinkageModelError.unknownComparisonTypes(["soundex", "cosine"])) { try model.validate() }
        #expect(LinkageModelError.unknownComparisonTypes(["soundex"]).description.contains("soundex"))
        var misuse = LinkageModel.children
        misuse.comparisons[0].levels[1] = .init(.postcodeSector)
        #expect(throws: LinkageModelError.self) { try misuse.validate() }
    }
}

@Suite("One-to-one probability")
struct OneToOneProbabilityTests {
    static func pair(_ l: Int32, _ r: Int32, probability p: Double, held: Bool = false) -> ScoredPair {
        let w = Float(matchWeight(probability: p))
        return ScoredPair(left: l, right: r, weight: w, decision: p >= 0.95 && !held ? .match : .review, reason: .model, held: held)
    }

    @Test func weighsAPairAgainstTheRecordsOtherCandidates() throws {
        var pairs = [
            // A record's only candidate, likely but under 0.95 on its own: where nine records in
            // ten have a counterpart, it is the counterpart.
            Self.pair(0, 0, probability: 0.9),
            // Two candidates as likely as each other (a twin in the other file): neither is matched,
            // and both wait for a person, though each is over 0.95 on its own.
            Self.pair(1, 1, probability: 0.98), Self.pair(1, 2, probability: 0.98),
            // Sure, but the first names differ: never a match by the model.
            Self.pair(2, 3, probability: 0.999, held: true),
            // Weak and alone: under the review threshold both ways, dropped.
            Self.pair(3, 4, probability: 0.02),
        ]
        Clustering.oneToOne(&pairs, leftCount: 4, rightCount: 5, counterpartShare: (0.9, 0.9), accept: 0.95, review: 0.5)
        func find(_ l: Int32, _ r: Int32) -> ScoredPair? { pairs.first { $0.left == l && $0.right == r } }
        let sole = try #require(find(0, 0))
        #expect(sole.decision == .match && abs(sole.probability - 9 / 9.1) < 1e-4, "odds 9 against the 0.1 chance of no counterpart")
        for r: Int32 in [1, 2] {
            let twin = try #require(find(1, r))
            #expect(twin.decision == .review && abs(twin.probability - 0.49) < 0.01)
        }
        #expect(find(2, 3)?.decision == .review)
        #expect(find(3, 4) == nil)
        // Without one-to-one the same pairs keep the model's own probability.
        #expect(abs(Self.pair(0, 0, probability: 0.9).probability - 0.9) < 1e-6)
    }
}
