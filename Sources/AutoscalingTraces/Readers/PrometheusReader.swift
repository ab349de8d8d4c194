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
  /// - Parameters:
  ///   - path: The file path; errors name its last component.
  ///   - options: Grouping, naming and policies.
  /// - Returns: The series.
  /// - Throws: ``TraceError``.
  public static func readPrometheus(path: String, options: PrometheusOptions = .init())
    throws(TraceError) -> TimeSeries
  {
    var content: [UInt8] = []
    try forEachChunk(path: path) { chunk throws(TraceError) in content.append(contentsOf: chunk) }
    return try readPrometheus(bytes: content, file: fileName(path), options: options)
  }
}

/// Walks a Prometheus response (internal).
struct PrometheusParser {
  let file: String
  let options: PrometheusOptions

  private func located(_ error: ManifestError) -> TraceError {
    TraceError(
      file: file, line: error.line,
      message: "invalid JSON\(error.column.map { " at column \($0)" } ?? ""): \(error.message)")
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
          file: file, line: error.line, message: String(error.message.dropFirst("policy: ".count)))
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
      let type = try scanner.parseString()
      guard type == "matrix" || type == "vector" else {
        throw scanner.error(
          "result type \"\(type)\" is not supported; query a range (matrix) or an instant vector")
      }
    case "result":
      sawResult = true
      try scanner.expect(UInt8(ascii: "["), "the \"result\" array")
      if scanner.consume(UInt8(ascii: "]")) { return }
      repeat {
        if seriesCount == 1, case .none = options.grouping {
          throw ManifestError(
            message: "policy: the result holds more than one series; choose a grouping (split by "
              + "a label into columns, or fold them with an aggregation)")
        }
        try parseSeries(&scanner, &builder, keyName, &skipped, &clamped)
        seriesCount += 1
      } while scanner.consume(UInt8(ascii: ","))
      try scanner.expect(UInt8(ascii: "]"), "\",\" or \"]\" in the \"result\" array")
    default:
      try scanner.skipValue()
    }
  }

  private func parseSeries(
    _ scanner: inout JSONScanner, _ builder: inout SeriesBuilder, _ keyName: String?,
    _ skipped: inout Int, _ clamped: inout Int
  ) throws(ManifestError) {
    try scanner.expect(UInt8(ascii: "{"), "a series object")
    var labels: [String: String] = [:]
    var times: [Int64] = []
    var values: [Double] = []
    var lines: [Int] = []
    if !scanner.consume(UInt8(ascii: "}")) {
      repeat {
        let key = try scanner.parseString()
        try scanner.expect(UInt8(ascii: ":"), "\":\"")
        switch key {
        case "metric":
          let node = try scanner.parseValue()
          guard case .mapping(let entries) = node.value else {
            throw ManifestError(
              line: node.line, column: node.column, message: "\"metric\" must be an object")
          }
          for entry in entries { labels[entry.key] = entry.value.scalarText ?? "" }
        case "values":
          try scanner.expect(UInt8(ascii: "["), "the \"values\" array")
          if !scanner.consume(UInt8(ascii: "]")) {
            repeat {
              try parseSample(&scanner, &times, &values, &lines, &skipped, &clamped)
            } while scanner.consume(UInt8(ascii: ","))
            try scanner.expect(UInt8(ascii: "]"), "\",\" or \"]\" in \"values\"")
          }
        case "value":
          try parseSample(&scanner, &times, &values, &lines, &skipped, &clamped)
        default:
          try scanner.skipValue()
        }
      } while scanner.consume(UInt8(ascii: ","))
      try scanner.expect(UInt8(ascii: "}"), "\",\" or \"}\" in a series object")
    }
    let keyID = keyName.map { builder.keyID(labels[$0] ?? "") } ?? 0
    for index in times.indices {
      do throws(TraceError) {
        try builder.add(time: times[index], key: keyID, row: [values[index]], line: lines[index])
      } catch {
        throw ManifestError(line: error.line, message: "policy: " + error.message)
      }
    }
  }

  private func parseSample(
    _ scanner: inout JSONScanner, _ times: inout [Int64], _ values: inout [Double],
    _ lines: inout [Int], _ skipped: inout Int, _ clamped: inout Int
  ) throws(ManifestError) {
    try scanner.expect(UInt8(ascii: "["), "a [timestamp, \"value\"] pair")
    let line = scanner.line
    let range = try scanner.parseNumberRange()
    let raw = UnsafeRawBufferPointer(scanner.bytes)
    guard let time = parseDecimalMilliseconds(raw, range.lowerBound, range.upperBound, scale: 1_000)
    else { throw scanner.error("the timestamp is out of range") }
    try scanner.expect(UInt8(ascii: ","), "\",\" between timestamp and value")
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
      throw ManifestError(
        line: valueLine, column: valueColumn,
        message:
          "policy: expected a finite number, found \"\(text)\" (choose invalid-value policy skipRow to drop such samples)"
      )
    }
    if value < 0 {
      switch options.policies.negativeValues {
      case .reject:
        throw ManifestError(
          line: valueLine, column: valueColumn,
          message:
            "policy: negative value \(text) (choose a negative-value policy to skip, clamp or keep it)"
        )
      case .skipRow:
        skipped += 1
        return
      case .clampToZero:
        clamped += 1
        value = 0
      case .keep: break
      }
    }
    times.append(time)
    values.append(value)
    lines.append(line)
  }
}
