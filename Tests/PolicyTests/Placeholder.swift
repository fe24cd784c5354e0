import Testing
// Placeholder; replace with real tests.
@Test func placeholderPolicyTests() { #expect(Bool(true)) }
