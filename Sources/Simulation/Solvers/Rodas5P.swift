/// Coefficients of Rodas5P (G. Steinebach, "Construction of Rosenbrock–Wanner method Rodas5P and numerical
/// benchmarks within the Julia Differential Equations package", BIT Numerical Mathematics 63, 27 (2023);
/// doi:10.1007/s10543-023-00967-x), in the W-transformed form of OrdinaryDiffEq.jl's `Rodas5PTableau`, with its
/// dense output (h coefficients, three terms). Eight stages, order 5 with an embedded order-4 estimate,
/// L-stable and stiffly accurate (the last two stages end at t + h).
enum Rodas5PTableau: RosenbrockLeadingStages {
    static let gamma = 0.21193756319429014
    static let a21 = 3.0
    static let a31 = 2.849394379747939, a32 = 0.45842242204463923
    static let a41 = -6.954028509809101, a42 = 2.489845061869568, a43 = -10.358996098473584
    static let a51 = 2.8029986275628964, a52 = 0.5072464736228206, a53 = -0.3988312541770524, a54 = -0.04721187230404641
    static let a61 = -7.502846399306121, a62 = 2.561846144803919, a63 = -11.627539656261098, a64 = -0.18268767659942256
    static let a65 = 0.030198172008377946
    static let C21 = -14.155112264123755
    static let C31 = -17.97296035885952, C32 = -2.859693295451294
    static let C41 = 147.12150275711716, C42 = -1.41221402718213, C43 = 71.68940251302358
    static let C51 = 165.43517024871676, C52 = -0.4592823456491126, C53 = 42.90938336958603, C54 = -5.961986721573306
    static let C61 = 24.854864614690072, C62 = -3.0009227002832186, C63 = 47.4931110020768, C64 = 5.5814197821558125
    static let C65 = -0.6610691825249471
    static let C71 = 30.91273214028599, C72 = -3.1208243349937974, C73 = 77.79954646070892, C74 = 34.28646028294783
    static let C75 = -19.097331116725623, C76 = -28.087943162872662
    static let C81 = 37.80277123390563, C82 = -3.2571969029072276, C83 = 112.26918849496327, C84 = 66.9347231244047
    static let C85 = -40.06618937091002, C86 = -54.66780262877968, C87 = -9.48861652309627
    static let c2 = 0.6358126895828704, c3 = 0.4095798393397535, c4 = 0.9769306725060716, c5 = 0.4288403609558664
    static let d1 = 0.21193756319429014, d2 = -0.42387512638858027, d3 = -0.3384627126235924
    static let d4 = 1.8046452872882734, d5 = 2.325825639765069
    static let h21 = 25.948786856663858, h22 = -2.5579724845846235, h23 = 10.433815404888879, h24 = -2.3679251022685204
    static let h25 = 0.524948541321073, h26 = 1.1241088310450404, h27 = 0.4272876194431874, h28 = -0.17202221070155493
    static let h31 = -9.91568850695171, h32 = -0.9689944594115154, h33 = 3.0438037242978453, h34 = -24.495224566215796
    static let h35 = 20.176138334709044, h36 = 15.98066361424651, h37 = -6.789040303419874, h38 = -6.710236069923372
    static let h41 = 11.419903575922262, h42 = 2.8879645146136994, h43 = 72.92137995996029, h44 = 80.12511834622643
    static let h45 = -52.072871366152654, h46 = -59.78993625266729, h47 = -0.15582684282751913, h48 = 4.883087185713722
}

extension Integrator {
    /// One Rodas5P step of size `h` from (t, y) with f(t, y) in `k1` on entry. Uses the analytic Jacobian;
    /// returns the scaled RMS error (the last stage, `finishRosenbrockStep`), or `.infinity` when the
    /// iteration matrix is singular. Leaves the candidate in `yNew` and dense-output data in `dense1`,
    /// `dense2`, `dense4` (`interpolate`). Same structure and stage solve as `rodasStep`.
    func rodas5Step(_ h: Double) -> Double {
        typealias T = Rodas5PTableau
        let n = self.n
        guard factorIterationMatrix(h, gamma: T.gamma) else { return .infinity }
        let invH = 1 / h
        leadingStages(h, invH, T.self)
        for i in 0..<n { tmp[i] = y[i] + T.a51 * s1[i] + T.a52 * s2[i] + T.a53 * s3[i] + T.a54 * s4[i] }
        evaluateRHS(t + T.c5 * h, tmp, s5)
        for i in 0..<n {
            s5[i] += h * T.d5 * dfdt[i] + invH * (T.C51 * s1[i] + T.C52 * s2[i] + T.C53 * s3[i] + T.C54 * s4[i])
        }
        solveStage(s5)
        for i in 0..<n { tmp[i] = y[i] + T.a61 * s1[i] + T.a62 * s2[i] + T.a63 * s3[i] + T.a64 * s4[i] + T.a65 * s5[i] }
        evaluateRHS(t + h, tmp, s6)
        for i in 0..<n {
            s6[i] += invH * (T.C61 * s1[i] + T.C62 * s2[i] + T.C63 * s3[i] + T.C64 * s4[i] + T.C65 * s5[i])
        }
        solveStage(s6)
        for i in 0..<n { tmp[i] += s6[i] }
        evaluateRHS(t + h, tmp, s7)
        for i in 0..<n {
            s7[i] += invH * (T.C71 * s1[i] + T.C72 * s2[i] + T.C73 * s3[i] + T.C74 * s4[i] + T.C75 * s5[i] + T.C76 * s6[i])
        }
        solveStage(s7)
        for i in 0..<n { tmp[i] += s7[i] }
        evaluateRHS(t + h, tmp, s8)
        for i in 0..<n {
            s8[i] += invH * (T.C81 * s1[i] + T.C82 * s2[i] + T.C83 * s3[i] + T.C84 * s4[i] + T.C85 * s5[i] + T.C86 * s6[i]
                                 + T.C87 * s7[i])
        }
        solveStage(s8)
        let err = finishRosenbrockStep(lastStage: s8)
        for i in 0..<n {
            dense1[i] = T.h21 * s1[i] + T.h22 * s2[i] + T.h23 * s3[i] + T.h24 * s4[i] + T.h25 * s5[i] + T.h26 * s6[i]
                + T.h27 * s7[i] + T.h28 * s8[i]
            dense2[i] = T.h31 * s1[i] + T.h32 * s2[i] + T.h33 * s3[i] + T.h34 * s4[i] + T.h35 * s5[i] + T.h36 * s6[i]
                + T.h37 * s7[i] + T.h38 * s8[i]
            dense4[i] = T.h41 * s1[i] + T.h42 * s2[i] + T.h43 * s3[i] + T.h44 * s4[i] + T.h45 * s5[i] + T.h46 * s6[i]
                + T.h47 * s7[i] + T.h48 * s8[i]
        }
        return err
    }
}
