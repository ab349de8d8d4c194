public import AutoscalingCore

/// Requirements keyed by label key, where requirements on the same key intersect, as
/// upstream's `scheduling.Requirements`.
public struct Requirements: Hashable, Sendable, CustomStringConvertible {
  /// The requirement per key.
  public private(set) var byKey: [String: Requirement]

  /// Creates an empty set of requirements (everything allowed).
  public init() { byKey = [:] }

  /// Creates requirements, intersecting those that share a key.
  ///
  /// - Parameter requirements: The requirements.
  public init(_ requirements: some Sequence<Requirement>) {
    byKey = [:]
    for requirement in requirements { add(requirement) }
  }

  /// `key In [value]` for every label (`NewLabelRequirements`).
  ///
  /// - Parameter labels: Labels.
  /// - Returns: The requirements.
  public static func labels(_ labels: Labels) -> Requirements {
    var result = Requirements()
    for (key, value) in labels { result.add(.equal(WellKnownLabel.normalized(key), value)) }
    return result
  }

  /// Whether a requirement on `key` is present.
  ///
  /// - Parameter key: A label key.
  /// - Returns: `true` when present.
  public func has(_ key: String) -> Bool { byKey[key] != nil }

  /// The requirement on `key`, or `Exists` when absent (`Get`).
  ///
  /// - Parameter key: A label key.
  /// - Returns: The requirement.
  public func get(_ key: String) -> Requirement { byKey[key] ?? .exists(key) }

  /// Whether there are no requirements.
  public var isEmpty: Bool { byKey.isEmpty }

  /// The keys, sorted.
  public var keys: [String] { byKey.keys.sorted() }

  /// Adds a requirement, intersecting with any on the same key (`Add`).
  ///
  /// - Parameter requirement: The requirement.
  public mutating func add(_ requirement: Requirement) {
    // One lookup when merging (the value is replaced in place).
    if let index = byKey.index(forKey: requirement.key) {
      byKey.values[index] = byKey.values[index].intersection(requirement)
    } else {
      byKey[requirement.key] = requirement
    }
  }

  /// Adds every requirement of `other`.
  ///
  /// - Parameter other: Requirements.
  public mutating func add(_ other: Requirements) {
    for requirement in other.byKey.values { add(requirement) }
  }

  /// Removes the requirement on `key`.
  ///
  /// - Parameter key: A label key.
  public mutating func remove(_ key: String) { byKey[key] = nil }

  /// The first key on which the two sets of requirements share no value (`Intersects`); two
  /// negative requirements (`NotIn`/`DoesNotExist`) never conflict.
  ///
  /// - Parameter other: Requirements.
  /// - Returns: The conflicting key, or `nil` when they intersect.
  public func conflict(with other: Requirements) -> String? {
    let (small, large) = byKey.count <= other.byKey.count ? (byKey, other.byKey) : (other.byKey, byKey)
    var worst: String?
    for (key, a) in small {
      guard let b = large[key] else { continue }
      if a.intersects(b) { continue }
      if a.isNegative && b.isNegative { continue }
      if worst.map({ key < $0 }) ?? true { worst = key }
    }
    return worst
  }

  /// Whether the two sets of requirements share a value on every common key.
  ///
  /// - Parameter other: Requirements.
  /// - Returns: `true` when they intersect.
  public func intersects(_ other: Requirements) -> Bool { conflict(with: other) == nil }

  /// Why `incoming` cannot join these requirements, or `nil` when it can (`Compatible`): every
  /// key of `incoming` that is not allowed undefined must be defined here unless it is
  /// negative, and common keys must intersect.
  ///
  /// - Parameters:
  ///   - incoming: The requirements to add (a pod's).
  ///   - allowUndefined: Keys that may be undefined here.
  /// - Returns: The first problem found, or `nil`.
  public func incompatibility(with incoming: Requirements, allowUndefined: Set<String>) -> RequirementConflict? {
    var undefined: String?
    for (key, requirement) in incoming.byKey where byKey[key] == nil && !allowUndefined.contains(key) {
      if requirement.isNegative { continue }
      if undefined.map({ key < $0 }) ?? true { undefined = key }
    }
    if let undefined {
      return RequirementConflict(key: undefined, existing: nil, incoming: incoming.get(undefined))
    }
    if let key = conflict(with: incoming) {
      return RequirementConflict(key: key, existing: get(key), incoming: incoming.get(key))
    }
    return nil
  }

  /// Whether `incoming` is compatible with these requirements (see ``incompatibility(with:allowUndefined:)``).
  ///
  /// - Parameters:
  ///   - incoming: The requirements to add.
  ///   - allowUndefined: Keys that may be undefined here.
  /// - Returns: `true` when compatible.
  public func isCompatible(with incoming: Requirements, allowUndefined: Set<String>) -> Bool {
    incompatibility(with: incoming, allowUndefined: allowUndefined) == nil
  }

  /// Whether labels satisfy every requirement (a missing label satisfies only negative ones).
  ///
  /// - Parameter labels: Node labels.
  /// - Returns: `true` when all hold.
  public func matches(_ labels: Labels) -> Bool {
    for (key, requirement) in byKey {
      if let value = labels[key] {
        if !requirement.has(value) { return false }
      } else if !requirement.isNegative {
        return false
      }
    }
    return true
  }

  /// The requirements sorted by key, `; `-separated.
  public var description: String {
    keys.compactMap { byKey[$0]?.description }.joined(separator: ", ")
  }
}

/// Why two sets of requirements are incompatible: the key, and both sides.
public struct RequirementConflict: Hashable, Sendable, CustomStringConvertible {
  /// The label key.
  public var key: String
  /// The requirement already present, or `nil` when the key is undefined there.
  public var existing: Requirement?
  /// The requirement that did not fit.
  public var incoming: Requirement

  /// An upstream-style sentence, e.g. `label "gpu" does not have known values`.
  public var description: String {
    if let existing {
      return "incompatible requirements, key \(key), \(incoming) not in \(existing)"
    }
    return "label \"\(key)\" does not have known values"
  }
}
