import AutoscalingCore

/// An instance type with its derived facts cached for the hot loop.
struct TypeInfo: Sendable {
  var type: InstanceType
  var requirements: Requirements
  var allocatable: ResourceVector
  var capacity: ResourceVector
  /// `type.allocatable` (computed once: a launch reports it).
  var allocatableList: ResourceList
  /// The cheapest available offering's price (for ordering), `+∞` when none.
  var cheapestPrice: Double
}

/// One NodePool as the scheduler uses it (`NodeClaimTemplate`).
struct Template: Sendable {
  var nodePoolIndex: Int
  var name: String
  var requirements: Requirements
  var taints: [Taint]
  var startupTaints: [Taint]
  var labels: Labels
  var typeIndices: [Int32]
  /// The zones of the available offerings of `typeIndices` compatible with `requirements`.
  var typeZones: Set<String>
  /// Daemon overhead per global type index (only entries of `typeIndices` are meaningful).
  var daemonOverhead: [ResourceVector]
  /// Whether some entry of `daemonOverhead` is not zero.
  var hasDaemonOverhead: Bool
  /// The largest capacity of `typeIndices` in each resource (zero when there are none).
  var maxCapacity: ResourceVector
  var daemonPorts: [Int]
  var limits: ResourceVector
  var nodeLimit: Int64?
}

/// An existing node as the scheduler uses it.
struct ExistingNodeInfo: Sendable {
  var nodeIndex: Int
  var name: String
  var requirements: Requirements
  var taints: [Taint]
  /// Allocatable minus every bound active pod and the remaining daemon overhead.
  var remaining: ResourceVector
  var capacity: ResourceVector
  var hostPorts: [Int]
  var isInitialized: Bool
  var isActive: Bool
  var nodePoolIndex: Int?
  var underConsolidateAfter: Bool
}

/// A DaemonSet pod template with its derived facts.
struct DaemonInfo: Sendable {
  var requests: ResourceVector
  var tolerations: [Toleration]
  var terms: [Requirements]
  var hostPorts: [Int]
  var pod: Pod
}

/// Everything derived once from a cluster state, shared by every scheduling simulation of one
/// call (`NewScheduler`'s inputs).
struct SchedulingContext: Sendable {
  var state: ClusterState
  var options: NodeAutoscalerOptions
  var now: Instant
  var slots = ResourceSlots()
  var types: [TypeInfo] = []
  /// Each type's allocatable and capacity (`types[i].allocatable`, `.capacity`), contiguous for
  /// the hot loops.
  var allocatables: [ResourceVector] = []
  var capacities: [ResourceVector] = []
  /// ``PreparedCatalogue/suffixMinima(_:)`` of `allocatables`.
  var allocatableSuffixMinima: [ResourceVector] = []
  var templates: [Template] = []
  var nodes: [ExistingNodeInfo] = []
  var nodeIndexByName: [String: Int] = [:]
  /// Active node indices, initialized first, then by name (`sortExistingNodes`).
  var sortedActiveNodes: [Int] = []
  var podRequests: [ResourceVector] = []
  /// Each pod's `effectiveRequests` (computed once; released after `buildPods`).
  private var podEffectiveRequests: [ResourceList] = []
  var podNode: [Int32] = []
  var podsByNode: [[Int32]] = []
  var universe: [String: [String]] = [:]
  var daemons: [DaemonInfo] = []
  var somePoolHasPreferNoSchedule = false
  /// Bound active pods with required anti-affinity (inverse-group owners).
  var antiAffinityOwners: [Int32] = []
  /// Per template: limits minus the capacity of every active node of the NodePool.
  var baseRemaining: [ResourceVector] = []
  var baseRemainingNodes: [Int64?] = []

  /// The prepared instance types (given, or prepared for this call).
  let catalogue: PreparedCatalogue

  /// - Parameter catalogue: The state's instance types prepared once, or `nil` to prepare
  ///   them here (errors in the same order either way: pods first, then instance types).
  init(state: ClusterState, options: NodeAutoscalerOptions, now: Instant, catalogue: PreparedCatalogue? = nil)
    throws(NodeAutoscalingError)
  {
    try state.checkNodePoolNames()
    self.state = state
    self.options = options
    self.now = now
    (slots, podEffectiveRequests) = try Self.registeredResources(state)
    if let catalogue {
      guard catalogue.fits(state) else {
        throw NodeAutoscalingError(
          .invalidValue, object: "prepared catalogue", field: "instanceTypes",
          message: "the catalogue was prepared from other instance types (or NodePool overrides) than the cluster state's; "
            + "prepare it from this state with PreparedCatalogue(state)")
      }
      self.catalogue = catalogue
    } else {
      self.catalogue = try PreparedCatalogue(state)
    }
    try adoptTypes()
    try buildDaemons()
    try buildTemplates()
    try buildPods()
    podEffectiveRequests = []
    try buildNodes()
    buildUniverse()
    buildLimits()
    // A local copy for the closures (capturing `self` in an initializer copies it).
    let nodes = self.nodes
    sortedActiveNodes = nodes.indices.filter { nodes[$0].isActive }.sorted { a, b in
      if nodes[a].isInitialized != nodes[b].isInitialized { return nodes[a].isInitialized }
      return nodes[a].name < nodes[b].name
    }
  }

  /// The resource slots of the pods, DaemonSets and NodePool limits, and each pod's
  /// effective requests.
  private static func registeredResources(_ state: ClusterState) throws(NodeAutoscalingError)
    -> (ResourceSlots, [ResourceList])
  {
    var slots = ResourceSlots()
    var podEffectiveRequests: [ResourceList] = []
    podEffectiveRequests.reserveCapacity(state.pods.count)
    // By index: reading fields in place rather than copying each pod.
    for index in state.pods.indices {
      let requests = state.pods[index].template.effectiveRequests
      try slots.register(requests, object: "pod \(state.pods[index].id)", field: "spec.containers[].resources")
      podEffectiveRequests.append(requests)
    }
    for pod in state.daemonSets {
      try slots.register(pod.template.effectiveRequests, object: "DaemonSet pod \(pod.id)", field: "spec.containers[].resources")
    }
    for pool in state.nodePools {
      for (name, quantity) in pool.limits.quantities where name.rawValue != "nodes" && !quantity.isZero {
        _ = try slots.register(name, object: "NodePool \"\(pool.name)\"", field: "spec.limits")
      }
    }
    return (slots, podEffectiveRequests)
  }

  /// The prepared types, with the resources of this call's extra slots (beyond the fixed five)
  /// filled in when pods, DaemonSets or limits registered any.
  private mutating func adoptTypes() throws(NodeAutoscalingError) {
    types = catalogue.types
    if slots.names.count > ResourceSlots().names.count {
      for index in types.indices {
        types[index] = try TypeInfo(types[index].type, slots: slots)
      }
      allocatables = types.map(\.allocatable)
      capacities = types.map(\.capacity)
      allocatableSuffixMinima = PreparedCatalogue.suffixMinima(allocatables)
    } else {
      allocatables = catalogue.allocatables
      capacities = catalogue.capacities
      allocatableSuffixMinima = catalogue.allocatableSuffixMinima
    }
  }

  func typeIndex(named name: String) -> Int? { catalogue.indexByName[name] }

  /// `state.pods[index].id`, read in place (no copy of the pod).
  func podID(_ index: Int) -> String {
    Pod.id(namespace: state.pods[index].namespace, name: state.pods[index].name)
  }

  private mutating func buildDaemons() throws(NodeAutoscalingError) {
    for pod in state.daemonSets {
      let object = "DaemonSet pod \(pod.id)"
      let requests = try slots.vector(
        pod.template.effectiveRequests + [.pods: Quantity(1)], object: object, field: "spec.containers[].resources")
      var base = Requirements()
      for (key, value) in pod.template.nodeSelector { base.add(.equal(WellKnownLabel.normalized(key), value)) }
      var terms: [Requirements] = []
      for (t, term) in pod.template.requiredNodeAffinity.enumerated() {
        var requirements = base
        for (e, expression) in term.matchExpressions.enumerated() {
          requirements.add(
            try Requirement(
              expression, object: object,
              field: "spec.affinity.nodeAffinity.required.nodeSelectorTerms[\(t)].matchExpressions[\(e)]"))
        }
        terms.append(requirements)
      }
      if terms.isEmpty { terms = [base] }
      daemons.append(DaemonInfo(requests: requests, tolerations: pod.template.tolerations, terms: terms, hostPorts: pod.hostPorts, pod: pod))
    }
  }

  /// Whether a DaemonSet pod would run on a template + instance type (`isDaemonPodCompatible`).
  private func daemon(_ daemon: DaemonInfo, runsOn template: Requirements, taints: [Taint], type: Requirements) -> Bool {
    for taint in taints where taint.effect != .preferNoSchedule && !daemon.tolerations.tolerate(taint) { return false }
    for term in daemon.terms {
      if template.isCompatible(with: term, allowUndefined: options.allowUndefinedLabels) && type.intersects(term) {
        return true
      }
    }
    return false
  }

  private mutating func buildTemplates() throws(NodeAutoscalingError) {
    // A local copy for the closure (capturing `self` copies the context).
    let pools = state.nodePools
    let order = pools.indices.sorted { a, b in
      let pa = pools[a]
      let pb = pools[b]
      if pa.weight != pb.weight { return pa.weight > pb.weight }
      return pa.name > pb.name
    }
    for poolIndex in order {
      let pool = state.nodePools[poolIndex]
      try pool.validate()
      // The prepared requirements when the NodePool's inputs to them are unchanged.
      let prepared = catalogue.pools[pool.name]
      let requirements =
        if let prepared, prepared.sourceRequirements == pool.requirements, prepared.sourceLabels == pool.labels {
          prepared.requirements
        } else {
          pool.templateRequirements
        }
      if pool.taints.contains(where: { $0.effect == .preferNoSchedule }) { somePoolHasPreferNoSchedule = true }
      let typeIndices: [Int32]
      let typeZones: Set<String>
      var maxCapacity: ResourceVector?
      if let prepared, prepared.requirements == requirements {
        typeIndices = prepared.typeIndices
        typeZones = prepared.zones
        // Prepared over the fixed slots: the same when this call registered no other resource.
        if slots.names.count == ResourceSlots().names.count { maxCapacity = prepared.maxCapacity }
      } else {
        typeIndices = PreparedCatalogue.admitted(catalogue.members(ofPool: pool.name), by: requirements, types: types)
        typeZones = PreparedCatalogue.zones(of: typeIndices, compatibleWith: requirements, types: types)
      }
      var overhead = catalogue.zeroOverhead
      var hasOverhead = false
      var ports: Set<Int> = []
      for index in typeIndices where !daemons.isEmpty {
        var sum = ResourceVector.zero
        for daemon in daemons where self.daemon(daemon, runsOn: requirements, taints: pool.taints, type: types[Int(index)].requirements) {
          sum += daemon.requests
          ports.formUnion(daemon.hostPorts)
        }
        overhead[Int(index)] = sum
        if sum != .zero { hasOverhead = true }
      }
      let largest = maxCapacity ?? PreparedCatalogue.maxCapacity(of: typeIndices, capacities: capacities)
      var limits = ResourceVector.unlimitedVector
      var nodeLimit: Int64?
      for (name, quantity) in pool.limits.quantities {
        if name.rawValue == "nodes" {
          nodeLimit = quantity.value
        } else if let slot = slots.slot(of: name) {
          // Limits beyond the vector's range (over ~1 PB of memory) are treated as unlimited.
          let milli = quantity.milliValue
          limits.values[slot] = milli >= ResourceVector.cap ? ResourceVector.unlimited : milli
        }
      }
      templates.append(
        Template(
          nodePoolIndex: poolIndex, name: pool.name, requirements: requirements, taints: pool.taints,
          startupTaints: pool.startupTaints, labels: pool.labels, typeIndices: typeIndices, typeZones: typeZones, daemonOverhead: overhead,
          hasDaemonOverhead: hasOverhead, maxCapacity: largest, daemonPorts: ports.sorted(), limits: limits, nodeLimit: nodeLimit))
    }
  }

  private mutating func buildPods() throws(NodeAutoscalingError) {
    var nodeIndex: [String: Int] = [:]
    for (index, node) in state.nodes.enumerated() {
      if nodeIndex[node.name] != nil {
        throw NodeAutoscalingError(.invalidValue, object: "node \(node.name)", field: "metadata.name", message: "two nodes share this name")
      }
      nodeIndex[node.name] = index
    }
    nodeIndexByName = nodeIndex
    podsByNode = Array(repeating: [], count: state.nodes.count)
    podRequests.reserveCapacity(state.pods.count)
    podNode.reserveCapacity(state.pods.count)
    for index in state.pods.indices {
      var object: String { "pod \(state.pods[index].id)" }
      let effective = podEffectiveRequests[index]
      // The pod itself in the pods slot (1000 milli-pods) without building a summed list; a list
      // that names pods, or one the conversion rejects, takes the summed path (the same error).
      if effective[.pods] == nil,
        var requests = try? slots.vector(effective, object: object, field: "spec.containers[].resources")
      {
        requests.values[ResourceSlots.podsSlot] = 1_000
        podRequests.append(requests)
      } else {
        podRequests.append(try slots.vector(effective + [.pods: Quantity(1)], object: object, field: "spec.containers[].resources"))
      }
      if let name = state.pods[index].nodeName {
        guard let node = nodeIndex[name] else {
          throw NodeAutoscalingError(.unknownReference, object: object, field: "spec.nodeName", message: "node \(name) is not in the cluster state")
        }
        podNode.append(Int32(node))
        let isActive = state.pods[index].isActive
        if isActive { podsByNode[node].append(Int32(index)) }
        if isActive && !state.pods[index].template.requiredPodAntiAffinity.isEmpty { antiAffinityOwners.append(Int32(index)) }
      } else {
        podNode.append(-1)
      }
    }
  }

  private mutating func buildNodes() throws(NodeAutoscalingError) {
    if state.nodes.isEmpty { return }
    let poolIndexByName = Dictionary(state.nodePools.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    let ephemeral: Set<String> = [
      "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.cloudprovider.kubernetes.io/uninitialized",
      "karpenter.sh/unregistered",
    ]
    for (index, node) in state.nodes.enumerated() {
      let object = "node \(node.name)"
      let allocatable = try slots.vector(node.allocatable, object: object, field: "status.allocatable")
      let capacity = try slots.vector(node.capacity, object: object, field: "status.capacity")
      var requirements = Requirements.labels(node.labels)
      requirements.remove(WellKnownLabel.hostname)
      let poolIndex = node.nodePool.flatMap { poolIndexByName[$0] }
      var taints = node.taints
      if node.isManaged && !node.isInitialized {
        let startup = poolIndex.map { state.nodePools[$0].startupTaints } ?? []
        taints.removeAll { taint in
          ephemeral.contains(taint.key) || taint.key.hasPrefix("readiness.k8s.io/") || startup.contains(taint)
        }
      }
      var used = ResourceVector.zero
      var daemonBound = ResourceVector.zero
      var ports: [Int] = []
      for podIndex in podsByNode[index] {
        let pod = state.pods[Int(podIndex)]
        used += podRequests[Int(podIndex)]
        ports.append(contentsOf: pod.hostPorts)
        if pod.ownerKind == .daemonSet { daemonBound += podRequests[Int(podIndex)] }
      }
      var daemonExpected = ResourceVector.zero
      let strict = requirements
      for daemon in daemons {
        var tolerated = true
        for taint in taints where !daemon.tolerations.tolerate(taint) { tolerated = false }
        guard tolerated else { continue }
        if daemon.terms.contains(where: { strict.isCompatible(with: $0, allowUndefined: []) }) {
          daemonExpected += daemon.requests
        }
      }
      let daemonRemaining = (daemonExpected - daemonBound).maximum(.zero)
      var underWindow = false
      if let poolIndex, let after = state.nodePools[poolIndex].disruption.consolidateAfterMilliseconds {
        let last = node.lastPodEventAt ?? node.initializedAt ?? node.createdAt
        underWindow = now.milliseconds(since: last) < after
      }
      nodes.append(
        ExistingNodeInfo(
          nodeIndex: index, name: node.name, requirements: requirements, taints: taints,
          remaining: allocatable - used - daemonRemaining, capacity: capacity, hostPorts: ports,
          isInitialized: node.isInitialized, isActive: !node.isMarkedForDeletion, nodePoolIndex: poolIndex,
          underConsolidateAfter: underWindow))
    }
  }

  private mutating func buildUniverse() {
    // The distinct topology keys other than hostname (few: a list, not a set).
    var keys: [String] = [WellKnownLabel.zone]
    func note(_ key: String) {
      let normalized = WellKnownLabel.normalized(key)
      if normalized != WellKnownLabel.hostname && !keys.contains(normalized) { keys.append(normalized) }
    }
    for index in state.pods.indices {
      for constraint in state.pods[index].template.topologySpreadConstraints { note(constraint.topologyKey) }
      for term in state.pods[index].template.requiredPodAffinity { note(term.topologyKey) }
      for term in state.pods[index].template.requiredPodAntiAffinity { note(term.topologyKey) }
      for term in state.pods[index].preferredPodAffinity { note(term.term.topologyKey) }
      for term in state.pods[index].preferredPodAntiAffinity { note(term.term.topologyKey) }
    }
    for key in keys {
      var domains: Set<String> = []
      for template in templates {
        let poolRequirement = template.requirements.get(key)
        if poolRequirement.operator == .in { domains.formUnion(poolRequirement.values) }
        if key == WellKnownLabel.zone {
          // Zones with an available offering the template allows.
          if domains.isEmpty { domains = template.typeZones } else { domains.formUnion(template.typeZones) }
          continue
        }
        for typeIndex in template.typeIndices {
          let requirement = types[Int(typeIndex)].requirements.get(key)
          guard requirement.operator == .in else { continue }
          for value in requirement.values where poolRequirement.has(value) { domains.insert(value) }
        }
      }
      for node in state.nodes { if let value = node.labels[key] { domains.insert(value) } }
      universe[key] = domains.sorted()
    }
  }

  private mutating func buildLimits() {
    for template in templates {
      var remaining = template.limits
      var count: Int64 = 0
      for node in nodes where node.isActive && node.nodePoolIndex == template.nodePoolIndex {
        remaining = remaining.subtractingKeepingUnlimited(node.capacity)
        count += 1
      }
      baseRemaining.append(remaining)
      baseRemainingNodes.append(template.nodeLimit.map { $0 - count })
    }
  }
}
