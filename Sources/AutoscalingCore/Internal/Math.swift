// The only library file that imports the C library. Importing it here also makes every
// executable that links AutoscalingCore link the C math library, which `Double.rounded(_:)`
// and friends need on Linux when Foundation is not imported.
#if canImport(Darwin)
  internal import Darwin
#elseif canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(ucrt)
  internal import ucrt
#else
  #error("Unsupported platform")
#endif

/// Elementary functions shared by the package's modules (not public API).
package enum Math {
  /// 2 raised to `x`.
  ///
  /// - Parameter x: The exponent.
  /// - Returns: 2^x.
  package static func exp2(_ x: Double) -> Double {
    #if canImport(Darwin)
      Darwin.exp2(x)
    #elseif canImport(Glibc)
      Glibc.exp2(x)
    #elseif canImport(Musl)
      Musl.exp2(x)
    #else
      ucrt.exp2(x)
    #endif
  }

  /// The natural logarithm of `x`.
  ///
  /// - Parameter x: A positive number.
  /// - Returns: ln x.
  package static func log(_ x: Double) -> Double {
    #if canImport(Darwin)
      Darwin.log(x)
    #elseif canImport(Glibc)
      Glibc.log(x)
    #elseif canImport(Musl)
      Musl.log(x)
    #else
      ucrt.log(x)
    #endif
  }

  /// The exponential function e^x.
  ///
  /// - Parameter x: The exponent.
  /// - Returns: e^x.
  package static func exp(_ x: Double) -> Double {
    #if canImport(Darwin)
      Darwin.exp(x)
    #elseif canImport(Glibc)
      Glibc.exp(x)
    #elseif canImport(Musl)
      Musl.exp(x)
    #else
      ucrt.exp(x)
    #endif
  }

  /// `x` raised to `y`.
  ///
  /// - Parameters:
  ///   - x: The base.
  ///   - y: The exponent.
  /// - Returns: x^y.
  package static func pow(_ x: Double, _ y: Double) -> Double {
    #if canImport(Darwin)
      Darwin.pow(x, y)
    #elseif canImport(Glibc)
      Glibc.pow(x, y)
    #elseif canImport(Musl)
      Musl.pow(x, y)
    #else
      ucrt.pow(x, y)
    #endif
  }

  /// The square root of `x`.
  ///
  /// - Parameter x: A non-negative number.
  /// - Returns: √x.
  package static func squareRoot(_ x: Double) -> Double { x.squareRoot() }
}
