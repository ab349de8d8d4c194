import AutoscalingCore

/// Which slot of a ``ResourceVector`` holds which resource: cpu, memory, pods,
/// ephemeral-storage and `nvidia.com/gpu` are fixed; up to three other resources get the
/// remaining slots in the order they are first seen.
struct ResourceSlots: Hashable, Sendable {
  static let width = 8
  /// The slot of `pods` (fixed).
  static let podsSlot = 2
  private(set) var names: [ResourceName] = [.cpu, .memory, .pods, .ephemeralStorage, .nvidiaGPU]

  func slot(of name: ResourceName) -> Int? { names.firstIndex(of: name) }

  mutating func register(_ name: ResourceName, object: @autoclosure () -> String, field: String) throws(NodeAutoscalingError) -> Int {
    if let index = names.firstIndex(of: name) { return index }
    guard names.count < Self.width else {
      throw NodeAutoscalingError(
        .tooManyResources, object: object(), field: field,
        message: "resource \(name) is one more than the \(Self.width) distinct resources the scheduler tracks (\(names.map(\.rawValue).joined(separator: ", ")))")
    }
    names.append(name)
    return names.count - 1
  }

  mutating func register(_ list: ResourceList, object: @autoclosure () -> String, field: String) throws(NodeAutoscalingError) {
    for (name, quantity) in list.quantities where !quantity.isZero {
      _ = try register(name, object: object(), field: field)
    }
  }

  /// Converts to milli-units per slot; zero amounts of unregistered resources are ignored.
  func vector(_ list: ResourceList, object: @autoclosure () -> String, field: String, allowNegative: Bool = false) throws(NodeAutoscalingError)
    -> ResourceVector
  {
    var result = ResourceVector()
    for (name, quantity) in list.quantities {
      if quantity.signum < 0 && !allowNegative {
        throw NodeAutoscalingError(
          .negativeResource, object: object(), field: "\(field).\(name)", message: "\(name) is \(quantity); resource amounts must not be negative")
      }
      if quantity.isZero { continue }
      guard let slot = slot(of: name) else { continue }
      let milli = quantity.milliValue
      result.values[slot] = Swift.min(Swift.max(milli, -ResourceVector.cap), ResourceVector.cap)
    }
    return result
  }

  func list(_ vector: ResourceVector, includeZero: Bool = false) -> ResourceList {
    var result = ResourceList()
    for (index, name) in names.enumerated() where includeZero || vector.values[index] != 0 {
      if vector.values[index] == ResourceVector.unlimited { continue }
      result[name] = Quantity(nanoValue: Int128(vector.values[index]) * 1_000_000)
    }
    return result
  }
}

/// Resource amounts in milli-units (millicores, milli-bytes, milli-pods) per ``ResourceSlots``
/// slot; integer arithmetic, no allocation.
struct ResourceVector: Hashable, Sendable {
  /// Amounts are clamped to this magnitude (≈ 1.15 PB in milli-bytes) so sums stay far from
  /// overflow.
  static let cap: Int64 = 1 << 60
  /// "No limit".
  static let unlimited: Int64 = .max
  var values = SIMD8<Int64>(repeating: 0)

  static let zero = ResourceVector()
  static let unlimitedVector = ResourceVector(values: SIMD8(repeating: unlimited))

  static func + (lhs: ResourceVector, rhs: ResourceVector) -> ResourceVector {
    ResourceVector(values: lhs.values &+ rhs.values)
  }
  static func - (lhs: ResourceVector, rhs: ResourceVector) -> ResourceVector {
    ResourceVector(values: lhs.values &- rhs.values)
  }
  static func += (lhs: inout ResourceVector, rhs: ResourceVector) { lhs.values &+= rhs.values }
  static func -= (lhs: inout ResourceVector, rhs: ResourceVector) { lhs.values &-= rhs.values }

  /// Whether every amount is at most the same slot of `capacity`, and `capacity` has no
  /// negative amount (`resources.Fits`).
  ///
  /// Requests are never negative, so a negative capacity slot already fails the comparison;
  /// the test is one subtraction and a sign check over the OR of the differences.
  @inline(__always)
  func fits(in capacity: ResourceVector) -> Bool {
    let difference = capacity.values &- values
    let half = difference.lowHalf | difference.highHalf
    let quarter = half.lowHalf | half.highHalf
    return (quarter[0] | quarter[1]) >= 0
  }

  func maximum(_ other: ResourceVector) -> ResourceVector {
    ResourceVector(values: pointwiseMax(values, other.values))
  }
  func minimum(_ other: ResourceVector) -> ResourceVector {
    ResourceVector(values: pointwiseMin(values, other.values))
  }

  /// Subtracts, leaving unlimited slots unlimited and saturating at `-cap`.
  func subtractingKeepingUnlimited(_ other: ResourceVector) -> ResourceVector {
    var result = self
    for index in 0..<ResourceSlots.width where result.values[index] != Self.unlimited {
      let (difference, overflow) = result.values[index].subtractingReportingOverflow(other.values[index])
      result.values[index] = overflow ? -Self.cap : Swift.max(difference, -Self.cap)
    }
    return result
  }

  var cpu: Int64 { values[0] }
  var memory: Int64 { values[1] }
}
