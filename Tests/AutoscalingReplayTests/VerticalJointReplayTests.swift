import AutoscalingCore
import HorizontalAutoscaling
import Testing
import VerticalAutoscaling

@testable import AutoscalingReplay

/// HPA on CPU utilization and VPA on CPU requests together (autoscaler#6060): with the VPA
/// off the HPA settles where hand calculation says; with the VPA updating, each lower request
/// raises utilization and the HPA scales out again.
@Suite("Joint HPA + VPA replay")
struct VerticalJointReplayTests {
  /// 1,000 requests/s for five days, 1 millicore per request/s (1 core in total), CPU request
  /// 500m, HPA target 50 % utilization, 2…20 replicas.
  static func horizontal() throws -> Replay {
    let day: Int64 = 86_400_000
    let spec = try HorizontalPodAutoscalerSpec(
      metrics: [.resource(.cpu, target: .utilization(50))], minReplicas: 2, maxReplicas: 20)
    let workload = WorkloadModel(
      podTemplate: PodTemplate(containers: [
        Container(name: "app", requests: [.cpu: Quantity(milliValue: 500)])
      ]),
      capacityPerPod: 1_000_000,
      usage: [ResourceUsageModel(resource: .cpu, base: 0, perUnitOfDemand: 0.001)],
      initialReplicas: 2)
    return try Replay(
      autoscaler: spec, workload: workload,
      demand: ReplaySeries(
        name: "rps", timestampsMilliseconds: [0, 5 * day], values: [1000, 1000]),
      endMilliseconds: 5 * day)
  }

  @Test("VPA off: the HPA settles at ⌈1 core / (50 % × 500m)⌉ = 4 replicas, requests unchanged")
  func vpaOff() throws {
    let joint = try JointReplay(
      horizontal: Self.horizontal(),
      vpa: VerticalPodAutoscaler(updatePolicy: UpdatePolicy(updateMode: .off)))
    var last: JointEpoch?
    let card = try joint.run { last = $0 }
    #expect(card.requestChanges == 0)
    #expect(last?.finalReplicas == 4)
    #expect(card.finalRequestCpuMillicores == 500)
    #expect(card.epochs == 120)
    // 4 pods × 500m reserved for 250m of use each: slack 50 % once settled.
    #expect(card.slackPercent > 45 && card.slackPercent < 55)
  }

  @Test("VPA Recreate: lower requests raise utilization and the HPA scales out further")
  func feedbackLoop() throws {
    let off = try JointReplay(
      horizontal: Self.horizontal(),
      vpa: VerticalPodAutoscaler(updatePolicy: UpdatePolicy(updateMode: .off))
    ).run()
    var epochs: [JointEpoch] = []
    let on = try JointReplay(
      horizontal: Self.horizontal(),
      vpa: VerticalPodAutoscaler(updatePolicy: UpdatePolicy(updateMode: .recreate))
    ).run { epochs.append($0) }
    #expect(on.requestChanges >= 1)
    #expect(on.finalRequestCpuMillicores < 500)
    #expect(on.maxReplicas > off.maxReplicas)
    // After every request change the HPA wants more replicas than before it (never fewer):
    // usage per pod × 1.15 margin as the request puts utilization near 87 % > 50 %.
    for (index, epoch) in epochs.enumerated().dropFirst() where epochs[index - 1].requestsChanged {
      #expect(epoch.finalReplicas >= epochs[index - 1].finalReplicas)
      #expect(epoch.cpuRequestMillicores < epochs[index - 1].cpuRequestMillicores)
    }
    // Determinism.
    #expect(
      try JointReplay(
        horizontal: Self.horizontal(),
        vpa: VerticalPodAutoscaler(updatePolicy: UpdatePolicy(updateMode: .recreate))
      ).run() == on)
  }

  @Test("an epoch that is not a multiple of the step is rejected")
  func badEpoch() throws {
    #expect(throws: ReplayError.self) {
      try JointReplay(
        horizontal: Self.horizontal(), vpa: VerticalPodAutoscaler(), epochMilliseconds: 10_000)
    }
  }
}
