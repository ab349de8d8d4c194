public import AutoscalingCore

/// The VPA admission controller's decision for a pod being created: the requests and limits
/// each container gets (upstream `GetContainersResourcesForPod` and `GetContainersResources`,
/// `admission-controller/resource/pod/recommendation/recommendation_provider.go`).
public enum Admission: Sendable {
  /// The resources admission writes into one container.
  public struct ContainerResources: Hashable, Sendable {
    /// The container's name.
    public var containerName: String
    /// New requests: the capped target (only the resources it names).
    public var requests: ResourceList
    /// New limits: proportional to the new requests (RequestsAndLimits only); empty when the
    /// limits are left alone.
    public var limits: ResourceList

    /// Creates container resources.
    ///
    /// - Parameters:
    ///   - containerName: The container's name.
    ///   - requests: New requests.
    ///   - limits: New limits.
    public init(containerName: String, requests: ResourceList, limits: ResourceList) {
      self.containerName = containerName
      self.requests = requests
      self.limits = limits
    }
  }

  /// The resources admission writes into each container of `pod` that has a recommendation.
  ///
  /// Nothing is written in `Off` mode. Otherwise the VPA's recommendation is capped for the
  /// pod (``CappingProcessor``); each container's requests become its capped target and, for
  /// `RequestsAndLimits`, its limits keep their ratio to the requests (with the container
  /// LimitRange's default limit standing in for a missing limit).
  ///
  /// - Parameters:
  ///   - pod: The pod being created (its spec resources are the originals).
  ///   - vpa: The VPA with its recommendation, policy and mode.
  ///   - containerLimitRange: The namespace's container LimitRange item, or `nil`.
  ///   - podLimitRange: The namespace's pod LimitRange item, or `nil`.
  /// - Returns: The resources per container, and the capping and limit annotations.
  public static func containerResources(
    for pod: VPAPod, vpa: VerticalPodAutoscaler, containerLimitRange: LimitRangeItem? = nil,
    podLimitRange: LimitRangeItem? = nil
  ) -> (containers: [ContainerResources], annotations: [String: [String]]) {
    guard vpa.updatePolicy.effectiveUpdateMode != .off, vpa.recommendation != nil else {
      return ([], [:])
    }
    var specPod = pod
    for index in specPod.containers.indices { specPod.containers[index].statusResources = nil }
    let capped = CappingProcessor.apply(
      recommendation: vpa.recommendation, policy: vpa.resourcePolicy, pod: specPod,
      containerLimitRange: containerLimitRange, podLimitRange: podLimitRange)
    var annotations = capped.annotations
    var result: [ContainerResources] = []
    for container in specPod.containers {
      guard
        let recommendation = capped.recommendations?.first(where: {
          $0.containerName == container.name
        })
      else { continue }
      var limits = ResourceList()
      let controlled =
        vpa.resourcePolicy?.policy(for: container.name)?.controlledValues ?? .requestsAndLimits
      if controlled == .requestsAndLimits {
        for resource in RecommendedResource.allCases {
          let name = resource.resourceName
          let (limit, annotation) = LimitScaling.proportionalLimit(
            resource, originalLimit: container.resources.limits[name],
            originalRequest: container.resources.requests[name],
            recommendation: recommendation.target[name],
            defaultLimit: containerLimitRange?.default[name])
          if let limit { limits[name] = limit }
          if let annotation { annotations[container.name, default: []].append(annotation) }
        }
      }
      result.append(
        ContainerResources(
          containerName: container.name, requests: recommendation.target, limits: limits))
    }
    return (result, annotations)
  }

  /// The pod as admission rewrites it: each recommended container's requests (and, for
  /// `RequestsAndLimits`, limits) replaced resource by resource.
  ///
  /// - Parameters:
  ///   - pod: The pod being created.
  ///   - vpa: The VPA with its recommendation, policy and mode.
  ///   - containerLimitRange: The namespace's container LimitRange item, or `nil`.
  ///   - podLimitRange: The namespace's pod LimitRange item, or `nil`.
  /// - Returns: The admitted pod.
  public static func admitted(
    _ pod: VPAPod, vpa: VerticalPodAutoscaler, containerLimitRange: LimitRangeItem? = nil,
    podLimitRange: LimitRangeItem? = nil
  ) -> VPAPod {
    var result = pod
    let (containers, _) = containerResources(
      for: pod, vpa: vpa, containerLimitRange: containerLimitRange, podLimitRange: podLimitRange)
    for resources in containers {
      guard let index = result.containers.firstIndex(where: { $0.name == resources.containerName })
      else {
        continue
      }
      for (name, quantity) in resources.requests {
        result.containers[index].resources.requests[name] = quantity
      }
      for (name, quantity) in resources.limits {
        result.containers[index].resources.limits[name] = quantity
      }
      result.containers[index].statusResources = nil
    }
    return result
  }
}
