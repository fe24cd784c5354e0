import Testing
import TestSupport

/// The kernel is the oracle: for every ruleset, real connections in a namespace pair decide what
/// is right, and the evaluator (fed by the netlink reader) must agree for both families and both
/// source prefixes, concretely and in its symbolic summary.
@Suite(.enabled(if: TestEnvironment.kernelTestsEnabled, "needs root (always runs under CI=true)"))
struct OracleTests {
    @Test(arguments: OracleRulesets.all)
    func evaluatorAgreesWithTheKernel(_ c: OracleCase) throws {
        try OracleHarness.run(c)
    }

    @Test func thereAreAtLeast25DistinctRulesets() {
        #expect(OracleRulesets.all.count >= 25)
        #expect(Set(OracleRulesets.all.map(\.name)).count == OracleRulesets.all.count)
    }
}
