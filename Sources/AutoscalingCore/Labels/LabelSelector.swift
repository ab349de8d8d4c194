/// Labels on an object: key → value, e.g. `app: ml-model`.
public typealias Labels = [String: String]

/// A Kubernetes label selector: `matchLabels` and `matchExpressions`, all of which must hold.
///
/// An empty selector matches everything, as upstream's `LabelSelectorAsSelector` does.
public struct LabelSelector: Hashable, Sendable, Codable {
  /// One `matchExpressions` entry.
  public struct Requirement: Hashable, Sendable, Codable {
    /// A selector operator.
    public enum Operator: String, Hashable, Sendable, Codable {
      /// The label's value is one of `values`.
      case `in` = "In"
      /// The label is absent or its value is none of `values`.
      case notIn = "NotIn"
      /// The label is present.
      case exists = "Exists"
      /// The label is absent.
      case doesNotExist = "DoesNotExist"
    }

    /// The label key.
    public var key: String
    /// The operator.
    public var `operator`: Operator
    /// The values for `In` and `NotIn`; empty for `Exists` and `DoesNotExist`.
    public var values: [String]

    /// Creates a requirement.
    ///
    /// - Parameters:
    ///   - key: The label key.
    ///   - operator: The operator.
    ///   - values: The values (for `In` and `NotIn`).
    public init(key: String, operator: Operator, values: [String] = []) {
      self.key = key
      self.operator = `operator`
      self.values = values
    }

    /// Decodes a requirement; `values` is optional (absent for `Exists` and `DoesNotExist`).
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` on a wrong type or a missing key or operator.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      key = try container.decode(String.self, forKey: .key)
      self.operator = try container.decode(Operator.self, forKey: .operator)
      values = try container.decodeIfPresent([String].self, forKey: .values) ?? []
    }

    /// Whether `labels` satisfy this requirement.
    ///
    /// - Parameter labels: An object's labels.
    /// - Returns: `true` when the requirement holds.
    public func matches(_ labels: Labels) -> Bool {
      switch self.operator {
      case .in:
        guard let value = labels[key] else { return false }
        return values.contains(value)
      case .notIn:
        guard let value = labels[key] else { return true }
        return !values.contains(value)
      case .exists:
        return labels[key] != nil
      case .doesNotExist:
        return labels[key] == nil
      }
    }
  }

  /// Labels that must be present with exactly these values.
  public var matchLabels: Labels
  /// Further requirements.
  public var matchExpressions: [Requirement]

  /// Creates a selector.
  ///
  /// - Parameters:
  ///   - matchLabels: Labels that must match exactly.
  ///   - matchExpressions: Further requirements.
  public init(matchLabels: Labels = [:], matchExpressions: [Requirement] = []) {
    self.matchLabels = matchLabels
    self.matchExpressions = matchExpressions
  }

  /// Decodes `matchLabels` and `matchExpressions`, each optional.
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError` on a wrong type.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    matchLabels = try container.decodeIfPresent(Labels.self, forKey: .matchLabels) ?? [:]
    matchExpressions =
      try container.decodeIfPresent([Requirement].self, forKey: .matchExpressions) ?? []
  }

  /// Whether the selector matches everything.
  public var isEmpty: Bool { matchLabels.isEmpty && matchExpressions.isEmpty }

  /// Whether `labels` satisfy every label and expression of the selector.
  ///
  /// - Parameter labels: An object's labels.
  /// - Returns: `true` when all requirements hold.
  public func matches(_ labels: Labels) -> Bool {
    for (key, value) in matchLabels where labels[key] != value { return false }
    for requirement in matchExpressions where !requirement.matches(labels) { return false }
    return true
  }
}
