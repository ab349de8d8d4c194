import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import Foundation
import VerticalAutoscaling

/// The VPA family of the scoreboard: the recommender with upstream defaults and with a target
/// percentile and safety margin tuned on the first 75 % of each container CPU trace; both are
/// scored on the whole trace and on the held-out last 25 %.
///
/// The workload is one replica of one container requesting 10 cores and 1 GiB at the start
/// (VASIM's initial CPU limit for these traces), in Recreate mode with `minReplicas: 1` so the
/// updater may evict the single pod; 60-s steps, recommender and updater every minute.
struct VPAFamily {
  static let stepMilliseconds: Int64 = 60_000
  /// Candidates of the tuned configuration: target CPU percentile × safety margin.
  static let percentiles = [0.5, 0.75, 0.9, 0.95, 0.99]
  static let margins = [0.0, 0.05, 0.15, 0.3]
  /// The figures printed (all go to JSON).
  static let columns: [Rendering.Column] = [
    ("slackPercent", "slack %", false),
    ("insufficientCpuPercent", "insufficient %", false),
    ("insufficientCpuTimePercent", "insuff. time %", false),
    ("throttledCpuPercent", "throttled %", false),
    ("oomKills", "OOMs", false),
    ("evictions", "evictions", false),
    ("meanRequestCpuMillicores", "request m", false),
    ("meanUsageCpuMillicores", "usage m", false),
  ]

  var quick: Bool

  /// The container CPU traces: the VASIM copies of the Alibaba 2018 containers (cores).
  static func traces(folder: String, log: (String) -> Void) -> [(name: String, cpu: ReplaySeries)] {
    let directory = folder + "/alibaba-2018-container-vasim"
    guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      log("vpa: \(directory) not present; skipped")
      return []
    }
    var traces: [(String, ReplaySeries)] = []
    for file in files.sorted() where file.hasSuffix(".csv") {
      do {
        let series = try PublicTraces.read(.vasimContainerCPU, path: directory + "/" + file)
        guard let column = series.columns.first else { continue }
        traces.append(
          (
            "alibaba-2018-container-vasim/\(file):\(column.name)",
            ReplaySeries(
              name: column.name, timestampsMilliseconds: series.timestamps, values: column.values)
          ))
      } catch {
        log("vpa: skipped \(file): \(error)")
      }
    }
    return traces
  }

  func replay(_ cpu: ReplaySeries, _ configuration: RecommenderConfiguration, from: Int64?, to: Int64?)
    throws -> VerticalReplay
  {
    let container = Container(
      name: "app", requests: [.cpu: Quantity(10), .memory: Quantity(1_073_741_824)])
    return try VerticalReplay(
      vpa: VerticalPodAutoscaler(
        name: "app", updatePolicy: UpdatePolicy(updateMode: .recreate, minReplicas: 1)),
      recommender: configuration,
      containers: [VerticalContainerUsage(container: container, cpuCores: cpu)], replicas: 1,
      timing: VerticalReplayTiming(
        stepMilliseconds: Self.stepMilliseconds, recommenderIntervalMilliseconds: 60_000,
        updaterIntervalMilliseconds: 60_000),
      startMilliseconds: from, endMilliseconds: to, workloadName: "app")
  }

  static func figures(_ card: VerticalScorecard) -> [String: Double] {
    let encoder = JSONEncoder()
    guard let data = try? encoder.encode(card),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    var figures: [String: Double] = [:]
    for (key, value) in object {
      if let number = value as? NSNumber { figures[key] = number.doubleValue }
    }
    return figures
  }

  /// Scores both configurations on one trace.
  func score(name: String, cpu: ReplaySeries) throws -> (rows: [QualityRow], log: [String]) {
    let probe = try replay(cpu, RecommenderConfiguration(), from: nil, to: nil)
    let steps = Int64(probe.stepCount)
    let split =
      probe.startMilliseconds + Int64(Double(steps) * 0.75) * Self.stepMilliseconds
    let end = probe.endMilliseconds
    // Tune: the least slack whose insufficient CPU on the tuning part is no worse than the
    // defaults'.
    let defaults = RecommenderConfiguration()
    let baseline = try replay(cpu, defaults, from: nil, to: split).run()
    var best: (configuration: RecommenderConfiguration, slack: Double, label: String)?
    let percentiles = quick ? [0.75, 0.9, 0.99] : Self.percentiles
    let margins = quick ? [0.05, 0.15] : Self.margins
    for percentile in percentiles {
      for margin in margins {
        var candidate = defaults
        candidate.targetCPUPercentile = percentile
        candidate.safetyMarginFraction = margin
        let card = try replay(cpu, candidate, from: nil, to: split).run()
        guard card.insufficientCpuPercent <= baseline.insufficientCpuPercent + 1e-9 else { continue }
        if best == nil || card.slackPercent < best?.slack ?? .infinity {
          best = (candidate, card.slackPercent, "targetCPUPercentile=\(percentile) margin=\(margin)")
        }
      }
    }
    var configurations: [(String, RecommenderConfiguration, [String: String])] = [
      ("upstream-default", defaults, [:])
    ]
    var log: [String] = []
    if let best {
      configurations.append(
        (
          "tuned", best.configuration,
          [
            "targetCPUPercentile": "\(best.configuration.targetCPUPercentile)",
            "safetyMarginFraction": "\(best.configuration.safetyMarginFraction)",
          ]
        ))
      log.append("  tuned: \(best.label) (\(percentiles.count * margins.count) candidates)")
    }
    var rows: [QualityRow] = []
    for (configuration, flags, details) in configurations {
      let windows: [(name: String, from: Int64?, to: Int64?)] = [
        ("full", nil, nil), ("held-out", split, end),
      ]
      for (window, from, to) in windows {
        if configuration == "tuned" && window == "full" { continue }
        let card = try replay(cpu, flags, from: from, to: to).run()
        rows.append(
          QualityRow(
            family: "vpa", trace: name, configuration: configuration, window: window,
            figures: Self.figures(card), details: details))
      }
    }
    return (rows, log)
  }
}
