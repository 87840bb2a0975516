/// The eight Rodas5P stages of the batched Rosenbrock lanes, generic over the chunk of lanes per vector operation.
extension BatchIntegrator {
    /// The stage loops of `rosenbrockStep` (s1 … s8, each solved in place by `solveLanes`), on the chunks
    /// `chunks` of `V.scalarCount` lanes: `SIMD4<Double>` chunks of the busy lanes, or one `SIMD16<Double>` chunk
    /// when all four chunks of a 16-lane batch are busy. The same IEEE operations per lane either way, in the
    /// scalar `rodas5Step`'s order, so every lane's stages are bit for bit the scalar path's. `active` (the
    /// busy four-lane chunks) is what `solveLanes` gets.
    @inline(__always)
    func rosenbrockStages<V: LaneChunk>(_ chunks: UnsafeBufferPointer<Int>, _: V.Type, _ swapCount: Int,
                                        _ active: UnsafeBufferPointer<Int>) {
        typealias T = Rodas5PTableau
        let lanes = self.lanes, slots = self.slots, n = self.n
        let regs = stiffRegisters, hs = h + lanes, invH = laneScratch
        let state = regs + lanes  // the stage state goes straight into the state registers (i · lanes + j)
        for j in chunks { invH.setChunk(j, 1 / hs.chunk(j, V.self)) }
        let y = self.y + lanes, k1 = self.k1 + lanes
        /// Time register = t + c h; then the right-hand side of the stage state, in every lane.
        @inline(__always) func evaluate(_ c: Double) {
            for j in chunks { regs.setChunk(j, t.chunk(lanes + j, V.self) + c * h.chunk(lanes + j, V.self)) }
            rhs.runBatch(regs, lanes: lanes)
        }
        /// f + 0 of component i, lanes j..<j+4, from the last batched pass (as `evaluateRHS` stores it).
        @inline(__always) func f(_ i: Int, _ j: Int) -> V { regs.chunk(Int(rhsResults[i]) * lanes + j, V.self) + 0 }
        // The stages, written out (no closures in the hot loops): s_m = f + combination, solved in place;
        // the next stage state goes straight into the state registers. Same expressions as `rodas5Step`.
        for i in 0..<n {
            let fi = k1 + i * slots
            for j in chunks {
                let k = i * lanes + j
                s1.setChunk(k, fi.chunk(j, V.self) + hs.chunk(j, V.self) * T.d1 * dfdt.chunk(k, V.self))
            }
        }
        solveLanes(s1, swapCount, active)
        for i in 0..<n {
            let yi = y + i * slots
            for j in chunks {
                let k = i * lanes + j
                state.setChunk(k, yi.chunk(j, V.self) + T.a21 * s1.chunk(k, V.self))
            }
        }
        evaluate(T.c2)
        for i in 0..<n {
            for j in chunks {
                let k = i * lanes + j, x1 = s1.chunk(k, V.self)
                s2.setChunk(k, f(i, j) + (hs.chunk(j, V.self) * T.d2 * dfdt.chunk(k, V.self) + invH.chunk(j, V.self) * T.C21 * x1))
            }
        }
        solveLanes(s2, swapCount, active)
        for i in 0..<n {
            let yi = y + i * slots
            for j in chunks {
                let k = i * lanes + j
                state.setChunk(k, yi.chunk(j, V.self) + T.a31 * s1.chunk(k, V.self) + T.a32 * s2.chunk(k, V.self))
            }
        }
        evaluate(T.c3)
        for i in 0..<n {
            for j in chunks {
                let k = i * lanes + j
                s3.setChunk(k, f(i, j) + (hs.chunk(j, V.self) * T.d3 * dfdt.chunk(k, V.self)
                                             + invH.chunk(j, V.self) * (T.C31 * s1.chunk(k, V.self) + T.C32 * s2.chunk(k, V.self))))
            }
        }
        solveLanes(s3, swapCount, active)
        for i in 0..<n {
            let yi = y + i * slots
            for j in chunks {
                let k = i * lanes + j
                state.setChunk(k, yi.chunk(j, V.self) + T.a41 * s1.chunk(k, V.self) + T.a42 * s2.chunk(k, V.self) + T.a43 * s3.chunk(k, V.self))
            }
        }
        evaluate(T.c4)
        for i in 0..<n {
            for j in chunks {
                let k = i * lanes + j
                let combination = hs.chunk(j, V.self) * T.d4 * dfdt.chunk(k, V.self)
                    + invH.chunk(j, V.self) * (T.C41 * s1.chunk(k, V.self) + T.C42 * s2.chunk(k, V.self) + T.C43 * s3.chunk(k, V.self))
                s4.setChunk(k, f(i, j) + combination)
            }
        }
        solveLanes(s4, swapCount, active)
        for i in 0..<n {
            let yi = y + i * slots
            for j in chunks {
                let k = i * lanes + j
                state.setChunk(k, yi.chunk(j, V.self) + T.a51 * s1.chunk(k, V.self) + T.a52 * s2.chunk(k, V.self) + T.a53 * s3.chunk(k, V.self)
                                  + T.a54 * s4.chunk(k, V.self))
            }
        }
        evaluate(T.c5)
        for i in 0..<n {
            for j in chunks {
                let k = i * lanes + j
                let combination = hs.chunk(j, V.self) * T.d5 * dfdt.chunk(k, V.self)
                    + invH.chunk(j, V.self) * (T.C51 * s1.chunk(k, V.self) + T.C52 * s2.chunk(k, V.self) + T.C53 * s3.chunk(k, V.self)
                                                   + T.C54 * s4.chunk(k, V.self))
                s5.setChunk(k, f(i, j) + combination)
            }
        }
        solveLanes(s5, swapCount, active)
        for i in 0..<n {
            let yi = y + i * slots
            for j in chunks {
                let k = i * lanes + j
                state.setChunk(k, yi.chunk(j, V.self) + T.a61 * s1.chunk(k, V.self) + T.a62 * s2.chunk(k, V.self) + T.a63 * s3.chunk(k, V.self)
                                  + T.a64 * s4.chunk(k, V.self) + T.a65 * s5.chunk(k, V.self))
            }
        }
        evaluate(1)
        for i in 0..<n {
            for j in chunks {
                let k = i * lanes + j
                let combination = invH.chunk(j, V.self)
                    * (T.C61 * s1.chunk(k, V.self) + T.C62 * s2.chunk(k, V.self) + T.C63 * s3.chunk(k, V.self) + T.C64 * s4.chunk(k, V.self)
                           + T.C65 * s5.chunk(k, V.self))
                s6.setChunk(k, f(i, j) + combination)
            }
        }
        solveLanes(s6, swapCount, active)
        for i in 0..<n {
            for j in chunks {
                let k = i * lanes + j
                state.setChunk(k, state.chunk(k, V.self) + s6.chunk(k, V.self))
            }
        }
        evaluate(1)
        for i in 0..<n {
            for j in chunks {
                let k = i * lanes + j
                // partial sums typed one at a time (the type checker gives up on one expression); the same
                // left-to-right additions as the scalar step
                var sum: V = T.C71 * s1.chunk(k, V.self) + T.C72 * s2.chunk(k, V.self) + T.C73 * s3.chunk(k, V.self)
                sum += T.C74 * s4.chunk(k, V.self)
                sum += T.C75 * s5.chunk(k, V.self)
                sum += T.C76 * s6.chunk(k, V.self)
                let combination = invH.chunk(j, V.self) * sum
                s7.setChunk(k, f(i, j) + combination)
            }
        }
        solveLanes(s7, swapCount, active)
        for i in 0..<n {
            for j in chunks {
                let k = i * lanes + j, u = state.chunk(k, V.self) + s7.chunk(k, V.self)
                state.setChunk(k, u)
                stageState.setChunk(k, u)
            }
        }
        evaluate(1)
        for i in 0..<n {
            for j in chunks {
                let k = i * lanes + j
                var sum: V = T.C81 * s1.chunk(k, V.self) + T.C82 * s2.chunk(k, V.self) + T.C83 * s3.chunk(k, V.self)
                sum += T.C84 * s4.chunk(k, V.self)
                sum += T.C85 * s5.chunk(k, V.self)
                sum += T.C86 * s6.chunk(k, V.self)
                sum += T.C87 * s7.chunk(k, V.self)
                let combination = invH.chunk(j, V.self) * sum
                s8.setChunk(k, f(i, j) + combination)
            }
        }
        solveLanes(s8, swapCount, active)
    }

    /// The end of `rosenbrockStep` on the chunks `chunks` of `V.scalarCount` lanes (as `rosenbrockStages`): in
    /// the factored lanes, the candidate y + s8 into `yNew`, the scaled RMS error into `error` and the
    /// dense-output terms into `dense1`, `dense2`, `dense4` (the other lanes' values are left alone); in every
    /// lane of the chunks, the continuous extension's ends (`dense0` = y, `dense3` = the candidate), its time and
    /// step (`denseT`, `denseH`) and the candidate's `largestState` and `stateMagnitudeSum`, which are read only
    /// where the step is accepted (a factored lane).
    @inline(__always)
    func rosenbrockErrors<V: LaneChunk>(_ chunks: UnsafeBufferPointer<Int>, _: V.Type, _ relativeTolerance: Double) {
        typealias T = Rodas5PTableau
        let lanes = self.lanes, slots = self.slots, n = self.n
        let y = self.y + lanes
        let yNew = self.yNew + lanes, atol = absoluteTolerance + lanes, errors = error + lanes
        let count = Double(max(n, 1))
        let dense0 = self.dense0 + lanes, dense3 = self.dense3 + lanes
        for j in chunks {
            let factored = factoredMask.chunk(j, V.self)
            var sum = V(repeating: 0), largest = V(repeating: 0), magnitudes = V(repeating: 0)
            for i in 0..<n {
                let q = i * lanes + j, row = i * slots + j
                let old = yNew.chunk(row, V.self)
                let candidate = stageState.chunk(q, V.self) + s8.chunk(q, V.self)
                yNew.setChunk(row, old.selecting(candidate, where: factored))
                let start = y.chunk(row, V.self), size = candidate.magnitudes()
                let sk = atol.chunk(row, V.self) + relativeTolerance * start.magnitudes().maximum(size)
                let r = s8.chunk(q, V.self) / sk
                sum += r * r
                largest = largest.maximum(size)
                magnitudes += size
                // the ends of the continuous extension (y0, y1), used only where the step is accepted
                dense0.setChunk(row, start)
                dense3.setChunk(row, candidate)
                let x1 = s1.chunk(q, V.self), x2 = s2.chunk(q, V.self), x3 = s3.chunk(q, V.self), x4 = s4.chunk(q, V.self)
                let x5 = s5.chunk(q, V.self), x6 = s6.chunk(q, V.self), x7 = s7.chunk(q, V.self), x8 = s8.chunk(q, V.self)
                let d1 = Self.eightTermSum(T.h21, T.h22, T.h23, T.h24, T.h25, T.h26, T.h27, T.h28, x1, x2, x3, x4, x5, x6, x7, x8)
                let d2 = Self.eightTermSum(T.h31, T.h32, T.h33, T.h34, T.h35, T.h36, T.h37, T.h38, x1, x2, x3, x4, x5, x6, x7, x8)
                let d4 = Self.eightTermSum(T.h41, T.h42, T.h43, T.h44, T.h45, T.h46, T.h47, T.h48, x1, x2, x3, x4, x5, x6, x7, x8)
                let dense1 = self.dense1 + lanes + row, dense2 = self.dense2 + lanes + row, dense4 = self.dense4 + lanes + row
                dense1.setChunk(0, dense1.chunk(0, V.self).selecting(d1, where: factored))
                dense2.setChunk(0, dense2.chunk(0, V.self).selecting(d2, where: factored))
                dense4.setChunk(0, dense4.chunk(0, V.self).selecting(d4, where: factored))
            }
            errors.setChunk(j, errors.chunk(j, V.self).selecting((sum / count).squareRoot(), where: factored))
            (largestState + lanes).setChunk(j, largest)
            (stateMagnitudeSum + lanes).setChunk(j, magnitudes)
            (denseT + lanes).setChunk(j, (t + lanes).chunk(j, V.self))
            (denseH + lanes).setChunk(j, (h + lanes).chunk(j, V.self))
        }
    }

    /// c1 x1 + c2 x2 + … + c8 x8, added left to right (as the scalar step's dense-output sums).
    @inline(__always)
    static func eightTermSum<V: LaneChunk>(_ c1: Double, _ c2: Double, _ c3: Double, _ c4: Double, _ c5: Double, _ c6: Double,
                                           _ c7: Double, _ c8: Double, _ x1: V, _ x2: V, _ x3: V, _ x4: V, _ x5: V,
                                           _ x6: V, _ x7: V, _ x8: V) -> V {
        var sum: V = c1 * x1 + c2 * x2
        sum += c3 * x3
        sum += c4 * x4
        sum += c5 * x5
        sum += c6 * x6
        sum += c7 * x7
        sum += c8 * x8
        return sum
    }
}
