/// One node-selector requirement (`key`, `operator`, `values`), as in node affinity and
/// Karpenter NodePool requirements.
public struct NodeSelectorRequirement: Hashable, Sendable, Codable {
  /// A node-selector operator.
  public enum Operator: String, Hashable, Sendable, Codable {
    /// The label's value is one of `values`.
    case `in` = "In"
    /// The label is absent or its value is none of `values`.
    case notIn = "NotIn"
    /// The label is present.
    case exists = "Exists"
    /// The label is absent.
    case doesNotExist = "DoesNotExist"
    /// The label's value, read as an integer, is greater than the single value.
    case gt = "Gt"
    /// The label's value, read as an integer, is less than the single value.
    case lt = "Lt"
  }

  /// The label key, e.g. `karpenter.sh/capacity-type`.
  public var key: String
  /// The operator.
  public var `operator`: Operator
  /// The values (one integer for `Gt` and `Lt`).
  public var values: [String]
  /// Karpenter's `minValues`: at least this many distinct values must remain available.
  public var minValues: Int?

  /// Creates a requirement.
  ///
  /// - Parameters:
  ///   - key: The label key.
  ///   - operator: The operator.
  ///   - values: The values.
  ///   - minValues: Karpenter's minimum number of distinct values, if any.
  public init(key: String, operator: Operator, values: [String] = [], minValues: Int? = nil) {
    self.key = key
    self.operator = `operator`
    self.values = values
    self.minValues = minValues
  }

  /// Decodes a requirement; `values` and `minValues` are optional.
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError` on a wrong type or missing key or operator.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    key = try container.decode(String.self, forKey: .key)
    self.operator = try container.decode(Operator.self, forKey: .operator)
    values = try container.decodeIfPresent([String].self, forKey: .values) ?? []
    minValues = try container.decodeIfPresent(Int.self, forKey: .minValues)
  }

  /// Whether a node with `labels` satisfies this requirement, as upstream's node affinity.
  ///
  /// - Parameter labels: The node's labels.
  /// - Returns: `true` when the requirement holds.
  public func matches(_ labels: Labels) -> Bool {
    let value = labels[key]
    switch self.operator {
    case .in: return value.map(values.contains) ?? false
    case .notIn: return value.map { !values.contains($0) } ?? true
    case .exists: return value != nil
    case .doesNotExist: return value == nil
    case .gt, .lt:
      guard let value, let actual = Int64(value), values.count == 1, let bound = Int64(values[0])
      else { return false }
      return self.operator == .gt ? actual > bound : actual < bound
    }
  }
}

/// A node-selector term: all its requirements must hold (terms in a list are ORed).
public struct NodeSelectorTerm: Hashable, Sendable, Codable {
  /// Requirements on node labels.
  public var matchExpressions: [NodeSelectorRequirement]

  /// Creates a term.
  ///
  /// - Parameter matchExpressions: Requirements that must all hold.
  public init(matchExpressions: [NodeSelectorRequirement] = []) {
    self.matchExpressions = matchExpressions
  }

  /// Decodes a term; `matchExpressions` is optional (`matchFields` is ignored).
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError` on a wrong type.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    matchExpressions =
      try container.decodeIfPresent([NodeSelectorRequirement].self, forKey: .matchExpressions) ?? []
  }

  /// Whether a node with `labels` satisfies every requirement of the term.
  ///
  /// - Parameter labels: The node's labels.
  /// - Returns: `true` when all requirements hold.
  public func matches(_ labels: Labels) -> Bool {
    matchExpressions.allSatisfy { $0.matches(labels) }
  }
}
