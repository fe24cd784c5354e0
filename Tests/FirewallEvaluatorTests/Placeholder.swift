import Testing
// Placeholder; replace with real tests.
@Test func placeholderFirewallEvaluatorTests() { #expect(Bool(true)) }
