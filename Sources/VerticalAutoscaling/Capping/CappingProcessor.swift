public import AutoscalingCore

/// The capped recommendation for one pod and the capping annotations per container.
public struct CappedRecommendation: Hashable, Sendable {
  /// The recommendations of the pod's containers, capped; `nil` when the VPA had neither a
  /// recommendation nor a policy.
  public var recommendations: [RecommendedContainerResources]?
  /// Container name → annotations such as `cpu capped to minAllowed` (from the target only).
  public var annotations: [String: [String]]

  /// Creates a result.
  ///
  /// - Parameters:
  ///   - recommendations: The capped recommendations.
  ///   - annotations: Container name → capping annotations.
  public init(
    recommendations: [RecommendedContainerResources]?, annotations: [String: [String]] = [:]
  ) {
    self.recommendations = recommendations
    self.annotations = annotations
  }
}

/// Adjusts a VPA's recommendation to one pod: pod and container LimitRanges, the VPA's
/// container policies and controlled values (upstream `cappingRecommendationProcessor.Apply`,
/// `utils/vpa/capping.go`), as the admission controller and updater do.
public enum CappingProcessor: Sendable {
  /// Caps a recommendation for a pod.
  ///
  /// Order: if a pod LimitRange item exists, containers without a recommendation but with
  /// requests get their requests inserted as target, then the pod step runs for (upper, cpu),
  /// (upper, memory), (target, cpu), (target, memory), (lower, cpu), (lower, memory). Then,
  /// for each recommendation whose container is in the pod (others are dropped): container
  /// LimitRange, policy minAllowed/maxAllowed, and for `RequestsOnly` the container's current
  /// limit. Only the target produces annotations.
  ///
  /// - Parameters:
  ///   - recommendation: The VPA's recommendation, or `nil`.
  ///   - policy: The VPA's resource policy, or `nil`.
  ///   - pod: The pod.
  ///   - containerLimitRange: The namespace's merged container LimitRange item, or `nil`.
  ///   - podLimitRange: The namespace's merged pod LimitRange item, or `nil`.
  /// - Returns: The capped recommendation and annotations.
  public static func apply(
    recommendation: [RecommendedContainerResources]?, policy: PodResourcePolicy?, pod: VPAPod,
    containerLimitRange: LimitRangeItem? = nil, podLimitRange: LimitRangeItem? = nil
  ) -> CappedRecommendation {
    if recommendation == nil && policy == nil { return CappedRecommendation(recommendations: nil) }
    var recommendations = recommendation ?? []
    if let podLimitRange {
      recommendations = insertingRequestsForMissingRecommendations(recommendations, pod: pod)
      for field in [RecommendationField.upperBound, .target, .lowerBound] {
        for resource in [RecommendedResource.cpu, .memory] {
          applyPodLimitRange(
            &recommendations, pod: pod, limitRange: podLimitRange, resource: resource, field: field)
        }
      }
    }
    var result: [RecommendedContainerResources] = []
    var annotations: [String: [String]] = [:]
    for var containerRecommendation in recommendations {
      guard let container = pod.container(named: containerRecommendation.containerName) else {
        continue
      }
      let containerPolicy = policy?.policy(for: container.name)
      let controlledValues = containerPolicy?.controlledValues ?? .requestsAndLimits
      var containerAnnotations: [String] = []
      for field in [RecommendationField.target, .lowerBound, .upperBound] {
        var values = containerRecommendation[field]
        var fieldAnnotations = applyContainerLimitRange(
          &values, container: container, limitRange: containerLimitRange)
        fieldAnnotations += applyPolicy(&values, policy: containerPolicy)
        if controlledValues == .requestsOnly {
          fieldAnnotations += capToContainerLimit(&values, container: container)
        }
        containerRecommendation[field] = values
        if field == .target { containerAnnotations = fieldAnnotations }
      }
      if !containerAnnotations.isEmpty {
        annotations[containerRecommendation.containerName] = containerAnnotations
      }
      result.append(containerRecommendation)
    }
    return CappedRecommendation(recommendations: result, annotations: annotations)
  }

  /// Adds a recommendation whose target is the current requests for every pod container that
  /// has requests but no recommendation (upstream `insertRequestsForMissingRecommendations`).
  ///
  /// - Parameters:
  ///   - recommendations: The recommendations.
  ///   - pod: The pod.
  /// - Returns: The recommendations followed by the inserted ones, in pod order.
  public static func insertingRequestsForMissingRecommendations(
    _ recommendations: [RecommendedContainerResources], pod: VPAPod
  ) -> [RecommendedContainerResources] {
    var result = recommendations
    for container in pod.containers
    where !recommendations.contains(where: { $0.containerName == container.name }) {
      let requests = container.current.requests
      if !requests.isEmpty {
        result.append(
          RecommendedContainerResources(containerName: container.name, target: requests))
      }
    }
    return result
  }

  /// One pod LimitRange step for one resource and field (upstream `applyPodLimitRange`):
  /// scales recommendations up to the pod minimum (CPU rounded up) or down so the proportional
  /// limits fit the pod maximum.
  ///
  /// Where upstream would write a key into an absent field (or panic on a nil map), only
  /// values already present are rewritten.
  ///
  /// - Parameters:
  ///   - recommendations: The recommendations, updated in place.
  ///   - pod: The pod.
  ///   - limitRange: The pod LimitRange item.
  ///   - resource: The resource.
  ///   - field: The field.
  public static func applyPodLimitRange(
    _ recommendations: inout [RecommendedContainerResources], pod: VPAPod,
    limitRange: LimitRangeItem, resource: RecommendedResource, field: RecommendationField
  ) {
    let name = resource.resourceName
    let minimum = limitRange.min[name] ?? .zero
    let maximum = limitRange.max[name] ?? .zero
    let defaultLimit = limitRange.default[name]
    var sumLimit = Quantity.zero
    var sumRecommendation = Quantity.zero
    // Index of each pod container's recommendation, in pod order.
    let indices: [Int?] = pod.containers.map { container in
      recommendations.firstIndex { $0.containerName == container.name }
    }
    for (container, index) in zip(pod.containers, indices) {
      let current = container.current
      let value: Quantity
      if let index {
        value = recommendations[index][field][name] ?? .zero
      } else {
        value = current.requests[name] ?? .zero
      }
      let limit = LimitScaling.proportionalLimit(
        resource, originalLimit: current.limits[name], originalRequest: current.requests[name],
        recommendation: value, defaultLimit: defaultLimit
      ).limit
      if let limit { sumLimit = sumLimit + limit }
      sumRecommendation = sumRecommendation + value
    }
    if minimum <= sumLimit && minimum <= sumRecommendation
      && (maximum.isZero || maximum >= sumLimit)
    {
      return
    }
    if minimum > sumRecommendation && !sumLimit.isZero {
      for index in indices.compactMap({ $0 }) {
        guard let value = recommendations[index][field][name] else { continue }
        recommendations[index][field][name] =
          LimitScaling.scale(resource, value, from: sumRecommendation, to: minimum, rounding: .up)
          .quantity
      }
      return
    }
    if sumLimit.isZero { return }
    var targetTotal = Quantity.zero
    if minimum > sumLimit { targetTotal = minimum }
    if !maximum.isZero && maximum < sumLimit { targetTotal = maximum }
    for index in indices.compactMap({ $0 }) {
      guard let value = recommendations[index][field][name] else { continue }
      recommendations[index][field][name] =
        LimitScaling.scale(resource, value, from: sumLimit, to: targetTotal, rounding: .down)
        .quantity
    }
  }

  /// Raises to the container LimitRange minimum and lowers to its maximum, both translated
  /// into requests (upstream `applyContainerLimitRange`).
  static func applyContainerLimitRange(
    _ values: inout ResourceList, container: PodContainer, limitRange: LimitRangeItem?
  ) -> [String] {
    guard let limitRange else { return [] }
    let current = container.current
    var annotations: [String] = []
    for (name, recommended) in values {
      guard let resource = try? RecommendedResource(name) else { continue }
      let maximum = LimitScaling.boundaryRequest(
        resource, originalRequest: current.requests[name], originalLimit: current.limits[name],
        boundary: limitRange.max[name], defaultLimit: limitRange.default[name])
      var minimum = LimitScaling.boundaryRequest(
        resource, originalRequest: current.requests[name], originalLimit: current.limits[name],
        boundary: limitRange.min[name], defaultLimit: limitRange.default[name])
      if let rangeMinimum = limitRange.min[name], rangeMinimum > minimum { minimum = rangeMinimum }
      var value = recommended
      if !minimum.isZero && value < minimum {
        value = minimum
        annotations.append("\(name.rawValue) capped to fit Min in container LimitRange")
      }
      if !maximum.isZero && value > maximum {
        value = maximum
        annotations.append("\(name.rawValue) capped to fit Max in container LimitRange")
      }
      values[name] = value
    }
    return annotations
  }

  /// Raises to `minAllowed`, then lowers to `maxAllowed` (zeros ignored).
  static func applyPolicy(_ values: inout ResourceList, policy: ContainerResourcePolicy?)
    -> [String]
  {
    guard let policy else { return [] }
    var annotations: [String] = []
    for (name, recommended) in values {
      var value = recommended
      if let minimum = policy.minAllowed[name], !minimum.isZero, value < minimum {
        value = minimum
        annotations.append("\(name.rawValue) capped to minAllowed")
      }
      if let maximum = policy.maxAllowed[name], !maximum.isZero, value > maximum {
        value = maximum
        annotations.append("\(name.rawValue) capped to maxAllowed")
      }
      values[name] = value
    }
    return annotations
  }

  /// Lowers each value to the container's current limit, compared in milli-units.
  static func capToContainerLimit(_ values: inout ResourceList, container: PodContainer) -> [String]
  {
    var annotations: [String] = []
    for (name, limit) in container.current.limits.quantities.sorted(by: { $0.key < $1.key }) {
      if let value = values[name], value.milliValue > limit.milliValue {
        values[name] = limit
        annotations.append("\(name.rawValue) capped to container limit")
      }
    }
    return annotations
  }

  /// Caps a pod recommendation on the recommender side (upstream `ApplyVPAPolicy`):
  /// `minAllowed`, then `maxAllowed` merged with the global maximum (the VPA's value wins per
  /// resource), on target, lower and upper bound; `uncappedTarget` is left alone.
  ///
  /// - Parameters:
  ///   - recommendation: The recommendation, or `nil`.
  ///   - policy: The VPA's resource policy, or `nil`.
  ///   - globalMaxAllowed: `--container-recommendation-max-allowed-*`, or `nil`.
  /// - Returns: The capped recommendation (`nil` for `nil`).
  public static func applyVPAPolicy(
    _ recommendation: [RecommendedContainerResources]?, policy: PodResourcePolicy?,
    globalMaxAllowed: ResourceList?
  ) -> [RecommendedContainerResources]? {
    guard var recommendation else { return nil }
    if policy == nil && globalMaxAllowed == nil { return recommendation }
    for index in recommendation.indices {
      let containerPolicy = policy?.policy(for: recommendation[index].containerName)
      if containerPolicy == nil && globalMaxAllowed == nil { continue }
      let minimum = containerPolicy?.minAllowed ?? [:]
      var maximum = containerPolicy?.maxAllowed ?? [:]
      for (name, quantity) in (globalMaxAllowed ?? [:]).quantities where maximum[name] == nil {
        maximum[name] = quantity
      }
      for field in RecommendationField.allCases {
        var values = recommendation[index][field]
        for (name, recommended) in values.quantities {
          var value = recommended
          if let lower = minimum[name], !lower.isZero, value < lower { value = lower }
          if let upper = maximum[name], !upper.isZero, value > upper { value = upper }
          values[name] = value
        }
        recommendation[index][field] = values
      }
    }
    return recommendation
  }
}
