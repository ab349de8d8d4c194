/// A histogram of weighted samples over a fixed bucketing scheme, with percentile queries.
///
/// Mirrors upstream `histogram` (`recommender/util/histogram.go`): one weight per bucket, the
/// total weight, and the range of non-empty buckets (`minBucket`…`maxBucket`). Percentiles
/// return the upper edge of the bucket where the cumulative weight reaches the requested
/// share, without interpolation. Buckets are a flat array; adding a sample is a binary search
/// over precomputed thresholds plus three stores.
public struct Histogram: Hashable, Sendable {
  /// The bucketing scheme.
  public let options: HistogramOptions
  /// The weight in each bucket.
  public internal(set) var bucketWeights: [Double]
  /// The sum of all weights added minus all weights subtracted.
  public internal(set) var totalWeight: Double
  /// The first bucket holding at least `epsilon` (initially the last bucket).
  public internal(set) var minBucket: Int
  /// The last bucket holding at least `epsilon` (initially 0).
  public internal(set) var maxBucket: Int

  /// Creates an empty histogram.
  ///
  /// - Parameter options: The bucketing scheme.
  public init(options: HistogramOptions) {
    self.options = options
    bucketWeights = [Double](repeating: 0, count: options.numberOfBuckets)
    totalWeight = 0
    minBucket = options.numberOfBuckets - 1
    maxBucket = 0
  }

  /// Adds a sample, as upstream `AddSample`.
  ///
  /// A bucket widens the non-empty range only once its weight reaches epsilon, so tiny
  /// additions raise the total weight without making the histogram non-empty.
  ///
  /// - Parameters:
  ///   - value: The sample value (cores, bytes, or the scheme's unit).
  ///   - weight: The sample weight (≥ 0).
  /// - Throws: ``VerticalAutoscalingError/invalidSampleWeight(_:)`` for a negative or
  ///   non-finite weight (upstream panics), ``VerticalAutoscalingError/invalidSampleValue(_:)``
  ///   for NaN.
  public mutating func addSample(_ value: Double, weight: Double) throws(VerticalAutoscalingError) {
    guard weight >= 0, weight.isFinite else { throw .invalidSampleWeight(weight) }
    guard !value.isNaN else { throw .invalidSampleValue(value) }
    addValidated(bucket: options.bucket(for: value), weight: weight)
  }

  /// Subtracts a sample, as upstream `SubtractSample`; weights that fall below epsilon become 0.
  ///
  /// - Parameters:
  ///   - value: The sample value.
  ///   - weight: The weight to remove (≥ 0).
  /// - Throws: ``VerticalAutoscalingError/invalidSampleWeight(_:)`` for a negative or
  ///   non-finite weight, ``VerticalAutoscalingError/invalidSampleValue(_:)`` for NaN.
  public mutating func subtractSample(_ value: Double, weight: Double)
    throws(VerticalAutoscalingError)
  {
    guard weight >= 0, weight.isFinite else { throw .invalidSampleWeight(weight) }
    guard !value.isNaN else { throw .invalidSampleValue(value) }
    subtractValidated(bucket: options.bucket(for: value), weight: weight)
  }

  @inline(__always)
  mutating func addValidated(bucket: Int, weight: Double) {
    let epsilon = options.epsilon
    bucketWeights[bucket] += weight
    let updated = bucketWeights[bucket]
    totalWeight += weight
    if bucket < minBucket && updated >= epsilon { minBucket = bucket }
    if bucket > maxBucket && updated >= epsilon { maxBucket = bucket }
  }

  mutating func subtractValidated(bucket: Int, weight: Double) {
    let epsilon = options.epsilon
    totalWeight = Self.safeSubtract(totalWeight, weight, epsilon: epsilon)
    bucketWeights[bucket] = Self.safeSubtract(bucketWeights[bucket], weight, epsilon: epsilon)
    updateMinAndMaxBucket()
  }

  static func safeSubtract(_ value: Double, _ subtracted: Double, epsilon: Double) -> Double {
    let result = value - subtracted
    return result < epsilon ? 0 : result
  }

  /// Moves the non-empty range inward past buckets below epsilon (`updateMinAndMaxBucket`).
  mutating func updateMinAndMaxBucket() {
    let epsilon = options.epsilon
    let last = options.numberOfBuckets - 1
    while bucketWeights[minBucket] < epsilon && minBucket < last { minBucket += 1 }
    while bucketWeights[maxBucket] < epsilon && maxBucket > 0 { maxBucket -= 1 }
  }

  /// Adds every bucket of `other` into this histogram, as upstream `Merge`.
  ///
  /// - Parameter other: A histogram with the same options.
  /// - Throws: ``VerticalAutoscalingError/histogramOptionsMismatch`` when the schemes differ
  ///   (upstream panics).
  public mutating func merge(_ other: Histogram) throws(VerticalAutoscalingError) {
    guard options == other.options else { throw .histogramOptionsMismatch }
    if other.minBucket <= other.maxBucket {
      for bucket in other.minBucket...other.maxBucket {
        bucketWeights[bucket] += other.bucketWeights[bucket]
      }
    }
    totalWeight += other.totalWeight
    minBucket = min(minBucket, other.minBucket)
    maxBucket = max(maxBucket, other.maxBucket)
  }

  /// Whether the histogram holds no bucket of at least epsilon (upstream `IsEmpty`).
  public var isEmpty: Bool { bucketWeights[minBucket] < options.epsilon }

  /// Returns the value below which the share `percentile` of the weight lies, as upstream
  /// `Percentile`: the end of the bucket where the running sum reaches
  /// `percentile · totalWeight` (the start of the last bucket when that is the one).
  ///
  /// An empty histogram returns 0 — never NaN. Percentiles below 0 give the end of the first
  /// non-empty bucket, above 1 the end of the last.
  ///
  /// - Parameter percentile: A share of the weight, normally in 0...1.
  /// - Returns: A bucket boundary, in the scheme's unit.
  /// - Complexity: O(n) in the number of buckets.
  public func percentile(_ percentile: Double) -> Double {
    if isEmpty { return 0 }
    let threshold = percentile * totalWeight
    var partialSum = 0.0
    var bucket = minBucket
    bucketWeights.withUnsafeBufferPointer { buffer in
      while bucket < maxBucket {
        partialSum += buffer[bucket]
        if partialSum >= threshold { break }
        bucket += 1
      }
    }
    if bucket < options.numberOfBuckets - 1 { return options.bucketStart(bucket + 1) }
    return options.bucketStart(bucket)
  }

  /// Whether two histograms match as upstream `Equals` decides: same options, same non-empty
  /// range, and bucket weights within 1e-15 of each other.
  ///
  /// - Parameter other: Another histogram.
  /// - Returns: Whether they are equal within the tolerance.
  public func isApproximatelyEqual(to other: Histogram) -> Bool {
    guard options == other.options, minBucket == other.minBucket, maxBucket == other.maxBucket
    else { return false }
    for bucket in bucketWeights.indices
    where (bucketWeights[bucket] - other.bucketWeights[bucket]).magnitude >= 1e-15 {
      return false
    }
    return true
  }

  /// Multiplies every weight by `factor` and re-trims the non-empty range (upstream `scale`).
  ///
  /// - Parameter factor: A non-negative factor; negative or NaN factors are treated as 0.
  mutating func scale(by factor: Double) {
    let factor = factor >= 0 ? factor : 0
    if minBucket <= maxBucket {
      for bucket in minBucket...maxBucket { bucketWeights[bucket] *= factor }
    }
    totalWeight *= factor
    updateMinAndMaxBucket()
  }
}
