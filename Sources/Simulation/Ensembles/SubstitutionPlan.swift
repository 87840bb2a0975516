/// `luSolve`'s operations for an n × n factor, in its order, as offsets into structure-of-arrays storage (entry
/// e of lane j at `e * lanes + j`), so the lanes' substitutions run as one flat loop instead of nested loops
/// whose set-up costs more than their few multiply-subtracts at the sizes of immune models.
///
/// Forward elimination: for each column k, b_i −= L_ik · b_k for i > k. Back substitution: for each column k
/// from the last, b_k ×= U_kk⁻¹ (stored on the diagonal), then b_i −= U_ik · b_k for i < k.
struct SubstitutionPlan {
    /// One operation: `target` −= `entry` · `source`, or, where `source` is negative, `target` ×= `entry`.
    struct Step {
        let target: Int
        let entry: Int
        let source: Int
    }

    let steps: UnsafeMutablePointer<Step>
    let count: Int

    /// - Parameters: n, the matrix order; lanes, the lane count (the stride of one component or entry).
    init(n: Int, lanes: Int) {
        var plan: [Step] = []
        for k in 0..<n {
            for i in (k + 1)..<max(k + 1, n) {
                plan.append(Step(target: i * lanes, entry: (i * n + k) * lanes, source: k * lanes))
            }
        }
        for k in stride(from: n - 1, through: 0, by: -1) {
            plan.append(Step(target: k * lanes, entry: (k * n + k) * lanes, source: -1))
            for i in 0..<k {
                plan.append(Step(target: i * lanes, entry: (i * n + k) * lanes, source: k * lanes))
            }
        }
        count = plan.count
        steps = .allocate(capacity: max(count, 1))
        plan.withUnsafeBufferPointer { if count > 0 { steps.initialize(from: $0.baseAddress!, count: count) } }
    }

    func deallocate() { steps.deallocate() }
}
