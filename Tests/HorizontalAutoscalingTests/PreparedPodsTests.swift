import AutoscalingCore
import HorizontalAutoscaling
import Testing
import _AutoscalingTestSupport

/// The prepared per-pod table must give the requests `podRequest` computes pod by pod.
@Suite("Prepared pods")
struct PreparedPodsTests {
  let now = Instant.seconds(1_000_000)

  /// A random request value in milli-units, or `nil` (about one in eight).
  func randomRequest(_ rng: inout SplitMix64) -> Int64? {
    rng.next() % 8 == 0 ? nil : Int64(1 + rng.next() % 4000)
  }

  /// A ready, long-started pod with random containers (regular, init, sidecar) and, at
  /// random, pod-level requests.
  func randomPod(_ index: Int, _ rng: inout SplitMix64) -> PodObservation {
    let roles: [ContainerRole] = [.regular, .initContainer, .sidecar]
    var containers = [
      ContainerRequests(
        name: "main",
        requests: ResourceRequests(
          cpuMilli: randomRequest(&rng), memoryMilli: randomRequest(&rng)))
    ]
    for extra in 0..<Int(rng.next() % 3) {
      containers.append(
        ContainerRequests(
          name: "c\(extra)", role: roles[Int(rng.next() % 3)],
          requests: ResourceRequests(
            cpuMilli: randomRequest(&rng), memoryMilli: randomRequest(&rng))))
    }
    var podLevel: ResourceRequests? = nil
    switch rng.next() % 4 {
    case 0:
      podLevel = ResourceRequests(cpuMilli: randomRequest(&rng), memoryMilli: randomRequest(&rng))
    case 1: podLevel = ResourceRequests()  // set but empty: containers count
    default: break
    }
    return PodObservation(
      name: "pod-\(index)", phase: .running,
      readyCondition: PodReadyCondition(status: .ready, lastTransitionTime: now - .seconds(3000)),
      startTime: now - .seconds(3600), containers: containers, podLevelRequests: podLevel)
  }

  @Test(
    "whole-pod cpu and memory utilization equal the sums of podRequest, or its first error",
    arguments: [false, true])
  func requestsMatchPodRequest(podLevelResources: Bool) {
    var rng = SplitMix64(seed: podLevelResources ? 0x5eed_0001 : 0x5eed_0002)
    let calculator = ReplicaCalculator(podLevelResources: podLevelResources)
    var successes = 0
    var failures = 0
    for _ in 0..<1500 {
      let pods = (0..<Int(1 + rng.next() % 6)).map { randomPod($0, &rng) }
      let usage = pods.map { _ in Int64(rng.next() % 3000) }
      let metrics = PodMetrics(
        samples: usage.map {
          PodMetricSample(valueMilli: $0, timestamp: now - .seconds(10), window: .seconds(30))
        })
      let prepared = PreparedPods(pods)
      for resource in [ResourceName.cpu, .memory] {
        // Expected by hand: every pod is ready, so utilization = Σ usage × 100 / Σ requests.
        var firstError: ReplicaCalculationError? = nil
        var requestTotal: Int64 = 0
        for pod in pods {
          do {
            requestTotal += try calculator.podRequest(pod, resource: resource)
          } catch {
            if firstError == nil { firstError = error }
          }
        }
        let usageTotal = usage.reduce(0, +)
        for result in [
          Result { () throws(ReplicaCalculationError) -> ReplicaProposal in
            try calculator.resourceReplicas(
              currentReplicas: pods.count, targetUtilization: 50, resource: resource,
              pods: prepared, metrics: metrics, at: now)
          },
          Result { () throws(ReplicaCalculationError) -> ReplicaProposal in
            try calculator.resourceReplicas(
              currentReplicas: pods.count, targetUtilization: 50, resource: resource, pods: pods,
              metrics: metrics, at: now)
          },
        ] {
          switch result {
          case .success(let proposal):
            successes += 1
            #expect(firstError == nil)
            #expect(requestTotal > 0)
            if requestTotal > 0 {
              #expect(proposal.utilization == Int(usageTotal * 100 / requestTotal))
            }
            #expect(proposal.usageMilli == usageTotal / Int64(pods.count))
          case .failure(let error):
            failures += 1
            if let firstError {
              #expect(error == firstError)
            } else {
              #expect(requestTotal == 0)
              #expect(error == .noMetricsMatchedKnownPods)
            }
          }
        }
      }
      #expect(prepared == PreparedPods(pods))
      #expect(prepared.count == pods.count)
    }
    // Both outcomes are exercised many times.
    #expect(successes > 500)
    #expect(failures > 500)
  }
}
