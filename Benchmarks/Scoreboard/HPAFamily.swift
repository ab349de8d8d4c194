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
/// (the seed: ../shared/manifests/ml-model-hpa.yaml, see `init`) and a
/// configuration tuned on the first 75 % of each trace from the manifest as the seed (behavior,
/// metric targets and minReplicas, constraint mode: cheapest at no more under-provisioned time
/// than the manifest); the first two are scored on the whole trace, all three on the held-out
/// last 25 %.
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

  /// The seed (#5): `../shared/manifests/ml-model-hpa.yaml`, relative to the shared
  /// folder.
  static let seedManifest = "manifests/ml-model-hpa.yaml"

  /// Where the seed came from, for the log and the README.
  var seedSource: String

  /// Loads the manifests and builds the workload model `autoscale replay` builds by default
  /// from them.
  ///
  /// The seed is the HPA of `../shared/manifests/ml-model-hpa.yaml` exactly — its metrics
  /// (cpu 70 %, memory 80 %, 100 requests/s per pod), `minReplicas` and `behavior` (one
  /// scale-up policy, 100 % per 15 s) — except `maxReplicas`, which is the repository's
  /// `web-api-hpa.yaml` budget of 30 (the traces are scaled to 20 pods at the 99th percentile,
  /// which cpu 70 % turns into ≈ 29 pods; the ml-model manifest's 20 would cap the seed below
  /// the demand). Without the shared folder the repository's `web-api-hpa.yaml` is the seed.
  init(repositoryRoot: String, sharedFolder: String, tuningBudget: Int) throws {
    let hpaFile = try ManifestLoader.load(
      path: repositoryRoot + "/Traces/manifests/web-api-hpa.yaml")
    let workloadFile = try ManifestLoader.load(
      path: repositoryRoot + "/Traces/manifests/web-api-deployment.yaml")
    guard let hpa = hpaFile.horizontalPodAutoscalers.first,
      let deployment = workloadFile.workloads.first,
      let container = deployment.template.containers.first
    else { throw ScoreboardFailure("Traces/manifests: expected an HPA and a Deployment") }
    let repositorySpec = try hpa.spec()
    let seedPath = sharedFolder + "/" + Self.seedManifest
    if let seedFile = try? ManifestLoader.load(path: seedPath),
      let seed = seedFile.horizontalPodAutoscalers.first
    {
      let spec = try seed.spec()
      manifestSpec = try HorizontalPodAutoscalerSpec(
        metrics: spec.metrics, minReplicas: spec.minReplicas,
        maxReplicas: repositorySpec.maxReplicas, behavior: spec.behavior)
      seedSource = "../shared/" + Self.seedManifest + " (maxReplicas \(repositorySpec.maxReplicas))"
    } else {
      manifestSpec = repositorySpec
      seedSource = "Traces/manifests/web-api-hpa.yaml (\(seedPath) not found)"
    }
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

  /// The robust constraint of the tuning: the tuning part (75 %) is cut into 3 windows, each
  /// as long as the held-out part (25 %), and a candidate must have no more under-provisioned
  /// time than the seed on every one of them (worst case), not only on the whole part. Three
  /// windows of the held-out's length test a candidate the way the held-out part will, three
  /// times; the margin is 0 because the target is "no more than the seed" and nothing but
  /// the held-out part (which must not influence the choice) could calibrate a stricter one.
  static let robustness = WindowRobustness(windows: 3, margin: 0)

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

  /// Where a trace's tuning part (its first 75 %, whole steps) ends and its held-out part
  /// begins.
  ///
  /// - Returns: The first step, the split and the end (exclusive), milliseconds since the
  ///   trace's epoch, and the whole trace's step count.
  func parts(
    _ trace: ScoreboardTrace
  ) throws -> (start: Int64, split: Int64, end: Int64, steps: Int) {
    let probe = try replay(manifestSpec, trace, from: nil, to: nil)
    let steps = probe.stepCount
    let tuningSteps = Int64((Double(steps) * (1 - Self.holdOutFraction)).rounded(.down))
    return (
      probe.startMilliseconds, probe.startMilliseconds + tuningSteps * Self.stepMilliseconds,
      probe.endMilliseconds, steps
    )
  }

  /// Replays every configuration over one trace.
  ///
  /// - Returns: The rows, the chart of the whole trace, and lines for the log.
  func score(_ trace: ScoreboardTrace, chartPoints: Int) throws -> (
    rows: [QualityRow], chart: TraceChart, log: [String]
  ) {
    let (start, split, end, fullSteps) = try parts(trace)
    let tuningSteps = (split - start) / Self.stepMilliseconds
    guard tuningSteps > 0, split < end else {
      throw ScoreboardFailure("\(trace.name): too short to hold out its last 25 %")
    }
    var rows: [QualityRow] = []
    var log: [String] = []
    var configurations = try fixedConfigurations()
    var tunedDetails: [String: String] = [:]
    if tuningBudget > 0 {
      if let tuned = try tune(trace, until: split, actionsFactor: Self.actionsFactor) {
        configurations.append(("tuned", tuned.spec))
        tunedDetails = tuned.details
        log.append("  tuned: " + tuned.summary)
      } else {
        log.append("  tuned: the search returned no candidate")
      }
    }
    var chartLines: [ChartLine] = []
    var chartDemand: [Double] = []
    let stepsPerPoint = max(1, (fullSteps + chartPoints - 1) / max(chartPoints, 1))
    let holdOutPoint = Double(tuningSteps) / Double(stepsPerPoint)
    // The fewest replica-hours any autoscaler could run on the held-out part at no more
    // under-provisioned time than the seed there (see `floor(demands:excusedSteps:)`).
    let seedHeldOut = try replay(manifestSpec, trace, from: split, to: end)
    var heldOutDemands: [Double] = []
    heldOutDemands.reserveCapacity(seedHeldOut.stepCount)
    let seedCard = seedHeldOut.run { row in heldOutDemands.append(row.demand) }
    let excused = Int(
      (seedCard.underProvisionedTimeShare * Double(heldOutDemands.count)).rounded(.down) + 1e-9)
    let floor = Self.floor(demands: heldOutDemands, excusedSteps: excused)
    let bound = 1 - floor / max(seedCard.replicaSeconds, 1e-9)
    log.append(
      "  held-out floor: \(Rendering.fixed(floor / 3600, 1)) replica-h with at most \(excused) "
        + "under-provisioned steps, seed \(Rendering.fixed(seedCard.replicaSeconds / 3600, 1)): "
        + "no autoscaler saves more than \(Rendering.fixed(100 * bound, 1)) %")
    let reactive = Self.reactiveEstimate(
      demands: heldOutDemands, lagSteps: Self.reactionLagSteps, excusedSteps: excused,
      initialPods: Double(workload.initialReplicas))
    let reactiveSaving = reactive.map { 1 - $0.replicaSeconds / max(seedCard.replicaSeconds, 1e-9) }
    let stepSeconds = Int(Self.stepMilliseconds / 1000)
    let holdSeconds = (reactive?.holdSteps ?? 0) * stepSeconds
    if let reactive, let reactiveSaving {
      log.append(
        "  held-out reactive estimate: \(Rendering.fixed(100 * reactive.headroom, 1)) % headroom "
          + "over the largest demand of the \(holdSeconds) s "
          + "ending \(Self.reactionLagSteps * stepSeconds) s "
          + "earlier, \(Rendering.fixed(reactive.replicaSeconds / 3600, 1)) replica-h: "
          + "\(Rendering.fixed(100 * reactiveSaving, 1)) % fewer than the seed")
    }
    for configuration in configurations {
      var details = [
        "demandScale": "\(trace.scale)",
        "heldOutFloorReplicaSeconds": "\(floor)",
        "heldOutFloorExcusedSteps": "\(excused)",
        "heldOutMaxSavingVsSeed": "\(bound)",
      ]
      if let reactive, let reactiveSaving {
        details["heldOutReactiveHeadroom"] = "\(reactive.headroom)"
        details["heldOutReactiveHoldSeconds"] = "\(holdSeconds)"
        details["heldOutReactiveReplicaSeconds"] = "\(reactive.replicaSeconds)"
        details["heldOutReactiveSavingVsSeed"] = "\(reactiveSaving)"
      }
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

  /// A lower bound on the replica-seconds of any autoscaler over a replay of `demands` that
  /// is under-provisioned on at most `excusedSteps` steps.
  ///
  /// A step is under-provisioned exactly when fewer than `d = ⌈D / capacity⌉` pods are ready
  /// (``Scorecard/underProvisionedTimeShare``), and replicas run ≥ ready pods ≥ 1 (every
  /// `minReplicas` is at least 1). So each step costs at least `max(d, 1)` replicas, except
  /// the excused steps, which cost at least 1; the bound excuses the steps where that saves
  /// most (the largest `d`).
  ///
  /// - Parameters:
  ///   - demands: The demand of each step (requests/s).
  ///   - excusedSteps: How many steps may be under-provisioned.
  /// - Returns: Replica-seconds.
  static func floor(demands: [Double], excusedSteps: Int) -> Double {
    let required = requiredPods(demands)
    let total = required.reduce(0, +)
    let excusable = required.sorted(by: >).prefix(max(0, excusedSteps)).reduce(0) { $0 + ($1 - 1) }
    return (total - excusable) * Double(stepMilliseconds) / 1000
  }

  /// The ready pods each step needs not to be under-provisioned, `max(1, ⌈D / capacity⌉)`.
  static func requiredPods(_ demands: [Double]) -> [Double] {
    demands.map(requiredPods(for:))
  }

  /// The ready pods a demand (requests/s) needs not to be under-provisioned.
  static func requiredPods(for demand: Double) -> Double {
    max(1, (demand / capacityPerPod).rounded(.up))
  }

  /// The shortest reaction of the replayed HPA, in steps: a pod asked for at one sync (every
  /// 15 s) is ready 30 s later, so capacity follows demand 45 s late at best.
  static let reactionLagSteps = 3

  /// How long the reactive estimate may hold its largest recent sizing, in steps: none, then
  /// 15 s to 15 min, the range of the scoreboard space's scale-down stabilization windows.
  static let reactiveHoldSteps = [0, 1, 2, 4, 8, 20, 40, 60]

  /// An estimate of what reacting to demand can save: the idealised autoscaler that starts,
  /// like every replayed configuration, with the Deployment's ready replicas, keeps them for
  /// the first `lagSteps` steps (the first pods it asks for are ready no sooner), and then runs
  /// `max(1, ⌈(1 + h) × max(D(t − lag − w) for 0 ≤ w ≤ W) / capacity⌉)` pods at each step —
  /// sized to the largest demand it saw over `W` steps ending `lagSteps` steps earlier, with a
  /// fixed headroom `h` — scaling down as soon as that maximum falls, with no tolerance, no
  /// metric averaging and no rate limit, for the cheapest pair of a hold `W` in `holdSteps`
  /// and the smallest `h` (steps of 0.5 %, up to 200 %) that leaves at most `excusedSteps`
  /// steps under-provisioned.
  ///
  /// The hold is the idealised form of an HPA's scale-down stabilization window, which keeps
  /// the highest recommendation of the window: it lets a spiky demand be covered by holding
  /// the last spike's size instead of a large headroom on every step. Not a bound on every
  /// autoscaler (one could anticipate), but an HPA sees no faster and scales no more
  /// precisely, so its saving is a fair estimate of what tuning can reach.
  ///
  /// - Parameters:
  ///   - demands: The demand of each step (requests/s).
  ///   - lagSteps: Steps between the demand seen and the pods being ready.
  ///   - excusedSteps: How many steps may be under-provisioned.
  ///   - initialPods: The ready replicas at the start.
  ///   - holdSteps: The holds tried, in steps (0: size to the latest demand seen only).
  /// - Returns: The headroom (a fraction), the hold (steps) and replica-seconds, or `nil` when
  ///   even 200 % is not enough at every hold.
  static func reactiveEstimate(
    demands: [Double], lagSteps: Int, excusedSteps: Int, initialPods: Double,
    holdSteps: [Int] = reactiveHoldSteps
  ) -> (headroom: Double, holdSteps: Int, replicaSeconds: Double)? {
    let required = requiredPods(demands)
    var best: (headroom: Double, holdSteps: Int, replicaSeconds: Double)?
    for hold in holdSteps {
      // seen[i]: the largest demand over steps i − lag − hold ... i − lag (clamped at 0).
      let seen = demands.indices.map { index in
        let last = max(0, index - lagSteps)
        return demands[max(0, last - hold)...last].max() ?? 0
      }
      for halfPercent in 0...400 {
        let headroom = Double(halfPercent) * 0.005
        var under = 0
        var replicas = 0.0
        for index in demands.indices {
          let run =
            index < lagSteps
            ? initialPods : max(1, ((1 + headroom) * seen[index] / capacityPerPod).rounded(.up))
          replicas += run
          if required[index] > run { under += 1 }
        }
        guard under <= excusedSteps else { continue }
        let seconds = replicas * Double(stepMilliseconds) / 1000
        if best.map({ seconds < $0.replicaSeconds }) ?? true {
          best = (headroom, hold, seconds)
        }
        break
      }
    }
    return best
  }

  // MARK: Tuning

  /// The space searched (issue #5): both directions' stabilization window, policy and
  /// tolerance (down to 0), the CPU utilization target up to 100 % (finer levels near the
  /// top, where the cheapest configurations lie), the memory utilization target from 60 % to
  /// 100 % and at 110 and 150 %, the per-pod request-rate target from 70 % to 200 %, and
  /// `minReplicas` 1 or the seed's (`maxReplicas` stays the seed's).
  ///
  /// A memory target above the highest utilization memory reaches (90 % of the request in
  /// ``workload``: half of it idle, 40 % more at full load) never asks for more pods than
  /// run, and no longer holds pods the other metrics would let go: a valid `averageUtilization`
  /// (the API server bounds it only below) that takes memory out of the scaling decision.
  ///
  /// Chosen with a budget of 1,000 from the tuning parts only (`scoreboard hpa-search:TEXT`):
  /// first over the previous, narrower space (``narrowSpace(minReplicas:)``), never a more
  /// expensive choice there and a much cheaper one on the ramp; then over the same space with
  /// memory targets up to 100 % (``memoryTo100Space(minReplicas:)``), much cheaper choices on
  /// six traces and dearer ones by at most 1.7 points on two.
  static func space(minReplicas: Int) throws -> ParameterSpace {
    try ParameterSpace(dimensions: [
      Dimension(HPAParameter.scaleUpStabilizationWindow, .integers([0, 15, 30, 60, 120])),
      Dimension(HPAParameter.scaleUpPolicyType, .categories(["Percent"])),
      Dimension(HPAParameter.scaleUpPolicyValue, .integers([50, 100, 200, 400, 900])),
      Dimension(HPAParameter.scaleUpPolicyPeriod, .integers([15])),
      Dimension(HPAParameter.scaleUpTolerance, .reals([0, 0.01, 0.02, 0.03, 0.05, 0.1])),
      Dimension(
        HPAParameter.scaleDownStabilizationWindow, .integers([0, 15, 30, 60, 120, 300, 600, 900])),
      Dimension(HPAParameter.scaleDownPolicyType, .categories(["Percent"])),
      Dimension(HPAParameter.scaleDownPolicyValue, .integers([5, 10, 25, 50, 100])),
      Dimension(HPAParameter.scaleDownPolicyPeriod, .integers([15, 60, 120, 300])),
      Dimension(HPAParameter.scaleDownTolerance, .reals([0, 0.01, 0.02, 0.05, 0.1, 0.2])),
      Dimension(
        HPAParameter.cpuUtilization,
        .integers([50, 60, 70, 75, 80, 85, 88, 90, 92, 94, 95, 96, 97, 98, 99, 100])),
      Dimension(
        HPAParameter.memoryUtilization,
        .integers(Array(stride(from: 60, through: 100, by: 5)) + [110, 150])),
      Dimension(
        HPAParameter.podsTargetPercent, .integers([70, 80, 90, 100, 110, 120, 135, 150, 200])),
      Dimension(HPAParameter.minReplicas, .integers(Array(Set([1, minReplicas])).sorted())),
    ])
  }

  /// The scoreboard's stability bound: a tuned configuration changes the replica count at
  /// most this many times as often as the seed on the tuning part
  /// (`autoscale tune --max-scaling-actions 2x`).
  ///
  /// Chosen by `scoreboard hpa-validate:TEXT`, inside the tuning parts: tuned on each trace's
  /// first half and scored on its third quarter, with twice the seed's actions the choice
  /// meets the target on 4 of the 14 quarters and keeps the seed's τU on 12; without a bound
  /// on 3 and 10, with once on 0 and 11. On the 18 traces since the cluster-level CPU traces
  /// joined: 4 and 14, 4 and 13, 0 and 14.
  static let actionsFactor: Double? = 2

  /// Tunes the seed on `[start, split)` with ``BehaviorTuner`` in constraint mode: the
  /// cheapest configuration (replica-seconds on the tuning part) whose under-provisioned time
  /// share does not exceed the seed's own on any of the ``robustness`` windows of the tuning
  /// part (nor on the whole of it), and whose scaling actions there are at most
  /// `actionsFactor` times the seed's. The held-out part is never seen.
  ///
  /// - Parameters:
  ///   - trace: The trace tuned on.
  ///   - split: Where the tuning part ends (milliseconds since the trace's epoch, exclusive).
  ///   - actionsFactor: The stability bound, a factor of the seed's scaling actions on the
  ///     tuning part; `nil`: none. The scoreboard passes ``actionsFactor``;
  ///     `scoreboard hpa-stability:TEXT` and `hpa-validate:TEXT` compare factors.
  ///   - space: The space searched; `nil`: the scoreboard's (``space(minReplicas:)``).
  ///   - robustness: The windows the constraint holds on; `nil`: ``robustness``.
  /// - Returns: The chosen spec (the seed's when nothing is cheaper), its details for the
  ///   quality row and a line for the log; `nil` when the search returned no candidate.
  /// - Throws: When the scenario or the space cannot be built, or a choice cannot be applied.
  func tune(
    _ trace: ScoreboardTrace, until split: Int64, actionsFactor: Double?,
    space: ParameterSpace? = nil, robustness: WindowRobustness? = nil
  ) throws -> (spec: HorizontalPodAutoscalerSpec, details: [String: String], summary: String)? {
    let robustness = robustness ?? Self.robustness
    let tuner = try BehaviorTuner(
      scenarios: [scenario(trace, to: split)],
      space: space ?? Self.space(minReplicas: manifestSpec.minReplicas),
      strategy: .refine(seed: 1), budget: tuningBudget, maxUnderProvisionedTimeShare: nil,
      maxScalingActions: actionsFactor.map { .timesCurrent($0) }, robustness: robustness,
      holdOutFraction: 0)
    guard let result = Self.result(of: tuner), let chosen = result.chosen else { return nil }
    // Never worse than today on what tuning sees: when no candidate is preferable to the seed
    // within the bounds, the seed is kept (it is a point of the space, but the search need
    // not evaluate it), as `autoscale tune` keeps the current HPA.
    let keepsSeed = result.currentIsPreferred
    let spec = keepsSeed ? manifestSpec : try chosen.overrides.applied(to: manifestSpec)
    var details: [String: String] = [
      "keptSeed": "\(keepsSeed)",
      "tuningBudget": "\(tuningBudget)", "constraintMet": "\(result.constraintMet)",
      "seedTuningUnderProvisionedTimeShare": "\(result.current.tuning.underProvisionedTimeShare)",
      "seedTuningReplicaSeconds": "\(result.current.tuning.replicaSeconds)",
      "tunedTuningUnderProvisionedTimeShare": "\(chosen.scores.tuning.underProvisionedTimeShare)",
      "tunedTuningReplicaSeconds": "\(chosen.scores.tuning.replicaSeconds)",
      "robustWindows": "\(robustness.windows)", "robustMargin": "\(robustness.margin)",
      "seedWindowUnderProvisionedTimeShares": Self.list(
        result.current.tuning.windowUnderProvisionedTimeShares),
      "tunedWindowUnderProvisionedTimeShares": Self.list(
        chosen.scores.tuning.windowUnderProvisionedTimeShares),
    ]
    if let maxActions = result.maxScalingActions {
      details["maxScalingActions"] = "\(maxActions)"
    }
    var parts: [String] = []
    for parameter in chosen.parameters {
      details[parameter.name] = parameter.value
      parts.append("\(parameter.name)=\(parameter.value)")
    }
    let saved =
      1 - chosen.scores.tuning.replicaSeconds / max(result.current.tuning.replicaSeconds, 1e-9)
    let summary =
      parts.joined(separator: " ")
      + " (\(result.search.evaluations.count) candidates; tuning part: "
      + "\(Rendering.fixed(100 * saved, 1)) % fewer replica-h, τU "
      + "\(Rendering.fixed(100 * chosen.scores.tuning.underProvisionedTimeShare, 3)) % vs seed "
      + "\(Rendering.fixed(100 * result.current.tuning.underProvisionedTimeShare, 3)) %; "
      + "per window τU % \(Self.list(chosen.scores.tuning.windowUnderProvisionedTimeShares)) vs seed "
      + "\(Self.list(result.current.tuning.windowUnderProvisionedTimeShares))"
      + (result.constraintMet ? ")" : "; none met the seed's under-provisioning on every window)")
      + (keepsSeed ? " → the seed is kept" : "")
    return (spec, details, summary)
  }

  /// The seed's scenario over `[start, end)` of `trace` (milliseconds; `nil`: the trace's
  /// own first step or end), as every scoreboard search replays it.
  func scenario(
    _ trace: ScoreboardTrace, from start: Int64? = nil, to end: Int64? = nil
  ) throws -> TuningScenario {
    try TuningScenario(
      name: trace.name, autoscaler: manifestSpec, workload: workload, demand: trace.demand,
      startMilliseconds: start, endMilliseconds: end, seed: 0)
  }

  /// The target: at least this share fewer replica-hours than the seed, at no more
  /// under-provisioned time.
  static let targetSaving = 0.25

  /// A configuration's scores on one window against the seed's there, as the scoreboard
  /// judges the held-out part.
  struct TargetVerdict {
    /// Replica-hours saved against the seed, a fraction.
    let saved: Double
    /// Whether the under-provisioned time share is within the seed's.
    let withinSeed: Bool
    /// Whether it saves at least ``targetSaving`` within the seed's τU.
    var meetsTarget: Bool { withinSeed && saved >= HPAFamily.targetSaving }
    /// `saved 12.3 %, τU 0.040 % vs seed 0.060 %, actions 9 vs seed 12[ → meets the target]`.
    let text: String

    init(_ card: Scorecard, seed: Scorecard) {
      saved = 1 - card.replicaSeconds / max(seed.replicaSeconds, 1e-9)
      withinSeed = card.underProvisionedTimeShare <= seed.underProvisionedTimeShare
      text =
        "saved \(Rendering.fixed(100 * saved, 1)) %, τU "
        + "\(Rendering.fixed(100 * card.underProvisionedTimeShare, 3)) % vs seed "
        + "\(Rendering.fixed(100 * seed.underProvisionedTimeShare, 3)) %, actions "
        + "\(card.scalingActions) vs seed \(seed.scalingActions)"
        + (withinSeed && saved >= HPAFamily.targetSaving ? " → meets the target" : "")
    }
  }

  /// Runs a tuner to completion from the synchronous harness; `nil` when it fails.
  static func result(of tuner: BehaviorTuner) -> TuningResult? {
    waitFor({ () async -> TuningResult? in try? await tuner.tune() }) ?? nil
  }

  /// Window shares as percentages with 3 decimals, separated by `/` (`-` for none).
  static func list(_ shares: [Double]?) -> String {
    guard let shares, !shares.isEmpty else { return "-" }
    return shares.map { Rendering.fixed(100 * $0, 3) }.joined(separator: "/")
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
