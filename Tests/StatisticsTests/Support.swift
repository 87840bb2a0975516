import Testing

/// Expects |actual − expected| ≤ atol + rtol·|expected|, naming the quantity on failure; NaN matches NaN.
func expectClose(_ actual: Double, _ expected: Double, rtol: Double, atol: Double = 0, _ quantity: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    if expected.isNaN {
        #expect(actual.isNaN, "\(quantity): expected NaN, got \(actual)", sourceLocation: sourceLocation)
        return
    }
    if expected.isInfinite {
        #expect(actual == expected, "\(quantity): expected \(expected), got \(actual)", sourceLocation: sourceLocation)
        return
    }
    let error = abs(actual - expected), allowed = atol + rtol * abs(expected)
    #expect(error <= allowed,
            "\(quantity): expected \(expected), got \(actual); |error| \(error) > allowed \(allowed) (rtol \(rtol), atol \(atol))",
            sourceLocation: sourceLocation)
}
