import AutoscalingCore
import AutoscalingTraces
import Foundation
import NodeAutoscaling
import Testing

/// The cluster state file (`autoscale consolidate --state`) read by the library.
@Suite struct ClusterStateFileTests {
  static let pool = """
    {"manifest": {"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "od"},
      "spec": {"template": {"metadata": {"labels": {"team": "web"}}, "spec": {"requirements": [],
        "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"}}},
        "disruption": {"consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "0s"}}}}
    """

  /// A state with one inline pool, two nodes, three pods (one pending) and a PDB; `NODES`,
  /// `PODS`, `BUDGETS` and `NOW` are replaced per case.
  static func state(
    now: String = "7200", pools: String = pool,
    nodes: String = """
      {"name": "n1", "nodePool": "od", "instanceType": "m5.large", "zone": "z1", "capacityType": "on-demand",
       "labels": {"extra": "yes"}, "createdAt": 60},
      {"name": "n2", "nodePool": "od", "instanceType": "m5.xlarge", "zone": "z2", "capacityType": "spot",
       "initialized": false, "createdAt": 30, "lastPodEventAt": 90.5}
      """,
    pods: String = """
      {"name": "a", "node": "n1", "requests": {"cpu": "500m", "memory": "1Gi"}, "labels": {"app": "a"}},
      {"name": "b", "namespace": "other", "node": "n2", "requests": {"cpu": "1"}, "ownerKind": "none",
       "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}]},
      {"name": "c", "requests": {"cpu": "2"}}
      """,
    budgets: String = #"{"name": "a", "matchLabels": {"app": "a"}, "disruptionsAllowed": 1}"#
  ) -> [UInt8] {
    Array(
      """
      {"now": \(now), "nodePools": [\(pools)], "nodes": [\(nodes)], "pods": [\(pods)],
       "podDisruptionBudgets": [\(budgets)]}
      """.utf8)
  }

  static let types = InstanceCatalog.embedded()

  static func read(_ bytes: [UInt8]) throws(ClusterStateFileError) -> (ClusterStateFile, ClusterState) {
    let file = try ClusterStateFile.decode(bytes, file: "s.json")
    var pools: [NodePool] = []
    for source in file.nodePools {
      if case .inline(let inline) = source { pools += inline }
    }
    return (file, try file.clusterState(nodePools: pools, instanceTypes: types))
  }

  @Test func readsNodesPodsAndBudgets() throws {
    let (file, state) = try Self.read(Self.state())
    #expect(file.now == Instant(millisecondsSinceEpoch: 7_200_000))
    #expect(file.catalog == nil)
    #expect(state.nodePools.map(\.name) == ["od"])
    #expect(state.nodes.map(\.name) == ["n1", "n2"])
    let n1 = state.nodes[0]
    // Labels: the pool's template labels and name, the type's facts, the entry's own.
    #expect(n1.labels["team"] == "web")
    #expect(n1.labels[WellKnownLabel.nodePool] == "od")
    #expect(n1.labels[WellKnownLabel.instanceType] == "m5.large")
    #expect(n1.labels[WellKnownLabel.zone] == "z1")
    #expect(n1.labels[WellKnownLabel.capacityType] == "on-demand")
    #expect(n1.labels[WellKnownLabel.hostname] == "n1")
    #expect(n1.labels["extra"] == "yes")
    let m5large = try #require(Self.types.first { $0.name == "m5.large" })
    #expect(n1.allocatable == m5large.allocatable)
    #expect(n1.createdAt == Instant(millisecondsSinceEpoch: 60_000))
    #expect(n1.lastPodEventAt == n1.createdAt)  // defaults to createdAt
    #expect(n1.isInitialized && n1.initializedAt == n1.createdAt)
    let n2 = state.nodes[1]
    #expect(!n2.isInitialized && n2.initializedAt == nil)
    #expect(n2.lastPodEventAt == Instant(millisecondsSinceEpoch: 90_500))
    #expect(n2.labels[WellKnownLabel.capacityType] == "spot")

    #expect(state.pods.map(\.id) == ["default/a", "other/b", "default/c"])
    #expect(state.pods.map(\.nodeName) == ["n1", "n2", nil])
    #expect(state.pods[0].template.effectiveRequests[.cpu] == Quantity(milliValue: 500))
    #expect(state.pods[0].template.effectiveRequests[.memory] == Quantity(1 << 30))
    #expect(state.pods[0].ownerKind == .replicaSet)  // the default owner
    #expect(state.pods[1].ownerKind == nil)
    #expect(state.pods[1].template.tolerations.map(\.key) == ["k"])
    #expect(state.podDisruptionBudgets.map(\.disruptionsAllowed) == [1])
  }

  struct BadState: CustomTestStringConvertible, Sendable {
    var name: String
    var bytes: [UInt8]
    var kind: ClusterStateFileError.Kind
    var error: String
    var testDescription: String { name }
  }

  static let node = #"{"name": "n1", "nodePool": "od", "instanceType": "m5.large", "zone": "z1", "capacityType": "on-demand"}"#
  static let podA = #"{"name": "a", "node": "n1", "requests": {"cpu": "1"}}"#

  static let badStates: [BadState] = [
    BadState(name: "not JSON", bytes: Array("{\"now\": ".utf8), kind: .malformed, error: "s.json: not valid JSON"),
    BadState(
      name: "nodePools missing", bytes: Array(#"{"nodes": []}"#.utf8), kind: .missingField,
      error: "s.json: nodePools: required field missing"),
    BadState(
      name: "now is text", bytes: state(now: "\"soon\""), kind: .malformed, error: "s.json: now: expected a number"),
    BadState(
      name: "now beyond the clock", bytes: state(now: "1e13"), kind: .invalidValue,
      error: "s.json: now: expected a time in seconds, found 10000000000000.0"),
    BadState(
      name: "pool entry with neither file nor manifest", bytes: state(pools: "{}"), kind: .missingField,
      error: #"s.json: nodePools[0]: give "file" or "manifest""#),
    BadState(
      name: "two pools share a name", bytes: state(pools: pool + ", " + pool), kind: .invalidValue,
      error: #"s.json: nodePools: two NodePools share the name "od""#),
    BadState(
      name: "node without a name", bytes: state(nodes: #"{"instanceType": "m5.large", "zone": "z1", "capacityType": "spot"}"#),
      kind: .missingField, error: "s.json: nodes[0].name: required field missing"),
    BadState(
      name: "two nodes share a name", bytes: state(nodes: node + ", " + node, pods: ""), kind: .invalidValue,
      error: #"s.json: nodes[1] (n1).name: two nodes share the name "n1""#),
    BadState(
      name: "unknown instance type",
      bytes: state(nodes: node.replacingOccurrences(of: "m5.large", with: "m9.huge"), pods: ""),
      kind: .unknownReference, error: #"s.json: nodes[0] (n1).instanceType: "m9.huge" is not in the catalogue"#),
    BadState(
      name: "unknown capacity type",
      bytes: state(nodes: node.replacingOccurrences(of: "on-demand", with: "preemptible"), pods: ""),
      kind: .invalidValue,
      error: #"s.json: nodes[0] (n1).capacityType: expected spot, on-demand or reserved, found "preemptible""#),
    BadState(
      name: "unknown pool", bytes: state(nodes: node.replacingOccurrences(of: "\"od\"", with: "\"gpu\""), pods: ""),
      kind: .unknownReference, error: #"s.json: nodes[0] (n1).nodePool: no NodePool named "gpu" (have od)"#),
    BadState(
      name: "createdAt far beyond the clock", bytes: state(nodes: node.replacingOccurrences(of: "}", with: #", "createdAt": -1e300}"#), pods: ""),
      kind: .invalidValue, error: "s.json: nodes[0] (n1).createdAt: expected a time in seconds, found -1e+300"),
    BadState(
      name: "two pods share a name", bytes: state(nodes: node, pods: podA + ", " + podA), kind: .invalidValue,
      error: "s.json: pods[1] (a).name: two pods share the name default/a"),
    BadState(
      name: "pod on an unknown node", bytes: state(nodes: node, pods: podA.replacingOccurrences(of: "n1", with: "n7")),
      kind: .unknownReference, error: #"s.json: pods[0] (a).node: no node named "n7" in "nodes""#),
    BadState(
      name: "negative request", bytes: state(nodes: node, pods: podA.replacingOccurrences(of: "\"1\"", with: "\"-1\"")),
      kind: .invalidValue,
      error: #"s.json: pods[0] (a).requests.cpu: expected a non-negative quantity such as 500m or 2Gi, found "-1""#),
    BadState(
      name: "request that is not a quantity",
      bytes: state(nodes: node, pods: podA.replacingOccurrences(of: "\"1\"", with: "\"1.5.5\"")),
      kind: .invalidValue,
      error: #"s.json: pods[0] (a).requests.cpu: expected a non-negative quantity such as 500m or 2Gi, found "1.5.5""#),
    BadState(
      name: "empty resource name", bytes: state(nodes: node, pods: #"{"name": "a", "requests": {"": "1"}}"#),
      kind: .invalidValue, error: "s.json: pods[0] (a).requests: a resource name is empty"),
    BadState(
      name: "unknown toleration operator",
      bytes: state(nodes: node, pods: #"{"name": "a", "tolerations": [{"key": "k", "operator": "In"}]}"#),
      kind: .invalidValue, error: #"s.json: pods[0] (a).tolerations[0].operator: expected Equal or Exists, found "In""#),
    BadState(
      name: "unknown owner kind", bytes: state(nodes: node, pods: #"{"name": "a", "ownerKind": "Deployment"}"#),
      kind: .invalidValue,
      error: #"s.json: pods[0] (a).ownerKind: expected ReplicaSet, StatefulSet, Job, DaemonSet, Node or none, found "Deployment""#),
    BadState(
      name: "negative disruptionsAllowed",
      bytes: state(budgets: #"{"name": "a", "disruptionsAllowed": -2}"#), kind: .invalidValue,
      error: "s.json: podDisruptionBudgets[0] (a).disruptionsAllowed: expected a count ≥ 0, found -2"),
    BadState(
      name: "two budgets share a name",
      bytes: state(budgets: #"{"name": "a", "disruptionsAllowed": 0}, {"name": "a", "disruptionsAllowed": 1}"#),
      kind: .invalidValue, error: "s.json: podDisruptionBudgets[1] (a).name: two PodDisruptionBudgets share the name default/a"),
  ]

  @Test(arguments: badStates) func rejects(_ bad: BadState) {
    do {
      _ = try Self.read(bad.bytes)
      Issue.record("\(bad.name) was accepted")
    } catch {
      #expect(error.kind == bad.kind)
      #expect(error.description.hasPrefix(bad.error), "\(error.description)")
    }
  }

  /// An inline manifest's error comes from the manifest reader, naming the field path.
  @Test func inlineNodePoolErrorsNameTheField() {
    let bad = #"{"manifest": {"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "a"}, "spec": {}}}"#
    #expect(throws: ClusterStateFileError.self) { try ClusterStateFile.decode(Self.state(pools: bad), file: "s.json") }
    do {
      _ = try ClusterStateFile.decode(Self.state(pools: bad), file: "s.json")
    } catch {
      #expect(error.description.contains("s.json: nodePools[0].manifest"), "\(error.description)")
      #expect(error.description.contains("\"template\" is missing"), "\(error.description)")
      #expect(!error.description.contains("line "))
    }
  }

  /// The state read here is the one the disruption controller sees: with a PDB allowing no
  /// disruption of `a`, its node is not a candidate, and the empty node goes first.
  @Test func decidesOnTheStateRead() throws {
    let nodes = """
      {"name": "n1", "nodePool": "od", "instanceType": "m5.large", "zone": "z1", "capacityType": "on-demand"},
      {"name": "n2", "nodePool": "od", "instanceType": "m5.large", "zone": "z1", "capacityType": "on-demand"}
      """
    let (file, state) = try Self.read(
      Self.state(
        nodes: nodes, pods: #"{"name": "a", "node": "n1", "requests": {"cpu": "1"}, "labels": {"app": "a"}}"#,
        budgets: #"{"name": "a", "matchLabels": {"app": "a"}, "disruptionsAllowed": 0}"#))
    let decision = try NodeAutoscaler().disrupt(state, now: file.now)
    let command = try #require(decision.command)
    #expect(command.method == .emptiness)
    #expect(command.candidates == ["n2"])
  }
}
