import AutoscalingCore
import NodeAutoscaling
import Testing
import _AutoscalingTestSupport

/// Invariants over seeded random clusters: capacity, placement constraints, and safe
/// consolidation.
@Suite("Provisioning and consolidation properties")
struct PropertyTests {
  static let zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
  static let catalogue = InstanceCatalog.embedded().filter { ["m5", "c5", "r5", "m7g", "g5", "t3"].contains($0.labels[WellKnownLabel.instanceFamily] ?? "") }

  static func pick<T>(_ items: [T], _ random: inout SplitMix64) -> T { items[Int(random.next() % UInt64(items.count))] }
  static func chance(_ percent: UInt64, _ random: inout SplitMix64) -> Bool { random.next() % 100 < percent }

  static func randomPool(_ name: String, _ random: inout SplitMix64) throws -> NodePool {
    var requirements: [Requirement] = []
    if chance(40, &random) { requirements.append(try Requirement(key: WellKnownLabel.capacityType, operator: .in, values: [pick(["spot", "on-demand"], &random)])) }
    if chance(30, &random) { requirements.append(try Requirement(key: WellKnownLabel.arch, operator: .in, values: ["amd64"])) }
    if chance(30, &random) { requirements.append(try Requirement(key: WellKnownLabel.zone, operator: .notIn, values: [pick(zones, &random)])) }
    let taints = chance(30, &random) ? [Taint(key: "dedicated", value: name, effect: pick([.noSchedule, .preferNoSchedule], &random))] : []
    var limits: ResourceList = [:]
    if chance(30, &random) { limits[.cpu] = Quantity(Int64(8 + random.next() % 64)) }
    return NodePool(name: name, weight: Int(random.next() % 3), requirements: requirements, taints: taints, limits: limits)
  }

  static func randomPod(_ name: String, _ random: inout SplitMix64, nodeName: String? = nil) -> Pod {
    var requests: ResourceList = [
      .cpu: Quantity(milliValue: pick([100, 250, 500, 1000, 2000, 3500], &random)),
      .memory: Quantity(pick([128, 512, 1024, 4096, 8192], &random) << 20, format: .binarySI),
    ]
    if chance(5, &random) { requests[.nvidiaGPU] = Quantity(1) }
    var template = PodTemplate(labels: ["app": pick(["a", "b", "c"], &random)], containers: [Container(name: "c", requests: requests)])
    if chance(20, &random) { template.nodeSelector[WellKnownLabel.zone] = pick(zones, &random) }
    if chance(10, &random) { template.nodeSelector[WellKnownLabel.arch] = pick(["amd64", "arm64"], &random) }
    if chance(30, &random) { template.tolerations.append(Toleration(key: "dedicated", operator: .exists)) }
    if chance(15, &random) {
      template.requiredNodeAffinity = [
        NodeSelectorTerm(matchExpressions: [NodeSelectorRequirement(key: WellKnownLabel.capacityType, operator: .in, values: [pick(["spot", "on-demand"], &random)])]),
        NodeSelectorTerm(matchExpressions: [NodeSelectorRequirement(key: WellKnownLabel.zone, operator: .in, values: [pick(zones, &random)])]),
      ]
    }
    if chance(15, &random) {
      template.topologySpreadConstraints = [
        TopologySpreadConstraint(
          maxSkew: 1, topologyKey: pick([WellKnownLabel.zone, WellKnownLabel.hostname], &random),
          labelSelector: LabelSelector(matchLabels: ["app": template.labels["app"] ?? "a"]))
      ]
    }
    if chance(10, &random) {
      template.requiredPodAntiAffinity = [
        PodAffinityTerm(labelSelector: LabelSelector(matchLabels: ["app": template.labels["app"] ?? "a"]), topologyKey: WellKnownLabel.hostname)
      ]
    }
    return Pod(name: name, template: template, nodeName: nodeName)
  }

  static func node(_ name: String, type: InstanceType, pool: NodePool, zone: String, capacityType: CapacityType) -> Node {
    var labels = type.labels
    labels[WellKnownLabel.instanceType] = type.name
    labels[WellKnownLabel.zone] = zone
    labels[WellKnownLabel.capacityType] = capacityType.rawValue
    labels[WellKnownLabel.arch] = type.architecture
    labels[WellKnownLabel.os] = "linux"
    labels[WellKnownLabel.nodePool] = pool.name
    labels[WellKnownLabel.hostname] = name
    return Node(name: name, nodePool: pool.name, labels: labels, taints: pool.taints, capacity: type.capacity, allocatable: type.allocatable)
  }

  /// Whether the labels satisfy the pod's node selector and at least one required term.
  static func satisfies(_ pod: Pod, labels: Labels) -> Bool {
    for (key, value) in pod.template.nodeSelector where labels[key] != value { return false }
    if pod.template.requiredNodeAffinity.isEmpty { return true }
    return pod.template.requiredNodeAffinity.contains { $0.matches(labels) }
  }

  @Test("no node over allocatable; every placed pod's requirements and (hard) taints hold", arguments: 0..<6)
  func provisioningInvariants(shard: UInt64) throws {
    var random = SplitMix64(seed: 0xC0FFEE &+ shard)
    for _ in 0..<200 {
      var pools: [NodePool] = []
      for index in 0..<Int(1 + random.next() % 2) { pools.append(try Self.randomPool("pool-\(index)", &random)) }
      var nodes: [Node] = []
      var pods: [Pod] = []
      for n in 0..<Int(random.next() % 3) {
        let type = Self.pick(Self.catalogue, &random)
        nodes.append(Self.node("existing-\(n)", type: type, pool: pools[0], zone: Self.pick(Self.zones, &random), capacityType: .onDemand))
        pods.append(Pod(name: "bound-\(n)", template: PodTemplate(containers: [Container(name: "c", requests: [.cpu: Quantity(milliValue: 500)])]), nodeName: "existing-\(n)"))
      }
      for p in 0..<Int(1 + random.next() % 12) { pods.append(Self.randomPod("pod-\(p)", &random)) }
      let state = ClusterState(nodePools: pools, instanceTypes: Self.catalogue, nodes: nodes, pods: pods)
      let plan = try NodeAutoscaler().schedule(state, now: .seconds(1_000))
      let podsByID = Dictionary(uniqueKeysWithValues: pods.map { ($0.id, $0) })
      // Every pending pod is either placed or has a reason; nothing is both.
      #expect(Set(plan.bindings.map(\.pod)).isDisjoint(with: plan.pending.map(\.pod)))
      #expect(plan.bindings.count + plan.pending.count == pods.filter { $0.nodeName == nil }.count)
      #expect(plan.pending.allSatisfy { !$0.reason.isEmpty })
      // Capacity.
      for launch in plan.launches {
        var used = ResourceList()
        for id in launch.pods { used += try #require(podsByID[id]).template.effectiveRequests + [.pods: Quantity(1)] }
        #expect(used.fits(in: launch.allocatable), "launch \(launch.instanceType) over allocatable")
        #expect(launch.requests.fits(in: launch.allocatable))
        #expect(launch.instanceTypeOptions.contains(launch.instanceType))
      }
      for node in nodes {
        var used = ResourceList()
        for pod in pods where pod.nodeName == node.name { used += pod.template.effectiveRequests + [.pods: Quantity(1)] }
        for binding in plan.bindings where binding.node == node.name {
          used += try #require(podsByID[binding.pod]).template.effectiveRequests + [.pods: Quantity(1)]
        }
        #expect(used.fits(in: node.allocatable), "existing node over allocatable")
      }
      // Constraints of placed pods.
      let launchByName = Dictionary(uniqueKeysWithValues: plan.launches.map { ($0.name, $0) })
      for binding in plan.bindings {
        let pod = try #require(podsByID[binding.pod])
        let labels: Labels
        let taints: [Taint]
        if let launch = launchByName[binding.node] {
          labels = launch.labels
          taints = launch.taints
          #expect(launch.pods.contains(binding.pod))
        } else {
          let node = try #require(nodes.first { $0.name == binding.node })
          labels = node.labels
          taints = node.taints
        }
        #expect(Self.satisfies(pod, labels: labels), "\(pod.id) on \(labels)")
        for taint in taints where taint.effect != .preferNoSchedule {
          #expect(pod.template.tolerations.tolerate(taint), "\(pod.id) does not tolerate \(taint)")
        }
        // Hostname anti-affinity: no other matching pod on the same node.
        for term in pod.template.requiredPodAntiAffinity where term.topologyKey == WellKnownLabel.hostname {
          let neighbours = plan.bindings.filter { $0.node == binding.node && $0.pod != binding.pod }
          #expect(!neighbours.contains { podsByID[$0.pod].map { term.labelSelector.matches($0.template.labels) } ?? false })
        }
      }
    }
  }

  @Test("consolidation never raises cost and never breaks a budget, a PDB or do-not-disrupt", arguments: 0..<4)
  func consolidationInvariants(shard: UInt64) throws {
    var random = SplitMix64(seed: 0xBADC0DE &+ shard)
    for _ in 0..<60 {
      var pool = NodePool(name: "general")
      pool.disruption = DisruptionSettings(
        consolidationPolicy: Self.pick([.whenEmpty, .whenEmptyOrUnderutilized, .balanced], &random), consolidateAfterMilliseconds: 0,
        budgets: [DisruptionBudget(nodes: Self.pick(["0", "1", "2", "20%", "100%"], &random))])
      var nodes: [Node] = []
      var pods: [Pod] = []
      let count = Int(2 + random.next() % 6)
      for n in 0..<count {
        let type = Self.pick(Self.catalogue.filter { $0.capacity[.nvidiaGPU] == nil }, &random)
        let name = "node-\(n)"
        nodes.append(Self.node(name, type: type, pool: pool, zone: Self.pick(Self.zones, &random), capacityType: Self.pick([.spot, .onDemand], &random)))
        for p in 0..<Int(random.next() % 4) {
          var pod = Pod(
            name: "\(name)-p\(p)",
            template: PodTemplate(
              labels: ["app": Self.pick(["a", "b"], &random)],
              containers: [Container(name: "c", requests: [.cpu: Quantity(milliValue: Self.pick([100, 300, 700], &random)), .memory: Quantity(256 << 20)])]),
            nodeName: name)
          if Self.chance(5, &random) { pod.annotations[WellKnownLabel.doNotDisrupt] = "true" }
          pods.append(pod)
        }
      }
      let pdbs = Self.chance(40, &random)
        ? [PodDisruptionBudget(name: "pdb", selector: LabelSelector(matchLabels: ["app": "a"]), disruptionsAllowed: 0)] : []
      let state = ClusterState(nodePools: [pool], instanceTypes: Self.catalogue, nodes: nodes, pods: pods, podDisruptionBudgets: pdbs)
      let options = NodeAutoscalerOptions(spotToSpotConsolidation: Self.chance(50, &random))
      let decision = try NodeAutoscaler(options: options).disrupt(state, now: .seconds(10_000))
      guard let command = decision.command else { continue }
      #expect(command.replacementPrice < command.candidatePrice || (command.replacements.isEmpty && command.replacementPrice == 0))
      #expect(command.replacements.count <= 1)
      let allowed = pool.allowedDisruptions(reason: command.reason, numNodes: nodes.count, now: .seconds(10_000))
      #expect(command.candidates.count <= allowed, "budget \(pool.disruption.budgets) allows \(allowed)")
      for candidate in command.candidates {
        for pod in pods where pod.nodeName == candidate {
          #expect(pod.annotations[WellKnownLabel.doNotDisrupt] == nil)
          #expect(!pdbs.contains { $0.covers(pod) }, "PDB with 0 disruptions allowed was broken")
        }
      }
      if pool.disruption.consolidationPolicy == .whenEmpty {
        #expect(command.method == .emptiness)
      }
      // Every moved pod has a destination that is not a candidate.
      let moved = pods.filter { $0.nodeName.map(command.candidates.contains) ?? false }
      #expect(command.podDestinations.count == moved.count)
      #expect(command.podDestinations.allSatisfy { !command.candidates.contains($0.node) })
    }
  }
}
