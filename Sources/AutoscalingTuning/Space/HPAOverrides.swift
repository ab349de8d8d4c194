/// The HPA fields one candidate sets; fields left `nil` keep the user's value.
///
/// If any of a direction's `policy.*` or `secondPolicy.*` fields is set, that direction's
/// policy list becomes one or two policies. The first policy's unset fields come from the
/// user's first policy in that direction, or `Percent 100 / 15 s` (upstream's default first
/// policy, both ways) when the user has none. A second policy is there only when a
/// `secondPolicy.*` field is set and its type is not `None`; its unset fields come from the
/// user's second policy, or `Pods 4 / 15 s` (upstream's default second scale-up policy).
public struct HPAOverrides: Sendable, Hashable, Codable {
  /// The fields of one direction (`scaleUp` or `scaleDown`).
  public struct Direction: Sendable, Hashable, Codable {
    /// `stabilizationWindowSeconds`, seconds.
    public var stabilizationWindowSeconds: Int?
    /// `selectPolicy`: `Max`, `Min` or `Disabled`.
    public var selectPolicy: String?
    /// The first policy's `type`: `Percent` or `Pods`.
    public var policyType: String?
    /// The first policy's `value`, percent or pods.
    public var policyValue: Int?
    /// The first policy's `periodSeconds`, seconds.
    public var policyPeriodSeconds: Int?
    /// The second policy's `type`: `Percent`, `Pods`, or `None` for no second policy.
    public var secondPolicyType: String?
    /// The second policy's `value`, percent or pods.
    public var secondPolicyValue: Int?
    /// The second policy's `periodSeconds`, seconds.
    public var secondPolicyPeriodSeconds: Int?
    /// `tolerance`, a fraction (0.1 is 10 %).
    public var tolerance: Double?

    /// Creates an empty set of direction overrides.
    public init() {}

    /// Whether the candidate sets a field of this direction's first policy.
    public var setsPolicy: Bool {
      policyType != nil || policyValue != nil || policyPeriodSeconds != nil
    }

    /// Whether the candidate sets a field of this direction's second policy (its type may be
    /// `None`: no second policy).
    public var setsSecondPolicy: Bool {
      secondPolicyType != nil || secondPolicyValue != nil || secondPolicyPeriodSeconds != nil
    }

    /// Whether any field of the direction is set.
    public var isEmpty: Bool {
      stabilizationWindowSeconds == nil && selectPolicy == nil && !setsPolicy
        && !setsSecondPolicy && tolerance == nil
    }
  }

  /// Scale-up fields.
  public var scaleUp = Direction()
  /// Scale-down fields.
  public var scaleDown = Direction()
  /// Every metric target scaled by this percentage (100 keeps them).
  public var metricTargetPercent: Int?
  /// Every CPU Utilization target set to this `averageUtilization`, percent.
  public var cpuUtilization: Int?
  /// Every memory Utilization target set to this `averageUtilization`, percent.
  public var memoryUtilization: Int?
  /// Every Pods metric's target scaled by this percentage (100 keeps it).
  public var podsTargetPercent: Int?
  /// `spec.minReplicas`, replicas.
  public var minReplicas: Int?
  /// `spec.maxReplicas`, replicas.
  public var maxReplicas: Int?

  /// Creates an empty set of overrides (the user's HPA as is).
  public init() {}

  /// Whether the candidate touches `behavior` at all.
  public var setsBehavior: Bool { !scaleUp.isEmpty || !scaleDown.isEmpty }

  /// Whether the candidate touches a metric target.
  public var setsMetricTargets: Bool {
    metricTargetPercent != nil || cpuUtilization != nil || memoryUtilization != nil
      || podsTargetPercent != nil
  }

  /// Whether the candidate touches anything but `behavior` (targets or replica bounds).
  public var setsMetricsOrBounds: Bool {
    setsMetricTargets || minReplicas != nil || maxReplicas != nil
  }
}

/// Turns candidates of one space into ``HPAOverrides``, resolving dimension names once.
public struct HPAOverrideMapper: Sendable, Hashable {
  /// The space the candidates come from.
  public let space: ParameterSpace
  private let slots: [(parameter: HPAParameter, dimension: Int)]

  /// Creates a mapper.
  ///
  /// - Parameter space: A space whose dimensions are all HPA parameters with valid levels.
  /// - Throws: ``TuningError/unknownParameter(name:)`` or
  ///   ``TuningError/invalidParameterValue(name:value:rule:)``.
  public init(space: ParameterSpace) throws(TuningError) {
    try space.validateAsHPASpace()
    self.space = space
    var slots: [(HPAParameter, Int)] = []
    for (index, dimension) in space.dimensions.enumerated() {
      if let parameter = HPAParameter(rawValue: dimension.name) { slots.append((parameter, index)) }
    }
    self.slots = slots
  }

  /// The overrides a candidate stands for.
  ///
  /// - Parameter levels: One level index per dimension of ``space``.
  /// - Returns: The fields the candidate sets.
  public func overrides(for levels: [Int]) -> HPAOverrides {
    var result = HPAOverrides()
    for (parameter, dimension) in slots {
      let value = space.dimensions[dimension].domain[levels[dimension]]
      Self.apply(parameter, value, to: &result)
    }
    return result
  }

  private static func apply(
    _ parameter: HPAParameter, _ value: ParameterValue, to result: inout HPAOverrides
  ) {
    let integer: Int? = {
      switch value {
      case .integer(let number): return number
      case .real(let number): return number.isFinite ? Int(exactly: number.rounded()) : nil
      case .category: return nil
      }
    }()
    let text: String? = {
      if case .category(let name) = value { return name }
      return nil
    }()
    let direction: WritableKeyPath<HPAOverrides, HPAOverrides.Direction> =
      parameter.rawValue.hasPrefix("scaleUp.") ? \.scaleUp : \.scaleDown
    switch parameter {
    case .scaleUpStabilizationWindow, .scaleDownStabilizationWindow:
      result[keyPath: direction].stabilizationWindowSeconds = integer
    case .scaleUpSelectPolicy, .scaleDownSelectPolicy:
      result[keyPath: direction].selectPolicy = text
    case .scaleUpPolicyType, .scaleDownPolicyType:
      result[keyPath: direction].policyType = text
    case .scaleUpPolicyValue, .scaleDownPolicyValue:
      result[keyPath: direction].policyValue = integer
    case .scaleUpPolicyPeriod, .scaleDownPolicyPeriod:
      result[keyPath: direction].policyPeriodSeconds = integer
    case .scaleUpSecondPolicyType, .scaleDownSecondPolicyType:
      result[keyPath: direction].secondPolicyType = text
    case .scaleUpSecondPolicyValue, .scaleDownSecondPolicyValue:
      result[keyPath: direction].secondPolicyValue = integer
    case .scaleUpSecondPolicyPeriod, .scaleDownSecondPolicyPeriod:
      result[keyPath: direction].secondPolicyPeriodSeconds = integer
    case .scaleUpTolerance, .scaleDownTolerance:
      result[keyPath: direction].tolerance = value.numeric
    case .metricTargetPercent: result.metricTargetPercent = integer
    case .cpuUtilization: result.cpuUtilization = integer
    case .memoryUtilization: result.memoryUtilization = integer
    case .podsTargetPercent: result.podsTargetPercent = integer
    case .minReplicas: result.minReplicas = integer
    case .maxReplicas: result.maxReplicas = integer
    }
  }

  /// Tests two mappers for equality (same space).
  ///
  /// - Parameters:
  ///   - lhs: A mapper.
  ///   - rhs: Another mapper.
  /// - Returns: `true` when they map the same space.
  public static func == (lhs: HPAOverrideMapper, rhs: HPAOverrideMapper) -> Bool {
    lhs.space == rhs.space
  }

  /// Hashes the mapper's space.
  ///
  /// - Parameter hasher: The hasher.
  public func hash(into hasher: inout Hasher) { hasher.combine(space) }
}
