public import AutoscalingCore
public import NodeAutoscaling

/// One pod of a node replay: when it arrives, when it leaves, and what it asks for.
public struct NodeReplayPod: Hashable, Sendable {
  /// The pod's name (unique within the replay; the namespace is `default`).
  public var name: String
  /// When the pod is created, in milliseconds on the trace clock.
  public var arrivalMilliseconds: Int64
  /// When the pod finishes or is deleted, in milliseconds; `nil` = runs to the end.
  public var departureMilliseconds: Int64?
  /// Requests, labels, selectors and tolerations (Core `PodTemplate`).
  public var template: PodTemplate
  /// The owner kind (eviction cost and reschedulability follow it).
  public var ownerKind: PodOwnerKind?

  /// Creates a replay pod.
  ///
  /// - Parameters:
  ///   - name: A unique name.
  ///   - arrivalMilliseconds: Creation time (milliseconds).
  ///   - departureMilliseconds: Deletion time (milliseconds), or `nil`.
  ///   - template: The pod's template.
  ///   - ownerKind: The owner kind (default ReplicaSet).
  public init(
    name: String, arrivalMilliseconds: Int64, departureMilliseconds: Int64? = nil, template: PodTemplate,
    ownerKind: PodOwnerKind? = .replicaSet
  ) {
    self.name = name
    self.arrivalMilliseconds = arrivalMilliseconds
    self.departureMilliseconds = departureMilliseconds
    self.template = template
    self.ownerKind = ownerKind
  }

  /// A pod that only asks for resources; a pod asking for `nvidia.com/gpu` tolerates the
  /// `nvidia.com/gpu` taint (any value, `NoSchedule`), as Kubernetes' ExtendedResourceToleration
  /// admission plugin adds.
  ///
  /// - Parameters:
  ///   - name: A unique name.
  ///   - arrivalMilliseconds: Creation time (milliseconds).
  ///   - departureMilliseconds: Deletion time (milliseconds), or `nil`.
  ///   - requests: Requests (cpu in cores, memory in bytes, `nvidia.com/gpu` in devices).
  ///   - labels: Pod labels.
  /// - Returns: The pod.
  public static func requesting(
    name: String, arrivalMilliseconds: Int64, departureMilliseconds: Int64?, requests: ResourceList,
    labels: Labels = [:]
  ) -> NodeReplayPod {
    var tolerations: [Toleration] = []
    if requests.amount(of: .nvidiaGPU) > .zero {
      tolerations.append(Toleration(key: ResourceName.nvidiaGPU.rawValue, operator: .exists, effect: .noSchedule))
    }
    return NodeReplayPod(
      name: name, arrivalMilliseconds: arrivalMilliseconds, departureMilliseconds: departureMilliseconds,
      template: PodTemplate(
        labels: labels, containers: [Container(name: "main", requests: requests)], tolerations: tolerations))
  }
}

/// The clocks of a node replay, in milliseconds.
public struct NodeReplayTiming: Hashable, Sendable {
  /// Karpenter's batcher closes a batch after this long without a new pending pod (1 s upstream).
  public var batchIdleMilliseconds: Int64
  /// …or this long after the batch opened, whichever comes first (10 s upstream).
  public var batchMaxMilliseconds: Int64
  /// From launch to the node being initialized (pods bound to it start then).
  public var nodeLaunchMilliseconds: Int64
  /// How often the disruption controller runs (10 s upstream).
  public var consolidationIntervalMilliseconds: Int64

  /// Creates the clocks.
  ///
  /// - Parameters:
  ///   - batchIdleMilliseconds: Batch idle period (milliseconds, default 1 000).
  ///   - batchMaxMilliseconds: Batch maximum (milliseconds, default 10 000).
  ///   - nodeLaunchMilliseconds: Launch-to-ready latency (milliseconds, default 60 000).
  ///   - consolidationIntervalMilliseconds: Disruption loop period (milliseconds, default 10 000).
  public init(
    batchIdleMilliseconds: Int64 = 1_000, batchMaxMilliseconds: Int64 = 10_000, nodeLaunchMilliseconds: Int64 = 60_000,
    consolidationIntervalMilliseconds: Int64 = 10_000
  ) {
    self.batchIdleMilliseconds = batchIdleMilliseconds
    self.batchMaxMilliseconds = batchMaxMilliseconds
    self.nodeLaunchMilliseconds = nodeLaunchMilliseconds
    self.consolidationIntervalMilliseconds = consolidationIntervalMilliseconds
  }
}

/// Seeded spot interruptions: each spot node lives an exponentially distributed time.
public struct SpotInterruptions: Hashable, Sendable {
  /// Interruptions per spot node-hour (the inverse of the mean lifetime in hours).
  public var ratePerNodeHour: Double
  /// The seed of the draws (same seed, same interruptions).
  public var seed: UInt64

  /// Creates an interruption model.
  ///
  /// - Parameters:
  ///   - ratePerNodeHour: Interruptions per spot node-hour (≥ 0).
  ///   - seed: The seed.
  public init(ratePerNodeHour: Double, seed: UInt64) {
    self.ratePerNodeHour = ratePerNodeHour
    self.seed = seed
  }
}

/// A node replay that cannot run: names the input and the rule.
public struct NodeReplayError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What is wrong and what to do instead.
  public var message: String

  /// Creates an error.
  ///
  /// - Parameter message: The message.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}

/// The outcome of a node replay (JSON keys = property names).
///
/// With nodes n (launched at `l_n`, gone at `e_n` or the replay's end) and the replay window
/// [start, end):
/// - `nodeHours` = Σₙ (e_n − l_n) / 3 600 000 (hours; a node is billed from launch, not from ready);
/// - `costDollars` = Σₙ price_n × (e_n − l_n) / 3 600 000 (US dollars; price of the offering launched);
/// - `nodeLaunches` / `nodeTerminations`: nodes launched (provisioning and replacements) / removed
///   before the end (consolidation and spot interruptions);
/// - `podsDisrupted`: evictions of running pods by consolidation or interruption;
/// - `pendingPodSeconds` = ∫ (pods that exist but are not bound to an initialized node) dt (seconds);
/// - `meanCpuAllocation` = ∫ Σ cpu requests of bound pods dt / ∫ Σ cpu allocatable of nodes dt
///   (both over all nodes, ready or launching; 0 when no node ever existed), likewise
///   `meanMemoryAllocation` and `meanGpuAllocation` (`nvidia.com/gpu`, 0 when no GPU node existed).
public struct NodeScorecard: Hashable, Sendable, Codable {
  /// Node-hours (hours).
  public var nodeHours: Double
  /// Cost (US dollars).
  public var costDollars: Double
  /// Nodes launched.
  public var nodeLaunches: Int
  /// Nodes removed before the end.
  public var nodeTerminations: Int
  /// Pod evictions by consolidation or interruption.
  public var podsDisrupted: Int
  /// Pod-seconds spent pending (seconds).
  public var pendingPodSeconds: Double
  /// Time-weighted CPU requests over allocatable (0…1).
  public var meanCpuAllocation: Double
  /// Time-weighted memory requests over allocatable (0…1).
  public var meanMemoryAllocation: Double
  /// Time-weighted GPU requests over allocatable (0…1).
  public var meanGpuAllocation: Double

  /// Creates a scorecard.
  ///
  /// - Parameters:
  ///   - nodeHours: Node-hours (hours).
  ///   - costDollars: Cost (US dollars).
  ///   - nodeLaunches: Launches.
  ///   - nodeTerminations: Terminations.
  ///   - podsDisrupted: Evictions.
  ///   - pendingPodSeconds: Pending pod-seconds (seconds).
  ///   - meanCpuAllocation: CPU allocation (0…1).
  ///   - meanMemoryAllocation: Memory allocation (0…1).
  ///   - meanGpuAllocation: GPU allocation (0…1).
  public init(
    nodeHours: Double = 0, costDollars: Double = 0, nodeLaunches: Int = 0, nodeTerminations: Int = 0,
    podsDisrupted: Int = 0, pendingPodSeconds: Double = 0, meanCpuAllocation: Double = 0,
    meanMemoryAllocation: Double = 0, meanGpuAllocation: Double = 0
  ) {
    self.nodeHours = nodeHours
    self.costDollars = costDollars
    self.nodeLaunches = nodeLaunches
    self.nodeTerminations = nodeTerminations
    self.podsDisrupted = podsDisrupted
    self.pendingPodSeconds = pendingPodSeconds
    self.meanCpuAllocation = meanCpuAllocation
    self.meanMemoryAllocation = meanMemoryAllocation
    self.meanGpuAllocation = meanGpuAllocation
  }
}
