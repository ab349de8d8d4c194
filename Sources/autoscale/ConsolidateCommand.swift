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

  // MARK: Loading

  /// The cluster state and clock a state file describes (read by ``ClusterStateFile``; this
  /// opens the NodePool files and the catalogue it names, relative to the state file).
  static func load(path: String) throws(CommandFailure) -> (state: ClusterState, now: Instant) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure("state file \(path) does not exist or cannot be read")
    }
    let file: ClusterStateFile
    do {
      file = try ClusterStateFile.decode(Array(data), file: path)
    } catch {
      throw CommandFailure(error.description + (error.kind == .missingField ? " (see consolidate --help)" : ""))
    }
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
    func resolve(_ reference: String) -> String {
      reference.hasPrefix("/") ? reference : directory.appendingPathComponent(reference).path
    }
    var pools: [NodePool] = []
    var configs: [TimeSlicingConfig] = []
    for source in file.nodePools {
      switch source {
      case .file(let reference):
        let manifestPath = resolve(reference)
        configs += try NodeInputs.manifest(path: manifestPath).timeSlicingConfigs
        pools += try NodeInputs.nodePools(paths: [manifestPath])
      case .inline(let inline):
        pools += inline
      }
    }
    let types = try NodeInputs.catalog(path: file.catalog.map(resolve), timeSlicing: configs)
    do {
      return (try file.clusterState(nodePools: pools, instanceTypes: types), file.now)
    } catch {
      throw CommandFailure(error.description)
    }
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
