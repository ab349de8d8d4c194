public import AutoscalingCore

/// The rescales one HPA has made, per direction, for the behavior policies (upstream
/// `scaleUpEvents[key]` / `scaleDownEvents[key]`).
public struct ScaleEventLog: Hashable, Sendable {
  /// Past scale-ups, in storage order.
  public var scaleUp: [ScaleEvent]
  /// Past scale-downs, in storage order.
  public var scaleDown: [ScaleEvent]

  /// Creates a log.
  ///
  /// - Parameters:
  ///   - scaleUp: Past scale-ups.
  ///   - scaleDown: Past scale-downs.
  public init(scaleUp: [ScaleEvent] = [], scaleDown: [ScaleEvent] = []) {
    self.scaleUp = scaleUp
    self.scaleDown = scaleDown
  }

  /// The replicas changed by `events` within `period` before `now` (upstream
  /// `getReplicasChangePerPeriod`): events strictly newer than `now − period` count, outdated
  /// or not.
  ///
  /// - Parameters:
  ///   - events: The events of one direction.
  ///   - period: The policy period.
  ///   - now: The evaluation instant.
  /// - Returns: The summed change, in replicas.
  public static func replicasChange(in events: [ScaleEvent], period: Duration, at now: Instant)
    -> Int
  {
    replicasChange(in: events, periodMilliseconds: period.wholeMilliseconds, at: now)
  }

  @inline(__always)
  static func replicasChange(in events: [ScaleEvent], periodMilliseconds: Int64, at now: Instant)
    -> Int
  {
    let cutoff = now.millisecondsSinceEpoch &- periodMilliseconds
    var total = 0
    for event in events where event.timestamp.millisecondsSinceEpoch > cutoff {
      total &+= event.change
    }
    return total
  }

  /// The highest count the scale-up policies allow now (upstream
  /// `calculateScaleUpLimitWithScalingRules`).
  ///
  /// - Parameters:
  ///   - current: The current replica count.
  ///   - rules: The scale-up rules (defaulted).
  ///   - now: The evaluation instant.
  /// - Returns: The limit in replicas; `current` when the rules are `Disabled`.
  public func scaleUpLimit(current: Int, rules: ScalingRules, at now: Instant) -> Int {
    scaleUpLimit(
      current: current, rules: CompiledRules(rules.merged(over: .defaultScaleUp)), at: now)
  }

  func scaleUpLimit(current: Int, rules: CompiledRules, at now: Instant) -> Int {
    policyLimit(current: current, rules: rules, scalingUp: true, at: now)
  }

  /// The shared loop of both limit functions: each policy proposes a count from the count at
  /// the start of its period; `Max` takes the largest change, `Min` the smallest.
  @inline(__always)
  func policyLimit(current: Int, rules: CompiledRules, scalingUp: Bool, at now: Instant) -> Int {
    // The largest change is the highest count going up and the lowest going down.
    let keepLowest: Bool
    switch rules.select {
    case .disabled: return current
    case .min: keepLowest = scalingUp
    case .max: keepLowest = !scalingUp
    }
    var result = keepLowest ? Int(Int32.max) : Int(Int32.min)
    var proposed = 0
    for policy in rules.policies {
      let added = Self.replicasChange(
        in: scaleUp, periodMilliseconds: policy.periodMilliseconds, at: now)
      let deleted = Self.replicasChange(
        in: scaleDown, periodMilliseconds: policy.periodMilliseconds, at: now)
      let periodStart = current &- added &+ deleted
      let fraction = Double(policy.value) / 100
      switch (policy.kind, scalingUp) {
      case (.pods, true): proposed = clampReplicas(periodStart &+ Int(policy.value))
      case (.pods, false): proposed = clampReplicas(periodStart &- Int(policy.value))
      // Scale-up rounds up so that small counts still grow; scale-down truncates.
      case (.percent, true): proposed = ceilToReplicas(Double(periodStart) * (1 + fraction))
      case (.percent, false): proposed = truncateToReplicas(Double(periodStart) * (1 - fraction))
      case (.unknown, _): break
      }
      result = keepLowest ? Swift.min(result, proposed) : Swift.max(result, proposed)
    }
    return result
  }

  /// The lowest count the scale-down policies allow now (upstream
  /// `calculateScaleDownLimitWithBehaviors`).
  ///
  /// - Parameters:
  ///   - current: The current replica count.
  ///   - rules: The scale-down rules (defaulted).
  ///   - now: The evaluation instant.
  /// - Returns: The limit in replicas; `current` when the rules are `Disabled`.
  public func scaleDownLimit(current: Int, rules: ScalingRules, at now: Instant) -> Int {
    scaleDownLimit(
      current: current, rules: CompiledRules(rules.merged(over: .defaultScaleDown)), at: now)
  }

  func scaleDownLimit(current: Int, rules: CompiledRules, at now: Instant) -> Int {
    policyLimit(current: current, rules: rules, scalingUp: false, at: now)
  }

  /// Records a successful rescale (upstream `storeScaleEvent`).
  ///
  /// Nothing is stored without a behavior. Otherwise every event of the direction older than
  /// its longest policy period is flagged outdated, and the new event overwrites the last
  /// outdated one or is appended.
  ///
  /// - Parameters:
  ///   - previousReplicas: The count before the rescale.
  ///   - newReplicas: The count after it.
  ///   - behavior: The HPA's behavior (defaulted), or `nil`.
  ///   - now: The evaluation instant.
  public mutating func record(
    from previousReplicas: Int, to newReplicas: Int, behavior: ScalingBehavior?, at now: Instant
  ) {
    guard let behavior else { return }
    record(from: previousReplicas, to: newReplicas, behavior: CompiledBehavior(behavior), at: now)
  }

  mutating func record(
    from previousReplicas: Int, to newReplicas: Int, behavior: CompiledBehavior, at now: Instant
  ) {
    if newReplicas > previousReplicas {
      Self.store(
        newReplicas &- previousReplicas, in: &scaleUp,
        longestPeriodMilliseconds: behavior.scaleUp.longestPeriodMilliseconds, at: now)
    } else {
      Self.store(
        previousReplicas &- newReplicas, in: &scaleDown,
        longestPeriodMilliseconds: behavior.scaleDown.longestPeriodMilliseconds, at: now)
    }
  }

  private static func store(
    _ change: Int, in events: inout [ScaleEvent], longestPeriodMilliseconds: Int64, at now: Instant
  ) {
    let cutoff = now.millisecondsSinceEpoch &- longestPeriodMilliseconds
    var oldIndex = -1
    for index in events.indices {
      if events[index].timestamp.millisecondsSinceEpoch < cutoff { events[index].isOutdated = true }
      if events[index].isOutdated { oldIndex = index }
    }
    let event = ScaleEvent(change: change, timestamp: now)
    if oldIndex >= 0 { events[oldIndex] = event } else { events.append(event) }
  }
}
