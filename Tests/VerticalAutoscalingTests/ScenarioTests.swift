import AutoscalingCore
import Foundation
import Testing
import _AutoscalingTestSupport
import VerticalAutoscaling

/// Replay-shaped scenarios: samples every minute, a recommendation, an updater pass. Expected
/// values are worked out by hand from the bucket formula (start_i = f·(1.05^i − 1)/0.05).
@Suite struct ScenarioTests {
  static let start = Instant.seconds(1_700_006_400)

  /// The upper edge of the bucket holding `value` in the recommender's schemes.
  static func upperEdge(of value: Double, firstBucket: Double) -> Double {
    let index = (Foundation.log(value * 0.05 / firstBucket + 1) / Foundation.log(1.05)).rounded(
      .down)
    return firstBucket * (Foundation.pow(1.05, index + 1) - 1) / 0.05
  }

  static func steadyRecommender(days: Int = 2) throws -> VerticalRecommender {
    var recommender = try VerticalRecommender()
    for minute in 0..<(days * 1440) {
      let time = start + .seconds(60 * Int64(minute))
      #expect(
        recommender.addSample(.cpu(millicores: 500, at: time), pod: "web-1", container: "app")
          == .accepted)
      #expect(
        recommender.addSample(.memory(bytes: 400 << 20, at: time), pod: "web-1", container: "app")
          == .accepted)
    }
    return recommender
  }

  @Test func steadyUsageRecommendation() throws {
    let recommender = try Self.steadyRecommender()
    let now = Self.start + .seconds(2 * 86_400)
    let recommendation = recommender.recommendation(
      for: VerticalPodAutoscaler(name: "web"), at: now)
    #expect(recommendation.map(\.containerName) == ["app"])
    let app = try #require(recommendation.first)
    // CPU: 0.5 cores lies in bucket 25 (upper edge ≈ 0.5111 cores = 511 m); margin 15 % → +76 m.
    let cpuEdge = Int64(Self.upperEdge(of: 0.5, firstBucket: 0.01) * 1000)
    #expect(cpuEdge == 511)
    let cpuTarget = cpuEdge + Int64(Double(cpuEdge) * 0.15)
    #expect(app.target[.cpu] == Quantity(milliValue: cpuTarget))
    // Memory: 400 MiB lies in bucket 23 (upper edge ≈ 445.0 MB); same margin (above the
    // 250 MiB pod minimum).
    let memoryEdge = Int64(Self.upperEdge(of: Double(400 << 20), firstBucket: 1e7))
    let memoryTarget = memoryEdge + Int64(Double(memoryEdge) * 0.15)
    #expect(app.target[.memory]?.value == memoryTarget)
    // Confidence: min(2879 min / 1 day, 2880 samples / 1440) = 2879/1440.
    let confidence = 2879.0 / 1440
    let upperCPU = Int64(Double(cpuTarget) * (1 + 1 / confidence))
    #expect(app.upperBound[.cpu] == Quantity(milliValue: upperCPU))
    let lowerCPU = Int64(Double(cpuTarget) * Foundation.pow(1 + 0.001 / confidence, -2))
    #expect(app.lowerBound[.cpu] == Quantity(milliValue: lowerCPU))
    #expect(app.uncappedTarget == app.target)
  }

  @Test func outOfMemoryRaisesTheMemoryTarget() throws {
    var recommender = try Self.steadyRecommender()
    let now = Self.start + .seconds(2 * 86_400)
    let before = recommender.recommendation(for: VerticalPodAutoscaler(), at: now)
    // used = max(request 100 MiB, peak 400 MiB) = 400 MiB; bump max(500 MiB, 480 MiB).
    try recommender.recordOOM(
      pod: "web-1", container: "app", at: now - .seconds(60), requestedMemoryBytes: 100 << 20)
    let after = recommender.recommendation(for: VerticalPodAutoscaler(), at: now)
    let edge = Int64(Self.upperEdge(of: Double(500 << 20), firstBucket: 1e7))
    #expect(after.first?.target[.memory]?.value == edge + Int64(Double(edge) * 0.15))
    #expect((after.first?.target[.memory] ?? .zero) > (before.first?.target[.memory] ?? .zero))
    // An OOM from before the last window is stale.
    #expect(throws: VerticalAutoscalingError.self) {
      try recommender.recordOOM(
        pod: "web-1", container: "app", at: Self.start - .seconds(3 * 86_400),
        requestedMemoryBytes: 1)
    }
  }

  @Test func badSamplesAreDiscarded() throws {
    var recommender = try VerticalRecommender()
    let t = Self.start
    #expect(
      recommender.addSample(.cpu(millicores: -1, at: t), pod: "p", container: "c")
        == .rejectedNegativeUsage)
    #expect(
      recommender.addSample(.cpu(millicores: 10, at: t), pod: "p", container: "c") == .accepted)
    #expect(
      recommender.addSample(.cpu(millicores: 10, at: t), pod: "p", container: "c")
        == .rejectedOutOfOrder)
    #expect(
      recommender.addSample(.cpu(millicores: 10, at: t - .seconds(1)), pod: "p", container: "c")
        == .rejectedOutOfOrder)
    #expect(recommender.addSample(.memory(bytes: 10, at: t), pod: "p", container: "c") == .accepted)
    #expect(recommender.addSample(.memory(bytes: 20, at: t), pod: "p", container: "c") == .accepted)
    #expect(
      recommender.addSample(.memory(bytes: 5, at: t - .seconds(1)), pod: "p", container: "c")
        == .rejectedOutOfOrder)
    #expect(recommender.aggregates["c"]?.totalSamplesCount == 1)
    var flags = RecommenderConfiguration()
    flags.targetCPUPercentile = 1.5
    #expect(throws: VerticalAutoscalingError.self) { try VerticalRecommender(configuration: flags) }
    flags = RecommenderConfiguration()
    flags.aggregation.oomBumpUpRatio = .nan
    #expect(throws: VerticalAutoscalingError.self) { try VerticalRecommender(configuration: flags) }
  }

  @Test func policyModesAndControlledResources() throws {
    var recommender = try Self.steadyRecommender(days: 1)
    recommender.addSample(.cpu(millicores: 100, at: Self.start), pod: "web-1", container: "sidecar")
    let vpa = VerticalPodAutoscaler(
      resourcePolicy: PodResourcePolicy(containerPolicies: [
        ContainerResourcePolicy(containerName: "sidecar", mode: .off),
        ContainerResourcePolicy(
          containerName: "*", maxAllowed: [.cpu: Quantity(milliValue: 200)],
          controlledResources: [.cpu]),
      ]))
    let recommendation = recommender.recommendation(for: vpa, at: Self.start + .seconds(86_400))
    #expect(recommendation.map(\.containerName) == ["app"])
    #expect(recommendation.first?.target == [.cpu: Quantity(milliValue: 200)])
    #expect(recommendation.first?.uncappedTarget[.cpu] != Quantity(milliValue: 200))
  }

  static func pods(requestMillicores: Int64, requestBytes: Int64 = 100 << 20, start: Instant)
    -> [VPAPod]
  {
    (1...2).map { index in
      VPAPod(
        name: "web-\(index)",
        containers: [
          PodContainer(
            name: "app",
            requests: [
              .cpu: Quantity(milliValue: requestMillicores), .memory: Quantity(requestBytes),
            ])
        ], startTime: start, controller: "web")
    }
  }

  @Test func updaterEvictsWithinTheBudget() throws {
    let recommender = try Self.steadyRecommender()
    let now = Self.start + .seconds(2 * 86_400)
    var vpa = VerticalPodAutoscaler(name: "web", updatePolicy: UpdatePolicy(updateMode: .recreate))
    vpa.recommendation = recommender.recommendation(for: vpa, at: now)
    let pods = Self.pods(requestMillicores: 100, start: Self.start)
    let decision = Updater().decide(vpa: vpa, pods: pods, configuredReplicas: ["web": 2], at: now)
    // Requests 100 m are below the lower bound: both qualify; tolerance trunc(2 × 0.5) = 1
    // lets one go now.
    #expect(decision.updates.map(\.podName) == ["web-1"])
    #expect(decision.updates.first?.action == .evict)
    #expect(decision.deferredPods == ["web-2"])
    #expect(decision.updates.first?.priority.outsideRecommendedRange == true)
    #expect(decision.updates.first?.priority.scaleUp == true)

    for mode in [UpdateMode.off, .initial, .inPlace] {
      vpa.updatePolicy.updateMode = mode
      #expect(
        Updater().decide(vpa: vpa, pods: pods, configuredReplicas: ["web": 2], at: now).updates
          .isEmpty)
    }
    vpa.updatePolicy.updateMode = .inPlaceOrRecreate
    #expect(
      Updater().decide(vpa: vpa, pods: pods, configuredReplicas: ["web": 2], at: now).updates.map(
        \.action)
        == [.resizeInPlace])
    // A single replica is below --min-replicas (2): nothing is evicted.
    vpa.updatePolicy.updateMode = nil
    #expect(Updater().decide(vpa: vpa, pods: [pods[0]], at: now).updates.isEmpty)
  }

  @Test func inRangeYoungPodsWaitTwelveHours() throws {
    let recommender = try Self.steadyRecommender()
    let now = Self.start + .seconds(2 * 86_400)
    var vpa = VerticalPodAutoscaler(name: "web")
    vpa.recommendation = recommender.recommendation(for: vpa, at: now)
    let target = try #require(vpa.recommendation?.first?.target)
    // Requests 30 % above the target lie inside [lower ≈ 0.999·target, upper = 1.5·target]
    // and differ by 0.3/1.3 ≥ 10 % per resource.
    let cpu = try #require(target[.cpu]?.milliValue) * 13 / 10
    let memory = try #require(target[.memory]?.value) * 13 / 10
    let young = Self.pods(
      requestMillicores: cpu, requestBytes: memory, start: now - .seconds(11 * 3600))
    let old = Self.pods(
      requestMillicores: cpu, requestBytes: memory, start: now - .seconds(13 * 3600))
    let updater = Updater()
    #expect(
      updater.decide(vpa: vpa, pods: young, configuredReplicas: ["web": 2], at: now).updates.isEmpty
    )
    #expect(
      updater.decide(vpa: vpa, pods: old, configuredReplicas: ["web": 2], at: now).updates.count
        == 1)
    // A quick OOM (killed after 2 minutes) overrides the lifetime rule.
    var oomed = young
    oomed[0].containerStatuses = [
      ContainerStatus(
        name: "app",
        lastTermination: ContainerTermination(
          reason: "OOMKilled", startedAt: now - .seconds(300), finishedAt: now - .seconds(180)))
    ]
    #expect(
      updater.decide(vpa: vpa, pods: oomed, configuredReplicas: ["web": 2], at: now).updates.map(
        \.podName)
        == ["web-1"])
  }

  @Test func evictionToleranceRoundingToZeroAllowsOne() throws {
    let pods = (1...3).map { VPAPod(name: "p\($0)", containers: [], controller: "rs") }
    var restriction = EvictionRestriction(
      pods: pods, configuredReplicas: ["rs": 3], evictionTolerance: 0.1)
    #expect(restriction.canEvict(pods[0]))
    try restriction.evict(pods[0])
    #expect(!restriction.canEvict(pods[1]))
    #expect(throws: VerticalAutoscalingError.evictionBudgetExceeded(pod: "p2")) {
      try restriction.evict(pods[1])
    }
    let orphan = VPAPod(name: "orphan", containers: [])
    #expect(throws: VerticalAutoscalingError.podNotEvictable(pod: "orphan")) {
      try restriction.evict(orphan)
    }
  }

  @Test func checkpointRestoresTheRecommendation() throws {
    let recommender = try Self.steadyRecommender()
    let now = Self.start + .seconds(2 * 86_400)
    let status = try #require(recommender.checkpoint(container: "app", at: now))
    var restored = try VerticalRecommender()
    try restored.load(status, container: "app", at: now)
    let vpa = VerticalPodAutoscaler()
    // The ongoing window's peak is left out of the checkpoint (upstream's writer does this),
    // so CPU matches exactly and memory keeps the completed window's peak.
    #expect(
      restored.recommendation(for: vpa, at: now).first?.target[.cpu]
        == recommender.recommendation(for: vpa, at: now).first?.target[.cpu])
    #expect(restored.recommendation(for: vpa, at: now).first?.target[.memory] != nil)
  }
}

@Suite struct AdmissionTests {
  // Hand calculation: limit/request 2:1 is kept; target 300 m → limit 600 m; memory request
  // equals its limit, so the limit follows the target.
  @Test func admissionWritesRequestsAndProportionalLimits() {
    let pod = VPAPod(
      name: "web-3",
      containers: [
        PodContainer(
          name: "app", requests: [.cpu: Quantity(milliValue: 100), .memory: Quantity(100 << 20)],
          limits: [.cpu: Quantity(milliValue: 200), .memory: Quantity(100 << 20)])
      ])
    var vpa = VerticalPodAutoscaler(
      recommendation: [
        RecommendedContainerResources(
          containerName: "app",
          target: [.cpu: Quantity(milliValue: 300), .memory: Quantity(300 << 20)])
      ])
    let admitted = Admission.admitted(pod, vpa: vpa)
    #expect(admitted.containers[0].resources.requests[.cpu] == Quantity(milliValue: 300))
    #expect(admitted.containers[0].resources.limits[.cpu] == Quantity(milliValue: 600))
    #expect(admitted.containers[0].resources.limits[.memory] == Quantity(300 << 20))
    vpa.resourcePolicy = PodResourcePolicy(containerPolicies: [
      ContainerResourcePolicy(containerName: "*", controlledValues: .requestsOnly)
    ])
    #expect(
      Admission.admitted(pod, vpa: vpa).containers[0].resources.limits[.cpu]
        == Quantity(milliValue: 200))
    vpa.updatePolicy.updateMode = .off
    #expect(Admission.admitted(pod, vpa: vpa) == pod)
  }
}
