import Testing
// Placeholder; replace with real tests.
@Test func placeholderTLSWireTests() { #expect(Bool(true)) }
