/// Collects rows (time, key, values) from a reader and produces a ``TimeSeries`` under the
/// reader's grouping and policies (internal; shared by the CSV and Prometheus readers).
///
/// Memory is proportional to what is kept: one slot per output row (per key when splitting).
/// Folding over a key with `streamsFold` set keeps only the slots of the latest time: while
/// rows arrive in time order, each earlier time's slots are combined into its output row and
/// freed; a row that goes back in time to an already combined time sets ``needsRestart`` and
/// throws, and the caller reads the input again with `streamsFold` off (the exact slow path).
struct SeriesBuilder {
  let file: String
  let valueNames: [String]
  let units: [String]
  let grouping: RowGrouping
  let policies: ReadPolicies
  let bucketMilliseconds: Int64?

  // Mode .none
  private var timestamps: [Int64] = []
  private var lines: [Int32] = []
  private var flatValues: [Double] = []  // row-major, transposed in finish
  private var sorted = true

  // Modes .fold and .split
  private struct SlotKey: Hashable {
    var time: Int64
    var key: Int32
  }
  private var slotIndex: [SlotKey: Int] = [:]
  private var slotTime: [Int64] = []
  private var slotKey: [Int32] = []
  private var slotLine: [Int32] = []  // where each slot's first row was
  private var slotColumn: [Int32] = []
  private var slotCount: [Int64] = []
  private var slotSum: [Double] = []
  private var slotMax: [Double] = []
  private var slotMin: [Double] = []
  private var slotLast: [Double] = []
  private var lastSlot = -1
  /// The latest slot time so far (`Int64.min` before the first).
  private var latestSlotTime = Int64.min
  /// Slots `0..<indexedSlots` are in `slotIndex`.
  private var indexedSlots = 0
  private(set) var keyNames: [String] = []
  private var keyIDs: [String: Int32] = [:]

  // Streaming fold over a key: slots hold only the times not combined yet (all equal to
  // `latestSlotTime`); combined times and their values are in `foldedTimes`/`foldedValues`.
  private var streaming = false
  /// Set when a row went back to a time already combined; the input must be read again with
  /// `streamsFold` off.
  private(set) var needsRestart = false
  private var foldedTimes: [Int64] = []
  private var foldedValues: [[Double]] = []
  /// The slot of each key id in the current time (-1: none).
  private var groupSlotOfKey: [Int] = []
  private var groupOrder: [Int] = []

  var notes: [String] = []
  var rowsRead = 0

  init(
    file: String, valueNames: [String], units: [String], grouping: RowGrouping,
    policies: ReadPolicies, bucketMilliseconds: Int64?, streamsFold: Bool = false
  ) {
    self.file = file
    self.valueNames = valueNames
    self.units = units
    var grouping = grouping
    if case .none = grouping, case .combine(let aggregation) = policies.duplicates {
      grouping = .fold(aggregation: aggregation, key: nil)
    }
    if case .none = grouping, bucketMilliseconds != nil {
      grouping = .fold(aggregation: .mean, key: nil)
    }
    self.grouping = grouping
    self.policies = policies
    self.bucketMilliseconds = bucketMilliseconds
    if streamsFold, case .fold(_, let key) = grouping, key != nil {
      streaming = true
      foldedValues = Array(repeating: [], count: valueNames.count)
    }
  }

  /// Reserves room for about `rows` rows (a hint from the input size; avoids regrowing).
  mutating func reserve(rows: Int) {
    guard case .none = grouping, rows > 0 else { return }
    let capped = min(rows, 50_000_000)
    timestamps.reserveCapacity(capped)
    lines.reserveCapacity(capped)
    flatValues.reserveCapacity(capped * valueNames.count)
  }

  /// The id of a key value, interning it.
  mutating func keyID(_ key: String) -> Int32 {
    if let id = keyIDs[key] { return id }
    let id = Int32(keyNames.count)
    keyNames.append(key)
    keyIDs[key] = id
    return id
  }

  var isGrouping: Bool {
    if case .none = grouping { return false }
    return true
  }

  /// Adds one row.
  mutating func add(time rawTime: Int64, key: Int32, row: [Double], line: Int, column: Int = 0)
    throws(TraceError)
  {
    try row.withUnsafeBufferPointer { buffer throws(TraceError) in
      try add(time: rawTime, key: key, values: buffer, line: line, column: column)
    }
  }

  /// Adds one row of a single value column (no array per row).
  mutating func add(time: Int64, key: Int32, value: Double, line: Int, column: Int = 0)
    throws(TraceError)
  {
    var value = value
    try withUnsafePointer(to: &value) { pointer throws(TraceError) in
      try add(
        time: time, key: key, values: UnsafeBufferPointer(start: pointer, count: 1), line: line,
        column: column)
    }
  }

  /// Adds one row whose values (one per value column) are in `row`; `line` and `column`
  /// (1-based; column 0 when not known) locate it for error messages.
  mutating func add(
    time rawTime: Int64, key: Int32, values row: UnsafeBufferPointer<Double>, line: Int,
    column: Int = 0
  ) throws(TraceError) {
    rowsRead += 1
    var time = rawTime
    if let bucket = bucketMilliseconds, bucket > 0 {
      var remainder = time % bucket
      if remainder < 0 { remainder += bucket }
      time -= remainder
    }
    switch grouping {
    case .none:
      if let last = timestamps.last, time <= last {
        if time < last {
          if policies.order == .reject {
            throw TraceError(
              file: file, line: line,
              message: "timestamp \(time) ms is earlier than the previous row's \(last) ms "
                + "(line \(lines.last.map { Int($0) } ?? 0)); rows must be in time order "
                + "(or read with order policy .sort)")
          }
          sorted = false
        } else if policies.order == .reject || sorted {
          // Equal to the previous timestamp.
          switch policies.duplicates {
          case .reject:
            throw TraceError(
              file: file, line: line,
              message: "timestamp \(time) ms repeats line \(lines.last.map { Int($0) } ?? 0); "
                + "choose a duplicate policy (keepFirst, keepLast, combine) or a grouping")
          case .keepFirst:
            noteDuplicate()
            return
          case .keepLast:
            noteDuplicate()
            let base = flatValues.count - row.count
            for column in 0..<row.count { flatValues[base + column] = row[column] }
            lines[lines.count - 1] = Int32(clamping: line)
            return
          case .combine:
            break  // unreachable: combine switches to folding in init
          }
        }
      }
      timestamps.append(time)
      lines.append(Int32(clamping: line))
      flatValues.append(contentsOf: row)
    case .fold, .split:
      if streaming {
        if time < latestSlotTime {
          if !foldedTimes.isEmpty {
            needsRestart = true
            throw TraceError(
              file: file, line: line,
              message: "timestamp \(time) ms goes back in time; read again without streaming")
          }
          // Nothing combined yet: every slot is still here, continue on the general path.
          streaming = false
          groupSlotOfKey = []
        } else {
          if time > latestSlotTime {
            combineGroup()
            latestSlotTime = time
          }
          let keyIndex = Int(key)
          if keyIndex >= groupSlotOfKey.count {
            groupSlotOfKey.append(
              contentsOf: repeatElement(-1, count: keyIndex + 1 - groupSlotOfKey.count))
          }
          let slot = groupSlotOfKey[keyIndex]
          if slot >= 0 {
            accumulate(slot, row)
          } else {
            groupSlotOfKey[keyIndex] = slotTime.count
            appendSlot(time: time, key: key, line: line, column: column, row)
          }
          return
        }
      }
      let slotKeyValue = SlotKey(time: time, key: key)
      // Rows of one bucket usually follow each other: reuse the last slot without hashing;
      // a time later than every slot's is a new slot. The index is brought up to date only
      // when a row goes back in time (or repeats a key of an earlier slot).
      let slot: Int?
      if lastSlot >= 0 && slotTime[lastSlot] == time && slotKey[lastSlot] == key {
        slot = lastSlot
      } else if time > latestSlotTime {
        slot = nil
      } else {
        while indexedSlots < slotTime.count {
          slotIndex[SlotKey(time: slotTime[indexedSlots], key: slotKey[indexedSlots])] =
            indexedSlots
          indexedSlots += 1
        }
        slot = slotIndex[slotKeyValue]
      }
      if let slot {
        accumulate(slot, row)
      } else {
        if indexedSlots == slotTime.count && time <= latestSlotTime {
          slotIndex[slotKeyValue] = slotTime.count
          indexedSlots += 1
        }
        latestSlotTime = Swift.max(latestSlotTime, time)
        appendSlot(time: time, key: key, line: line, column: column, row)
      }
    }
  }

  /// Adds a row's values to slot `slot` and makes it the last slot.
  @inline(__always)
  private mutating func accumulate(_ slot: Int, _ row: UnsafeBufferPointer<Double>) {
    lastSlot = slot
    slotCount[slot] += 1
    let columns = valueNames.count
    let base = slot * columns
    for column in 0..<columns {
      let value = row[column]
      slotSum[base + column] += value
      if value > slotMax[base + column] { slotMax[base + column] = value }
      if value < slotMin[base + column] { slotMin[base + column] = value }
      slotLast[base + column] = value
    }
  }

  /// Appends a slot holding one row and makes it the last slot.
  @inline(__always)
  private mutating func appendSlot(
    time: Int64, key: Int32, line: Int, column: Int, _ row: UnsafeBufferPointer<Double>
  ) {
    lastSlot = slotTime.count
    slotTime.append(time)
    slotKey.append(key)
    slotLine.append(Int32(clamping: line))
    slotColumn.append(Int32(clamping: column))
    slotCount.append(1)
    for column in 0..<valueNames.count {
      let value = row[column]
      slotSum.append(value)
      slotMax.append(value)
      slotMin.append(value)
      slotLast.append(value)
    }
  }

  private var duplicateCount = 0
  private mutating func noteDuplicate() { duplicateCount += 1 }

  private var duplicateNote: String {
    "\(duplicateCount) rows repeated an earlier timestamp and were dropped "
      + "(duplicate policy \(policies.duplicates == .keepFirst ? "keepFirst" : "keepLast"))"
  }

  private func slotValue(_ slot: Int, _ column: Int, _ aggregation: Aggregation) -> Double {
    let index = slot * valueNames.count + column
    switch aggregation {
    case .sum: return slotSum[index]
    case .mean: return slotSum[index] / Double(slotCount[slot])
    case .max: return slotMax[index]
    case .min: return slotMin[index]
    case .last: return slotLast[index]
    case .count: return Double(slotCount[slot])
    }
  }

  /// Combines the slots `order` (one time, ascending key ids) into one value per column:
  /// each key's mean, then `aggregation` over the keys.
  private func combine(
    _ order: ArraySlice<Int>, column: Int, aggregation: Aggregation
  ) -> Double {
    let start = order.startIndex
    let end = order.endIndex
    var combined: Double
    if aggregation == .count {
      combined = 0
      for position in start..<end { combined += Double(slotCount[order[position]]) }
    } else {
      combined = slotValue(order[start], column, .mean)
      for position in (start + 1)..<max(end, start + 1) {
        let value = slotValue(order[position], column, .mean)
        switch aggregation {
        case .sum, .mean: combined += value
        case .max: combined = Swift.max(combined, value)
        case .min: combined = Swift.min(combined, value)
        case .last: combined = value
        case .count: break
        }
      }
      if aggregation == .mean { combined /= Double(end - start) }
    }
    return combined
  }

  /// Streaming fold: combines the slots of the current time into `foldedValues` and frees
  /// them.
  private mutating func combineGroup() {
    guard !slotTime.isEmpty, case .fold(let aggregation, _) = grouping else { return }
    groupOrder.removeAll(keepingCapacity: true)
    groupOrder.append(contentsOf: slotTime.indices)
    groupOrder.sort { slotKey[$0] < slotKey[$1] }
    foldedTimes.append(slotTime[0])
    for column in 0..<valueNames.count {
      foldedValues[column].append(
        combine(groupOrder[...], column: column, aggregation: aggregation))
    }
    for key in slotKey { groupSlotOfKey[Int(key)] = -1 }
    lastSlot = -1
    slotTime.removeAll(keepingCapacity: true)
    slotKey.removeAll(keepingCapacity: true)
    slotLine.removeAll(keepingCapacity: true)
    slotColumn.removeAll(keepingCapacity: true)
    slotCount.removeAll(keepingCapacity: true)
    slotSum.removeAll(keepingCapacity: true)
    slotMax.removeAll(keepingCapacity: true)
    slotMin.removeAll(keepingCapacity: true)
    slotLast.removeAll(keepingCapacity: true)
  }

  /// Produces the series.
  mutating func finish(source: TraceSource) throws(TraceError) -> TimeSeries {
    var source = source
    source.notes += notes
    switch grouping {
    case .none:
      if timestamps.isEmpty {
        throw TraceError(file: file, message: "no data rows: the trace is empty")
      }
      let width = valueNames.count
      if sorted {
        // Rows arrived in order and repeats were settled in `add`: transpose only.
        let count = timestamps.count
        let columns = valueNames.indices.map { column in
          let values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            flatValues.withUnsafeBufferPointer { flat in
              for row in 0..<count { buffer[row] = flat[row * width + column] }
            }
            initialized = count
          }
          return TimeSeries.Column(name: valueNames[column], unit: units[column], values: values)
        }
        if duplicateCount > 0 { source.notes.append(duplicateNote) }
        return TimeSeries(unchecked: timestamps, columns: columns, source: source)
      }
      // Rows came out of order (the in-order case returned above): sort, stably.
      source.notes.append("rows were out of time order and were sorted (order policy sort)")
      let order = timestamps.indices.sorted {
        timestamps[$0] != timestamps[$1] ? timestamps[$0] < timestamps[$1] : $0 < $1
      }
      var newTimes: [Int64] = []
      newTimes.reserveCapacity(order.count)
      var newLines: [Int32] = []
      var columnValues: [[Double]] = Array(
        repeating: {
          var a: [Double] = []; a.reserveCapacity(order.count); return a
        }(),
        count: width)
      for index in order {
        if let last = newTimes.last, last == timestamps[index] {
          switch policies.duplicates {
          case .reject:
            throw TraceError(
              file: file, line: Int(lines[index]),
              message: "timestamp \(last) ms repeats line \(newLines.last.map { Int($0) } ?? 0); "
                + "choose a duplicate policy (keepFirst, keepLast, combine) or a grouping")
          case .keepFirst:
            duplicateCount += 1
            continue
          case .keepLast, .combine:
            duplicateCount += 1
            for column in 0..<width {
              columnValues[column][columnValues[column].count - 1] =
                flatValues[index * width + column]
            }
            continue
          }
        }
        newTimes.append(timestamps[index])
        newLines.append(lines[index])
        for column in 0..<width { columnValues[column].append(flatValues[index * width + column]) }
      }
      if duplicateCount > 0 { source.notes.append(duplicateNote) }
      let columns = valueNames.indices.map {
        TimeSeries.Column(name: valueNames[$0], unit: units[$0], values: columnValues[$0])
      }
      return TimeSeries(unchecked: newTimes, columns: columns, source: source)

    case .fold(let aggregation, let key):
      if streaming {
        combineGroup()
      }
      if slotTime.isEmpty && foldedTimes.isEmpty {
        throw TraceError(file: file, message: "no data rows: the trace is empty")
      }
      let order = slotTime.indices.sorted {
        slotTime[$0] != slotTime[$1] ? slotTime[$0] < slotTime[$1] : slotKey[$0] < slotKey[$1]
      }
      var times: [Int64] = foldedTimes
      var output: [[Double]] =
        streaming ? foldedValues : Array(repeating: [], count: valueNames.count)
      foldedTimes = []
      foldedValues = []
      var start = 0
      while start < order.count {
        var end = start
        while end < order.count && slotTime[order[end]] == slotTime[order[start]] { end += 1 }
        times.append(slotTime[order[start]])
        for column in 0..<valueNames.count {
          if key == nil {
            output[column].append(slotValue(order[start], column, aggregation))
          } else {
            // Average within each key, then combine the keys.
            output[column].append(
              combine(order[start..<end], column: column, aggregation: aggregation))
          }
        }
        start = end
      }
      source.notes.append(
        "\(rowsRead) rows folded into \(times.count) samples with \(aggregation.rawValue)"
          + (key.map { " over distinct \($0) values (each averaged within a bucket first)" } ?? "")
          + (bucketMilliseconds.map { " in \($0) ms buckets" } ?? ""))
      let columns = valueNames.indices.map {
        TimeSeries.Column(
          name: valueNames[$0], unit: aggregation == .count ? "count" : units[$0],
          values: output[$0])
      }
      return TimeSeries(unchecked: times, columns: columns, source: source)

    case .split(let keyColumn, let aggregation, let fill):
      if slotTime.isEmpty {
        throw TraceError(file: file, message: "no data rows: the trace is empty")
      }
      let times = Array(Set(slotTime)).sorted()
      var timeIndex: [Int64: Int] = [:]
      for (index, time) in times.enumerated() { timeIndex[time] = index }
      let keyOrder = keyNames.indices.sorted { keyNames[$0] < keyNames[$1] }
      var columns: [TimeSeries.Column] = []
      var filled = 0
      for keyIndex in keyOrder {
        for column in 0..<valueNames.count {
          var cells = [Double?](repeating: nil, count: times.count)
          for slot in slotTime.indices where slotKey[slot] == Int32(keyIndex) {
            if let position = timeIndex[slotTime[slot]] {
              cells[position] = slotValue(slot, column, aggregation)
            }
          }
          var result: [Double] = []
          result.reserveCapacity(times.count)
          let firstValue = cells.first { $0 != nil } ?? nil
          var previous = firstValue ?? 0
          for (position, cell) in cells.enumerated() {
            if let cell {
              result.append(cell)
              previous = cell
              continue
            }
            filled += 1
            switch fill {
            case .hold: result.append(previous)
            case .zero: result.append(0)
            case .error:
              // Point at the first row at that time (another key's).
              var first = -1
              for slot in slotTime.indices where slotTime[slot] == times[position] {
                if first < 0 || slotLine[slot] < slotLine[first] { first = slot }
              }
              throw TraceError(
                file: file, line: first >= 0 ? Int(slotLine[first]) : nil,
                column: first >= 0 && slotColumn[first] > 0 ? Int(slotColumn[first]) : nil,
                message: "\(keyColumn) \"\(keyNames[keyIndex])\" has no sample at "
                  + "\(times[position]) ms, the time of this row; choose a fill policy (hold or "
                  + "zero) for split series")
            }
          }
          let name =
            valueNames.count == 1
            ? keyNames[keyIndex] : "\(valueNames[column])[\(keyNames[keyIndex])]"
          columns.append(
            TimeSeries.Column(
              name: name, unit: aggregation == .count ? "count" : units[column], values: result))
        }
      }
      if filled > 0 {
        source.notes.append(
          "\(filled) missing cells across \(keyNames.count) \(keyColumn) values filled with "
            + "\(fill == .hold ? "the previous value (hold)" : "zero")")
      }
      return TimeSeries(unchecked: times, columns: columns, source: source)
    }
  }
}
