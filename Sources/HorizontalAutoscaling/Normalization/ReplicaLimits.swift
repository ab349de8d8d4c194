public import AutoscalingCore

/// The clamping steps of normalization: min/max bounds and rate limits.
public enum ReplicaLimits: Sendable {
  /// Clamps a stabilized recommendation on the legacy path (upstream
  /// `convertDesiredReplicasWithRules`).
  ///
  /// The ceiling is `min(maxReplicas, int32(max(factor × current, minimum)))`; `TooFewReplicas`
  /// is checked first.
  ///
  /// - Parameters:
  ///   - current: The current replica count.
  ///   - desired: The stabilized recommendation, in replicas.
  ///   - minReplicas: The lower bound, in replicas.
  ///   - maxReplicas: The upper bound, in replicas.
  ///   - scaleUpLimitFactor: The scale-up factor (2 in production).
  ///   - scaleUpLimitMinimum: The scale-up floor in replicas (4).
  /// - Returns: The clamped count and the `ScalingLimited` reason.
  public static func legacyClamped(
    current: Int, desired: Int, minReplicas: Int, maxReplicas: Int,
    scaleUpLimitFactor: Double = 2, scaleUpLimitMinimum: Double = 4
  ) -> (replicas: Int, reason: ConditionReason) {
    let scaleUpLimit = truncateToReplicas(
      Swift.max(scaleUpLimitFactor * Double(current), scaleUpLimitMinimum))
    let maximumAllowed: Int
    let limitReason: ConditionReason
    if maxReplicas > scaleUpLimit {
      maximumAllowed = scaleUpLimit
      limitReason = .scaleUpLimit
    } else {
      maximumAllowed = maxReplicas
      limitReason = .tooManyReplicas
    }
    if desired < minReplicas { return (minReplicas, .tooFewReplicas) }
    if desired > maximumAllowed { return (maximumAllowed, limitReason) }
    return (desired, .desiredWithinRange)
  }

  /// Rate-limits and clamps a stabilized recommendation on the behavior path (upstream
  /// `convertDesiredReplicasWithBehaviorRate`).
  ///
  /// Scale-ups are capped by the scale-up policies and `maxReplicas` (not `minReplicas`);
  /// scale-downs are floored by the scale-down policies and `minReplicas` (not `maxReplicas`).
  ///
  /// - Parameters:
  ///   - current: The current replica count.
  ///   - desired: The stabilized recommendation, in replicas.
  ///   - minReplicas: The lower bound, in replicas.
  ///   - maxReplicas: The upper bound, in replicas.
  ///   - behavior: The behavior (defaulted).
  ///   - events: The past rescales.
  ///   - now: The evaluation instant.
  /// - Returns: The limited count and the `ScalingLimited` reason.
  public static func rateLimited(
    current: Int, desired: Int, minReplicas: Int, maxReplicas: Int, behavior: ScalingBehavior,
    events: ScaleEventLog, at now: Instant
  ) -> (replicas: Int, reason: ConditionReason) {
    rateLimited(
      current: current, desired: desired, minReplicas: minReplicas, maxReplicas: maxReplicas,
      behavior: CompiledBehavior(behavior), events: events, at: now)
  }

  static func rateLimited(
    current: Int, desired: Int, minReplicas: Int, maxReplicas: Int, behavior: CompiledBehavior,
    events: ScaleEventLog, at now: Instant
  ) -> (replicas: Int, reason: ConditionReason) {
    if desired > current {
      var limit = events.scaleUpLimit(current: current, rules: behavior.scaleUp, at: now)
      if limit < current { limit = current }
      let maximumAllowed: Int
      let reason: ConditionReason
      if maxReplicas > limit {
        maximumAllowed = limit
        reason = .scaleUpLimit
      } else {
        maximumAllowed = maxReplicas
        reason = .tooManyReplicas
      }
      if desired > maximumAllowed { return (maximumAllowed, reason) }
    } else if desired < current {
      var limit = events.scaleDownLimit(current: current, rules: behavior.scaleDown, at: now)
      if limit > current { limit = current }
      let minimumAllowed: Int
      let reason: ConditionReason
      if minReplicas < limit {
        minimumAllowed = limit
        reason = .scaleDownLimit
      } else {
        minimumAllowed = minReplicas
        reason = .tooFewReplicas
      }
      if desired < minimumAllowed { return (minimumAllowed, reason) }
    }
    return (desired, .desiredWithinRange)
  }
}
