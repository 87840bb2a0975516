import Foundation

extension BatchIntegrator {
    /// One Rodas5P step in every Rosenbrock lane (slots `lanes..<slots`), with the operations of
    /// `Integrator.rodas5Step` in the same order, so each lane's result is bit for bit the scalar one.
    ///
    /// The right-hand side at each stage, and f(t, y), the Jacobian and df/dt after an accepted step, are one
    /// batched pass over all Rosenbrock lanes each. Everything else runs over the lanes too, four lanes per
    /// `SIMD4<Double>` operation (each lane gets the scalar path's IEEE operations in the scalar path's order):
    /// the iteration matrices I/(hγ) − J and their LU (`factorLanes`, `luFactor`'s pivoting per lane), the
    /// stage combinations, the substitutions (`solveLanes`), the error norm and the dense-output terms.
    /// Stage vectors, Jacobians and factors are structure-of-arrays (component i of Rosenbrock lane j at
    /// `v[i * lanes + j]`); the stage states go straight into the state registers of the batched pass. Leaves
    /// the candidate in `yNew`, the dense-output terms in `dense1`, `dense2`, `dense4` and the scaled RMS error in `error`
    /// (`.infinity` where the iteration matrix is singular, whose lane's `yNew` is left alone, as on the scalar
    /// path). Per-lane statistics count what the scalar step counts. Allocation-free.
    func rosenbrockStep(_ relativeTolerance: Double) {
        typealias T = Rodas5PTableau
        let lanes = self.lanes, slots = self.slots, n = self.n, nn = n * n
        let regs = stiffRegisters
        typealias V = SIMD4<Double>
        typealias V16 = SIMD16<Double>
        var busyCount = 0, anyStale = false
        for j in 0..<lanes {
            let busy = mode[lanes + j] == .rosenbrock
            busyMask[j] = busy ? 1 : 0
            staleMask[j] = stale[j] ? 1 : 0
            guard busy else { continue }
            busyLanes[busyCount] = j
            busyCount += 1
            if stale[j] { anyStale = true }
        }
        // the chunks of four lanes with a busy lane: the only ones the step computes
        var chunkCount = 0
        for j in stride(from: 0, to: lanes, by: 4) where busyMask.lanes(j) != .zero {
            activeChunks[chunkCount] = j
            chunkCount += 1
        }
        let active = UnsafeBufferPointer(start: activeChunks, count: chunkCount)
        // f(t, y), J and df/dt where the last step was accepted (the scalar path evaluates them then); the
        // Jacobians are kept structure-of-arrays (entry e of lane j at `jac[e * lanes + j]`; entries that are
        // not in `jacobianPositions` stay 0 from the start)
        if anyStale {
            for j in 0..<lanes { regs[j] = t[lanes + j] }
            for i in 0..<n { (regs + (1 + i) * lanes).update(from: y + i * slots + lanes, count: lanes) }
            rhs.runBatch(regs, lanes: lanes)
            for i in 0..<n {
                let source = regs + Int(rhsResults[i]) * lanes, target = k1 + i * slots + lanes
                for j in active {
                    target.setLanes(j, target.lanes(j).replacing(with: source.lanes(j) + 0, where: staleMask.lanes(j) .!= 0))
                }
            }
            model.jacobian.runBatch(regs, lanes: lanes)
            let entries = model.jacobian.results.count
            for j in active {
                let update = (staleMask.lanes(j) .!= 0) .& (busyMask.lanes(j) .!= 0)
                var check = V(repeating: 0)
                for k in 0..<entries {
                    let out = jac + Int(jacobianPositions[k]) * lanes + j
                    let value = regs.lanes(Int(jacobianResults[k]) * lanes + j)
                    check += value - value  // NaN in a lane with a non-finite entry
                    out.setLanes(0, out.lanes(0).replacing(with: value, where: update))
                }
                jacobianCheck.setLanes(j, jacobianCheck.lanes(j).replacing(with: check, where: update))
            }
            for b in 0..<busyCount where stale[busyLanes[b]] { statistics[lanes + busyLanes[b]].jacobianEvaluations += 1 }
            if let program = model.timeDerivative {
                program.runBatch(regs, lanes: lanes)
                program.results.withUnsafeBufferPointer { results in
                    for i in 0..<n {
                        let source = regs + Int(results[i]) * lanes, target = dfdt + i * lanes
                        for j in 0..<lanes where stale[j] { target[j] = source[j] }
                    }
                }
            } else {
                for i in 0..<n {
                    for j in 0..<lanes where stale[j] { dfdt[i * lanes + j] = 0 }
                }
            }
            for j in 0..<lanes { stale[j] = false }
        }
        // iteration matrices I/(hγ) − J, structure-of-arrays, factored as on the scalar path: the sparse LU
        // (`SparseLaneFactors`) where its pivots pass the threshold test, else the dense LU with partial
        // pivoting (`factorLanes`), which runs in the chunks holding such a lane
        let hs = h + lanes
        for j in active { laneScratch.setLanes(j, 1 / (hs.lanes(j) * T.gamma)) }
        if let whole = wholeBatch(active) {
            sparseFactors.factor(jac, shift: laneScratch, into: sparseValues, whole, busy: busyMask, passed: sparseMask,
                                 chunk: V16.self)
        } else {
            sparseFactors.factor(jac, shift: laneScratch, into: sparseValues, active, busy: busyMask, passed: sparseMask,
                                 chunk: V.self)
        }
        denseChunkCount = 0
        for j in active {
            factoredMask.setLanes(j, sparseMask.lanes(j))
            if any((busyMask.lanes(j) .!= 0) .& (sparseMask.lanes(j) .== 0)) {
                denseChunks[denseChunkCount] = j
                denseChunkCount += 1
            }
        }
        let dense = UnsafeBufferPointer(start: denseChunks, count: denseChunkCount)
        for j in dense {
            let diagonal = 1 / (hs.lanes(j) * T.gamma)
            for e in 0..<nn { luLanes.setLanes(e * lanes + j, negated(jac.lanes(e * lanes + j))) }
            for i in 0..<n {
                let a = luLanes + (i * n + i) * lanes + j
                a.setLanes(0, a.lanes(0) + diagonal)
            }
        }
        factorLanes(dense)
        for j in dense { factoredMask.setLanes(j, factoredMask.lanes(j).replacing(with: 1, where: sparseMask.lanes(j) .!= 0)) }
        var factoredCount = 0
        for b in 0..<busyCount {
            let j = busyLanes[b], l = lanes + j
            guard factoredMask[j] != 0 else {
                error[l] = .infinity
                continue
            }
            factoredLanes[factoredCount] = j
            factoredCount += 1
            statistics[l].factorizations += 1
            statistics[l].rhsEvaluations += 7
        }
        // the dense-factored lanes' row swaps of the substitutions (only those that exchange two rows)
        var swapCount = 0
        for b in 0..<factoredCount {
            let j = factoredLanes[b], p = pivots + j * n
            if sparseMask[j] != 0 { continue }
            for k in 0..<n where Int(p[k]) != k {
                rowSwaps[swapCount] = (Int32(j), Int32(k), p[k])
                swapCount += 1
            }
        }
        if let whole = wholeBatch(active) {
            rosenbrockStages(whole, V16.self, swapCount, active)
            rosenbrockErrors(whole, V16.self, relativeTolerance)
        } else {
            rosenbrockStages(active, V.self, swapCount, active)
            rosenbrockErrors(active, V.self, relativeTolerance)
        }
    }

    /// `luFactor` in every busy Rosenbrock lane at once, in place on the structure-of-arrays matrices in
    /// `luLanes` (entry e of lane j at `luLanes[e * lanes + j]`): the pivot search (the first row of largest
    /// magnitude), the inverse pivot and the eliminations run over four lanes per vector operation, with a
    /// row whose multiplier is zero left unchanged (`luFactor` skips it); row interchanges are per lane. Every
    /// lane gets exactly `luFactor`'s factors and pivots (`pivots + j * n`). `factoredMask[j]` is 1 where
    /// lane j is busy and its matrix regular (every pivot non-zero and finite), else 0.
    private func factorLanes(_ active: UnsafeBufferPointer<Int>) {
        typealias V = SIMD4<Double>
        let n = self.n, lanes = self.lanes, a = luLanes
        for j in active {
            var regular = busyMask.lanes(j) .!= 0
            for k in 0..<n {
                var best = magnitude(a.lanes((k * n + k) * lanes + j)), row = V(repeating: Double(k))
                for i in (k + 1)..<max(k + 1, n) {
                    let v = magnitude(a.lanes((i * n + k) * lanes + j)), larger = v .> best
                    best.replace(with: v, where: larger)
                    row.replace(with: Double(i), where: larger)
                }
                regular .&= (best .!= 0) .& (best .< .infinity)
                for m in 0..<4 where busyMask[j + m] != 0 {
                    let lane = j + m, p = Int(row[m])
                    pivots[lane * n + k] = Int32(p)
                    if p != k {
                        for c in 0..<n { swap(&a[(k * n + c) * lanes + lane], &a[(p * n + c) * lanes + lane]) }
                    }
                }
                let inverse = 1 / a.lanes((k * n + k) * lanes + j)
                for i in (k + 1)..<max(k + 1, n) {
                    let l = a.lanes((i * n + k) * lanes + j) * inverse, zero = l .== 0
                    a.setLanes((i * n + k) * lanes + j, l)
                    if !any(zero) {
                        for c in (k + 1)..<n {
                            let e = a + (i * n + c) * lanes + j
                            e.setLanes(0, e.lanes(0) - l * a.lanes((k * n + c) * lanes + j))
                        }
                        continue
                    }
                    if all(zero) { continue }
                    for c in (k + 1)..<n {
                        let e = a + (i * n + c) * lanes + j, old = e.lanes(0)
                        e.setLanes(0, (old - l * a.lanes((k * n + c) * lanes + j)).replacing(with: old, where: zero))
                    }
                }
                a.setLanes((k * n + k) * lanes + j, inverse)
            }
            factoredMask.setLanes(j, V(repeating: 0).replacing(with: 1, where: regular))
        }
    }

    /// The stage solve in every factored lane at once, on structure-of-arrays right-hand sides (component i of
    /// lane j at `b[i * lanes + j]`): `SparseLU.solve`'s operations (`SparseLaneFactors.solvePlan`) on the
    /// sparse factors, and for the lanes whose sparse pivots failed, `luSolve`'s (`substitution`) on the dense
    /// factors after their row swaps (`rowSwaps`), computed on a copy of their chunks and selected per lane.
    /// Every lane gets exactly the scalar path's solution. Lanes not factored compute values never used.
    @inline(never)
    func solveLanes(_ b: UnsafeMutablePointer<Double>, _ swapCount: Int, _ active: UnsafeBufferPointer<Int>) {
        let lanes = self.lanes, n = self.n
        let dense = UnsafeBufferPointer(start: denseChunks, count: denseChunkCount)
        let copy = solveScratch
        for i in 0..<n {
            for j in dense { copy.setLanes(i * lanes + j, b.lanes(i * lanes + j)) }
        }
        // the chunk width is derived here rather than passed from the stages: passing it (solveLanes generic over
        // the chunk) measured 2–3 % more instructions per simulation on Boehm and Fujita
        if let whole = wholeBatch(active) {
            sparseFactors.solvePlan.solve(b, values: sparseValues, whole, chunk: SIMD16<Double>.self)
        } else {
            sparseFactors.solvePlan.solve(b, values: sparseValues, active, chunk: SIMD4<Double>.self)
        }
        guard !dense.isEmpty else { return }
        swapRows(copy, swapCount)
        substitution.solve(copy, values: luLanes, dense, chunk: SIMD4<Double>.self)
        for j in dense {
            let sparseLanes = sparseMask.lanes(j) .!= 0
            for i in 0..<n {
                let k = i * lanes + j
                b.setLanes(k, copy.lanes(k).replacing(with: b.lanes(k), where: sparseLanes))
            }
        }
    }

    /// With 16 lanes whose four chunks are all `active` (chunk starts 0, 4, 8, 12, in order): the chunk list
    /// [0], for loops that then run one `SIMD16<Double>` operation per row instead of four `SIMD4<Double>` ones
    /// (the same IEEE operation per lane). Nil otherwise.
    @inline(__always)
    func wholeBatch(_ active: UnsafeBufferPointer<Int>) -> UnsafeBufferPointer<Int>? {
        lanes == 16 && active.count == 4 ? UnsafeBufferPointer(rebasing: active[0..<1]) : nil
    }

    /// `luSolve`'s row interchanges of the dense-factored lanes (`rowSwaps`), on right-hand sides `b`.
    private func swapRows(_ b: UnsafeMutablePointer<Double>, _ swapCount: Int) {
        for s in 0..<swapCount {
            let (j, k, q) = rowSwaps[s]
            swap(&b[Int(k) * lanes + Int(j)], &b[Int(q) * lanes + Int(j)])
        }
    }
}
