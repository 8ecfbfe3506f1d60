/// Common first and last names the synthetic people are drawn from, by heritage group.
///
/// Every name here is an ordinary, common name; pairings are random, so no combination is meant
/// to be, or to identify, a real person. The mix (British, Irish, Traveller, Pakistani, Indian,
/// Bangladeshi, African, Caribbean, Eastern and Southern European, Roma, Chinese, Arab and
/// Afghan) roughly follows an English town. A few names carry apostrophes, hyphens and accents
/// on purpose (O'Brien, Smith-Jones, Zoë, José, Łukasz, Siobhán) so that every consumer of the
/// extracts has to cope with them.
struct Heritage: Sendable {
    let key: String
    /// The CIN / SSDA903 ethnicity code of a person wholly of this heritage.
    let ethnicity: String
    /// The broad group used to choose a mixed-ethnicity code for children of mixed couples.
    let broad: Broad
    let weight: Int
    let boys: [String]
    let girls: [String]
    let men: [String]
    let women: [String]
    let surnames: [String]

    enum Broad: Sendable { case white, asian, black, other }
}

enum NameLists {
    static let heritages: [Heritage] = [
        Heritage(
            key: "british", ethnicity: "WBRI", broad: .white, weight: 130,
            boys: ["Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar", "Charlie", "Jacob",
                   "Thomas", "Alfie", "Freddie", "Theo", "William", "Henry", "Archie", "Joshua", "James", "Isaac",
                   "Lucas", "Edward", "Finley", "Samuel", "Joseph", "Max", "Daniel", "Logan", "Harrison", "Ethan",
                   "Dylan", "Mason", "Riley", "Jenson", "Tommy", "Reggie", "Albie", "Teddy", "Ronnie", "Louie",
                   "Benjamin", "Alexander", "Matthew", "Liam", "Ryan", "Callum", "Kai", "Jayden", "Tyler", "Lewis",
                   "Connor", "Jamie", "Christopher", "Robert", "Michael", "Jonathan", "Elliot", "Toby"],
            girls: ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
                    "Grace", "Freya", "Evie", "Florence", "Willow", "Poppy", "Ella", "Daisy", "Emily", "Sophie",
                    "Elsie", "Phoebe", "Sienna", "Millie", "Matilda", "Ruby", "Charlotte", "Jessica", "Chloe", "Zoë",
                    "Zoe", "Hannah", "Lucy", "Megan", "Holly", "Katie", "Ellie", "Elizabeth", "Katherine", "Abigail",
                    "Erin", "Maisie", "Harper", "Rebecca", "Eleanor", "Amber", "Scarlett", "Lola", "Imogen", "Bethany",
                    "Victoria", "Alexandra"],
            men: ["David", "Paul", "Mark", "Andrew", "Richard", "Christopher", "Michael", "Stephen", "Robert", "Matthew",
                  "Daniel", "James", "John", "Simon", "Lee", "Craig", "Darren", "Gary", "Wayne", "Jason",
                  "Neil", "Stuart", "Carl", "Kevin", "Scott", "Dean", "Adam", "Benjamin", "Thomas", "William",
                  "Jonathan", "Ryan", "Liam", "Ashley", "Shaun", "Ian", "Philip", "Samuel", "Joseph", "Alexander"],
            women: ["Sarah", "Emma", "Claire", "Lisa", "Nicola", "Rachel", "Laura", "Louise", "Kelly", "Gemma",
                    "Hayley", "Stacey", "Amy", "Charlotte", "Jennifer", "Victoria", "Rebecca", "Samantha", "Helen", "Joanne",
                    "Kerry", "Donna", "Michelle", "Natalie", "Danielle", "Lauren", "Sophie", "Katherine", "Elizabeth", "Jessica",
                    "Hannah", "Kirsty", "Leanne", "Amanda", "Zoë", "Chloe", "Abigail", "Margaret", "Catherine", "Jodie"],
            surnames: ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
                       "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
                       "Lewis", "Harris", "Clarke", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
                       "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James",
                       "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell",
                       "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller",
                       "Cox", "Richards", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Wilkinson", "Foster", "Chapman",
                       "Powell", "Webb", "Rogers", "Gray", "Mason", "Hunt", "Campbell", "Matthews", "Owen", "Palmer",
                       "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens",
                       "Jenkins", "Murray", "Dixon", "Harvey", "MacDonald", "McKenzie", "Smith-Jones", "Hughes-Wright",
                       "Ashworth", "Pickering", "Lockwood", "Sutcliffe"]),
        Heritage(
            key: "irish", ethnicity: "WIRI", broad: .white, weight: 5,
            boys: ["Seán", "Conor", "Cian", "Oisín", "Patrick", "Niall", "Ciarán", "Darragh", "Aidan", "Ronan"],
            girls: ["Aoife", "Siobhán", "Niamh", "Saoirse", "Ciara", "Orla", "Róisín", "Sinéad", "Caoimhe", "Clodagh"],
            men: ["Patrick", "Sean", "Declan", "Brendan", "Kieran", "Eamon", "Dermot", "Colm", "Fergal", "Liam"],
            women: ["Siobhan", "Niamh", "Aoife", "Bridget", "Mairead", "Orla", "Sinead", "Grainne", "Deirdre", "Fiona"],
            surnames: ["Murphy", "Kelly", "O'Brien", "O'Connor", "O'Neill", "Byrne", "Ryan", "O'Sullivan", "Walsh", "McCarthy",
                       "Doyle", "Gallagher", "Kennedy", "Lynch", "Quinn", "Brennan", "Fitzgerald", "O'Reilly", "Ó Briain"]),
        Heritage(
            key: "traveller", ethnicity: "WIRT", broad: .white, weight: 1,
            boys: ["Johnny", "Patrick", "Michael", "Tom", "Jimmy", "Martin", "Francie", "John-Joe"],
            girls: ["Bridget", "Mary", "Kathleen", "Margaret", "Shannon", "Tiffany", "Nora", "Mary-Ann"],
            men: ["John", "Patrick", "Michael", "Thomas", "James", "Martin"],
            women: ["Bridget", "Mary", "Kathleen", "Margaret", "Ellen", "Winnie"],
            surnames: ["Ward", "McDonagh", "Connors", "Doherty", "Maughan", "Joyce", "McGinley", "Cash"]),
        Heritage(
            key: "pakistani", ethnicity: "APKN", broad: .asian, weight: 10,
            boys: ["Mohammed", "Muhammad", "Ali", "Hassan", "Ibrahim", "Yusuf", "Zain", "Hamza", "Ayaan", "Rayyan",
                   "Adam", "Umar", "Bilal", "Usman", "Musa", "Zakariya"],
            girls: ["Aisha", "Maryam", "Fatima", "Zainab", "Hafsa", "Khadija", "Amina", "Inaya", "Safa", "Iqra",
                    "Eman", "Hania"],
            men: ["Mohammed", "Imran", "Tariq", "Asif", "Shahid", "Kamran", "Faisal", "Zubair", "Naveed", "Adnan"],
            women: ["Saima", "Shazia", "Rubina", "Noreen", "Samina", "Ayesha", "Nadia", "Sana", "Hira", "Fozia"],
            surnames: ["Khan", "Hussain", "Ahmed", "Ali", "Iqbal", "Akhtar", "Mahmood", "Shah", "Butt", "Malik",
                       "Rashid", "Aslam", "Javed", "Riaz", "Mirza", "Qureshi", "Chaudhry", "Raza"]),
        Heritage(
            key: "indian", ethnicity: "AIND", broad: .asian, weight: 8,
            boys: ["Arjun", "Rohan", "Aarav", "Krishna", "Vivaan", "Dev", "Arnav", "Kabir", "Reyansh", "Ishaan", "Jai"],
            girls: ["Priya", "Ananya", "Diya", "Aanya", "Simran", "Harleen", "Anika", "Myra", "Saanvi", "Jasleen"],
            men: ["Harpreet", "Gurpreet", "Jaspal", "Sanjay", "Rajesh", "Amit", "Vikram", "Rahul", "Nikhil", "Ravi"],
            women: ["Navneet", "Pooja", "Sunita", "Anjali", "Neha", "Kavita", "Meera", "Amrit", "Manjit", "Rupinder"],
            surnames: ["Patel", "Singh", "Kaur", "Sharma", "Gill", "Sandhu", "Shah", "Mistry", "Joshi", "Kumar",
                       "Parmar", "Chauhan", "Dhillon", "Sidhu", "Bains", "D'Souza", "Fernandes", "Pillai"]),
        Heritage(
            key: "bangladeshi", ethnicity: "ABAN", broad: .asian, weight: 4,
            boys: ["Abdul", "Rahim", "Jamal", "Sabbir", "Tanvir", "Rafiq", "Arif", "Ayaan", "Ishaq", "Nabil"],
            girls: ["Nasima", "Rehana", "Taslima", "Shirin", "Farhana", "Sumaiya", "Tasnim", "Maliha", "Nusrat", "Raisa"],
            men: ["Abdul", "Shahid", "Rashid", "Mizanur", "Habibur", "Kamal", "Anwar", "Jahangir"],
            women: ["Rokeya", "Nasreen", "Shahana", "Rehana", "Salma", "Parveen", "Jesmin", "Shamima"],
            surnames: ["Begum", "Miah", "Uddin", "Rahman", "Islam", "Hoque", "Chowdhury", "Ahmed", "Khatun", "Hossain"]),
        Heritage(
            key: "african", ethnicity: "BAFR", broad: .black, weight: 10,
            boys: ["Oluwaseun", "Chukwuemeka", "Emeka", "Tobi", "Ayodele", "David", "Samuel", "Daniel", "Tunde", "Femi",
                   "Kwame", "Kofi", "Kwabena", "Abdi", "Mohamed", "Abdirahman", "Liban", "Joshua", "Israel", "Favour"],
            girls: ["Oluwadamilola", "Chiamaka", "Adaeze", "Ngozi", "Folake", "Blessing", "Precious", "Grace", "Abena", "Akosua",
                    "Ama", "Hodan", "Amal", "Fadumo", "Ifeoma", "Temitope", "Esther", "Deborah"],
            men: ["Oluwaseun", "Chinedu", "Olumide", "Babatunde", "Kwame", "Kofi", "Yaw", "Abdi", "Mohamed", "Emmanuel"],
            women: ["Ngozi", "Folasade", "Bukola", "Abena", "Akua", "Hodan", "Faduma", "Comfort", "Funmilayo", "Chioma"],
            surnames: ["Okafor", "Adeyemi", "Okonkwo", "Balogun", "Oyelaran", "Mensah", "Boateng", "Owusu", "Asante", "Osei",
                       "Abdi", "Hassan", "Mohamed", "Warsame", "Nwosu", "Eze", "Adebayo", "Afolabi", "Ogunleye", "Nkemelu"]),
        Heritage(
            key: "caribbean", ethnicity: "BCRB", broad: .black, weight: 4,
            boys: ["Jerome", "Marcus", "Tyrone", "Andre", "Kemar", "Jaden", "Malachi", "Elijah", "Nathaniel", "Isaiah"],
            girls: ["Shanice", "Kezia", "Tanisha", "Jada", "Nia", "Simone", "Keisha", "Aaliyah", "Imani", "Jasmine"],
            men: ["Delroy", "Winston", "Leroy", "Clive", "Trevor", "Errol", "Marlon", "Andre", "Dwayne", "Carlton"],
            women: ["Marcia", "Beverley", "Sharon", "Paulette", "Yvonne", "Simone", "Donna", "Angela", "Janet", "Charmaine"],
            surnames: ["Campbell", "Brown", "Williams", "Reid", "Thompson", "Francis", "Henry", "Clarke", "Grant", "Morgan",
                       "Gordon", "Bailey", "Wright", "Johnson", "Blackwood", "Fraser"]),
        Heritage(
            key: "eastern-european", ethnicity: "WOTH", broad: .white, weight: 12,
            boys: ["Jakub", "Kacper", "Szymon", "Filip", "Mateusz", "Łukasz", "Michał", "Piotr", "Andrei", "Alexandru",
                   "Mihai", "Gabriel", "Lukas", "Matas", "Jonas", "Nikola", "Dominik", "Oliwer"],
            girls: ["Zuzanna", "Wiktoria", "Julia", "Maja", "Zofia", "Natalia", "Lena", "Ioana", "Maria", "Elena",
                    "Andreea", "Gabija", "Ieva", "Amelia", "Emilia", "Alicja"],
            men: ["Tomasz", "Krzysztof", "Paweł", "Marcin", "Łukasz", "Piotr", "Ionuț", "Mihai", "Andrei", "Tomas",
                  "Darius", "Marek"],
            women: ["Agnieszka", "Katarzyna", "Małgorzata", "Anna", "Joanna", "Monika", "Ioana", "Elena", "Raluca", "Rasa",
                    "Jurgita", "Kristina"],
            surnames: ["Nowak", "Kowalczyk", "Wójcik", "Mazur", "Krawczyk", "Wiśniewski", "Zieliński", "Popescu", "Ionescu", "Popa",
                       "Dumitru", "Stan", "Kazlauskas", "Jankauskas", "Petrauskas", "Horváth", "Novák", "Dvořák"]),
        Heritage(
            key: "southern-european", ethnicity: "WOTH", broad: .white, weight: 4,
            boys: ["José", "João", "Tiago", "Mateo", "Marco", "Luca", "Alejandro", "Hugo", "Nicolás", "Matteo"],
            girls: ["Lucía", "María", "Sofía", "Inês", "Giulia", "Beatriz", "Chloé", "Martina", "Alba", "Leonor"],
            men: ["José", "Manuel", "Carlos", "Pedro", "Giuseppe", "Antonio", "Rui", "Javier"],
            women: ["Ana", "Maria", "Carmen", "Francesca", "Sónia", "Raquel", "Isabel", "Lucía"],
            surnames: ["García", "Fernández", "Silva", "Santos", "Rossi", "Ferreira", "Costa", "Rodrigues", "Martínez", "Russo"]),
        Heritage(
            key: "roma", ethnicity: "WROM", broad: .white, weight: 2,
            boys: ["Florin", "Marian", "Denis", "Robert", "Adrian", "Mário"],
            girls: ["Denisa", "Alina", "Ramona", "Bianca", "Vanesa", "Nikoleta"],
            men: ["Florin", "Marian", "Ion", "Ladislav", "Gheorghe", "Tibor"],
            women: ["Florentina", "Mariana", "Alina", "Renata", "Marcela", "Elena"],
            surnames: ["Stoica", "Rostas", "Balog", "Lakatos", "Lăcătuș", "Dudi", "Oláh", "Kováč"]),
        Heritage(
            key: "chinese", ethnicity: "CHNE", broad: .other, weight: 3,
            boys: ["Wei", "Jun", "Hao", "Ming", "Yi", "Jason", "Kevin", "Ethan", "Ryan", "Zihan"],
            girls: ["Mei", "Xin", "Yan", "Jing", "Ying", "Chloe", "Grace", "Emily", "Yuxi", "Ruoxi"],
            men: ["Wei", "Jun", "Hao", "Ming", "Kin", "Tony", "Jian"],
            women: ["Mei", "Li", "Xin", "Yan", "Jing", "Ying", "Fiona"],
            surnames: ["Chen", "Wang", "Li", "Zhang", "Liu", "Wong", "Lam", "Cheung", "Ng", "Chan", "Lin", "Huang"]),
        Heritage(
            key: "arab-afghan", ethnicity: "AOTH", broad: .other, weight: 4,
            boys: ["Omar", "Ahmad", "Karim", "Youssef", "Khalid", "Samir", "Farid", "Mustafa", "Idris", "Elias"],
            girls: ["Layla", "Yasmin", "Noor", "Rana", "Salma", "Mariam", "Zahra", "Parisa", "Lina", "Huda"],
            men: ["Omar", "Ahmad", "Karim", "Khalid", "Samir", "Farid", "Nasir", "Wahid"],
            women: ["Rana", "Salma", "Mariam", "Zahra", "Parisa", "Huda", "Fatemeh", "Shabnam"],
            surnames: ["Al-Sayed", "Haddad", "Hassan", "Mansour", "Khalil", "Nasser", "Abbas", "Saleh", "Ahmadzai",
                       "Popal", "Rahimi", "Karimi"]),
    ]

    static let heritageTable = Weighted(heritages.indices.map { ($0, heritages[$0].weight) })

    /// The CIN/903 ethnicity code of a child whose carers are of heritages `a` and `b`.
    static func childEthnicity(_ a: Heritage, _ b: Heritage) -> String {
        if a.key == b.key || a.ethnicity == b.ethnicity { return a.ethnicity }
        let pair = (a.broad, b.broad)
        switch pair {
        case (.white, .black), (.black, .white):
            let black = a.broad == .black ? a : b
            return black.ethnicity == "BCRB" ? "MWBC" : "MWBA"
        case (.white, .asian), (.asian, .white): return "MWAS"
        case (.white, .white): return "WOTH"
        default: return "MOTH"
        }
    }

    /// Short and familiar forms of given names, and spelling variants, as an agency may hold
    /// them. Keys are the truth's given names.
    static let nicknames: [String: [String]] = [
        "William": ["Will", "Bill", "Liam", "Billy"],
        "Elizabeth": ["Beth", "Liz", "Lizzie", "Eliza"],
        "Mohammed": ["Muhammad", "Mohamed", "Mohammad", "Mohd"],
        "Muhammad": ["Mohammed", "Mohamed", "Muhammed"],
        "Mohamed": ["Mohammed", "Mohamud", "Muhammad"],
        "Katherine": ["Kate", "Katie", "Kath", "Catherine"],
        "Catherine": ["Cathy", "Kate", "Katherine"],
        "Alexander": ["Alex", "Xander", "Sasha"],
        "Alexandra": ["Alex", "Lexi", "Sasha"],
        "Thomas": ["Tom", "Tommy"],
        "James": ["Jim", "Jamie", "Jimmy"],
        "Daniel": ["Dan", "Danny"],
        "Matthew": ["Matt"],
        "Jessica": ["Jess", "Jessie"],
        "Rebecca": ["Becky", "Becca"],
        "Samuel": ["Sam", "Sammy"],
        "Joseph": ["Joe", "Joey"],
        "Benjamin": ["Ben", "Benji"],
        "Charlotte": ["Lottie", "Charlie"],
        "Olivia": ["Liv", "Livvy"],
        "Isabella": ["Bella", "Izzy"],
        "Abigail": ["Abi", "Abbie"],
        "Christopher": ["Chris"],
        "Jonathan": ["Jon", "Jonny"],
        "Michael": ["Mike", "Mikey"],
        "Robert": ["Rob", "Bob", "Bobby"],
        "Richard": ["Rich", "Ricky"],
        "Victoria": ["Vicky", "Tori"],
        "Jennifer": ["Jen", "Jenny"],
        "Amelia": ["Millie", "Amy"],
        "Margaret": ["Maggie", "Peggy"],
        "Samantha": ["Sam", "Sammie"],
        "Nicola": ["Nicky"],
        "Stephen": ["Steve", "Steven"],
        "Andrew": ["Andy", "Drew"],
        "Edward": ["Ed", "Eddie", "Ted"],
        "Frederick": ["Freddie", "Fred"],
        "Eleanor": ["Ellie", "Nell"],
        "Florence": ["Flo", "Florrie"],
        "Zoë": ["Zoe"],
        "Zoe": ["Zoë"],
        "Chloe": ["Chloë"],
        "Seán": ["Sean", "Shaun"],
        "Siobhán": ["Siobhan", "Shiv"],
        "Oluwaseun": ["Seun", "Shola"],
        "Oluwadamilola": ["Dami", "Damilola"],
        "Chukwuemeka": ["Emeka"],
        "Abdirahman": ["Abdi", "Abdul"],
        "Aleksander": ["Olek"],
        "Łukasz": ["Lukasz", "Luke"],
        "Michał": ["Michal", "Michael"],
        "Jakub": ["Kuba", "Jacob"],
        "Wiktoria": ["Victoria", "Wika"],
        "José": ["Jose", "Pepe"],
        "Yusuf": ["Yousef", "Joseph"],
        "Ibrahim": ["Ebrahim"],
        "Aisha": ["Ayesha", "Aysha"],
        "Fatima": ["Fatimah"],
        "Maryam": ["Mariam", "Mary"],
        "Hamza": ["Hamzah"],
        "Zainab": ["Zaynab"],
        "Harrison": ["Harry"],
        "Archie": ["Archibald"],
        "Teddy": ["Edward", "Ted"],
        "Alfie": ["Alfred"],
        "Jacob": ["Jake"],
        "Joshua": ["Josh"],
        "Nathaniel": ["Nathan", "Nate"],
        "Isaiah": ["Zay"],
        "Gabriel": ["Gabe"],
        "Elijah": ["Eli"],
        "Kwabena": ["Ben"],
        "Temitope": ["Tope", "Temi"],
        "Folake": ["Fola"],
    ]

    // MARK: Places

    /// Localities of the fictional town, one per postcode district (cycled when there are more).
    static let localities = [
        "Eastbrook", "Millbridge", "Ashcombe", "Hollins Green", "Kettlewell Park", "Northfold", "Southmere",
        "Brackenridge", "Fernley", "Oakhurst Vale", "Marden Cross", "Westwick", "Copperfield", "Hartwell",
        "Larkspur", "Stonebeck", "Thornby", "Willowmead", "Redbrook", "Elmstead", "Greystone", "Foxley Heath",
        "Ambergate", "Brindle End", "Cressing", "Dunmore", "Fairholme", "Highcliffe Lane", "Kingsmere", "Ludwell",
    ]

    static let streets = [
        "Orchard Way", "Meadow Lane", "Church Street", "Station Road", "Mill Lane", "Park Avenue", "Victoria Road",
        "Queen's Road", "King Street", "The Crescent", "Elm Grove", "Chestnut Close", "Willow Drive", "Beech Road",
        "Manor Road", "School Lane", "High Street", "Green Lane", "Cedar Court", "Rowan Walk", "Holly Close",
        "Sycamore Avenue", "Hawthorn Road", "Brook Street", "Riverside", "Canal Side", "Foundry Lane", "Weavers Row",
        "Cobbler's Yard", "Albert Terrace", "Princess Street", "Nelson Street", "Wellington Road", "Balmoral Drive",
        "Windsor Close", "Lime Tree Avenue", "Poplar Road", "Larch Close", "Heather Way", "Bluebell Walk",
        "Primrose Hill", "Foxglove Close", "Juniper Road", "Laburnum Grove", "Magnolia Court", "St Mary's Road",
        "St John's Close", "Market Place", "Tannery Lane", "Ropewalk", "Kiln Lane", "Quarry Road", "Forge Close",
        "Highfield Road", "Southgate", "Northgate", "Westfield Avenue", "Eastway", "Spring Gardens", "Mount Pleasant",
    ]

    static let saints = ["Mary", "John", "Peter", "Paul", "Anne", "Joseph", "Michael", "Andrew", "Thomas", "Luke",
                         "Margaret", "Bede", "Hilda", "Chad", "Aidan", "Francis", "Teresa", "Patrick", "George", "James"]
    static let trees = ["Oak", "Ash", "Willow", "Beech", "Rowan", "Hazel", "Cedar", "Elm", "Birch", "Holly",
                        "Maple", "Alder", "Chestnut", "Larch", "Juniper", "Hawthorn"]
    static let nurseryNames = ["Little Acorns", "Tiny Steps", "Rainbow", "Little Owls", "Sunflower", "Honeybee",
                               "Ladybird", "Busy Hands", "Treetops", "Puddle Ducks", "Bright Sparks", "Hopscotch",
                               "Caterpillars", "Daisy Chain", "Little Explorers", "Cherry Tree"]
}

/// The CIN / SSDA903 ethnicity codes, stored per person as a one-byte index.
enum EthnicityCodes {
    static let all = ["WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
                      "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"]

    static func index(_ code: String) -> UInt8 {
        UInt8(all.firstIndex(of: code) ?? all.count - 1)
    }
}
