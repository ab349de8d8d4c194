public import AutoscalingCore

/// One stored replica recommendation (upstream `timestampedRecommendation`).
public struct Recommendation: Hashable, Sendable {
  /// The recommended (unstabilized) replica count, in replicas.
  public var replicas: Int
  /// When it was recorded.
  public var timestamp: Instant

  /// Creates a recommendation.
  ///
  /// - Parameters:
  ///   - replicas: The replica count.
  ///   - timestamp: When it was recorded.
  public init(replicas: Int, timestamp: Instant) {
    self.replicas = replicas
    self.timestamp = timestamp
  }
}

/// One past rescale, stored for the behavior policies (upstream `timestampedScaleEvent`).
public struct ScaleEvent: Hashable, Sendable {
  /// The size of the change as a positive number of replicas.
  public var change: Int
  /// When the rescale happened.
  public var timestamp: Instant
  /// Whether the event is older than the direction's longest policy period and may be
  /// overwritten by the next event.
  public var isOutdated: Bool

  /// Creates a scale event.
  ///
  /// - Parameters:
  ///   - change: The size of the change in replicas (positive).
  ///   - timestamp: When it happened.
  ///   - isOutdated: Whether it is marked outdated.
  public init(change: Int, timestamp: Instant, isOutdated: Bool = false) {
    self.change = change
    self.timestamp = timestamp
    self.isOutdated = isOutdated
  }
}
