public import AutoscalingCore

/// A pod's lifecycle phase (`status.phase`).
public enum PodPhase: String, Hashable, Sendable {
  /// Accepted but not all containers are running (`Pending`).
  case pending = "Pending"
  /// Bound and running (`Running`).
  case running = "Running"
  /// All containers exited successfully (`Succeeded`).
  case succeeded = "Succeeded"
  /// All containers exited and one failed (`Failed`).
  case failed = "Failed"
  /// The state could not be obtained (`Unknown`).
  case unknown = "Unknown"
}

/// The status of a pod's `PodReady` condition.
public enum PodReadyStatus: String, Hashable, Sendable {
  /// `True`: the pod serves traffic.
  case ready = "True"
  /// `False`: the pod does not serve traffic.
  case notReady = "False"
  /// `Unknown`.
  case unknown = "Unknown"
}

/// A pod's `PodReady` condition.
public struct PodReadyCondition: Hashable, Sendable {
  /// The condition's status.
  public var status: PodReadyStatus
  /// When the status last changed.
  public var lastTransitionTime: Instant

  /// Creates a readiness condition.
  ///
  /// - Parameters:
  ///   - status: The status.
  ///   - lastTransitionTime: When it last changed.
  public init(status: PodReadyStatus, lastTransitionTime: Instant) {
    self.status = status
    self.lastTransitionTime = lastTransitionTime
  }
}

/// What the HPA controller sees of one pod selected by the target's selector.
///
/// Cheap to copy: the container list is shared copy-on-write, so a replay can keep one
/// container array per workload and stamp out pods that differ only in phase and readiness.
public struct PodObservation: Hashable, Sendable {
  /// The pod's name (used in error messages only; metrics are matched by position).
  public var name: String
  /// The pod's phase.
  public var phase: PodPhase
  /// The `PodReady` condition, or `nil` when the pod has none.
  public var readyCondition: PodReadyCondition?
  /// When the kubelet started the pod (`status.startTime`), or `nil` when not yet started.
  public var startTime: Instant?
  /// Whether the pod has a deletion timestamp (it is terminating).
  public var isDeleted: Bool
  /// The pod's containers with their requests (regular, init and sidecar containers).
  public var containers: [ContainerRequests]
  /// Pod-level requests (`spec.resources.requests`), or `nil` when not set.
  public var podLevelRequests: ResourceRequests?

  /// Creates a pod observation.
  ///
  /// - Parameters:
  ///   - name: The pod name.
  ///   - phase: The phase; `.running` by default.
  ///   - readyCondition: The `PodReady` condition, or `nil`.
  ///   - startTime: The start time, or `nil`.
  ///   - isDeleted: Whether the pod is terminating.
  ///   - containers: The containers and their requests.
  ///   - podLevelRequests: Pod-level requests, if set.
  public init(
    name: String, phase: PodPhase = .running, readyCondition: PodReadyCondition?,
    startTime: Instant?, isDeleted: Bool = false, containers: [ContainerRequests],
    podLevelRequests: ResourceRequests? = nil
  ) {
    self.name = name
    self.phase = phase
    self.readyCondition = readyCondition
    self.startTime = startTime
    self.isDeleted = isDeleted
    self.containers = containers
    self.podLevelRequests = podLevelRequests
  }

  /// Whether the pod is Running with `PodReady=True` (upstream `getReadyPodsCount`).
  public var isRunningAndReady: Bool {
    phase == .running && readyCondition?.status == .ready
  }
}
