public import AutoscalingCore

/// What proportional scaling produced (upstream `scaleQuantityProportionally*`).
public enum ProportionalScaling: Hashable, Sendable {
  /// The scaled amount.
  case scaled(Quantity)
  /// The result exceeded `Int64` (milli-units for CPU, units for memory) and was capped.
  case capped(Quantity)
  /// The base was zero; the input is returned unchanged.
  case divisionByZero(Quantity)

  /// The resulting quantity, whatever the case.
  public var quantity: Quantity {
    switch self {
    case .scaled(let quantity), .capped(let quantity), .divisionByZero(let quantity):
      return quantity
    }
  }
}

/// How a proportional CPU scaling rounds (memory always floors, as upstream effectively does).
public enum ScalingRounding: Hashable, Sendable {
  /// Floor (Euclidean division).
  case none
  /// Add one milli-unit when there is a remainder.
  case up
  /// Floor.
  case down
}

/// Proportional limits and LimitRange boundaries (upstream
/// `utils/vpa/limit_and_request_scaling.go`).
public enum LimitScaling: Sendable {
  /// Scales `quantity · result / base` in exact integer arithmetic, per resource: CPU in
  /// milli-units (with the rounding asked for), memory in whole units (always floored).
  ///
  /// - Parameters:
  ///   - resource: `cpu` or `memory`.
  ///   - quantity: The quantity scaled.
  ///   - base: The denominator.
  ///   - result: The numerator.
  ///   - rounding: Rounding for CPU.
  /// - Returns: The outcome.
  public static func scale(
    _ resource: RecommendedResource, _ quantity: Quantity, from base: Quantity, to result: Quantity,
    rounding: ScalingRounding = .none
  ) -> ProportionalScaling {
    switch resource {
    case .cpu:
      let baseMilli = Int128(base.milliValue)
      guard baseMilli != 0 else { return .divisionByZero(quantity) }
      let product = Int128(quantity.milliValue) * Int128(result.milliValue)
      var (quotient, remainder) = euclideanDivision(product, baseMilli)
      if rounding == .up && remainder != 0 { quotient += 1 }
      guard let milli = Int64(exactly: quotient) else {
        return .capped(Quantity(milliValue: .max))
      }
      return .scaled(Quantity(milliValue: milli))
    case .memory:
      let baseValue = Int128(base.value)
      guard baseValue != 0 else { return .divisionByZero(quantity) }
      let product = Int128(quantity.value) * Int128(result.value)
      let (quotient, _) = euclideanDivision(product, baseValue)
      guard let value = Int64(exactly: quotient) else {
        return .capped(Quantity(.max, format: quantity.format))
      }
      return .scaled(Quantity(value, format: quantity.format))
    }
  }

  static func euclideanDivision(_ dividend: Int128, _ divisor: Int128) -> (Int128, Int128) {
    var (quotient, remainder) = dividend.quotientAndRemainder(dividingBy: divisor)
    if remainder < 0 {
      if divisor > 0 {
        quotient -= 1
        remainder += divisor
      } else {
        quotient += 1
        remainder -= divisor
      }
    }
    return (quotient, remainder)
  }

  /// The limit that keeps the original limit-to-request ratio for a new request (upstream
  /// `getProportionalResourceLimit`).
  ///
  /// - Parameters:
  ///   - resource: `cpu` or `memory`.
  ///   - originalLimit: The current limit, or `nil`.
  ///   - originalRequest: The current request, or `nil`.
  ///   - recommendation: The new request, or `nil`.
  ///   - defaultLimit: The LimitRange default limit, or `nil`.
  /// - Returns: The new limit (`nil` for none) and an annotation explaining an absent or
  ///   capped limit (`nil` when there is nothing to say).
  public static func proportionalLimit(
    _ resource: RecommendedResource, originalLimit: Quantity?, originalRequest: Quantity?,
    recommendation: Quantity?, defaultLimit: Quantity?
  ) -> (limit: Quantity?, annotation: String?) {
    var limit = originalLimit
    if limit == nil || (limit?.value == 0 && defaultLimit != nil) { limit = defaultLimit }
    guard let limit, limit.value != 0 else {
      return (nil, "\(resource.rawValue): limit NOT set since originalLimit is nil or 0")
    }
    guard let recommendation, recommendation.value != 0 else {
      return (nil, "\(resource.rawValue): limit NOT set since recommendation is nil or 0")
    }
    guard let request = originalRequest, request.value != 0 else { return (recommendation, nil) }
    if request.milliValue == limit.milliValue { return (recommendation, nil) }
    switch scale(resource, limit, from: request, to: recommendation) {
    case .scaled(let quantity), .divisionByZero(let quantity): return (quantity, nil)
    case .capped(let quantity):
      return (
        quantity,
        "\(resource.rawValue): failed to keep limit to request ratio; capping limit to int64"
      )
    }
  }

  /// The request that corresponds to a LimitRange boundary on the limit, keeping the
  /// request-to-limit ratio (upstream `GetBoundaryRequest`); zero means no boundary.
  ///
  /// - Parameters:
  ///   - resource: `cpu` or `memory`.
  ///   - originalRequest: The current request, or `nil`.
  ///   - originalLimit: The current limit, or `nil`.
  ///   - boundary: The LimitRange min or max, or `nil`.
  ///   - defaultLimit: The LimitRange default limit, or `nil`.
  /// - Returns: The boundary request.
  public static func boundaryRequest(
    _ resource: RecommendedResource, originalRequest: Quantity?, originalLimit: Quantity?,
    boundary: Quantity?, defaultLimit: Quantity?
  ) -> Quantity {
    var limit = originalLimit
    if limit == nil || (limit?.value == 0 && defaultLimit != nil) { limit = defaultLimit }
    guard let limit, limit.value != 0 else { return .zero }
    let boundary = boundary ?? .zero
    guard let request = originalRequest, request.value != 0 else { return boundary }
    return scale(resource, request, from: limit, to: boundary).quantity
  }
}
