import Foundation
import ModelIR

/// A model compiled to flat register programs: right-hand side, analytic Jacobian, time derivative,
/// outputs, event triggers, delays, priorities and assignments, and the initial-value program.
///
/// Compilation validates the model (errors name the element), inlines user functions, orders assignment
/// rules (cycles are errors), differentiates the right-hand side symbolically and removes common
/// subexpressions. The result is immutable and can be shared by any number of threads; each simulation
/// uses its own `Workspace`.
///
/// - Complexity: compile time is linear in the size of the model's expressions plus the Jacobian's
///   non-zeros; a right-hand-side evaluation costs one register operation per distinct subexpression.
public final class CompiledModel: Sendable {
    /// The model as given (with user functions still present).
    public let model: Model
    /// Ids of the integrated state variables, in state-vector order.
    public let stateIds: [String]
    /// Ids of the settable inputs (parameters, compartment sizes, species initial values, stoichiometries).
    public let inputIds: [String]
    /// Input values as written in the model (NaN where only an initial assignment or rule defines it).
    public let defaultInputs: [Double]
    /// Column names of the outputs, in order.
    public let outputNames: [String]
    /// The output requests the outputs were compiled for.
    public let outputRequests: [OutputRequest]
    /// Ids of the model's events, in the model's order.
    public let eventIds: [String]
    /// Inputs whose forward sensitivities are integrated (empty unless requested); see `init(_:outputs:sensitivities:)`.
    public let sensitivityInputs: [String]
    /// Number of outputs before the sensitivity outputs (`outputNames.count` without sensitivities).
    public let baseOutputCount: Int
    /// A SHA-256-free, stable 64-bit FNV-1a hash of the model's canonical JSON, for provenance.
    public let modelHash: String

    let stateKinds: [StateKind]
    let layout: RegisterLayout
    let rhs: Program
    let jacobian: Program
    /// Where each entry of the model block that `jacobian` computes first goes: `i · m + j` (row-major `m × m`).
    let jacobianPositions: [Int32]
    /// The Jacobian's block structure. Without sensitivities: one dense row-major `n × n` block
    /// (`jacobianBlockSize == n`, `jacobianBlockCount == 0`). With `P` sensitivity inputs the augmented
    /// Jacobian is block lower-triangular, `[[J, 0, …], [A_1, J, 0, …], …, [A_P, 0, …, J]]` with
    /// `A_p = ∂(ds_p/dt)/∂x`, so only the entries of `J` (`m × m`, `m` = the model's own state count) are
    /// computed, then the second derivatives from which `SensitivityJacobianBlocks` forms the sparse `A_p`
    /// (`sensitivityJacobian`); a linear solve with `I/(hγ) − J_aug` then needs one LU of size `m` and `P`
    /// block substitutions (`Integrator.solveStage`).
    let jacobianBlockSize: Int
    let jacobianBlockCount: Int
    /// How the `A_p` blocks are formed (sensitivity-augmented models only).
    let sensitivityJacobian: SensitivityJacobianPlan?
    /// The elimination order and fill pattern of the model block `I/(hγ) − J` for the sparse LU of RODAS4
    /// (nil without states; see `Integrator.solveStage` and the batched Rosenbrock lanes).
    let modelBlockLU: SparseLUPattern?
    /// Sensitivity-augmented models: the program computing `f`, the model block's Jacobian entries (in
    /// `jacobianPositions` order) and the non-zero parameter terms `∂f/∂θ_p` (`sensitivityParameterTerms`), from
    /// which `Integrator.evaluateRHS` forms `ds_p/dt = J·s_p + ∂f/∂θ_p` with native sparse products instead
    /// of the `P · nnz(J)` register operations of `rhs` (same sums in the same order).
    let sensitivityRHS: Program?
    /// For each parameter term after `f` and the Jacobian entries in `sensitivityRHS`: its direction and state.
    let sensitivityParameterTerms: [(direction: Int32, row: Int32)]
    let timeDerivative: Program?
    let outputs: Program
    let triggers: Program
    /// lhs − rhs of every comparison in the triggers: a sign change inside a step is a stop, so a trigger
    /// that is true only in a window narrower than the step is not stepped over.
    let triggerRoots: Program
    let delays: Program
    /// The right-hand side's switching times known before a run (`ExpressionGraph.timeBreakpoints`): the
    /// integrator stops at each.
    let breakpoints: Program
    /// With sensitivities: dτ_k/dθ_p of switching time k (result k of `breakpoints`) for sensitivity input p, at
    /// result k·P + p (P = `jacobianBlockCount`); the integrator's sensitivities jump by (f⁻ − f⁺)·dτ_k/dθ_p there.
    let breakpointSensitivities: Program
    let priorities: Program
    let eventAssignments: [Program]
    /// For each event, the state index each assignment writes.
    let eventTargets: [[Int32]]
    /// For each event, (species state, compartment state) pairs whose concentration state must be rescaled
    /// by old/new size when the event resizes the compartment (the amount is conserved, SBML L3).
    let eventRescales: [[(species: Int32, compartment: Int32)]]
    let eventMeta: [EventMeta]
    /// `delay(x, tau)` terms: x and tau for each (evaluated at a past state and the current one), and
    /// where their values go (parameter slots after the constants).
    let delayArguments: Program
    let delayLags: Program
    let delayCount: Int
    let initialization: Program
    /// The operations of every program above that depend only on parameters and constants.
    let invariants: Program
    let initLayout: RegisterLayout
    /// Lookups from ids to input, state and constant-slot positions (used when resolving requests, never per step).
    let inputIndexById: [String: Int]
    let stateIndexById: [String: Int]
    let constantIndexById: [String: Int]

    struct EventMeta: Sendable {
        var hasDelay: Bool
        var hasPriority: Bool
        var persistent: Bool
        var initialValue: Bool
        var useValuesFromTriggerTime: Bool
    }

    /// Compiles `model` to report `outputs` (default: every species' value in model order, then every other
    /// state variable, e.g. parameters with rate rules).
    ///
    /// With `sensitivities` (input ids, e.g. parameters), the system is augmented with the forward
    /// sensitivities `s_p = dx/dθ_p`: `ds_p/dt = J·s_p + ∂f/∂θ_p`, `s_p(t0) = dx(t0)/dθ_p`, all derived
    /// symbolically (through initial assignments and the constant slots that depend on the inputs) and compiled
    /// into the same programs, so every solver integrates them with the analytic Jacobian of the augmented
    /// system. The extra states are named `d(x)/d(θ)` and come after the model's states, direction by
    /// direction; the extra outputs `d(y)/d(θ)` come after the requested ones, direction by direction
    /// (`baseOutputCount + p · baseOutputCount + o`). Events are not supported with sensitivities (their
    /// state jumps would need sensitivity jump conditions); piecewise expressions are differentiated
    /// branch-wise, which is exact away from the switching times. The augmented Jacobian is block
    /// lower-triangular (see `jacobianBlockSize`): RODAS4 factors only the model block, with a sparse LU
    /// (`modelBlockLU`), and forms `J·s_p` and the `A_p` blocks natively (`sensitivityRHS`, `sensitivityJacobian`).
    /// - Throws: `SimulationError.invalidModel` (with the model's validation messages),
    ///   `.unsupported` naming the construct (an algebraic rule or fast reaction not linear in the variable it
    ///   determines, `rateOf` whose derivative depends on itself, events or `delay` with sensitivities),
    ///   `.unknownOutput`, `.unknownInput` for a sensitivity that is not an input.
    public init(_ model: Model, outputs requests: [OutputRequest]? = nil, sensitivities: [String] = []) throws {
        let lowering = try ModelLowering(model)
        let g = lowering.graph
        let n = lowering.stateIds.count
        self.model = model
        stateKinds = lowering.stateKinds

        var f: [Int] = []
        for i in 0..<n { f.append(try lowering.derivative(ofState: i)) }

        let speciesIds = Set(model.species.map(\.id))
        let requests = requests ?? (model.species.map { OutputRequest.value($0.id) }
            + lowering.stateIds.filter { !speciesIds.contains($0) }.map { OutputRequest.value($0) })
        var outputNodes: [Int] = []
        let speciesById = Dictionary(lowering.model.species.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for r in requests {
            let table = model.symbolTable
            guard let kind = table[r.id], kind != .function, kind != .event else { throw SimulationError.unknownOutput(r.id) }
            let value = try lowering.symbol(r.id)
            switch r.quantity {
            case .value: outputNodes.append(value)
            case .amount, .concentration:
                guard let s = speciesById[r.id] else {
                    throw SimulationError.unknownOutput("\(r.id) (amount/concentration asked of a non-species)")
                }
                let size = try lowering.symbol(s.compartment)
                switch (r.quantity, s.hasOnlySubstanceUnits) {
                case (.amount, false): outputNodes.append(g.apply(.mul, value, size))
                case (.concentration, true): outputNodes.append(g.apply(.div, value, size))
                default: outputNodes.append(value)
                }
            }
        }
        outputRequests = requests
        baseOutputCount = requests.count
        sensitivityInputs = sensitivities

        var triggerNodes: [Int] = [], delayNodes: [Int] = [], priorityNodes: [Int] = [], rootNodes: [Int] = []
        var assignmentNodes: [[Int]] = [], targets: [[Int32]] = [], meta: [EventMeta] = []
        var rescales: [[(species: Int32, compartment: Int32)]] = []
        for e in lowering.model.events {
            triggerNodes.append(try lowering.lower(e.trigger, locals: [:]))
            var comparisons: [(MathExpression, MathExpression)] = []
            e.trigger.visit { node in
                if case .binary(let op, let l, let r) = node,
                   [.less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual].contains(op) { comparisons.append((l, r)) }
            }
            for (l, r) in comparisons {
                let root = g.apply(.sub, try lowering.lower(l, locals: [:]), try lowering.lower(r, locals: [:]))
                if g.value(root) == nil && !rootNodes.contains(root) { rootNodes.append(root) }
            }
            delayNodes.append(try e.delay.map { try lowering.lower($0, locals: [:]) } ?? g.zero)
            priorityNodes.append(try e.priority.map { try lowering.lower($0, locals: [:]) } ?? g.zero)
            var nodes: [Int] = [], stateTargets: [Int32] = []
            for a in e.assignments {
                guard let i = lowering.isState(a.variable) else {
                    throw SimulationError.invalidModel("event '\(e.id)' assigns '\(a.variable)', which is not a variable")
                }
                var value = try lowering.lower(a.math, locals: [:])
                if case .speciesAmount(let c, false) = lowering.stateKinds[i] {
                    value = g.apply(.mul, value, try lowering.symbol(c))
                }
                nodes.append(value)
                stateTargets.append(Int32(i))
            }
            assignmentNodes.append(nodes)
            targets.append(stateTargets)
            let assigned = Set(e.assignments.map(\.variable))
            rescales.append(lowering.model.species.compactMap { s in
                // a species the same event assigns is converted with the size before the event, as amounts are
                guard !s.hasOnlySubstanceUnits, assigned.contains(s.compartment),
                      let i = lowering.isState(s.id), lowering.stateKinds[i] == .value,
                      let c = lowering.isState(s.compartment) else { return nil }
                return (Int32(i), Int32(c))
            })
            meta.append(EventMeta(hasDelay: e.delay != nil, hasPriority: e.priority != nil, persistent: e.persistent,
                                  initialValue: e.initialValue, useValuesFromTriggerTime: e.useValuesFromTriggerTime))
        }
        eventIds = lowering.model.events.map(\.id)
        if !sensitivities.isEmpty && !eventIds.isEmpty {
            throw SimulationError.unsupported(element: "events", reason: "forward sensitivities of models with events are not supported")
        }
        if !sensitivities.isEmpty && !lowering.delayArguments.isEmpty {
            throw SimulationError.unsupported(element: "delay", reason: "forward sensitivities of models with delay() are not supported")
        }

        // Initial values: states, then constant slots.
        var initRoots: [Int] = []
        for i in 0..<n { initRoots.append(try lowering.initialState(i)) }
        for id in lowering.constantIds { initRoots.append(try lowering.initialConstant(id)) }
        let constantCount = lowering.constantIds.count

        let sensitivity = try SensitivitySystem(lowering: lowering, f: f, outputs: outputNodes, initRoots: initRoots,
                                                inputs: sensitivities)
        let nAll = n + sensitivity.stateCount
        var jacobianNodes: [Int] = [], positions: [Int32] = []
        for i in 0..<n {
            for j in 0..<n {
                let d = g.derivative(f[i], withRespectTo: g.state(j))
                if g.value(d) == 0 { continue }
                jacobianNodes.append(d)
                positions.append(Int32(i * n + j))
            }
        }
        let modelJacobianNodes = jacobianNodes
        jacobianBlockSize = n
        jacobianBlockCount = sensitivities.count
        modelBlockLU = n > 0 ? SparseLUPattern(size: n, entries: positions.map { (Int($0) / n, Int($0) % n) }) : nil
        if sensitivities.isEmpty {
            sensitivityJacobian = nil
        } else {
            // Sensitivity rows: only the A_p blocks (their diagonal blocks repeat J), from second derivatives.
            let plan = SensitivityJacobianPlan(
                graph: g, stateCount: n,
                modelEntries: zip(positions, jacobianNodes).map { (Int($0) / n, Int($0) % n, $1) },
                parameterTerms: sensitivity.parameterTerms, directions: sensitivities.count)
            sensitivityJacobian = plan
            jacobianNodes += plan.nodes
        }
        let fAll = f + sensitivity.rhs
        outputNodes += sensitivity.outputs
        let dt = fAll.map { g.derivative($0, withRespectTo: g.time) }
        let breakpointNodes = g.timeBreakpoints(reachableFrom: fAll)
        let switchingDerivativeNodes = breakpointNodes.flatMap { b in
            sensitivities.indices.map { sensitivity.parameterDerivative(of: b, direction: $0, in: g) }
        }
        initRoots = Array(initRoots[0..<n]) + sensitivity.initialStates + Array(initRoots[n...]) + sensitivity.initialSlots

        // Parameter slots after the constants: delayed values (models with delay) or sensitivity initial values
        // (sensitivity systems); the two are never combined.
        let layout = RegisterLayout(graph: g, stateCount: nAll,
                                    parameterCount: constantCount + sensitivity.initialSlots.count + lowering.delayArguments.count)
        self.layout = layout
        // Operations on parameters only are hoisted into `invariants` (run once per simulation and after doses to
        // constants), except in models with delay(): their delayed values live in parameter slots that change at
        // every evaluation and their history is evaluated with past constants, so nothing is hoisted there.
        let hoist = lowering.delayArguments.isEmpty
        rhs = layout.program(roots: fAll, hoistingInvariants: hoist)
        jacobian = layout.program(roots: jacobianNodes, hoistingInvariants: hoist)
        let parameterTermNodes = sensitivity.parameterTerms.map(\.node)
        sensitivityRHS = sensitivities.isEmpty ? nil
            : layout.program(roots: f + modelJacobianNodes + parameterTermNodes, hoistingInvariants: hoist)
        sensitivityParameterTerms = sensitivity.parameterTerms.map { (Int32($0.direction), Int32($0.row)) }
        jacobianPositions = positions
        timeDerivative = dt.allSatisfy({ g.value($0) == 0 }) ? nil : layout.program(roots: dt, hoistingInvariants: hoist)
        self.outputs = layout.program(roots: outputNodes, hoistingInvariants: hoist)
        triggers = layout.program(roots: triggerNodes, hoistingInvariants: hoist)
        triggerRoots = layout.program(roots: rootNodes, hoistingInvariants: hoist)
        delays = layout.program(roots: delayNodes, hoistingInvariants: hoist)
        breakpoints = layout.program(roots: breakpointNodes, hoistingInvariants: hoist)
        breakpointSensitivities = layout.program(roots: switchingDerivativeNodes, hoistingInvariants: hoist)
        priorities = layout.program(roots: priorityNodes, hoistingInvariants: hoist)
        eventAssignments = assignmentNodes.map { layout.program(roots: $0, hoistingInvariants: hoist) }
        invariants = layout.invariantProgram(roots: hoist ? fAll + jacobianNodes + parameterTermNodes + dt + outputNodes + triggerNodes + rootNodes
                                                 + delayNodes + priorityNodes + assignmentNodes.flatMap { $0 } + breakpointNodes
                                                 + switchingDerivativeNodes : [])
        eventTargets = targets
        eventRescales = rescales
        eventMeta = meta
        delayArguments = layout.program(roots: lowering.delayArguments, hoistingInvariants: hoist)
        delayLags = layout.program(roots: lowering.delayLags, hoistingInvariants: hoist)
        delayCount = lowering.delayArguments.count
        let initLayout = RegisterLayout(graph: lowering.initGraph, stateCount: 0, parameterCount: lowering.inputIds.count)
        self.initLayout = initLayout
        initialization = initLayout.program(roots: initRoots, hoistingInvariants: false)
        inputIds = lowering.inputIds
        defaultInputs = lowering.defaultInputs
        inputIndexById = Dictionary(lowering.inputIds.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let sensitivityNames = sensitivities.flatMap { p in lowering.stateIds.map { "d(\($0))/d(\(p))" } }
        stateIds = lowering.stateIds + sensitivityNames
        outputNames = requests.map(\.id) + sensitivities.flatMap { p in requests.map { "d(\($0.id))/d(\(p))" } }
        stateIndexById = Dictionary((lowering.stateIds + sensitivityNames).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        constantIndexById = Dictionary(lowering.constantIds.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        modelHash = CompiledModel.hash(model)
    }

    /// Number of integrated state variables.
    public var stateCount: Int { stateIds.count }

    /// The position of input `id` in `inputIds`, or nil.
    public func inputIndex(of id: String) -> Int? { inputIndexById[id] }

    /// A stable hash of the model (FNV-1a over its sorted-key JSON encoding), written into outputs for provenance.
    public static func hash(_ model: Model) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(model)) ?? Data()
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return String(h, radix: 16)
    }
}
