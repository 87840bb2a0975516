import ArgumentParser
import Foundation
import ImmuneTwin

/// `twin fit PROBLEM.yaml --nominal | --starts N [--seed S] [--initial TABLE|nominal] --out DIR [--profiles] [--mcmc ITER]`.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Calibrate a model to data described by a PEtab v1 problem.",
        discussion: """
            With --nominal, prints the negative log-likelihood at the parameter table's nominal values \
            (as the petab library's calculate_llh defines it, negated), and the priors' negative \
            log-density when the problem has objective priors. With --starts, runs a seeded multi-start \
            optimisation (Latin hypercube starts within the bounds, bounded trust-region least squares; \
            quasi-Newton where the noise is not normal) in parallel, and writes parameters.tsv (PEtab \
            parameter table of the best fit), waterfall.svg, convergence.json, and the fits vs data at \
            the best fit (fits.tsv; one fit-<observable>.svg per observable, per condition when there are \
            several: fit-<condition>-<observable>.svg) to --out; --profiles \
            adds profile likelihoods and --mcmc adaptive-Metropolis samples around the best fits.
            """)

    @Argument(help: "The PEtab problem YAML file.")
    var problem: String

    @Flag(help: "Evaluate the objective at the nominal parameters and print it.")
    var nominal = false

    @Option(help: "Number of optimisation starts.")
    var starts: Int?

    @Option(help: ArgumentHelp("""
        Also start from these parameters (repeatable): a PEtab parameter table such as an earlier fit's \
        parameters.tsv (its nominalValue column), or the word 'nominal' for the problem's own nominal values. \
        Given starts follow the --starts design (starts N, N+1, …) and are optimised as given.
        """, valueName: "table|nominal"))
    var initial: [String] = []

    @Option(help: "Seed of the start points (and MCMC chains).")
    var seed: UInt64 = 1

    @Option(help: "Output folder for the fit (must not exist or be empty).")
    var out: String?

    @Option(help: "Worker threads (results do not depend on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Also compute profile likelihoods (95 % intervals) of every estimated parameter from the best fit.")
    var profiles = false

    @Option(help: "Also run adaptive Metropolis with this many iterations per chain (4 chains from the best fits).")
    var mcmc: Int?

    @Option(help: "Relative tolerance of the simulations (default 1e-10 for --nominal, 1e-8 for fitting).")
    var rtol: Double?

    @Option(help: "Absolute tolerance of the simulations (state units; default 1e-14 for --nominal, 1e-10 for fitting).")
    var atol: Double?

    @Option(help: """
        Step limit of each simulation while fitting: a run that needs more fails (the objective is then \
        infinite at that point), so that parameter sets near a finite-time blow-up cost little.
        """)
    var maxSteps: Int = 20_000

    @Option(help: "Iteration limit of each start's local optimisation (accepted or rejected steps).")
    var maxIterations: Int = 1000

    @Option(help: """
        Redraws of a start point at which the objective is not finite (uniform in the bounds, seeded per start) \
        before the start is recorded as failed; raise it for problems whose simulations fail in much of the box.
        """)
    var maxResamples: Int = 10

    @Option(help: """
        Restarts of each start's local optimisation from its own end point while a restart lowers the objective \
        by more than 1e-3 (a fresh trust region and curvature model; recovers starts stopped on a slope).
        """)
    var restarts: Int = 0

    @Option(help: """
        Run only the starts whose index is K modulo M (K/M, e.g. 0/4 … 3/4): each start's result depends only \
        on its index, so the shards of a run give exactly the starts of the whole run.
        """)
    var shard: String?

    @Option(help: """
        Run only these starts of the --starts N design: indices and ranges, e.g. 76-99,4,13 (0-based), to \
        resume a run cut short or to repeat single starts; same results as in the whole run.
        """)
    var onlyStarts: String?

    @Option(help: """
        Local optimiser of each start: trf (trust-region reflective: Coleman–Li scaling, steps reflected off \
        the bounds, as scipy's least_squares trf, with an NL2SOL secant term), lm (projected Levenberg–Marquardt with an NL2SOL secant \
        term) or qn (projected quasi-Newton, BFGS); trf and lm use qn where the noise is not normal.
        """)
    var optimiser: OptimiserName = .trf

    @Flag(help: """
        Hierarchical optimisation: solve observable scaling factors (estimated parameters that only multiply \
        lin-transformed, normal-noise observables) in closed form, so that each start optimises only the other \
        parameters; reported values and parameters are those of the full problem.
        """)
    var hierarchical = false

    @Option(help: """
        Integration method: auto (Dormand–Prince, switching to Rodas5P on stiffness), dopri5, rodas4 or rodas5p \
        (default: auto for --nominal, rodas5p for fitting: the sensitivity systems of the shared problems are \
        stiff at fitting tolerances, where auto's stiffness test fires late or not at all).
        """)
    var solver: String?

    func validate() throws {
        let fitting = starts != nil || !initial.isEmpty
        guard nominal != fitting else { throw ValidationError("give either --nominal or --starts N (or --initial)") }
        if let starts { guard starts >= 1 else { throw ValidationError("--starts must be at least 1") } }
        if fitting { guard out != nil else { throw ValidationError("fitting needs --out DIR") } }
        if let mcmc { guard mcmc >= 100 else { throw ValidationError("--mcmc needs at least 100 iterations") } }
        if let solver, SolverMethod(rawValue: solver) == nil {
            throw ValidationError("unknown solver '\(solver)'; choose one of \(SolverMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (rtol ?? 1) > 0, (atol ?? 0) >= 0, threads >= 1, maxSteps >= 1, maxIterations >= 1, maxResamples >= 0, restarts >= 0 else {
            throw ValidationError("--rtol must be positive, --atol, --max-resamples and --restarts non-negative, --threads, --max-steps and --max-iterations at least 1")
        }
        _ = try selectedStarts()
    }

    /// The method `--solver` names, or `fallback`.
    func method(default fallback: SolverMethod) -> SolverMethod {
        solver.flatMap(SolverMethod.init(rawValue:)) ?? fallback
    }

    func run() throws {
        try reportingInputErrors {
            let petab = try PEtabReader.read(contentsOf: URL(fileURLWithPath: problem))
            if nominal { try printNominal(petab) } else { try fit(petab) }
        }
    }

    func printNominal(_ petab: PEtabProblem) throws {
        let objective = try PEtabObjective(petab, options: SolverOptions(method: method(default: .auto), relativeTolerance: rtol ?? 1e-10,
                                                                        absoluteTolerance: atol ?? 1e-14, maxSteps: 1_000_000),
                                           computesGradient: false)
        let x = objective.nominalPoint
        let nll = objective.negativeLogLikelihood(at: x)
        guard nll.isFinite else {
            let failures = objective.simulationFailures(at: x)
            throw InputError("\(petab.name): the objective is not finite at the nominal parameters"
                + (failures.isEmpty ? "" : " (" + failures.joined(separator: "; ") + ")"))
        }
        print("problem\t\(petab.name)")
        print("parameters\t\(objective.parameterCount)")
        print("measurements\t\(petab.measurements.count)")
        print("nll\t\(nll)")
        if petab.parameters.contains(where: { $0.prior != nil }) {
            print("prior_nll\t\(objective.priorNegativeLogDensity(at: x))")
        }
    }

    /// The method `--optimiser` names.
    func localOptimiser(_ options: OptimisationOptions) -> any LocalOptimiser {
        switch optimiser {
        case .trf: ReflectiveTrustRegion(options: options)
        case .lm: TrustRegionLeastSquares(options: options)
        case .qn: ProjectedQuasiNewton(options: options)
        }
    }

    /// The start indices that `--shard K/M` or `--only-starts LIST` select (nil: all).
    func selectedStarts() throws -> [Int]? {
        guard shard == nil || onlyStarts == nil else { throw ValidationError("give either --shard or --only-starts") }
        let total = starts ?? 0
        if let shard {
            let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let k = Int(parts[0]), let m = Int(parts[1]), m >= 1, k >= 0, k < m else {
                throw ValidationError("--shard must be K/M with 0 ≤ K < M, got '\(shard)'")
            }
            return MultiStart.shard(k, of: m, starts: total)
        }
        guard let onlyStarts else { return nil }
        do {
            return try MultiStart.selection(parsing: onlyStarts, starts: total)
        } catch let error as InferenceInputError {
            throw ValidationError("--only-starts: \(error.reason)")
        }
    }

    /// The start points `--initial` names, over every estimated parameter of `objective` (optimisation scale).
    func givenStarts(_ objective: PEtabObjective) throws -> [[Double]] {
        try initial.map { source in
            if source == "nominal" { return objective.nominalPoint }
            let table = try PEtabReader.readParameterTable(contentsOf: URL(fileURLWithPath: source))
            return try objective.point(from: table, file: source)
        }
    }

    func fit(_ petab: PEtabProblem) throws {
        guard let out else { return }
        let starts = self.starts ?? 0
        let objective = try PEtabObjective(petab, options: SolverOptions(method: method(default: .rodas5p), relativeTolerance: rtol ?? 1e-8,
                                                                        absoluteTolerance: atol ?? 1e-10, maxSteps: maxSteps))
        let given = try givenStarts(objective)   // read before the output folder is made: a bad table leaves nothing behind
        try prepareOutputFolder(out)
        let optimiser = localOptimiser(OptimisationOptions(maxIterations: maxIterations))
        // One line per finished start on standard error, so that a run cut short still says how far it got.
        var multiStart = MultiStart(starts: starts, seed: seed, threads: threads, maxResamples: maxResamples,
                                    selection: try selectedStarts(), restarts: restarts)
        let report: @Sendable (StartRun) -> Void = { run in
            let r = run.result
            FileHandle.standardError.write(Data("start \(run.index)\tvalue \(r.value)\texit \(r.exit.rawValue)\tseconds \(r.seconds)\n".utf8))
        }
        let fits: MultiStartResult
        if hierarchical {
            let reduced = HierarchicalPEtabObjective(objective)
            print("hierarchical\t\(reduced.scalingParameterNames.joined(separator: ", "))")
            multiStart.givenStarts = given.map(reduced.outerPoint)
            fits = reduced.expand(try multiStart.run(reduced, optimiser: optimiser, progress: report))
        } else {
            multiStart.givenStarts = given
            fits = try multiStart.run(objective, optimiser: optimiser, progress: report)
        }
        let statistics = ConvergenceStatistics(fits)
        let directory = URL(fileURLWithPath: out)
        let scales = petab.parameters.filter(\.estimate).map(\.scale)
        let provenance = ["program": "twin \(Twin.version)", "modelHash": objective.compiled.modelHash,
                          "problem": petab.name, "seed": "\(seed)", "starts": "\(starts)",
                          "restarts": "\(restarts)", "initial": initial.joined(separator: ", "),
                          "selection": shard.map { "shard \($0)" } ?? onlyStarts ?? "all"]
        var written = try FitOutputs.write(fits, objective: objective, scales: scales, table: petab.parameters, to: directory, title: petab.name,
                                           provenance: provenance)
        print("problem\t\(petab.name)")
        print("best\t\(statistics.bestValue)")
        print("converged\t\(statistics.converged)/\(statistics.starts) within \(statistics.tolerance) of the best (\(statistics.failed) failed)")
        print("seconds_per_converged_start\t\(statistics.secondsPerConvergedStart)")
        print("wall_seconds\t\(statistics.wallSeconds)")
        print("solver_work\t\(objective.solverWork.summary)")
        guard let best = fits.best else { throw InputError("\(petab.name): every start failed (see \(out)/convergence.json)") }
        written += try FitPlot.write(FitComparison(objective, at: best.result.x), to: directory)
        if profiles {
            let result = try ProfileLikelihood(threads: threads).profileAll(objective, optimum: best.result.x, optimiser: optimiser)
            written.append(try write(UncertaintyTables.profilesTSV(result), "profiles.tsv", in: directory))
            written.append(try write(UncertaintyTables.intervalsTSV(result), "intervals.tsv", in: directory))
            for p in result {
                written.append(try write(ProfilePlot.svg(p), "profile-\(safe(p.parameterName)).svg", in: directory))
            }
        }
        if let iterations = mcmc {
            let chainStarts = Array(fits.runs.filter { !$0.isFailed }.prefix(4).map(\.result.x))
            let starts4 = chainStarts.count >= 2 ? chainStarts : Array(repeating: best.result.x, count: 4)
            let run = try AdaptiveMetropolis(options: MCMCOptions(iterations: iterations, burnIn: iterations / 4, seed: seed,
                                                                  threads: threads)).sample(objective, starts: starts4)
            written.append(try write(UncertaintyTables.samplesTSV(run), "samples.tsv", in: directory))
            for d in run.diagnostics {
                print("mcmc\t\(d.parameterName)\tmean \(d.mean)\tsd \(d.standardDeviation)\tESS \(d.bulkEffectiveSampleSize)\tR-hat \(d.rankRHat)")
            }
        }
        print("wrote\t" + written.map(\.lastPathComponent).joined(separator: ", "))
    }

    private func write(_ text: String, _ name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try writeNewFile(text, to: url.path)
        return url
    }

    private func safe(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
    }
}

/// The local optimisers `twin fit --optimiser` offers.
enum OptimiserName: String, CaseIterable, ExpressibleByArgument {
    case trf, lm, qn
}
