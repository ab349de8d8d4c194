import AutoscalingCore

/// What relaxation has left of a pod's soft constraints (`Preferences`).
struct PreferenceState: Sendable {
  var requiredTermOffset = 0
  var preferredNodeTerms: [WeightedNodeSelectorTerm] = []
  var preferredPodAffinity: [WeightedPodAffinityTerm] = []
  var preferredPodAntiAffinity: [WeightedPodAffinityTerm] = []
  var scheduleAnywaySpreads: [Int] = []
  var toleratePreferNoSchedule = false
}

/// A pod being scheduled, with cached requirements and topology ownership (`PodData`).
struct PodData: Sendable {
  var podIndex: Int
  var requests: ResourceVector
  var requirements = Requirements()
  var strictRequirements = Requirements()
  var preferences = PreferenceState()
  var ownedGroups: [Int] = []
  var ownedInverseGroups: [Int] = []
  var selectingInverseGroups: [Int] = []
  var countingGroups: [Int] = []
  var invalidReason: String?
  var fromDeletingNode = false
  var hasHostPorts = false
  /// Whether any owned or selecting group is on a non-hostname key.
  var hasDomainGroups = false
}

/// What a pod's cached scheduling data depends on besides its requests: every field
/// ``Scheduler/initialPreferences(_:policy:)`` and ``Scheduler/refresh(_:creatingGroups:rescheduled:cache:)``
/// read (not the labels, containers or tolerations), so pods equal here share requirements,
/// preferences and topology groups.
struct PodShape: Hashable {
  var namespace: String
  var nodeSelector: Labels
  var requiredNodeAffinity: [NodeSelectorTerm]
  var preferredNodeAffinity: [WeightedNodeSelectorTerm]
  var topologySpreadConstraints: [TopologySpreadConstraint]
  var requiredPodAffinity: [PodAffinityTerm]
  var requiredPodAntiAffinity: [PodAffinityTerm]
  var spreadMinDomains: [Int?]
  var preferredPodAffinity: [WeightedPodAffinityTerm]
  var preferredPodAntiAffinity: [WeightedPodAffinityTerm]

  init(_ pod: Pod) {
    namespace = pod.namespace
    nodeSelector = pod.template.nodeSelector
    requiredNodeAffinity = pod.template.requiredNodeAffinity
    preferredNodeAffinity = pod.template.preferredNodeAffinity
    topologySpreadConstraints = pod.template.topologySpreadConstraints
    requiredPodAffinity = pod.template.requiredPodAffinity
    requiredPodAntiAffinity = pod.template.requiredPodAntiAffinity
    spreadMinDomains = pod.spreadMinDomains
    preferredPodAffinity = pod.preferredPodAffinity
    preferredPodAntiAffinity = pod.preferredPodAntiAffinity
  }
}

extension PodShape {
  /// Hashes one digest of the namespace, the topology keys, skews and selector labels, and the
  /// number of everything else (equality still compares every field): cheaper than hashing
  /// each dictionary and term, and shapes that differ mostly differ there.
  func hash(into hasher: inout Hasher) {
    var digest = UInt64(truncatingIfNeeded: namespace.utf8.count)
    func mix(_ value: UInt64) { digest = (digest ^ value) &* 0x0000_0100_0000_01B3 }
    mix(UInt64(nodeSelector.count))
    mix(UInt64(requiredNodeAffinity.count))
    mix(UInt64(preferredNodeAffinity.count))
    mix(UInt64(topologySpreadConstraints.count))
    for constraint in topologySpreadConstraints {
      mix(UInt64(truncatingIfNeeded: constraint.topologyKey.utf8.count))
      mix(UInt64(truncatingIfNeeded: constraint.maxSkew))
      mix(labelsDigest(constraint.labelSelector.matchLabels))
    }
    mix(UInt64(requiredPodAffinity.count))
    for term in requiredPodAffinity {
      mix(UInt64(truncatingIfNeeded: term.topologyKey.utf8.count))
      mix(labelsDigest(term.labelSelector.matchLabels))
    }
    mix(UInt64(requiredPodAntiAffinity.count))
    for term in requiredPodAntiAffinity {
      mix(UInt64(truncatingIfNeeded: term.topologyKey.utf8.count))
      mix(labelsDigest(term.labelSelector.matchLabels))
    }
    mix(UInt64(spreadMinDomains.count))
    mix(UInt64(preferredPodAffinity.count))
    mix(UInt64(preferredPodAntiAffinity.count))
    hasher.combine(digest)
  }
}

/// What decides which topology groups select a pod.
struct PodSelectionKey: Hashable {
  var namespace: String
  var labels: Labels

  /// Hashes the namespace and an order-independent digest of the labels (equality compares
  /// them in full).
  func hash(into hasher: inout Hasher) {
    hasher.combine(namespace)
    hasher.combine(labelsDigest(labels))
  }
}

/// An order-independent FNV-1a digest of a label map (equal maps give equal digests), cheaper
/// than hashing the dictionary entry by entry with a fresh hasher each.
func labelsDigest(_ labels: Labels) -> UInt64 {
  func fnv(_ text: String, _ seed: UInt64) -> UInt64 {
    var hash = seed
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return hash
  }
  var digest = UInt64(labels.count)
  for (key, value) in labels {
    digest &+= fnv(value, fnv(key, 0xCBF2_9CE4_8422_2325) ^ 0xFF)
  }
  return digest
}

/// A NodeClaim being packed (`scheduling.NodeClaim`).
struct Claim: Sendable {
  var template: Int
  var host: Int
  var requirements: Requirements
  var options: [Int32]
  var requests: ResourceVector
  var pods: [Int32] = []
  var ports: [Int] = []
  var minValuesRelaxed = false
  /// The zone once the requirements collapse to one (cached for the in-flight scan).
  var zone: String?
  /// The claim's list in ``Scheduler/zoneBuckets``: 0 while it has no single zone, else
  /// 1 + the zone's id in ``Scheduler/zoneNames``.
  var zoneSlot = 0
}

/// One scheduling simulation (`Scheduler.Solve`) over a ``SchedulingContext``, with some nodes
/// excluded (consolidation candidates).
struct Scheduler {
  let context: SchedulingContext
  let isConsolidation: Bool
  var existingOrder: [Int] = []
  var existingRemaining: [ResourceVector]
  var existingPorts: [[Int]]
  var existingPods: [[Int32]]
  var claims: [Claim] = []
  /// NodeClaim indices by pod count (the in-flight scan's order: fewest pods first, then by
  /// index), each list ascending.
  var buckets: [[Int32]] = [[]]
  /// The same lists split by the claim's single zone (``Claim/zoneSlot``), so pods whose
  /// zone constraints rule zones out skip those claims without visiting them.
  var zoneBuckets: [[[Int32]]] = [[[]]]
  /// Zone names by id (slot − 1), and their ids.
  var zoneNames: [String] = []
  var zoneIDs: [String: Int] = [:]
  var groups: [TopologyGroup] = []
  var groupIndex: [TopologyGroupKey: Int] = [:]
  var inverseGroups: [Int] = []
  var remaining: [ResourceVector]
  var remainingNodes: [Int64?]
  var pods: [PodData] = []
  var errors: [Int: String] = [:]
  var uninitializedPlacements: [Int: String] = [:]
  /// Per requirement set: which types are compatible and have a compatible available offering.
  var compatibility: [Requirements: [UInt64]] = [:]
  /// Per hostname group: how many NodeClaims hold at least one pod it counts.
  var occupiedClaims: [Int] = []

  /// - Parameters:
  ///   - podIndices: state.pods indices to schedule.
  ///   - excluded: state.nodes indices left out (candidates).
  ///   - deleting: pod indices that come from deleting nodes.
  init(
    context sharedContext: SchedulingContext, podIndices: [Int], excluded: Set<Int>, deleting: Set<Int> = [],
    isConsolidation: Bool, cache: inout TopologyCountCache
  ) throws(NodeAutoscalingError) {
    // Moved in (its last use), so `context` below is the stored one: no copy of the context.
    self.context = sharedContext
    self.isConsolidation = isConsolidation
    existingRemaining = context.nodes.map(\.remaining)
    existingPorts = context.nodes.map(\.hostPorts)
    existingPods = Array(repeating: [], count: context.nodes.count)
    remaining = context.baseRemaining
    remainingNodes = context.baseRemainingNodes
    for (t, template) in context.templates.enumerated() {
      for node in excluded where context.nodes[node].isActive && context.nodes[node].nodePoolIndex == template.nodePoolIndex {
        remaining[t] = remaining[t].subtractingKeepingUnlimited(ResourceVector.zero - context.nodes[node].capacity)
        if let count = remainingNodes[t] { remainingNodes[t] = count + 1 }
      }
    }
    existingOrder = excluded.isEmpty ? context.sortedActiveNodes : context.sortedActiveNodes.filter { !excluded.contains($0) }
    let rescheduled = Set(podIndices)
    // Pods of one shape (same namespace, template and soft constraints, as a ReplicaSet's)
    // get the same requirements and topology groups: computed once per shape.
    // (A lone pod skips hashing its shape.)
    var shapes: [PodShape: PodData] = [:]
    let memoizeShapes = podIndices.count > 1
    pods.reserveCapacity(podIndices.count)
    for podIndex in podIndices {
      let shape = memoizeShapes ? PodShape(context.state.pods[podIndex]) : nil
      var data: PodData
      if let shape, let known = shapes[shape] {
        data = known
        data.podIndex = podIndex
      } else {
        data = PodData(podIndex: podIndex, requests: context.podRequests[podIndex])
        data.preferences = Self.initialPreferences(context.state.pods[podIndex], policy: context.options.preferencePolicy)
        try refresh(&data, creatingGroups: true, rescheduled: rescheduled, cache: &cache)
        if let shape { shapes[shape] = data }
      }
      data.requests = context.podRequests[podIndex]
      data.fromDeletingNode = deleting.contains(podIndex)
      pods.append(data)
    }
    // Inverse anti-affinity groups of bound pods (owners already running).
    for owner in context.antiAffinityOwners where !rescheduled.contains(Int(owner)) {
      let pod = context.state.pods[Int(owner)]
      for term in pod.template.requiredPodAntiAffinity {
        _ = group(for: inverseKey(pod, term), rescheduled: rescheduled, cache: &cache)
      }
    }
    // Which groups select a pod depends on its namespace and labels only.
    var selections: [PodSelectionKey: (counting: [Int], selectingInverse: [Int])] = [:]
    for index in pods.indices {
      let podIndex = pods[index].podIndex
      let key =
        pods.count > 1
        ? PodSelectionKey(namespace: context.state.pods[podIndex].namespace, labels: context.state.pods[podIndex].template.labels) : nil
      let selection: (counting: [Int], selectingInverse: [Int])
      if let key, let known = selections[key] {
        selection = known
      } else {
        // Plain loops over local values: closures here would capture (copy) the scheduler.
        let namespace = context.state.pods[podIndex].namespace
        let labels = context.state.pods[podIndex].template.labels
        var counting: [Int] = []
        for g in groups.indices where !groups[g].id.inverse && groups[g].selects(namespace: namespace, labels: labels) {
          counting.append(g)
        }
        var selectingInverse: [Int] = []
        for g in inverseGroups where groups[g].selects(namespace: namespace, labels: labels) { selectingInverse.append(g) }
        selection = (counting, selectingInverse)
        if let key { selections[key] = selection }
      }
      pods[index].countingGroups = selection.counting
      pods[index].selectingInverseGroups = selection.selectingInverse
      pods[index].hasHostPorts = !context.state.pods[podIndex].hostPorts.isEmpty
      var domainGroups = false
      for g in pods[index].ownedGroups where !groups[g].isHostname { domainGroups = true }
      for g in selection.selectingInverse where !groups[g].isHostname { domainGroups = true }
      pods[index].hasDomainGroups = domainGroups
    }
  }

  // MARK: Pod data

  /// The soft constraints a pod starts with (none when preferences are ignored); static so the
  /// initializer calls it without copying the scheduler.
  static func initialPreferences(_ pod: Pod, policy: NodeAutoscalerOptions.PreferencePolicy) -> PreferenceState {
    var state = PreferenceState()
    guard policy == .respect else { return state }
    state.preferredNodeTerms = stableSortedByWeight(pod.template.preferredNodeAffinity, weight: \.weight)
    state.preferredPodAffinity = stableSortedByWeight(pod.preferredPodAffinity, weight: \.weight)
    state.preferredPodAntiAffinity = stableSortedByWeight(pod.preferredPodAntiAffinity, weight: \.weight)
    state.scheduleAnywaySpreads = pod.template.topologySpreadConstraints.indices.filter {
      pod.template.topologySpreadConstraints[$0].whenUnsatisfiable == .scheduleAnyway
    }
    return state
  }

  static func stableSortedByWeight<T>(_ items: [T], weight: (T) -> Int) -> [T] {
    items.enumerated().sorted { a, b in
      let wa = weight(a.element)
      let wb = weight(b.element)
      return wa != wb ? wa > wb : a.offset < b.offset
    }.map(\.element)
  }

  func inverseKey(_ pod: Pod, _ term: PodAffinityTerm) -> TopologyGroupKey {
    TopologyGroupKey(
      kind: .antiAffinity, key: WellKnownLabel.normalized(term.topologyKey), namespace: pod.namespace,
      selector: term.labelSelector, maxSkew: 0, minDomains: nil, nodeFilter: [], inverse: true)
  }

  mutating func group(for key: TopologyGroupKey, rescheduled: Set<Int>, cache: inout TopologyCountCache) -> Int {
    if let index = groupIndex[key] { return index }
    var group = cache.baseGroup(for: key, context: context)
    // Pods being rescheduled do not count where they are now.
    for podIndex in rescheduled {
      let node = Int(context.podNode[podIndex])
      guard node >= 0 else { continue }
      let pod = context.state.pods[podIndex]
      guard pod.isActive else { continue }
      let contributes: Bool
      if key.inverse {
        contributes = pod.template.requiredPodAntiAffinity.contains {
          inverseKey(pod, $0) == key
        }
      } else {
        contributes = group.selects(pod)
      }
      guard contributes else { continue }
      let labels = context.state.nodes[node].labels
      if group.isHostname {
        group.recordHost(node, by: -1)
      } else if let value = labels[key.key], key.kind != .spread || group.nodeFilterMatches(labels: labels) {
        group.record(domain: value, by: -1)
      }
    }
    groups.append(group)
    groupIndex[key] = groups.count - 1
    if key.inverse { inverseGroups.append(groups.count - 1) }
    return groups.count - 1
  }

  /// Recomputes requirements and topology ownership from the preference state
  /// (`updateCachedPodData`, `Topology.Update`).
  mutating func refresh(_ data: inout PodData, creatingGroups: Bool, rescheduled: Set<Int>, cache: inout TopologyCountCache)
    throws(NodeAutoscalingError)
  {
    let pod = context.state.pods[data.podIndex]
    var object: String { "pod \(pod.id)" }
    var base = Requirements()
    var invalid: String?
    for (key, value) in pod.template.nodeSelector {
      let normalized = WellKnownLabel.normalized(key)
      if WellKnownLabel.isRestricted(normalized) { invalid = "label \"\(normalized)\" is restricted" }
      base.add(.equal(normalized, value))
    }
    for key in base.keys where base.get(key).isEmpty {
      throw NodeAutoscalingError(
        .contradictoryRequirements, object: object, field: "spec.nodeSelector", message: "the node selector leaves no value for \(key)")
    }
    let terms = pod.template.requiredNodeAffinity
    var strict = base
    if data.preferences.requiredTermOffset < terms.count {
      let t = data.preferences.requiredTermOffset
      for (e, expression) in terms[t].matchExpressions.enumerated() {
        let field = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[\(t)].matchExpressions[\(e)]"
        let requirement = try Requirement(expression, object: object, field: field)
        if WellKnownLabel.isRestricted(requirement.key) { invalid = "label \"\(requirement.key)\" is restricted" }
        strict.add(requirement)
      }
    }
    if creatingGroups && !terms.isEmpty {
      // A pod whose every ORed term contradicts itself (or the node selector) can never run.
      var firstProblem: (field: String, message: String)?
      var someTermSatisfiable = false
      for (t, term) in terms.enumerated() {
        var combined = base
        var contradiction: (field: String, message: String)?
        for (e, expression) in term.matchExpressions.enumerated() {
          let field = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[\(t)].matchExpressions[\(e)]"
          let requirement = try Requirement(expression, object: object, field: field)
          combined.add(requirement)
          if contradiction == nil && combined.get(requirement.key).isEmpty && requirement.operator != .doesNotExist {
            contradiction = (field, "\(requirement) leaves no value for \(requirement.key) together with the node selector and earlier expressions of the term")
          }
        }
        if let contradiction {
          if firstProblem == nil { firstProblem = contradiction }
        } else {
          someTermSatisfiable = true
        }
      }
      if !someTermSatisfiable, let firstProblem {
        throw NodeAutoscalingError(.contradictoryRequirements, object: object, field: firstProblem.field, message: firstProblem.message)
      }
    }
    var relaxed = strict
    if let heaviest = data.preferences.preferredNodeTerms.first {
      for expression in heaviest.preference.matchExpressions {
        let requirement = try Requirement(expression, object: object, field: "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution")
        if WellKnownLabel.isRestricted(requirement.key) { invalid = "label \"\(requirement.key)\" is restricted" }
        relaxed.add(requirement)
      }
    }
    data.strictRequirements = strict
    data.requirements = relaxed
    data.invalidReason = invalid

    // Topology ownership.
    var nodeFilter: [Requirements] = []
    if !terms.isEmpty {
      for term in terms {
        var requirements = base
        for expression in term.matchExpressions {
          if let requirement = try? Requirement(expression) { requirements.add(requirement) }
        }
        nodeFilter.append(requirements)
      }
    } else if !base.isEmpty {
      nodeFilter = [base]
    }
    var owned: [Int] = []
    for (i, constraint) in pod.template.topologySpreadConstraints.enumerated() {
      if constraint.whenUnsatisfiable == .scheduleAnyway && !data.preferences.scheduleAnywaySpreads.contains(i) { continue }
      if constraint.maxSkew < 1 {
        throw NodeAutoscalingError(
          .invalidValue, object: object, field: "spec.topologySpreadConstraints[\(i)].maxSkew", message: "maxSkew must be at least 1")
      }
      let minDomains = i < pod.spreadMinDomains.count ? pod.spreadMinDomains[i] : nil
      let key = TopologyGroupKey(
        kind: .spread, key: WellKnownLabel.normalized(constraint.topologyKey), namespace: pod.namespace,
        selector: constraint.labelSelector, maxSkew: constraint.maxSkew, minDomains: minDomains, nodeFilter: nodeFilter,
        inverse: false)
      owned.append(group(for: key, rescheduled: rescheduled, cache: &cache))
    }
    for term in pod.template.requiredPodAffinity + data.preferences.preferredPodAffinity.map(\.term) {
      let key = TopologyGroupKey(
        kind: .affinity, key: WellKnownLabel.normalized(term.topologyKey), namespace: pod.namespace,
        selector: term.labelSelector, maxSkew: 0, minDomains: nil, nodeFilter: [], inverse: false)
      owned.append(group(for: key, rescheduled: rescheduled, cache: &cache))
    }
    for term in pod.template.requiredPodAntiAffinity + data.preferences.preferredPodAntiAffinity.map(\.term) {
      let key = TopologyGroupKey(
        kind: .antiAffinity, key: WellKnownLabel.normalized(term.topologyKey), namespace: pod.namespace,
        selector: term.labelSelector, maxSkew: 0, minDomains: nil, nodeFilter: [], inverse: false)
      owned.append(group(for: key, rescheduled: rescheduled, cache: &cache))
    }
    data.ownedGroups = owned
    data.hasDomainGroups = (owned + data.selectingInverseGroups).contains { !groups[$0].isHostname }
    if creatingGroups {
      data.ownedInverseGroups = pod.template.requiredPodAntiAffinity.map {
        group(for: inverseKey(pod, $0), rescheduled: rescheduled, cache: &cache)
      }
    }
  }

  /// Applies the next relaxation step (`Preferences.Relax`); `false` when nothing is left.
  func relax(_ data: inout PodData) -> Bool {
    let pod = context.state.pods[data.podIndex]
    if pod.template.requiredNodeAffinity.count - data.preferences.requiredTermOffset > 1 {
      data.preferences.requiredTermOffset += 1
      return true
    }
    if !data.preferences.preferredPodAffinity.isEmpty {
      data.preferences.preferredPodAffinity.removeFirst()
      return true
    }
    if !data.preferences.preferredPodAntiAffinity.isEmpty {
      data.preferences.preferredPodAntiAffinity.removeFirst()
      return true
    }
    if !data.preferences.preferredNodeTerms.isEmpty {
      data.preferences.preferredNodeTerms.removeFirst()
      return true
    }
    if !data.preferences.scheduleAnywaySpreads.isEmpty {
      data.preferences.scheduleAnywaySpreads.removeFirst()
      return true
    }
    if context.somePoolHasPreferNoSchedule && !data.preferences.toleratePreferNoSchedule {
      data.preferences.toleratePreferNoSchedule = true
      return true
    }
    return false
  }

  // MARK: Solve

  /// Schedules every pod (`Solve`): queue order, existing nodes, in-flight claims, new claims,
  /// relaxation, retry until no progress.
  mutating func solve(cache: inout TopologyCountCache) throws(NodeAutoscalingError) {
    let keys = pods.map { data -> (cpu: Int64, memory: Int64, created: Instant, id: String) in
      (data.requests.cpu, data.requests.memory, context.state.pods[data.podIndex].createdAt, context.podID(data.podIndex))
    }
    let order = pods.indices.sorted { a, b in
      let ka = keys[a]
      let kb = keys[b]
      if ka.cpu != kb.cpu { return ka.cpu > kb.cpu }
      if ka.memory != kb.memory { return ka.memory > kb.memory }
      if ka.created != kb.created { return ka.created < kb.created }
      return ka.id < kb.id
    }
    var queue = order
    var head = 0
    var lastLength = [Int](repeating: 0, count: pods.count)
    while head < queue.count {
      let p = queue[head]
      if lastLength[p] == queue.count - head { break }
      head += 1
      if let reason = pods[p].invalidReason {
        errors[p] = reason
        continue
      }
      var attempt = pods[p]
      var failure: String?
      while true {
        failure = add(&attempt)
        if failure == nil { break }
        guard relax(&attempt) else { break }
        try refresh(&attempt, creatingGroups: false, rescheduled: [], cache: &cache)
      }
      if let failure {
        errors[p] = failure
        if head > 0 && head >= 1024 && head * 2 > queue.count {
          queue.removeFirst(head)
          head = 0
        }
        queue.append(p)
        lastLength[p] = queue.count - head
      } else {
        errors[p] = nil
      }
    }
  }

  /// Places one pod (`Scheduler.add`); returns the reason on failure.
  mutating func add(_ data: inout PodData) -> String? {
    for node in existingOrder {
      if tryExisting(node, &data) { return nil }
    }
    let scan = !claims.isEmpty && someClaimMayTake(data)
    var domainFilters = scan && data.hasDomainGroups ? allowedDomains(data) : []
    // Zones the pod's zone constraints rule out (a bit per zone slot), visited by no scan.
    var forbidden: UInt64 = 0
    if !domainFilters.isEmpty && zoneNames.count < 63 {
      for filter in domainFilters where filter.key == WellKnownLabel.zone {
        for domain in filter.known where !filter.allowed.contains(domain) {
          if let id = zoneIDs[domain] { forbidden |= 1 << UInt64(id + 1) }
        }
      }
      domainFilters.removeAll { $0.key == WellKnownLabel.zone }
    }
    if scan && forbidden != 0 {
      if scanZones(&data, forbidden: forbidden, domainFilters: domainFilters) { return nil }
    } else if scan {
      var size = 1
      while size < buckets.count {
        for claim in buckets[size] where offer(Int(claim), bucket: size, &data, domainFilters: domainFilters) {
          return nil
        }
        size += 1
      }
    }
    if context.templates.isEmpty {
      return "no NodePool can launch a node (nodepool requirements filtered out all available instance types)"
    }
    return addNewClaim(&data)
  }

  /// The in-flight scan over the claims whose zone slot is not `forbidden`, in the same order
  /// as the plain scan (bucket, then index): a merge of the allowed zone lists of each bucket.
  mutating func scanZones(_ data: inout PodData, forbidden: UInt64, domainFilters: [DomainFilter]) -> Bool {
    var size = 1
    var heads: [Int] = []
    while size < zoneBuckets.count {
      let slots = zoneBuckets[size].count
      heads.removeAll(keepingCapacity: true)
      heads.append(contentsOf: repeatElement(0, count: slots))
      while true {
        var best = -1
        var bestClaim = Int32.max
        for slot in 0..<slots where forbidden & (1 << UInt64(slot)) == 0 && heads[slot] < zoneBuckets[size][slot].count {
          let claim = zoneBuckets[size][slot][heads[slot]]
          if claim < bestClaim {
            best = slot
            bestClaim = claim
          }
        }
        if best < 0 { break }
        heads[best] += 1
        if offer(Int(bestClaim), bucket: size, &data, domainFilters: domainFilters) { return true }
      }
      size += 1
    }
    return false
  }

  /// Offers the pod to in-flight claim `index` (in bucket `size`): the cheap checks, then
  /// `NodeClaim.CanAdd`; on success the claim takes the pod and moves up a bucket.
  @inline(__always)
  mutating func offer(_ index: Int, bucket size: Int, _ data: inout PodData, domainFilters: [DomainFilter]) -> Bool {
    if hostnameTopologyFailure(data, host: claims[index].host) != nil { return false }
    if !domainFilters.isEmpty && !claimDomainsAllowed(index, domainFilters) { return false }
    let taints = context.templates[claims[index].template].taints
    if !taints.isEmpty,
      Self.untolerated(
        taints, by: context.state.pods[data.podIndex].template.tolerations,
        toleratePreferNoSchedule: data.preferences.toleratePreferNoSchedule) != nil
    {
      return false
    }
    let slot = claims[index].zoneSlot
    guard tryClaim(index, &data) == nil else { return false }
    moveClaim(index, from: size, slot: slot)
    return true
  }

  mutating func moveClaim(_ claim: Int, from size: Int, slot: Int) {
    if let index = binarySearch(buckets[size], Int32(claim)) { buckets[size].remove(at: index) }
    if let index = binarySearch(zoneBuckets[size][slot], Int32(claim)) { zoneBuckets[size][slot].remove(at: index) }
    insert(claim, bucket: size + 1)
  }

  /// Puts claim `claim` into bucket `size` and its zone list there.
  mutating func insert(_ claim: Int, bucket size: Int) {
    while buckets.count <= size { buckets.append([]) }
    while zoneBuckets.count <= size { zoneBuckets.append([]) }
    let slot = claims[claim].zoneSlot
    while zoneBuckets[size].count <= slot { zoneBuckets[size].append([]) }
    buckets[size].insert(Int32(claim), at: insertionPoint(buckets[size], Int32(claim)))
    zoneBuckets[size][slot].insert(Int32(claim), at: insertionPoint(zoneBuckets[size][slot], Int32(claim)))
  }

  /// The zone slot of a zone name (1 + its id), registering it.
  mutating func zoneSlot(_ zone: String) -> Int {
    if let id = zoneIDs[zone] { return id + 1 }
    zoneIDs[zone] = zoneNames.count
    zoneNames.append(zone)
    return zoneNames.count
  }

  func binarySearch(_ array: [Int32], _ value: Int32) -> Int? {
    let index = insertionPoint(array, value)
    return index < array.count && array[index] == value ? index : nil
  }

  func insertionPoint(_ array: [Int32], _ value: Int32) -> Int {
    var low = 0
    var high = array.count
    while low < high {
      let mid = (low + high) / 2
      if array[mid] < value { low = mid + 1 } else { high = mid }
    }
    return low
  }

  func tolerates(_ data: PodData, _ taints: [Taint]) -> Taint? {
    if taints.isEmpty { return nil }
    return Self.untolerated(
      taints, by: context.state.pods[data.podIndex].template.tolerations,
      toleratePreferNoSchedule: data.preferences.toleratePreferNoSchedule)
  }

  /// The first taint of `taints` that `tolerations` do not tolerate (PreferNoSchedule ones are
  /// skipped when tolerated by relaxation), or `nil`.
  static func untolerated(_ taints: [Taint], by tolerations: [Toleration], toleratePreferNoSchedule: Bool) -> Taint? {
    for taint in taints {
      if taint.effect == .preferNoSchedule && toleratePreferNoSchedule { continue }
      if !tolerations.tolerate(taint) { return taint }
    }
    return nil
  }

  func portsConflict(_ data: PodData, _ used: [Int]) -> Bool {
    if used.isEmpty || !data.hasHostPorts { return false }
    let ports = context.state.pods[data.podIndex].hostPorts
    if ports.isEmpty || used.isEmpty { return false }
    for port in ports where used.contains(port) { return true }
    return false
  }

  /// `ExistingNode.CanAdd` then commit.
  mutating func tryExisting(_ node: Int, _ data: inout PodData) -> Bool {
    let info = context.nodes[node]
    if isConsolidation && info.underConsolidateAfter && context.podNode[data.podIndex] >= 0 && !data.fromDeletingNode {
      return false
    }
    if !data.requests.fits(in: existingRemaining[node]) { return false }
    if hostnameTopologyFailure(data, host: node) != nil { return false }
    if tolerates(data, info.taints) != nil { return false }
    if portsConflict(data, existingPorts[node]) { return false }
    if !data.requirements.isEmpty && info.requirements.incompatibility(with: data.requirements, allowUndefined: []) != nil {
      return false
    }
    var nodeRequirements = info.requirements
    switch topologyRequirements(data, nodeRequirements: info.requirements, host: node) {
    case .failure: return false
    case .success(let delta):
      if !delta.isEmpty {
        if info.requirements.incompatibility(with: delta, allowUndefined: []) != nil { return false }
        nodeRequirements.add(delta)
      }
    }
    existingRemaining[node] -= data.requests
    existingPorts[node].append(contentsOf: context.state.pods[data.podIndex].hostPorts)
    existingPods[node].append(Int32(data.podIndex))
    record(data, requirements: nodeRequirements, host: node)
    if isConsolidation && !info.isInitialized && !data.fromDeletingNode {
      uninitializedPlacements[data.podIndex] = info.name
    }
    return true
  }

  /// `NodeClaim.CanAdd` then commit; returns the reason on failure.
  mutating func tryClaim(_ index: Int, _ data: inout PodData) -> Rejection? {
    switch evaluate(claims[index], &data) {
    case .failure(let rejection): return rejection
    case .success(let updated):
      claims[index] = updated
      record(data, requirements: updated.requirements, host: updated.host)
      return nil
    }
  }

  enum Evaluation {
    case success(Claim)
    case failure(Rejection)
  }

  /// Why a NodeClaim rejected a pod, kept cheap; ``describe(_:)`` renders it.
  enum Rejection {
    case taint(Taint)
    case topology(group: Int, nodeDomains: Requirement?)
    case requirements(RequirementConflict)
    case ports([Int])
    case resources(Claim, Requirements, ResourceVector)
    case minValues(String)
  }

  func describe(_ rejection: Rejection) -> String {
    switch rejection {
    case .taint(let taint): return "did not tolerate taint \(taint.key)=\(taint.value):\(taint.effect.rawValue)"
    case .topology(let g, let nodeDomains):
      let group = groups[g]
      let kind = group.id.kind == .spread ? "topology spread" : group.id.kind == .affinity ? "pod affinity" : "pod anti-affinity"
      var text = "unsatisfiable topology constraint for \(kind), key=\(group.id.key)"
      if group.id.kind == .spread { text += ", maxSkew=\(group.id.maxSkew)" }
      if let nodeDomains { text += " (nodeDomains = \(nodeDomains))" }
      return text
    case .requirements(let conflict): return conflict.description
    case .ports(let ports): return "host port conflict on \(ports)"
    case .resources(let claim, let requirements, let requests):
      return noInstanceTypeReason(claim, requirements: requirements, requests: requests)
    case .minValues(let text): return text
    }
  }

  mutating func evaluate(_ claim: Claim, _ data: inout PodData) -> Evaluation {
    let template = context.templates[claim.template]
    if let taint = tolerates(data, template.taints) { return .failure(.taint(taint)) }
    if let g = hostnameTopologyFailure(data, host: claim.host) { return .failure(.topology(group: g, nodeDomains: nil)) }
    var requirements = claim.requirements
    if !data.requirements.isEmpty {
      if let conflict = claim.requirements.incompatibility(with: data.requirements, allowUndefined: context.options.allowUndefinedLabels) {
        return .failure(.requirements(conflict))
      }
      requirements.add(data.requirements)
    }
    switch topologyRequirements(data, nodeRequirements: requirements, host: claim.host) {
    case .failure(let g, let nodeDomains): return .failure(.topology(group: g, nodeDomains: nodeDomains))
    case .success(let delta):
      if !delta.isEmpty {
        if let conflict = requirements.incompatibility(with: delta, allowUndefined: context.options.allowUndefinedLabels) {
          return .failure(.requirements(conflict))
        }
        requirements.add(delta)
      }
    }
    let ports = data.hasHostPorts ? context.state.pods[data.podIndex].hostPorts : []
    if portsConflict(data, claim.ports) { return .failure(.ports(ports)) }
    let requests = claim.requests + data.requests
    let changed = (!data.requirements.isEmpty || data.hasDomainGroups) && requirements != claim.requirements
    var kept: [Int32] = []
    let daemonPortConflict = !ports.isEmpty && ports.contains { template.daemonPorts.contains($0) }
    let compatible: [UInt64]? = changed ? compatibleTypes(requirements) : nil
    // Options ascend by type index: once the requests fit the smallest allocatable of every
    // type from an option on, the rest of the list fits without testing each (requests within
    // [0, cap], so the comparison cannot wrap). Probed at the first fitting option only.
    let bounded = requests.values.min() >= 0 && requests.values.max() <= ResourceVector.cap
    var probed = !bounded
    let options = claim.options
    context.allocatables.withUnsafeBufferPointer { allocatables in
      context.allocatableSuffixMinima.withUnsafeBufferPointer { minima in
        if template.hasDaemonOverhead {
          kept.reserveCapacity(options.count)
          for option in options {
            let index = Int(option)
            if let compatible, compatible[index >> 6] & (1 << UInt64(index & 63)) == 0 { continue }
            guard (requests + template.daemonOverhead[index]).fits(in: allocatables[index]) else { continue }
            kept.append(option)
          }
        } else if let compatible {
          kept.reserveCapacity(options.count)
          var allFit = false
          for option in options {
            let index = Int(option)
            if compatible[index >> 6] & (1 << UInt64(index & 63)) == 0 { continue }
            if !allFit {
              guard requests.fits(in: allocatables[index]) else { continue }
              if !probed {
                probed = true
                allFit = requests.fits(in: minima[index])
              }
            }
            kept.append(option)
          }
        } else {
          var position = 0
          while position < options.count {
            let option = options[position]
            if requests.fits(in: allocatables[Int(option)]) {
              if !probed {
                probed = true
                if requests.fits(in: minima[Int(option)]) {
                  if position == 0 {
                    kept = options
                  } else {
                    kept.reserveCapacity(options.count - position)
                    kept.append(contentsOf: options[position...])
                  }
                  break
                }
                kept.reserveCapacity(options.count - position)
              }
              kept.append(option)
            }
            position += 1
          }
        }
      }
    }
    if daemonPortConflict { kept = [] }
    if kept.isEmpty { return .failure(.resources(claim, requirements, requests)) }
    var relaxed = claim.minValuesRelaxed
    if let shortfall = minValuesShortfall(kept, requirements) {
      if context.options.minValuesPolicy == .strict { return .failure(.minValues(shortfall)) }
      relaxed = true
    }
    var updated = claim
    updated.requirements = requirements
    updated.options = kept
    updated.requests = requests
    updated.pods.append(Int32(data.podIndex))
    updated.ports.append(contentsOf: ports)
    updated.minValuesRelaxed = relaxed
    if let zone = requirements.byKey[WellKnownLabel.zone], !zone.isComplement, zone.values.count == 1, let value = zone.values.first {
      if updated.zone != value { updated.zoneSlot = zoneSlot(value) }
      updated.zone = value
    }
    return .success(updated)
  }

  /// A bitset over `context.types`: compatible with `requirements` and with an available
  /// compatible offering (memoized: claims collapse to few distinct requirement sets).
  mutating func compatibleTypes(_ requirements: Requirements) -> [UInt64] {
    if let known = compatibility[requirements] { return known }
    let bits = context.catalogue.index.compatible(with: requirements)
    if compatibility.count < 4_096 { compatibility[requirements] = bits }
    return bits
  }

  func noInstanceTypeReason(_ claim: Claim, requirements: Requirements, requests: ResourceVector) -> String {
    let template = context.templates[claim.template]
    var incompatibleKeys: [String: Int] = [:]
    var compatible = 0
    var fitting = 0
    for option in claim.options {
      let type = context.types[Int(option)]
      if let key = type.requirements.conflict(with: requirements) {
        incompatibleKeys[key, default: 0] += 1
        continue
      }
      compatible += 1
      guard (requests + template.daemonOverhead[Int(option)]).fits(in: type.allocatable) else { continue }
      fitting += 1
    }
    let resources = context.slots.list(requests).quantities.sorted { $0.key < $1.key }
      .map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    var reason = "no instance type satisfied resources {\(resources)} and requirements \(requirements)"
    if compatible == 0, let key = incompatibleKeys.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })?.key {
      reason += " (no instance type met requirement \(requirements.get(key)))"
    } else if fitting == 0 {
      let overhead = claim.options.first.map { context.templates[claim.template].daemonOverhead[Int($0)] } ?? .zero
      reason += overhead == .zero
        ? " (no instance type has enough resources)"
        : " (no instance type has enough resources with daemonset overhead)"
    } else {
      reason += " (no instance type has an available offering that meets the requirements)"
    }
    return reason
  }

  /// The first `minValues` the options cannot meet, as a sentence, or `nil`.
  func minValuesShortfall(_ options: [Int32], _ requirements: Requirements) -> String? {
    guard requirements.byKey.values.contains(where: { $0.minValues != nil }) else { return nil }
    for key in requirements.keys {
      guard let requirement = requirements.byKey[key], let minimum = requirement.minValues else { continue }
      var values: Set<String> = []
      for option in options {
        let typeRequirement = context.types[Int(option)].requirements.get(key)
        if typeRequirement.operator == .in {
          for value in typeRequirement.values where requirement.has(value) { values.insert(value) }
        }
      }
      if values.count < minimum {
        return "minValues requirement is not met for label \(key): \(values.count) of \(minimum) values available"
      }
    }
    return nil
  }

  /// `addToNewNodeClaim`: templates in weight order.
  mutating func addNewClaim(_ data: inout PodData) -> String? {
    var reasons: [String] = []
    for (t, template) in context.templates.enumerated() {
      if let nodes = remainingNodes[t], nodes <= 0 {
        reasons.append("incompatible with nodepool \"\(template.name)\", node limits have been exhausted")
        continue
      }
      let limit = remaining[t]
      let options: [Int32]
      if template.maxCapacity.fits(in: limit) {
        // The largest capacity fits in every resource, so every type does.
        options = template.typeIndices
      } else {
        let capacities = context.capacities
        options = template.typeIndices.filter { capacities[Int($0)].fits(in: limit) }
      }
      if options.isEmpty {
        var exceeded: [String] = []
        for (slot, name) in context.slots.names.enumerated() where limit.values[slot] != ResourceVector.unlimited {
          exceeded.append(name.rawValue)
        }
        reasons.append(
          "all available instance types exceed limits for nodepool: \"\(template.name)\" (limited: \(exceeded.joined(separator: ", ")))")
        continue
      }
      let host = context.nodes.count + claims.count
      let claim = Claim(template: t, host: host, requirements: template.requirements, options: options, requests: .zero)
      switch evaluate(claim, &data) {
      case .failure(let rejection):
        reasons.append("incompatible with nodepool \"\(template.name)\", \(describe(rejection))")
      case .success(let created):
        claims.append(created)
        record(data, requirements: created.requirements, host: created.host)
        insert(claims.count - 1, bucket: 1)
        var maximum = ResourceVector.zero
        if created.options.count == template.typeIndices.count {
          // Every type of the template was kept (options are a subset of it).
          maximum = template.maxCapacity
        } else {
          for option in created.options { maximum = maximum.maximum(context.capacities[Int(option)]) }
        }
        remaining[t] = remaining[t].subtractingKeepingUnlimited(maximum)
        return nil
      }
    }
    return reasons.joined(separator: "; ")
  }

  // MARK: Topology

  /// For one non-hostname constraint: its key, the domains a single-domain claim may be in, and
  /// the domains the constraint knows.
  typealias DomainFilter = (key: String, allowed: [String], known: [String])

  enum TopologyResult {
    case success(Requirements)
    case failure(group: Int, nodeDomains: Requirement)
  }

  /// The hostname-keyed constraints, checked against one host (cheap; no requirements):
  /// the first violated group, or `nil`.
  @inline(__always)
  func hostnameTopologyFailure(_ data: PodData, host: Int) -> Int? {
    for g in data.ownedGroups where groups[g].isHostname && !hostnameAllows(g, data, host: host, inverse: false) { return g }
    for g in data.selectingInverseGroups where groups[g].isHostname && !hostnameAllows(g, data, host: host, inverse: true) {
      return g
    }
    return nil
  }

  @inline(__always)
  func hostnameAllows(_ g: Int, _ data: PodData, host: Int, inverse: Bool) -> Bool {
    let count = groups[g].hostCount(host)
    switch groups[g].id.kind {
    case .spread:
      let selfSelecting = data.countingGroups.contains(g)
      return Int(count) + (selfSelecting ? 1 : 0) <= groups[g].id.maxSkew
    case .affinity:
      return count > 0 || (groups[g].hostTotal == 0 && data.countingGroups.contains(g))
    case .antiAffinity:
      return count == 0
    }
  }

  /// For each non-hostname constraint of the pod, the domains a NodeClaim already collapsed to
  /// a single domain may be in (the same verdict ``topologyRequirements`` reaches for it);
  /// counts do not change during one scan, so this is computed once per `add`.
  func allowedDomains(_ data: PodData) -> [DomainFilter] {
    var result: [DomainFilter] = []
    for inverse in [false, true] {
      for g in inverse ? data.selectingInverseGroups : data.ownedGroups where !groups[g].isHostname {
        let group = groups[g]
        let key = group.id.key
        let podDomains = data.strictRequirements.get(key)
        let selfSelecting = !inverse && data.countingGroups.contains(g)
        result.append((key, group.domainsAllowingSingle(selfSelecting: selfSelecting, podDomains: podDomains), group.domainOrder))
      }
    }
    return result
  }

  /// Whether a NodeClaim whose requirement on a filtered key is a single domain may take the pod
  /// (claims with several possible domains are left to the full check).
  func claimDomainsAllowed(_ index: Int, _ filters: [DomainFilter]) -> Bool {
    for filter in filters {
      let domain: String
      if filter.key == WellKnownLabel.zone {
        guard let zone = claims[index].zone else { continue }
        domain = zone
      } else {
        guard let requirement = claims[index].requirements.byKey[filter.key], !requirement.isComplement,
          requirement.values.count == 1, let value = requirement.values.first
        else { continue }
        domain = value
      }
      if filter.known.contains(domain) && !filter.allowed.contains(domain) { return false }
    }
    return true
  }

  /// Whether some NodeClaim could pass the pod's hostname constraints that need an empty host:
  /// when every claim already holds a matching pod, the in-flight scan can be skipped.
  func someClaimMayTake(_ data: PodData) -> Bool {
    // Whether hostname group `g` needs an empty host and no claim offers one.
    func blocks(_ g: Int) -> Bool {
      guard groups[g].isHostname else { return false }
      let needsEmpty: Bool
      switch groups[g].id.kind {
      case .antiAffinity: needsEmpty = true
      case .spread: needsEmpty = groups[g].id.maxSkew - (data.countingGroups.contains(g) ? 1 : 0) <= 0
      case .affinity: needsEmpty = false
      }
      return needsEmpty && claimsWithoutMatch(g) == 0
    }
    // Two loops rather than one over a concatenation: no array built per pod.
    for g in data.ownedGroups where blocks(g) { return false }
    for g in data.selectingInverseGroups where blocks(g) { return false }
    return true
  }

  /// The number of NodeClaims whose host holds no pod counted by group `g`.
  func claimsWithoutMatch(_ g: Int) -> Int {
    claims.count - (g < occupiedClaims.count ? occupiedClaims[g] : 0)
  }

  /// `Topology.AddRequirements` for the non-hostname keys: the domain requirements the pod's
  /// constraints impose (hostname keys are checked by ``hostnameTopologyFailure(_:host:)``).
  func topologyRequirements(_ data: PodData, nodeRequirements: Requirements, host: Int) -> TopologyResult {
    if !data.hasDomainGroups { return .success(Requirements()) }
    var delta = Requirements()
    for inverse in [false, true] {
      for g in inverse ? data.selectingInverseGroups : data.ownedGroups where !groups[g].isHostname {
        let selfSelecting = !inverse && data.countingGroups.contains(g)
        let key = groups[g].id.key
        let podDomains = data.strictRequirements.get(key)
        let nodeDomains = nodeRequirements.get(key)
        let domains: Requirement
        switch groups[g].id.kind {
        case .spread:
          domains = groups[g].nextDomainSpread(selfSelecting: selfSelecting, podDomains: podDomains, nodeDomains: nodeDomains)
        case .affinity:
          domains = groups[g].nextDomainAffinity(selfSelecting: selfSelecting, podDomains: podDomains, nodeDomains: nodeDomains)
        case .antiAffinity:
          domains = groups[g].nextDomainAntiAffinity(podDomains: podDomains)
        }
        if domains.count == 0 { return .failure(group: g, nodeDomains: nodeDomains) }
        delta.add(domains)
      }
    }
    return .success(delta)
  }

  /// `Topology.Record`: counts the pod where it landed.
  mutating func recordHost(_ g: Int, _ host: Int) {
    if host >= context.nodes.count && groups[g].hostCount(host) == 0 {
      if occupiedClaims.count <= g { occupiedClaims.append(contentsOf: repeatElement(0, count: g - occupiedClaims.count + 1)) }
      occupiedClaims[g] += 1
    }
    groups[g].recordHost(host)
  }

  mutating func record(_ data: PodData, requirements: Requirements, host: Int) {
    for g in data.countingGroups {
      if groups[g].id.kind == .spread && !groups[g].nodeFilterMatches(requirements) { continue }
      if groups[g].isHostname {
        recordHost(g, host)
        continue
      }
      guard let domains = requirements.byKey[groups[g].id.key], !domains.isComplement else { continue }
      if groups[g].id.kind == .antiAffinity {
        for value in domains.sortedValues { groups[g].record(domain: value) }
      } else if domains.values.count == 1, let value = domains.values.first {
        groups[g].record(domain: value)
      }
    }
    for g in data.ownedInverseGroups {
      if groups[g].isHostname {
        recordHost(g, host)
        continue
      }
      let domains = requirements.get(groups[g].id.key)
      guard !domains.isComplement else { continue }
      for value in domains.sortedValues { groups[g].record(domain: value) }
    }
  }

  // MARK: Results

  /// The claim's options ordered by the cheapest available offering compatible with its
  /// requirements (`OrderByPrice`), ties by name.
  func orderedOptions(_ claim: Claim, table: OfferingTable) -> [Int32] {
    let unconstrained = offeringKey(claim.requirements) == OfferingKey()
    // Options are distinct types: as many as there are types means every type.
    if unconstrained && claim.options.count == context.types.count { return context.catalogue.unconstrainedOrder }
    // The catalogue's price order, kept to the claim's options: the same order as sorting when
    // every offering is allowed.
    var member = [UInt64](repeating: 0, count: (context.types.count + 63) / 64)
    for option in claim.options { member[Int(option) >> 6] |= 1 << UInt64(option & 63) }
    var ordered: [Int32] = []
    ordered.reserveCapacity(claim.options.count)
    for option in context.catalogue.unconstrainedOrder where member[Int(option) >> 6] & (1 << UInt64(option & 63)) != 0 {
      ordered.append(option)
    }
    if unconstrained { return ordered }
    // Price then name rank is a strict order (ranks are distinct), so its sorted order is
    // unique: when that list is already in order under this table's prices, it is the answer.
    let cheapest = table.cheapest
    let rank = context.catalogue.nameRank
    func precedes(_ a: Int32, _ b: Int32) -> Bool {
      let pa = cheapest[Int(a)]
      let pb = cheapest[Int(b)]
      if pa != pb { return pa < pb }
      return rank[Int(a)] < rank[Int(b)]
    }
    var inOrder = true
    for position in ordered.indices.dropFirst() where !precedes(ordered[position - 1], ordered[position]) {
      inOrder = false
      break
    }
    if inOrder { return ordered }
    return claim.options.sorted(by: precedes)
  }

  /// The offering facts for a claim's zone and capacity-type requirements, memoized.
  func offeringTable(_ requirements: Requirements, memo: inout [OfferingKey: OfferingTable]) -> OfferingTable {
    let key = offeringKey(requirements)
    if key == OfferingKey() { return context.catalogue.unconstrainedTable }
    // A single zone allows the same offerings as `zone In [z]`, whose table is prepared.
    if key.capacityType == nil, let zone = key.zone, !zone.isComplement, zone.values.count == 1,
      zone.greaterThanOrEqual == nil, zone.lessThanOrEqual == nil, let value = zone.values.first,
      let table = context.catalogue.zoneTables[value]
    {
      return table
    }
    if let table = memo[key] { return table }
    let table = OfferingTable(types: context.types, index: context.catalogue.index, key: key)
    memo[key] = table
    return table
  }

  /// The zone and capacity-type requirements of a claim.
  func offeringKey(_ requirements: Requirements) -> OfferingKey {
    OfferingKey(zone: requirements.byKey[WellKnownLabel.zone], capacityType: requirements.byKey[WellKnownLabel.capacityType])
  }

  /// The smallest daemon overhead over the remaining options (`addDaemonRequests`).
  func daemonOverhead(_ claim: Claim) -> ResourceVector {
    let template = context.templates[claim.template]
    if !template.hasDaemonOverhead { return .zero }
    var best: ResourceVector?
    for option in claim.options {
      let overhead = template.daemonOverhead[Int(option)]
      if let current = best {
        if (overhead.cpu, overhead.memory) < (current.cpu, current.memory) { best = overhead }
      } else {
        best = overhead
      }
    }
    return best ?? .zero
  }
}

/// Base per-domain pod counts per topology group over every bound pod, computed once per call
/// and shared by its simulations.
struct TopologyCountCache: Sendable {
  var groups: [TopologyGroupKey: TopologyGroup] = [:]
  /// Whether groups are kept for later simulations (a single simulation, which keeps its own
  /// groups, skips hashing the keys here).
  var memoize = true

  mutating func baseGroup(for key: TopologyGroupKey, context: SchedulingContext) -> TopologyGroup {
    if memoize, let group = groups[key] { return group }
    var group = TopologyGroup(id: key, universe: context.universe[key.key] ?? [])
    for (node, podIndices) in context.podsByNode.enumerated() {
      let labels = context.state.nodes[node].labels
      let value = labels[key.key]
      if !group.isHostname && value == nil { continue }
      if key.kind == .spread && !group.nodeFilterMatches(labels: labels) { continue }
      for podIndex in podIndices {
        let pod = context.state.pods[Int(podIndex)]
        let contributes: Bool
        if key.inverse {
          contributes = pod.namespace == key.namespace && pod.template.requiredPodAntiAffinity.contains {
            $0.labelSelector == key.selector && WellKnownLabel.normalized($0.topologyKey) == key.key
          }
        } else {
          contributes = group.selects(pod)
        }
        guard contributes else { continue }
        if group.isHostname {
          group.recordHost(node)
        } else if let value {
          group.record(domain: value)
        }
      }
    }
    if memoize { groups[key] = group }
    return group
  }
}

/// The zone and capacity-type requirements that decide which offerings a claim may use.
struct OfferingKey: Hashable, Sendable {
  var zone: Requirement?
  var capacityType: Requirement?
}

/// Per instance type: the cheapest compatible available offering's price, and per capacity type
/// the index of the cheapest compatible available offering (-1 when none).
struct OfferingTable: Sendable {
  var cheapest: [Double]
  /// Indexed by `CapacityType.launchPriority` (reserved, spot, on-demand), then type.
  var best: [[Int32]]
  /// Per capacity type (as `best`): whether some type has an entry.
  var slotUsed: [Bool]

  /// - Parameters:
  ///   - types: The prepared types.
  ///   - index: Their index (its offering pairs decide which offerings the key allows).
  ///   - key: The zone and capacity-type requirements.
  init(types: [TypeInfo], index: TypeIndex, key: OfferingKey) {
    let count = types.count
    var cheapest = [Double](repeating: .infinity, count: count)
    var best = [Int32](repeating: -1, count: 3 * count)
    var slotUsed = [false, false, false]
    // Whether each available (zone, capacity type) pair is allowed: an offering is compatible
    // exactly when it is available and its pair is allowed.
    let allowed = index.offerings.map { pair in
      (key.zone.map { $0.has(pair.zone) } ?? true) && (key.capacityType.map { $0.has(pair.capacityType) } ?? true)
    }
    let start = index.offeringStart
    let pairs = index.offeringPair
    let prices = index.offeringPrice
    let slots = index.offeringSlot
    for t in 0..<count {
      let first = Int(start[t])
      for o in first..<Int(start[t + 1]) {
        let pair = Int(pairs[o])
        guard pair >= 0, allowed[pair] else { continue }
        let price = prices[o]
        if price < cheapest[t] { cheapest[t] = price }
        let slot = Int(slots[o])
        let current = best[slot * count + t]
        if current < 0 || price < prices[first + Int(current)] { best[slot * count + t] = Int32(o - first) }
        slotUsed[slot] = true
      }
    }
    self.cheapest = cheapest
    self.best = (0..<3).map { slot in Array(best[slot * count..<(slot + 1) * count]) }
    self.slotUsed = slotUsed
  }
}
