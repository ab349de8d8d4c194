/// A node taint: pods that do not tolerate it are kept off (or evicted from) the node.
public struct Taint: Hashable, Sendable, Codable {
  /// What a taint does to pods that do not tolerate it.
  public enum Effect: String, Hashable, Sendable, Codable {
    /// New pods are not scheduled onto the node.
    case noSchedule = "NoSchedule"
    /// The scheduler avoids the node when it can.
    case preferNoSchedule = "PreferNoSchedule"
    /// Running pods are evicted, and new pods are not scheduled.
    case noExecute = "NoExecute"
  }

  /// The taint key, e.g. `nvidia.com/gpu`.
  public var key: String
  /// The taint value (may be empty).
  public var value: String
  /// The effect.
  public var effect: Effect

  /// Creates a taint.
  ///
  /// - Parameters:
  ///   - key: The key.
  ///   - value: The value (may be empty).
  ///   - effect: The effect.
  public init(key: String, value: String = "", effect: Effect) {
    self.key = key
    self.value = value
    self.effect = effect
  }

  /// Decodes a taint; `value` is optional.
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError` on a wrong type or missing key or effect.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    key = try container.decode(String.self, forKey: .key)
    value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
    effect = try container.decode(Effect.self, forKey: .effect)
  }
}

/// A pod toleration of node taints.
public struct Toleration: Hashable, Sendable, Codable {
  /// How a toleration matches a taint's value.
  public enum Operator: String, Hashable, Sendable, Codable {
    /// Key (when set) and value must be equal.
    case equal = "Equal"
    /// Any value; an empty key with `Exists` tolerates every taint.
    case exists = "Exists"
  }

  /// The key to tolerate; empty with ``Operator/exists`` means every key.
  public var key: String
  /// The operator (upstream's default is `Equal`).
  public var `operator`: Operator
  /// The value to match with `Equal`.
  public var value: String
  /// The effect to tolerate; `nil` tolerates every effect.
  public var effect: Taint.Effect?
  /// For `NoExecute`, how long (seconds) the pod stays bound after the taint appears.
  public var tolerationSeconds: Int64?

  /// Creates a toleration.
  ///
  /// - Parameters:
  ///   - key: The key (empty with `exists` means every key).
  ///   - operator: The operator.
  ///   - value: The value for `equal`.
  ///   - effect: The effect, or `nil` for all.
  ///   - tolerationSeconds: Seconds a `NoExecute` taint is tolerated, or `nil` for ever.
  public init(
    key: String = "", operator: Operator = .equal, value: String = "", effect: Taint.Effect? = nil,
    tolerationSeconds: Int64? = nil
  ) {
    self.key = key
    self.operator = `operator`
    self.value = value
    self.effect = effect
    self.tolerationSeconds = tolerationSeconds
  }

  /// Decodes a toleration with upstream's defaults (operator `Equal`, empty key and value).
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError` on a wrong type.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    key = try container.decodeIfPresent(String.self, forKey: .key) ?? ""
    self.operator = try container.decodeIfPresent(Operator.self, forKey: .operator) ?? .equal
    value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
    effect = try container.decodeIfPresent(Taint.Effect.self, forKey: .effect)
    tolerationSeconds = try container.decodeIfPresent(Int64.self, forKey: .tolerationSeconds)
  }

  /// Whether this toleration tolerates `taint`, as upstream's `ToleratesTaint`.
  ///
  /// - Parameter taint: A node taint.
  /// - Returns: `true` when the taint is tolerated.
  public func tolerates(_ taint: Taint) -> Bool {
    if let effect, effect != taint.effect { return false }
    if !key.isEmpty && key != taint.key { return false }
    switch self.operator {
    case .exists: return true
    case .equal: return value == taint.value
    }
  }
}

extension Sequence<Toleration> {
  /// Whether some toleration in the sequence tolerates `taint`.
  ///
  /// - Parameter taint: A node taint.
  /// - Returns: `true` when at least one toleration matches.
  public func tolerate(_ taint: Taint) -> Bool { contains { $0.tolerates(taint) } }
}
