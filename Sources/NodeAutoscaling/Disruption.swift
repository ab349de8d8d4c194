public import AutoscalingCore

/// A disruption method, in production order (`NewMethods`).
public enum DisruptionMethod: String, Hashable, Sendable, CaseIterable {
  /// Deletes empty nodes (reason `Empty`).
  case emptiness = "Emptiness"
  /// Replaces drifted nodes one at a time (reason `Drifted`).
  case drift = "Drift"
  /// Deletes or replaces a batch of underutilized nodes (reason `Underutilized`).
  case multiNodeConsolidation = "MultiNodeConsolidation"
  /// Deletes or replaces one underutilized node (reason `Underutilized`).
  case singleNodeConsolidation = "SingleNodeConsolidation"

  /// The reason budgets see for this method.
  public var reason: DisruptionReason {
    switch self {
    case .emptiness: return .empty
    case .drift: return .drifted
    case .multiNodeConsolidation, .singleNodeConsolidation: return .underutilized
    }
  }

  /// Production order since #2180: Emptiness, Drift, multi-node, single-node.
  public static let productionOrder: [DisruptionMethod] = [.emptiness, .drift, .multiNodeConsolidation, .singleNodeConsolidation]
  /// The order upstream's unit-test helper (`NewMethodsWithNopValidator`) and v1.0.0 use.
  public static let testHelperOrder: [DisruptionMethod] = [.drift, .emptiness, .multiNodeConsolidation, .singleNodeConsolidation]
}

/// What a command does to its candidates.
public enum DisruptionDecisionKind: String, Hashable, Sendable {
  /// The candidates are deleted; their pods fit elsewhere.
  case delete = "Delete"
  /// The candidates are replaced by new nodes.
  case replace = "Replace"
}

/// A disruption command: the candidates, the replacements, where pods go, and why.
public struct DisruptionCommand: Hashable, Sendable {
  /// The method that produced it.
  public var method: DisruptionMethod
  /// The reason (`Empty`, `Underutilized`, `Drifted`).
  public var reason: DisruptionReason
  /// Delete or replace.
  public var decision: DisruptionDecisionKind
  /// The nodes to remove, in candidate order.
  public var candidates: [String]
  /// The replacement nodes (at most one for consolidation).
  public var replacements: [NodeLaunch]
  /// Where the candidates' pods go (existing node names or replacement names).
  public var podDestinations: [PodBinding]
  /// The candidates' summed offering prices, USD per hour.
  public var candidatePrice: Double
  /// The replacements' launch prices, USD per hour.
  public var replacementPrice: Double
  /// The earliest time it may execute (now + the validation delay).
  public var validateAt: Instant

  /// `candidatePrice − replacementPrice`, USD per hour.
  public var savingsPerHour: Double { candidatePrice - replacementPrice }
}

/// A message about a node, as upstream publishes events (e.g. `Unconsolidatable`).
public struct DisruptionEvent: Hashable, Sendable {
  /// The node, or `nil` for a cluster-level message.
  public var node: String?
  /// The message.
  public var message: String
}

/// The outcome of one disruption reconcile: at most one command, with the events and budgets
/// seen on the way.
public struct DisruptionDecision: Hashable, Sendable {
  /// The command to start, or `nil` when nothing is worth disrupting.
  public var command: DisruptionCommand?
  /// Events published while deciding.
  public var events: [DisruptionEvent]
  /// Allowed disruptions per NodePool for the method that acted (or the last one tried).
  public var allowedDisruptions: [String: Int]
  /// Why nothing happened (when `command` is `nil`), or a summary of the command.
  public var reason: String
}

/// A node considered for disruption (`disruption.Candidate`).
struct Candidate: Sendable {
  var nodeIndex: Int
  var name: String
  var nodePoolIndex: Int
  var instanceType: InstanceType?
  var capacityType: CapacityType?
  var zone: String?
  var price: Double
  var reschedulablePods: [Int]
  var disruptionCost: Double
  var rescheduleDisruptionCost: Double
  var isEmpty: Bool
  var isConsolidatable: Bool
  var savingsRatio: Double { price / rescheduleDisruptionCost }
}

extension NodeAutoscaler {
  /// One disruption reconcile (`Controller.Reconcile`): tries the methods in order and returns
  /// the first command found, with its reason, or why there is none.
  ///
  /// - Parameters:
  ///   - state: The cluster.
  ///   - now: The current time.
  ///   - methods: The methods to try, in order (production order by default).
  /// - Returns: The decision.
  /// - Throws: ``NodeAutoscalingError`` for invalid input.
  public func disrupt(
    _ state: ClusterState, now: Instant, methods: [DisruptionMethod] = DisruptionMethod.productionOrder
  ) throws(NodeAutoscalingError) -> DisruptionDecision {
    try disrupt(state, preparing: nil, now: now, methods: methods)
  }

  /// ``disrupt(_:now:methods:)`` with the instance types prepared once and reused across calls
  /// (the same decision, without preparing the catalogue again).
  ///
  /// - Parameters:
  ///   - state: The cluster.
  ///   - catalogue: `state`'s instance types, prepared (``PreparedCatalogue/init(_:)``).
  ///   - now: The current time.
  ///   - methods: The methods to try, in order (production order by default).
  /// - Returns: The decision.
  /// - Throws: ``NodeAutoscalingError`` for invalid input, or when `catalogue` was prepared
  ///   from other instance types than `state`'s.
  public func disrupt(
    _ state: ClusterState, catalogue: PreparedCatalogue, now: Instant,
    methods: [DisruptionMethod] = DisruptionMethod.productionOrder
  ) throws(NodeAutoscalingError) -> DisruptionDecision {
    try disrupt(state, preparing: catalogue, now: now, methods: methods)
  }

  private func disrupt(
    _ state: ClusterState, preparing catalogue: PreparedCatalogue?, now: Instant, methods: [DisruptionMethod]
  ) throws(NodeAutoscalingError) -> DisruptionDecision {
    var engine = try DisruptionEngine(state: state, options: options, now: now, catalogue: catalogue)
    var events: [DisruptionEvent] = []
    var lastBudgets: [String: Int] = [:]
    for method in methods {
      let budgets = engine.budgetMapping(for: method.reason)
      lastBudgets = Dictionary(uniqueKeysWithValues: budgets.enumerated().map { (state.nodePools[$0.offset].name, $0.element) })
      let command: DisruptionCommand?
      switch method {
      case .emptiness: command = try engine.emptiness(budgets: budgets, events: &events)
      case .drift: command = try engine.drift(budgets: budgets, events: &events)
      case .multiNodeConsolidation: command = try engine.multiNode(budgets: budgets, events: &events)
      case .singleNodeConsolidation: command = try engine.singleNode(budgets: budgets, events: &events)
      }
      if let command {
        let verb = command.decision == .delete ? "delete" : "replace with \(command.replacements.map(\.instanceType).joined(separator: ", "))"
        return DisruptionDecision(
          command: command, events: events, allowedDisruptions: lastBudgets,
          reason: "\(method.rawValue) (\(command.reason.rawValue)): \(verb) \(command.candidates.joined(separator: ", ")), saving \(command.savingsPerHour) USD/h")
      }
    }
    return DisruptionDecision(
      command: nil, events: events, allowedDisruptions: lastBudgets,
      reason: events.last?.message ?? "no node is a disruption candidate")
  }
}

/// Disruption state for one reconcile: the scheduling context, the candidates and the topology
/// cache shared by every simulation.
struct DisruptionEngine {
  let state: ClusterState
  let options: NodeAutoscalerOptions
  let now: Instant
  let context: SchedulingContext
  var cache = TopologyCountCache()
  var candidates: [Candidate] = []
  var pendingPods: [Int] = []
  var deletingPods: [Int] = []

  init(state: ClusterState, options: NodeAutoscalerOptions, now: Instant, catalogue: PreparedCatalogue?)
    throws(NodeAutoscalingError)
  {
    self.state = state
    self.options = options
    self.now = now
    context = try SchedulingContext(state: state, options: options, now: now, catalogue: catalogue)
    for (index, pod) in state.pods.enumerated() where pod.ownerKind != .daemonSet && pod.ownerKind != .node {
      if pod.nodeName == nil {
        if pod.isActive { pendingPods.append(index) }
      } else if context.podNode[index] >= 0, state.nodes[Int(context.podNode[index])].isMarkedForDeletion, pod.isReschedulable {
        deletingPods.append(index)
      }
    }
    candidates = buildCandidates()
  }

  // MARK: Candidates

  func buildCandidates() -> [Candidate] {
    var result: [Candidate] = []
    let poolIndex = Dictionary(state.nodePools.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    for (nodeIndex, node) in state.nodes.enumerated() {
      guard let poolName = node.nodePool, let pool = poolIndex[poolName] else { continue }
      guard node.isInitialized, !node.isMarkedForDeletion, !node.isNominated else { continue }
      if node.annotations[WellKnownLabel.doNotDisrupt] == "true" { continue }
      var blocked = false
      var reschedulable: [Int] = []
      var disruptionCost = 0.0
      var rescheduleCost = 1.0
      let nodePool = state.nodePools[pool]
      var lifetime = 1.0
      if let expire = nodePool.expireAfterMilliseconds, expire > 0 {
        let age = Double(now.milliseconds(since: node.createdAt))
        lifetime = Swift.min(Swift.max((Double(expire) - age) / Double(expire), 0), 1)
      }
      for podIndex in context.podsByNode[nodeIndex] {
        let pod = state.pods[Int(podIndex)]
        if pod.blocksDisruption(now: now) {
          blocked = true
          break
        }
        let evictable = pod.isActive && pod.ownerKind != .node && pod.ownerKind != .daemonSet
        if evictable {
          let covering = state.podDisruptionBudgets.filter { $0.covers(pod) }
          if covering.count > 1 || covering.contains(where: { $0.disruptionsAllowed <= 0 }) {
            blocked = true
            break
          }
        }
        disruptionCost += pod.evictionCost * lifetime
        if pod.isReschedulable {
          reschedulable.append(Int(podIndex))
          rescheduleCost += Swift.max(0, pod.evictionCost)
        }
      }
      if blocked { continue }
      let typeName = node.instanceTypeName
      let type = typeName.flatMap { context.catalogue.instanceType(named: $0, pool: poolName) }
      let capacityType = node.capacityType
      let zone = node.zone
      var price = 0.0
      if let type, let capacityType, let zone { price = type.price(zone: zone, capacityType: capacityType) ?? 0 }
      let empty: Bool
      switch options.disruptionGeneration {
      case .current: empty = rescheduleCost <= 1.0
      case .legacy: empty = reschedulable.isEmpty
      }
      var consolidatable = false
      if let forced = node.consolidatableOverride {
        consolidatable = forced
      } else if let after = nodePool.disruption.consolidateAfterMilliseconds {
        let last = node.lastPodEventAt ?? node.initializedAt ?? node.createdAt
        consolidatable = now.milliseconds(since: last) >= after
      }
      result.append(
        Candidate(
          nodeIndex: nodeIndex, name: node.name, nodePoolIndex: pool, instanceType: type, capacityType: capacityType,
          zone: zone, price: price, reschedulablePods: reschedulable, disruptionCost: disruptionCost,
          rescheduleDisruptionCost: rescheduleCost, isEmpty: empty, isConsolidatable: consolidatable))
    }
    return result
  }

  func sorted(_ list: [Candidate]) -> [Candidate] {
    list.sorted { a, b in
      switch options.disruptionGeneration {
      case .current:
        if a.savingsRatio != b.savingsRatio { return a.savingsRatio > b.savingsRatio }
      case .legacy:
        if a.disruptionCost != b.disruptionCost { return a.disruptionCost < b.disruptionCost }
      }
      return a.name < b.name
    }
  }

  /// `BuildDisruptionBudgetMapping`: allowed disruptions per NodePool (index-aligned).
  func budgetMapping(for reason: DisruptionReason) -> [Int] {
    state.nodePools.map { pool in
      var counted = 0
      var disrupting = 0
      for node in state.nodes where node.nodePool == pool.name && node.isInitialized {
        counted += 1
        if node.isMarkedForDeletion { disrupting += 1 }
      }
      let allowed = pool.allowedDisruptions(reason: reason, numNodes: counted, now: now)
      return Swift.max(allowed - disrupting, 0)
    }
  }

  func consolidationEligible(_ candidate: Candidate) -> Bool {
    let pool = state.nodePools[candidate.nodePoolIndex]
    guard pool.disruption.consolidateAfterMilliseconds != nil else { return false }
    guard candidate.instanceType != nil, candidate.zone != nil, candidate.capacityType != nil else { return false }
    return !candidate.isEmpty && pool.disruption.consolidationPolicy != .whenEmpty && candidate.isConsolidatable
  }

  // MARK: Methods

  mutating func emptiness(budgets: [Int], events: inout [DisruptionEvent]) throws(NodeAutoscalingError) -> DisruptionCommand? {
    var budgets = budgets
    var chosen: [Candidate] = []
    for candidate in sorted(candidates) {
      let pool = state.nodePools[candidate.nodePoolIndex]
      guard pool.disruption.consolidateAfterMilliseconds != nil, candidate.isEmpty, candidate.isConsolidatable else { continue }
      guard budgets[candidate.nodePoolIndex] > 0 else {
        events.append(DisruptionEvent(node: candidate.name, message: "Not disrupting: disruption budget for nodepool \"\(pool.name)\" (Empty) is exhausted"))
        continue
      }
      budgets[candidate.nodePoolIndex] -= 1
      chosen.append(candidate)
    }
    guard !chosen.isEmpty else { return nil }
    return DisruptionCommand(
      method: .emptiness, reason: .empty, decision: .delete, candidates: chosen.map(\.name), replacements: [],
      podDestinations: [], candidatePrice: chosen.reduce(0) { $0 + $1.price }, replacementPrice: 0,
      validateAt: now + .milliseconds(options.validationDelayMilliseconds))
  }

  mutating func drift(budgets: [Int], events: inout [DisruptionEvent]) throws(NodeAutoscalingError) -> DisruptionCommand? {
    let drifted = candidates.filter { state.nodes[$0.nodeIndex].isDrifted }
      .sorted { a, b in
        if a.reschedulablePods.isEmpty != b.reschedulablePods.isEmpty { return a.reschedulablePods.isEmpty }
        return a.name < b.name
      }
    for candidate in drifted where budgets[candidate.nodePoolIndex] > 0 {
      let simulation = try simulate([candidate])
      if let failure = simulation.failure {
        events.append(DisruptionEvent(node: candidate.name, message: failure))
        continue
      }
      var replacements: [NodeLaunch] = []
      var memo: [OfferingKey: OfferingTable] = [:]
      for claim in simulation.scheduler.claims {
        if case .success(let launch) = simulation.scheduler.launch(for: claim, memo: &memo, name: "replacement-\(replacements.count + 1)") {
          replacements.append(launch)
        }
      }
      return command(.drift, [candidate], simulation, replacements: replacements)
    }
    return nil
  }

  mutating func multiNode(budgets: [Int], events: inout [DisruptionEvent]) throws(NodeAutoscalingError) -> DisruptionCommand? {
    var budgets = budgets
    var eligible: [Candidate] = []
    for candidate in sorted(candidates.filter(consolidationEligible)) where budgets[candidate.nodePoolIndex] > 0 {
      budgets[candidate.nodePoolIndex] -= 1
      eligible.append(candidate)
    }
    guard eligible.count >= 2 else { return nil }
    let cap = options.multiNodeMaxCandidates
    var low = 1
    var high = eligible.count <= cap ? eligible.count - 1 : cap
    var last: DisruptionCommand?
    var ignored: [DisruptionEvent] = []
    while low <= high {
      let mid = (low + high) / 2
      let batch = Array(eligible[0...mid])
      var valid = false
      if let command = try consolidation(batch, events: &ignored), approved(command, batch) {
        valid = true
        last = command
      }
      if valid { low = mid + 1 } else { high = mid - 1 }
    }
    return last
  }

  mutating func singleNode(budgets: [Int], events: inout [DisruptionEvent]) throws(NodeAutoscalingError) -> DisruptionCommand? {
    let eligible = sorted(candidates.filter(consolidationEligible))
    // Round-robin across NodePools, keeping each NodePool's order.
    var queues: [Int: [Candidate]] = [:]
    var poolOrder: [Int] = []
    for candidate in eligible {
      if queues[candidate.nodePoolIndex] == nil { poolOrder.append(candidate.nodePoolIndex) }
      queues[candidate.nodePoolIndex, default: []].append(candidate)
    }
    var interleaved: [Candidate] = []
    var round = 0
    while interleaved.count < eligible.count {
      for pool in poolOrder {
        if let queue = queues[pool], round < queue.count { interleaved.append(queue[round]) }
      }
      round += 1
    }
    for candidate in interleaved {
      guard budgets[candidate.nodePoolIndex] > 0 else { continue }
      if let command = try consolidation([candidate], events: &events), approved(command, [candidate]) {
        return command
      }
    }
    return nil
  }

  // MARK: Consolidation

  struct Simulation {
    var scheduler: Scheduler
    var failure: String?
  }

  /// `SimulateScheduling`: the candidates' reschedulable pods plus pending and deleting pods
  /// over the other nodes and new NodeClaims.
  mutating func simulate(_ batch: [Candidate]) throws(NodeAutoscalingError) -> Simulation {
    var podIndices = pendingPods + deletingPods
    let pdbBlocked = state.podDisruptionBudgets.filter(\.isFullyBlocking)
    for candidate in batch {
      for pod in candidate.reschedulablePods {
        let value = state.pods[pod]
        if value.blocksDisruption(now: now) { continue }
        if pdbBlocked.contains(where: { $0.covers(value) }) { continue }
        podIndices.append(pod)
      }
    }
    var scheduler = try Scheduler(
      context: context, podIndices: podIndices, excluded: Set(batch.map(\.nodeIndex)), deleting: Set(deletingPods),
      isConsolidation: true, cache: &cache)
    try scheduler.solve(cache: &cache)
    let pending = Set(pendingPods)
    for (data, error) in scheduler.errors.sorted(by: { $0.key < $1.key }) where !pending.contains(scheduler.pods[data].podIndex) {
      return Simulation(
        scheduler: scheduler,
        failure: "Not all pods would schedule, \(state.pods[scheduler.pods[data].podIndex].id) => \(error)")
    }
    for (podIndex, node) in scheduler.uninitializedPlacements.sorted(by: { $0.key < $1.key }) where !pending.contains(podIndex) {
      return Simulation(
        scheduler: scheduler,
        failure: "Not all pods would schedule, \(state.pods[podIndex].id) => would schedule against uninitialized nodeclaim/\(node)")
    }
    return Simulation(scheduler: scheduler, failure: nil)
  }

  func command(_ method: DisruptionMethod, _ batch: [Candidate], _ simulation: Simulation, replacements: [NodeLaunch])
    -> DisruptionCommand
  {
    var destinations: [PodBinding] = []
    let moved = Set(batch.flatMap(\.reschedulablePods))
    let plan = simulation.scheduler
    for node in plan.existingOrder {
      for pod in plan.existingPods[node] where moved.contains(Int(pod)) {
        destinations.append(PodBinding(pod: state.pods[Int(pod)].id, node: context.nodes[node].name, isNewNode: false))
      }
    }
    for (index, replacement) in replacements.enumerated() where index < plan.claims.count {
      for pod in plan.claims[index].pods where moved.contains(Int(pod)) {
        destinations.append(PodBinding(pod: state.pods[Int(pod)].id, node: replacement.name, isNewNode: true))
      }
    }
    return DisruptionCommand(
      method: method, reason: method.reason, decision: replacements.isEmpty ? .delete : .replace,
      candidates: batch.map(\.name), replacements: replacements, podDestinations: destinations,
      candidatePrice: batch.reduce(0) { $0 + $1.price }, replacementPrice: replacements.reduce(0) { $0 + $1.offering.price },
      validateAt: now + .milliseconds(options.validationDelayMilliseconds))
  }

  /// `computeConsolidation`: Delete when the pods fit elsewhere, Replace with one strictly
  /// cheaper node, otherwise nothing (with an event for single candidates).
  mutating func consolidation(_ batch: [Candidate], events: inout [DisruptionEvent]) throws(NodeAutoscalingError)
    -> DisruptionCommand?
  {
    let method: DisruptionMethod = batch.count == 1 ? .singleNodeConsolidation : .multiNodeConsolidation
    let single = batch.count == 1 ? batch[0].name : nil
    let simulation = try simulate(batch)
    if let failure = simulation.failure {
      if let single { events.append(DisruptionEvent(node: single, message: failure)) }
      return nil
    }
    let scheduler = simulation.scheduler
    if scheduler.claims.isEmpty { return command(method, batch, simulation, replacements: []) }
    if scheduler.claims.count > 1 {
      if let single {
        events.append(DisruptionEvent(node: single, message: "Can't remove without creating \(scheduler.claims.count) candidates"))
      }
      return nil
    }
    var claim = scheduler.claims[0]
    let candidatePrice = batch.reduce(0) { $0 + $1.price }
    var memo: [OfferingKey: OfferingTable] = [:]
    claim.options = scheduler.orderedOptions(claim, table: scheduler.offeringTable(claim.requirements, memo: &memo))
    let capacityTypes = claim.requirements.get(WellKnownLabel.capacityType)
    let allSpot = batch.allSatisfy { $0.capacityType == .spot }
    if allSpot && capacityTypes.has(CapacityType.spot.rawValue) {
      guard options.spotToSpotConsolidation else {
        if let single {
          events.append(DisruptionEvent(node: single, message: "SpotToSpotConsolidation is disabled, can't replace a spot node with a spot node"))
        }
        return nil
      }
      claim.requirements.add(.equal(WellKnownLabel.capacityType, CapacityType.spot.rawValue))
      claim.options = claim.options.filter { option in
        context.types[Int(option)].type.worstLaunchPrice(compatibleWith: claim.requirements) < candidatePrice
      }
      if claim.options.isEmpty || scheduler.minValuesShortfall(claim.options, claim.requirements) != nil {
        if let single { events.append(DisruptionEvent(node: single, message: "Can't replace spot node with a cheaper spot node")) }
        return nil
      }
      if single != nil {
        let needed = options.spotToSpotMinInstanceTypes
        if claim.options.count < needed {
          events.append(
            DisruptionEvent(
              node: single,
              message: "SpotToSpotConsolidation requires \(needed) cheaper instance type options than the current candidate to consolidate, got \(claim.options.count)"))
          return nil
        }
        let minValues = claim.requirements.byKey.values.compactMap(\.minValues).max() ?? 0
        let keep = Swift.max(needed, minValues)
        if claim.options.count > keep { claim.options.removeLast(claim.options.count - keep) }
      }
    } else {
      claim.options = claim.options.filter { option in
        context.types[Int(option)].type.worstLaunchPrice(compatibleWith: claim.requirements) < candidatePrice
      }
      if claim.options.isEmpty || scheduler.minValuesShortfall(claim.options, claim.requirements) != nil {
        if let single { events.append(DisruptionEvent(node: single, message: "Can't replace with a cheaper node")) }
        return nil
      }
      if capacityTypes.has(CapacityType.spot.rawValue) && capacityTypes.has(CapacityType.onDemand.rawValue) {
        claim.requirements.add(.equal(WellKnownLabel.capacityType, CapacityType.spot.rawValue))
      }
    }
    if batch.count > 1 {
      // filterOutSameInstanceType: replacing two nodes by a third of the same type is just a delete.
      var maxPrice = Double.infinity
      let optionSet = Set(claim.options)
      for candidate in batch {
        if let type = candidate.instanceType, let index = context.typeIndex(named: type.name), optionSet.contains(Int32(index)) {
          maxPrice = Swift.min(maxPrice, candidate.price)
        }
      }
      if maxPrice < .infinity {
        claim.options = claim.options.filter { option in
          context.types[Int(option)].type.worstLaunchPrice(compatibleWith: claim.requirements) < maxPrice
        }
        if claim.options.isEmpty { return nil }
      }
    }
    switch scheduler.launch(for: claim, memo: &memo, name: "replacement-1") {
    case .failure(let reason):
      if let single { events.append(DisruptionEvent(node: single, message: reason)) }
      return nil
    case .success(let launch):
      return command(method, batch, simulation, replacements: [launch])
    }
  }

  /// Balanced approval (`balanced.go`): every Balanced NodePool in the move needs
  /// `(savings/totalCost)/(moveDisruption/totalDisruption) ≥ 1/k`; other policies always pass.
  func approved(_ command: DisruptionCommand, _ batch: [Candidate]) -> Bool {
    let pools = Set(batch.map(\.nodePoolIndex))
    guard pools.contains(where: { state.nodePools[$0].disruption.consolidationPolicy == .balanced }) else { return true }
    let savings = command.candidatePrice - (command.replacements.first.map { cheapestPrice($0) } ?? 0)
    for pool in pools where state.nodePools[pool].disruption.consolidationPolicy == .balanced {
      let members = batch.filter { $0.nodePoolIndex == pool }
      let poolCandidates = candidates.filter { $0.nodePoolIndex == pool }
      let totalCost = poolCandidates.reduce(0) { $0 + $1.price }
      let totalDisruption = poolCandidates.reduce(0) { $0 + $1.rescheduleDisruptionCost }
      let sourceCost = members.reduce(0) { $0 + $1.price }
      let share = command.candidatePrice > 0 ? sourceCost / command.candidatePrice : 0
      let moveDisruption = members.reduce(0) { $0 + $1.rescheduleDisruptionCost }
      guard totalCost > 0, totalDisruption > 0, moveDisruption > 0 else { return false }
      let score = (savings * share / totalCost) / (moveDisruption / totalDisruption)
      if !(score >= 1 / options.balancedK) { return false }
    }
    return true
  }

  func cheapestPrice(_ launch: NodeLaunch) -> Double {
    guard let name = launch.instanceTypeOptions.first, let index = context.typeIndex(named: name) else {
      return launch.offering.price
    }
    return context.types[index].type.cheapestOffering(compatibleWith: launch.requirements)?.price ?? launch.offering.price
  }
}
