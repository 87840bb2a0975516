/// The operations of one LU solve, in the scalar solver's order, as offsets into structure-of-arrays storage
/// (component or entry e of lane j at `e * lanes + j`), so the lanes' substitutions run as one flat loop
/// instead of nested loops whose set-up costs more than their few multiply-subtracts at the sizes of immune
/// models. Two solves have a plan:
/// - `luSolve` on dense factors (`init(denseOrder:lanes:)`): forward elimination, b_i −= L_ik · b_k for i > k,
///   skipped where b_k is zero; back substitution, b_k ×= U_kk⁻¹, then b_i −= U_ik · b_k for i < k, skipped
///   where b_k is zero.
/// - `SparseLU.solve` (`init(sparse:lanes:)`): the same forward elimination over L's structural entries, in
///   the pattern's pivot order; back substitution row by row, x_k −= U_kj · x_j over U's structural entries
///   (never skipped), then x_k ×= U_kk⁻¹. The pivot order's permutation is folded into the offsets, so the
///   solve works in place on the right-hand side.
struct SubstitutionPlan {
    enum Kind { case update, updateUnlessZero, scale }

    /// One operation: `target` −= `entry` · `source` (`updateUnlessZero`: not where `source` is zero), or
    /// `target` ×= `entry` (`scale`; `source` unused).
    struct Step {
        let kind: Kind
        let target: Int
        let entry: Int
        let source: Int
    }

    let steps: UnsafeMutablePointer<Step>
    let count: Int

    /// `luSolve`'s plan for dense n × n factors (entry (i, k) at `i * n + k`).
    init(denseOrder n: Int, lanes: Int) {
        var plan: [Step] = []
        for k in 0..<n {
            for i in (k + 1)..<max(k + 1, n) {
                plan.append(Step(kind: .updateUnlessZero, target: i * lanes, entry: (i * n + k) * lanes, source: k * lanes))
            }
        }
        for k in stride(from: n - 1, through: 0, by: -1) {
            plan.append(Step(kind: .scale, target: k * lanes, entry: (k * n + k) * lanes, source: 0))
            for i in 0..<k {
                plan.append(Step(kind: .updateUnlessZero, target: i * lanes, entry: (i * n + k) * lanes, source: k * lanes))
            }
        }
        self.init(plan)
    }

    /// `SparseLU.solve`'s plan for factors with `pattern`'s structure (value index v at `v * lanes`).
    init(sparse pattern: SparseLUPattern, lanes: Int) {
        var plan: [Step] = []
        let row = { (k: Int32) in Int(pattern.order[Int(k)]) * lanes }  // pivot number → offset of b's component
        for k in 0..<pattern.size {
            for e in Int(pattern.lowerStart[k])..<Int(pattern.lowerStart[k + 1]) {
                plan.append(Step(kind: .updateUnlessZero, target: row(pattern.lowerRow[e]),
                                 entry: Int(pattern.lowerEntry[e]) * lanes, source: row(Int32(k))))
            }
        }
        for k in stride(from: pattern.size - 1, through: 0, by: -1) {
            for e in Int(pattern.upperStart[k])..<Int(pattern.upperStart[k + 1]) {
                plan.append(Step(kind: .update, target: row(Int32(k)), entry: Int(pattern.upperEntry[e]) * lanes,
                                 source: row(pattern.upperColumn[e])))
            }
            plan.append(Step(kind: .scale, target: row(Int32(k)), entry: Int(pattern.diagonal[k]) * lanes, source: 0))
        }
        self.init(plan)
    }

    private init(_ plan: [Step]) {
        count = plan.count
        steps = .allocate(capacity: max(count, 1))
        plan.withUnsafeBufferPointer { if count > 0 { steps.initialize(from: $0.baseAddress!, count: count) } }
    }

    func deallocate() { steps.deallocate() }

    /// Runs the plan on the chunks of `V.scalarCount` lanes `active` (first lanes) of `b`, with the factors in
    /// `values` (`SIMD4<Double>` chunks of the busy lanes, or one `SIMD16<Double>` chunk for a full 16-lane batch).
    @inline(__always)
    func solve<V: LaneChunk>(_ b: UnsafeMutablePointer<Double>, values: UnsafePointer<Double>,
                        _ active: UnsafeBufferPointer<Int>, chunk: V.Type) {
        for s in 0..<count {
            let step = steps[s]
            let target = b + step.target, entry = UnsafeMutablePointer(mutating: values) + step.entry
            switch step.kind {
            case .scale:
                for j in active { target.setChunk(j, target.chunk(j, V.self) * entry.chunk(j, V.self)) }
            case .update:
                let source = b + step.source
                for j in active { target.setChunk(j, target.chunk(j, V.self) - entry.chunk(j, V.self) * source.chunk(j, V.self)) }
            case .updateUnlessZero:
                let source = b + step.source
                for j in active {
                    let x = source.chunk(j, V.self), old = target.chunk(j, V.self)
                    target.setChunk(j, (old - entry.chunk(j, V.self) * x).replacing(with: old, where: x.zeroLanes()))
                }
            }
        }
    }
}
