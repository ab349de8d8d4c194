import AutoscalingCore
import HorizontalAutoscaling
import Testing
import _AutoscalingTestSupport

/// The history's stabilization against a plain model of upstream's loops, over random
/// sequences of passes: time that stalls, jumps and goes back, windows that change (including
/// negative and overflowing ones), callers that edit the stored entries, and legacy passes in
/// between. Any faster bookkeeping of the window bounds must keep these passing.
@Suite("RecommendationHistory stabilization")
struct RecommendationHistoryPropertyTests {
  /// Upstream `stabilizeRecommendationWithBehaviors` written as the plain loop: both bounds
  /// over every entry strictly newer than its cutoff, the last entry older than both cutoffs
  /// overwritten (else an append), `current` clamped into the bounds.
  struct Model {
    var entries: [Recommendation] = []

    mutating func stabilize(current: Int, desired: Int, up: Int64, down: Int64, now: Int64)
      -> (Int, ConditionReason)
    {
      let upCutoff = now &- up
      let downCutoff = now &- down
      var lowest = desired
      var highest = desired
      var reuse: Int? = nil
      for (position, entry) in entries.enumerated() {
        let t = entry.timestamp.millisecondsSinceEpoch
        if t > upCutoff && entry.replicas < lowest { lowest = entry.replicas }
        if t > downCutoff && entry.replicas > highest { highest = entry.replicas }
        if t < upCutoff && t < downCutoff { reuse = position }
      }
      let record = Recommendation(
        replicas: desired, timestamp: Instant(millisecondsSinceEpoch: now))
      if let reuse { entries[reuse] = record } else { entries.append(record) }
      let result = min(max(current, lowest), highest)
      return (result, desired >= current ? .scaleUpStabilized : .scaleDownStabilized)
    }

    /// Upstream `stabilizeRecommendation` (legacy): an entry exactly `window` old counts.
    mutating func stabilizeLegacy(_ proposal: Int, window: Int64, now: Int64) -> Int {
      let cutoff = now &- window
      var highest = proposal
      var reuse: Int? = nil
      for (position, entry) in entries.enumerated() {
        if entry.timestamp.millisecondsSinceEpoch < cutoff {
          reuse = position
        } else {
          highest = max(highest, entry.replicas)
        }
      }
      let record = Recommendation(
        replicas: proposal, timestamp: Instant(millisecondsSinceEpoch: now))
      if let reuse { entries[reuse] = record } else { entries.append(record) }
      return highest
    }
  }

  static let windows: [Int64] = [0, 1, 15_000, 30_000, 60_000, 120_000, 300_000, 3_600_000]

  func window(_ rng: inout SplitMix64) -> Int64 {
    switch Int.random(in: 0..<40, using: &rng) {
    case 0: return -Int64.random(in: 1...60_000, using: &rng)
    case 1: return Int64.max
    case 2...5: return Int64.random(in: 0...400_000, using: &rng)
    default: return Self.windows.randomElement(using: &rng) ?? 0
    }
  }

  @Test(
    "behavior-path stabilization equals the plain scan (bounds, reused entry, stored history)",
    arguments: 0..<8)
  func matchesScan(batch: Int) {
    var mismatches = 0
    var behaviorPasses = 0
    for seed in UInt64(batch * 500)..<UInt64(batch * 500 + 500) {
      var rng = SplitMix64(seed: seed &* 7919 &+ 13)
      var model = Model()
      var history = RecommendationHistory()
      var now = Int64.random(in: -1_000_000...2_000_000_000_000, using: &rng)
      if Int.random(in: 0..<50, using: &rng) == 0 { now = Int64.min + 10_000 }
      var up = window(&rng)
      var down = window(&rng)
      let maxReplicas = [3, 10, 40].randomElement(using: &rng) ?? 10
      for step in 0..<Int.random(in: 20...160, using: &rng) {
        // Time mostly moves forward one sync; sometimes it stalls, jumps or goes back.
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<70: now &+= 15_000
        case 70..<78: break
        case 78..<88: now &+= Int64.random(in: 1...700_000, using: &rng)
        case 88..<93: now &-= Int64.random(in: 1...200_000, using: &rng)
        default: now &+= Int64.random(in: 1...20_000, using: &rng)
        }
        if Int.random(in: 0..<30, using: &rng) == 0 { up = window(&rng) }
        if Int.random(in: 0..<30, using: &rng) == 0 { down = window(&rng) }
        // Occasionally the caller edits the stored entries.
        if Int.random(in: 0..<60, using: &rng) == 0 {
          var edited = model.entries
          if !edited.isEmpty && Bool.random(using: &rng) {
            let position = Int.random(in: 0..<edited.count, using: &rng)
            edited[position].replicas = Int.random(in: 0...maxReplicas, using: &rng)
            edited[position].timestamp = Instant(
              millisecondsSinceEpoch: now &+ Int64.random(in: -400_000...30_000, using: &rng))
          } else {
            edited.append(
              Recommendation(
                replicas: Int.random(in: 0...maxReplicas, using: &rng),
                timestamp: Instant(
                  millisecondsSinceEpoch: now &+ Int64.random(in: -400_000...30_000, using: &rng))))
          }
          model.entries = edited
          history.entries = edited
        }
        let desired = Int.random(in: 0...maxReplicas, using: &rng)
        if Int.random(in: 0..<40, using: &rng) == 0 {
          let legacyWindow = Self.windows.randomElement(using: &rng) ?? 0
          let expected = model.stabilizeLegacy(desired, window: legacyWindow, now: now)
          let actual = history.stabilizeForScaleDown(
            desired, window: .milliseconds(legacyWindow),
            at: Instant(millisecondsSinceEpoch: now))
          if actual != expected || history.entries != model.entries {
            mismatches += 1
            Issue.record("seed \(seed) step \(step) (legacy): \(actual) ≠ \(expected)")
            break
          }
          continue
        }
        let current = Int.random(in: 0...maxReplicas, using: &rng)
        let expected = model.stabilize(
          current: current, desired: desired, up: up, down: down, now: now)
        let actual = history.stabilize(
          current: current, desired: desired, scaleUpWindow: .milliseconds(up),
          scaleDownWindow: .milliseconds(down), at: Instant(millisecondsSinceEpoch: now))
        if actual.replicas != expected.0 || actual.reason != expected.1
          || history.entries != model.entries
        {
          mismatches += 1
          Issue.record(
            "seed \(seed) step \(step): \(actual) ≠ \(expected) (up \(up) ms, down \(down) ms)")
          break
        }
        behaviorPasses += 1
      }
    }
    #expect(mismatches == 0)
    // Most passes are behavior passes (legacy ones are about one in 40).
    #expect(behaviorPasses > 500 * 20)
  }

  @Test("a long steady run at one sync per 15 s reuses entries and matches the scan")
  func steadyRun() {
    var rng = SplitMix64(seed: 2024)
    var model = Model()
    var history = RecommendationHistory()
    var now: Int64 = 1_700_000_000_000
    var appended = 0
    for _ in 0..<5_000 {
      now += 15_000
      let desired = Int.random(in: 1...30, using: &rng)
      let current = Int.random(in: 1...30, using: &rng)
      let before = model.entries.count
      let expected = model.stabilize(
        current: current, desired: desired, up: 60_000, down: 300_000, now: now)
      if model.entries.count > before { appended += 1 }
      let actual = history.stabilize(
        current: current, desired: desired, scaleUpWindow: .seconds(60),
        scaleDownWindow: .seconds(300), at: Instant(millisecondsSinceEpoch: now))
      #expect(actual.replicas == expected.0 && actual.reason == expected.1)
    }
    #expect(history.entries == model.entries)
    // Entries are reused once older than 300 s: the ones of the last 300 s, 15 s apart, stay
    // (21 of them, the one exactly 300 s old included), so only the first 21 passes append.
    #expect(appended == 21)
  }

  @Test(
    "the default windows (up 0 s, down 300 s) over mostly regular syncs, with stalls, jumps, repeated instants and caller edits, match the scan",
    arguments: 0..<4)
  func defaultWindowsMatchScan(batch: Int) {
    var mismatches = 0
    for seed in UInt64(batch * 100)..<UInt64(batch * 100 + 100) {
      var rng = SplitMix64(seed: seed &* 104_729 &+ 7)
      var model = Model()
      var history = RecommendationHistory()
      var now: Int64 = 1_700_000_000_000
      // Two entries at the first instant (as the controller's initial recommendation and the
      // first pass leave them), so that old entries stay before the reused ones.
      let first = Recommendation(
        replicas: Int.random(in: 1...20, using: &rng), timestamp: Instant(millisecondsSinceEpoch: now))
      model.entries = [first]
      history.entries = [first]
      for step in 0..<Int.random(in: 50...400, using: &rng) {
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<85: now &+= 15_000
        case 85..<89: break
        case 89..<94: now &+= Int64.random(in: 1...400_000, using: &rng)
        case 94..<97: now &-= Int64.random(in: 1...60_000, using: &rng)
        default: now &+= Int64.random(in: 1...30_000, using: &rng)
        }
        if Int.random(in: 0..<150, using: &rng) == 0 && !model.entries.isEmpty {
          let position = Int.random(in: 0..<model.entries.count, using: &rng)
          model.entries[position].replicas = Int.random(in: 1...20, using: &rng)
          history.entries[position].replicas = model.entries[position].replicas
        }
        // Load mostly drifts, so the window's highest proposal sometimes leaves it.
        let desired = Int.random(in: 1...20, using: &rng)
        let current = Int.random(in: 1...20, using: &rng)
        let expected = model.stabilize(
          current: current, desired: desired, up: 0, down: 300_000, now: now)
        let actual = history.stabilize(
          current: current, desired: desired, scaleUpWindow: .zero,
          scaleDownWindow: .seconds(300), at: Instant(millisecondsSinceEpoch: now))
        if actual.replicas != expected.0 || actual.reason != expected.1
          || history.entries != model.entries
        {
          mismatches += 1
          Issue.record("seed \(seed) step \(step): \(actual) ≠ \(expected)")
          break
        }
      }
    }
    #expect(mismatches == 0)
  }
}
