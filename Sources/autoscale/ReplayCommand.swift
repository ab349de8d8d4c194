import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import Foundation
import HorizontalAutoscaling

/// `autoscale replay`: an HPA and a Deployment over a trace, scored, optionally with a timeline
/// CSV and an HTML report.
enum ReplayCommand {
  static let spec = CommandSpec(
    name: "replay",
    summary: "Replay a HorizontalPodAutoscaler over a demand trace and score what it would do.",
    options: [
      OptionSpec(
        name: "hpa", valueName: "FILE", help: "HPA manifest (YAML or JSON)", required: true),
      OptionSpec(
        name: "workload", valueName: "FILE",
        help: "Deployment (or other workload) manifest: container requests and replicas",
        required: true),
      OptionSpec(
        name: "trace", valueName: "FILE",
        help: "demand trace (CSV, Prometheus JSON, public dataset)", required: true),
      OptionSpec(
        name: "trace-format", valueName: "FORMAT",
        help: "trace format: " + TraceLoading.formatNames.joined(separator: ", "),
        defaultValue: "auto"),
      TraceLoading.groupingOptions[0],
      TraceLoading.groupingOptions[1],
      TraceLoading.groupingOptions[2],
      OptionSpec(
        name: "column", valueName: "NAME", help: "the trace column holding demand",
        defaultValue: "the first column"),
      OptionSpec(
        name: "from", valueName: "T",
        help:
          "replay start: RFC 3339 time (2026-01-05T06:00:00Z) or offset from the trace start (6h, 2d)",
        defaultValue: "trace start"),
      OptionSpec(
        name: "to", valueName: "T", help: "replay end (exclusive), same forms as --from",
        defaultValue: "trace end"),
      OptionSpec(
        name: "json", valueName: nil, help: "print the scorecard as JSON instead of a table"),
      OptionSpec(name: "timeline", valueName: "FILE.csv", help: "write every step as CSV"),
      OptionSpec(
        name: "report", valueName: "FILE.html",
        help: "write a self-contained HTML report with charts"),
      OptionSpec(
        name: "seed", valueName: "N", help: "seed of imbalance and noise", defaultValue: "0"),
      OptionSpec(
        name: "map", valueName: "METRIC=COLUMN[*SCALE]",
        help: "feed an HPA metric (by name) from a trace column or `demand`", repeatable: true),
      OptionSpec(
        name: "capacity", valueName: "N", help: "demand one ready pod serves (trace units)",
        defaultValue: "100"),
      OptionSpec(
        name: "cpu-base", valueName: "CORES", help: "CPU of an idle pod", defaultValue: "0"),
      OptionSpec(
        name: "cpu-per-unit", valueName: "CORES", help: "CPU per unit of demand served",
        defaultValue: "cpu request / capacity"),
      OptionSpec(
        name: "cpu-startup", valueName: "CORES", help: "CPU while a pod starts (burst)",
        defaultValue: "cpu base"),
      OptionSpec(
        name: "memory-base", valueName: "QUANTITY", help: "memory of an idle pod (e.g. 512Mi)",
        defaultValue: "50% of the memory request"),
      OptionSpec(
        name: "memory-per-unit", valueName: "QUANTITY", help: "memory per unit of demand served",
        defaultValue: "40% of the memory request / capacity"),
      OptionSpec(
        name: "imbalance", valueName: "F", help: "per-pod load spread, 0 ≤ F < 1", defaultValue: "0"
      ),
      OptionSpec(
        name: "noise", valueName: "F", help: "per-sample usage noise, 0 ≤ F < 1", defaultValue: "0"),
      OptionSpec(
        name: "initial-replicas", valueName: "N", help: "ready pods at the start",
        defaultValue: "the workload's replicas"),
      OptionSpec(
        name: "pending-delay", valueName: "DURATION", help: "creation to start", defaultValue: "0s"),
      OptionSpec(
        name: "startup-delay", valueName: "DURATION", help: "start to ready", defaultValue: "30s"),
      OptionSpec(
        name: "termination-delay", valueName: "DURATION", help: "deletion to gone",
        defaultValue: "0s"),
      OptionSpec(name: "step", valueName: "DURATION", help: "simulation step", defaultValue: "15s"),
      OptionSpec(
        name: "sync-period", valueName: "DURATION", help: "HPA reconcile period",
        defaultValue: "15s"),
      OptionSpec(
        name: "metrics-resolution", valueName: "DURATION", help: "metrics scrape period",
        defaultValue: "15s"),
      OptionSpec(
        name: "metrics-window", valueName: "DURATION", help: "window each sample averages",
        defaultValue: "15s"),
      OptionSpec(
        name: "metrics-lag", valueName: "DURATION", help: "delay before a sample is visible",
        defaultValue: "0s"),
      OptionSpec(
        name: "tolerance", valueName: "F", help: "controller tolerance", defaultValue: "0.1"),
      OptionSpec(
        name: "cpu-initialization-period", valueName: "DURATION",
        help: "--horizontal-pod-autoscaler-cpu-initialization-period", defaultValue: "5m"),
      OptionSpec(
        name: "initial-readiness-delay", valueName: "DURATION",
        help: "--horizontal-pod-autoscaler-initial-readiness-delay", defaultValue: "30s"),
      OptionSpec(
        name: "downscale-stabilization", valueName: "DURATION",
        help: "--horizontal-pod-autoscaler-downscale-stabilization", defaultValue: "5m"),
    ] + verticalOptions + ReplayNodes.optionSpecs,
    epilogue: """
      Durations are seconds or take a unit: 250ms, 30s, 5m, 2h, 1d.
      Resource metrics are fed from the usage model (base + per-unit × demand served), Pods
      metrics with demand / ready pods, Object and External metrics from the trace column named
      like the metric (or --map NAME=COLUMN). Exit status: 0 ok, 1 failed, 2 bad usage.
      """ + "\n" + ReplayNodes.epilogue)

  static func run(_ arguments: ParsedArguments) throws {
    // Model flags, manifests and trace: the same reading `autoscale tune` uses.
    let inputs = try ReplayInputs(arguments)
    let (hpaPath, workloadPath, tracePath) = (inputs.hpaPath, inputs.workloadPath, inputs.tracePath)
    let (hpaManifest, workloadManifest) = (inputs.hpaManifest, inputs.workloadManifest)
    let (autoscaler, demandName, seed) = (inputs.autoscaler, inputs.demandName, inputs.seed)
    let (timing, lifecycle) = (inputs.timing, inputs.lifecycle)
    let capacity = inputs.workload.capacityPerPod
    let (imbalance, noise) = (inputs.workload.imbalance, inputs.workload.noise)

    let replay = try inputs.replay(autoscaler)
    if arguments.value("vpa") != nil {
      return try runJoint(arguments, inputs: inputs, horizontal: replay)
    }

    // Outputs: opened before the run (an unwritable path fails before any work), committed
    // together only after everything succeeded, so a failure leaves every output untouched.
    let timelineFile = try arguments.value("timeline").map { path throws(CommandFailure) in
      try AtomicFile(path: path)
    }
    let reportFile = try arguments.value("report").map { path throws(CommandFailure) in
      try AtomicFile(path: path)
    }
    let reportPath = reportFile?.path
    let metricNames = autoscaler.metrics.map(describe)
    if let timelineFile { try timelineFile.write(timelineHeader(metricNames)) }
    var buckets = TimelineBuckets(totalSteps: replay.stepCount)
    let progress = Progress(total: replay.stepCount)
    var nodes = try ReplayNodes(arguments, workload: workloadManifest)
    let card: Scorecard
    if timelineFile != nil || reportPath != nil || progress.isShown || nodes != nil {
      var failure: CommandFailure?
      var line = ""
      card = replay.run { row in
        if reportPath != nil { buckets.add(row) }
        nodes?.add(row)
        if let timelineFile, failure == nil {
          timelineRow(row, into: &line)
          do throws(CommandFailure) { try timelineFile.write(line) } catch { failure = error }
        }
        progress.advance()
      }
      progress.finish()
      if let failure { throw failure }
    } else {
      card = replay.run()
    }
    if let reportFile {
      buckets.finish()
      let context = ReportContext(
        title:
          "autoscale replay — \(hpaManifest.name) on \(URL(fileURLWithPath: tracePath).lastPathComponent)",
        inputs: [
          (
            "HPA",
            "\(hpaPath) (\(hpaManifest.name): min \(autoscaler.minReplicas), max \(autoscaler.maxReplicas))"
          ),
          ("Metrics", metricNames.joined(separator: "; ")),
          (
            "Workload",
            "\(workloadPath) (\(workloadManifest.kind.rawValue) \(workloadManifest.name))"
          ),
          ("Trace", "\(tracePath), column \(demandName)"),
          (
            "Window",
            "\(isoTime(replay.startMilliseconds)) → \(isoTime(replay.endMilliseconds)), \(replay.stepCount) steps"
          ),
          ("Capacity per pod", "\(NumberText.format(capacity)) \(demandName)"),
          (
            "Start-up",
            "pending \(lifecycle.pendingMilliseconds / 1000) s, ready after \(lifecycle.startupMilliseconds / 1000) s"
          ),
          ("Seed", "\(seed) (imbalance \(imbalance), noise \(noise))"),
        ],
        metricNames: metricNames,
        demandName: demandName, stepMilliseconds: timing.stepMilliseconds)
      try reportFile.write(ReportRenderer.html(card: card, buckets: buckets, context: context))
    }
    try timelineFile?.commit()
    try reportFile?.commit()

    let nodeCard = try nodes?.run(endMilliseconds: replay.endMilliseconds)
    if arguments.flag("json") {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let data = try encoder.encode(card)
      print(
        try nodeCard.map { try ReplayNodes.json(hpa: data, nodes: $0.card) }
          ?? String(decoding: data, as: UTF8.self))
    } else {
      print(ScorecardRows.table(card))
      if let nodes, let nodeCard { print("\n" + nodes.table(nodeCard.card, pods: nodeCard.pods)) }
    }
  }

  // MARK: Inputs

  static func loadHPA(_ path: String) throws(CommandFailure) -> HorizontalPodAutoscalerManifest {
    let file: ManifestFile
    do { file = try ManifestLoader.load(path: path) } catch { throw CommandFailure("\(error)") }
    guard let hpa = file.horizontalPodAutoscalers.first else {
      throw CommandFailure(
        "\(path) has no HorizontalPodAutoscaler; pass the autoscaling/v2 manifest with --hpa")
    }
    return hpa
  }

  static func loadWorkload(_ path: String, target: String) throws(CommandFailure)
    -> WorkloadManifest
  {
    let file: ManifestFile
    do { file = try ManifestLoader.load(path: path) } catch { throw CommandFailure("\(error)") }
    let workloads = file.workloads
    guard let workload = workloads.first(where: { $0.name == target }) ?? workloads.first else {
      throw CommandFailure(
        "\(path) has no Deployment or other workload; pass the HPA's target manifest with --workload"
      )
    }
    return workload
  }

  /// A time: RFC 3339, or an offset (duration) from the trace start.
  static func parseTime(_ text: String, flag: String, traceStart: Int64) throws(UsageError) -> Int64
  {
    if let offset = DurationText.milliseconds(text) { return traceStart + offset }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    if let date = formatter.date(from: text) {
      return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) {
      return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
    throw UsageError(
      message: "--\(flag) expects an RFC 3339 time (2026-01-05T06:00:00Z) or an offset from the "
        + "trace start (90m, 6h, 2d), got \"\(text)\"")
  }

  static func quantity(_ arguments: ParsedArguments, _ name: String, default fallback: Double)
    throws(UsageError) -> Double
  {
    guard let text = arguments.value(name) else { return fallback }
    guard let value = try? Quantity(parsing: text), value.signum >= 0 else {
      throw UsageError(
        message: "--\(name) expects a quantity such as 512Mi or 1.5Gi, got \"\(text)\"")
    }
    return value.doubleValue
  }

  static func metricFeeds(
    _ mappings: [String], autoscaler: HorizontalPodAutoscalerSpec, demandName: String
  )
    throws(UsageError) -> [Int: MetricFeed]
  {
    var feeds: [Int: MetricFeed] = [:]
    for mapping in mappings {
      let parts = mapping.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw UsageError(message: "--map expects METRIC=COLUMN[*SCALE], got \"\(mapping)\"")
      }
      var column = parts[1]
      var scale = 1.0
      if let star = column.firstIndex(of: "*") {
        guard let value = Double(column[column.index(after: star)...]), value.isFinite else {
          throw UsageError(message: "--map \(mapping): the scale after * must be a number")
        }
        scale = value
        column = String(column[..<star])
      }
      let names = autoscaler.metrics.map(metricName)
      guard let index = names.firstIndex(of: parts[0]) else {
        throw UsageError(
          message: "--map \(mapping): the HPA has no Pods, Object or External metric named "
            + "\(parts[0]); its metrics are: \(names.filter { !$0.isEmpty }.joined(separator: ", "))"
        )
      }
      let isDemand = column == "demand" || column == demandName
      switch autoscaler.metrics[index].type {
      case .pods:
        feeds[index] =
          isDemand
          ? .demandPerReadyPod(scale: scale) : .seriesPerReadyPod(series: column, scale: scale)
      default:
        feeds[index] = isDemand ? .demand(scale: scale) : .series(column, scale: scale)
      }
    }
    return feeds
  }

  static func metricName(_ metric: MetricSpec) -> String {
    metric.pods?.metric.name ?? metric.object?.metric.name ?? metric.external?.metric.name ?? ""
  }

  static func describe(_ metric: MetricSpec) -> String {
    switch metric.type {
    case .resource: "\(metric.resource?.name.rawValue ?? "") utilization"
    case .containerResource:
      "\(metric.containerResource?.name.rawValue ?? "") of \(metric.containerResource?.container ?? "")"
    default: metricName(metric)
    }
  }

  // MARK: Timeline CSV

  static func timelineHeader(_ metrics: [String]) -> String {
    var header =
      "timestamp_ms,time,demand,ready_capacity,unserved,replicas,ready,pending,desired,reconciled"
    for name in metrics {
      let slug = name.map { $0.isLetter || $0.isNumber ? $0 : "_" }
      header += ",\(String(slug))_current,\(String(slug))_target"
    }
    return header + "\n"
  }

  static func timelineRow(_ row: ReplayTimelineRow, into line: inout String) {
    line.removeAll(keepingCapacity: true)
    line += "\(row.timeMilliseconds),\(isoTime(row.timeMilliseconds)),"
    line += NumberText.format(row.demand) + "," + NumberText.format(row.readyCapacity) + ","
    line += NumberText.format(row.unservedDemand) + ",\(row.replicas),\(row.readyReplicas),"
    line += "\(row.pendingReplicas),\(row.desiredReplicas),\(row.reconciled ? 1 : 0)"
    for reading in row.metrics {
      line += "," + NumberText.format(reading.current) + "," + NumberText.format(reading.target)
    }
    line += "\n"
  }

  static func isoTime(_ milliseconds: Int64) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
  }
}

/// A percentage on stderr while a long replay runs, only when stderr is a terminal.
final class Progress {
  let total: Int
  let isShown: Bool
  private var done = 0
  private var nextReport = 0
  private let stride: Int

  init(total: Int) {
    self.total = total
    isShown = Console.stderrIsTerminal && total >= 100_000
    stride = max(total / 100, 1)
  }

  func advance() {
    guard isShown else { return }
    done += 1
    if done >= nextReport {
      nextReport = done + stride
      FileHandle.standardError.write(Data("\rreplaying… \(done * 100 / max(total, 1)) %".utf8))
    }
  }

  func finish() {
    if isShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}
