/// Why the controller rescaled (the text of upstream's `SuccessfulRescale` event).
public enum RescaleReason: Hashable, Sendable, CustomStringConvertible {
  /// The metric at this index of `spec.metrics` drove a scale-up ("<metric> above target").
  case metricAboveTarget(metricIndex: Int)
  /// Every metric is below target ("All metrics below target").
  case allMetricsBelowTarget
  /// The current count exceeded `maxReplicas`.
  case aboveMaxReplicas
  /// The current count was below `minReplicas`.
  case belowMinReplicas

  /// Upstream's event text (metric names are replaced by their index).
  public var description: String {
    switch self {
    case .metricAboveTarget(let index): "metric \(index) above target"
    case .allMetricsBelowTarget: "All metrics below target"
    case .aboveMaxReplicas: "Current number of replicas above Spec.MaxReplicas"
    case .belowMinReplicas: "Current number of replicas below Spec.MinReplicas"
    }
  }
}

/// A metric that could not be computed.
public struct MetricFailure: Hashable, Sendable {
  /// The metric's index in `spec.metrics`.
  public var metricIndex: Int
  /// The condition reason upstream reports for it.
  public var reason: ConditionReason
  /// The calculator's error, when the failure came from the calculation (not from an
  /// unknown type, a missing target or an unavailable metrics API).
  public var calculationError: ReplicaCalculationError?

  /// Creates a failure record.
  ///
  /// - Parameters:
  ///   - metricIndex: The metric's index.
  ///   - reason: The condition reason.
  ///   - calculationError: The calculator's error, if any.
  public init(
    metricIndex: Int, reason: ConditionReason, calculationError: ReplicaCalculationError? = nil
  ) {
    self.metricIndex = metricIndex
    self.reason = reason
    self.calculationError = calculationError
  }
}

/// The error upstream's `reconcileAutoscaler` returns, if any (the decision is still valid).
///
/// Its payloads are boxed (`indirect`), so a decision without an error — the common case —
/// carries one word for it instead of the largest payload.
public indirect enum ReconcileError: Error, Hashable, Sendable {
  /// The scale subresource could not be read; nothing was decided.
  case failedGetScale
  /// The selector is missing, invalid or ambiguous; nothing was decided.
  case selector(SelectorState)
  /// Some metrics failed. When `blocking`, no replica count was computed (all failed, or the
  /// valid ones would scale down); otherwise scaling went ahead on the valid metrics.
  case invalidMetrics(invalidCount: Int, total: Int, first: MetricFailure, blocking: Bool)
  /// Writing the new count failed; `status.desiredReplicas` kept its old value.
  case failedUpdateScale(attemptedReplicas: Int)
}

/// The outcome of one reconcile.
public struct HorizontalAutoscalerDecision: Hashable, Sendable {
  // The stored properties are listed with `error` first so that the memberwise initializer
  // (which `init(currentReplicas:...)` below calls) has other labels than the public one: a
  // decision built by an initializer with a body was built on the stack and copied into the
  // result (callgrind: about 150 instructions per reconcile).

  /// The error upstream's reconcile returns, if any.
  public var error: ReconcileError?
  /// The replica count observed (`scale.spec.replicas`), in replicas.
  public var currentReplicas: Int
  /// `status.desiredReplicas` after the pass, in replicas: the new count after a rescale, the
  /// current count when nothing changed, or the previous value when the pass failed.
  public var desiredReplicas: Int
  /// Whether the scale subresource was written (and the write succeeded).
  public var isRescaled: Bool
  /// The replica count to apply to the workload: ``desiredReplicas`` after a rescale, else
  /// ``currentReplicas``.
  public var replicas: Int { isRescaled ? desiredReplicas : currentReplicas }
  /// The largest metric proposal, before normalization; `nil` when metrics were not computed.
  public var metricReplicas: Int?
  /// The recommendation after stabilization, before rate limits and bounds; `nil` when
  /// normalization did not run.
  public var stabilizedReplicas: Int?
  /// `status.currentMetrics`: one entry per metric (empty when metrics were not computed).
  public var metrics: [MetricStatus]
  /// `status.conditions` after the pass, in order.
  public var conditions: ConditionList
  /// Why the controller rescaled (or wanted to), if it did.
  public var rescaleReason: RescaleReason?

  /// The condition of a type, if present.
  ///
  /// - Parameter type: The condition type.
  /// - Returns: The condition, or `nil`.
  public func condition(_ type: ConditionType) -> HorizontalAutoscalerCondition? {
    conditions.condition(type)
  }
}

extension HorizontalAutoscalerDecision {
  /// Creates a decision.
  ///
  /// - Parameters:
  ///   - currentReplicas: The observed count.
  ///   - desiredReplicas: `status.desiredReplicas`.
  ///   - isRescaled: Whether the scale was written.
  ///   - metricReplicas: The largest metric proposal.
  ///   - stabilizedReplicas: The stabilized recommendation.
  ///   - metrics: The metric statuses.
  ///   - conditions: The conditions.
  ///   - rescaleReason: The rescale reason.
  ///   - error: The reconcile error.
  public init(
    currentReplicas: Int, desiredReplicas: Int, isRescaled: Bool, metricReplicas: Int? = nil,
    stabilizedReplicas: Int? = nil, metrics: [MetricStatus] = [],
    conditions: ConditionList = [], rescaleReason: RescaleReason? = nil,
    error: ReconcileError? = nil
  ) {
    self.init(
      error: error, currentReplicas: currentReplicas, desiredReplicas: desiredReplicas,
      isRescaled: isRescaled, metricReplicas: metricReplicas,
      stabilizedReplicas: stabilizedReplicas, metrics: metrics, conditions: conditions,
      rescaleReason: rescaleReason)
  }
}
