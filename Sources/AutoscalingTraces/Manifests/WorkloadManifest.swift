public import AutoscalingCore

/// A workload read from a manifest — Deployment, StatefulSet, ReplicaSet, Job, CronJob or Pod —
/// reduced to what the autoscalers need: its pod template and replica count.
public struct WorkloadManifest: Hashable, Sendable {
  /// The workload kinds this reader decodes.
  public enum Kind: String, Hashable, Sendable, CaseIterable {
    /// `apps/v1` Deployment.
    case deployment = "Deployment"
    /// `apps/v1` StatefulSet.
    case statefulSet = "StatefulSet"
    /// `apps/v1` ReplicaSet.
    case replicaSet = "ReplicaSet"
    /// `batch/v1` Job.
    case job = "Job"
    /// `batch/v1` CronJob (its `jobTemplate`).
    case cronJob = "CronJob"
    /// `v1` Pod.
    case pod = "Pod"
  }

  /// The kind.
  public var kind: Kind
  /// The `apiVersion` as written.
  public var apiVersion: String
  /// `metadata.name`.
  public var name: String
  /// `metadata.namespace` (`default` when absent, as kubectl applies it).
  public var namespace: String
  /// `metadata.labels`.
  public var labels: Labels
  /// Replicas (pods): `spec.replicas` for Deployments, StatefulSets and ReplicaSets (default 1,
  /// as the API server defaults it); `parallelism` for Jobs and CronJobs (default 1); 1 for a Pod.
  public var replicas: Int
  /// `spec.completions` of a Job or CronJob's job template (`nil` when unset).
  public var completions: Int?
  /// `spec.selector` (Deployments, StatefulSets, ReplicaSets, Jobs); `nil` when absent.
  public var selector: LabelSelector?
  /// `spec.schedule` of a CronJob.
  public var schedule: String?
  /// The pod template: containers with requests and limits (a limit with no request defaults
  /// the request), node selector, affinity, tolerations and topology spread constraints.
  public var template: PodTemplate

  /// Creates a workload.
  ///
  /// - Parameters:
  ///   - kind: The kind.
  ///   - apiVersion: The API version.
  ///   - name: The name.
  ///   - namespace: The namespace.
  ///   - labels: Object labels.
  ///   - replicas: Replicas (pods).
  ///   - completions: Job completions.
  ///   - selector: The pod selector.
  ///   - schedule: The CronJob schedule.
  ///   - template: The pod template.
  public init(
    kind: Kind, apiVersion: String, name: String, namespace: String = "default",
    labels: Labels = [:], replicas: Int = 1, completions: Int? = nil,
    selector: LabelSelector? = nil, schedule: String? = nil, template: PodTemplate
  ) {
    self.kind = kind
    self.apiVersion = apiVersion
    self.name = name
    self.namespace = namespace
    self.labels = labels
    self.replicas = replicas
    self.completions = completions
    self.selector = selector
    self.schedule = schedule
    self.template = template
  }
}

extension WorkloadManifest {
  /// Decodes a workload object (internal; see ``ManifestLoader``).
  init(object: ManifestField, kind: Kind, apiVersion: String) throws(ManifestError) {
    let metadata = try ObjectMetadata(object)
    self.kind = kind
    self.apiVersion = apiVersion
    name = metadata.name
    namespace = metadata.namespace
    labels = metadata.labels
    completions = nil
    selector = nil
    schedule = nil
    switch kind {
    case .pod:
      replicas = 1
      template = try decodePodSpec(try object.required("spec"), labels: metadata.labels)
    case .deployment, .statefulSet, .replicaSet:
      let spec = try object.required("spec")
      replicas = Int(try spec.optional("replicas")?.int(in: 0...Int64(Int32.max)) ?? 1)
      selector = try spec.optional("selector").map(decodeLabelSelector)
      template = try decodePodTemplate(try spec.required("template"))
    case .job:
      let spec = try object.required("spec")
      replicas = Int(try spec.optional("parallelism")?.int(in: 0...Int64(Int32.max)) ?? 1)
      completions = try spec.optional("completions").map { field throws(ManifestError) in
        Int(try field.int(in: 0...Int64(Int32.max)))
      }
      selector = try spec.optional("selector").map(decodeLabelSelector)
      template = try decodePodTemplate(try spec.required("template"))
    case .cronJob:
      let spec = try object.required("spec")
      schedule = try spec.required("schedule").string()
      let jobSpec = try spec.required("jobTemplate").required("spec")
      replicas = Int(try jobSpec.optional("parallelism")?.int(in: 0...Int64(Int32.max)) ?? 1)
      completions = try jobSpec.optional("completions").map { field throws(ManifestError) in
        Int(try field.int(in: 0...Int64(Int32.max)))
      }
      template = try decodePodTemplate(try jobSpec.required("template"))
    }
  }
}

/// `metadata.name`, `namespace` and `labels` of any object (internal).
struct ObjectMetadata {
  var name: String
  var namespace: String
  var labels: Labels
  var annotations: [String: String]

  init(_ object: ManifestField) throws(ManifestError) {
    let metadata = try object.required("metadata")
    name = try metadata.optional("name")?.string() ?? ""
    if name.isEmpty, let generate = try metadata.optional("generateName")?.string() {
      name = generate
    }
    if name.isEmpty { throw metadata.error("required field \"name\" is missing") }
    namespace = try metadata.optional("namespace")?.string() ?? "default"
    labels = try metadata.optional("labels")?.stringMap() ?? [:]
    annotations = try metadata.optional("annotations")?.stringMap() ?? [:]
  }
}

/// Decodes a pod template (`metadata.labels` + `spec`).
func decodePodTemplate(_ template: ManifestField) throws(ManifestError) -> PodTemplate {
  let labels = try template.optional("metadata")?.optional("labels")?.stringMap() ?? [:]
  return try decodePodSpec(try template.required("spec"), labels: labels)
}

/// Decodes a pod spec into Core's `PodTemplate`.
func decodePodSpec(_ spec: ManifestField, labels: Labels) throws(ManifestError) -> PodTemplate {
  let containers = try spec.required("containers").map(decodeContainer)
  if containers.isEmpty {
    throw try spec.required("containers").error("a pod needs at least one container")
  }
  let initContainers = try spec.optional("initContainers")?.map(decodeContainer) ?? []
  let nodeSelector = try spec.optional("nodeSelector")?.stringMap() ?? [:]
  let tolerations = try spec.optional("tolerations")?.map(decodeToleration) ?? []
  var required: [NodeSelectorTerm] = []
  var preferred: [WeightedNodeSelectorTerm] = []
  var podAffinity: [PodAffinityTerm] = []
  var podAntiAffinity: [PodAffinityTerm] = []
  if let affinity = try spec.optional("affinity") {
    if let node = try affinity.optional("nodeAffinity") {
      if let hard = try node.optional("requiredDuringSchedulingIgnoredDuringExecution") {
        required = try hard.required("nodeSelectorTerms").map(decodeNodeSelectorTerm)
      }
      if let soft = try node.optional("preferredDuringSchedulingIgnoredDuringExecution") {
        preferred = try soft.map { item throws(ManifestError) in
          WeightedNodeSelectorTerm(
            weight: Int(try item.required("weight").int(in: 1...100)),
            preference: try decodeNodeSelectorTerm(try item.required("preference")))
        }
      }
    }
    if let pod = try affinity.optional("podAffinity"),
      let hard = try pod.optional("requiredDuringSchedulingIgnoredDuringExecution")
    {
      podAffinity = try hard.map(decodePodAffinityTerm)
    }
    if let pod = try affinity.optional("podAntiAffinity"),
      let hard = try pod.optional("requiredDuringSchedulingIgnoredDuringExecution")
    {
      podAntiAffinity = try hard.map(decodePodAffinityTerm)
    }
  }
  let spread =
    try spec.optional("topologySpreadConstraints")?.map { item throws(ManifestError) in
      TopologySpreadConstraint(
        maxSkew: Int(try item.required("maxSkew").int(in: 1...Int64(Int32.max))),
        topologyKey: try item.required("topologyKey").string(),
        whenUnsatisfiable: try item.required("whenUnsatisfiable").enumeration(SpreadAction.self)
          .core,
        labelSelector: try item.optional("labelSelector").map(decodeLabelSelector)
          ?? LabelSelector())
    } ?? []
  let overhead = try spec.optional("overhead")?.resourceList() ?? [:]
  return PodTemplate(
    labels: labels, containers: containers, initContainers: initContainers,
    nodeSelector: nodeSelector, tolerations: tolerations, requiredNodeAffinity: required,
    preferredNodeAffinity: preferred, topologySpreadConstraints: spread,
    requiredPodAffinity: podAffinity, requiredPodAntiAffinity: podAntiAffinity,
    overhead: overhead)
}

/// Decodes a container's name and resources, with the API server's rules: a limit with no
/// request defaults the request; a request above its limit is rejected; extended resources
/// (`nvidia.com/gpu`) must have request equal to limit.
func decodeContainer(_ field: ManifestField) throws(ManifestError) -> Container {
  let name = try field.required("name").string()
  var requests = ResourceList()
  var limits = ResourceList()
  if let resources = try field.optional("resources") {
    let requestsField = try resources.optional("requests")
    requests = try requestsField?.resourceList() ?? [:]
    limits = try resources.optional("limits")?.resourceList() ?? [:]
    for (resource, request) in requests.quantities {
      // Written out only for an error.
      var path: String { requestsField?.childPath(resource.rawValue) ?? field.path }
      if let limit = limits[resource], request > limit {
        throw ManifestError(
          line: requestsField?.node[resource.rawValue]?.line, path: path,
          message: "request \(request) must be less than or equal to the limit \(limit)")
      }
      if resource.isExtended, limits[resource] != nil, limits[resource] != request {
        throw ManifestError(
          line: requestsField?.node[resource.rawValue]?.line, path: path,
          message: "extended resource \(resource) must have its request equal to its limit")
      }
    }
  }
  return Container(name: name, requests: requests, limits: limits)
}

/// Decodes a toleration with upstream's defaults.
func decodeToleration(_ field: ManifestField) throws(ManifestError) -> Toleration {
  let op = try field.optional("operator")?.enumeration(TolerationOperator.self) ?? .equal
  let key = try field.optional("key")?.string() ?? ""
  let value = try field.optional("value")?.string() ?? ""
  if op == .exists && !value.isEmpty {
    throw try field.required("value").error(
      "must be empty when the operator is Exists, found \"\(value)\"")
  }
  if key.isEmpty && op != .exists {
    throw field.error("an empty key requires operator Exists (it then tolerates every taint)")
  }
  return Toleration(
    key: key, operator: op == .exists ? .exists : .equal, value: value,
    effect: try field.optional("effect")?.enumeration(TaintEffect.self).core,
    tolerationSeconds: try field.optional("tolerationSeconds")?.int(
      in: Int64.min...Int64.max))
}

/// Decodes a taint (NodePool `taints` / `startupTaints`).
func decodeTaint(_ field: ManifestField) throws(ManifestError) -> Taint {
  Taint(
    key: try field.required("key").string(),
    value: try field.optional("value")?.string() ?? "",
    effect: try field.required("effect").enumeration(TaintEffect.self).core)
}

/// Decodes a node-selector term.
func decodeNodeSelectorTerm(_ field: ManifestField) throws(ManifestError) -> NodeSelectorTerm {
  NodeSelectorTerm(
    matchExpressions: try field.optional("matchExpressions")?.map(decodeNodeSelectorRequirement)
      ?? [])
}

/// Decodes one node-selector requirement (with Karpenter's `minValues`), validating the
/// number of values for each operator as the API server does.
func decodeNodeSelectorRequirement(_ field: ManifestField) throws(ManifestError)
  -> NodeSelectorRequirement
{
  let op = try field.required("operator").enumeration(NodeSelectorOperator.self)
  let values = try field.optional("values")?.stringList() ?? []
  switch op {
  case .in, .notIn:
    if values.isEmpty {
      throw field.error("operator \(op.rawValue) needs at least one value in \"values\"")
    }
  case .exists, .doesNotExist:
    if !values.isEmpty {
      throw field.error("operator \(op.rawValue) must not have \"values\"")
    }
  case .gt, .lt:
    if values.count != 1 || Int64(values[0]) == nil {
      throw field.error("operator \(op.rawValue) needs exactly one integer in \"values\"")
    }
  }
  return NodeSelectorRequirement(
    key: try field.required("key").string(),
    operator: NodeSelectorRequirement.Operator(rawValue: op.rawValue) ?? .in, values: values,
    minValues: try field.optional("minValues").map { value throws(ManifestError) in
      Int(try value.int(in: 1...50))
    })
}

/// Decodes a label selector.
func decodeLabelSelector(_ field: ManifestField) throws(ManifestError) -> LabelSelector {
  let expressions =
    try field.optional("matchExpressions")?.map {
      item throws(ManifestError) -> LabelSelector.Requirement in
      let op = try item.required("operator").enumeration(LabelSelectorOperator.self)
      return LabelSelector.Requirement(
        key: try item.required("key").string(),
        operator: LabelSelector.Requirement.Operator(rawValue: op.rawValue) ?? .in,
        values: try item.optional("values")?.stringList() ?? [])
    } ?? []
  return LabelSelector(
    matchLabels: try field.optional("matchLabels")?.stringMap() ?? [:],
    matchExpressions: expressions)
}

func decodePodAffinityTerm(_ field: ManifestField) throws(ManifestError) -> PodAffinityTerm {
  PodAffinityTerm(
    labelSelector: try field.optional("labelSelector").map(decodeLabelSelector) ?? LabelSelector(),
    topologyKey: try field.required("topologyKey").string())
}

// CaseIterable mirrors of Core's enumerations, so errors can list the allowed values.

enum TolerationOperator: String, CaseIterable {
  case equal = "Equal"
  case exists = "Exists"
}

enum TaintEffect: String, CaseIterable {
  case noSchedule = "NoSchedule"
  case preferNoSchedule = "PreferNoSchedule"
  case noExecute = "NoExecute"

  var core: Taint.Effect {
    switch self {
    case .noSchedule: return .noSchedule
    case .preferNoSchedule: return .preferNoSchedule
    case .noExecute: return .noExecute
    }
  }
}

enum NodeSelectorOperator: String, CaseIterable {
  case `in` = "In"
  case notIn = "NotIn"
  case exists = "Exists"
  case doesNotExist = "DoesNotExist"
  case gt = "Gt"
  case lt = "Lt"
}

enum LabelSelectorOperator: String, CaseIterable {
  case `in` = "In"
  case notIn = "NotIn"
  case exists = "Exists"
  case doesNotExist = "DoesNotExist"
}

enum SpreadAction: String, CaseIterable {
  case doNotSchedule = "DoNotSchedule"
  case scheduleAnyway = "ScheduleAnyway"

  var core: TopologySpreadConstraint.UnsatisfiableAction {
    self == .doNotSchedule ? .doNotSchedule : .scheduleAnyway
  }
}
