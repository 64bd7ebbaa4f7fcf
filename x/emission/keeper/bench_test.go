package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/balanceai/balanceai/x/emission/types"
)

// BenchmarkBeginBlocker measures one EQUAL-mode block (mint, fee burn, split, equal allocation)
// with 10 and 100 signing validators. The work is linear in the number of signers: no history
// or account is walked, so the cost does not grow with the number of blocks run.
func BenchmarkBeginBlocker(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("validators=%d", n), func(b *testing.B) {
			f := newFixture(b, types.DefaultParams(), n)
			f.firstBlock(b)
			votes := f.votes()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f.addFees(20_000)
				f.block(b, 6*time.Second, votes)
			}
		})
	}
}
