import AutoscalingCore

/// Admits pods for eviction by scaling direction (upstream
/// `scalingDirectionPodEvictionAdmission`, `updater/priority/`).
public enum EvictionAdmission: Sendable {
  /// Whether the pod may be evicted under the VPA's eviction requirements.
  ///
  /// A pod is admitted when there are no requirements (`nil`), when a container with a
  /// recommendation lacks a CPU or memory request, or when all requirements hold for at
  /// least one container with a recommendation. A requirement holds when any of its
  /// resources moves in the required direction (strictly, in milli-units; missing is 0).
  ///
  /// - Parameters:
  ///   - pod: The pod (current requests come from the container status when present).
  ///   - recommendation: The processed recommendation, or `nil`.
  ///   - requirements: The VPA's eviction requirements, or `nil`.
  /// - Returns: Whether the pod is admitted.
  public static func admits(
    _ pod: VPAPod, recommendation: [RecommendedContainerResources]?,
    requirements: [EvictionRequirement]?
  ) -> Bool {
    guard let requirements else { return true }
    for container in pod.containers {
      guard let recommended = recommendation?.first(where: { $0.containerName == container.name })
      else { continue }
      let requests = container.current.requests
      if requests[.cpu] == nil || requests[.memory] == nil { return true }
      let allHold = requirements.allSatisfy { requirement in
        requirement.resources.contains { name in
          let target = recommended.target.amount(of: name).milliValue
          let request = requests.amount(of: name).milliValue
          switch requirement.changeRequirement {
          case .targetHigherThanRequests: return target > request
          case .targetLowerThanRequests: return target < request
          }
        }
      }
      if allHold { return true }
    }
    return false
  }
}
