public import AutoscalingCore

extension NodeReplayPod {
  /// The pods of a workload whose replica count follows a timeline, for a node replay joined to
  /// an HPA replay (feed it the `replicas` of each `ReplayTimelineRow`).
  ///
  /// Replica slot i (0-based) holds a pod while the count exceeds i; scaling down removes the
  /// highest slots first, as a ReplicaSet deletes its newest pods when all are equally ready.
  /// Each stint of a slot is its own pod, named `<name>-<serial>` in order of creation.
  ///
  /// - Parameters:
  ///   - name: The workload's name (pod name prefix).
  ///   - template: The pod template (requests, selectors, tolerations).
  ///   - timesMilliseconds: Sample times (milliseconds), strictly increasing.
  ///   - replicas: The replica count from each sample on (replicas, ≥ 0).
  /// - Returns: The pods; those still running at the last sample have no departure.
  /// - Throws: `NodeReplayError` when the arrays differ in length, times do not increase or a
  ///   count is negative.
  public static func fromReplicaTimeline(
    name: String, template: PodTemplate, timesMilliseconds: [Int64], replicas: [Int]
  ) throws(NodeReplayError) -> [NodeReplayPod] {
    guard timesMilliseconds.count == replicas.count else {
      throw NodeReplayError(
        "replica timeline of \(name): \(timesMilliseconds.count) times but \(replicas.count) replica counts")
    }
    var pods: [NodeReplayPod] = []
    var open: [Int] = []  // index in `pods` of the pod in each slot
    var previous = Int64.min
    for (time, count) in zip(timesMilliseconds, replicas) {
      guard time > previous else {
        throw NodeReplayError("replica timeline of \(name): times must increase, \(time) ms follows \(previous) ms")
      }
      guard count >= 0 else { throw NodeReplayError("replica timeline of \(name): negative replica count \(count) at \(time) ms") }
      previous = time
      while open.count > count, let last = open.popLast() { pods[last].departureMilliseconds = time }
      while open.count < count {
        open.append(pods.count)
        pods.append(NodeReplayPod(name: "\(name)-\(pods.count)", arrivalMilliseconds: time, template: template))
      }
    }
    return pods
  }
}
