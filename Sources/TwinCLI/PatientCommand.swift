import ArgumentParser
import Foundation
import ImmuneTwin
import Twins

/// `twin patient create|observe|forecast|treat|show|validate`: one patient's digital twin in a single SQLite file.
struct PatientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient",
        abstract: "Patient digital twins: personalise from data, update, forecast, rank treatments.",
        subcommands: [PatientCreate.self, PatientObserve.self, PatientForecast.self, PatientTreat.self, PatientShow.self,
                      PatientValidate.self, PatientBench.self])
}

/// `--mcmc`: sample the posterior by adaptive Metropolis as well as the Laplace approximation.
struct MCMCOptionGroup: ParsableArguments {
    @Flag(name: .long, help: "Also sample the posterior by adaptive Metropolis (stored; forecasts and rankings then use the samples).")
    var mcmc = false
    @Option(name: .customLong("mcmc-iterations"), help: "Iterations per chain (a quarter is burn-in).") var iterations: Int = 4000
    @Option(name: .customLong("mcmc-chains"), help: "Chains (started at the MAP and at Laplace draws).") var chains: Int = 4
    @Option(name: .customLong("mcmc-seed"), help: "Seed of the chains.") var seed: UInt64 = 1

    var request: PatientTwin.MCMCRequest? {
        mcmc ? PatientTwin.MCMCRequest(chains: chains, iterations: iterations, seed: seed,
                                       threads: ProcessInfo.processInfo.activeProcessorCount) : nil
    }
}

/// Options shared by the commands that read patient data.
struct PatientDataOptions: ParsableArguments {
    @Option(name: .long, help: "Observations: CSV in long format (time,observable,value[,sd]) or a FHIR R4 JSON bundle.")
    var data: String

    @Option(name: .customLong("fhir-mapping"), help: "YAML mapping FHIR codes and UCUM units to observables (required for FHIR JSON).")
    var fhirMapping: String?

    func load(observables: [String]) throws -> [PatientObservation] {
        let url = URL(fileURLWithPath: data)
        guard FileManager.default.fileExists(atPath: data) else { throw InputError("no such file: \(data)") }
        if url.pathExtension.lowercased() == "json" {
            guard let fhirMapping else { throw InputError("\(data) is JSON (FHIR): pass --fhir-mapping MAPPING.yaml") }
            let mapping = try FHIRMapping.read(contentsOf: URL(fileURLWithPath: fhirMapping))
            let output = try FHIRBundleReader.read(contentsOf: url, mapping: mapping)
            for s in output.skipped { FileHandle.standardError.write(Data("twin: skipped \(s)\n".utf8)) }
            return output.observations
        }
        return try LongCSVReader.read(contentsOf: url, knownObservables: Set(observables))
    }
}

struct PatientCreate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a twin: fit the individual parameters (MAP + Laplace).")

    @Option(name: .long, help: "A built-in model name (see `twin models list`).")
    var model: String?

    @Option(name: .long, help: "Prior spec YAML (model, parameters, errors) or a trial spec; default: the library's population variability.")
    var prior: String?

    @Option(name: .customLong("error-sd"), help: "Measurement SD of each clinical observable when the prior gives none (observable scale).")
    var errorSD: Double = 0.5

    @OptionGroup var input: PatientDataOptions

    @Option(name: .long, help: "The twin file to create (never overwritten).")
    var out: String

    @OptionGroup var sampling: MCMCOptionGroup

    func run() throws {
        try reportingInputErrors {
            let spec: TwinPrior
            if let prior {
                guard let text = try? String(contentsOfFile: prior, encoding: .utf8) else { throw InputError("cannot read \(prior)") }
                spec = try TwinPrior.read(yaml: text, file: prior, defaultErrorSD: errorSD)
                if let model, model != spec.model { throw InputError("--model \(model) differs from the prior's model \(spec.model)") }
            } else {
                guard let model else { throw ValidationError("give --model NAME or --prior SPEC.yaml") }
                spec = try TwinPrior.fromLibrary(model, errorSD: errorSD)
            }
            let patient = try PatientModel(prior: spec)
            let observations = try input.load(observables: patient.observables)
            let posterior = try PatientTwin.create(path: out, prior: spec, observations: observations, mcmc: sampling.request,
                                                   programVersion: Twin.version)
            print("created \(out): \(spec.model), \(observations.count) observations, objective \(String(format: "%.4f", posterior.objective))\(posterior.converged ? "" : " (optimiser did not converge)")")
            for line in try TwinStore.open(path: out).history().last?.changes ?? [] { print("  \(line)") }
        }
    }
}

struct PatientObserve: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "observe", abstract: "Assimilate new observations into a twin.")

    @Argument(help: "The twin file.") var twin: String
    @OptionGroup var input: PatientDataOptions
    @OptionGroup var sampling: MCMCOptionGroup

    func run() throws {
        try reportingInputErrors {
            let prior = try TwinStore.open(path: twin).prior()
            let observations = try input.load(observables: try PatientModel(prior: prior).observables)
            let update = try PatientTwin.observe(path: twin, observations: observations, mcmc: sampling.request,
                                                 programVersion: Twin.version)
            print("updated \(twin): objective \(String(format: "%.4f", update.after.objective))")
            for line in update.changes { print("  \(line)") }
        }
    }
}

struct PatientForecast: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forecast", abstract: "Forecast the observables with 50 % and 90 % intervals.")

    @Argument(help: "The twin file.") var twin: String
    @Option(name: .long, help: "Forecast horizon (model time units, from the model's time 0).") var horizon: Double
    @Option(name: .long, help: "A regimen name from --options.") var regimen: String?
    @Option(name: .long, help: "Regimens YAML (for --regimen).") var options: String?
    @Option(name: .long, help: "Posterior draws.") var draws: Int = 400
    @Option(name: .long, help: "Seed of the posterior draws.") var seed: UInt64 = 1
    @Option(name: .long, help: "Output folder for forecast.csv (and forecast.svg); must not exist or be empty.") var out: String

    func run() throws {
        try reportingInputErrors {
            let store = try TwinStore.open(path: twin)
            let model = try PatientModel(prior: try store.prior())
            var chosen: Regimen?
            if let regimen {
                guard let options else { throw ValidationError("--regimen needs --options REGIMENS.yaml") }
                let all = try TreatmentOptions.read(yaml: try String(contentsOfFile: options, encoding: .utf8), file: options)
                guard let r = all.regimens.first(where: { $0.name == regimen }) else {
                    throw InputError("no regimen \(regimen) in \(options); have \(all.regimens.map(\.name).joined(separator: ", "))")
                }
                chosen = r
            }
            guard draws > 1 else { throw ValidationError("--draws must be at least 2") }
            let sample = try PatientTwin.posteriorSample(store: store, model: model, draws: draws, seed: seed)
            let forecast = try Forecast.make(model: model, sample: sample, horizon: horizon, seed: seed, regimen: chosen,
                                             threads: ProcessInfo.processInfo.activeProcessorCount)
            try prepareOutputFolder(out)
            try writeNewFile(forecast.csv(), to: out + "/forecast.csv")
            try writeNewFile(ForecastPlot.svg(forecast, observations: try store.observations(), timeUnit: model.timeUnit),
                             to: out + "/forecast.svg")
            print("forecast of \(twin) to \(horizon) \(model.timeUnit)\(chosen.map { " under \($0.name)" } ?? ""): \(out)/forecast.csv, \(out)/forecast.svg")
            if !forecast.failed.isEmpty { print("  failed draws: \(forecast.failed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))") }
        }
    }
}

struct PatientTreat: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "treat", abstract: "Rank candidate regimens under posterior uncertainty.")

    @Argument(help: "The twin file.") var twin: String
    @Option(name: .long, help: "Regimens YAML.") var options: String
    @Option(name: .long, help: "[max:]auc|peak|final|time_above:OBSERVABLE[:THRESHOLD] (smaller is better unless max:).") var objective: String
    @Option(name: .long, help: "Horizon over which the outcome is measured (model time units).") var horizon: Double
    @Option(name: .long, help: "Posterior draws.") var draws: Int = 400
    @Option(name: .long, help: "Seed of the posterior draws.") var seed: UInt64 = 1

    func run() throws {
        try reportingInputErrors {
            let store = try TwinStore.open(path: twin)
            let model = try PatientModel(prior: try store.prior())
            let posterior = try store.posterior()
            let choices = try TreatmentOptions.read(yaml: try String(contentsOfFile: options, encoding: .utf8), file: options)
            let measure = try OutcomeMeasure(parsing: objective)
            let threads = ProcessInfo.processInfo.activeProcessorCount
            let sample = try PatientTwin.posteriorSample(store: store, model: model, draws: draws, seed: seed)
            let ranking = try TreatmentRanking.rank(model: model, sample: sample, regimens: choices.regimens, measure: measure,
                                                    horizon: horizon, threads: threads)
            print("rank,regimen,mean,median,lower90,upper90,p_best,failed_draws")
            for (i, r) in ranking.enumerated() {
                print("\(i + 1),\(r.regimen.name),\(r.mean),\(r.median),\(r.lower90),\(r.upper90),\(r.probabilityBest),\(r.failedDraws)")
            }
            if let search = choices.search, let base = choices.regimens.first(where: { $0.name == search.base }) {
                let best = try TreatmentRanking.optimise(model: model, posterior: posterior, base: base, search: search, measure: measure,
                                                         horizon: horizon, seed: seed, threads: threads)
                print("optimised \(search.base): \(search.input) = \(best.value) gives expected \(measure) = \(best.outcome)")
            }
        }
    }
}

struct PatientShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a twin's model, posterior and history.")
    @Argument(help: "The twin file.") var twin: String

    func run() throws {
        try reportingInputErrors {
            let store = try TwinStore.open(path: twin)
            let prior = try store.prior()
            print("twin \(twin): model \(prior.model) (hash \(try store.modelHash())), \(try store.observations().count) observations")
            for u in try store.history() {
                print("update \(u.id) \(u.kind) at \(u.created) (+\(u.addedObservations) observations, program \(u.programVersion))")
                for line in u.changes { print("  \(line)") }
            }
        }
    }
}

/// Refuses to write into a non-empty folder (nothing the user wrote is overwritten); creates it otherwise.
func prepareOutputFolder(_ path: String) throws {
    let fm = FileManager.default
    if let existing = try? fm.contentsOfDirectory(atPath: path), !existing.isEmpty {
        throw InputError("\(path) exists and is not empty; choose another --out (results are never overwritten)")
    }
    try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
}
