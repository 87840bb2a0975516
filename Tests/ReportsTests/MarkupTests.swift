import Testing
@testable import Reports

@Suite struct MarkupTests {
    @Test func escapesAllFiveCharactersAndControls() {
        #expect(Markup.escape("a<b & \"c\" > 'd'") == "a&lt;b &amp; &quot;c&quot; &gt; &#39;d&#39;")
        #expect(Markup.escape("x\u{1}y\ttab") == "x\u{FFFD}y\ttab")
        #expect(Markup.escape("µ 5–95 %") == "µ 5–95 %")
    }

    @Test(arguments: [
        (0.0, 2, "0.00"), (-0.004, 2, "0.00"), (1.005, 0, "1"), (2.5, 0, "3"), (-2.5, 0, "-3"), (123.456, 2, "123.46"),
        (-0.125, 2, "-0.13"), (0.07, 3, "0.070"), (1e20, 2, "1e20"),
    ])
    func fixedNotation(value: Double, decimals: Int, expected: String) {
        #expect(Markup.fixed(value, decimals: decimals) == expected)
    }

    @Test(arguments: [
        (0.0, "0"), (1.0, "1"), (0.5, "0.5"), (123456.0, "123456"), (0.000123456, "0.0001235"), (2.5e-7, "2.5e-7"),
        (3.0e9, "3e9"), (-42.0, "-42"), (Double.nan, "NaN"), (-Double.infinity, "-inf"), (9.99999e6, "1e7"),
    ])
    func readableNumbers(value: Double, expected: String) {
        #expect(Markup.readable(value) == expected)
    }
}

@Suite struct TickTests {
    @Test func linearTicksAreNiceAndCoverTheData() {
        let t = Ticks.make(low: 0.13, high: 9.7, scale: .linear)
        #expect(t.values == [0, 2, 4, 6, 8, 10])
        #expect(t.labels == ["0", "2", "4", "6", "8", "10"])
        #expect(t.range == 0...10)
        let small = Ticks.make(low: -0.031, high: 0.052, scale: .linear)
        #expect(small.labels == ["-0.04", "-0.02", "0.00", "0.02", "0.04", "0.06"])
    }

    @Test func fixedRangeIsNotWidened() {
        let t = Ticks.make(low: 0, high: 1, scale: .linear, widen: false)
        #expect(t.range == 0...1 && t.values.first == 0 && t.values.last == 1)
        #expect(t.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func logTicksArePowersOfTen() {
        let t = Ticks.make(low: 3e2, high: 4.2e7, scale: .log10)
        #expect(t.values == [100, 1_000, 10_000, 100_000, 1e6, 1e7, 1e8])
        #expect(t.labels == ["100", "1000", "10000", "100000", "1e6", "1e7", "1e8"])
        #expect(t.range == 100...1e8)
        let wide = Ticks.make(low: 1e-12, high: 1e12, scale: .log10)
        #expect(wide.values.count <= 7 && wide.values.first == 1e-12)
        let narrow = Ticks.make(low: 2, high: 3, scale: .log10)
        #expect(narrow.values == [1, 10])
    }

    @Test func degenerateAndNonFiniteRanges() {
        let flat = Ticks.make(low: 5, high: 5, scale: .linear)
        #expect(flat.range.lowerBound < 5 && flat.range.upperBound > 5)
        #expect(Ticks.make(low: .nan, high: 1, scale: .linear).range == 0...1)
        #expect(Ticks.make(low: -1, high: 0, scale: .log10).range == 1...10)
    }
}
