import AutoscalingCore
import AutoscalingReplay
import AutoscalingTuning
import Foundation
import HorizontalAutoscaling
import Testing

/// `TuningResult.currentIsPreferred`: a search that finds nothing better than the current HPA
/// within the bounds says so, instead of recommending a dearer configuration. Checked against
/// brute-force replays of hand-built HPAs and the selection rule worked out here.
@Suite("Keeping the current HPA when nothing evaluated is better")
struct CurrentPreferenceTests {
  /// One hand-built configuration of the fixture: its scale-down window (seconds) and
  /// scale-down percent per 60 s.
  struct Variant: Hashable {
    let window: Int
    let percent: Int
  }

  /// A grid over the fixture's scale-down window and percent, tuned on the whole trace.
  static func tune(
    windows: [Int], percents: [Int], bound: Double? = nil,
    actions: ScalingActionsBound? = nil
  ) async throws -> TuningResult {
    let space = try SpaceDescription(
      base: .empty,
      dimensions: [
        DimensionDescription(
          name: "scaleDown.stabilizationWindowSeconds", values: windows.map(Double.init)),
        DimensionDescription(name: "scaleDown.policy.value", values: percents.map(Double.init)),
      ]
    ).resolve(over: ParameterSpace(dimensions: []))
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: space, strategy: .grid,
      budget: windows.count * percents.count, maxUnderProvisionedTimeShare: bound,
      maxScalingActions: actions, holdOutFraction: 0)
    return try await tuner.tune()
  }

  /// The scorecard of each variant, and of the fixture's current HPA (window 300 s, 10 %).
  static func cards(windows: [Int], percents: [Int]) throws -> (
    current: Scorecard, variants: [Variant: Scorecard]
  ) {
    let current = try TunerFixture.replay(TunerFixture.spec(), start: nil, end: nil)
    var variants: [Variant: Scorecard] = [:]
    for window in windows {
      for percent in percents {
        let spec = try TunerFixture.spec(scaleDownWindow: window, scaleDownPercent: percent)
        variants[Variant(window: window, percent: percent)] = try TunerFixture.replay(
          spec, start: nil, end: nil)
      }
    }
    return (current, variants)
  }

  /// The selection's order, written out: cost, under-provisioning, unserved demand, actions.
  static func before(_ a: Scorecard, _ b: Scorecard) -> Bool {
    (a.replicaSeconds, a.underProvisionedTimeShare, a.unservedDemand, a.scalingActions)
      < (b.replicaSeconds, b.underProvisionedTimeShare, b.unservedDemand, b.scalingActions)
  }

  @Test("longer scale-down windows only: every candidate costs more, so the current HPA is kept")
  func dearerCandidatesKeepTheCurrentHPA() async throws {
    let (windows, percents) = ([600, 900], [10])
    let (current, variants) = try Self.cards(windows: windows, percents: percents)
    // Worked out from the replays: the default bound is the current HPA's own share, and no
    // candidate within it comes before the current HPA in the selection's order.
    let admissible = variants.values.filter {
      $0.underProvisionedTimeShare <= current.underProvisionedTimeShare
    }
    try #require(!admissible.isEmpty)
    #expect(admissible.allSatisfy { !Self.before($0, current) })
    #expect(variants.values.allSatisfy { $0.replicaSeconds > current.replicaSeconds })

    let result = try await Self.tune(windows: windows, percents: percents)
    let chosen = try #require(result.chosen)
    #expect(chosen.scores.tuning.replicaSeconds > result.current.tuning.replicaSeconds)
    #expect(result.currentIsPreferred)
    #expect(
      result.comparisonTable().contains(
        TuningResult.keepCurrentAdvice(evaluated: windows.count * percents.count)))
  }

  @Test("shorter windows and larger steps: a cheaper candidate within the bound is preferred")
  func cheaperCandidateIsPreferred() async throws {
    let (windows, percents) = ([0, 60], [10, 50])
    let (current, variants) = try Self.cards(windows: windows, percents: percents)
    let better = variants.values.filter {
      $0.underProvisionedTimeShare <= current.underProvisionedTimeShare
        && Self.before($0, current)
    }
    try #require(!better.isEmpty)

    let result = try await Self.tune(windows: windows, percents: percents)
    let chosen = try #require(result.chosen)
    #expect(chosen.scores.tuning.replicaSeconds < result.current.tuning.replicaSeconds)
    #expect(!result.currentIsPreferred)
    #expect(!result.comparisonTable().contains("keep the current HPA"))
  }

  @Test("a stability bound the current HPA breaks: the dearer candidate within it is preferred")
  func boundTheCurrentHPABreaksPrefersTheCandidate() async throws {
    let (windows, percents) = ([600, 900], [10, 100])
    let (current, variants) = try Self.cards(windows: windows, percents: percents)
    // 0.7 × the current HPA's actions: the current HPA breaks it; worked out which candidates
    // keep both it and the current HPA's under-provisioned share, and that they cost more.
    let limit = Double(current.scalingActions) * 0.7
    let within = variants.values.filter {
      $0.underProvisionedTimeShare <= current.underProvisionedTimeShare
        && Double($0.scalingActions) <= limit
    }
    try #require(!within.isEmpty)
    let cheapest = try #require(within.min(by: Self.before))
    #expect(cheapest.replicaSeconds > current.replicaSeconds)

    let result = try await Self.tune(
      windows: windows, percents: percents, actions: .timesCurrent(0.7))
    let chosen = try #require(result.chosen)
    #expect(result.constraintMet)
    #expect(chosen.scores.tuning.replicaSeconds == cheapest.replicaSeconds)
    #expect(!result.currentIsPreferred)
  }
}
