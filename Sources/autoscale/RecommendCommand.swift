import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import Foundation
import VerticalAutoscaling

/// `autoscale recommend`: a VerticalPodAutoscaler replayed over a container's usage trace —
/// the recommendation band over time, OOM kills, evictions and a scorecard.
enum RecommendCommand {
  static let spec = CommandSpec(
    name: "recommend",
    summary:
      "Replay a VerticalPodAutoscaler over a container usage trace: recommendations over time.",
    options: [
      OptionSpec(
        name: "vpa", valueName: "FILE", help: "VerticalPodAutoscaler manifest (YAML or JSON)",
        required: true),
      OptionSpec(
        name: "trace", valueName: "FILE",
        help: "usage trace (CSV, Prometheus JSON, public dataset)", required: true),
      OptionSpec(
        name: "trace-format", valueName: "FORMAT",
        help: "trace format: " + TraceLoading.formatNames.joined(separator: ", "),
        defaultValue: "auto"),
      TraceLoading.groupingOptions[0],
      TraceLoading.groupingOptions[1],
      TraceLoading.groupingOptions[2],
      OptionSpec(
        name: "container", valueName: "NAME",
        help: "the container the trace describes (its VPA policy applies)",
        defaultValue: "the VPA's first named container policy, else the workload's only container, else app"),
      OptionSpec(
        name: "cpu-column", valueName: "NAME", help: "trace column with CPU usage",
        defaultValue: "a column whose name contains cpu, else the first column"),
      OptionSpec(
        name: "memory-column", valueName: "NAME",
        help: "trace column with memory usage (working set)",
        defaultValue: "a column whose name contains mem, else none"),
      OptionSpec(
        name: "cpu-scale", valueName: "F", help: "cores per unit of the CPU column",
        defaultValue: "1"),
      OptionSpec(
        name: "memory-scale", valueName: "F", help: "bytes per unit of the memory column",
        defaultValue: "1"),
      OptionSpec(
        name: "workload", valueName: "FILE",
        help: "Deployment manifest: initial requests, limits and replicas of the container"),
      OptionSpec(
        name: "cpu-request", valueName: "QUANTITY", help: "initial CPU request (e.g. 500m)",
        defaultValue: "the workload's, else none"),
      OptionSpec(
        name: "memory-request", valueName: "QUANTITY", help: "initial memory request (e.g. 1Gi)",
        defaultValue: "the workload's, else none"),
      OptionSpec(
        name: "cpu-limit", valueName: "QUANTITY", help: "CPU limit (usage above is throttled)",
        defaultValue: "the workload's, else none"),
      OptionSpec(
        name: "memory-limit", valueName: "QUANTITY",
        help: "memory limit (usage above is an OOM kill)",
        defaultValue: "the workload's, else none"),
      OptionSpec(
        name: "replicas", valueName: "N", help: "replicas of the workload",
        defaultValue: "the workload's, else 1"),
      OptionSpec(
        name: "mode", valueName: "MODE",
        help: "override the update mode: Off, Initial, Recreate, Auto, InPlaceOrRecreate"),
      OptionSpec(
        name: "from", valueName: "T",
        help: "replay start: RFC 3339 time or offset from the trace start (6h, 2d)",
        defaultValue: "trace start"),
      OptionSpec(
        name: "to", valueName: "T", help: "replay end (exclusive), same forms as --from",
        defaultValue: "trace end"),
      OptionSpec(name: "step", valueName: "DURATION", help: "simulation step", defaultValue: "1m"),
      OptionSpec(
        name: "recommender-interval", valueName: "DURATION", help: "how often the recommender runs (upstream flag --recommender-interval)",
        defaultValue: "1m"),
      OptionSpec(
        name: "updater-interval", valueName: "DURATION", help: "how often the updater acts (upstream flag --updater-interval)",
        defaultValue: "1m"),
      OptionSpec(
        name: "target-cpu-percentile", valueName: "F", help: "CPU usage percentile of the target (upstream flag --target-cpu-percentile)",
        defaultValue: "0.9"),
      OptionSpec(
        name: "target-memory-percentile", valueName: "F", help: "memory peak percentile of the target (upstream flag --target-memory-percentile)",
        defaultValue: "0.9"),
      OptionSpec(
        name: "margin", valueName: "F", help: "safety margin added to every estimate (upstream flag --recommendation-margin-fraction)",
        defaultValue: "0.15"),
      OptionSpec(
        name: "cpu-half-life", valueName: "DURATION", help: "half-life of the CPU usage histogram's sample weights (upstream flag --cpu-histogram-decay-half-life)",
        defaultValue: "24h"),
      OptionSpec(
        name: "oom-bump-up-ratio", valueName: "F", help: "an OOM kill records the memory request times this (upstream flag --oom-bump-up-ratio)",
        defaultValue: "1.2"),
      OptionSpec(
        name: "every", valueName: "DURATION", help: "interval between printed rows",
        defaultValue: "about 24 rows"),
      OptionSpec(
        name: "json", valueName: nil,
        help: "print rows, final recommendation and scorecard as JSON"),
      OptionSpec(
        name: "report", valueName: "FILE.html",
        help: "write a self-contained HTML report (usage against the recommendation band)"),
    ] + RecommendTune.options,
    epilogue: """
      Every usage sample feeds the recommender; a recommendation is computed every recommender
      interval and the updater acts every updater interval in the VPA's mode. Memory above the
      limit is an OOM kill (the recommender bumps memory), CPU above the limit is throttled.
      A single-replica workload is evicted only if the VPA sets updatePolicy.minReplicas: 1.
      With --tune the replay is repeated once per candidate set of recommender flags (the
      flags above are the seed): scores are slack (over-request), under-request time, OOM
      kills and updates; the chosen flags have the least slack on the tuning part with no more
      under-request time, OOM kills and updates than the seed (or than --max-under-request,
      --max-oom-kills and --max-updates), and are then scored on the held-out rest.
      Exit status: 0 ok, 1 failed, 2 bad usage.
      """)

  /// One printed row (JSON: `rows`).
  struct Row: Codable {
    var time: String
    var timeMilliseconds: Int64
    var cpuUsageMillicores: Double?
    var memoryUsageBytes: Double?
    var cpuRequestMillicores: Double
    var memoryRequestBytes: Double
    var targetCpuMillicores: Int64?
    var lowerBoundCpuMillicores: Int64?
    var upperBoundCpuMillicores: Int64?
    var targetMemoryBytes: Int64?
    var lowerBoundMemoryBytes: Int64?
    var upperBoundMemoryBytes: Int64?
    var oomKills: Int
    var evictions: Int
  }

  /// The JSON output.
  struct Output: Codable {
    var container: String
    var updateMode: String
    var rows: [Row]
    var final: Row?
    var scorecard: VerticalScorecard
  }

  static func run(_ arguments: ParsedArguments) throws {
    let vpaPath = try arguments.required("vpa")
    let tracePath = try arguments.required("trace")
    let format = arguments.value("trace-format") ?? "auto"
    guard TraceLoading.formatNames.contains(format) else {
      throw UsageError(
        message: "unknown --trace-format \"\(format)\"; use one of: "
          + TraceLoading.formatNames.joined(separator: ", "))
    }
    let manifest = try loadVPA(vpaPath)
    var vpa = try verticalAutoscaler(manifest)
    if let mode = arguments.value("mode") {
      guard let parsed = UpdateMode(rawValue: mode) else {
        throw UsageError(
          message: "--mode expects one of "
            + UpdateMode.allCases.map(\.rawValue).joined(separator: ", ") + ", got \"\(mode)\"")
      }
      vpa.updatePolicy.updateMode = parsed
    }
    let workload = try arguments.value("workload").map { (path) throws(CommandFailure) in
      try ReplayCommand.loadWorkload(path, target: manifest.targetRef.name)
    }
    // The container: --container; else the first container policy naming one (of the workload's
    // containers, when a workload is given); else the workload's only container; else "app".
    let policyNames = manifest.containerPolicies.map(\.containerName).filter { $0 != "*" }
    let workloadNames = workload?.template.containers.map(\.name)
    let containerName =
      arguments.value("container")
      ?? policyNames.first(where: { name in workloadNames.map { $0.contains(name) } ?? true })
      ?? (workloadNames?.count == 1 ? workloadNames?.first : nil)
      ?? policyNames.first
      ?? "app"

    // Initial resources: workload, then flags.
    var container = Container(name: containerName)
    var replicas = 1
    if let workload {
      replicas = workload.replicas
      if let declared = workload.template.containers.first(where: { $0.name == containerName }) {
        container = declared
      } else {
        throw CommandFailure(
          "workload \(workload.name) has no container \"\(containerName)\"; its containers are: "
            + workload.template.containers.map(\.name).joined(separator: ", ")
            + " (pass --container)")
      }
    }
    container.requests[.cpu] = try quantity(arguments, "cpu-request") ?? container.requests[.cpu]
    container.requests[.memory] =
      try quantity(arguments, "memory-request") ?? container.requests[.memory]
    container.limits[.cpu] = try quantity(arguments, "cpu-limit") ?? container.limits[.cpu]
    container.limits[.memory] =
      try quantity(arguments, "memory-limit") ?? container.limits[.memory]
    replicas = try arguments.int("replicas", default: replicas)

    // Trace.
    let trace = try TraceLoading.read(path: tracePath, format: format, arguments: arguments)
    guard let firstColumn = trace.columns.first, let traceStart = trace.startMilliseconds else {
      throw CommandFailure("trace \(tracePath) has no data columns")
    }
    func column(_ flag: String, matching hint: String, fallback: String?) throws(CommandFailure)
      -> TimeSeries.Column?
    {
      if let name = arguments.value(flag) {
        guard let found = trace.column(named: name) else {
          throw CommandFailure(
            "trace \(tracePath) has no column \"\(name)\" (--\(flag)); its columns are: "
              + trace.columnNames.joined(separator: ", "))
        }
        return found
      }
      if let found = trace.columns.first(where: { $0.name.lowercased().contains(hint) }) {
        return found
      }
      return fallback.flatMap { trace.column(named: $0) }
    }
    let cpuColumn = try column("cpu-column", matching: "cpu", fallback: firstColumn.name)
    let memoryColumn = try column("memory-column", matching: "mem", fallback: nil)
    let cpuScale = try arguments.double("cpu-scale", default: 1)
    let memoryScale = try arguments.double("memory-scale", default: 1)
    guard cpuScale > 0, memoryScale > 0 else {
      throw UsageError(message: "--cpu-scale and --memory-scale must be > 0")
    }
    let usage = VerticalContainerUsage(
      container: container,
      cpuCores: cpuColumn.map {
        ReplaySeries(
          name: $0.name, timestampsMilliseconds: trace.timestamps,
          values: cpuScale == 1 ? $0.values : $0.values.map { $0 * cpuScale })
      },
      memoryBytes: memoryColumn.flatMap { $0.name == cpuColumn?.name ? nil : $0 }.map {
        ReplaySeries(
          name: $0.name, timestampsMilliseconds: trace.timestamps,
          values: memoryScale == 1 ? $0.values : $0.values.map { $0 * memoryScale })
      })

    // Configuration.
    var configuration = RecommenderConfiguration()
    configuration.targetCPUPercentile = try arguments.double(
      "target-cpu-percentile", default: configuration.targetCPUPercentile)
    configuration.targetMemoryPercentile = try arguments.double(
      "target-memory-percentile", default: configuration.targetMemoryPercentile)
    configuration.safetyMarginFraction = try arguments.double(
      "margin", default: configuration.safetyMarginFraction)
    configuration.aggregation.oomBumpUpRatio = try arguments.double(
      "oom-bump-up-ratio", default: configuration.aggregation.oomBumpUpRatio)
    if arguments.value("cpu-half-life") != nil {
      configuration.aggregation.cpuHistogramDecayHalfLife = .milliseconds(
        try arguments.milliseconds("cpu-half-life", default: 86_400_000))
    }
    let timing = VerticalReplayTiming(
      stepMilliseconds: try arguments.milliseconds("step", default: 60_000),
      recommenderIntervalMilliseconds: try arguments.milliseconds(
        "recommender-interval", default: 60_000),
      updaterIntervalMilliseconds: try arguments.milliseconds("updater-interval", default: 60_000))
    let start = try arguments.value("from").map { text throws(UsageError) in
      try ReplayCommand.parseTime(text, flag: "from", traceStart: traceStart)
    }
    let end = try arguments.value("to").map { text throws(UsageError) in
      try ReplayCommand.parseTime(text, flag: "to", traceStart: traceStart)
    }

    let replay: VerticalReplay
    do {
      replay = try VerticalReplay(
        vpa: vpa, recommender: configuration, containers: [usage], replicas: replicas,
        timing: timing, startMilliseconds: start, endMilliseconds: end,
        workloadName: manifest.targetRef.name)
    } catch {
      throw CommandFailure(error.description)
    }
    if arguments.flag("tune") {
      return try RecommendTune.run(arguments, replay: replay, container: containerName)
    }

    // Run: sample rows, keep the last, fill report buckets.
    let every = try arguments.milliseconds(
      "every",
      default: max(
        timing.stepMilliseconds,
        (replay.endMilliseconds - replay.startMilliseconds) / 24 / timing.stepMilliseconds
          * timing.stepMilliseconds))
    guard every > 0 else { throw UsageError(message: "--every must be > 0") }
    let reportPath = arguments.value("report")
    var chart = RecommendChartBuckets(
      totalSteps: replay.stepCount, startMilliseconds: replay.startMilliseconds,
      stepMilliseconds: timing.stepMilliseconds)
    var rows: [Row] = []
    var lastStep: VerticalTimelineRow?
    var pendingOOMs = 0
    var pendingEvictions = 0
    var nextPrint = replay.startMilliseconds
    let card = replay.run { step in
      if reportPath != nil { chart.add(step) }
      pendingOOMs += step.oomKills
      pendingEvictions += step.evictions
      lastStep = step
      if step.timeMilliseconds >= nextPrint {
        rows.append(Row(step, ooms: pendingOOMs, evictions: pendingEvictions))
        pendingOOMs = 0
        pendingEvictions = 0
        nextPrint = step.timeMilliseconds + every
      }
    }
    // The final row carries the run's totals of OOM kills and evictions.
    let last = lastStep.map { Row($0, ooms: card.oomKills, evictions: card.evictions) }
    if let reportPath {
      chart.finish()
      let html = RecommendReport.html(
        card: card, chart: chart,
        title:
          "autoscale recommend — \(manifest.name) on \(URL(fileURLWithPath: tracePath).lastPathComponent)",
        inputs: [
          (
            "VPA",
            "\(vpaPath) (\(manifest.name), mode \(vpa.updatePolicy.effectiveUpdateMode.rawValue))"
          ),
          ("Container", containerName),
          (
            "Trace",
            "\(tracePath): cpu \(cpuColumn?.name ?? "none") × \(NumberText.format(cpuScale)) cores, "
              + "memory \(memoryColumn?.name ?? "none")"
          ),
          (
            "Window",
            "\(ReplayCommand.isoTime(replay.startMilliseconds)) → \(ReplayCommand.isoTime(replay.endMilliseconds)), \(replay.stepCount) steps"
          ),
          ("Replicas", "\(replicas)"),
        ])
      try AtomicFile.write(html, to: reportPath)
    }

    if arguments.flag("json") {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let output = Output(
        container: containerName, updateMode: vpa.updatePolicy.effectiveUpdateMode.rawValue,
        rows: rows, final: last, scorecard: card)
      print(String(decoding: try encoder.encode(output), as: UTF8.self))
    } else {
      print(table(rows: rows, final: last, card: card))
    }
  }

  // MARK: Inputs

  static func loadVPA(_ path: String) throws(CommandFailure) -> VerticalPodAutoscalerManifest {
    let file: ManifestFile
    do { file = try ManifestLoader.load(path: path) } catch { throw CommandFailure("\(error)") }
    guard let vpa = file.verticalPodAutoscalers.first else {
      throw CommandFailure(
        "\(path) has no VerticalPodAutoscaler; pass an autoscaling.k8s.io/v1 manifest with --vpa")
    }
    return vpa
  }

  /// The manifest as the decision module's VPA (policies validated: min ≤ max, cpu/memory).
  static func verticalAutoscaler(_ manifest: VerticalPodAutoscalerManifest) throws(CommandFailure)
    -> VerticalPodAutoscaler
  {
    do throws(VerticalAutoscalingError) {
      let policies = try manifest.containerPolicies.map {
        policy throws(VerticalAutoscalingError) in
        ContainerResourcePolicy(
          containerName: policy.containerName,
          mode: ContainerScalingMode(rawValue: policy.mode.rawValue),
          minAllowed: policy.minAllowed, maxAllowed: policy.maxAllowed,
          controlledResources: try policy.controlledResources.map {
            name throws(VerticalAutoscalingError) in try RecommendedResource(name)
          },
          controlledValues: ContainerControlledValues(rawValue: policy.controlledValues.rawValue))
      }
      let resourcePolicy =
        policies.isEmpty ? nil : PodResourcePolicy(containerPolicies: policies)
      try resourcePolicy?.validate()
      return VerticalPodAutoscaler(
        name: manifest.name,
        updatePolicy: UpdatePolicy(
          updateMode: UpdateMode(rawValue: manifest.updateMode.rawValue),
          minReplicas: manifest.minReplicas.map { Int($0) }),
        resourcePolicy: resourcePolicy)
    } catch {
      throw CommandFailure("VPA \(manifest.name): \(error.description)")
    }
  }

  static func quantity(_ arguments: ParsedArguments, _ name: String) throws(UsageError)
    -> Quantity?
  {
    guard let text = arguments.value(name) else { return nil }
    guard let value = try? Quantity(parsing: text), value.signum >= 0 else {
      throw UsageError(
        message: "--\(name) expects a quantity such as 500m, 2 or 1Gi, got \"\(text)\"")
    }
    return value
  }

  // MARK: Output

  static func table(rows: [Row], final: Row?, card: VerticalScorecard) -> String {
    func cpu(_ value: Int64?) -> String { value.map { "\($0)m" } ?? "-" }
    func cpu(_ value: Double?) -> String {
      value.map { NumberText.format($0, digits: 0) + "m" } ?? "-"
    }
    func memory(_ value: Int64?) -> String { value.map { mebibytes(Double($0)) } ?? "-" }
    func memory(_ value: Double?) -> String { value.map(mebibytes) ?? "-" }
    let header = [
      "time", "cpu used", "cpu req", "cpu lower", "cpu target", "cpu upper", "mem used",
      "mem req", "mem lower", "mem target", "mem upper", "OOMs", "evictions",
    ]
    func cells(_ row: Row) -> [String] {
      [
        row.time, cpu(row.cpuUsageMillicores),
        row.cpuUsageMillicores == nil ? "-" : cpu(row.cpuRequestMillicores),
        cpu(row.lowerBoundCpuMillicores), cpu(row.targetCpuMillicores),
        cpu(row.upperBoundCpuMillicores), memory(row.memoryUsageBytes),
        row.memoryUsageBytes == nil ? "-" : memory(row.memoryRequestBytes),
        memory(row.lowerBoundMemoryBytes),
        memory(row.targetMemoryBytes), memory(row.upperBoundMemoryBytes), "\(row.oomKills)",
        "\(row.evictions)",
      ]
    }
    var lines = rows.map(cells)
    if let final { lines.append(["at the end"] + cells(final).dropFirst()) }
    let widths = header.indices.map { column in
      ([header[column]] + lines.map { $0[column] }).map(\.count).max() ?? 0
    }
    func render(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index == 0
          ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[index] - cell.count) + cell
      }.joined(separator: "  ")
    }
    var text = [render(header)] + lines.map(render)
    text.append("")
    text.append("slack (CPU)            \(NumberText.format(card.slackPercent, digits: 2)) %")
    text.append(
      "insufficient CPU       \(NumberText.format(card.insufficientCpuPercent, digits: 2)) % of usage, "
        + "\(NumberText.format(card.insufficientCpuTimePercent, digits: 2)) % of time")
    text.append(
      "throttled CPU          \(NumberText.format(card.throttledCpuPercent, digits: 2)) %")
    text.append("slack (memory)         \(NumberText.format(card.memorySlackPercent, digits: 2)) %")
    text.append("OOM kills              \(card.oomKills)")
    text.append("evictions              \(card.evictions)")
    text.append("in-place resizes       \(card.inPlaceResizes)")
    text.append(
      "mean request           \(NumberText.format(card.meanRequestCpuMillicores, digits: 0))m CPU, "
        + mebibytes(card.meanRequestMemoryBytes))
    text.append(
      "mean usage             \(NumberText.format(card.meanUsageCpuMillicores, digits: 0))m CPU, "
        + mebibytes(card.meanUsageMemoryBytes))
    return text.joined(separator: "\n")
  }

  static func mebibytes(_ bytes: Double) -> String {
    NumberText.format(bytes / 1_048_576, digits: 1) + "Mi"
  }
}

extension RecommendCommand.Row {
  init(_ step: VerticalTimelineRow, ooms: Int, evictions: Int) {
    self.init(
      time: ReplayCommand.isoTime(step.timeMilliseconds), timeMilliseconds: step.timeMilliseconds,
      cpuUsageMillicores: step.cpuUsageMillicores, memoryUsageBytes: step.memoryUsageBytes,
      cpuRequestMillicores: step.cpuRequestMillicores, memoryRequestBytes: step.memoryRequestBytes,
      targetCpuMillicores: step.targetCpuMillicores,
      lowerBoundCpuMillicores: step.lowerBoundCpuMillicores,
      upperBoundCpuMillicores: step.upperBoundCpuMillicores,
      targetMemoryBytes: step.targetMemoryBytes, lowerBoundMemoryBytes: step.lowerBoundMemoryBytes,
      upperBoundMemoryBytes: step.upperBoundMemoryBytes, oomKills: ooms, evictions: evictions)
  }
}
