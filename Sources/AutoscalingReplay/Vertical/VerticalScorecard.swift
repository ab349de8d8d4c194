/// What a vertical replay scored (JSON keys = property names, stable).
///
/// Sums run over every step `t` (duration `Δt` seconds; the last step may be shorter) and every
/// running pod container `c` with a trace of that resource. `u` is usage (CPU in millicores as
/// traced, before throttling; memory in bytes), `r` the container's request, `l` its limit.
/// `x⁺` is `max(x, 0)`. A ratio whose denominator is 0 is reported as 0.
public struct VerticalScorecard: Hashable, Sendable, Codable {
  /// CPU slack, percent: `100 × Σ Δt·(r − u)⁺ / Σ Δt·r` — the share of requested CPU that went
  /// unused, as Google Autopilot's slack `(limit − usage) / limit` over time (with the request
  /// in the role of Autopilot's limit, since the VPA sets requests).
  public var slackPercent: Double
  /// CPU demand above the request, percent: `100 × Σ Δt·(u − r)⁺ / Σ Δt·u` — the share of CPU
  /// usage the request did not cover (VASIM's insufficient CPU with request as its limit).
  public var insufficientCpuPercent: Double
  /// Time with CPU demand above the request, percent: `100 × Σ Δt·[u > r] / Σ Δt` over
  /// containers with a CPU trace (VASIM's "insufficient observations percentage").
  public var insufficientCpuTimePercent: Double
  /// CPU demand above the limit, percent: `100 × Σ Δt·(u − l)⁺ / Σ Δt·u` over containers with
  /// a CPU limit — the share of CPU usage lost to throttling.
  public var throttledCpuPercent: Double
  /// Memory slack, percent: `100 × Σ Δt·(r − u)⁺ / Σ Δt·r` for memory.
  public var memorySlackPercent: Double
  /// Containers killed for memory above their limit (count over all pods and steps).
  public var oomKills: Int
  /// Pods evicted by the updater and recreated with new requests.
  public var evictions: Int
  /// Pods whose requests the updater changed in place (InPlaceOrRecreate).
  public var inPlaceResizes: Int
  /// Time-weighted mean CPU request of a pod (summed over its traced containers), millicores:
  /// `Σ Δt·Σ_c r_cpu / (Σ Δt × replicas)`.
  public var meanRequestCpuMillicores: Double
  /// Time-weighted mean memory request of a pod (summed over its traced containers), bytes.
  public var meanRequestMemoryBytes: Double
  /// Time-weighted mean CPU usage of a pod (summed over containers), millicores.
  public var meanUsageCpuMillicores: Double
  /// Time-weighted mean memory usage of a pod (summed over containers), bytes.
  public var meanUsageMemoryBytes: Double
  /// Recommendations computed.
  public var recommendations: Int
  /// Usage samples the recommender accepted (CPU and memory).
  public var samples: Int
  /// Simulated seconds.
  public var durationSeconds: Double

  /// Creates a scorecard.
  ///
  /// - Parameters:
  ///   - slackPercent: CPU slack, percent.
  ///   - insufficientCpuPercent: CPU usage above the request, percent of usage.
  ///   - insufficientCpuTimePercent: Time with CPU usage above the request, percent.
  ///   - throttledCpuPercent: CPU usage above the limit, percent of usage.
  ///   - memorySlackPercent: Memory slack, percent.
  ///   - oomKills: OOM kills.
  ///   - evictions: Evictions.
  ///   - inPlaceResizes: In-place resizes.
  ///   - meanRequestCpuMillicores: Mean pod CPU request, millicores.
  ///   - meanRequestMemoryBytes: Mean pod memory request, bytes.
  ///   - meanUsageCpuMillicores: Mean pod CPU usage, millicores.
  ///   - meanUsageMemoryBytes: Mean pod memory usage, bytes.
  ///   - recommendations: Recommendations computed.
  ///   - samples: Samples accepted.
  ///   - durationSeconds: Simulated seconds.
  public init(
    slackPercent: Double = 0, insufficientCpuPercent: Double = 0,
    insufficientCpuTimePercent: Double = 0, throttledCpuPercent: Double = 0,
    memorySlackPercent: Double = 0, oomKills: Int = 0, evictions: Int = 0,
    inPlaceResizes: Int = 0, meanRequestCpuMillicores: Double = 0,
    meanRequestMemoryBytes: Double = 0, meanUsageCpuMillicores: Double = 0,
    meanUsageMemoryBytes: Double = 0, recommendations: Int = 0, samples: Int = 0,
    durationSeconds: Double = 0
  ) {
    self.slackPercent = slackPercent
    self.insufficientCpuPercent = insufficientCpuPercent
    self.insufficientCpuTimePercent = insufficientCpuTimePercent
    self.throttledCpuPercent = throttledCpuPercent
    self.memorySlackPercent = memorySlackPercent
    self.oomKills = oomKills
    self.evictions = evictions
    self.inPlaceResizes = inPlaceResizes
    self.meanRequestCpuMillicores = meanRequestCpuMillicores
    self.meanRequestMemoryBytes = meanRequestMemoryBytes
    self.meanUsageCpuMillicores = meanUsageCpuMillicores
    self.meanUsageMemoryBytes = meanUsageMemoryBytes
    self.recommendations = recommendations
    self.samples = samples
    self.durationSeconds = durationSeconds
  }
}

/// One container at one step of a vertical replay (usage, requests, recommendation, events).
///
/// Requests and usage are means over the workload's running replicas of this container.
/// Recommendation fields are `nil` until the recommender has one for the container.
public struct VerticalTimelineRow: Hashable, Sendable {
  /// The step's time in milliseconds.
  public var timeMilliseconds: Int64
  /// The container's index in ``VerticalReplay/containers``.
  public var containerIndex: Int
  /// Traced CPU usage in millicores (before throttling), or `nil` without a CPU trace.
  public var cpuUsageMillicores: Double?
  /// Traced memory usage in bytes, or `nil` without a memory trace.
  public var memoryUsageBytes: Double?
  /// Mean CPU request over replicas, millicores (0 when unset).
  public var cpuRequestMillicores: Double
  /// Mean memory request over replicas, bytes (0 when unset).
  public var memoryRequestBytes: Double
  /// Recommended CPU target, millicores.
  public var targetCpuMillicores: Int64?
  /// Recommended CPU lower bound, millicores.
  public var lowerBoundCpuMillicores: Int64?
  /// Recommended CPU upper bound, millicores.
  public var upperBoundCpuMillicores: Int64?
  /// Recommended memory target, bytes.
  public var targetMemoryBytes: Int64?
  /// Recommended memory lower bound, bytes.
  public var lowerBoundMemoryBytes: Int64?
  /// Recommended memory upper bound, bytes.
  public var upperBoundMemoryBytes: Int64?
  /// OOM kills of this container during the step (all replicas).
  public var oomKills: Int
  /// Pods evicted during the step (reported on every container's row of the step).
  public var evictions: Int
  /// Pods resized in place during the step (reported on every container's row of the step).
  public var inPlaceResizes: Int
}
