/// Why a ``HorizontalPodAutoscalerSpec`` was rejected, as the API server's validation would
/// reject the object (`pkg/apis/autoscaling/validation`).
///
/// ``field`` is the JSON path of the offending field (for example
/// `spec.behavior.scaleUp.policies[0].periodSeconds`) and ``rule`` the rule it breaks;
/// ``description`` reads as one sentence naming both.
public struct SpecValidationError: Error, Hashable, Sendable, CustomStringConvertible {
  /// A validation rule of the autoscaling/v2 API.
  public enum Rule: Hashable, Sendable {
    /// `minReplicas` is below the smallest allowed value (1, or 0 with `HPAScaleToZero`).
    case minReplicasTooSmall(value: Int, minimum: Int)
    /// `maxReplicas` is below 1.
    case maxReplicasTooSmall(value: Int)
    /// `maxReplicas` is below `minReplicas`.
    case maxReplicasBelowMinReplicas(maxReplicas: Int, minReplicas: Int)
    /// A replica count or policy value does not fit upstream's int32.
    case exceedsInt32(value: Int)
    /// `minReplicas: 0` needs at least one Object or External metric.
    case scaleToZeroNeedsObjectOrExternalMetric
    /// The metric source type is not one of Object, Pods, Resource, ContainerResource,
    /// External.
    case unknownMetricSourceType(String)
    /// The source named by `type` is not filled in.
    case missingMetricSource(MetricSourceType)
    /// A source other than the one named by `type` is filled in.
    case unexpectedMetricSource(MetricSourceType)
    /// A required name (resource, container, metric, described object) is empty.
    case requiredName
    /// The target type is not one of Utilization, Value, AverageValue.
    case unknownTargetType(String)
    /// A target value or averageValue is zero or negative.
    case targetNotPositive
    /// `averageUtilization` is below 1 percent.
    case utilizationBelowOne(value: Int)
    /// The source needs a target field that is not set (for example Pods without
    /// `averageValue`), or sets two that exclude each other.
    case unsupportedTarget(String)
    /// `stabilizationWindowSeconds` lies outside 0…3600 seconds.
    case windowOutOfRange(seconds: Int64)
    /// `periodSeconds` lies outside 1…1800 seconds.
    case periodOutOfRange(seconds: Int64)
    /// A duration is not a whole number of seconds (the API stores int32 seconds).
    case notWholeSeconds
    /// `selectPolicy` is not one of Max, Min, Disabled.
    case unknownSelectPolicy(String)
    /// `policies` is empty.
    case noPolicies
    /// A policy type is not Pods or Percent.
    case unknownPolicyType(String)
    /// A policy value is zero or negative.
    case policyValueNotPositive(value: Int)
    /// A tolerance is negative.
    case negativeTolerance
    /// A tolerance is set while `HPAConfigurableTolerance` is off.
    case toleranceNotSupported
  }

  /// The JSON path of the offending field, for example `spec.maxReplicas`.
  public var field: String
  /// The rule the field breaks.
  public var rule: Rule

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - field: The JSON path of the field.
  ///   - rule: The broken rule.
  public init(field: String, rule: Rule) {
    self.field = field
    self.rule = rule
  }

  /// A sentence naming the field and the rule, for the person who wrote the manifest.
  public var description: String {
    "\(field): \(ruleText)"
  }

  private var ruleText: String {
    switch rule {
    case .minReplicasTooSmall(let value, let minimum):
      "must be greater than or equal to \(minimum) (got \(value))"
    case .maxReplicasTooSmall(let value): "must be greater than or equal to 1 (got \(value))"
    case .maxReplicasBelowMinReplicas(let maxReplicas, let minReplicas):
      "must be greater than or equal to `minReplicas` (\(maxReplicas) < \(minReplicas))"
    case .exceedsInt32(let value): "must fit a 32-bit integer (got \(value))"
    case .scaleToZeroNeedsObjectOrExternalMetric:
      "must specify at least one Object or External metric to support scaling to zero replicas"
    case .unknownMetricSourceType(let name):
      "unsupported metric source type \"\(name)\": must be one of Object, Pods, Resource, "
        + "ContainerResource, External"
    case .missingMetricSource(let type):
      "must populate information for the given metric source \(type)"
    case .unexpectedMetricSource(let type):
      "must populate the given metric source only (\(type) is set as well)"
    case .requiredName: "must not be empty"
    case .unknownTargetType(let name):
      "unsupported target type \"\(name)\": must be one of Utilization, Value, AverageValue"
    case .targetNotPositive: "must be positive"
    case .utilizationBelowOne(let value): "must be greater than 0 (got \(value))"
    case .unsupportedTarget(let detail): detail
    case .windowOutOfRange(let seconds):
      "must be between 0 and 3600 seconds (got \(seconds))"
    case .periodOutOfRange(let seconds):
      "must be greater than 0 and less than or equal to 1800 seconds (got \(seconds))"
    case .notWholeSeconds: "must be a whole number of seconds"
    case .unknownSelectPolicy(let name):
      "unsupported selectPolicy \"\(name)\": must be one of Max, Min, Disabled"
    case .noPolicies: "must specify at least one Policy"
    case .unknownPolicyType(let name):
      "unsupported policy type \"\(name)\": must be one of Pods, Percent"
    case .policyValueNotPositive(let value): "must be greater than zero (got \(value))"
    case .negativeTolerance: "must be greater or equal to zero"
    case .toleranceNotSupported:
      "not supported when the HPAConfigurableTolerance feature gate is disabled"
    }
  }
}
