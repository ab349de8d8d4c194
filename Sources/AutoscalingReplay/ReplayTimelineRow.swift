/// One HPA metric as the controller last reported it, beside its target.
public struct ReplayMetricReading: Hashable, Sendable {
  /// The current value: average utilization in percent for Utilization targets, otherwise the
  /// (average) value in the metric's unit; NaN before the first successful reading.
  public var current: Double
  /// The target, in the same unit as `current`.
  public var target: Double
  /// Whether `current` and `target` are utilization percentages (a Utilization target).
  public var isPercent: Bool

  /// Creates a reading.
  ///
  /// - Parameters:
  ///   - current: The current value (percent or metric unit).
  ///   - target: The target (same unit).
  ///   - isPercent: Whether both are utilization percentages.
  public init(current: Double, target: Double, isPercent: Bool = false) {
    self.current = current
    self.target = target
    self.isPercent = isPercent
  }
}

/// The state of the replay at one step, for timelines and reports.
public struct ReplayTimelineRow: Hashable, Sendable {
  /// The step's time in milliseconds since the trace's epoch.
  public var timeMilliseconds: Int64
  /// Demand during the step (trace units, e.g. requests/s).
  public var demand: Double
  /// What the ready pods can serve: ready × capacity per pod (trace units).
  public var readyCapacity: Double
  /// Demand above the ready capacity (trace units; 0 when all of it was served).
  public var unservedDemand: Double
  /// Pods not terminating (the Deployment's replicas).
  public var replicas: Int
  /// Ready pods.
  public var readyReplicas: Int
  /// Pods in phase Pending.
  public var pendingReplicas: Int
  /// The HPA's `status.desiredReplicas` after its latest reconcile.
  public var desiredReplicas: Int
  /// Whether the HPA reconciled at this step.
  public var reconciled: Bool
  /// Each HPA metric's latest reading, in the HPA's metric order.
  public var metrics: [ReplayMetricReading]

  /// Creates a row.
  ///
  /// - Parameters:
  ///   - timeMilliseconds: Milliseconds since the epoch.
  ///   - demand: Demand (trace units).
  ///   - readyCapacity: Ready capacity (trace units).
  ///   - unservedDemand: Unserved demand (trace units).
  ///   - replicas: Pods not terminating.
  ///   - readyReplicas: Ready pods.
  ///   - pendingReplicas: Pending pods.
  ///   - desiredReplicas: The HPA's desired replicas.
  ///   - reconciled: Whether the HPA reconciled at this step.
  ///   - metrics: Metric readings in the HPA's order.
  public init(
    timeMilliseconds: Int64, demand: Double, readyCapacity: Double, unservedDemand: Double,
    replicas: Int, readyReplicas: Int, pendingReplicas: Int, desiredReplicas: Int,
    reconciled: Bool, metrics: [ReplayMetricReading]
  ) {
    self.timeMilliseconds = timeMilliseconds
    self.demand = demand
    self.readyCapacity = readyCapacity
    self.unservedDemand = unservedDemand
    self.replicas = replicas
    self.readyReplicas = readyReplicas
    self.pendingReplicas = pendingReplicas
    self.desiredReplicas = desiredReplicas
    self.reconciled = reconciled
    self.metrics = metrics
  }
}
