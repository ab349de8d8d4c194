import AutoscalingCore
import AutoscalingReplay
import AutoscalingTuning
import Foundation
import HorizontalAutoscaling
import Testing

/// The stability bound (`maxScalingActions`): the cheapest candidate that also scales no more
/// often than the bound is chosen, the bound is named when it is broken, and a tuner given it
/// chooses what brute-force replays of hand-built HPAs say it should.
@Suite("Stability bound on scaling actions")
struct StabilityBoundTests {
  static func evaluation(
    _ ordinal: Int, cost: Double, share: Double, actions: Double
  ) -> Evaluation {
    Evaluation(
      ordinal: ordinal, levels: [ordinal],
      objectives: Objectives(
        replicaSeconds: cost, underProvisionedTimeShare: share, unservedDemand: 0,
        scalingActions: actions))
  }

  @Test("the cheapest candidate within both bounds is chosen; none within them falls back")
  func choosesWithinBothBounds() throws {
    let evaluations = [
      Self.evaluation(0, cost: 100, share: 0, actions: 50),
      Self.evaluation(1, cost: 120, share: 0, actions: 10),
      Self.evaluation(2, cost: 90, share: 0.02, actions: 5),
      Self.evaluation(3, cost: 130, share: 0, actions: 8),
    ]
    // Under-provisioning bound only: 0 (cost 100); 2 is cheaper but above 1 %.
    let slo = try #require(Selection(maxUnderProvisionedTimeShare: 0.01).choose(from: evaluations))
    #expect(slo.0.ordinal == 0 && slo.met)
    // Both bounds: 0 makes 50 actions > 20, so 1 (cost 120, 10 actions).
    let both = Selection(maxUnderProvisionedTimeShare: 0.01, maxScalingActions: 20)
    #expect(both.isConstrained)
    let pick = try #require(both.choose(from: evaluations))
    #expect(pick.0.ordinal == 1 && pick.met)
    // A bound of exactly 10 still admits 1 (≤), one of 9 leaves 3 (8 actions, cost 130).
    let exact = Selection(maxUnderProvisionedTimeShare: 0.01, maxScalingActions: 10)
    #expect(exact.choose(from: evaluations)?.0.ordinal == 1)
    let tighter = Selection(maxUnderProvisionedTimeShare: 0.01, maxScalingActions: 9)
    #expect(tighter.choose(from: evaluations)?.0.ordinal == 3)
    // The actions bound alone is a constraint too: the cheapest with ≤ 5 actions is 2.
    let alone = Selection(maxScalingActions: 5)
    #expect(alone.isConstrained)
    #expect(alone.choose(from: evaluations)?.0.ordinal == 2)
    // Nothing within both: the least under-provisioned, then cheapest (0), not met.
    let none = try #require(
      Selection(maxUnderProvisionedTimeShare: 0.01, maxScalingActions: 4).choose(
        from: evaluations))
    #expect(none.0.ordinal == 0 && !none.met)
  }

  @Test("violations name the actions bound after the time-share bounds")
  func violationsNameTheActionsBound() {
    let selection = Selection(
      maxUnderProvisionedTimeShare: 0.02, windowBounds: [0.01], maxScalingActions: 8)
    let objectives = Objectives(
      replicaSeconds: 1, underProvisionedTimeShare: 0.03, unservedDemand: 0, scalingActions: 12,
      windowUnderProvisionedTimeShares: [0.02])
    let violations = selection.violations(of: objectives)
    #expect(
      violations == [
        .wholePart(share: 0.03, bound: 0.02), .window(index: 0, share: 0.02, bound: 0.01),
        .scalingActions(count: 12, bound: 8),
      ])
    #expect(violations.last?.description == "scaling actions: 12 > 8")
    #expect(
      BoundViolation.scalingActions(count: 7.5, bound: 6).description
        == "scaling actions: 7.5 > 6")
    // With a different number of window shares the actions are still checked.
    var other = objectives
    other.windowUnderProvisionedTimeShares = [0, 0]
    #expect(selection.violations(of: other).last == .scalingActions(count: 12, bound: 8))
    var steady = objectives
    steady.scalingActions = 8
    #expect(
      !selection.violations(of: steady).contains { $0 == .scalingActions(count: 8, bound: 8) })
  }

  @Test("a selection written before the bound existed still decodes, without it")
  func decodesWithoutTheBound() throws {
    let old = try JSONDecoder().decode(
      Selection.self, from: Data(#"{"maxUnderProvisionedTimeShare":0.01}"#.utf8))
    #expect(old == Selection(maxUnderProvisionedTimeShare: 0.01))
    #expect(old.maxScalingActions == nil)
    let new = Selection(maxUnderProvisionedTimeShare: 0.01, maxScalingActions: 3)
    #expect(try JSONDecoder().decode(Selection.self, from: JSONEncoder().encode(new)) == new)
  }

  @Test("a grid with the bound chooses what brute-force replays say, and the bound binds")
  func gridAgainstBruteForce() async throws {
    // The tuning part: the first 75 % of the fixture's 1,440 steps.
    let split = Int64(1_080) * TunerFixture.stepMilliseconds
    let cards = try TunerFixture.gridCards(until: split)
    let share = 0.05
    func cheapest(maxActions: Int?) -> Scorecard? {
      cards.values.filter { card in
        card.underProvisionedTimeShare <= share
          && (maxActions.map { card.scalingActions <= $0 } ?? true)
      }.min { $0.replicaSeconds < $1.replicaSeconds }
    }
    let unbounded = try #require(cheapest(maxActions: nil))
    // A bound one below what the unbounded choice makes, so it must change the choice.
    let bound = unbounded.scalingActions - 1
    try #require(bound >= 0)
    let expected = try #require(cheapest(maxActions: bound))

    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
      budget: 18, maxUnderProvisionedTimeShare: share,
      maxScalingActions: .atMost(Double(bound)))
    let result = try await tuner.tune()
    #expect(result.maxScalingActions == Double(bound))
    #expect(result.constraintMet)
    let chosen = try #require(result.chosen)
    #expect(chosen.scores.tuning.replicaSeconds == expected.replicaSeconds)
    #expect(chosen.scores.tuning.replicaSeconds > unbounded.replicaSeconds)
    // Replayed again on its own, the chosen configuration keeps within both bounds.
    let again = try TunerFixture.replay(
      chosen.overrides.applied(to: TunerFixture.spec()), start: 0, end: split)
    #expect(again.scalingActions <= bound)
    #expect(again.underProvisionedTimeShare <= share)
    // Why nothing cheaper: every cheaper one-parameter step breaks a bound.
    let neighbourhood = result.search.neighbourhood(of: chosen.evaluation)
    #expect(neighbourhood.cheaper.allSatisfy { !$0.violations.isEmpty })
  }

  @Test("the bound is part of the search's identity: shards of another bound do not merge")
  func boundChangesTheFingerprint() async throws {
    func tuner(_ actions: Double) throws -> BehaviorTuner {
      try BehaviorTuner(
        scenarios: [TunerFixture.scenario()], space: TunerFixture.space(),
        strategy: .random(seed: 5), budget: 6, maxUnderProvisionedTimeShare: 0.05,
        maxScalingActions: .atMost(actions))
    }
    let a = try await tuner(4).tune(shard: Shard(index: 0, count: 2))
    let b = try await tuner(5).tune(shard: Shard(index: 1, count: 2))
    let c = try await tuner(4).tune(shard: Shard(index: 1, count: 2))
    #expect(throws: TuningError.self) { try TuningResult.merging([a, b]) }
    let merged = try TuningResult.merging([a, c])
    #expect(merged == (try await tuner(4).tune()))
  }

  @Test("a negative or non-finite bound is refused")
  func badBound() throws {
    let scenario = try TunerFixture.scenario()
    for bad in [-1.0, .infinity, .nan] {
      for bound in [ScalingActionsBound.atMost(bad), .timesCurrent(bad)] {
        #expect(throws: TuningError.self) {
          try BehaviorTuner(
            scenarios: [scenario], space: TunerFixture.space(), strategy: .grid, budget: 18,
            maxScalingActions: bound)
        }
      }
    }
  }

  @Test("a bound relative to the current HPA resolves to a multiple of its own actions")
  func relativeBound() async throws {
    let split = Int64(1_080) * TunerFixture.stepMilliseconds
    let cards = try TunerFixture.gridCards(until: split)
    let current = try TunerFixture.replay(TunerFixture.spec(), start: 0, end: split)
    let share = 0.05
    for factor in [0.5, 1, 2] {
      let bound = factor * Double(current.scalingActions)
      let expected = cards.values.filter {
        $0.underProvisionedTimeShare <= share && Double($0.scalingActions) <= bound
      }.min { $0.replicaSeconds < $1.replicaSeconds }
      let tuner = try BehaviorTuner(
        scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
        budget: 18, maxUnderProvisionedTimeShare: share,
        maxScalingActions: .timesCurrent(factor))
      #expect(tuner.scalingActionsBound == .timesCurrent(factor))
      #expect(
        tuner.scalingActionsBound?.description
          == (factor == 0.5
            ? "at most 0.5 × the current HPA's scaling actions"
            : "at most \(Int(factor)) × the current HPA's scaling actions"))
      let result = try await tuner.tune()
      #expect(result.maxScalingActions == bound, "factor \(factor)")
      #expect(result.current.tuning.scalingActions == Double(current.scalingActions))
      #expect(result.constraintMet == (expected != nil), "factor \(factor)")
      if let expected {
        #expect(result.chosen?.scores.tuning.replicaSeconds == expected.replicaSeconds)
      }
    }
  }
}
