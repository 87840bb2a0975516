/// One instruction of the flat evaluator: `registers[dst] = op(registers[a], registers[b], registers[c])`.
@usableFromInline
struct Instruction: Sendable {
    @usableFromInline var op: Opcode
    @usableFromInline var dst: Int32
    @usableFromInline var a: Int32
    @usableFromInline var b: Int32
    @usableFromInline var c: Int32
}

/// A straight-line program over a register file, computing `results` (register indices).
///
/// Programs are produced by `RegisterLayout.program(roots:)`; they never branch, allocate or call through
/// existentials, so evaluating one costs one `switch` per operation.
@usableFromInline
struct Program: Sendable {
    @usableFromInline let code: [Instruction]
    @usableFromInline let results: [Int32]
    /// `code` with every register index premultiplied by 16 (the offset of the register's first lane in a
    /// 16-lane structure-of-arrays file), for `runBatch16`.
    @usableFromInline let code16: [Instruction]

    init(code: [Instruction], results: [Int32]) {
        self.code = code
        self.results = results
        code16 = code.map { Instruction(op: $0.op, dst: $0.dst &* 16, a: $0.a &* 16, b: $0.b &* 16, c: $0.c &* 16) }
    }

    @inlinable
    func run(_ registers: UnsafeMutablePointer<Double>) {
        code.withUnsafeBufferPointer { code in
            for instruction in code {
                registers[Int(instruction.dst)] = Opcode.apply(
                    instruction.op, registers[Int(instruction.a)], registers[Int(instruction.b)],
                    registers[Int(instruction.c)])
            }
        }
    }

    /// Runs the program for `lanes` independent evaluations stored structure-of-arrays
    /// (register r of lane l at `registers[r * lanes + l]`). The inner loop runs over lanes, so the
    /// interpretation cost is paid once per batch and the arithmetic vectorises.
    /// With `lanes` a multiple of 4 the elementary operations run four lanes per vector operation
    /// (`runBatch4`), the same IEEE operation per lane, so the results are bit for bit those of the loop.
    /// (Measured on SSE2 code: eight lanes per operation, or a version generic over the SIMD type, cost
    /// 4–30 % more instructions per simulation.)
    @inlinable
    func runBatch(_ registers: UnsafeMutablePointer<Double>, lanes: Int) {
        if lanes == 16 {
            runBatch16(registers)
            return
        }
        if lanes % 4 == 0 {
            runBatch4(registers, lanes: lanes)
            return
        }
        // Other lane counts (the batched integrators always round up to a multiple of 4): lane by lane.
        code.withUnsafeBufferPointer { code in
            for instruction in code {
                let d = registers + Int(instruction.dst) * lanes
                let a = registers + Int(instruction.a) * lanes
                let b = registers + Int(instruction.b) * lanes
                let c = registers + Int(instruction.c) * lanes
                let op = instruction.op
                for l in 0..<lanes { d[l] = Opcode.apply(op, a[l], b[l], c[l]) }
            }
        }
    }

    /// `runBatch` for a lane count that is a multiple of 4: elementary operations on `SIMD4<Double>` chunks of
    /// lanes (explicit vector loads and stores, so a destination that is also an operand needs no alias
    /// checks), library functions per lane.
    @inlinable
    func runBatch4(_ registers: UnsafeMutablePointer<Double>, lanes: Int) {
        typealias V = SIMD4<Double>
        @inline(__always) func load(_ p: UnsafeMutablePointer<Double>, _ l: Int) -> V {
            UnsafeRawPointer(p + l).loadUnaligned(as: V.self)
        }
        @inline(__always) func store(_ p: UnsafeMutablePointer<Double>, _ l: Int, _ v: V) {
            UnsafeMutableRawPointer(p + l).storeBytes(of: v, as: V.self)
        }
        let zero = V(repeating: 0), one = V(repeating: 1)
        code.withUnsafeBufferPointer { code in
            for instruction in code {
                let d = registers + Int(instruction.dst) * lanes
                let a = registers + Int(instruction.a) * lanes
                let b = registers + Int(instruction.b) * lanes
                let c = registers + Int(instruction.c) * lanes
                switch instruction.op {
                case .add: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, load(a, l) + load(b, l)) }
                case .sub: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, load(a, l) - load(b, l)) }
                case .mul: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, load(a, l) * load(b, l)) }
                case .div: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, load(a, l) / load(b, l)) }
                case .neg: for l in 0..<lanes { d[l] = -a[l] }  // SIMD's prefix − is 0 − x: +0 for +0, NaN sign kept
                case .square:
                    for l in stride(from: 0, to: lanes, by: 4) {
                        let x = load(a, l)
                        store(d, l, x * x)
                    }
                case .cube:
                    for l in stride(from: 0, to: lanes, by: 4) {
                        let x = load(a, l)
                        store(d, l, x * x * x)
                    }
                case .select:
                    for l in stride(from: 0, to: lanes, by: 4) {
                        store(d, l, load(c, l).replacing(with: load(b, l), where: load(a, l) .!= 0))
                    }
                case .mulAdd: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, load(a, l) * load(b, l) + load(c, l)) }
                case .mulSub: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, load(a, l) * load(b, l) - load(c, l)) }
                case .subMul: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, load(c, l) - load(a, l) * load(b, l)) }
                case .sqrt: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, load(a, l).squareRoot()) }
                case .lt: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, zero.replacing(with: one, where: load(a, l) .< load(b, l))) }
                case .le: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, zero.replacing(with: one, where: load(a, l) .<= load(b, l))) }
                case .gt: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, zero.replacing(with: one, where: load(a, l) .> load(b, l))) }
                case .ge: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, zero.replacing(with: one, where: load(a, l) .>= load(b, l))) }
                case .exp: for l in stride(from: 0, to: lanes, by: 4) { store(d, l, Exponential.exp(load(a, l), bits: SIMD4<UInt64>.self)) }
                case .pow: for l in 0..<lanes { d[l] = Opcode.apply(.pow, a[l], b[l], 0) }
                case .ln: for l in 0..<lanes { d[l] = Opcode.apply(.ln, a[l], 0, 0) }
                case .min: for l in 0..<lanes { d[l] = Opcode.apply(.min, a[l], b[l], 0) }
                case .max: for l in 0..<lanes { d[l] = Opcode.apply(.max, a[l], b[l], 0) }
                case .tanh: for l in 0..<lanes { d[l] = Opcode.apply(.tanh, a[l], 0, 0) }
                default:
                    let op = instruction.op
                    for l in 0..<lanes { d[l] = Opcode.apply(op, a[l], b[l], c[l]) }
                }
            }
        }
    }
}

/// Assigns a register to every node of an expression graph: time first, then states, then parameters,
/// then literal constants, then operations in evaluation order.
/// The graph it holds is never mutated after compilation, hence `@unchecked Sendable`.
struct RegisterLayout: @unchecked Sendable {
    let registerOfNode: [Int32]
    let registerCount: Int
    /// Initial register contents: literal constants filled in, everything else 0.
    let template: [Double]
    let graph: ExpressionGraph
    let stateCount: Int
    let parameterCount: Int
    /// Whether each node depends on time or a state. The others (functions of parameters and constants only)
    /// are computed once per simulation by `invariantProgram` and never by the per-step programs.
    let variant: [Bool]

    static let timeRegister = 0
    func stateRegister(_ i: Int) -> Int { 1 + i }
    func parameterRegister(_ k: Int) -> Int { 1 + stateCount + k }

    init(graph: ExpressionGraph, stateCount: Int, parameterCount: Int) {
        self.graph = graph
        self.stateCount = stateCount
        self.parameterCount = parameterCount
        var map = [Int32](repeating: -1, count: graph.nodes.count)
        var next = 1 + stateCount + parameterCount
        var constants: [(Int, Double)] = []
        for (id, node) in graph.nodes.enumerated() {
            switch node {
            case .time: map[id] = 0
            case .state(let i): map[id] = Int32(1 + i)
            case .parameter(let k): map[id] = Int32(1 + stateCount + k)
            case .constant(let bits):
                map[id] = Int32(next)
                constants.append((next, Double(bitPattern: bits)))
                next += 1
            case .apply: break
            }
        }
        for (id, node) in graph.nodes.enumerated() {
            if case .apply = node {
                map[id] = Int32(next)
                next += 1
            }
        }
        registerOfNode = map
        registerCount = next
        variant = graph.dependsOnTimeOrState
        var template = [Double](repeating: 0, count: next)
        for (r, v) in constants { template[r] = v }
        self.template = template
    }

    /// A program computing the given graph nodes (in order) with only the operations they need, except
    /// the invariant ones (see `variant`), whose registers `invariantProgram` fills once per simulation.
    /// Without `hoistingInvariants` (the initial-value program, run once), every needed operation is included.
    func program(roots: [Int], hoistingInvariants: Bool = true) -> Program {
        emit(roots: roots, invariant: false, hoisting: hoistingInvariants)
    }

    /// The program computing every invariant operation the given roots need (run after the parameters
    /// are set and whenever a dose changes one).
    func invariantProgram(roots: [Int]) -> Program {
        emit(roots: roots, invariant: true, hoisting: true)
    }

    private func emit(roots: [Int], invariant: Bool, hoisting: Bool) -> Program {
        var needed = [Bool](repeating: false, count: graph.nodes.count)
        var stack = roots
        while let id = stack.popLast() {
            if needed[id] { continue }
            needed[id] = true
            if hoisting && !invariant && !variant[id] { continue }
            if case .apply(let op, let a, let b, let c) = graph.nodes[id] {
                stack.append(a)
                if op.arity >= 2 { stack.append(b) }
                if op.arity == 3 { stack.append(c) }
            }
        }
        let emitted = (0..<graph.nodes.count).filter { id in
            guard needed[id] && (!hoisting || variant[id] != invariant), case .apply = graph.nodes[id] else { return false }
            return true
        }
        // Fusion: a product used once, by a sum or difference, is computed inside it (`mulAdd` and friends
        // round the product and then the sum exactly as the two operations would, so results do not change).
        var uses = [Int32](repeating: 0, count: graph.nodes.count)
        for id in roots { uses[id] += 1 }
        var isEmitted = [Bool](repeating: false, count: graph.nodes.count)
        for id in emitted {
            isEmitted[id] = true
            guard case .apply(let op, let a, let b, let c) = graph.nodes[id] else { continue }
            uses[a] += 1
            if op.arity >= 2 { uses[b] += 1 }
            if op.arity == 3 { uses[c] += 1 }
        }
        func fusibleProduct(_ id: Int) -> (Int, Int)? {
            guard isEmitted[id], uses[id] == 1, case .apply(.mul, let a, let b, _) = graph.nodes[id] else { return nil }
            return (a, b)
        }
        var skipped = [Bool](repeating: false, count: graph.nodes.count)
        var instructions: [(id: Int, op: Opcode, a: Int, b: Int, c: Int)] = []
        for id in emitted {
            guard case .apply(var op, var a, var b, var c) = graph.nodes[id] else { continue }
            if op == .add || op == .sub {
                if let (x, y) = fusibleProduct(a) {
                    skipped[a] = true
                    (op, a, b, c) = (op == .add ? .mulAdd : .mulSub, x, y, b)
                } else if let (x, y) = fusibleProduct(b) {
                    skipped[b] = true
                    (op, a, b, c) = (op == .add ? .mulAdd : .subMul, x, y, a)
                }
            }
            instructions.append((id, op, a, b, c))
        }
        var code: [Instruction] = []
        for (id, op, a, b, c) in instructions where !skipped[id] {
            code.append(Instruction(op: op, dst: registerOfNode[id], a: registerOfNode[a],
                                    b: op.arity >= 2 ? registerOfNode[b] : registerOfNode[a],
                                    c: op.arity == 3 ? registerOfNode[c] : registerOfNode[a]))
        }
        return Program(code: code, results: invariant ? [] : roots.map { registerOfNode[$0] })
    }
}

/// A program copied into memory owned by one integrator, so the hot loop reads plain pointers
/// (no array bounds checks, retains or releases per evaluation).
@usableFromInline
struct RawProgram {
    @usableFromInline let code: UnsafeMutablePointer<Instruction>
    @usableFromInline let count: Int
    @usableFromInline let results: UnsafeMutablePointer<Int32>
    @usableFromInline let resultCount: Int

    init(_ program: Program) {
        let count = program.code.count, resultCount = program.results.count
        let code = UnsafeMutablePointer<Instruction>.allocate(capacity: max(count, 1))
        program.code.withUnsafeBufferPointer { if count > 0 { code.initialize(from: $0.baseAddress!, count: count) } }
        let results = UnsafeMutablePointer<Int32>.allocate(capacity: max(resultCount, 1))
        program.results.withUnsafeBufferPointer { if resultCount > 0 { results.initialize(from: $0.baseAddress!, count: resultCount) } }
        self.count = count
        self.code = code
        self.resultCount = resultCount
        self.results = results
    }

    func deallocate() {
        code.deallocate()
        results.deallocate()
    }

    @inlinable @inline(__always)
    func run(_ registers: UnsafeMutablePointer<Double>) {
        for k in 0..<count {
            let instruction = code[k]
            registers[Int(instruction.dst)] = Opcode.apply(
                instruction.op, registers[Int(instruction.a)], registers[Int(instruction.b)], registers[Int(instruction.c)])
        }
    }
}
