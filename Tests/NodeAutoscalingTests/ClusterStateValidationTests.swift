import AutoscalingCore
import NodeAutoscaling
import Testing

/// Names the API server keeps unique are checked before any decision.
@Suite struct ClusterStateValidationTests {
  static let types = InstanceCatalog.embedded()

  /// Two NodePools with one name (found by fuzzing the consolidate state file: the disruption
  /// pass trapped building its per-pool budget map) are refused by scheduling and disruption.
  @Test func twoNodePoolsWithOneNameAreRefused() throws {
    let pool = NodePool(name: "od")
    let node = Node(
      name: "n1", nodePool: "od", labels: [WellKnownLabel.nodePool: "od"], capacity: [.cpu: Quantity(2)],
      allocatable: [.cpu: Quantity(2)], createdAt: .epoch)
    let state = ClusterState(nodePools: [pool, pool], instanceTypes: Self.types, nodes: [node])
    let expected = NodeAutoscalingError(
      .invalidValue, object: "NodePool \"od\"", field: "metadata.name", message: "two NodePools share this name")
    #expect(throws: expected) { try NodeAutoscaler().disrupt(state, now: Instant(millisecondsSinceEpoch: 3_600_000)) }
    #expect(throws: expected) { try NodeAutoscaler().schedule(state, now: .epoch) }
    // One pool of that name decides as before.
    var single = state
    single.nodePools = [pool]
    #expect(throws: Never.self) { try NodeAutoscaler().disrupt(single, now: Instant(millisecondsSinceEpoch: 3_600_000)) }
  }
}
