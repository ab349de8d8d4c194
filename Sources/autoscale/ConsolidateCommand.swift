import AutoscalingCore
import AutoscalingTraces
import Foundation
import NodeAutoscaling

/// `autoscale consolidate --state FILE`: one Karpenter disruption reconcile over a cluster state.
enum ConsolidateCommand {
  static let schema = """
    State file (JSON; times in seconds on the state's clock; paths relative to the state file):
      {
        "now": 7200,
        "catalog": "aws-instance-types.csv",          optional; default the embedded catalogue
        "nodePools": [ {"file": "spot-nodepool.yaml"},
                       {"manifest": {"apiVersion": "karpenter.sh/v1", "kind": "NodePool", ...}} ],
        "nodes": [ {"name": "n1", "nodePool": "spot-pool", "instanceType": "m5.2xlarge",
                    "zone": "us-east-1a", "capacityType": "on-demand",   (spot | on-demand | reserved)
                    "labels": {}, "createdAt": 0, "lastPodEventAt": 0,   (default createdAt)
                    "initialized": true, "annotations": {}} ],
        "pods": [ {"name": "web-0", "namespace": "default", "node": "n1",   (omit node: pending)
                   "requests": {"cpu": "500m", "memory": "1Gi", "nvidia.com/gpu": "1"},
                   "labels": {"app": "web"}, "nodeSelector": {}, "annotations": {},
                   "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists",
                                    "effect": "NoSchedule"}],
                   "ownerKind": "ReplicaSet"} ],   (ReplicaSet | StatefulSet | Job | DaemonSet | Node | none)
        "podDisruptionBudgets": [ {"name": "web", "namespace": "default",
                                   "matchLabels": {"app": "web"}, "disruptionsAllowed": 0} ]
      }
    A node's labels, capacity and allocatable come from its instance type (as Karpenter labels a
    node it launched); "labels" adds to them. Methods are tried in Karpenter's order: Emptiness,
    Drift, MultiNodeConsolidation, SingleNodeConsolidation.
    """

  static let spec = CommandSpec(
    name: "consolidate",
    summary: "Run one Karpenter disruption pass over a cluster state: moves, reasons, savings.",
    options: [
      OptionSpec(name: "state", valueName: "FILE", help: "cluster state (JSON, schema below)", required: true),
      OptionSpec(name: "json", valueName: nil, help: "print the decision as JSON"),
    ],
    epilogue: schema)

  // MARK: Schema

  struct StateFile: Decodable {
    var now: Double?
    var catalog: String?
    var nodePools: [NodePoolReference]
    var nodes: [NodeEntry]?
    var pods: [PodEntry]?
    var podDisruptionBudgets: [BudgetEntry]?
  }

  struct NodePoolReference: Decodable {
    var file: String?
    var manifest: JSONValue?
  }

  struct NodeEntry: Decodable {
    var name: String
    var nodePool: String?
    var instanceType: String
    var zone: String
    var capacityType: String
    var labels: [String: String]?
    var annotations: [String: String]?
    var createdAt: Double?
    var lastPodEventAt: Double?
    var initialized: Bool?
  }

  struct TolerationEntry: Decodable {
    var key: String?
    var `operator`: String?
    var value: String?
    var effect: String?
  }

  struct PodEntry: Decodable {
    var name: String
    var namespace: String?
    var node: String?
    var requests: [String: String]?
    var labels: [String: String]?
    var nodeSelector: [String: String]?
    var annotations: [String: String]?
    var tolerations: [TolerationEntry]?
    var ownerKind: String?
  }

  struct BudgetEntry: Decodable {
    var name: String
    var namespace: String?
    var matchLabels: [String: String]?
    var disruptionsAllowed: Int
  }

  /// Any JSON value (inline manifests are re-serialised and read by the manifest loader).
  enum JSONValue: Decodable {
    case object([String: JSONValue]), array([JSONValue]), string(String), number(Double), bool(Bool), null

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if container.decodeNil() {
        self = .null
      } else if let value = try? container.decode(Bool.self) {
        self = .bool(value)
      } else if let value = try? container.decode(Double.self) {
        self = .number(value)
      } else if let value = try? container.decode(String.self) {
        self = .string(value)
      } else if let value = try? container.decode([JSONValue].self) {
        self = .array(value)
      } else {
        self = .object(try container.decode([String: JSONValue].self))
      }
    }

    var foundation: Any {
      switch self {
      case .object(let members): members.mapValues(\.foundation)
      case .array(let items): items.map(\.foundation)
      case .string(let text): text
      case .number(let number): number == number.rounded() && abs(number) < 1e15 ? Int64(number) as Any : number
      case .bool(let flag): flag
      case .null: NSNull()
      }
    }
  }

  // MARK: Loading

  /// The cluster state and clock a state file describes.
  static func load(path: String) throws(CommandFailure) -> (state: ClusterState, now: Instant) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure("state file \(path) does not exist or cannot be read")
    }
    let file: StateFile
    do {
      file = try JSONDecoder().decode(StateFile.self, from: data)
    } catch let DecodingError.keyNotFound(key, context) {
      throw CommandFailure("\(path): \(location(context.codingPath + [key])): required field missing (see consolidate --help)")
    } catch let DecodingError.typeMismatch(_, context) {
      throw CommandFailure("\(path): \(location(context.codingPath)): \(context.debugDescription)")
    } catch {
      throw CommandFailure("\(path): not a valid state file: \(error)")
    }
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
    func resolve(_ reference: String) -> String {
      reference.hasPrefix("/") ? reference : directory.appendingPathComponent(reference).path
    }

    var pools: [NodePool] = []
    var configs: [TimeSlicingConfig] = []
    for (index, reference) in file.nodePools.enumerated() {
      if let reference = reference.file {
        let manifestPath = resolve(reference)
        configs += try NodeInputs.manifest(path: manifestPath).timeSlicingConfigs
        pools += try NodeInputs.nodePools(paths: [manifestPath])
      } else if let manifest = reference.manifest {
        let name = "\(path): nodePools[\(index)].manifest"
        let text: String
        do {
          text = String(
            decoding: try JSONSerialization.data(
              withJSONObject: manifest.foundation, options: [.sortedKeys]),
            as: UTF8.self)
        } catch {
          throw CommandFailure("\(name): not a JSON object")
        }
        do {
          let parsed = try ManifestLoader.decode(text: text, file: name)
          guard !parsed.nodePools.isEmpty else { throw CommandFailure("\(name): not a NodePool") }
          for pool in parsed.nodePools { pools.append(try pool.nodePool()) }
        } catch let error as CommandFailure {
          throw error
        } catch var error as ManifestError {
          // Positions would point into the re-encoded text, not into the state file: the
          // field path names the place instead.
          error.document = nil
          error.line = nil
          error.column = nil
          throw CommandFailure("\(error)")
        } catch {
          throw CommandFailure("\(error)")
        }
      } else {
        throw CommandFailure("\(path): nodePools[\(index)]: give \"file\" or \"manifest\"")
      }
    }
    let types = try NodeInputs.catalog(path: file.catalog.map(resolve), timeSlicing: configs)
    var typesByName: [String: InstanceType] = [:]
    for type in types { typesByName[type.name] = type }
    let poolsByName = Dictionary(pools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    var nodes: [Node] = []
    for (index, entry) in (file.nodes ?? []).enumerated() {
      let field = "\(path): nodes[\(index)] (\(entry.name))"
      guard let type = typesByName[entry.instanceType] else {
        throw CommandFailure("\(field).instanceType: \"\(entry.instanceType)\" is not in the catalogue")
      }
      guard let capacityType = CapacityType(rawValue: entry.capacityType) else {
        throw CommandFailure("\(field).capacityType: expected spot, on-demand or reserved, found \"\(entry.capacityType)\"")
      }
      if let pool = entry.nodePool, poolsByName[pool] == nil {
        throw CommandFailure("\(field).nodePool: no NodePool named \"\(pool)\" (have \(poolsByName.keys.sorted().joined(separator: ", ")))")
      }
      var labels = Labels()
      if let pool = entry.nodePool.flatMap({ poolsByName[$0] }) {
        for (key, value) in pool.labels { labels[key] = value }
        labels[WellKnownLabel.nodePool] = pool.name
      }
      for (key, value) in type.labels { labels[key] = value }
      labels[WellKnownLabel.instanceType] = type.name
      labels[WellKnownLabel.zone] = entry.zone
      labels[WellKnownLabel.capacityType] = capacityType.rawValue
      labels[WellKnownLabel.arch] = type.architecture
      labels[WellKnownLabel.os] = "linux"
      labels[WellKnownLabel.hostname] = entry.name
      for (key, value) in entry.labels ?? [:] { labels[key] = value }
      let created = try instant(entry.createdAt ?? 0, field: "\(field).createdAt")
      let initialized = entry.initialized ?? true
      nodes.append(
        Node(
          name: entry.name, nodePool: entry.nodePool, labels: labels,
          taints: entry.nodePool.flatMap { poolsByName[$0]?.taints } ?? [], capacity: type.capacity,
          allocatable: type.allocatable, isInitialized: initialized, annotations: (entry.annotations ?? [:]),
          createdAt: created, initializedAt: initialized ? created : nil,
          lastPodEventAt: try entry.lastPodEventAt.map { v throws(CommandFailure) in try instant(v, field: "\(field).lastPodEventAt") } ?? created))
    }
    let nodeNames = Set(nodes.map(\.name))

    var pods: [Pod] = []
    for (index, entry) in (file.pods ?? []).enumerated() {
      let field = "\(path): pods[\(index)] (\(entry.name))"
      if let node = entry.node, !nodeNames.contains(node) {
        throw CommandFailure("\(field).node: no node named \"\(node)\" in \"nodes\"")
      }
      var requests = ResourceList()
      for (name, text) in entry.requests ?? [:] {
        guard let quantity = try? Quantity(parsing: text), quantity >= .zero else {
          throw CommandFailure("\(field).requests.\(name): expected a non-negative quantity such as 500m or 2Gi, found \"\(text)\"")
        }
        requests[ResourceName(name)] = quantity
      }
      var tolerations: [Toleration] = []
      for (t, toleration) in (entry.tolerations ?? []).enumerated() {
        let op = toleration.operator ?? "Equal"
        guard let parsedOperator = Toleration.Operator(rawValue: op) else {
          throw CommandFailure("\(field).tolerations[\(t)].operator: expected Equal or Exists, found \"\(op)\"")
        }
        var effect: Taint.Effect?
        if let text = toleration.effect, !text.isEmpty {
          guard let parsed = Taint.Effect(rawValue: text) else {
            throw CommandFailure("\(field).tolerations[\(t)].effect: expected NoSchedule, PreferNoSchedule or NoExecute, found \"\(text)\"")
          }
          effect = parsed
        }
        tolerations.append(Toleration(key: toleration.key ?? "", operator: parsedOperator, value: toleration.value ?? "", effect: effect))
      }
      let owner: PodOwnerKind?
      switch entry.ownerKind ?? "ReplicaSet" {
      case "none", "": owner = nil
      case let text:
        guard let kind = PodOwnerKind(rawValue: text) else {
          throw CommandFailure("\(field).ownerKind: expected ReplicaSet, StatefulSet, Job, DaemonSet, Node or none, found \"\(text)\"")
        }
        owner = kind
      }
      let template = PodTemplate(
        labels: (entry.labels ?? [:]), containers: [Container(name: "main", requests: requests)],
        nodeSelector: (entry.nodeSelector ?? [:]), tolerations: tolerations)
      pods.append(
        Pod(
          name: entry.name, namespace: entry.namespace ?? "default", template: template,
          annotations: (entry.annotations ?? [:]), ownerKind: owner, nodeName: entry.node,
          startedAt: entry.node == nil ? nil : .epoch))
    }
    let budgets = (file.podDisruptionBudgets ?? []).map {
      PodDisruptionBudget(
        name: $0.name, namespace: $0.namespace ?? "default",
        selector: LabelSelector(matchLabels: ($0.matchLabels ?? [:])), disruptionsAllowed: $0.disruptionsAllowed)
    }
    let now = try instant(file.now ?? 0, field: "\(path): now")
    return (ClusterState(nodePools: pools, instanceTypes: types, nodes: nodes, pods: pods, podDisruptionBudgets: budgets), now)
  }

  static func instant(_ seconds: Double, field: String) throws(CommandFailure) -> Instant {
    guard seconds.isFinite, abs(seconds) < 9e12 else {
      throw CommandFailure("\(field): expected a time in seconds, found \(seconds)")
    }
    return Instant(millisecondsSinceEpoch: Int64((seconds * 1000).rounded()))
  }

  static func location(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
  }

  // MARK: Report

  struct Report: Encodable {
    var method: String?
    var reason: String?
    var decision: String?
    var candidates: [String]
    var replacements: [NodeLaunchReport]
    var moves: [BindingReport]
    var candidatePricePerHour: Double
    var replacementPricePerHour: Double
    var savingsPerHour: Double
    var validateAtSeconds: Double?
    var events: [Event]
    var allowedDisruptions: [String: Int]
    var summary: String

    struct Event: Encodable {
      var node: String?
      var message: String
    }
  }

  static func run(_ arguments: ParsedArguments) throws {
    let (state, now) = try load(path: try arguments.required("state"))
    let decision: DisruptionDecision
    do {
      decision = try NodeAutoscaler().disrupt(state, now: now)
    } catch {
      throw CommandFailure("cannot evaluate disruption: \(error)")
    }
    let command = decision.command
    let report = Report(
      method: command?.method.rawValue, reason: command?.reason.rawValue, decision: command?.decision.rawValue,
      candidates: command?.candidates ?? [], replacements: (command?.replacements ?? []).map(NodeLaunchReport.init),
      moves: (command?.podDestinations ?? []).map(BindingReport.init),
      candidatePricePerHour: command?.candidatePrice ?? 0, replacementPricePerHour: command?.replacementPrice ?? 0,
      savingsPerHour: command?.savingsPerHour ?? 0,
      validateAtSeconds: command.map { Double($0.validateAt.millisecondsSinceEpoch) / 1000 },
      events: decision.events.map { Report.Event(node: $0.node, message: $0.message) },
      allowedDisruptions: decision.allowedDisruptions, summary: decision.reason)
    if arguments.flag("json") {
      print(try NodeInputs.json(report), terminator: "")
      return
    }
    var lines: [String] = []
    if let command {
      lines.append(
        "\(command.method.rawValue): \(command.decision.rawValue) \(command.candidates.joined(separator: ", ")) "
          + "(reason \(command.reason.rawValue)); $\(NumberText.format(command.candidatePrice, digits: 5))/h → "
          + "$\(NumberText.format(command.replacementPrice, digits: 5))/h, saves "
          + "$\(NumberText.format(command.savingsPerHour, digits: 5))/h; validate at "
          + "\(NumberText.format(Double(command.validateAt.millisecondsSinceEpoch) / 1000)) s")
      if !report.replacements.isEmpty {
        lines.append("replacements:")
        for node in report.replacements { lines += node.textLines }
      }
      if !command.podDestinations.isEmpty {
        lines.append("moves:")
        for move in command.podDestinations { lines.append("  \(move.pod) → \(move.node)") }
      }
    } else {
      lines.append("no disruption: \(decision.reason)")
    }
    if !decision.events.isEmpty {
      lines.append("events:")
      for event in decision.events { lines.append("  \(event.node.map { $0 + ": " } ?? "")\(event.message)") }
    }
    if !decision.allowedDisruptions.isEmpty {
      lines.append(
        "allowed disruptions: "
          + decision.allowedDisruptions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
    }
    print(lines.joined(separator: "\n"))
  }
}
