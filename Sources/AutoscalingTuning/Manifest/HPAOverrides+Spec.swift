import AutoscalingCore
public import HorizontalAutoscaling

extension BehaviorSettings {
  /// The manifest form of an HPA behavior (durations in whole seconds, names as written).
  ///
  /// - Parameter behavior: A behavior of the HorizontalAutoscaling module.
  public init(_ behavior: ScalingBehavior) {
    self.init(
      scaleUp: behavior.scaleUp.map(ScalingRulesSettings.init),
      scaleDown: behavior.scaleDown.map(ScalingRulesSettings.init))
  }

  /// The behavior in the HorizontalAutoscaling module's form.
  public var scalingBehavior: ScalingBehavior {
    ScalingBehavior(scaleUp: scaleUp?.scalingRules, scaleDown: scaleDown?.scalingRules)
  }
}

extension ScalingRulesSettings {
  /// The manifest form of one direction's rules.
  ///
  /// - Parameter rules: Rules of the HorizontalAutoscaling module.
  public init(_ rules: ScalingRules) {
    self.init(
      stabilizationWindowSeconds: rules.stabilizationWindow.map { Int($0.wholeSeconds) },
      selectPolicy: rules.selectPolicy?.name,
      policies: rules.policies?.map {
        ScalingPolicySettings(
          type: $0.type.name, value: $0.value, periodSeconds: Int($0.period.wholeSeconds))
      },
      tolerance: rules.tolerance)
  }

  /// The rules in the HorizontalAutoscaling module's form.
  public var scalingRules: ScalingRules {
    ScalingRules(
      stabilizationWindow: stabilizationWindowSeconds.map { .seconds($0) },
      selectPolicy: selectPolicy.map(ScalingPolicySelect.init(name:)),
      policies: policies?.map {
        ScalingPolicy(
          type: ScalingPolicyType(name: $0.type), value: $0.value,
          period: .seconds($0.periodSeconds))
      },
      tolerance: tolerance)
  }
}

extension HPAOverrides {
  /// The user's HPA with this candidate's fields, validated as the API server would.
  ///
  /// The behavior starts from the user's (defaulted) behavior, or from an empty one when the
  /// user has none (the API defaults then fill the rest). `metricTargetPercent` scales every
  /// metric's target: utilization to the nearest whole percent (at least 1), values and
  /// average values to the nearest milli-unit (at least 1 m).
  ///
  /// - Parameters:
  ///   - spec: The user's HPA.
  ///   - featureGates: The gates validation consults (tolerance needs
  ///     `configurableTolerance`).
  /// - Returns: The tuned spec.
  /// - Throws: ``TuningError/invalidInput(reason:)`` carrying the validation message when the
  ///   combination is rejected.
  public func applied(
    to spec: HorizontalPodAutoscalerSpec, featureGates: FeatureGates = FeatureGates()
  ) throws(TuningError) -> HorizontalPodAutoscalerSpec {
    let behavior: ScalingBehavior? =
      setsBehavior
      ? (spec.behavior.map(BehaviorSettings.init) ?? BehaviorSettings()).applying(self)
        .scalingBehavior
      : spec.behavior
    do {
      if !setsMetricsOrBounds {
        return setsBehavior
          ? try spec.replacingBehavior(behavior, featureGates: featureGates) : spec
      }
      return try HorizontalPodAutoscalerSpec(
        metrics: setsMetricTargets ? spec.metrics.map(retargeted) : spec.metrics,
        minReplicas: minReplicas ?? spec.minReplicas, maxReplicas: maxReplicas ?? spec.maxReplicas,
        behavior: behavior, featureGates: featureGates)
    } catch {
      throw .invalidInput(reason: "the tuned HPA is rejected: \(error)")
    }
  }

  /// A metric with this candidate's target changes: first `metricTargetPercent` (every
  /// target), then the CPU / memory utilization (Resource and ContainerResource Utilization
  /// targets of that resource) and `podsTargetPercent` (Pods targets).
  func retargeted(_ metric: MetricSpec) -> MetricSpec {
    var metric = metric
    if let percent = metricTargetPercent, percent != 100 { metric = Self.scaled(metric, percent) }
    for (resource, utilization) in [(ResourceName.cpu, cpuUtilization), (.memory, memoryUtilization)]
    {
      guard let utilization else { continue }
      if metric.resource?.name == resource, metric.resource?.target.averageUtilization != nil {
        metric.resource?.target.averageUtilization = utilization
      }
      if metric.containerResource?.name == resource,
        metric.containerResource?.target.averageUtilization != nil
      {
        metric.containerResource?.target.averageUtilization = utilization
      }
    }
    if let percent = podsTargetPercent, percent != 100, let target = metric.pods?.target {
      metric.pods?.target = Self.scaled(target, percent)
    }
    return metric
  }

  /// Whether the HPA has a metric each set target field can change (`nil`), or the first
  /// field that would change nothing.
  ///
  /// - Parameter spec: The user's HPA.
  /// - Returns: The parameter name with no metric to act on, or `nil`.
  static func inapplicableTarget(
    _ parameter: HPAParameter, in spec: HorizontalPodAutoscalerSpec
  ) -> String? {
    let applies: Bool
    switch parameter {
    case .cpuUtilization, .memoryUtilization:
      let resource: ResourceName = parameter == .cpuUtilization ? .cpu : .memory
      applies = spec.metrics.contains {
        ($0.resource?.name == resource && $0.resource?.target.averageUtilization != nil)
          || ($0.containerResource?.name == resource
            && $0.containerResource?.target.averageUtilization != nil)
      }
    case .podsTargetPercent:
      applies = spec.metrics.contains { $0.pods != nil }
    default:
      applies = true
    }
    return applies ? nil : parameter.rawValue
  }

  /// The target of a metric, whichever source holds it.
  static func target(of metric: MetricSpec) -> MetricTarget? {
    metric.resource?.target ?? metric.containerResource?.target ?? metric.pods?.target
      ?? metric.object?.target ?? metric.external?.target
  }

  /// A metric with its target scaled by `percent`.
  static func scaled(_ metric: MetricSpec, _ percent: Int) -> MetricSpec {
    var metric = metric
    if let target = metric.resource?.target { metric.resource?.target = scaled(target, percent) }
    if let target = metric.containerResource?.target {
      metric.containerResource?.target = scaled(target, percent)
    }
    if let target = metric.pods?.target { metric.pods?.target = scaled(target, percent) }
    if let target = metric.object?.target { metric.object?.target = scaled(target, percent) }
    if let target = metric.external?.target { metric.external?.target = scaled(target, percent) }
    return metric
  }

  /// A target scaled by `percent`: utilization to a whole percent ≥ 1, quantities to the
  /// nearest milli-unit ≥ 1 m.
  static func scaled(_ target: MetricTarget, _ percent: Int) -> MetricTarget {
    var target = target
    if let utilization = target.averageUtilization {
      let (product, overflow) = utilization.multipliedReportingOverflow(by: percent)
      target.averageUtilization = overflow ? Int(Int32.max) : max(1, (product + 50) / 100)
    }
    target.value = target.value.map { scaled($0, percent) }
    target.averageValue = target.averageValue.map { scaled($0, percent) }
    return target
  }

  /// A quantity scaled by `percent`, rounded to the nearest milli-unit, at least 1 m.
  static func scaled(_ quantity: Quantity, _ percent: Int) -> Quantity {
    let (product, overflow) = quantity.nanoValue.multipliedReportingOverflow(by: Int128(percent))
    guard !overflow else { return quantity }
    let milli: Int128 = 1_000_000
    let rounded = (product / 100 + milli / 2) / milli * milli
    return Quantity(nanoValue: max(milli, rounded), format: quantity.format)
  }
}
