public import AutoscalingCore

/// A node the plan launches: its NodePool, chosen instance type and offering, the launch
/// options, requests and pods.
public struct NodeLaunch: Hashable, Sendable {
  /// The placeholder hostname (`hostname-placeholder-NNNN`), unique within the plan.
  public var name: String
  /// The NodePool.
  public var nodePool: String
  /// The chosen instance type: the cheapest option that fits the requests.
  public var instanceType: String
  /// The chosen offering (zone, capacity type, price in USD per hour).
  public var offering: Offering
  /// The instance types the NodeClaim lists, cheapest first, truncated to `maxInstanceTypes`.
  public var instanceTypeOptions: [String]
  /// `spec.resources.requests`: the pods' requests plus the smallest daemon overhead.
  public var requests: ResourceList
  /// The capacity of the chosen type.
  public var capacity: ResourceList
  /// The allocatable resources of the chosen type.
  public var allocatable: ResourceList
  /// The labels the node gets (NodePool labels, resolved requirements, zone, capacity type,
  /// instance type, arch, os, instance-type labels).
  public var labels: Labels
  /// The NodePool taints.
  public var taints: [Taint]
  /// The NodePool startup taints.
  public var startupTaints: [Taint]
  /// The NodeClaim requirements after scheduling (instance types, capacity types, zones, …).
  public var requirements: Requirements
  /// Whether `minValues` was lowered under the BestEffort policy.
  public var minValuesRelaxed: Bool
  /// The pods placed on it (`namespace/name`).
  public var pods: [String]
}

/// A pod placed on a node (existing, or launched by the plan).
public struct PodBinding: Hashable, Sendable {
  /// The pod (`namespace/name`).
  public var pod: String
  /// The node name (a ``NodeLaunch/name`` for new nodes).
  public var node: String
  /// Whether the node is launched by the plan.
  public var isNewNode: Bool
}

/// A pod the plan leaves pending, with the reason.
public struct PendingPod: Hashable, Sendable {
  /// The pod (`namespace/name`).
  public var pod: String
  /// Why no node took it: the requirement, taint, resource or limit, per NodePool tried.
  public var reason: String
}

/// The result of provisioning: nodes to launch, where every pod goes, and what stays pending.
public struct ProvisioningPlan: Hashable, Sendable {
  /// New nodes, in creation order.
  public var launches: [NodeLaunch]
  /// Pod placements, in scheduling order.
  public var bindings: [PodBinding]
  /// Pods left pending, with reasons.
  public var pending: [PendingPod]

  /// The summed price of the launches, USD per hour.
  public var launchPricePerHour: Double { launches.reduce(0) { $0 + $1.offering.price } }

  /// The node a pod was bound to, if any.
  ///
  /// - Parameter pod: `namespace/name` (or a bare name in the `default` namespace).
  /// - Returns: The node name, or `nil`.
  public func node(of pod: String) -> String? {
    let id = pod.contains("/") ? pod : "default/\(pod)"
    return bindings.first { $0.pod == id }?.node
  }
}
