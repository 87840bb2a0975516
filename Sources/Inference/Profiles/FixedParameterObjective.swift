/// An objective with one parameter held at a fixed value: the others are the free parameters (in their
/// original order). Used by profile likelihoods to re-optimise the rest.
public struct FixedParameterObjective<Base: ObjectiveFunction>: ObjectiveFunction {
    public let base: Base
    /// Index of the fixed parameter in `base`.
    public let fixedIndex: Int
    /// Its value on the optimisation scale.
    public let fixedValue: Double

    /// - Throws: `InferenceInputError` when `index` is not a parameter index of `base`.
    public init(_ base: Base, fixing index: Int, at value: Double) throws {
        try require(base.parameterNames.indices.contains(index), "fixed parameter index",
                    "\(index) is not in 0..<\(base.parameterCount)")
        self.base = base
        fixedIndex = index
        fixedValue = value
    }

    public var parameterNames: [String] { removingFixed(base.parameterNames) }
    public var lowerBounds: [Double] { removingFixed(base.lowerBounds) }
    public var upperBounds: [Double] { removingFixed(base.upperBounds) }

    /// The full parameter vector for the free parameters `x`.
    public func fullPoint(_ x: [Double]) -> [Double] {
        var full = x
        full.insert(fixedValue, at: fixedIndex)
        return full
    }

    public func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        guard let gradient else { return base.value(at: fullPoint(x), gradient: nil) }
        var full = [Double](repeating: .nan, count: x.count + 1)
        let v = full.withUnsafeMutableBufferPointer { base.value(at: fullPoint(x), gradient: $0) }
        for i in x.indices { gradient[i] = full[i < fixedIndex ? i : i + 1] }
        return v
    }

    public func residuals(at x: [Double], jacobian: UnsafeMutablePointer<[Double]>?) -> [Double]? {
        guard let jacobian else { return base.residuals(at: fullPoint(x), jacobian: nil) }
        var full: [Double] = []
        guard let r = base.residuals(at: fullPoint(x), jacobian: &full) else { return nil }
        let n = x.count + 1
        guard full.count == r.count * n else { return r }
        var reduced = [Double](repeating: 0, count: r.count * x.count)
        for row in r.indices {
            for i in x.indices { reduced[row * x.count + i] = full[row * n + (i < fixedIndex ? i : i + 1)] }
        }
        jacobian.pointee = reduced
        return r
    }

    public func leastSquaresModel(at x: [Double]) -> LeastSquaresModel? {
        guard var model = base.leastSquaresModel(at: fullPoint(x)) else { return nil }
        let n = x.count + 1
        guard model.jacobian.count == model.residuals.count * n, model.gradient.count == n else { return nil }
        var reduced = [Double](repeating: 0, count: model.residuals.count * x.count)
        for row in model.residuals.indices {
            for i in x.indices { reduced[row * x.count + i] = model.jacobian[row * n + (i < fixedIndex ? i : i + 1)] }
        }
        model.jacobian = reduced
        model.gradient = removingFixed(model.gradient)
        return model
    }

    private func removingFixed<T>(_ values: [T]) -> [T] {
        var copy = values
        copy.remove(at: fixedIndex)
        return copy
    }
}
