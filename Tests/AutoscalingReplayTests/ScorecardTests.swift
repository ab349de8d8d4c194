import Foundation
import Testing

@testable import AutoscalingReplay

@Suite("Scorecard accumulation")
struct ScorecardTests {
  /// Ten 15-s steps, capacity 100 per pod. Required replicas d = ⌈D/100⌉, supply s = ready:
  ///
  ///     step   0    1    2    3    4    5    6    7    8    9
  ///     D    150  150  350  350  350  350  120  120  120   50
  ///     d      2    2    4    4    4    4    2    2    2    1
  ///     s      2    2    2    3    4    4    4    4    2    2
  ///     n      2    2    4    4    4    4    4    4    2    2
  ///
  /// Under-provisioned at steps 2, 3 (one episode of 2 steps = 30 s): τU = 30/150 = 0.2;
  /// θU = (2/4 + 1/4)·15/150 = 0.075. Over-provisioned at 6, 7 (4 vs 2: +1 each) and 9 (2 vs 1:
  /// +1): τO = 45/150 = 0.3; θO = (1 + 1 + 1)·15/150 = 0.3. Unserved: step 2 350−200 = 150,
  /// step 3 350−300 = 50 → (150 + 50)·15 = 3000. Replica-seconds: (2+2+4·6+2+2)·15 = 32·15 = 480,
  /// mean 480/150 = 3.2, max 4. Supply changes: 2→3, 3→4, 4→2 = 3; demand changes: 2→4, 4→2, 2→1 = 3;
  /// jitter = 0. Episodes: one of 30 s → p50 = p95 = 30.
  @Test func handComputedTenSteps() {
    var accumulator = ScorecardAccumulator(capacityPerPod: 100, stepMilliseconds: 15_000)
    let demand: [Double] = [150, 150, 350, 350, 350, 350, 120, 120, 120, 50]
    let ready = [2, 2, 2, 3, 4, 4, 4, 4, 2, 2]
    let replicas = [2, 2, 4, 4, 4, 4, 4, 4, 2, 2]
    for index in demand.indices {
      accumulator.record(
        demand: demand[index], ready: ready[index], replicas: replicas[index], pending: 0)
    }
    accumulator.recordRescale(from: 2, to: 4)
    accumulator.recordRescale(from: 4, to: 4)
    accumulator.recordRescale(from: 4, to: 2)
    let card = accumulator.scorecard()
    #expect(card.underProvisionedTimeShare == 0.2)
    #expect(abs(card.underProvisioningAccuracy - 0.075) < 1e-12)
    #expect(abs(card.overProvisionedTimeShare - 0.3) < 1e-12)
    #expect(abs(card.overProvisioningAccuracy - 0.3) < 1e-12)
    #expect(card.unservedDemand == 3000)
    #expect(card.replicaSeconds == 480)
    #expect(abs(card.meanReplicas - 3.2) < 1e-12)
    #expect(card.maxReplicas == 4)
    #expect(card.scalingActions == 2)
    #expect(card.directionReversals == 1)
    // 2 actions in 150 s = 48 per hour.
    #expect(abs(card.scalingActionsPerHour - 48) < 1e-9)
    #expect(card.jitter == 0)
    #expect(card.timeToScaleP50Seconds == 30)
    #expect(card.timeToScaleP95Seconds == 30)
    #expect(card.pendingPodSeconds == 0)
  }

  /// Episodes of 1, 1, 2, 5 and 3 steps (the last one still open at the end): sorted lengths
  /// 15, 15, 30, 45, 75 s. Every step has one pending pod: 16 × 15 = 240 pod-seconds. Nearest rank: p50 → rank ⌈2.5⌉ = 3 → 30 s; p95 → rank ⌈4.75⌉ = 5 →
  /// 75 s.
  @Test func nearestRankPercentilesCountOpenEpisode() {
    var accumulator = ScorecardAccumulator(capacityPerPod: 1, stepMilliseconds: 15_000)
    let pattern = [1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1]
    for short in pattern {
      accumulator.record(demand: Double(1 + short), ready: 1, replicas: 1, pending: 1)
    }
    let card = accumulator.scorecard()
    #expect(card.timeToScaleP50Seconds == 30)
    #expect(card.timeToScaleP95Seconds == 75)
    #expect(card.pendingPodSeconds == 16 * 15)
  }

  @Test func jsonKeysAreStable() throws {
    let data = try JSONEncoder().encode(Scorecard())
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "underProvisionedTimeShare", "underProvisioningAccuracy", "overProvisionedTimeShare",
        "overProvisioningAccuracy", "unservedDemand", "replicaSeconds", "meanReplicas",
        "maxReplicas", "scalingActions", "scalingActionsPerHour", "directionReversals", "jitter",
        "timeToScaleP50Seconds", "timeToScaleP95Seconds", "pendingPodSeconds",
      ])
  }
}
