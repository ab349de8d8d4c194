import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import AutoscalingTuning
import Foundation
import VerticalAutoscaling

/// One container usage trace of the VPA family, with the requests the container starts with.
struct VPATrace {
  var name: String
  /// The container: initial requests (and limits: memory above the limit is an OOM kill).
  var container: Container
  var cpu: ReplaySeries?
  var memory: ReplaySeries?
  var stepMilliseconds: Int64
  /// What the initial requests stand for, for the notes.
  var initialRequests: String
}

/// The VPA family of the scoreboard: the recommender with upstream defaults and with flags
/// tuned by ``VerticalTuner`` on the first 75 % of each container usage trace, both scored on
/// the held-out last 25 % — in a replay of the whole trace, so the recommender carries the
/// first part's history into the scored part, as a running one would. A third configuration,
/// `initial-requests`, is the VPA in Off mode: the requests the container was given by hand.
///
/// Traces: the Alibaba 2018 containers as VASIM ships them (CPU, 1 min, 8 days; 10 cores
/// requested at the start, VASIM's initial limit), the Bitbrains VMs (CPU and memory, 5 min,
/// 30 days; the VM's provisioned cores and memory requested at the start, memory limit = the
/// request, so memory above the recommendation is an OOM kill). One replica, Recreate with
/// `minReplicas: 1`; one step per trace sample, recommender and updater every step.
struct VPAFamily {
  /// The figures printed (all go to JSON).
  static let columns: [Rendering.Column] = [
    ("slackPercent", "CPU slack %", false),
    ("memorySlackPercent", "mem slack %", false),
    ("insufficientCpuPercent", "insufficient %", false),
    ("underRequestTimePercent", "under-req. time %", false),
    ("oomKills", "OOMs", false),
    ("evictions", "evictions", false),
    ("meanRequestCpuMillicores", "CPU req m", false),
    ("meanUsageCpuMillicores", "CPU use m", false),
  ]
  /// The searched flags.
  static let parameters: [VerticalParameter] = [
    .targetCPUPercentile, .targetMemoryPercentile, .safetyMarginFraction, .cpuHalfLifeHours,
    .memoryHalfLifeHours, .oomBumpUpRatio, .confidenceIntervalHours,
  ]

  var quick: Bool

  var budget: Int { quick ? 12 : 60 }

  /// The container usage traces under `folder` (normally `../shared/traces`).
  static func traces(folder: String, log: (String) -> Void) -> [VPATrace] {
    var traces: [VPATrace] = []
    let vasim = folder + "/alibaba-2018-container-vasim"
    for file in files(vasim, log: log) {
      do {
        let series = try PublicTraces.read(.vasimContainerCPU, path: vasim + "/" + file)
        guard let column = series.columns.first else { continue }
        traces.append(
          VPATrace(
            name: "alibaba-2018-container-vasim/\(file):\(column.name)",
            container: Container(
              name: "app", requests: [.cpu: Quantity(10), .memory: Quantity(1_073_741_824)]),
            cpu: ReplaySeries(
              name: column.name, timestampsMilliseconds: series.timestamps,
              values: column.values),
            memory: nil, stepMilliseconds: 60_000, initialRequests: "10 cores (VASIM's initial limit)"))
      } catch {
        log("vpa: skipped \(file): \(error)")
      }
    }
    let bitbrains = folder + "/bitbrains-gwa-t-12"
    for file in files(bitbrains, log: log) {
      do {
        let series = try PublicTraces.read(.bitbrains, path: bitbrains + "/" + file)
        guard let cores = series.column(named: "CPU cores"),
          let capacity = series.column(named: "CPU capacity provisioned [MHZ]"),
          let usage = series.column(named: "CPU usage [MHZ]"),
          let memoryCapacity = series.column(named: "Memory capacity provisioned [KB]"),
          let memory = series.column(named: "Memory usage [KB]"),
          let firstCores = cores.values.first, let firstMemory = memoryCapacity.values.first
        else {
          log("vpa: skipped \(file): missing Bitbrains columns")
          continue
        }
        // MHz used / (MHz provisioned per core) = cores used.
        let cpu = zip(usage.values, zip(capacity.values, cores.values)).map { used, provisioned in
          provisioned.0 > 0 && provisioned.1 > 0 ? used / (provisioned.0 / provisioned.1) : 0
        }
        let memoryBytes = Quantity(Int64(firstMemory) * 1024)
        traces.append(
          VPATrace(
            name: "bitbrains-gwa-t-12/\(file)",
            container: Container(
              name: "app",
              requests: [.cpu: Quantity(milliValue: Int64(firstCores * 1000)), .memory: memoryBytes],
              limits: [.memory: memoryBytes]),
            cpu: ReplaySeries(name: "cpu", timestampsMilliseconds: series.timestamps, values: cpu),
            memory: ReplaySeries(
              name: "memory", timestampsMilliseconds: series.timestamps,
              values: memory.values.map { max($0, 0) * 1024 }),
            stepMilliseconds: 300_000,
            initialRequests: "the VM's provisioned \(Int(firstCores)) cores and "
              + "\(Int(firstMemory / 1_048_576)) GiB"))
      } catch {
        log("vpa: skipped \(file): \(error)")
      }
    }
    return traces
  }

  static func files(_ directory: String, log: (String) -> Void) -> [String] {
    guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      log("vpa: \(directory) not present; skipped")
      return []
    }
    return files.filter { $0.hasSuffix(".csv") }.sorted()
  }

  func replay(_ trace: VPATrace, mode: UpdateMode = .recreate) throws -> VerticalReplay {
    try VerticalReplay(
      vpa: VerticalPodAutoscaler(
        name: "app", updatePolicy: UpdatePolicy(updateMode: mode, minReplicas: 1)),
      containers: [
        VerticalContainerUsage(container: trace.container, cpuCores: trace.cpu, memoryBytes: trace.memory)
      ],
      replicas: 1,
      timing: VerticalReplayTiming(
        stepMilliseconds: trace.stepMilliseconds,
        recommenderIntervalMilliseconds: trace.stepMilliseconds,
        updaterIntervalMilliseconds: trace.stepMilliseconds),
      workloadName: "app")
  }

  /// The held-out figures of a whole-trace replay, from its timeline rows at or after `from`
  /// (``VerticalScoreAccumulator``: the scorecard's formulas, restricted to those steps).
  static func figures(_ replay: VerticalReplay, from: Int64) -> [String: Double] {
    var total = VerticalScoreAccumulator(replay: replay)
    var evictions = 0
    var memory = false
    let seconds = Double(replay.timing.stepMilliseconds) / 1000
    _ = replay.run { row in
      guard row.timeMilliseconds >= from else { return total.skip(row) }
      total.add(row, seconds: seconds)
      evictions += row.evictions
      memory = memory || row.memoryUsageBytes != nil
    }
    let scores = total.objectives
    var figures: [String: Double] = [
      "slackPercent": total.cpuSlackPercent,
      "insufficientCpuPercent": total.insufficientCpuPercent,
      "underRequestTimePercent": scores.underRequestTimePercent,
      "oomKills": scores.oomKills, "evictions": Double(evictions),
      "meanRequestCpuMillicores": total.meanCpuRequestMillicores,
      "meanUsageCpuMillicores": total.meanCpuUsageMillicores,
    ]
    if memory {
      figures["memorySlackPercent"] = total.memorySlackPercent
      figures["meanRequestMemoryBytes"] = total.meanMemoryRequestBytes
    }
    return figures
  }

  /// Tunes on the first 75 % and scores upstream defaults, the tuned flags and the initial
  /// requests on the held-out rest.
  func score(_ trace: VPATrace) throws -> (rows: [QualityRow], log: [String]) {
    let whole = try replay(trace)
    let scenario = try VerticalTuningScenario(name: trace.name, replay: whole, holdOutFraction: 0.25)
    guard let split = scenario.holdOutStartMilliseconds else { return ([], []) }
    let evaluator = try VerticalReplayEvaluator(
      space: try .vpaRecommenderDefault(Self.parameters), scenarios: [scenario])
    let tuner = VerticalTuner(
      evaluator: evaluator,
      configuration: SearchConfiguration(strategy: .refine(seed: 1), budget: budget))
    guard
      let outcome = waitFor({ () async -> VerticalTuningResult? in try? await tuner.run() }),
      let result = outcome
    else {
      throw ReplayError.invalidAutoscaler(reason: "vertical tuning failed on \(trace.name)")
    }
    var tuned = RecommenderConfiguration()
    var details: [String: String] = [:]
    for value in result.chosen.parameters {
      VerticalParameter(rawValue: value.name)?.apply(value.value, to: &tuned)
      details[value.name] = String(format: "%g", value.value)
    }
    var tunedReplay = whole
    try tunedReplay.replaceRecommender(tuned)
    let configurations: [(String, VerticalReplay, [String: String])] = [
      ("initial-requests", try replay(trace, mode: .off), ["requests": trace.initialRequests]),
      ("upstream-default", whole, [:]),
      ("tuned", tunedReplay, details),
    ]
    var rows: [QualityRow] = []
    for (name, replay, details) in configurations {
      rows.append(
        QualityRow(
          family: "vpa", trace: trace.name, configuration: name, window: "held-out",
          figures: Self.figures(replay, from: split), details: details))
    }
    rows.append(
      QualityRow(
        family: "vpa", trace: trace.name, configuration: "upstream-default", window: "full",
        figures: Self.figures(whole, from: whole.startMilliseconds), details: [:]))
    let chosen = result.chosen.parameters.filter { value in
      result.seed.parameters.first { $0.name == value.name }?.value != value.value
    }.map { "\($0.name)=\(String(format: "%g", $0.value))" }
    let log = [
      "  tuned (\(result.evaluated) candidates, refine, first 75 %): "
        + (chosen.isEmpty ? "upstream defaults kept" : chosen.joined(separator: " "))
        + "; tuning-part slack \(Rendering.fixed(result.seed.tuning.slackPercent, 2)) % → "
        + "\(Rendering.fixed(result.chosen.tuning.slackPercent, 2)) %"
    ]
    return (rows, log)
  }
}
