/// The current value of one metric as the HPA reports it in `status.currentMetrics`
/// (autoscaling/v2 `MetricStatus`, flattened).
///
/// The entry at index *i* belongs to `spec.metrics[i]`. A metric that could not be computed
/// has all values `nil`, as upstream leaves an empty status for it.
public struct MetricStatus: Hashable, Sendable {
  /// The metric's position in `spec.metrics`.
  public var metricIndex: Int
  /// The replica count this metric alone proposes, or `nil` when it failed.
  public var proposedReplicas: Int?
  /// Average utilization in percent of the request (utilization targets), truncated as
  /// upstream truncates it.
  public var averageUtilization: Int?
  /// Average value per pod in milli-units (millicores for cpu; milli-bytes for memory; metric
  /// milli-units otherwise).
  public var averageValueMilli: Int64?
  /// Total value in milli-units (Object and External `Value` targets).
  public var valueMilli: Int64?
  /// The failure, when the metric could not be computed.
  public var failure: ConditionReason?

  /// Creates a metric status.
  ///
  /// - Parameters:
  ///   - metricIndex: The metric's position in `spec.metrics`.
  ///   - proposedReplicas: The metric's proposal, in replicas.
  ///   - averageUtilization: Average utilization, percent.
  ///   - averageValueMilli: Average value per pod, milli-units.
  ///   - valueMilli: Total value, milli-units.
  ///   - failure: The failure reason, if any.
  public init(
    metricIndex: Int, proposedReplicas: Int? = nil, averageUtilization: Int? = nil,
    averageValueMilli: Int64? = nil, valueMilli: Int64? = nil, failure: ConditionReason? = nil
  ) {
    self.metricIndex = metricIndex
    self.proposedReplicas = proposedReplicas
    self.averageUtilization = averageUtilization
    self.averageValueMilli = averageValueMilli
    self.valueMilli = valueMilli
    self.failure = failure
  }
}
