import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import AutoscalingTuning
import HorizontalAutoscaling

/// One demand column to replay: a bundled trace column or a real trace's request-rate / CPU
/// column, scaled so its 99th percentile is a few pods' worth of demand.
struct ScoreboardTrace {
  var name: String
  var demand: ReplaySeries
  /// The factor the raw values were multiplied by (1 for the bundled traces).
  var scale: Double
}

/// One configuration's ready capacity, bucketed for a chart.
struct ChartLine {
  var configuration: String
  var capacity: [Double]
  /// The chart point at which `capacity[0]` is drawn (the tuned line starts at the hold-out).
  var firstPoint: Double = 0
}

/// A trace's chart: demand and each configuration's ready capacity over the whole trace; the
/// tuned configuration only over the held-out part, which starts at `holdOutPoint`.
struct TraceChart {
  var trace: String
  var startMilliseconds: Int64
  var endMilliseconds: Int64
  var demand: [Double]
  var lines: [ChartLine]
  var holdOutPoint: Double
}

/// The HPA family of the scoreboard: upstream default behavior, the repository's manifest
/// behavior (Traces/manifests/web-api-hpa.yaml) and a behavior tuned on the first 75 % of each
/// trace; the first two are scored on the whole trace, all three on the held-out last 25 %.
struct HPAFamily {
  /// The demand one ready pod serves (requests/s), as `autoscale replay`'s default.
  static let capacityPerPod = 100.0
  /// Real traces are scaled so their 99th percentile equals this (requests/s): 20 pods of
  /// 100, two thirds of the manifest's `maxReplicas: 30`, so the behaviors' policies matter.
  static let realTraceP99 = 2_000.0
  /// Real traces are cut to their first 7 days, like the bundled ones.
  static let realTraceSpanMilliseconds: Int64 = 7 * 86_400_000
  /// The held-out share of each trace (its end), never seen by tuning.
  static let holdOutFraction = 0.25
  /// The replay step (and HPA sync period), milliseconds.
  static let stepMilliseconds: Int64 = 15_000

  var manifestSpec: HorizontalPodAutoscalerSpec
  var workload: WorkloadModel
  var tuningBudget: Int

  /// Loads the manifests of the repository and builds the workload model `autoscale replay`
  /// builds by default from them.
  init(repositoryRoot: String, tuningBudget: Int) throws {
    let hpaFile = try ManifestLoader.load(
      path: repositoryRoot + "/Traces/manifests/web-api-hpa.yaml")
    let workloadFile = try ManifestLoader.load(
      path: repositoryRoot + "/Traces/manifests/web-api-deployment.yaml")
    guard let hpa = hpaFile.horizontalPodAutoscalers.first,
      let deployment = workloadFile.workloads.first,
      let container = deployment.template.containers.first
    else { throw ScoreboardFailure("Traces/manifests: expected an HPA and a Deployment") }
    manifestSpec = try hpa.spec()
    let capacity = Self.capacityPerPod
    let cpuRequest = container.requests[.cpu]?.doubleValue ?? capacity * 0.01
    let memoryRequest = container.requests[.memory]?.doubleValue ?? 0
    workload = WorkloadModel(
      podTemplate: deployment.template, capacityPerPod: capacity,
      usage: [
        ResourceUsageModel(
          resource: .cpu, base: 0, perUnitOfDemand: cpuRequest / capacity,
          limit: container.limits[.cpu]?.doubleValue),
        ResourceUsageModel(
          resource: .memory, base: memoryRequest * 0.5,
          perUnitOfDemand: memoryRequest * 0.4 / capacity),
      ],
      imbalance: 0, noise: 0, initialReplicas: deployment.replicas)
    self.tuningBudget = tuningBudget
  }

  /// The configurations before tuning: name and spec.
  func fixedConfigurations() throws -> [(name: String, spec: HorizontalPodAutoscalerSpec)] {
    [
      ("upstream-default", try manifestSpec.replacingBehavior(ScalingBehavior.default)),
      ("manifest", manifestSpec),
    ]
  }

  func replay(
    _ spec: HorizontalPodAutoscalerSpec, _ trace: ScoreboardTrace, from: Int64?, to: Int64?
  ) throws -> Replay {
    try Replay(
      autoscaler: spec, workload: workload, demand: trace.demand, startMilliseconds: from,
      endMilliseconds: to, seed: 0)
  }

  /// Replays one configuration over `[from, to)`, keeping chart points.
  func chartedRun(
    _ spec: HorizontalPodAutoscalerSpec, _ trace: ScoreboardTrace, from: Int64?, to: Int64?,
    stepsPerPoint: Int
  ) throws -> (Scorecard, ChartBuckets) {
    let run = try replay(spec, trace, from: from, to: to)
    var buckets = ChartBuckets(steps: run.stepCount, stepsPerPoint: stepsPerPoint)
    let card = run.run { row in buckets.add(demand: row.demand, capacity: row.readyCapacity) }
    return (card, buckets)
  }

  /// Replays every configuration over one trace.
  ///
  /// - Returns: The rows, the chart of the whole trace, and lines for the log.
  func score(_ trace: ScoreboardTrace, chartPoints: Int) throws -> (
    rows: [QualityRow], chart: TraceChart, log: [String]
  ) {
    let probe = try replay(manifestSpec, trace, from: nil, to: nil)
    let start = probe.startMilliseconds
    let end = probe.endMilliseconds
    let steps = Int64(probe.stepCount)
    let tuningSteps = Int64((Double(steps) * (1 - Self.holdOutFraction)).rounded(.down))
    let split = start + tuningSteps * Self.stepMilliseconds
    guard tuningSteps > 0, split < end else {
      throw ScoreboardFailure("\(trace.name): too short to hold out its last 25 %")
    }
    var rows: [QualityRow] = []
    var log: [String] = []
    var configurations = try fixedConfigurations()
    var tunedDetails: [String: String] = [:]
    if tuningBudget > 0 {
      if let tuned = try tune(trace, until: split) {
        configurations.append(("tuned", tuned.spec))
        tunedDetails = tuned.details
        log.append("  tuned: " + tuned.summary)
      } else {
        log.append("  tuned: the search returned no candidate")
      }
    }
    var chartLines: [ChartLine] = []
    var chartDemand: [Double] = []
    let fullSteps = probe.stepCount
    let stepsPerPoint = max(1, (fullSteps + chartPoints - 1) / max(chartPoints, 1))
    let holdOutPoint = Double(tuningSteps) / Double(stepsPerPoint)
    for configuration in configurations {
      var details = ["demandScale": "\(trace.scale)"]
      if configuration.name == "tuned" { details.merge(tunedDetails) { kept, _ in kept } }
      if configuration.name != "tuned" {
        let (card, buckets) = try chartedRun(
          configuration.spec, trace, from: nil, to: nil, stepsPerPoint: stepsPerPoint)
        rows.append(
          QualityRow(
            family: "hpa", trace: trace.name, configuration: configuration.name, window: "full",
            figures: card.figures, details: details))
        if chartDemand.isEmpty { chartDemand = buckets.demand }
        chartLines.append(ChartLine(configuration: configuration.name, capacity: buckets.capacity))
      }
      let (card, buckets) = try chartedRun(
        configuration.spec, trace, from: split, to: end, stepsPerPoint: stepsPerPoint)
      rows.append(
        QualityRow(
          family: "hpa", trace: trace.name, configuration: configuration.name,
          window: "held-out", figures: card.figures, details: details))
      if configuration.name == "tuned" {
        chartLines.append(
          ChartLine(
            configuration: configuration.name, capacity: buckets.capacity,
            firstPoint: holdOutPoint))
      }
    }
    let chart = TraceChart(
      trace: trace.name, startMilliseconds: start, endMilliseconds: end, demand: chartDemand,
      lines: chartLines, holdOutPoint: holdOutPoint)
    return (rows, chart, log)
  }

  // MARK: Tuning

  /// The behavior space searched: both stabilization windows and one policy per direction.
  static let space: [(name: String, values: [Int])] = [
    ("scaleUp.stabilizationWindowSeconds", [0, 15, 30, 60, 120]),
    ("scaleUp.policy.percent", [50, 100, 200, 400, 900]),
    ("scaleDown.stabilizationWindowSeconds", [0, 60, 120, 300, 600, 900]),
    ("scaleDown.policy.percent", [5, 10, 25, 50, 100]),
    ("scaleDown.policy.periodSeconds", [15, 60, 120, 300]),
  ]

  /// The behavior a candidate stands for (one level index per dimension of ``space``).
  static func behavior(for levels: [Int]) -> ScalingBehavior {
    func value(_ dimension: Int) -> Int {
      let values = space[dimension].values
      return values[min(max(levels[dimension], 0), values.count - 1)]
    }
    return ScalingBehavior(
      scaleUp: ScalingRules(
        stabilizationWindow: .seconds(value(0)), selectPolicy: .max,
        policies: [.percent(value(1), per: .seconds(15))]),
      scaleDown: ScalingRules(
        stabilizationWindow: .seconds(value(2)), selectPolicy: .max,
        policies: [.percent(value(3), per: .seconds(value(4)))]))
  }

  /// Tunes the behavior on `[start, split)` with AutoscalingTuning's search engine (Latin
  /// hypercube, the configured budget). The pick is the cheapest candidate whose
  /// under-provisioned share on the tuning part is no worse than the manifest's.
  func tune(_ trace: ScoreboardTrace, until split: Int64) throws -> (
    spec: HorizontalPodAutoscalerSpec, details: [String: String], summary: String
  )? {
    let tuningReplay = try replay(manifestSpec, trace, from: nil, to: split)
    let baseline = tuningReplay.run()
    let space = try ParameterSpace(
      dimensions: Self.space.map { Dimension(name: $0.name, domain: .integers($0.values)) })
    let engine = SearchEngine(
      space: space, evaluator: ScoreboardBehaviorEvaluator(replay: tuningReplay, identity: trace.name),
      configuration: SearchConfiguration(
        strategy: .latinHypercube(seed: 1), budget: tuningBudget,
        selection: Selection(maxUnderProvisionedTimeShare: baseline.underProvisionedTimeShare)))
    guard let outcome = waitFor({ () async -> SearchResult? in try? await engine.run() }),
      let result = outcome, let chosen = result.chosen
    else { return nil }
    let spec = try manifestSpec.replacingBehavior(Self.behavior(for: chosen.levels))
    var details: [String: String] = [
      "tuningBudget": "\(tuningBudget)", "constraintMet": "\(result.constraintMet)",
    ]
    var parts: [String] = []
    for (name, value) in result.parameters(of: chosen) {
      details[name] = "\(value)"
      parts.append("\(name)=\(value)")
    }
    let summary =
      parts.joined(separator: " ") + " (\(result.evaluations.count) candidates"
      + (result.constraintMet ? ")" : "; none met the manifest's under-provisioning)")
    return (spec, details, summary)
  }
}

/// Scores one behavior candidate by replaying the tuning part of a trace.
struct ScoreboardBehaviorEvaluator: CandidateEvaluator {
  var replay: Replay
  var identity: String
  var scenarioIdentities: [String] { [identity] }
  var hasHoldOut: Bool { false }

  func objectives(for levels: [Int], scenario: Int, segment: Segment) throws(TuningError)
    -> Objectives
  {
    var candidate = replay
    do {
      try candidate.replaceBehavior(HPAFamily.behavior(for: levels))
    } catch {
      throw .evaluationFailed(candidate: scenario, reason: error.description)
    }
    let card = candidate.run()
    return Objectives(
      replicaSeconds: card.replicaSeconds,
      underProvisionedTimeShare: card.underProvisionedTimeShare,
      unservedDemand: card.unservedDemand, scalingActions: Double(card.scalingActions))
  }
}

/// Reduces a replay timeline to a fixed number of chart points (demand: bucket maximum;
/// capacity: bucket minimum, so a short shortfall stays visible).
struct ChartBuckets {
  var demand: [Double]
  var capacity: [Double]
  private let stepsPerPoint: Int
  private var index = 0

  init(steps: Int, stepsPerPoint: Int) {
    self.stepsPerPoint = max(1, stepsPerPoint)
    let count = (steps + stepsPerPoint - 1) / stepsPerPoint
    demand = Array(repeating: 0, count: count)
    capacity = Array(repeating: .infinity, count: count)
  }

  mutating func add(demand value: Double, capacity ready: Double) {
    let point = index / stepsPerPoint
    index += 1
    guard point < demand.count else { return }
    demand[point] = max(demand[point], value)
    capacity[point] = min(capacity[point], ready)
  }
}

/// A failure of the scoreboard, with a message for the person running it.
struct ScoreboardFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
