import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import Foundation
import NodeAutoscaling

/// The node family of the scoreboard: the pod event traces of `../shared/traces`
/// (`alibaba-gpu-2023`, `alibaba-gpu-2025`) replayed through Karpenter provisioning and
/// consolidation (`NodeReplay`) with the consolidation settings side by side.
///
/// Two NodePools on the embedded catalogue: `gpu` (g5, p3, p4d; tainted `nvidia.com/gpu`, which
/// GPU pods tolerate) and `general` (every other type, spot or on-demand); both get the
/// configuration's consolidation policy and consolidateAfter, a 10 % budget. Each trace is
/// sliced to its first pods by arrival (in the 2025 trace, the instances already running at the
/// trace start have no creation time and are left out), replayed over at most
/// ``windowMilliseconds`` from the first arrival (the node replay costs ≈ 16 ms per pod event).
struct NodeFamily {
  /// The figures printed (all go to JSON).
  static let columns: [Rendering.Column] = [
    ("costDollars", "cost $", false),
    ("nodeHours", "node-h", false),
    ("nodeLaunches", "launches", false),
    ("nodeTerminations", "terminations", false),
    ("podsDisrupted", "disrupted", false),
    ("pendingPodSeconds", "pending pod-s", false),
    ("meanCpuAllocation", "cpu alloc", true),
    ("meanMemoryAllocation", "mem alloc", true),
    ("meanGpuAllocation", "gpu alloc", true),
  ]

  /// The configurations: policy and consolidateAfter (milliseconds, `nil` = Never).
  static let configurations: [(name: String, policy: ConsolidationPolicy, after: Int64?)] = [
    ("WhenEmpty/30s", .whenEmpty, 30_000),
    ("WhenEmpty/5m", .whenEmpty, 300_000),
    ("WhenEmptyOrUnderutilized/0s", .whenEmptyOrUnderutilized, 0),
    ("WhenEmptyOrUnderutilized/1m", .whenEmptyOrUnderutilized, 60_000),
    ("WhenEmptyOrUnderutilized/5m", .whenEmptyOrUnderutilized, 300_000),
    ("WhenEmptyOrUnderutilized/30m", .whenEmptyOrUnderutilized, 1_800_000),
  ]

  var quick: Bool

  /// Pods per trace: the first arrivals.
  var podLimit: Int { quick ? 100 : 300 }
  /// The replay window from the first arrival: 7 days (milliseconds).
  static let windowMilliseconds: Int64 = 7 * 86_400_000

  /// The pod event traces present under `folder` (`../shared/traces`), read and sliced.
  func traces(folder: String, log: (String) -> Void) -> [(name: String, pods: [NodeReplayPod])] {
    let files: [(String, (String) throws(TraceError) -> EventTrace, skipPreexisting: Bool)] = [
      ("alibaba-gpu-2023/openb_pod_list_default.csv", PublicTraces.readAlibabaGPU2023Pods, false),
      ("alibaba-gpu-2025/disaggregated_DLRM_trace.csv", PublicTraces.readAlibabaGPU2025DLRM, true),
    ]
    var traces: [(String, [NodeReplayPod])] = []
    for (file, read, skipPreexisting) in files {
      let path = folder + "/" + file
      guard FileManager.default.fileExists(atPath: path) else {
        log("nodes: \(path) not present; skipped")
        continue
      }
      do {
        let pods = NodeReplayPod.fromEventTrace(try read(path)).filter { !skipPreexisting || $0.arrivalMilliseconds > 0 }
        traces.append(("\(file) (first \(podLimit) arrivals, ≤ 7 d)", Array(pods.prefix(podLimit))))
      } catch {
        log("nodes: skipped \(file): \(error)")
      }
    }
    return traces
  }

  /// The two NodePools with one configuration's consolidation settings.
  static func nodePools(policy: ConsolidationPolicy, after: Int64?) throws -> [NodePool] {
    let settings = DisruptionSettings(
      consolidationPolicy: policy, consolidateAfterMilliseconds: after, budgets: [DisruptionBudget(nodes: "10%")])
    let gpuFamilies = ["g5", "p3", "p4d"]
    let gpu = NodePool(
      name: "gpu", weight: 10,
      requirements: [try Requirement(key: "karpenter.k8s.aws/instance-family", operator: .in, values: gpuFamilies)],
      taints: [Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule)], disruption: settings)
    let general = NodePool(
      name: "general",
      requirements: [try Requirement(key: "karpenter.k8s.aws/instance-family", operator: .notIn, values: gpuFamilies)],
      disruption: settings)
    return [gpu, general]
  }

  static func figures(_ card: NodeScorecard) -> [String: Double] {
    [
      "costDollars": card.costDollars, "nodeHours": card.nodeHours, "nodeLaunches": Double(card.nodeLaunches),
      "nodeTerminations": Double(card.nodeTerminations), "podsDisrupted": Double(card.podsDisrupted),
      "pendingPodSeconds": card.pendingPodSeconds, "meanCpuAllocation": card.meanCpuAllocation,
      "meanMemoryAllocation": card.meanMemoryAllocation, "meanGpuAllocation": card.meanGpuAllocation,
    ]
  }

  /// The pods no fresh node of any NodePool can hold (scheduled together on an empty cluster, the
  /// NodePools without limits): a count and the first pod's pending reason, or `nil` when all fit.
  ///
  /// Such pods stay pending for their whole life in every configuration; on the 2025 trace these are
  /// the 192-core pods (the largest type, p5.48xlarge, has 191.45 allocatable cores after
  /// kube-reserved).
  static func unschedulable(pods: [NodeReplayPod], nodePools: [NodePool]) throws -> String? {
    var cluster = ClusterState(nodePools: nodePools, instanceTypes: InstanceCatalog.embedded())
    cluster.pods = pods.map {
      Pod(
        name: $0.name, template: $0.template, ownerKind: $0.ownerKind,
        createdAt: Instant(millisecondsSinceEpoch: $0.arrivalMilliseconds))
    }
    let now = Instant(millisecondsSinceEpoch: pods.first?.arrivalMilliseconds ?? 0)
    let plan = try NodeAutoscaler(options: NodeAutoscalerOptions()).schedule(cluster, now: now)
    guard let first = plan.pending.first else { return nil }
    return "\(plan.pending.count) of \(pods.count) pods fit no instance type of any NodePool, e.g. \(first.pod): \(first.reason)"
  }

  /// Replays one trace under every configuration.
  func score(name: String, pods: [NodeReplayPod]) throws -> [QualityRow] {
    var rows: [QualityRow] = []
    let unschedulable = try Self.unschedulable(pods: pods, nodePools: try Self.nodePools(policy: .whenEmpty, after: nil))
    for configuration in Self.configurations {
      let start = pods.first?.arrivalMilliseconds ?? 0
      let last = pods.map { $0.departureMilliseconds ?? $0.arrivalMilliseconds }.max() ?? start
      let replay = try NodeReplay(
        nodePools: try Self.nodePools(policy: configuration.policy, after: configuration.after), pods: pods,
        startMilliseconds: start, endMilliseconds: min(last + 1, start + Self.windowMilliseconds))
      let card = try replay.run()
      rows.append(
        QualityRow(
          family: "nodes", trace: name, configuration: configuration.name, window: "full",
          figures: Self.figures(card),
          details: [
            "consolidationPolicy": configuration.policy.rawValue,
            "consolidateAfter": configuration.after.map { "\($0 / 1_000)s" } ?? "Never",
            "unschedulable": unschedulable ?? "none",
          ]))
    }
    return rows
  }
}
