import AutoscalingCore
import Foundation
import Testing
import VerticalAutoscaling
import _AutoscalingTestSupport

@Suite struct HistogramOptionsTests {
  // Hand calculation: first bucket 40, ratio 1.5 → starts 0, 40, 100, 190, 325, 527.5
  // (40·(1.5^i − 1)/0.5); max 500 gives ceil(log_1.5(500·0.5/40 + 1)) + 1 = 6 buckets.
  @Test func exponentialSchemeByHand() throws {
    let options = try HistogramOptions(
      exponentialMaxValue: 500, firstBucketSize: 40, ratio: 1.5, epsilon: 1e-10)
    #expect(options.numberOfBuckets == 6)
    #expect((0..<6).map(options.bucketStart) == [0, 40, 100, 190, 325, 527.5])
    #expect(options.bucket(for: -5) == 0)
    #expect(options.bucket(for: 39.999) == 0)
    #expect(options.bucket(for: 40) == 1)
    #expect(options.bucket(for: 99.999) == 1)
    #expect(options.bucket(for: 100) == 2)
    #expect(options.bucket(for: 190) == 3)
    // ln(7.59375)/ln(1.5) evaluates to 4.999999999999999 with a correctly rounded log, so
    // upstream's formula puts the start of bucket 5 into bucket 4 (spec §1.2); we agree.
    #expect(options.bucket(for: 527.5) == 4)
    #expect(options.bucket(for: 527.6) == 5)
    #expect(options.bucket(for: 1e300) == 5)
    #expect(options.bucket(for: .infinity) == 5)
    #expect(options.bucket(for: .nan) == 0)
  }

  // The spec's derived values for the recommender's CPU scheme.
  @Test func vpaSchemes() {
    #expect(HistogramOptions.vpaCPU.numberOfBuckets == 176)
    #expect(HistogramOptions.vpaMemory.numberOfBuckets == 176)
    let starts = (0..<5).map(HistogramOptions.vpaCPU.bucketStart)
    for (actual, expected) in zip(starts, [0, 0.01, 0.0205, 0.031525, 0.04310125]) {
      #expect((actual - expected).magnitude <= 1e-15 * max(expected, 1e-300))
    }
    #expect((HistogramOptions.vpaCPU.bucketStart(175) - 1021.11).magnitude < 0.01)
    #expect((HistogramOptions.vpaMemory.bucketStart(1) - 1e7).magnitude == 0)
  }

  // The threshold search must agree with upstream's formula value for value.
  @Test func bucketLookupMatchesTheLogarithmFormula() {
    var generator = SplitMix64(seed: 6)
    for options in [HistogramOptions.vpaCPU, .vpaMemory] {
      let first = options.bucketStart(1)
      for _ in 0..<5_000 {
        let value = first * Foundation.pow(10, Double.random(in: -1...6, using: &generator))
        var expected = 0
        if value >= first {
          let raw = Foundation.log(value * 0.05 / first + 1) / Foundation.log(1.05)
          expected = min(Int(raw.rounded(.down)), options.numberOfBuckets - 1)
        }
        #expect(options.bucket(for: value) == expected, "value \(value)")
        // Bucket starts lie in their own bucket and the value lies between its bucket's bounds.
        let bucket = options.bucket(for: value)
        #expect(options.bucketStart(bucket) <= value * (1 + 1e-12) || bucket == 0)
      }
    }
  }

  // Around every bucket start (the values where a lookup could be off by one).
  @Test func bucketLookupAtBoundaries() {
    for options in [HistogramOptions.vpaCPU, .vpaMemory] {
      let first = options.bucketStart(1)
      for index in 1..<options.numberOfBuckets {
        let start = options.bucketStart(index)
        for value in [start.nextDown, start, start.nextUp, start * 1.0001, start * 0.9999] {
          var expected = 0
          if value >= first {
            let raw = Foundation.log(value * 0.05 / first + 1) / Foundation.log(1.05)
            expected = min(Int(raw.rounded(.down)), options.numberOfBuckets - 1)
          }
          #expect(options.bucket(for: value) == expected, "value \(value) near bucket \(index)")
        }
      }
    }
  }

  @Test func invalidOptionsThrow() {
    #expect(throws: VerticalAutoscalingError.self) {
      try HistogramOptions(linearMaxValue: 0, bucketSize: 1, epsilon: 1)
    }
    #expect(throws: VerticalAutoscalingError.self) {
      try HistogramOptions(exponentialMaxValue: 10, firstBucketSize: 1, ratio: 1, epsilon: 1)
    }
    #expect(throws: VerticalAutoscalingError.self) {
      try HistogramOptions(exponentialMaxValue: .nan, firstBucketSize: 1, ratio: 2, epsilon: 1)
    }
  }
}

@Suite struct HistogramBadInputTests {
  @Test func negativeOrNaNWeightsAndNaNValuesThrow() throws {
    var histogram = Histogram(options: .vpaCPU)
    #expect(throws: VerticalAutoscalingError.invalidSampleWeight(-1)) {
      try histogram.addSample(1, weight: -1)
    }
    #expect(throws: VerticalAutoscalingError.self) { try histogram.addSample(1, weight: .nan) }
    #expect(throws: VerticalAutoscalingError.self) { try histogram.addSample(.nan, weight: 1) }
    #expect(throws: VerticalAutoscalingError.self) { try histogram.subtractSample(1, weight: -1) }
    #expect(histogram.isEmpty)
    #expect(histogram.totalWeight == 0)
    var decaying = try DecayingHistogram(options: .vpaCPU, halfLife: .seconds(3600))
    #expect(throws: VerticalAutoscalingError.self) {
      try decaying.addSample(1, weight: .infinity, at: .seconds(0))
    }
    #expect(throws: VerticalAutoscalingError.self) {
      _ = try DecayingHistogram(options: .vpaCPU, halfLife: .zero)
    }
  }

  @Test func mergingDifferentSchemesThrows() throws {
    var cpu = Histogram(options: .vpaCPU)
    #expect(throws: VerticalAutoscalingError.histogramOptionsMismatch) {
      try cpu.merge(Histogram(options: .vpaMemory))
    }
    var a = try DecayingHistogram(options: .vpaCPU, halfLife: .seconds(60))
    #expect(throws: VerticalAutoscalingError.histogramOptionsMismatch) {
      try a.merge(try DecayingHistogram(options: .vpaCPU, halfLife: .seconds(120)))
    }
  }

  // Spec §8: an empty histogram gives percentile 0, never NaN.
  @Test func emptyHistogramPercentileIsZero() throws {
    let histogram = try DecayingHistogram(options: .vpaMemory, halfLife: .seconds(86_400))
    for p in [-1.0, 0, 0.5, 0.95, 1, 2] { #expect(histogram.percentile(p) == 0) }
  }
}

@Suite struct DecayingHistogramTests {
  // Go's Time.Round rounds halves up, counted from Go's zero time: 04:30:00 → 05:00:00.
  @Test func referenceRoundsHalfUp() throws {
    var histogram = try DecayingHistogram(
      options: try HistogramOptions(linearMaxValue: 10, bucketSize: 1, epsilon: 1e-15),
      halfLife: .seconds(3600))
    try histogram.addSample(1, weight: 1, at: try Timestamp.parse("2020-01-01T04:30:00Z"))
    #expect(Timestamp.format(histogram.referenceTimestamp) == "2020-01-01T05:00:00Z")
    var other = try DecayingHistogram(
      options: try HistogramOptions(linearMaxValue: 10, bucketSize: 1, epsilon: 1e-15),
      halfLife: .seconds(3600))
    try other.addSample(1, weight: 1, at: try Timestamp.parse("2020-01-01T04:29:59Z"))
    #expect(Timestamp.format(other.referenceTimestamp) == "2020-01-01T04:00:00Z")
  }

  // A sample one half-life after the reference weighs twice its nominal weight.
  @Test func weightDoublesPerHalfLife() throws {
    let options = try HistogramOptions(linearMaxValue: 10, bucketSize: 1, epsilon: 1e-15)
    var histogram = try DecayingHistogram(options: options, halfLife: .seconds(3600))
    let t0 = try Timestamp.parse("2020-01-01T04:00:00Z")
    try histogram.addSample(1, weight: 1, at: t0)
    try histogram.addSample(2, weight: 1, at: t0 + .seconds(3600))
    #expect(histogram.histogram.bucketWeights[1] == 1)
    #expect(histogram.histogram.bucketWeights[2] == 2)
    #expect(histogram.histogram.totalWeight == 3)
  }

  @Test func timestampsRoundTrip() throws {
    for text in [
      "1970-01-01T00:00:00Z", "2009-02-13T23:31:30Z", "2024-02-29T12:00:59Z",
      "0001-01-01T00:00:00Z",
    ] {
      #expect(Timestamp.format(try Timestamp.parse(text)) == text)
    }
    #expect(try Timestamp.parse("0001-01-01T00:00:00Z") == .distantPast)
    #expect(
      try Timestamp.parse("2018-01-01T04:03:04.5+02:00")
        == Timestamp.parse("2018-01-01T02:03:04.5Z"))
    #expect(throws: VerticalAutoscalingError.self) { try Timestamp.parse("2018-13-01T00:00:00Z") }
    #expect(throws: VerticalAutoscalingError.self) { try Timestamp.parse("yesterday") }
  }
}
