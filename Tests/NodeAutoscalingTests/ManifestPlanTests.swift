import AutoscalingCore
import NodeAutoscaling
import Testing

/// The seed manifests of `shared/manifests`, built in code, and the plans a Karpenter user
/// expects from them.
@Suite("Seed manifests")
struct ManifestPlanTests {
  static let now = Instant.seconds(1_000_000)

  /// `gpu-nodepool.yaml` (karpenter.sh/v1beta1).
  static func gpuPool() throws -> NodePool {
    NodePool(
      name: "gpu-pool", apiVersion: .v1beta1,
      requirements: [
        try Requirement(key: WellKnownLabel.instanceType, operator: .in, values: ["g5.xlarge", "g5.2xlarge", "g5.4xlarge"]),
        try Requirement(key: WellKnownLabel.capacityType, operator: .in, values: ["spot", "on-demand"]),
        try Requirement(key: WellKnownLabel.arch, operator: .in, values: ["amd64"]),
      ],
      taints: [Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule)],
      limits: [.cpu: Quantity(1000), .memory: try Quantity(parsing: "4000Gi"), .nvidiaGPU: Quantity(100)],
      disruption: DisruptionSettings(
        consolidationPolicy: try ConsolidationPolicy.parse("WhenEmpty", version: .v1beta1, object: "gpu-pool"),
        consolidateAfterMilliseconds: try parseDurationMilliseconds("5m", object: "gpu-pool", field: "consolidateAfter")))
  }

  /// `spot-nodepool.yaml`, read with v1 rules (WhenUnderutilized → WhenEmptyOrUnderutilized).
  static func spotPool() throws -> NodePool {
    NodePool(
      name: "spot-pool", apiVersion: .v1,
      requirements: [
        try Requirement(key: WellKnownLabel.capacityType, operator: .in, values: ["spot", "on-demand"]),
        try Requirement(key: WellKnownLabel.instanceType, operator: .in, values: ["m5.xlarge", "m5.2xlarge", "m6i.xlarge"]),
      ],
      limits: [.cpu: Quantity(1000)],
      disruption: DisruptionSettings(consolidationPolicy: .whenEmptyOrUnderutilized, consolidateAfterMilliseconds: 30_000))
  }

  static let gpuToleration = Toleration(key: "nvidia.com/gpu", operator: .exists, effect: .noSchedule)

  static func gpuContainer(cpu: Int64? = 8, memory: String = "32Gi") throws -> Container {
    var limits: ResourceList = [.nvidiaGPU: Quantity(1), .memory: try Quantity(parsing: memory)]
    if let cpu { limits[.cpu] = Quantity(cpu) }
    return Container(name: "training", limits: limits)
  }

  @Test("spot-nodepool.yaml as written is rejected under v1beta1: consolidateAfter needs WhenEmpty")
  func spotPoolV1beta1Validation() throws {
    let policy = try ConsolidationPolicy.parse("WhenUnderutilized", version: .v1beta1, object: "spot-pool")
    #expect(policy == .whenEmptyOrUnderutilized)
    var pool = try Self.spotPool()
    pool.apiVersion = .v1beta1
    #expect(throws: NodeAutoscalingError.self) { try pool.validate() }
    do {
      try pool.validate()
    } catch {
      #expect(error.field == "spec.disruption.consolidateAfter")
    }
    #expect(throws: NodeAutoscalingError.self) {
      try ConsolidationPolicy.parse("WhenUnderutilized", version: .v1, object: "spot-pool")
    }
    try Self.spotPool().validate()
  }

  @Test("a general pod on the spot pool launches the cheapest allowed type as spot")
  func spotPoolLaunchesSpot() throws {
    let pod = Pod(name: "web", template: PodTemplate(containers: [Container(name: "c", requests: [.cpu: Quantity(2), .memory: try Quantity(parsing: "4Gi")])]))
    let state = ClusterState(nodePools: [try Self.spotPool()], pods: [pod])
    let plan = try NodeAutoscaler().schedule(state, now: Self.now)
    let launch = try #require(plan.launches.first)
    // m5.xlarge (0.192) and m6i.xlarge (0.192) tie on price; spot is preferred; name breaks the tie.
    #expect(launch.instanceType == "m5.xlarge")
    #expect(launch.offering.capacityType == .spot)
    #expect(abs(launch.offering.price - 0.192 * 0.7) < 1e-12)
    #expect(Set(launch.instanceTypeOptions) == ["m5.xlarge", "m5.2xlarge", "m6i.xlarge"])
  }

  @Test("the GPU training Job asks for an A100-80GB no allowed type has: pending, naming the product label")
  func trainingJobPending() throws {
    let job = Pod(
      name: "training-job-abc",
      template: PodTemplate(
        containers: [try Self.gpuContainer()], nodeSelector: [WellKnownLabel.gpuProduct: "NVIDIA-A100-SXM4-80GB"],
        tolerations: [Self.gpuToleration]), ownerKind: .job)
    let state = ClusterState(nodePools: [try Self.gpuPool(), try Self.spotPool()], pods: [job])
    let plan = try NodeAutoscaler().schedule(state, now: Self.now)
    #expect(plan.launches.isEmpty)
    let pending = try #require(plan.pending.first)
    #expect(pending.reason.contains("nvidia.com/gpu.product"))
    #expect(pending.reason.contains("NVIDIA-A100-SXM4-80GB"))
  }

  @Test("the GPU Job with a selector an allowed type has lands on a tolerated, GPU-tainted g5 node")
  func trainingJobOnA10G() throws {
    let job = Pod(
      name: "training",
      template: PodTemplate(
        containers: [try Self.gpuContainer()], nodeSelector: [WellKnownLabel.gpuProduct: "NVIDIA-A10G"],
        tolerations: [Self.gpuToleration]), ownerKind: .job)
    let state = ClusterState(nodePools: [try Self.gpuPool(), try Self.spotPool()], pods: [job])
    let plan = try NodeAutoscaler().schedule(state, now: Self.now)
    let launch = try #require(plan.launches.first)
    // 8 cpu does not fit g5.2xlarge's 7910m allocatable: g5.4xlarge.
    #expect(launch.instanceType == "g5.4xlarge")
    #expect(launch.nodePool == "gpu-pool")
    #expect(launch.taints == [Taint(key: "nvidia.com/gpu", value: "true", effect: .noSchedule)])
    #expect(launch.offering.capacityType == .spot)
    #expect(plan.pending.isEmpty)
  }

  @Test("Gt on nvidia.com/gpu.memory: A10G (22888 MiB) is too small; an open GPU pool picks an H100 p5.4xlarge")
  func gpuMemoryAffinity() throws {
    let pod = Pod(
      name: "gpu-training",
      template: PodTemplate(
        containers: [try Self.gpuContainer()], tolerations: [Self.gpuToleration],
        requiredNodeAffinity: [
          NodeSelectorTerm(matchExpressions: [NodeSelectorRequirement(key: WellKnownLabel.gpuMemory, operator: .gt, values: ["40000"])])
        ]))
    let narrow = try NodeAutoscaler().schedule(ClusterState(nodePools: [try Self.gpuPool()], pods: [pod]), now: Self.now)
    #expect(narrow.launches.isEmpty)
    #expect(narrow.pending.first?.reason.contains("nvidia.com/gpu.memory") == true)

    var open = try Self.gpuPool()
    open.requirements.removeAll { $0.key == WellKnownLabel.instanceType }
    let plan = try NodeAutoscaler().schedule(ClusterState(nodePools: [open], pods: [pod]), now: Self.now)
    let launch = try #require(plan.launches.first)
    // p4d.24xlarge (A100 40960 MiB, 21.96/h) and p5.4xlarge (H100 81920 MiB, 6.88/h) qualify.
    #expect(Set(launch.instanceTypeOptions) == ["p4d.24xlarge", "p5.4xlarge", "p5.48xlarge"])
    #expect(launch.instanceType == "p5.4xlarge")
    #expect(launch.labels[WellKnownLabel.gpuMemory] == "81920")
  }

  @Test("the PyTorch StatefulSet without a GPU toleration stays pending with the taint and resource named")
  func statefulSetWithoutToleration() throws {
    let workers = (0..<4).map { index in
      Pod(
        name: "pytorch-distributed-\(index)",
        template: PodTemplate(labels: ["app": "pytorch-distributed"], containers: [try! Self.gpuContainer(cpu: nil)]), ownerKind: .statefulSet)
    }
    let plan = try NodeAutoscaler().schedule(
      ClusterState(nodePools: [try Self.gpuPool(), try Self.spotPool()], pods: workers), now: Self.now)
    #expect(plan.launches.isEmpty)
    #expect(plan.pending.count == 4)
    for pending in plan.pending {
      #expect(pending.reason.contains("did not tolerate taint nvidia.com/gpu=true:NoSchedule"))
      #expect(pending.reason.contains("nvidia.com/gpu"))
      #expect(pending.reason.contains("spot-pool"))
    }
  }

  @Test("the PyTorch StatefulSet with the toleration gets one g5.4xlarge per worker (32Gi each)")
  func statefulSetTolerated() throws {
    let workers = (0..<4).map { index in
      Pod(
        name: "pytorch-distributed-\(index)",
        template: PodTemplate(
          labels: ["app": "pytorch-distributed"], containers: [try! Self.gpuContainer(cpu: nil)], tolerations: [Self.gpuToleration]), ownerKind: .statefulSet)
    }
    let plan = try NodeAutoscaler().schedule(ClusterState(nodePools: [try Self.gpuPool(), try Self.spotPool()], pods: workers), now: Self.now)
    #expect(plan.pending.isEmpty)
    #expect(plan.launches.count == 4)
    // g5.2xlarge's 29317Mi allocatable is below 32Gi; g5.4xlarge holds one (two would need 64Gi > 57691Mi).
    #expect(plan.launches.allSatisfy { $0.instanceType == "g5.4xlarge" && $0.pods.count == 1 })
  }

  @Test("time-slicing with 4 replicas packs four one-GPU pods per physical GPU node")
  func timeSlicing() throws {
    let inference = (0..<8).map { index in
      Pod(
        name: "infer-\(index)",
        template: PodTemplate(
          containers: [Container(name: "c", requests: [.cpu: Quantity(1), .memory: try! Quantity(parsing: "4Gi"), .nvidiaGPU: Quantity(1)])],
          tolerations: [Self.gpuToleration]))
    }
    let plain = try NodeAutoscaler().schedule(ClusterState(nodePools: [try Self.gpuPool()], pods: inference), now: Self.now)
    #expect(plain.launches.count == 8)
    let shared = InstanceCatalog.embedded().map { $0.timeSliced(replicas: 4) }
    #expect(shared.first { $0.name == "g5.4xlarge" }?.capacity[.nvidiaGPU] == Quantity(4))
    #expect(shared.first { $0.name == "g5.12xlarge" }?.capacity[.nvidiaGPU] == Quantity(16))
    let sliced = try NodeAutoscaler().schedule(
      ClusterState(nodePools: [try Self.gpuPool()], instanceTypes: shared, pods: inference), now: Self.now)
    #expect(sliced.pending.isEmpty)
    #expect(sliced.launches.count == 2)
    for launch in sliced.launches {
      #expect(launch.requests[.nvidiaGPU] == Quantity(4))
      #expect(launch.capacity[.nvidiaGPU] == Quantity(4))
    }
  }

  @Test("a nvidia.com/gpu limit of 2 stops the third GPU node, naming the limit")
  func gpuLimit() throws {
    var pool = try Self.gpuPool()
    pool.limits[.nvidiaGPU] = Quantity(2)
    let pods = (0..<3).map { index in
      Pod(
        name: "job-\(index)",
        template: PodTemplate(containers: [try! Self.gpuContainer(cpu: 2, memory: "8Gi")], tolerations: [Self.gpuToleration]))
    }
    let plan = try NodeAutoscaler().schedule(ClusterState(nodePools: [pool], pods: pods), now: Self.now)
    #expect(plan.launches.count == 2)
    #expect(plan.pending.count == 1)
    #expect(plan.pending.first?.reason.contains("exceed limits for nodepool: \"gpu-pool\"") == true)
  }

  @Test("WhenEmpty GPU nodes are removed only once empty and after consolidateAfter (5m)")
  func gpuPoolEmptiness() throws {
    let pool = try Self.gpuPool()
    let type = try #require(InstanceCatalog.embedded().first { $0.name == "g5.xlarge" })
    var labels = type.labels
    labels[WellKnownLabel.instanceType] = type.name
    labels[WellKnownLabel.zone] = "us-east-1a"
    labels[WellKnownLabel.capacityType] = "spot"
    labels[WellKnownLabel.nodePool] = pool.name
    let created = Self.now
    let node = Node(
      name: "gpu-1", nodePool: pool.name, labels: labels, taints: pool.taints, capacity: type.capacity,
      allocatable: type.allocatable, createdAt: created, initializedAt: created, lastPodEventAt: created)
    var state = ClusterState(nodePools: [pool], nodes: [node])
    let early = try NodeAutoscaler().disrupt(state, now: created + .seconds(60))
    #expect(early.command == nil)
    let late = try NodeAutoscaler().disrupt(state, now: created + .seconds(301))
    #expect(late.command?.method == .emptiness)
    #expect(late.command?.candidates == ["gpu-1"])
    #expect(late.command.map { abs($0.candidatePrice - 1.006 * 0.7) < 1e-9 } == true)
    state.pods = [Pod(name: "busy", template: PodTemplate(containers: [Container(name: "c")]), nodeName: "gpu-1")]
    #expect(try NodeAutoscaler().disrupt(state, now: created + .seconds(301)).command == nil)
  }
}
