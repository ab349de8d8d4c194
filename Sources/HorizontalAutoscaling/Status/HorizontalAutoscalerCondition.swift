public import AutoscalingCore

/// The condition types an HPA reports (autoscaling/v2 `HorizontalPodAutoscalerConditionType`).
public enum ConditionType: String, Hashable, Sendable, CaseIterable {
  /// Whether the target's scale can be read and written.
  case ableToScale = "AbleToScale"
  /// Whether a metric could be computed, so the HPA is actually deciding.
  case scalingActive = "ScalingActive"
  /// Whether the desired count was clamped by min/max or a rate limit.
  case scalingLimited = "ScalingLimited"
  /// Whether the HPA scaled the workload to zero (KEP-2021, 1.36+).
  case scaledToZero = "ScaledToZero"
}

/// A condition reason, spelled as upstream's controller spells it.
public enum ConditionReason: String, Hashable, Sendable, CaseIterable {
  /// The scale subresource could not be read.
  case failedGetScale = "FailedGetScale"
  /// The scale subresource was read.
  case succeededGetScale = "SucceededGetScale"
  /// Stabilization left the proposal unchanged.
  case readyForNewScale = "ReadyForNewScale"
  /// Stabilization held a scale-down back.
  case scaleDownStabilized = "ScaleDownStabilized"
  /// Stabilization held a scale-up back.
  case scaleUpStabilized = "ScaleUpStabilized"
  /// The new count was written.
  case succeededRescale = "SucceededRescale"
  /// Writing the new count failed.
  case failedUpdateScale = "FailedUpdateScale"
  /// At least one metric was computed.
  case validMetricFound = "ValidMetricFound"
  /// The target has zero replicas and may not be scaled from zero.
  case scalingDisabled = "ScalingDisabled"
  /// The target's selector is missing or unparsable.
  case invalidSelector = "InvalidSelector"
  /// The target's pods are also selected by another HPA.
  case ambiguousSelector = "AmbiguousSelector"
  /// A Resource metric could not be computed.
  case failedGetResourceMetric = "FailedGetResourceMetric"
  /// A ContainerResource metric could not be computed.
  case failedGetContainerResourceMetric = "FailedGetContainerResourceMetric"
  /// A Pods metric could not be computed.
  case failedGetPodsMetric = "FailedGetPodsMetric"
  /// An Object metric could not be computed.
  case failedGetObjectMetric = "FailedGetObjectMetric"
  /// An External metric could not be computed.
  case failedGetExternalMetric = "FailedGetExternalMetric"
  /// A metric's type is unknown.
  case invalidMetricSourceType = "InvalidMetricSourceType"
  /// The desired count needed no clamping.
  case desiredWithinRange = "DesiredWithinRange"
  /// The desired count was raised to `minReplicas` (or a scale-down limit at the minimum).
  case tooFewReplicas = "TooFewReplicas"
  /// The desired count was lowered to `maxReplicas`.
  case tooManyReplicas = "TooManyReplicas"
  /// The desired count was lowered to the scale-up rate limit.
  case scaleUpLimit = "ScaleUpLimit"
  /// The desired count was raised to the scale-down rate limit.
  case scaleDownLimit = "ScaleDownLimit"
  /// The HPA scaled the target to zero.
  case scaledToZero = "ScaledToZero"
  /// The HPA did not (or no longer) hold the target at zero.
  case notScaledToZero = "NotScaledToZero"
}

/// One entry of `status.conditions` (autoscaling/v2 `HorizontalPodAutoscalerCondition`).
///
/// The human-readable `message` of upstream is not reproduced; ``reason`` carries the
/// decision.
public struct HorizontalAutoscalerCondition: Hashable, Sendable {
  /// The condition type.
  public var type: ConditionType
  /// The condition's status (`True` when `true`).
  public var status: Bool
  /// Why the condition has this status.
  public var reason: ConditionReason
  /// When ``status`` last flipped.
  public var lastTransitionTime: Instant

  /// Creates a condition.
  ///
  /// - Parameters:
  ///   - type: The condition type.
  ///   - status: `true` for `True`.
  ///   - reason: The reason.
  ///   - lastTransitionTime: When the status last flipped.
  public init(
    type: ConditionType, status: Bool, reason: ConditionReason, lastTransitionTime: Instant
  ) {
    self.type = type
    self.status = status
    self.reason = reason
    self.lastTransitionTime = lastTransitionTime
  }
}

extension Array where Element == HorizontalAutoscalerCondition {
  /// Sets a condition in place, keeping its position, or appends it (upstream
  /// `setConditionInList`); the transition time changes only when the status flips.
  mutating func set(
    _ type: ConditionType, _ status: Bool, _ reason: ConditionReason, at now: Instant
  ) {
    for index in indices where self[index].type == type {
      if self[index].status != status { self[index].lastTransitionTime = now }
      self[index].status = status
      self[index].reason = reason
      return
    }
    append(
      HorizontalAutoscalerCondition(
        type: type, status: status, reason: reason, lastTransitionTime: now))
  }

  mutating func remove(_ type: ConditionType) {
    removeAll { $0.type == type }
  }

  func condition(_ type: ConditionType) -> HorizontalAutoscalerCondition? {
    first { $0.type == type }
  }
}
