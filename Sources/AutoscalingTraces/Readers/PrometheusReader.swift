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
  /// The JSON is walked without building a document tree, each sample going straight into
  /// the series being built: memory is the input plus the kept series.
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
    try bytes.withUnsafeBufferPointer { buffer throws(TraceError) in
      var scanner = JSONScanner(bytes: buffer)
      return try PrometheusParser(file: file, options: options).parse(&scanner)
    }
  }

  /// Reads a Prometheus `query_range` response file, streaming it.
  ///
  /// Memory: the file is read in ``chunkSize`` chunks by a JSON scanner that resumes where
  /// the previous chunk ended, and each sample goes straight into the series being built. The
  /// heap holds the kept series (one timestamp and one value per kept row, or per time and
  /// group when folding or splitting), the labels of the series being read, one chunk and the
  /// longest single JSON string or number in the file — not the file. (Only a series whose
  /// `values` come before its `metric` labels, which Prometheus never writes, is held until
  /// its labels are read.) The result is the same as ``readPrometheus(bytes:file:options:)``
  /// on the file's content, errors included.
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
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw TraceError(
        file: name, message: "cannot read the file: \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    var scanner = JSONScanner(chunkSize: chunkSize) { buffer in
      while true {
        let count = read(descriptor, buffer.baseAddress, buffer.count)
        if count >= 0 { return .success(count) }
        if errno == EINTR { continue }
        return .failure(
          TraceError(
            file: name, message: "cannot read the file: \(String(cString: strerror(errno)))"))
      }
    }
    return try PrometheusParser(file: name, options: options).parse(&scanner)
  }

  /// Reads a response delivered in the given pieces, one read each (internal: tests split a
  /// document at every point and compare with the one-buffer read).
  static func readPrometheus(
    pieces: [[UInt8]], file: String = "<input>", options: PrometheusOptions = .init()
  ) throws(TraceError) -> TimeSeries {
    var next = 0
    let largest = pieces.map(\.count).max() ?? 1
    var scanner = JSONScanner(chunkSize: largest) { buffer in
      guard next < pieces.count else { return .success(0) }
      let piece = pieces[next]
      next += 1
      buffer.copyBytes(from: piece)
      return .success(piece.count)
    }
    return try PrometheusParser(file: file, options: options).parse(&scanner)
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

  /// The value of a sample's string (`"12.5"`, `"NaN"`, `"+Inf"`): plain decimal text through
  /// the byte scanner the CSV reader uses (bit for bit the standard library's correctly rounded
  /// result, see `scanPlainNumber`), anything else through `Double(String)`; `nan` when neither
  /// reads it, so the caller's finite-value policy decides.
  @inline(__always)
  private static func sampleValue(_ text: inout String) -> Double {
    let plain = text.withUTF8 { buffer -> Double? in
      let raw = UnsafeRawBufferPointer(buffer)
      guard let (value, end) = scanPlainNumber(raw, 0, raw.count), end == raw.count else {
        return nil
      }
      return value
    }
    return plain ?? Double(text) ?? .nan
  }

  /// An error about the content (not the JSON syntax) at the scanner's position; `parse`
  /// turns it into a ``TraceError`` without the "invalid JSON" prefix.
  private static func contentError(_ line: Int, _ column: Int, _ message: String) -> ManifestError {
    ManifestError(line: line, column: column, message: "policy: " + message)
  }

  /// Reads the response `scanner` delivers.
  func parse(_ scanner: inout JSONScanner) throws(TraceError) -> TimeSeries {
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
      // A stream that failed reads as truncated; say why instead.
      if let failure = scanner.readFailure { throw failure }
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
    if let failure = scanner.readFailure { throw failure }
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

  /// A sample read before its series' labels (internal to the reader).
  private struct PendingSample {
    var time: Int64
    var value: Double
    var line: Int
    var column: Int
  }

  /// The series being read.
  private struct SeriesState {
    /// 1-based position in the result array.
    var number: Int
    /// The labels read so far (Prometheus writes `metric` before `values`).
    var labels: [String: String] = [:]
    var sawMetric = false
    /// The key of the series once its samples stream into the builder (set at the first
    /// sample after `metric`, or at the end of the series).
    var key: Int32?
    /// Samples read before `metric` (Prometheus never writes that order; kept until the
    /// labels are known).
    var pending: [PendingSample] = []
    /// The last kept sample: time (milliseconds), line and column.
    var lastTime: Int64?
    var lastLine = 0
    var lastColumn = 0
    /// The first error the builder raised for one of this series' samples: thrown when the
    /// series ends (so a JSON error later in the series is still the one reported, as when
    /// a series was added whole), and no more samples are added after it.
    var addError: ManifestError?

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
    var series = SeriesState(number: number)
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
          if series.key != nil {
            throw Self.contentError(
              node.line, node.column,
              "series \(number): a second \"metric\" object after the series' samples; write "
                + "the labels once, before \"values\"")
          }
          series.sawMetric = true
          for entry in entries { series.labels[entry.key] = entry.value.scalarText ?? "" }
        case "values":
          try scanner.expect(UInt8(ascii: "["), "the \"values\" array")
          if !scanner.consume(UInt8(ascii: "]")) {
            repeat {
              sampleCount += 1
              try parseSample(
                &scanner, &series, &builder, keyName, sampleCount, &skipped, &clamped)
            } while scanner.consume(UInt8(ascii: ","))
            try scanner.expect(UInt8(ascii: "]"), "\",\" or \"]\" in \"values\"")
          }
        case "value":
          sampleCount += 1
          try parseSample(&scanner, &series, &builder, keyName, sampleCount, &skipped, &clamped)
        default:
          try scanner.skipValue()
        }
      } while scanner.consume(UInt8(ascii: ","))
      try scanner.expect(UInt8(ascii: "}"), "\",\" or \"}\" in a series object")
    }
    if series.key == nil { startStreaming(&series, &builder, keyName) }
    if let error = series.addError { throw error }
  }

  /// Fixes the series' key from its labels and adds the samples held back until then.
  private func startStreaming(
    _ series: inout SeriesState, _ builder: inout SeriesBuilder, _ keyName: String?
  ) {
    let key = keyName.map { builder.keyID(series.labels[$0] ?? "") } ?? 0
    series.key = key
    for sample in series.pending {
      add(sample.time, sample.value, sample.line, sample.column, key, &series, &builder)
    }
    series.pending = []
  }

  /// Adds one sample to the builder unless an earlier sample of the series failed.
  @inline(__always)
  private func add(
    _ time: Int64, _ value: Double, _ line: Int, _ column: Int, _ key: Int32,
    _ series: inout SeriesState, _ builder: inout SeriesBuilder
  ) {
    guard series.addError == nil else { return }
    do throws(TraceError) {
      try builder.add(time: time, key: key, value: value, line: line, column: column)
    } catch {
      series.addError = Self.contentError(line, column, error.message)
    }
  }

  private func parseSample(
    _ scanner: inout JSONScanner, _ series: inout SeriesState, _ builder: inout SeriesBuilder,
    _ keyName: String?, _ sample: Int, _ skipped: inout Int, _ clamped: inout Int
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
        "\(series.describe(sample: sample)): expected a Unix time in seconds, found "
          + String(decoding: raw[range], as: UTF8.self))
    }
    try scanner.expect(UInt8(ascii: ","), "\",\" between timestamp and value")
    _ = scanner.peek()
    let valueLine = scanner.line
    let valueColumn = scanner.column
    var text = try scanner.parseString()
    try scanner.expect(UInt8(ascii: "]"), "\"]\" closing a sample")
    var value = Self.sampleValue(&text)
    if !value.isFinite {
      if options.policies.invalidValues == .skipRow {
        skipped += 1
        return
      }
      throw Self.contentError(
        valueLine, valueColumn,
        "\(series.describe(sample: sample)): expected a finite number, found \"\(text)\" "
          + "(choose invalid-value policy skipRow to drop such samples)")
    }
    if value < 0 {
      switch options.policies.negativeValues {
      case .reject:
        throw Self.contentError(
          valueLine, valueColumn,
          "\(series.describe(sample: sample)): negative value \(text) (choose a negative-value "
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
    if !builder.isGrouping, let previous = series.lastTime, time <= previous {
      if time < previous && options.policies.order == .reject {
        throw Self.contentError(
          line, column,
          "\(series.describe(sample: sample)): timestamp \(time) ms is earlier than the "
            + "previous sample's \(previous) ms (line \(series.lastLine), column "
            + "\(series.lastColumn)); samples must be in time order (or read with order policy "
            + ".sort)")
      }
      if time == previous && options.policies.duplicates == .reject {
        throw Self.contentError(
          line, column,
          "\(series.describe(sample: sample)): timestamp \(time) ms repeats the previous "
            + "sample (line \(series.lastLine), column \(series.lastColumn)); choose a duplicate "
            + "policy (keepFirst, keepLast, combine) or a grouping")
      }
    }
    series.lastTime = time
    series.lastLine = line
    series.lastColumn = column
    if series.key == nil && series.sawMetric { startStreaming(&series, &builder, keyName) }
    if let key = series.key {
      add(time, value, line, column, key, &series, &builder)
    } else {
      series.pending.append(PendingSample(time: time, value: value, line: line, column: column))
    }
  }
}
