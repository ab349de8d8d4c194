import AutoscalingCore
import AutoscalingTraces
import Foundation
import Testing
import VerticalAutoscaling
import _AutoscalingTestSupport

@testable import AutoscalingReplay

/// Small vertical replays computed by hand: convergence of the target to percentile × margin,
/// the OOM bump, throttling, slack and insufficiency formulas, evictions only in the modes
/// that evict, determinism, bad input, and the real container traces.
@Suite("Vertical replay")
struct VerticalReplayTests {
  static let minute: Int64 = 60_000
  static let mebibyte = 1_048_576.0

  /// A constant series from 0 over `minutes` minutes, one sample per minute.
  static func constant(_ value: Double, minutes: Int, name: String = "usage") -> ReplaySeries {
    ReplaySeries(
      name: name, timestampsMilliseconds: (0..<Int64(minutes)).map { $0 * minute },
      values: Array(repeating: value, count: minutes))
  }

  static func container(
    cpuRequest: Int64? = nil, memoryRequest: Double? = nil, cpuLimit: Int64? = nil,
    memoryLimit: Double? = nil
  ) -> Container {
    var requests = ResourceList()
    var limits = ResourceList()
    if let cpuRequest { requests[.cpu] = Quantity(milliValue: cpuRequest) }
    if let memoryRequest { requests[.memory] = Quantity(Int64(memoryRequest)) }
    if let cpuLimit { limits[.cpu] = Quantity(milliValue: cpuLimit) }
    if let memoryLimit { limits[.memory] = Quantity(Int64(memoryLimit)) }
    return Container(name: "app", requests: requests, limits: limits)
  }

  static func vpa(_ mode: UpdateMode, minReplicas: Int? = nil) -> VerticalPodAutoscaler {
    VerticalPodAutoscaler(
      name: "app-vpa", updatePolicy: UpdatePolicy(updateMode: mode, minReplicas: minReplicas))
  }

  /// The end of the exponential bucket holding `value` (upstream histogram percentile of a
  /// single-valued histogram), computed from the bucket formula start_i = s·(r^i − 1)/(r − 1).
  static func bucketEnd(_ value: Double, first: Double, ratio: Double) -> Double {
    var index = 0.0
    while first * (pow(ratio, index + 1) - 1) / (ratio - 1) <= value { index += 1 }
    return first * (pow(ratio, index + 1) - 1) / (ratio - 1)
  }

  @Test("constant CPU: the target converges to the bucket end of the usage × (1 + margin)")
  func constantCPUConverges() throws {
    let replay = try VerticalReplay(
      vpa: Self.vpa(.off),
      containers: [
        VerticalContainerUsage(
          container: Self.container(cpuRequest: 1000), cpuCores: Self.constant(0.5, minutes: 120))
      ])
    var last: VerticalTimelineRow?
    let card = replay.run { last = $0 }
    let expected = Self.bucketEnd(0.5, first: 0.01, ratio: 1.05) * 1.15 * 1000
    let target = try #require(last?.targetCpuMillicores)
    #expect(abs(Double(target) - expected) <= 1)
    // Slack: request 1000m, usage 500m the whole time → 50 %; nothing above the request.
    #expect(abs(card.slackPercent - 50) < 1e-9)
    #expect(card.insufficientCpuPercent == 0)
    #expect(card.meanRequestCpuMillicores == 1000)
    #expect(card.evictions == 0 && card.oomKills == 0)
    #expect(card.recommendations == 120)
    #expect(card.samples == 120)
  }

  @Test("usage above the request: insufficient CPU by amount and by time")
  func insufficientCPU() throws {
    // 60 minutes at 1500m then 60 at 500m, request 1000m, no limit.
    let values = Array(repeating: 1.5, count: 60) + Array(repeating: 0.5, count: 60)
    let series = ReplaySeries(
      name: "cpu", timestampsMilliseconds: (0..<120).map { Int64($0) * Self.minute },
      values: values)
    let card = try VerticalReplay(
      vpa: Self.vpa(.off),
      containers: [
        VerticalContainerUsage(container: Self.container(cpuRequest: 1000), cpuCores: series)
      ]
    ).run()
    // Σ(u − r)⁺ = 60 × 500, Σu = 60 × 1500 + 60 × 500 → 25 %; half the time above → 50 %.
    #expect(abs(card.insufficientCpuPercent - 25) < 1e-9)
    #expect(abs(card.insufficientCpuTimePercent - 50) < 1e-9)
    // Σ(r − u)⁺ = 60 × 500, Σr = 120 × 1000 → 25 %.
    #expect(abs(card.slackPercent - 25) < 1e-9)
    #expect(abs(card.meanUsageCpuMillicores - 1000) < 1e-9)
  }

  @Test("CPU above the limit is throttled: the recommender sees the limit")
  func throttling() throws {
    var last: VerticalTimelineRow?
    let card = try VerticalReplay(
      vpa: Self.vpa(.off),
      containers: [
        VerticalContainerUsage(
          container: Self.container(cpuRequest: 500, cpuLimit: 1000),
          cpuCores: Self.constant(1.5, minutes: 60))
      ]
    ).run { last = $0 }
    #expect(abs(card.throttledCpuPercent - 100.0 / 3) < 1e-9)
    let expected = Self.bucketEnd(1.0, first: 0.01, ratio: 1.05) * 1.15 * 1000
    let target = try #require(last?.targetCpuMillicores)
    #expect(abs(Double(target) - expected) <= 1)
  }

  @Test("memory above the limit: OOM kill each step, memory bumped by upstream's rule")
  func oomBump() throws {
    let request = 256 * Self.mebibyte
    var last: VerticalTimelineRow?
    let card = try VerticalReplay(
      vpa: Self.vpa(.off),
      containers: [
        VerticalContainerUsage(
          container: Self.container(memoryRequest: request, memoryLimit: 512 * Self.mebibyte),
          memoryBytes: Self.constant(600 * Self.mebibyte, minutes: 10))
      ]
    ).run { last = $0 }
    #expect(card.oomKills == 10)
    #expect(last?.oomKills == 1)
    // Upstream: peak = max(request + 100 MiB, request × 1.2) = 356 MiB (usage is not seen).
    let peak = max(request + 100 * Self.mebibyte, request * 1.2)
    let expected = Self.bucketEnd(peak, first: 1e7, ratio: 1.05) * 1.15
    let target = try #require(last?.targetMemoryBytes)
    // Bucket starts are floating-point sums: allow a relative 1e-8 (a few bytes).
    #expect(abs(Double(target) - expected) <= expected * 1e-8)
    #expect(card.samples == 0)
  }

  @Test(
    "a request above the upper bound is changed only in modes that update, when it leaves the band",
    arguments: UpdateMode.allCases.filter { $0 != .inPlace })
  func evictionsByMode(mode: UpdateMode) throws {
    var vpa = Self.vpa(mode)
    vpa.resourcePolicy = PodResourcePolicy(containerPolicies: [
      ContainerResourcePolicy(containerName: "app", controlledResources: [.cpu])
    ])
    let replay = try VerticalReplay(
      vpa: vpa,
      containers: [
        VerticalContainerUsage(
          container: Self.container(cpuRequest: 2000), cpuCores: Self.constant(0.1, minutes: 300))
      ], replicas: 2)
    var firstChange: VerticalTimelineRow?
    var bandHeldBefore = true
    let card = replay.run { row in
      guard firstChange == nil else { return }
      if row.cpuRequestMillicores != 2000 {
        firstChange = row
      } else if let upper = row.upperBoundCpuMillicores, let lower = row.lowerBoundCpuMillicores,
        mode != .off && mode != .initial, !(lower <= 2000 && 2000 <= upper)
      {
        bandHeldBefore = false  // left the band but nothing happened
      }
    }
    switch mode {
    case .recreate, .auto:
      #expect(card.evictions >= 1)
      #expect(card.inPlaceResizes == 0)
    case .inPlaceOrRecreate:
      #expect(card.inPlaceResizes >= 1)
      #expect(card.evictions == 0)
    default:
      #expect(card.evictions == 0 && card.inPlaceResizes == 0)
      #expect(firstChange == nil)
    }
    #expect(bandHeldBefore)
    if let change = firstChange {
      // Upstream updates a pod whose request lies outside [lower, upper] at once: the upper
      // bound (P95 × 1.15 × (1 + 1/confidence)) falls below 2000m as samples accumulate. The
      // eviction tolerance (0.5 of 2 replicas) lets one pod go per updater run; it gets the
      // target through admission.
      let upper = try #require(change.upperBoundCpuMillicores)
      #expect(upper < 2000)
      #expect(change.timeMilliseconds > 0 && change.timeMilliseconds < 12 * 60 * Self.minute)
      let target = try #require(change.targetCpuMillicores)
      #expect(change.cpuRequestMillicores == (2000 + Double(target)) / 2)
      #expect(change.evictions + change.inPlaceResizes == 1)
    }
  }

  @Test("a request inside the band changes only after the 12 h pod lifetime (> 10 % off)")
  func lifetimeRule() throws {
    var vpa = Self.vpa(.recreate)
    vpa.resourcePolicy = PodResourcePolicy(containerPolicies: [
      ContainerResourcePolicy(containerName: "app", controlledResources: [.cpu])
    ])
    // Usage is 100m three minutes out of four and 1000m the fourth: P50 ≈ 100m, P90/P95 ≈
    // 1000m. A request of 300m stays inside [lower, upper] (lower ≤ 0.105 × 1.15 cores, upper ≥
    // target ≥ 1.15 cores) but is far (> 10 %) from the target.
    let values = (0..<1000).map { $0 % 4 == 3 ? 1.0 : 0.1 }
    let series = ReplaySeries(
      name: "cpu", timestampsMilliseconds: (0..<1000).map { Int64($0) * Self.minute },
      values: values)
    var firstChange: VerticalTimelineRow?
    _ = try VerticalReplay(
      vpa: vpa,
      containers: [
        VerticalContainerUsage(container: Self.container(cpuRequest: 300), cpuCores: series)
      ], replicas: 2
    ).run { row in
      if firstChange == nil && row.cpuRequestMillicores != 300 { firstChange = row }
    }
    let change = try #require(firstChange)
    #expect(change.timeMilliseconds == 12 * 60 * Self.minute)
  }

  @Test("a single replica is evicted only when the VPA allows minReplicas 1")
  func singleReplicaNeedsMinReplicas() throws {
    func evictions(_ minReplicas: Int?) throws -> Int {
      try VerticalReplay(
        vpa: Self.vpa(.recreate, minReplicas: minReplicas),
        containers: [
          VerticalContainerUsage(
            container: Self.container(cpuRequest: 2000),
            cpuCores: Self.constant(0.1, minutes: 800))
        ]
      ).run().evictions
    }
    #expect(try evictions(nil) == 0)
    #expect(try evictions(1) >= 1)
  }

  @Test("same inputs, same scorecard and timeline")
  func deterministic() throws {
    var random = SplitMix64(seed: 7)
    let values = (0..<2000).map { _ in Double(random.next() % 4000) / 1000 }
    let memory = (0..<2000).map { _ in Double(200 + random.next() % 400) * Self.mebibyte }
    let times = (0..<2000).map { Int64($0) * Self.minute }
    let replay = try VerticalReplay(
      vpa: Self.vpa(.recreate),
      containers: [
        VerticalContainerUsage(
          container: Self.container(
            cpuRequest: 1000, memoryRequest: 300 * Self.mebibyte, cpuLimit: 3000,
            memoryLimit: 500 * Self.mebibyte),
          cpuCores: ReplaySeries(name: "cpu", timestampsMilliseconds: times, values: values),
          memoryBytes: ReplaySeries(name: "mem", timestampsMilliseconds: times, values: memory))
      ], replicas: 3)
    var first: [VerticalTimelineRow] = []
    var second: [VerticalTimelineRow] = []
    let a = replay.run { first.append($0) }
    let b = replay.run { second.append($0) }
    #expect(a == b)
    #expect(first == second)
    #expect(a == replay.run())
    #expect(a.oomKills > 0)
    #expect(first.count == replay.stepCount)
  }

  @Test("bad input is a clear error, never a trap")
  func badInput() throws {
    let container = Self.container(cpuRequest: 100)
    let negative = ReplaySeries(name: "cpu", timestampsMilliseconds: [0, 60_000], values: [1, -1])
    #expect(throws: ReplayError.invalidValue(series: "cpu", index: 1, value: -1)) {
      try VerticalReplay(
        vpa: Self.vpa(.off),
        containers: [VerticalContainerUsage(container: container, cpuCores: negative)])
    }
    let unordered = ReplaySeries(name: "cpu", timestampsMilliseconds: [60_000, 0], values: [1, 1])
    #expect(throws: ReplayError.timestampsNotIncreasing(series: "cpu", index: 1, milliseconds: 0)) {
      try VerticalReplay(
        vpa: Self.vpa(.off),
        containers: [VerticalContainerUsage(container: container, cpuCores: unordered)])
    }
    let nan = ReplaySeries(name: "cpu", timestampsMilliseconds: [0], values: [.nan])
    #expect(throws: ReplayError.self) {
      try VerticalReplay(
        vpa: Self.vpa(.off),
        containers: [VerticalContainerUsage(container: container, cpuCores: nan)])
    }
    let policy = PodResourcePolicy(containerPolicies: [
      ContainerResourcePolicy(
        containerName: "app", minAllowed: [.cpu: Quantity(milliValue: 500)],
        maxAllowed: [.cpu: Quantity(milliValue: 100)])
    ])
    do {
      _ = try VerticalReplay(
        vpa: VerticalPodAutoscaler(resourcePolicy: policy),
        containers: [
          VerticalContainerUsage(container: container, cpuCores: Self.constant(1, minutes: 2))
        ])
      Issue.record("min > max was accepted")
    } catch {
      guard case .invalidAutoscaler(let reason) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(reason.contains("app"))
    }
    #expect(throws: ReplayError.self) {
      try VerticalReplay(
        vpa: Self.vpa(.off), containers: [VerticalContainerUsage(container: container)])
    }
    #expect(throws: ReplayError.self) {
      try VerticalReplay(
        vpa: Self.vpa(.off),
        containers: [
          VerticalContainerUsage(container: container, cpuCores: Self.constant(1, minutes: 2))
        ],
        timing: VerticalReplayTiming(
          stepMilliseconds: 60_000, recommenderIntervalMilliseconds: 90_000))
    }
    // Huge but finite usage saturates instead of trapping.
    let huge = ReplaySeries(name: "cpu", timestampsMilliseconds: [0], values: [1e300])
    let card = try VerticalReplay(
      vpa: Self.vpa(.off),
      containers: [VerticalContainerUsage(container: container, cpuCores: huge)]
    ).run()
    #expect(card.samples == 1)
  }

  struct TraceCase: CustomTestStringConvertible, Sendable {
    var file: String
    var trace: PublicTrace
    var testDescription: String { file }
  }

  @Test(
    "the container traces of ../shared/traces replay without error (skipped when absent)",
    arguments: [
      TraceCase(
        file: "alibaba-2018-container-vasim/c_12104_cpu_usage.csv", trace: .vasimContainerCPU),
      TraceCase(
        file: "alibaba-2018-container-vasim/c_29247_cpu_usage.csv", trace: .vasimContainerCPU),
      TraceCase(file: "bitbrains-gwa-t-12/rnd_2013-7_vm1.csv", trace: .bitbrains),
      TraceCase(file: "bitbrains-gwa-t-12/rnd_2013-7_vm5.csv", trace: .bitbrains),
    ])
  func realTraces(testCase: TraceCase) throws {
    let path = Fixtures.sharedPath("traces/\(testCase.file)")
    guard FileManager.default.fileExists(atPath: path) else { return }
    let series = try PublicTraces.read(testCase.trace, path: path)
    var cpu: ReplaySeries
    var memory: ReplaySeries?
    switch testCase.trace {
    case .bitbrains:
      // CPU usage in MHz over the provisioned MHz per core → cores; memory KB → bytes.
      let mhz = try #require(series.values(of: "CPU usage [MHZ]"))
      let capacity = try #require(series.values(of: "CPU capacity provisioned [MHZ]"))
      let cores = try #require(series.values(of: "CPU cores"))
      let kilobytes = try #require(series.values(of: "Memory usage [KB]"))
      cpu = ReplaySeries(
        name: "cpu", timestampsMilliseconds: series.timestamps,
        values: mhz.indices.map {
          capacity[$0] > 0 ? mhz[$0] / (capacity[$0] / max(cores[$0], 1)) : 0
        })
      memory = ReplaySeries(
        name: "memory", timestampsMilliseconds: series.timestamps,
        values: kilobytes.map { $0 * 1024 })
    default:
      let column = try #require(series.columns.first)
      cpu = ReplaySeries(
        name: column.name, timestampsMilliseconds: series.timestamps, values: column.values)
    }
    let replay = try VerticalReplay(
      vpa: Self.vpa(.recreate, minReplicas: 1),
      containers: [
        VerticalContainerUsage(
          container: Self.container(
            cpuRequest: 1000, memoryRequest: memory == nil ? nil : 512 * Self.mebibyte,
            memoryLimit: memory == nil ? nil : 1024 * Self.mebibyte),
          cpuCores: cpu, memoryBytes: memory)
      ],
      timing: VerticalReplayTiming(
        stepMilliseconds: testCase.trace == .bitbrains ? 300_000 : 60_000,
        recommenderIntervalMilliseconds: testCase.trace == .bitbrains ? 300_000 : 60_000,
        updaterIntervalMilliseconds: testCase.trace == .bitbrains ? 300_000 : 60_000))
    let card = replay.run()
    #expect(card == replay.run())
    #expect(card.slackPercent >= 0 && card.slackPercent <= 100)
    #expect(card.insufficientCpuPercent >= 0 && card.insufficientCpuPercent <= 100)
    #expect(card.recommendations == replay.stepCount)
    #expect(card.meanRequestCpuMillicores > 0)
  }
}
