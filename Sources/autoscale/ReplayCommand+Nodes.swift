import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import Foundation
import NodeAutoscaling

/// `autoscale replay --nodepool FILE… [--instance-types FILE.csv]`: the HPA replay's replica
/// timeline turned into pods (one per replica stint) and replayed through Karpenter provisioning
/// and consolidation (`NodeReplay`), so the node scorecard sits beside the HPA one.
struct ReplayNodes {
  /// The flags `autoscale replay` adds for nodes.
  static let optionSpecs: [OptionSpec] = [
    OptionSpec(
      name: "nodepool", valueName: "FILE",
      help: "NodePool manifest: also replay the replicas on Karpenter nodes (repeatable)", repeatable: true),
    OptionSpec(
      name: "instance-types", valueName: "FILE.csv",
      help: "instance catalogue for --nodepool (aws-instance-types.csv format)", defaultValue: "the embedded catalogue"),
  ]

  /// The help paragraph on the node part of a replay.
  static let epilogue = """
    With --nodepool, every replica stint of the timeline becomes a pod with the workload's
    template (scale-down removes the newest pods first), replayed through Karpenter
    provisioning and consolidation (launch latency 60 s, batches 1 s idle / 10 s max, disruption
    loop every 10 s, the NodePools' consolidation settings); the node scorecard (nodes,
    node-hours, cost in USD, pods disrupted, pending pod-seconds, allocation) is printed after
    the HPA one and under "nodes" with --json.
    """

  let name: String
  let template: PodTemplate
  let pools: [NodePool]
  let types: [InstanceType]
  /// Replica-count changes: sample times (milliseconds) and the count from each on.
  private(set) var times: [Int64] = []
  private(set) var replicas: [Int] = []

  /// The node part of a replay, or `nil` without `--nodepool`.
  ///
  /// - Parameters:
  ///   - arguments: The parsed command line.
  ///   - workload: The workload whose pods are replayed.
  /// - Throws: `CommandFailure` for unreadable NodePool or catalogue files.
  init?(_ arguments: ParsedArguments, workload: WorkloadManifest) throws(CommandFailure) {
    let paths = arguments.all("nodepool")
    if paths.isEmpty {
      if arguments.value("instance-types") != nil {
        throw CommandFailure("--instance-types needs --nodepool: it is the catalogue the NodePools launch from")
      }
      return nil
    }
    var configs: [TimeSlicingConfig] = []
    for path in paths { configs += try NodeInputs.manifest(path: path).timeSlicingConfigs }
    pools = try NodeInputs.nodePools(paths: paths)
    types = try NodeInputs.catalog(path: arguments.value("instance-types"), timeSlicing: configs)
    name = workload.name
    template = workload.template
  }

  /// Records one timeline row (only changes of the replica count are kept).
  ///
  /// - Parameter row: A row of the HPA replay's timeline.
  mutating func add(_ row: ReplayTimelineRow) {
    if let last = replicas.last, last == row.replicas { return }
    if let time = times.last, time >= row.timeMilliseconds { return }
    times.append(row.timeMilliseconds)
    replicas.append(row.replicas)
  }

  /// Replays the recorded pods on nodes.
  ///
  /// - Parameter endMilliseconds: The end of the HPA replay (exclusive), milliseconds.
  /// - Returns: The node scorecard, and how many pods the timeline gave.
  /// - Throws: `CommandFailure` when the node replay rejects its input.
  func run(endMilliseconds: Int64) throws(CommandFailure) -> (card: NodeScorecard, pods: Int) {
    do {
      let pods = try NodeReplayPod.fromReplicaTimeline(
        name: name, template: template, timesMilliseconds: times, replicas: replicas)
      guard !pods.isEmpty else {
        return (NodeScorecard(), 0)
      }
      let start = times.first ?? 0
      let replay = try NodeReplay(
        nodePools: pools, instanceTypes: types, pods: pods, startMilliseconds: start,
        endMilliseconds: max(endMilliseconds, start + 1))
      return (try replay.run(), pods.count)
    } catch {
      throw CommandFailure("node replay of \(name)'s replicas: \(error)")
    }
  }

  /// The node scorecard as text rows, under a heading naming the NodePools.
  ///
  /// - Parameters:
  ///   - card: The node scorecard.
  ///   - pods: Pods replayed.
  /// - Returns: The lines.
  func table(_ card: NodeScorecard, pods: Int) -> String {
    let heading = "nodes (Karpenter: \(pools.map(\.name).joined(separator: ", ")); \(types.count) instance types)"
    return heading + "\n" + NodeReplayCommand.rows(card, pods: pods)
  }

  /// The HPA scorecard's JSON object with the node scorecard added under `nodes`.
  ///
  /// - Parameters:
  ///   - hpa: The HPA scorecard JSON (an object).
  ///   - card: The node scorecard.
  /// - Returns: Pretty, key-sorted JSON.
  /// - Throws: `CommandFailure` when either cannot be encoded.
  static func json(hpa: Data, nodes card: NodeScorecard) throws(CommandFailure) -> String {
    do {
      let encoder = JSONEncoder()
      guard var object = try JSONSerialization.jsonObject(with: hpa) as? [String: Any],
        let nodes = try JSONSerialization.jsonObject(with: try encoder.encode(card)) as? [String: Any]
      else { throw CommandFailure("cannot combine the HPA and node scorecards as JSON") }
      object["nodes"] = nodes
      let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
      return String(decoding: data, as: UTF8.self)
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw CommandFailure("cannot encode the scorecards as JSON: \(error)")
    }
  }
}
