// A Karpenter-style bin-packing plan for GPU and CPU pods on two NodePools, then one
// consolidation move once most of the CPU pods are gone.
//
//   swift run NodeBinPackingExample

import AutoscalingCore
import NodeAutoscaling

// Two NodePools: on-demand GPU nodes (tainted, so only GPU pods land there) and general
// purpose CPU nodes without GPUs.
let gpuTaint = Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule)
let gpuPool = NodePool(
  name: "gpu", weight: 10,
  requirements: [
    .oneOf(WellKnownLabel.instanceFamily, ["g5", "g6"]),
    .equal(WellKnownLabel.capacityType, "on-demand"),
  ],
  taints: [gpuTaint], limits: [.nvidiaGPU: Quantity(8)])
let cpuPool = NodePool(
  name: "general",
  requirements: [
    .oneOf(WellKnownLabel.instanceFamily, ["m5", "m6i", "c6i", "r6i"]),
    .equal(WellKnownLabel.capacityType, "on-demand"),
  ],
  limits: [.cpu: Quantity(64)])

/// Dollars with three decimals, e.g. `1.006`.
func dollars(_ amount: Double) -> String { "$\((amount * 1000).rounded() / 1000)" }
func gib(_ n: Int64) -> Quantity { Quantity(n << 30, format: .binarySI) }

// Two inference pods with one GPU each, and six web pods with one core and 2 GiB each.
let inference = PodTemplate(
  labels: ["app": "inference"],
  containers: [
    Container(
      name: "model", requests: [.cpu: Quantity(4), .memory: gib(16), .nvidiaGPU: Quantity(1)])
  ],
  tolerations: [Toleration(key: "nvidia.com/gpu", operator: .exists, effect: .noSchedule)])
let web = PodTemplate(
  labels: ["app": "web"],
  containers: [Container(name: "app", requests: [.cpu: Quantity(1), .memory: gib(2)])])
let start = Instant.seconds(1_767_261_600)
var pods = (0..<2).map { Pod(name: "inference-\($0)", template: inference, createdAt: start) }
pods += (0..<6).map { Pod(name: "web-\($0)", template: web, createdAt: start) }

let autoscaler = NodeAutoscaler()
var cluster = ClusterState(nodePools: [gpuPool, cpuPool], pods: pods)

// 1. Provisioning: which nodes to launch for the pending pods, and where each pod goes. As
//    upstream, pods are packed first-fit decreasing: a pod joins an in-flight node claim while
//    some instance type still fits them all, and the claim launches the cheapest such type.
let plan = try autoscaler.schedule(cluster, now: start)
for launch in plan.launches {
  let offering = launch.offering
  print("launch \(launch.instanceType) in pool \(launch.nodePool) as \(launch.name)")
  print("  \(offering.capacityType.rawValue) in \(offering.zone) at \(dollars(offering.price))/h")
  print("  for \(launch.pods.joined(separator: ", "))")
}
for pending in plan.pending { print("pending \(pending.pod): \(pending.reason)") }
print("plan costs \(dollars(plan.launchPricePerHour))/h")
cluster = cluster.applying(plan, at: start)

// 2. Later, the web Deployment scales in to one replica. A disruption reconcile proposes
//    one move: delete the node or replace it with a cheaper one.
let later = start + .seconds(3600)
cluster.pods.removeAll { $0.name.hasPrefix("web-") && $0.name != "web-0" }
let decision = try autoscaler.disrupt(cluster, now: later)
if let command = decision.command {
  let replacements = command.replacements.map(\.instanceType).joined(separator: ", ")
  let candidates = command.candidates.joined(separator: ", ")
  print(
    "\(command.method.rawValue): \(command.decision.rawValue) \(candidates)"
      + (replacements.isEmpty ? "" : " with \(replacements)")
      + ", saving \(dollars(command.savingsPerHour))/h (validate at +15 s)")
  for destination in command.podDestinations {
    print("  \(destination.pod) -> \(destination.node)")
  }
} else {
  print("no disruption: \(decision.reason)")
}
for event in decision.events { print("event \(event.node ?? "-"): \(event.message)") }
