import AutoscalingCore
import NodeAutoscaling

/// A tiny seeded generator (SplitMix64) so workloads are the same on every run.
private struct BenchmarkRandom {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

/// Upstream's `fake.InstanceTypes(400)`: i+1 vCPU, 2(i+1) GiB, 10(i+1) pods, spot in two zones
/// and on-demand in three, price 0.1·cpu + 0.1·GB.
func fakeInstanceTypes(_ count: Int) -> [InstanceType] {
  let overhead = InstanceTypeOverhead(kubeReserved: [.cpu: Quantity(milliValue: 100), .memory: Quantity(10 << 20)])
  return (0..<count).map { i in
    let cpu = Int64(i + 1)
    let memory = Int64(2 * (i + 1)) << 30
    let price = 0.1 * Double(cpu) + 0.1 * Double(memory) / 1e9
    return InstanceType(
      name: "fake-it-\(i)", architecture: "amd64", operatingSystems: ["linux", "windows", "darwin"],
      capacity: [.cpu: Quantity(cpu), .memory: Quantity(memory, format: .binarySI), .pods: Quantity(10 * cpu)],
      overhead: overhead,
      offerings: [
        Offering(zone: "test-zone-1", capacityType: .spot, price: price),
        Offering(zone: "test-zone-2", capacityType: .spot, price: price),
        Offering(zone: "test-zone-1", capacityType: .onDemand, price: price),
        Offering(zone: "test-zone-2", capacityType: .onDemand, price: price),
        Offering(zone: "test-zone-3", capacityType: .onDemand, price: price),
      ],
      labels: ["integer": "\(cpu)"])
  }
}

/// Upstream's `makeDiversePods`: fifths of generic pods, zonal spread, hostname spread, zonal
/// self-affinity and hostname anti-affinity; cpu from {100m…1500m}, memory from {100Mi…4Gi}.
func diversePods(_ count: Int, seed: UInt64 = 42) -> [Pod] {
  var random = BenchmarkRandom(state: seed)
  let values = ["a", "b", "c", "d", "e", "f", "g"]
  let cpus: [Int64] = [100, 250, 500, 1000, 1500]
  let memories: [Int64] = [100, 256, 512, 1024, 2048, 4096]
  var pods: [Pod] = []
  func container(_ random: inout BenchmarkRandom) -> Container {
    Container(
      name: "c",
      requests: [.cpu: Quantity(milliValue: random.pick(cpus)), .memory: Quantity(random.pick(memories) << 20, format: .binarySI)])
  }
  let fifth = count / 5
  for kind in 0..<5 {
    for _ in 0..<fifth {
      var template: PodTemplate
      switch kind {
      case 1, 2:
        let selector = LabelSelector(matchLabels: ["my-label": random.pick(values)])
        template = PodTemplate(
          labels: ["my-label": random.pick(values)], containers: [container(&random)],
          topologySpreadConstraints: [
            TopologySpreadConstraint(
              maxSkew: 1, topologyKey: kind == 1 ? WellKnownLabel.zone : WellKnownLabel.hostname,
              whenUnsatisfiable: .doNotSchedule, labelSelector: selector)
          ])
      case 3:
        let labels = ["my-affininity": random.pick(values)]
        template = PodTemplate(
          labels: labels, containers: [container(&random)],
          requiredPodAffinity: [PodAffinityTerm(labelSelector: LabelSelector(matchLabels: labels), topologyKey: WellKnownLabel.zone)])
      case 4:
        let labels = ["app": "nginx"]
        template = PodTemplate(
          labels: labels, containers: [container(&random)],
          requiredPodAntiAffinity: [
            PodAffinityTerm(labelSelector: LabelSelector(matchLabels: labels), topologyKey: WellKnownLabel.hostname)
          ])
      default:
        template = PodTemplate(labels: ["my-label": random.pick(values)], containers: [container(&random)])
      }
      pods.append(Pod(name: "p-\(pods.count)", template: template))
    }
  }
  while pods.count < count {
    pods.append(Pod(name: "p-\(pods.count)", template: PodTemplate(labels: ["my-label": random.pick(values)], containers: [container(&random)])))
  }
  return pods
}

/// A stable FNV-1a digest of a plan's decisions (every binding, every launch's type, offering,
/// options and requests, every pending reason), to check that a speed change keeps decisions.
func planDigest(_ plan: ProvisioningPlan) -> String {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  func mix(_ text: String) {
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    hash ^= 0xFF
    hash &*= 0x0000_0100_0000_01B3
  }
  for binding in plan.bindings { mix(binding.pod); mix(binding.node) }
  for launch in plan.launches {
    mix(launch.name); mix(launch.instanceType); mix(launch.offering.zone); mix(launch.offering.capacityType.rawValue)
    mix("\(launch.offering.price)"); mix(launch.instanceTypeOptions.joined(separator: ","))
    for (name, quantity) in launch.requests.quantities.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      mix(name.rawValue); mix("\(quantity.milliValue)")
    }; mix(launch.requirements.description); mix(launch.pods.joined(separator: ","))
  }
  for pending in plan.pending { mix(pending.pod); mix(pending.reason) }
  return String(hash, radix: 16)
}

func schedulingBenchmarkState(pods: Int) -> ClusterState {
  let pool = NodePool(
    name: "default", limits: [.cpu: Quantity(10_000_000), .memory: Quantity(10_000_000 << 30, format: .binarySI)])
  return ClusterState(nodePools: [pool], instanceTypes: fakeInstanceTypes(400), pods: diversePods(pods))
}

/// A 1,000-node cluster of embedded-catalogue nodes holding 20,000 pods: most nodes are nearly
/// full (no move pays off), a tail is underutilized.
func consolidationBenchmarkState() -> ClusterState {
  let catalogue = InstanceCatalog.embedded()
  var pool = NodePool(name: "general", requirements: [])
  pool.disruption = DisruptionSettings(consolidationPolicy: .whenEmptyOrUnderutilized, consolidateAfterMilliseconds: 0, budgets: [DisruptionBudget(nodes: "10%")])
  pool.limits = [.cpu: Quantity(100_000)]
  guard let type = catalogue.first(where: { $0.name == "m5.2xlarge" }) else { return ClusterState() }
  var random = BenchmarkRandom(state: 7)
  var nodes: [Node] = []
  var pods: [Pod] = []
  let zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
  for n in 0..<1_000 {
    let name = "node-\(n)"
    let zone = zones[n % 3]
    var labels = type.labels
    labels[WellKnownLabel.instanceType] = type.name
    labels[WellKnownLabel.zone] = zone
    labels[WellKnownLabel.capacityType] = CapacityType.onDemand.rawValue
    labels[WellKnownLabel.arch] = type.architecture
    labels[WellKnownLabel.os] = "linux"
    labels[WellKnownLabel.nodePool] = pool.name
    labels[WellKnownLabel.hostname] = name
    nodes.append(
      Node(name: name, nodePool: pool.name, labels: labels, capacity: type.capacity, allocatable: type.allocatable))
    // 20 pods per node: 350m and 1.25Gi each (7 cpu, 25Gi of 7.91 cpu / 28.6Gi), lighter on the last 5%.
    let light = n >= 950
    for p in 0..<20 {
      let cpu: Int64 = light ? 50 : 350 + Int64(random.next() % 3) * 5
      let app = "app-\(p % 10)"
      let template = PodTemplate(
        labels: ["app": app],
        containers: [Container(name: "c", requests: [.cpu: Quantity(milliValue: cpu), .memory: Quantity(1_280 << 20, format: .binarySI)])],
        topologySpreadConstraints: p % 4 == 0
          ? [TopologySpreadConstraint(maxSkew: 400, topologyKey: WellKnownLabel.zone, labelSelector: LabelSelector(matchLabels: ["app": app]))]
          : [])
      pods.append(Pod(name: "\(name)-p\(p)", template: template, nodeName: name))
    }
  }
  return ClusterState(nodePools: [pool], instanceTypes: catalogue, nodes: nodes, pods: pods)
}

/// Provisioning in the shape of upstream's scheduling benchmark, and consolidation passes over
/// a 1,000-node, 20,000-pod cluster.
///
/// `Nodes.schedule/N pods` times `NodeAutoscaler.schedule(_:catalogue:now:)` with the 400 instance
/// types prepared once outside the timed region (a ``PreparedCatalogue``), as upstream's benchmark
/// builds its instance types once before timing `Solve`; the pods, NodePool and everything else
/// derived from the state are prepared inside it, per call. Calls of fewer than 1,000 pods are
/// repeated (1,000 / N times per sample) so one sample is long enough to time.
func nodeBenchmarks() -> [Benchmark] {
  var benchmarks: [Benchmark] = []
  let autoscaler = NodeAutoscaler()
  for size in [1, 10, 100, 1_000, 5_000, 10_000, 20_000, 40_000] {
    var prepared: (state: ClusterState, catalogue: PreparedCatalogue)?
    var reported = false
    let repetitions = max(1, 1_000 / size)
    benchmarks.append(
      Benchmark(name: "Nodes.schedule/\(size) pods", operationsPerRun: size * repetitions, target: "≥ 39,100 pods/s (50× upstream 782)") {
        if prepared == nil {
          let state = schedulingBenchmarkState(pods: size)
          if let catalogue = try? PreparedCatalogue(state) { prepared = (state, catalogue) }
        }
        guard let prepared else { return }
        for _ in 0..<repetitions {
          let plan = try? autoscaler.schedule(prepared.state, catalogue: prepared.catalogue, now: .epoch)
          if !reported, let plan {
            reported = true
            let perCall = (try? autoscaler.schedule(prepared.state, now: .epoch)).map(planDigest) ?? "failed"
            print(
              "  (\(plan.bindings.count) pods onto \(plan.launches.count) nodes, \(plan.pending.count) pending, plan digest \(planDigest(plan)); "
                + "preparing per call: \(perCall))")
          }
          blackHole(plan)
        }
      })
  }
  var cluster: ClusterState?
  benchmarks.append(
    Benchmark(name: "Nodes.consolidateSingle/1000 nodes 20000 pods", operationsPerRun: 1, target: "≤ 1 s per pass") {
      if cluster == nil { cluster = consolidationBenchmarkState() }
      guard let cluster else { return }
      blackHole(try? autoscaler.disrupt(cluster, now: .seconds(3_600), methods: [.singleNodeConsolidation]))
    })
  benchmarks.append(
    Benchmark(name: "Nodes.consolidateMulti/1000 nodes 20000 pods", operationsPerRun: 1, target: "report") {
      if cluster == nil { cluster = consolidationBenchmarkState() }
      guard let cluster else { return }
      blackHole(try? autoscaler.disrupt(cluster, now: .seconds(3_600), methods: [.multiNodeConsolidation]))
    })
  return benchmarks
}
