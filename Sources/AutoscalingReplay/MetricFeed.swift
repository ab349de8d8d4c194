/// Where the values of one HPA metric come from during a replay.
///
/// The replay hands the HPA the same observations kube-controller-manager would read from the
/// metrics APIs; a feed says how to produce them from the trace and the workload model.
public enum MetricFeed: Hashable, Sendable {
  /// Per-pod usage from the workload model's `ResourceUsageModel` for the metric's resource
  /// (and container, for ContainerResource), as metrics-server reports it. The default for
  /// Resource and ContainerResource metrics.
  case usage
  /// A per-pod custom metric (Pods): each ready pod reports its share of `demand × scale`
  /// (`demand / ready pods` with equal weights); started pods that are not ready report 0. With
  /// `scale` 1 and demand in requests/s this is `requests_per_second`. The default for Pods
  /// metrics.
  case demandPerReadyPod(scale: Double)
  /// A per-pod custom metric (Pods) from another series: each ready pod reports its share of
  /// `value × scale`, as with `demandPerReadyPod`.
  case seriesPerReadyPod(series: String, scale: Double)
  /// An Object or External metric read directly from a series: its value × `scale`. The default
  /// for Object and External metrics is the series named like the metric, scale 1.
  case series(String, scale: Double)
  /// An Object or External metric equal to the demand × `scale`.
  case demand(scale: Double)
}
