import Testing
@testable import Linkage

@Suite("Comparison functions")
struct ComparisonFunctionTests {
    func b(_ s: String) -> [UInt8] { TextNormaliser.letters(s) }

    @Test func normalisation() {
        #expect(b("Zoë") == b("ZOE"))
        #expect(b("Łukasz") == b("lukasz"))
        #expect(b("O'Brien") == b("obrien"))
        #expect(b("Siobhán") == b("Siobhan"))
        #expect(TextNormaliser.latin1.count == 64)
        #expect(TextNormaliser.latinExtendedA.count == 128)
    }

    @Test func jaroWinklerKnownValues() {
        #expect(abs(StringSimilarity.jaroWinkler(b("MARTHA"), b("MARHTA")) - 0.9611) < 0.001)
        #expect(abs(StringSimilarity.jaroWinkler(b("DWAYNE"), b("DUANE")) - 0.84) < 0.001)
        #expect(abs(StringSimilarity.jaroWinkler(b("DIXON"), b("DICKSONX")) - 0.8133) < 0.001)
        #expect(StringSimilarity.jaroWinkler(b("SMITH"), b("SMITH")) == 1)
        #expect(StringSimilarity.jaroWinkler(b("ABC"), b("XYZ")) == 0)
    }

    @Test func damerauLevenshtein() {
        #expect(StringSimilarity.damerauLevenshtein(b("SMITH"), b("SMIHT")) == 1)   // transposition
        #expect(StringSimilarity.damerauLevenshtein(b("KHAN"), b("KAHN")) == 1)
        #expect(StringSimilarity.damerauLevenshtein(b("JONES"), b("JOHNSON")) == 4)
        #expect(StringSimilarity.damerauLevenshtein(b("JONES"), b("JOHNSON"), limit: 1) == 2)
        #expect(StringSimilarity.damerauLevenshtein(b(""), b("AB")) == 2)
    }

    @Test func phoneticKeys() {
        #expect(Phonetic.nysiis(b("Stephens")) == Phonetic.nysiis(b("Stevens")))
        #expect(Phonetic.nysiis(b("MacDonald")) == Phonetic.nysiis(b("McDonald")))
        #expect(Phonetic.nysiis(b("Mohammed")) == Phonetic.nysiis(b("Mohamed")))
        #expect(Phonetic.nysiis(b("Smith")) != Phonetic.nysiis(b("Jones")))
        #expect(Phonetic.nysiis([]) == [])
    }

    @Test func aliases() {
        let a = NameAliases.english
        #expect(!Set(a.groups(of: b("William"))).isDisjoint(with: a.groups(of: b("Bill"))))
        #expect(!Set(a.groups(of: b("Liam"))).isDisjoint(with: a.groups(of: b("Will"))))
        #expect(!Set(a.groups(of: b("Muhammad"))).isDisjoint(with: a.groups(of: b("Mohammed"))))
        #expect(!Set(a.groups(of: b("Beth"))).isDisjoint(with: a.groups(of: b("Elizabeth"))))
        #expect(Set(a.groups(of: b("William"))).isDisjoint(with: a.groups(of: b("Elizabeth"))))
    }

    @Test func identifiersAndDates() {
        #expect(FieldParsers.nhsNumber("943 476 5919") == 9434765919)
        #expect(FieldParsers.nhsNumber("9434765918") == nil)
        #expect(FieldParsers.nhsNumber("4010232137") == 4010232137)
        #expect(FieldParsers.upn("A950000178301") != nil)
        #expect(FieldParsers.upn("H243278544154") != nil)
        #expect(FieldParsers.upn("R247962919251") == nil)
        #expect(FieldParsers.packedDate("2014-03-07") == 20140307)
        #expect(FieldParsers.packedDate("07/03/2014") == 20140307)
        #expect(FieldParsers.packedDate("20140307") == 20140307)
        #expect(FieldParsers.packedDate("2014-03-07T00:00:00Z") == 20140307)
        #expect(FieldParsers.packedDate("31/02/2014") == nil)
        #expect(FieldParsers.packedDate("unknown") == nil)
        #expect(FieldParsers.postcode("eb14rg")?.outward == b("EB1"))
        #expect(FieldParsers.postcode("SW1A 1AA")?.outward == b("SW1A"))
        #expect(FieldParsers.postcode("hello") == nil)
        #expect(FieldParsers.sex("Female") == UInt8(ascii: "F"))
        #expect(FieldParsers.sex("u") == nil)
    }

    @Test func probabilityAndWeight() {
        #expect(abs(matchProbability(weight: 0) - 0.5) < 1e-12)
        #expect(abs(matchWeight(probability: 0.95) - 4.2479) < 1e-3)
        #expect(abs(log2Safe(1024) - 10) < 1e-9)
        #expect(abs(exp2Safe(-3.5) - 0.0883883) < 1e-6)
    }
}
