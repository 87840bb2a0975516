/// Switching times of the right-hand side that are known before a simulation runs.
///
/// A comparison of time with an invariant value (`time < t_on`, `time − t_on >= 0`, `t_on + d > time`, …; the
/// form SBML models and PEtab problems use to switch a stimulus on or off) makes f jump where time crosses that
/// value. Error control alone would shrink the step to the rounding level there and can fail with a step-size
/// underflow (sensitivity systems, whose right-hand sides jump by orders of magnitude more); the integrator
/// instead stops at each such time (`CompiledModel.breakpoints`), with every stage of the step that ends there
/// evaluated on the pre-switch side.
extension ExpressionGraph {
    /// Nodes computing the switching times of the comparisons reachable from `roots` whose two sides differ by
    /// `± time + invariant`: for `a OP b`, the time at which `a − b` changes sign. Comparisons of other forms
    /// (a state, a non-unit multiple of time) are left to error control. Distinct nodes, in the order of the
    /// comparisons' node ids (the integrator sorts the times they compute).
    func timeBreakpoints(reachableFrom roots: [Int]) -> [Int] {
        var seen = [Bool](repeating: false, count: nodes.count)
        var stack = roots.filter { $0 >= 0 }
        var comparisons: [Int] = []
        while let id = stack.popLast() {
            guard !seen[id], dependsOnTimeOrState[id] else { continue }
            seen[id] = true
            guard case .apply(let op, let a, let b, let c) = nodes[id] else { continue }
            if op == .lt || op == .le || op == .gt || op == .ge { comparisons.append(id) }
            stack.append(a)
            if op.arity >= 2 { stack.append(b) }
            if op.arity == 3 { stack.append(c) }
        }
        var result: [Int] = []
        for id in comparisons.sorted() {
            guard case .apply(_, let a, let b, _) = nodes[id], let (sa, ra) = timeOffset(a), let (sb, rb) = timeOffset(b) else { continue }
            // a − b = (sa − sb)·time + (ra − rb): a unit slope crosses zero at ±(rb − ra).
            let slope = sa - sb
            guard slope == 1 || slope == -1 else { continue }
            let node = slope == 1 ? difference(rb, ra) : difference(ra, rb)
            if !result.contains(node) { result.append(node) }
        }
        return result
    }

    /// (s, r) with node = s·time + r, r an invariant node (−1 for 0), s ∈ {−1, 0, 1}; nil for other forms.
    private func timeOffset(_ id: Int) -> (Int, Int)? {
        if !dependsOnTimeOrState[id] { return (0, id) }
        switch nodes[id] {
        case .time: return (1, -1)
        case .apply(.add, let a, let b, _):
            if nodes[a] == .time, !dependsOnTimeOrState[b] { return (1, b) }
            if nodes[b] == .time, !dependsOnTimeOrState[a] { return (1, a) }
        case .apply(.sub, let a, let b, _):
            if nodes[a] == .time, !dependsOnTimeOrState[b] { return (1, apply(.neg, b)) }
            if nodes[b] == .time, !dependsOnTimeOrState[a] { return (-1, a) }
        case .apply(.neg, let a, _, _) where nodes[a] == .time:
            return (-1, -1)
        default: break
        }
        return nil
    }

    /// x − y for invariant nodes where −1 stands for 0.
    private func difference(_ x: Int, _ y: Int) -> Int {
        switch (x, y) {
        case (-1, -1): return zero
        case (_, -1): return x
        case (-1, _): return apply(.neg, y)
        default: return apply(.sub, x, y)
        }
    }
}
