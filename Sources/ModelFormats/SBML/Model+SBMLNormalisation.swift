import ModelIR

extension Model {
    /// The model rewritten into constructs SBML Level 3 core can express, with the same meaning.
    ///
    /// Level 2 `stoichiometryMath` has no Level 3 form: each species reference that has one gets an id
    /// (its own, or `<reaction>_<species>_stoichiometry` made unique), becomes non-constant with no
    /// stoichiometry attribute, and an assignment rule `id := math` is appended to `rules`. Everything
    /// else is unchanged, so for a model read from Level 3 this returns the model itself.
    public func normalisedForSBMLLevel3() -> Model {
        var m = self
        var taken = Set(symbolTable.keys)
        for ri in m.reactions.indices {
            for side in [\Reaction.reactants, \Reaction.products] {
                for i in m.reactions[ri][keyPath: side].indices {
                    var ref = m.reactions[ri][keyPath: side][i]
                    guard let math = ref.stoichiometryMath else { continue }
                    let id: String
                    if let existing = ref.id {
                        id = existing
                    } else {
                        let base = "\(m.reactions[ri].id)_\(ref.species)_stoichiometry"
                        var candidate = base
                        var n = 2
                        while taken.contains(candidate) {
                            candidate = "\(base)\(n)"
                            n += 1
                        }
                        id = candidate
                    }
                    taken.insert(id)
                    ref.id = id
                    ref.stoichiometry = nil
                    ref.constant = false
                    ref.stoichiometryMath = nil
                    m.reactions[ri][keyPath: side][i] = ref
                    m.rules.append(.assignment(variable: id, math: math))
                }
            }
        }
        return m
    }
}
