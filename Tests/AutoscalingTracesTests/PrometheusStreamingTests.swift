import Foundation
import Testing
import _AutoscalingTestSupport

@testable import AutoscalingTraces

/// A small response and the options to read it with.
struct StreamingCase: CustomTestStringConvertible, Sendable {
  var name: String
  var text: String
  var options: PrometheusOptions
  var testDescription: String { name }
  var bytes: [UInt8] { Array(text.utf8) }
}

private let splitByPod = PrometheusOptions(
  grouping: .split(key: "pod", aggregation: .mean, fill: .hold),
  policies: ReadPolicies(invalidValues: .skipRow))

/// Documents that exercise every token kind a chunk boundary can cut: strings with escapes
/// (`\"`, `\\`, `\u00e9`, a surrogate pair), numbers with fractions and exponents, words,
/// skipped nested values, CRLF line ends, a byte order mark, and errors of each kind.
private let streamingCases: [StreamingCase] = [
  StreamingCase(
    name: "two series split by pod",
    text: """
      {
        "status": "success",
        "data": {
          "resultType": "matrix",
          "result": [
            {"metric": {"__name__": "rps", "pod": "web-b"},
             "values": [[1700000000, "10"], [1700000015, "12.5"], [1700000030, "11"]]},
            {"metric": {"__name__": "rps", "pod": "web-a"},
             "values": [[1700000000.25, "4"], [1700000015.5, "NaN"], [1700000030, "6e0"]]}
          ]
        }
      }
      """, options: splitByPod),
  StreamingCase(
    name: "escapes, words and skipped values",
    text: "\u{FEFF}{\"status\":\"success\",\"warnings\":[\"a \\\"quoted\\\" \\\\ \\u00e9 \\ud83d\\ude00\","
      + "{\"x\":[true,false,null,-1.5e-3,0]}],\"data\":{\"resultType\":\"matrix\",\"result\":"
      + "[{\"metric\":{\"pod\":\"w\\u00e9b\\/1\"},\"values\":[[1700000000,\"1\"],[1700000001.5,\"-0\"]]}]"
      + ",\"stats\":{\"timings\":{\"evalTotalTime\":1.25e-4}}}}", options: splitByPod),
  StreamingCase(
    name: "CRLF lines, vector result, fold sum",
    text: "{\r\n\"data\": {\"resultType\": \"vector\",\r\n \"result\": [\r\n"
      + " {\"metric\": {}, \"value\": [1700000000.125, \"3\"]},\r\n"
      + " {\"metric\": {\"pod\": \"b\"}, \"value\": [1700000000.125, \"4.5\"]}\r\n]}}\r\n",
    options: PrometheusOptions(grouping: .fold(aggregation: .sum, key: nil))),
  StreamingCase(
    name: "values before metric",
    text: #"{"data":{"result":[{"values":[[1,"1"],[2,"2"]],"metric":{"pod":"z"}},"#
      + #"{"metric":{"pod":"a"},"values":[[1,"5"],[2,"6"]]}]}}"#, options: splitByPod),
  StreamingCase(
    name: "unsorted samples (error naming both)",
    text: "{\"data\":{\"result\":[{\"metric\":{\"pod\":\"a\"},\n\"values\":[[10,\"1\"],\n[5,\"2\"]]}]}}",
    options: PrometheusOptions()),
  StreamingCase(
    name: "bucketed samples then a JSON error in the same series",
    text: #"{"data":{"result":[{"metric":{},"values":[[60,"1"],[61,"2"],[62,"3"] x]}]}}"#,
    options: PrometheusOptions(bucketMilliseconds: 60_000)),
  StreamingCase(
    name: "bucketed samples (one series, two samples in one minute: their mean)",
    text: #"{"data":{"result":[{"metric":{},"values":[[60,"1"],[61,"2"]]}]}}"#,
    options: PrometheusOptions(bucketMilliseconds: 60_000)),
  StreamingCase(
    name: "duplicate key in a skipped object",
    text: #"{"stats":{"a":1,"b":{"c":[1,2]}, "a":2},"data":{"result":[]}}"#,
    options: PrometheusOptions()),
  StreamingCase(
    name: "bad escape, bad number, bad word",
    text: #"{"warnings":["ok","\q"],"data":{"result":[[01]]}}"#, options: PrometheusOptions()),
  StreamingCase(
    name: "error response", text: #"{"status":"error","errorType":"bad_data","error":"parse error at char 4"}"#,
    options: PrometheusOptions()),
  StreamingCase(
    name: "negative value rejected",
    text: #"{"data":{"result":[{"metric":{"pod":"a"},"values":[[1,"1"],[2,"-2.5"]]}]}}"#,
    options: PrometheusOptions()),
]

@Suite struct PrometheusStreamingTests {
  /// The bytes read; the same through the streaming scanner fed `pieces`.
  private func outcome(_ read: () throws(TraceError) -> TimeSeries) -> Result<TimeSeries, TraceError> {
    do throws(TraceError) { return .success(try read()) } catch { return .failure(error) }
  }

  /// Every split of the document into two pieces, and into pieces of 1, 2, 3 and 7 bytes,
  /// reads exactly as the one-buffer parse (series, or error with its line and column).
  @Test(arguments: streamingCases)
  func everySplitPointReadsAsOneBuffer(_ testCase: StreamingCase) {
    let bytes = testCase.bytes
    let whole = outcome { () throws(TraceError) in
      try TraceReader.readPrometheus(bytes: bytes, file: "s.json", options: testCase.options)
    }
    for cut in 1..<bytes.count {
      let split = outcome { () throws(TraceError) in
        try TraceReader.readPrometheus(
          pieces: [Array(bytes[..<cut]), Array(bytes[cut...])], file: "s.json",
          options: testCase.options)
      }
      #expect(split == whole, "split at byte \(cut)")
    }
    for size in [1, 2, 3, 7] {
      let pieces = stride(from: 0, to: bytes.count, by: size).map {
        Array(bytes[$0..<min($0 + size, bytes.count)])
      }
      let chunked = outcome { () throws(TraceError) in
        try TraceReader.readPrometheus(pieces: pieces, file: "s.json", options: testCase.options)
      }
      #expect(chunked == whole, "pieces of \(size) bytes")
    }
  }

  /// Every truncation of a valid document gives the same error in one buffer as in pieces of
  /// one byte (the scanner meets the end of the input inside every kind of token).
  @Test func everyTruncationReadsAsOneBuffer() {
    let bytes = streamingCases[1].bytes + streamingCases[0].bytes
    for end in 0..<bytes.count {
      let prefix = Array(bytes[..<end])
      let whole = outcome { () throws(TraceError) in
        try TraceReader.readPrometheus(bytes: prefix, file: "t.json", options: splitByPod)
      }
      let pieces = prefix.map { [$0] }
      let chunked = outcome { () throws(TraceError) in
        try TraceReader.readPrometheus(pieces: pieces, file: "t.json", options: splitByPod)
      }
      #expect(chunked == whole, "prefix of \(end) bytes")
    }
  }

  /// Cases whose values are known by hand, so the comparison above is not between two
  /// equally wrong reads.
  @Test func handValues() throws {
    let first = try TraceReader.readPrometheus(
      pieces: streamingCases[0].bytes.map { [$0] }, options: splitByPod)
    #expect(first.columnNames == ["web-a", "web-b"])
    #expect(
      first.timestamps == [1_700_000_000_000, 1_700_000_000_250, 1_700_000_015_000, 1_700_000_030_000])
    // web-b is held at .250 s; web-a's NaN (15.5 s) was skipped, so 4 is held at 15 s.
    #expect(first.values(of: "web-b") == [10, 10, 12.5, 11])
    #expect(first.values(of: "web-a").map { Array($0.dropFirst()) } == [4, 4, 6])
    let escaped = try TraceReader.readPrometheus(
      pieces: streamingCases[1].bytes.map { [$0] }, options: splitByPod)
    #expect(escaped.columnNames == ["wéb/1"])
    #expect(escaped.timestamps == [1_700_000_000_000, 1_700_000_001_500])
    #expect(escaped.values(of: "wéb/1") == [1, 0])
    let early = try TraceReader.readPrometheus(
      pieces: streamingCases[3].bytes.map { [$0] }, options: splitByPod)
    #expect(early.columnNames == ["a", "z"])
    #expect(early.values(of: "z") == [1, 2])
    #expect(early.values(of: "a") == [5, 6])
    let bucketed = try TraceReader.readPrometheus(
      pieces: streamingCases[6].bytes.map { [$0] }, options: streamingCases[6].options)
    #expect(bucketed.timestamps == [60_000])
    #expect(bucketed.values(of: "value") == [1.5])
  }

  /// Hand-located errors, read one byte at a time.
  // Property: a sample's value is bit for bit what `Double(String)` (the standard library's
  // correctly rounded parser) makes of its text, whether the reader's byte scanner takes it (plain
  // decimal text) or the general path does (hex, 20+ digits, a trailing point, words); texts it
  // cannot read are skipped under the skip-row policy, as non-finite ones are.
  @Test func sampleValuesMatchTheStandardLibrary() throws {
    var texts = [
      "0", "-0", "5.", ".5", "+5", "1e22", "1e23", "4.9e-324", "1.7976931348623157e308", "1e309",
      "0x1p3", "12345678901234567890123", "123456789012345678.9", "1e", " 5", "NaN", "+Inf", "-Inf",
      "inf", "1.5E-3", "-12.25",
    ]
    var generator = SplitMix64(seed: 0x9E0_5A17)
    for _ in 0..<2_000 {
      var text = Int.random(in: 0..<4, using: &generator) == 0 ? "-" : ""
      let digits = Int.random(in: 1...21, using: &generator)
      let point = Int.random(in: 0...(digits + 1), using: &generator)
      for index in 0..<digits {
        if index == point { text += "." }
        text += String(Int.random(in: 0...9, using: &generator))
      }
      if Bool.random(using: &generator) { text += "e\(Int.random(in: -30...30, using: &generator))" }
      texts.append(text)
    }
    let samples = texts.enumerated().map { "[\($0.offset + 1), \"\($0.element)\"]" }
    let document = #"{"data":{"result":[{"metric":{"pod":"p"},"values":["#
      + samples.joined(separator: ",") + "]}]}}"
    let series = try TraceReader.readPrometheus(
      bytes: Array(document.utf8),
      options: PrometheusOptions(policies: ReadPolicies(invalidValues: .skipRow, negativeValues: .keep)))
    var expectedTimes: [Int64] = []
    var expectedBits: [UInt64] = []
    for (index, text) in texts.enumerated() {
      guard let value = Double(text), value.isFinite else { continue }
      expectedTimes.append(Int64(index + 1) * 1_000)
      expectedBits.append(value.bitPattern)
    }
    #expect(series.timestamps == expectedTimes)
    #expect(series.columns.first?.values.map(\.bitPattern) == expectedBits)
  }

  @Test func errorsKeepTheirPositions() {
    func message(_ index: Int) -> String {
      do {
        _ = try TraceReader.readPrometheus(
          pieces: streamingCases[index].bytes.map { [$0] }, file: "s.json",
          options: streamingCases[index].options)
        return "no error"
      } catch { return error.description }
    }
    // Line 3, the `[5` pair's timestamp is at column 2; the previous sample at line 2, column 12.
    #expect(
      message(4)
        == "s.json:3:2: series 1 {pod=\"a\"}, sample 2: timestamp 5000 ms is earlier than the "
        + "previous sample's 10000 ms (line 2, column 12); samples must be in time order (or "
        + "read with order policy .sort)")
    // The `x` after the third sample, column 70.
    #expect(message(5).hasPrefix("s.json:1:70: invalid JSON: "))
    // The second "a" key of the skipped object is located where its scan starts: the space
    // after the comma, column 33.
    #expect(message(7) == "s.json:1:33: invalid JSON: duplicate key \"a\"")
  }

  /// A file larger than several chunks, with labels and numbers across chunk boundaries,
  /// reads through the path entry point exactly as from bytes.
  @Test func largeFileThroughThePathEqualsBytes() throws {
    var generator = SplitMix64(seed: 0x5EED_0003)
    var text = #"{"status":"success","data":{"resultType":"matrix","result":["#
    let longLabel = String(repeating: "label-\\u00e9-", count: 20_000)  // ≈ 260 KB of one string
    for series in 0..<8 {
      text += series == 0 ? "" : ","
      text += #"{"metric":{"pod":"p\#(series)","note":"\#(longLabel)"},"values":["#
      for sample in 0..<6_000 {
        let value = Double(generator.next() % 1_000_000) / 1_000
        text += (sample == 0 ? "" : ",") + "[\(1_700_000_000 + sample * 15).\(sample % 1000),\"\(value)\"]"
      }
      text += "]}"
    }
    text += "]}}"
    let bytes = Array(text.utf8)
    #expect(bytes.count > 3 * TraceReader.chunkSize)
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("prometheus-streaming-\(ProcessInfo.processInfo.processIdentifier).json").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let options = PrometheusOptions(grouping: .split(key: "pod", aggregation: .mean, fill: .hold))
    let fromFile = try TraceReader.readPrometheus(path: path, options: options)
    let fromBytes = try TraceReader.readPrometheus(
      bytes: bytes, file: (path as NSString).lastPathComponent, options: options)
    #expect(fromFile == fromBytes)
    #expect(fromFile.count == 6_000)
    #expect(fromFile.columnNames == (0..<8).map { "p\($0)" })
    // A truncated copy fails the same way from the file as from bytes.
    let cut = Array(bytes[..<(bytes.count - 1_000)])
    #expect(FileManager.default.createFile(atPath: path, contents: Data(cut)))
    let fileError = outcome { () throws(TraceError) in try TraceReader.readPrometheus(path: path, options: options) }
    let bytesError = outcome { () throws(TraceError) in
      try TraceReader.readPrometheus(
        bytes: cut, file: (path as NSString).lastPathComponent, options: options)
    }
    #expect(fileError == bytesError)
    if case .success = fileError { Issue.record("a truncated file read without error") }
  }
}
