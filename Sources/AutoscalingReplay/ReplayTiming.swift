/// How often each simulated loop runs, in milliseconds of simulated time.
///
/// The defaults are the control plane's: metrics-server scrapes every 15 s and reports usage
/// over the last 15 s, kube-controller-manager reconciles each HPA every 15 s
/// (`--horizontal-pod-autoscaler-sync-period`). Every period must be a positive multiple of the
/// step, so each loop fires on exact step boundaries.
public struct ReplayTiming: Hashable, Sendable {
  /// The simulation step in milliseconds: demand is sampled and pods change state on step
  /// boundaries (default 15,000).
  public var stepMilliseconds: Int64
  /// The HPA reconcile period in milliseconds (default 15,000; upstream's
  /// `--horizontal-pod-autoscaler-sync-period`).
  public var syncPeriodMilliseconds: Int64
  /// The metrics-server scrape resolution in milliseconds (default 15,000): a sample is taken at
  /// every multiple of it after the replay start.
  public var metricsResolutionMilliseconds: Int64
  /// The window in milliseconds each sample averages usage over and reports to the HPA as
  /// `window` (default 15,000).
  public var metricsWindowMilliseconds: Int64
  /// How long after a scrape its sample becomes visible to the HPA, in milliseconds (default 0):
  /// at time `t` the HPA reads the latest sample scraped at or before `t − lag`.
  public var metricsLagMilliseconds: Int64

  /// Creates a timing; every argument is in milliseconds.
  ///
  /// - Parameters:
  ///   - stepMilliseconds: The simulation step.
  ///   - syncPeriodMilliseconds: The HPA reconcile period.
  ///   - metricsResolutionMilliseconds: The metrics scrape period.
  ///   - metricsWindowMilliseconds: The window each sample averages over.
  ///   - metricsLagMilliseconds: The delay before a sample is visible.
  public init(
    stepMilliseconds: Int64 = 15_000, syncPeriodMilliseconds: Int64 = 15_000,
    metricsResolutionMilliseconds: Int64 = 15_000, metricsWindowMilliseconds: Int64 = 15_000,
    metricsLagMilliseconds: Int64 = 0
  ) {
    self.stepMilliseconds = stepMilliseconds
    self.syncPeriodMilliseconds = syncPeriodMilliseconds
    self.metricsResolutionMilliseconds = metricsResolutionMilliseconds
    self.metricsWindowMilliseconds = metricsWindowMilliseconds
    self.metricsLagMilliseconds = metricsLagMilliseconds
  }

  /// Checks that the step is positive and every period a positive multiple of it (the lag a
  /// non-negative multiple), none longer than an hour.
  ///
  /// - Throws: `ReplayError.invalidTiming` naming the field and the rule.
  func validate() throws(ReplayError) {
    guard stepMilliseconds > 0 else {
      throw .invalidTiming(field: "stepMilliseconds", value: stepMilliseconds, rule: "must be > 0")
    }
    let periods: [(String, Int64)] = [
      ("syncPeriodMilliseconds", syncPeriodMilliseconds),
      ("metricsResolutionMilliseconds", metricsResolutionMilliseconds),
      ("metricsWindowMilliseconds", metricsWindowMilliseconds),
    ]
    for (field, value) in periods + [("metricsLagMilliseconds", metricsLagMilliseconds)]
    where value > 3_600_000 {
      throw .invalidTiming(field: field, value: value, rule: "must be at most 3600000 (one hour)")
    }
    for (field, value) in periods where value <= 0 || value % stepMilliseconds != 0 {
      throw .invalidTiming(
        field: field, value: value,
        rule: "must be a positive multiple of the step (\(stepMilliseconds) ms)")
    }
    if metricsLagMilliseconds < 0 || metricsLagMilliseconds % stepMilliseconds != 0 {
      throw .invalidTiming(
        field: "metricsLagMilliseconds", value: metricsLagMilliseconds,
        rule: "must be a non-negative multiple of the step (\(stepMilliseconds) ms)")
    }
  }
}

/// How long a new pod takes through each phase of its life, in milliseconds.
///
/// A pod created by a scale-up is `Pending` for `pendingMilliseconds` (scheduling, image pull),
/// then `Running` but not ready for `startupMilliseconds` (its PodReady condition is False,
/// last transition at the start time), then ready. A pod deleted by a scale-down keeps running
/// with a deletion timestamp for `terminationMilliseconds`, serving nothing, then disappears.
/// Values are rounded up to whole steps by the replay.
public struct PodLifecycle: Hashable, Sendable {
  /// Time from creation to start (phase Pending), in milliseconds (default 0).
  public var pendingMilliseconds: Int64
  /// Time from start to ready (phase Running, Ready=False), in milliseconds (default 30,000).
  public var startupMilliseconds: Int64
  /// Time from deletion to disappearance (terminating), in milliseconds (default 0).
  public var terminationMilliseconds: Int64

  /// Creates a lifecycle; every argument is in milliseconds.
  ///
  /// - Parameters:
  ///   - pendingMilliseconds: Creation to start.
  ///   - startupMilliseconds: Start to ready.
  ///   - terminationMilliseconds: Deletion to disappearance.
  public init(
    pendingMilliseconds: Int64 = 0, startupMilliseconds: Int64 = 30_000,
    terminationMilliseconds: Int64 = 0
  ) {
    self.pendingMilliseconds = pendingMilliseconds
    self.startupMilliseconds = startupMilliseconds
    self.terminationMilliseconds = terminationMilliseconds
  }

  /// Checks that no duration is negative.
  ///
  /// - Throws: `ReplayError.invalidLifecycle` naming the field.
  func validate() throws(ReplayError) {
    let fields: [(String, Int64)] = [
      ("pendingMilliseconds", pendingMilliseconds),
      ("startupMilliseconds", startupMilliseconds),
      ("terminationMilliseconds", terminationMilliseconds),
    ]
    for (field, value) in fields where value < 0 {
      throw .invalidLifecycle(field: field, value: value)
    }
  }
}
