import AutoscalingCore

/// The selected pods prepared once for many decisions: the pods themselves plus one compact
/// record per pod with what the replica calculator reads on every decision (phase, readiness
/// times, whole-pod cpu and memory requests), so a decision does not re-examine each pod's
/// optionals and container list.
///
/// Build one when the pods change and pass it to
/// ``HorizontalAutoscaler/reconcile(_:pods:at:)`` for every decision until they change
/// again; building one is O(*n*) in the pods and their containers. Two tables are equal when
/// their pods are equal (the records are derived from the pods).
public struct PreparedPods: Hashable, Sendable {
  /// The pods, in the order their metric samples follow.
  public let pods: [PodObservation]
  /// One record per pod, in the same order.
  let records: [PreparedPod]

  /// Prepares a table from the selected pods.
  ///
  /// - Parameter pods: The pods the selector matches, in the order of their metric samples.
  /// - Complexity: O(*n* + *c*) for *n* pods and *c* containers in all; one allocation.
  public init(_ pods: [PodObservation]) {
    self.pods = pods
    var records: [PreparedPod] = []
    records.reserveCapacity(pods.count)
    for pod in pods { records.append(PreparedPod(pod)) }
    self.records = records
  }

  /// The number of pods.
  public var count: Int { pods.count }

  /// Whether two tables hold equal pods.
  ///
  /// - Parameters:
  ///   - lhs: A table.
  ///   - rhs: Another table.
  /// - Returns: Whether their pods are equal.
  public static func == (lhs: PreparedPods, rhs: PreparedPods) -> Bool { lhs.pods == rhs.pods }

  /// Hashes the pods.
  ///
  /// - Parameter hasher: The hasher.
  public func hash(into hasher: inout Hasher) { hasher.combine(pods) }
}

/// What one decision reads of one pod, in 56 bytes without optionals.
struct PreparedPod: Sendable {
  /// How the pod is grouped before its sample is looked at.
  enum State: UInt8, Sendable {
    /// Deleted or Failed: ignored.
    case ignored
    /// Pending: unready.
    case pending
    /// Neither: grouped by its sample, and for cpu by its readiness.
    case active
  }

  /// Bits of ``flags``.
  static let hasReadiness: UInt8 = 1  // a PodReady condition and a start time
  static let notReady: UInt8 = 2  // the PodReady condition is False
  static let runningAndReady: UInt8 = 4  // Running with PodReady True
  static let cpuKnown: UInt8 = 8  // every counted container requests cpu
  static let memoryKnown: UInt8 = 16  // every counted container requests memory
  static let podLevel: UInt8 = 32  // non-empty pod-level requests
  static let podLevelCPUKnown: UInt8 = 64
  static let podLevelMemoryKnown: UInt8 = 128

  /// Bits of ``common``: the pod takes the common path of a whole-pod resource tally.
  static let commonCPU: UInt8 = 1  // readyCPU, cpu requests known
  static let commonMemory: UInt8 = 2  // active, memory requests known
  // Both require no pod-level requests, so the container sums are the pod's request.
  /// Bits of ``common`` for the plain (per-pod average) tally, which reads no requests.
  static let active: UInt8 = 4  // neither ignored nor pending
  static let readyCPU: UInt8 = 8  // active, readiness known, not NotReady

  var state: State
  var flags: UInt8
  /// ``commonCPU``, ``commonMemory``, ``active``, ``readyCPU``: derived from ``state`` and
  /// ``flags``.
  var common: UInt8
  /// `status.startTime` in milliseconds since the epoch (0 without readiness).
  var startMilliseconds: Int64
  /// The PodReady condition's last transition in milliseconds since the epoch.
  var transitionMilliseconds: Int64
  /// The sum of the counted containers' cpu requests in millicores (when known).
  var cpuMilli: Int64
  /// The sum of the counted containers' memory requests in milli-bytes (when known).
  var memoryMilli: Int64
  /// The pod-level cpu request in millicores (when known).
  var podLevelCPUMilli: Int64
  /// The pod-level memory request in milli-bytes (when known).
  var podLevelMemoryMilli: Int64

  init(_ pod: PodObservation) {
    if pod.isDeleted || pod.phase == .failed {
      state = .ignored
    } else if pod.phase == .pending {
      state = .pending
    } else {
      state = .active
    }
    var flags: UInt8 = 0
    startMilliseconds = 0
    transitionMilliseconds = 0
    if let condition = pod.readyCondition {
      if condition.status == .notReady { flags |= Self.notReady }
      if pod.phase == .running && condition.status == .ready { flags |= Self.runningAndReady }
      if let start = pod.startTime {
        flags |= Self.hasReadiness
        startMilliseconds = start.millisecondsSinceEpoch
        transitionMilliseconds = condition.lastTransitionTime.millisecondsSinceEpoch
      }
    }
    // Whole-pod sums as `ReplicaCalculator.request` computes them for `container == ""`.
    var cpu: Int64 = 0
    var memory: Int64 = 0
    var cpuKnown = true
    var memoryKnown = true
    for container in pod.containers where container.role != .initContainer {
      if cpuKnown, let value = container.requests.cpuMilli {
        cpu &+= value
      } else {
        cpuKnown = false
      }
      if memoryKnown, let value = container.requests.memoryMilli {
        memory &+= value
      } else {
        memoryKnown = false
      }
    }
    cpuMilli = cpuKnown ? cpu : 0
    memoryMilli = memoryKnown ? memory : 0
    if cpuKnown { flags |= Self.cpuKnown }
    if memoryKnown { flags |= Self.memoryKnown }
    podLevelCPUMilli = 0
    podLevelMemoryMilli = 0
    if let podLevel = pod.podLevelRequests, !podLevel.isEmpty {
      flags |= Self.podLevel
      if let value = podLevel.cpuMilli {
        flags |= Self.podLevelCPUKnown
        podLevelCPUMilli = value
      }
      if let value = podLevel.memoryMilli {
        flags |= Self.podLevelMemoryKnown
        podLevelMemoryMilli = value
      }
    }
    self.flags = flags
    var common: UInt8 = 0
    if state == .active {
      common |= Self.active
      let readyKnown = flags & (Self.hasReadiness | Self.notReady) == Self.hasReadiness
      if readyKnown { common |= Self.readyCPU }
      if flags & Self.podLevel == 0 {
        if readyKnown && flags & Self.cpuKnown != 0 { common |= Self.commonCPU }
        if flags & Self.memoryKnown != 0 { common |= Self.commonMemory }
      }
    }
    self.common = common
  }
}
