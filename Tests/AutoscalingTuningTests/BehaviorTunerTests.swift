import AutoscalingCore
import AutoscalingReplay
import AutoscalingTuning
import Foundation
import HorizontalAutoscaling
import Testing

/// A one-metric HPA (cpu 70 %) over a workload whose cpu follows demand, and a six-hour
/// demand with two bursts: small enough to replay hundreds of times in a debug test.
enum TunerFixture {
  static let stepMilliseconds: Int64 = 15_000
  static let steps = 6 * 240

  static func spec(
    scaleDownWindow: Int = 300, scaleDownPercent: Int = 10, scaleUpPercent: Int = 100
  ) throws -> HorizontalPodAutoscalerSpec {
    try HorizontalPodAutoscalerSpec(
      metrics: [.resource(.cpu, target: .utilization(70))], minReplicas: 2, maxReplicas: 20,
      behavior: ScalingBehavior(
        scaleUp: ScalingRules(
          stabilizationWindow: .seconds(0), policies: [.percent(scaleUpPercent, per: .seconds(15))]),
        scaleDown: ScalingRules(
          stabilizationWindow: .seconds(scaleDownWindow),
          policies: [.percent(scaleDownPercent, per: .seconds(60))])))
  }

  static func workload() -> WorkloadModel {
    let container = Container(
      name: "app", requests: [.cpu: Quantity(1)], limits: [.cpu: Quantity(2)])
    return WorkloadModel(
      podTemplate: PodTemplate(labels: ["app": "web"], containers: [container]),
      capacityPerPod: 100,
      usage: [ResourceUsageModel(resource: .cpu, base: 0.05, perUnitOfDemand: 0.009, limit: 2)],
      imbalance: 0, noise: 0, initialReplicas: 3)
  }

  static func demand() -> ReplaySeries {
    var times: [Int64] = []
    var values: [Double] = []
    for index in 0..<steps {
      let hour = Double(index) / 240
      let burst = (hour >= 1 && hour < 1.5) || (hour >= 4 && hour < 4.25)
      let wave = 300 + 150 * sin(hour * 1.3)
      times.append(Int64(index) * stepMilliseconds)
      values.append(burst ? wave + 600 : wave)
    }
    return ReplaySeries(name: "rps", timestampsMilliseconds: times, values: values)
  }

  static func scenario(name: String = "bursts") throws -> TuningScenario {
    try TuningScenario(name: name, autoscaler: spec(), workload: workload(), demand: demand())
  }

  /// A small space: scale-down window and percent, scale-up percent.
  static func space() throws -> ParameterSpace {
    try SpaceDescription(
      base: .empty,
      dimensions: [
        DimensionDescription(name: "scaleDown.stabilizationWindowSeconds", values: [0, 60, 300]),
        DimensionDescription(name: "scaleDown.policy.value", values: [10, 50, 100]),
        DimensionDescription(name: "scaleUp.policy.value", values: [50, 100]),
      ]
    ).resolve(over: ParameterSpace(dimensions: []))
  }

  /// Every candidate of ``space()`` built by hand and replayed over `[0, end)`, keyed by its
  /// level indices (scale-down window, scale-down percent, scale-up percent).
  static func gridCards(until end: Int64) throws -> [[Int]: Scorecard] {
    var cards: [[Int]: Scorecard] = [:]
    for (w, window) in [0, 60, 300].enumerated() {
      for (d, down) in [10, 50, 100].enumerated() {
        for (u, up) in [50, 100].enumerated() {
          let spec = try Self.spec(
            scaleDownWindow: window, scaleDownPercent: down, scaleUpPercent: up)
          cards[[w, d, u]] = try replay(spec, start: 0, end: end)
        }
      }
    }
    return cards
  }

  /// A replay of a hand-built spec over `[start, end)`, independent of the tuner's mapping.
  static func replay(_ spec: HorizontalPodAutoscalerSpec, start: Int64?, end: Int64?) throws
    -> Scorecard
  {
    try Replay(
      autoscaler: spec, workload: workload(), demand: demand(), startMilliseconds: start,
      endMilliseconds: end
    ).run()
  }
}

@Suite("Behavior tuner on replays")
struct BehaviorTunerTests {
  @Test("a grid on a tiny space equals brute-force replays of hand-built HPAs")
  func gridAgainstBruteForce() async throws {
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
      budget: 18, maxUnderProvisionedTimeShare: 0.05, holdOutFraction: 0.25)
    let result = try await tuner.tune()
    #expect(result.search.evaluations.count == 18)
    // The tuning window: the first 75 % of 1,440 steps = 1,080 steps.
    let split = Int64(1_080) * TunerFixture.stepMilliseconds
    let expected = try TunerFixture.gridCards(until: split).mapValues { card in
      Objectives(
        replicaSeconds: card.replicaSeconds,
        underProvisionedTimeShare: card.underProvisionedTimeShare,
        unservedDemand: card.unservedDemand, scalingActions: Double(card.scalingActions))
    }
    for evaluation in result.search.evaluations {
      #expect(evaluation.objectives == expected[evaluation.levels])
    }
    let feasible = expected.filter { $0.value.underProvisionedTimeShare <= 0.05 }
    let cheapest = feasible.values.map(\.replicaSeconds).min()
    #expect(result.chosen?.evaluation.objectives.replicaSeconds == cheapest)
  }

  @Test("the chosen configuration meets the bound when replayed again, on its own")
  func chosenMeetsConstraint() async throws {
    let bound = 0.02
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(),
      strategy: .latinHypercube(seed: 4), budget: 12, maxUnderProvisionedTimeShare: bound)
    let result = try await tuner.tune()
    let chosen = try #require(result.chosen)
    #expect(result.constraintMet)
    let spec = try chosen.overrides.applied(to: TunerFixture.spec())
    let split = Int64(1_080) * TunerFixture.stepMilliseconds
    let again = try TunerFixture.replay(spec, start: 0, end: split)
    #expect(again.underProvisionedTimeShare <= bound)
    #expect(again.replicaSeconds == chosen.scores.tuning.replicaSeconds)
    // The hold-out scores are the last quarter replayed on its own.
    let holdOut = try TunerFixture.replay(spec, start: split, end: nil)
    #expect(chosen.scores.holdOut?.replicaSeconds == holdOut.replicaSeconds)
    #expect(chosen.scores.holdOut?.underProvisionedTimeShare == holdOut.underProvisionedTimeShare)
    // The current HPA is scored on the same windows.
    let current = try TunerFixture.replay(TunerFixture.spec(), start: 0, end: split)
    #expect(result.current.tuning.replicaSeconds == current.replicaSeconds)
  }

  @Test("without a bound the current HPA's under-provisioning is the bound")
  func defaultBound() async throws {
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
      budget: 18)
    let result = try await tuner.tune()
    #expect(result.maxUnderProvisionedTimeShare == result.current.tuning.underProvisionedTimeShare)
    let chosen = try #require(result.chosen)
    if result.constraintMet {
      #expect(
        chosen.scores.tuning.underProvisionedTimeShare
          <= result.current.tuning.underProvisionedTimeShare)
    }
  }

  @Test("sharded and merged equals unsharded; one task equals many")
  func shardsAndParallelism() async throws {
    func tuner(_ parallelism: Parallelism) throws -> BehaviorTuner {
      try BehaviorTuner(
        scenarios: [
          TunerFixture.scenario(name: "a"), TunerFixture.scenario(name: "b").windows(2)[1],
        ],
        space: TunerFixture.space(), strategy: .random(seed: 11), budget: 10,
        maxUnderProvisionedTimeShare: 0.03, aggregation: .mean, parallelism: parallelism)
    }
    let whole = try await tuner(.serial).tune()
    let parallel = try await tuner(Parallelism(chunkSize: 1, maximumConcurrentTasks: 8)).tune()
    #expect(whole == parallel)
    var shards: [TuningResult] = []
    for index in 0..<3 {
      let part = try await tuner(Parallelism()).tune(shard: Shard(index: index, count: 3))
      shards.append(try JSONDecoder().decode(TuningResult.self, from: JSONEncoder().encode(part)))
    }
    #expect(try TuningResult.merging(shards) == whole)
    // A shard of another search (other seed) is refused.
    let other = try BehaviorTuner(
      scenarios: [TunerFixture.scenario(name: "a")], space: TunerFixture.space(),
      strategy: .random(seed: 12), budget: 10)
    let foreign = try await other.tune(shard: Shard(index: 0, count: 3))
    #expect(throws: TuningError.self) { try TuningResult.merging([foreign, shards[1], shards[2]]) }
  }

  @Test("bad tuner input gives typed errors")
  func badInput() async throws {
    let scenario = try TunerFixture.scenario()
    #expect(throws: TuningError.invalidBudget(0)) {
      try BehaviorTuner(scenarios: [scenario], strategy: .grid, budget: 0)
    }
    #expect(throws: TuningError.self) {
      try BehaviorTuner(scenarios: [], strategy: .grid, budget: 5)
    }
    #expect(throws: TuningError.self) {
      try BehaviorTuner(scenarios: [scenario], strategy: .grid, budget: 5, holdOutFraction: 1)
    }
    let tooHigh = try SpaceDescription(
      base: .empty, dimensions: [DimensionDescription(name: "minReplicas", values: [2, 30])]
    ).resolve(over: ParameterSpace(dimensions: []))
    #expect(throws: TuningError.self) {
      try BehaviorTuner(scenarios: [scenario], space: tooHigh, strategy: .grid, budget: 5)
    }
    let tuner = try BehaviorTuner(scenarios: [scenario], strategy: .grid, budget: 5)
    await #expect(throws: TuningError.self) { try await tuner.tune() }  // default space ≫ 5
  }
}

@Suite("Overrides on an HPA spec")
struct OverridesOnSpecTests {
  @Test("metric targets scale by the percentage, replica bounds and behavior are set")
  func appliedToSpec() throws {
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [
        .resource(.cpu, target: .utilization(70)),
        .pods("requests_per_second", target: .averageValue(Quantity(100))),
      ],
      minReplicas: 2, maxReplicas: 20)
    var overrides = HPAOverrides()
    overrides.metricTargetPercent = 120
    overrides.minReplicas = 1
    overrides.scaleDown.stabilizationWindowSeconds = 60
    let tuned = try overrides.applied(to: spec)
    #expect(tuned.metrics[0].resource?.target.averageUtilization == 84)
    #expect(tuned.metrics[1].pods?.target.averageValue == Quantity(120))
    #expect(tuned.minReplicas == 1)
    #expect(tuned.maxReplicas == 20)
    // The legacy HPA gets a behavior with just the window; the API defaults fill the rest.
    #expect(tuned.behavior?.scaleDown?.stabilizationWindow == .seconds(60))
    #expect(tuned.behavior?.scaleUp == ScalingRules.defaultScaleUp)

    overrides.metricTargetPercent = 1
    let tiny = try overrides.applied(to: spec)
    #expect(tiny.metrics[0].resource?.target.averageUtilization == 1)
    #expect(tiny.metrics[1].pods?.target.averageValue == Quantity(1))

    overrides.minReplicas = 30
    #expect(throws: TuningError.self) { try overrides.applied(to: spec) }
  }

  @Test(
    "per-metric targets: CPU and memory utilization set, Pods targets scaled, after the overall percentage"
  )
  func perMetricTargets() throws {
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [
        .resource(.cpu, target: .utilization(70)),
        .resource(.memory, target: .utilization(80)),
        .pods("requests_per_second", target: .averageValue(Quantity(100))),
      ],
      minReplicas: 2, maxReplicas: 20)
    let space = try ParameterSpace(dimensions: [
      Dimension(HPAParameter.cpuUtilization, .integers([50, 90])),
      Dimension(HPAParameter.memoryUtilization, .integers([85])),
      Dimension(HPAParameter.podsTargetPercent, .integers([150])),
      Dimension(HPAParameter.metricTargetPercent, .integers([120])),
    ])
    let overrides = try HPAOverrideMapper(space: space).overrides(for: [1, 0, 0, 0])
    #expect(overrides.cpuUtilization == 90)
    #expect(overrides.memoryUtilization == 85)
    #expect(overrides.podsTargetPercent == 150)
    let tuned = try overrides.applied(to: spec)
    #expect(tuned.metrics[0].resource?.target.averageUtilization == 90)  // set, not 70 × 1.2
    #expect(tuned.metrics[1].resource?.target.averageUtilization == 85)
    #expect(tuned.metrics[2].pods?.target.averageValue == Quantity(180))  // 100 × 1.2 × 1.5
    #expect(tuned.minReplicas == 2)

    // A parameter the HPA has no metric for is refused up front, naming it.
    let cpuOnly = try TunerFixture.scenario()
    let podsSpace = try ParameterSpace(dimensions: [
      Dimension(HPAParameter.podsTargetPercent, .integers([80, 120]))
    ])
    #expect(throws: TuningError.self) {
      try BehaviorTuner(scenarios: [cpuOnly], space: podsSpace, strategy: .grid, budget: 5)
    }
    let badLevel = try ParameterSpace(dimensions: [
      Dimension(HPAParameter.cpuUtilization, .integers([0]))
    ])
    #expect(throws: TuningError.self) { try HPAOverrideMapper(space: badLevel) }
  }

  @Test("a behavior converts to manifest settings and back")
  func behaviorRoundTrip() throws {
    let behavior = try TunerFixture.spec().behavior
    let settings = try #require(behavior.map(BehaviorSettings.init))
    #expect(settings.scalingBehavior.defaulted() == behavior)
    #expect(settings.scaleDown?.stabilizationWindowSeconds == 300)
    #expect(
      settings.scaleDown?.policies == [
        ScalingPolicySettings(type: "Percent", value: 10, periodSeconds: 60)
      ])
  }
}

@Suite("Result tables")
struct ResultTableTests {
  @Test("the comparison and front tables show the scores and the saving")
  func tables() async throws {
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
      budget: 18)
    let result = try await tuner.tune()
    let chosen = try #require(result.chosen)
    let comparison = result.comparisonTable()
    let lines = comparison.split(separator: "\n")
    // Header, current, chosen, saving, hold-out check.
    #expect(lines.count == 5)
    #expect(lines[4].hasPrefix("hold-out check: "))
    #expect(lines[1].hasPrefix("current"))
    #expect(lines[2].hasPrefix(" chosen"))
    // Replica-hours with one decimal, computed here.
    let hours = (chosen.scores.tuning.replicaSeconds / 360).rounded() / 10
    #expect(lines[2].contains(String(format: "%.1f", hours)))
    let saving =
      (1 - chosen.scores.tuning.replicaSeconds / result.current.tuning.replicaSeconds) * 100
    #expect(lines[3].contains(String(format: "%.1f %%", saving)))
    let front = result.frontTable().split(separator: "\n")
    // One row per distinct pair of scores (tuning, held-out) on the front, counted here.
    var distinct: [Objectives] = []
    var holdOuts: [Objectives?] = []
    for member in result.search.front
    where !zip(distinct, holdOuts).contains(where: {
      $0.0 == member.objectives && $0.1 == member.holdOut
    }) {
      distinct.append(member.objectives)
      holdOuts.append(member.holdOut)
    }
    #expect(front.count == distinct.count + 1)
    #expect(front.filter { $0.hasPrefix("*") }.count == 1)
    #expect(front[0].contains("scaleDown.policy.value"))
    #expect(front[0].contains("same scores"))
    let groups = result.frontScoreGroups
    #expect(groups.map(\.count).reduce(0, +) == result.search.front.count)
    #expect(
      groups.allSatisfy { group in group.allSatisfy { $0.objectives == group[0].objectives } })
    #expect(groups.contains { $0[0].ordinal == chosen.evaluation.ordinal })
    #expect(!lines[0].contains("window under-prov %"))
  }

  @Test("with robustness windows the comparison shows each window's share and the bounds")
  func windowColumn() async throws {
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(), strategy: .grid,
      budget: 18, robustness: WindowRobustness(windows: 3))
    let result = try await tuner.tune()
    let chosen = try #require(result.chosen)
    let lines = result.comparisonTable().split(separator: "\n").map(String.init)
    // Header, current, chosen, bound, saving, hold-out check.
    #expect(lines.count == 6)
    #expect(lines[0].hasSuffix("window under-prov %"))
    func percentages(_ shares: [Double]) -> String {
      shares.map { String(format: "%.3f", $0 * 100) }.joined(separator: "/")
    }
    let currentShares = try #require(result.current.tuning.windowUnderProvisionedTimeShares)
    let chosenShares = try #require(chosen.scores.tuning.windowUnderProvisionedTimeShares)
    let bounds = try #require(result.search.configuration.selection.windowBounds)
    #expect(currentShares.count == 3 && chosenShares.count == 3 && bounds.count == 3)
    // Without a bound the windows' reference is the current HPA's own share on each.
    #expect(bounds == currentShares)
    #expect(lines[1].hasPrefix("current") && lines[1].hasSuffix(" " + percentages(currentShares)))
    #expect(lines[2].hasPrefix(" chosen") && lines[2].hasSuffix(" " + percentages(chosenShares)))
    #expect(lines[3].hasPrefix("  bound") && lines[3].hasSuffix(" " + percentages(bounds)))
    #expect(lines[4].hasPrefix("replica-hours saved"))
  }
}

@Suite("Behavior tuner with successive halving")
struct BehaviorTunerHalvingTests {
  @Test("the last rung's candidates carry whole-tuning-part replay scores")
  func halvingOnReplays() async throws {
    let tuner = try BehaviorTuner(
      scenarios: [TunerFixture.scenario()], space: TunerFixture.space(),
      strategy: .successiveHalving(seed: 2), budget: 18, maxUnderProvisionedTimeShare: 0.05)
    let result = try await tuner.tune()
    // 18 → 6 → 2.
    #expect(result.search.evaluations.count == 2)
    let split = Int64(1_080) * TunerFixture.stepMilliseconds
    for evaluation in result.search.evaluations {
      let overrides = try HPAOverrideMapper(space: result.search.space).overrides(
        for: evaluation.levels)
      let card = try TunerFixture.replay(
        overrides.applied(to: TunerFixture.spec()), start: 0, end: split)
      #expect(evaluation.objectives.replicaSeconds == card.replicaSeconds)
      #expect(evaluation.objectives.underProvisionedTimeShare == card.underProvisionedTimeShare)
    }
  }
}
