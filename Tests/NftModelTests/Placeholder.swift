import Testing
// Placeholder; replace with real tests.
@Test func placeholderNftModelTests() { #expect(Bool(true)) }
