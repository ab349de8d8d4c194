internal import Foundation

/// Options of ``TraceReader/readPrometheus(bytes:file:options:)``.
public struct PrometheusOptions: Hashable, Sendable {
  /// How several series become columns: `.none` accepts exactly one series;
  /// `.split(key: "pod", …)` makes one column per value of the label `pod`;
  /// `.fold(aggregation: .sum, key: "pod")` adds the series up (averaging each `pod` within a
  /// bucket first), `.fold(aggregation: .sum, key: nil)` adds every sample of a timestamp.
  /// A series without the key label counts under the empty value.
  public var grouping: RowGrouping
  /// The column name when the result has one column (default `value`).
  public var valueName: String
  /// The unit of the values.
  public var unit: String
  /// Floor timestamps to multiples of this many milliseconds before grouping.
  public var bucketMilliseconds: Int64?
  /// Data-quality policies (Prometheus writes `NaN` and `+Inf` as values).
  public var policies: ReadPolicies

  /// Creates options.
  ///
  /// - Parameters:
  ///   - grouping: How series become columns.
  ///   - valueName: The column name for a single column.
  ///   - unit: The unit.
  ///   - bucketMilliseconds: Bucket width in milliseconds.
  ///   - policies: Data-quality policies.
  public init(
    grouping: RowGrouping = .none, valueName: String = "value", unit: String = "",
    bucketMilliseconds: Int64? = nil, policies: ReadPolicies = .strict
  ) {
    self.grouping = grouping
    self.valueName = valueName
    self.unit = unit
    self.bucketMilliseconds = bucketMilliseconds
    self.policies = policies
  }
}

extension TraceReader {
  /// Reads a Prometheus HTTP API response of `/api/v1/query_range` (result type `matrix`, or
  /// `vector` from `/api/v1/query`): the whole response, or its `data` object.
  ///
  /// The JSON is walked without building a document tree: memory is the input plus the kept
  /// samples (Prometheus caps a range query at 11,000 points per series).
  ///
  /// - Parameters:
  ///   - bytes: The response body.
  ///   - file: The name used in errors.
  ///   - options: Grouping, naming and policies.
  /// - Returns: The series.
  /// - Throws: ``TraceError`` for malformed or truncated JSON (with line and column), an error
  ///   response (`status: error`), an unsupported result type, or a policy violation.
  public static func readPrometheus(
    bytes: [UInt8], file: String = "<input>", options: PrometheusOptions = .init()
  ) throws(TraceError) -> TimeSeries {
    try withBytes(bytes) { raw throws(TraceError) in
      try PrometheusParser(file: file, options: options).parse(raw)
    }
  }

  /// Reads a Prometheus `query_range` response file.
  ///
  /// Memory: unlike the CSV reader this one does not stream in chunks. The file is mapped
  /// (its pages are the kernel's file cache, which it can drop again, not the process's
  /// heap) and walked in one pass; the heap holds the series being built plus the samples of
  /// one input series at a time (24 bytes each). Prometheus refuses a range query of more than
  /// 11,000 points per series, so that working set is at most 11,000 samples (≈ 264 KB) above
  /// the kept series. The number of series in one response is bounded only by the server's
  /// `--query.max-samples` (50 million by default), which is why the whole response is mapped
  /// rather than copied; split very wide queries by label instead.
  ///
  /// - Parameters:
  ///   - path: The file path; errors name its last component.
  ///   - options: Grouping, naming and policies.
  /// - Returns: The series.
  /// - Throws: ``TraceError``.
  public static func readPrometheus(path: String, options: PrometheusOptions = .init())
    throws(TraceError) -> TimeSeries
  {
    let name = fileName(path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw TraceError(file: name, message: "cannot open the file (does it exist?)")
    }
    guard !isDirectory.boolValue else {
      throw TraceError(file: name, message: "is a directory, not a Prometheus response file")
    }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw TraceError(file: name, message: "cannot read the file: \(error.localizedDescription)")
    }
    return try withBytes(data) { raw throws(TraceError) in
      try PrometheusParser(file: name, options: options).parse(raw)
    }
  }
}

/// Walks a Prometheus response (internal).
struct PrometheusParser {
  let file: String
  let options: PrometheusOptions

  private func located(_ error: ManifestError) -> TraceError {
    TraceError(
      file: file, line: error.line, column: error.column,
      message: "invalid JSON: \(error.message)")
  }

  /// An error about the content (not the JSON syntax) at the scanner's position; `parse`
  /// turns it into a ``TraceError`` without the "invalid JSON" prefix.
  private static func contentError(_ line: Int, _ column: Int, _ message: String) -> ManifestError
  {
    ManifestError(line: line, column: column, message: "policy: " + message)
  }

  func parse(_ raw: UnsafeRawBufferPointer) throws(TraceError) -> TimeSeries {
    var keyName: String?
    switch options.grouping {
    case .none: keyName = nil
    case .fold(_, let key): keyName = key
    case .split(let key, _, _): keyName = key
    }
    var builder = SeriesBuilder(
      file: file, valueNames: [options.valueName], units: [options.unit],
      grouping: options.grouping, policies: options.policies,
      bucketMilliseconds: options.bucketMilliseconds)
    var seriesCount = 0
    var skipped = 0
    var clamped = 0
    let buffer = raw.bindMemory(to: UInt8.self)
    var scanner = JSONScanner(bytes: buffer)
    var sawResult = false
    do throws(ManifestError) {
      try scanner.expect(UInt8(ascii: "{"), "a JSON object (a Prometheus API response)")
      var status: String?
      var errorText: String?
      if !scanner.consume(UInt8(ascii: "}")) {
        repeat {
          let key = try scanner.parseString()
          try scanner.expect(UInt8(ascii: ":"), "\":\"")
          switch key {
          case "status": status = try scanner.parseString()
          case "error": errorText = try scanner.parseString()
          case "data":
            try parseData(&scanner, &builder, keyName, &seriesCount, &skipped, &clamped, &sawResult)
          case "resultType", "result":
            // A bare data object.
            try parseDataField(
              key, &scanner, &builder, keyName, &seriesCount, &skipped, &clamped, &sawResult)
          default: try scanner.skipValue()
          }
        } while scanner.consume(UInt8(ascii: ","))
        try scanner.expect(UInt8(ascii: "}"), "\",\" or \"}\" in an object")
      }
      if status == "error" {
        throw ManifestError(
          line: 1, column: 1,
          message: "the response is an error: \(errorText ?? "no message")")
      }
      if scanner.peek() != nil {
        throw scanner.error("unexpected content after the end of the JSON value")
      }
    } catch {
      if error.message.hasPrefix("the response is an error") {
        throw TraceError(file: file, message: error.message)
      }
      if error.message.hasPrefix("policy: ") {
        throw TraceError(
          file: file, line: error.line, column: error.column,
          message: String(error.message.dropFirst("policy: ".count)))
      }
      throw located(error)
    }
    if !sawResult {
      throw TraceError(file: file, message: "no \"data.result\" array in the response")
    }
    if seriesCount == 0 {
      throw TraceError(file: file, message: "no data: the result holds no series")
    }
    if seriesCount > 1, case .none = options.grouping {
      throw TraceError(
        file: file,
        message: "the result holds \(seriesCount) series; choose a grouping (split by a label "
          + "into columns, or fold them with an aggregation)")
    }
    var notes: [String] = ["\(seriesCount) series read"]
    if skipped > 0 {
      notes.append("\(skipped) samples skipped (NaN, Inf or negative; policy skipRow)")
    }
    if clamped > 0 { notes.append("\(clamped) negative samples set to zero (policy clampToZero)") }
    return try builder.finish(source: TraceSource(name: file, notes: notes))
  }

  private func parseData(
    _ scanner: inout JSONScanner, _ builder: inout SeriesBuilder, _ keyName: String?,
    _ seriesCount: inout Int, _ skipped: inout Int, _ clamped: inout Int, _ sawResult: inout Bool
  ) throws(ManifestError) {
    try scanner.expect(UInt8(ascii: "{"), "the \"data\" object")
    if scanner.consume(UInt8(ascii: "}")) { return }
    repeat {
      let key = try scanner.parseString()
      try scanner.expect(UInt8(ascii: ":"), "\":\"")
      try parseDataField(
        key, &scanner, &builder, keyName, &seriesCount, &skipped, &clamped, &sawResult)
    } while scanner.consume(UInt8(ascii: ","))
    try scanner.expect(UInt8(ascii: "}"), "\",\" or \"}\" in the \"data\" object")
  }

  private func parseDataField(
    _ key: String, _ scanner: inout JSONScanner, _ builder: inout SeriesBuilder,
    _ keyName: String?, _ seriesCount: inout Int, _ skipped: inout Int, _ clamped: inout Int,
    _ sawResult: inout Bool
  ) throws(ManifestError) {
    switch key {
    case "resultType":
      _ = scanner.peek()
      let line = scanner.line
      let column = scanner.column
      let type = try scanner.parseString()
      guard type == "matrix" || type == "vector" else {
        throw Self.contentError(
          line, column,
          "\"resultType\": expected \"matrix\" (query_range) or \"vector\" (query), found "
            + "\"\(type)\"")
      }
    case "result":
      sawResult = true
      try scanner.expect(UInt8(ascii: "["), "the \"result\" array")
      if scanner.consume(UInt8(ascii: "]")) { return }
      repeat {
        if seriesCount == 1, case .none = options.grouping {
          _ = scanner.peek()
          let line = scanner.line
          let column = scanner.column
          throw Self.contentError(
            line, column,
            "series 2: the result holds more than one series; choose a grouping (split by a "
              + "label into columns, or fold them with an aggregation)")
        }
        try parseSeries(&scanner, &builder, keyName, seriesCount + 1, &skipped, &clamped)
        seriesCount += 1
      } while scanner.consume(UInt8(ascii: ","))
      try scanner.expect(UInt8(ascii: "]"), "\",\" or \"]\" in the \"result\" array")
    default:
      try scanner.skipValue()
    }
  }

  /// The samples of one series, with where each was in the file.
  private struct Samples {
    /// 1-based position in the result array.
    var number: Int
    /// The labels read so far (Prometheus writes `metric` before `values`).
    var labels: [String: String] = [:]
    var times: [Int64] = []
    var values: [Double] = []
    var lines: [Int] = []
    var columns: [Int] = []

    /// `series 2 {pod="web-a"}, sample 3` for messages.
    func describe(sample: Int) -> String {
      let labelText = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
      return "series \(number)"
        + (labels.isEmpty ? "" : " {\(labelText.joined(separator: ", "))}")
        + ", sample \(sample)"
    }
  }

  private func parseSeries(
    _ scanner: inout JSONScanner, _ builder: inout SeriesBuilder, _ keyName: String?,
    _ number: Int, _ skipped: inout Int, _ clamped: inout Int
  ) throws(ManifestError) {
    try scanner.expect(UInt8(ascii: "{"), "a series object")
    var samples = Samples(number: number)
    var sampleCount = 0
    if !scanner.consume(UInt8(ascii: "}")) {
      repeat {
        let key = try scanner.parseString()
        try scanner.expect(UInt8(ascii: ":"), "\":\"")
        switch key {
        case "metric":
          let node = try scanner.parseValue()
          guard case .mapping(let entries) = node.value else {
            throw Self.contentError(
              node.line, node.column,
              "series \(number): \"metric\" must be an object of labels")
          }
          for entry in entries { samples.labels[entry.key] = entry.value.scalarText ?? "" }
        case "values":
          try scanner.expect(UInt8(ascii: "["), "the \"values\" array")
          if !scanner.consume(UInt8(ascii: "]")) {
            repeat {
              sampleCount += 1
              try parseSample(&scanner, &samples, sampleCount, builder.isGrouping, &skipped, &clamped)
            } while scanner.consume(UInt8(ascii: ","))
            try scanner.expect(UInt8(ascii: "]"), "\",\" or \"]\" in \"values\"")
          }
        case "value":
          sampleCount += 1
          try parseSample(&scanner, &samples, sampleCount, builder.isGrouping, &skipped, &clamped)
        default:
          try scanner.skipValue()
        }
      } while scanner.consume(UInt8(ascii: ","))
      try scanner.expect(UInt8(ascii: "}"), "\",\" or \"}\" in a series object")
    }
    let keyID = keyName.map { builder.keyID(samples.labels[$0] ?? "") } ?? 0
    for index in samples.times.indices {
      do throws(TraceError) {
        try builder.add(
          time: samples.times[index], key: keyID, row: [samples.values[index]],
          line: samples.lines[index], column: samples.columns[index])
      } catch {
        throw Self.contentError(
          samples.lines[index], samples.columns[index], error.message)
      }
    }
  }

  private func parseSample(
    _ scanner: inout JSONScanner, _ samples: inout Samples, _ sample: Int, _ grouping: Bool,
    _ skipped: inout Int, _ clamped: inout Int
  ) throws(ManifestError) {
    try scanner.expect(UInt8(ascii: "["), "a [timestamp, \"value\"] pair")
    _ = scanner.peek()
    let line = scanner.line
    let column = scanner.column
    let range = try scanner.parseNumberRange()
    let raw = UnsafeRawBufferPointer(scanner.bytes)
    guard let time = parseDecimalMilliseconds(raw, range.lowerBound, range.upperBound, scale: 1_000)
    else {
      throw Self.contentError(
        line, column,
        "\(samples.describe(sample: sample)): expected a Unix time in seconds, found "
          + String(decoding: raw[range], as: UTF8.self))
    }
    try scanner.expect(UInt8(ascii: ","), "\",\" between timestamp and value")
    _ = scanner.peek()
    let valueLine = scanner.line
    let valueColumn = scanner.column
    let text = try scanner.parseString()
    try scanner.expect(UInt8(ascii: "]"), "\"]\" closing a sample")
    var value = Double(text) ?? .nan
    if !value.isFinite {
      if options.policies.invalidValues == .skipRow {
        skipped += 1
        return
      }
      throw Self.contentError(
        valueLine, valueColumn,
        "\(samples.describe(sample: sample)): expected a finite number, found \"\(text)\" "
          + "(choose invalid-value policy skipRow to drop such samples)")
    }
    if value < 0 {
      switch options.policies.negativeValues {
      case .reject:
        throw Self.contentError(
          valueLine, valueColumn,
          "\(samples.describe(sample: sample)): negative value \(text) (choose a negative-value "
            + "policy to skip, clamp or keep it)")
      case .skipRow:
        skipped += 1
        return
      case .clampToZero:
        clamped += 1
        value = 0
      case .keep: break
      }
    }
    // One series read without grouping: its samples must go forward in time. Checked here
    // so the error can point at both samples (a response is often a single line).
    if !grouping, let previous = samples.times.last, time <= previous,
      let previousLine = samples.lines.last, let previousColumn = samples.columns.last
    {
      if time < previous && options.policies.order == .reject {
        throw Self.contentError(
          line, column,
          "\(samples.describe(sample: sample)): timestamp \(time) ms is earlier than the "
            + "previous sample's \(previous) ms (line \(previousLine), column \(previousColumn)); "
            + "samples must be in time order (or read with order policy .sort)")
      }
      if time == previous && options.policies.duplicates == .reject {
        throw Self.contentError(
          line, column,
          "\(samples.describe(sample: sample)): timestamp \(time) ms repeats the previous "
            + "sample (line \(previousLine), column \(previousColumn)); choose a duplicate policy "
            + "(keepFirst, keepLast, combine) or a grouping")
      }
    }
    samples.times.append(time)
    samples.values.append(value)
    samples.lines.append(line)
    samples.columns.append(column)
  }
}
