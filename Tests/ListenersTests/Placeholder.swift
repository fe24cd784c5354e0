import Testing
// Placeholder; replace with real tests.
@Test func placeholderListenersTests() { #expect(Bool(true)) }
