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
  @inline(__always)
  func resourceTally(
    pods: [PodObservation], samples: [PodMetricSample?], resource: ResourceName, kind: ResourceKind,
    container: String, fallbackPercent: Int64, at now: Instant
  ) -> ResourceTally {
    var tally = ResourceTally()
    let isCPU = kind == .cpu
    var cachedList: UnsafeRawPointer? = nil
    var cachedRequest: Int64 = 0
    pods.withUnsafeBufferPointer { podBuffer in
      guard let base = podBuffer.baseAddress else { return }
      samples.withUnsafeBufferPointer { sampleBuffer in
        for index in podBuffer.indices {
          let pod = base + index
          let sample = index < sampleBuffer.count ? sampleBuffer[index] : nil
          let group = group(pod, sample: sample, isCPU: isCPU, at: now)
          // Every listed pod needs a request, even an ignored one (upstream checks them all).
          let podRequest: Int64
          let list = pod.pointee.containers.withUnsafeBufferPointer {
            UnsafeRawPointer($0.baseAddress)
          }
          var hasPodLevel = true
          if case .none = pod.pointee.podLevelRequests { hasPodLevel = false }
          if list != nil && list == cachedList && !hasPodLevel {
            podRequest = cachedRequest
          } else {
            if let value = try? request(pod, resource: resource, kind: kind, container: container) {
              podRequest = value
              if !hasPodLevel {
                cachedList = list
                cachedRequest = podRequest
              }
            } else {
              if tally.firstRequestFailure < 0 { tally.firstRequestFailure = index }
              podRequest = 0
            }
          }
          switch group {
          case .ready:
            tally.readyCount += 1
            tally.usageTotal &+= sample?.valueMilli ?? 0
            tally.requestTotal &+= podRequest
          case .unready:
            tally.unreadyCount += 1
            tally.unreadyRequests &+= podRequest
          case .missing:
            tally.missingCount += 1
            tally.missingRequests &+= podRequest
            tally.missingFallbackUsage &+= divide(podRequest &* fallbackPercent, 100)
          case .ignored:
            break
          }
        }
      }
    }
    return tally
  }

  @inline(__always)
  func plainTally(
    pods: [PodObservation], samples: [PodMetricSample?], isCPU: Bool, at now: Instant
  ) -> PlainTally {
    var tally = PlainTally()
    pods.withUnsafeBufferPointer { podBuffer in
      guard let base = podBuffer.baseAddress else { return }
      samples.withUnsafeBufferPointer { sampleBuffer in
        for index in podBuffer.indices {
          let sample = index < sampleBuffer.count ? sampleBuffer[index] : nil
          switch group(base + index, sample: sample, isCPU: isCPU, at: now) {
          case .ready:
            tally.readyCount += 1
            tally.total &+= sample?.valueMilli ?? 0
          case .unready: tally.unreadyCount += 1
          case .missing: tally.missingCount += 1
          case .ignored: break
          }
        }
      }
    }
    return tally
  }
}
