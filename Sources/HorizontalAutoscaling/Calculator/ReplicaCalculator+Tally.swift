import AutoscalingCore

// The per-pod loops of the calculator, written over unsafe buffers so that no pod, container
// list or sample is copied (a copy of a `PodObservation` retains its name, containers and
// requests). Requests are memoized by container-list identity: pods that share one
// copy-on-write container array (as a replay builds them) share one request computation.

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
}

/// Counts over the pods of one plain (per-pod average) metric.
struct PlainTally {
  var readyCount = 0
  var total: Int64 = 0
  var unreadyCount = 0
  var missingCount = 0
}

extension ReplicaCalculator {
  func resourceTally(
    pods: [PodObservation], samples: [PodMetricSample?], resource: ResourceName, kind: ResourceKind,
    container: String, fallbackPercent: Int64, at now: Instant
  ) -> ResourceTally {
    pods.withUnsafeBufferPointer { podBuffer in
      samples.withUnsafeBufferPointer { sampleBuffer in
        resourceTally(
          pods: podBuffer, samples: sampleBuffer, resource: resource, kind: kind,
          container: container, fallbackPercent: fallbackPercent, at: now)
      }
    }
  }

  /// The loop itself, over raw buffers with the accumulators in a local that no closure
  /// captures, so the optimizer keeps them in registers.
  func resourceTally(
    pods: UnsafeBufferPointer<PodObservation>, samples: UnsafeBufferPointer<PodMetricSample?>,
    resource: ResourceName, kind: ResourceKind, container: String, fallbackPercent: Int64,
    at now: Instant
  ) -> ResourceTally {
    guard let base = pods.baseAddress else { return ResourceTally() }
    let isCPU = kind == .cpu
    let sampleCount = samples.count
    var cachedList: UnsafeRawPointer? = nil
    var cachedRequest: Int64 = 0
    // A local (never captured) struct: the optimizer keeps its fields in registers.
    var tally = ResourceTally()
    for index in 0..<pods.count {
      let pod = base + index
      let sample = index < sampleCount ? samples[index] : nil
      let group = group(pod, sample: sample, isCPU: isCPU, at: now)
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
      if group == .ready {
        tally.readyCount += 1
        tally.usageTotal &+= sample?.valueMilli ?? 0
        tally.requestTotal &+= podRequest
      } else if group == .unready {
        tally.unreadyCount += 1
        tally.unreadyRequests &+= podRequest
      } else if group == .missing {
        tally.missingCount += 1
        tally.missingRequests &+= podRequest
        tally.missingFallbackUsage &+= divide(podRequest &* fallbackPercent, 100)
      }
    }
    return tally
  }

  func plainTally(
    pods: [PodObservation], samples: [PodMetricSample?], isCPU: Bool, at now: Instant
  ) -> PlainTally {
    pods.withUnsafeBufferPointer { podBuffer in
      samples.withUnsafeBufferPointer { sampleBuffer in
        plainTally(pods: podBuffer, samples: sampleBuffer, isCPU: isCPU, at: now)
      }
    }
  }

  /// The loop itself, over raw buffers with an uncaptured local accumulator.
  func plainTally(
    pods: UnsafeBufferPointer<PodObservation>, samples: UnsafeBufferPointer<PodMetricSample?>,
    isCPU: Bool, at now: Instant
  ) -> PlainTally {
    guard let base = pods.baseAddress else { return PlainTally() }
    let sampleCount = samples.count
    var tally = PlainTally()
    for index in 0..<pods.count {
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
