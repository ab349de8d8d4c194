import AutoscalingCore
import Foundation
import AutoscalingReplay
import AutoscalingTuning
import Testing
import VerticalAutoscaling
import _AutoscalingTestSupport

/// The vertical tuner: scores by hand, parameters mapped both ways, the seed's scores against
/// the replay's own scorecard, and the invariants (never worse than the seed on the tuning
/// part, deterministic for a seed, independent of parallelism).
@Suite("Vertical tuner")
struct VerticalTunerTests {
  static let step: Int64 = 300_000

  /// Two days at 5-minute steps: a daily wave of 0.2…0.6 core plus seeded noise up to 0.1.
  static func replay(days: Int = 2) throws -> VerticalReplay {
    var random = SplitMix64(seed: 42)
    let count = days * 288
    var times: [Int64] = []
    var cores: [Double] = []
    for index in 0..<count {
      times.append(1_700_000_000_000 + Int64(index) * step)
      let phase = Double(index % 288) / 288 * 2 * Double.pi
      let noise = Double(random.next() >> 11) / 9_007_199_254_740_992 * 0.1
      cores.append(0.4 + 0.2 * sin(phase) + noise)
    }
    return try VerticalReplay(
      vpa: VerticalPodAutoscaler(
        name: "app", updatePolicy: UpdatePolicy(updateMode: .recreate, minReplicas: 1)),
      containers: [
        VerticalContainerUsage(
          container: Container(name: "app", requests: [.cpu: Quantity(2)]),
          cpuCores: ReplaySeries(name: "cpu", timestampsMilliseconds: times, values: cores))
      ],
      timing: VerticalReplayTiming(
        stepMilliseconds: step, recommenderIntervalMilliseconds: step,
        updaterIntervalMilliseconds: step),
      workloadName: "app")
  }

  static func evaluator(
    _ parameters: [VerticalParameter] = [.targetCPUPercentile, .safetyMarginFraction],
    holdOut: Double = 0.25
  ) throws -> VerticalReplayEvaluator {
    try VerticalReplayEvaluator(
      space: try .vpaRecommenderDefault(parameters),
      scenarios: [
        try VerticalTuningScenario(name: "wave", replay: try replay(), holdOutFraction: holdOut)
      ])
  }

  /// Four steps of 60 s: CPU 100/200, 300/200 (under), memory 1000/2000 and 3000/2000
  /// (under), an OOM kill and an update.
  @Test func accumulatorByHand() {
    var total = VerticalScoreAccumulator()
    total.add(
      cpuUsage: 100, cpuRequest: 200, memoryUsage: nil, memoryRequest: 0, oomKills: 0,
      updates: 0, seconds: 60)
    total.add(
      cpuUsage: 300, cpuRequest: 200, memoryUsage: nil, memoryRequest: 0, oomKills: 0,
      updates: 1, seconds: 60)
    // CPU only: slack 100·60 / (400·60) = 25 %, under-request 1 of 2 steps.
    #expect(
      total.objectives
        == VerticalObjectives(
          slackPercent: 25, underRequestTimePercent: 50, oomKills: 0, updates: 1))
    total.add(
      cpuUsage: nil, cpuRequest: 0, memoryUsage: 1000, memoryRequest: 2000, oomKills: 0,
      updates: 0, seconds: 60)
    total.add(
      cpuUsage: nil, cpuRequest: 0, memoryUsage: 3000, memoryRequest: 2000, oomKills: 1,
      updates: 0, seconds: 60)
    // Memory slack 1000 / 4000 = 25 %... mean with CPU's 25 % = 25 %; under 2 of 4 steps.
    let both = total.objectives
    #expect(both.slackPercent == 25)
    #expect(both.underRequestTimePercent == 50)
    #expect(both.oomKills == 1)
    // Generic slots round-trip.
    #expect(VerticalObjectives(both.objectives) == both)
    #expect(both.objectives.underProvisionedTimeShare == 0.5)
    #expect(VerticalScoreAccumulator().objectives.slackPercent == 0)
    // CPU usage above the request: 100 of 400 used; means over the two CPU steps.
    #expect(total.insufficientCpuPercent == 25)
    #expect(total.meanCpuRequestMillicores == 200)
    #expect(total.meanCpuUsageMillicores == 200)
    #expect(total.memorySlackPercent == 25)
    #expect(total.meanMemoryRequestBytes == 2000)
  }

  @Test(arguments: VerticalParameter.allCases)
  func parameterRoundTrip(_ parameter: VerticalParameter) throws {
    let defaults = RecommenderConfiguration()
    #expect(parameter.defaultLevels.contains(parameter.value(in: defaults)))
    for level in parameter.defaultLevels {
      var configuration = defaults
      parameter.apply(level, to: &configuration)
      #expect(abs(parameter.value(in: configuration) - level) < 1e-9)
      try configuration.validate()
    }
  }

  @Test func bandFollowsTheTargetPercentile() {
    var configuration = RecommenderConfiguration()
    VerticalParameter.targetCPUPercentile.apply(0.99, to: &configuration)
    #expect(configuration.upperBoundCPUPercentile == 0.99)
    #expect(configuration.lowerBoundCPUPercentile == 0.5)
    VerticalParameter.targetCPUPercentile.apply(0.3, to: &configuration)
    #expect(configuration.lowerBoundCPUPercentile == 0.3)
    #expect(configuration.upperBoundCPUPercentile == 0.99)
    VerticalParameter.oomMinBumpUpMiB.apply(50, to: &configuration)
    #expect(configuration.aggregation.oomMinBumpUpBytes == 52_428_800)
    VerticalParameter.confidenceIntervalHours.apply(6, to: &configuration)
    #expect(configuration.memoryConfidenceInterval == .seconds(21_600))
  }

  /// The tuning part is ⌊576 × 0.75⌋ = 432 steps; the seed's scores agree with the replay's
  /// own scorecard on that part (CPU only: slack, time above the request, OOMs, evictions).
  @Test func seedScoresMatchTheScorecard() throws {
    let evaluator = try Self.evaluator()
    let scenario = evaluator.scenarios[0]
    #expect(scenario.whole.stepCount == 576)
    #expect(scenario.tuning.stepCount == 432)
    #expect(scenario.holdOutStartMilliseconds == 1_700_000_000_000 + 432 * Self.step)
    let score = try evaluator.score(RecommenderConfiguration(), scenario: 0, segment: .tuning)
    let card = scenario.tuning.run()
    #expect(abs(score.slackPercent - card.slackPercent) < 1e-9)
    #expect(abs(score.underRequestTimePercent - card.insufficientCpuTimePercent) < 1e-9)
    #expect(score.oomKills == Double(card.oomKills))
    #expect(score.updates == Double(card.evictions + card.inPlaceResizes))
    #expect(card.evictions >= 1)
    var total = VerticalScoreAccumulator(replay: scenario.tuning)
    _ = scenario.tuning.run { total.add($0, seconds: 300) }
    #expect(abs(total.insufficientCpuPercent - card.insufficientCpuPercent) < 1e-9)
    #expect(abs(total.meanCpuRequestMillicores - card.meanRequestCpuMillicores) < 1e-6)
    #expect(abs(total.meanCpuUsageMillicores - card.meanUsageCpuMillicores) < 1e-6)
    // Without a hold-out, the held-out score is the tuning score.
    let whole = try Self.evaluator(holdOut: 0)
    #expect(!whole.hasHoldOut)
    #expect(
      try whole.score(.init(), scenario: 0, segment: .holdOut)
        == whole.score(.init(), scenario: 0, segment: .tuning))
  }

  /// Grid over 8 percentiles × 6 margins: the chosen flags have no more slack, under-request
  /// time or OOM kills than the seed on the tuning part, and the least slack among every
  /// evaluated candidate within those bounds.
  @Test func tunedNeverWorseThanTheSeed() async throws {
    let evaluator = try Self.evaluator()
    let tuner = VerticalTuner(
      evaluator: evaluator, configuration: SearchConfiguration(strategy: .grid, budget: 48))
    let result = try await tuner.run()
    let (seed, chosen) = (result.seed.tuning, result.chosen.tuning)
    #expect(result.evaluated == 48)
    #expect(result.boundsMet)
    #expect(chosen.slackPercent <= seed.slackPercent)
    #expect(chosen.underRequestTimePercent <= seed.underRequestTimePercent + 1e-9)
    #expect(chosen.oomKills <= seed.oomKills)
    #expect(result.bounds.maxUnderRequestTimePercent == seed.underRequestTimePercent)
    let qualifying = result.search.evaluations.map { VerticalObjectives($0.objectives) }.filter {
      $0.underRequestTimePercent <= seed.underRequestTimePercent + 1e-9
        && $0.oomKills <= seed.oomKills
    }
    let least = qualifying.map(\.slackPercent).min() ?? seed.slackPercent
    #expect(chosen.slackPercent == min(least, seed.slackPercent))
    // The seed's flags (0.9, 0.15) are a grid point: the same scores as the seed.
    let seedPoint = try #require(
      result.search.evaluations.first {
        evaluator.space.values($0.levels) == [.real(0.9), .real(0.15)]
      })
    #expect(VerticalObjectives(seedPoint.objectives) == seed)
    // Both parts scored for the seed and the chosen flags.
    #expect(result.seed.holdOut != nil)
    #expect(result.chosen.holdOut != nil)
    // Loose bounds never choose more slack than the default bounds.
    let loose = VerticalTuner(
      evaluator: evaluator, configuration: SearchConfiguration(strategy: .grid, budget: 48),
      bounds: VerticalBounds(maxUnderRequestTimePercent: 100, maxOOMKills: 1_000))
    let looseResult = try await loose.run()
    #expect(looseResult.chosen.tuning.slackPercent <= chosen.slackPercent)
  }

  @Test func sameSeedSameResult() async throws {
    let evaluator = try Self.evaluator([.targetCPUPercentile, .safetyMarginFraction, .cpuHalfLifeHours])
    let configuration = SearchConfiguration(strategy: .random(seed: 7), budget: 6)
    let first = try await VerticalTuner(evaluator: evaluator, configuration: configuration).run()
    let second = try await VerticalTuner(
      evaluator: evaluator, configuration: configuration, parallelism: .serial
    ).run()
    #expect(first == second)
    #expect(first.search.fingerprint == second.search.fingerprint)
  }

  /// Bounds nothing can meet: reported, and the safest candidate is shown.
  @Test func unmetBounds() async throws {
    let evaluator = try Self.evaluator()
    let tuner = VerticalTuner(
      evaluator: evaluator, configuration: SearchConfiguration(strategy: .grid, budget: 48),
      bounds: VerticalBounds(maxUnderRequestTimePercent: -1, maxOOMKills: 0))
    let result = try await tuner.run()
    #expect(!result.boundsMet)
    let least = result.search.evaluations.map {
      VerticalObjectives($0.objectives).underRequestTimePercent
    }.min() ?? 0
    #expect(result.chosen.tuning.underRequestTimePercent <= least)
  }

  @Test func badInputs() throws {
    let space = try ParameterSpace(dimensions: [
      Dimension(name: "scaleDown.stabilizationWindowSeconds", domain: .integers([0, 60]))
    ])
    let scenario = try VerticalTuningScenario(
      name: "wave", replay: try Self.replay(), holdOutFraction: 0)
    #expect(throws: TuningError.unknownParameter(name: "scaleDown.stabilizationWindowSeconds")) {
      _ = try VerticalReplayEvaluator(space: space, scenarios: [scenario])
    }
    #expect(throws: TuningError.self) {
      _ = try VerticalReplayEvaluator(space: try .vpaRecommenderDefault(), scenarios: [])
    }
    #expect(throws: TuningError.self) {
      _ = try VerticalTuningScenario(name: "wave", replay: try Self.replay(), holdOutFraction: 1)
    }
    var broken = RecommenderConfiguration()
    broken.targetCPUPercentile = 2
    #expect(throws: TuningError.self) {
      _ = try VerticalReplayEvaluator(
        space: try .vpaRecommenderDefault(), base: broken, scenarios: [scenario])
    }
  }
}
