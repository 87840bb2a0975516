/// The forward-sensitivity augmentation of a lowered model, built in the model's own expression graphs.
///
/// For each sensitivity input `θ_p` and state `i`, the extra state `s_ip = dx_i/dθ_p` (index `n + p·n + i`)
/// has `ds_ip/dt = Σ_j ∂f_i/∂x_j · s_jp + Σ_c ∂f_i/∂c · dc/dθ_p`, where `c` runs over the constant slots
/// (parameters, compartment sizes, … after initial assignments) whose initial value depends on `θ_p`;
/// `dc/dθ_p` are extra constant slots computed by the initial-value program, and `s_ip(t0) = dx_i(t0)/dθ_p`.
struct SensitivitySystem {
    /// Number of extra states (`n · P`).
    private(set) var stateCount = 0
    /// Right-hand-side nodes of the extra states (in the right-hand-side graph).
    private(set) var rhs: [Int] = []
    /// The parameter terms `Σ_c ∂f_i/∂c · dc/dθ_p` of the extra right-hand sides that are not zero:
    /// (direction p, state i, node), so that `ds_p/dt = J·s_p + forcing_p` can be formed natively
    /// (`SensitivityRHS`) from the model's Jacobian entries.
    private(set) var parameterTerms: [(direction: Int, row: Int, node: Int)] = []
    /// Sensitivities of the outputs, direction by direction.
    private(set) var outputs: [Int] = []
    /// Initial-value roots (in the initial-value graph) of the extra states.
    private(set) var initialStates: [Int] = []
    /// Initial-value roots of the extra constant slots (`dc/dθ_p`), numbered after the model's constants.
    private(set) var initialSlots: [Int] = []
    /// Per direction p: the constants c whose value depends on θ_p, with the right-hand-side graph's node of the slot
    /// holding dc/dθ_p.
    private var forcings: [[(constant: Int, slot: Int)]] = []

    /// - Parameters: `f` the right-hand-side nodes, `outputs` the output nodes, `initRoots` the initial values
    ///   of the states then of the constant slots (in the initial-value graph), `inputs` the sensitivity inputs.
    /// - Throws: `SimulationError.unknownInput` for an id that is not an input of the model.
    init(lowering: ModelLowering, f: [Int], outputs outputNodes: [Int], initRoots: [Int], inputs: [String]) throws {
        let g = lowering.graph, ig = lowering.initGraph
        let n = f.count, constantCount = lowering.constantIds.count
        stateCount = n * inputs.count
        var nextSlot = constantCount
        for (p, id) in inputs.enumerated() {
            guard let k = lowering.inputIds.firstIndex(of: id) else { throw SimulationError.unknownInput(id) }
            let theta = ig.parameter(k)
            var forcing: [(constant: Int, slot: Int)] = []
            for c in 0..<constantCount {
                let d = ig.derivative(initRoots[n + c], withRespectTo: theta)
                if ig.value(d) == 0 { continue }
                initialSlots.append(d)
                forcing.append((c, g.parameter(nextSlot)))
                nextSlot += 1
            }
            forcings.append(forcing)
            for i in 0..<n { initialStates.append(ig.derivative(initRoots[i], withRespectTo: theta)) }
            let base = n + p * n
            // Σ_j ∂node/∂x_j · s_jp + Σ_c ∂node/∂c · dc/dθ_p
            func directional(_ node: Int) -> Int {
                var sum = g.zero
                for j in 0..<n {
                    let d = g.derivative(node, withRespectTo: g.state(j))
                    if g.value(d) == 0 { continue }
                    sum = g.apply(.add, sum, g.apply(.mul, d, g.state(base + j)))
                }
                for (c, slot) in forcing {
                    let d = g.derivative(node, withRespectTo: g.parameter(c))
                    if g.value(d) == 0 { continue }
                    sum = g.apply(.add, sum, g.apply(.mul, d, slot))
                }
                return sum
            }
            for i in 0..<n {
                var parametric = g.zero
                for (c, slot) in forcing {
                    let d = g.derivative(f[i], withRespectTo: g.parameter(c))
                    if g.value(d) == 0 { continue }
                    parametric = g.apply(.add, parametric, g.apply(.mul, d, slot))
                }
                if g.value(parametric) != 0 { parameterTerms.append((p, i, parametric)) }
                rhs.append(directional(f[i]))
            }
            outputs += outputNodes.map(directional)
        }
    }

    /// d(node)/dθ_p = Σ_c ∂node/∂c · dc/dθ_p for a `node` of `g` that depends on constants only (a switching time).
    func parameterDerivative(of node: Int, direction p: Int, in g: ExpressionGraph) -> Int {
        var sum = g.zero
        for (c, slot) in forcings[p] {
            let d = g.derivative(node, withRespectTo: g.parameter(c))
            if g.value(d) == 0 { continue }
            sum = g.apply(.add, sum, g.apply(.mul, d, slot))
        }
        return sum
    }
}
