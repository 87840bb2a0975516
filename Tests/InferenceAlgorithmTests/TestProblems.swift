import Foundation
import Inference

/// The chained Rosenbrock function Σ 100(x_{i+1} − x_i²)² + (1 − x_i)² as ½‖r‖², minimum 0 at (1, …, 1).
struct Rosenbrock: ObjectiveFunction {
    let dimension: Int
    var lower: Double = -2
    var upper: Double = 2

    var parameterNames: [String] { (0..<dimension).map { "x\($0)" } }
    var lowerBounds: [Double] { Array(repeating: lower, count: dimension) }
    var upperBounds: [Double] { Array(repeating: upper, count: dimension) }

    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        var jacobian: [Double] = []
        let r = residuals(at: x, jacobian: &jacobian)!
        if let gradient {
            for j in 0..<dimension {
                var s = 0.0
                for i in r.indices { s += jacobian[i * dimension + j] * r[i] }
                gradient[j] = s
            }
        }
        return 0.5 * r.reduce(0) { $0 + $1 * $1 }
    }

    func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        let root2 = 2.0.squareRoot()
        var r: [Double] = []
        var j: [Double] = []
        for i in 0..<(dimension - 1) {
            r.append(root2 * 10 * (x[i + 1] - x[i] * x[i]))
            var row = [Double](repeating: 0, count: dimension)
            row[i] = -root2 * 20 * x[i]
            row[i + 1] = root2 * 10
            j += row
            r.append(root2 * (1 - x[i]))
            row = [Double](repeating: 0, count: dimension)
            row[i] = -root2
            j += row
        }
        jacobian?.pointee = j
        return r
    }
}

/// Rosenbrock seen only through values and gradients (no least-squares form).
struct ValueOnly<Base: ObjectiveFunction>: ObjectiveFunction {
    let base: Base
    var parameterNames: [String] { base.parameterNames }
    var lowerBounds: [Double] { base.lowerBounds }
    var upperBounds: [Double] { base.upperBounds }
    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        base.value(at: x, gradient: gradient)
    }
}

/// ½‖A x − b‖² for a fixed matrix A (row-major) and vector b.
struct LinearLeastSquares: ObjectiveFunction {
    let a: [Double]
    let b: [Double]
    let columns: Int
    var bound: Double = 10

    var parameterNames: [String] { (0..<columns).map { "p\($0)" } }
    var lowerBounds: [Double] { Array(repeating: -bound, count: columns) }
    var upperBounds: [Double] { Array(repeating: bound, count: columns) }

    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let r = residuals(at: x, jacobian: nil)!
        if let gradient {
            for j in 0..<columns {
                gradient[j] = r.indices.reduce(0) { $0 + a[$1 * columns + j] * r[$1] }
            }
        }
        return 0.5 * r.reduce(0) { $0 + $1 * $1 }
    }

    func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        jacobian?.pointee = a
        return b.indices.map { i in (0..<columns).reduce(-b[i]) { $0 + a[i * columns + $1] * x[$1] } }
    }
}

/// ½‖x − c‖² in a box, infinite where Σ xᵢ exceeds `feasibleSum` (a failing simulation's stand-in).
struct ShiftedSphere: ObjectiveFunction {
    let centre: [Double]
    let lower: [Double]
    let upper: [Double]
    var feasibleSum: Double = .infinity

    var parameterNames: [String] { centre.indices.map { "c\($0)" } }
    var lowerBounds: [Double] { lower }
    var upperBounds: [Double] { upper }

    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        if x.reduce(0, +) > feasibleSum { return .infinity }
        if let gradient { for i in x.indices { gradient[i] = x[i] - centre[i] } }
        return 0.5 * x.indices.reduce(0) { $0 + (x[$1] - centre[$1]) * (x[$1] - centre[$1]) }
    }

    func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        if x.reduce(0, +) > feasibleSum { return nil }
        if let jacobian {
            var j = [Double](repeating: 0, count: x.count * x.count)
            for i in x.indices { j[i * x.count + i] = 1 }
            jacobian.pointee = j
        }
        return x.indices.map { x[$0] - centre[$0] }
    }
}

/// A fit of y = A·exp(−k t) to noisy data, parameters (A, k).
struct ExponentialDecayFit: ObjectiveFunction {
    let times: [Double]
    let data: [Double]

    var parameterNames: [String] { ["amplitude", "rate"] }
    var lowerBounds: [Double] { [0, 0] }
    var upperBounds: [Double] { [10, 5] }

    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        var j: [Double] = []
        let r = residuals(at: x, jacobian: &j)!
        if let gradient {
            for p in 0..<2 { gradient[p] = r.indices.reduce(0) { $0 + j[$1 * 2 + p] * r[$1] } }
        }
        return 0.5 * r.reduce(0) { $0 + $1 * $1 }
    }

    func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        var j: [Double] = []
        var r: [Double] = []
        for (t, y) in zip(times, data) {
            let e = exp(-x[1] * t)
            r.append(x[0] * e - y)
            j += [e, -x[0] * t * e]
        }
        jacobian?.pointee = j
        return r
    }
}

/// The quadratic ½ (x − μ)ᵀ A (x − μ) with symmetric positive-definite A (row-major).
struct Quadratic: ObjectiveFunction {
    let mean: [Double]
    let precision: [Double]
    let lower: [Double]
    let upper: [Double]

    var parameterNames: [String] { mean.indices.map { "q\($0)" } }
    var lowerBounds: [Double] { lower }
    var upperBounds: [Double] { upper }

    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let n = mean.count
        var f = 0.0
        for i in 0..<n {
            var ai = 0.0
            for j in 0..<n { ai += precision[i * n + j] * (x[j] - mean[j]) }
            gradient?[i] = ai
            f += 0.5 * (x[i] - mean[i]) * ai
        }
        return f
    }
}

/// Normal likelihood with unknown mean and standard deviation: Σ (yᵢ − μ)²/(2σ²) + n log σ, i.e. residuals
/// (yᵢ − μ)/σ plus the non-residual term c = n log σ (as PEtab objectives with estimated noise have).
struct NormalWithUnknownNoise: ObjectiveFunction {
    let data: [Double]

    var parameterNames: [String] { ["mu", "sigma"] }
    var lowerBounds: [Double] { [-10, 0.01] }
    var upperBounds: [Double] { [10, 10] }

    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let (mu, sigma) = (x[0], x[1])
        let n = Double(data.count)
        let squares = data.reduce(0) { $0 + ($1 - mu) * ($1 - mu) }
        if let gradient {
            gradient[0] = -data.reduce(0) { $0 + ($1 - mu) } / (sigma * sigma)
            gradient[1] = -squares / (sigma * sigma * sigma) + n / sigma
        }
        return squares / (2 * sigma * sigma) + n * log(sigma)
    }

    func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        let (mu, sigma) = (x[0], x[1])
        jacobian?.pointee = data.flatMap { [-1 / sigma, -($0 - mu) / (sigma * sigma)] }
        return data.map { ($0 - mu) / sigma }
    }
}

/// Freudenstein and Roth's function (Moré, Garbow & Hillstrom, ACM TOMS 7, 1981, problem 2): two residuals,
/// a local minimum with large residuals near (11.41, −0.897) where JᵀJ is singular (both residual gradients
/// are nearly parallel), so the curvature there comes from Σ rᵢ∇²rᵢ, which Gauss–Newton ignores.
struct FreudensteinRoth: ObjectiveFunction {
    var parameterNames: [String] { ["x0", "x1"] }
    var lowerBounds: [Double] { [-100, -100] }
    var upperBounds: [Double] { [100, 100] }

    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        var jacobian: [Double] = []
        let r = residuals(at: x, jacobian: &jacobian)!
        if let gradient {
            gradient[0] = r[0] * jacobian[0] + r[1] * jacobian[2]
            gradient[1] = r[0] * jacobian[1] + r[1] * jacobian[3]
        }
        return 0.5 * (r[0] * r[0] + r[1] * r[1])
    }

    func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        let y = x[1]
        jacobian?.pointee = [1, (10 - 3 * y) * y - 2, 1, (3 * y + 2) * y - 14]
        return [-13 + x[0] + ((5 - y) * y - 2) * y, -29 + x[0] + ((y + 1) * y - 14) * y]
    }
}
