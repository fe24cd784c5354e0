import Testing
@testable import TLSProbe
