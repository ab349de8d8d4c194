import AutoscalingCore
import AutoscalingReplay
import AutoscalingTuning
import NodeAutoscaling
import Testing

/// The consolidation sweep: settings per candidate, scorecards equal to direct replays, and a
/// front that dominates every other candidate.
@Suite("Consolidation tuner")
struct ConsolidationTunerTests {
  /// Four pods on an m5.large/m5.xlarge on-demand pool in one zone, leaving at different times
  /// (so consolidation has something to do).
  static func replay() throws -> NodeReplay {
    let pool = NodePool(
      name: "small",
      requirements: [
        try Requirement(key: WellKnownLabel.instanceType, operator: .in, values: ["m5.large", "m5.xlarge"]),
        try Requirement(key: WellKnownLabel.capacityType, operator: .in, values: ["on-demand"]),
        try Requirement(key: WellKnownLabel.zone, operator: .in, values: ["us-east-1a"]),
      ])
    let spans: [(Int64, Int64, Int64)] = [(0, 3_600, 1_000), (0, 1_200, 1_000), (300, 2_400, 1_500), (600, 7_200, 500)]
    let pods = spans.enumerated().map { index, span in
      NodeReplayPod.requesting(
        name: "p\(index)", arrivalMilliseconds: span.0 * 1_000, departureMilliseconds: span.1 * 1_000,
        requests: [.cpu: Quantity(milliValue: span.2)])
    }
    return try NodeReplay(nodePools: [pool], pods: pods)
  }

  static func space() throws -> ParameterSpace {
    try ParameterSpace(dimensions: [
      Dimension(name: ConsolidationTuner.policyDimension, domain: .categories(["WhenEmpty", "WhenEmptyOrUnderutilized"])),
      Dimension(name: ConsolidationTuner.consolidateAfterDimension, domain: .integers([0, 300, -1])),
      Dimension(name: ConsolidationTuner.budgetDimension, domain: .integers([10, 100])),
    ])
  }

  @Test func levelsMapToSettings() throws {
    let tuner = try ConsolidationTuner(replay: Self.replay(), space: Self.space())
    let settings = tuner.settings(for: [1, 2, 0])
    #expect(settings.policy == .whenEmptyOrUnderutilized)
    #expect(settings.consolidateAfterSeconds == nil)
    #expect(settings.budgetNodesPercent == 10)
    let pools = settings.applied(to: tuner.replay.nodePools)
    #expect(pools[0].disruption.consolidateAfterMilliseconds == nil)
    #expect(pools[0].disruption.budgets == [DisruptionBudget(nodes: "10%")])
    #expect(tuner.settings(for: [0, 1, 1]).consolidateAfterSeconds == 300)
  }

  @Test func sweepMatchesDirectReplaysAndTheFrontDominates() async throws {
    let base = try Self.replay()
    let tuner = try ConsolidationTuner(replay: base, space: Self.space(), parallelism: .serial)
    let candidates = try await tuner.tune()
    #expect(candidates.count == 2 * 3 * 2)
    for candidate in candidates {
      // An independent replay with the pools edited by hand.
      var replay = base
      for index in replay.nodePools.indices {
        replay.nodePools[index].disruption.consolidationPolicy = candidate.settings.policy
        replay.nodePools[index].disruption.consolidateAfterMilliseconds = candidate.settings.consolidateAfterSeconds.map {
          Int64($0) * 1_000
        }
        replay.nodePools[index].disruption.budgets = [DisruptionBudget(nodes: "\(candidate.settings.budgetNodesPercent)%")]
      }
      let card = try replay.run()
      #expect(card.costDollars == candidate.card.costDollars, "\(candidate.settings)")
      #expect(card.podsDisrupted == candidate.card.podsDisrupted, "\(candidate.settings)")
      #expect(card.pendingPodSeconds == candidate.card.pendingPodSeconds, "\(candidate.settings)")
      if candidate.onFront { #expect(card == candidate.card, "front members carry the full scorecard") }
    }
    let front = candidates.filter(\.onFront)
    #expect(!front.isEmpty)
    func dominates(_ a: NodeScorecard, _ b: NodeScorecard) -> Bool {
      a.costDollars <= b.costDollars && a.podsDisrupted <= b.podsDisrupted && a.pendingPodSeconds <= b.pendingPodSeconds
        && (a.costDollars < b.costDollars || a.podsDisrupted < b.podsDisrupted || a.pendingPodSeconds < b.pendingPodSeconds)
    }
    for candidate in candidates where !candidate.onFront {
      #expect(front.contains { dominates($0.card, candidate.card) }, "\(candidate.settings) is off the front but undominated")
    }
    for member in front {
      #expect(!candidates.contains { dominates($0.card, member.card) }, "\(member.settings) is on the front but dominated")
    }
    // Never consolidating keeps every node until the end: no cheaper than consolidating after 0 s.
    let never = try #require(candidates.first { $0.settings.consolidateAfterSeconds == nil })
    let eager = try #require(candidates.first { $0.settings.consolidateAfterSeconds == 0 && $0.settings.policy == never.settings.policy })
    #expect(eager.card.costDollars <= never.card.costDollars)
  }

  @Test func balancedThresholdsMatchDirectReplays() async throws {
    let base = try Self.replay()
    let space = try ParameterSpace(dimensions: [
      Dimension(name: ConsolidationTuner.policyDimension, domain: .categories(["Balanced"])),
      Dimension(name: ConsolidationTuner.balancedKDimension, domain: .reals([0.5, 2, 8])),
      Dimension(name: ConsolidationTuner.consolidateAfterDimension, domain: .integers([0])),
    ])
    let tuner = try ConsolidationTuner(replay: base, space: space, parallelism: .serial)
    #expect(tuner.settings(for: [0, 2, 0]).balancedK == 8)
    #expect(tuner.settings(for: [0, 2, 0]).description == "Balanced (k 8.0) after 0s, budget 10%")
    let candidates = try await tuner.tune()
    #expect(candidates.map(\.settings.balancedK) == [0.5, 2, 8])
    for candidate in candidates {
      // An independent replay: every pool Balanced, the options' k set by hand.
      var replay = base
      for index in replay.nodePools.indices {
        replay.nodePools[index].disruption.consolidationPolicy = .balanced
        replay.nodePools[index].disruption.consolidateAfterMilliseconds = 0
        replay.nodePools[index].disruption.budgets = [DisruptionBudget(nodes: "10%")]
      }
      replay.options.balancedK = candidate.settings.balancedK
      let card = try replay.run()
      #expect(card.costDollars == candidate.card.costDollars, "\(candidate.settings)")
      #expect(card.podsDisrupted == candidate.card.podsDisrupted, "\(candidate.settings)")
    }
    let zero = try ParameterSpace(dimensions: [
      Dimension(name: ConsolidationTuner.balancedKDimension, domain: .reals([0]))
    ])
    #expect(throws: TuningError.self) { _ = try ConsolidationTuner(replay: base, space: zero) }
  }

  @Test func mergedFrontsKeepOnlyUndominatedCandidates() {
    func candidate(_ cost: Double, _ disrupted: Int, _ pending: Double) -> ConsolidationCandidate {
      ConsolidationCandidate(
        settings: ConsolidationSettings(policy: .whenEmpty, consolidateAfterSeconds: 0, budgetNodesPercent: 10),
        card: NodeScorecard(costDollars: cost, podsDisrupted: disrupted, pendingPodSeconds: pending),
        onFront: true)
    }
    // (10, 5) and (12, 1) trade off; (12, 6) is dominated by (10, 5); (10, 5, 3) by (10, 5, 0).
    let merged = ConsolidationCandidate.markingFront([
      candidate(10, 5, 0), candidate(12, 1, 0), candidate(12, 6, 0), candidate(10, 5, 3),
    ])
    #expect(merged.map(\.onFront) == [true, true, false, false])
  }

  @Test func badSpacesAreNamed() throws {
    let unknown = try ParameterSpace(dimensions: [Dimension(name: "minReplicas", domain: .integers([1]))])
    #expect(throws: TuningError.unknownParameter(name: "minReplicas")) {
      _ = try ConsolidationTuner(replay: Self.replay(), space: unknown)
    }
    let budget = try ParameterSpace(dimensions: [Dimension(name: ConsolidationTuner.budgetDimension, domain: .integers([150]))])
    #expect(throws: TuningError.self) { _ = try ConsolidationTuner(replay: Self.replay(), space: budget) }
    let policy = try ParameterSpace(dimensions: [
      Dimension(name: ConsolidationTuner.policyDimension, domain: .categories(["WhenIdle"]))
    ])
    #expect(throws: TuningError.self) { _ = try ConsolidationTuner(replay: Self.replay(), space: policy) }
  }
}
