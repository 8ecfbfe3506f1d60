extension LinkageModel {
    /// The built-in model for children's records across agencies: names (with aliases,
    /// phonetics and swapped first/last names), date of birth (with the usual keying errors),
    /// postcode, NHS number, UPN and sex. Field names: `first_name`, `surname`, `dob`,
    /// `postcode`, `nhs_number`, `upn`, `sex`.
    public static let children = LinkageModel(
        comparisons: [
            Comparison(name: "first_name", field: "first_name", swapWith: "surname", termFrequency: true, levels: [
                .init(.exact), .init(.alias), .init(.damerauLevenshtein, threshold: 1),
                .init(.jaroWinkler, threshold: 0.92), .init(.phonetic), .init(.swapped),
                .init(.jaroWinkler, threshold: 0.8), .init(.else),
            ]),
            Comparison(name: "surname", field: "surname", swapWith: "first_name", termFrequency: true, levels: [
                .init(.exact), .init(.damerauLevenshtein, threshold: 1), .init(.jaroWinkler, threshold: 0.92),
                .init(.phonetic), .init(.swapped), .init(.jaroWinkler, threshold: 0.8), .init(.else),
            ]),
            Comparison(name: "dob", field: "dob", levels: [
                .init(.exact), .init(.dateDayMonthSwapped), .init(.dateYearsApart, threshold: 1),
                .init(.dateOnePartDiffers), .init(.else),
            ]),
            Comparison(name: "postcode", field: "postcode", termFrequency: true, levels: [
                .init(.exact), .init(.postcodeSector), .init(.postcodeDistrict), .init(.else),
            ]),
            Comparison(name: "nhs_number", field: "nhs_number", levels: [.init(.exact), .init(.else)]),
            Comparison(name: "upn", field: "upn", levels: [.init(.exact), .init(.else)]),
            Comparison(name: "sex", field: "sex", levels: [.init(.exact), .init(.else)]),
        ],
        blockingRules: [
            BlockingRule(name: "nhs_number", keys: [.init("nhs_number")]),
            BlockingRule(name: "upn", keys: [.init("upn")]),
            BlockingRule(name: "dob+surname~", keys: [.init("dob"), .init("surname", .phonetic)]),
            BlockingRule(name: "dob+first_name~", keys: [.init("dob"), .init("first_name", .phonetic)]),
            BlockingRule(name: "dob+names swapped", keys: [.init("dob"), .init("first_name", .phonetic), .init("surname", .phonetic)],
                         unordered: ["first_name", "surname"]),
            // Swapped names with a slip in one of them ("Bfell, Lily" / "Lily Bell"): the initials, either way round.
            BlockingRule(name: "dob+initials swapped", keys: [.init("dob"), .init("first_name", .initial), .init("surname", .initial)],
                         unordered: ["first_name", "surname"]),
            BlockingRule(name: "postcode+initials swapped", keys: [.init("postcode"), .init("first_name", .initial), .init("surname", .initial)],
                         unordered: ["first_name", "surname"]),
            BlockingRule(name: "postcode+first initial", keys: [.init("postcode"), .init("first_name", .initial)]),
            BlockingRule(name: "postcode+surname~", keys: [.init("postcode"), .init("surname", .phonetic)]),
            BlockingRule(name: "names~+birth year", keys: [.init("first_name", .phonetic), .init("surname", .phonetic), .init("dob", .year)]),
            // A birth year keyed one out, and the household moved.
            BlockingRule(name: "names~+birthday", keys: [.init("first_name", .phonetic), .init("surname", .phonetic), .init("dob", .monthDay)]),
            BlockingRule(name: "dob+district", keys: [.init("dob"), .init("postcode", .district)]),
        ],
        acceptProbability: 0.95,
        reviewProbability: 0.5,
        deterministicFields: ["nhs_number", "upn"],
        maxBlockSize: 20_000,
        trainingRules: [
            BlockingRule(name: "dob", keys: [.init("dob")]),
            BlockingRule(name: "names~", keys: [.init("first_name", .phonetic), .init("surname", .phonetic)]),
        ],
        distinguishingFields: ["first_name"]
    )
}
