public import AutoscalingCore

/// Karpenter's provisioning and disruption decisions as pure functions of a cluster state and
/// the time.
public struct NodeAutoscaler: Hashable, Sendable {
  /// Behaviour switches and knobs.
  public var options: NodeAutoscalerOptions

  /// Creates an autoscaler.
  ///
  /// - Parameter options: Behaviour switches (upstream defaults when omitted).
  public init(options: NodeAutoscalerOptions = NodeAutoscalerOptions()) { self.options = options }

  /// Plans nodes for the pending pods (`Provisioner.Schedule` → `Scheduler.Solve`): pods in
  /// queue order go to existing nodes, then in-flight NodeClaims, then new NodeClaims from the
  /// NodePools in weight order; each new node gets the cheapest offering that fits.
  ///
  /// Pods scheduled are the unbound, active pods not owned by a DaemonSet or Node, plus the
  /// reschedulable pods of nodes marked for deletion.
  ///
  /// - Parameters:
  ///   - state: The cluster.
  ///   - now: The current time (consolidateAfter windows, do-not-disrupt durations).
  /// - Returns: The launches, pod bindings, and pods left pending with reasons.
  /// - Throws: ``NodeAutoscalingError`` for invalid input (negative resources, contradictory
  ///   requirements, unknown references, invalid NodePools).
  public func schedule(_ state: ClusterState, now: Instant) throws(NodeAutoscalingError) -> ProvisioningPlan {
    try schedule(state, preparing: nil, now: now)
  }

  /// ``schedule(_:now:)`` with the instance types prepared once and reused across calls (the
  /// same plan, without preparing the catalogue again — what a caller planning many times over
  /// one catalogue, such as a replay, wants).
  ///
  /// - Parameters:
  ///   - state: The cluster.
  ///   - catalogue: `state`'s instance types, prepared (``PreparedCatalogue/init(_:)``).
  ///   - now: The current time (consolidateAfter windows, do-not-disrupt durations).
  /// - Returns: The launches, pod bindings, and pods left pending with reasons.
  /// - Throws: ``NodeAutoscalingError`` for invalid input (negative resources, contradictory
  ///   requirements, unknown references, invalid NodePools), or when `catalogue` was prepared
  ///   from other instance types than `state`'s.
  public func schedule(_ state: ClusterState, catalogue: PreparedCatalogue, now: Instant) throws(NodeAutoscalingError)
    -> ProvisioningPlan
  {
    try schedule(state, preparing: catalogue, now: now)
  }

  private func schedule(_ state: ClusterState, preparing catalogue: PreparedCatalogue?, now: Instant)
    throws(NodeAutoscalingError) -> ProvisioningPlan
  {
    let context = try SchedulingContext(state: state, options: options, now: now, catalogue: catalogue)
    var podIndices: [Int] = []
    var deleting: Set<Int> = []
    for index in state.pods.indices {
      let ownerKind = state.pods[index].ownerKind
      if ownerKind == .daemonSet || ownerKind == .node { continue }
      if state.pods[index].nodeName == nil {
        if state.pods[index].isActive { podIndices.append(index) }
      } else if context.podNode[index] >= 0, state.nodes[Int(context.podNode[index])].isMarkedForDeletion,
        state.pods[index].isReschedulable
      {
        podIndices.append(index)
        deleting.insert(index)
      }
    }
    // One simulation: its groups are kept by the scheduler, nothing to share.
    var cache = TopologyCountCache(memoize: false)
    var scheduler = try Scheduler(
      context: context, podIndices: podIndices, excluded: [], deleting: deleting, isConsolidation: false, cache: &cache)
    try scheduler.solve(cache: &cache)
    return scheduler.plan()
  }
}

extension Scheduler {
  /// The plan: finalized claims as launches, bindings, and pending pods with reasons.
  func plan() -> ProvisioningPlan {
    var bindings: [PodBinding] = []
    var pending: [PendingPod] = []
    var errors = self.errors
    for node in existingOrder {
      for podIndex in existingPods[node] {
        bindings.append(
          PodBinding(pod: context.podID(Int(podIndex)), node: context.nodes[node].name, isNewNode: false))
      }
    }
    var launches: [NodeLaunch] = []
    var memo: [OfferingKey: OfferingTable] = [:]
    var orders: [LaunchOptionsKey: LaunchOptions] = [:]
    for claim in claims {
      switch launch(for: claim, memo: &memo, orders: &orders, memoizeOrder: claims.count > 1, name: "hostname-placeholder-\(String(launches.count + 1).leftPadded(to: 4))") {
      case .success(let launch):
        launches.append(launch)
        for podIndex in claim.pods {
          bindings.append(PodBinding(pod: context.podID(Int(podIndex)), node: launch.name, isNewNode: true))
        }
      case .failure(let reason):
        for podIndex in claim.pods {
          if let data = pods.firstIndex(where: { $0.podIndex == Int(podIndex) }) { errors[data] = reason }
        }
      }
    }
    for (data, reason) in errors.sorted(by: { $0.key < $1.key }) {
      pending.append(PendingPod(pod: context.podID(pods[data].podIndex), reason: reason))
    }
    return ProvisioningPlan(launches: launches, bindings: bindings, pending: pending)
  }

  enum LaunchResult {
    case success(NodeLaunch)
    case failure(String)
  }

  /// `FinalizeScheduling` + `ToNodeClaim` + the cloud provider's choice: daemon overhead, price
  /// order, truncation, then the cheapest offering of the preferred capacity type that fits.
  func launch(for claim: Claim, memo: inout [OfferingKey: OfferingTable], name: String) -> LaunchResult {
    var orders: [LaunchOptionsKey: LaunchOptions] = [:]
    return launch(for: claim, memo: &memo, orders: &orders, memoizeOrder: false, name: name)
  }

  /// ``launch(for:memo:name:)`` with the price order of each distinct option list memoized when
  /// `memoizeOrder` (claims of one plan share few distinct option lists; a lone claim skips
  /// hashing its option list).
  func launch(
    for claim: Claim, memo: inout [OfferingKey: OfferingTable], orders: inout [LaunchOptionsKey: LaunchOptions],
    memoizeOrder: Bool, name: String
  ) -> LaunchResult {
    let template = context.templates[claim.template]
    let requests = claim.requests + daemonOverhead(claim)
    let table = offeringTable(claim.requirements, memo: &memo)
    let order: LaunchOptions
    if memoizeOrder {
      let orderKey = LaunchOptionsKey(options: claim.options, offerings: offeringKey(claim.requirements))
      if let known = orders[orderKey] {
        order = known
      } else {
        order = launchOptions(claim, table: table)
        orders[orderKey] = order
      }
    } else {
      order = launchOptions(claim, table: table)
    }
    let ordered = order.ordered
    var minValuesRelaxed = claim.minValuesRelaxed
    if let shortfall = minValuesShortfall(ordered, claim.requirements) {
      if context.options.minValuesPolicy == .strict { return .failure(shortfall) }
      minValuesRelaxed = true
    }
    // The first capacity type (reserved, spot, on-demand) with a fitting option: its cheapest
    // offering, ties to the earlier option.
    var choice: (option: Int32, offering: Int32)?
    var choicePrice = Double.infinity
    let allocatables = context.allocatables
    let index = context.catalogue.index
    for slot in 0..<3 where table.slotUsed[slot] {
      let best = table.best[slot]
      for option in ordered {
        let offering = best[Int(option)]
        guard offering >= 0 else { continue }
        let price = index.offeringPrice[Int(index.offeringStart[Int(option)] + offering)]
        guard price < choicePrice else { continue }
        guard requests.fits(in: allocatables[Int(option)]) else { continue }
        choice = (option, offering)
        choicePrice = price
      }
      if choice != nil { break }
    }
    guard let choice else {
      return .failure("no instance type option fits the NodeClaim requests with an available offering")
    }
    let chosen = (option: choice.option, offering: context.types[Int(choice.option)].type.offerings[Int(choice.offering)])
    let type = context.types[Int(chosen.option)].type
    var requirements = claim.requirements
    requirements.add(order.instanceTypes)
    requirements.add(order.capacityTypes)
    var labels = template.labels
    labels.reserveCapacity(labels.count + claim.requirements.byKey.count + type.labels.count + 7)
    for (key, requirement) in claim.requirements.byKey
    where !requirement.isComplement && requirement.values.count == 1 && !WellKnownLabel.isRestricted(key) {
      labels[key] = requirement.values.first
    }
    for (key, value) in type.labels { labels[key] = value }
    labels[WellKnownLabel.nodePool] = template.name
    labels[WellKnownLabel.instanceType] = type.name
    labels[WellKnownLabel.zone] = chosen.offering.zone
    labels[WellKnownLabel.capacityType] = chosen.offering.capacityType.rawValue
    labels[WellKnownLabel.arch] = type.architecture
    let os = claim.requirements.get(WellKnownLabel.os)
    labels[WellKnownLabel.os] = type.operatingSystems.contains("linux") && os.has("linux")
      ? "linux" : type.operatingSystems.sorted().first { os.has($0) } ?? "linux"
    labels[WellKnownLabel.hostname] = name
    return .success(
      NodeLaunch(
        name: name, nodePool: template.name, instanceType: type.name, offering: chosen.offering,
        instanceTypeOptions: order.names, requests: context.slots.list(requests),
        capacity: type.capacity, allocatable: context.types[Int(chosen.option)].allocatableList, labels: labels, taints: template.taints,
        startupTaints: template.startupTaints, requirements: requirements, minValuesRelaxed: minValuesRelaxed,
        pods: claim.pods.map { context.podID(Int($0)) }))
  }
}

/// A claim's option list and the offering requirements its price order depends on.
struct LaunchOptionsKey: Hashable, Sendable {
  var options: [Int32]
  var offerings: OfferingKey

  /// Hashes the length, a sample of the options and the offering key (equality still compares
  /// every option): hashing hundreds of options per claim cost more than the lookup saved, and
  /// one plan's option lists differ mostly in length and ends.
  func hash(into hasher: inout Hasher) {
    hasher.combine(options.count)
    let stride = Swift.max(1, options.count / 8)
    var position = 0
    while position < options.count {
      hasher.combine(options[position])
      position += stride
    }
    hasher.combine(options.last)
    hasher.combine(offerings)
  }
}

/// A claim's options in price order (truncated to the instance-type cap), with the instance-type
/// and capacity-type requirements the NodeClaim gets from them (`ToNodeClaim`).
struct LaunchOptions: Sendable {
  var ordered: [Int32]
  var names: [String]
  var instanceTypes: Requirement
  var capacityTypes: Requirement
}

extension Scheduler {
  func launchOptions(_ claim: Claim, table: OfferingTable) -> LaunchOptions {
    var ordered = orderedOptions(claim, table: table)
    if ordered.count > context.options.maxInstanceTypes { ordered.removeLast(ordered.count - context.options.maxInstanceTypes) }
    let everyType = ordered == context.catalogue.unconstrainedOrder
    let typeNames = context.catalogue.typeNames
    let names = everyType ? context.catalogue.unconstrainedNames : ordered.map { typeNames[Int($0)] }
    let instanceTypes: Requirement
    if everyType {
      instanceTypes = Requirement(key: WellKnownLabel.instanceType, complement: false, values: context.catalogue.names)
    } else if ordered.count * 2 >= context.types.count {
      // The catalogue's name set less the types not kept (the same set as `oneOf(names)`).
      var kept = [Bool](repeating: false, count: context.types.count)
      for option in ordered { kept[Int(option)] = true }
      var values = context.catalogue.names
      for index in kept.indices where !kept[index] { values.remove(typeNames[index]) }
      instanceTypes = Requirement(key: WellKnownLabel.instanceType, complement: false, values: values)
    } else {
      instanceTypes = .oneOf(WellKnownLabel.instanceType, names)
    }
    var capacityTypes: Set<String> = []
    for (slot, type) in [CapacityType.reserved, .spot, .onDemand].enumerated()
    where table.slotUsed[slot] && ordered.contains(where: { table.best[slot][Int($0)] >= 0 }) {
      capacityTypes.insert(type.rawValue)
    }
    return LaunchOptions(
      ordered: ordered, names: names, instanceTypes: instanceTypes,
      capacityTypes: .oneOf(WellKnownLabel.capacityType, capacityTypes))
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}

extension ClusterState {
  /// The state after a plan is carried out: launched nodes join (named as in the plan) with
  /// their labels, taints, capacity and allocatable, and bound pods get their node.
  ///
  /// - Parameters:
  ///   - plan: A provisioning plan for this state.
  ///   - now: When the nodes are created (and initialized, if `initialized`).
  ///   - initialized: Whether the new nodes are initialized (`false` models in-flight nodes).
  /// - Returns: The new state.
  public func applying(_ plan: ProvisioningPlan, at now: Instant, initialized: Bool = true) -> ClusterState {
    var next = self
    for launch in plan.launches {
      next.nodes.append(
        Node(
          name: launch.name, nodePool: launch.nodePool, labels: launch.labels,
          taints: launch.taints + (initialized ? [] : launch.startupTaints), capacity: launch.capacity,
          allocatable: launch.allocatable, isInitialized: initialized, createdAt: now, initializedAt: initialized ? now : nil,
          lastPodEventAt: now))
    }
    var nodeByPod: [String: String] = [:]
    for binding in plan.bindings { nodeByPod[binding.pod] = binding.node }
    for index in next.pods.indices {
      if let node = nodeByPod[next.pods[index].id] {
        next.pods[index].nodeName = node
        if next.pods[index].startedAt == nil { next.pods[index].startedAt = now }
      }
    }
    return next
  }
}
