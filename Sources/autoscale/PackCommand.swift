import AutoscalingCore
import AutoscalingTraces
import Foundation
import NodeAutoscaling

/// Loads what the node commands share: NodePool manifests, pods from workload manifests, the
/// instance catalogue, time-slicing ConfigMaps.
enum NodeInputs {
  /// The NodePools of every manifest file, validated.
  static func nodePools(paths: [String]) throws(CommandFailure) -> [NodePool] {
    var pools: [NodePool] = []
    for path in paths {
      let file = try manifest(path: path)
      if file.nodePools.isEmpty {
        throw CommandFailure("\(path) holds no NodePool (kind: NodePool, apiVersion karpenter.sh/v1 or v1beta1)")
      }
      for manifest in file.nodePools {
        do {
          pools.append(try manifest.nodePool())
        } catch {
          throw CommandFailure("\(path): \(error)")
        }
      }
    }
    return pools
  }

  /// A manifest file, with its errors as command failures.
  static func manifest(path: String) throws(CommandFailure) -> ManifestFile {
    guard FileManager.default.fileExists(atPath: path) else {
      throw CommandFailure("manifest file \(path) does not exist")
    }
    do {
      return try ManifestLoader.load(path: path)
    } catch {
      throw CommandFailure("cannot read \(path): \(error)")
    }
  }

  /// Pods from workload manifests: `replicas` pods per Deployment, StatefulSet, ReplicaSet, Job or
  /// CronJob (named `<name>-<i>`), one per Pod manifest.
  static func pods(from file: ManifestFile) -> [Pod] {
    var pods: [Pod] = []
    for workload in file.workloads {
      let owner: PodOwnerKind?
      switch workload.kind {
      case .deployment, .replicaSet: owner = .replicaSet
      case .statefulSet: owner = .statefulSet
      case .job, .cronJob: owner = .job
      case .pod: owner = nil
      }
      if workload.kind == .pod {
        pods.append(Pod(name: workload.name, namespace: workload.namespace, template: workload.template, ownerKind: owner))
        continue
      }
      for index in 0..<max(0, workload.replicas) {
        pods.append(
          Pod(
            name: "\(workload.name)-\(index)", namespace: workload.namespace, template: workload.template,
            ownerKind: owner))
      }
    }
    return pods
  }

  /// The catalogue: `--catalog FILE.csv` (aws-instance-types.csv format) or the embedded one,
  /// with GPUs multiplied by the time-slicing replicas of any ConfigMap in `configs`.
  static func catalog(path: String?, timeSlicing configs: [TimeSlicingConfig] = []) throws(CommandFailure)
    -> [InstanceType]
  {
    var types: [InstanceType]
    if let path {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw CommandFailure("catalogue file \(path) does not exist or cannot be read")
      }
      do {
        types = try InstanceCatalog.parseCSV(String(decoding: data, as: UTF8.self))
      } catch {
        throw CommandFailure("\(path): \(error)")
      }
    } else {
      types = InstanceCatalog.embedded()
    }
    let replicas = configs.map { $0.replicas(of: .nvidiaGPU) }.max() ?? 1
    if replicas > 1 { types = types.map { $0.timeSliced(replicas: replicas) } }
    return types
  }

  /// Pretty, key-sorted JSON of `value`, with a trailing newline.
  static func json(_ value: some Encodable) throws(CommandFailure) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    } catch {
      throw CommandFailure("cannot encode the report as JSON: \(error)")
    }
  }

  /// `list` with byte amounts (memory, ephemeral storage, huge pages) that are whole KiB
  /// multiples printed in binary units (`6Gi`, not `6442450944`): sums of requests come out of
  /// the scheduler in plain decimal form.
  static func readable(_ list: ResourceList) -> ResourceList {
    var result = list
    for name in list.names
    where name == .memory || name == .ephemeralStorage || name.rawValue.hasPrefix("hugepages-") {
      var quantity = list.amount(of: name)
      if quantity.format == .decimalSI, quantity.nanoValue % 1_024_000_000_000 == 0 {
        quantity.format = .binarySI
        result[name] = quantity
      }
    }
    return result
  }

  /// A resource list as `cpu=2 memory=8Gi …` (sorted by name).
  static func text(_ list: ResourceList) -> String {
    list.names.map { "\($0.rawValue)=\(list.amount(of: $0))" }.joined(separator: " ")
  }
}

/// One launched node in a `pack` / `consolidate` report.
struct NodeLaunchReport: Encodable {
  var name: String
  var nodePool: String
  var instanceType: String
  var zone: String
  var capacityType: String
  var pricePerHour: Double
  var instanceTypeOptions: [String]
  var requests: ResourceList
  var allocatable: ResourceList
  var pods: [String]

  init(_ launch: NodeLaunch) {
    name = launch.name
    nodePool = launch.nodePool
    instanceType = launch.instanceType
    zone = launch.offering.zone
    capacityType = launch.offering.capacityType.rawValue
    pricePerHour = launch.offering.price
    instanceTypeOptions = launch.instanceTypeOptions
    requests = NodeInputs.readable(launch.requests)
    allocatable = NodeInputs.readable(launch.allocatable)
    pods = launch.pods
  }

  var textLines: [String] {
    [
      "  \(name): \(instanceType) \(capacityType) in \(zone), $\(NumberText.format(pricePerHour, digits: 5))/h, "
        + "nodepool \(nodePool)",
      "    requests \(NodeInputs.text(requests)) of allocatable \(NodeInputs.text(allocatable))",
      "    pods: \(pods.joined(separator: ", "))",
      "    options (cheapest first): \(instanceTypeOptions.prefix(8).joined(separator: ", "))"
        + (instanceTypeOptions.count > 8 ? ", … (\(instanceTypeOptions.count) in all)" : ""),
    ]
  }
}

/// `autoscale pack --nodepool FILE… --pods FILE`: Karpenter's provisioning plan for a set of pods.
enum PackCommand {
  static let spec = CommandSpec(
    name: "pack",
    summary: "Plan the nodes Karpenter would launch for pods (types, offerings, prices, placements).",
    options: [
      OptionSpec(name: "nodepool", valueName: "FILE", help: "NodePool manifest (karpenter.sh/v1 or v1beta1)", repeatable: true, required: true),
      OptionSpec(
        name: "pods", valueName: "FILE",
        help: "workload manifests: Deployments/StatefulSets/ReplicaSets/Jobs give replicas × template, Pods one each",
        required: true),
      OptionSpec(name: "catalog", valueName: "FILE.csv", help: "instance catalogue in the aws-instance-types.csv format", defaultValue: "the embedded catalogue"),
      OptionSpec(name: "json", valueName: nil, help: "print the plan as JSON"),
    ],
    epilogue:
      "Time-slicing ConfigMaps (NVIDIA device plugin) in the --pods or --nodepool files multiply each\n"
      + "type's nvidia.com/gpu by their replicas. Pods no NodePool can take are listed as pending with\n"
      + "the reason per NodePool (the requirement, taint, resource or limit that failed).")

  struct Report: Encodable {
    var nodes: [NodeLaunchReport]
    var bindings: [BindingReport]
    var pending: [PendingReport]
    var launchPricePerHour: Double
  }

  static func run(_ arguments: ParsedArguments) throws {
    let poolPaths = arguments.all("nodepool")
    let podFile = try NodeInputs.manifest(path: try arguments.required("pods"))
    var configs = podFile.timeSlicingConfigs
    for path in poolPaths { configs += try NodeInputs.manifest(path: path).timeSlicingConfigs }
    let pools = try NodeInputs.nodePools(paths: poolPaths)
    let pods = NodeInputs.pods(from: podFile)
    if pods.isEmpty {
      throw CommandFailure("\(arguments.value("pods") ?? "") holds no workload (Deployment, StatefulSet, ReplicaSet, Job, CronJob or Pod)")
    }
    let types = try NodeInputs.catalog(path: arguments.value("catalog"), timeSlicing: configs)
    let state = ClusterState(nodePools: pools, instanceTypes: types, pods: pods)
    let plan: ProvisioningPlan
    do {
      plan = try NodeAutoscaler().schedule(state, now: .epoch)
    } catch {
      throw CommandFailure("cannot plan: \(error)")
    }
    let report = Report(
      nodes: plan.launches.map(NodeLaunchReport.init), bindings: plan.bindings.map(BindingReport.init), pending: plan.pending.map(PendingReport.init),
      launchPricePerHour: plan.launchPricePerHour)
    if arguments.flag("json") {
      print(try NodeInputs.json(report), terminator: "")
      return
    }
    var lines = [
      "\(pods.count) pods, \(pools.count) nodepool(s), \(types.count) instance types: "
        + "\(plan.launches.count) new node(s), $\(NumberText.format(plan.launchPricePerHour, digits: 5))/h; "
        + "\(plan.bindings.count) placed, \(plan.pending.count) pending"
    ]
    if !report.nodes.isEmpty {
      lines.append("nodes:")
      for node in report.nodes { lines += node.textLines }
    }
    if !plan.pending.isEmpty {
      lines.append("pending:")
      for pod in plan.pending { lines.append("  \(pod.pod): \(pod.reason)") }
    }
    print(lines.joined(separator: "\n"))
  }
}

/// A pod placement in a report.
struct BindingReport: Encodable {
  var pod: String
  var node: String
  var isNewNode: Bool
  init(_ binding: PodBinding) {
    pod = binding.pod
    node = binding.node
    isNewNode = binding.isNewNode
  }
}

/// A pod left pending, with the plan's reason.
struct PendingReport: Encodable {
  var pod: String
  var reason: String
  init(_ pending: PendingPod) {
    pod = pending.pod
    reason = pending.reason
  }
}
