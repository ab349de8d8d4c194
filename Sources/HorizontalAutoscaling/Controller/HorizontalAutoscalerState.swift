public import AutoscalingCore

/// Everything one HPA carries from one reconcile to the next: the controller's in-memory
/// records and the HPA's `status`.
///
/// Upstream keeps the records in kube-controller-manager's memory (lost on restart) and the
/// status in the API object; here both are one value the caller owns.
public struct HorizontalAutoscalerState: Hashable, Sendable {
  /// The recorded recommendations; `nil` means none yet, so the next reconcile first records
  /// the current replica count (`recordInitialRecommendation`).
  public var recommendations: RecommendationHistory?
  /// The recorded rescales (only kept when the HPA has a behavior).
  public var scaleEvents: ScaleEventLog
  /// `status.conditions`, in order.
  public var conditions: ConditionList
  /// `status.currentReplicas`, in replicas.
  public var currentReplicas: Int
  /// `status.desiredReplicas`, in replicas.
  public var desiredReplicas: Int
  /// `status.currentMetrics`, one entry per metric after a successful computation.
  public var currentMetrics: [MetricStatus]
  /// `status.lastScaleTime` (informational; it never influences a decision).
  public var lastScaleTime: Instant?

  /// Creates a state.
  ///
  /// - Parameters:
  ///   - recommendations: The recorded recommendations, or `nil` for none yet.
  ///   - scaleEvents: The recorded rescales.
  ///   - conditions: The status conditions.
  ///   - currentReplicas: `status.currentReplicas`.
  ///   - desiredReplicas: `status.desiredReplicas`.
  ///   - currentMetrics: `status.currentMetrics`.
  ///   - lastScaleTime: `status.lastScaleTime`.
  public init(
    recommendations: RecommendationHistory? = nil, scaleEvents: ScaleEventLog = ScaleEventLog(),
    conditions: [HorizontalAutoscalerCondition] = [], currentReplicas: Int = 0,
    desiredReplicas: Int = 0, currentMetrics: [MetricStatus] = [], lastScaleTime: Instant? = nil
  ) {
    self.recommendations = recommendations
    self.scaleEvents = scaleEvents
    self.conditions = ConditionList(conditions)
    self.currentReplicas = currentReplicas
    self.desiredReplicas = desiredReplicas
    self.currentMetrics = currentMetrics
    self.lastScaleTime = lastScaleTime
  }
}
