import AutoscalingCore
import AutoscalingReplay
import NodeAutoscaling

/// Node replay: Karpenter provisioning and consolidation driven by pod arrivals and departures.
func nodeReplayBenchmarks() -> [Benchmark] {
  guard let replay = try? syntheticNodeReplay(pods: 300) else { return [] }
  return [
    Benchmark(name: "NodeReplay.run/300 pods 1 day", operationsPerRun: replay.pods.count, target: "pods/s") {
      blackHole(try? replay.run())
    }
  ]
}

/// `count` pods over a day (seeded): 0.25–4 cpu, 0.5–16 GiB, lifetimes 5 min–6 h, one in
/// twenty asking for a GPU; a GPU NodePool (g5, tainted) and a general one, both
/// WhenEmptyOrUnderutilized after 1 min.
private func syntheticNodeReplay(pods count: Int) throws -> NodeReplay {
  var state: UInt64 = 42
  func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  var pods: [NodeReplayPod] = []
  for index in 0..<count {
    let arrival = Int64(next() % 86_400_000)
    let lifetime = 300_000 + Int64(next() % 21_300_000)
    var requests: ResourceList = [
      .cpu: Quantity(milliValue: 250 * Int64(1 + next() % 16)),
      .memory: Quantity(536_870_912 * Int64(1 + next() % 32)),
    ]
    if next() % 20 == 0 { requests[.nvidiaGPU] = Quantity(1) }
    pods.append(
      .requesting(
        name: "pod-\(index)", arrivalMilliseconds: arrival, departureMilliseconds: arrival + lifetime, requests: requests))
  }
  let settings = DisruptionSettings(consolidationPolicy: .whenEmptyOrUnderutilized, consolidateAfterMilliseconds: 60_000)
  let gpu = NodePool(
    name: "gpu", weight: 10,
    requirements: [try Requirement(key: "karpenter.k8s.aws/instance-family", operator: .in, values: ["g5"])],
    taints: [Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule)], disruption: settings)
  let general = NodePool(
    name: "general",
    requirements: [try Requirement(key: WellKnownLabel.capacityType, operator: .in, values: ["on-demand"])],
    disruption: settings)
  return try NodeReplay(nodePools: [gpu, general], pods: pods)
}
