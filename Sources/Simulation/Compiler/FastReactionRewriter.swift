import ModelIR

/// SBML Level 2 fast reactions as rapid equilibrium: the fast subsystem is always at equilibrium and
/// only the slow reactions move the pools it conserves.
///
/// For the species `F` that fast reactions change (amounts `a`, fast stoichiometry matrix `N`):
/// - every conserved pool `T_i = Σ_l L_il · a_l` (rows of `L` span the left null space of `N`) becomes a
///   parameter with a rate rule `dT_i/dt = Σ_l L_il · (net slow change of a_l)` and the initial value
///   computed from the species' initial amounts (so the start is equilibrated, as the SBML spec asks);
/// - algebraic rules `Σ_l L_il · a_l − T_i = 0` and `rate_j = 0` for rank(N) independent fast
///   reactions determine the species of `F`, which `AlgebraicRuleSolver` then solves.
///
/// Fast reactions whose equations are not affine in the species they determine are rejected by the
/// solver with a clear error; fast species set by rules or with symbolic stoichiometry are rejected here.
enum FastReactionRewriter {
    /// The rewritten model and the species it left to algebraic rules.
    static func rewrite(_ model: Model) throws -> (Model, Set<String>) {
        let fast = model.reactions.filter(\.fast)
        guard !fast.isEmpty else { return (model, []) }
        let speciesById = Dictionary(model.species.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func changes(_ s: String) -> Bool {
            guard let sp = speciesById[s] else { return false }
            return !sp.boundaryCondition && !sp.constant
        }
        var fastSpecies: [String] = []
        for r in fast {
            for ref in r.reactants + r.products where changes(ref.species) && !fastSpecies.contains(ref.species) {
                fastSpecies.append(ref.species)
            }
        }
        if let ruled = model.rules.compactMap(\.variable).first(where: { fastSpecies.contains($0) }) {
            throw SimulationError.unsupported(element: "fast reaction species '\(ruled)'",
                                              reason: "it is also set by a rule")
        }
        let initialValues = Dictionary(model.initialAssignments.map { ($0.symbol, $0.math) }, uniquingKeysWith: { a, _ in a })
        func constantStoichiometry(_ ref: SpeciesReference, in r: Reaction) throws -> Double {
            var math: MathExpression = .number(ref.stoichiometry ?? 1)
            if let m = ref.stoichiometryMath { math = m } else if let id = ref.id, let m = initialValues[id] { math = m }
            guard case .number(let v) = math.simplified(), v.isFinite else {
                throw SimulationError.unsupported(element: "fast reaction '\(r.id)'", reason: "its stoichiometry is not a constant number")
            }
            return v
        }
        // N: rows = fast species, columns = fast reactions.
        var columns: [[Double]] = []
        for r in fast {
            var column = [Double](repeating: 0, count: fastSpecies.count)
            for ref in r.reactants { if let l = fastSpecies.firstIndex(of: ref.species) { column[l] -= try constantStoichiometry(ref, in: r) } }
            for ref in r.products { if let l = fastSpecies.firstIndex(of: ref.species) { column[l] += try constantStoichiometry(ref, in: r) } }
            columns.append(column)
        }
        var independent: [Int] = []
        for j in columns.indices where rank(independent.map { columns[$0] } + [columns[j]]) > independent.count {
            independent.append(j)
        }
        let pools = leftNullSpace(columns, rows: fastSpecies.count)

        var out = model
        func amount(_ s: String) -> MathExpression {
            let sp = speciesById[s]!
            return sp.hasOnlySubstanceUnits ? .symbol(s) : .binary(.multiply, .symbol(s), .symbol(sp.compartment))
        }
        func stoichiometry(_ ref: SpeciesReference) -> MathExpression {
            if let m = ref.stoichiometryMath { return m }
            if let id = ref.id { return .symbol(id) }
            return .number(ref.stoichiometry ?? 1)
        }
        // The pools' initial values use the species' initial values (before equilibration).
        func initialAmount(_ s: String) -> MathExpression {
            let sp = speciesById[s]!
            let size = MathExpression.symbol(sp.compartment)
            if let math = initialValues[s] { return sp.hasOnlySubstanceUnits ? math : .binary(.multiply, math, size) }
            if let a = sp.initialAmount { return .number(a) }
            return .binary(.multiply, .number(sp.initialConcentration ?? .nan), size)
        }
        let taken = Set(model.symbolTable.keys)
        for (i, weights) in pools.enumerated() {
            var id = "fast_pool_\(i)"
            while taken.contains(id) { id = "_" + id }
            var total: MathExpression = .number(0), initialTotal: MathExpression = .number(0)
            var slope: MathExpression = .number(0)
            for (l, s) in fastSpecies.enumerated() where weights[l] != 0 {
                total = .binary(.add, total, .binary(.multiply, .number(weights[l]), amount(s)))
                initialTotal = .binary(.add, initialTotal, .binary(.multiply, .number(weights[l]), initialAmount(s)))
                var change: MathExpression = .number(0)
                for r in model.reactions where !r.fast {
                    for ref in r.reactants where ref.species == s {
                        change = .binary(.subtract, change, .binary(.multiply, stoichiometry(ref), .symbol(r.id)))
                    }
                    for ref in r.products where ref.species == s {
                        change = .binary(.add, change, .binary(.multiply, stoichiometry(ref), .symbol(r.id)))
                    }
                }
                if let factor = speciesById[s]!.conversionFactor ?? model.conversionFactor {
                    change = .binary(.multiply, change, .symbol(factor))
                }
                slope = .binary(.add, slope, .binary(.multiply, .number(weights[l]), change))
            }
            out.parameters.append(Parameter(id: id, value: nil, constant: false))
            out.initialAssignments.append(InitialAssignment(symbol: id, math: initialTotal.simplified()))
            out.rules.append(.rate(variable: id, math: slope.simplified()))
            out.rules.append(.algebraic(math: .binary(.subtract, total, .symbol(id)).simplified()))
        }
        for j in independent {
            let r = fast[j]
            let law = (r.kineticLaw ?? .number(0)).substituting(
                Dictionary(r.localParameters.map { ($0.id, MathExpression.number($0.value ?? .nan)) }, uniquingKeysWith: { a, _ in a }))
            out.rules.append(.algebraic(math: law))
        }
        return (out, Set(fastSpecies))
    }

    /// Rank of the matrix whose columns are `columns` (Gaussian elimination with partial pivoting).
    static func rank(_ columns: [[Double]]) -> Int {
        guard let rows = columns.first?.count else { return 0 }
        var m = (0..<rows).map { r in columns.map { $0[r] } }  // rows × columns
        var rank = 0
        for c in 0..<columns.count where rank < rows {
            guard let p = (rank..<rows).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }), abs(m[p][c]) > 1e-12 else { continue }
            m.swapAt(rank, p)
            for r in 0..<rows where r != rank {
                let f = m[r][c] / m[rank][c]
                if f != 0 { for k in c..<columns.count { m[r][k] -= f * m[rank][k] } }
            }
            rank += 1
        }
        return rank
    }

    /// A basis of { w : wᵀ N = 0 } for N given by its columns (each of length `rows`).
    static func leftNullSpace(_ columns: [[Double]], rows: Int) -> [[Double]] {
        // Reduce Nᵀ (columns.count × rows) to row echelon form; free variables give the basis.
        var m = columns
        var pivotColumns: [Int] = []
        var r = 0
        for c in 0..<rows where r < m.count {
            guard let p = (r..<m.count).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }), abs(m[p][c]) > 1e-12 else { continue }
            m.swapAt(r, p)
            let pivot = m[r][c]
            for k in 0..<rows { m[r][k] /= pivot }
            for i in 0..<m.count where i != r {
                let f = m[i][c]
                if f != 0 { for k in 0..<rows { m[i][k] -= f * m[r][k] } }
            }
            pivotColumns.append(c)
            r += 1
        }
        var basis: [[Double]] = []
        for free in 0..<rows where !pivotColumns.contains(free) {
            var w = [Double](repeating: 0, count: rows)
            w[free] = 1
            for (i, c) in pivotColumns.enumerated() { w[c] = -m[i][free] }
            basis.append(w)
        }
        return basis
    }
}
