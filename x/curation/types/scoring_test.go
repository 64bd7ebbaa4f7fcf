package types_test

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/balanceai/balanceai/x/curation/types"
)

// commitmentCurator is bech32("bai", bytes 1..20); client/js/test/curation.test.mjs holds
// the same vectors.
const commitmentCurator = "bai1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5zdy8hm"

func TestCommitmentVector(t *testing.T) {
	addr := make([]byte, 20)
	for i := range addr {
		addr[i] = byte(i + 1)
	}
	bech, err := bech32.ConvertAndEncode("bai", addr)
	require.NoError(t, err)
	require.Equal(t, commitmentCurator, bech)

	s := []types.ListingScoreEntry{{ListingId: 12, Score: 7}, {ListingId: 3, Score: 100}}
	want := commitmentCurator + "|balanceai-1|abc|5|3:100,12:7"
	require.Equal(t, want, types.CommitmentString(commitmentCurator, "balanceai-1", "abc", 5, s))
	sum := sha256.Sum256([]byte(want))
	require.Equal(t, hex.EncodeToString(sum[:]), types.ComputeCommitment(commitmentCurator, "balanceai-1", "abc", 5, s))
	require.NoError(t, types.ValidateCommitment(types.ComputeCommitment(commitmentCurator, "balanceai-1", "abc", 5, s)))

	// The golden vector of the README and client/js.
	readme := []types.ListingScoreEntry{{ListingId: 9, Score: 30}, {ListingId: 1, Score: 80}, {ListingId: 4, Score: 65}}
	require.Equal(t, commitmentCurator+"|balanceai-1|pepper|12|1:80,4:65,9:30",
		types.CommitmentString(commitmentCurator, "balanceai-1", "pepper", 12, readme))
	require.Equal(t, "6351ebd0cc13854ec9a24c83c145d1907302e5ca3eba64bfa5359c9172462ce2",
		types.ComputeCommitment(commitmentCurator, "balanceai-1", "pepper", 12, readme))

	// Another curator, or the same curator on another chain, commits to a different hash:
	// a copied commitment never matches the copier's reveal.
	other := "bai1vd6hyct5daerqvpsxqcrqvpsxqcrqvp392hn2q"
	c := types.ComputeCommitment(commitmentCurator, "balanceai-1", "pepper", 12, readme)
	require.NotEqual(t, c, types.ComputeCommitment(other, "balanceai-1", "pepper", 12, readme))
	require.NotEqual(t, c, types.ComputeCommitment(commitmentCurator, "balanceai-2", "pepper", 12, readme))
}

// FuzzCommitmentString: rendering then parsing the score list gives back the sorted scores,
// and the commitment is always a valid 64-hex lowercase string.
func FuzzCommitmentString(f *testing.F) {
	f.Add("salt", uint64(0), "1:80,2:70")
	f.Add("x", uint64(99), "5:0")
	f.Add("", uint64(1), "")
	f.Add("s", uint64(3), "10:5, 2:100 ,7:1")
	f.Fuzz(func(t *testing.T, salt string, epoch uint64, list string) {
		scores, err := types.ParseScores(list)
		if err != nil {
			return
		}
		prefix := commitmentCurator + "|chain-7|" + salt + "|"
		str := types.CommitmentString(commitmentCurator, "chain-7", salt, epoch, scores)
		require.True(t, strings.HasPrefix(str, prefix))
		rest := strings.TrimPrefix(str, prefix)
		ep, scoreList, ok := strings.Cut(rest, "|")
		require.True(t, ok)
		require.Equal(t, ep, strconvU(epoch))
		back, err := types.ParseScores(scoreList)
		require.NoError(t, err)
		require.Equal(t, types.SortScores(scores), back)
		c := types.ComputeCommitment(commitmentCurator, "chain-7", salt, epoch, scores)
		require.NoError(t, types.ValidateCommitment(c))
		// Order of the input never matters.
		rev := append([]types.ListingScoreEntry(nil), scores...)
		sort.SliceStable(rev, func(i, j int) bool { return rev[i].ListingId > rev[j].ListingId })
		require.Equal(t, c, types.ComputeCommitment(commitmentCurator, "chain-7", salt, epoch, rev))
	})
}

func strconvU(v uint64) string {
	if v == 0 {
		return "0"
	}
	var b []byte
	for v > 0 {
		b = append([]byte{byte('0' + v%10)}, b...)
		v /= 10
	}
	return string(b)
}

// bruteMedian is the definition by sorting: the smallest s with 2·Σ{w : score ≤ s} ≥ Σw.
func bruteMedian(ws []types.WeightedScore) uint32 {
	s := append([]types.WeightedScore(nil), ws...)
	sort.Slice(s, func(i, j int) bool { return s[i].Score < s[j].Score })
	total := math.ZeroInt()
	for _, w := range s {
		total = total.Add(w.Weight)
	}
	cum := math.ZeroInt()
	for _, w := range s {
		cum = cum.Add(w.Weight)
		if cum.MulRaw(2).GTE(total) {
			return w.Score
		}
	}
	return 0
}

func TestWeightedMedianExamples(t *testing.T) {
	w := func(score uint32, weight int64) types.WeightedScore {
		return types.WeightedScore{Score: score, Weight: math.NewInt(weight)}
	}
	m, ok := types.WeightedMedian([]types.WeightedScore{w(80, 1), w(70, 1), w(10, 1)})
	require.True(t, ok)
	require.Equal(t, uint32(70), m)
	m, _ = types.WeightedMedian([]types.WeightedScore{w(10, 1), w(90, 1)}) // lower median
	require.Equal(t, uint32(10), m)
	m, _ = types.WeightedMedian([]types.WeightedScore{w(10, 1), w(90, 3)})
	require.Equal(t, uint32(90), m)
	_, ok = types.WeightedMedian(nil)
	require.False(t, ok)
	require.Equal(t, math.LegacyNewDec(55), types.EMA(math.LegacyNewDec(70), math.LegacyNewDec(40), math.LegacyNewDecWithPrec(5, 1)))
}

// TestWeightedMedianProperties: it equals the sorted definition, and a coalition holding
// less than half of the weight cannot move it outside the honest majority's range.
func TestWeightedMedianProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		honestN := rapid.IntRange(1, 20).Draw(rt, "honestN")
		lo := rapid.Uint32Range(0, 100).Draw(rt, "lo")
		hi := rapid.Uint32Range(lo, 100).Draw(rt, "hi")
		var all []types.WeightedScore
		honestW := math.ZeroInt()
		for i := 0; i < honestN; i++ {
			w := math.NewInt(rapid.Int64Range(1, 1_000_000_000).Draw(rt, "hw"))
			honestW = honestW.Add(w)
			all = append(all, types.WeightedScore{Score: rapid.Uint32Range(lo, hi).Draw(rt, "hs"), Weight: w})
		}
		// Attackers: any scores, total weight strictly below the honest weight.
		budget := honestW.SubRaw(1)
		attackers := rapid.IntRange(0, 20).Draw(rt, "attackersN")
		for i := 0; i < attackers && budget.IsPositive(); i++ {
			w := math.NewInt(rapid.Int64Range(1, budget.Int64()).Draw(rt, "aw"))
			budget = budget.Sub(w)
			all = append(all, types.WeightedScore{Score: rapid.SampledFrom([]uint32{0, 100, lo, hi}).Draw(rt, "as"), Weight: w})
		}
		perm := rapid.Permutation(all).Draw(rt, "order")
		m, ok := types.WeightedMedian(perm)
		require.True(rt, ok)
		require.Equal(rt, bruteMedian(perm), m)
		require.GreaterOrEqual(rt, m, lo)
		require.LessOrEqual(rt, m, hi)
	})
}

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	for name, mut := range map[string]func(p *types.Params){
		"reveal >= epoch":  func(p *types.Params) { p.RevealDuration = p.EpochDuration },
		"zero max scores":  func(p *types.Params) { p.MaxScoresPerEpoch = 0 },
		"alpha zero":       func(p *types.Params) { p.ScoreEmaAlpha = math.LegacyZeroDec() },
		"slash above one":  func(p *types.Params) { p.FlagSlashFraction = math.LegacyNewDec(2) },
		"band above 100":   func(p *types.Params) { p.AgreementBand = 101 },
		"bond wrong denom": func(p *types.Params) { p.MinCuratorBond.Denom = "stake" },
		"tiny work":        func(p *types.Params) { p.MaxEpochWorkPerBlock = 10 },
		"nil dec":          func(p *types.Params) { p.NoRevealSlash = math.LegacyDec{} },
	} {
		p := types.DefaultParams()
		mut(&p)
		require.ErrorIs(t, p.Validate(), types.ErrInvalidParams, name)
	}
}
