import AutoscalingCore
import Foundation
import NodeAutoscaling

/// JSON helpers over `JSONSerialization` output.
typealias JSON = [String: Any]

enum ScenarioError: Error, CustomStringConvertible {
  case bad(String)
  var description: String {
    switch self {
    case .bad(let message): return message
    }
  }
}

func quantity(_ value: Any?) throws -> Quantity {
  if let text = value as? String { return try Quantity(parsing: text) }
  if let number = value as? NSNumber { return try Quantity(parsing: number.stringValue) }
  throw ScenarioError.bad("not a quantity: \(String(describing: value))")
}

func resourceList(_ value: Any?) throws -> ResourceList {
  guard let map = value as? JSON else { return [:] }
  var list = ResourceList()
  for (key, amount) in map { list[ResourceName(key)] = try quantity(amount) }
  return list
}

func stringMap(_ value: Any?) -> Labels {
  guard let map = value as? JSON else { return [:] }
  var result: Labels = [:]
  for (key, value) in map { result[key] = (value as? String) ?? "\(value)" }
  return result
}

func durationMilliseconds(_ value: Any?) throws -> Int64? {
  guard let text = value as? String else { return 0 }
  return try parseDurationMilliseconds(text, object: "scenario", field: "duration")
}

/// The fake cloud provider's catalogues (core `pkg/cloudprovider/fake/instancetype.go`).
enum FakeCatalog {
  static let overhead = InstanceTypeOverhead(kubeReserved: [.cpu: Quantity(milliValue: 100), .memory: Quantity(10 << 20)])
  static let zones = ["test-zone-1", "test-zone-2", "test-zone-3"]

  static func defaultOfferings(price: Double) -> [Offering] {
    [
      Offering(zone: "test-zone-1", capacityType: .spot, price: price),
      Offering(zone: "test-zone-2", capacityType: .spot, price: price),
      Offering(zone: "test-zone-1", capacityType: .onDemand, price: price),
      Offering(zone: "test-zone-2", capacityType: .onDemand, price: price),
      Offering(zone: "test-zone-3", capacityType: .onDemand, price: price),
    ]
  }

  static func labels(cpu: Int64, memoryBytes: Int64) -> Labels {
    let large = cpu > 4 && memoryBytes > 8 << 30
    var labels: Labels = ["size": large ? "large" : "small", "integer": "\(cpu)"]
    if large { labels["special"] = "optional" }
    return labels
  }

  /// `fake.InstanceTypes(n)`: i+1 vCPU, 2(i+1) GiB, 10(i+1) pods.
  static func instanceTypes(_ count: Int) -> [InstanceType] {
    (0..<count).map { i in
      let cpu = Int64(i + 1)
      let memory = Int64(2 * (i + 1)) << 30
      let price = 0.1 * Double(cpu) + 0.1 * Double(memory) / 1e9
      return InstanceType(
        name: "fake-it-\(i)", architecture: "amd64", operatingSystems: ["linux", "windows", "darwin"],
        capacity: [.cpu: Quantity(cpu), .memory: Quantity(memory, format: .binarySI), .pods: Quantity(10 * cpu)],
        overhead: overhead, offerings: defaultOfferings(price: price), labels: labels(cpu: cpu, memoryBytes: memory))
    }
  }

  /// `fake.InstanceTypesAssorted()`: one offering per type; loop order cpu, mem, zone,
  /// capacity type, os, arch.
  static func assorted() -> [InstanceType] {
    var result: [InstanceType] = []
    for cpu: Int64 in [1, 2, 4, 8, 16, 32, 64] {
      for memGi: Int64 in [1, 2, 4, 8, 16, 32, 64, 128] {
        for zone in zones {
          for capacityType in [CapacityType.spot, .onDemand] {
            for os in ["linux", "windows"] {
              for arch in ["amd64", "arm64"] {
                let memory = memGi << 30
                let price = 0.1 * Double(cpu) + 0.1 * Double(memory) / 1e9
                result.append(
                  InstanceType(
                    name: "\(cpu)-cpu-\(memGi)-mem-\(arch)-\(os)-\(zone)-\(capacityType.rawValue)", architecture: arch,
                    operatingSystems: [os],
                    capacity: [.cpu: Quantity(cpu), .memory: Quantity(memory, format: .binarySI), .pods: Quantity(5)],
                    overhead: overhead, offerings: [Offering(zone: zone, capacityType: capacityType, price: price)],
                    labels: labels(cpu: cpu, memoryBytes: memory)))
              }
            }
          }
        }
      }
    }
    return result
  }

  static func fromJSON(_ list: [JSON], overhead: InstanceTypeOverhead = FakeCatalog.overhead) throws -> [InstanceType] {
    try list.map { item in
      let offerings = try (item["offerings"] as? [JSON] ?? []).map { offering -> Offering in
        guard let type = CapacityType(rawValue: offering["capacityType"] as? String ?? "") else {
          throw ScenarioError.bad("bad capacity type in \(offering)")
        }
        return Offering(
          zone: offering["zone"] as? String ?? "", capacityType: type, price: (offering["price"] as? NSNumber)?.doubleValue ?? 0,
          available: offering["available"] as? Bool ?? true)
      }
      return InstanceType(
        name: item["name"] as? String ?? "", architecture: item["arch"] as? String ?? "amd64",
        operatingSystems: item["os"] as? [String] ?? ["linux"], capacity: try resourceList(item["capacity"]),
        overhead: overhead, offerings: offerings, labels: stringMap(item["labels"]))
    }
  }
}

/// Builds library values from scenario JSON.
enum ScenarioBuilder {
  static func requirement(_ json: JSON) throws -> Requirement {
    let op = try RequirementOperator.parse(json["operator"] as? String ?? "", object: "scenario", field: "operator")
    return try Requirement(
      key: json["key"] as? String ?? "", operator: op, values: json["values"] as? [String] ?? [],
      minValues: (json["minValues"] as? NSNumber)?.intValue)
  }

  static func selectorRequirement(_ json: JSON) throws -> NodeSelectorRequirement {
    guard let op = NodeSelectorRequirement.Operator(rawValue: json["operator"] as? String ?? "") else {
      throw ScenarioError.bad("bad operator \(json)")
    }
    return NodeSelectorRequirement(key: json["key"] as? String ?? "", operator: op, values: json["values"] as? [String] ?? [])
  }

  static func nodePool(_ json: JSON) throws -> NodePool {
    var disruption = DisruptionSettings()
    if let d = json["disruption"] as? JSON {
      if let policy = d["consolidationPolicy"] as? String {
        disruption.consolidationPolicy = try ConsolidationPolicy.parse(policy, version: .v1, object: "scenario")
      }
      if d["consolidateAfter"] != nil { disruption.consolidateAfterMilliseconds = try durationMilliseconds(d["consolidateAfter"]) }
      if let budgets = d["budgets"] as? [JSON] { disruption.budgets = try budgets.map(budget) }
    }
    let taints = try (json["taints"] as? [JSON] ?? []).map(taint)
    return NodePool(
      name: json["name"] as? String ?? "", weight: (json["weight"] as? NSNumber)?.intValue ?? 0,
      requirements: try (json["requirements"] as? [JSON] ?? []).map(requirement), labels: stringMap(json["labels"]),
      taints: taints, startupTaints: try (json["startupTaints"] as? [JSON] ?? []).map(taint),
      limits: json["limits"] == nil ? [.cpu: Quantity(2000)] : try resourceList(json["limits"]), disruption: disruption,
      expireAfterMilliseconds: json["expireAfter"] == nil ? 720 * 3_600_000 : try durationMilliseconds(json["expireAfter"]))
  }

  static func budget(_ json: JSON) throws -> DisruptionBudget {
    DisruptionBudget(
      nodes: (json["nodes"] as? String) ?? "\(json["nodes"] ?? "10%")",
      reasons: (json["reasons"] as? [String] ?? []).compactMap(DisruptionReason.init(rawValue:)),
      schedule: json["schedule"] as? String,
      durationMilliseconds: json["duration"] == nil ? nil : try durationMilliseconds(json["duration"]))
  }

  static func taint(_ json: JSON) throws -> Taint {
    guard let effect = Taint.Effect(rawValue: json["effect"] as? String ?? "") else { throw ScenarioError.bad("bad taint \(json)") }
    return Taint(key: json["key"] as? String ?? "", value: json["value"] as? String ?? "", effect: effect)
  }

  static func selector(_ value: Any?) -> LabelSelector {
    guard let map = value as? JSON else { return LabelSelector() }
    if map["matchLabels"] != nil || map["matchExpressions"] != nil {
      return LabelSelector(matchLabels: stringMap(map["matchLabels"]))
    }
    return LabelSelector(matchLabels: stringMap(map))
  }

  /// The pods of one JSON entry (`count` copies named `name-i`).
  static func pods(_ json: JSON, createdAt: Instant) throws -> [Pod] {
    let count = (json["count"] as? NSNumber)?.intValue ?? 1
    let name = json["name"] as? String ?? "pod"
    var template = PodTemplate(
      labels: stringMap(json["labels"]),
      containers: [Container(name: "main", requests: try resourceList(json["requests"]), limits: try resourceList(json["limits"]))],
      initContainers: try (json["initContainers"] as? [JSON] ?? []).enumerated().map { index, item in
        Container(name: "init-\(index)", requests: try resourceList(item["requests"]))
      },
      nodeSelector: stringMap(json["nodeSelector"]),
      tolerations: (json["tolerations"] as? [JSON] ?? []).map { item in
        Toleration(
          key: item["key"] as? String ?? "", operator: Toleration.Operator(rawValue: item["operator"] as? String ?? "Equal") ?? .equal,
          value: item["value"] as? String ?? "", effect: (item["effect"] as? String).flatMap(Taint.Effect.init(rawValue:)))
      },
      requiredNodeAffinity: try (json["requiredNodeAffinityTerms"] as? [[JSON]] ?? []).map { term in
        NodeSelectorTerm(matchExpressions: try term.map(selectorRequirement))
      },
      preferredNodeAffinity: try (json["preferredNodeAffinity"] as? [JSON] ?? []).map { item in
        WeightedNodeSelectorTerm(
          weight: (item["weight"] as? NSNumber)?.intValue ?? 1,
          preference: NodeSelectorTerm(matchExpressions: try (item["matchExpressions"] as? [JSON] ?? []).map(selectorRequirement)))
      },
      topologySpreadConstraints: (json["topologySpread"] as? [JSON] ?? []).map { item in
        TopologySpreadConstraint(
          maxSkew: (item["maxSkew"] as? NSNumber)?.intValue ?? 1, topologyKey: item["topologyKey"] as? String ?? "",
          whenUnsatisfiable: TopologySpreadConstraint.UnsatisfiableAction(rawValue: item["whenUnsatisfiable"] as? String ?? "")
            ?? .doNotSchedule,
          labelSelector: selector(item["labelSelector"]))
      },
      requiredPodAffinity: (json["podAffinity"] as? [JSON] ?? []).map { item in
        PodAffinityTerm(labelSelector: selector(item["labelSelector"]), topologyKey: item["topologyKey"] as? String ?? "")
      },
      requiredPodAntiAffinity: (json["podAntiAffinity"] as? [JSON] ?? []).map { item in
        PodAffinityTerm(labelSelector: selector(item["labelSelector"]), topologyKey: item["topologyKey"] as? String ?? "")
      },
      overhead: try resourceList(json["runtimeClassOverhead"]))
    if template.containers[0].requests.isEmpty && template.containers[0].limits.isEmpty { template.containers[0] = Container(name: "main") }
    let minDomains = (json["topologySpread"] as? [JSON] ?? []).map { ($0["minDomains"] as? NSNumber)?.intValue }
    let owner: PodOwnerKind? = (json["ownerKind"] as? String).flatMap(PodOwnerKind.init(rawValue:))
    return (0..<count).map { index in
      Pod(
        name: count == 1 ? name : "\(name)-\(index)", template: template, annotations: stringMap(json["annotations"]),
        priority: (json["priority"] as? NSNumber)?.int32Value ?? 0, ownerKind: json.keys.contains("ownerKind") ? owner : .replicaSet,
        hostPorts: json["hostPorts"] as? [Int] ?? [], spreadMinDomains: minDomains,
        nodeName: json["boundTo"] as? String, createdAt: createdAt, startedAt: createdAt)
    }
  }
}
