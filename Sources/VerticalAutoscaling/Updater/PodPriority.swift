import AutoscalingCore

/// How urgently a pod's requests should change (upstream `PodPriority`,
/// `updater/priority/priority_processor.go`).
public struct PodPriority: Hashable, Sendable {
  /// Some container's request is outside `[lowerBound, upperBound]` (or missing).
  public var outsideRecommendedRange: Bool
  /// Some container's target is above its request.
  public var scaleUp: Bool
  /// Σ over resources of `|request − target| / max(request, 1)`, with requests and targets
  /// summed over containers in milli-units.
  public var resourceDiff: Double

  /// Creates a priority.
  ///
  /// - Parameters:
  ///   - outsideRecommendedRange: A request lies outside the recommended range.
  ///   - scaleUp: A target lies above its request.
  ///   - resourceDiff: The relative difference, summed over resources.
  public init(
    outsideRecommendedRange: Bool = false, scaleUp: Bool = false, resourceDiff: Double = 0
  ) {
    self.outsideRecommendedRange = outsideRecommendedRange
    self.scaleUp = scaleUp
    self.resourceDiff = resourceDiff
  }

  /// Whether this priority ranks below `other` (upstream `PodPriority.Less`): a scale-up
  /// outranks a non-scale-up, then the larger difference wins.
  ///
  /// - Parameter other: Another priority.
  /// - Returns: Whether `self` has lower priority.
  public func isLower(than other: PodPriority) -> Bool {
    if scaleUp != other.scaleUp { return other.scaleUp }
    return resourceDiff < other.resourceDiff
  }

  /// Computes a pod's priority from its (capped) recommendation (upstream
  /// `GetUpdatePriority`).
  ///
  /// Containers missing from a parseable `vpaObservedContainers` annotation and containers
  /// without a recommendation are ignored. A target resource without a request counts as a
  /// scale-up outside the range.
  ///
  /// - Parameters:
  ///   - pod: The pod (current requests come from the container status when present).
  ///   - recommendation: The processed recommendation, or `nil`.
  /// - Returns: The priority (all zero without a recommendation).
  public static func of(pod: VPAPod, recommendation: [RecommendedContainerResources]?)
    -> PodPriority
  {
    var outside = false
    var scaleUp = false
    var totalRequest: [String: Int64] = [:]
    var totalRecommended: [String: Int64] = [:]
    let observed = pod.observedContainers
    for container in pod.containers {
      if let observed, !observed.contains(container.name) { continue }
      guard let recommended = recommendation?.first(where: { $0.containerName == container.name })
      else { continue }
      let requests = container.current.requests
      for (name, target) in recommended.target {
        totalRecommended[name.rawValue, default: 0] &+= target.milliValue
        if let request = requests[name] {
          totalRequest[name.rawValue, default: 0] &+= request.milliValue
          if target.milliValue > request.milliValue { scaleUp = true }
          if let lower = recommended.lowerBound[name], request < lower { outside = true }
          if let upper = recommended.upperBound[name], request > upper { outside = true }
        } else {
          scaleUp = true
          outside = true
        }
      }
    }
    var diff = 0.0
    for name in totalRecommended.keys.sorted() {
      let request = max(Double(totalRequest[name] ?? 0), 1)
      diff += (request - Double(totalRecommended[name] ?? 0)).magnitude / request
    }
    return PodPriority(outsideRecommendedRange: outside, scaleUp: scaleUp, resourceDiff: diff)
  }
}
