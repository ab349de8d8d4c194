import AutoscalingTraces
import Foundation
import Testing
import _AutoscalingTestSupport

private func series(_ times: [Int64], _ values: [Double], name: String = "v") throws -> TimeSeries {
  try TimeSeries(
    timestamps: times, columns: [.init(name: name, unit: "u", values: values)],
    source: TraceSource(name: name))
}

@Suite struct OperationsTests {
  // Expected values worked out by hand from the bucket definitions.

  @Test func downsampleAggregations() throws {
    let input = try series([0, 15_000, 30_000, 45_000, 60_000], [1, 2, 3, 4, 5])
    #expect(
      try input.resampled(stepMilliseconds: 60_000, aggregation: .mean).values(of: "v") == [2.5, 5])
    #expect(
      try input.resampled(stepMilliseconds: 60_000, aggregation: .max).values(of: "v") == [4, 5])
    #expect(
      try input.resampled(stepMilliseconds: 60_000, aggregation: .sum).values(of: "v") == [10, 5])
    #expect(
      try input.resampled(stepMilliseconds: 60_000, aggregation: .last).values(of: "v") == [4, 5])
    #expect(
      try input.resampled(stepMilliseconds: 60_000, aggregation: .count).values(of: "v") == [4, 1])
    #expect(try input.resampled(stepMilliseconds: 60_000).timestamps == [0, 60_000])
  }

  @Test func upsampleWithGapPolicies() throws {
    let input = try series([0, 60_000], [1, 2])
    let held = try input.resampled(stepMilliseconds: 15_000, gaps: .hold)
    #expect(held.timestamps == [0, 15_000, 30_000, 45_000, 60_000])
    #expect(held.values(of: "v") == [1, 1, 1, 1, 2])
    #expect(
      try input.resampled(stepMilliseconds: 15_000, gaps: .zero).values(of: "v") == [1, 0, 0, 0, 2])
    #expect(throws: TraceError.self) { try input.resampled(stepMilliseconds: 15_000, gaps: .error) }
    #expect(throws: TraceError.self) { try input.resampled(stepMilliseconds: 0) }
  }

  @Test func resampleAlignsToOrigin() throws {
    let input = try series([7_000, 22_000], [1, 2])
    let grid = try input.resampled(stepMilliseconds: 15_000)
    #expect(grid.timestamps == [0, 15_000])
    #expect(grid.values(of: "v") == [1, 2])
  }

  @Test func sliceScaleShift() throws {
    let input = try series([0, 15_000, 30_000, 45_000], [1, 2, 3, 4])
    let slice = input.sliced(fromMilliseconds: 15_000, toMilliseconds: 45_000)
    #expect(slice.timestamps == [15_000, 30_000])
    #expect(slice.values(of: "v") == [2, 3])
    #expect(input.sliced(fromMilliseconds: 50_000, toMilliseconds: 10).isEmpty)
    #expect(try input.scaled(by: 2).values(of: "v") == [2, 4, 6, 8])
    #expect(throws: TraceError.self) { try input.scaled(by: .infinity) }
    #expect(throws: TraceError.self) { try input.scaled(by: 2, columns: ["nope"]) }
    #expect(input.shifted(byMilliseconds: -15_000).timestamps == [-15_000, 0, 15_000, 30_000])
  }

  @Test func alignSeveralSeries() throws {
    let fast = try series(
      [0, 15_000, 30_000, 45_000, 60_000, 75_000], [1, 2, 3, 4, 5, 6], name: "a")
    let slow = try series([30_000, 90_000], [10, 20], name: "b")
    let aligned = try TimeSeries.aligned([fast, slow], stepMilliseconds: 30_000)
    // Common span [30 s, 75 s]: fast buckets 30 s → mean(3,4), 60 s → mean(5,6); slow holds 10.
    #expect(aligned.timestamps == [30_000, 60_000])
    #expect(aligned.values(of: "a") == [3.5, 5.5])
    #expect(aligned.values(of: "b") == [10, 10])
    let apart = try series([100_000, 200_000], [1, 2], name: "c")
    #expect(throws: TraceError.self) {
      try TimeSeries.aligned([fast, apart], stepMilliseconds: 15_000)
    }
  }

  @Test func invariantsAreChecked() {
    #expect(throws: TraceError.self) { try series([0, 0], [1, 2]) }
    #expect(throws: TraceError.self) { try series([0, 1], [1]) }
    #expect(throws: TraceError.self) { try series([0, 1], [1, .nan]) }
  }
}

@Suite struct WriterTests {
  @Test func canonicalCSVText() throws {
    let input = try TimeSeries(
      timestamps: [0, 15_000],
      columns: [.init(name: "qps", unit: "requests/s", values: [1, 0.25])],
      source: TraceSource(name: "x.csv", notes: ["a note"]))
    let expected = """
      # swift-autoscaling trace v1
      # source: x.csv
      # note: a note
      # unit qps: requests/s
      timestamp_ms,qps
      0,1
      15000,0.25

      """
    #expect(CSVWriter.csv(input) == expected)
  }

  @Test func roundTripsExactly() throws {
    // Property: for random finite values (tiny, huge, negative-free) writing then reading gives
    // back the same timestamps, values and units, bit for bit.
    var generator = SplitMix64(seed: 0x5EED)
    for _ in 0..<50 {
      let count = Int.random(in: 1...200, using: &generator)
      var time: Int64 = Int64.random(in: 0...1_800_000_000_000, using: &generator)
      var times: [Int64] = []
      var a: [Double] = []
      var b: [Double] = []
      for _ in 0..<count {
        time += Int64.random(in: 1...60_000, using: &generator)
        times.append(time)
        a.append(Double.random(in: 0...1e6, using: &generator))
        let exponent = Double(Int.random(in: -300...300, using: &generator))
        b.append(Double.random(in: 1...10, using: &generator) * pow(10, exponent))
      }
      let input = try TimeSeries(
        timestamps: times,
        columns: [.init(name: "a", unit: "cores", values: a), .init(name: "b", values: b)],
        source: TraceSource(name: "r"))
      let text = CSVWriter.csv(input)
      let output = try TraceReader.readCSV(bytes: Array(text.utf8), file: "r")
      #expect(output.timestamps == input.timestamps)
      #expect(output.columns == input.columns)
    }
  }

  @Test func writesFiles() throws {
    let path = NSTemporaryDirectory() + "traces-writer-\(getpid()).csv"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let input = try series([1_000, 2_000], [3, 4])
    try CSVWriter.write(input, to: path)
    let output = try TraceReader.readCSV(path: path)
    #expect(output.values(of: "v") == [3, 4])
    #expect(output.column(named: "v")?.unit == "u")
  }
}

@Suite struct PrometheusTests {
  // The fixture was written by hand: pod web-b = 10, 12.5, 11; web-a = 4, NaN (at 15.5 s), 6.
  let bytes =
    (try? Array(Data(contentsOf: URL(fileURLWithPath: Fixtures.path("prometheus-range.json")))))
    ?? []

  @Test func splitByLabel() throws {
    let series = try TraceReader.readPrometheus(
      bytes: bytes, file: "p.json",
      options: .init(
        grouping: .split(key: "pod", aggregation: .mean, fill: .hold),
        policies: .init(invalidValues: .skipRow)))
    #expect(series.columnNames == ["web-a", "web-b"])
    #expect(series.timestamps == [1_700_000_000_000, 1_700_000_015_000, 1_700_000_030_000])
    #expect(series.values(of: "web-b") == [10, 12.5, 11])
    #expect(series.values(of: "web-a") == [4, 4, 6])  // the NaN sample was skipped, then held
  }

  @Test func foldBySum() throws {
    let series = try TraceReader.readPrometheus(
      bytes: bytes, file: "p.json",
      options: .init(
        grouping: .fold(aggregation: .sum, key: nil), valueName: "rps", unit: "requests/s",
        policies: .init(invalidValues: .skipRow)))
    #expect(series.values(of: "rps") == [14, 12.5, 17])
    #expect(series.column(named: "rps")?.unit == "requests/s")
  }

  @Test func nanUnderTheDefaultPolicyNamesLineColumnAndSeries() {
    // Line 12 of the fixture, the "NaN" string starts at character 54 (counted by hand).
    do {
      _ = try TraceReader.readPrometheus(
        bytes: bytes, file: "p.json",
        options: .init(grouping: .split(key: "pod", aggregation: .mean, fill: .hold)))
      Issue.record("expected an error")
    } catch {
      #expect(
        error.description
          == "p.json:12:54: series 2 {__name__=\"http_requests_per_second\", namespace=\"prod\", "
          + "pod=\"web-a\"}, sample 2: expected a finite number, found \"NaN\" (choose "
          + "invalid-value policy skipRow to drop such samples)")
    }
    do {
      _ = try TraceReader.readPrometheus(
        bytes: bytes, file: "p.json", options: .init(policies: .init(invalidValues: .skipRow)))
      Issue.record("expected an error")
    } catch {
      // The second series object opens on line 10, column 7.
      #expect(
        error.description
          == "p.json:10:7: series 2: the result holds more than one series; choose a grouping "
          + "(split by a label into columns, or fold them with an aggregation)")
    }
  }
}

struct BadPrometheusCase: CustomTestStringConvertible, Sendable {
  var name: String
  var text: String
  var options: PrometheusOptions = .init()
  var message: String
  var testDescription: String { name }
}

@Suite struct PrometheusBadInputTests {
  /// `{"data":{"result":[` is 19 characters, so the first series object opens at column 20;
  /// the other columns were counted by hand from there.
  static let prefix = #"{"data":{"result":["#

  static let cases: [BadPrometheusCase] = [
    BadPrometheusCase(
      name: "truncated",
      text: #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"]"#,
      message:
        "p.json:1:91: invalid JSON: unexpected end of input (the JSON is truncated): expected \",\" or \"]\" in \"values\""
    ),
    BadPrometheusCase(
      name: "error response",
      text: #"{"status":"error","errorType":"bad_data","error":"parse error"}"#,
      message: "p.json: the response is an error: parse error"),
    BadPrometheusCase(
      name: "scalar result",
      text: #"{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}"#,
      message:
        "p.json:1:42: \"resultType\": expected \"matrix\" (query_range) or \"vector\" (query), found \"scalar\""
    ),
    BadPrometheusCase(
      name: "no series",
      text: #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#,
      message: "p.json: no data: the result holds no series"),
    BadPrometheusCase(
      name: "no result",
      text: #"{"status":"success","data":{}}"#,
      message: "p.json: no \"data.result\" array in the response"),
    BadPrometheusCase(
      name: "negative",
      text: prefix + #"{"metric":{"pod":"a"},"values":[[1,"2"],[2,"-1"]]}]}}"#,
      message:
        "p.json:1:63: series 1 {pod=\"a\"}, sample 2: negative value -1 (choose a negative-value policy to skip, clamp or keep it)"
    ),
    BadPrometheusCase(
      name: "unsorted",
      text: prefix + #"{"metric":{"pod":"a"},"values":[[2,"1"],[1,"1"]]}]}}"#,
      message:
        "p.json:1:61: series 1 {pod=\"a\"}, sample 2: timestamp 1000 ms is earlier than the previous sample's 2000 ms (line 1, column 53); samples must be in time order (or read with order policy .sort)"
    ),
    BadPrometheusCase(
      name: "duplicate",
      text: prefix + #"{"metric":{"pod":"a"},"values":[[1,"1"],[1,"2"]]}]}}"#,
      message:
        "p.json:1:61: series 1 {pod=\"a\"}, sample 2: timestamp 1000 ms repeats the previous sample (line 1, column 53); choose a duplicate policy (keepFirst, keepLast, combine) or a grouping"
    ),
    BadPrometheusCase(
      name: "timestamp out of range",
      text: prefix + #"{"values":[[1e300,"1"]]}]}}"#,
      message: "p.json:1:32: series 1, sample 1: expected a Unix time in seconds, found 1e300"),
    BadPrometheusCase(
      name: "labels not an object",
      text: prefix + #"{"metric":[1],"values":[]}]}}"#,
      message: "p.json:1:30: series 1: \"metric\" must be an object of labels"),
    BadPrometheusCase(
      name: "gap in a split series",
      // Series "b" has no sample at 2 s; series "a"'s sample there is at column 61.
      text: prefix
        + #"{"metric":{"pod":"a"},"values":[[1,"1"],[2,"1"]]},{"metric":{"pod":"b"},"values":[[1,"1"]]}]}}"#,
      options: .init(grouping: .split(key: "pod", aggregation: .mean, fill: .error)),
      message:
        "p.json:1:61: pod \"b\" has no sample at 2000 ms, the time of this row; choose a fill policy (hold or zero) for split series"
    ),
  ]

  @Test(arguments: cases)
  func rejects(_ testCase: BadPrometheusCase) {
    do {
      let series = try TraceReader.readPrometheus(
        bytes: Array(testCase.text.utf8), file: "p.json", options: testCase.options)
      Issue.record("expected an error, read \(series.count) rows")
    } catch {
      #expect(error.description == testCase.message)
    }
  }
}
