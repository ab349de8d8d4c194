import AutoscalingCore
public import NodeAutoscaling

/// Replays pod arrivals and departures against Karpenter's provisioning and disruption.
///
/// The model, event by event (same-time events in this order: departures, arrivals, nodes
/// becoming ready, spot interruptions, the batch, a pending validation, the disruption loop):
/// - an arriving pod is first offered to existing nodes (ready or launching, as the scheduler
///   nominates); what does not fit opens or extends a provisioning batch, which closes after
///   `batchIdleMilliseconds` without a new pod or `batchMaxMilliseconds` after it opened, and then
///   `NodeAutoscaler.schedule` launches nodes (named `node-00001`, …);
/// - a launched node is initialized `nodeLaunchMilliseconds` later (startup taints removed); its
///   pods are pending until then;
/// - every `consolidationIntervalMilliseconds` the disruption loop runs `NodeAutoscaler.disrupt`;
///   a command is re-validated after the validation delay (15 s) and carried out only when the
///   same method proposes the same candidates again. A delete moves the pods to their
///   destinations at once; a replace launches the replacements and moves the pods and removes the
///   candidates when every replacement is initialized. One command at a time;
/// - with `SpotInterruptions`, each spot node draws an exponential lifetime at launch; when it
///   ends, the node disappears and its pods go pending (no two-minute notice modelled).
/// Pods left unschedulable are retried at the next batch (opened by an arrival, a departure or a
/// node removal). Deterministic: the same inputs give the same scorecard, bit for bit.
public struct NodeReplay: Sendable {
  /// The NodePools.
  public var nodePools: [NodePool]
  /// The instance catalogue.
  public var instanceTypes: [InstanceType]
  /// The pods, by arrival.
  public var pods: [NodeReplayPod]
  /// Provisioning and disruption options.
  public var options: NodeAutoscalerOptions
  /// The clocks.
  public var timing: NodeReplayTiming
  /// Spot interruptions, or `nil` for none.
  public var spotInterruptions: SpotInterruptions?
  /// Replay start (milliseconds).
  public var startMilliseconds: Int64
  /// Replay end, exclusive (milliseconds).
  public var endMilliseconds: Int64

  /// Creates a node replay, checking its inputs.
  ///
  /// - Parameters:
  ///   - nodePools: NodePools (at least one).
  ///   - instanceTypes: The catalogue (default the embedded one).
  ///   - pods: Pods with unique names; departures not before arrivals.
  ///   - options: Provisioning and disruption options.
  ///   - timing: Clocks (milliseconds; all positive).
  ///   - spotInterruptions: Interruption model, or `nil`.
  ///   - startMilliseconds: Start (default: the first arrival).
  ///   - endMilliseconds: End, exclusive (default: the last arrival or departure + 1 ms).
  /// - Throws: `NodeReplayError` naming the pod or setting at fault.
  public init(
    nodePools: [NodePool], instanceTypes: [InstanceType] = InstanceCatalog.embedded(), pods: [NodeReplayPod],
    options: NodeAutoscalerOptions = NodeAutoscalerOptions(), timing: NodeReplayTiming = NodeReplayTiming(),
    spotInterruptions: SpotInterruptions? = nil, startMilliseconds: Int64? = nil, endMilliseconds: Int64? = nil
  ) throws(NodeReplayError) {
    guard !nodePools.isEmpty else { throw NodeReplayError("no NodePool: pass at least one") }
    guard !pods.isEmpty else { throw NodeReplayError("no pods: the event trace is empty") }
    guard timing.batchIdleMilliseconds > 0, timing.batchMaxMilliseconds >= timing.batchIdleMilliseconds,
      timing.nodeLaunchMilliseconds >= 0, timing.consolidationIntervalMilliseconds > 0
    else {
      throw NodeReplayError(
        "timing: batch idle must be > 0 and ≤ batch max, launch latency ≥ 0, consolidation interval > 0 "
          + "(got idle \(timing.batchIdleMilliseconds) ms, max \(timing.batchMaxMilliseconds) ms, launch "
          + "\(timing.nodeLaunchMilliseconds) ms, interval \(timing.consolidationIntervalMilliseconds) ms)")
    }
    if let spot = spotInterruptions, !(spot.ratePerNodeHour >= 0 && spot.ratePerNodeHour.isFinite) {
      throw NodeReplayError("spot interruption rate must be a finite number ≥ 0 per node-hour, got \(spot.ratePerNodeHour)")
    }
    var names = Set<String>()
    var first = Int64.max
    var last = Int64.min
    for pod in pods {
      guard names.insert(pod.name).inserted else { throw NodeReplayError("pod \(pod.name) appears twice; names must be unique") }
      if let departure = pod.departureMilliseconds, departure < pod.arrivalMilliseconds {
        throw NodeReplayError("pod \(pod.name) departs at \(departure) ms, before it arrives at \(pod.arrivalMilliseconds) ms")
      }
      first = min(first, pod.arrivalMilliseconds)
      last = max(last, pod.departureMilliseconds ?? pod.arrivalMilliseconds)
    }
    let start = startMilliseconds ?? first
    let end = endMilliseconds ?? (last + 1)
    guard end > start else { throw NodeReplayError("the replay window is empty: end \(end) ms ≤ start \(start) ms") }
    self.nodePools = nodePools
    self.instanceTypes = instanceTypes
    self.pods = pods
    self.options = options
    self.timing = timing
    self.spotInterruptions = spotInterruptions
    self.startMilliseconds = start
    self.endMilliseconds = end
  }

  /// Runs the replay.
  ///
  /// - Returns: The scorecard.
  /// - Throws: `NodeReplayError` when provisioning or disruption rejects the state (a NodePool or
  ///   pod error, with its object and field).
  public func run() throws(NodeReplayError) -> NodeScorecard {
    var simulation = NodeSimulation(replay: self)
    return try simulation.run()
  }
}

/// The mutable state of one node replay run.
struct NodeSimulation {
  struct NodeInfo {
    var launchedAt: Int64
    var readyAt: Int64
    var price: Double
    var startupTaints: [Taint]
    var interruptAt: Int64?
  }

  struct PendingReplace {
    var replacements: [String]
    var candidates: [String]
    var destinations: [String: String]
  }

  enum Event: Comparable {
    case departure(Int)
    case arrival(Int)
  }

  let replay: NodeReplay
  let autoscaler: NodeAutoscaler
  var cluster: ClusterState
  /// The instance types prepared once for every provisioning and disruption call, or `nil`
  /// when they are invalid (then each call prepares them and reports the error as before).
  let catalogue: PreparedCatalogue?
  /// How many of `cluster.pods` have no node.
  var unboundPods = 0
  /// Index in `replay.pods` of each `cluster.pods` entry.
  var podSource: [Int] = []
  var podPosition: [String: Int] = [:]
  var nodeInfo: [String: NodeInfo] = [:]
  var nodeCounter = 0
  var card = NodeScorecard()
  var now: Int64
  var batchOpenedAt: Int64?
  var batchLastAt: Int64 = 0
  var pendingCommand: DisruptionCommand?
  var pendingReplace: PendingReplace?
  var lastTick: Int64
  var stateVersion = 0
  var quietVersion = -1
  var quietUntil = Int64.min
  // Integrals (milli-units × milliseconds, bytes × milliseconds, …).
  var cpuRequested = 0.0, cpuAllocatable = 0.0, memoryRequested = 0.0, memoryAllocatable = 0.0
  var gpuRequested = 0.0, gpuAllocatable = 0.0, pendingIntegral = 0.0
  // Current sums.
  var sums = (cpuRequested: 0.0, cpuAllocatable: 0.0, memoryRequested: 0.0, memoryAllocatable: 0.0,
    gpuRequested: 0.0, gpuAllocatable: 0.0, pending: 0.0)
  var sumsVersion = -1
  let requests: [(cpu: Double, memory: Double, gpu: Double)]

  init(replay: NodeReplay) {
    self.replay = replay
    autoscaler = NodeAutoscaler(options: replay.options)
    cluster = ClusterState(nodePools: replay.nodePools, instanceTypes: replay.instanceTypes)
    catalogue = try? PreparedCatalogue(cluster)
    now = replay.startMilliseconds
    lastTick = replay.startMilliseconds
    requests = replay.pods.map { pod in
      let list = pod.template.effectiveRequests
      return (
        Double(list.amount(of: .cpu).milliValue), Double(list.amount(of: .memory).value),
        Double(list.amount(of: .nvidiaGPU).milliValue) / 1000
      )
    }
  }

  mutating func run() throws(NodeReplayError) -> NodeScorecard {
    var events: [(time: Int64, event: Event)] = []
    events.reserveCapacity(replay.pods.count * 2)
    for (index, pod) in replay.pods.enumerated() {
      events.append((pod.arrivalMilliseconds, .arrival(index)))
      if let departure = pod.departureMilliseconds { events.append((departure, .departure(index))) }
    }
    events.sort { $0.time != $1.time ? $0.time < $1.time : $0.event < $1.event }
    var cursor = 0
    // Pods that arrived before the start are present from the start (still pending).
    while cursor < events.count, events[cursor].time < replay.startMilliseconds { cursor += 1 }
    for (index, pod) in replay.pods.enumerated()
    where pod.arrivalMilliseconds < replay.startMilliseconds && (pod.departureMilliseconds ?? .max) > replay.startMilliseconds {
      addPod(index)
    }
    if !cluster.pods.isEmpty { try placeOnExistingNodes() }

    let end = replay.endMilliseconds
    while true {
      var next = end
      if cursor < events.count { next = min(next, events[cursor].time) }
      if let opened = batchOpenedAt {
        next = min(next, min(opened + replay.timing.batchMaxMilliseconds, batchLastAt + replay.timing.batchIdleMilliseconds))
      }
      for info in nodeInfo.values {
        if info.readyAt != Int64.min { next = min(next, max(info.readyAt, now)) }
        if let at = info.interruptAt { next = min(next, max(at, now)) }
      }
      if let command = pendingCommand { next = min(next, command.validateAt.millisecondsSinceEpoch) }
      let tick = nextTickTime()
      next = min(next, tick)
      if next >= end { break }
      advance(to: next)

      var trigger = false
      var arrived = false
      while cursor < events.count, events[cursor].time == next {
        switch events[cursor].event {
        case .departure(let index): if removePod(index) { trigger = true }
        case .arrival(let index):
          addPod(index)
          arrived = true
        }
        cursor += 1
      }
      if arrived || trigger { try placeOnExistingNodes() }
      markReadyNodes()
      if interruptNodes() { trigger = true }
      if trigger, batchOpenedAt == nil, hasUnboundPods { openBatch() }
      if let opened = batchOpenedAt,
        next >= min(opened + replay.timing.batchMaxMilliseconds, batchLastAt + replay.timing.batchIdleMilliseconds)
      {
        try provision()
      }
      if let command = pendingCommand, command.validateAt.millisecondsSinceEpoch <= next { try validate(command) }
      if tick <= next {
        try consolidate()
        lastTick = next
      }
    }
    advance(to: end)
    // In name order: a Dictionary's iteration order differs between instances (Swift seeds
    // each storage differently), and the floating-point sum must not depend on it.
    for name in nodeInfo.keys.sorted() {
      if let info = nodeInfo[name] { bill(info, until: end) }
    }
    card.pendingPodSeconds = pendingIntegral / 1000
    card.meanCpuAllocation = cpuAllocatable > 0 ? cpuRequested / cpuAllocatable : 0
    card.meanMemoryAllocation = memoryAllocatable > 0 ? memoryRequested / memoryAllocatable : 0
    card.meanGpuAllocation = gpuAllocatable > 0 ? gpuRequested / gpuAllocatable : 0
    return card
  }

  // MARK: Pods

  var hasUnboundPods: Bool { unboundPods > 0 }

  mutating func addPod(_ index: Int) {
    let pod = replay.pods[index]
    podPosition[pod.name] = cluster.pods.count
    cluster.pods.append(
      Pod(
        name: pod.name, template: pod.template, ownerKind: pod.ownerKind,
        createdAt: Instant(millisecondsSinceEpoch: pod.arrivalMilliseconds)))
    podSource.append(index)
    unboundPods += 1
    stateVersion &+= 1
  }

  /// Removes a departing pod; returns whether it freed capacity on a node.
  mutating func removePod(_ index: Int) -> Bool {
    guard let position = podPosition.removeValue(forKey: replay.pods[index].name) else { return false }
    let node = cluster.pods[position].nodeName
    if node == nil { unboundPods -= 1 }
    let lastIndex = cluster.pods.count - 1
    if position != lastIndex {
      cluster.pods.swapAt(position, lastIndex)
      podSource.swapAt(position, lastIndex)
      podPosition[cluster.pods[position].name] = position
    }
    cluster.pods.removeLast()
    podSource.removeLast()
    if let node { touch(node) }
    stateVersion &+= 1
    return node != nil
  }

  mutating func touch(_ node: String) {
    if let index = cluster.nodes.firstIndex(where: { $0.name == node }) {
      cluster.nodes[index].lastPodEventAt = Instant(millisecondsSinceEpoch: now)
    }
  }

  mutating func bind(_ pod: String, to node: String?) {
    guard let position = podPosition[pod] else { return }
    switch (cluster.pods[position].nodeName, node) {
    case (nil, .some): unboundPods -= 1
    case (.some, nil): unboundPods += 1
    default: break
    }
    cluster.pods[position].nodeName = node
    if let node {
      touch(node)
      if cluster.pods[position].startedAt == nil {
        cluster.pods[position].startedAt = Instant(millisecondsSinceEpoch: now)
      }
    }
    stateVersion &+= 1
  }

  // MARK: Provisioning

  mutating func openBatch() {
    batchOpenedAt = now
    batchLastAt = now
  }

  /// Offers pending pods to existing nodes (ready or launching); the rest join the batch.
  mutating func placeOnExistingNodes() throws(NodeReplayError) {
    guard hasUnboundPods else { return }
    if !cluster.nodes.isEmpty {
      let plan = try schedule()
      for binding in plan.bindings where !binding.isNewNode {
        bind(podName(binding.pod), to: binding.node)
      }
    }
    if hasUnboundPods {
      if batchOpenedAt == nil { openBatch() }
      batchLastAt = now
    }
  }

  func podName(_ id: String) -> String {
    id.hasPrefix("default/") ? String(id.dropFirst(8)) : id
  }

  func schedule() throws(NodeReplayError) -> ProvisioningPlan {
    do {
      let at = Instant(millisecondsSinceEpoch: now)
      if let catalogue { return try autoscaler.schedule(cluster, catalogue: catalogue, now: at) }
      return try autoscaler.schedule(cluster, now: at)
    } catch {
      throw NodeReplayError("provisioning at \(now) ms: \(error)")
    }
  }

  mutating func provision() throws(NodeReplayError) {
    batchOpenedAt = nil
    guard hasUnboundPods else { return }
    let plan = try schedule()
    var names: [String: String] = [:]
    for launch in plan.launches { names[launch.name] = launchNode(launch) }
    for binding in plan.bindings {
      bind(podName(binding.pod), to: binding.isNewNode ? names[binding.node] ?? binding.node : binding.node)
    }
  }

  /// Adds a launched node (not yet initialized); returns its name.
  mutating func launchNode(_ launch: NodeLaunch) -> String {
    nodeCounter += 1
    var digits = String(nodeCounter)
    while digits.count < 5 { digits = "0" + digits }
    let name = "node-" + digits
    var labels = launch.labels
    labels[WellKnownLabel.hostname] = name
    cluster.nodes.append(
      Node(
        name: name, nodePool: launch.nodePool, labels: labels, taints: launch.taints + launch.startupTaints,
        capacity: launch.capacity, allocatable: launch.allocatable, isInitialized: false,
        createdAt: Instant(millisecondsSinceEpoch: now), lastPodEventAt: Instant(millisecondsSinceEpoch: now)))
    var interruptAt: Int64?
    if let spot = replay.spotInterruptions, spot.ratePerNodeHour > 0, launch.offering.capacityType == .spot {
      let u = (ReplayRandom.symmetric(seed: spot.seed, pod: UInt64(nodeCounter), step: 0, stream: 0x5907) + 1) / 2
      let hours = -Math.log(1 - u) / spot.ratePerNodeHour  // 1 − u ∈ (0, 1]
      let milliseconds = hours * 3_600_000
      if milliseconds.isFinite, milliseconds < 9e15 { interruptAt = now + Int64(milliseconds.rounded(.up)) }
    }
    nodeInfo[name] = NodeInfo(
      launchedAt: now, readyAt: now + replay.timing.nodeLaunchMilliseconds, price: launch.offering.price,
      startupTaints: launch.startupTaints, interruptAt: interruptAt)
    card.nodeLaunches += 1
    stateVersion &+= 1
    return name
  }

  mutating func markReadyNodes() {
    for index in cluster.nodes.indices where !cluster.nodes[index].isInitialized {
      let name = cluster.nodes[index].name
      guard let info = nodeInfo[name], info.readyAt <= now else { continue }
      cluster.nodes[index].isInitialized = true
      cluster.nodes[index].initializedAt = Instant(millisecondsSinceEpoch: now)
      cluster.nodes[index].taints.removeAll { info.startupTaints.contains($0) }
      nodeInfo[name]?.readyAt = Int64.min
      stateVersion &+= 1
    }
    if let waiting = pendingReplace, waiting.replacements.allSatisfy({ nodeInfo[$0]?.readyAt == Int64.min }) {
      pendingReplace = nil
      finishDisruption(candidates: waiting.candidates, destinations: waiting.destinations)
    }
  }

  // MARK: Removal

  mutating func bill(_ info: NodeInfo, until time: Int64) {
    let hours = Double(time - info.launchedAt) / 3_600_000
    card.nodeHours += hours
    card.costDollars += hours * info.price
  }

  /// Removes a node; its pods move to `destinations` or go pending. Returns the pods evicted.
  @discardableResult
  mutating func removeNode(_ name: String, destinations: [String: String]) -> Int {
    guard let index = cluster.nodes.firstIndex(where: { $0.name == name }), let info = nodeInfo[name] else { return 0 }
    bill(info, until: now)
    nodeInfo[name] = nil
    cluster.nodes.remove(at: index)
    card.nodeTerminations += 1
    var evicted = 0
    for position in cluster.pods.indices where cluster.pods[position].nodeName == name {
      evicted += 1
      let pod = cluster.pods[position].name
      var destination = destinations["default/" + pod]
      if let target = destination, !cluster.nodes.contains(where: { $0.name == target }) { destination = nil }
      bind(pod, to: destination)
    }
    card.podsDisrupted += evicted
    stateVersion &+= 1
    return evicted
  }

  mutating func interruptNodes() -> Bool {
    var interrupted: [String] = []
    for (name, info) in nodeInfo { if let at = info.interruptAt, at <= now { interrupted.append(name) } }
    interrupted.sort()
    for name in interrupted {
      removeNode(name, destinations: [:])
      pendingReplace?.replacements.removeAll { $0 == name }
    }
    return !interrupted.isEmpty
  }

  // MARK: Disruption

  func disrupt() throws(NodeReplayError) -> DisruptionDecision {
    do {
      let at = Instant(millisecondsSinceEpoch: now)
      if let catalogue { return try autoscaler.disrupt(cluster, catalogue: catalogue, now: at) }
      return try autoscaler.disrupt(cluster, now: at)
    } catch {
      throw NodeReplayError("disruption at \(now) ms: \(error)")
    }
  }

  /// The first point of the disruption loop's grid (start + k × interval) after the last pass,
  /// skipping passes that would find nothing: nothing changed since a pass that found nothing
  /// and no node's consolidateAfter has elapsed since (`Int64.max` = none).
  func nextTickTime() -> Int64 {
    let interval = replay.timing.consolidationIntervalMilliseconds
    let start = replay.startMilliseconds
    func grid(atOrAfter time: Int64) -> Int64 {
      let offset = time - start
      let steps = offset <= 0 ? 0 : (offset + interval - 1) / interval
      let (value, overflow) = start.addingReportingOverflow(steps.multipliedReportingOverflow(by: interval).partialValue)
      return overflow ? Int64.max : value
    }
    var earliest = max(lastTick + 1, now)
    if pendingCommand == nil, pendingReplace == nil, stateVersion == quietVersion {
      if quietUntil == Int64.max { return Int64.max }
      earliest = max(earliest, quietUntil)
    }
    return grid(atOrAfter: earliest)
  }

  mutating func consolidate() throws(NodeReplayError) {
    guard pendingCommand == nil, pendingReplace == nil else { return }
    if cluster.nodes.isEmpty {
      quietVersion = stateVersion
      quietUntil = Int64.max
      return
    }
    if stateVersion == quietVersion, now < quietUntil { return }
    let decision = try disrupt()
    if let command = decision.command {
      pendingCommand = command
      quietVersion = -1
    } else {
      quietVersion = stateVersion
      quietUntil = nextConsolidatableTime()
    }
  }

  /// The earliest time after now at which a node becomes consolidatable (`consolidateAfter`
  /// elapses), or now when budgets follow a schedule (they may open at any time).
  func nextConsolidatableTime() -> Int64 {
    var pools: [String: NodePool] = [:]
    for pool in cluster.nodePools {
      if pool.disruption.budgets.contains(where: { $0.schedule != nil }) { return now }
      pools[pool.name] = pool
    }
    var next = Int64.max
    for node in cluster.nodes {
      guard let poolName = node.nodePool, let after = pools[poolName]?.disruption.consolidateAfterMilliseconds else {
        continue
      }
      let last = (node.lastPodEventAt ?? node.initializedAt ?? node.createdAt).millisecondsSinceEpoch
      let at = last &+ after
      if at > now { next = min(next, at) }
    }
    return next
  }

  mutating func validate(_ command: DisruptionCommand) throws(NodeReplayError) {
    pendingCommand = nil
    let decision = try disrupt()
    guard let again = decision.command, again.method == command.method,
      Set(again.candidates) == Set(command.candidates)
    else { return }
    var destinations: [String: String] = [:]
    if again.replacements.isEmpty {
      for binding in again.podDestinations { destinations[binding.pod] = binding.node }
      finishDisruption(candidates: again.candidates, destinations: destinations)
      return
    }
    var names: [String: String] = [:]
    for launch in again.replacements { names[launch.name] = launchNode(launch) }
    for binding in again.podDestinations { destinations[binding.pod] = names[binding.node] ?? binding.node }
    pendingReplace = PendingReplace(
      replacements: again.replacements.compactMap { names[$0.name] }, candidates: again.candidates,
      destinations: destinations)
    if replay.timing.nodeLaunchMilliseconds == 0 { markReadyNodes() }
  }

  mutating func finishDisruption(candidates: [String], destinations: [String: String]) {
    var left = false
    for name in candidates {
      removeNode(name, destinations: destinations)
      left = true
    }
    if left, hasUnboundPods, batchOpenedAt == nil { openBatch() }
  }

  // MARK: Integrals

  mutating func advance(to time: Int64) {
    guard time > now else { return }
    if sumsVersion != stateVersion { refreshSums() }
    let dt = Double(time - now)
    cpuRequested += sums.cpuRequested * dt
    cpuAllocatable += sums.cpuAllocatable * dt
    memoryRequested += sums.memoryRequested * dt
    memoryAllocatable += sums.memoryAllocatable * dt
    gpuRequested += sums.gpuRequested * dt
    gpuAllocatable += sums.gpuAllocatable * dt
    pendingIntegral += sums.pending * dt
    now = time
  }

  mutating func refreshSums() {
    sums = (0, 0, 0, 0, 0, 0, 0)
    var ready = Set<String>()
    for node in cluster.nodes {
      if node.isInitialized { ready.insert(node.name) }
      sums.cpuAllocatable += Double(node.allocatable.amount(of: .cpu).milliValue)
      sums.memoryAllocatable += Double(node.allocatable.amount(of: .memory).value)
      sums.gpuAllocatable += Double(node.allocatable.amount(of: .nvidiaGPU).milliValue) / 1000
    }
    for (position, pod) in cluster.pods.enumerated() {
      guard let node = pod.nodeName else {
        sums.pending += 1
        continue
      }
      if !ready.contains(node) { sums.pending += 1 }
      let request = requests[podSource[position]]
      sums.cpuRequested += request.cpu
      sums.memoryRequested += request.memory
      sums.gpuRequested += request.gpu
    }
    sumsVersion = stateVersion
  }
}
