import AutoscalingCore

/// The kind of a topology group (`TopologyType`).
enum TopologyKind: UInt8, Hashable, Sendable {
  case spread
  case affinity
  case antiAffinity
}

/// What identifies a topology group (`TopologyGroup.Hash`).
struct TopologyGroupKey: Hashable, Sendable {
  var kind: TopologyKind
  var key: String
  var namespace: String
  var selector: LabelSelector
  var maxSkew: Int
  var minDomains: Int?
  /// For spread: the owner's node filter (ORed terms of its strict node requirements).
  var nodeFilter: [Requirements]
  /// Inverse anti-affinity groups count the owners, and constrain the pods they select.
  var inverse: Bool

  /// Hashes one digest of the kind, key and namespace lengths, the selector's labels, the skew
  /// and the number of node-filter terms (equality still compares every field): hashing the
  /// selector and node filter entry by entry cost more than the lookups it serves.
  func hash(into hasher: inout Hasher) {
    var digest = UInt64(kind.rawValue) | (inverse ? 0x100 : 0)
    func mix(_ value: UInt64) { digest = (digest ^ value) &* 0x0000_0100_0000_01B3 }
    mix(UInt64(truncatingIfNeeded: key.utf8.count))
    mix(UInt64(truncatingIfNeeded: namespace.utf8.count))
    mix(labelsDigest(selector.matchLabels))
    mix(UInt64(truncatingIfNeeded: selector.matchExpressions.count))
    mix(UInt64(truncatingIfNeeded: maxSkew))
    mix(UInt64(truncatingIfNeeded: minDomains ?? -1))
    mix(UInt64(truncatingIfNeeded: nodeFilter.count))
    hasher.combine(digest)
  }
}

/// Pod counts per topology domain for one constraint (`TopologyGroup`). Hostname domains are
/// host ids (existing node index, then NodeClaim index), other keys domain strings.
struct TopologyGroup: Sendable {
  var id: TopologyGroupKey
  var isHostname: Bool
  var counts: [String: Int32] = [:]
  var domainOrder: [String] = []
  var hostCounts: [Int32] = []
  var hostTotal: Int32 = 0

  init(id: TopologyGroupKey, universe: [String]) {
    self.id = id
    isHostname = id.key == WellKnownLabel.hostname
    if !isHostname {
      for domain in universe where counts[domain] == nil {
        counts[domain] = 0
      }
      domainOrder = counts.keys.sorted()
    }
  }

  func selects(_ pod: Pod) -> Bool {
    selects(namespace: pod.namespace, labels: pod.template.labels)
  }

  /// Whether a pod in `namespace` with `labels` is counted.
  func selects(namespace: String, labels: Labels) -> Bool {
    namespace == id.namespace && id.selector.matches(labels)
  }

  @inline(__always)
  func hostCount(_ host: Int) -> Int32 { host < hostCounts.count ? hostCounts[host] : 0 }

  mutating func recordHost(_ host: Int, by amount: Int32 = 1) {
    if host >= hostCounts.count {
      hostCounts.append(contentsOf: repeatElement(0, count: host - hostCounts.count + 1))
    }
    hostCounts[host] += amount
    hostTotal += amount
  }

  mutating func register(domain: String) {
    if counts[domain] == nil {
      counts[domain] = 0
      let index = domainOrder.firstIndex { $0 > domain } ?? domainOrder.endIndex
      domainOrder.insert(domain, at: index)
    }
  }

  mutating func record(domain: String, by amount: Int32 = 1) {
    register(domain: domain)
    counts[domain, default: 0] += amount
  }

  /// Whether a node with these requirements passes the spread's node filter.
  func nodeFilterMatches(_ requirements: Requirements) -> Bool {
    if id.nodeFilter.isEmpty { return true }
    for term in id.nodeFilter where requirements.intersects(term) { return true }
    return false
  }

  func nodeFilterMatches(labels: Labels) -> Bool {
    if id.nodeFilter.isEmpty { return true }
    for term in id.nodeFilter where term.matches(labels) { return true }
    return false
  }

  // MARK: Domain choice (non-hostname keys)

  private func domainMinCount(_ podDomains: Requirement) -> Int32 {
    var minimum = Int32.max
    var supported = 0
    for domain in domainOrder where podDomains.has(domain) {
      supported += 1
      if let count = counts[domain], count < minimum { minimum = count }
    }
    if let minDomains = id.minDomains, supported < minDomains { minimum = 0 }
    return minimum
  }

  /// `nextDomainTopologySpread`: the valid domain with the lowest count (ties to the first in
  /// domain order), or `DoesNotExist`.
  func nextDomainSpread(selfSelecting: Bool, podDomains: Requirement, nodeDomains: Requirement) -> Requirement {
    let minimum = domainMinCount(podDomains)
    var best: String?
    var bestCount = Int32.max
    let skew = Int64(id.maxSkew)
    func consider(_ domain: String) {
      guard let base = counts[domain] else { return }
      let count = base + (selfSelecting ? 1 : 0)
      if Int64(count) - Int64(minimum) <= skew && count < bestCount {
        best = domain
        bestCount = count
      }
    }
    if nodeDomains.operator == .in {
      for domain in nodeDomains.sortedValues { consider(domain) }
    } else {
      for domain in domainOrder where nodeDomains.has(domain) { consider(domain) }
    }
    guard let best else { return .doesNotExist(id.key) }
    return .equal(id.key, best)
  }

  /// `nextDomainAffinity`: domains already holding a matching pod; a self-selecting pod with
  /// none may bootstrap one (preferring the node's domains).
  func nextDomainAffinity(selfSelecting: Bool, podDomains: Requirement, nodeDomains: Requirement) -> Requirement {
    var options: [String] = []
    for domain in domainOrder where (counts[domain] ?? 0) > 0 && podDomains.has(domain) { options.append(domain) }
    if options.isEmpty && selfSelecting {
      if let domain = domainOrder.first(where: { podDomains.has($0) && nodeDomains.has($0) }) {
        options = [domain]
      } else if nodeDomains.operator == .in, let domain = nodeDomains.sortedValues.first(where: { podDomains.has($0) }) {
        options = [domain]
      } else if let domain = domainOrder.first(where: { podDomains.has($0) }) {
        options = [domain]
      }
    }
    return .oneOf(id.key, options)
  }

  /// The domains `d` of `domainOrder` (in that order) whose single-domain node requirement
  /// `key In [d]` the pod may take: those for which `nextDomainSpread`, `nextDomainAffinity` or
  /// `nextDomainAntiAffinity` with `nodeDomains = key In [d]` allows `d`, decided without
  /// building a requirement per domain (the counts do not change between the domains).
  func domainsAllowingSingle(selfSelecting: Bool, podDomains: Requirement) -> [String] {
    var allowed: [String] = []
    switch id.kind {
    case .spread:
      // `nextDomainSpread` over the single domain: it is chosen when its count (plus the pod)
      // is within maxSkew of the minimum.
      let minimum = domainMinCount(podDomains)
      let skew = Int64(id.maxSkew)
      for domain in domainOrder {
        guard let base = counts[domain] else { continue }
        let count = base + (selfSelecting ? 1 : 0)
        if Int64(count) - Int64(minimum) <= skew && count < Int32.max { allowed.append(domain) }
      }
    case .affinity:
      // Domains holding a matching pod; with none, a self-selecting pod may bootstrap any
      // domain its own requirements allow (the single node domain is preferred).
      var someHeld = false
      for domain in domainOrder where (counts[domain] ?? 0) > 0 && podDomains.has(domain) {
        someHeld = true
        break
      }
      for domain in domainOrder where podDomains.has(domain) {
        if someHeld ? (counts[domain] ?? 0) > 0 : selfSelecting { allowed.append(domain) }
      }
    case .antiAffinity:
      for domain in domainOrder where (counts[domain] ?? 0) == 0 && podDomains.has(domain) { allowed.append(domain) }
    }
    return allowed
  }

  /// `nextDomainAntiAffinity`: the domains holding no matching pod.
  func nextDomainAntiAffinity(podDomains: Requirement) -> Requirement {
    var options: [String] = []
    for domain in domainOrder where (counts[domain] ?? 0) == 0 && podDomains.has(domain) { options.append(domain) }
    return .oneOf(id.key, options)
  }
}
