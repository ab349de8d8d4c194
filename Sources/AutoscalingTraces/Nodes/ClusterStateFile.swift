public import AutoscalingCore
import Foundation
public import NodeAutoscaling

/// A cluster state written as one JSON document — the input of `autoscale consolidate --state`:
/// the clock, NodePools (manifest files or inline manifests), nodes by instance type, pods with
/// their requests and placement, and PodDisruptionBudgets.
///
/// Reading is two steps so that the caller decides how files are opened: ``decode(_:file:)``
/// reads the document and its inline NodePools; the caller loads the NodePool files and the
/// catalogue the document names; ``clusterState(nodePools:instanceTypes:)`` builds the
/// ``ClusterState``. Times are in seconds on the state's clock.
public struct ClusterStateFile: Sendable {
  /// Where one entry of `nodePools` comes from.
  public enum NodePoolSource: Hashable, Sendable {
    /// A manifest file, by its path as written in the state file (a relative path is relative
    /// to the state file's directory).
    case file(String)
    /// NodePools written inline (`{"manifest": {…}}`), read and validated.
    case inline([NodePool])
  }

  /// The name of the state file, used in every error message.
  public let file: String
  /// The current time (`now`, seconds; 0 when omitted).
  public let now: Instant
  /// The catalogue file named by `catalog` (as written), or `nil` for the embedded catalogue.
  public let catalog: String?
  /// The `nodePools` entries, in order.
  public let nodePools: [NodePoolSource]

  let nodes: [NodeEntry]
  let pods: [PodEntry]
  let budgets: [BudgetEntry]

  /// Reads a state file's JSON and its inline NodePool manifests.
  ///
  /// - Parameters:
  ///   - bytes: The file's contents (UTF-8 JSON).
  ///   - file: The file's name, for error messages.
  /// - Returns: The document, with inline NodePools validated.
  /// - Throws: ``ClusterStateFileError`` naming the field and what was expected.
  public static func decode(_ bytes: [UInt8], file: String) throws(ClusterStateFileError) -> ClusterStateFile {
    let raw: RawFile
    do {
      raw = try JSONDecoder().decode(RawFile.self, from: Data(bytes))
    } catch let error as DecodingError {
      throw ClusterStateFileError(decoding: error, file: file)
    } catch {
      throw ClusterStateFileError(file: file, field: nil, kind: .malformed, message: "not valid JSON: \(error)")
    }
    var sources: [NodePoolSource] = []
    for (index, reference) in raw.nodePools.enumerated() {
      let field = "nodePools[\(index)]"
      if let path = reference.file {
        sources.append(.file(path))
      } else if let manifest = reference.manifest {
        sources.append(.inline(try inlineNodePools(manifest, file: file, field: field + ".manifest")))
      } else {
        throw ClusterStateFileError(
          file: file, field: field, kind: .missingField, message: "give \"file\" or \"manifest\"")
      }
    }
    return ClusterStateFile(
      file: file, now: try instant(raw.now ?? 0, file: file, field: "now"), catalog: raw.catalog,
      nodePools: sources, nodes: raw.nodes ?? [], pods: raw.pods ?? [], budgets: raw.podDisruptionBudgets ?? [])
  }

  /// The cluster the file describes. A node's labels, capacity and allocatable come from its
  /// instance type and NodePool, as Karpenter labels a node it launched; the file's `labels` add
  /// to them.
  ///
  /// - Parameters:
  ///   - nodePools: Every NodePool, in the order of ``nodePools`` (inline ones included).
  ///   - instanceTypes: The catalogue the nodes' instance types are looked up in.
  /// - Returns: The cluster state.
  /// - Throws: ``ClusterStateFileError`` for an unknown instance type, NodePool or node, a
  ///   duplicate name, or a field with a value out of its range.
  public func clusterState(
    nodePools pools: [NodePool], instanceTypes types: [InstanceType]
  ) throws(ClusterStateFileError) -> ClusterState {
    var typesByName: [String: InstanceType] = [:]
    for type in types where typesByName[type.name] == nil { typesByName[type.name] = type }
    var poolsByName: [String: NodePool] = [:]
    for pool in pools {
      guard poolsByName.updateValue(pool, forKey: pool.name) == nil else {
        throw ClusterStateFileError(
          file: file, field: "nodePools", kind: .invalidValue, message: "two NodePools share the name \"\(pool.name)\"")
      }
    }

    var built: [Node] = []
    var nodeNames: Set<String> = []
    for (index, entry) in nodes.enumerated() {
      let field = "nodes[\(index)] (\(entry.name))"
      guard nodeNames.insert(entry.name).inserted else {
        throw fieldError(field + ".name", .invalidValue, "two nodes share the name \"\(entry.name)\"")
      }
      guard let type = typesByName[entry.instanceType] else {
        throw fieldError(field + ".instanceType", .unknownReference, "\"\(entry.instanceType)\" is not in the catalogue")
      }
      guard let capacityType = CapacityType(rawValue: entry.capacityType) else {
        throw fieldError(field + ".capacityType", .invalidValue, "expected spot, on-demand or reserved, found \"\(entry.capacityType)\"")
      }
      var pool: NodePool?
      if let name = entry.nodePool {
        guard let found = poolsByName[name] else {
          throw fieldError(field + ".nodePool", .unknownReference,
            "no NodePool named \"\(name)\" (have \(poolsByName.keys.sorted().joined(separator: ", ")))")
        }
        pool = found
      }
      var labels = Labels()
      if let pool {
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
      let created = try Self.instant(entry.createdAt ?? 0, file: file, field: field + ".createdAt")
      let lastPodEvent = try entry.lastPodEventAt.map { (seconds) throws(ClusterStateFileError) in
        try Self.instant(seconds, file: file, field: field + ".lastPodEventAt")
      }
      let initialized = entry.initialized ?? true
      built.append(
        Node(
          name: entry.name, nodePool: entry.nodePool, labels: labels, taints: pool?.taints ?? [],
          capacity: type.capacity, allocatable: type.allocatable, isInitialized: initialized,
          annotations: entry.annotations ?? [:], createdAt: created,
          initializedAt: initialized ? created : nil, lastPodEventAt: lastPodEvent ?? created))
    }

    var builtPods: [Pod] = []
    var podIDs: Set<String> = []
    for (index, entry) in pods.enumerated() {
      let field = "pods[\(index)] (\(entry.name))"
      let namespace = entry.namespace ?? "default"
      guard podIDs.insert(namespace + "/" + entry.name).inserted else {
        throw fieldError(field + ".name", .invalidValue, "two pods share the name \(namespace)/\(entry.name)")
      }
      if let node = entry.node, !nodeNames.contains(node) {
        throw fieldError(field + ".node", .unknownReference, "no node named \"\(node)\" in \"nodes\"")
      }
      var requests = ResourceList()
      for (name, text) in entry.requests ?? [:] {
        guard !name.isEmpty else {
          throw fieldError(field + ".requests", .invalidValue, "a resource name is empty")
        }
        guard let quantity = try? Quantity(parsing: text), quantity >= .zero else {
          throw fieldError(field + ".requests.\(name)", .invalidValue,
            "expected a non-negative quantity such as 500m or 2Gi, found \"\(text)\"")
        }
        requests[ResourceName(name)] = quantity
      }
      var tolerations: [Toleration] = []
      for (t, toleration) in (entry.tolerations ?? []).enumerated() {
        let op = toleration.operator ?? "Equal"
        guard let parsedOperator = Toleration.Operator(rawValue: op) else {
          throw fieldError(field + ".tolerations[\(t)].operator", .invalidValue, "expected Equal or Exists, found \"\(op)\"")
        }
        var effect: Taint.Effect?
        if let text = toleration.effect, !text.isEmpty {
          guard let parsed = Taint.Effect(rawValue: text) else {
            throw fieldError(field + ".tolerations[\(t)].effect", .invalidValue,
              "expected NoSchedule, PreferNoSchedule or NoExecute, found \"\(text)\"")
          }
          effect = parsed
        }
        tolerations.append(
          Toleration(key: toleration.key ?? "", operator: parsedOperator, value: toleration.value ?? "", effect: effect))
      }
      let owner: PodOwnerKind?
      switch entry.ownerKind ?? "ReplicaSet" {
      case "none", "": owner = nil
      case let text:
        guard let kind = PodOwnerKind(rawValue: text) else {
          throw fieldError(field + ".ownerKind", .invalidValue,
            "expected ReplicaSet, StatefulSet, Job, DaemonSet, Node or none, found \"\(text)\"")
        }
        owner = kind
      }
      let template = PodTemplate(
        labels: entry.labels ?? [:], containers: [Container(name: "main", requests: requests)],
        nodeSelector: entry.nodeSelector ?? [:], tolerations: tolerations)
      builtPods.append(
        Pod(
          name: entry.name, namespace: namespace, template: template, annotations: entry.annotations ?? [:],
          ownerKind: owner, nodeName: entry.node, startedAt: entry.node == nil ? nil : .epoch))
    }

    var builtBudgets: [PodDisruptionBudget] = []
    var budgetIDs: Set<String> = []
    for (index, entry) in budgets.enumerated() {
      let namespace = entry.namespace ?? "default"
      guard budgetIDs.insert(namespace + "/" + entry.name).inserted else {
        throw ClusterStateFileError(
          file: file, field: "podDisruptionBudgets[\(index)] (\(entry.name)).name", kind: .invalidValue,
          message: "two PodDisruptionBudgets share the name \(namespace)/\(entry.name)")
      }
      guard entry.disruptionsAllowed >= 0 else {
        throw ClusterStateFileError(
          file: file, field: "podDisruptionBudgets[\(index)] (\(entry.name)).disruptionsAllowed",
          kind: .invalidValue, message: "expected a count ≥ 0, found \(entry.disruptionsAllowed)")
      }
      builtBudgets.append(
        PodDisruptionBudget(
          name: entry.name, namespace: namespace,
          selector: LabelSelector(matchLabels: entry.matchLabels ?? [:]), disruptionsAllowed: entry.disruptionsAllowed))
    }
    return ClusterState(
      nodePools: pools, instanceTypes: types, nodes: built, pods: builtPods, podDisruptionBudgets: builtBudgets)
  }

  // MARK: Reading

  /// An error at `field` of this file.
  func fieldError(_ field: String, _ kind: ClusterStateFileError.Kind, _ message: String) -> ClusterStateFileError {
    ClusterStateFileError(file: file, field: field, kind: kind, message: message)
  }

  /// An instant from seconds on the state's clock (finite, within ±9·10¹² s).
  static func instant(_ seconds: Double, file: String, field: String) throws(ClusterStateFileError) -> Instant {
    guard seconds.isFinite, abs(seconds) < 9e12 else {
      throw ClusterStateFileError(
        file: file, field: field, kind: .invalidValue, message: "expected a time in seconds, found \(seconds)")
    }
    return Instant(millisecondsSinceEpoch: Int64((seconds * 1000).rounded()))
  }

  /// The NodePools of one inline manifest, read by the manifest reader (its errors name the
  /// field path, not a position in the re-encoded text).
  static func inlineNodePools(_ manifest: JSONValue, file: String, field: String) throws(ClusterStateFileError)
    -> [NodePool]
  {
    let name = "\(file): \(field)"
    func failure(_ message: String) -> ClusterStateFileError {
      ClusterStateFileError(file: file, field: field, kind: .invalidValue, message: message)
    }
    guard case .object = manifest else { throw failure("expected a NodePool object") }
    let text: String
    do {
      text = String(
        decoding: try JSONSerialization.data(withJSONObject: manifest.foundation, options: [.sortedKeys]),
        as: UTF8.self)
    } catch {
      throw failure("expected a NodePool object")
    }
    let parsed: ManifestFile
    do {
      parsed = try ManifestLoader.decode(text: text, file: name)
    } catch {
      var error = error
      error.document = nil
      error.line = nil
      error.column = nil
      throw ClusterStateFileError(file: file, field: nil, kind: .invalidValue, message: error.description, prefixed: false)
    }
    guard !parsed.nodePools.isEmpty else { throw failure("not a NodePool") }
    var pools: [NodePool] = []
    for manifest in parsed.nodePools {
      do {
        pools.append(try manifest.nodePool())
      } catch {
        throw ClusterStateFileError(file: file, field: nil, kind: .invalidValue, message: "\(error)", prefixed: false)
      }
    }
    return pools
  }

  struct RawFile: Decodable {
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

  /// Any JSON value (an inline manifest is re-encoded and read by the manifest reader).
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
}

/// Why a cluster state file cannot be read: the file, the field and what was expected.
public struct ClusterStateFileError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What kind of problem it is.
  public enum Kind: String, Hashable, Sendable {
    /// The file is not JSON, or a field has the wrong JSON type.
    case malformed
    /// A required field is missing.
    case missingField
    /// A field's value is out of its range or not one of the accepted words.
    case invalidValue
    /// A name (instance type, NodePool, node) refers to nothing in the file or catalogue.
    case unknownReference
  }

  /// The state file's name.
  public var file: String
  /// The field, as a path such as `nodes[2] (c).instanceType`, when one is known.
  public var field: String?
  /// What kind of problem it is.
  public var kind: Kind
  /// What is wrong and what was expected.
  public var message: String
  /// Whether ``description`` starts with the file and field (false when `message` already names
  /// them, as the manifest reader's errors do).
  var prefixed: Bool

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - file: The state file's name.
  ///   - field: The field's path, when known.
  ///   - kind: What kind of problem it is.
  ///   - message: What is wrong and what was expected.
  public init(file: String, field: String?, kind: Kind, message: String) {
    self.init(file: file, field: field, kind: kind, message: message, prefixed: true)
  }

  init(file: String, field: String?, kind: Kind, message: String, prefixed: Bool) {
    self.file = file
    self.field = field
    self.kind = kind
    self.message = message
    self.prefixed = prefixed
  }

  init(decoding error: DecodingError, file: String) {
    func path(_ keys: [any CodingKey]) -> String? {
      let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      return text.isEmpty ? nil : text.hasPrefix(".") ? String(text.dropFirst()) : text
    }
    switch error {
    case .keyNotFound(let key, let context):
      self.init(file: file, field: path(context.codingPath + [key]), kind: .missingField, message: "required field missing")
    case .typeMismatch(let type, let context):
      let name = "\(type)"
      let expected =
        name.hasPrefix("Array") ? "a list" : name.hasPrefix("Dictionary") ? "an object"
        : type == String.self ? "text" : ["Double", "Int", "Int64"].contains(name) ? "a number"
        : type == Bool.self ? "true or false" : "a \(name)"
      self.init(file: file, field: path(context.codingPath), kind: .malformed, message: "expected \(expected)")
    case .valueNotFound(_, let context):
      self.init(file: file, field: path(context.codingPath), kind: .missingField, message: "missing value")
    case .dataCorrupted(let context):
      let field = path(context.codingPath)
      let detail = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
      self.init(
        file: file, field: field, kind: .malformed,
        message: field == nil ? "not valid JSON: \(detail ?? context.debugDescription)" : context.debugDescription)
    @unknown default:
      self.init(file: file, field: nil, kind: .malformed, message: "\(error)")
    }
  }

  /// `file: field: message`.
  public var description: String {
    guard prefixed else { return message }
    return field.map { "\(file): \($0): \(message)" } ?? "\(file): \(message)"
  }
}
