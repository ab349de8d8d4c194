import AutoscalingCore
public import AutoscalingReplay

/// The scores the vertical tuner minimizes, named for the VPA.
///
/// The generic search engine works on ``Objectives``; these four figures travel in its four
/// slots (``objectives``): slack in `replicaSeconds` (the cost), the under-request time share
/// in `underProvisionedTimeShare` (the SLO bound of ``Selection``), OOM kills in
/// `unservedDemand`, and updates in `scalingActions` (stability). Pareto dominance is the same
/// in both forms.
public struct VerticalObjectives: Sendable, Hashable, Codable {
  /// Over-request, percent: the mean over the traced resources (CPU, memory) of
  /// `100 × Σ Δt·(request − usage)⁺ / Σ Δt·request`.
  public var slackPercent: Double
  /// Under-request time, percent: the share of traced container time in which the usage of
  /// some traced resource is above its request.
  public var underRequestTimePercent: Double
  /// OOM kills (a count).
  public var oomKills: Double
  /// Updates: evictions plus in-place resizes (a count).
  public var updates: Double

  /// Creates a set of scores.
  ///
  /// - Parameters:
  ///   - slackPercent: Over-request, percent.
  ///   - underRequestTimePercent: Time with usage above the request, percent.
  ///   - oomKills: OOM kills, a count.
  ///   - updates: Evictions plus in-place resizes, a count.
  public init(
    slackPercent: Double, underRequestTimePercent: Double, oomKills: Double, updates: Double
  ) {
    self.slackPercent = slackPercent
    self.underRequestTimePercent = underRequestTimePercent
    self.oomKills = oomKills
    self.updates = updates
  }

  /// Reads the scores back from the generic slots (see the type's overview).
  ///
  /// - Parameter objectives: Generic scores produced by ``objectives``.
  public init(_ objectives: Objectives) {
    self.init(
      slackPercent: objectives.replicaSeconds,
      underRequestTimePercent: objectives.underProvisionedTimeShare * 100,
      oomKills: objectives.unservedDemand, updates: objectives.scalingActions)
  }

  /// The scores in the generic engine's slots (see the type's overview).
  public var objectives: Objectives {
    Objectives(
      replicaSeconds: slackPercent, underProvisionedTimeShare: underRequestTimePercent / 100,
      unservedDemand: oomKills, scalingActions: updates)
  }
}

/// Adds up a vertical replay's timeline rows into ``VerticalObjectives`` and the usual
/// request figures.
///
/// Each row (one container, one step; request and usage are means over replicas) weighs
/// `Δt × replicas` seconds. Rows without a usage reading of a resource do not count for that
/// resource. A step's usage is scored against the requests in force while it was used, as
/// ``VerticalScorecard`` does: on a step whose row reports evictions or resizes (the row shows
/// the requests after them), the container's previous row's requests.
public struct VerticalScoreAccumulator: Sendable, Hashable {
  private var cpuRequested = 0.0
  private var cpuSlack = 0.0
  private var cpuUsed = 0.0
  private var cpuShort = 0.0
  private var cpuSeconds = 0.0
  private var memoryRequested = 0.0
  private var memorySlack = 0.0
  private var memorySeconds = 0.0
  private var tracedSeconds = 0.0
  private var underSeconds = 0.0
  private var oomKills = 0
  private var updates = 0
  /// The last row's requests per container index (millicores; bytes).
  private var previousCPU: [Int: Double] = [:]
  private var previousMemory: [Int: Double] = [:]

  /// Creates an empty accumulator.
  public init() {}

  /// Creates an empty accumulator that knows the requests a replay's pods start with (the
  /// template's: no recommendation exists before the first step), so an eviction on the first
  /// row is scored against them.
  ///
  /// - Parameter replay: The replay whose rows will be added.
  public init(replay: VerticalReplay) {
    for (index, usage) in replay.containers.enumerated() {
      previousCPU[index] = Double(usage.container.requests[.cpu]?.milliValue ?? 0)
      previousMemory[index] = Double(usage.container.requests[.memory]?.value ?? 0)
    }
  }

  /// Remembers a row's requests without scoring it (a row before the scored window).
  ///
  /// - Parameter row: The row.
  public mutating func skip(_ row: VerticalTimelineRow) {
    previousCPU[row.containerIndex] = row.cpuRequestMillicores
    previousMemory[row.containerIndex] = row.memoryRequestBytes
  }

  /// Adds one timeline row. Evictions and resizes, which a replay reports on every
  /// container's row of a step, are counted on the first container's row only.
  ///
  /// - Parameters:
  ///   - row: The row (millicores and bytes).
  ///   - seconds: The row's weight: the step in seconds times the replicas.
  public mutating func add(_ row: VerticalTimelineRow, seconds: Double) {
    var requests = (cpu: row.cpuRequestMillicores, memory: row.memoryRequestBytes)
    if row.evictions + row.inPlaceResizes > 0, let cpu = previousCPU[row.containerIndex],
      let memory = previousMemory[row.containerIndex]
    {
      requests = (cpu, memory)
    }
    previousCPU[row.containerIndex] = row.cpuRequestMillicores
    previousMemory[row.containerIndex] = row.memoryRequestBytes
    add(
      cpuUsage: row.cpuUsageMillicores, cpuRequest: requests.cpu,
      memoryUsage: row.memoryUsageBytes, memoryRequest: requests.memory,
      oomKills: row.oomKills,
      updates: row.containerIndex == 0 ? row.evictions + row.inPlaceResizes : 0,
      seconds: seconds)
  }

  /// Adds one container's step.
  ///
  /// - Parameters:
  ///   - cpuUsage: CPU usage in millicores, `nil` when not traced.
  ///   - cpuRequest: CPU request in millicores in force during the step.
  ///   - memoryUsage: Memory usage in bytes, `nil` when not traced.
  ///   - memoryRequest: Memory request in bytes in force during the step.
  ///   - oomKills: OOM kills during the step.
  ///   - updates: Evictions and in-place resizes during the step.
  ///   - seconds: The step's weight in seconds.
  public mutating func add(
    cpuUsage: Double?, cpuRequest: Double, memoryUsage: Double?, memoryRequest: Double,
    oomKills: Int, updates: Int, seconds: Double
  ) {
    self.oomKills += oomKills
    self.updates += updates
    var traced = false
    var under = false
    if let usage = cpuUsage {
      traced = true
      cpuSeconds += seconds
      cpuRequested += seconds * cpuRequest
      cpuSlack += seconds * max(cpuRequest - usage, 0)
      cpuUsed += seconds * usage
      cpuShort += seconds * max(usage - cpuRequest, 0)
      under = under || usage > cpuRequest
    }
    if let usage = memoryUsage {
      traced = true
      memorySeconds += seconds
      memoryRequested += seconds * memoryRequest
      memorySlack += seconds * max(memoryRequest - usage, 0)
      under = under || usage > memoryRequest
    }
    if traced { tracedSeconds += seconds }
    if under { underSeconds += seconds }
  }

  private func percent(_ part: Double, _ whole: Double) -> Double {
    whole > 0 ? 100 * part / whole : 0
  }

  /// CPU slack, percent: `100 × Σ Δt·(r − u)⁺ / Σ Δt·r` (0 without CPU rows).
  public var cpuSlackPercent: Double { percent(cpuSlack, cpuRequested) }
  /// Memory slack, percent, as for CPU (0 without memory rows).
  public var memorySlackPercent: Double { percent(memorySlack, memoryRequested) }
  /// CPU usage above the request, percent of usage: `100 × Σ Δt·(u − r)⁺ / Σ Δt·u`.
  public var insufficientCpuPercent: Double { percent(cpuShort, cpuUsed) }
  /// The time-weighted mean CPU request, millicores (0 without CPU rows).
  public var meanCpuRequestMillicores: Double {
    cpuSeconds > 0 ? cpuRequested / cpuSeconds : 0
  }
  /// The time-weighted mean CPU usage, millicores (0 without CPU rows).
  public var meanCpuUsageMillicores: Double { cpuSeconds > 0 ? cpuUsed / cpuSeconds : 0 }
  /// The time-weighted mean memory request, bytes (0 without memory rows).
  public var meanMemoryRequestBytes: Double {
    memorySeconds > 0 ? memoryRequested / memorySeconds : 0
  }

  /// The scores of the rows added so far (all zero before any row).
  public var objectives: VerticalObjectives {
    var shares: [Double] = []
    if cpuRequested > 0 { shares.append(cpuSlackPercent) }
    if memoryRequested > 0 { shares.append(memorySlackPercent) }
    let slack = shares.isEmpty ? 0 : shares.reduce(0, +) / Double(shares.count)
    return VerticalObjectives(
      slackPercent: slack, underRequestTimePercent: percent(underSeconds, tracedSeconds),
      oomKills: Double(oomKills), updates: Double(updates))
  }
}
