public import AutoscalingCore

/// The replica recommendations one HPA has recorded (upstream `recommendations[key]`).
///
/// Entries are never removed, only reused: a new recommendation overwrites the *last* entry
/// that has left the window (or, on the behavior path, both windows), else it is appended.
/// The stored value is always the unstabilized proposal.
public struct RecommendationHistory: Hashable, Sendable {
  /// The stored entries (``entries`` reads and writes them; the stabilization functions
  /// write them directly so that the window summary below stays valid).
  private var storage: [Recommendation]
  /// A summary of `storage` that lets the behavior path skip the full scan in the usual
  /// steady state; see ``WindowSummary``. Not part of the value: `==` and `hash(into:)`
  /// look at the entries only.
  private var summary = WindowSummary()

  /// The recorded recommendations, in storage order.
  public var entries: [Recommendation] {
    get { storage }
    set {
      storage = newValue
      summary = WindowSummary()
    }
    _modify {
      summary = WindowSummary()
      yield &storage
    }
  }

  /// Creates a history.
  ///
  /// - Parameter entries: The recorded recommendations.
  public init(_ entries: [Recommendation] = []) {
    self.storage = entries
  }

  /// Whether two histories hold the same entries in the same order.
  ///
  /// - Parameters:
  ///   - lhs: A history.
  ///   - rhs: Another history.
  /// - Returns: `true` when their entries are equal.
  public static func == (lhs: RecommendationHistory, rhs: RecommendationHistory) -> Bool {
    lhs.storage == rhs.storage
  }

  /// Hashes the entries.
  ///
  /// - Parameter hasher: The hasher.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(storage)
  }

  /// Stabilizes a proposal on the legacy path and records it (upstream
  /// `stabilizeRecommendation`).
  ///
  /// Returns the highest proposal recorded within the window (an entry exactly `window` old
  /// still counts), including this one; there is no scale-up stabilization.
  ///
  /// - Parameters:
  ///   - proposal: The unstabilized proposal, in replicas.
  ///   - window: The downscale stabilization window.
  ///   - now: The evaluation instant.
  /// - Returns: The stabilized recommendation, in replicas.
  public mutating func stabilizeForScaleDown(_ proposal: Int, window: Duration, at now: Instant)
    -> Int
  {
    stabilizeForScaleDown(proposal, windowMilliseconds: window.wholeMilliseconds, at: now)
  }

  mutating func stabilizeForScaleDown(_ proposal: Int, windowMilliseconds: Int64, at now: Instant)
    -> Int
  {
    var maximum = proposal
    var oldIndex = -1
    let cutoff = now.millisecondsSinceEpoch &- windowMilliseconds
    summary = WindowSummary()
    for index in storage.indices {
      let entry = storage[index]
      if entry.timestamp.millisecondsSinceEpoch < cutoff {
        oldIndex = index
      } else if entry.replicas > maximum {
        maximum = entry.replicas
      }
    }
    let record = Recommendation(replicas: proposal, timestamp: now)
    if oldIndex >= 0 { storage[oldIndex] = record } else { storage.append(record) }
    return maximum
  }

  /// Stabilizes a proposal on the behavior path and records it (upstream
  /// `stabilizeRecommendationWithBehaviors`).
  ///
  /// Clamps `current` into `[lowest proposal in the up window, highest proposal in the down
  /// window]` (both including `desired`; an entry counts when strictly newer than
  /// `now − window`).
  ///
  /// - Parameters:
  ///   - current: The current replica count.
  ///   - desired: The unstabilized proposal, in replicas.
  ///   - scaleUpWindow: The scale-up stabilization window.
  ///   - scaleDownWindow: The scale-down stabilization window.
  ///   - now: The evaluation instant.
  /// - Returns: The stabilized count and the reason upstream reports when it differs from
  ///   `desired` (`ScaleUpStabilized` when `desired ≥ current`, else `ScaleDownStabilized`).
  public mutating func stabilize(
    current: Int, desired: Int, scaleUpWindow: Duration, scaleDownWindow: Duration, at now: Instant
  ) -> (replicas: Int, reason: ConditionReason) {
    stabilize(
      current: current, desired: desired, upWindowMilliseconds: scaleUpWindow.wholeMilliseconds,
      downWindowMilliseconds: scaleDownWindow.wholeMilliseconds, at: now)
  }

  mutating func stabilize(
    current: Int, desired: Int, upWindowMilliseconds: Int64, downWindowMilliseconds: Int64,
    at now: Instant
  ) -> (replicas: Int, reason: ConditionReason) {
    let nowMs = now.millisecondsSinceEpoch
    let upCutoff = nowMs &- upWindowMilliseconds
    let downCutoff = nowMs &- downWindowMilliseconds
    let bounds: (up: Int, down: Int)
    if summary.isValid && upCutoff >= downCutoff && downCutoff >= summary.downCutoff,
      let inOrder = stabilizeInOrder(
        desired: desired, upCutoff: upCutoff, downCutoff: downCutoff, now: nowMs)
    {
      bounds = inOrder
    } else {
      bounds = stabilizeByScan(
        desired: desired, upCutoff: upCutoff, downCutoff: downCutoff, now: nowMs)
    }
    var recommendation = current
    if recommendation < bounds.up { recommendation = bounds.up }
    if recommendation > bounds.down { recommendation = bounds.down }
    return (recommendation, desired >= current ? .scaleUpStabilized : .scaleDownStabilized)
  }

  /// The behavior-path pass as upstream writes it: both bounds over every entry, the last
  /// entry older than both cutoffs overwritten (else an append). Rebuilds ``summary``.
  @inline(never)
  private mutating func stabilizeByScan(
    desired: Int, upCutoff: Int64, downCutoff: Int64, now: Int64
  ) -> (up: Int, down: Int) {
    var upRecommendation = desired
    var downRecommendation = desired
    var oldIndex = -1
    if upCutoff >= downCutoff {
      // The usual case (the scale-up window is the shorter): the up window lies inside the
      // down window and an entry is old when it is older than the down window, so most entries
      // take one comparison and one maximum.
      storage.withUnsafeBufferPointer { buffer in
        for index in buffer.indices {
          let t = buffer[index].timestamp.millisecondsSinceEpoch
          if t > downCutoff {
            let replicas = buffer[index].replicas
            downRecommendation = Swift.max(replicas, downRecommendation)
            if t > upCutoff { upRecommendation = Swift.min(replicas, upRecommendation) }
          } else if t < downCutoff {
            oldIndex = index
          }
        }
      }
    } else {
      for index in storage.indices {
        let entry = storage[index]
        let t = entry.timestamp.millisecondsSinceEpoch
        if t > upCutoff { upRecommendation = Swift.min(entry.replicas, upRecommendation) }
        if t > downCutoff { downRecommendation = Swift.max(entry.replicas, downRecommendation) }
        if t < upCutoff && t < downCutoff { oldIndex = index }
      }
    }
    let record = Recommendation(
      replicas: desired, timestamp: Instant(millisecondsSinceEpoch: now))
    if oldIndex >= 0 { storage[oldIndex] = record } else { storage.append(record) }
    summary = upCutoff >= downCutoff ? Self.summarize(storage, downCutoff: downCutoff) : .init()
    return (upRecommendation, downRecommendation)
  }

  /// The summary of `entries` after a pass with this scale-down cutoff, or an invalid one
  /// when the entries after the leading run of old ones are not in time order from some index
  /// round.
  private static func summarize(_ entries: [Recommendation], downCutoff: Int64) -> WindowSummary {
    entries.withUnsafeBufferPointer { buffer in
      let count = buffer.count
      var base = 0
      while base < count && buffer[base].timestamp.millisecondsSinceEpoch < downCutoff {
        base += 1
      }
      if base == count { return WindowSummary() }
      var descents = 0
      var start = base
      var maximum = Int.min
      var maximumTime = Int64.min
      for index in base..<count {
        let t = buffer[index].timestamp.millisecondsSinceEpoch
        let next = index + 1 == count ? base : index + 1
        if t > buffer[next].timestamp.millisecondsSinceEpoch {
          descents += 1
          start = next
        }
        // Every entry inside the window counts; among equal maxima the newest is kept.
        let replicas = buffer[index].replicas
        if t > downCutoff && (replicas > maximum || (replicas == maximum && t > maximumTime)) {
          maximum = replicas
          maximumTime = t
        }
      }
      if descents > 1 { return WindowSummary() }
      return WindowSummary(
        isValid: true, base: base, start: start, downCutoff: downCutoff, maximum: maximum,
        maximumTime: maximumTime)
    }
  }

  /// The pass of ``stabilize(current:desired:upWindowMilliseconds:downWindowMilliseconds:at:)``
  /// on a valid ``summary`` (the scale-up window not longer than the scale-down one, the
  /// cutoff not behind the summary's), or `nil`, before any change, when it needs the scan:
  /// when `now` is older than the newest entry, when more than one entry of the ring has left
  /// the window, or when none has and the ring does not start at its first index.
  @inline(__always)
  private mutating func stabilizeInOrder(
    desired: Int, upCutoff: Int64, downCutoff: Int64, now: Int64
  ) -> (up: Int, down: Int)? {
    let base = summary.base
    let start = summary.start
    let count = storage.count
    guard base <= start && start < count else { return nil }
    var maximum = summary.maximum
    var time = summary.maximumTime
    var up = desired
    // The index written (the ring's oldest, the entry just before the ring, or `count` for an
    // append), or -1 when the pass needs the scan.
    var write = -1
    storage.withUnsafeMutableBufferPointer { buffer in
      let ring = count - base
      let newest = start == base ? count - 1 : start - 1
      if buffer[newest].timestamp.millisecondsSinceEpoch > now { return }
      // The ring's entries older than the cutoff are a prefix of its time order: at most one
      // may be. The leading entries before the ring are all old, at lower indices.
      if buffer[start].timestamp.millisecondsSinceEpoch < downCutoff {
        let second = start + 1 == count ? base : start + 1
        if second != start && buffer[second].timestamp.millisecondsSinceEpoch < downCutoff {
          return
        }
        write = start
      } else if start != base {
        return
      } else {
        // The last old entry is the one just before the ring, or none: append.
        write = base == 0 ? count : base - 1
      }
      // Entries inside a window are a suffix of the time order: walk back from the newest.
      var index = newest
      var steps = 0
      while steps < ring && buffer[index].timestamp.millisecondsSinceEpoch > upCutoff {
        up = Swift.min(buffer[index].replicas, up)
        index = index == base ? count - 1 : index - 1
        steps += 1
      }
      if time <= downCutoff {
        // The entry that made the remembered maximum has left the window: rescan it.
        maximum = Int.min
        time = Int64.min
        index = newest
        steps = 0
        while steps < ring {
          let t = buffer[index].timestamp.millisecondsSinceEpoch
          if t <= downCutoff { break }
          if buffer[index].replicas > maximum {
            maximum = buffer[index].replicas
            time = t
          }
          index = index == base ? count - 1 : index - 1
          steps += 1
        }
      }
      if write < count {
        buffer[write] = Recommendation(
          replicas: desired, timestamp: Instant(millisecondsSinceEpoch: now))
      }
    }
    if write < 0 { return nil }
    let down = Swift.max(desired, maximum)
    if write == count {
      storage.append(
        Recommendation(replicas: desired, timestamp: Instant(millisecondsSinceEpoch: now)))
    } else if write == start {
      summary.start = start + 1 == count ? base : start + 1
    } else {
      // Written just before the ring, which now begins there and ends with it.
      summary.base = write
    }
    summary.downCutoff = downCutoff
    if desired >= maximum {
      summary.maximum = desired
      summary.maximumTime = now
    } else {
      summary.maximum = maximum
      summary.maximumTime = time
    }
    return (up, down)
  }
}

/// What the behavior path remembers about a history's entries between passes. Everything in
/// it is derived from the entries: an invalid summary is always correct, it only makes the
/// next pass scan every entry.
///
/// It is valid while the scale-down cutoff only moves forward and the entries are: a leading
/// run `0..<base` older than the cutoff (so old for good, never inside a window again), then a
/// ring `base..<count` whose entries, read from index `start` round to `start − 1`, have
/// non-decreasing timestamps — each pass writes the newest entry: over the oldest of the ring
/// when only that one has left the window, else over the last entry of the leading run
/// (growing the ring), else at the end. Then the ring's entries older than a cutoff are a
/// prefix of its order and those inside a window a suffix; an entry inside the window is never
/// overwritten, so the highest proposal in the window is still `maximum` as long as the entry
/// recorded at `maximumTime` is inside it (`maximum` covers every entry inside the window at
/// `downCutoff` and every entry written since).
struct WindowSummary: Sendable {
  var isValid = false
  /// The index of the ring's first entry (every entry before it is old).
  var base = 0
  /// The index of the ring's oldest entry.
  var start = 0
  /// The scale-down cutoff of the last pass, in milliseconds since the epoch.
  var downCutoff = Int64.min
  /// The highest remembered proposal, in replicas (`Int.min` for none).
  var maximum = Int.min
  /// When the newest entry with that proposal was recorded (`Int64.min` for none).
  var maximumTime = Int64.min
}
