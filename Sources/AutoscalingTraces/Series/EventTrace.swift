public import AutoscalingCore

/// One pod of an event trace: when it arrived, when it left, what it requested.
public struct PodRecord: Hashable, Sendable {
  /// The pod (or instance) name.
  public var name: String
  /// Arrival (creation) time, milliseconds since the trace start.
  public var arrivalMilliseconds: Int64
  /// Departure (deletion) time, milliseconds since the trace start; `nil` when the pod was
  /// still running at the end of the trace.
  public var departureMilliseconds: Int64?
  /// Resource requests (cpu in cores, memory in bytes, `nvidia.com/gpu` in devices).
  public var requests: ResourceList
  /// Labels carried from the trace (`app`, `qos`, `gpu-spec`, …).
  public var labels: Labels

  /// Creates a record.
  ///
  /// - Parameters:
  ///   - name: The pod name.
  ///   - arrivalMilliseconds: Arrival, milliseconds.
  ///   - departureMilliseconds: Departure, milliseconds, or `nil`.
  ///   - requests: Requests.
  ///   - labels: Labels.
  public init(
    name: String, arrivalMilliseconds: Int64, departureMilliseconds: Int64? = nil,
    requests: ResourceList, labels: Labels = [:]
  ) {
    self.name = name
    self.arrivalMilliseconds = arrivalMilliseconds
    self.departureMilliseconds = departureMilliseconds
    self.requests = requests
    self.labels = labels
  }
}

/// A pod arrival or departure.
public struct PodEvent: Hashable, Sendable {
  /// Arrival or departure.
  public enum Kind: Hashable, Sendable {
    /// The pod is created and needs a place.
    case arrival
    /// The pod is deleted and frees its requests.
    case departure
  }

  /// When, milliseconds since the trace start.
  public var timeMilliseconds: Int64
  /// Arrival or departure.
  public var kind: Kind
  /// The index of the pod in ``EventTrace/pods``.
  public var podIndex: Int

  /// Creates an event.
  ///
  /// - Parameters:
  ///   - timeMilliseconds: When, milliseconds.
  ///   - kind: Arrival or departure.
  ///   - podIndex: The pod's index.
  public init(timeMilliseconds: Int64, kind: Kind, podIndex: Int) {
    self.timeMilliseconds = timeMilliseconds
    self.kind = kind
    self.podIndex = podIndex
  }
}

/// An event trace for node replay: pods with arrival and departure times and requests.
public struct EventTrace: Hashable, Sendable {
  /// The pods, in the order of the source.
  public var pods: [PodRecord]
  /// Provenance and the reader's decisions.
  public var source: TraceSource

  /// Creates a trace.
  ///
  /// - Parameters:
  ///   - pods: The pods.
  ///   - source: Provenance.
  public init(pods: [PodRecord], source: TraceSource) {
    self.pods = pods
    self.source = source
  }

  /// Arrivals and departures in time order; at equal times departures come first (capacity is
  /// freed before it is claimed), then by pod index, so the order is deterministic.
  public var events: [PodEvent] {
    var events: [PodEvent] = []
    events.reserveCapacity(pods.count * 2)
    for (index, pod) in pods.enumerated() {
      events.append(
        PodEvent(timeMilliseconds: pod.arrivalMilliseconds, kind: .arrival, podIndex: index))
      if let departure = pod.departureMilliseconds {
        events.append(PodEvent(timeMilliseconds: departure, kind: .departure, podIndex: index))
      }
    }
    events.sort { lhs, rhs in
      if lhs.timeMilliseconds != rhs.timeMilliseconds {
        return lhs.timeMilliseconds < rhs.timeMilliseconds
      }
      if lhs.kind != rhs.kind { return lhs.kind == .departure }
      return lhs.podIndex < rhs.podIndex
    }
    return events
  }

  /// The number of pods alive at each event time, as a series (for plots and checks).
  ///
  /// - Returns: A series with one column `pods` (unit `pods`).
  public func runningPods() -> TimeSeries {
    var timestamps: [Int64] = []
    var counts: [Double] = []
    var running = 0
    for event in events {
      running += event.kind == .arrival ? 1 : -1
      if timestamps.last == event.timeMilliseconds {
        counts[counts.count - 1] = Double(running)
      } else {
        timestamps.append(event.timeMilliseconds)
        counts.append(Double(running))
      }
    }
    return TimeSeries(
      unchecked: timestamps, columns: [.init(name: "pods", unit: "pods", values: counts)],
      source: source)
  }
}

/// A node shape from a trace (for example the Alibaba GPU cluster's node list).
public struct NodeRecord: Hashable, Sendable {
  /// The node name.
  public var name: String
  /// Capacity (cpu in cores, memory in bytes, `nvidia.com/gpu` in devices).
  public var capacity: ResourceList
  /// Labels (`gpu-model` when known).
  public var labels: Labels

  /// Creates a node record.
  ///
  /// - Parameters:
  ///   - name: The node name.
  ///   - capacity: Capacity.
  ///   - labels: Labels.
  public init(name: String, capacity: ResourceList, labels: Labels = [:]) {
    self.name = name
    self.capacity = capacity
    self.labels = labels
  }
}
