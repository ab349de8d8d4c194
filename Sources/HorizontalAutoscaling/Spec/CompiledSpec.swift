import AutoscalingCore

/// A metric entry reduced to what the controller computes with (integer targets, the
/// calculator function chosen as upstream's `computeReplicasForMetric` dispatches).
struct CompiledMetric: Sendable {
  enum Computation: UInt8, Sendable {
    case resourceUtilization, resourceAverageValue, podsAverageValue
    case objectValue, objectAverageValue, externalValue, externalAverageValue
    /// The source has no usable target (or no source at all): `failureReason`.
    case missingTarget
    /// The type is unknown: `InvalidMetricSourceType`.
    case invalidSourceType
  }

  var computation: Computation
  /// The resource for Resource / ContainerResource metrics.
  var resource: ResourceName
  /// Whether the CPU readiness rules apply (`resource == cpu`).
  var isCPU: Bool
  /// The resource pre-classified for request lookups.
  var resourceKind: ResourceKind
  /// The metric's source type (reported in its status).
  var sourceType: MetricSourceType
  /// The container for ContainerResource metrics; empty for whole pods.
  var container: String
  /// The target: percent for utilization, milli-units otherwise.
  var target: Int64
  /// The condition reason reported when the metric cannot be computed.
  var failureReason: ConditionReason
  /// The custom metric's name, for error messages.
  var metricName: String

  init(_ spec: MetricSpec) {
    computation = .missingTarget
    resource = ResourceName("")
    isCPU = false
    resourceKind = .other
    sourceType = spec.type
    container = ""
    target = 0
    failureReason = .invalidMetricSourceType
    metricName = spec.pods?.metric.name ?? ""
    switch spec.type {
    case .resource:
      failureReason = .failedGetResourceMetric
      if let source = spec.resource { resourceTarget(source.name, container: "", source.target) }
    case .containerResource:
      failureReason = .failedGetContainerResourceMetric
      if let source = spec.containerResource {
        resourceTarget(source.name, container: source.container, source.target)
      }
    case .pods:
      failureReason = .failedGetPodsMetric
      if let value = spec.pods?.target.averageValue {
        computation = .podsAverageValue
        target = value.milliValue
      }
    case .object:
      failureReason = .failedGetObjectMetric
      if let target = spec.object?.target {
        if target.type == .value, let value = target.value {
          computation = .objectValue
          self.target = value.milliValue
        } else if target.type == .averageValue, let value = target.averageValue {
          computation = .objectAverageValue
          self.target = value.milliValue
        }
      }
    case .external:
      failureReason = .failedGetExternalMetric
      if let target = spec.external?.target {
        if let value = target.averageValue {
          computation = .externalAverageValue
          self.target = value.milliValue
        } else if let value = target.value {
          computation = .externalValue
          self.target = value.milliValue
        }
      }
    case .unrecognized:
      computation = .invalidSourceType
    }
  }

  private mutating func resourceTarget(
    _ name: ResourceName, container: String, _ target: MetricTarget
  ) {
    resource = name
    isCPU = name == .cpu
    resourceKind = ResourceKind(name)
    self.container = container
    if let value = target.averageValue {
      computation = .resourceAverageValue
      self.target = value.milliValue
    } else if let utilization = target.averageUtilization {
      computation = .resourceUtilization
      self.target = Int64(clamping: utilization)
    }
  }
}

/// One policy in integer form.
struct CompiledPolicy: Sendable {
  enum Kind: UInt8, Sendable { case pods, percent, unknown }
  var kind: Kind
  var value: Int64
  var periodMilliseconds: Int64
}

/// One direction's defaulted rules in integer form.
struct CompiledRules: Sendable {
  enum Select: UInt8, Sendable { case max, min, disabled }
  /// `nil` only for a scale-down window left unset (the controller's window applies).
  var windowMilliseconds: Int64?
  var select: Select
  var policies: [CompiledPolicy]
  var tolerance: Double?
  /// The longest policy period (`getLongestPolicyPeriod`), in milliseconds.
  var longestPeriodMilliseconds: Int64

  init(_ rules: ScalingRules) {
    windowMilliseconds = rules.stabilizationWindow.map(\.wholeMilliseconds)
    switch rules.selectPolicy {
    case .min: select = .min
    case .disabled: select = .disabled
    case .max, .unrecognized, nil: select = .max
    }
    policies = (rules.policies ?? []).map { policy in
      let kind: CompiledPolicy.Kind =
        switch policy.type {
        case .pods: .pods
        case .percent: .percent
        case .unrecognized: .unknown
        }
      return CompiledPolicy(
        kind: kind, value: Int64(clamping: policy.value),
        periodMilliseconds: policy.period.wholeMilliseconds)
    }
    tolerance = rules.tolerance.map(\.doubleValue)
    longestPeriodMilliseconds = policies.reduce(0) { Swift.max($0, $1.periodMilliseconds) }
  }
}

/// A defaulted behavior in integer form.
struct CompiledBehavior: Sendable {
  var scaleUp: CompiledRules
  var scaleDown: CompiledRules

  init(_ behavior: ScalingBehavior) {
    scaleUp = CompiledRules(behavior.scaleUp ?? .defaultScaleUp)
    scaleDown = CompiledRules(behavior.scaleDown ?? .defaultScaleDown)
  }
}
