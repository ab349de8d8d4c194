import AutoscalingTraces
import Foundation
import Testing
import _AutoscalingTestSupport

private func read(_ text: String, _ options: CSVOptions = .init()) throws -> TimeSeries {
  try TraceReader.readCSV(bytes: Array(text.utf8), file: "t.csv", options: options)
}

@Suite struct CSVReaderTests {
  // Expected timestamps computed by hand: seconds × 1000; dates via `date -u -d ... +%s`.

  @Test func unixSeconds() throws {
    let series = try read("timestamp,cpu,memory\n0,1.5,10\n15,2,11\n30.5,2.25,12\n")
    #expect(series.timestamps == [0, 15_000, 30_500])
    #expect(series.values(of: "cpu") == [1.5, 2, 2.25])
    #expect(series.values(of: "memory") == [10, 11, 12])
  }

  @Test func unixMillisecondsDetected() throws {
    let series = try read("time,v\n1700000000000,1\n1700000015000,2\n")
    #expect(series.timestamps == [1_700_000_000_000, 1_700_000_015_000])
  }

  @Test func decimalSecondsAreExact() throws {
    // 1662859176.0 s is exactly 1,662,859,176,000 ms; 0.0005 s rounds half up to 1 ms.
    let series = try read("timestamp_anon,value\n1662859176.0,1\n1662859176.0005,2\n")
    #expect(series.timestamps == [1_662_859_176_000, 1_662_859_176_001])
  }

  @Test func rfc3339AndVariants() throws {
    // date -u -d 2026-01-02T03:04:05Z +%s = 1767323045
    let series = try read(
      "date,v\n2026-01-02T03:04:05Z,1\n2026-01-02T04:04:06.5+01:00,2\n2026-01-02 03:04:07.9799600,3\n"
    )
    #expect(series.timestamps == [1_767_323_045_000, 1_767_323_046_500, 1_767_323_047_980])
    // VASIM's layout: the last group is milliseconds. date -u -d 2023-04-02T00:09:00Z +%s = 1680394140
    let vasim = try read(
      "TIMESTAMP,CPU\n2023.04.02-00:09:00:000,7.2\n2023.04.02-00:10:00:250,7.04\n")
    #expect(vasim.timestamps == [1_680_394_140_000, 1_680_394_200_250])
  }

  @Test func offsetsAndRowIndex() throws {
    let offsets = try read(
      "t,v\n0,1\n1.5,2\n", .init(timestampFormat: .offsetSeconds(originMilliseconds: 1_000)))
    #expect(offsets.timestamps == [1_000, 2_500])
    let rows = try read(
      "a,b\n1,2\n3,4\n5,6\n",
      .init(timestampColumn: .rowIndex(originMilliseconds: 0, stepMilliseconds: 10_000)))
    #expect(rows.timestamps == [0, 10_000, 20_000])
    #expect(rows.columnNames == ["a", "b"])
    #expect(rows.values(of: "b") == [2, 4, 6])
  }

  @Test func semicolonTabSeparatedWithUnits() throws {
    let series = try read(
      "Timestamp [ms];\tCPU usage [%];\tMemory usage [KB]\n1372629804;\t1.5;\t1034592.8\n1372630104;\t0.5;\t458575.4\n",
      .init(timestampFormat: .unixSeconds, units: ["CPU usage [%]": "percent"]))
    #expect(series.timestamps == [1_372_629_804_000, 1_372_630_104_000])
    #expect(series.column(named: "CPU usage [%]")?.unit == "percent")
    #expect(series.values(of: "Memory usage [KB]") == [1034592.8, 458575.4])
  }

  @Test func columnSelectionAndTextColumnsSkipped() throws {
    let text = "ts,name,a,b\n1,x,1,2\n2,y,3,4\n"
    #expect(try read(text).columnNames == ["a", "b"])
    #expect(try read(text, .init(valueColumns: ["b"])).columnNames == ["b"])
  }

  @Test func foldSumByKeyWithinBuckets() throws {
    // Two pods, 60 s buckets: pod a reports twice in the first bucket (mean 2), pod b once (5):
    // total 7; second bucket: a = 1, b = 1 → 2.
    let text = "timestamp,value,pod\n0,1,a\n30,3,a\n10,5,b\n60,1,a\n61,1,b\n"
    let series = try read(
      text,
      .init(
        valueColumns: ["value"], grouping: .fold(aggregation: .sum, key: "pod"),
        bucketMilliseconds: 60_000))
    #expect(series.timestamps == [0, 60_000])
    #expect(series.values(of: "value") == [7, 2])
    #expect(series.source.notes.contains { $0.contains("5 rows folded into 2 samples with sum") })
  }

  @Test func foldWithoutKey() throws {
    let text = "timestamp,value\n0,1\n0,4\n15,2\n"
    let maximum = try read(text, .init(grouping: .fold(aggregation: .max, key: nil)))
    #expect(maximum.values(of: "value") == [4, 2])
    let mean = try read(text, .init(grouping: .fold(aggregation: .mean, key: nil)))
    #expect(mean.values(of: "value") == [2.5, 2])
  }

  @Test func countArrivalsPerBucket() throws {
    let text =
      "TIMESTAMP,tokens\n2023-11-16 18:17:03.9,10\n2023-11-16 18:17:59.0,20\n2023-11-16 18:18:00.1,5\n"
    let series = try read(
      text, .init(grouping: .fold(aggregation: .count, key: nil), bucketMilliseconds: 60_000))
    // 18:17:00 and 18:18:00 on 2023-11-16: date -u -d 2023-11-16T18:17:00Z +%s = 1700158620
    #expect(series.timestamps == [1_700_158_620_000, 1_700_158_680_000])
    #expect(series.values(of: "tokens") == [2, 1])
    #expect(series.column(named: "tokens")?.unit == "count")
  }

  @Test func splitByKeyWithFill() throws {
    let text = "timestamp,value,pod\n0,1,a\n0,2,b\n15,3,a\n30,4,b\n"
    let held = try read(text, .init(grouping: .split(key: "pod", aggregation: .mean, fill: .hold)))
    #expect(held.timestamps == [0, 15_000, 30_000])
    #expect(held.values(of: "a") == [1, 3, 3])
    #expect(held.values(of: "b") == [2, 2, 4])
    let zeroed = try read(
      text, .init(grouping: .split(key: "pod", aggregation: .mean, fill: .zero)))
    #expect(zeroed.values(of: "a") == [1, 3, 0])
    #expect(throws: TraceError.self) {
      try read(text, .init(grouping: .split(key: "pod", aggregation: .mean, fill: .error)))
    }
  }

  @Test func filters() throws {
    let text = "timestamp,value,kind\n0,1,API\n0,2,Gen\n15,3,Gen\n"
    let series = try read(text, .init(valueColumns: ["value"], filters: ["kind": "Gen"]))
    #expect(series.values(of: "value") == [2, 3])
    #expect(series.source.notes.contains("1 rows removed by the filters"))
  }

  @Test func policiesSkipClampSortAndDeduplicate() throws {
    let skipped = try read(
      "timestamp,v\n0,1\n15,\n30,NaN\n45,2\n", .init(policies: .init(invalidValues: .skipRow)))
    #expect(skipped.timestamps == [0, 45_000])
    #expect(skipped.source.notes.first?.hasPrefix("2 rows") == true)
    let clamped = try read(
      "timestamp,v\n0,-0.00001\n15,2\n", .init(policies: .init(negativeValues: .clampToZero)))
    #expect(clamped.values(of: "v") == [0, 2])
    let sorted = try read(
      "timestamp,v\n30,3\n0,1\n15,2\n", .init(policies: .init(order: .sort)))
    #expect(sorted.timestamps == [0, 15_000, 30_000])
    #expect(sorted.values(of: "v") == [1, 2, 3])
    let first = try read(
      "timestamp,v\n0,1\n0,2\n15,3\n", .init(policies: .init(duplicates: .keepFirst)))
    #expect(first.values(of: "v") == [1, 3])
    let last = try read(
      "timestamp,v\n0,1\n0,2\n15,3\n", .init(policies: .init(duplicates: .keepLast)))
    #expect(last.values(of: "v") == [2, 3])
    let combined = try read(
      "timestamp,v\n0,1\n0,2\n15,3\n", .init(policies: .init(duplicates: .combine(.sum))))
    #expect(combined.values(of: "v") == [3, 3])
  }

  // Property: rows in the plain form (read by the fast row path) and rows in every other
  // accepted form (quoted, padded, signed, long or exponent numbers, CRLF; read by the general
  // path) give the values the standard library parses from the same text, bit for bit, and
  // the timestamps computed when the text was made.
  @Test(arguments: [",", ";\t", "\t"])
  func plainAndUnusualRowsReadAlike(separator: String) throws {
    var generator = SplitMix64(seed: 0xFA57)
    var text = "time_ms\(separator)a\(separator)name\(separator)b\n"
    var times: [Int64] = []
    var a: [Double] = []
    var b: [Double] = []
    func cell(_ generator: inout SplitMix64) -> (String, Double) {
      let value = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
      let short = (Double(Int.random(in: 0...1_000_000, using: &generator)) / 1_000)
      let forms = [
        "\(short)", "\(value)", " \(short) ", "\"\(short)\"", "+\(short)", "\(short)e2",
        "0.000000000000000000000012345", "12345678901234567890.5", "7.", "\(short)E-3",
      ]
      let form = forms[Int.random(in: 0..<forms.count, using: &generator)]
      let bare = form.trimmingCharacters(in: CharacterSet(charactersIn: " \""))
      return (form, Double(bare) ?? .nan)
    }
    var time: Int64 = 1_700_000_000_000
    for row in 0..<3_000 {
      time += Int64.random(in: 1...30_000, using: &generator)
      let (first, firstValue) = cell(&generator)
      let (second, secondValue) = cell(&generator)
      let stamp = row % 7 == 3 ? "\"\(time)\"" : row % 5 == 2 ? " \(time)" : "\(time)"
      let name = row % 11 == 4 ? "\"x, y\"" : "pod-\(row)"
      let end = row % 13 == 6 ? "\r\n" : "\n"
      text += [stamp, first, name, second].joined(separator: separator) + end
      times.append(time)
      a.append(firstValue)
      b.append(secondValue)
    }
    let options = CSVOptions(valueColumns: ["a", "b"])
    let series = try read(text, options)
    #expect(series.timestamps == times)
    #expect(series.values(of: "a")?.map(\.bitPattern) == a.map(\.bitPattern))
    #expect(series.values(of: "b")?.map(\.bitPattern) == b.map(\.bitPattern))
  }

  @Test func chunkBoundariesDoNotMatter() throws {
    var text = "timestamp,v\n"
    for index in 0..<500 { text += "\(index * 15),\(Double(index) * 0.5)\r\n" }
    let whole = try read(text)
    let lines = text.split(separator: "\n").map { String($0) }
    let fromLines = try TraceReader.readCSV(lines: lines, file: "t.csv")
    #expect(whole == fromLines)
    #expect(whole.count == 500)
    #expect(whole.values(of: "v")?.last == 249.5)
  }
}

struct BadCSVCase: CustomTestStringConvertible, Sendable {
  var name: String
  var text: String
  var options: CSVOptions = .init()
  var message: String
  var testDescription: String { name }
}

@Suite struct CSVBadInputTests {
  // Every error names the file, the line, the column and what was expected; the lines and
  // fields were counted by hand in each literal.
  static let cases: [BadCSVCase] = [
    BadCSVCase(
      name: "empty file", text: "", message: "t.csv: the file is empty: expected a header line"),
    BadCSVCase(
      name: "header only", text: "timestamp,v\n", message: "t.csv: no data rows after the header"),
    BadCSVCase(
      name: "NaN", text: "timestamp,v\n0,1\n15,NaN\n",
      message: "t.csv:3: column \"v\" (field 2): expected a finite number, found \"NaN\""),
    BadCSVCase(
      name: "infinity", text: "timestamp,v\n0,inf\n",
      message: "t.csv:2: column \"v\" (field 2): expected a finite number, found \"inf\""),
    BadCSVCase(
      name: "empty value", text: "timestamp,v\n0,\n",
      message: "t.csv:2: column \"v\" (field 2): expected a number, found an empty field"),
    BadCSVCase(
      name: "text value", text: "timestamp,v,w\n0,1,2\n15,abc,3\n",
      message: "t.csv:3: column \"v\" (field 2): expected a finite number, found \"abc\""),
    BadCSVCase(
      name: "negative", text: "timestamp,v\n0,-1\n",
      message:
        "t.csv:2: column \"v\" (field 2): negative value -1 (choose a negative-value policy to skip, clamp or keep it)"
    ),
    BadCSVCase(
      name: "unsorted", text: "timestamp,v\n15,1\n0,2\n",
      message:
        "t.csv:3: timestamp 0 ms is earlier than the previous row's 15000 ms (line 2); rows must be in time order (or read with order policy .sort)"
    ),
    BadCSVCase(
      name: "duplicate", text: "timestamp,v\n0,1\n0,2\n",
      message:
        "t.csv:3: timestamp 0 ms repeats line 2; choose a duplicate policy (keepFirst, keepLast, combine) or a grouping"
    ),
    BadCSVCase(
      name: "bad timestamp", text: "timestamp,v\n0,1\nnoon,2\n",
      message: "t.csv:3: column \"timestamp\" (field 1): expected Unix seconds, found \"noon\""),
    BadCSVCase(
      name: "missing column", text: "timestamp,v\n0,1\n", options: CSVOptions(valueColumns: ["cpu"]),
      message: "t.csv:1: column \"cpu\": no such column; the header has \"timestamp\", \"v\""),
    BadCSVCase(
      name: "field count", text: "timestamp,v\n0,1\n15\n",
      message: "t.csv:3: expected 2 fields as in the header, found 1"),
    BadCSVCase(
      name: "unterminated quote", text: "timestamp,v\n0,\"1\n",
      message: "t.csv:2: field 2: unterminated quoted field (quoted fields cannot span lines)"),
    // Rows after the second go through the fast row path; a bad one falls back to the
    // general path, which names it exactly as it would any other.
    BadCSVCase(
      name: "text after plain rows", text: "timestamp,v\n0,1\n15,2\n30,2x\n",
      message: "t.csv:4: column \"v\" (field 2): expected a finite number, found \"2x\""),
    BadCSVCase(
      name: "extra field after plain rows", text: "timestamp,v\n0,1\n15,2\n30,3,4\n",
      message: "t.csv:4: expected 2 fields as in the header, found 3"),
    BadCSVCase(
      name: "negative after plain rows", text: "timestamp,v\n0,1\n15,2\n30,-3\n",
      message:
        "t.csv:4: column \"v\" (field 2): negative value -3 (choose a negative-value policy to skip, clamp or keep it)"
    ),
    BadCSVCase(
      // 9,223,372,036,854,775 s × 1000 + 999 ms passes Int64.max (…775,807 ms).
      name: "timestamp overflows", text: "timestamp,v\n9223372036854775.999,1\n",
      options: CSVOptions(timestampFormat: .unixSeconds),
      message:
        "t.csv:2: column \"timestamp\" (field 1): \"9223372036854775.999\" read as Unix seconds "
          + "is beyond the range of Int64 milliseconds (about ±292 million years from 1970)"
    ),
    BadCSVCase(
      name: "date group too long",
      text: "date,v\n2026-01-02T03:04:05Z,1\n2026-9999999999999999999-01,2\n",
      message:
        "t.csv:3: column \"date\" (field 1): expected a date-time such as 2026-01-02T03:04:05Z, found \"2026-9999999999999999999-01\""
    ),
    BadCSVCase(
      name: "gap in a split series", text: "timestamp,v,pod\n0,1,a\n0,2,b\n15,3,a\n",
      options: CSVOptions(grouping: .split(key: "pod", aggregation: .mean, fill: .error)),
      message:
        "t.csv:4: pod \"b\" has no sample at 15000 ms, the time of this row; choose a fill policy (hold or zero) for split series"
    ),
    BadCSVCase(
      name: "missing key column", text: "timestamp,v\n0,1\n",
      options: CSVOptions(grouping: .fold(aggregation: .sum, key: "pod")),
      message: "t.csv:1: column \"pod\": no such column; the header has \"timestamp\", \"v\""),
    BadCSVCase(
      name: "no time column", text: "a,b\n1,2\n",
      message:
        "t.csv:1: no time column found (no header contains \"time\" or \"date\"); name it with timestampColumn .named, or use .rowIndex for files without one"
    ),
  ]

  @Test(arguments: cases)
  func rejects(_ testCase: BadCSVCase) {
    do {
      let series = try TraceReader.readCSV(
        bytes: Array(testCase.text.utf8), file: "t.csv", options: testCase.options)
      Issue.record("expected an error, read \(series.count) rows")
    } catch {
      #expect(error.description == testCase.message)
    }
  }
}
