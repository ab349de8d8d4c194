/// Where a trace came from and what was done to it on the way in.
public struct TraceSource: Hashable, Sendable {
  /// A short name: the file name, or the dataset (`nasa-http-1995`).
  public var name: String
  /// A sentence on what the data is.
  public var description: String
  /// Everything the reader decided for the user: skipped or clamped rows, unit conversions,
  /// caveats of the dataset. Never empty when a policy changed the data.
  public var notes: [String]

  /// Creates a source description.
  ///
  /// - Parameters:
  ///   - name: A short name.
  ///   - description: What the data is.
  ///   - notes: Decisions and caveats.
  public init(name: String, description: String = "", notes: [String] = []) {
    self.name = name
    self.description = description
    self.notes = notes
  }
}

/// A multivariate time series: one timestamp array (milliseconds since the Unix epoch, or
/// since the trace start when the source has no absolute clock) and named value columns of the
/// same length, stored as a struct of arrays.
///
/// Invariants, checked by ``init(timestamps:columns:source:)``: timestamps strictly increase,
/// every column has one value per timestamp, every value is finite.
public struct TimeSeries: Hashable, Sendable {
  /// One named column.
  public struct Column: Hashable, Sendable {
    /// The column name (`cpu`, `requests_per_second`).
    public var name: String
    /// The unit, spelled out (`cores`, `requests/s`, `percent`, `bytes`, `fraction`); empty
    /// when the source does not say.
    public var unit: String
    /// The values, one per timestamp.
    public var values: [Double]

    /// Creates a column.
    ///
    /// - Parameters:
    ///   - name: The name.
    ///   - unit: The unit.
    ///   - values: The values.
    public init(name: String, unit: String = "", values: [Double]) {
      self.name = name
      self.unit = unit
      self.values = values
    }
  }

  /// Sample times, milliseconds, strictly increasing.
  public internal(set) var timestamps: [Int64]
  /// The value columns, each as long as ``timestamps``.
  public internal(set) var columns: [Column]
  /// Provenance and the reader's decisions.
  public var source: TraceSource

  /// Creates a series after checking its invariants.
  ///
  /// - Parameters:
  ///   - timestamps: Sample times in milliseconds, strictly increasing.
  ///   - columns: Columns with one finite value per timestamp and distinct names.
  ///   - source: Provenance.
  /// - Throws: ``TraceError`` naming the first violated invariant.
  public init(timestamps: [Int64], columns: [Column], source: TraceSource = TraceSource(name: ""))
    throws(TraceError)
  {
    for index in timestamps.indices.dropFirst() where timestamps[index] <= timestamps[index - 1] {
      throw TraceError(
        file: source.name,
        message: "timestamps must strictly increase; sample \(index) (\(timestamps[index]) ms) "
          + "does not come after \(timestamps[index - 1]) ms")
    }
    var names = Set<String>()
    for column in columns {
      guard names.insert(column.name).inserted else {
        throw TraceError(file: source.name, field: column.name, message: "duplicate column name")
      }
      guard column.values.count == timestamps.count else {
        throw TraceError(
          file: source.name, field: column.name,
          message: "has \(column.values.count) values for \(timestamps.count) timestamps")
      }
      if let bad = column.values.firstIndex(where: { !$0.isFinite }) {
        throw TraceError(
          file: source.name, field: column.name,
          message: "value \(bad) is \(column.values[bad]); every value must be finite")
      }
    }
    self.timestamps = timestamps
    self.columns = columns
    self.source = source
  }

  /// Creates a series without checking (internal: callers have established the invariants).
  init(unchecked timestamps: [Int64], columns: [Column], source: TraceSource) {
    self.timestamps = timestamps
    self.columns = columns
    self.source = source
  }

  /// The number of samples.
  public var count: Int { timestamps.count }

  /// Whether the series has no samples.
  public var isEmpty: Bool { timestamps.isEmpty }

  /// The column names, in order.
  public var columnNames: [String] { columns.map(\.name) }

  /// The column named `name`, or `nil`.
  ///
  /// - Parameter name: A column name.
  /// - Returns: The column.
  public func column(named name: String) -> Column? { columns.first { $0.name == name } }

  /// The values of the column named `name`, or `nil`.
  ///
  /// - Parameter name: A column name.
  /// - Returns: The values, one per timestamp.
  public func values(of name: String) -> [Double]? { column(named: name)?.values }

  /// The first timestamp, milliseconds (`nil` when empty).
  public var startMilliseconds: Int64? { timestamps.first }

  /// The last timestamp, milliseconds (`nil` when empty).
  public var endMilliseconds: Int64? { timestamps.last }

  /// Returns the series with only the named columns, in the given order.
  ///
  /// - Parameter names: Column names.
  /// - Returns: The narrowed series.
  /// - Throws: ``TraceError`` when a name is not a column.
  public func selecting(_ names: [String]) throws(TraceError) -> TimeSeries {
    var selected: [Column] = []
    for name in names {
      guard let column = column(named: name) else {
        throw TraceError(
          file: source.name, field: name,
          message: "no such column; the series has \(columnNames.joined(separator: ", "))")
      }
      selected.append(column)
    }
    return TimeSeries(unchecked: timestamps, columns: selected, source: source)
  }

  /// Returns the series with a column renamed and its unit set.
  ///
  /// - Parameters:
  ///   - name: The current name.
  ///   - newName: The new name.
  ///   - unit: The new unit, or `nil` to keep it.
  /// - Returns: The renamed series.
  /// - Throws: ``TraceError`` when `name` is not a column or `newName` already is.
  public func renaming(_ name: String, to newName: String, unit: String? = nil) throws(TraceError)
    -> TimeSeries
  {
    guard let index = columns.firstIndex(where: { $0.name == name }) else {
      throw TraceError(file: source.name, field: name, message: "no such column")
    }
    if newName != name && column(named: newName) != nil {
      throw TraceError(file: source.name, field: newName, message: "duplicate column name")
    }
    var copy = self
    copy.columns[index].name = newName
    if let unit { copy.columns[index].unit = unit }
    return copy
  }
}

/// A trace that could not be read or an operation that could not be done: the file, the line
/// and column or field, and what was expected.
///
/// Printed as `qps.csv:12: column "value" (field 2): expected a number, found "abc"`; in a
/// JSON file the character column follows the line (`range.json:1:212: …`).
public struct TraceError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The file (or series) name; empty when unknown.
  public var file: String
  /// The 1-based line, when known.
  public var line: Int?
  /// The 1-based character column in the line (JSON input), when known.
  public var column: Int?
  /// The 1-based field (column) index in the line, when known.
  public var fieldIndex: Int?
  /// The column or field name, when known.
  public var field: String?
  /// What was wrong and what was expected.
  public var message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - file: The file name.
  ///   - line: The 1-based line.
  ///   - column: The 1-based character column in the line (JSON input).
  ///   - fieldIndex: The 1-based field index.
  ///   - field: The column name.
  ///   - message: What was wrong.
  public init(
    file: String = "", line: Int? = nil, column: Int? = nil, fieldIndex: Int? = nil,
    field: String? = nil, message: String
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.fieldIndex = fieldIndex
    self.field = field
    self.message = message
  }

  /// The error as one line.
  public var description: String {
    var text = file
    if let line {
      text += text.isEmpty ? "line \(line)" : ":\(line)"
      if let column { text += text.hasPrefix("line ") ? ", column \(column)" : ":\(column)" }
    }
    if !text.isEmpty { text += ": " }
    if let field {
      text += "column \"\(field)\""
      if let fieldIndex { text += " (field \(fieldIndex))" }
      text += ": "
    } else if let fieldIndex {
      text += "field \(fieldIndex): "
    }
    return text + message
  }
}
