public import AutoscalingCore

/// A Karpenter requirement operator: the node-selector operators plus `Gte` and `Lte`.
public enum RequirementOperator: String, Hashable, Sendable, CaseIterable {
  /// The value is one of the listed values.
  case `in` = "In"
  /// The value is absent or none of the listed values.
  case notIn = "NotIn"
  /// Any value.
  case exists = "Exists"
  /// No value.
  case doesNotExist = "DoesNotExist"
  /// An integer greater than the single listed value.
  case gt = "Gt"
  /// An integer less than the single listed value.
  case lt = "Lt"
  /// An integer greater than or equal to the single listed value.
  case gte = "Gte"
  /// An integer less than or equal to the single listed value.
  case lte = "Lte"

  /// Parses an operator name.
  ///
  /// - Parameters:
  ///   - name: The operator as written, e.g. `In`.
  ///   - object: The object named in an error.
  ///   - field: The field named in an error.
  /// - Returns: The operator.
  /// - Throws: ``NodeAutoscalingError/Kind/unknownOperator`` for any other spelling.
  public static func parse(_ name: String, object: String, field: String) throws(NodeAutoscalingError)
    -> RequirementOperator
  {
    guard let op = RequirementOperator(rawValue: name) else {
      throw NodeAutoscalingError(
        .unknownOperator, object: object, field: field,
        message: "unknown operator \"\(name)\"; expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte")
    }
    return op
  }
}

/// The set of values a label key may take: a (possibly complemented) set with optional integer
/// bounds and an optional `minValues`, as upstream's `scheduling.Requirement`.
///
/// `In` is a set, `NotIn` its complement, `Exists` the complement of the empty set,
/// `DoesNotExist` the empty set; `Gt n` is stored as a complement bounded below by `n + 1`.
public struct Requirement: Hashable, Sendable, CustomStringConvertible {
  /// The label key.
  public var key: String
  /// Whether `values` lists the excluded values (complement) rather than the allowed ones.
  public private(set) var isComplement: Bool
  /// The allowed (or, for a complement, excluded) values.
  public private(set) var values: Set<String>
  /// The smallest allowed integer value, if bounded.
  public private(set) var greaterThanOrEqual: Int64?
  /// The largest allowed integer value, if bounded.
  public private(set) var lessThanOrEqual: Int64?
  /// At least this many distinct values must remain among the instance-type options.
  public var minValues: Int?

  init(
    key: String, complement: Bool, values: Set<String>, gte: Int64? = nil, lte: Int64? = nil,
    minValues: Int? = nil
  ) {
    self.key = key
    self.isComplement = complement
    self.values = values
    self.greaterThanOrEqual = gte
    self.lessThanOrEqual = lte
    self.minValues = minValues
  }

  /// Creates a requirement from an operator and its values, as upstream's
  /// `NewRequirementWithFlexibility`.
  ///
  /// - Parameters:
  ///   - key: The label key (deprecated aliases are normalized).
  ///   - operator: The operator.
  ///   - values: The values; exactly one integer for `Gt`, `Lt`, `Gte` and `Lte`.
  ///   - minValues: The minimum number of distinct values, if any (at least 1).
  ///   - object: The object named in an error.
  ///   - field: The field named in an error.
  /// - Throws: ``NodeAutoscalingError`` when a bound is not a single integer, `In` has no
  ///   values, or `minValues` is below 1 or above the number of `In` values.
  public init(
    key: String, operator: RequirementOperator, values: [String] = [], minValues: Int? = nil,
    object: String = "requirement", field: String = "requirements"
  ) throws(NodeAutoscalingError) {
    let key = WellKnownLabel.normalized(key)
    if key.isEmpty {
      throw NodeAutoscalingError(.missingField, object: object, field: "\(field).key", message: "the key is empty")
    }
    if let minValues, minValues < 1 {
      throw NodeAutoscalingError(
        .invalidValue, object: object, field: "\(field).minValues", message: "minValues must be at least 1, got \(minValues)")
    }
    self.key = key
    self.minValues = minValues
    switch `operator` {
    case .in:
      if values.isEmpty {
        throw NodeAutoscalingError(
          .missingField, object: object, field: "\(field).values", message: "operator In on \(key) needs at least one value")
      }
      if let minValues, minValues > Set(values).count {
        throw NodeAutoscalingError(
          .invalidValue, object: object, field: "\(field).minValues",
          message: "minValues \(minValues) exceeds the \(Set(values).count) values listed for \(key)")
      }
      isComplement = false
      self.values = Set(values)
    case .notIn:
      isComplement = true
      self.values = Set(values)
    case .exists:
      isComplement = true
      self.values = []
    case .doesNotExist:
      isComplement = false
      self.values = []
    case .gt, .lt, .gte, .lte:
      guard values.count == 1, let bound = Int64(values[0]) else {
        throw NodeAutoscalingError(
          .invalidValue, object: object, field: "\(field).values",
          message: "operator \(`operator`.rawValue) on \(key) needs exactly one integer value, got \(values)")
      }
      isComplement = true
      self.values = []
      switch `operator` {
      case .gt:
        if bound == .max {
          isComplement = false
        } else {
          greaterThanOrEqual = bound + 1
        }
      case .lt:
        if bound == .min {
          isComplement = false
        } else {
          lessThanOrEqual = bound - 1
        }
      case .gte: greaterThanOrEqual = bound
      default: lessThanOrEqual = bound
      }
    }
  }

  /// Converts a Kubernetes node-selector requirement.
  ///
  /// - Parameters:
  ///   - requirement: The node-selector requirement.
  ///   - object: The object named in an error.
  ///   - field: The field named in an error.
  /// - Throws: ``NodeAutoscalingError`` as ``init(key:operator:values:minValues:object:field:)``.
  public init(_ requirement: NodeSelectorRequirement, object: String = "requirement", field: String = "requirements")
    throws(NodeAutoscalingError)
  {
    let op: RequirementOperator
    switch requirement.operator {
    case .in: op = .in
    case .notIn: op = .notIn
    case .exists: op = .exists
    case .doesNotExist: op = .doesNotExist
    case .gt: op = .gt
    case .lt: op = .lt
    }
    try self.init(
      key: requirement.key, operator: op, values: requirement.values, minValues: requirement.minValues,
      object: object, field: field)
  }

  /// `key In [value]`.
  ///
  /// - Parameters:
  ///   - key: The label key.
  ///   - value: The single allowed value.
  /// - Returns: The requirement.
  public static func equal(_ key: String, _ value: String) -> Requirement {
    Requirement(key: key, complement: false, values: [value])
  }

  /// `key In values`.
  ///
  /// - Parameters:
  ///   - key: The label key.
  ///   - values: The allowed values (empty gives `DoesNotExist`).
  /// - Returns: The requirement.
  public static func oneOf(_ key: String, _ values: some Sequence<String>) -> Requirement {
    Requirement(key: key, complement: false, values: Set(values))
  }

  /// `key Exists`.
  ///
  /// - Parameter key: The label key.
  /// - Returns: The requirement.
  public static func exists(_ key: String) -> Requirement { Requirement(key: key, complement: true, values: []) }

  /// `key DoesNotExist`.
  ///
  /// - Parameter key: The label key.
  /// - Returns: The requirement.
  public static func doesNotExist(_ key: String) -> Requirement {
    Requirement(key: key, complement: false, values: [])
  }

  /// The operator this value set reads as (`Operator()` upstream).
  public var `operator`: RequirementOperator {
    if isComplement {
      if !values.isEmpty { return .notIn }
      if greaterThanOrEqual != nil { return .gte }
      if lessThanOrEqual != nil { return .lte }
      return .exists
    }
    return values.isEmpty ? .doesNotExist : .in
  }

  /// Whether the operator is `NotIn` or `DoesNotExist` (a "negative" requirement).
  var isNegative: Bool {
    let op = self.operator
    return op == .notIn || op == .doesNotExist
  }

  /// The number of allowed values; a complement counts as practically unbounded (`Len()`).
  public var count: Int { isComplement ? Int.max - values.count : values.count }

  /// Whether no value is allowed.
  public var isEmpty: Bool { !isComplement && values.isEmpty }

  /// The allowed values in sorted order (for a complement, the excluded ones).
  public var sortedValues: [String] { values.sorted() }

  /// Whether `value` is allowed (`Has`).
  ///
  /// - Parameter value: A label value.
  /// - Returns: `true` when the value satisfies the requirement.
  public func has(_ value: String) -> Bool {
    if isComplement { return !values.contains(value) && withinBounds(value) }
    return values.contains(value) && withinBounds(value)
  }

  func withinBounds(_ value: String) -> Bool {
    if greaterThanOrEqual == nil && lessThanOrEqual == nil { return true }
    guard let number = Int64(value) else { return false }
    if let gte = greaterThanOrEqual, number < gte { return false }
    if let lte = lessThanOrEqual, number > lte { return false }
    return true
  }

  /// The values allowed by both requirements (`Intersection`); `minValues` takes the larger.
  ///
  /// - Parameter other: A requirement on the same key.
  /// - Returns: The intersection.
  public func intersection(_ other: Requirement) -> Requirement {
    let complement = isComplement && other.isComplement
    let gte = Self.maxOptional(greaterThanOrEqual, other.greaterThanOrEqual)
    let lte = Self.minOptional(lessThanOrEqual, other.lessThanOrEqual)
    let minValues = Self.maxOptionalInt(self.minValues, other.minValues)
    if let gte, let lte, gte > lte {
      return Requirement(key: key, complement: false, values: [], minValues: minValues)
    }
    var result: Set<String>
    switch (isComplement, other.isComplement) {
    case (true, true): result = values.union(other.values)
    case (true, false): result = other.values.subtracting(values)
    case (false, true): result = values.subtracting(other.values)
    case (false, false): result = values.intersection(other.values)
    }
    if gte != nil || lte != nil {
      if complement {
        // Bounds stay symbolic on a complement; values outside them need not be listed.
        result = result.filter { Int64($0).map { v in (gte.map { v >= $0 } ?? true) && (lte.map { v <= $0 } ?? true) } ?? false }
      } else {
        result = result.filter { Self.inBounds($0, gte, lte) }
      }
    }
    return Requirement(
      key: key, complement: complement, values: result, gte: complement ? gte : nil,
      lte: complement ? lte : nil, minValues: minValues)
  }

  static func inBounds(_ value: String, _ gte: Int64?, _ lte: Int64?) -> Bool {
    if gte == nil && lte == nil { return true }
    guard let number = Int64(value) else { return false }
    if let gte, number < gte { return false }
    if let lte, number > lte { return false }
    return true
  }

  /// Whether the two requirements share at least one value.
  ///
  /// - Parameter other: A requirement on the same key.
  /// - Returns: `true` when the intersection is non-empty.
  public func intersects(_ other: Requirement) -> Bool {
    if !isComplement && !other.isComplement {
      let (small, large) = values.count <= other.values.count ? (self, other) : (other, self)
      for value in small.values where large.has(value) && small.withinBounds(value) { return true }
      return false
    }
    if !isComplement {
      for value in values where other.has(value) && withinBounds(value) { return true }
      return false
    }
    if !other.isComplement {
      for value in other.values where has(value) && other.withinBounds(value) { return true }
      return false
    }
    return intersection(other).count > 0
  }

  private static func maxOptional(_ a: Int64?, _ b: Int64?) -> Int64? {
    guard let a else { return b }
    guard let b else { return a }
    return Swift.max(a, b)
  }
  private static func minOptional(_ a: Int64?, _ b: Int64?) -> Int64? {
    guard let a else { return b }
    guard let b else { return a }
    return Swift.min(a, b)
  }
  private static func maxOptionalInt(_ a: Int?, _ b: Int?) -> Int? {
    guard let a else { return b }
    guard let b else { return a }
    return Swift.max(a, b)
  }

  /// `key Operator [values]`, e.g. `topology.kubernetes.io/zone In [a b]`.
  public var description: String {
    switch self.operator {
    case .in, .notIn: return "\(key) \(self.operator.rawValue) [\(sortedValues.joined(separator: " "))]"
    case .gte:
      if let lte = lessThanOrEqual {
        return "\(key) Gte \(greaterThanOrEqual ?? 0) Lte \(lte)"
      }
      return "\(key) Gte \(greaterThanOrEqual ?? 0)"
    case .lte: return "\(key) Lte \(lessThanOrEqual ?? 0)"
    default: return "\(key) \(self.operator.rawValue)"
    }
  }
}
