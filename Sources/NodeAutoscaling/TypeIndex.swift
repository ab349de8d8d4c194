/// The prepared instance types indexed by their label requirements and offerings, so the types
/// compatible with a set of requirements come out of a few bitset operations rather than a
/// requirement check per type.
///
/// For each label key of some type's requirements, the types are split into those without the
/// key, those whose requirement is a single value (`key In [v]`, by value) and those with any
/// other requirement (grouped by that requirement, checked the plain way: there are few). A
/// requirement on the key then selects: the types without the key (a key a type does not define
/// never conflicts), the single-valued types whose value it allows, and the groups it
/// intersects. Offerings are indexed by their available (zone, capacity type) pairs.
///
/// The result equals, type by type, `type.requirements.intersects(requirements)` and "some
/// available offering is compatible with `requirements`" (upstream's `Compatible` filter in
/// `filterInstanceTypesByRequirements`).
struct TypeIndex: Sendable {
  /// Words per bitset (one bit per type, `(types + 63) / 64` words).
  let wordCount: Int
  /// Every type.
  let all: [UInt64]
  /// Per label key defined by at least one type.
  let keys: [String: KeyIndex]
  /// The available (zone, capacity type) pairs and the types offering each.
  let offerings: [OfferingPair]
  /// Every type's offerings, flat: type `t`'s are positions `offeringStart[t]..<offeringStart[t + 1]`
  /// (in the type's order), with the position in `offerings` of each (-1 when it is not
  /// available), its price (USD per hour) and its capacity type's launch priority.
  let offeringStart: [Int32]
  let offeringPair: [Int32]
  let offeringPrice: [Double]
  let offeringSlot: [UInt8]

  /// The types of one (zone, capacity type) pair of available offerings.
  struct OfferingPair: Sendable {
    var zone: String
    var capacityType: String
    var bits: [UInt64]
  }

  /// The types' requirements on one label key.
  struct KeyIndex: Sendable {
    /// Types that do not define the key.
    var lacking: [UInt64]
    /// Per value: the types whose requirement is exactly `key In [value]`.
    var single: [String: [UInt64]]
    /// The union of `single`.
    var allSingle: [UInt64]
    /// The values of `single` that parse as integers, ascending (ties by value text).
    var numericValues: [Int64]
    /// `numericPrefix[i]`: the union of `single` over the first `i` of `numericValues`'
    /// values (one more entry than values).
    var numericPrefix: [[UInt64]]
    /// Other requirements on the key (several values, a complement, no value) and their types.
    var others: [(requirement: Requirement, bits: [UInt64])]
  }

  /// Indexes `types` (bit `i` is `types[i]`).
  init(types: [TypeInfo]) {
    let words = (types.count + 63) / 64
    wordCount = words
    var all = [UInt64](repeating: 0, count: words)
    for index in types.indices { all[index >> 6] |= 1 << UInt64(index & 63) }
    self.all = all
    // Per key: the requirement of each type defining it.
    var byKey: [String: [(type: Int, requirement: Requirement)]] = [:]
    for (index, info) in types.enumerated() {
      for (key, requirement) in info.requirements.byKey { byKey[key, default: []].append((index, requirement)) }
    }
    var keys: [String: KeyIndex] = [:]
    keys.reserveCapacity(byKey.count)
    for (key, entries) in byKey {
      var lacking = all
      var single: [String: [UInt64]] = [:]
      var allSingle = [UInt64](repeating: 0, count: words)
      var others: [Requirement: [UInt64]] = [:]
      var otherOrder: [Requirement] = []
      for (index, requirement) in entries {
        let word = index >> 6
        let bit: UInt64 = 1 << UInt64(index & 63)
        lacking[word] &= ~bit
        if Self.isPlainSingle(requirement), let value = requirement.values.first {
          single[value, default: [UInt64](repeating: 0, count: words)][word] |= bit
          allSingle[word] |= bit
        } else {
          if others[requirement] == nil { otherOrder.append(requirement) }
          others[requirement, default: [UInt64](repeating: 0, count: words)][word] |= bit
        }
      }
      let numeric = single.keys.compactMap { value in Int64(value).map { (number: $0, value: value) } }
        .sorted { $0.number != $1.number ? $0.number < $1.number : $0.value < $1.value }
      var prefix: [[UInt64]] = [[UInt64](repeating: 0, count: words)]
      prefix.reserveCapacity(numeric.count + 1)
      for entry in numeric {
        var next = prefix[prefix.count - 1]
        if let bits = single[entry.value] { Self.formUnion(&next, bits) }
        prefix.append(next)
      }
      keys[key] = KeyIndex(
        lacking: lacking, single: single, allSingle: allSingle, numericValues: numeric.map(\.number), numericPrefix: prefix,
        others: otherOrder.map { ($0, others[$0] ?? []) })
    }
    self.keys = keys
    var pairs: [OfferingPair] = []
    var pairIndex: [String: [String: Int]] = [:]
    var start: [Int32] = [0]
    var positions: [Int32] = []
    var prices: [Double] = []
    var slots: [UInt8] = []
    for (index, info) in types.enumerated() {
      for offering in info.type.offerings {
        prices.append(offering.price)
        slots.append(UInt8(offering.capacityType.launchPriority))
        guard offering.available else {
          positions.append(-1)
          continue
        }
        let capacityType = offering.capacityType.rawValue
        let position: Int
        if let known = pairIndex[offering.zone]?[capacityType] {
          position = known
        } else {
          position = pairs.count
          pairIndex[offering.zone, default: [:]][capacityType] = position
          pairs.append(OfferingPair(zone: offering.zone, capacityType: capacityType, bits: [UInt64](repeating: 0, count: words)))
        }
        pairs[position].bits[index >> 6] |= 1 << UInt64(index & 63)
        positions.append(Int32(position))
      }
      start.append(Int32(positions.count))
    }
    offerings = pairs
    offeringStart = start
    offeringPair = positions
    offeringPrice = prices
    offeringSlot = slots
  }

  /// Whether a type's requirement is `In [v]` with one value and no integer bounds (the case
  /// where it intersects a requirement exactly when that requirement allows `v`).
  static func isPlainSingle(_ requirement: Requirement) -> Bool {
    !requirement.isComplement && requirement.values.count == 1 && requirement.greaterThanOrEqual == nil
      && requirement.lessThanOrEqual == nil
  }

  @inline(__always)
  static func formUnion(_ target: inout [UInt64], _ other: [UInt64]) {
    for word in target.indices { target[word] |= other[word] }
  }

  @inline(__always)
  static func formIntersection(_ target: inout [UInt64], _ other: [UInt64]) {
    for word in target.indices { target[word] &= other[word] }
  }

  /// The types whose requirements intersect `requirements` and that have an available offering
  /// compatible with them.
  func compatible(with requirements: Requirements) -> [UInt64] {
    var result = offeringMask(zone: requirements.byKey[WellKnownLabel.zone], capacityType: requirements.byKey[WellKnownLabel.capacityType])
    var scratch = [UInt64](repeating: 0, count: wordCount)
    for (key, requirement) in requirements.byKey {
      guard let index = keys[key] else { continue }
      mask(index, requirement, into: &scratch)
      Self.formIntersection(&result, scratch)
    }
    return result
  }

  /// The types with an available offering in an allowed zone of an allowed capacity type.
  func offeringMask(zone: Requirement?, capacityType: Requirement?) -> [UInt64] {
    var result = [UInt64](repeating: 0, count: wordCount)
    for pair in offerings {
      if let zone, !zone.has(pair.zone) { continue }
      if let capacityType, !capacityType.has(pair.capacityType) { continue }
      Self.formUnion(&result, pair.bits)
    }
    return result
  }

  /// The types that do not conflict with `requirement` on its key, written to `result` (of
  /// `wordCount` words).
  func mask(_ index: KeyIndex, _ requirement: Requirement, into result: inout [UInt64]) {
    for word in result.indices { result[word] = index.lacking[word] }
    for other in index.others where other.requirement.intersects(requirement) || (other.requirement.isNegative && requirement.isNegative) {
      Self.formUnion(&result, other.bits)
    }
    if !requirement.isComplement {
      for value in requirement.values where requirement.has(value) {
        if let bits = index.single[value] { Self.formUnion(&result, bits) }
      }
      return
    }
    let gte = requirement.greaterThanOrEqual
    let lte = requirement.lessThanOrEqual
    if gte == nil && lte == nil {
      Self.formUnion(&result, index.allSingle)
    } else {
      // The integer values within the bounds: a range of the sorted values.
      let low = gte.map { bound in Self.firstIndex(in: index.numericValues) { $0 >= bound } } ?? 0
      let high = lte.map { bound in Self.firstIndex(in: index.numericValues) { $0 > bound } } ?? index.numericValues.count
      if low < high {
        let upper = index.numericPrefix[high]
        let lower = index.numericPrefix[low]
        for word in result.indices { result[word] |= upper[word] & ~lower[word] }
      }
    }
    // Excluded values (single-valued types are in no other part of the result).
    for value in requirement.values {
      if let bits = index.single[value] {
        for word in result.indices { result[word] &= ~bits[word] }
      }
    }
  }

  /// The first position in ascending `values` where `predicate` holds (it must hold from there on).
  static func firstIndex(in values: [Int64], where predicate: (Int64) -> Bool) -> Int {
    var low = 0
    var high = values.count
    while low < high {
      let middle = (low + high) / 2
      if predicate(values[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
  }
}
