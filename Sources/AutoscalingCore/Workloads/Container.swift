/// A container's resource requests and limits.
public struct Container: Hashable, Sendable, Codable {
  /// The container name.
  public var name: String
  /// Requested amounts (what the scheduler reserves and the HPA divides usage by).
  public var requests: ResourceList
  /// Limits (CPU above is throttled; memory above is an OOM kill).
  public var limits: ResourceList

  /// Creates a container; a limit with no request defaults the request, as the API server does.
  ///
  /// - Parameters:
  ///   - name: The container name.
  ///   - requests: Requested amounts.
  ///   - limits: Limits.
  public init(name: String, requests: ResourceList = [:], limits: ResourceList = [:]) {
    self.name = name
    var effective = requests
    for (resource, limit) in limits.quantities where effective[resource] == nil {
      effective[resource] = limit
    }
    self.requests = effective
    self.limits = limits
  }
}

/// A pod's scheduling-relevant spec: containers, placement constraints and labels.
///
/// Deployments, StatefulSets, Jobs and CronJobs all carry one as their pod template.
public struct PodTemplate: Hashable, Sendable, Codable {
  /// Pod labels.
  public var labels: Labels
  /// Application containers (their requests add up).
  public var containers: [Container]
  /// Init containers (run one at a time: the largest request of any of them counts).
  public var initContainers: [Container]
  /// `nodeSelector`: labels a node must carry.
  public var nodeSelector: Labels
  /// Tolerations of node taints.
  public var tolerations: [Toleration]
  /// Required node affinity terms (ORed); empty means none.
  public var requiredNodeAffinity: [NodeSelectorTerm]
  /// Preferred node affinity terms with their weights (1–100).
  public var preferredNodeAffinity: [WeightedNodeSelectorTerm]
  /// Topology spread constraints.
  public var topologySpreadConstraints: [TopologySpreadConstraint]
  /// Required pod affinity terms.
  public var requiredPodAffinity: [PodAffinityTerm]
  /// Required pod anti-affinity terms.
  public var requiredPodAntiAffinity: [PodAffinityTerm]
  /// Pod overhead added by the runtime class (counted by the scheduler).
  public var overhead: ResourceList

  /// Creates a pod template.
  ///
  /// - Parameters:
  ///   - labels: Pod labels.
  ///   - containers: Application containers.
  ///   - initContainers: Init containers.
  ///   - nodeSelector: Required node labels.
  ///   - tolerations: Tolerations.
  ///   - requiredNodeAffinity: Required node affinity terms (ORed).
  ///   - preferredNodeAffinity: Preferred node affinity terms.
  ///   - topologySpreadConstraints: Topology spread constraints.
  ///   - requiredPodAffinity: Required pod affinity terms.
  ///   - requiredPodAntiAffinity: Required pod anti-affinity terms.
  ///   - overhead: Pod overhead.
  public init(
    labels: Labels = [:], containers: [Container], initContainers: [Container] = [],
    nodeSelector: Labels = [:], tolerations: [Toleration] = [],
    requiredNodeAffinity: [NodeSelectorTerm] = [],
    preferredNodeAffinity: [WeightedNodeSelectorTerm] = [],
    topologySpreadConstraints: [TopologySpreadConstraint] = [],
    requiredPodAffinity: [PodAffinityTerm] = [], requiredPodAntiAffinity: [PodAffinityTerm] = [],
    overhead: ResourceList = [:]
  ) {
    self.labels = labels
    self.containers = containers
    self.initContainers = initContainers
    self.nodeSelector = nodeSelector
    self.tolerations = tolerations
    self.requiredNodeAffinity = requiredNodeAffinity
    self.preferredNodeAffinity = preferredNodeAffinity
    self.topologySpreadConstraints = topologySpreadConstraints
    self.requiredPodAffinity = requiredPodAffinity
    self.requiredPodAntiAffinity = requiredPodAntiAffinity
    self.overhead = overhead
  }

  /// The pod's effective request, as the scheduler computes it: the larger of the sum of the
  /// containers' requests and the largest init container's request, per resource, plus
  /// overhead.
  public var effectiveRequests: ResourceList {
    // One container and nothing else: its requests (each amount is `0 + amount`, the same
    // value and format), without building the sum.
    if containers.count == 1 && initContainers.isEmpty && overhead.isEmpty { return containers[0].requests }
    var sum = ResourceList()
    for container in containers { sum += container.requests }
    var initMaximum = ResourceList()
    for container in initContainers { initMaximum = initMaximum.maximum(with: container.requests) }
    return sum.maximum(with: initMaximum) + overhead
  }
}

/// A preferred node-affinity term with its weight.
public struct WeightedNodeSelectorTerm: Hashable, Sendable, Codable {
  /// The weight, 1–100.
  public var weight: Int
  /// The preferred term.
  public var preference: NodeSelectorTerm

  /// Creates a weighted term.
  ///
  /// - Parameters:
  ///   - weight: The weight, 1–100.
  ///   - preference: The preferred term.
  public init(weight: Int, preference: NodeSelectorTerm) {
    self.weight = weight
    self.preference = preference
  }
}

/// A topology spread constraint (`maxSkew` across the domains of `topologyKey`).
public struct TopologySpreadConstraint: Hashable, Sendable, Codable {
  /// What happens when the constraint cannot be met.
  public enum UnsatisfiableAction: String, Hashable, Sendable, Codable {
    /// The pod stays pending.
    case doNotSchedule = "DoNotSchedule"
    /// The pod is placed anyway.
    case scheduleAnyway = "ScheduleAnyway"
  }

  /// The largest allowed difference in matching pods between two domains.
  public var maxSkew: Int
  /// The node label whose values are the domains (zone, hostname, …).
  public var topologyKey: String
  /// Whether the constraint is hard or soft.
  public var whenUnsatisfiable: UnsatisfiableAction
  /// Which pods are counted.
  public var labelSelector: LabelSelector

  /// Creates a constraint.
  ///
  /// - Parameters:
  ///   - maxSkew: The largest allowed difference between domains.
  ///   - topologyKey: The domain label key.
  ///   - whenUnsatisfiable: Hard or soft.
  ///   - labelSelector: The pods counted.
  public init(
    maxSkew: Int, topologyKey: String, whenUnsatisfiable: UnsatisfiableAction = .doNotSchedule,
    labelSelector: LabelSelector = LabelSelector()
  ) {
    self.maxSkew = maxSkew
    self.topologyKey = topologyKey
    self.whenUnsatisfiable = whenUnsatisfiable
    self.labelSelector = labelSelector
  }
}

/// A pod (anti-)affinity term: pods matching `labelSelector` within one `topologyKey` domain.
public struct PodAffinityTerm: Hashable, Sendable, Codable {
  /// Which pods the term refers to.
  public var labelSelector: LabelSelector
  /// The node label whose values are the domains.
  public var topologyKey: String

  /// Creates a term.
  ///
  /// - Parameters:
  ///   - labelSelector: The pods referred to.
  ///   - topologyKey: The domain label key.
  public init(labelSelector: LabelSelector, topologyKey: String) {
    self.labelSelector = labelSelector
    self.topologyKey = topologyKey
  }
}
