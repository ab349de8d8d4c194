public import AutoscalingCore

/// One LimitRange item (container or pod type), merged over a namespace's LimitRanges.
public struct LimitRangeItem: Hashable, Sendable {
  /// The smallest request and limit allowed.
  public var min: ResourceList
  /// The largest limit allowed.
  public var max: ResourceList
  /// The default limit of containers that set none.
  public var `default`: ResourceList

  /// Creates an item; an item that sets nothing still exists (and makes the pod-level step
  /// run, see ``CappingProcessor``).
  ///
  /// - Parameters:
  ///   - min: Minimums.
  ///   - max: Maximums.
  ///   - default: Default limits.
  public init(min: ResourceList = [:], max: ResourceList = [:], default: ResourceList = [:]) {
    self.min = min
    self.max = max
    self.default = `default`
  }

  /// Merges the items of one type from several LimitRanges (upstream
  /// `limit_range_calculator.go`): the lowest max and highest min per resource win, the last
  /// default wins.
  ///
  /// - Parameter items: The items of one type.
  /// - Returns: The merged item, or `nil` when there is none.
  public static func merged(_ items: [LimitRangeItem]) -> LimitRangeItem? {
    guard !items.isEmpty else { return nil }
    var result = LimitRangeItem()
    for item in items {
      for (name, quantity) in item.max.quantities {
        if let current = result.max[name], current <= quantity { continue }
        result.max[name] = quantity
      }
      for (name, quantity) in item.min.quantities {
        if let current = result.min[name], current >= quantity { continue }
        result.min[name] = quantity
      }
      for (name, quantity) in item.default.quantities { result.default[name] = quantity }
    }
    return result
  }
}
