import EyesOnCore

/// The agencies' systems, each of which holds its own version of a person's identity.
enum NoiseSource: UInt64, Sendable {
    /// A school's MIS: `school-roll.csv` and `attendance.csv` (one version per school).
    case school = 1
    /// Children's social care: `cin-census.xml` and `ssda903/*` (no names in those formats).
    case socialCare
    case police
    case marac
    case health
}

/// How often one source's record of a person differs from the truth, per person and source.
///
/// Each rate is the chance that one source's record of one person shows that kind of error.
/// Every source draws independently (a typo at the school is not the police's typo), but one
/// source is consistent with itself: a school holds the same misspelling on the roll and in
/// every attendance row.
struct NoiseProfile: Sendable {
    /// 1–2 character edits (substitution, deletion, doubled letter, transposition) in the given name.
    let typoGiven: Double
    /// The same, in the family name.
    let typoFamily: Double
    /// A short form or spelling variant of the given name (William → Will/Bill/Liam; Mohammed → Muhammad).
    let nickname: Double
    /// Given and family names swapped.
    let swappedNames: Double
    /// Day and month of birth swapped (only possible when the day is 12 or less).
    let dayMonthSwap: Double
    /// Date of birth one day or one year out.
    let otherBirthDateError: Double
    /// Another surname: a step-parent's, the other parent's, or both hyphenated.
    let alternativeSurname: Double
    /// Of people whose household moved in the last two years: the source still has the old postcode.
    let stalePostcode: Double
    /// NHS number not recorded (only the health extract carries NHS numbers).
    let missingNHSNumber: Double
    /// Accents dropped (Zoë → Zoe, Łukasz → Lukasz), of names that have them.
    let droppedAccents: Double
    /// UPN not recorded (only the social-care extracts: UPNunknown given instead).
    let missingUPN: Double
    /// Date of birth not recorded (police: often not known at the scene).
    let missingBirthDate: Double
}

/// The noise rates, per source, in one place.
enum IdentityNoise {
    static let school = NoiseProfile(
        typoGiven: 0.010, typoFamily: 0.010, nickname: 0.04, swappedNames: 0.003, dayMonthSwap: 0.004,
        otherBirthDateError: 0.003, alternativeSurname: 0.03, stalePostcode: 0.25, missingNHSNumber: 0,
        droppedAccents: 0.6, missingUPN: 0, missingBirthDate: 0)
    static let socialCare = NoiseProfile(
        typoGiven: 0.010, typoFamily: 0.010, nickname: 0.02, swappedNames: 0.002, dayMonthSwap: 0.010,
        otherBirthDateError: 0.005, alternativeSurname: 0.02, stalePostcode: 0.20, missingNHSNumber: 0.02,
        droppedAccents: 0.3, missingUPN: 0.03, missingBirthDate: 0)
    static let police = NoiseProfile(
        typoGiven: 0.040, typoFamily: 0.040, nickname: 0.08, swappedNames: 0.015, dayMonthSwap: 0.020,
        otherBirthDateError: 0.010, alternativeSurname: 0.04, stalePostcode: 0.30, missingNHSNumber: 1,
        droppedAccents: 0.8, missingUPN: 1, missingBirthDate: 0.05)
    static let marac = NoiseProfile(
        typoGiven: 0.020, typoFamily: 0.020, nickname: 0.05, swappedNames: 0.010, dayMonthSwap: 0.010,
        otherBirthDateError: 0.005, alternativeSurname: 0.03, stalePostcode: 0.30, missingNHSNumber: 1,
        droppedAccents: 0.5, missingUPN: 1, missingBirthDate: 0.02)
    static let health = NoiseProfile(
        typoGiven: 0.015, typoFamily: 0.015, nickname: 0.03, swappedNames: 0.005, dayMonthSwap: 0.008,
        otherBirthDateError: 0.003, alternativeSurname: 0.03, stalePostcode: 0.35, missingNHSNumber: 0.04,
        droppedAccents: 0.3, missingUPN: 1, missingBirthDate: 0)

    static func profile(_ source: NoiseSource) -> NoiseProfile {
        switch source {
        case .school: school
        case .socialCare: socialCare
        case .police: police
        case .marac: marac
        case .health: health
        }
    }
}

/// Deliberately awkward records, few and documented, so every reader of the extracts must
/// escape and quote properly. Besides the names in the lists (O'Brien, Smith-Jones, Ó Briain,
/// Zoë, José, Łukasz, Mary-Ann…) and the addresses with commas:
///
/// - household 2 is Irish, surname **O'Brien**, its eldest child **Zoë** or **Seán**;
///   household 4 has surname **Smith-Jones**, its eldest child **Chloë** or **José**;
/// - `school-roll.csv` / `attendance.csv`: the first pupil (by truth id) whose given name has a
///   short form is held with it in double quotes, e.g. `William "Bill"` (CSV quote-doubling, HTML);
/// - `health-caseload.csv`: the first health-visiting child whose carers have two different
///   surnames is held as `Surname1 & Surname2` (XML/HTML ampersand);
/// - `police-incidents.csv`: the first child party's surname carries an officer's note,
///   `Surname <spelling?>` (angle brackets).
enum HostileData {
    static let policeNote = " <spelling?>"
}

/// A person as one source holds them.
struct HeldIdentity {
    var given: String
    var family: String
    var dateOfBirth: CivilDate?
    var postcode: String
    var nhsNumber: String?
    var upnMissing: Bool
}

extension SyntheticArea {
    /// How `source` (and, for schools, the school with URN `instance`) holds person `id`.
    func held(_ id: Int, _ source: NoiseSource, instance: UInt64 = 0) -> HeldIdentity {
        let p = people[id - 1]
        let profile = IdentityNoise.profile(source)
        var rng = SeededRandom(seed: configuration.seed, stream: .noise,
                               index: SplitMix64.hash(UInt64(id), source.rawValue, instance))
        var out = HeldIdentity(given: p.givenName, family: p.familyName, dateOfBirth: p.dateOfBirth,
                               postcode: p.postcode, nhsNumber: p.nhsNumber, upnMissing: false)
        let draws = (0..<12).map { _ in rng.unit() }     // one draw per kind, so rates are independent

        if p.kind != .unbornChild {
            if draws[0] < profile.nickname, let variants = NameLists.nicknames[p.givenName] {
                out.given = rng.pick(variants)
            }
            if draws[1] < profile.alternativeSurname, let other = alternativeSurname(for: p, rng: &rng) {
                out.family = other
            }
        }
        if draws[2] < profile.droppedAccents {
            out.given = NameText.withoutAccents(out.given)
            out.family = NameText.withoutAccents(out.family)
        }
        if p.kind != .unbornChild {
            if draws[3] < profile.typoGiven { out.given = NameText.typo(out.given, rng: &rng) }
            if draws[4] < profile.typoFamily { out.family = NameText.typo(out.family, rng: &rng) }
            if draws[5] < profile.swappedNames { swap(&out.given, &out.family) }
        }
        if let dob = p.dateOfBirth {
            if draws[6] < profile.dayMonthSwap, dob.day <= 12, dob.day != dob.month,
               let swapped = CivilDate(year: dob.year, month: dob.day, day: dob.month), swapped <= configuration.asOf {
                out.dateOfBirth = swapped
            } else if draws[7] < profile.otherBirthDateError {
                let wrong = rng.chance(0.6) ? dob.adding(days: rng.chance(0.5) ? 1 : -1) : dob.adding(years: rng.chance(0.5) ? 1 : -1)
                if wrong <= configuration.asOf { out.dateOfBirth = wrong }
            }
            if draws[8] < profile.missingBirthDate { out.dateOfBirth = nil }
        }
        if draws[9] < profile.stalePostcode, let previous = households[p.householdID - 1].previousPostcode,
           p.postcode == households[p.householdID - 1].postcode {
            out.postcode = previous
        }
        if draws[10] < profile.missingNHSNumber { out.nhsNumber = nil }
        if draws[11] < profile.missingUPN { out.upnMissing = true }
        return out
    }

    /// A step-parent's or the other parent's surname, or the two hyphenated; for an adult, the
    /// partner's. `nil` when the household offers none different from the person's own.
    func alternativeSurname(for p: SyntheticPerson, rng: inout SeededRandom) -> String? {
        let carers = households[p.householdID - 1].adultIDs
        let others = carers.map { people[$0 - 1].familyName }.filter { $0 != p.familyName }
        guard let other = others.first else { return nil }
        if rng.chance(0.5) { return other }
        return AreaBuilder.hyphenate(p.familyName, other) == other ? other : p.familyName + "-" + other
    }
}

/// Name transformations for the noise.
enum NameText {
    private static let accents: [Character: Character] = [
        "á": "a", "à": "a", "â": "a", "ä": "a", "ã": "a", "ą": "a", "ă": "a", "é": "e", "è": "e", "ê": "e",
        "ë": "e", "ę": "e", "í": "i", "ì": "i", "î": "i", "ï": "i", "ó": "o", "ò": "o", "ô": "o", "ö": "o",
        "õ": "o", "ú": "u", "ù": "u", "û": "u", "ü": "u", "ç": "c", "ć": "c", "č": "c", "ł": "l", "ń": "n",
        "ñ": "n", "ś": "s", "š": "s", "ș": "s", "ț": "t", "ź": "z", "ż": "z", "ž": "z", "ř": "r", "ý": "y",
        "Á": "A", "É": "E", "Í": "I", "Ó": "O", "Ú": "U", "Ł": "L", "Ś": "S", "Ż": "Z", "Ź": "Z", "Č": "C",
        "Š": "S", "Ž": "Z", "Ș": "S", "Ț": "T",
    ]

    static func withoutAccents(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 >= 0x80 }) else { return s }
        return String(s.map { accents[$0] ?? $0 })
    }

    private static let keyboard: [Character: String] = [
        "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc", "g": "ftyhbv",
        "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop", "m": "njk", "n": "bhjm",
        "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz", "t": "rfgy", "u": "yhji",
        "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
    ]

    /// One or two small edits, never touching the first letter: a neighbouring key, a dropped
    /// letter, a doubled letter, or two letters swapped.
    static func typo(_ s: String, rng: inout SeededRandom) -> String {
        var chars = Array(s)
        guard chars.count >= 3 else { return s }
        let edits = rng.chance(0.8) ? 1 : 2
        for _ in 0..<edits where chars.count >= 3 {
            let i = rng.int(in: 1...(chars.count - 1))
            switch rng.below(4) {
            case 0:
                let lower = Character(chars[i].lowercased())
                if let near = keyboard[lower] {
                    chars[i] = rng.pick(Array(near))
                } else {
                    chars.remove(at: i)
                }
            case 1:
                chars.remove(at: i)
            case 2:
                chars.insert(chars[i], at: i)
            default:
                if i + 1 < chars.count { chars.swapAt(i, i + 1) } else { chars.swapAt(i - 1, i) }
            }
        }
        let result = String(chars)
        return result == s ? s + String(chars.last!) : result
    }
}
