import Testing
// Placeholder; replace with real tests.
@Test func placeholderTLSProbeTests() { #expect(Bool(true)) }
