/// What the metrics APIs answered for one metric entry during one reconcile.
public enum MetricObservation: Hashable, Sendable {
  /// Per-pod usage for a Resource or ContainerResource metric (resource metrics API).
  case resource(PodMetrics)
  /// Per-pod values for a Pods metric (custom metrics API).
  case pods(PodMetrics)
  /// The object's value for an Object metric, in milli-units (custom metrics API).
  case object(valueMilli: Int64)
  /// The values of every series matching an External metric, in milli-units (external
  /// metrics API); upstream sums them.
  case external(valuesMilli: [Int64])
  /// The metrics API returned an error for this metric.
  case unavailable
}

/// The state of the target's label selector (`scale.status.selector`) as the controller
/// finds it.
public enum SelectorState: Hashable, Sendable {
  /// Present, parsable and not shared with another HPA.
  case valid
  /// Empty: the controller emits `SelectorRequired` and reports `InvalidSelector`.
  case missing
  /// Unparsable: `InvalidSelector`.
  case invalid
  /// The pods are also targeted by another HPA: `AmbiguousSelector`.
  case ambiguous
}

/// Everything the HPA controller reads during one reconcile: the scale subresource, the
/// selected pods, and one metric answer per metric entry.
///
/// Build one per sync. Pods are a plain array and metrics are matched to pods by position,
/// so building one is a few array writes; no dictionaries are involved.
public struct HorizontalAutoscalerObservation: Hashable, Sendable {
  /// `scale.spec.replicas`: the replica count the target asks for now (upstream's
  /// `currentReplicas`), in replicas.
  public var specReplicas: Int
  /// `scale.status.replicas`: the replicas that exist, used only by per-pod Object and
  /// External metrics, in replicas.
  public var statusReplicas: Int
  /// The selector's state.
  public var selector: SelectorState
  /// The pods the selector matches, in any order.
  public var pods: [PodObservation]
  /// One answer per `spec.metrics` entry, in the same order. Missing trailing entries count
  /// as ``MetricObservation/unavailable``.
  public var metrics: [MetricObservation]
  /// Whether the scale subresource could be read; `false` gives `FailedGetScale`.
  public var isScaleReadable: Bool
  /// Whether writing the scale subresource will succeed; `false` gives `FailedUpdateScale`.
  /// A replay leaves it `true`.
  public var scaleUpdateSucceeds: Bool

  /// Creates an observation.
  ///
  /// - Parameters:
  ///   - specReplicas: `scale.spec.replicas`, in replicas.
  ///   - statusReplicas: `scale.status.replicas`, in replicas; `nil` means the same as
  ///     `specReplicas`.
  ///   - selector: The selector's state.
  ///   - pods: The selected pods.
  ///   - metrics: One answer per metric entry, in spec order.
  ///   - isScaleReadable: Whether the scale subresource can be read.
  ///   - scaleUpdateSucceeds: Whether a scale write succeeds.
  public init(
    specReplicas: Int, statusReplicas: Int? = nil, selector: SelectorState = .valid,
    pods: [PodObservation], metrics: [MetricObservation], isScaleReadable: Bool = true,
    scaleUpdateSucceeds: Bool = true
  ) {
    self.specReplicas = specReplicas
    self.statusReplicas = statusReplicas ?? specReplicas
    self.selector = selector
    self.pods = pods
    self.metrics = metrics
    self.isScaleReadable = isScaleReadable
    self.scaleUpdateSucceeds = scaleUpdateSucceeds
  }
}
