import AutoscalingCore
import Testing
import _AutoscalingTestSupport
import VerticalAutoscaling

enum HistogramVectors {
  /// Plain and decaying histograms driven by `steps`.
  static func run(_ vector: VPAVector) throws {
    let given = vector.given
    let options = try Given.options(given["options"])
    let tolerance = vector.json["tolerance"]
    let start = given["start_time"].isNull ? Given.base : try Given.instant(given["start_time"])
    let decaying = given["half_life_s"].exists
    var plain = Histogram(options: options)
    var decayed = try DecayingHistogram(
      options: options, halfLife: Given.seconds(given["half_life_s"]).clampedPositive)

    func add(_ args: JSONValue) throws {
      let value = try #require(args["value"].double)
      let weight = try #require(args["weight"].double)
      if decaying {
        try decayed.addSample(value, weight: weight, at: Given.offset(start, args["time_offset_s"]))
      } else {
        try plain.addSample(value, weight: weight)
      }
    }
    for sample in given["samples"].array { try add(sample) }
    for step in vector.steps {
      let args = step["args"]
      switch step["op"].string {
      case "add_sample": try add(args)
      case "subtract_sample":
        let value = try #require(args["value"].double)
        let weight = try #require(args["weight"].double)
        if decaying {
          try decayed.subtractSample(
            value, weight: weight, at: Given.offset(start, args["time_offset_s"]))
        } else {
          try plain.subtractSample(value, weight: weight)
        }
      case "percentile":
        let p = try #require(args["p"].double)
        let actual = decaying ? decayed.percentile(p) : plain.percentile(p)
        expectClose(
          actual, try #require(step["expect"]["value"].double), tolerance, "percentile(\(p))")
      case "is_empty":
        let actual = decaying ? decayed.isEmpty : plain.isEmpty
        #expect(actual == step["expect"]["value"].bool)
      default: Issue.record("unknown step \(step["op"])")
      }
    }
  }

  /// Histogram checkpoint save/load vectors.
  static func runCheckpoint(_ vector: VPAVector) throws {
    let given = vector.given
    let options = try Given.options(given["options"])
    let expected = vector.expected
    if given["half_life_s"].exists {
      // decaying.checkpoint.save
      let start = try Given.instant(given["start_time"])
      var histogram = try DecayingHistogram(
        options: options, halfLife: Given.seconds(given["half_life_s"]))
      for sample in given["samples"].array {
        try histogram.addSample(
          try #require(sample["value"].double), weight: try #require(sample["weight"].double),
          at: Given.offset(start, sample["time_offset_s"]))
      }
      let checkpoint = histogram.checkpoint()
      let reference = try #require(checkpoint.referenceTimestamp)
      #expect((reference == .distantPast) == expected["reference_timestamp_is_zero"].bool)
      #expect(
        (reference == histogram.referenceTimestamp)
          == expected["checkpoint_reference_timestamp_equals_histogram_reference"].bool)
      #expect(!checkpoint.bucketWeights.isEmpty == expected["bucket_weights_non_empty"].bool)
      #expect((checkpoint.totalWeight != 0) == expected["total_weight_non_zero"].bool)
      // Derived in the vector's notes: 03:31:30 rounds to the hour 04:00:00 (from Go's zero time).
      let sampleTime = Given.offset(start, given["samples"].array[0]["time_offset_s"])
      #expect(Timestamp.format(sampleTime) == "2009-02-18T03:31:30Z")
      #expect(Timestamp.format(reference) == "2009-02-18T04:00:00Z")
      return
    }
    if given["checkpoint"].exists {
      var checkpoint = HistogramCheckpoint(
        totalWeight: given["checkpoint"]["total_weight"].double ?? 0)
      for (key, value) in given["checkpoint"]["bucket_weights"].object {
        checkpoint.bucketWeights[try #require(Int(key))] = UInt32(try #require(value.int64))
      }
      var histogram = Histogram(options: options)
      let failed: Bool
      do {
        try histogram.load(checkpoint)
        failed = false
      } catch {
        failed = true
      }
      #expect(failed == expected["error"].bool)
      return
    }
    var histogram = Histogram(options: options)
    for sample in given["samples"].array {
      try histogram.addSample(
        try #require(sample["value"].double), weight: try #require(sample["weight"].double))
    }
    let checkpoint = histogram.checkpoint()
    #expect(checkpoint.totalWeight == expected["checkpoint"]["total_weight"].double)
    var expectedWeights: [Int: UInt32] = [:]
    for (key, value) in expected["checkpoint"]["bucket_weights"].object {
      expectedWeights[try #require(Int(key))] = UInt32(try #require(value.int64))
    }
    #expect(checkpoint.bucketWeights == expectedWeights)
  }
}

extension Duration {
  /// Half-lives in the vectors are positive; keep a placeholder positive for plain histograms.
  var clampedPositive: Duration { self > .zero ? self : .seconds(3600) }
}
