/// The HPA fields a tuning space can vary, named as the dimensions that set them.
///
/// Each direction's `policy` is its first scaling policy (type, value, period) and
/// `secondPolicy` an optional second one (`secondPolicy.type: None` for none), which
/// `selectPolicy` chooses between (`Max`: the larger change, upstream's default). A candidate
/// that sets a direction's `policy` but not its `secondPolicy` gets a single policy there.
/// `metrics.targetPercent` scales every metric target of the
/// user's HPA by a percentage (100 keeps them), which works for Utilization, AverageValue and
/// Value targets alike.
public enum HPAParameter: String, Sendable, Hashable, Codable, CaseIterable {
  /// `behavior.scaleUp.stabilizationWindowSeconds`, seconds in 0…3600.
  case scaleUpStabilizationWindow = "scaleUp.stabilizationWindowSeconds"
  /// `behavior.scaleUp.selectPolicy`: `Max`, `Min` or `Disabled`.
  case scaleUpSelectPolicy = "scaleUp.selectPolicy"
  /// `behavior.scaleUp.policies[0].type`: `Percent` or `Pods`.
  case scaleUpPolicyType = "scaleUp.policy.type"
  /// `behavior.scaleUp.policies[0].value`, percent or pods, > 0.
  case scaleUpPolicyValue = "scaleUp.policy.value"
  /// `behavior.scaleUp.policies[0].periodSeconds`, seconds in 1…1800.
  case scaleUpPolicyPeriod = "scaleUp.policy.periodSeconds"
  /// `behavior.scaleUp.policies[1].type`: `Percent`, `Pods`, or `None` for no second policy.
  case scaleUpSecondPolicyType = "scaleUp.secondPolicy.type"
  /// `behavior.scaleUp.policies[1].value`, percent or pods, > 0.
  case scaleUpSecondPolicyValue = "scaleUp.secondPolicy.value"
  /// `behavior.scaleUp.policies[1].periodSeconds`, seconds in 1…1800.
  case scaleUpSecondPolicyPeriod = "scaleUp.secondPolicy.periodSeconds"
  /// `behavior.scaleUp.tolerance`, a fraction ≥ 0 (KEP-4951).
  case scaleUpTolerance = "scaleUp.tolerance"
  /// `behavior.scaleDown.stabilizationWindowSeconds`, seconds in 0…3600.
  case scaleDownStabilizationWindow = "scaleDown.stabilizationWindowSeconds"
  /// `behavior.scaleDown.selectPolicy`: `Max`, `Min` or `Disabled`.
  case scaleDownSelectPolicy = "scaleDown.selectPolicy"
  /// `behavior.scaleDown.policies[0].type`: `Percent` or `Pods`.
  case scaleDownPolicyType = "scaleDown.policy.type"
  /// `behavior.scaleDown.policies[0].value`, percent or pods, > 0.
  case scaleDownPolicyValue = "scaleDown.policy.value"
  /// `behavior.scaleDown.policies[0].periodSeconds`, seconds in 1…1800.
  case scaleDownPolicyPeriod = "scaleDown.policy.periodSeconds"
  /// `behavior.scaleDown.policies[1].type`: `Percent`, `Pods`, or `None` for no second policy.
  case scaleDownSecondPolicyType = "scaleDown.secondPolicy.type"
  /// `behavior.scaleDown.policies[1].value`, percent or pods, > 0.
  case scaleDownSecondPolicyValue = "scaleDown.secondPolicy.value"
  /// `behavior.scaleDown.policies[1].periodSeconds`, seconds in 1…1800.
  case scaleDownSecondPolicyPeriod = "scaleDown.secondPolicy.periodSeconds"
  /// `behavior.scaleDown.tolerance`, a fraction ≥ 0 (KEP-4951).
  case scaleDownTolerance = "scaleDown.tolerance"
  /// Every metric target of the user's HPA, scaled by this percentage (≥ 1).
  case metricTargetPercent = "metrics.targetPercent"
  /// The `averageUtilization` of every CPU Resource / ContainerResource Utilization target,
  /// percent of the request in 1…1000 (applied after `metrics.targetPercent`).
  case cpuUtilization = "metrics.cpu.averageUtilization"
  /// The `averageUtilization` of every memory Resource / ContainerResource Utilization
  /// target, percent of the request in 1…1000 (applied after `metrics.targetPercent`).
  case memoryUtilization = "metrics.memory.averageUtilization"
  /// Every Pods metric's target scaled by this percentage (≥ 1; 100 keeps it), after
  /// `metrics.targetPercent`: the per-pod `averageValue` ± a range.
  case podsTargetPercent = "metrics.pods.targetPercent"
  /// `spec.minReplicas`, replicas ≥ 1.
  case minReplicas = "minReplicas"
  /// `spec.maxReplicas`, replicas ≥ 1 and ≥ `minReplicas`.
  case maxReplicas = "maxReplicas"

  /// The kind of values the parameter takes.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// Whole numbers.
    case integer
    /// Real numbers.
    case real
    /// Named choices.
    case categorical
  }

  /// The kind of values this parameter takes.
  public var kind: Kind {
    switch self {
    case .scaleUpSelectPolicy, .scaleDownSelectPolicy, .scaleUpPolicyType, .scaleDownPolicyType,
      .scaleUpSecondPolicyType, .scaleDownSecondPolicyType:
      return .categorical
    case .scaleUpTolerance, .scaleDownTolerance:
      return .real
    default:
      return .integer
    }
  }

  /// Checks one value against the API server's validation of the field
  /// (`pkg/apis/autoscaling/validation : validateScalingRules`, `validateScalingPolicy`,
  /// `validateHorizontalPodAutoscalerSpec`).
  ///
  /// - Parameter value: The value a level stands for.
  /// - Returns: The broken rule, or `nil` when the value is accepted.
  public func violation(of value: ParameterValue) -> String? {
    switch (self, value) {
    case (.scaleUpSelectPolicy, .category(let name)), (.scaleDownSelectPolicy, .category(let name)):
      return ["Max", "Min", "Disabled"].contains(name)
        ? nil : "selectPolicy must be one of Max, Min, Disabled"
    case (.scaleUpPolicyType, .category(let name)), (.scaleDownPolicyType, .category(let name)):
      return ["Percent", "Pods"].contains(name) ? nil : "policy type must be Percent or Pods"
    case (.scaleUpSecondPolicyType, .category(let name)),
      (.scaleDownSecondPolicyType, .category(let name)):
      return ["Percent", "Pods", "None"].contains(name)
        ? nil : "second policy type must be Percent, Pods or None"
    case (_, .category):
      return "a number is required"
    case (.scaleUpSelectPolicy, _), (.scaleDownSelectPolicy, _), (.scaleUpPolicyType, _),
      (.scaleDownPolicyType, _), (.scaleUpSecondPolicyType, _), (.scaleDownSecondPolicyType, _):
      return "a name is required"
    case (.scaleUpTolerance, .integer(let number)), (.scaleDownTolerance, .integer(let number)):
      return number >= 0 ? nil : "tolerance must be greater or equal to zero"
    case (.scaleUpTolerance, .real(let number)), (.scaleDownTolerance, .real(let number)):
      return number >= 0 && number.isFinite ? nil : "tolerance must be greater or equal to zero"
    case (_, .real(let number)):
      return number == number.rounded() ? nil : "a whole number is required"
    case (_, .integer(let number)):
      return violation(ofInteger: number)
    }
  }

  private func violation(ofInteger number: Int) -> String? {
    switch self {
    case .scaleUpStabilizationWindow, .scaleDownStabilizationWindow:
      return (0...3600).contains(number)
        ? nil : "stabilizationWindowSeconds must be in 0…3600 seconds"
    case .scaleUpPolicyPeriod, .scaleDownPolicyPeriod, .scaleUpSecondPolicyPeriod,
      .scaleDownSecondPolicyPeriod:
      return (1...1800).contains(number) ? nil : "periodSeconds must be in 1…1800 seconds"
    case .scaleUpPolicyValue, .scaleDownPolicyValue, .scaleUpSecondPolicyValue,
      .scaleDownSecondPolicyValue:
      return number > 0 ? nil : "policy value must be greater than zero"
    case .metricTargetPercent, .podsTargetPercent:
      return number >= 1 ? nil : "the target percentage must be at least 1"
    case .cpuUtilization, .memoryUtilization:
      return (1...1000).contains(number)
        ? nil : "averageUtilization must be in 1…1000 percent of the request"
    case .minReplicas:
      return number >= 1 ? nil : "minReplicas must be at least 1 (scale to zero is not tuned)"
    case .maxReplicas:
      return number >= 1 ? nil : "maxReplicas must be at least 1"
    default:
      return nil
    }
  }
}

extension ParameterSpace {
  /// The default HPA behavior space: both directions' stabilization windows, first and
  /// optional second policy (type, value, period), selectPolicy and tolerance, the metric
  /// target and min replicas.
  ///
  /// `minReplicas` ranges over 1, half the user's value and the user's value; `maxReplicas`
  /// stays at the user's value (a budget the user chose); the constraint
  /// `minReplicas <= maxReplicas` keeps every candidate valid.
  ///
  /// - Parameters:
  ///   - minReplicas: The user's `spec.minReplicas`, replicas.
  ///   - maxReplicas: The user's `spec.maxReplicas`, replicas.
  /// - Returns: The space.
  /// - Throws: ``TuningError`` when the user's bounds are not valid replica counts.
  public static func hpaBehaviorDefault(
    minReplicas: Int, maxReplicas: Int
  ) throws(TuningError) -> ParameterSpace {
    guard minReplicas >= 1 else {
      throw .invalidParameterValue(
        name: "minReplicas", value: String(minReplicas), rule: "minReplicas must be at least 1")
    }
    guard maxReplicas >= minReplicas else {
      throw .invalidParameterValue(
        name: "maxReplicas", value: String(maxReplicas),
        rule: "maxReplicas must be at least minReplicas (\(minReplicas))")
    }
    let minimumLevels = Array(Set([1, max(1, minReplicas / 2), minReplicas])).sorted()
    let dimensions: [Dimension] = [
      .init(HPAParameter.scaleUpStabilizationWindow, .integers([0, 15, 30, 60, 120, 300, 600])),
      .init(HPAParameter.scaleUpSelectPolicy, .categories(["Max", "Min"])),
      .init(HPAParameter.scaleUpPolicyType, .categories(["Percent", "Pods"])),
      .init(HPAParameter.scaleUpPolicyValue, .integers([1, 2, 4, 10, 25, 50, 100, 200])),
      .init(HPAParameter.scaleUpPolicyPeriod, .integers([15, 30, 60, 120, 300])),
      .init(HPAParameter.scaleUpSecondPolicyType, .categories(["None", "Pods", "Percent"])),
      .init(HPAParameter.scaleUpSecondPolicyValue, .integers([1, 2, 4, 10, 25, 50, 100, 200])),
      .init(HPAParameter.scaleUpSecondPolicyPeriod, .integers([15, 30, 60, 120, 300])),
      .init(HPAParameter.scaleUpTolerance, .reals([0, 0.02, 0.05, 0.1, 0.15, 0.2])),
      .init(
        HPAParameter.scaleDownStabilizationWindow,
        .integers([0, 30, 60, 120, 300, 600, 900, 1800, 3600])),
      .init(HPAParameter.scaleDownSelectPolicy, .categories(["Max", "Min", "Disabled"])),
      .init(HPAParameter.scaleDownPolicyType, .categories(["Percent", "Pods"])),
      .init(HPAParameter.scaleDownPolicyValue, .integers([1, 2, 5, 10, 20, 50, 100])),
      .init(HPAParameter.scaleDownPolicyPeriod, .integers([15, 30, 60, 120, 300, 600, 1800])),
      .init(HPAParameter.scaleDownSecondPolicyType, .categories(["None", "Pods", "Percent"])),
      .init(HPAParameter.scaleDownSecondPolicyValue, .integers([1, 2, 5, 10, 20, 50, 100])),
      .init(
        HPAParameter.scaleDownSecondPolicyPeriod, .integers([15, 30, 60, 120, 300, 600, 1800])),
      .init(HPAParameter.scaleDownTolerance, .reals([0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3])),
      .init(
        HPAParameter.metricTargetPercent,
        .integers([50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150])),
      .init(HPAParameter.minReplicas, .integers(minimumLevels)),
      .init(HPAParameter.maxReplicas, .integers([maxReplicas])),
    ]
    return try ParameterSpace(
      dimensions: dimensions,
      constraints: [Constraint("minReplicas", .lessOrEqual, "maxReplicas")])
  }

  /// Checks that every dimension names an ``HPAParameter`` and every level passes the API
  /// server's validation of that field.
  ///
  /// - Throws: ``TuningError/unknownParameter(name:)`` or
  ///   ``TuningError/invalidParameterValue(name:value:rule:)`` naming the first offender.
  public func validateAsHPASpace() throws(TuningError) {
    for dimension in dimensions {
      guard let parameter = HPAParameter(rawValue: dimension.name) else {
        throw .unknownParameter(name: dimension.name)
      }
      for level in 0..<dimension.domain.count {
        let value = dimension.domain[level]
        if let rule = parameter.violation(of: value) {
          throw .invalidParameterValue(name: dimension.name, value: value.description, rule: rule)
        }
      }
    }
  }
}

extension Dimension {
  /// Creates a dimension for an HPA parameter.
  ///
  /// - Parameters:
  ///   - parameter: The HPA field.
  ///   - domain: Its levels.
  public init(_ parameter: HPAParameter, _ domain: Domain) {
    self.init(name: parameter.rawValue, domain: domain)
  }
}
