/// How well an autoscaler served a trace: SLO, cost and stability figures of one replay.
///
/// Notation (after the SPEC Research Group's elasticity metrics, Herbst et al., and Google
/// Autopilot's evaluation): the replay has steps `t` of length `Δt` seconds covering
/// `T = ΣΔt` seconds. At each step, `D_t` is the demand (trace units, e.g. requests/s), `c`
/// the capacity of one ready pod, `d_t = ⌈D_t / c⌉` the *required* replicas (the fewest ready
/// pods that serve all of it), `s_t` the *supplied* replicas (ready pods, which serve traffic),
/// and `n_t` the replicas the Deployment runs (pods not terminating: pending, starting or
/// ready). Where a ratio divides by `d_t`, a step with `d_t = 0` divides by 1 instead.
///
/// The JSON keys are the property names and are stable.
public struct Scorecard: Hashable, Sendable, Codable {
  /// τU, the share of time under-provisioned: `Σ [d_t > s_t]·Δt / T`, in [0, 1].
  ///
  /// A step is under-provisioned exactly when it has unserved demand (`D_t > s_t·c`).
  public var underProvisionedTimeShare: Double
  /// θU, the mean relative shortfall: `Σ (max(d_t − s_t, 0) / d_t)·Δt / T` (a fraction; 0.25
  /// means a quarter of the required replicas were missing on average).
  public var underProvisioningAccuracy: Double
  /// τO, the share of time over-provisioned: `Σ [s_t > d_t]·Δt / T`, in [0, 1].
  public var overProvisionedTimeShare: Double
  /// θO, the mean relative excess: `Σ (max(s_t − d_t, 0) / d_t)·Δt / T` (a fraction; can
  /// exceed 1).
  public var overProvisioningAccuracy: Double
  /// Demand not served, integrated over time: `Σ max(D_t − s_t·c, 0)·Δt`, in demand units ×
  /// seconds (requests, when demand is requests/s).
  public var unservedDemand: Double
  /// Cost in replica-seconds: `Σ n_t·Δt`.
  public var replicaSeconds: Double
  /// Mean replicas run: `replicaSeconds / T`.
  public var meanReplicas: Double
  /// Most replicas run at once: `max n_t`.
  public var maxReplicas: Int
  /// Rescales: the reconciles whose decision changed the Deployment's replica count.
  public var scalingActions: Int
  /// Rescales per hour: `scalingActions / (T / 3600)`.
  public var scalingActionsPerHour: Double
  /// Rescales whose direction (up or down) is the opposite of the previous rescale's.
  public var directionReversals: Int
  /// j, supply changes minus demand changes per hour: `(A_s − A_d) / (T / 3600)`, where `A_s`
  /// counts the steps at which `s_t ≠ s_{t−1}` and `A_d` those at which `d_t ≠ d_{t−1}`.
  /// Negative: supply follows demand sluggishly; positive: it oscillates more than demand does.
  public var jitter: Double
  /// Time to scale, median, in seconds: over the under-provisioned episodes (maximal runs of
  /// steps with `d_t > s_t`), the nearest-rank 50th percentile of their durations, i.e. the time
  /// from the first step short of replicas until ready pods caught up with the required count.
  /// An episode still open when the replay ends counts until the end. 0 when there was none.
  public var timeToScaleP50Seconds: Double
  /// Time to scale, 95th percentile (nearest rank), in seconds; as `timeToScaleP50Seconds`.
  public var timeToScaleP95Seconds: Double
  /// Pods waiting to start, integrated over time: `Σ pending_t·Δt`, in pod-seconds.
  public var pendingPodSeconds: Double

  /// Creates a scorecard from its figures (normally produced by a replay).
  ///
  /// - Parameters:
  ///   - underProvisionedTimeShare: τU, in [0, 1].
  ///   - underProvisioningAccuracy: θU, a fraction.
  ///   - overProvisionedTimeShare: τO, in [0, 1].
  ///   - overProvisioningAccuracy: θO, a fraction.
  ///   - unservedDemand: Demand units × seconds.
  ///   - replicaSeconds: Replica-seconds.
  ///   - meanReplicas: Replicas.
  ///   - maxReplicas: Replicas.
  ///   - scalingActions: Count.
  ///   - scalingActionsPerHour: Per hour.
  ///   - directionReversals: Count.
  ///   - jitter: Adaptations per hour.
  ///   - timeToScaleP50Seconds: Seconds.
  ///   - timeToScaleP95Seconds: Seconds.
  ///   - pendingPodSeconds: Pod-seconds.
  public init(
    underProvisionedTimeShare: Double = 0, underProvisioningAccuracy: Double = 0,
    overProvisionedTimeShare: Double = 0, overProvisioningAccuracy: Double = 0,
    unservedDemand: Double = 0, replicaSeconds: Double = 0, meanReplicas: Double = 0,
    maxReplicas: Int = 0, scalingActions: Int = 0, scalingActionsPerHour: Double = 0,
    directionReversals: Int = 0, jitter: Double = 0, timeToScaleP50Seconds: Double = 0,
    timeToScaleP95Seconds: Double = 0, pendingPodSeconds: Double = 0
  ) {
    self.underProvisionedTimeShare = underProvisionedTimeShare
    self.underProvisioningAccuracy = underProvisioningAccuracy
    self.overProvisionedTimeShare = overProvisionedTimeShare
    self.overProvisioningAccuracy = overProvisioningAccuracy
    self.unservedDemand = unservedDemand
    self.replicaSeconds = replicaSeconds
    self.meanReplicas = meanReplicas
    self.maxReplicas = maxReplicas
    self.scalingActions = scalingActions
    self.scalingActionsPerHour = scalingActionsPerHour
    self.directionReversals = directionReversals
    self.jitter = jitter
    self.timeToScaleP50Seconds = timeToScaleP50Seconds
    self.timeToScaleP95Seconds = timeToScaleP95Seconds
    self.pendingPodSeconds = pendingPodSeconds
  }
}

/// Accumulates a scorecard step by step in O(1) memory (plus one counter per distinct
/// under-provisioned episode length, which stays small: the sum of distinct lengths is at most
/// the replay's length, so there are fewer than √(2·steps) of them).
struct ScorecardAccumulator {
  private let capacity: Double
  private let stepSeconds: Double
  private var totalSeconds: Double = 0
  private var underSeconds: Double = 0
  private var underAccuracy: Double = 0
  private var overSeconds: Double = 0
  private var overAccuracy: Double = 0
  private var unserved: Double = 0
  private var replicaSeconds: Double = 0
  private var pendingPodSeconds: Double = 0
  private var maxReplicas = 0
  private var scalingActions = 0
  private var reversals = 0
  private var lastDirection = 0
  private var supplyChanges = 0
  private var demandChanges = 0
  private var previousSupply = -1
  private var previousRequired = -1
  /// Steps in the open under-provisioned episode (0 when none is open).
  private var episodeSteps: Int64 = 0
  /// Episode length in steps → how many episodes had it.
  private var episodeLengths: [Int64: Int] = [:]
  private var episodeCount = 0

  init(capacityPerPod: Double, stepMilliseconds: Int64) {
    capacity = capacityPerPod
    stepSeconds = Double(stepMilliseconds) / 1000
  }

  /// The replicas required to serve `demand`: `⌈demand / capacity⌉`, clamped to Int32's range.
  @inline(__always)
  static func requiredReplicas(demand: Double, capacity: Double) -> Int {
    let ratio = (demand / capacity).rounded(.up)
    return ratio < 2_147_483_647 ? Int(ratio) : 2_147_483_647
  }

  /// Records one step.
  ///
  /// - Parameters:
  ///   - demand: Demand during the step (trace units).
  ///   - ready: Ready pods (supply).
  ///   - replicas: Pods not terminating.
  ///   - pending: Pods in phase Pending.
  /// - Returns: The demand left unserved during the step (trace units, a rate like demand).
  @inline(__always)
  @discardableResult
  mutating func record(demand: Double, ready: Int, replicas: Int, pending: Int) -> Double {
    let required = Self.requiredReplicas(demand: demand, capacity: capacity)
    let dt = stepSeconds
    totalSeconds += dt
    let denominator = Double(max(required, 1))
    if required > ready {
      underSeconds += dt
      underAccuracy += Double(required - ready) / denominator * dt
      episodeSteps += 1
    } else {
      if ready > required {
        overSeconds += dt
        overAccuracy += Double(ready - required) / denominator * dt
      }
      if episodeSteps > 0 { closeEpisode() }
    }
    let shortfall = max(demand - Double(ready) * capacity, 0)
    unserved += shortfall * dt
    replicaSeconds += Double(replicas) * dt
    pendingPodSeconds += Double(pending) * dt
    if replicas > maxReplicas { maxReplicas = replicas }
    if previousSupply >= 0 {
      if ready != previousSupply { supplyChanges += 1 }
      if required != previousRequired { demandChanges += 1 }
    }
    previousSupply = ready
    previousRequired = required
    return shortfall
  }

  /// Records a rescale from `current` to `desired` replicas.
  mutating func recordRescale(from current: Int, to desired: Int) {
    guard desired != current else { return }
    scalingActions += 1
    let direction = desired > current ? 1 : -1
    if lastDirection != 0 && direction != lastDirection { reversals += 1 }
    lastDirection = direction
  }

  private mutating func closeEpisode() {
    guard episodeSteps > 0 else { return }
    episodeLengths[episodeSteps, default: 0] += 1
    episodeCount += 1
    episodeSteps = 0
  }

  /// The nearest-rank percentile `p` (in (0, 100]) of the closed episodes, in seconds.
  private func percentile(_ p: Int, sorted: [(steps: Int64, count: Int)]) -> Double {
    guard episodeCount > 0 else { return 0 }
    // Nearest rank: the smallest length such that at least p % of the episodes are ≤ it.
    let rank = (p * episodeCount + 99) / 100
    var seen = 0
    for entry in sorted {
      seen += entry.count
      if seen >= rank { return Double(entry.steps) * stepSeconds }
    }
    return Double(sorted.last?.steps ?? 0) * stepSeconds
  }

  /// The scorecard so far (an open episode counts until now).
  func scorecard() -> Scorecard {
    var copy = self
    copy.closeEpisode()
    let sorted = copy.episodeLengths.map { (steps: $0.key, count: $0.value) }
      .sorted { $0.steps < $1.steps }
    let total = totalSeconds
    let hours = total / 3600
    func share(_ x: Double) -> Double { total > 0 ? x / total : 0 }
    func perHour(_ x: Double) -> Double { hours > 0 ? x / hours : 0 }
    return Scorecard(
      underProvisionedTimeShare: share(underSeconds),
      underProvisioningAccuracy: share(underAccuracy),
      overProvisionedTimeShare: share(overSeconds),
      overProvisioningAccuracy: share(overAccuracy),
      unservedDemand: unserved,
      replicaSeconds: replicaSeconds,
      meanReplicas: share(replicaSeconds),
      maxReplicas: maxReplicas,
      scalingActions: scalingActions,
      scalingActionsPerHour: perHour(Double(scalingActions)),
      directionReversals: reversals,
      jitter: perHour(Double(supplyChanges - demandChanges)),
      timeToScaleP50Seconds: copy.percentile(50, sorted: sorted),
      timeToScaleP95Seconds: copy.percentile(95, sorted: sorted),
      pendingPodSeconds: pendingPodSeconds)
  }
}
