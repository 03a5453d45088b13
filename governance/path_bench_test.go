package governance

import "testing"

// scopedLink is the proof-path element Link would be if it carried its
// scope: one string, so the path would hold pointers.
type scopedLink struct {
	Link
	Scope Scope
}

var pathSink []Link
var scopedSink []scopedLink

// BenchmarkProofPathShape compares, in one run, allocating a depth-10
// proof path of pointer-free Links (what Authorize returns) with one whose
// elements carry a scope string. The live heap is padded so that the
// garbage collector has a register's worth of pointers to scan, as it does
// in a real program.
func BenchmarkProofPathShape(b *testing.B) {
	heap := make([]*link, 100_000)
	for i := range heap {
		heap[i] = &link{Scope: "commission/mental-health"}
	}
	const depth = 10
	b.Run("pointer-free", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p := make([]Link, depth)
			for i := range p {
				p[i] = Link{Kind: KindDelegation}
			}
			pathSink = p
		}
	})
	b.Run("with-scope", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p := make([]scopedLink, depth)
			for i := range p {
				p[i] = scopedLink{Link: Link{Kind: KindDelegation}, Scope: "commission/mental-health"}
			}
			scopedSink = p
		}
	})
	heap[0] = nil
}
