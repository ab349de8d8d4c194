import AutoscalingCore

// The API server's rules (`pkg/apis/autoscaling/validation/validation.go`), checked on the
// defaulted object; the first violation is reported.
extension HorizontalPodAutoscalerSpec {
  static let int32Max = Int(Int32.max)

  static func validate(
    _ spec: HorizontalPodAutoscalerSpec, featureGates: FeatureGates
  ) throws(SpecValidationError) {
    let minimum = featureGates.scaleToZero ? 0 : 1
    if spec.minReplicas < minimum {
      throw SpecValidationError(
        field: "spec.minReplicas",
        rule: .minReplicasTooSmall(value: spec.minReplicas, minimum: minimum))
    }
    if spec.minReplicas > int32Max {
      throw SpecValidationError(
        field: "spec.minReplicas", rule: .exceedsInt32(value: spec.minReplicas))
    }
    if spec.maxReplicas < 1 {
      throw SpecValidationError(
        field: "spec.maxReplicas", rule: .maxReplicasTooSmall(value: spec.maxReplicas))
    }
    if spec.maxReplicas > int32Max {
      throw SpecValidationError(
        field: "spec.maxReplicas", rule: .exceedsInt32(value: spec.maxReplicas))
    }
    if spec.maxReplicas < spec.minReplicas {
      throw SpecValidationError(
        field: "spec.maxReplicas",
        rule: .maxReplicasBelowMinReplicas(
          maxReplicas: spec.maxReplicas, minReplicas: spec.minReplicas))
    }
    for (index, metric) in spec.metrics.enumerated() {
      try validateMetric(metric, path: "spec.metrics[\(index)]")
    }
    if spec.minReplicas == 0 && !spec.hasObjectOrExternalMetric {
      throw SpecValidationError(
        field: "spec.minReplicas", rule: .scaleToZeroNeedsObjectOrExternalMetric)
    }
    if let behavior = spec.behavior {
      try validateBehavior(behavior, featureGates: featureGates)
    }
  }

  static func validateMetric(_ metric: MetricSpec, path: String) throws(SpecValidationError) {
    let present: [(MetricSourceType, Bool)] = [
      (.object, metric.object != nil), (.pods, metric.pods != nil),
      (.resource, metric.resource != nil), (.containerResource, metric.containerResource != nil),
      (.external, metric.external != nil),
    ]
    if case .unrecognized(let name) = metric.type {
      throw SpecValidationError(field: "\(path).type", rule: .unknownMetricSourceType(name))
    }
    for (type, isSet) in present where isSet && type != metric.type {
      throw SpecValidationError(field: "\(path)", rule: .unexpectedMetricSource(type))
    }
    switch metric.type {
    case .object:
      guard let source = metric.object else { throw missing(metric.type, path) }
      let p = "\(path).object"
      if source.describedObject.kind.isEmpty {
        throw SpecValidationError(field: "\(p).describedObject.kind", rule: .requiredName)
      }
      if source.describedObject.name.isEmpty {
        throw SpecValidationError(field: "\(p).describedObject.name", rule: .requiredName)
      }
      try validateIdentifier(source.metric, path: "\(p).metric")
      try validateTarget(source.target, path: "\(p).target")
      if source.target.value == nil && source.target.averageValue == nil {
        throw SpecValidationError(
          field: "\(p).target",
          rule: .unsupportedTarget("must set either a target value or averageValue"))
      }
    case .pods:
      guard let source = metric.pods else { throw missing(metric.type, path) }
      let p = "\(path).pods"
      try validateIdentifier(source.metric, path: "\(p).metric")
      try validateTarget(source.target, path: "\(p).target")
      if source.target.averageValue == nil {
        throw SpecValidationError(
          field: "\(p).target.averageValue",
          rule: .unsupportedTarget("must specify a positive target averageValue"))
      }
    case .resource:
      guard let source = metric.resource else { throw missing(metric.type, path) }
      let p = "\(path).resource"
      try validateResourceTarget(name: source.name, target: source.target, path: p)
    case .containerResource:
      guard let source = metric.containerResource else { throw missing(metric.type, path) }
      let p = "\(path).containerResource"
      if source.container.isEmpty {
        throw SpecValidationError(field: "\(p).container", rule: .requiredName)
      }
      try validateResourceTarget(name: source.name, target: source.target, path: p)
    case .external:
      guard let source = metric.external else { throw missing(metric.type, path) }
      let p = "\(path).external"
      try validateIdentifier(source.metric, path: "\(p).metric")
      try validateTarget(source.target, path: "\(p).target")
      if (source.target.value == nil) == (source.target.averageValue == nil) {
        throw SpecValidationError(
          field: "\(p).target",
          rule: .unsupportedTarget(
            "must set exactly one of a target value or a per-pod target (averageValue)"))
      }
    case .unrecognized:
      break  // handled above
    }
  }

  private static func missing(_ type: MetricSourceType, _ path: String) -> SpecValidationError {
    SpecValidationError(field: path, rule: .missingMetricSource(type))
  }

  private static func validateIdentifier(
    _ identifier: MetricIdentifier, path: String
  ) throws(SpecValidationError) {
    if identifier.name.isEmpty {
      throw SpecValidationError(field: "\(path).name", rule: .requiredName)
    }
  }

  private static func validateResourceTarget(
    name: ResourceName, target: MetricTarget, path: String
  ) throws(SpecValidationError) {
    if name.rawValue.isEmpty {
      throw SpecValidationError(field: "\(path).name", rule: .requiredName)
    }
    try validateTarget(target, path: "\(path).target")
    if target.averageUtilization != nil && target.averageValue != nil {
      throw SpecValidationError(
        field: "\(path).target",
        rule: .unsupportedTarget("may not set both a target raw value and a target utilization"))
    }
    if target.averageUtilization == nil && target.averageValue == nil {
      throw SpecValidationError(
        field: "\(path).target",
        rule: .unsupportedTarget("must set either a target raw value or a target utilization"))
    }
  }

  private static func validateTarget(_ target: MetricTarget, path: String)
    throws(SpecValidationError)
  {
    if case .unrecognized(let name) = target.type {
      throw SpecValidationError(field: "\(path).type", rule: .unknownTargetType(name))
    }
    if let value = target.value, value.signum <= 0 {
      throw SpecValidationError(field: "\(path).value", rule: .targetNotPositive)
    }
    if let value = target.averageValue, value.signum <= 0 {
      throw SpecValidationError(field: "\(path).averageValue", rule: .targetNotPositive)
    }
    if let utilization = target.averageUtilization {
      if utilization < 1 {
        throw SpecValidationError(
          field: "\(path).averageUtilization", rule: .utilizationBelowOne(value: utilization))
      }
      if utilization > int32Max {
        throw SpecValidationError(
          field: "\(path).averageUtilization", rule: .exceedsInt32(value: utilization))
      }
    }
  }

  static func validateBehavior(
    _ behavior: ScalingBehavior, featureGates: FeatureGates
  ) throws(SpecValidationError) {
    if let rules = behavior.scaleUp {
      try validateRules(rules, path: "spec.behavior.scaleUp", featureGates: featureGates)
    }
    if let rules = behavior.scaleDown {
      try validateRules(rules, path: "spec.behavior.scaleDown", featureGates: featureGates)
    }
  }

  private static func wholeSeconds(_ duration: Duration, field: String) throws(SpecValidationError)
    -> Int64
  {
    let (seconds, attoseconds) = duration.components
    if attoseconds != 0 { throw SpecValidationError(field: field, rule: .notWholeSeconds) }
    return seconds
  }

  private static func validateRules(
    _ rules: ScalingRules, path: String, featureGates: FeatureGates
  ) throws(SpecValidationError) {
    if let window = rules.stabilizationWindow {
      let field = "\(path).stabilizationWindowSeconds"
      let seconds = try wholeSeconds(window, field: field)
      if seconds < 0 || seconds > 3600 {
        throw SpecValidationError(field: field, rule: .windowOutOfRange(seconds: seconds))
      }
    }
    if case .unrecognized(let name) = rules.selectPolicy {
      throw SpecValidationError(field: "\(path).selectPolicy", rule: .unknownSelectPolicy(name))
    }
    if let policies = rules.policies {
      if policies.isEmpty {
        throw SpecValidationError(field: "\(path).policies", rule: .noPolicies)
      }
      for (index, policy) in policies.enumerated() {
        let p = "\(path).policies[\(index)]"
        if case .unrecognized(let name) = policy.type {
          throw SpecValidationError(field: "\(p).type", rule: .unknownPolicyType(name))
        }
        if policy.value <= 0 {
          throw SpecValidationError(
            field: "\(p).value", rule: .policyValueNotPositive(value: policy.value))
        }
        if policy.value > int32Max {
          throw SpecValidationError(field: "\(p).value", rule: .exceedsInt32(value: policy.value))
        }
        let field = "\(p).periodSeconds"
        let seconds = try wholeSeconds(policy.period, field: field)
        if seconds <= 0 || seconds > 1800 {
          throw SpecValidationError(field: field, rule: .periodOutOfRange(seconds: seconds))
        }
      }
    }
    if let tolerance = rules.tolerance {
      if !featureGates.configurableTolerance {
        throw SpecValidationError(field: "\(path).tolerance", rule: .toleranceNotSupported)
      }
      if tolerance.signum < 0 {
        throw SpecValidationError(field: "\(path).tolerance", rule: .negativeTolerance)
      }
    }
  }
}
