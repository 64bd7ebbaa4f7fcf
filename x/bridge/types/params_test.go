package types_test

import (
	"fmt"
	"os"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

func TestMain(m *testing.M) {
	sdk.GetConfig().SetBech32PrefixForAccount("bai", "baipub")
	os.Exit(m.Run())
}

func enabled() types.Params {
	p := types.DefaultParams()
	p.Enabled = true
	p.TokenContract = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
	p.Attesters = []string{sdk.AccAddress("a1__________________").String(), sdk.AccAddress("a2__________________").String()}
	p.AttestationThreshold = 2
	return p
}

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	require.NoError(t, enabled().Validate())

	cases := map[string]func(p *types.Params){
		"threshold 0 when enabled":    func(p *types.Params) { p.AttestationThreshold = 0 },
		"threshold above attesters":   func(p *types.Params) { p.AttestationThreshold = 3 },
		"threshold half of attesters": func(p *types.Params) { p.AttestationThreshold = 1 },
		"duplicate attester":          func(p *types.Params) { p.Attesters[1] = p.Attesters[0] },
		"bad attester":                func(p *types.Params) { p.Attesters[1] = "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu" },
		"no token contract":           func(p *types.Params) { p.TokenContract = "" },
		"token contract bad sum":      func(p *types.Params) { p.TokenContract = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d35A" },
		"token contract not sum form": func(p *types.Params) { p.TokenContract = "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359" },
		"chain id 0":                  func(p *types.Params) { p.EthereumChainId = 0 },
		"min above max":               func(p *types.Params) { p.MinTransfer = p.MaxTransfer.AddRaw(1) },
		"zero min":                    func(p *types.Params) { p.MinTransfer = math.ZeroInt() },
		"nil max":                     func(p *types.Params) { p.MaxTransfer = math.Int{} },
		"negative daily outbound":     func(p *types.Params) { p.DailyOutboundLimit = math.NewInt(-1) },
		"zero daily inbound":          func(p *types.Params) { p.DailyInboundLimit = math.ZeroInt() },
		"zero retries":                func(p *types.Params) { p.MaxRetriesPerBlock = 0 },
		"too many retries":            func(p *types.Params) { p.MaxRetriesPerBlock = types.MaxMaxRetriesPerBlock + 1 },
	}
	for name, mut := range cases {
		p := enabled()
		p.Attesters = append([]string{}, p.Attesters...)
		mut(&p)
		require.ErrorIs(t, p.Validate(), types.ErrInvalidParams, name)
	}

	// Disabled: threshold 0 and no attesters are fine, a threshold above attesters is not.
	p := types.DefaultParams()
	p.AttestationThreshold = 1
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
}

// TestParamsThresholdMajority: a non-zero threshold must be a strict majority of the attesters,
// enabled or not; 0 stays allowed only while disabled.
func TestParamsThresholdMajority(t *testing.T) {
	attesters := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = sdk.AccAddress(fmt.Sprintf("attester%012d", i)).String()
		}
		return out
	}
	cases := []struct {
		n, threshold int
		ok           bool
	}{
		{1, 1, true},
		{2, 1, false}, {2, 2, true},
		{3, 1, false}, {3, 2, true}, {3, 3, true},
		{4, 2, false}, {4, 3, true},
		{5, 2, false}, {5, 3, true},
		{10, 5, false}, {10, 6, true},
		{100, 50, false}, {100, 51, true},
	}
	for _, tc := range cases {
		for _, on := range []bool{true, false} {
			p := enabled()
			p.Enabled = on
			p.Attesters = attesters(tc.n)
			p.AttestationThreshold = uint32(tc.threshold)
			err := p.Validate()
			if tc.ok {
				require.NoError(t, err, "%d of %d (enabled %v)", tc.threshold, tc.n, on)
				continue
			}
			require.ErrorIs(t, err, types.ErrInvalidParams, "%d of %d (enabled %v)", tc.threshold, tc.n, on)
			require.ErrorContains(t, err, fmt.Sprintf("attestation_threshold %d must be more than half of the %d attesters: at least %d", tc.threshold, tc.n, tc.n/2+1))
		}
	}
	require.Equal(t, uint32(3), types.MinAttestationThreshold(4))
	require.Equal(t, uint32(3), types.MinAttestationThreshold(5))

	// Disabled with attesters and threshold 0: nothing can be agreed, so it is accepted.
	p := enabled()
	p.Enabled = false
	p.AttestationThreshold = 0
	require.NoError(t, p.Validate())
}
