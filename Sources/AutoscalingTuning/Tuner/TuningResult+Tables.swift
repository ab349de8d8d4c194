extension TuningResult {
  /// The Pareto front as an aligned text table, cheapest first: replica-hours, under-
  /// provisioned time (percent), unserved demand, scaling actions, held-out replica-hours
  /// and under-provisioning, how many front members share the row's scores, then every
  /// parameter; the chosen row is marked `*`.
  ///
  /// Front members with identical scores (see ``frontScoreGroups``) share one row, shown with
  /// the parameters of the chosen configuration when it is among them, otherwise of the first
  /// in front order: parameters that never bind on the trace (a policy that is never the
  /// limit, say) otherwise fill the table with rows that differ only there.
  ///
  /// - Parameter limit: The most rows printed (the rest are counted in a last line).
  /// - Returns: The table, one line per row, ending with a newline.
  public func frontTable(limit: Int = 25) -> String {
    let groups = frontScoreGroups
    let names = search.space.dimensions.map(\.name)
    var rows: [[String]] = [
      [
        "", "replica-h", "under-prov %", "unserved", "actions", "hold-out replica-h",
        "hold-out under-prov %", "same scores",
      ] + names
    ]
    for group in groups.prefix(max(0, limit)) {
      let shown = group[0]
      let mark = shown.ordinal == chosen?.evaluation.ordinal ? "*" : ""
      rows.append(
        [mark] + Self.cells(shown.objectives, holdOut: shown.holdOut) + ["\(group.count)"]
          + search.parameters(of: shown).map(\.value.description))
    }
    var text = Self.aligned(rows)
    if groups.count > limit {
      let hidden = groups.dropFirst(max(0, limit))
      text +=
        "… \(hidden.count) more rows on the front "
        + "(\(hidden.reduce(0) { $0 + $1.count }) candidates)\n"
    }
    return text
  }

  /// The Pareto front's members grouped by identical scores (tuning and held-out part,
  /// window shares included), cheapest group first. Each group lists the chosen
  /// configuration first when it is a member, then the others in front order.
  public var frontScoreGroups: [[Evaluation]] {
    struct Scores: Hashable {
      var tuning: Objectives
      var holdOut: Objectives?
    }
    var groups: [[Evaluation]] = []
    var index: [Scores: Int] = [:]
    for evaluation in search.front {
      let key = Scores(tuning: evaluation.objectives, holdOut: evaluation.holdOut)
      if let position = index[key] {
        if evaluation.ordinal == chosen?.evaluation.ordinal {
          groups[position].insert(evaluation, at: 0)
        } else {
          groups[position].append(evaluation)
        }
      } else {
        index[key] = groups.count
        groups.append([evaluation])
      }
    }
    return groups
  }

  /// The current HPA against the chosen configuration, on the tuning and held-out parts,
  /// then the saving and, with a held-out part, the ``HoldOutCheck`` summary.
  ///
  /// With the robust constraint (``WindowRobustness``) a last column gives each window's
  /// under-provisioned time share in percent (`w1/w2/…`, tuning part) and a `bound` row the
  /// per-window bounds a candidate had to meet.
  ///
  /// - Returns: The table, ending with a newline.
  public func comparisonTable() -> String {
    let bounds = search.configuration.selection.windowBounds
    let windowed =
      bounds != nil || current.tuning.windowUnderProvisionedTimeShares != nil
      || chosen?.scores.tuning.windowUnderProvisionedTimeShares != nil
    var header = [
      "", "replica-h", "under-prov %", "unserved", "actions", "hold-out replica-h",
      "hold-out under-prov %",
    ]
    if windowed { header.append("window under-prov %") }
    var rows: [[String]] = [header]
    func row(_ name: String, _ scores: SegmentScores) -> [String] {
      var cells = [name] + Self.cells(scores.tuning, holdOut: scores.holdOut)
      if windowed { cells.append(Self.percentages(scores.tuning.windowUnderProvisionedTimeShares)) }
      return cells
    }
    rows.append(row("current", current))
    if let chosen { rows.append(row("chosen", chosen.scores)) }
    if windowed, let bounds {
      rows.append(["bound", "", "", "", "", "", "", Self.percentages(bounds)])
    }
    var text = Self.aligned(rows)
    if let chosen, current.tuning.replicaSeconds > 0 {
      let saving = 1 - chosen.scores.tuning.replicaSeconds / current.tuning.replicaSeconds
      text += "replica-hours saved (tuning part): \(Self.fixed(saving * 100, digits: 1)) %"
      if let now = current.holdOut, let then = chosen.scores.holdOut, now.replicaSeconds > 0 {
        let heldOut = 1 - then.replicaSeconds / now.replicaSeconds
        text += "; held out: \(Self.fixed(heldOut * 100, digits: 1)) %"
      }
      text += constraintMet ? "\n" : " (no candidate met the bound)\n"
    }
    if currentIsPreferred {
      text += Self.keepCurrentAdvice(evaluated: search.evaluations.count) + "\n"
    }
    if let check = holdOutCheck { text += check.summary + "\n" }
    return text
  }

  /// The advice when ``currentIsPreferred``: keep the current HPA.
  ///
  /// - Parameter evaluated: How many candidates the search evaluated.
  /// - Returns: One sentence, without a newline.
  public static func keepCurrentAdvice(evaluated: Int) -> String {
    "keep the current HPA: none of the \(evaluated) candidates evaluated is preferable to it "
      + "within the bounds on the tuning part (the chosen one is the best of them)"
  }

  /// The chosen configuration's neighbourhood (see ``SearchResult/neighbourhood(of:)``), or
  /// `nil` when nothing was chosen.
  public var neighbourhood: Neighbourhood? {
    chosen.map { search.neighbourhood(of: $0.evaluation) }
  }

  /// Why nothing cheaper was chosen, as text: how many of the chosen configuration's
  /// one-level neighbours were evaluated, then one row per cheaper candidate that changes a
  /// single parameter (the nearest on each side) with its replica-hours, its cost against the
  /// chosen one (percent), its under-provisioned time (percent, whole part and per window) and
  /// the bounds it breaks.
  ///
  /// Empty when nothing was chosen, when there is no bound, or when no candidate met it (the
  /// chosen one is then the least under-provisioned, not the cheapest acceptable).
  ///
  /// - Returns: The text, ending with a newline, or an empty string.
  public func alternativesTable() -> String {
    guard let chosen, constraintMet, search.configuration.selection.isConstrained,
      let neighbourhood
    else { return "" }
    var text =
      "\(neighbourhood.oneLevelEvaluated) of \(neighbourhood.oneLevelNeighbours) "
      + "one-level neighbours of the chosen configuration evaluated"
    // A whole grid (or any search that evaluated every combination) saw the whole space.
    let sawEverything =
      search.shard == .whole
      && (search.configuration.strategy == .grid
        || search.space.rawSize.map { search.evaluations.count >= $0 } == true)
    if neighbourhood.isLocalOptimum && sawEverything {
      text += "; every candidate of the space was evaluated: none cheaper meets the bound.\n"
    } else if neighbourhood.isLocalOptimum {
      text +=
        "; none cheaper meets the bound: a local optimum at the space's levels; a search "
        + "from other samples may still find a cheaper one elsewhere.\n"
    } else if neighbourhood.oneLevelEvaluated < neighbourhood.oneLevelNeighbours {
      text += "; a larger budget would evaluate the rest.\n"
    } else {
      text += ".\n"
    }
    guard !neighbourhood.cheaper.isEmpty else {
      return text + "No evaluated candidate that changes one parameter is cheaper.\n"
    }
    let windowed = neighbourhood.cheaper.contains {
      $0.evaluation.objectives.windowUnderProvisionedTimeShares != nil
    }
    var header = ["parameter", "chosen → value", "replica-h", "vs chosen %", "under-prov %"]
    if windowed { header.append("window under-prov %") }
    header.append("breaks")
    var rows = [header]
    let base = chosen.evaluation.objectives.replicaSeconds
    for alternative in neighbourhood.cheaper {
      let scores = alternative.evaluation.objectives
      var row = [
        alternative.name, "\(alternative.from) → \(alternative.to)",
        Self.fixed(scores.replicaSeconds / 3_600, digits: 1),
        base > 0 ? Self.fixed((scores.replicaSeconds / base - 1) * 100, digits: 1) : "-",
        Self.fixed(scores.underProvisionedTimeShare * 100, digits: 3),
      ]
      if windowed { row.append(Self.percentages(scores.windowUnderProvisionedTimeShares)) }
      row.append(
        alternative.violations.isEmpty
          ? "nothing" : alternative.violations.map(\.description).joined(separator: "; "))
      rows.append(row)
    }
    return text + "Cheaper candidates that change one parameter, and the bound each breaks:\n"
      + Self.aligned(rows)
  }

  private static func cells(_ scores: Objectives, holdOut: Objectives?) -> [String] {
    [
      fixed(scores.replicaSeconds / 3_600, digits: 1),
      fixed(scores.underProvisionedTimeShare * 100, digits: 3),
      fixed(scores.unservedDemand, digits: 0), fixed(scores.scalingActions, digits: 0),
      holdOut.map { fixed($0.replicaSeconds / 3_600, digits: 1) } ?? "-",
      holdOut.map { fixed($0.underProvisionedTimeShare * 100, digits: 3) } ?? "-",
    ]
  }

  /// Time shares as percentages with 3 decimals joined by `/`, or `-` for none.
  private static func percentages(_ shares: [Double]?) -> String {
    guard let shares, !shares.isEmpty else { return "-" }
    return shares.map { fixed($0 * 100, digits: 3) }.joined(separator: "/")
  }

  private static func aligned(_ rows: [[String]]) -> String {
    let columns = rows.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    return rows.map { row in
      row.enumerated().map { index, cell in
        String(repeating: " ", count: widths[index] - cell.count) + cell
      }.joined(separator: "  ") + "\n"
    }.joined()
  }

  /// A share 0…1 as a percentage with a fixed count of decimals and a `%` sign (`0.496 %`).
  static func percent(_ share: Double, digits: Int) -> String {
    fixed(share * 100, digits: digits) + " %"
  }

  /// `value` as a whole number (`12`) when it is one, else `nil`.
  static func wholeNumber(_ value: Double) -> String? {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : nil
  }

  /// A number with a fixed count of decimals, without Foundation.
  static func fixed(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return String(value) }
    var scale = 1.0
    for _ in 0..<max(0, digits) { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return String(value) }
    let whole = Int64(scaled)
    let unit = Int64(scale)
    let sign = value < 0 && whole != 0 ? "-" : ""
    guard digits > 0 else { return sign + String(whole) }
    let fraction = String(whole % unit)
    return sign + String(whole / unit) + "."
      + String(repeating: "0", count: digits - fraction.count) + fraction
  }
}
