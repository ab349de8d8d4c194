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

  /// The whole-pod cpu or memory loop: everything is read from the records, with plain local
  /// accumulators (not a struct's fields) so the optimizer keeps them in registers. It repeats
  /// ``ResourceTally/add(_:request:sample:fallbackPercent:)`` on purpose: accumulating into a
  /// `ResourceTally` here costs 27 % more instructions per 1000-pod decision (callgrind).
  func preparedResourceTally(
    records: UnsafeBufferPointer<PreparedPod>, samples: UnsafeBufferPointer<PodMetricSample?>,
    isCPU: Bool, fallbackPercent: Int64, at now: Instant
  ) -> ResourceTally {
    guard let base = records.baseAddress else { return ResourceTally() }
    let sampleCount = samples.count
    let containersKnown = isCPU ? PreparedPod.cpuKnown : PreparedPod.memoryKnown
    let podLevelKnown = isCPU ? PreparedPod.podLevelCPUKnown : PreparedPod.podLevelMemoryKnown
    let podLevelMask: UInt8 = podLevelResources ? PreparedPod.podLevel : 0
    var readyCount = 0
    var usageTotal: Int64 = 0
    var requestTotal: Int64 = 0
    var unreadyCount = 0
    var unreadyRequests: Int64 = 0
    var missingCount = 0
    var missingRequests: Int64 = 0
    var missingFallbackUsage: Int64 = 0
    var firstRequestFailure = -1
    for index in 0..<records.count {
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

  /// The loop itself, over raw buffers with an uncaptured local accumulator.
  func plainTally(
    records: UnsafeBufferPointer<PreparedPod>, samples: UnsafeBufferPointer<PodMetricSample?>,
    isCPU: Bool, at now: Instant
  ) -> PlainTally {
    guard let base = records.baseAddress else { return PlainTally() }
    let sampleCount = samples.count
    var tally = PlainTally()
    for index in 0..<records.count {
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
