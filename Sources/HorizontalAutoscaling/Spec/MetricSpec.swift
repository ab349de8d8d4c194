public import AutoscalingCore

/// The kind of metric an HPA metric entry reads (autoscaling/v2 `MetricSourceType`).
///
/// Unknown names are kept as ``unrecognized(_:)`` so that an object written by another API
/// version can be represented; validation rejects them and the controller reports upstream's
/// `InvalidMetricSourceType` for them.
public enum MetricSourceType: Hashable, Sendable, CustomStringConvertible {
  /// A metric describing a single Kubernetes object (`Object`).
  case object
  /// A per-pod custom metric averaged over the target's pods (`Pods`).
  case pods
  /// A resource (cpu, memory, …) of whole pods, from the resource metrics API (`Resource`).
  case resource
  /// A resource of one named container in each pod (`ContainerResource`).
  case containerResource
  /// A metric not associated with any Kubernetes object (`External`).
  case external
  /// A type name this version does not know.
  case unrecognized(String)

  /// Creates the type from its API name (`"Resource"`, `"Pods"`, …).
  ///
  /// - Parameter name: The API spelling; anything else becomes ``unrecognized(_:)``.
  public init(name: String) {
    switch name {
    case "Object": self = .object
    case "Pods": self = .pods
    case "Resource": self = .resource
    case "ContainerResource": self = .containerResource
    case "External": self = .external
    default: self = .unrecognized(name)
    }
  }

  /// The API spelling of the type.
  public var name: String {
    switch self {
    case .object: "Object"
    case .pods: "Pods"
    case .resource: "Resource"
    case .containerResource: "ContainerResource"
    case .external: "External"
    case .unrecognized(let name): name
    }
  }

  /// The API spelling of the type.
  public var description: String { name }
}

/// Identifies a custom or external metric by name and optional label selector
/// (autoscaling/v2 `MetricIdentifier`).
public struct MetricIdentifier: Hashable, Sendable {
  /// The metric's name, for example `requests_per_second`.
  public var name: String
  /// Narrows the metric's series by label; `nil` selects by name only.
  public var selector: LabelSelector?

  /// Creates a metric identifier.
  ///
  /// - Parameters:
  ///   - name: The metric's name.
  ///   - selector: An optional label selector narrowing the series.
  public init(name: String, selector: LabelSelector? = nil) {
    self.name = name
    self.selector = selector
  }
}

/// Names the object an `Object` metric describes (autoscaling/v2
/// `CrossVersionObjectReference`).
public struct CrossVersionObjectReference: Hashable, Sendable {
  /// The object's kind, for example `Ingress`.
  public var kind: String
  /// The object's name.
  public var name: String
  /// The object's API group and version, for example `networking.k8s.io/v1`.
  public var apiVersion: String

  /// Creates a reference.
  ///
  /// - Parameters:
  ///   - kind: The object's kind.
  ///   - name: The object's name.
  ///   - apiVersion: The object's API group/version.
  public init(kind: String, name: String, apiVersion: String = "") {
    self.kind = kind
    self.name = name
    self.apiVersion = apiVersion
  }
}

/// A `Resource` metric: a resource of whole pods (autoscaling/v2 `ResourceMetricSource`).
public struct ResourceMetricSource: Hashable, Sendable {
  /// The resource, for example `cpu` or `memory`.
  public var name: ResourceName
  /// The target: `Utilization` (percent of request) or `AverageValue` (per pod).
  public var target: MetricTarget

  /// Creates a resource metric source.
  ///
  /// - Parameters:
  ///   - name: The resource.
  ///   - target: The target value.
  public init(name: ResourceName, target: MetricTarget) {
    self.name = name
    self.target = target
  }
}

/// A `ContainerResource` metric: a resource of one container in every pod
/// (autoscaling/v2 `ContainerResourceMetricSource`).
public struct ContainerResourceMetricSource: Hashable, Sendable {
  /// The resource, for example `cpu`.
  public var name: ResourceName
  /// The container whose usage and request are read.
  public var container: String
  /// The target: `Utilization` (percent of request) or `AverageValue` (per pod).
  public var target: MetricTarget

  /// Creates a container resource metric source.
  ///
  /// - Parameters:
  ///   - name: The resource.
  ///   - container: The container name.
  ///   - target: The target value.
  public init(name: ResourceName, container: String, target: MetricTarget) {
    self.name = name
    self.container = container
    self.target = target
  }
}

/// A `Pods` metric: a custom metric per pod, averaged (autoscaling/v2 `PodsMetricSource`).
public struct PodsMetricSource: Hashable, Sendable {
  /// The metric read for every pod.
  public var metric: MetricIdentifier
  /// The target; only `AverageValue` is supported.
  public var target: MetricTarget

  /// Creates a pods metric source.
  ///
  /// - Parameters:
  ///   - metric: The metric.
  ///   - target: The target (an `AverageValue`).
  public init(metric: MetricIdentifier, target: MetricTarget) {
    self.metric = metric
    self.target = target
  }
}

/// An `Object` metric: one value describing one object (autoscaling/v2 `ObjectMetricSource`).
public struct ObjectMetricSource: Hashable, Sendable {
  /// The object the metric describes.
  public var describedObject: CrossVersionObjectReference
  /// The metric.
  public var metric: MetricIdentifier
  /// The target: `Value` or `AverageValue`.
  public var target: MetricTarget

  /// Creates an object metric source.
  ///
  /// - Parameters:
  ///   - describedObject: The object the metric describes.
  ///   - metric: The metric.
  ///   - target: The target (`Value` or `AverageValue`).
  public init(
    describedObject: CrossVersionObjectReference, metric: MetricIdentifier, target: MetricTarget
  ) {
    self.describedObject = describedObject
    self.metric = metric
    self.target = target
  }
}

/// An `External` metric: series from outside the cluster (autoscaling/v2
/// `ExternalMetricSource`).
public struct ExternalMetricSource: Hashable, Sendable {
  /// The metric; its selector picks the series that are summed.
  public var metric: MetricIdentifier
  /// The target: `Value` or `AverageValue`.
  public var target: MetricTarget

  /// Creates an external metric source.
  ///
  /// - Parameters:
  ///   - metric: The metric.
  ///   - target: The target (`Value` or `AverageValue`).
  public init(metric: MetricIdentifier, target: MetricTarget) {
    self.metric = metric
    self.target = target
  }
}

/// One entry of `spec.metrics` (autoscaling/v2 `MetricSpec`): a type and the matching source.
///
/// The shape mirrors the API object so that a manifest maps onto it field by field; the
/// static constructors (``resource(_:target:)``, ``pods(_:target:)``, …) build well-formed
/// entries. Exactly the source named by ``type`` must be set; validation checks it.
public struct MetricSpec: Hashable, Sendable {
  /// Which source this entry uses.
  public var type: MetricSourceType
  /// Set when ``type`` is ``MetricSourceType/resource``.
  public var resource: ResourceMetricSource?
  /// Set when ``type`` is ``MetricSourceType/containerResource``.
  public var containerResource: ContainerResourceMetricSource?
  /// Set when ``type`` is ``MetricSourceType/pods``.
  public var pods: PodsMetricSource?
  /// Set when ``type`` is ``MetricSourceType/object``.
  public var object: ObjectMetricSource?
  /// Set when ``type`` is ``MetricSourceType/external``.
  public var external: ExternalMetricSource?

  /// Creates a metric entry field by field, as a manifest spells it.
  ///
  /// - Parameters:
  ///   - type: The source type.
  ///   - resource: The `Resource` source, if any.
  ///   - containerResource: The `ContainerResource` source, if any.
  ///   - pods: The `Pods` source, if any.
  ///   - object: The `Object` source, if any.
  ///   - external: The `External` source, if any.
  public init(
    type: MetricSourceType,
    resource: ResourceMetricSource? = nil,
    containerResource: ContainerResourceMetricSource? = nil,
    pods: PodsMetricSource? = nil,
    object: ObjectMetricSource? = nil,
    external: ExternalMetricSource? = nil
  ) {
    self.type = type
    self.resource = resource
    self.containerResource = containerResource
    self.pods = pods
    self.object = object
    self.external = external
  }

  /// A `Resource` metric entry.
  ///
  /// - Parameters:
  ///   - name: The resource (`cpu`, `memory`, …).
  ///   - target: The target, for example `.utilization(70)`.
  /// - Returns: The entry.
  public static func resource(_ name: ResourceName, target: MetricTarget) -> MetricSpec {
    MetricSpec(type: .resource, resource: ResourceMetricSource(name: name, target: target))
  }

  /// A `ContainerResource` metric entry.
  ///
  /// - Parameters:
  ///   - name: The resource.
  ///   - container: The container name.
  ///   - target: The target.
  /// - Returns: The entry.
  public static func containerResource(
    _ name: ResourceName, container: String, target: MetricTarget
  ) -> MetricSpec {
    MetricSpec(
      type: .containerResource,
      containerResource: ContainerResourceMetricSource(
        name: name, container: container, target: target))
  }

  /// A `Pods` metric entry.
  ///
  /// - Parameters:
  ///   - metric: The metric name.
  ///   - target: The target (an `AverageValue`).
  /// - Returns: The entry.
  public static func pods(_ metric: String, target: MetricTarget) -> MetricSpec {
    MetricSpec(
      type: .pods, pods: PodsMetricSource(metric: MetricIdentifier(name: metric), target: target))
  }

  /// An `Object` metric entry.
  ///
  /// - Parameters:
  ///   - metric: The metric name.
  ///   - describedObject: The object it describes.
  ///   - target: The target (`Value` or `AverageValue`).
  /// - Returns: The entry.
  public static func object(
    _ metric: String, describedObject: CrossVersionObjectReference, target: MetricTarget
  ) -> MetricSpec {
    MetricSpec(
      type: .object,
      object: ObjectMetricSource(
        describedObject: describedObject, metric: MetricIdentifier(name: metric), target: target))
  }

  /// An `External` metric entry.
  ///
  /// - Parameters:
  ///   - metric: The metric name.
  ///   - selector: An optional selector for the series.
  ///   - target: The target (`Value` or `AverageValue`).
  /// - Returns: The entry.
  public static func external(
    _ metric: String, selector: LabelSelector? = nil, target: MetricTarget
  ) -> MetricSpec {
    MetricSpec(
      type: .external,
      external: ExternalMetricSource(
        metric: MetricIdentifier(name: metric, selector: selector), target: target))
  }

  /// The API's default metric: cpu at 80 % average utilization
  /// (`autoscaling.DefaultCPUUtilization`), used when `metrics` is empty.
  public static let defaultCPUUtilization = MetricSpec.resource(.cpu, target: .utilization(80))
}
