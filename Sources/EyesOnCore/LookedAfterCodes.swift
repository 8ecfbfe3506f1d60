/// The SSDA903 code lists a page shows in words (STANDARDS §2.2; labels from the DfE's
/// children looked after guidance), each code with its label.
public enum LookedAfterCodes {
    /// LS, legal status.
    public static let legalStatus: [String: String] = [
        "C1": "Interim care order", "C2": "Full care order", "D1": "Freeing order granted", "E1": "Placement order granted",
        "V2": "Single period of accommodation under section 20", "V3": "Agreed series of short breaks (episodes recorded)",
        "V4": "Agreed series of short breaks (agreements recorded)", "L1": "Police protection, in local authority accommodation",
        "L2": "Emergency protection order", "L3": "Child assessment order, in local authority accommodation",
        "J1": "Remanded to local authority or youth detention accommodation", "J2": "In local authority accommodation under PACE 1984",
        "J3": "Youth rehabilitation order with a residence or intensive fostering requirement",
    ]

    /// PLACE, placement type (the 2024-25 and 2025-26 lists together).
    public static let placement: [String: String] = [
        "A3": "Placed for adoption with consent, with current foster carers", "A4": "Placed for adoption with consent, not with current foster carers",
        "A5": "Placed for adoption with a placement order, with current foster carers",
        "A6": "Placed for adoption with a placement order, not with current foster carers",
        "U1": "Foster placement with a relative or friend, long term", "U2": "Foster placement with a relative or friend, fostering for adoption or concurrent planning",
        "U3": "Foster placement with a relative or friend, other", "U4": "Foster placement with another carer, long term",
        "U5": "Foster placement with another carer, fostering for adoption or concurrent planning", "U6": "Foster placement with another carer, other",
        "K1": "Secure children's home", "K2": "Children's home", "K3": "Registered supported accommodation",
        "H5": "Semi-independent living", "P1": "With parents or a person with parental responsibility",
        "P2": "Independent living", "P3": "Residential employment", "R1": "Residential care home", "R2": "NHS or health establishment",
        "R3": "Family centre or mother and baby unit", "R5": "Young offender institution", "S1": "Residential school",
        "T0": "Temporary move", "T1": "Temporary move: hospital", "T2": "Temporary move: child on holiday", "T3": "Temporary move: carer on holiday",
        "T4": "Temporary move: other, up to 7 days", "Z1": "Other placement", "Z11": "Other placement", "Z12": "Other placement",
        "Z13": "Other placement", "Z14": "Other placement",
    ]

    /// REC, why a period of care ended.
    public static let reasonEnded: [String: String] = [
        "X1": "A new period of care began the same day", "E11": "Adopted (application unopposed)", "E12": "Adopted (consent dispensed with)",
        "E13": "Left care to live with a parent, relative or other person without parental responsibility", "E14": "Remand ended",
        "E15": "Age assessment found the child to be 18 or over", "E16": "Moved abroad", "E17": "Aged 18 or over and stayed with the carers",
        "E2": "Died", "E3": "Care taken over by another UK local authority", "E4A": "Returned home as part of care planning",
        "E4B": "Returned home, not as part of care planning", "E41": "Child arrangements order (lives with)",
        "E45": "Special guardianship order to former foster carers (relative or friend)", "E46": "Special guardianship order to former foster carers",
        "E47": "Special guardianship order to carers other than foster carers (relative or friend)",
        "E48": "Special guardianship order to carers other than foster carers", "E5": "Independent living with formal support",
        "E6": "Independent living without formal support", "E7": "Transferred to residential care funded by adult social care",
        "E9": "Sentenced to custody", "E8": "Ceased for another reason",
    ]

    /// OC3 IN_TOUCH, a care leaver's contact with the local authority.
    public static let inTouch: [String: String] = [
        "YES": "In touch", "NO": "Not in touch", "DIED": "Died", "REFU": "Refuses contact", "NREQ": "No longer needs services",
        "RHOM": "Home with parents for 6 months or more",
    ]
}
