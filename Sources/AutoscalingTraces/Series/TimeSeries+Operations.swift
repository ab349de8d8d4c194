extension TimeSeries {
  /// Resamples onto a regular grid: bucket *k* covers `[origin + k·step, origin + (k+1)·step)`
  /// and is stamped with its start; the samples in a bucket are combined with `aggregation`;
  /// buckets with no sample between the first and the last are filled by `gaps`.
  ///
  /// Downsampling (15 s → 1 min) aggregates; upsampling (5 min → 15 s) leaves empty buckets,
  /// which `.hold` turns into a step function.
  ///
  /// - Parameters:
  ///   - stepMilliseconds: The grid step in milliseconds (> 0).
  ///   - aggregation: How samples in one bucket combine (`.count` counts them).
  ///   - gaps: What fills an empty bucket.
  ///   - originMilliseconds: A grid point (default 0, so steps align to the epoch).
  /// - Returns: The resampled series.
  /// - Throws: ``TraceError`` for a non-positive step, an empty series, or a gap under
  ///   ``GapPolicy/error`` (naming the first empty bucket).
  public func resampled(
    stepMilliseconds: Int64, aggregation: Aggregation = .mean, gaps: GapPolicy = .hold,
    originMilliseconds: Int64 = 0
  ) throws(TraceError) -> TimeSeries {
    guard stepMilliseconds > 0 else {
      throw TraceError(
        file: source.name, message: "resample step must be positive, found \(stepMilliseconds) ms")
    }
    guard let first = timestamps.first, let last = timestamps.last else {
      throw TraceError(file: source.name, message: "cannot resample an empty series")
    }
    func bucket(_ time: Int64) -> Int64 {
      let offset = time - originMilliseconds
      var index = offset / stepMilliseconds
      if offset % stepMilliseconds < 0 { index -= 1 }
      return index
    }
    let firstBucket = bucket(first)
    let bucketCount = Int(bucket(last) - firstBucket + 1)
    guard bucketCount <= 500_000_000 else {
      throw TraceError(file: source.name, message: "resampling would create \(bucketCount) samples")
    }
    let gridTimes = (0..<bucketCount).map {
      originMilliseconds + (firstBucket + Int64($0)) * stepMilliseconds
    }
    var counts = [Int](repeating: 0, count: bucketCount)
    var sampleBucket = [Int](repeating: 0, count: timestamps.count)
    for (index, time) in timestamps.enumerated() {
      let position = Int(bucket(time) - firstBucket)
      sampleBucket[index] = position
      counts[position] += 1
    }
    if gaps == .error, let empty = counts.firstIndex(of: 0) {
      throw TraceError(
        file: source.name,
        message:
          "no sample between \(gridTimes[empty]) ms and \(gridTimes[empty] + stepMilliseconds) ms "
          + "(gap policy error; choose hold or zero to fill gaps)")
    }
    var newColumns: [Column] = []
    var filledCount = 0
    for column in columns {
      var accumulated = [Double](repeating: 0, count: bucketCount)
      var seen = [Bool](repeating: false, count: bucketCount)
      for (index, value) in column.values.enumerated() {
        let position = sampleBucket[index]
        if !seen[position] {
          accumulated[position] = aggregation == .count ? 1 : value
          seen[position] = true
          continue
        }
        switch aggregation {
        case .sum, .mean: accumulated[position] += value
        case .max: accumulated[position] = Swift.max(accumulated[position], value)
        case .min: accumulated[position] = Swift.min(accumulated[position], value)
        case .last: accumulated[position] = value
        case .count: accumulated[position] += 1
        }
      }
      var previous = 0.0
      filledCount = 0
      for position in 0..<bucketCount {
        if counts[position] == 0 {
          filledCount += 1
          accumulated[position] = gaps == .hold ? previous : 0
        } else if aggregation == .mean {
          accumulated[position] /= Double(counts[position])
        }
        previous = accumulated[position]
      }
      newColumns.append(
        Column(
          name: column.name, unit: aggregation == .count ? "count" : column.unit,
          values: accumulated))
    }
    var newSource = source
    if filledCount > 0 {
      newSource.notes.append(
        "resampled to \(stepMilliseconds) ms with \(aggregation.rawValue); \(filledCount) empty "
          + "buckets filled with \(gaps == .hold ? "the previous value" : "zero")")
    }
    return TimeSeries(unchecked: gridTimes, columns: newColumns, source: newSource)
  }

  /// The samples with `from ≤ timestamp < to`.
  ///
  /// - Parameters:
  ///   - from: The first instant kept, milliseconds (inclusive).
  ///   - to: The end, milliseconds (exclusive).
  /// - Returns: The slice (possibly empty).
  public func sliced(fromMilliseconds from: Int64, toMilliseconds to: Int64) -> TimeSeries {
    let lower = timestamps.partitioningIndex { $0 >= from }
    let upper = Swift.max(lower, timestamps.partitioningIndex { $0 >= to })
    return TimeSeries(
      unchecked: Array(timestamps[lower..<upper]),
      columns: columns.map {
        Column(name: $0.name, unit: $0.unit, values: Array($0.values[lower..<upper]))
      },
      source: source)
  }

  /// Multiplies the values of some columns by a factor (to turn a normalised curve into
  /// requests/s, or to stress-test with 2× traffic).
  ///
  /// - Parameters:
  ///   - factor: A finite multiplier.
  ///   - columns: The columns to scale; `nil` scales all.
  /// - Returns: The scaled series.
  /// - Throws: ``TraceError`` for a non-finite factor, an unknown column, or a result that
  ///   overflows to infinity.
  public func scaled(by factor: Double, columns: [String]? = nil) throws(TraceError)
    -> TimeSeries
  {
    let names = columns
    guard factor.isFinite else {
      throw TraceError(file: source.name, message: "scale factor must be finite, found \(factor)")
    }
    var copy = self
    let targets = names ?? columnNames
    for name in targets {
      guard let index = self.columns.firstIndex(where: { $0.name == name }) else {
        throw TraceError(file: source.name, field: name, message: "no such column")
      }
      let scaled = self.columns[index].values.map { $0 * factor }
      if scaled.contains(where: { !$0.isFinite }) {
        throw TraceError(
          file: source.name, field: name, message: "scaling by \(factor) overflows to infinity")
      }
      copy.columns[index].values = scaled
    }
    copy.source.notes.append("scaled \(targets.joined(separator: ", ")) by \(factor)")
    return copy
  }

  /// Moves every timestamp by `offset` milliseconds (to start a trace at 0, or at a chosen
  /// date).
  ///
  /// - Parameter offset: Milliseconds to add (negative moves earlier).
  /// - Returns: The shifted series.
  public func shifted(byMilliseconds offset: Int64) -> TimeSeries {
    TimeSeries(unchecked: timestamps.map { $0 &+ offset }, columns: columns, source: source)
  }

  /// Resamples several series onto one grid over the span they all cover and puts their
  /// columns side by side. A column name used by two series is prefixed with its series'
  /// source name (`qps.csv:value`).
  ///
  /// - Parameters:
  ///   - series: The series (at least one).
  ///   - stepMilliseconds: The common step in milliseconds.
  ///   - aggregation: How samples in a bucket combine.
  ///   - gaps: What fills empty buckets.
  /// - Returns: One series with every column.
  /// - Throws: ``TraceError`` when the series do not overlap in time, or as ``resampled(stepMilliseconds:aggregation:gaps:originMilliseconds:)``.
  public static func aligned(
    _ series: [TimeSeries], stepMilliseconds: Int64, aggregation: Aggregation = .mean,
    gaps: GapPolicy = .hold
  ) throws(TraceError) -> TimeSeries {
    guard !series.isEmpty else { throw TraceError(message: "nothing to align") }
    var start = Int64.min
    var end = Int64.max
    for item in series {
      guard let first = item.startMilliseconds, let last = item.endMilliseconds else {
        throw TraceError(file: item.source.name, message: "cannot align an empty series")
      }
      start = Swift.max(start, first)
      end = Swift.min(end, last)
    }
    guard start <= end else {
      throw TraceError(
        message:
          "the series do not overlap in time (latest start \(start) ms is after earliest end \(end) ms)"
      )
    }
    var allNames: [String: Int] = [:]
    for item in series { for name in item.columnNames { allNames[name, default: 0] += 1 } }
    var grid: [Int64]?
    var columns: [Column] = []
    var notes: [String] = []
    for item in series {
      let resampled = try item.sliced(fromMilliseconds: start, toMilliseconds: end + 1)
        .resampled(stepMilliseconds: stepMilliseconds, aggregation: aggregation, gaps: gaps)
      if grid == nil { grid = resampled.timestamps }
      // Series start in different buckets only when their samples differ in phase: align on
      // the common grid, holding the first value backwards.
      let times = grid ?? []
      for column in resampled.columns {
        var values: [Double] = []
        values.reserveCapacity(times.count)
        var cursor = 0
        for time in times {
          while cursor + 1 < resampled.timestamps.count && resampled.timestamps[cursor + 1] <= time
          {
            cursor += 1
          }
          values.append(column.values[cursor])
        }
        let name =
          (allNames[column.name] ?? 0) > 1 ? "\(item.source.name):\(column.name)" : column.name
        columns.append(Column(name: name, unit: column.unit, values: values))
      }
      notes += resampled.source.notes.map { "\(item.source.name): \($0)" }
    }
    return try TimeSeries(
      timestamps: grid ?? [], columns: columns,
      source: TraceSource(
        name: series.map(\.source.name).joined(separator: "+"),
        description: "aligned to \(stepMilliseconds) ms", notes: notes))
  }
}

extension Array {
  /// The first index whose element satisfies `predicate`, for a predicate that is false then
  /// true along the array (binary search).
  fileprivate func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
    var low = 0
    var high = count
    while low < high {
      let middle = (low + high) / 2
      if predicate(self[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
  }
}
