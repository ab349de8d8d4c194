import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import Foundation
import NodeAutoscaling
import Testing
import _AutoscalingTestSupport

/// Node replay on hand-made event traces (node-hours, cost, pending time computed by hand from
/// the batching, launch and consolidation clocks) and on a slice of the Alibaba GPU 2023 trace.
@Suite("Node replay")
struct NodeReplayTests {
  static let second: Int64 = 1_000
  /// m5.large on-demand in us-east-1 (public price, USD/h).
  static let m5LargePrice = 0.096

  /// One NodePool: on-demand in us-east-1a, only the given instance types.
  static func pool(
    types: [String] = ["m5.large"], capacityType: String = "on-demand", policy: ConsolidationPolicy = .whenEmpty
  ) throws -> NodePool {
    NodePool(
      name: "pool",
      requirements: [
        try Requirement(key: WellKnownLabel.instanceType, operator: .in, values: types),
        try Requirement(key: WellKnownLabel.capacityType, operator: .in, values: [capacityType]),
        try Requirement(key: WellKnownLabel.zone, operator: .in, values: ["us-east-1a"]),
      ],
      disruption: DisruptionSettings(consolidationPolicy: policy, consolidateAfterMilliseconds: 0))
  }

  static func pod(_ name: String, cpu: String, from: Int64, to: Int64?) throws -> NodeReplayPod {
    NodeReplayPod.requesting(
      name: name, arrivalMilliseconds: from * second, departureMilliseconds: to.map { $0 * second },
      requests: [.cpu: try Quantity(parsing: cpu)])
  }

  static func allocatableCPU(_ type: String) throws -> Double {
    let instance = try #require(InstanceCatalog.embedded().first { $0.name == type })
    return Double(instance.allocatable.amount(of: .cpu).milliValue)
  }

  /// One pod, 0 s → 3 600 s. The batch closes 1 s after the arrival (idle), the node is ready at
  /// 61 s; the pod leaves at 3 600 s, the loop (10 s grid) sees an empty node at 3 600 s,
  /// validates at 3 615 s and deletes it: billed 1 s → 3 615 s.
  @Test("one pod: batch, launch latency, emptiness after validation")
  func singlePod() throws {
    let replay = try NodeReplay(
      nodePools: [try Self.pool()], pods: [try Self.pod("p1", cpu: "1", from: 0, to: 3_600)],
      endMilliseconds: 7_200 * Self.second)
    let card = try replay.run()
    let hours = Double(3_615 - 1) / 3_600
    #expect(card.nodeLaunches == 1)
    #expect(card.nodeTerminations == 1)
    #expect(card.podsDisrupted == 0)
    #expect(abs(card.nodeHours - hours) < 1e-12)
    #expect(abs(card.costDollars - hours * Self.m5LargePrice) < 1e-12)
    #expect(abs(card.pendingPodSeconds - 61) < 1e-9)
    let allocatable = try Self.allocatableCPU("m5.large")
    #expect(abs(card.meanCpuAllocation - 1_000 * 3_599 / (allocatable * 3_614)) < 1e-12)
    #expect(card.meanGpuAllocation == 0)
    #expect(card.meanMemoryAllocation == 0)
    // Same inputs, same bits.
    #expect(try replay.run() == card)
  }

  /// Three small pods at 0, 0.5 and 0.9 s share one batch that closes at 1.9 s (1 s idle):
  /// pending (61.9 − 0) + (61.9 − 0.5) + (61.9 − 0.9) = 184.3 s. Twelve pods every 0.9 s never
  /// let the batch idle: it closes at its 10 s maximum.
  @Test("provisioning batches: idle period and maximum")
  func batching() throws {
    let pods = [
      try Self.pod("a", cpu: "500m", from: 0, to: nil),
      NodeReplayPod.requesting(name: "b", arrivalMilliseconds: 500, departureMilliseconds: nil, requests: [.cpu: Quantity(milliValue: 500)]),
      NodeReplayPod.requesting(name: "c", arrivalMilliseconds: 900, departureMilliseconds: nil, requests: [.cpu: Quantity(milliValue: 500)]),
    ]
    let card = try NodeReplay(nodePools: [try Self.pool()], pods: pods, endMilliseconds: 600_000).run()
    #expect(card.nodeLaunches == 1)
    #expect(abs(card.pendingPodSeconds - 184.3) < 1e-9)
    #expect(abs(card.nodeHours - (600 - 1.9) / 3_600) < 1e-12)

    let steady = (0..<12).map {
      NodeReplayPod.requesting(
        name: "s\($0)", arrivalMilliseconds: Int64($0) * 900, departureMilliseconds: nil,
        requests: [.cpu: Quantity(milliValue: 100)])
    }
    let capped = try NodeReplay(nodePools: [try Self.pool()], pods: steady, endMilliseconds: 600_000).run()
    #expect(capped.nodeLaunches == 1)
    // Batch closes at 10 s, node ready at 70 s: Σ (70 − 0.9 i) for i < 12.
    let expected = (0..<12).reduce(0.0) { $0 + 70 - 0.9 * Double($1) }
    #expect(abs(capped.pendingPodSeconds - expected) < 1e-9)
  }

  /// Pods of 0.9 cpu at 0, 100 and 200 s on m5.large (1.93 allocatable cpu): a and b share node 1
  /// (launched 1 s), c gets node 2 (launched 201 s). b leaves at 300 s: with
  /// WhenEmptyOrUnderutilized one node goes at 315 s (the 10 % budget of 2 nodes allows 1) and its
  /// pod moves; either way 3 599 + 114 = 314 + 3 399 = 3 713 node-seconds to 3 600 s.
  @Test("underutilized consolidation moves a pod; WhenEmpty keeps both nodes", arguments: [true, false])
  func consolidation(underutilized: Bool) throws {
    let pods = [
      try Self.pod("a", cpu: "900m", from: 0, to: nil), try Self.pod("b", cpu: "900m", from: 100, to: 300),
      try Self.pod("c", cpu: "900m", from: 200, to: nil),
    ]
    let pool = try Self.pool(policy: underutilized ? .whenEmptyOrUnderutilized : .whenEmpty)
    let card = try NodeReplay(nodePools: [pool], pods: pods, endMilliseconds: 3_600 * Self.second).run()
    #expect(card.nodeLaunches == 2)
    #expect(abs(card.pendingPodSeconds - 122) < 1e-9)  // a: 1 s batch + 60 s launch; c likewise
    if underutilized {
      #expect(card.nodeTerminations == 1)
      #expect(card.podsDisrupted == 1)
      #expect(abs(card.nodeHours - 3_713.0 / 3_600) < 1e-12)
    } else {
      #expect(card.nodeTerminations == 0)
      #expect(card.podsDisrupted == 0)
      #expect(abs(card.nodeHours - (3_599.0 + 3_399.0) / 3_600) < 1e-12)
    }
    #expect(abs(card.costDollars - card.nodeHours * Self.m5LargePrice) < 1e-12)
  }

  /// One pod on spot for 10 h at one interruption per node-hour: every interruption evicts the
  /// pod and costs at least the 1 s batch + 60 s launch of pending time; the seed fixes the draws.
  @Test("seeded spot interruptions")
  func spotInterruptions() throws {
    let pods = [try Self.pod("p", cpu: "500m", from: 0, to: nil)]
    let pool = try Self.pool(capacityType: "spot")
    func run(seed: UInt64) throws -> NodeScorecard {
      try NodeReplay(
        nodePools: [pool], pods: pods, spotInterruptions: SpotInterruptions(ratePerNodeHour: 1, seed: seed),
        endMilliseconds: 36_000 * Self.second
      ).run()
    }
    for seed: UInt64 in [1, 2, 3] {
      let card = try run(seed: seed)
      #expect(card.nodeTerminations >= 1)
      #expect(card.podsDisrupted == card.nodeTerminations)
      #expect([0, 1].contains(card.nodeLaunches - card.nodeTerminations))
      #expect(card.pendingPodSeconds >= 61 * Double(card.nodeTerminations + 1) - 1e-9)
      #expect(abs(card.nodeHours - 10) < 61.0 * Double(card.nodeTerminations + 1) / 3_600 + 1e-9)
      #expect(try run(seed: seed) == card)
    }
  }

  @Test("bad inputs are named")
  func badInputs() throws {
    let pool = try Self.pool()
    #expect(throws: NodeReplayError.self) { try NodeReplay(nodePools: [], pods: [try Self.pod("p", cpu: "1", from: 0, to: nil)]) }
    do {
      _ = try NodeReplay(nodePools: [pool], pods: [try Self.pod("p", cpu: "1", from: 10, to: 5)])
      Issue.record("a departure before the arrival was accepted")
    } catch {
      #expect("\(error)".contains("pod p departs"))
    }
    do {
      _ = try NodeReplay(nodePools: [pool], pods: [try Self.pod("p", cpu: "1", from: 0, to: nil), try Self.pod("p", cpu: "1", from: 1, to: nil)])
      Issue.record("duplicate names were accepted")
    } catch {
      #expect("\(error)".contains("appears twice"))
    }
  }

  /// The first 30 pods (by arrival) of the Alibaba GPU 2023 trace on a GPU NodePool (tainted,
  /// GPU pods tolerate it) and a CPU NodePool; skipped when the trace is absent.
  @Test("Alibaba GPU 2023 slice: invariants and determinism")
  func alibabaSlice() throws {
    let path = Fixtures.sharedPath("traces/alibaba-gpu-2023/openb_pod_list_default.csv")
    guard FileManager.default.fileExists(atPath: path) else { return }
    let trace = try PublicTraces.readAlibabaGPU2023Pods(path: path)
    let records = trace.pods.sorted {
      $0.arrivalMilliseconds != $1.arrivalMilliseconds ? $0.arrivalMilliseconds < $1.arrivalMilliseconds : $0.name < $1.name
    }.prefix(30)
    let pods = records.map {
      NodeReplayPod.requesting(
        name: $0.name, arrivalMilliseconds: $0.arrivalMilliseconds, departureMilliseconds: $0.departureMilliseconds,
        requests: $0.requests)
    }
    let gpuPool = NodePool(
      name: "gpu", weight: 10,
      requirements: [
        try Requirement(key: WellKnownLabel.capacityType, operator: .in, values: ["on-demand"]),
        try Requirement(key: "karpenter.k8s.aws/instance-family", operator: .in, values: ["g5", "p3", "p4d"]),
      ],
      taints: [Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule)],
      disruption: DisruptionSettings(consolidationPolicy: .whenEmptyOrUnderutilized, consolidateAfterMilliseconds: 60_000))
    let cpuPool = NodePool(
      name: "cpu",
      requirements: [try Requirement(key: WellKnownLabel.capacityType, operator: .in, values: ["on-demand"])],
      disruption: DisruptionSettings(consolidationPolicy: .whenEmptyOrUnderutilized, consolidateAfterMilliseconds: 60_000))
    let end = (records.map { $0.arrivalMilliseconds }.max() ?? 0) + 3_600_000
    let replay = try NodeReplay(nodePools: [gpuPool, cpuPool], pods: Array(pods), endMilliseconds: end)
    let card = try replay.run()
    #expect(card.nodeLaunches >= 1)
    #expect(card.nodeTerminations <= card.nodeLaunches)
    #expect(card.costDollars > 0 && card.nodeHours > 0)
    for share in [card.meanCpuAllocation, card.meanMemoryAllocation, card.meanGpuAllocation] {
      #expect(share >= 0 && share <= 1)
    }
    if records.contains(where: { $0.requests.amount(of: .nvidiaGPU) > .zero }) { #expect(card.meanGpuAllocation > 0) }
    // The first pod waits for a batch (1 s) and a launch (60 s).
    #expect(card.pendingPodSeconds >= 61 - 1e-9)
    #expect(try replay.run() == card)
  }
}

/// Pods from an HPA replay's replica counts.
@Suite("Node replay: pods from replica timelines")
struct NodeReplicaTimelineTests {
  @Test("slots open on scale-up and close highest first on scale-down")
  func slots() throws {
    let template = PodTemplate(containers: [Container(name: "c", requests: [.cpu: Quantity(1)])])
    let pods = try NodeReplayPod.fromReplicaTimeline(
      name: "web", template: template, timesMilliseconds: [0, 10, 20, 30, 40], replicas: [1, 3, 2, 0, 1])
    let stints = pods.map { "\($0.name):\($0.arrivalMilliseconds)-\($0.departureMilliseconds.map(String.init) ?? "end")" }
    #expect(stints == ["web-0:0-30", "web-1:10-30", "web-2:10-20", "web-3:40-end"])
    #expect(throws: NodeReplayError.self) {
      try NodeReplayPod.fromReplicaTimeline(name: "web", template: template, timesMilliseconds: [0, 0], replicas: [1, 1])
    }
  }
}
