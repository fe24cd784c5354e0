import Testing
@testable import NetlinkRuleset
import NftModel

/// Interval sets come back from the kernel as reversed start/end markers; these pin the rebuild
/// rules (PLATFORM.md) without a kernel.
struct IntervalRebuilderTests {
    private func start(_ k: [UInt8], verdict: Verdict? = nil) -> RawSetElement { RawSetElement(key: k, verdict: verdict) }
    private func end(_ k: [UInt8]) -> RawSetElement { RawSetElement(key: k, flags: 1) }

    @Test func kernelOrderWithLeadingZeroMarker() {
        // { 10.0.0.0/8, 192.168.1.1 } as the kernel dumps it: descending, ends exclusive, zero marker last.
        let raw = [end([192, 168, 1, 2]), start([192, 168, 1, 1]), end([11, 0, 0, 0]), start([10, 0, 0, 0]), end([0, 0, 0, 0])]
        let out = IntervalRebuilder.elements(from: raw, interval: true)
        #expect(out == [SetElement(key: [10, 0, 0, 0], keyEnd: [10, 255, 255, 255]), SetElement(key: [192, 168, 1, 1])])
    }

    @Test func rangeToTopOfKeySpaceHasNoEnd() {
        let raw = [start([255, 255, 255, 0]), end([1, 0, 0, 0]), start([0, 0, 0, 0])]
        let out = IntervalRebuilder.elements(from: raw, interval: true)
        #expect(out == [SetElement(key: [0, 0, 0, 0], keyEnd: [0, 255, 255, 255]),
                        SetElement(key: [255, 255, 255, 0], keyEnd: [255, 255, 255, 255])])
    }

    @Test func adjacentRangesShareAKeyAndEndSortsFirst() {
        // [10.0.0.0/24] and [10.0.1.0/24] without auto-merge: end 10.0.1.0 and start 10.0.1.0 coexist.
        let raw = [end([10, 0, 2, 0]), start([10, 0, 1, 0]), end([10, 0, 1, 0]), start([10, 0, 0, 0]), end([0, 0, 0, 0])]
        let out = IntervalRebuilder.elements(from: raw, interval: true)
        #expect(out == [SetElement(key: [10, 0, 0, 0], keyEnd: [10, 0, 0, 255]), SetElement(key: [10, 0, 1, 0], keyEnd: [10, 0, 1, 255])])
    }

    @Test func shuffledInputIsSorted() {
        let raw = [start([0, 22]), end([0, 23]), end([0, 0]), end([7, 209]), start([3, 232])]
        let out = IntervalRebuilder.elements(from: raw, interval: true)
        #expect(out == [SetElement(key: [0, 22]), SetElement(key: [3, 232], keyEnd: [7, 208])])
    }

    @Test func twoStartsInARowEndBeforeTheSecond() {
        let raw = [start([0, 30]), start([0, 20])]
        let out = IntervalRebuilder.elements(from: raw, interval: true)
        #expect(out == [SetElement(key: [0, 20], keyEnd: [0, 29]), SetElement(key: [0, 30], keyEnd: [255, 255])])
    }

    @Test func intervalMapKeepsDataOfTheStart() {
        let raw = [end([0, 91]), start([0, 80], verdict: .drop), end([0, 0])]
        let out = IntervalRebuilder.elements(from: raw, interval: true)
        #expect(out == [SetElement(key: [0, 80], keyEnd: [0, 90], verdict: .drop)])
    }

    @Test func concatenatedRangesWithKeyEndPassThrough() {
        let e = RawSetElement(key: [10, 0, 0, 0, 0, 80, 0, 0], keyEnd: [10, 0, 0, 255, 0, 90, 0, 0])
        let out = IntervalRebuilder.elements(from: [e], interval: true)
        #expect(out == [SetElement(key: e.key, keyEnd: e.keyEnd)])
    }

    @Test func nonIntervalSetsAreNotTouched() {
        let out = IntervalRebuilder.elements(from: [start([0, 80]), start([0, 22])], interval: false)
        #expect(out.map(\.key) == [[0, 80], [0, 22]])
    }

    @Test func largeIntervalSetRebuildsInOrder() {
        // 50,000 disjoint /32 + /24 style ranges, in kernel (descending) order.
        var raw: [RawSetElement] = []
        for i in (0..<50_000).reversed() {
            let a = UInt32(0x0a00_0000) + UInt32(i) * 4
            func bytes(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
            raw.append(end(bytes(a + 2)))
            raw.append(start(bytes(a)))
        }
        raw.append(end([0, 0, 0, 0]))
        let out = IntervalRebuilder.elements(from: raw, interval: true)
        #expect(out.count == 50_000)
        #expect(out.first == SetElement(key: [10, 0, 0, 0], keyEnd: [10, 0, 0, 1]))
    }

    @Test func decrementBorrows() {
        #expect(IntervalRebuilder.decremented([1, 0, 0]) == [0, 255, 255])
        #expect(IntervalRebuilder.decremented([0, 0]) == nil)
    }
}
