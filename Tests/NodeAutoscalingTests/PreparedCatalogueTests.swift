import AutoscalingCore
import NodeAutoscaling
import Testing
import _AutoscalingTestSupport

/// A prepared catalogue changes how often the instance types are prepared, never a decision.
@Suite("Prepared catalogue")
struct PreparedCatalogueTests {
  /// A type of the property tests' catalogue with more memory under the same name, for a
  /// NodePool override (the shared type of that name must not leak into the pool's choice).
  static var overrides: [String: [InstanceType]] {
    var types = PropertyTests.catalogue.filter { $0.labels[WellKnownLabel.instanceFamily] == "m5" }
    for index in types.indices { types[index].capacity[.memory] = Quantity(1 << 40, format: .binarySI) }
    return ["pool-1": types]
  }

  @Test("schedule and disrupt with one prepared catalogue equal the per-call results", arguments: 0..<3)
  func sameDecisions(shard: UInt64) throws {
    var random = SplitMix64(seed: 0x5EED &+ shard)
    let byPool = shard == 2 ? Self.overrides : [:]
    // Prepared from the first state's NodePools; later states draw other NodePools (their types
    // are filtered again per call) and sometimes a resource beyond the fixed slots.
    var catalogue: PreparedCatalogue?
    for iteration in 0..<80 {
      var pools: [NodePool] = []
      for index in 0..<Int(1 + random.next() % 2) {
        var pool = try PropertyTests.randomPool("pool-\(index)", &random)
        pool.disruption = DisruptionSettings(
          consolidationPolicy: .whenEmptyOrUnderutilized, consolidateAfterMilliseconds: 0, budgets: [DisruptionBudget(nodes: "100%")])
        pools.append(pool)
      }
      var nodes: [Node] = []
      var pods: [Pod] = []
      for n in 0..<Int(random.next() % 4) {
        let type = PropertyTests.pick(PropertyTests.catalogue, &random)
        let capacityType = PropertyTests.pick([CapacityType.spot, .onDemand], &random)
        nodes.append(
          PropertyTests.node("existing-\(n)", type: type, pool: pools[0], zone: PropertyTests.pick(PropertyTests.zones, &random), capacityType: capacityType))
        pods.append(PropertyTests.randomPod("bound-\(n)", &random, nodeName: "existing-\(n)"))
      }
      for p in 0..<Int(1 + random.next() % 10) {
        var pod = PropertyTests.randomPod("pod-\(p)", &random)
        if PropertyTests.chance(10, &random) {
          pod.template.containers[0].requests[ResourceName("example.com/fpga")] = Quantity(1)
        }
        pods.append(pod)
      }
      let state = ClusterState(
        nodePools: pools, instanceTypes: PropertyTests.catalogue, instanceTypesByNodePool: byPool.filter { key, _ in
          pools.contains { $0.name == key }
        }, nodes: nodes, pods: pods)
      if catalogue == nil || catalogue?.instanceTypesByNodePool != state.instanceTypesByNodePool {
        catalogue = try PreparedCatalogue(state)
      }
      let prepared = try #require(catalogue)
      let autoscaler = NodeAutoscaler()
      let now = Instant.seconds(5_000)
      #expect(try autoscaler.schedule(state, catalogue: prepared, now: now) == autoscaler.schedule(state, now: now), "iteration \(iteration)")
      #expect(try autoscaler.disrupt(state, catalogue: prepared, now: now) == autoscaler.disrupt(state, now: now), "iteration \(iteration)")
    }
  }

  @Test("a catalogue prepared from other instance types is refused, naming the field")
  func mismatchIsAnError() throws {
    let pool = NodePool(name: "general")
    var random = SplitMix64(seed: 1)
    let prepared = try PreparedCatalogue(ClusterState(nodePools: [pool], instanceTypes: Array(PropertyTests.catalogue.prefix(3))))
    let state = ClusterState(nodePools: [pool], instanceTypes: PropertyTests.catalogue, pods: [PropertyTests.randomPod("p", &random)])
    #expect {
      _ = try NodeAutoscaler().schedule(state, catalogue: prepared, now: .epoch)
    } throws: { error in
      (error as? NodeAutoscalingError).map { $0.kind == .invalidValue && $0.object == "prepared catalogue" && $0.field == "instanceTypes" } ?? false
    }
  }

  @Test("preparing a type with negative capacity names the type and the field")
  func badTypeIsAnError() throws {
    let type = InstanceType(
      name: "broken.large", architecture: "amd64", operatingSystems: ["linux"], capacity: [.cpu: Quantity(2), .memory: Quantity(-1)],
      overhead: InstanceTypeOverhead(), offerings: [Offering(zone: "us-east-1a", capacityType: .onDemand, price: 0.1)], labels: [:])
    #expect {
      _ = try PreparedCatalogue(ClusterState(instanceTypes: [type]))
    } throws: { error in
      (error as? NodeAutoscalingError).map { $0.kind == .negativeResource && $0.object == "instance type broken.large" && $0.field == "capacity.memory" } ?? false
    }
  }
}
