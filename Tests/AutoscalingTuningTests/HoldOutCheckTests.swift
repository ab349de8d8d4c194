import AutoscalingTuning
import Testing

@Suite("Hold-out check")
struct HoldOutCheckTests {
  static func scores(hours: Double, share: Double) -> Objectives {
    Objectives(
      replicaSeconds: hours * 3_600, underProvisionedTimeShare: share, unservedDemand: 0,
      scalingActions: 0)
  }

  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    /// Held-out replica-hours and under-provisioned share: current, then chosen.
    var current: (Double, Double)
    var chosen: (Double, Double)
    var bound: Double?
    /// Worked out by hand.
    var saving: Double
    var allowed: Double
    var dearer: Bool
    var moreUnderProvisioned: Bool
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    // 1 − 75/100 = 25 % saved; 0.002 ≤ max(0.003, 0.001).
    Case(
      name: "cheaper and no more under-provisioned", current: (100, 0.003), chosen: (75, 0.002),
      bound: 0.001, saving: 0.25, allowed: 0.003, dearer: false, moreUnderProvisioned: false),
    // 1 − 135/100 = −35 %: the GenAI qps overfit of the README's quality table.
    Case(
      name: "dearer on the held-out part", current: (100, 0), chosen: (135, 0), bound: 0,
      saving: -0.35, allowed: 0, dearer: true, moreUnderProvisioned: false),
    // 0.00665 > max(0, 0): cheaper but short of pods where the current HPA never is.
    Case(
      name: "cheaper but more under-provisioned", current: (200, 0), chosen: (150, 0.00665),
      bound: 0, saving: 0.25, allowed: 0, dearer: false, moreUnderProvisioned: true),
    // A looser bound than the current HPA's share lets the chosen one use it.
    Case(
      name: "within a bound looser than the current share", current: (80, 0.001),
      chosen: (60, 0.004), bound: 0.005, saving: 0.25, allowed: 0.005, dearer: false,
      moreUnderProvisioned: false),
    Case(
      name: "dearer and more under-provisioned, no bound", current: (10, 0.01), chosen: (12, 0.02),
      bound: nil, saving: -0.2, allowed: 0.01, dearer: true, moreUnderProvisioned: true),
    // Equal on both counts holds.
    Case(
      name: "equal to the current HPA", current: (50, 0.01), chosen: (50, 0.01), bound: nil,
      saving: 0, allowed: 0.01, dearer: false, moreUnderProvisioned: false),
  ]

  @Test(arguments: cases)
  func verdict(_ example: Case) {
    let check = HoldOutCheck(
      current: Self.scores(hours: example.current.0, share: example.current.1),
      chosen: Self.scores(hours: example.chosen.0, share: example.chosen.1), bound: example.bound)
    #expect(abs(check.saving - example.saving) < 1e-12)
    #expect(check.allowedUnderProvisionedTimeShare == example.allowed)
    #expect(check.isDearer == example.dearer)
    #expect(check.isMoreUnderProvisioned == example.moreUnderProvisioned)
    #expect(check.holds == (!example.dearer && !example.moreUnderProvisioned))
    #expect(check.summary.hasPrefix(check.holds ? "hold-out check: holds" : "hold-out check: DOES NOT HOLD"))
    #expect(check.summary.contains("more replica-hours") == example.dearer)
    #expect(check.summary.contains("more than the current HPA's") == example.moreUnderProvisioned)
  }

  @Test("the summary states the figures")
  func summaryText() {
    let holds = HoldOutCheck(
      current: Self.scores(hours: 100, share: 0.003), chosen: Self.scores(hours: 75, share: 0.002),
      bound: 0.001)
    #expect(
      holds.summary
        == "hold-out check: holds — on the held-out part the chosen configuration saves 25.0 % "
        + "of the current HPA's replica-hours and is under-provisioned 0.200 % of the time "
        + "(allowed 0.300 %)")
    let fails = HoldOutCheck(
      current: Self.scores(hours: 10, share: 0.001), chosen: Self.scores(hours: 13.5, share: 0.0125),
      bound: 0.005)
    #expect(
      fails.summary
        == "hold-out check: DOES NOT HOLD — on the held-out part the chosen configuration costs "
        + "35.0 % more replica-hours than the current HPA and is under-provisioned 1.250 % of "
        + "the time, more than the current HPA's 0.100 % and the bound of 0.500 %; it may fit "
        + "the tuning part too closely: tune over a longer trace or several windows, or narrow "
        + "the space, before applying it")
  }

  @Test("a tuning run with a hold-out ends its comparison with the check of its own scores")
  func comparisonEndsWithTheCheck() async throws {
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
      budget: 18, holdOutFraction: 0.25)
    let result = try await tuner.tune()
    let chosen = try #require(result.chosen?.scores.holdOut)
    let current = try #require(result.current.holdOut)
    let check = try #require(result.holdOutCheck)
    #expect(check == HoldOutCheck(current: current, chosen: chosen, bound: result.maxUnderProvisionedTimeShare))
    #expect(
      check.holds
        == (chosen.replicaSeconds <= current.replicaSeconds
          && chosen.underProvisionedTimeShare
            <= max(current.underProvisionedTimeShare, result.maxUnderProvisionedTimeShare ?? 0)))
    let lines = result.comparisonTable().split(separator: "\n").map(String.init)
    #expect(lines.last == check.summary)
    #expect(lines[lines.count - 2].contains("; held out: "))
  }

  @Test("no check without a hold-out")
  func noHoldOut() async throws {
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
      budget: 18, holdOutFraction: 0)
    let result = try await tuner.tune()
    #expect(result.holdOutCheck == nil)
    #expect(!result.comparisonTable().contains("hold-out check"))
  }
}
