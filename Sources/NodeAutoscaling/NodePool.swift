public import AutoscalingCore

/// The NodePool API version a NodePool was written in.
public enum NodePoolAPIVersion: String, Hashable, Sendable {
  /// `karpenter.sh/v1`.
  case v1 = "karpenter.sh/v1"
  /// `karpenter.sh/v1beta1`: `WhenUnderutilized` instead of `WhenEmptyOrUnderutilized`, and
  /// `consolidateAfter` only allowed with `WhenEmpty`.
  case v1beta1 = "karpenter.sh/v1beta1"
}

/// When a NodePool's nodes may be consolidated (`spec.disruption.consolidationPolicy`).
public enum ConsolidationPolicy: String, Hashable, Sendable {
  /// Only empty nodes are removed.
  case whenEmpty = "WhenEmpty"
  /// Empty nodes are removed and underutilized nodes deleted or replaced (v1beta1:
  /// `WhenUnderutilized`).
  case whenEmptyOrUnderutilized = "WhenEmptyOrUnderutilized"
  /// As `WhenEmptyOrUnderutilized`, but each move must score at least 1/k (k = 2).
  case balanced = "Balanced"

  /// Parses a policy in either API version's spelling.
  ///
  /// - Parameters:
  ///   - text: The policy as written.
  ///   - version: The API version (v1beta1 accepts `WhenUnderutilized`).
  ///   - object: The object named in an error.
  /// - Returns: The policy.
  /// - Throws: ``NodeAutoscalingError`` for an unknown spelling.
  public static func parse(_ text: String, version: NodePoolAPIVersion, object: String) throws(NodeAutoscalingError)
    -> ConsolidationPolicy
  {
    switch (text, version) {
    case ("WhenEmpty", _): return .whenEmpty
    case ("WhenUnderutilized", .v1beta1), ("WhenEmptyOrUnderutilized", .v1): return .whenEmptyOrUnderutilized
    case ("Balanced", .v1): return .balanced
    default:
      let allowed = version == .v1 ? "WhenEmpty, WhenEmptyOrUnderutilized, Balanced" : "WhenEmpty, WhenUnderutilized"
      throw NodeAutoscalingError(
        .invalidValue, object: object, field: "spec.disruption.consolidationPolicy",
        message: "\"\(text)\" is not a \(version.rawValue) policy; expected one of \(allowed)")
    }
  }
}

/// Why a node is disrupted (`DisruptionReason`), as budgets name them.
public enum DisruptionReason: String, Hashable, Sendable, CaseIterable {
  /// The node has no reschedulable pods (Emptiness).
  case empty = "Empty"
  /// The node can be deleted or replaced more cheaply (consolidation).
  case underutilized = "Underutilized"
  /// The node no longer matches its NodePool.
  case drifted = "Drifted"
}

/// A disruption budget: how many nodes may be disrupted at once, for which reasons, when.
public struct DisruptionBudget: Hashable, Sendable {
  /// An integer (`"5"`) or a percentage of the NodePool's nodes (`"10%"`).
  public var nodes: String
  /// The reasons the budget limits; empty means all.
  public var reasons: [DisruptionReason]
  /// A cron schedule (UTC, five fields or `@daily`-style) when the budget is active, or `nil` for always.
  public var schedule: String?
  /// How long the budget stays active after each schedule hit, in milliseconds.
  public var durationMilliseconds: Int64?

  /// Creates a budget.
  ///
  /// - Parameters:
  ///   - nodes: Count or percentage.
  ///   - reasons: Reasons limited (empty = all).
  ///   - schedule: Cron schedule, or `nil`.
  ///   - durationMilliseconds: Active window after each hit, milliseconds.
  public init(nodes: String, reasons: [DisruptionReason] = [], schedule: String? = nil, durationMilliseconds: Int64? = nil) {
    self.nodes = nodes
    self.reasons = reasons
    self.schedule = schedule
    self.durationMilliseconds = durationMilliseconds
  }
}

/// `spec.disruption` of a NodePool.
public struct DisruptionSettings: Hashable, Sendable {
  /// The consolidation policy (default `WhenEmptyOrUnderutilized`).
  public var consolidationPolicy: ConsolidationPolicy
  /// How long after the last pod event a node becomes consolidatable, in milliseconds; `nil`
  /// is `Never` (consolidation disabled). Default 0.
  public var consolidateAfterMilliseconds: Int64?
  /// The budgets (default `[{nodes: "10%"}]`).
  public var budgets: [DisruptionBudget]

  /// Creates settings.
  ///
  /// - Parameters:
  ///   - consolidationPolicy: The policy.
  ///   - consolidateAfterMilliseconds: Milliseconds, or `nil` for `Never`.
  ///   - budgets: The budgets.
  public init(
    consolidationPolicy: ConsolidationPolicy = .whenEmptyOrUnderutilized, consolidateAfterMilliseconds: Int64? = 0,
    budgets: [DisruptionBudget] = [DisruptionBudget(nodes: "10%")]
  ) {
    self.consolidationPolicy = consolidationPolicy
    self.consolidateAfterMilliseconds = consolidateAfterMilliseconds
    self.budgets = budgets
  }
}

/// A Karpenter NodePool: what nodes it may launch, how they are tainted, how many, and how they
/// are disrupted.
public struct NodePool: Hashable, Sendable {
  /// The name.
  public var name: String
  /// The API version it was written in.
  public var apiVersion: NodePoolAPIVersion
  /// Higher weights are tried first (1–100; unset is 0).
  public var weight: Int
  /// Requirements on instance types and node labels (`spec.template.spec.requirements`).
  public var requirements: [Requirement]
  /// Labels every node gets (`spec.template.metadata.labels`).
  public var labels: Labels
  /// Taints every node gets.
  public var taints: [Taint]
  /// Taints present only while the node starts (ignored for scheduling).
  public var startupTaints: [Taint]
  /// Resource limits over all the NodePool's nodes (`cpu`, `memory`, `nvidia.com/gpu`, `nodes`, …).
  public var limits: ResourceList
  /// Disruption settings.
  public var disruption: DisruptionSettings
  /// Node lifetime before forced expiry, in milliseconds (`expireAfter`, default 720 h); `nil` is `Never`.
  public var expireAfterMilliseconds: Int64?

  /// Creates a NodePool.
  ///
  /// - Parameters:
  ///   - name: The name.
  ///   - apiVersion: The API version.
  ///   - weight: Priority weight (0–100).
  ///   - requirements: Requirements.
  ///   - labels: Node labels.
  ///   - taints: Taints.
  ///   - startupTaints: Startup taints.
  ///   - limits: Resource limits.
  ///   - disruption: Disruption settings.
  ///   - expireAfterMilliseconds: Lifetime in milliseconds, or `nil` for `Never`.
  public init(
    name: String, apiVersion: NodePoolAPIVersion = .v1, weight: Int = 0, requirements: [Requirement] = [],
    labels: Labels = [:], taints: [Taint] = [], startupTaints: [Taint] = [], limits: ResourceList = [:],
    disruption: DisruptionSettings = DisruptionSettings(), expireAfterMilliseconds: Int64? = 720 * 3_600_000
  ) {
    self.name = name
    self.apiVersion = apiVersion
    self.weight = weight
    self.requirements = requirements
    self.labels = labels
    self.taints = taints
    self.startupTaints = startupTaints
    self.limits = limits
    self.disruption = disruption
    self.expireAfterMilliseconds = expireAfterMilliseconds
  }

  /// Checks the NodePool as the API server's validation would.
  ///
  /// - Throws: ``NodeAutoscalingError`` for a weight outside 0–100, contradictory requirements,
  ///   negative limits, a restricted label, v1beta1's `consolidateAfter` with a policy other
  ///   than `WhenEmpty`, or more than 50 budgets.
  public func validate() throws(NodeAutoscalingError) {
    var object: String { "NodePool \"\(name)\"" }
    if !(0...100).contains(weight) {
      throw NodeAutoscalingError(.invalidValue, object: object, field: "spec.weight", message: "weight \(weight) is outside 1–100")
    }
    var combined = Requirements()
    for (index, requirement) in requirements.enumerated() {
      combined.add(requirement)
      if combined.get(requirement.key).isEmpty && requirement.operator != .doesNotExist {
        throw NodeAutoscalingError(
          .contradictoryRequirements, object: object, field: "spec.template.spec.requirements[\(index)]",
          message: "\(requirement) leaves no value for \(requirement.key) together with the earlier requirements on that key")
      }
    }
    for (name, quantity) in limits.quantities where quantity.signum < 0 {
      throw NodeAutoscalingError(.negativeResource, object: object, field: "spec.limits.\(name)", message: "limit \(quantity) is negative")
    }
    if disruption.budgets.count > 50 {
      throw NodeAutoscalingError(
        .invalidValue, object: object, field: "spec.disruption.budgets", message: "\(disruption.budgets.count) budgets; at most 50 are allowed")
    }
    if apiVersion == .v1beta1, disruption.consolidationPolicy != .whenEmpty, let after = disruption.consolidateAfterMilliseconds,
      after != 0
    {
      throw NodeAutoscalingError(
        .invalidValue, object: object, field: "spec.disruption.consolidateAfter",
        message: "karpenter.sh/v1beta1 accepts consolidateAfter only with consolidationPolicy WhenEmpty")
    }
  }
}

/// Parses a Go-style duration (`30s`, `5m`, `1h30m`, `720h`, `Never`) into milliseconds.
///
/// - Parameters:
///   - text: The duration.
///   - object: The object named in an error.
///   - field: The field named in an error.
/// - Returns: Milliseconds, or `nil` for `Never`.
/// - Throws: ``NodeAutoscalingError`` for an unparsable or negative duration.
public func parseDurationMilliseconds(_ text: String, object: String, field: String) throws(NodeAutoscalingError) -> Int64? {
  if text == "Never" { return nil }
  var total: Double = 0
  var number = ""
  var unit = ""
  var sawAny = false
  func flush() throws(NodeAutoscalingError) {
    guard let value = Double(number) else {
      throw NodeAutoscalingError(.invalidValue, object: object, field: field, message: "\"\(text)\" is not a duration such as 30s, 5m or 1h")
    }
    let scale: Double
    switch unit {
    case "ms": scale = 1
    case "s": scale = 1_000
    case "m": scale = 60_000
    case "h": scale = 3_600_000
    default:
      throw NodeAutoscalingError(.invalidValue, object: object, field: field, message: "\"\(text)\" has unknown unit \"\(unit)\"; use ms, s, m or h")
    }
    total += value * scale
    number = ""
    unit = ""
    sawAny = true
  }
  for character in text {
    if character.isNumber || character == "." {
      if !unit.isEmpty { try flush() }
      number.append(character)
    } else {
      unit.append(character)
    }
  }
  if !number.isEmpty || !unit.isEmpty { try flush() }
  guard sawAny, total.isFinite, total >= 0, total < 9e18 else {
    throw NodeAutoscalingError(.invalidValue, object: object, field: field, message: "\"\(text)\" is not a non-negative duration")
  }
  return Int64(total.rounded())
}
