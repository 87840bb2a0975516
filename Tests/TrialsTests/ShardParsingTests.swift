import Testing
@testable import Trials

@Suite struct ShardParsingTests {
    @Test func explicitShards() throws {
        #expect(try Shard.parse(nil, environment: [:]) == .whole)
        #expect(try Shard.parse("2/8", environment: [:]) == Shard(index: 2, count: 8))
        for bad in ["0/3", "4/3", "1/0", "a/b", "1/2/3", "2", "/3"] {
            #expect(throws: TrialError.self, "\(bad)") { try Shard.parse(bad, environment: [:]) }
        }
    }

    @Test func slurmArrays() throws {
        #expect(try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "4"]) == Shard(index: 1, count: 4))
        #expect(try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"]) == Shard(index: 4, count: 4))
        // an array declared --array=1-4 numbers its tasks from SLURM_ARRAY_TASK_MIN
        #expect(try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4",
                                                      "SLURM_ARRAY_TASK_MIN": "1"]) == Shard(index: 1, count: 4))
        #expect(throws: TrialError.self) {
            try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"])
        }
    }

    @Test func kubernetesIndexedJobs() throws {
        #expect(try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "2", "TWIN_SHARD_COUNT": "3"]) == Shard(index: 3, count: 3))
        #expect(throws: TrialError.self) { try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "2"]) }
        #expect(throws: TrialError.self) { try Shard.parse("auto", environment: [:]) }
    }
}
