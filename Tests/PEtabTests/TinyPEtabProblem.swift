import Foundation

/// A PEtab problem small enough to solve by hand: `A' = -k·A`, `A(0) = A0` (an initial assignment), so
/// `A(t) = A0·exp(-k t)`. Two conditions (the second sets A0 = 2), two observables (scaled lin/normal
/// and offset log10/Laplace), observable and noise parameters from the parameter table and numbers.
enum TinyPEtabProblem {
    static let sbml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
          <model id="decay">
            <listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments>
            <listOfSpecies>
              <species id="A" compartment="c" initialConcentration="0" hasOnlySubstanceUnits="false"
                       boundaryCondition="false" constant="false"/>
            </listOfSpecies>
            <listOfParameters>
              <parameter id="k" value="1" constant="true"/>
              <parameter id="A0" value="1" constant="true"/>
            </listOfParameters>
            <listOfInitialAssignments>
              <initialAssignment symbol="A"><math xmlns="http://www.w3.org/1998/Math/MathML"><ci>A0</ci></math></initialAssignment>
            </listOfInitialAssignments>
            <listOfReactions>
              <reaction id="R" reversible="false">
                <listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/></listOfReactants>
                <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML">
                  <apply><times/><ci>c</ci><ci>k</ci><ci>A</ci></apply></math></kineticLaw>
              </reaction>
            </listOfReactions>
          </model>
        </sbml>
        """

    static let yaml = """
        format_version: 1
        parameter_file: parameters.tsv
        problems:
        - condition_files: [conditions.tsv]
          measurement_files: [measurements.tsv]
          observable_files: [observables.tsv]
          sbml_files: [model.xml]
        """

    static let conditions = "conditionId\tconditionName\tA0\nc0\tbase\t\nc1\thigh\t2\n"

    static let observables = """
        observableId\tobservableFormula\tnoiseFormula\tobservableTransformation\tnoiseDistribution
        obsA\tobservableParameter1_obsA * A\tnoiseParameter1_obsA\tlin\tnormal
        obsB\tA + offset\tsigma\tlog10\tlaplace

        """

    static let measurements = """
        observableId\tpreequilibrationConditionId\tsimulationConditionId\tmeasurement\ttime\tobservableParameters\tnoiseParameters
        obsA\t\tc0\t4.1\t0\tscale\t0.3
        obsA\t\tc0\t2.0\t1\tscale\t0.3
        obsA\t\tc0\t0.7\t2.5\tscale\tsigmaA
        obsB\t\tc0\t1.9\t1\t\t
        obsA\t\tc1\t2.8\t0.5\t1.5\t0.3
        obsB\t\tc1\t1.2\t2\t\t

        """

    static let parameters = """
        parameterId\tparameterScale\tlowerBound\tupperBound\tnominalValue\testimate
        k\tlog10\t0.01\t10\t0.5\t1
        A0\tlin\t0.1\t10\t3\t1
        scale\tlog10\t0.1\t10\t1.5\t1
        sigmaA\tlog\t0.01\t1\t0.2\t1
        sigma\tlin\t0.01\t1\t0.1\t1
        offset\tlin\t0\t10\t0.5\t0

        """

    /// Writes the problem into a fresh temporary folder (with `replacing` file contents swapped) and returns the YAML's URL.
    static func write(replacing: [String: String] = [:]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var files = ["problem.yaml": yaml, "model.xml": sbml, "conditions.tsv": conditions, "observables.tsv": observables,
                     "measurements.tsv": measurements, "parameters.tsv": parameters]
        for (k, v) in replacing { files[k] = v }
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir.appendingPathComponent("problem.yaml")
    }

    /// The NLL at parameters (k, A0, scale, sigmaA, sigma) on the linear scale, from the closed form
    /// A(t) = A0·exp(-k t) and petab's `calculate_single_llh` (negated):
    /// normal/lin `½log(2πσ²) + ½((h−m)/σ)²`; Laplace/log10 `log(2σ m ln10) + |log10 h − log10 m|/σ`.
    static func analyticNLL(k: Double, A0: Double, scale: Double, sigmaA: Double, sigma: Double) -> Double {
        func normal(_ m: Double, _ h: Double, _ s: Double) -> Double { 0.5 * log(2 * .pi * s * s) + 0.5 * pow((h - m) / s, 2) }
        func laplaceLog10(_ m: Double, _ h: Double, _ s: Double) -> Double { log(2 * s * m * log(10)) + abs(log10(h) - log10(m)) / s }
        let a = { (a0: Double, t: Double) in a0 * exp(-k * t) }
        return normal(4.1, scale * a(A0, 0), 0.3) + normal(2.0, scale * a(A0, 1), 0.3) + normal(0.7, scale * a(A0, 2.5), sigmaA)
            + laplaceLog10(1.9, a(A0, 1) + 0.5, sigma) + normal(2.8, 1.5 * a(2, 0.5), 0.3) + laplaceLog10(1.2, a(2, 2) + 0.5, sigma)
    }
}
