import AutoscalingCore

/// The decision-relevant part of an HPA's `spec` (autoscaling/v2
/// `HorizontalPodAutoscalerSpec`), validated and defaulted as the API server stores it.
///
/// Construction applies the API defaults (`minReplicas` 1, an empty metric list becomes cpu at
/// 80 % utilization, a written behavior gets ``ScalingBehavior/defaulted()``) and then the
/// API server's validation; an invalid spec throws ``SpecValidationError`` naming the field
/// and the rule. The stored values are read-only: build a new spec (for example with
/// ``replacingBehavior(_:featureGates:)``) to change one.
public struct HorizontalPodAutoscalerSpec: Hashable, Sendable {
  /// The metrics, in order; never empty.
  public private(set) var metrics: [MetricSpec]
  /// The lower replica bound (defaulted to 1), in replicas.
  public private(set) var minReplicas: Int
  /// The upper replica bound, in replicas.
  public private(set) var maxReplicas: Int
  /// The defaulted behavior, or `nil` for the legacy path.
  public private(set) var behavior: ScalingBehavior?

  /// The metrics in the form the controller computes with.
  var compiledMetrics: [CompiledMetric]
  /// The behavior in the form the controller computes with.
  var compiledBehavior: CompiledBehavior?
  /// Whether some metric is an Object or External metric (scale-to-zero rules).
  var hasObjectOrExternalMetric: Bool
  /// The behavior's scale-up window in milliseconds (0 without a behavior).
  var scaleUpWindowMilliseconds: Int64 = 0
  /// The behavior's scale-down window in milliseconds, `nil` when unset.
  var scaleDownWindowMilliseconds: Int64? = nil
  /// The behavior's per-direction tolerances, when written.
  var scaleUpTolerance: Double? = nil
  var scaleDownTolerance: Double? = nil

  /// Caches the behavior's scalar settings next to the compiled form.
  mutating func cacheBehavior() {
    scaleUpWindowMilliseconds = compiledBehavior?.scaleUp.windowMilliseconds ?? 0
    scaleDownWindowMilliseconds = compiledBehavior?.scaleDown.windowMilliseconds
    scaleUpTolerance = compiledBehavior?.scaleUp.tolerance
    scaleDownTolerance = compiledBehavior?.scaleDown.tolerance
  }

  /// Upstream `convertDesiredReplicasWithBehaviorRate` with this spec's bounds and behavior.
  func rateLimited(
    current: Int, desired: Int, events: borrowing ScaleEventLog, at now: Instant
  ) -> (replicas: Int, reason: ConditionReason) {
    guard let behavior = compiledBehavior else { return (desired, .desiredWithinRange) }
    return ReplicaLimits.rateLimited(
      current: current, desired: desired, minReplicas: minReplicas, maxReplicas: maxReplicas,
      behavior: behavior, events: events, at: now)
  }

  /// Creates a validated spec.
  ///
  /// - Parameters:
  ///   - metrics: The metrics; empty means the API default (cpu, 80 % utilization).
  ///   - minReplicas: The lower bound in replicas; `nil` means 1. 0 needs
  ///     `featureGates.scaleToZero` and an Object or External metric.
  ///   - maxReplicas: The upper bound in replicas, at least 1 and at least `minReplicas`.
  ///   - behavior: The scaling behavior as written, or `nil` for the legacy path.
  ///   - featureGates: The gates validation consults (scale to zero, configurable tolerance).
  /// - Throws: ``SpecValidationError`` naming the first invalid field and the rule it breaks.
  public init(
    metrics: [MetricSpec] = [], minReplicas: Int? = nil, maxReplicas: Int,
    behavior: ScalingBehavior? = nil, featureGates: FeatureGates = FeatureGates()
  ) throws(SpecValidationError) {
    self.init(
      uncheckedMetrics: metrics, minReplicas: minReplicas, maxReplicas: maxReplicas,
      behavior: behavior)
    try Self.validate(self, featureGates: featureGates)
  }

  /// Creates a spec with the API defaults applied but **without** validation.
  ///
  /// Upstream's controller tests build HPA objects this way, bypassing the API server, and an
  /// object persisted by another API version can hold values this version rejects. The
  /// controller handles anything it is given: unknown metric types and missing targets become
  /// upstream's conditions (`InvalidMetricSourceType`, `FailedGetResourceMetric`, …), and
  /// out-of-range numbers saturate instead of trapping. Prefer the validating initializer.
  ///
  /// - Parameters:
  ///   - metrics: The metrics; empty means the API default (cpu, 80 % utilization).
  ///   - minReplicas: The lower bound in replicas; `nil` means 1.
  ///   - maxReplicas: The upper bound in replicas.
  ///   - behavior: The scaling behavior as written, or `nil` for the legacy path.
  public init(
    uncheckedMetrics metrics: [MetricSpec], minReplicas: Int? = nil, maxReplicas: Int,
    behavior: ScalingBehavior? = nil
  ) {
    let metrics = metrics.isEmpty ? [MetricSpec.defaultCPUUtilization] : metrics
    self.metrics = metrics
    self.minReplicas = minReplicas ?? 1
    self.maxReplicas = maxReplicas
    let defaulted = behavior?.defaulted()
    self.behavior = defaulted
    self.compiledMetrics = metrics.map(CompiledMetric.init)
    self.compiledBehavior = defaulted.map(CompiledBehavior.init)
    self.hasObjectOrExternalMetric = metrics.contains { $0.type == .object || $0.type == .external }
    cacheBehavior()
  }

  /// Returns the spec with another behavior, validated.
  ///
  /// This is the cheap path for a tuner that tries many behaviors on one HPA: the metrics are
  /// not compiled again.
  ///
  /// - Parameters:
  ///   - behavior: The new behavior as written, or `nil` for the legacy path.
  ///   - featureGates: The gates validation consults.
  /// - Returns: The new spec.
  /// - Throws: ``SpecValidationError`` when the behavior is invalid.
  public func replacingBehavior(
    _ behavior: ScalingBehavior?, featureGates: FeatureGates = FeatureGates()
  ) throws(SpecValidationError) -> HorizontalPodAutoscalerSpec {
    var copy = self
    let defaulted = behavior?.defaulted()
    if let defaulted {
      try Self.validateBehavior(defaulted, featureGates: featureGates)
    }
    copy.behavior = defaulted
    copy.compiledBehavior = defaulted.map(CompiledBehavior.init)
    copy.cacheBehavior()
    return copy
  }

  /// Two specs are equal when their API fields are.
  ///
  /// - Parameters:
  ///   - lhs: A spec.
  ///   - rhs: Another spec.
  /// - Returns: Whether metrics, bounds and behavior agree.
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.metrics == rhs.metrics && lhs.minReplicas == rhs.minReplicas
      && lhs.maxReplicas == rhs.maxReplicas && lhs.behavior == rhs.behavior
  }

  /// Hashes the API fields, consistently with ``==(_:_:)``.
  ///
  /// - Parameter hasher: The hasher to feed.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(metrics)
    hasher.combine(minReplicas)
    hasher.combine(maxReplicas)
    hasher.combine(behavior)
  }
}
