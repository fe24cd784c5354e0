import Testing
// Placeholder; replace with real tests.
@Test func placeholderAuditTests() { #expect(Bool(true)) }
