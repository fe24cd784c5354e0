import Testing
// Placeholder; replace with real tests.
@Test func placeholderCLITests() { #expect(Bool(true)) }
