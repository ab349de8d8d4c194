public import AutoscalingCore

/// CPU and memory amounts, each optional: a resource that is not controlled is absent.
public struct ResourceAmounts: Hashable, Sendable {
  /// CPU in millicores, or `nil` when absent.
  public var cpuMillicores: Int64?
  /// Memory in bytes, or `nil` when absent.
  public var memoryBytes: Int64?

  /// Creates amounts.
  ///
  /// - Parameters:
  ///   - cpuMillicores: CPU in millicores, or `nil`.
  ///   - memoryBytes: Memory in bytes, or `nil`.
  public init(cpuMillicores: Int64? = nil, memoryBytes: Int64? = nil) {
    self.cpuMillicores = cpuMillicores
    self.memoryBytes = memoryBytes
  }

  /// Keeps the controlled resources of an estimate (upstream `FilterControlledResources`).
  ///
  /// - Parameters:
  ///   - estimate: Both amounts.
  ///   - controlled: The resources to keep.
  public init(_ estimate: ResourceEstimate, controlled: [RecommendedResource]) {
    cpuMillicores = controlled.contains(.cpu) ? estimate.cpuMillicores : nil
    memoryBytes = controlled.contains(.memory) ? estimate.memoryBytes : nil
  }

  /// The amounts as API quantities: CPU as millicores (DecimalSI), memory as bytes
  /// (BinarySI), optionally rounded up and humanized (upstream `ResourcesAsResourceList`).
  ///
  /// - Parameters:
  ///   - roundCPUMillicores: CPU is rounded up to a multiple of this (1 = unchanged).
  ///   - roundMemoryBytes: Memory is rounded up to a multiple of this (1 = unchanged).
  ///   - humanizeMemory: Re-express memory as a two-decimal binary-unit quantity.
  /// - Returns: The resource list; zero amounts are never rounded or humanized.
  public func resourceList(
    roundCPUMillicores: Int64 = 1, roundMemoryBytes: Int64 = 1, humanizeMemory: Bool = false
  ) -> ResourceList {
    var result = ResourceList()
    if let cpu = cpuMillicores {
      var value = cpu
      if roundCPUMillicores != 1 && cpu != 0,
        let rounded = try? ResourceAmount.roundedUp(cpu, toMultipleOf: roundCPUMillicores)
      {
        value = rounded
      }
      result[.cpu] = Quantity(milliValue: value)
    }
    if let memory = memoryBytes {
      var value = memory
      if roundMemoryBytes != 1 && memory != 0,
        let rounded = try? ResourceAmount.roundedUp(memory, toMultipleOf: roundMemoryBytes)
      {
        value = rounded
      }
      var quantity = Quantity(value, format: .binarySI)
      if humanizeMemory && value != 0,
        let parsed = try? Quantity(parsing: ResourceAmount.humanizedMemory(bytes: value))
      {
        quantity = parsed
      }
      result[.memory] = quantity
    }
    return result
  }
}

/// The recommender's estimates for one container: target, lower and upper bound, with only
/// the controlled resources present (upstream `logic.RecommendedContainerResources`).
public struct RecommendedAmounts: Hashable, Sendable {
  /// The recommended request.
  public var target: ResourceAmounts
  /// The smallest request considered right (evict below when outside the range).
  public var lowerBound: ResourceAmounts
  /// The largest request considered right.
  public var upperBound: ResourceAmounts

  /// Creates estimates.
  ///
  /// - Parameters:
  ///   - target: The recommended request.
  ///   - lowerBound: The lower bound.
  ///   - upperBound: The upper bound.
  public init(target: ResourceAmounts, lowerBound: ResourceAmounts, upperBound: ResourceAmounts) {
    self.target = target
    self.lowerBound = lowerBound
    self.upperBound = upperBound
  }
}

/// One container's recommendation in the API shape (upstream
/// `vpa_types.RecommendedContainerResources`): resource lists of quantities. An empty list
/// stands for an absent field.
public struct RecommendedContainerResources: Hashable, Sendable {
  /// The container's name.
  public var containerName: String
  /// The recommended requests.
  public var target: ResourceList
  /// The lower bound.
  public var lowerBound: ResourceList
  /// The upper bound.
  public var upperBound: ResourceList
  /// The target before policy capping.
  public var uncappedTarget: ResourceList

  /// Creates a recommendation.
  ///
  /// - Parameters:
  ///   - containerName: The container's name.
  ///   - target: The recommended requests.
  ///   - lowerBound: The lower bound.
  ///   - upperBound: The upper bound.
  ///   - uncappedTarget: The target before policy capping.
  public init(
    containerName: String, target: ResourceList = [:], lowerBound: ResourceList = [:],
    upperBound: ResourceList = [:], uncappedTarget: ResourceList = [:]
  ) {
    self.containerName = containerName
    self.target = target
    self.lowerBound = lowerBound
    self.upperBound = upperBound
    self.uncappedTarget = uncappedTarget
  }

  /// The field selected by `field`.
  ///
  /// - Parameter field: Which field.
  public subscript(field: RecommendationField) -> ResourceList {
    get {
      switch field {
      case .target: return target
      case .lowerBound: return lowerBound
      case .upperBound: return upperBound
      }
    }
    set {
      switch field {
      case .target: target = newValue
      case .lowerBound: lowerBound = newValue
      case .upperBound: upperBound = newValue
      }
    }
  }
}

/// One of the three capped fields of a recommendation.
public enum RecommendationField: String, Hashable, Sendable, CaseIterable {
  /// `target`.
  case target
  /// `lowerBound`.
  case lowerBound
  /// `upperBound`.
  case upperBound
}
