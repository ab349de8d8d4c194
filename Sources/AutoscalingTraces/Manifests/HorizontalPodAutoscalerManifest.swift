public import AutoscalingCore

/// A HorizontalPodAutoscaler as the API server stores it in `autoscaling/v2`, read from
/// `autoscaling/v2`, `autoscaling/v2beta2`, `autoscaling/v2beta1` or `autoscaling/v1` (the
/// older versions converted as the API server converts them) and with the API server's
/// defaults applied (`pkg/apis/autoscaling/v2/defaults.go`).
///
/// Defaults: `minReplicas` 1; no metrics means one Resource `cpu` metric at 80 % utilization;
/// when `behavior` is present, each direction's missing fields are filled from upstream's
/// defaults (scale up: window 0 s, policies Pods 4 / 15 s and Percent 100 / 15 s, select Max;
/// scale down: window unset — the controller then uses its 300 s flag — policy Percent 100 /
/// 15 s, select Max). An absent `behavior` stays `nil`: the controller then takes its legacy
/// path, not the defaults.
public struct HorizontalPodAutoscalerManifest: Hashable, Sendable {
  /// `spec.scaleTargetRef`.
  public struct ScaleTargetReference: Hashable, Sendable {
    /// The target's kind (`Deployment`).
    public var kind: String
    /// The target's name.
    public var name: String
    /// The target's API version (`apps/v1`), empty when unset.
    public var apiVersion: String

    /// Creates a reference.
    ///
    /// - Parameters:
    ///   - kind: The kind.
    ///   - name: The name.
    ///   - apiVersion: The API version.
    public init(kind: String, name: String, apiVersion: String = "") {
      self.kind = kind
      self.name = name
      self.apiVersion = apiVersion
    }
  }

  /// A metric target (`MetricTarget`).
  public struct MetricTarget: Hashable, Sendable {
    /// `type`.
    public enum TargetType: String, Hashable, Sendable, CaseIterable {
      /// Average utilization as a percent of the pods' requests.
      case utilization = "Utilization"
      /// A total value.
      case value = "Value"
      /// A per-pod average value.
      case averageValue = "AverageValue"
    }

    /// The target type.
    public var type: TargetType
    /// `value` (for `Value`).
    public var value: Quantity?
    /// `averageValue` (for `AverageValue`).
    public var averageValue: Quantity?
    /// `averageUtilization`, percent of request (for `Utilization`).
    public var averageUtilization: Int32?

    /// Creates a target.
    ///
    /// - Parameters:
    ///   - type: The target type.
    ///   - value: The total value.
    ///   - averageValue: The per-pod average value.
    ///   - averageUtilization: The utilization in percent of request.
    public init(
      type: TargetType, value: Quantity? = nil, averageValue: Quantity? = nil,
      averageUtilization: Int32? = nil
    ) {
      self.type = type
      self.value = value
      self.averageValue = averageValue
      self.averageUtilization = averageUtilization
    }
  }

  /// A metric's name and optional label selector (`MetricIdentifier`).
  public struct MetricIdentifier: Hashable, Sendable {
    /// The metric name.
    public var name: String
    /// The selector, when given.
    public var selector: LabelSelector?

    /// Creates an identifier.
    ///
    /// - Parameters:
    ///   - name: The metric name.
    ///   - selector: The label selector.
    public init(name: String, selector: LabelSelector? = nil) {
      self.name = name
      self.selector = selector
    }
  }

  /// One entry of `spec.metrics`.
  public enum Metric: Hashable, Sendable {
    /// `Resource`: a resource of the pods (`cpu`, `memory`).
    case resource(name: ResourceName, target: MetricTarget)
    /// `ContainerResource`: a resource of one container of the pods.
    case containerResource(name: ResourceName, container: String, target: MetricTarget)
    /// `Pods`: a per-pod custom metric.
    case pods(metric: MetricIdentifier, target: MetricTarget)
    /// `Object`: a metric describing another object.
    case object(
      describedObject: ScaleTargetReference, metric: MetricIdentifier, target: MetricTarget)
    /// `External`: a metric from outside the cluster.
    case external(metric: MetricIdentifier, target: MetricTarget)

    /// The metric's target.
    public var target: MetricTarget {
      switch self {
      case .resource(_, let target), .containerResource(_, _, let target), .pods(_, let target),
        .object(_, _, let target), .external(_, let target):
        return target
      }
    }
  }

  /// A scaling policy (`HPAScalingPolicy`).
  public struct ScalingPolicy: Hashable, Sendable {
    /// `type`.
    public enum PolicyType: String, Hashable, Sendable, CaseIterable {
      /// An absolute number of pods.
      case pods = "Pods"
      /// A percent of the current replicas.
      case percent = "Percent"
    }

    /// The policy type.
    public var type: PolicyType
    /// The amount (pods or percent), > 0.
    public var value: Int32
    /// The period, seconds, in (0, 1800].
    public var periodSeconds: Int32

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - type: Pods or Percent.
    ///   - value: The amount.
    ///   - periodSeconds: The period in seconds.
    public init(type: PolicyType, value: Int32, periodSeconds: Int32) {
      self.type = type
      self.value = value
      self.periodSeconds = periodSeconds
    }
  }

  /// `selectPolicy`.
  public enum SelectPolicy: String, Hashable, Sendable, CaseIterable {
    /// The policy allowing the largest change (the default).
    case max = "Max"
    /// The policy allowing the smallest change.
    case min = "Min"
    /// No scaling in this direction.
    case disabled = "Disabled"
  }

  /// One direction's rules (`HPAScalingRules`), defaults applied.
  public struct ScalingRules: Hashable, Sendable {
    /// `stabilizationWindowSeconds`, 0–3600; `nil` (scale down only) means the controller's
    /// `--horizontal-pod-autoscaler-downscale-stabilization` (300 s by default).
    public var stabilizationWindowSeconds: Int32?
    /// `selectPolicy`.
    public var selectPolicy: SelectPolicy
    /// `policies` (non-empty).
    public var policies: [ScalingPolicy]
    /// `tolerance` (KEP-4951), a non-negative fraction; `nil` means the controller's flag.
    public var tolerance: Quantity?

    /// Creates rules.
    ///
    /// - Parameters:
    ///   - stabilizationWindowSeconds: The window in seconds.
    ///   - selectPolicy: How policies combine.
    ///   - policies: The policies.
    ///   - tolerance: The tolerance, a fraction.
    public init(
      stabilizationWindowSeconds: Int32?, selectPolicy: SelectPolicy = .max,
      policies: [ScalingPolicy], tolerance: Quantity? = nil
    ) {
      self.stabilizationWindowSeconds = stabilizationWindowSeconds
      self.selectPolicy = selectPolicy
      self.policies = policies
      self.tolerance = tolerance
    }

    /// Upstream's scale-up default (`GenerateHPAScaleUpRules`).
    public static let defaultScaleUp = ScalingRules(
      stabilizationWindowSeconds: 0, selectPolicy: .max,
      policies: [
        ScalingPolicy(type: .pods, value: 4, periodSeconds: 15),
        ScalingPolicy(type: .percent, value: 100, periodSeconds: 15),
      ])

    /// Upstream's scale-down default (`GenerateHPAScaleDownRules`): window unset.
    public static let defaultScaleDown = ScalingRules(
      stabilizationWindowSeconds: nil, selectPolicy: .max,
      policies: [ScalingPolicy(type: .percent, value: 100, periodSeconds: 15)])
  }

  /// `spec.behavior` with both directions filled.
  public struct Behavior: Hashable, Sendable {
    /// Scale-up rules.
    public var scaleUp: ScalingRules
    /// Scale-down rules.
    public var scaleDown: ScalingRules

    /// Creates a behavior.
    ///
    /// - Parameters:
    ///   - scaleUp: Scale-up rules.
    ///   - scaleDown: Scale-down rules.
    public init(
      scaleUp: ScalingRules = .defaultScaleUp, scaleDown: ScalingRules = .defaultScaleDown
    ) {
      self.scaleUp = scaleUp
      self.scaleDown = scaleDown
    }
  }

  /// The `apiVersion` the object was written in (`autoscaling/v2`, `autoscaling/v2beta2`,
  /// `autoscaling/v1`).
  public var apiVersion: String
  /// `metadata.name`.
  public var name: String
  /// `metadata.namespace` (`default` when absent).
  public var namespace: String
  /// `spec.scaleTargetRef`.
  public var scaleTargetRef: ScaleTargetReference
  /// `spec.minReplicas` (default 1).
  public var minReplicas: Int32
  /// `spec.maxReplicas`.
  public var maxReplicas: Int32
  /// `spec.metrics` (default: cpu at 80 % utilization).
  public var metrics: [Metric]
  /// `spec.behavior` with defaults filled, or `nil` when absent (legacy path).
  public var behavior: Behavior?
  /// What the reader converted or defaulted, in words (for `autoscale` to print).
  public var notes: [String]

  /// Creates a manifest value.
  ///
  /// - Parameters:
  ///   - apiVersion: The API version written.
  ///   - name: The name.
  ///   - namespace: The namespace.
  ///   - scaleTargetRef: The scale target.
  ///   - minReplicas: Minimum replicas.
  ///   - maxReplicas: Maximum replicas.
  ///   - metrics: The metrics.
  ///   - behavior: The behavior, or `nil`.
  ///   - notes: Conversion and defaulting notes.
  public init(
    apiVersion: String = "autoscaling/v2", name: String, namespace: String = "default",
    scaleTargetRef: ScaleTargetReference, minReplicas: Int32 = 1, maxReplicas: Int32,
    metrics: [Metric], behavior: Behavior? = nil, notes: [String] = []
  ) {
    self.apiVersion = apiVersion
    self.name = name
    self.namespace = namespace
    self.scaleTargetRef = scaleTargetRef
    self.minReplicas = minReplicas
    self.maxReplicas = maxReplicas
    self.metrics = metrics
    self.behavior = behavior
    self.notes = notes
  }
}

// MARK: - Decoding

extension HorizontalPodAutoscalerManifest {
  /// Decodes an HPA object (internal; see ``ManifestLoader``).
  init(object: ManifestField, apiVersion: String) throws(ManifestError) {
    let metadata = try ObjectMetadata(object)
    self.apiVersion = apiVersion
    name = metadata.name
    namespace = metadata.namespace
    notes = []
    let spec = try object.required("spec")
    scaleTargetRef = try ScaleTargetReference(try spec.required("scaleTargetRef"))
    let minField = try spec.optional("minReplicas")
    minReplicas = Int32(try minField?.int(in: 0...Int64(Int32.max)) ?? 1)
    if minField == nil { notes.append("spec.minReplicas: absent, defaulted to 1") }
    let maxField = try spec.required("maxReplicas")
    maxReplicas = Int32(try maxField.int(in: 1...Int64(Int32.max)))
    if maxReplicas < minReplicas {
      throw maxField.error(
        "must be greater than or equal to minReplicas (\(minReplicas)), found \(maxReplicas)")
    }
    behavior = nil
    switch apiVersion {
    case "autoscaling/v1":
      if let target = try spec.optional("targetCPUUtilizationPercentage") {
        let percent = Int32(try target.int(in: 1...Int64(Int32.max)))
        metrics = [
          .resource(
            name: .cpu, target: MetricTarget(type: .utilization, averageUtilization: percent))
        ]
        notes.append(
          "autoscaling/v1 targetCPUUtilizationPercentage \(percent) converted to a Resource cpu "
            + "metric with an Utilization target, as the API server converts it")
      } else {
        metrics = []
      }
      if metadata.annotations["autoscaling.alpha.kubernetes.io/metrics"] != nil {
        notes.append(
          "annotation autoscaling.alpha.kubernetes.io/metrics ignored: write the HPA in "
            + "autoscaling/v2 to use more than the CPU target")
      }
    case "autoscaling/v2", "autoscaling/v2beta2":
      metrics = try spec.optional("metrics")?.map(Self.decodeMetric) ?? []
      if let behaviorField = try spec.optional("behavior") {
        let allowTolerance = apiVersion == "autoscaling/v2"
        behavior = Behavior(
          scaleUp: try Self.decodeRules(
            try behaviorField.optional("scaleUp"), defaults: .defaultScaleUp,
            allowTolerance: allowTolerance),
          scaleDown: try Self.decodeRules(
            try behaviorField.optional("scaleDown"), defaults: .defaultScaleDown,
            allowTolerance: allowTolerance))
      }
    case "autoscaling/v2beta1":
      metrics = try spec.optional("metrics")?.map(Self.decodeV2beta1Metric) ?? []
      if !metrics.isEmpty {
        notes.append(
          "autoscaling/v2beta1 metrics converted to autoscaling/v2 targets, as the API server "
            + "converts them (targetAverageUtilization → Utilization, targetAverageValue → "
            + "AverageValue, targetValue → Value)")
      }
    default:
      throw try object.required("apiVersion").error(
        "unsupported HorizontalPodAutoscaler version \"\(apiVersion)\"; use autoscaling/v2, "
          + "autoscaling/v2beta2, autoscaling/v2beta1 or autoscaling/v1")
    }
    if metrics.isEmpty {
      metrics = [
        .resource(name: .cpu, target: MetricTarget(type: .utilization, averageUtilization: 80))
      ]
      notes.append("spec.metrics: none given, defaulted to cpu at 80% utilization")
    }
    if minReplicas == 0 {
      let hasObjectOrExternal = metrics.contains {
        if case .object = $0 { return true }
        if case .external = $0 { return true }
        return false
      }
      if !hasObjectOrExternal {
        throw try spec.required("minReplicas").error(
          "minReplicas 0 requires at least one Object or External metric (and the "
            + "HPAScaleToZero feature gate)")
      }
    }
  }

  private static func decodeIdentifier(_ field: ManifestField) throws(ManifestError)
    -> MetricIdentifier
  {
    MetricIdentifier(
      name: try field.required("name").string(),
      selector: try field.optional("selector").map(decodeLabelSelector))
  }

  private static func decodeTarget(_ field: ManifestField, allowed: [MetricTarget.TargetType])
    throws(ManifestError) -> MetricTarget
  {
    let typeField = try field.required("type")
    let type = try typeField.enumeration(MetricTarget.TargetType.self)
    guard allowed.contains(type) else {
      let names = allowed.map(\.rawValue).joined(separator: " or ")
      throw typeField.error("this metric source supports \(names) targets, found \(type.rawValue)")
    }
    var target = MetricTarget(type: type)
    switch type {
    case .utilization:
      let percent = try field.required("averageUtilization")
      target.averageUtilization = Int32(try percent.int(in: 1...Int64(Int32.max)))
    case .value:
      let value = try field.required("value")
      target.value = try value.quantity()
      if target.value?.signum ?? 0 <= 0 { throw value.error("must be positive") }
    case .averageValue:
      let value = try field.required("averageValue")
      target.averageValue = try value.quantity()
      if target.averageValue?.signum ?? 0 <= 0 { throw value.error("must be positive") }
    }
    return target
  }

  /// Decodes an `autoscaling/v2beta1` metric (flat `target*` fields) into the v2 form.
  private static func decodeV2beta1Metric(_ field: ManifestField) throws(ManifestError) -> Metric {
    func utilizationOrAverage(_ source: ManifestField) throws(ManifestError) -> MetricTarget {
      if let percent = try source.optional("targetAverageUtilization") {
        return MetricTarget(
          type: .utilization,
          averageUtilization: Int32(try percent.int(in: 1...Int64(Int32.max))))
      }
      guard let value = try source.optional("targetAverageValue") else {
        throw source.error("expected targetAverageUtilization or targetAverageValue")
      }
      return MetricTarget(type: .averageValue, averageValue: try positive(value))
    }
    func valueOrAverage(_ source: ManifestField, value key: String, average: String)
      throws(ManifestError) -> MetricTarget
    {
      if let value = try source.optional(key) {
        return MetricTarget(type: .value, value: try positive(value))
      }
      guard let value = try source.optional(average) else {
        throw source.error("expected \(key) or \(average)")
      }
      return MetricTarget(type: .averageValue, averageValue: try positive(value))
    }
    func positive(_ field: ManifestField) throws(ManifestError) -> Quantity {
      let value = try field.quantity()
      if value.signum <= 0 { throw field.error("must be positive") }
      return value
    }
    let type = try field.required("type").enumeration(MetricSourceType.self)
    switch type {
    case .resource:
      let source = try field.required("resource")
      return .resource(
        name: ResourceName(try source.required("name").string()),
        target: try utilizationOrAverage(source))
    case .containerResource:
      let source = try field.required("containerResource")
      return .containerResource(
        name: ResourceName(try source.required("name").string()),
        container: try source.required("container").string(),
        target: try utilizationOrAverage(source))
    case .pods:
      let source = try field.required("pods")
      return .pods(
        metric: MetricIdentifier(
          name: try source.required("metricName").string(),
          selector: try source.optional("selector").map(decodeLabelSelector)),
        target: MetricTarget(
          type: .averageValue, averageValue: try positive(try source.required("targetAverageValue"))
        ))
    case .object:
      let source = try field.required("object")
      let described = try source.required("target")
      return .object(
        describedObject: try ScaleTargetReference(described),
        metric: MetricIdentifier(
          name: try source.required("metricName").string(),
          selector: try source.optional("selector").map(decodeLabelSelector)),
        target: try valueOrAverage(source, value: "targetValue", average: "averageValue"))
    case .external:
      let source = try field.required("external")
      return .external(
        metric: MetricIdentifier(
          name: try source.required("metricName").string(),
          selector: try source.optional("metricSelector").map(decodeLabelSelector)),
        target: try valueOrAverage(source, value: "targetValue", average: "targetAverageValue"))
    }
  }

  private static func decodeMetric(_ field: ManifestField) throws(ManifestError) -> Metric {
    let type = try field.required("type").enumeration(MetricSourceType.self)
    switch type {
    case .resource:
      let source = try field.required("resource")
      return .resource(
        name: ResourceName(try source.required("name").string()),
        target: try decodeTarget(
          try source.required("target"), allowed: [.utilization, .averageValue]))
    case .containerResource:
      let source = try field.required("containerResource")
      return .containerResource(
        name: ResourceName(try source.required("name").string()),
        container: try source.required("container").string(),
        target: try decodeTarget(
          try source.required("target"), allowed: [.utilization, .averageValue]))
    case .pods:
      let source = try field.required("pods")
      return .pods(
        metric: try decodeIdentifier(try source.required("metric")),
        target: try decodeTarget(try source.required("target"), allowed: [.averageValue]))
    case .object:
      let source = try field.required("object")
      let described = try source.required("describedObject")
      return .object(
        describedObject: try ScaleTargetReference(described),
        metric: try decodeIdentifier(try source.required("metric")),
        target: try decodeTarget(try source.required("target"), allowed: [.value, .averageValue]))
    case .external:
      let source = try field.required("external")
      return .external(
        metric: try decodeIdentifier(try source.required("metric")),
        target: try decodeTarget(try source.required("target"), allowed: [.value, .averageValue]))
    }
  }

  /// Merges user rules over the defaults as `copyHPAScalingRules` does, then validates them.
  private static func decodeRules(
    _ field: ManifestField?, defaults: ScalingRules, allowTolerance: Bool
  ) throws(ManifestError) -> ScalingRules {
    var rules = defaults
    guard let field else { return rules }
    if let window = try field.optional("stabilizationWindowSeconds") {
      rules.stabilizationWindowSeconds = Int32(try window.int(in: 0...3600))
    }
    if let select = try field.optional("selectPolicy") {
      rules.selectPolicy = try select.enumeration(SelectPolicy.self)
    }
    if let policies = try field.optional("policies") {
      rules.policies = try policies.map { item throws(ManifestError) in
        ScalingPolicy(
          type: try item.required("type").enumeration(ScalingPolicy.PolicyType.self),
          value: Int32(try item.required("value").int(in: 1...Int64(Int32.max))),
          periodSeconds: Int32(try item.required("periodSeconds").int(in: 1...1800)))
      }
      if rules.policies.isEmpty { throw policies.error("must specify at least one Policy") }
    }
    if allowTolerance, let tolerance = try field.optional("tolerance") {
      rules.tolerance = try tolerance.nonNegativeQuantity()
    }
    return rules
  }
}

enum MetricSourceType: String, CaseIterable {
  case object = "Object"
  case pods = "Pods"
  case resource = "Resource"
  case containerResource = "ContainerResource"
  case external = "External"
}

extension HorizontalPodAutoscalerManifest.ScaleTargetReference {
  /// Decodes a `CrossVersionObjectReference` (`kind`, `name`, optional `apiVersion`).
  init(_ field: ManifestField) throws(ManifestError) {
    self.init(
      kind: try field.required("kind").string(), name: try field.required("name").string(),
      apiVersion: try field.optional("apiVersion")?.string() ?? "")
  }
}
