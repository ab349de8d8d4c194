import AutoscalingCore

/// Turns estimates into the API recommendation and post-processes it (upstream
/// `MapToListOfRecommendedContainerResources` and `recommender/routines/*_post_processor.go`).
public enum RecommendationFormatting: Sendable {
  /// The estimates as a list sorted by container name, in API quantities, with
  /// `uncappedTarget` a copy of the target.
  ///
  /// - Parameters:
  ///   - amounts: Container name → estimates.
  ///   - roundCPUMillicores: `--round-cpu-millicores`.
  ///   - roundMemoryBytes: `--round-memory-bytes`.
  ///   - humanizeMemory: `--humanize-memory`.
  /// - Returns: The container recommendations.
  public static func containerRecommendations(
    from amounts: [String: RecommendedAmounts], roundCPUMillicores: Int64 = 1,
    roundMemoryBytes: Int64 = 1, humanizeMemory: Bool = false
  ) -> [RecommendedContainerResources] {
    amounts.keys.sorted().compactMap { name in
      guard let value = amounts[name] else { return nil }
      func list(_ amounts: ResourceAmounts) -> ResourceList {
        amounts.resourceList(
          roundCPUMillicores: roundCPUMillicores, roundMemoryBytes: roundMemoryBytes,
          humanizeMemory: humanizeMemory)
      }
      let target = list(value.target)
      return RecommendedContainerResources(
        containerName: name, target: target, lowerBound: list(value.lowerBound),
        upperBound: list(value.upperBound), uncappedTarget: target)
    }
  }

  /// The annotation prefix of the integer-CPU post-processor.
  public static let integerCPUAnnotationPrefix = "vpa-post-processor.kubernetes.io/"
  /// The annotation suffix of the integer-CPU post-processor.
  public static let integerCPUAnnotationSuffix = "_integerCPU"

  /// Rounds CPU up to whole cores in every field of the containers named by
  /// `vpa-post-processor.kubernetes.io/<container>_integerCPU: "true"` annotations (upstream
  /// `IntegerCPUPostProcessor`).
  ///
  /// - Parameters:
  ///   - recommendations: The recommendations.
  ///   - annotations: The VPA's annotations.
  /// - Returns: The recommendations with integer CPU where asked.
  public static func integerCPU(
    _ recommendations: [RecommendedContainerResources], annotations: [String: String]
  ) -> [RecommendedContainerResources] {
    var containers: Set<String> = []
    for (key, value) in annotations
    where value == "true" && key.hasPrefix(integerCPUAnnotationPrefix)
      && key.hasSuffix(integerCPUAnnotationSuffix)
    {
      let name = key.dropFirst(integerCPUAnnotationPrefix.count).dropLast(
        integerCPUAnnotationSuffix.count)
      if !name.isEmpty { containers.insert(String(name)) }
    }
    guard !containers.isEmpty else { return recommendations }
    return recommendations.map { recommendation in
      guard containers.contains(recommendation.containerName) else { return recommendation }
      var result = recommendation
      func roundUp(_ list: inout ResourceList) {
        guard let cpu = list[.cpu] else { return }
        let unit: Int128 = 1_000_000_000
        var (cores, remainder) = cpu.nanoValue.quotientAndRemainder(dividingBy: unit)
        if remainder > 0 { cores += 1 }
        list[.cpu] = Quantity(nanoValue: cores * unit, format: cpu.format)
      }
      roundUp(&result.target)
      roundUp(&result.lowerBound)
      roundUp(&result.upperBound)
      roundUp(&result.uncappedTarget)
      return result
    }
  }
}
