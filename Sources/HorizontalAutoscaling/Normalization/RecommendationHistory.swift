public import AutoscalingCore

/// The replica recommendations one HPA has recorded (upstream `recommendations[key]`).
///
/// Entries are never removed, only reused: a new recommendation overwrites the *last* entry
/// that has left the window (or, on the behavior path, both windows), else it is appended.
/// The stored value is always the unstabilized proposal.
public struct RecommendationHistory: Hashable, Sendable {
  /// The recorded recommendations, in storage order.
  public var entries: [Recommendation]

  /// Creates a history.
  ///
  /// - Parameter entries: The recorded recommendations.
  public init(_ entries: [Recommendation] = []) {
    self.entries = entries
  }

  /// Stabilizes a proposal on the legacy path and records it (upstream
  /// `stabilizeRecommendation`).
  ///
  /// Returns the highest proposal recorded within the window (an entry exactly `window` old
  /// still counts), including this one; there is no scale-up stabilization.
  ///
  /// - Parameters:
  ///   - proposal: The unstabilized proposal, in replicas.
  ///   - window: The downscale stabilization window.
  ///   - now: The evaluation instant.
  /// - Returns: The stabilized recommendation, in replicas.
  public mutating func stabilizeForScaleDown(_ proposal: Int, window: Duration, at now: Instant)
    -> Int
  {
    stabilizeForScaleDown(proposal, windowMilliseconds: window.wholeMilliseconds, at: now)
  }

  mutating func stabilizeForScaleDown(_ proposal: Int, windowMilliseconds: Int64, at now: Instant)
    -> Int
  {
    var maximum = proposal
    var oldIndex = -1
    let cutoff = now.millisecondsSinceEpoch &- windowMilliseconds
    for index in entries.indices {
      let entry = entries[index]
      if entry.timestamp.millisecondsSinceEpoch < cutoff {
        oldIndex = index
      } else if entry.replicas > maximum {
        maximum = entry.replicas
      }
    }
    let record = Recommendation(replicas: proposal, timestamp: now)
    if oldIndex >= 0 { entries[oldIndex] = record } else { entries.append(record) }
    return maximum
  }

  /// Stabilizes a proposal on the behavior path and records it (upstream
  /// `stabilizeRecommendationWithBehaviors`).
  ///
  /// Clamps `current` into `[lowest proposal in the up window, highest proposal in the down
  /// window]` (both including `desired`; an entry counts when strictly newer than
  /// `now − window`).
  ///
  /// - Parameters:
  ///   - current: The current replica count.
  ///   - desired: The unstabilized proposal, in replicas.
  ///   - scaleUpWindow: The scale-up stabilization window.
  ///   - scaleDownWindow: The scale-down stabilization window.
  ///   - now: The evaluation instant.
  /// - Returns: The stabilized count and the reason upstream reports when it differs from
  ///   `desired` (`ScaleUpStabilized` when `desired ≥ current`, else `ScaleDownStabilized`).
  public mutating func stabilize(
    current: Int, desired: Int, scaleUpWindow: Duration, scaleDownWindow: Duration, at now: Instant
  ) -> (replicas: Int, reason: ConditionReason) {
    stabilize(
      current: current, desired: desired, upWindowMilliseconds: scaleUpWindow.wholeMilliseconds,
      downWindowMilliseconds: scaleDownWindow.wholeMilliseconds, at: now)
  }

  mutating func stabilize(
    current: Int, desired: Int, upWindowMilliseconds: Int64, downWindowMilliseconds: Int64,
    at now: Instant
  ) -> (replicas: Int, reason: ConditionReason) {
    let nowMs = now.millisecondsSinceEpoch
    let upCutoff = nowMs &- upWindowMilliseconds
    let downCutoff = nowMs &- downWindowMilliseconds
    var upRecommendation = desired
    var downRecommendation = desired
    var oldIndex = -1
    if upCutoff >= downCutoff {
      // The usual case (the scale-up window is the shorter): the up window lies inside the
      // down window and an entry is old when it is older than the down window, so most entries
      // take one comparison and one maximum.
      entries.withUnsafeBufferPointer { buffer in
        for index in buffer.indices {
          let t = buffer[index].timestamp.millisecondsSinceEpoch
          if t > downCutoff {
            let replicas = buffer[index].replicas
            downRecommendation = Swift.max(replicas, downRecommendation)
            if t > upCutoff { upRecommendation = Swift.min(replicas, upRecommendation) }
          } else if t < downCutoff {
            oldIndex = index
          }
        }
      }
    } else {
      for index in entries.indices {
        let entry = entries[index]
        let t = entry.timestamp.millisecondsSinceEpoch
        if t > upCutoff { upRecommendation = Swift.min(entry.replicas, upRecommendation) }
        if t > downCutoff { downRecommendation = Swift.max(entry.replicas, downRecommendation) }
        if t < upCutoff && t < downCutoff { oldIndex = index }
      }
    }
    var recommendation = current
    if recommendation < upRecommendation { recommendation = upRecommendation }
    if recommendation > downRecommendation { recommendation = downRecommendation }
    let record = Recommendation(replicas: desired, timestamp: now)
    if oldIndex >= 0 { entries[oldIndex] = record } else { entries.append(record) }
    return (recommendation, desired >= current ? .scaleUpStabilized : .scaleDownStabilized)
  }
}
