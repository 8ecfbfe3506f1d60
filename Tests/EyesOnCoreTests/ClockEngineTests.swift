import Foundation
import Testing
import EyesOnCore

@Suite("Clock engine")
struct ClockEngineTests {
    func d(_ text: String) -> CivilDate { CivilDate(text)! }

    func event(_ kind: ClockEventKind, _ date: String, subject: String = "child", byHand: Bool = false) -> ClockEvent {
        ClockEvent(subject: subject, kind: kind, date: d(date), recordedInEyesOn: byHand)
    }

    func lines(_ events: [ClockEvent], today: String, rules: [ClockRule] = ClockRule.defaults) -> [String: [ClockLine]] {
        Dictionary(grouping: ClockEngine.evaluate(rules, events: events, today: d(today)), by: \.rule)
            .mapValues { $0.sorted { $0.started < $1.started } }
    }

    @Test("a plan's reviews: the first within 3 months of the plan, then each within 6 months of the one before")
    func recurringReviews() {
        let all = lines([event(.protectionPlanStarted, "2026-01-05"), event(.reviewConference, "2026-04-01"), event(.reviewConference, "2026-10-20")],
                        today: "2027-05-01")
        let first = all["first-review-conference"] ?? []
        #expect(first.map(\.due) == [d("2026-04-05")] && first.map(\.state) == [.onTime] && first.first?.done == d("2026-04-01"))
        let later = all["later-review-conference"] ?? []
        #expect(later.map(\.started) == [d("2026-04-01"), d("2026-10-20")])
        #expect(later.map(\.due) == [d("2026-10-01"), d("2027-04-20")])
        #expect(later.map(\.state) == [.late, .overdue], "held 19 days late; the next one, due 20 April 2027, not held by 1 May")
    }

    @Test("a clock falls away when what it belongs to ends first; ending after the due date leaves it missed")
    func endsAndMissed() {
        let ended = lines([event(.protectionPlanStarted, "2026-01-05"), event(.protectionPlanEnded, "2026-02-01")], today: "2026-12-01")
        #expect(ended["first-review-conference"] == nil, "the plan ended before its first review was due")
        let missed = lines([event(.protectionPlanStarted, "2026-01-05"), event(.protectionPlanEnded, "2026-05-01")], today: "2026-12-01")
        #expect(missed["first-review-conference"]?.map(\.state) == [.missed])
        #expect(missed["first-review-conference"]?.first?.done == nil)
    }

    @Test("the same event from a feed and by hand counts once, and by hand wins for the clocks that need it")
    func duplicatesCountOnce() {
        let all = lines([event(.protectionPlanStarted, "2026-01-05"), event(.protectionPlanStarted, "2026-01-05", byHand: true),
                         event(.reviewConference, "2026-03-20"), event(.reviewConference, "2026-03-20", byHand: true)], today: "2026-04-01")
        #expect(all["first-review-conference"]?.count == 1)
        #expect(all["later-review-conference"]?.map(\.started) == [d("2026-03-20")], "not a second review on the same day")
        #expect(all["core-group-first-meeting"]?.map(\.state) == [.overdue], "the plan was recorded by hand: its core group was due 19 January")
        #expect(all["core-group-first-meeting"]?.first?.due == d("2026-01-19"))
    }

    @Test("the core group clock runs only from plans recorded in EyesOn (the CIN census has no core groups)")
    func recordedOnly() {
        let census = lines([event(.protectionPlanStarted, "2026-01-05")], today: "2026-04-01")
        #expect(census["core-group-first-meeting"] == nil)
        let byHand = lines([event(.protectionPlanStarted, "2026-01-05", byHand: true), event(.coreGroup, "2026-01-16", byHand: true)], today: "2026-04-01")
        #expect(byHand["core-group-first-meeting"]?.map(\.state) == [.onTime])
    }

    @Test("subjects do not mix: one child's review does not stop another's clock")
    func subjectsApart() {
        let all = lines([event(.protectionPlanStarted, "2026-01-05", subject: "a"), event(.protectionPlanStarted, "2026-01-05", subject: "b"),
                         event(.reviewConference, "2026-03-01", subject: "b")], today: "2026-05-01")
        let first = all["first-review-conference"] ?? []
        #expect(Dictionary(uniqueKeysWithValues: first.map { ($0.subject, $0.state) }) == ["a": .overdue, "b": .onTime])
    }

    @Test("a due date at a weekend stays unless the rule moves it; months clamp to the end of a shorter month")
    func weekends() throws {
        var rule = Timescale.firstReviewConference.defaultRule
        // 30 November 2026 + 3 months: "30 February" clamps to Sunday 28 February 2027.
        #expect(try rule.due(from: d("2026-11-30")) == d("2027-02-28"))
        rule.weekend = .nextWorkingDay
        #expect(try rule.due(from: d("2026-11-30")) == d("2027-03-01"))
        rule.weekend = .previousWorkingDay
        #expect(try rule.due(from: d("2026-11-30")) == d("2027-02-26"))
        // Weeks are calendar weeks: 6 weeks from Thursday 24 December 2026 is Thursday 4 February 2027.
        #expect(try Timescale.laterPlacementVisit.defaultRule.due(from: d("2026-12-24")) == d("2027-02-04"))
    }

    @Test("a clock past the shipped bank holidays has no due date rather than a guess")
    func beyondTheCalendar() {
        let all = lines([event(.referralReceived, "2028-12-29", subject: "r")], today: "2028-12-30")
        #expect(all["referral-decision"]?.first?.due == nil && all["referral-decision"]?.first?.state == nil)
    }

    @Test("a new clock is a rule over the existing events, with no new code")
    func addedRule() throws {
        let json = """
            [{"key": "strategy-to-conference-10", "title": "Initial conference (local target)", "anchor": ["strategy-discussion"],
              "stops": ["initial-conference"], "period": "10 working days", "from": "the strategy discussion", "source": "local procedures"}]
            """
        let added = try JSONDecoder().decode([ClockRule].self, from: Data(json.utf8))
        try ClockRule.validate(added)
        let rules = ClockRule.merged(added)
        #expect(rules.count == Timescale.allCases.count + 1 && rules.last?.key == "strategy-to-conference-10")
        let all = lines([event(.strategyDiscussion, "2026-11-02", byHand: true), event(.initialConference, "2026-11-20", byHand: true)],
                        today: "2026-12-01", rules: rules)
        #expect(all["strategy-to-conference-10"]?.map(\.state) == [.late], "due 16 November, held 20 November")
        #expect(all["initial-conference"]?.map(\.state) == [.onTime], "within the 15 working days of the built-in clock")
    }

    @Test("a partnership's change replaces the built-in rule in place")
    func overrideReplaces() throws {
        var local = Timescale.coreGroupFirstMeeting.defaultRule
        local.period = .workingDays(15)
        local.source = "local procedures: 15 working days"
        let rules = ClockRule.merged([local])
        #expect(rules.count == Timescale.allCases.count)
        #expect(rules.first { $0.key == "core-group-first-meeting" }?.period == .workingDays(15))
        let all = lines([event(.protectionPlanStarted, "2026-01-05", byHand: true), event(.coreGroup, "2026-01-23", byHand: true)],
                        today: "2026-04-01", rules: rules)
        #expect(all["core-group-first-meeting"]?.map(\.state) == [.onTime], "late on the built-in 10 days, on time on the local 15")
    }

    @Test("periods read and write as words; bad rules are refused with the rule named")
    func periodsAndValidation() throws {
        for text in ["15 working days", "1 working day", "3 months", "6 weeks", "1 week", "7 days"] {
            let period = try #require(Timescale.Period(parsing: text))
            #expect(period.description == text)
            let round = try JSONDecoder().decode(Timescale.Period.self, from: JSONEncoder().encode(period))
            #expect(round == period)
        }
        #expect(Timescale.Period(parsing: "fortnight") == nil && Timescale.Period(parsing: "3 lunar months") == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Timescale.Period.self, from: Data("\"soon\"".utf8)) }
        #expect(throws: DecodingError.self, "an unknown event kind") {
            try JSONDecoder().decode([ClockRule].self, from: Data("""
                [{"key": "x", "title": "X", "anchor": ["a-full-moon"], "stops": ["initial-conference"], "period": "3 days", "from": "f", "source": "s"}]
                """.utf8))
        }
        var rule = Timescale.assessment.defaultRule
        rule.period = .workingDays(0)
        #expect { try ClockRule.validate([rule]) } throws: { ($0 as? ClockRuleError)?.message.contains("rule 'assessment': period") == true }
        rule = Timescale.assessment.defaultRule
        rule.stops = []
        #expect { try ClockRule.validate([rule]) } throws: { ($0 as? ClockRuleError)?.message == "rule 'assessment': stops names no event" }
        #expect { try ClockRule.validate([Timescale.assessment.defaultRule, Timescale.assessment.defaultRule]) } throws: {
            ($0 as? ClockRuleError)?.message == "rule 'assessment' is given twice"
        }
        rule = Timescale.assessment.defaultRule
        rule.source = " "
        #expect(throws: ClockRuleError.self) { try ClockRule.validate([rule]) }
        try ClockRule.validate(ClockRule.defaults)
    }

    @Test("every built-in clock is a rule with events that start and stop it")
    func builtInRules() {
        for t in Timescale.allCases {
            let rule = t.defaultRule
            #expect(rule.key == t.rawValue && !rule.anchor.isEmpty && !rule.stops.isEmpty && rule.period == t.period)
        }
        #expect(Set(ClockRule.defaults.map(\.key)).count == Timescale.allCases.count)
    }
}
