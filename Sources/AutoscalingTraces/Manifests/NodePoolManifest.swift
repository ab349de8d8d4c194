public import AutoscalingCore

/// A Karpenter NodePool in `karpenter.sh/v1` form, read from `karpenter.sh/v1` or converted
/// from `karpenter.sh/v1beta1`, with the CRD defaults applied.
///
/// Conversion from v1beta1 follows Karpenter's own: `WhenUnderutilized` becomes
/// `WhenEmptyOrUnderutilized`; `spec.disruption.expireAfter` moves to
/// `spec.template.spec.expireAfter`. Where the two versions' rules differ (v1beta1 rejects
/// `consolidateAfter` together with `WhenUnderutilized`; v1 accepts it), the v1 rule is
/// applied and ``notes`` says so.
public struct NodePoolManifest: Hashable, Sendable {
  /// A Karpenter duration: a Go duration or `Never`.
  public enum KarpenterDuration: Hashable, Sendable {
    /// The action never happens.
    case never
    /// A span, milliseconds.
    case milliseconds(Int64)
  }

  /// `spec.disruption.consolidationPolicy` (v1 names).
  public enum ConsolidationPolicy: String, Hashable, Sendable, CaseIterable {
    /// Only empty nodes are consolidated.
    case whenEmpty = "WhenEmpty"
    /// Empty and underutilized nodes are consolidated (the default; v1beta1's
    /// `WhenUnderutilized`).
    case whenEmptyOrUnderutilized = "WhenEmptyOrUnderutilized"
    /// Consolidation weighs savings against disruption (newest Karpenter).
    case balanced = "Balanced"
  }

  /// One disruption budget.
  public struct Budget: Hashable, Sendable {
    /// `nodes`: a count (`"5"`) or a percent (`"10%"`).
    public var nodes: String
    /// `schedule`: a cron expression, when the budget is time-bound.
    public var schedule: String?
    /// `duration`, milliseconds, with `schedule`.
    public var durationMilliseconds: Int64?
    /// `reasons` the budget applies to (empty: all).
    public var reasons: [String]

    /// Creates a budget.
    ///
    /// - Parameters:
    ///   - nodes: A count or percent.
    ///   - schedule: A cron schedule.
    ///   - durationMilliseconds: The active duration in milliseconds.
    ///   - reasons: Disruption reasons.
    public init(
      nodes: String, schedule: String? = nil, durationMilliseconds: Int64? = nil,
      reasons: [String] = []
    ) {
      self.nodes = nodes
      self.schedule = schedule
      self.durationMilliseconds = durationMilliseconds
      self.reasons = reasons
    }
  }

  /// `spec.template.spec.nodeClassRef`.
  public struct NodeClassReference: Hashable, Sendable {
    /// The API group (`karpenter.k8s.aws`), empty when unset (v1beta1).
    public var group: String
    /// The kind (`EC2NodeClass`), empty when unset.
    public var kind: String
    /// The name.
    public var name: String

    /// Creates a reference.
    ///
    /// - Parameters:
    ///   - group: The API group.
    ///   - kind: The kind.
    ///   - name: The name.
    public init(group: String = "", kind: String = "", name: String) {
      self.group = group
      self.kind = kind
      self.name = name
    }
  }

  /// The `apiVersion` written (`karpenter.sh/v1` or `karpenter.sh/v1beta1`).
  public var apiVersion: String
  /// `metadata.name`.
  public var name: String
  /// `spec.template.metadata.labels`.
  public var labels: Labels
  /// `spec.template.spec.requirements`.
  public var requirements: [NodeSelectorRequirement]
  /// `spec.template.spec.taints`.
  public var taints: [Taint]
  /// `spec.template.spec.startupTaints`.
  public var startupTaints: [Taint]
  /// `spec.template.spec.nodeClassRef`, when present.
  public var nodeClassRef: NodeClassReference?
  /// `expireAfter` (default `720h`).
  public var expireAfter: KarpenterDuration
  /// `spec.template.spec.terminationGracePeriod`, milliseconds, when set.
  public var terminationGracePeriodMilliseconds: Int64?
  /// `spec.limits` (empty: unlimited).
  public var limits: ResourceList
  /// `spec.weight` (1–100), when set.
  public var weight: Int32?
  /// `spec.disruption.consolidationPolicy` (default WhenEmptyOrUnderutilized).
  public var consolidationPolicy: ConsolidationPolicy
  /// `spec.disruption.consolidateAfter` (default `0s`).
  public var consolidateAfter: KarpenterDuration
  /// `spec.disruption.budgets` (default one budget of `10%`).
  public var budgets: [Budget]
  /// Which conversion rule or default was applied, in words.
  public var notes: [String]

  /// Creates a manifest value.
  ///
  /// - Parameters:
  ///   - apiVersion: The API version written.
  ///   - name: The name.
  ///   - labels: Node labels.
  ///   - requirements: Node requirements.
  ///   - taints: Taints.
  ///   - startupTaints: Startup taints.
  ///   - nodeClassRef: The node class.
  ///   - expireAfter: Node lifetime.
  ///   - terminationGracePeriodMilliseconds: Drain grace period in milliseconds.
  ///   - limits: Resource limits.
  ///   - weight: Priority weight.
  ///   - consolidationPolicy: Consolidation policy.
  ///   - consolidateAfter: Consolidation delay.
  ///   - budgets: Disruption budgets.
  ///   - notes: Conversion notes.
  public init(
    apiVersion: String = "karpenter.sh/v1", name: String, labels: Labels = [:],
    requirements: [NodeSelectorRequirement] = [], taints: [Taint] = [],
    startupTaints: [Taint] = [], nodeClassRef: NodeClassReference? = nil,
    expireAfter: KarpenterDuration = .milliseconds(720 * 3_600_000),
    terminationGracePeriodMilliseconds: Int64? = nil, limits: ResourceList = [:],
    weight: Int32? = nil, consolidationPolicy: ConsolidationPolicy = .whenEmptyOrUnderutilized,
    consolidateAfter: KarpenterDuration = .milliseconds(0),
    budgets: [Budget] = [Budget(nodes: "10%")], notes: [String] = []
  ) {
    self.apiVersion = apiVersion
    self.name = name
    self.labels = labels
    self.requirements = requirements
    self.taints = taints
    self.startupTaints = startupTaints
    self.nodeClassRef = nodeClassRef
    self.expireAfter = expireAfter
    self.terminationGracePeriodMilliseconds = terminationGracePeriodMilliseconds
    self.limits = limits
    self.weight = weight
    self.consolidationPolicy = consolidationPolicy
    self.consolidateAfter = consolidateAfter
    self.budgets = budgets
    self.notes = notes
  }
}

extension NodePoolManifest {
  /// Decodes a NodePool object (internal; see ``ManifestLoader``).
  init(object: ManifestField, apiVersion: String) throws(ManifestError) {
    let beta: Bool
    switch apiVersion {
    case "karpenter.sh/v1": beta = false
    case "karpenter.sh/v1beta1": beta = true
    default:
      throw try object.required("apiVersion").error(
        "unsupported NodePool version \"\(apiVersion)\"; use karpenter.sh/v1 or karpenter.sh/v1beta1"
      )
    }
    let metadata = try ObjectMetadata(object)
    self.init(apiVersion: apiVersion, name: metadata.name)
    let spec = try object.required("spec")
    let template = try spec.required("template")
    labels = try template.optional("metadata")?.optional("labels")?.stringMap() ?? [:]
    let templateSpec = try template.required("spec")
    requirements =
      try templateSpec.optional("requirements")?.map(decodeNodeSelectorRequirement) ?? []
    taints = try templateSpec.optional("taints")?.map(decodeTaint) ?? []
    startupTaints = try templateSpec.optional("startupTaints")?.map(decodeTaint) ?? []
    if let ref = try templateSpec.optional("nodeClassRef") {
      nodeClassRef = NodeClassReference(
        group: try ref.optional("group")?.string() ?? "",
        kind: try ref.optional("kind")?.string() ?? "",
        name: try ref.required("name").string())
    } else if !beta {
      throw templateSpec.error("required field \"nodeClassRef\" is missing")
    }
    if let grace = try templateSpec.optional("terminationGracePeriod") {
      terminationGracePeriodMilliseconds = try Self.duration(grace, allowNever: false).milliseconds
    }
    limits = try spec.optional("limits")?.resourceList() ?? [:]
    weight = try spec.optional("weight").map { field throws(ManifestError) in
      Int32(try field.int(in: 1...100))
    }
    let disruption = try spec.optional("disruption")

    // expireAfter: v1 under the template spec, v1beta1 under disruption.
    if beta {
      if let expire = try disruption?.optional("expireAfter") {
        expireAfter = try Self.duration(expire, allowNever: true)
        notes.append(
          "spec.disruption.expireAfter (v1beta1) read as spec.template.spec.expireAfter (v1)")
      }
    } else if let expire = try templateSpec.optional("expireAfter") {
      expireAfter = try Self.duration(expire, allowNever: true)
    }

    let policyField = try disruption?.optional("consolidationPolicy")
    let afterField = try disruption?.optional("consolidateAfter")
    if beta {
      let written = try policyField?.string() ?? "WhenUnderutilized"
      switch written {
      case "WhenEmpty":
        consolidationPolicy = .whenEmpty
        guard let afterField else {
          throw (disruption ?? spec).error(
            "karpenter.sh/v1beta1 requires consolidateAfter with consolidationPolicy WhenEmpty")
        }
        consolidateAfter = try Self.duration(afterField, allowNever: true)
      case "WhenUnderutilized":
        consolidationPolicy = .whenEmptyOrUnderutilized
        notes.append(
          "spec.disruption.consolidationPolicy: v1beta1 WhenUnderutilized read as karpenter.sh/v1 "
            + "WhenEmptyOrUnderutilized")
        if let afterField {
          consolidateAfter = try Self.duration(afterField, allowNever: true)
          notes.append(
            "spec.disruption.consolidateAfter: karpenter.sh/v1beta1 rejects consolidateAfter with "
              + "WhenUnderutilized; applied the karpenter.sh/v1 rule, which honours it "
              + "(\(afterField.node.scalarText ?? ""))")
        } else {
          consolidateAfter = .milliseconds(0)
          notes.append(
            "spec.disruption.consolidateAfter: absent; v1beta1 consolidated underutilized nodes "
              + "without waiting, so 0s is applied, as Karpenter's v1 conversion does")
        }
      default:
        throw (policyField ?? spec).error(
          "expected one of WhenEmpty, WhenUnderutilized (karpenter.sh/v1beta1), found \"\(written)\""
        )
      }
    } else {
      consolidationPolicy =
        try policyField?.enumeration(ConsolidationPolicy.self) ?? .whenEmptyOrUnderutilized
      if let afterField { consolidateAfter = try Self.duration(afterField, allowNever: true) }
    }
    if let budgetsField = try disruption?.optional("budgets") {
      budgets = try budgetsField.map { item throws(ManifestError) -> Budget in
        let nodesField = try item.required("nodes")
        let nodes = try nodesField.string()
        let digits = nodes.hasSuffix("%") ? String(nodes.dropLast()) : nodes
        guard let number = Int(digits), number >= 0, !nodes.hasSuffix("%") || number <= 100
        else {
          throw nodesField.error("expected a node count such as \"5\" or a percent such as \"10%\"")
        }
        let schedule = try item.optional("schedule")?.string()
        let durationField = try item.optional("duration")
        if (schedule == nil) != (durationField == nil) {
          throw item.error("schedule and duration must be set together")
        }
        return Budget(
          nodes: nodes, schedule: schedule,
          durationMilliseconds: try durationField.map { field throws(ManifestError) in
            try Self.duration(field, allowNever: false).milliseconds ?? 0
          },
          reasons: try item.optional("reasons")?.stringList() ?? [])
      }
      if budgets.count > 50 { throw budgetsField.error("at most 50 budgets are allowed") }
    }
  }

  private static func duration(_ field: ManifestField, allowNever: Bool) throws(ManifestError)
    -> KarpenterDuration
  {
    let text = try field.string()
    if text == "Never" {
      guard allowNever else { throw field.error("\"Never\" is not allowed here") }
      return .never
    }
    guard let millis = parseGoDuration(text), millis >= 0 else {
      throw field.error(
        "expected a duration such as 30s, 5m or 720h\(allowNever ? " or Never" : ""), found \"\(text)\""
      )
    }
    return .milliseconds(millis)
  }
}

extension NodePoolManifest.KarpenterDuration {
  /// The span in milliseconds, or `nil` for `Never`.
  public var milliseconds: Int64? {
    if case .milliseconds(let value) = self { return value }
    return nil
  }
}
