// Package simulation holds x/bridge's randomized genesis and its simsx message factories.
package simulation

import (
	"encoding/hex"
	"math/rand"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// RandomEthAddress returns a random Ethereum address in EIP-55 checksum form.
func RandomEthAddress(r *rand.Rand) string {
	b := make([]byte, 20)
	_, _ = r.Read(b)
	b[0] |= 1 // never the zero address
	return types.ChecksumEthAddress("0x" + hex.EncodeToString(b))
}

// RandomEthTxHash returns a random Ethereum transaction hash (0x and 64 hex digits).
func RandomEthTxHash(r *rand.Rand) string {
	b := make([]byte, 32)
	_, _ = r.Read(b)
	return "0x" + hex.EncodeToString(b)
}

// RandomParams returns random valid params. attesters are the attester set (a strict
// majority of them is the threshold); with none, the bridge stays disabled.
func RandomParams(r *rand.Rand, attesters []string) types.Params {
	p := types.DefaultParams()
	p.EthereumChainId = 1 + uint64(r.Intn(5))
	p.TokenContract = RandomEthAddress(r)
	p.Attesters = attesters
	if n := len(attesters); n > 0 {
		lo := int(types.MinAttestationThreshold(n))
		p.AttestationThreshold = uint32(lo + r.Intn(n-lo+1))
		p.Enabled = r.Intn(10) > 0
	}
	p.MinTransfer = math.NewInt(1 + r.Int63n(10_000_000))
	p.MaxTransfer = p.MinTransfer.Add(math.NewInt(r.Int63n(100_000_000_000)))
	p.DailyOutboundLimit = math.NewInt(1 + r.Int63n(1_000_000_000_000))
	p.DailyInboundLimit = math.NewInt(1 + r.Int63n(1_000_000_000_000))
	p.MaxRetriesPerBlock = uint32(1 + r.Intn(50))
	return p
}

// randomAttesters draws one to five distinct simulation accounts.
func randomAttesters(simState *module.SimulationState) []string {
	r := simState.Rand
	var out []string
	seen := map[string]bool{}
	for i := 1 + r.Intn(5); i > 0 && len(simState.Accounts) > 0; i-- {
		a := simState.Accounts[r.Intn(len(simState.Accounts))].Address.String()
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// RandomizedGenState writes a random x/bridge genesis: one to five simulation accounts as
// attesters with a majority threshold, the bridge enabled nine times in ten and paused one
// time in ten, and no transfers yet.
func RandomizedGenState(simState *module.SimulationState) {
	var params types.Params
	simState.AppParams.GetOrGenerate("bridge_params", &params, simState.Rand, func(r *rand.Rand) {
		params = RandomParams(r, randomAttesters(simState))
	})
	gs := types.DefaultGenesisState()
	gs.Params = params
	gs.Paused = simState.Rand.Intn(10) == 0
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
