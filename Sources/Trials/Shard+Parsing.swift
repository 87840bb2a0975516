extension Shard {
    /// Parses `--shard I/N` (I from 1 to N) or `auto`, which reads the array-job environment:
    /// Slurm (`SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT`, and `SLURM_ARRAY_TASK_MIN` when the array does not
    /// start at 0) or a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, 0-based, with `TWIN_SHARD_COUNT` set to the
    /// Job's completions, since Kubernetes does not export the count). nil text means the whole trial.
    /// - Throws: `TrialError` naming the source of a malformed or out-of-range shard.
    public static func parse(_ text: String?, environment: [String: String]) throws -> Shard {
        guard let text else { return .whole }
        if text == "auto" {
            if let id = environment["SLURM_ARRAY_TASK_ID"].flatMap(Int.init),
               let count = environment["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init) {
                let minimum = environment["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
                return try make(id - minimum + 1, count, "SLURM_ARRAY_TASK_ID")
            }
            if let id = environment["JOB_COMPLETION_INDEX"].flatMap(Int.init) {
                guard let count = environment["TWIN_SHARD_COUNT"].flatMap(Int.init) else {
                    throw TrialError("--shard auto with JOB_COMPLETION_INDEX needs TWIN_SHARD_COUNT (the Job's completions)")
                }
                return try make(id + 1, count, "JOB_COMPLETION_INDEX")
            }
            throw TrialError("--shard auto needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX and TWIN_SHARD_COUNT")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw TrialError("--shard must be I/N (e.g. 2/8) or auto, got '\(text)'")
        }
        return try make(i, n, "--shard")
    }

    private static func make(_ i: Int, _ n: Int, _ source: String) throws -> Shard {
        guard n >= 1, i >= 1, i <= n else { throw TrialError("\(source): shard \(i)/\(n) is not between 1/\(n) and \(n)/\(n)") }
        return Shard(index: i, count: n)
    }
}
