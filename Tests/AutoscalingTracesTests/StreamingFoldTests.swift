import Testing
import _AutoscalingTestSupport

@testable import AutoscalingTraces

/// A bit-exact rendering of a read: every timestamp, column name, unit, value bit pattern and
/// note, or the full error.
private func rendered(_ result: Result<TimeSeries, TraceError>) -> String {
  switch result {
  case .success(let series):
    var text = "times \(series.timestamps)\n"
    for column in series.columns {
      text += "\(column.name) [\(column.unit)] \(column.values.map { $0.bitPattern })\n"
    }
    return text + "source \(series.source)"
  case .failure(let error):
    return
      "error \(error.file) \(String(describing: error.line)) \(String(describing: error.column)) "
      + "\(String(describing: error.fieldIndex)) \(String(describing: error.field)) \(error.message)"
  }
}

/// Reads `bytes` fed in chunks of the given sizes (cycled), with or without the streaming fold
/// and its restart.
private func read(
  _ bytes: [UInt8], options: CSVOptions, chunks: [Int], streaming: Bool
) -> (Result<TimeSeries, TraceError>, restarted: Bool) {
  var restarted = false
  let feed = { (parser: inout CSVStreamParser) throws(TraceError) -> Void in
    var start = 0
    var index = 0
    while start < bytes.count {
      let end = min(bytes.count, start + chunks[index % chunks.count])
      index += 1
      try withBytes(Array(bytes[start..<end])) { buffer throws(TraceError) in
        try parser.consume(buffer)
      }
      start = end
    }
  }
  if streaming {
    // The entry points' path (streaming, then the general path once a row goes back).
    var probe = CSVStreamParser(file: "t.csv", options: options)
    probe.streamsFold = true
    do throws(TraceError) {
      try feed(&probe)
      _ = try probe.finish()
    } catch {
      restarted = probe.needsRestart
    }
    let result = Result { () throws(TraceError) -> TimeSeries in
      try CSVStreamParser.read(file: "t.csv", options: options, sizeHint: bytes.count, feed: feed)
    }
    return (result, restarted)
  }
  // The general path (one slot per distinct time and key until the end), as before streaming.
  let result = Result { () throws(TraceError) -> TimeSeries in
    var parser = CSVStreamParser(file: "t.csv", options: options)
    try feed(&parser)
    return try parser.finish()
  }
  return (result, false)
}

@Suite struct StreamingFoldTests {
  // Property: folding over a key while streaming (combining each time once a later one
  // arrives) gives exactly the general path's series, notes and errors, for sorted input,
  // input that goes back in time once or often, buckets, repeats, bad and negative values.
  @Test func matchesGeneralPath() throws {
    var generator = SplitMix64(seed: 0x5EED_F01D)
    var streamedSorted = 0
    var restarts = 0
    var errors = 0
    let aggregations = Aggregation.allCases
    for caseIndex in 0..<3_000 {
      let keys = Int.random(in: 1...5, using: &generator)
      let rows = Int.random(in: 0...40, using: &generator)
      let twoValues = Bool.random(using: &generator)
      var times: [Int64] = []
      var time = Int64.random(in: -3...20, using: &generator)
      for _ in 0..<rows {
        time += Int64.random(in: 0...3, using: &generator) == 0 ? 1 : 0
        times.append(time)
      }
      switch Int.random(in: 0...3, using: &generator) {
      case 0: times.shuffle(using: &generator)  // unsorted throughout
      case 1:  // one step back somewhere
        if rows > 1 {
          let position = Int.random(in: 1..<rows, using: &generator)
          times[position] -= Int64.random(in: 1...4, using: &generator)
        }
      default: break  // in time order
      }
      func value() -> String {
        switch Int.random(in: 0...19, using: &generator) {
        case 0: return ""
        case 1: return "NaN"
        case 2: return "x"
        case 3, 4: return "-\(Int.random(in: 1...9, using: &generator)).25"
        default:
          return
            "\(Int.random(in: 0...1000, using: &generator)).\(Int.random(in: 0...99, using: &generator))"
        }
      }
      var text = twoValues ? "ts,value,key,other,kind\n" : "ts,value,key,kind\n"
      for time in times {
        let key = Int.random(in: 0..<keys, using: &generator)
        let keyText = key == 0 && Int.random(in: 0...3, using: &generator) == 0 ? "" : "k\(key)"
        let kind = Int.random(in: 0...5, using: &generator) == 0 ? "B" : "A"
        text += "\(time),\(value()),\(keyText)" + (twoValues ? ",\(value())" : "") + ",\(kind)\n"
      }
      if Bool.random(using: &generator) { text.removeLast() }
      let aggregation = aggregations[Int.random(in: 0..<aggregations.count, using: &generator)]
      let invalid: InvalidValuePolicy =
        Int.random(in: 0...5, using: &generator) == 0 ? .reject : .skipRow
      let negative: NegativeValuePolicy = [.reject, .skipRow, .clampToZero, .keep, .keep][
        Int.random(in: 0...4, using: &generator)]
      let order: OrderPolicy = Bool.random(using: &generator) ? .reject : .sort
      let options = CSVOptions(
        timestampColumn: .named("ts"), timestampFormat: .unixSeconds,
        valueColumns: twoValues ? ["value", "other"] : ["value"], units: ["value": "u"],
        filters: Bool.random(using: &generator) ? ["kind": "A"] : [:],
        grouping: .fold(aggregation: aggregation, key: "key"),
        bucketMilliseconds: [nil, 2_000, 3_000, 1][Int.random(in: 0...3, using: &generator)],
        policies: ReadPolicies(invalidValues: invalid, negativeValues: negative, order: order))
      let bytes = Array(text.utf8)
      let chunks = (0..<3).map { _ in Int.random(in: 1...64, using: &generator) }
      let (general, _) = read(
        bytes, options: options, chunks: [max(bytes.count, 1)], streaming: false)
      let (streamed, restarted) = read(bytes, options: options, chunks: chunks, streaming: true)
      #expect(rendered(streamed) == rendered(general), "case \(caseIndex):\n\(text)")
      if restarted { restarts += 1 }
      if case .failure = general { errors += 1 }
      if !restarted, case .success = streamed, Set(times).count > 1 { streamedSorted += 1 }
    }
    // The three paths were all exercised.
    #expect(restarts > 200)
    #expect(streamedSorted > 500)
    #expect(errors > 50)
  }

  // Property: the same rows with their times shuffled (each time's rows kept in order) fold to
  // the same series as sorted, so the restart path (shuffled) and the streaming path (sorted)
  // agree with each other too.
  @Test func sortedAndShuffledAgree() throws {
    var generator = SplitMix64(seed: 0xF01D_50A7)
    for _ in 0..<500 {
      let times = (0..<Int.random(in: 1...8, using: &generator)).map { Int64($0 * 7) }
      var rows: [(Int64, String)] = []
      // Every key appears first at time 0, in one order, so keys are numbered alike in both
      // files (keys combine in order of first appearance).
      for key in 0...3 {
        rows.append((0, "0,\(Int.random(in: 0...500, using: &generator)).25,c\(key)"))
      }
      for time in times {
        for _ in 0..<Int.random(in: 1...6, using: &generator) {
          rows.append(
            (
              time,
              "\(time),\(Int.random(in: 0...500, using: &generator)).5,c\(Int.random(in: 0...3, using: &generator))"
            ))
        }
      }
      // Shuffle whole times (keeping each time's rows in order) so per-key sums add in the
      // same order.
      var shuffledTimes = Array(times.dropFirst())
      shuffledTimes.shuffle(using: &generator)
      shuffledTimes.insert(0, at: 0)
      let sortedText = "t,value,ip\n" + rows.map(\.1).joined(separator: "\n")
      let shuffledText =
        "t,value,ip\n"
        + shuffledTimes.flatMap { time in rows.filter { $0.0 == time }.map(\.1) }.joined(
          separator: "\n")
      let options = CSVOptions(
        timestampColumn: .named("t"), timestampFormat: .unixSeconds, valueColumns: ["value"],
        grouping: .fold(aggregation: .sum, key: "ip"))
      let sorted = try TraceReader.readCSV(bytes: Array(sortedText.utf8), options: options)
      let shuffled = try TraceReader.readCSV(bytes: Array(shuffledText.utf8), options: options)
      #expect(rendered(.success(sorted)) == rendered(.success(shuffled)))
      #expect(sorted.timestamps == times.map { $0 * 1000 })
    }
  }
}
