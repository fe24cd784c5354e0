import Testing
@testable import Reports

/// The renderers' number, column and URI formatting, done without Foundation.
struct TextFormattingTests {
    @Test(arguments: [
        (0.0, 3, "0.000"), (1.2345, 3, "1.234"), (1.2355, 3, "1.236"), (0.0005, 3, "0.001"), (2.5, 0, "2"),
        (12.999, 2, "13.00"), (1_764_412_800.123, 3, "1764412800.123"), (-0.25, 1, "-0.2"),
    ])
    func fixedDecimalsAsPrintfWritesThem(value: Double, digits: Int, text: String) {
        #expect(TextFormatting.fixed(value, digits: digits) == text)
    }

    @Test func columnsArePaddedOrCut() {
        #expect(TextFormatting.column("HIGH", 8) == "HIGH    ")
        #expect(TextFormatting.column("not-applicable", 8) == "not-appl")
        #expect(TextFormatting.column("", 2) == "  ")
        #expect(TextFormatting.column("exact", 5) == "exact")
    }

    @Test func pathsArePercentEncodedLikeURLPathAllowed() {
        #expect(TextFormatting.percentEncodedPath("/etc/portcullis/site.yaml") == "/etc/portcullis/site.yaml")
        #expect(TextFormatting.percentEncodedPath("/srv/my policies/a+b;c=d@e:f.yaml") == "/srv/my%20policies/a+b;c=d@e:f.yaml")
        #expect(TextFormatting.percentEncodedPath("/tmp/100%/é?#") == "/tmp/100%25/%C3%A9%3F%23")
    }
}
