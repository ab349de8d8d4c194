import AutoscalingCore

/// A bucketing scheme for a ``Histogram``: how many buckets there are, where each starts, and
/// which bucket a value falls into.
///
/// Mirrors upstream `HistogramOptions` (`recommender/util/histogram_options.go`). Bucket
/// starts are precomputed once, exactly as upstream computes them. The bucket of a value is
/// found through precomputed thresholds that reproduce upstream's logarithm formula value for
/// value (a table read indexed by the value's leading bits, then a step or two), so adding a
/// sample costs no logarithm.
public struct HistogramOptions: Hashable, Sendable {
  /// The bucketing rule.
  public enum Scheme: Hashable, Sendable {
    /// Buckets of equal width `bucketSize`.
    case linear(maxValue: Double, bucketSize: Double)
    /// The first bucket is `firstBucketSize` wide; each next one is `ratio` times wider.
    case exponential(maxValue: Double, firstBucketSize: Double, ratio: Double)
  }

  /// The bucketing rule.
  public let scheme: Scheme
  /// The smallest bucket weight that counts as non-empty.
  public let epsilon: Double
  /// The number of buckets.
  public let numberOfBuckets: Int
  /// The start of each bucket (the last bucket has no end).
  let bucketStarts: [Double]
  /// For the exponential scheme, `thresholds[i]` is the smallest value upstream's formula puts
  /// into bucket `i` or later (`thresholds[0]` is −∞).
  let thresholds: [Double]
  /// For the exponential scheme, the bucket of the smallest double in each cell of leading
  /// bits (sign, exponent and the top mantissa bits), from the cell of
  /// `firstBucketSize` to the cell of the last threshold. Cells are narrower than buckets, so
  /// a lookup is one table read plus at most a step or two along `thresholds`.
  let cellBuckets: [Int32]
  /// The cell of `firstBucketSize` (its bit pattern shifted right by ``cellShift``).
  let firstCell: UInt64
  /// Bits dropped from a value's bit pattern to get its cell: 52 − 6 keeps 64 cells per octave.
  static let cellShift: UInt64 = 46
  /// The first bucket size (exponential) or bucket size (linear).
  let firstBucketSize: Double
  /// Whether the scheme is linear (the bucket is `value / bucketSize`, divided as upstream does).
  let isLinear: Bool

  /// Creates a linear scheme, as upstream `NewLinearHistogramOptions`.
  ///
  /// - Parameters:
  ///   - maxValue: The start of the last bucket is at least this (same unit as the samples).
  ///   - bucketSize: The width of every bucket.
  ///   - epsilon: The smallest bucket weight that counts as non-empty.
  /// - Throws: ``VerticalAutoscalingError/invalidHistogramOptions(_:)`` unless all three are
  ///   positive and finite.
  public init(linearMaxValue maxValue: Double, bucketSize: Double, epsilon: Double)
    throws(VerticalAutoscalingError)
  {
    guard maxValue > 0, bucketSize > 0, epsilon > 0, maxValue.isFinite, bucketSize.isFinite,
      epsilon.isFinite
    else {
      throw .invalidHistogramOptions(
        "linear histogram needs maxValue > 0, bucketSize > 0 and epsilon > 0 "
          + "(got maxValue \(maxValue), bucketSize \(bucketSize), epsilon \(epsilon))")
    }
    let count = (maxValue / bucketSize).rounded(.up) + 1
    guard count < 1e7 else {
      throw .invalidHistogramOptions(
        "linear histogram would have \(count) buckets (maxValue / bucketSize too large)")
    }
    scheme = .linear(maxValue: maxValue, bucketSize: bucketSize)
    self.epsilon = epsilon
    numberOfBuckets = Int(count)
    bucketStarts = (0..<numberOfBuckets).map { Double($0) * bucketSize }
    thresholds = []
    cellBuckets = []
    firstCell = 0
    firstBucketSize = bucketSize
    isLinear = true
  }

  /// Creates an exponential scheme, as upstream `NewExponentialHistogramOptions`.
  ///
  /// Bucket `i ≥ 1` starts at `firstBucketSize·(ratio^i − 1)/(ratio − 1)` and is
  /// `firstBucketSize·ratio^i` wide.
  ///
  /// - Parameters:
  ///   - maxValue: The start of the last bucket is at least this (same unit as the samples).
  ///   - firstBucketSize: The width of the first bucket.
  ///   - ratio: The growth factor between consecutive bucket widths (> 1).
  ///   - epsilon: The smallest bucket weight that counts as non-empty.
  /// - Throws: ``VerticalAutoscalingError/invalidHistogramOptions(_:)`` unless maxValue,
  ///   firstBucketSize and epsilon are positive and ratio is above 1.
  public init(
    exponentialMaxValue maxValue: Double, firstBucketSize: Double, ratio: Double, epsilon: Double
  ) throws(VerticalAutoscalingError) {
    guard maxValue > 0, firstBucketSize > 0, epsilon > 0, ratio > 1, maxValue.isFinite,
      firstBucketSize.isFinite, epsilon.isFinite, ratio.isFinite
    else {
      throw .invalidHistogramOptions(
        "exponential histogram needs maxValue > 0, firstBucketSize > 0, ratio > 1 and "
          + "epsilon > 0 (got maxValue \(maxValue), firstBucketSize \(firstBucketSize), "
          + "ratio \(ratio), epsilon \(epsilon))")
    }
    let logRatio = Math.log(ratio)
    let count = (Math.log(maxValue * (ratio - 1) / firstBucketSize + 1) / logRatio).rounded(.up) + 1
    guard count < 1e6 else {
      throw .invalidHistogramOptions("exponential histogram would have \(count) buckets")
    }
    let n = Int(count)
    scheme = .exponential(maxValue: maxValue, firstBucketSize: firstBucketSize, ratio: ratio)
    self.epsilon = epsilon
    numberOfBuckets = n
    bucketStarts = (0..<n).map { index in
      index == 0 ? 0 : firstBucketSize * (GoMath.pow(ratio, Double(index)) - 1) / (ratio - 1)
    }
    self.firstBucketSize = firstBucketSize
    isLinear = false
    // thresholds[i]: the smallest double v ≥ firstBucketSize with formula(v) ≥ i. The formula
    // is monotone in v, so a bisection over the ordered bit patterns of positive doubles finds
    // it exactly; the lookup then agrees with the formula for every input.
    func formula(_ value: Double) -> Double {
      (Math.log(value * (ratio - 1) / firstBucketSize + 1) / logRatio).rounded(.down)
    }
    var thresholds = [Double](repeating: -.infinity, count: n)
    if n > 1 {
      for index in 1..<n {
        if formula(firstBucketSize) >= Double(index) {
          thresholds[index] = firstBucketSize
          continue
        }
        var low = firstBucketSize.bitPattern  // formula(low) < index
        var high = Double.infinity.bitPattern  // formula(high) ≥ index
        while high - low > 1 {
          let middle = low + (high - low) / 2
          if formula(Double(bitPattern: middle)) >= Double(index) {
            high = middle
          } else {
            low = middle
          }
        }
        thresholds[index] = Double(bitPattern: high)
      }
    }
    self.thresholds = thresholds
    let firstCell = firstBucketSize.bitPattern >> Self.cellShift
    let lastCell = (n > 1 ? thresholds[n - 1] : firstBucketSize).bitPattern >> Self.cellShift
    self.firstCell = firstCell
    cellBuckets = (firstCell...max(firstCell, lastCell)).map { cell in
      Int32(Self.searchBucket(Double(bitPattern: cell << Self.cellShift), thresholds: thresholds))
    }
  }

  /// The largest index with `thresholds[index] ≤ value` (`thresholds[0]` is −∞), by binary
  /// search; used to build the cell table.
  static func searchBucket(_ value: Double, thresholds: [Double]) -> Int {
    var base = 0
    var length = thresholds.count
    while length > 1 {
      let half = length / 2
      if thresholds[base + half] <= value { base += half }
      length -= half
    }
    return base
  }

  /// The CPU scheme the recommender uses, in cores: up to 1000 cores, first bucket 0.01
  /// cores, ratio 1.05, epsilon 0.0001 (upstream `cpuHistogramOptions`); 176 buckets.
  public static let vpaCPU: HistogramOptions = {
    do {
      return try HistogramOptions(
        exponentialMaxValue: 1000, firstBucketSize: 0.01, ratio: 1.05, epsilon: 0.0001)
    } catch {
      preconditionFailure("Internal inconsistency: the default CPU histogram options are valid")
    }
  }()

  /// The memory scheme the recommender uses, in bytes: up to 1e12 bytes, first bucket 1e7
  /// bytes, ratio 1.05, epsilon 0.0001 (upstream `memoryHistogramOptions`); 176 buckets.
  public static let vpaMemory: HistogramOptions = {
    do {
      return try HistogramOptions(
        exponentialMaxValue: 1e12, firstBucketSize: 1e7, ratio: 1.05, epsilon: 0.0001)
    } catch {
      preconditionFailure("Internal inconsistency: the default memory histogram options are valid")
    }
  }()

  /// Returns the index of the bucket `value` falls into, as upstream `FindBucket`.
  ///
  /// Values below the first bucket (including negative values) land in bucket 0, values
  /// beyond the last start in the last bucket; NaN lands in bucket 0.
  ///
  /// - Parameter value: A sample value (same unit as the scheme).
  /// - Returns: A bucket index in `0..<numberOfBuckets`.
  /// - Complexity: O(1): a table read and a step or two.
  @inline(__always)
  public func bucket(for value: Double) -> Int {
    if isLinear {
      let quotient = (value / firstBucketSize).rounded(.towardZero)
      guard quotient >= 1 else { return 0 }  // also NaN
      return quotient >= Double(numberOfBuckets - 1) ? numberOfBuckets - 1 : Int(quotient)
    }
    guard value >= firstBucketSize else { return 0 }  // also NaN
    // The cell's first bucket, then forward while the next threshold is still ≤ value: the
    // result is the largest index with thresholds[index] ≤ value, as the formula gives.
    let cell = Int(truncatingIfNeeded: (value.bitPattern >> Self.cellShift) &- firstCell)
    var bucket = Int(cellBuckets[min(cell, cellBuckets.count - 1)])
    let last = numberOfBuckets - 1
    while bucket < last && thresholds[bucket + 1] <= value { bucket += 1 }
    return bucket
  }

  /// Returns the start of bucket `index`, as upstream `GetBucketStart`.
  ///
  /// - Parameter index: A bucket index in `0..<numberOfBuckets` (outside, the nearest valid
  ///   bucket is used; upstream panics).
  /// - Returns: The smallest value of the bucket.
  public func bucketStart(_ index: Int) -> Double {
    bucketStarts[max(0, min(numberOfBuckets - 1, index))]
  }

  /// Two schemes are equal when their parameters are.
  ///
  /// - Parameters:
  ///   - lhs: A scheme.
  ///   - rhs: Another scheme.
  /// - Returns: Whether both have the same rule and epsilon.
  public static func == (lhs: HistogramOptions, rhs: HistogramOptions) -> Bool {
    lhs.scheme == rhs.scheme && lhs.epsilon == rhs.epsilon
  }

  /// Hashes the parameters.
  ///
  /// - Parameter hasher: The hasher to feed.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(scheme)
    hasher.combine(epsilon)
  }
}
