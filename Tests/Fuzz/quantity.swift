import AutoscalingCore

/// libFuzzer entry point: the input is a quantity's text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuantity(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let quantity = try? Quantity(parsing: text) else { return 0 }
  let reparsed = try? Quantity(parsing: quantity.description)
  precondition(reparsed == quantity, "\(text) printed as \(quantity.description) does not re-parse")
  _ = quantity.milliValue
  _ = quantity.value
  _ = (quantity + quantity).description
  return 0
}
