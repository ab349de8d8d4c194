import AutoscalingReplay
import AutoscalingTuning
import HorizontalAutoscaling
import Testing

/// The robust constraint: a candidate must stay within the bound on every window of the
/// tuning part, not only on the whole of it.
@Suite("Robust constraint over windows of the tuning part")
struct RobustConstraintTests {
  private static func evaluation(
    _ ordinal: Int, cost: Double, windows: [Double]
  ) -> Evaluation {
    // Equal windows: the whole part's share is their mean.
    let whole = windows.reduce(0, +) / Double(windows.count)
    return Evaluation(
      ordinal: ordinal, levels: [ordinal],
      objectives: Objectives(
        replicaSeconds: cost, underProvisionedTimeShare: whole, unservedDemand: 0,
        scalingActions: 0, windowUnderProvisionedTimeShares: windows))
  }

  @Test("a candidate within the bound on the whole part but not on one window is rejected")
  func windowViolationRejected() throws {
    // The seed: 1 % under-provisioned on each of three equal windows, 1 % overall.
    // A is cheaper and also 1 % overall, but 3 % on the middle window; B costs more and
    // matches the seed on every window.
    let a = Self.evaluation(0, cost: 100, windows: [0, 0.03, 0])
    let b = Self.evaluation(1, cost: 120, windows: [0.01, 0.01, 0.01])
    #expect(a.objectives.underProvisionedTimeShare == 0.01)
    let plain = Selection(maxUnderProvisionedTimeShare: 0.01)
    #expect(plain.choose(from: [a, b])?.0.ordinal == 0)
    let robust = Selection(maxUnderProvisionedTimeShare: 0.01, windowBounds: [0.01, 0.01, 0.01])
    #expect(!robust.isMet(by: a.objectives))
    #expect(robust.isMet(by: b.objectives))
    let pick = try #require(robust.choose(from: [a, b]))
    #expect(pick.0.ordinal == 1)
    #expect(pick.met)
    // Scores with a different number of windows never meet a window bound.
    let two = Self.evaluation(2, cost: 50, windows: [0, 0])
    #expect(!robust.isMet(by: two.objectives))
    // Scores without windows (a halving prefix rung) are held to the whole-part bound only.
    let prefix = Objectives(
      replicaSeconds: 1, underProvisionedTimeShare: 0.01, unservedDemand: 0, scalingActions: 0)
    #expect(robust.isMet(by: prefix))
  }

  @Test("worst-case combination of two scenarios keeps each window's larger share")
  func windowsCombine() {
    let x = Objectives(
      replicaSeconds: 1, underProvisionedTimeShare: 0, unservedDemand: 0, scalingActions: 0,
      windowUnderProvisionedTimeShares: [0.1, 0, 0.2])
    let y = Objectives(
      replicaSeconds: 2, underProvisionedTimeShare: 0, unservedDemand: 0, scalingActions: 0,
      windowUnderProvisionedTimeShares: [0, 0.3, 0.1])
    #expect(ScenarioAggregation.worstCase.combine([x, y]).windowUnderProvisionedTimeShares == [0.1, 0.3, 0.2])
    let mean = ScenarioAggregation.mean.combine([x, y]).windowUnderProvisionedTimeShares ?? []
    #expect(mean.count == 3)
    for (value, expected) in zip(mean, [0.05, 0.15, 0.15]) {
      #expect(abs(value - expected) < 1e-12)
    }
  }

  @Test("the tuner picks the cheapest candidate no worse than the seed on every window (brute force)")
  func tunerAgainstBruteForce() async throws {
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
      budget: 18, robustness: WindowRobustness(windows: 3), holdOutFraction: 0.25)
    let result = try await tuner.tune()
    // Tuning part: the first 1,080 of 1,440 steps, as 3 windows of 360 steps, each replayed
    // on its own from the initial state.
    let step = TunerFixture.stepMilliseconds
    let windows = [(0, 360), (360, 720), (720, 1_080)].map {
      (Int64($0.0) * step, Int64($0.1) * step)
    }
    func shares(_ spec: HorizontalPodAutoscalerSpec) throws -> (cost: Double, shares: [Double]) {
      var cost = 0.0
      var shares: [Double] = []
      for (start, end) in windows {
        let card = try TunerFixture.replay(spec, start: start, end: end)
        cost += card.replicaSeconds
        shares.append(card.underProvisionedTimeShare)
      }
      return (cost, shares)
    }
    let seed = try shares(TunerFixture.spec())
    let seedWhole = seed.shares.reduce(0, +) / 3
    #expect(result.current.tuning.windowUnderProvisionedTimeShares == seed.shares)
    #expect(abs(result.current.tuning.underProvisionedTimeShare - seedWhole) < 1e-12)
    #expect(result.search.configuration.selection.windowBounds == seed.shares)

    var candidates: [(levels: [Int], cost: Double, shares: [Double])] = []
    for (w, window) in [0, 60, 300].enumerated() {
      for (d, down) in [10, 50, 100].enumerated() {
        for (u, up) in [50, 100].enumerated() {
          let spec = try TunerFixture.spec(
            scaleDownWindow: window, scaleDownPercent: down, scaleUpPercent: up)
          let candidate = try shares(spec)
          let evaluation = try #require(
            result.search.evaluations.first { $0.levels == [w, d, u] })
          #expect(evaluation.objectives.replicaSeconds == candidate.cost)
          #expect(evaluation.objectives.windowUnderProvisionedTimeShares == candidate.shares)
          candidates.append(([w, d, u], candidate.cost, candidate.shares))
        }
      }
    }
    func whole(_ shares: [Double]) -> Double { shares.reduce(0, +) / 3 }
    let robust = candidates.filter {
      whole($0.shares) <= seedWhole + 1e-12 && zip($0.shares, seed.shares).allSatisfy { $0 <= $1 }
    }
    let chosen = try #require(result.chosen)
    #expect(result.constraintMet)
    #expect(chosen.scores.tuning.replicaSeconds == robust.map(\.cost).min())
    for (share, bound) in zip(chosen.scores.tuning.windowUnderProvisionedTimeShares ?? [], seed.shares) {
      #expect(share <= bound)
    }

    // A given bound B, taken from a candidate X whose share is uneven over the windows: X
    // meets B on the whole part (its own share) but not on its worst window, so the robust
    // tuner must reject it.
    let uneven = candidates.filter { ($0.shares.max() ?? 0) > whole($0.shares) + 1e-9 }
    let x = try #require(uneven.min { $0.cost < $1.cost })
    let bound = whole(x.shares)
    let robustTuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
      budget: 18, maxUnderProvisionedTimeShare: bound, robustness: WindowRobustness(windows: 3),
      holdOutFraction: 0.25)
    let robustResult = try await robustTuner.tune()
    #expect(robustResult.search.configuration.selection.windowBounds == [bound, bound, bound])
    let xEvaluation = try #require(robustResult.search.evaluations.first { $0.levels == x.levels })
    #expect(
      !robustResult.search.configuration.selection.isMet(by: xEvaluation.objectives))
    let expected = candidates.filter {
      whole($0.shares) <= bound && $0.shares.allSatisfy { $0 <= bound }
    }.map(\.cost).min()
    if let expected {
      #expect(robustResult.constraintMet)
      #expect(robustResult.chosen?.scores.tuning.replicaSeconds == expected)
      #expect(robustResult.chosen?.evaluation.levels != x.levels)
    } else {
      // No candidate is within B on every window: the constraint is reported as not met.
      #expect(!robustResult.constraintMet)
    }
  }

  @Test("a margin lowers every window's bound, never below zero")
  func marginLowersBounds() async throws {
    let margin = 0.001
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
      budget: 18, robustness: WindowRobustness(windows: 3, margin: margin))
    let result = try await tuner.tune()
    let seed = try #require(result.current.tuning.windowUnderProvisionedTimeShares)
    #expect(result.search.configuration.selection.windowBounds == seed.map { max(0, $0 - margin) })
  }

  @Test("robustness settings out of range are refused")
  func badSettings() throws {
    let scenario = try TunerFixture.scenario()
    #expect(throws: TuningError.self) {
      try BehaviorTuner(
        scenarios: [scenario], strategy: .grid, budget: 5, robustness: WindowRobustness(windows: 1))
    }
    #expect(throws: TuningError.self) {
      try BehaviorTuner(
        scenarios: [scenario], strategy: .grid, budget: 5,
        robustness: WindowRobustness(windows: 3, margin: 2))
    }
  }
}
