/// Latin hypercube designs on the unit cube, reproducible from a seed.
public enum LatinHypercube {
    /// `count` points in [0, 1)^`dimensions`: in every dimension each of the `count` equal strata holds
    /// exactly one point (placed uniformly inside its stratum). Row i is point i.
    public static func sample(count: Int, dimensions: Int, seed: UInt64) -> [[Double]] {
        precondition(count >= 0 && dimensions >= 0)
        var points = [[Double]](repeating: [Double](repeating: 0, count: dimensions), count: count)
        for d in 0..<dimensions {
            var rng = RandomStream(seed: seed, index: d, purpose: "latin-hypercube")
            var strata = Array(0..<count)
            // Fisher–Yates with the stream's own bits (not the standard library's shuffle, whose
            // algorithm is not promised to stay the same across Swift versions).
            if count > 1 {
                for i in stride(from: count - 1, to: 0, by: -1) {
                    let j = Int(rng.next() % UInt64(i + 1))
                    strata.swapAt(i, j)
                }
            }
            for i in 0..<count {
                points[i][d] = (Double(strata[i]) + rng.nextUniform()) / Double(count)
            }
        }
        return points
    }
}
