import AutoscalingCore
import AutoscalingTraces
import HorizontalAutoscaling

/// Turns the manifest reader's HPA into the decision module's validated spec.
enum ManifestConversion {
  static func spec(_ manifest: HorizontalPodAutoscalerManifest) throws(CommandFailure)
    -> HorizontalPodAutoscalerSpec
  {
    let metrics = manifest.metrics.map(metric)
    let behavior = manifest.behavior.map {
      ScalingBehavior(scaleUp: rules($0.scaleUp), scaleDown: rules($0.scaleDown))
    }
    do {
      return try HorizontalPodAutoscalerSpec(
        metrics: metrics, minReplicas: Int(manifest.minReplicas),
        maxReplicas: Int(manifest.maxReplicas), behavior: behavior)
    } catch {
      throw CommandFailure("HPA \(manifest.name) is invalid: \(error)")
    }
  }

  private static func target(_ target: HorizontalPodAutoscalerManifest.MetricTarget)
    -> HorizontalAutoscaling.MetricTarget
  {
    HorizontalAutoscaling.MetricTarget(
      type: MetricTargetType(name: target.type.rawValue), value: target.value,
      averageValue: target.averageValue, averageUtilization: target.averageUtilization.map(Int.init)
    )
  }

  private static func metric(_ metric: HorizontalPodAutoscalerManifest.Metric) -> MetricSpec {
    switch metric {
    case .resource(let name, let goal):
      return .resource(name, target: target(goal))
    case .containerResource(let name, let container, let goal):
      return .containerResource(name, container: container, target: target(goal))
    case .pods(let identifier, let goal):
      return MetricSpec(
        type: .pods,
        pods: PodsMetricSource(
          metric: MetricIdentifier(name: identifier.name, selector: identifier.selector),
          target: target(goal)))
    case .object(let object, let identifier, let goal):
      return MetricSpec(
        type: .object,
        object: ObjectMetricSource(
          describedObject: CrossVersionObjectReference(
            kind: object.kind, name: object.name, apiVersion: object.apiVersion),
          metric: MetricIdentifier(name: identifier.name, selector: identifier.selector),
          target: target(goal)))
    case .external(let identifier, let goal):
      return .external(identifier.name, selector: identifier.selector, target: target(goal))
    }
  }

  private static func rules(_ rules: HorizontalPodAutoscalerManifest.ScalingRules)
    -> HorizontalAutoscaling.ScalingRules
  {
    HorizontalAutoscaling.ScalingRules(
      stabilizationWindow: rules.stabilizationWindowSeconds.map { .seconds(Int64($0)) },
      selectPolicy: ScalingPolicySelect(name: rules.selectPolicy.rawValue),
      policies: rules.policies.map {
        HorizontalAutoscaling.ScalingPolicy(
          type: ScalingPolicyType(name: $0.type.rawValue), value: Int($0.value),
          period: .seconds(Int64($0.periodSeconds)))
      },
      tolerance: rules.tolerance)
  }
}
