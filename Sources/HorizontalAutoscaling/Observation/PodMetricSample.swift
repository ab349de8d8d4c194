public import AutoscalingCore

/// One pod's metric value with the timestamp and window it was collected over
/// (upstream `metricsclient.PodMetric`).
public struct PodMetricSample: Hashable, Sendable {
  /// The value in milli-units (millicores for cpu, milli-bytes for memory, metric
  /// milli-units for custom metrics).
  public var valueMilli: Int64
  /// When the value was collected (the end of its window).
  public var timestamp: Instant
  /// The collection window in milliseconds (metrics-server's is typically 15 000–60 000).
  public var windowMilliseconds: Int64

  /// Creates a sample.
  ///
  /// - Parameters:
  ///   - valueMilli: The value in milli-units.
  ///   - timestamp: When it was collected.
  ///   - window: The collection window; upstream's default for custom metrics is 1 minute.
  public init(valueMilli: Int64, timestamp: Instant, window: Duration = .seconds(60)) {
    self.valueMilli = valueMilli
    self.timestamp = timestamp
    self.windowMilliseconds = window.wholeMilliseconds
  }

  /// The collection window.
  public var window: Duration { .milliseconds(windowMilliseconds) }

  /// The sample the resource metrics client derives from per-container usage
  /// (upstream `getPodMetrics` / `getContainerMetrics`).
  ///
  /// For a whole pod (`container == ""`) the value is the sum over all containers, and the
  /// pod counts as missing (`nil`) if any container lacks a value or the list is empty. For a
  /// named container the value is that container's usage, and the pod counts as missing when
  /// the container is absent or lacks a value (recent upstream logs and skips it).
  ///
  /// - Parameters:
  ///   - containers: The per-container usage of one pod.
  ///   - container: The container a ContainerResource metric reads, or `""` for the pod.
  ///   - timestamp: When the usage was collected.
  ///   - window: The collection window.
  /// - Returns: The sample, or `nil` when the pod has no usable value.
  public static func resourceUsage(
    of containers: [ContainerUsage], container: String = "", timestamp: Instant,
    window: Duration
  ) -> PodMetricSample? {
    if container.isEmpty {
      if containers.isEmpty { return nil }
      var total: Int64 = 0
      for entry in containers {
        guard let usage = entry.usageMilli else { return nil }
        total &+= usage
      }
      return PodMetricSample(valueMilli: total, timestamp: timestamp, window: window)
    }
    guard let entry = containers.first(where: { $0.name == container }),
      let usage = entry.usageMilli
    else { return nil }
    return PodMetricSample(valueMilli: usage, timestamp: timestamp, window: window)
  }
}

/// One container's measured usage of the metric's resource.
public struct ContainerUsage: Hashable, Sendable {
  /// The container name.
  public var name: String
  /// The usage in milli-units, or `nil` when the container reports no value for the resource.
  public var usageMilli: Int64?

  /// Creates a container usage entry.
  ///
  /// - Parameters:
  ///   - name: The container name.
  ///   - usageMilli: The usage in milli-units, or `nil`.
  public init(name: String, usageMilli: Int64?) {
    self.name = name
    self.usageMilli = usageMilli
  }
}

/// The per-pod values of a Resource, ContainerResource or Pods metric, by pod position.
///
/// `samples[i]` belongs to `observation.pods[i]`; `nil` (or an index past the end) means the
/// metrics API returned nothing for that pod (upstream's *missing* pods). Values for pods that
/// are not in the pod list go to ``unlistedSamples``: upstream counts them in averages and in
/// `len(metrics)` after rebalancing (spec §14.6).
public struct PodMetrics: Hashable, Sendable {
  /// Samples aligned with the observation's pods.
  public var samples: [PodMetricSample?]
  /// Samples for pods absent from the pod list.
  public var unlistedSamples: [PodMetricSample]

  /// Creates per-pod metrics.
  ///
  /// - Parameters:
  ///   - samples: Samples aligned with the observation's pods (`nil` for no value).
  ///   - unlistedSamples: Samples for pods not in the pod list.
  public init(samples: [PodMetricSample?], unlistedSamples: [PodMetricSample] = []) {
    self.samples = samples
    self.unlistedSamples = unlistedSamples
  }

  /// Whether the metrics API returned nothing at all (upstream: "no metrics returned").
  public var isEmpty: Bool {
    unlistedSamples.isEmpty && !samples.contains { $0 != nil }
  }

  /// The timestamp upstream reports for the metric: that of the first returned item.
  var firstTimestamp: Instant? {
    for sample in samples { if let sample { return sample.timestamp } }
    return unlistedSamples.first?.timestamp
  }
}
