public import AutoscalingCore

/// A node already in the cluster (launched, in flight, or not managed by Karpenter).
public struct Node: Hashable, Sendable {
  /// The name (also its `kubernetes.io/hostname`).
  public var name: String
  /// The NodePool that launched it, or `nil` for a node Karpenter does not manage.
  public var nodePool: String?
  /// Labels, including zone, capacity type, instance type, arch and os.
  public var labels: Labels
  /// Taints.
  public var taints: [Taint]
  /// Total resources (what NodePool limits count); defaults to `allocatable`.
  public var capacity: ResourceList
  /// Schedulable resources.
  public var allocatable: ResourceList
  /// Whether the node is initialized (registered, ready, startup taints gone).
  public var isInitialized: Bool
  /// Whether the node is marked for deletion (draining).
  public var isMarkedForDeletion: Bool
  /// Whether the node is nominated for a pending pod.
  public var isNominated: Bool
  /// Annotations (`karpenter.sh/do-not-disrupt`).
  public var annotations: Labels
  /// When the node was created.
  public var createdAt: Instant
  /// When it became initialized (defaults to `createdAt`).
  public var initializedAt: Instant?
  /// When a non-daemon pod last bound to or left it (defaults to `initializedAt`).
  public var lastPodEventAt: Instant?
  /// Forces the `Consolidatable` condition (`true`/`false`); `nil` computes it from consolidateAfter.
  public var consolidatableOverride: Bool?
  /// Whether the node has drifted from its NodePool.
  public var isDrifted: Bool

  /// Creates a node.
  ///
  /// - Parameters:
  ///   - name: The name.
  ///   - nodePool: The managing NodePool, or `nil` when unmanaged.
  ///   - labels: Labels.
  ///   - taints: Taints.
  ///   - capacity: Total resources (`nil` = allocatable).
  ///   - allocatable: Schedulable resources.
  ///   - isInitialized: Initialized.
  ///   - isMarkedForDeletion: Draining.
  ///   - isNominated: Nominated for a pending pod.
  ///   - annotations: Annotations.
  ///   - createdAt: Creation time.
  ///   - initializedAt: Initialization time.
  ///   - lastPodEventAt: Last pod event time.
  ///   - consolidatableOverride: Forced `Consolidatable` condition.
  ///   - isDrifted: Drifted.
  public init(
    name: String, nodePool: String? = nil, labels: Labels = [:], taints: [Taint] = [], capacity: ResourceList? = nil,
    allocatable: ResourceList, isInitialized: Bool = true, isMarkedForDeletion: Bool = false, isNominated: Bool = false,
    annotations: Labels = [:], createdAt: Instant = .epoch, initializedAt: Instant? = nil, lastPodEventAt: Instant? = nil,
    consolidatableOverride: Bool? = nil, isDrifted: Bool = false
  ) {
    self.name = name
    self.nodePool = nodePool
    self.labels = labels
    self.taints = taints
    self.capacity = capacity ?? allocatable
    self.allocatable = allocatable
    self.isInitialized = isInitialized
    self.isMarkedForDeletion = isMarkedForDeletion
    self.isNominated = isNominated
    self.annotations = annotations
    self.createdAt = createdAt
    self.initializedAt = initializedAt
    self.lastPodEventAt = lastPodEventAt
    self.consolidatableOverride = consolidatableOverride
    self.isDrifted = isDrifted
  }

  /// Whether Karpenter manages the node (it has a NodeClaim).
  public var isManaged: Bool { nodePool != nil }
  /// `topology.kubernetes.io/zone`.
  public var zone: String? { labels[WellKnownLabel.zone] }
  /// `karpenter.sh/capacity-type`.
  public var capacityType: CapacityType? { labels[WellKnownLabel.capacityType].flatMap(CapacityType.init(rawValue:)) }
  /// `node.kubernetes.io/instance-type`.
  public var instanceTypeName: String? { labels[WellKnownLabel.instanceType] }
}

/// Everything provisioning and disruption read: NodePools, the instance catalogue, nodes, pods,
/// DaemonSets and PodDisruptionBudgets.
public struct ClusterState: Hashable, Sendable {
  /// The NodePools.
  public var nodePools: [NodePool]
  /// The instance types every NodePool may choose from.
  public var instanceTypes: [InstanceType]
  /// Per-NodePool catalogue overrides (by NodePool name).
  public var instanceTypesByNodePool: [String: [InstanceType]]
  /// Nodes in the cluster.
  public var nodes: [Node]
  /// Pods: bound ones (`nodeName` set) and pending ones.
  public var pods: [Pod]
  /// One pod template per DaemonSet.
  public var daemonSets: [Pod]
  /// PodDisruptionBudgets.
  public var podDisruptionBudgets: [PodDisruptionBudget]

  /// Creates a cluster state.
  ///
  /// - Parameters:
  ///   - nodePools: NodePools.
  ///   - instanceTypes: The catalogue.
  ///   - instanceTypesByNodePool: Per-NodePool catalogue overrides.
  ///   - nodes: Nodes.
  ///   - pods: Pods.
  ///   - daemonSets: DaemonSet pod templates.
  ///   - podDisruptionBudgets: PDBs.
  public init(
    nodePools: [NodePool] = [], instanceTypes: [InstanceType] = InstanceCatalog.embedded(),
    instanceTypesByNodePool: [String: [InstanceType]] = [:], nodes: [Node] = [], pods: [Pod] = [],
    daemonSets: [Pod] = [], podDisruptionBudgets: [PodDisruptionBudget] = []
  ) {
    self.nodePools = nodePools
    self.instanceTypes = instanceTypes
    self.instanceTypesByNodePool = instanceTypesByNodePool
    self.nodes = nodes
    self.pods = pods
    self.daemonSets = daemonSets
    self.podDisruptionBudgets = podDisruptionBudgets
  }

  /// The catalogue a NodePool chooses from.
  ///
  /// - Parameter nodePool: A NodePool name.
  /// - Returns: Its override, or the shared catalogue.
  public func instanceTypes(for nodePool: String) -> [InstanceType] {
    instanceTypesByNodePool[nodePool] ?? instanceTypes
  }
}

/// Switches between upstream behaviours and knobs of provisioning and disruption.
public struct NodeAutoscalerOptions: Hashable, Sendable {
  /// Whether soft constraints are honoured (then relaxed) or ignored (`PreferencePolicy`).
  public enum PreferencePolicy: String, Hashable, Sendable {
    /// Preferences act as requirements until relaxed (default).
    case respect = "Respect"
    /// Preferred affinities and `ScheduleAnyway` spreads are ignored.
    case ignore = "Ignore"
  }
  /// How `minValues` is enforced (`MinValuesPolicy`).
  public enum MinValuesPolicy: String, Hashable, Sendable {
    /// A NodeClaim that breaks `minValues` is rejected (default).
    case strict = "Strict"
    /// `minValues` is lowered to what is achievable.
    case bestEffort = "BestEffort"
  }
  /// Which upstream generation's disruption rules apply.
  public enum DisruptionGeneration: String, Hashable, Sendable {
    /// v1.14: savings-ratio ordering, "empty" = no pod with positive eviction cost.
    case current
    /// ≤ v1.13: disruption-cost ordering (lifetime weighted), "empty" = no reschedulable pod.
    case legacy
  }

  /// Preference policy.
  public var preferencePolicy: PreferencePolicy
  /// minValues policy.
  public var minValuesPolicy: MinValuesPolicy
  /// The `SpotToSpotConsolidation` feature gate (default off).
  public var spotToSpotConsolidation: Bool
  /// Instance types kept on a NodeClaim (`MaxInstanceTypes`, 600 since #2430; 60 before).
  public var maxInstanceTypes: Int
  /// Keys a new NodeClaim may leave undefined while a pod selects them.
  public var allowUndefinedLabels: Set<String>
  /// Disruption rules generation.
  public var disruptionGeneration: DisruptionGeneration
  /// Wait between computing a disruption command and executing it, in milliseconds (15 000).
  public var validationDelayMilliseconds: Int64
  /// The multi-node candidate cap (100; the binary search can try 101).
  public var multiNodeMaxCandidates: Int
  /// Cheaper options single-node spot-to-spot needs (15).
  public var spotToSpotMinInstanceTypes: Int
  /// Balanced policy's k: a move passes with score ≥ 1/k (2).
  public var balancedK: Double

  /// Creates options with upstream's defaults.
  ///
  /// - Parameters:
  ///   - preferencePolicy: Preference policy.
  ///   - minValuesPolicy: minValues policy.
  ///   - spotToSpotConsolidation: The feature gate.
  ///   - maxInstanceTypes: NodeClaim instance-type cap.
  ///   - allowUndefinedLabels: Keys allowed undefined on new NodeClaims.
  ///   - disruptionGeneration: Disruption rules generation.
  ///   - validationDelayMilliseconds: Validation delay, milliseconds.
  ///   - multiNodeMaxCandidates: Multi-node cap.
  ///   - spotToSpotMinInstanceTypes: Spot-to-spot flexibility.
  ///   - balancedK: Balanced k.
  public init(
    preferencePolicy: PreferencePolicy = .respect, minValuesPolicy: MinValuesPolicy = .strict,
    spotToSpotConsolidation: Bool = false, maxInstanceTypes: Int = 600,
    allowUndefinedLabels: Set<String> = WellKnownLabel.core.union(WellKnownLabel.catalogue),
    disruptionGeneration: DisruptionGeneration = .current, validationDelayMilliseconds: Int64 = 15_000,
    multiNodeMaxCandidates: Int = 100, spotToSpotMinInstanceTypes: Int = 15, balancedK: Double = 2
  ) {
    self.preferencePolicy = preferencePolicy
    self.minValuesPolicy = minValuesPolicy
    self.spotToSpotConsolidation = spotToSpotConsolidation
    self.maxInstanceTypes = maxInstanceTypes
    self.allowUndefinedLabels = allowUndefinedLabels
    self.disruptionGeneration = disruptionGeneration
    self.validationDelayMilliseconds = validationDelayMilliseconds
    self.multiNodeMaxCandidates = multiNodeMaxCandidates
    self.spotToSpotMinInstanceTypes = spotToSpotMinInstanceTypes
    self.balancedK = balancedK
  }
}

extension ClusterState {
  /// Throws when two NodePools share a name (the API server keeps NodePool names unique; a
  /// state with a repeated name cannot say which pool a node belongs to).
  func checkNodePoolNames() throws(NodeAutoscalingError) {
    var names: Set<String> = []
    for pool in nodePools where !names.insert(pool.name).inserted {
      throw NodeAutoscalingError(
        .invalidValue, object: "NodePool \"\(pool.name)\"", field: "metadata.name",
        message: "two NodePools share this name")
    }
  }
}
