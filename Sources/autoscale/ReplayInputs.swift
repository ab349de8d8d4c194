import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import Foundation
import HorizontalAutoscaling

/// The inputs of a replay built from the replay command's model flags (`--hpa`, `--workload`,
/// `--trace`, `--column`, `--from`/`--to`, `--capacity`, … `--downscale-stabilization`), for
/// commands that replay the same model as `autoscale replay` (`autoscale tune`).
///
/// The flag definitions are the replay command's own (``optionSpecs``), so help texts and
/// defaults stay identical; the values are read the way `autoscale replay` reads them.
struct ReplayInputs {
  var hpaPath: String
  var workloadPath: String
  var tracePath: String
  var hpaManifest: HorizontalPodAutoscalerManifest
  var workloadManifest: WorkloadManifest
  var autoscaler: HorizontalPodAutoscalerSpec
  var options: HorizontalAutoscalerOptions
  var workload: WorkloadModel
  var demandName: String
  var demand: ReplaySeries
  var series: [ReplaySeries]
  var feeds: [Int: MetricFeed]
  var timing: ReplayTiming
  var lifecycle: PodLifecycle
  /// `--from`, milliseconds, or `nil` for the trace start.
  var startMilliseconds: Int64?
  /// `--to` (exclusive), milliseconds, or `nil` for the trace end.
  var endMilliseconds: Int64?
  var seed: UInt64

  /// The names of the replay command's flags that describe the model (everything but its
  /// outputs and its seed help text).
  static let modelOptionNames = [
    "hpa", "workload", "trace", "trace-format", "split-by", "fold", "skip-invalid",
    "column", "from", "to", "map", "capacity",
    "cpu-base", "cpu-per-unit", "cpu-startup", "memory-base", "memory-per-unit", "imbalance",
    "noise", "initial-replicas", "pending-delay", "startup-delay", "termination-delay", "step",
    "sync-period", "metrics-resolution", "metrics-window", "metrics-lag", "tolerance",
    "cpu-initialization-period", "initial-readiness-delay", "downscale-stabilization",
  ]

  /// The replay command's definitions of the model flags, in its order.
  static var optionSpecs: [OptionSpec] {
    ReplayCommand.spec.options.filter { modelOptionNames.contains($0.name) }
  }

  /// Reads the model flags, the manifests and the trace.
  ///
  /// - Parameter arguments: The parsed command line (`--seed` is read as a whole number ≥ 0).
  /// - Throws: `UsageError` for malformed flag values, `CommandFailure` for unreadable or
  ///   inconsistent files.
  init(_ arguments: ParsedArguments) throws {
    hpaPath = try arguments.required("hpa")
    workloadPath = try arguments.required("workload")
    tracePath = try arguments.required("trace")
    let format = arguments.value("trace-format") ?? "auto"
    guard TraceLoading.formatNames.contains(format) else {
      throw UsageError(
        message: "unknown --trace-format \"\(format)\"; use one of: "
          + TraceLoading.formatNames.joined(separator: ", "))
    }
    let seedText = arguments.value("seed") ?? "0"
    guard let seed = UInt64(seedText) else {
      throw UsageError(message: "--seed expects a whole number ≥ 0, got \"\(seedText)\"")
    }
    self.seed = seed
    let capacity = try arguments.double("capacity", default: 100)
    timing = ReplayTiming(
      stepMilliseconds: try arguments.milliseconds("step", default: 15_000),
      syncPeriodMilliseconds: try arguments.milliseconds("sync-period", default: 15_000),
      metricsResolutionMilliseconds: try arguments.milliseconds(
        "metrics-resolution", default: 15_000),
      metricsWindowMilliseconds: try arguments.milliseconds("metrics-window", default: 15_000),
      metricsLagMilliseconds: try arguments.milliseconds("metrics-lag", default: 0))
    lifecycle = PodLifecycle(
      pendingMilliseconds: try arguments.milliseconds("pending-delay", default: 0),
      startupMilliseconds: try arguments.milliseconds("startup-delay", default: 30_000),
      terminationMilliseconds: try arguments.milliseconds("termination-delay", default: 0))
    options = HorizontalAutoscalerOptions(
      syncPeriod: .milliseconds(timing.syncPeriodMilliseconds),
      tolerance: try arguments.double("tolerance", default: 0.1),
      cpuInitializationPeriod: .milliseconds(
        try arguments.milliseconds("cpu-initialization-period", default: 300_000)),
      initialReadinessDelay: .milliseconds(
        try arguments.milliseconds("initial-readiness-delay", default: 30_000)),
      downscaleStabilizationWindow: .milliseconds(
        try arguments.milliseconds("downscale-stabilization", default: 300_000)))

    hpaManifest = try ReplayCommand.loadHPA(hpaPath)
    workloadManifest = try ReplayCommand.loadWorkload(
      workloadPath, target: hpaManifest.scaleTargetRef.name)
    do {
      autoscaler = try hpaManifest.spec()
    } catch {
      throw CommandFailure("HPA \(hpaManifest.name) is invalid: \(error)")
    }
    let template = workloadManifest.template
    guard let container = template.containers.first else {
      throw CommandFailure("workload \(workloadManifest.name) has no containers")
    }

    let trace = try TraceLoading.read(path: tracePath, format: format, arguments: arguments)
    guard let firstColumn = trace.columns.first, let traceStart = trace.startMilliseconds else {
      throw CommandFailure("trace \(tracePath) has no data columns")
    }
    demandName = arguments.value("column") ?? firstColumn.name
    guard let demandColumn = trace.column(named: demandName) else {
      throw CommandFailure(
        "trace \(tracePath) has no column \"\(demandName)\"; pass --column with one of: "
          + trace.columnNames.joined(separator: ", "))
    }
    demand = ReplaySeries(
      name: demandName, timestampsMilliseconds: trace.timestamps, values: demandColumn.values)
    let demandName = demandName
    series = trace.columns.filter { $0.name != demandName }.map {
      ReplaySeries(name: $0.name, timestampsMilliseconds: trace.timestamps, values: $0.values)
    }
    startMilliseconds = try arguments.value("from").map { text throws(UsageError) in
      try ReplayCommand.parseTime(text, flag: "from", traceStart: traceStart)
    }
    endMilliseconds = try arguments.value("to").map { text throws(UsageError) in
      try ReplayCommand.parseTime(text, flag: "to", traceStart: traceStart)
    }

    let cpuRequest = container.requests[.cpu]?.doubleValue
    let memoryRequest = container.requests[.memory]?.doubleValue ?? 0
    let cpuBase = try arguments.double("cpu-base", default: 0)
    let cpuPerUnit = try arguments.double(
      "cpu-per-unit", default: (cpuRequest ?? capacity * 0.01) / max(capacity, 1e-9))
    let cpuStartup = try arguments.value("cpu-startup").map { _ throws(UsageError) in
      try arguments.double("cpu-startup", default: cpuBase)
    }
    let memoryBase = try ReplayCommand.quantity(
      arguments, "memory-base", default: memoryRequest * 0.5)
    let memoryPerUnit = try ReplayCommand.quantity(
      arguments, "memory-per-unit", default: memoryRequest * 0.4 / max(capacity, 1e-9))
    workload = WorkloadModel(
      podTemplate: template, capacityPerPod: capacity,
      usage: [
        ResourceUsageModel(
          resource: .cpu, base: cpuBase, perUnitOfDemand: cpuPerUnit, startupUsage: cpuStartup,
          limit: container.limits[.cpu]?.doubleValue),
        ResourceUsageModel(resource: .memory, base: memoryBase, perUnitOfDemand: memoryPerUnit),
      ],
      imbalance: try arguments.double("imbalance", default: 0),
      noise: try arguments.double("noise", default: 0),
      initialReplicas: try arguments.int("initial-replicas", default: workloadManifest.replicas))
    feeds = try ReplayCommand.metricFeeds(
      arguments.all("map"), autoscaler: autoscaler, demandName: demandName)
  }

  /// The replay of `spec` (the manifest's HPA, or a tuned one) with these inputs.
  func replay(_ spec: HorizontalPodAutoscalerSpec) throws(CommandFailure) -> Replay {
    do {
      return try Replay(
        autoscaler: spec, options: options, workload: workload, demand: demand, series: series,
        feeds: feeds, timing: timing, lifecycle: lifecycle,
        startMilliseconds: startMilliseconds, endMilliseconds: endMilliseconds, seed: seed)
    } catch {
      throw CommandFailure(error.description)
    }
  }
}
