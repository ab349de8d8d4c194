public import AutoscalingCore

/// A container's requests and limits.
public struct ResourceRequirements: Hashable, Sendable {
  /// Requested amounts.
  public var requests: ResourceList
  /// Limits.
  public var limits: ResourceList

  /// Creates requirements.
  ///
  /// - Parameters:
  ///   - requests: Requested amounts.
  ///   - limits: Limits.
  public init(requests: ResourceList = [:], limits: ResourceList = [:]) {
    self.requests = requests
    self.limits = limits
  }
}

/// A pod container as the VPA admission controller and updater see it: spec resources and,
/// after an in-place resize, the resources reported in its status.
public struct PodContainer: Hashable, Sendable {
  /// The container's name.
  public var name: String
  /// The resources in the pod spec.
  public var resources: ResourceRequirements
  /// The resources in the container status (in-place resize), if reported.
  public var statusResources: ResourceRequirements?

  /// Creates a pod container.
  ///
  /// - Parameters:
  ///   - name: The container's name.
  ///   - requests: Spec requests (not defaulted from limits).
  ///   - limits: Spec limits.
  ///   - statusResources: Status resources, if any.
  public init(
    name: String, requests: ResourceList = [:], limits: ResourceList = [:],
    statusResources: ResourceRequirements? = nil
  ) {
    self.name = name
    resources = ResourceRequirements(requests: requests, limits: limits)
    self.statusResources = statusResources
  }

  /// The requests and limits in force: the status block when present (it replaces both),
  /// else the spec (upstream `ContainerRequestsAndLimits`).
  public var current: ResourceRequirements { statusResources ?? resources }
}

/// How a container last terminated.
public struct ContainerTermination: Hashable, Sendable {
  /// The reason, e.g. `OOMKilled`.
  public var reason: String
  /// When the terminated run started.
  public var startedAt: Instant
  /// When it ended.
  public var finishedAt: Instant

  /// Creates a termination record.
  ///
  /// - Parameters:
  ///   - reason: The reason, e.g. `OOMKilled`.
  ///   - startedAt: When the run started.
  ///   - finishedAt: When it ended.
  public init(reason: String, startedAt: Instant, finishedAt: Instant) {
    self.reason = reason
    self.startedAt = startedAt
    self.finishedAt = finishedAt
  }
}

/// A container status entry (only what the updater reads).
public struct ContainerStatus: Hashable, Sendable {
  /// The container's name.
  public var name: String
  /// The last termination, if the container restarted.
  public var lastTermination: ContainerTermination?

  /// Creates a status entry.
  ///
  /// - Parameters:
  ///   - name: The container's name.
  ///   - lastTermination: The last termination.
  public init(name: String, lastTermination: ContainerTermination? = nil) {
    self.name = name
    self.lastTermination = lastTermination
  }
}

/// A pod as the VPA capping processor and updater see it.
public struct VPAPod: Hashable, Sendable {
  /// The pod phase, as far as eviction cares.
  public enum Phase: String, Hashable, Sendable {
    /// Not yet running (can always be evicted when its group is tracked).
    case pending = "Pending"
    /// Running.
    case running = "Running"
    /// Finished or failed (not counted as live).
    case terminated = "Terminated"
  }

  /// The pod's name.
  public var name: String
  /// The containers, in spec order.
  public var containers: [PodContainer]
  /// Container statuses.
  public var containerStatuses: [ContainerStatus]
  /// Annotations (`vpaObservedContainers` matters here).
  public var annotations: [String: String]
  /// When the pod started; `nil` if unknown.
  public var startTime: Instant?
  /// The pod phase.
  public var phase: Phase
  /// The replica creator (Deployment/ReplicaSet/Job) that owns the pod; `nil` for none.
  public var controller: String?

  /// Creates a pod.
  ///
  /// - Parameters:
  ///   - name: The pod's name.
  ///   - containers: The containers.
  ///   - containerStatuses: Container statuses.
  ///   - annotations: Annotations.
  ///   - startTime: When the pod started.
  ///   - phase: The pod phase.
  ///   - controller: The owning replica creator.
  public init(
    name: String, containers: [PodContainer], containerStatuses: [ContainerStatus] = [],
    annotations: [String: String] = [:], startTime: Instant? = nil, phase: Phase = .running,
    controller: String? = nil
  ) {
    self.name = name
    self.containers = containers
    self.containerStatuses = containerStatuses
    self.annotations = annotations
    self.startTime = startTime
    self.phase = phase
    self.controller = controller
  }

  /// The container named `name`.
  ///
  /// - Parameter name: A container name.
  /// - Returns: The container, or `nil`.
  public func container(named name: String) -> PodContainer? {
    containers.first { $0.name == name }
  }

  /// The annotation key listing the containers the admission controller observed.
  public static let observedContainersAnnotation = "vpaObservedContainers"

  /// The containers listed in a parseable `vpaObservedContainers` annotation, or `nil` when
  /// the annotation is absent or unparseable (upstream `parseVpaObservedContainers`).
  ///
  /// The value is a list of DNS-1123 labels separated by `", "`; an empty value lists none.
  public var observedContainers: Set<String>? {
    guard let value = annotations[Self.observedContainersAnnotation] else { return nil }
    if value.isEmpty { return [] }
    var names: Set<String> = []
    for name in value.split(separator: ", ", omittingEmptySubsequences: false) {
      guard Self.isDNS1123Label(name) else { return nil }
      names.insert(String(name))
    }
    return names
  }

  static func isDNS1123Label(_ text: Substring) -> Bool {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty, bytes.count <= 63 else { return false }
    func isAlphanumeric(_ byte: UInt8) -> Bool {
      (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
    }
    guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first),
      isAlphanumeric(last)
    else { return false }
    return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
  }
}
