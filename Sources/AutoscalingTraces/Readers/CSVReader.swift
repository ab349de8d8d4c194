#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a CSV's timestamps are and how they are written.
public enum TimestampFormat: Hashable, Sendable {
  /// Decide from the column name and the first data row: a column named `*_ms` (such as the
  /// canonical `timestamp_ms`) holds milliseconds; otherwise a number of at least 10¹¹ is Unix
  /// milliseconds, another number Unix seconds, anything else a calendar date-time.
  case auto
  /// Unix seconds (integer or decimal).
  case unixSeconds
  /// Unix milliseconds.
  case unixMilliseconds
  /// A calendar date-time: RFC 3339 and the common variants (see ``TraceReader``); UTC when no
  /// zone is given.
  case dateTime
  /// Seconds (integer or decimal) since `originMilliseconds`.
  case offsetSeconds(originMilliseconds: Int64)
  /// Milliseconds since `originMilliseconds`.
  case offsetMilliseconds(originMilliseconds: Int64)
}

/// Which column holds the time.
public enum TimestampColumn: Hashable, Sendable {
  /// The first column whose name contains `time` or `date`, or is `t` or `ts`
  /// (case-insensitive).
  case auto
  /// The column with this header name.
  case named(String)
  /// The column at this 0-based index.
  case index(Int)
  /// No time column: row *i* (0-based, header excluded) is at `origin + i × step`
  /// milliseconds (for files such as the DataCenter-Traces aggregates).
  case rowIndex(originMilliseconds: Int64, stepMilliseconds: Int64)
}

/// Options of ``TraceReader/readCSV(bytes:file:options:)``.
public struct CSVOptions: Hashable, Sendable {
  /// The field separator; `nil` detects `,`, `;` or tab from the header. Spaces and tabs
  /// around fields are trimmed (Bitbrains separates with `;` and a tab).
  public var delimiter: UInt8?
  /// Column names when the file has no header line; `nil` means the first line is the header.
  public var columnNames: [String]?
  /// Where the time is.
  public var timestampColumn: TimestampColumn
  /// How the time is written.
  public var timestampFormat: TimestampFormat
  /// The value columns to read, in order; `nil` reads every column except the time and key
  /// columns whose first data row holds a number (or is empty).
  public var valueColumns: [String]?
  /// Units per column name (columns not listed get an empty unit).
  public var units: [String: String]
  /// Keep only rows whose column equals the value (for example `request_type` =
  /// `Generative Requests`).
  public var filters: [String: String]
  /// How rows sharing a timestamp become values.
  public var grouping: RowGrouping
  /// Floor timestamps to multiples of this many milliseconds before grouping (`nil`: exact).
  public var bucketMilliseconds: Int64?
  /// Data-quality policies.
  public var policies: ReadPolicies

  /// Creates options; the defaults read a headed, comma-or-semicolon file with an
  /// auto-detected time column and reject anything unusual.
  ///
  /// - Parameters:
  ///   - delimiter: The separator byte, or `nil` to detect.
  ///   - columnNames: Names when there is no header.
  ///   - timestampColumn: Where the time is.
  ///   - timestampFormat: How it is written.
  ///   - valueColumns: Columns to read.
  ///   - units: Units per column.
  ///   - filters: Row filters (column = value).
  ///   - grouping: Row grouping.
  ///   - bucketMilliseconds: Bucket width in milliseconds.
  ///   - policies: Data-quality policies.
  public init(
    delimiter: UInt8? = nil, columnNames: [String]? = nil,
    timestampColumn: TimestampColumn = .auto, timestampFormat: TimestampFormat = .auto,
    valueColumns: [String]? = nil, units: [String: String] = [:], filters: [String: String] = [:],
    grouping: RowGrouping = .none, bucketMilliseconds: Int64? = nil,
    policies: ReadPolicies = .strict
  ) {
    self.delimiter = delimiter
    self.columnNames = columnNames
    self.timestampColumn = timestampColumn
    self.timestampFormat = timestampFormat
    self.valueColumns = valueColumns
    self.units = units
    self.filters = filters
    self.grouping = grouping
    self.bucketMilliseconds = bucketMilliseconds
    self.policies = policies
  }
}

/// An incremental CSV-to-series parser: feed it chunks of bytes, then call `finish` (internal;
/// the public entry points are on ``TraceReader``). Lines may split across chunks; only the
/// unfinished last line is carried over, so memory is bounded by the kept series.
struct CSVStreamParser {
  let file: String
  let options: CSVOptions
  private var lineNumber = 0
  private var carry: [UInt8] = []
  private var header: [String]?
  private var delimiter: UInt8 = UInt8(ascii: ",")
  private var timeIndex: Int?
  private var timeFormat: TimestampFormat
  private var valueIndices: [Int] = []
  private var valueNames: [String] = []
  private var keyIndex: Int?
  private var filterIndices: [(Int, [UInt8])] = []
  private var builder: SeriesBuilder?
  private let fields = FieldRanges()
  private var row: [Double] = []
  private var dataRow = 0
  private var skippedInvalid = 0
  private var skippedNegative = 0
  private var clamped = 0
  private var filteredOut = 0
  private var declaredUnits: [String: String] = [:]
  /// The per-column plan of the fast row path, once the first data row has fixed the columns
  /// and the time format (`nil` before that, or when the options need the general path).
  private var fastPlan: FastRowPlan?
  private var fastPlanDecided = false
  // The plan's storage, copied out so the per-line check retains nothing (`fastPlan` keeps
  // it alive).
  private var fastRoles: UnsafeMutablePointer<Int>?
  private var fastValues: UnsafeMutablePointer<Double>?
  private var fastColumns = 0
  private var fastValueCount = 0
  /// The input size in bytes when known, to size the series up front.
  var sizeHint: Int?
  /// Fold over a key keeping only the latest time's slots (see ``SeriesBuilder``); set only
  /// by entry points that can read the input again when ``needsRestart`` is set.
  var streamsFold = false
  /// Whether the last error asks for the input to be read again with `streamsFold` off (a
  /// row went back to a time already combined).
  var needsRestart: Bool { builder?.needsRestart ?? false }

  /// Reads an input with the streaming fold, and once more without it when a row goes back
  /// in time (output and errors are then exactly those of the general path).
  ///
  /// - Parameters:
  ///   - file: The name used in errors.
  ///   - options: The CSV options.
  ///   - sizeHint: The input size in bytes when known.
  ///   - feed: Feeds the whole input to the parser (called at most twice).
  /// - Returns: The series.
  /// - Throws: ``TraceError``.
  static func read(
    file: String, options: CSVOptions, sizeHint: Int?,
    feed: (inout CSVStreamParser) throws(TraceError) -> Void
  ) throws(TraceError) -> TimeSeries {
    var parser = CSVStreamParser(file: file, options: options)
    parser.sizeHint = sizeHint
    parser.streamsFold = true
    do throws(TraceError) {
      try feed(&parser)
      return try parser.finish()
    } catch {
      guard parser.needsRestart else { throw error }
    }
    var again = CSVStreamParser(file: file, options: options)
    again.sizeHint = sizeHint
    try feed(&again)
    return try again.finish()
  }

  init(file: String, options: CSVOptions) {
    self.file = file
    self.options = options
    timeFormat = options.timestampFormat
  }

  /// Consumes a chunk of the file.
  mutating func consume(_ chunk: UnsafeRawBufferPointer) throws(TraceError) {
    var start = 0
    if !carry.isEmpty {
      guard let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) else {
        carry.append(contentsOf: chunk)
        return
      }
      carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<newline]))
      let line = carry
      carry = []
      try withBytes(line) { buffer throws(TraceError) in
        try processLine(buffer, 0, buffer.count)
      }
      start = newline + 1
    }
    var lineStart = start
    var index = start
    let count = chunk.count
    guard let base = chunk.baseAddress else { return }
    while index < count {
      // memchr is vectorised: the newline scan costs a fraction of a cycle per byte.
      guard let found = memchr(base + index, Int32(UInt8(ascii: "\n")), count - index) else {
        break
      }
      let newline = base.distance(to: UnsafeRawPointer(found))
      try processLine(chunk, lineStart, newline)
      lineStart = newline + 1
      index = lineStart
    }
    if lineStart < count {
      carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[lineStart..<count]))
    }
  }

  /// Finishes the stream and returns the series.
  mutating func finish() throws(TraceError) -> TimeSeries {
    if !carry.isEmpty {
      let line = carry
      carry = []
      try withBytes(line) { buffer throws(TraceError) in
        try processLine(buffer, 0, buffer.count)
      }
    }
    guard header != nil else {
      throw TraceError(file: file, message: "the file is empty: expected a header line")
    }
    guard var builder, dataRow > 0, builder.rowsRead > 0 else {
      throw TraceError(
        file: file,
        message: filteredOut > 0
          ? "no data rows: all \(filteredOut) rows were removed by the filters"
          : "no data rows after the header")
    }
    var notes: [String] = []
    if skippedInvalid > 0 {
      notes.append(
        "\(skippedInvalid) rows with an empty or non-numeric value skipped (policy skipRow)")
    }
    if skippedNegative > 0 {
      notes.append("\(skippedNegative) rows with a negative value skipped (policy skipRow)")
    }
    if clamped > 0 { notes.append("\(clamped) negative values set to zero (policy clampToZero)") }
    if filteredOut > 0 { notes.append("\(filteredOut) rows removed by the filters") }
    return try builder.finish(source: TraceSource(name: file, notes: notes))
  }

  // MARK: Lines

  /// Splits `bytes[start..<end]` into fields (trimmed; quotes removed) into the scratch arrays.
  private mutating func splitFields(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int)
    throws(TraceError)
  {
    fields.count = 0
    var index = start
    while true {
      // Trim leading blanks.
      while index < end && (bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t"))
        && bytes[index] != delimiter
      {
        index += 1
      }
      var fieldStart = index
      var fieldEnd: Int
      if index < end && bytes[index] == UInt8(ascii: "\"") {
        fieldStart = index + 1
        index += 1
        while index < end {
          if bytes[index] == UInt8(ascii: "\"") {
            if index + 1 < end && bytes[index + 1] == UInt8(ascii: "\"") {
              index += 2
              continue
            }
            break
          }
          index += 1
        }
        guard index < end else {
          throw TraceError(
            file: file, line: lineNumber, fieldIndex: fields.count + 1,
            message: "unterminated quoted field (quoted fields cannot span lines)")
        }
        fieldEnd = index
        index += 1
        while index < end && bytes[index] != delimiter { index += 1 }
      } else {
        while index < end && bytes[index] != delimiter { index += 1 }
        fieldEnd = index
        while fieldEnd > fieldStart
          && (bytes[fieldEnd - 1] == UInt8(ascii: " ") || bytes[fieldEnd - 1] == UInt8(ascii: "\t"))
        {
          fieldEnd -= 1
        }
      }
      fields.append(fieldStart, fieldEnd)
      if index >= end { break }
      index += 1  // past the delimiter
    }
  }

  private func text(_ bytes: UnsafeRawBufferPointer, _ field: Int) -> String {
    let raw = String(
      decoding: UnsafeRawBufferPointer(rebasing: bytes[fields.starts[field]..<fields.ends[field]]),
      as: UTF8.self)
    return raw.contains("\"\"") ? raw.replacingQuotePairs() : raw
  }

  private mutating func processLine(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ rawEnd: Int)
    throws(TraceError)
  {
    lineNumber += 1
    var end = rawEnd
    if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    if let roles = fastRoles, let values = fastValues, try fastRow(bytes, start, end, roles, values)
    {
      return
    }
    var begin = start
    if lineNumber == 1 && end - begin >= 3 && bytes[begin] == 0xEF && bytes[begin + 1] == 0xBB
      && bytes[begin + 2] == 0xBF
    {
      begin += 3
    }
    // Blank lines are skipped.
    var probe = begin
    while probe < end && (bytes[probe] == UInt8(ascii: " ") || bytes[probe] == UInt8(ascii: "\t")) {
      probe += 1
    }
    if probe == end { return }
    if bytes[probe] == UInt8(ascii: "#") {
      // A comment; `# unit <column>: <unit>` lines (canonical CSV) declare units.
      let comment = String(
        decoding: UnsafeRawBufferPointer(rebasing: bytes[probe..<end]), as: UTF8.self)
      if comment.hasPrefix("# unit "), let colon = comment.firstIndex(of: ":") {
        let name = String(comment[comment.index(comment.startIndex, offsetBy: 7)..<colon])
        let unit = comment[comment.index(after: colon)...].drop { $0 == " " }
        declaredUnits[name] = String(unit)
      }
      return
    }
    if header == nil {
      if let names = options.columnNames {
        try configure(names: names, firstLine: (bytes, begin, end))
      } else {
        if let delimiter = options.delimiter {
          self.delimiter = delimiter
        } else {
          var counts: [UInt8: Int] = [:]
          for index in begin..<end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\t")
            {
              counts[byte, default: 0] += 1
            }
          }
          // `;` followed by tab (Bitbrains) counts as `;`.
          if let semicolons = counts[UInt8(ascii: ";")], semicolons > 0 {
            delimiter = UInt8(ascii: ";")
          } else if let commas = counts[UInt8(ascii: ",")], commas > 0 {
            delimiter = UInt8(ascii: ",")
          } else if let tabs = counts[UInt8(ascii: "\t")], tabs > 0 {
            delimiter = UInt8(ascii: "\t")
          }
        }
        try splitFields(bytes, begin, end)
        let names = (0..<fields.count).map { text(bytes, $0) }
        try configure(names: names, firstLine: nil)
        return
      }
    }
    try splitFields(bytes, begin, end)
    try processRow(bytes)
    if !fastPlanDecided && builder != nil { decideFastPlan() }
  }

  // MARK: Fast rows

  /// Enables the fast row path when every column is plain: no key or filter columns, a
  /// delimiter that cannot start or end a number, a time format already decided.
  private mutating func decideFastPlan() {
    fastPlanDecided = true
    guard let header, keyIndex == nil, filterIndices.isEmpty else { return }
    guard
      [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")].contains(
        delimiter)
    else { return }
    if let timeIndex {
      if case .auto = timeFormat { return }
      if valueIndices.contains(timeIndex) { return }
    }
    guard Set(valueIndices).count == valueIndices.count else { return }
    let plan = FastRowPlan(columns: header.count, values: valueIndices.count)
    for column in 0..<header.count { plan.roles[column] = FastRowPlan.skip }
    if let timeIndex { plan.roles[timeIndex] = FastRowPlan.time }
    for (slot, column) in valueIndices.enumerated() { plan.roles[column] = slot }
    fastPlan = plan
    fastRoles = plan.roles
    fastValues = plan.values
    fastColumns = plan.columns
    fastValueCount = plan.valueCount
  }

  /// Reads a data line whose fields are all plain (unquoted; values in the form
  /// ``scanPlainNumber(_:_:_:)`` reads exactly; a valid time), scanning it once and parsing
  /// while scanning. Returns `false`, having changed nothing, for any other line, which then
  /// takes the general path: results and errors are the general path's in every case.
  @inline(__always)
  private mutating func fastRow(
    _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
    _ roles: UnsafeMutablePointer<Int>, _ values: UnsafeMutablePointer<Double>
  ) throws(TraceError) -> Bool {
    let columns = fastColumns
    let delimiter = self.delimiter
    let keepNegative = options.policies.negativeValues == .keep
    var time: Int64 = 0
    var index = start
    var column = 0
    while true {
      while index < end && (bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t"))
        && bytes[index] != delimiter
      {
        index += 1
      }
      let role = roles[column]
      if role >= 0 {
        guard let (value, after) = scanPlainNumber(bytes, index, end) else { return false }
        if value < 0 && !keepNegative { return false }
        values[role] = value
        index = after
        while index < end
          && (bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t"))
          && bytes[index] != delimiter
        {
          index += 1
        }
      } else {
        if index < end && bytes[index] == UInt8(ascii: "\"") { return false }
        let fieldStart = index
        while index < end && bytes[index] != delimiter { index += 1 }
        if role == FastRowPlan.time {
          var fieldEnd = index
          while fieldEnd > fieldStart
            && (bytes[fieldEnd - 1] == UInt8(ascii: " ")
              || bytes[fieldEnd - 1] == UInt8(ascii: "\t"))
          {
            fieldEnd -= 1
          }
          guard let parsed = fastTime(bytes, fieldStart, fieldEnd) else { return false }
          time = parsed
        }
      }
      column += 1
      if column == columns {
        guard index == end else { return false }
        break
      }
      guard index < end && bytes[index] == delimiter else { return false }
      index += 1
    }
    if timeIndex == nil, case .rowIndex(let origin, let step) = options.timestampColumn {
      // Out of range: the general path reports it.
      let (offset, overflow) = Int64(dataRow).multipliedReportingOverflow(by: step)
      guard !overflow, let shifted = Self.shifted(origin, by: offset) else { return false }
      time = shifted
    }
    dataRow += 1
    try builder?.add(
      time: time, key: 0, values: UnsafeBufferPointer(start: values, count: fastValueCount),
      line: lineNumber)
    return true
  }

  /// The time of a plain field in the decided format, or `nil`.
  @inline(__always)
  private func fastTime(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int64? {
    switch timeFormat {
    case .auto: return nil
    case .unixSeconds: return parseDecimalMilliseconds(bytes, start, end, scale: 1_000)
    case .unixMilliseconds: return parseDecimalMilliseconds(bytes, start, end, scale: 1)
    case .dateTime: return parseDateTime(bytes, start, end)
    case .offsetSeconds(let origin):
      return parseDecimalMilliseconds(bytes, start, end, scale: 1_000).flatMap {
        Self.shifted(origin, by: $0)
      }
    case .offsetMilliseconds(let origin):
      return parseDecimalMilliseconds(bytes, start, end, scale: 1).flatMap {
        Self.shifted(origin, by: $0)
      }
    }
  }

  private mutating func configure(
    names: [String], firstLine: (UnsafeRawBufferPointer, Int, Int)?
  ) throws(TraceError) {
    if options.columnNames != nil, let delimiter = options.delimiter { self.delimiter = delimiter }
    header = names
    func find(_ name: String) throws(TraceError) -> Int {
      guard let index = names.firstIndex(of: name) else {
        throw TraceError(
          file: file, line: options.columnNames == nil ? 1 : nil, field: name,
          message:
            "no such column; the header has \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
      }
      return index
    }
    switch options.timestampColumn {
    case .auto:
      timeIndex = names.firstIndex {
        let lower = $0.lowercased()
        return lower.contains("time") || lower.contains("date") || lower == "ts" || lower == "t"
      }
      if timeIndex == nil {
        throw TraceError(
          file: file, line: 1,
          message: "no time column found (no header contains \"time\" or \"date\"); name it with "
            + "timestampColumn .named, or use .rowIndex for files without one")
      }
    case .named(let name): timeIndex = try find(name)
    case .index(let index):
      guard index >= 0 && index < names.count else {
        throw TraceError(
          file: file, line: 1,
          message: "time column index \(index) is out of range (\(names.count) columns)")
      }
      timeIndex = index
    case .rowIndex: timeIndex = nil
    }
    var keyName: String?
    switch options.grouping {
    case .none: break
    case .fold(_, let key): keyName = key
    case .split(let key, _, _): keyName = key
    }
    if let keyName { keyIndex = try find(keyName) }
    filterIndices = []
    for (name, value) in options.filters.sorted(by: { $0.key < $1.key }) {
      filterIndices.append((try find(name), Array(value.utf8)))
    }
    if let selected = options.valueColumns {
      valueIndices = []
      for name in selected { valueIndices.append(try find(name)) }
      valueNames = selected
      makeBuilder()
    }
    // Otherwise the value columns are chosen from the first data row.
  }

  private mutating func makeBuilder(lineLength: Int = 0) {
    builder = SeriesBuilder(
      file: file, valueNames: valueNames,
      units: valueNames.map { options.units[$0] ?? declaredUnits[$0] ?? "" },
      grouping: options.grouping, policies: options.policies,
      bucketMilliseconds: options.bucketMilliseconds, streamsFold: streamsFold)
    if let sizeHint, lineLength > 0 {
      builder?.reserve(rows: sizeHint / lineLength + sizeHint / lineLength / 8 + 16)
    }
  }

  private mutating func processRow(_ bytes: UnsafeRawBufferPointer) throws(TraceError) {
    guard let header else { return }
    if fields.count != header.count {
      throw TraceError(
        file: file, line: lineNumber,
        message: "expected \(header.count) fields as in the header, found \(fields.count)")
    }
    for (index, value) in filterIndices {
      let length = fields.ends[index] - fields.starts[index]
      var equal = length == value.count
      if equal {
        for offset in 0..<length where bytes[fields.starts[index] + offset] != value[offset] {
          equal = false
          break
        }
      }
      if !equal {
        filteredOut += 1
        dataRow += 1
        return
      }
    }
    if builder == nil {
      // Choose value columns from the first data row: numbers or empty fields.
      valueIndices = []
      valueNames = []
      for index in header.indices where index != timeIndex && index != keyIndex {
        switch parseNumber(bytes, fields.starts[index], fields.ends[index]) {
        case .value, .empty:
          valueIndices.append(index)
          valueNames.append(header[index])
        case .invalid:
          continue
        }
      }
      if valueNames.isEmpty {
        throw TraceError(
          file: file, line: lineNumber,
          message: "no numeric value column found in the first data row")
      }
      makeBuilder(lineLength: fields.ends[fields.count - 1] - fields.starts[0] + 1)
    }
    // Time.
    let time: Int64
    if let timeIndex {
      time = try parseTime(bytes, field: timeIndex)
    } else if case .rowIndex(let origin, let step) = options.timestampColumn {
      let (offset, overflow) = Int64(dataRow).multipliedReportingOverflow(by: step)
      guard !overflow, let shifted = Self.shifted(origin, by: offset) else {
        throw TraceError(
          file: file, line: lineNumber,
          message: "data row \(dataRow + 1) is beyond the range of Int64 milliseconds (origin "
            + "\(origin) ms + row × \(step) ms overflows)")
      }
      time = shifted
    } else {
      time = 0
    }
    dataRow += 1
    // Values.
    if row.count != valueIndices.count { row = Array(repeating: 0, count: valueIndices.count) }
    for (position, index) in valueIndices.enumerated() {
      var value: Double
      switch parseNumber(bytes, fields.starts[index], fields.ends[index]) {
      case .value(let parsed) where parsed.isFinite:
        value = parsed
      case .value, .empty, .invalid:
        if options.policies.invalidValues == .skipRow {
          skippedInvalid += 1
          return
        }
        let found = text(bytes, index)
        throw TraceError(
          file: file, line: lineNumber, fieldIndex: index + 1, field: header[index],
          message: found.isEmpty
            ? "expected a number, found an empty field"
            : "expected a finite number, found \"\(found)\"")
      }
      if value < 0 {
        switch options.policies.negativeValues {
        case .reject:
          throw TraceError(
            file: file, line: lineNumber, fieldIndex: index + 1, field: header[index],
            message: "negative value \(text(bytes, index)) (choose a negative-value policy to "
              + "skip, clamp or keep it)")
        case .skipRow:
          skippedNegative += 1
          return
        case .clampToZero:
          clamped += 1
          value = 0
        case .keep:
          break
        }
      }
      row[position] = value
    }
    var key: Int32 = 0
    if let keyIndex {
      let keyText = text(bytes, keyIndex)
      key = builder?.keyID(keyText) ?? 0
    }
    try builder?.add(time: time, key: key, row: row, line: lineNumber)
  }

  private mutating func parseTime(_ bytes: UnsafeRawBufferPointer, field: Int) throws(TraceError)
    -> Int64
  {
    let start = fields.starts[field]
    let end = fields.ends[field]
    if case .auto = timeFormat, let name = header?[field].lowercased(),
      name.hasSuffix("_ms") || name == "ms"
    {
      timeFormat = .unixMilliseconds
    }
    if case .auto = timeFormat {
      switch parseNumber(bytes, start, end) {
      case .value(let number):
        timeFormat = abs(number) >= 1e11 ? .unixMilliseconds : .unixSeconds
      default:
        timeFormat = .dateTime
      }
    }
    // The format is decided by now (never .auto), so the fast path's decoding is the one rule.
    guard let result = fastTime(bytes, start, end) else {
      let expected: String
      switch timeFormat {
      case .auto, .unixSeconds: expected = "Unix seconds"
      case .unixMilliseconds: expected = "Unix milliseconds"
      case .dateTime: expected = "a date-time such as 2026-01-02T03:04:05Z"
      case .offsetSeconds: expected = "an offset in seconds"
      case .offsetMilliseconds: expected = "an offset in milliseconds"
      }
      let found = text(bytes, field)
      // A number that does not fit is out of range, not malformed.
      let isNumber = timeFormat != .dateTime && Double(found).map { !$0.isNaN } == true
      throw TraceError(
        file: file, line: lineNumber, fieldIndex: field + 1, field: header?[field],
        message: isNumber
          ? "\"\(found)\" read as \(expected) is beyond the range of Int64 milliseconds "
            + "(about ±292 million years from 1970)"
          : "expected \(expected), found \"\(found)\"")
    }
    return result
  }

  /// `origin + offset`, or `nil` when it overflows Int64 (instead of wrapping to a wrong time).
  static func shifted(_ origin: Int64, by offset: Int64) -> Int64? {
    let (sum, overflow) = origin.addingReportingOverflow(offset)
    return overflow ? nil : sum
  }
}

extension String {
  fileprivate func replacingQuotePairs() -> String {
    var result = ""
    var previousQuote = false
    for character in self {
      if character == "\"" && previousQuote {
        previousQuote = false
        continue
      }
      previousQuote = character == "\""
      result.append(character)
    }
    return result
  }
}

/// Field boundaries of the current line, in manually managed storage so the per-field writes
/// of the hot loop carry no copy-on-write checks (internal).
final class FieldRanges {
  private(set) var starts: UnsafeMutablePointer<Int>
  private(set) var ends: UnsafeMutablePointer<Int>
  private var capacity: Int
  var count = 0

  init() {
    capacity = 64
    starts = .allocate(capacity: capacity)
    ends = .allocate(capacity: capacity)
  }

  deinit {
    starts.deallocate()
    ends.deallocate()
  }

  @inline(__always)
  func append(_ start: Int, _ end: Int) {
    if count == capacity { grow() }
    starts[count] = start
    ends[count] = end
    count += 1
  }

  private func grow() {
    let newCapacity = capacity * 2
    let newStarts = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
    let newEnds = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
    newStarts.update(from: starts, count: count)
    newEnds.update(from: ends, count: count)
    starts.deallocate()
    ends.deallocate()
    starts = newStarts
    ends = newEnds
    capacity = newCapacity
  }
}

/// What each column of a plain row is, and scratch room for its values (internal; see
/// `CSVStreamParser.fastRow`). Manually managed so the hot loop has no copy-on-write checks.
final class FastRowPlan {
  /// Role of a column that is neither time nor value.
  static let skip = -1
  /// Role of the time column.
  static let time = -2
  /// Per column: ``skip``, ``time``, or the value slot (0-based).
  let roles: UnsafeMutablePointer<Int>
  /// One value per slot for the row being read.
  let values: UnsafeMutablePointer<Double>
  let columns: Int
  let valueCount: Int

  init(columns: Int, values: Int) {
    self.columns = columns
    valueCount = values
    roles = .allocate(capacity: max(columns, 1))
    self.values = .allocate(capacity: max(values, 1))
  }

  deinit {
    roles.deallocate()
    values.deallocate()
  }
}
