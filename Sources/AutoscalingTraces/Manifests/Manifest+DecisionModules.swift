import AutoscalingCore
public import HorizontalAutoscaling
public import NodeAutoscaling
public import VerticalAutoscaling

// Mappings from the manifest values to the decision modules' inputs.

extension HorizontalPodAutoscalerManifest {
  /// The HPA as the `HorizontalAutoscaling` module's validated spec.
  ///
  /// The behavior is passed with the API defaults already filled (the spec's own defaulting
  /// leaves it unchanged); `stabilizationWindowSeconds` and `periodSeconds` become durations.
  ///
  /// - Parameter featureGates: The gates validation consults (scale to zero, configurable
  ///   tolerance).
  /// - Returns: The spec.
  /// - Throws: ``ManifestError`` naming the field the spec's validation rejects.
  public func spec(featureGates: FeatureGates = FeatureGates()) throws(ManifestError)
    -> HorizontalPodAutoscalerSpec
  {
    func target(_ target: MetricTarget) -> HorizontalAutoscaling.MetricTarget {
      let type: MetricTargetType
      switch target.type {
      case .utilization: type = .utilization
      case .value: type = .value
      case .averageValue: type = .averageValue
      }
      return HorizontalAutoscaling.MetricTarget(
        type: type, value: target.value, averageValue: target.averageValue,
        averageUtilization: target.averageUtilization.map(Int.init))
    }
    func identifier(_ metric: MetricIdentifier) -> HorizontalAutoscaling.MetricIdentifier {
      HorizontalAutoscaling.MetricIdentifier(name: metric.name, selector: metric.selector)
    }
    let specs: [MetricSpec] = metrics.map { metric in
      switch metric {
      case .resource(let name, let value):
        return .resource(name, target: target(value))
      case .containerResource(let name, let container, let value):
        return .containerResource(name, container: container, target: target(value))
      case .pods(let metric, let value):
        return MetricSpec(
          type: .pods, pods: PodsMetricSource(metric: identifier(metric), target: target(value)))
      case .object(let described, let metric, let value):
        return MetricSpec(
          type: .object,
          object: ObjectMetricSource(
            describedObject: CrossVersionObjectReference(
              kind: described.kind, name: described.name, apiVersion: described.apiVersion),
            metric: identifier(metric), target: target(value)))
      case .external(let metric, let value):
        return MetricSpec(
          type: .external,
          external: ExternalMetricSource(metric: identifier(metric), target: target(value)))
      }
    }
    func rules(_ rules: ScalingRules) -> HorizontalAutoscaling.ScalingRules {
      let select: ScalingPolicySelect
      switch rules.selectPolicy {
      case .max: select = .max
      case .min: select = .min
      case .disabled: select = .disabled
      }
      return HorizontalAutoscaling.ScalingRules(
        stabilizationWindow: rules.stabilizationWindowSeconds.map { .seconds(Int64($0)) },
        selectPolicy: select,
        policies: rules.policies.map { policy in
          HorizontalAutoscaling.ScalingPolicy(
            type: policy.type == .pods ? .pods : .percent, value: Int(policy.value),
            period: .seconds(Int64(policy.periodSeconds)))
        },
        tolerance: rules.tolerance)
    }
    let scalingBehavior = behavior.map {
      ScalingBehavior(scaleUp: rules($0.scaleUp), scaleDown: rules($0.scaleDown))
    }
    do {
      return try HorizontalPodAutoscalerSpec(
        metrics: specs, minReplicas: Int(minReplicas), maxReplicas: Int(maxReplicas),
        behavior: scalingBehavior, featureGates: featureGates)
    } catch {
      throw ManifestError(
        path: error.field, message: String(error.description.dropFirst(error.field.count + 2)))
    }
  }
}

extension VerticalPodAutoscalerManifest {
  /// The VPA as the `VerticalAutoscaling` module's object (no recommendation yet).
  ///
  /// - Returns: The VPA with its update and resource policies.
  /// - Throws: ``ManifestError`` when a controlled resource is neither `cpu` nor `memory`
  ///   (the recommender knows only those two) or a policy is inconsistent.
  public func verticalPodAutoscaler() throws(ManifestError) -> VerticalPodAutoscaler {
    var policies: [ContainerResourcePolicy] = []
    for (index, policy) in containerPolicies.enumerated() {
      var resources: [RecommendedResource] = []
      for (resourceIndex, name) in policy.controlledResources.enumerated() {
        do {
          resources.append(try RecommendedResource(name))
        } catch {
          throw ManifestError(
            path:
              "spec.resourcePolicy.containerPolicies[\(index)].controlledResources[\(resourceIndex)]",
            message: "the VPA recommends cpu and memory only, found \"\(name)\"")
        }
      }
      policies.append(
        ContainerResourcePolicy(
          containerName: policy.containerName,
          mode: VerticalAutoscaling.ContainerScalingMode(rawValue: policy.mode.rawValue),
          minAllowed: policy.minAllowed, maxAllowed: policy.maxAllowed,
          controlledResources: resources,
          controlledValues: VerticalAutoscaling.ContainerControlledValues(
            rawValue: policy.controlledValues.rawValue)))
    }
    return VerticalPodAutoscaler(
      name: name,
      updatePolicy: UpdatePolicy(
        updateMode: VerticalAutoscaling.UpdateMode(rawValue: updateMode.rawValue),
        minReplicas: minReplicas.map(Int.init)),
      resourcePolicy: policies.isEmpty ? nil : PodResourcePolicy(containerPolicies: policies))
  }
}

extension NodePoolManifest {
  /// The NodePool as the `NodeAutoscaling` module's value, in karpenter.sh/v1 form (this
  /// manifest has already converted v1beta1; ``notes`` says how).
  ///
  /// - Returns: The NodePool, validated by `NodePool.validate()`.
  /// - Throws: ``ManifestError`` naming the field (contradictory requirements, an unknown
  ///   budget reason, …).
  public func nodePool() throws(ManifestError) -> NodePool {
    let object = "NodePool \"\(name)\""
    func convert(_ error: NodeAutoscalingError) -> ManifestError {
      ManifestError(path: error.field, message: error.message)
    }
    var converted: [Requirement] = []
    for (index, requirement) in requirements.enumerated() {
      do {
        converted.append(
          try Requirement(
            requirement, object: object, field: "spec.template.spec.requirements[\(index)]"))
      } catch {
        throw convert(error)
      }
    }
    var budgetValues: [DisruptionBudget] = []
    for (index, budget) in budgets.enumerated() {
      var reasons: [DisruptionReason] = []
      for (reasonIndex, reason) in budget.reasons.enumerated() {
        guard let value = DisruptionReason(rawValue: reason) else {
          throw ManifestError(
            path: "spec.disruption.budgets[\(index)].reasons[\(reasonIndex)]",
            message: "expected one of Empty, Underutilized, Drifted, found \"\(reason)\"")
        }
        reasons.append(value)
      }
      budgetValues.append(
        DisruptionBudget(
          nodes: budget.nodes, reasons: reasons, schedule: budget.schedule,
          durationMilliseconds: budget.durationMilliseconds))
    }
    let policy: NodeAutoscaling.ConsolidationPolicy
    switch consolidationPolicy {
    case .whenEmpty: policy = .whenEmpty
    case .whenEmptyOrUnderutilized: policy = .whenEmptyOrUnderutilized
    case .balanced: policy = .balanced
    }
    let pool = NodePool(
      name: name, apiVersion: .v1, weight: Int(weight ?? 0), requirements: converted,
      labels: labels, taints: taints, startupTaints: startupTaints, limits: limits,
      disruption: DisruptionSettings(
        consolidationPolicy: policy, consolidateAfterMilliseconds: consolidateAfter.milliseconds,
        budgets: budgetValues),
      expireAfterMilliseconds: expireAfter.milliseconds)
    do {
      try pool.validate()
    } catch {
      throw convert(error)
    }
    return pool
  }
}
