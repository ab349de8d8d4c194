import AutoscalingCore
import Foundation
import NodeAutoscaling
import Testing
import _AutoscalingTestSupport

/// One scenario of `karpenter-scenarios.json` (or of the file named by
/// `AUTOSCALING_KARPENTER_SCENARIOS`), as a named test argument.
struct ScenarioCase: CustomTestStringConvertible, Sendable {
  let id: String
  let title: String
  let scenario: Data
  let catalogs: Data

  var testDescription: String { "\(id): \(title)" }

  static func load(_ path: String) -> [ScenarioCase] {
    guard let data = FileManager.default.contents(atPath: path),
      let root = try? JSONSerialization.jsonObject(with: data) as? JSON,
      let scenarios = root["scenarios"] as? [JSON]
    else { return [] }
    let catalogs = (try? JSONSerialization.data(withJSONObject: root["catalogs"] ?? [:])) ?? Data()
    return scenarios.compactMap { scenario in
      guard let encoded = try? JSONSerialization.data(withJSONObject: scenario) else { return nil }
      return ScenarioCase(
        id: scenario["id"] as? String ?? "?", title: scenario["title"] as? String ?? "", scenario: encoded, catalogs: catalogs)
    }
  }

  static let all: [ScenarioCase] = {
    var cases = load(Fixtures.path("karpenter-scenarios.json"))
    if let extra = ProcessInfo.processInfo.environment["AUTOSCALING_KARPENTER_SCENARIOS"], !extra.isEmpty {
      cases += load(extra)
    }
    return cases
  }()
}

@Suite("Karpenter upstream scenarios")
struct KarpenterScenarioTests {
  @Test("the fixture holds the 46 transcribed scenarios")
  func fixtureLoads() {
    #expect(ScenarioCase.load(Fixtures.path("karpenter-scenarios.json")).count == 46)
  }

  @Test(arguments: ScenarioCase.all)
  func scenario(_ testCase: ScenarioCase) throws {
    let scenario = try #require(try JSONSerialization.jsonObject(with: testCase.scenario) as? JSON)
    let catalogs = (try JSONSerialization.jsonObject(with: testCase.catalogs) as? JSON) ?? [:]
    let refs = (scenario["existingNodes"] as? [JSON] ?? []).compactMap { ($0["instanceType"] as? JSON)?["ref"] as? String }
    let variants = refs.contains { $0.contains("(spot entry:") } ? [false, true] : [false]
    for spotVariant in variants {
      var runner = try ScenarioRunner(scenario: scenario, catalogs: catalogs, spotVariant: spotVariant)
      try runner.run()
    }
  }
}

/// What one action produced, for the assertions.
struct Observation {
  var plan: ProvisioningPlan?
  var decision: DisruptionDecision?
  var stepPods: [String] = []
  var stateAfter: ClusterState
  var commands = 0
  var deleted: [String] = []
  var replacements: [NodeLaunch] = []
  var events: [String] = []
  var allowedByReason: [String: Int] = [:]
  var budgetValue: Int?
  var budgetError = false
  var costs: [Double] = []
  var initialSkew: [Int]?
  var skewAfterReplacement: [Int]?
  var candidateTypes: [String] = []
}

struct ScenarioRunner {
  let scenario: JSON
  let id: String
  var state: ClusterState
  var options: NodeAutoscalerOptions
  var now = Instant.seconds(1_000_000)
  let spotVariant: Bool
  let baseNodePools: [NodePool]
  var spreadSelector: LabelSelector?

  init(scenario: JSON, catalogs: JSON, spotVariant: Bool) throws {
    self.scenario = scenario
    self.spotVariant = spotVariant
    id = scenario["id"] as? String ?? "?"
    var catalog: [InstanceType] = []
    if let inline = scenario["instanceTypes"] as? [JSON] {
      catalog = try FakeCatalog.fromJSON(inline)
    } else if let name = scenario["catalog"] as? String {
      switch name {
      case "fakeInstanceTypes400": catalog = FakeCatalog.instanceTypes(400)
      case "fakeInstanceTypesAssorted": catalog = FakeCatalog.assorted()
      default:
        let entry = try #require(catalogs[name] as? JSON)
        catalog = try FakeCatalog.fromJSON(try #require(entry["instanceTypes"] as? [JSON]))
      }
    }
    if id == "CONS-02" {
      // catalogPatch: the first five assorted types; the first offering costs 0.001 and is spot.
      catalog = Array(catalog.prefix(5))
      catalog[0].offerings[0].price = 0.001
      catalog[0].offerings[0].capacityType = .spot
    }
    var options = NodeAutoscalerOptions()
    options.allowUndefinedLabels.formUnion(WellKnownLabel.fakeProvider)
    options.maxInstanceTypes = 60
    if let gates = (scenario["options"] as? JSON)?["featureGates"] as? JSON {
      options.spotToSpotConsolidation = gates["SpotToSpotConsolidation"] as? Bool ?? false
    }
    self.options = options
    baseNodePools = try (scenario["nodePools"] as? [JSON] ?? []).map(ScenarioBuilder.nodePool)
    state = ClusterState(nodePools: baseNodePools, instanceTypes: catalog)
    state.daemonSets = try (scenario["daemonSets"] as? [JSON] ?? []).flatMap { item in
      try ScenarioBuilder.pods(item, createdAt: .epoch).map { pod in
        var copy = pod
        copy.ownerKind = .daemonSet
        return copy
      }
    }
    let allPods = (scenario["pods"] as? [JSON] ?? []) + (scenario["steps"] as? [JSON] ?? []).flatMap { $0["pods"] as? [JSON] ?? [] }
    if let spread = allPods.compactMap({ ($0["topologySpread"] as? [JSON])?.first }).first {
      spreadSelector = ScenarioBuilder.selector(spread["labelSelector"])
    }
    state.nodes = try (scenario["existingNodes"] as? [JSON] ?? []).map { try node($0, catalog: catalog) }
    state.pods = try (scenario["pods"] as? [JSON] ?? []).flatMap { try ScenarioBuilder.pods($0, createdAt: now) }
  }

  // MARK: Existing nodes

  func resolve(_ reference: String, catalog: [InstanceType]) throws -> InstanceType {
    var ref = reference
    if let range = ref.range(of: " (spot entry: ") {
      let spot = ref[range.upperBound...].dropLast()
      ref = spotVariant ? String(spot) : String(ref[..<range.lowerBound])
    }
    if id == "CONS-02" {
      let spot = catalog.filter { $0.offerings.first?.capacityType == .spot }
      return try #require(stableSortedByPrice(spot).last)
    }
    func sorted(_ type: CapacityType, zone: String? = nil) -> [InstanceType] {
      stableSortedByPrice(
        catalog.filter { item in
          item.offerings.contains { $0.available && $0.capacityType == type && (zone == nil || $0.zone == zone) }
        })
    }
    func zone(_ text: String) -> String {
      String(text.split(separator: "(").last?.dropLast() ?? "")
    }
    if ref.hasPrefix("leastExpensiveOnDemandInZone(") { return try #require(sorted(.onDemand, zone: zone(ref)).first) }
    if ref.hasPrefix("mostExpensiveOnDemandInZone(") { return try #require(sorted(.onDemand, zone: zone(ref)).last) }
    switch ref {
    case "leastExpensiveOnDemand": return try #require(sorted(.onDemand).first)
    case "mostExpensiveOnDemand": return try #require(sorted(.onDemand).last)
    case "leastExpensiveSpot": return try #require(sorted(.spot).first)
    case "mostExpensiveSpot": return try #require(sorted(.spot).last)
    default:
      let name = String(ref.split(separator: " ").first ?? "")
      return try #require(catalog.first { $0.name == name }, "unknown instance type reference \(reference)")
    }
  }

  func stableSortedByPrice(_ types: [InstanceType]) -> [InstanceType] {
    types.enumerated().sorted { a, b in
      let pa = a.element.offerings.map(\.price).min() ?? .infinity
      let pb = b.element.offerings.map(\.price).min() ?? .infinity
      return pa != pb ? pa < pb : a.offset < b.offset
    }.map(\.element)
  }

  func node(_ json: JSON, catalog: [InstanceType]) throws -> Node {
    let name = json["name"] as? String ?? "node"
    let managed = json["managed"] as? Bool ?? false
    var labels: Labels = [:]
    var capacity: ResourceList?
    if let reference = json["instanceType"] {
      let type: InstanceType
      if let text = reference as? String {
        type = try #require(catalog.first { $0.name == text })
      } else {
        type = try resolve(try #require((reference as? JSON)?["ref"] as? String), catalog: catalog)
      }
      let offering = type.offerings.first
      labels = type.labels
      labels[WellKnownLabel.instanceType] = type.name
      labels[WellKnownLabel.arch] = type.architecture
      labels[WellKnownLabel.os] = type.operatingSystems.first ?? "linux"
      labels[WellKnownLabel.zone] = json["zone"] as? String ?? offering?.zone
      labels[WellKnownLabel.capacityType] = json["capacityType"] as? String ?? offering?.capacityType.rawValue
      capacity = type.capacity
    }
    if let explicit = json["labels"] as? JSON { labels = stringMap(explicit) }
    if managed, let pool = json["nodePool"] as? String { labels[WellKnownLabel.nodePool] = pool }
    labels[WellKnownLabel.hostname] = name
    let offset = Int64((json["createdOffsetSeconds"] as? NSNumber)?.intValue ?? 0)
    let created = now + .seconds(offset)
    return Node(
      name: name, nodePool: managed ? (json["nodePool"] as? String ?? "np") : nil, labels: labels,
      capacity: capacity, allocatable: try resourceList(json["allocatable"]),
      isInitialized: json["initialized"] as? Bool ?? true, annotations: stringMap(json["annotations"]), createdAt: created,
      initializedAt: created, lastPodEventAt: created,
      consolidatableOverride: (json["consolidatable"] as? Bool) == true ? true : nil)
  }

  // MARK: Running

  mutating func run() throws {
    let category = scenario["category"] as? String ?? ""
    let steps = scenario["steps"] as? [JSON] ?? []
    let disruptive = ["consolidation", "emptiness", "budgets"].contains(category)
    if id == "BUD-05" { return try runBudgetUnit(steps) }
    if id == "COST-01" { return try runCostUnit(steps) }
    if steps.isEmpty {
      let observation = disruptive ? try reconcile() : try provision(pods: [])
      try check(try #require(scenario["expected"] as? JSON), observation)
      return
    }
    let initial = state
    var lastObservation: Observation?
    for (index, step) in steps.enumerated() {
      let action = step["action"] as? String ?? ""
      let pods = try (step["pods"] as? [JSON] ?? []).flatMap { try ScenarioBuilder.pods($0, createdAt: now) }
      var observation: Observation?
      switch (id, index) {
      case ("PROV-21", 1), ("PROV-22", 1):
        // The launched node is in flight: not initialized yet.
        for i in state.nodes.indices where state.nodes[i].nodePool != nil { state.nodes[i].isInitialized = false }
      case ("PROV-26", 0):
        state.nodePools = []
        observation = try provision(pods: pods)
      case ("PROV-26", 1):
        var pool = try ScenarioBuilder.nodePool(["name": "np"])
        pool.requirements = [try Requirement(key: WellKnownLabel.capacityType, operator: .in, values: ["spot", "on-demand", "reserved"])]
        state.nodePools = [pool]
        let pending = lastObservation?.stepPods ?? []
        observation = try provision(pods: [])
        observation?.stepPods = pending
      case ("DS-05", 1):
        state = initial
        observation = try provision(pods: pods)
      case ("TOPO-03", _):
        let zone = try #require(action.split(separator: "[").last?.split(separator: "]").first.map(String.init))
        state.nodePools[0].requirements = [try Requirement(key: WellKnownLabel.zone, operator: .in, values: [zone])]
        observation = try provision(pods: pods)
      case ("TOPO-05", 1):
        let zoneOf = Dictionary(state.nodes.map { ($0.name, $0.zone ?? "") }, uniquingKeysWith: { a, _ in a })
        state.pods.removeAll { pod in pod.nodeName.map { zoneOf[$0] != "test-zone-1" } ?? false }
        observation = Observation(stateAfter: state)
      case ("CONS-10", _):
        state = initial
        if index == 0 {
          if let n1 = state.nodes.firstIndex(where: { $0.name == "n1" }) { state.nodes[n1].annotations[WellKnownLabel.doNotDisrupt] = "true" }
        } else if let b = state.pods.firstIndex(where: { $0.name == "b" }) {
          state.pods[b].annotations[WellKnownLabel.doNotDisrupt] = "true"
        }
        observation = try reconcile()
      case ("CONS-13", 0):
        observation = try reconcile()
      case ("CONS-13", 1):
        now = now + .seconds(120)
        observation = try reconcile()
      case ("BUD-01", _):
        state = initial
        let percent = try #require(action.split(separator: " ").first { $0.hasSuffix("%}]") }).dropLast(2)
        state.nodePools[0].disruption.budgets = [DisruptionBudget(nodes: String(percent))]
        observation = try reconcile()
      case ("BUD-03", _):
        // Reconcile five times (commands mark their nodes for deletion), then execute them.
        var total = Observation(stateAfter: state)
        var marked: [String] = []
        for _ in 0..<5 {
          let decision = try NodeAutoscaler(options: options).disrupt(state, now: now, methods: DisruptionMethod.testHelperOrder)
          if let command = decision.command {
            total.commands += 1
            marked += command.candidates
            state = execute(command, in: state, markOnly: true)
          }
        }
        state.nodes.removeAll { marked.contains($0.name) }
        state.pods.removeAll { pod in pod.nodeName.map(marked.contains) ?? false }
        total.stateAfter = state
        total.deleted = marked
        observation = total
      case ("EMPTY-03", _):
        state = initial
        state.pods = try ScenarioBuilder.pods(["name": "plain", "boundTo": "e0", "ownerKind": NSNull()], createdAt: now)
        if index == 1 { state.nodes[0].consolidatableOverride = nil; state.nodes[0].isInitialized = false }
        if index == 2 { state.nodes[0].consolidatableOverride = false }
        observation = try reconcile()
      default:
        if action.hasPrefix("provision") {
          observation = try provision(pods: pods)
        } else {
          Issue.record("\(id): unhandled step \(index) \"\(action)\"")
        }
      }
      if let observation, let expected = step["expected"] as? JSON {
        try check(expected, observation)
      }
      if let observation { lastObservation = observation }
    }
    let expected = scenario["expected"] as? JSON ?? [:]
    if expected["seeSteps"] as? Bool != true, let lastObservation {
      try check(expected, lastObservation)
    }
  }

  /// Provisions the pending pods plus `pods`, then applies the plan.
  mutating func provision(pods: [Pod]) throws -> Observation {
    state.pods += pods
    let stepPods = pods.isEmpty ? state.pods.filter { $0.nodeName == nil }.map(\.name) : pods.map(\.name)
    let plan = try NodeAutoscaler(options: options).schedule(state, now: now)
    var renamed = plan
    // Give launched nodes unique names across rounds.
    let offset = state.nodes.count
    var names: [String: String] = [:]
    for i in renamed.launches.indices {
      let name = "node-\(offset + i + 1)"
      names[renamed.launches[i].name] = name
      renamed.launches[i].name = name
      renamed.launches[i].labels[WellKnownLabel.hostname] = name
    }
    for i in renamed.bindings.indices { if let name = names[renamed.bindings[i].node] { renamed.bindings[i].node = name } }
    state = state.applying(renamed, at: now)
    return Observation(plan: renamed, stepPods: stepPods, stateAfter: state)
  }

  /// One disruption reconcile with the test helper's method order, then executes the command.
  mutating func reconcile() throws -> Observation {
    let selector = spreadSelector
    let before = state
    let decision = try NodeAutoscaler(options: options).disrupt(state, now: now, methods: DisruptionMethod.testHelperOrder)
    var observation = Observation(decision: decision, stateAfter: state)
    observation.events = decision.events.map(\.message)
    if let selector { observation.initialSkew = skew(state, selector) }
    if let command = decision.command {
      observation.commands = 1
      observation.deleted = command.candidates
      observation.replacements = command.replacements
      observation.candidateTypes = command.candidates.compactMap { name in before.nodes.first { $0.name == name }?.instanceTypeName }
      state = execute(command, in: state, markOnly: false)
      if let selector { observation.skewAfterReplacement = skew(state, selector) }
    }
    observation.stateAfter = state
    return observation
  }

  func execute(_ command: DisruptionCommand, in state: ClusterState, markOnly: Bool) -> ClusterState {
    var next = state
    if markOnly {
      for i in next.nodes.indices where command.candidates.contains(next.nodes[i].name) { next.nodes[i].isMarkedForDeletion = true }
      return next
    }
    next.nodes.removeAll { command.candidates.contains($0.name) }
    for replacement in command.replacements {
      next.nodes.append(
        Node(
          name: replacement.name, nodePool: replacement.nodePool, labels: replacement.labels, capacity: replacement.capacity,
          allocatable: replacement.allocatable, createdAt: now, initializedAt: now, lastPodEventAt: now))
    }
    let destination = Dictionary(command.podDestinations.map { ($0.pod, $0.node) }, uniquingKeysWith: { a, _ in a })
    next.pods = next.pods.compactMap { pod in
      guard let node = pod.nodeName, command.candidates.contains(node) else { return pod }
      guard let target = destination[pod.id] else { return nil }
      var moved = pod
      moved.nodeName = target
      return moved
    }
    return next
  }

  func skew(_ state: ClusterState, _ selector: LabelSelector) -> [Int] {
    let zoneOf = Dictionary(state.nodes.map { ($0.name, $0.zone ?? "") }, uniquingKeysWith: { a, _ in a })
    var counts: [String: Int] = [:]
    for pod in state.pods where selector.matches(pod.template.labels) {
      if let node = pod.nodeName, let zone = zoneOf[node] { counts[zone, default: 0] += 1 }
    }
    return counts.values.sorted()
  }

  // MARK: Unit-level scenarios

  func runBudgetUnit(_ steps: [JSON]) throws {
    let numNodes = (scenario["numNodes"] as? NSNumber)?.intValue ?? 0
    // 2000-06-15T12:30:30Z
    let clock = Instant.seconds(961_072_230)
    let budgets = try (scenario["budgets"] as? [JSON] ?? []).map(ScenarioBuilder.budget)
    for (index, step) in steps.enumerated() {
      var list = budgets
      switch index {
      case 0: list[5].schedule = "* * * * *"
      case 1: for i in list.indices { list[i].schedule = "@yearly" }
      case 2: list[3].schedule = "@yearly"; list[4].schedule = "@yearly"
      case 3: list = [list[0]]
      case 4: list.append(DisruptionBudget(nodes: "4", reasons: [.empty], schedule: "* * * * *", durationMilliseconds: 3_600_000))
      case 5: list = [list[2]]
      case 6: list = [list[0]]; list[0].schedule = "@wrongly"
      default: list = [list[0]]; list[0].nodes = "1000a%"
      }
      var pool = NodePool(name: "np")
      pool.disruption.budgets = list
      var observation = Observation(stateAfter: state)
      for reason in DisruptionReason.allCases {
        observation.allowedByReason[reason.rawValue] = pool.allowedDisruptions(reason: reason, numNodes: numNodes, now: clock)
      }
      do {
        observation.budgetValue = try list[0].allowedDisruptions(numNodes: numNodes, now: clock)
      } catch {
        observation.budgetValue = 0
        observation.budgetError = true
      }
      try check(try #require(step["expected"] as? JSON), observation)
    }
  }

  func runCostUnit(_ steps: [JSON]) throws {
    func pod(deletionCost: String? = nil, priority: Int32 = 0) -> Pod {
      Pod(
        name: "p", template: PodTemplate(containers: [Container(name: "c")]),
        annotations: deletionCost.map { [WellKnownLabel.podDeletionCost: $0] } ?? [:], priority: priority)
    }
    let costs: [[Double]] = [
      [pod().evictionCost], [pod(deletionCost: "100").evictionCost], [pod(deletionCost: "-100").evictionCost],
      ["101", "100", "99"].map { pod(deletionCost: $0).evictionCost }, [pod(priority: 1).evictionCost],
      [pod(priority: -1).evictionCost],
    ]
    for (index, step) in steps.enumerated() {
      var observation = Observation(stateAfter: state)
      observation.costs = costs[index]
      try check(try #require(step["expected"] as? JSON), observation)
    }
  }

  // MARK: Assertions

  func nodeOf(_ name: String, _ observation: Observation) -> String? {
    observation.stateAfter.pods.first { $0.name == name }?.nodeName
  }

  func check(_ expected: JSON, _ observation: Observation) throws {
    let label = "\(id)\(spotVariant ? " (spot variant)" : "")"
    let launches = observation.plan?.launches ?? []
    let after = observation.stateAfter
    for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
      switch key {
      case "seeSteps": continue
      case "scheduled":
        if let all = value as? Bool {
          for pod in observation.stepPods {
            #expect((nodeOf(pod, observation) != nil) == all, "\(label): pod \(pod) scheduled should be \(all); pending: \(observation.plan?.pending ?? [])")
          }
          #expect(!observation.stepPods.isEmpty, "\(label): no pods in the step")
        } else if let map = value as? [String: Bool] {
          for (pod, scheduled) in map { #expect((nodeOf(pod, observation) != nil) == scheduled, "\(label): pod \(pod)") }
        }
      case "nodeCount":
        let count = observation.plan != nil ? launches.count : after.nodes.count
        #expect(count == (value as? Int), "\(label): nodeCount")
      case "newNodeCount", "createCalls":
        #expect(launches.count == (value as? Int), "\(label): \(key)")
      case "nodeClaimCount":
        #expect(after.nodes.filter(\.isManaged).count == (value as? Int), "\(label): nodeClaimCount; events \(observation.events)")
      case "instanceType":
        #expect(!launches.isEmpty && launches.allSatisfy { $0.instanceType == value as? String }, "\(label): instance types \(launches.map(\.instanceType))")
      case "distinctInstanceTypes":
        #expect((Set(launches.map(\.instanceType)).count == launches.count) == (value as? Bool), "\(label): \(launches.map(\.instanceType))")
      case "sameNode":
        let nodes = (value as? [String] ?? []).map { nodeOf($0, observation) }
        #expect(nodes.first != nil && nodes.first! != nil && Set(nodes.compactMap { $0 }).count == 1 && !nodes.contains(nil), "\(label): sameNode \(nodes)")
      case "distinctNodes":
        let nodes = (value as? [String] ?? []).map { nodeOf($0, observation) }
        #expect(!nodes.contains(nil) && Set(nodes.compactMap { $0 }).count == nodes.count, "\(label): distinctNodes \(nodes)")
      case "allOnNode":
        for pod in observation.stepPods { #expect(nodeOf(pod, observation) == value as? String, "\(label): \(pod) on node") }
      case "zone":
        #expect(!launches.isEmpty && launches.allSatisfy { $0.labels[WellKnownLabel.zone] == value as? String }, "\(label): zones \(launches.map { $0.labels[WellKnownLabel.zone] ?? "" })")
      case "nodePool":
        #expect(!launches.isEmpty && launches.allSatisfy { $0.nodePool == value as? String }, "\(label): pools \(launches.map(\.nodePool))")
      case "nodePoolNot":
        #expect(!launches.isEmpty && launches.allSatisfy { $0.nodePool != value as? String }, "\(label): pools \(launches.map(\.nodePool))")
      case "skew":
        let selector = try #require(spreadSelector)
        #expect(skew(after, selector) == (value as? [Int] ?? []).sorted(), "\(label): skew")
      case "initialSkew":
        #expect(observation.initialSkew == (value as? [Int])?.sorted(), "\(label): initial skew")
      case "skewAfterBindingNewPodToReplacement":
        #expect(observation.skewAfterReplacement == (value as? [Int])?.sorted(), "\(label): skew after replacement")
      case "capacity":
        let capacity = try resourceList(value)
        #expect(launches.count == 1, "\(label): one launch")
        for (name, amount) in capacity.quantities {
          #expect(launches.first?.capacity[name] == amount, "\(label): capacity \(name)")
        }
      case "nodeClaimRequests":
        let requests = try resourceList(value)
        #expect(launches.count == 1, "\(label): one launch")
        #expect(launches.first?.requests == requests, "\(label): requests \(launches.first?.requests.quantities ?? [:])")
      case "commands":
        #expect(observation.commands == (value as? Int), "\(label): commands; events \(observation.events)")
      case "deleted":
        #expect(Set(observation.deleted) == Set(value as? [String] ?? []), "\(label): deleted \(observation.deleted); events \(observation.events)")
      case "kept":
        for name in value as? [String] ?? [] {
          #expect(after.nodes.contains { $0.name == name }, "\(label): \(name) kept")
        }
      case "replacementCount":
        #expect(observation.replacements.count == (value as? Int), "\(label): replacements")
      case "events":
        for text in value as? [String] ?? [] {
          #expect(observation.events.contains { $0.contains(text) }, "\(label): event \"\(text)\" in \(observation.events)")
        }
      case "launchOptionsExclude":
        let options = observation.replacements.flatMap(\.instanceTypeOptions)
        #expect(!observation.replacements.isEmpty, "\(label): a replacement")
        for text in value as? [String] ?? [] {
          let names = text == "<the candidate's instance type>" ? observation.candidateTypes : [text]
          for name in names { #expect(!options.contains(name), "\(label): \(name) excluded") }
        }
      case "allowedDisruptions":
        if let count = value as? Int {
          let allowed = observation.decision?.allowedDisruptions[state.nodePools.first?.name ?? "np"]
          #expect(allowed == count, "\(label): allowed disruptions")
        } else if let map = value as? [String: Int] {
          for (reason, count) in map { #expect(observation.allowedByReason[reason] == count, "\(label): allowed \(reason)") }
        }
      case "budgetValue":
        #expect(observation.budgetValue == (value as? Int), "\(label): budget value")
      case "error":
        #expect(observation.budgetError == (value as? Bool), "\(label): error")
      case "cost":
        #expect(observation.costs == [(value as? NSNumber)?.doubleValue ?? .nan], "\(label): cost")
      case "costGreaterThan":
        #expect(observation.costs.allSatisfy { $0 > (value as? NSNumber)?.doubleValue ?? .infinity }, "\(label): cost >")
      case "costLessThan":
        #expect(observation.costs.allSatisfy { $0 < (value as? NSNumber)?.doubleValue ?? -.infinity }, "\(label): cost <")
      case "strictlyDecreasing":
        let costs = observation.costs
        #expect(zip(costs, costs.dropFirst()).allSatisfy { $0 > $1 } == (value as? Bool), "\(label): decreasing \(costs)")
      default:
        Issue.record("\(label): unhandled expected key \(key)")
      }
    }
  }
}
