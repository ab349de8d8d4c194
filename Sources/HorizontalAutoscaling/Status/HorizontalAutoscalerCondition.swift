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

/// An HPA's `status.conditions`: at most one condition per ``ConditionType``, in the order
/// they were first set (upstream `setConditionInList`), stored inline without allocation.
public struct ConditionList: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
  private var slot0: HorizontalAutoscalerCondition?
  private var slot1: HorizontalAutoscalerCondition?
  private var slot2: HorizontalAutoscalerCondition?
  private var slot3: HorizontalAutoscalerCondition?
  /// The number of conditions.
  public private(set) var count: Int = 0

  /// Creates an empty list.
  public init() {}

  /// Creates a list from conditions in order; a repeated type updates the earlier entry.
  ///
  /// - Parameter conditions: The conditions.
  public init(_ conditions: some Sequence<HorizontalAutoscalerCondition>) {
    for condition in conditions { upsert(condition) }
  }

  /// Creates a list from an array literal of conditions.
  ///
  /// - Parameter elements: The conditions, in order.
  public init(arrayLiteral elements: HorizontalAutoscalerCondition...) {
    self.init(elements)
  }

  /// The position of the first condition (always 0).
  public var startIndex: Int { 0 }
  /// One past the position of the last condition.
  public var endIndex: Int { count }

  /// The condition at a position.
  ///
  /// - Parameter position: A valid position, `0..<count`.
  public subscript(position: Int) -> HorizontalAutoscalerCondition {
    guard (0..<count).contains(position), let condition = slot(position) else {
      preconditionFailure("ConditionList index \(position) out of range 0..<\(count)")
    }
    return condition
  }

  /// The condition of a type, if present.
  ///
  /// - Parameter type: The condition type.
  /// - Returns: The condition, or `nil`.
  public func condition(_ type: ConditionType) -> HorizontalAutoscalerCondition? {
    for position in 0..<count where slot(position)?.type == type { return slot(position) }
    return nil
  }

  /// Whether a condition of a type is present (the four slots are compared directly: unused
  /// slots are always empty).
  @inline(__always)
  func contains(_ type: ConditionType) -> Bool {
    slot0?.type == type || slot1?.type == type || slot2?.type == type || slot3?.type == type
  }

  @inline(__always)
  private func slot(_ position: Int) -> HorizontalAutoscalerCondition? {
    switch position {
    case 0: slot0
    case 1: slot1
    case 2: slot2
    case 3: slot3
    default: nil
    }
  }

  @inline(__always)
  private mutating func setSlot(_ position: Int, _ value: HorizontalAutoscalerCondition?) {
    switch position {
    case 0: slot0 = value
    case 1: slot1 = value
    case 2: slot2 = value
    default: slot3 = value
    }
  }

  @inline(__always)
  private mutating func upsert(_ condition: HorizontalAutoscalerCondition) {
    for position in 0..<count where slot(position)?.type == condition.type {
      setSlot(position, condition)
      return
    }
    // Four types exist, so a fifth distinct entry cannot occur.
    if count < 4 {
      setSlot(count, condition)
      count += 1
    }
  }

  /// Sets a condition in place, keeping its position, or appends it (upstream
  /// `setConditionInList`); the transition time changes only when the status flips.
  @inline(__always)
  mutating func set(
    _ type: ConditionType, _ status: Bool, _ reason: ConditionReason, at now: Instant
  ) {
    // The controller sets the same types in the same order on every pass, so the condition
    // is almost always found at its usual position: check that slot first.
    switch type {
    case .ableToScale where Self.update(&slot0, type, status, reason, now): return
    case .scalingActive where Self.update(&slot1, type, status, reason, now): return
    case .scalingLimited where Self.update(&slot2, type, status, reason, now): return
    case .scaledToZero where Self.update(&slot3, type, status, reason, now): return
    default: break
    }
    setSlowly(type, status, reason, at: now)
  }

  /// Updates `slot` when it holds a condition of `type`; returns whether it did.
  @inline(__always)
  private static func update(
    _ slot: inout HorizontalAutoscalerCondition?, _ type: ConditionType, _ status: Bool,
    _ reason: ConditionReason, _ now: Instant
  ) -> Bool {
    // Field by field in place (an empty slot's type never matches): copying the condition
    // out and back costs more.
    guard slot?.type == type else { return false }
    if slot?.status != status { slot?.lastTransitionTime = now }
    slot?.status = status
    slot?.reason = reason
    return true
  }

  /// ``set(_:_:_:at:)`` when the condition is not at its usual position.
  @inline(never)
  private mutating func setSlowly(
    _ type: ConditionType, _ status: Bool, _ reason: ConditionReason, at now: Instant
  ) {
    for position in 0..<count {
      var existing = slot(position)
      if Self.update(&existing, type, status, reason, now) {
        setSlot(position, existing)
        return
      }
    }
    upsert(
      HorizontalAutoscalerCondition(
        type: type, status: status, reason: reason, lastTransitionTime: now))
  }

  /// Removes the condition of a type, keeping the order of the others.
  mutating func remove(_ type: ConditionType) {
    guard let index = (0..<count).first(where: { slot($0)?.type == type }) else { return }
    for position in index..<(count - 1) { setSlot(position, slot(position + 1)) }
    setSlot(count - 1, nil)
    count -= 1
  }
}
