/// One output of a program whose every result is a register the program does not write (`copy`), or one
/// quotient or product of two such registers (species concentrations: amount × the hoisted reciprocal of a
/// constant compartment size, or amount / a varying size). Such
/// outputs are evaluated directly, with the interpreter's IEEE operation, but without its dispatch per
/// operation (`BatchIntegrator.record`).
struct DirectOutput: Sendable {
    enum Kind: UInt8, Sendable { case copy, divide, multiply }
    var kind: Kind
    var a: Int32
    var b: Int32

    @inline(__always)
    func value(_ registers: UnsafePointer<Double>) -> Double {
        switch kind {
        case .copy: return registers[Int(a)]
        case .divide: return registers[Int(a)] / registers[Int(b)]
        case .multiply: return registers[Int(a)] * registers[Int(b)]
        }
    }

    /// The direct form of `program`'s results, or nil when some result needs more than one operation (or an
    /// operation other than `div`/`mul`), or the program has an instruction no result uses.
    static func plan(_ program: Program) -> [DirectOutput]? {
        var writer: [Int32: Instruction] = [:]
        for instruction in program.code {
            guard instruction.op == .div || instruction.op == .mul, writer[instruction.dst] == nil else { return nil }
            writer[instruction.dst] = instruction
        }
        for instruction in program.code where writer[instruction.a] != nil || writer[instruction.b] != nil {
            return nil
        }
        guard Set(program.results).isSuperset(of: writer.keys) else { return nil }
        return program.results.map { r in
            guard let instruction = writer[r] else { return DirectOutput(kind: .copy, a: r, b: r) }
            return DirectOutput(kind: instruction.op == .div ? .divide : .multiply, a: instruction.a, b: instruction.b)
        }
    }
}
