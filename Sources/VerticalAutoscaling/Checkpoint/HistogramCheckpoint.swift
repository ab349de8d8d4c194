public import AutoscalingCore

/// A saved histogram, in the JSON shape of upstream `HistogramCheckpoint`
/// (`apis/autoscaling.k8s.io/v1`): `referenceTimestamp`, `bucketWeights` (bucket index →
/// integer weight, the largest scaled to 10000) and `totalWeight`.
public struct HistogramCheckpoint: Hashable, Sendable, Codable {
  /// The decaying histogram's reference timestamp; `nil` is Go's zero time (`null` in JSON).
  public var referenceTimestamp: Instant?
  /// Bucket index → weight, scaled so the largest is at most 10000; zeros are omitted.
  public var bucketWeights: [Int: UInt32]
  /// The histogram's total weight, unscaled.
  public var totalWeight: Double

  /// The weight the heaviest bucket is scaled to (upstream `MaxCheckpointWeight`).
  public static let maxCheckpointWeight: Double = 10_000

  /// Creates a checkpoint.
  ///
  /// - Parameters:
  ///   - referenceTimestamp: The reference timestamp, or `nil` for none.
  ///   - bucketWeights: Bucket index → scaled weight.
  ///   - totalWeight: The total weight.
  public init(
    referenceTimestamp: Instant? = nil, bucketWeights: [Int: UInt32] = [:], totalWeight: Double = 0
  ) {
    self.referenceTimestamp = referenceTimestamp
    self.bucketWeights = bucketWeights
    self.totalWeight = totalWeight
  }

  private enum CodingKeys: String, CodingKey {
    case referenceTimestamp, bucketWeights, totalWeight
  }

  private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init?(stringValue: String) {
      self.stringValue = stringValue
      intValue = Int(stringValue)
    }
    init(intValue: Int) {
      stringValue = String(intValue)
      self.intValue = intValue
    }
  }

  /// Decodes the upstream JSON shape; missing fields take their zero values.
  ///
  /// - Parameter decoder: The decoder to read from.
  /// - Throws: `DecodingError` for a malformed timestamp, bucket index or weight.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    referenceTimestamp = try container.decodeTimestampIfPresent(forKey: .referenceTimestamp)
    totalWeight = try container.decodeIfPresent(Double.self, forKey: .totalWeight) ?? 0
    var weights: [Int: UInt32] = [:]
    if try container.contains(.bucketWeights) && !container.decodeNil(forKey: .bucketWeights) {
      let buckets = try container.nestedContainer(keyedBy: IndexKey.self, forKey: .bucketWeights)
      for key in buckets.allKeys {
        guard let index = key.intValue else {
          throw DecodingError.dataCorruptedError(
            forKey: key, in: buckets,
            debugDescription:
              "bucketWeights keys must be bucket indices, found \"\(key.stringValue)\"")
        }
        weights[index] = try buckets.decode(UInt32.self, forKey: key)
      }
    }
    bucketWeights = weights
  }

  /// Encodes the upstream JSON shape (bucket indices as string keys, sorted).
  ///
  /// - Parameter encoder: The encoder to write to.
  /// - Throws: Whatever the encoder throws.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeTimestamp(referenceTimestamp, forKey: .referenceTimestamp)
    var buckets = container.nestedContainer(keyedBy: IndexKey.self, forKey: .bucketWeights)
    for index in bucketWeights.keys.sorted() {
      try buckets.encode(bucketWeights[index] ?? 0, forKey: IndexKey(intValue: index))
    }
    try container.encode(totalWeight, forKey: .totalWeight)
  }
}

extension KeyedDecodingContainer {
  func decodeTimestampIfPresent(forKey key: Key) throws -> Instant? {
    guard contains(key), try !decodeNil(forKey: key) else { return nil }
    let text = try decode(String.self, forKey: key)
    do {
      return try Timestamp.parse(text)
    } catch {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: self, debugDescription: error.description)
    }
  }
}

extension KeyedEncodingContainer {
  mutating func encodeTimestamp(_ instant: Instant?, forKey key: Key) throws {
    if let instant {
      try encode(Timestamp.format(instant), forKey: key)
    } else {
      try encodeNil(forKey: key)
    }
  }
}

extension Histogram {
  /// Saves the histogram, as upstream `SaveToChekpoint`: each bucket weight in the non-empty
  /// range is scaled so the largest becomes 10000 and rounded half up; zeros are omitted.
  ///
  /// - Returns: The checkpoint (no reference timestamp).
  public func checkpoint() -> HistogramCheckpoint {
    var result = HistogramCheckpoint(totalWeight: totalWeight)
    guard minBucket <= maxBucket else { return result }
    var largest = 0.0
    for bucket in minBucket...maxBucket where bucketWeights[bucket] > largest {
      largest = bucketWeights[bucket]
    }
    guard largest > 0 else { return result }
    let ratio = HistogramCheckpoint.maxCheckpointWeight / largest
    for bucket in minBucket...maxBucket {
      let scaled = (bucketWeights[bucket] * ratio + 0.5).rounded(.down)
      if scaled >= 1 { result.bucketWeights[bucket] = UInt32(min(scaled, Double(UInt32.max))) }
    }
    return result
  }

  /// Adds a checkpoint's buckets to this histogram, as upstream `LoadFromCheckpoint`: each
  /// listed bucket gets `weight · totalWeight / Σweights`, then the non-empty range is
  /// re-trimmed (the 1.4.0 fix for upstream issue 7726).
  ///
  /// - Parameter checkpoint: A saved histogram.
  /// - Throws: ``VerticalAutoscalingError/invalidCheckpoint(_:)`` for a negative or NaN total
  ///   weight or a bucket index outside `0..<numberOfBuckets`.
  public mutating func load(_ checkpoint: HistogramCheckpoint) throws(VerticalAutoscalingError) {
    guard checkpoint.totalWeight >= 0, checkpoint.totalWeight.isFinite else {
      throw .invalidCheckpoint(
        "totalWeight must be a non-negative number, found \(checkpoint.totalWeight)")
    }
    var sum: Int64 = 0
    for (bucket, weight) in checkpoint.bucketWeights {
      guard bucket >= 0, bucket < options.numberOfBuckets else {
        throw .invalidCheckpoint(
          "bucketWeights has bucket \(bucket); this histogram has buckets "
            + "0..<\(options.numberOfBuckets)")
      }
      sum += Int64(weight)
    }
    if sum == 0 { return }
    let ratio = checkpoint.totalWeight / Double(sum)
    for (bucket, weight) in checkpoint.bucketWeights {
      minBucket = Swift.min(minBucket, bucket)
      maxBucket = Swift.max(maxBucket, bucket)
      bucketWeights[bucket] += Double(weight) * ratio
    }
    totalWeight += checkpoint.totalWeight
    updateMinAndMaxBucket()
  }
}
