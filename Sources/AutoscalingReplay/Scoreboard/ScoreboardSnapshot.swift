/// Everything one run of the benchmark harness measured: the quality scoreboard and the speed
/// suite, in a form two runs can be compared by (the harness writes it as JSON).
///
/// Both parts are optional in practice: a scoreboard-only run leaves ``speed`` empty and a
/// speed-only run leaves ``quality`` empty; ``ScoreboardComparison`` compares what both runs have.
public struct ScoreboardSnapshot: Sendable, Hashable, Codable {
  /// The machine the run used, as text (for example `2 × AMD EPYC 7B13`).
  public var machine: String
  /// When the run happened, as text supplied by the caller (RFC 3339 by convention).
  public var date: String
  /// One row per (family, trace, configuration, window).
  public var quality: [QualityRow]
  /// One row per benchmark of the speed suite.
  public var speed: [SpeedRow]
  /// Free-form lines: families not yet available, peers not present, traces skipped.
  public var notes: [String]

  /// Creates a snapshot.
  ///
  /// - Parameters:
  ///   - machine: The machine, as text.
  ///   - date: The date and time of the run, as text.
  ///   - quality: Scoreboard rows.
  ///   - speed: Speed-suite rows.
  ///   - notes: Free-form lines.
  public init(
    machine: String, date: String, quality: [QualityRow] = [], speed: [SpeedRow] = [],
    notes: [String] = []
  ) {
    self.machine = machine
    self.date = date
    self.quality = quality
    self.speed = speed
    self.notes = notes
  }
}

/// One configuration of one autoscaler family replayed over one trace window, with its scores.
public struct QualityRow: Sendable, Hashable, Codable {
  /// The autoscaler family: `hpa`, `vpa` or `nodes`.
  public var family: String
  /// The trace and column, for example `synthetic-7d-15s.csv:flash_crowd`.
  public var trace: String
  /// The configuration, for example `upstream-default`, `manifest` or `tuned`.
  public var configuration: String
  /// The part of the trace scored: `full` or `held-out` (the last part, unseen by tuning).
  public var window: String
  /// The scores by scorecard key (``Scorecard`` property names for the `hpa` family). Every
  /// figure is "lower is better" unless its key is in
  /// ``RegressionTolerance/higherIsBetter``.
  public var figures: [String: Double]
  /// Details that are not compared: the tuned parameters, the demand scale, and so on.
  public var details: [String: String]

  /// Creates a row.
  ///
  /// - Parameters:
  ///   - family: The autoscaler family.
  ///   - trace: The trace and column.
  ///   - configuration: The configuration's name.
  ///   - window: `full` or `held-out`.
  ///   - figures: Scores by key.
  ///   - details: Uncompared details.
  public init(
    family: String, trace: String, configuration: String, window: String,
    figures: [String: Double], details: [String: String] = [:]
  ) {
    self.family = family
    self.trace = trace
    self.configuration = configuration
    self.window = window
    self.figures = figures
    self.details = details
  }

  /// The identity two runs are matched by: family, trace, configuration and window.
  public var identity: String { "\(family) \(trace) \(configuration) [\(window)]" }
}

/// One benchmark of the speed suite.
public struct SpeedRow: Sendable, Hashable, Codable {
  /// `Suite.operation/scale`, for example `Replay.hpa/30 days 15s`.
  public var name: String
  /// Operations per second at the median sample.
  public var operationsPerSecond: Double
  /// The median duration of one sample, seconds.
  public var medianSeconds: Double
  /// The target printed beside the figure, as text.
  public var target: String
  /// Our throughput divided by a peer's, measured in the same run, when a peer exists.
  public var peerRatio: Double?

  /// Creates a row.
  ///
  /// - Parameters:
  ///   - name: The benchmark's name.
  ///   - operationsPerSecond: Throughput, operations per second.
  ///   - medianSeconds: Median sample duration, seconds.
  ///   - target: The target, as text.
  ///   - peerRatio: Throughput relative to a peer, or `nil`.
  public init(
    name: String, operationsPerSecond: Double, medianSeconds: Double, target: String = "",
    peerRatio: Double? = nil
  ) {
    self.name = name
    self.operationsPerSecond = operationsPerSecond
    self.medianSeconds = medianSeconds
    self.target = target
    self.peerRatio = peerRatio
  }
}

extension Scorecard {
  /// Every figure of the scorecard by its JSON key (the property name), for a ``QualityRow``.
  ///
  /// Counts (`maxReplicas`, `scalingActions`, `directionReversals`) are converted to `Double`;
  /// time shares and accuracies are fractions 0…1; `unservedDemand` is demand units × seconds;
  /// `replicaSeconds` and the time-to-scale figures are seconds.
  public var figures: [String: Double] {
    [
      "underProvisionedTimeShare": underProvisionedTimeShare,
      "underProvisioningAccuracy": underProvisioningAccuracy,
      "overProvisionedTimeShare": overProvisionedTimeShare,
      "overProvisioningAccuracy": overProvisioningAccuracy,
      "unservedDemand": unservedDemand,
      "replicaSeconds": replicaSeconds,
      "meanReplicas": meanReplicas,
      "maxReplicas": Double(maxReplicas),
      "scalingActions": Double(scalingActions),
      "scalingActionsPerHour": scalingActionsPerHour,
      "directionReversals": Double(directionReversals),
      "jitter": jitter,
      "timeToScaleP50Seconds": timeToScaleP50Seconds,
      "timeToScaleP95Seconds": timeToScaleP95Seconds,
      "pendingPodSeconds": pendingPodSeconds,
    ]
  }
}
