public import AutoscalingTraces

extension NodeReplayPod {
  /// The pods of a pod event trace (an Alibaba GPU trace read by `PublicTraces`), ordered by
  /// arrival then name, at most `limit` of them (a slice of a large trace).
  ///
  /// - Parameters:
  ///   - trace: The event trace.
  ///   - limit: The number of pods kept (the earliest arrivals), or `nil` for all.
  /// - Returns: The pods, requesting what the trace says, labelled as in the trace.
  public static func fromEventTrace(_ trace: EventTrace, limit: Int? = nil) -> [NodeReplayPod] {
    var records = trace.pods
    records.sort {
      $0.arrivalMilliseconds != $1.arrivalMilliseconds ? $0.arrivalMilliseconds < $1.arrivalMilliseconds : $0.name < $1.name
    }
    if let limit { records = Array(records.prefix(max(limit, 0))) }
    return records.map {
      NodeReplayPod.requesting(
        name: $0.name, arrivalMilliseconds: $0.arrivalMilliseconds, departureMilliseconds: $0.departureMilliseconds,
        requests: $0.requests, labels: $0.labels)
    }
  }
}
