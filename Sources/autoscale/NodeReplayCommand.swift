import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import Foundation
import NodeAutoscaling

/// `autoscale nodes --nodepool FILE… --pods-trace FILE`: pod arrivals and departures replayed
/// against Karpenter provisioning and consolidation.
enum NodeReplayCommand {
  static let formats = ["alibaba-gpu-2023", "alibaba-gpu-2025"]

  static let spec = CommandSpec(
    name: "nodes",
    summary: "Replay pod arrivals/departures against Karpenter provisioning and consolidation.",
    options: [
      OptionSpec(name: "nodepool", valueName: "FILE", help: "NodePool manifest (karpenter.sh/v1 or v1beta1)", repeatable: true, required: true),
      OptionSpec(name: "pods-trace", valueName: "FILE", help: "pod event trace", required: true),
      OptionSpec(
        name: "format", valueName: "FORMAT",
        help: "trace format: alibaba-gpu-2023 (openb_pod_list_*.csv), alibaba-gpu-2025 (disaggregated_DLRM_trace.csv)",
        defaultValue: "alibaba-gpu-2023"),
      OptionSpec(name: "catalog", valueName: "FILE.csv", help: "instance catalogue in the aws-instance-types.csv format", defaultValue: "the embedded catalogue"),
      OptionSpec(
        name: "consolidation", valueName: "POLICY", help: "override every NodePool's consolidationPolicy: WhenEmpty or WhenEmptyOrUnderutilized"),
      OptionSpec(name: "consolidate-after", valueName: "DURATION", help: "override every NodePool's consolidateAfter"),
      OptionSpec(name: "launch-latency", valueName: "DURATION", help: "from node launch to initialized", defaultValue: "60s"),
      OptionSpec(name: "batch-idle", valueName: "DURATION", help: "provisioning batch idle period", defaultValue: "1s"),
      OptionSpec(name: "batch-max", valueName: "DURATION", help: "provisioning batch maximum", defaultValue: "10s"),
      OptionSpec(name: "consolidation-interval", valueName: "DURATION", help: "disruption loop period", defaultValue: "10s"),
      OptionSpec(name: "spot-interruptions", valueName: "RATE", help: "spot interruptions per spot node-hour (seeded)", defaultValue: "0"),
      OptionSpec(name: "seed", valueName: "N", help: "seed of the spot interruptions", defaultValue: "0"),
      OptionSpec(name: "max-pods", valueName: "N", help: "replay only the first N pods by arrival (a slice of a large trace)"),
      OptionSpec(name: "json", valueName: nil, help: "print the scorecard as JSON"),
    ] + NodesTune.optionSpecs,
    epilogue:
      "Pods asking for nvidia.com/gpu tolerate the nvidia.com/gpu taint (ExtendedResourceToleration).\n"
      + "Scorecard: nodeHours, costDollars, nodeLaunches, nodeTerminations, podsDisrupted,\n"
      + "pendingPodSeconds, meanCpuAllocation, meanMemoryAllocation, meanGpuAllocation (see NodeScorecard).\n"
      + NodesTune.epilogue)

  static func run(_ arguments: ParsedArguments) throws {
    let format = arguments.value("format") ?? "alibaba-gpu-2023"
    guard formats.contains(format) else {
      throw UsageError(message: "unknown --format \"\(format)\"; use one of: \(formats.joined(separator: ", "))")
    }
    let tracePath = try arguments.required("pods-trace")
    guard FileManager.default.fileExists(atPath: tracePath) else {
      throw CommandFailure("pod trace \(tracePath) does not exist")
    }
    let trace: EventTrace
    do {
      trace = format == "alibaba-gpu-2023"
        ? try PublicTraces.readAlibabaGPU2023Pods(path: tracePath)
        : try PublicTraces.readAlibabaGPU2025DLRM(path: tracePath)
    } catch {
      throw CommandFailure("cannot read pod trace: \(error)")
    }
    var limit: Int?
    if arguments.value("max-pods") != nil {
      let value = try arguments.int("max-pods", default: 0)
      guard value > 0 else { throw UsageError(message: "--max-pods expects a positive whole number, got \(value)") }
      limit = value
    }
    let pods = NodeReplayPod.fromEventTrace(trace, limit: limit)

    let poolPaths = arguments.all("nodepool")
    var configs: [TimeSlicingConfig] = []
    for path in poolPaths { configs += try NodeInputs.manifest(path: path).timeSlicingConfigs }
    var pools = try NodeInputs.nodePools(paths: poolPaths)
    if let text = arguments.value("consolidation") {
      let policy: ConsolidationPolicy
      switch text {
      case "WhenEmpty": policy = .whenEmpty
      case "WhenEmptyOrUnderutilized": policy = .whenEmptyOrUnderutilized
      default:
        throw UsageError(message: "--consolidation expects WhenEmpty or WhenEmptyOrUnderutilized, got \"\(text)\"")
      }
      for index in pools.indices { pools[index].disruption.consolidationPolicy = policy }
    }
    if arguments.value("consolidate-after") != nil {
      let after = try arguments.milliseconds("consolidate-after", default: 0)
      for index in pools.indices { pools[index].disruption.consolidateAfterMilliseconds = after }
    }
    let types = try NodeInputs.catalog(path: arguments.value("catalog"), timeSlicing: configs)
    let rate = try arguments.double("spot-interruptions", default: 0)
    let seed = try arguments.int("seed", default: 0)
    let timing = NodeReplayTiming(
      batchIdleMilliseconds: try arguments.milliseconds("batch-idle", default: 1_000),
      batchMaxMilliseconds: try arguments.milliseconds("batch-max", default: 10_000),
      nodeLaunchMilliseconds: try arguments.milliseconds("launch-latency", default: 60_000),
      consolidationIntervalMilliseconds: try arguments.milliseconds("consolidation-interval", default: 10_000))
    let card: NodeScorecard
    do {
      let replay = try NodeReplay(
        nodePools: pools, instanceTypes: types, pods: pods, timing: timing,
        spotInterruptions: rate > 0 ? SpotInterruptions(ratePerNodeHour: rate, seed: UInt64(bitPattern: Int64(seed))) : nil)
      if arguments.flag("tune") { return try NodesTune.run(replay, arguments) }
      card = try replay.run()
    } catch let error as NodeReplayError {
      throw CommandFailure("node replay: \(error)")
    }
    if arguments.flag("json") {
      print(try NodeInputs.json(card), terminator: "")
      return
    }
    print(rows(card, pods: pods.count))
  }

  /// The node scorecard as aligned `key value` lines.
  static func rows(_ card: NodeScorecard, pods: Int) -> String {
    let rows: [(String, String)] = [
      ("pods", String(pods)),
      ("nodeHours", NumberText.format(card.nodeHours)),
      ("costDollars", NumberText.format(card.costDollars)),
      ("nodeLaunches", String(card.nodeLaunches)),
      ("nodeTerminations", String(card.nodeTerminations)),
      ("podsDisrupted", String(card.podsDisrupted)),
      ("pendingPodSeconds", NumberText.format(card.pendingPodSeconds)),
      ("meanCpuAllocation", NumberText.format(card.meanCpuAllocation)),
      ("meanMemoryAllocation", NumberText.format(card.meanMemoryAllocation)),
      ("meanGpuAllocation", NumberText.format(card.meanGpuAllocation)),
    ]
    return rows.map { $0.0.padding(toLength: 22, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
  }
}
