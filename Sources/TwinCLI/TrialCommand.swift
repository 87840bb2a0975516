import ArgumentParser
import Foundation
import ImmuneTwin

struct TrialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial", abstract: "Run, merge and report virtual clinical trials (spec format: docs/trial-spec.md).",
        subcommands: [TrialRunCommand.self, TrialMergeCommand.self, TrialReportCommand.self])
}

struct TrialRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a trial spec (or one shard of it) into a new output folder.")

    @Argument(help: "The trial spec (YAML).")
    var spec: String
    @Option(help: "Output folder (created; an existing non-empty folder is refused).")
    var out: String
    @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
    var threads: Int?
    @Option(help: "Run shard I of N (I from 1), or 'auto' (SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with TWIN_SHARD_COUNT).")
    var shard: String?
    @Option(help: "Override the spec's seed.")
    var seed: UInt64?

    func run() throws {
        try reportingInputErrors {
            let shard: Shard
            do { shard = try Shard.parse(self.shard, environment: ProcessInfo.processInfo.environment) } catch {
                throw ValidationError("\(error)")
            }
            let url = URL(fileURLWithPath: spec)
            guard let data = FileManager.default.contents(atPath: spec) else { throw InputError("cannot read \(spec)") }
            var text = String(decoding: data, as: UTF8.self)
            if let seed {
                // the output's trial.yaml must say which seed ran, so that merge and report read the same spec
                text = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    line.hasPrefix("seed:") ? "seed: \(seed)  # set by --seed" : String(line)
                }.joined(separator: "\n")
            }
            let parsed = try TrialSpec.parse(text, file: spec)
            let plan = try TrialPlan(parsed, specText: text, directory: url.deletingLastPathComponent())
            try TrialCLI.run(plan: plan, shard: shard, threads: threads, out: out,
                             specDirectory: url.deletingLastPathComponent().standardizedFileURL.path)
        }
    }
}

struct TrialMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge the shard folders of one trial into a new folder.")

    @Argument(help: "Shard output folders.")
    var directories: [String]
    @Option(help: "Output folder (created; an existing non-empty folder is refused).")
    var out: String

    func run() throws {
        try reportingInputErrors {
            try TrialOutput.merge(directories, into: out, programVersion: "twin \(Twin.version)", report: TrialCLI.report)
            print("merged \(directories.count) shard(s) into \(out): patients.csv, summary.json, report.html")
        }
    }
}

struct TrialReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Render report.html of a trial output folder (from its patients.csv and trajectories.csv).")

    @Argument(help: "A whole-trial output folder (a single run or a merge).")
    var directory: String

    func run() throws {
        try reportingInputErrors {
            try TrialOutput.report(directory, programVersion: "twin \(Twin.version)", renderer: TrialCLI.report!)
            print("wrote \(directory)/report.html")
        }
    }
}

/// Running a plan with progress on stderr, and the report renderer the CLI uses.
enum TrialCLI {
    static let report: TrialOutput.ReportRenderer? = { plan, rows, trajectories, summary in
        TrialReport.render(plan: plan, rows: rows, trajectories: trajectories, summary: summary, programVersion: "twin \(Twin.version)")
    }

    static func run(plan: TrialPlan, shard: Shard, threads: Int?, out: String, specDirectory: String) throws {
        var runner = TrialRunner(plan: plan, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let showProgress = isatty(STDERR_FILENO) == 1
        runner.chunkSize = 4096
        let clock = ContinuousClock()
        let start = clock.now
        let result = try runner.run(shard: shard) { done, total in
            guard showProgress else { return }
            let width = 30, filled = total == 0 ? width : width * done / total
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) patients".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        let seconds = (clock.now - start).seconds
        try TrialOutput.write(result, plan: plan, programVersion: "twin \(Twin.version)", to: out,
                              specDirectory: specDirectory, report: report)
        let failed = result.rows.filter { $0.status != "success" }.count
        print("\(plan.spec.name): \(result.rows.count) rows (shard \(shard)), \(failed) not successful, in \(String(format: "%.2f", seconds)) s")
        print("wrote \(out)/patients.csv, \(out)/summary.json" + (shard.count == 1 && report != nil ? ", \(out)/report.html" : ""))
    }
}
