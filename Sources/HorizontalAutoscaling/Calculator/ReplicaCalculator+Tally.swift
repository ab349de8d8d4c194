import AutoscalingCore

// The per-pod loops of the calculator, over the compact records of a `PreparedPods` table
// (phase, readiness times and whole-pod requests read without optionals) and the samples'
// raw buffer, so that no pod, container list or sample is copied. Requests of a named
// container or of a resource other than cpu and memory are computed from the pods
// themselves, memoized by container-list identity: pods that share one copy-on-write
// container array (as a replay builds them) share one request computation.

/// Sums over the pods of one Resource metric (upstream `groupPods` + `calculateRequests` +
/// the sums of `GetResourceUtilizationRatio`).
struct ResourceTally {
  var readyCount = 0
  var usageTotal: Int64 = 0
  var requestTotal: Int64 = 0
  var unreadyCount = 0
  var unreadyRequests: Int64 = 0
  var missingCount = 0
  var missingRequests: Int64 = 0
  var missingFallbackUsage: Int64 = 0
  /// The position of the first pod whose request could not be computed, or -1.
  var firstRequestFailure = -1

  /// Adds one pod of group `group` with request `podRequest` (milli-units).
  @inline(__always)
  mutating func add(
    _ group: ReplicaCalculator.PodGroup, request podRequest: Int64, sample: PodMetricSample?,
    fallbackPercent: Int64
  ) {
    if group == .ready {
      readyCount += 1
      usageTotal &+= sample?.valueMilli ?? 0
      requestTotal &+= podRequest
    } else if group == .unready {
      unreadyCount += 1
      unreadyRequests &+= podRequest
    } else if group == .missing {
      missingCount += 1
      missingRequests &+= podRequest
      missingFallbackUsage &+= divide(podRequest &* fallbackPercent, 100)
    }
  }
}

/// Counts over the pods of one plain (per-pod average) metric.
struct PlainTally {
  var readyCount = 0
  var total: Int64 = 0
  var unreadyCount = 0
  var missingCount = 0
}

extension ReplicaCalculator {
  /// Classifies one pod as upstream's `groupPods` does, from its prepared record.
  @inline(__always)
  func group(
    _ record: UnsafePointer<PreparedPod>, sample: PodMetricSample?, isCPU: Bool, at now: Instant
  ) -> PodGroup {
    switch record.pointee.state {
    case .ignored: return .ignored
    case .pending: return .unready
    case .active: break
    }
    guard let sample else { return .missing }
    if isCPU {
      let flags = record.pointee.flags
      if flags & PreparedPod.hasReadiness == 0 { return .unready }
      let notReady = flags & PreparedPod.notReady != 0
      let startMs = record.pointee.startMilliseconds
      let transitionMs = record.pointee.transitionMilliseconds
      let unready: Bool
      if startMs &+ cpuInitializationPeriodMilliseconds > now.millisecondsSinceEpoch {
        unready =
          notReady
          || sample.timestamp.millisecondsSinceEpoch < transitionMs &+ sample.windowMilliseconds
      } else {
        unready = notReady && startMs &+ initialReadinessDelayMilliseconds > transitionMs
      }
      if unready { return .unready }
    }
    return .ready
  }

  func resourceTally(
    pods: PreparedPods, samples: [PodMetricSample?], resource: ResourceName, kind: ResourceKind,
    container: String, fallbackPercent: Int64, at now: Instant
  ) -> ResourceTally {
    pods.records.withUnsafeBufferPointer { recordBuffer in
      samples.withUnsafeBufferPointer { sampleBuffer in
        if container.isEmpty && kind != .other {
          return preparedResourceTally(
            records: recordBuffer, samples: sampleBuffer, isCPU: kind == .cpu,
            fallbackPercent: fallbackPercent, at: now)
        }
        return pods.pods.withUnsafeBufferPointer { podBuffer in
          resourceTally(
            pods: podBuffer, records: recordBuffer, samples: sampleBuffer, resource: resource,
            kind: kind, container: container, fallbackPercent: fallbackPercent, at: now)
        }
      }
    }
  }

  /// The proposal of ``resourceReplicas(currentReplicas:targetUtilization:resource:container:pods:metrics:at:)``
  /// for a whole-pod cpu or memory `Utilization` target in its usual case — every pod in the
  /// leading ready run, no samples of unlisted pods — or `nil` when that case does not hold
  /// or the calculation fails there (the general function then decides and reports the
  /// error). Inlined into the controller's metric loop, it saves the general function's call,
  /// its timestamp scan and its error plumbing.
  ///
  /// - Returns: The proposal in replicas, the utilization in percent and the raw average
  ///   usage in milli-units per pod, as the general function computes them.
  @inline(__always)
  func commonResourceProposal(
    currentReplicas: Int, targetUtilization: Int64, isCPU: Bool, pods: borrowing PreparedPods,
    metrics: borrowing PodMetrics, at now: Instant
  ) -> (replicas: Int, utilization: Int, usageMilli: Int64)? {
    if !metrics.unlistedSamples.isEmpty { return nil }
    let count = pods.records.count
    if count == 0 { return nil }
    let run = pods.records.withUnsafeBufferPointer { records in
      metrics.samples.withUnsafeBufferPointer { samples in
        commonRun(records: records, samples: samples, isCPU: isCPU, at: now)
      }
    }
    // Every pod ready with a sample: the first sample gives the timestamp, nothing is missing
    // or unready, and every request is known (the general path's checks all pass).
    if run.count != count { return nil }
    let requestTotal = run.requests
    if requestTotal == 0 { return nil }
    let utilization = clampToInt32(divide(run.usage &* 100, requestTotal))
    let rawAverage = divide(run.usage, Int64(count))
    let usageRatio = Double(utilization) / Double(targetUtilization)
    if tolerances.isWithin(usageRatio) { return (currentReplicas, utilization, rawAverage) }
    return (ceilToReplicas(usageRatio * Double(count)), utilization, rawAverage)
  }

  /// ``leadingReadyRun(_:count:samples:marked:isCPU:at:)`` for a whole-pod cpu or memory
  /// tally, out of line: inlined into the controller's metric loop it kept fewer sums in
  /// registers (callgrind, 1000-pod decision).
  @inline(never)
  func commonRun(
    records: UnsafeBufferPointer<PreparedPod>, samples: UnsafeBufferPointer<PodMetricSample?>,
    isCPU: Bool, at now: Instant
  ) -> (count: Int, usage: Int64, requests: Int64) {
    guard let base = records.baseAddress else { return (-1, 0, 0) }
    // Each branch keeps only the sum of requests it returns.
    if isCPU {
      let run = leadingReadyRun(
        base, count: records.count, samples: samples, marked: PreparedPod.commonCPU, isCPU: true,
        at: now)
      return (run.count, run.usage, run.cpuRequests)
    }
    let run = leadingReadyRun(
      base, count: records.count, samples: samples, marked: PreparedPod.commonMemory,
      isCPU: false, at: now)
    return (run.count, run.usage, run.memoryRequests)
  }

  /// The leading run of pods that `group` finds ready at first sight: marked with `bit` in
  /// ``PreparedPod/common`` (for cpu a bit that implies a True PodReady condition), with a
  /// sample, and for cpu past the CPU initialization period. Counted in a tight loop whose sums
  /// stay in registers; the callers' general loops take over at the first other pod.
  ///
  /// - Returns: The run's length, its summed usage, and its summed whole-pod cpu and memory
  ///   requests (each meaningful only when `bit` implies that request is known).
  @inline(__always)
  private func leadingReadyRun(
    _ base: UnsafePointer<PreparedPod>, count: Int, samples: UnsafeBufferPointer<PodMetricSample?>,
    marked bit: UInt8, isCPU: Bool, at now: Instant
  ) -> (count: Int, usage: Int64, cpuRequests: Int64, memoryRequests: Int64) {
    let nowMs = now.millisecondsSinceEpoch
    let cpuInitialization = cpuInitializationPeriodMilliseconds
    let end = Swift.min(count, samples.count)
    var usage: Int64 = 0
    var cpuRequests: Int64 = 0
    var memoryRequests: Int64 = 0
    var index = 0
    while index < end {
      let record = base + index
      guard record.pointee.common & bit != 0, let sample = samples[index],
        !isCPU || record.pointee.startMilliseconds &+ cpuInitialization <= nowMs
      else { break }
      usage &+= sample.valueMilli
      cpuRequests &+= record.pointee.cpuMilli
      memoryRequests &+= record.pointee.memoryMilli
      index &+= 1
    }
    return (index, usage, cpuRequests, memoryRequests)
  }

  /// The whole-pod cpu or memory loop: everything is read from the records, with plain local
  /// accumulators (not a struct's fields) so the optimizer keeps them in registers. It repeats
  /// ``ResourceTally/add(_:request:sample:fallbackPercent:)`` on purpose: accumulating into a
  /// `ResourceTally` here costs 27 % more instructions per 1000-pod decision (callgrind).
  func preparedResourceTally(
    records: UnsafeBufferPointer<PreparedPod>, samples: UnsafeBufferPointer<PodMetricSample?>,
    isCPU: Bool, fallbackPercent: Int64, at now: Instant
  ) -> ResourceTally {
    // Two copies of the loop, each with `isCPU` a constant.
    if isCPU {
      return preparedResourceTally(
        records: records, samples: samples, cpu: true, fallbackPercent: fallbackPercent, at: now)
    }
    return preparedResourceTally(
      records: records, samples: samples, cpu: false, fallbackPercent: fallbackPercent, at: now)
  }

  /// The loop of ``preparedResourceTally(records:samples:isCPU:fallbackPercent:at:)``. A pod
  /// marked common (``PreparedPod/commonCPU`` / ``PreparedPod/commonMemory``) that has a sample
  /// and, for cpu, has left the CPU initialization period is ready with its container sum as
  /// its request — what `group` and the request lookup of the general loop conclude for it —
  /// so a leading run of such pods (usually every pod) is counted by `leadingReadyRun`.
  @inline(__always)
  private func preparedResourceTally(
    records: UnsafeBufferPointer<PreparedPod>, samples: UnsafeBufferPointer<PodMetricSample?>,
    cpu isCPU: Bool, fallbackPercent: Int64, at now: Instant
  ) -> ResourceTally {
    guard let base = records.baseAddress else { return ResourceTally() }
    let run = leadingReadyRun(
      base, count: records.count, samples: samples,
      marked: isCPU ? PreparedPod.commonCPU : PreparedPod.commonMemory, isCPU: isCPU, at: now)
    let start = run.count
    let usageTotal = run.usage
    let requestTotal = isCPU ? run.cpuRequests : run.memoryRequests
    if start == records.count {
      return ResourceTally(readyCount: start, usageTotal: usageTotal, requestTotal: requestTotal)
    }
    return preparedResourceTally(
      records: base, count: records.count, samples: samples, from: start, isCPU: isCPU,
      usageTotal: usageTotal, requestTotal: requestTotal, fallbackPercent: fallbackPercent,
      at: now)
  }

  /// The general loop over the pods from `start` on, after `start` ready pods whose usage and
  /// requests add up to `usageTotal` and `requestTotal` (kept apart from the common run so
  /// that run's registers are not spilled for it).
  @inline(never)
  private func preparedResourceTally(
    records base: UnsafePointer<PreparedPod>, count: Int,
    samples: UnsafeBufferPointer<PodMetricSample?>, from start: Int, isCPU: Bool,
    usageTotal startUsage: Int64, requestTotal startRequests: Int64, fallbackPercent: Int64,
    at now: Instant
  ) -> ResourceTally {
    let sampleCount = samples.count
    let containersKnown = isCPU ? PreparedPod.cpuKnown : PreparedPod.memoryKnown
    let podLevelKnown = isCPU ? PreparedPod.podLevelCPUKnown : PreparedPod.podLevelMemoryKnown
    let podLevelMask: UInt8 = podLevelResources ? PreparedPod.podLevel : 0
    var readyCount = start
    var usageTotal = startUsage
    var requestTotal = startRequests
    var unreadyCount = 0
    var unreadyRequests: Int64 = 0
    var missingCount = 0
    var missingRequests: Int64 = 0
    var missingFallbackUsage: Int64 = 0
    var firstRequestFailure = -1
    for index in start..<count {
      let record = base + index
      let flags = record.pointee.flags
      // Every listed pod needs a request, even an ignored one (upstream checks them all).
      var podRequest: Int64 = 0
      if flags & podLevelMask != 0 {
        if flags & podLevelKnown != 0 {
          podRequest = isCPU ? record.pointee.podLevelCPUMilli : record.pointee.podLevelMemoryMilli
        } else if firstRequestFailure < 0 {
          firstRequestFailure = index
        }
      } else if flags & containersKnown != 0 {
        podRequest = isCPU ? record.pointee.cpuMilli : record.pointee.memoryMilli
      } else if firstRequestFailure < 0 {
        firstRequestFailure = index
      }
      let sample = index < sampleCount ? samples[index] : nil
      switch group(record, sample: sample, isCPU: isCPU, at: now) {
      case .ready:
        readyCount += 1
        usageTotal &+= sample?.valueMilli ?? 0
        requestTotal &+= podRequest
      case .unready:
        unreadyCount += 1
        unreadyRequests &+= podRequest
      case .missing:
        missingCount += 1
        missingRequests &+= podRequest
        missingFallbackUsage &+= divide(podRequest &* fallbackPercent, 100)
      case .ignored:
        break
      }
    }
    return ResourceTally(
      readyCount: readyCount, usageTotal: usageTotal, requestTotal: requestTotal,
      unreadyCount: unreadyCount, unreadyRequests: unreadyRequests, missingCount: missingCount,
      missingRequests: missingRequests, missingFallbackUsage: missingFallbackUsage,
      firstRequestFailure: firstRequestFailure)
  }

  /// The loop for a named container or another resource: groups from the records, requests
  /// from the pods themselves.
  func resourceTally(
    pods: UnsafeBufferPointer<PodObservation>, records: UnsafeBufferPointer<PreparedPod>,
    samples: UnsafeBufferPointer<PodMetricSample?>, resource: ResourceName, kind: ResourceKind,
    container: String, fallbackPercent: Int64, at now: Instant
  ) -> ResourceTally {
    guard let base = pods.baseAddress, let recordBase = records.baseAddress else {
      return ResourceTally()
    }
    let isCPU = kind == .cpu
    let sampleCount = samples.count
    var cachedList: UnsafeRawPointer? = nil
    var cachedRequest: Int64 = 0
    var tally = ResourceTally()
    for index in 0..<pods.count {
      let pod = base + index
      let sample = index < sampleCount ? samples[index] : nil
      let group = group(recordBase + index, sample: sample, isCPU: isCPU, at: now)
      // Every listed pod needs a request, even an ignored one (upstream checks them all).
      var podRequest: Int64 = 0
      let list = pod.pointee.containers.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
      var hasPodLevel = true
      if case .none = pod.pointee.podLevelRequests { hasPodLevel = false }
      if list != nil && list == cachedList && !hasPodLevel {
        podRequest = cachedRequest
      } else if let value = try? request(pod, resource: resource, kind: kind, container: container)
      {
        podRequest = value
        if !hasPodLevel {
          cachedList = list
          cachedRequest = value
        }
      } else if tally.firstRequestFailure < 0 {
        tally.firstRequestFailure = index
      }
      tally.add(group, request: podRequest, sample: sample, fallbackPercent: fallbackPercent)
    }
    return tally
  }

  func plainTally(
    pods: PreparedPods, samples: [PodMetricSample?], isCPU: Bool, at now: Instant
  ) -> PlainTally {
    pods.records.withUnsafeBufferPointer { recordBuffer in
      samples.withUnsafeBufferPointer { sampleBuffer in
        plainTally(records: recordBuffer, samples: sampleBuffer, isCPU: isCPU, at: now)
      }
    }
  }

  /// The loop itself, over raw buffers with an uncaptured local accumulator, after the leading
  /// run of active pods (for cpu: with a True PodReady condition) with samples.
  func plainTally(
    records: UnsafeBufferPointer<PreparedPod>, samples: UnsafeBufferPointer<PodMetricSample?>,
    isCPU: Bool, at now: Instant
  ) -> PlainTally {
    guard let base = records.baseAddress else { return PlainTally() }
    let sampleCount = samples.count
    var tally = PlainTally()
    let run = leadingReadyRun(
      base, count: records.count, samples: samples,
      marked: isCPU ? PreparedPod.readyCPU : PreparedPod.active, isCPU: isCPU, at: now)
    tally.readyCount = run.count
    tally.total = run.usage
    for index in run.count..<records.count {
      let sample = index < sampleCount ? samples[index] : nil
      let group = group(base + index, sample: sample, isCPU: isCPU, at: now)
      if group == .ready {
        tally.readyCount += 1
        tally.total &+= sample?.valueMilli ?? 0
      } else if group == .unready {
        tally.unreadyCount += 1
      } else if group == .missing {
        tally.missingCount += 1
      }
    }
    return tally
  }
}
