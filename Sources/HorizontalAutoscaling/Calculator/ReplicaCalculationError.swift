/// Why a replica calculator function could not produce a proposal.
///
/// ``description`` reproduces the text of upstream's error, so messages can be compared with
/// a real controller's events. The controller turns these into the metric's condition reason
/// (`FailedGetResourceMetric`, …) rather than letting them escape.
public enum ReplicaCalculationError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The resource metrics API returned nothing.
  case noResourceMetrics(resource: String)
  /// The custom metrics API returned nothing for a Pods metric.
  case noCustomMetrics(metric: String)
  /// The external metrics API returned nothing.
  case noExternalMetrics
  /// The metrics API failed.
  case metricsUnavailable
  /// The selector matched no pods.
  case noPods
  /// After dropping ignored and unready pods, no metric was left.
  case noMetricsForTargetedPods
  /// No metric belonged to a pod with a request.
  case noMetricsMatchedKnownPods
  /// A container has no request for the resource.
  case missingRequest(resource: String, container: String, pod: String)
  /// The named container is not among the pod's containers.
  case containerNotFound(container: String, pod: String)
  /// Pod-level requests are set but lack the resource.
  case missingPodLevelRequest(resource: String, pod: String)

  /// Upstream's error text.
  public var description: String {
    switch self {
    case .noResourceMetrics(let resource):
      "unable to get metrics for resource \(resource): no metrics returned from resource metrics API"
    case .noCustomMetrics(let metric):
      "unable to get metric \(metric): no metrics returned from custom metrics API"
    case .noExternalMetrics: "no metrics returned from external metrics API"
    case .metricsUnavailable: "unable to fetch metrics from the metrics API"
    case .noPods: "no pods returned by selector while calculating replica count"
    case .noMetricsForTargetedPods:
      "did not receive metrics for targeted pods (pods might be unready)"
    case .noMetricsMatchedKnownPods: "no metrics returned matched known pods"
    case .missingRequest(let resource, let container, let pod):
      "missing request for \(resource) in container \(container) of Pod \(pod)"
    case .containerNotFound(let container, let pod):
      "container \(container) not found in Pod \(pod)"
    case .missingPodLevelRequest(let resource, let pod):
      "missing pod-level request for \(resource) in Pod \(pod)"
    }
  }
}
