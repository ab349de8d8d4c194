/// One simulated pod: when it was created, started, became ready and was deleted, in
/// milliseconds. Its state at any time follows from these instants, so nothing is updated per
/// step.
struct SimulatedPod {
  /// A serial number unique within the replay (names the pod and seeds its randomness).
  var serial: UInt64
  /// Creation time (ms).
  var createdAt: Int64
  /// Start time: phase Running, `status.startTime` (ms).
  var startedAt: Int64
  /// Ready time: PodReady becomes True (ms).
  var readyAt: Int64
  /// Deletion time (ms); `Int64.max` while not deleted.
  var deletedAt: Int64 = .max
  /// Disappearance time (ms); `Int64.max` while not deleted.
  var goneAt: Int64 = .max
  /// The pod's load-balancing weight (1 ± imbalance).
  var weight: Double

  @inline(__always) func isPending(at time: Int64) -> Bool { time < startedAt }
  @inline(__always) func isReady(at time: Int64) -> Bool {
    readyAt <= time && time < deletedAt
  }
  @inline(__always) func isDeleted(at time: Int64) -> Bool { deletedAt <= time }
  @inline(__always) func isStarting(at time: Int64) -> Bool {
    startedAt <= time && time < readyAt && time < deletedAt
  }
}

/// The Deployment's pods: created on scale-up, deleted on scale-down, counted per state.
///
/// Scale-down picks victims as upstream's ReplicaSet controller ranks them
/// (`controller.ActivePodsWithRanks` in `getPodsToDelete`), simplified: pods not yet started
/// (Pending) before started ones, not-ready before ready, then the most recently ready first,
/// then the newest first. Upstream's further tie-breakers (node co-location rank, restart
/// counts) do not arise in a replay whose pods never restart and share one node pool.
struct PodFleet {
  /// Every pod that exists (including terminating ones), in creation order.
  private(set) var pods: [SimulatedPod] = []
  private var nextSerial: UInt64 = 0
  /// The earliest future instant at which some pod changes state (ms).
  private(set) var nextTransition: Int64 = .max
  /// Incremented whenever any pod changes state, so observers can cache what they derive.
  private(set) var version = 0
  /// Pods not terminating (the Deployment's replicas).
  private(set) var replicas = 0
  /// Ready pods.
  private(set) var ready = 0
  /// Pods in phase Pending.
  private(set) var pending = 0
  /// The sum of the ready pods' weights.
  private(set) var readyWeight: Double = 0

  let lifecycle: PodLifecycle
  let seed: UInt64
  let imbalance: Double

  init(lifecycle: PodLifecycle, seed: UInt64, imbalance: Double, reserve: Int) {
    self.lifecycle = lifecycle
    self.seed = seed
    self.imbalance = imbalance
    pods.reserveCapacity(reserve)
  }

  private mutating func makePod(createdAt: Int64, startedAt: Int64, readyAt: Int64) -> SimulatedPod
  {
    let serial = nextSerial
    nextSerial += 1
    var weight = 1.0
    if imbalance > 0 {
      weight += imbalance * ReplayRandom.symmetric(seed: seed, pod: serial, step: 0, stream: 1)
    }
    return SimulatedPod(
      serial: serial, createdAt: createdAt, startedAt: startedAt, readyAt: readyAt, weight: weight)
  }

  /// Adds `count` pods that have been ready since long before `time` (the replay's start).
  mutating func addSettledPods(_ count: Int, before time: Int64) {
    let past = time &- 3_600_000
    for _ in 0..<count {
      pods.append(makePod(createdAt: past, startedAt: past, readyAt: past))
    }
    refresh(at: time)
  }

  /// Sets the replica count at `time`: creates pending pods or deletes the lowest-ranked ones.
  mutating func scale(to desired: Int, at time: Int64) {
    if desired > replicas {
      let started = time &+ lifecycle.pendingMilliseconds
      let readyAt = started &+ lifecycle.startupMilliseconds
      for _ in replicas..<desired {
        pods.append(makePod(createdAt: time, startedAt: started, readyAt: readyAt))
      }
    } else if desired < replicas {
      for _ in desired..<replicas {
        guard let victim = victimIndex(at: time) else { break }
        pods[victim].deletedAt = time
        pods[victim].goneAt = time &+ lifecycle.terminationMilliseconds
      }
    }
    refresh(at: time)
  }

  /// The index of the pod upstream's ReplicaSet would delete first at `time`.
  private func victimIndex(at time: Int64) -> Int? {
    var best: Int?
    for index in pods.indices where !pods[index].isDeleted(at: time) {
      guard let current = best else {
        best = index
        continue
      }
      if deletesFirst(pods[index], before: pods[current], at: time) { best = index }
    }
    return best
  }

  private func deletesFirst(_ a: SimulatedPod, before b: SimulatedPod, at time: Int64) -> Bool {
    let aPending = a.isPending(at: time)
    let bPending = b.isPending(at: time)
    if aPending != bPending { return aPending }
    let aReady = a.isReady(at: time)
    let bReady = b.isReady(at: time)
    if aReady != bReady { return !aReady }
    if aReady && a.readyAt != b.readyAt { return a.readyAt > b.readyAt }
    if a.createdAt != b.createdAt { return a.createdAt > b.createdAt }
    return a.serial > b.serial
  }

  /// Drops pods gone by `time` and recounts states; call when `time ≥ nextTransition` or after
  /// scaling.
  mutating func refresh(at time: Int64) {
    version &+= 1
    pods.removeAll { $0.goneAt <= time }
    replicas = 0
    ready = 0
    pending = 0
    readyWeight = 0
    var next = Int64.max
    for pod in pods {
      if !pod.isDeleted(at: time) { replicas += 1 }
      if pod.isPending(at: time) { pending += 1 }
      if pod.isReady(at: time) {
        ready += 1
        readyWeight += pod.weight
      }
      if pod.startedAt > time { next = min(next, pod.startedAt) }
      if pod.readyAt > time { next = min(next, pod.readyAt) }
      if pod.goneAt > time { next = min(next, pod.goneAt) }
    }
    nextTransition = next
  }
}
