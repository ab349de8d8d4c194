/// What the held-out part says about a tuned configuration: whether the saving found on the
/// tuning part holds on data the search never saw.
///
/// A configuration tuned on one stretch of traffic can fit that stretch too closely. The check
/// compares the chosen configuration with the current HPA on the held-out part: it *holds*
/// when the chosen one costs no more there and is under-provisioned no longer than the current
/// HPA or the selection bound allows, whichever is more.
public struct HoldOutCheck: Sendable, Hashable {
  /// Held-out replica-seconds saved against the current HPA, as a fraction of the current
  /// HPA's (`0.2` = 20 % fewer; negative when the chosen configuration costs more).
  public var saving: Double
  /// The chosen configuration's under-provisioned time share on the held-out part, 0…1.
  public var underProvisionedTimeShare: Double
  /// The current HPA's under-provisioned time share on the held-out part, 0…1.
  public var currentUnderProvisionedTimeShare: Double
  /// The selection bound on the under-provisioned time share, 0…1, or `nil` for none.
  public var bound: Double?

  /// Creates a check from held-out scores.
  ///
  /// - Parameters:
  ///   - current: The current HPA's held-out scores.
  ///   - chosen: The chosen configuration's held-out scores.
  ///   - bound: The selection bound on the under-provisioned time share, 0…1, or `nil`.
  public init(current: Objectives, chosen: Objectives, bound: Double?) {
    saving =
      current.replicaSeconds > 0 ? 1 - chosen.replicaSeconds / current.replicaSeconds
      : (chosen.replicaSeconds > 0 ? -1 : 0)
    underProvisionedTimeShare = chosen.underProvisionedTimeShare
    currentUnderProvisionedTimeShare = current.underProvisionedTimeShare
    self.bound = bound
  }

  /// The most held-out under-provisioning that still holds, 0…1: the larger of the current
  /// HPA's held-out share and the bound.
  public var allowedUnderProvisionedTimeShare: Double {
    max(currentUnderProvisionedTimeShare, bound ?? 0)
  }

  /// Whether the chosen configuration costs more than the current HPA on the held-out part.
  public var isDearer: Bool { saving < 0 }

  /// Whether it is under-provisioned longer than ``allowedUnderProvisionedTimeShare``.
  public var isMoreUnderProvisioned: Bool {
    underProvisionedTimeShare > allowedUnderProvisionedTimeShare
  }

  /// Whether the held-out part confirms the tuning: neither dearer nor more
  /// under-provisioned than allowed.
  public var holds: Bool { !isDearer && !isMoreUnderProvisioned }

  /// One sentence for people: what the held-out part shows and, when it does not hold, what
  /// to try. Percentages with one decimal (cost) and three (time shares).
  public var summary: String {
    func percent(_ share: Double, digits: Int) -> String {
      TuningResult.percent(share, digits: digits)
    }
    if holds {
      return "hold-out check: holds — on the held-out part the chosen configuration saves "
        + "\(percent(saving, digits: 1)) of the current HPA's replica-hours and is "
        + "under-provisioned \(percent(underProvisionedTimeShare, digits: 3)) of the time "
        + "(allowed \(percent(allowedUnderProvisionedTimeShare, digits: 3)))"
    }
    var findings: [String] = []
    if isDearer {
      findings.append("costs \(percent(-saving, digits: 1)) more replica-hours than the current HPA")
    }
    if isMoreUnderProvisioned {
      var text =
        "is under-provisioned \(percent(underProvisionedTimeShare, digits: 3)) of the time, "
        + "more than the current HPA's \(percent(currentUnderProvisionedTimeShare, digits: 3))"
      if let bound { text += " and the bound of \(percent(bound, digits: 3))" }
      findings.append(text)
    }
    return "hold-out check: DOES NOT HOLD — on the held-out part the chosen configuration "
      + findings.joined(separator: " and ")
      + "; it may fit the tuning part too closely: tune over a longer trace or several "
      + "windows, or narrow the space, before applying it"
  }
}

extension TuningResult {
  /// The held-out check of the chosen configuration against the current HPA, or `nil` when
  /// there is no held-out part or nothing was chosen.
  public var holdOutCheck: HoldOutCheck? {
    guard let chosen = chosen?.scores.holdOut, let current = current.holdOut else { return nil }
    return HoldOutCheck(current: current, chosen: chosen, bound: maxUnderProvisionedTimeShare)
  }
}
