import Foundation

/// The operations of the flat evaluator. Every instruction reads up to three registers and writes one.
@usableFromInline
enum Opcode: UInt8, Hashable, Sendable {
    // binary arithmetic
    case add, sub, mul, div, pow, min, max, quotient, rem, logBase, root
    // comparisons and logic (results are 1 or 0)
    case eq, ne, lt, le, gt, ge, and, or, xor
    // unary
    case neg, not, exp, ln, log10, log2, sqrt, abs, floor, ceil, factorial
    case sin, cos, tan, sec, csc, cot, sinh, cosh, tanh, sech, csch, coth
    case asin, acos, atan, asec, acsc, acot, asinh, acosh, atanh, asech, acsch, acoth
    /// `select(c, a, b)` = c != 0 ? a : b.
    case select
    /// Integer-exponent power `a ^ n` with the exponent stored as a literal in operand b (repeated multiply).
    case square, cube
    /// Fused forms made by `RegisterLayout` (never in an expression graph): `a*b + c`, `a*b - c`, `c - a*b`,
    /// each rounding the product and then the sum, exactly as the two separate operations do.
    case mulAdd, mulSub, subMul

    var arity: Int {
        switch self {
        case .add, .sub, .mul, .div, .pow, .min, .max, .quotient, .rem, .logBase, .root,
             .eq, .ne, .lt, .le, .gt, .ge, .and, .or, .xor: 2
        case .select, .mulAdd, .mulSub, .subMul: 3
        default: 1
        }
    }

    /// Evaluates the operation on scalars (used for constant folding and by the interpreter).
    @inlinable @inline(__always)
    static func apply(_ op: Opcode, _ a: Double, _ b: Double, _ c: Double) -> Double {
        switch op {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .pow: return Foundation.pow(a, b)
        case .min: return a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
        case .max: return a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
        case .quotient: return (a / b).rounded(.down)
        case .rem: return a - b * (a / b).rounded(.towardZero)
        case .logBase: return Foundation.log(b) / Foundation.log(a)
        case .root: return Foundation.pow(b, 1 / a)
        case .eq: return a == b ? 1 : 0
        case .ne: return a != b ? 1 : 0
        case .lt: return a < b ? 1 : 0
        case .le: return a <= b ? 1 : 0
        case .gt: return a > b ? 1 : 0
        case .ge: return a >= b ? 1 : 0
        case .and: return (a != 0 && b != 0) ? 1 : 0
        case .or: return (a != 0 || b != 0) ? 1 : 0
        case .xor: return ((a != 0) != (b != 0)) ? 1 : 0
        case .neg: return -a
        case .not: return a == 0 ? 1 : 0
        case .exp: return Exponential.exp(a)  // the batched evaluators' function, bit for bit
        case .ln: return Foundation.log(a)
        case .log10: return Foundation.log10(a)
        case .log2: return Foundation.log2(a)
        case .sqrt: return a.squareRoot()
        case .abs: return Swift.abs(a)
        case .floor: return a.rounded(.down)
        case .ceil: return a.rounded(.up)
        case .factorial: return Foundation.tgamma(a + 1)
        case .sin: return Foundation.sin(a)
        case .cos: return Foundation.cos(a)
        case .tan: return Foundation.tan(a)
        case .sec: return 1 / Foundation.cos(a)
        case .csc: return 1 / Foundation.sin(a)
        case .cot: return 1 / Foundation.tan(a)
        case .sinh: return Foundation.sinh(a)
        case .cosh: return Foundation.cosh(a)
        case .tanh: return Foundation.tanh(a)
        case .sech: return 1 / Foundation.cosh(a)
        case .csch: return 1 / Foundation.sinh(a)
        case .coth: return 1 / Foundation.tanh(a)
        case .asin: return Foundation.asin(a)
        case .acos: return Foundation.acos(a)
        case .atan: return Foundation.atan(a)
        case .asec: return Foundation.acos(1 / a)
        case .acsc: return Foundation.asin(1 / a)
        case .acot: return Foundation.atan(1 / a)
        case .asinh: return Foundation.asinh(a)
        case .acosh: return Foundation.acosh(a)
        case .atanh: return Foundation.atanh(a)
        case .asech: return Foundation.acosh(1 / a)
        case .acsch: return Foundation.asinh(1 / a)
        case .acoth: return Foundation.atanh(1 / a)
        case .select: return a != 0 ? b : c
        case .square: return a * a
        case .cube: return a * a * a
        case .mulAdd: return a * b + c
        case .mulSub: return a * b - c
        case .subMul: return c - a * b
        }
    }
}
