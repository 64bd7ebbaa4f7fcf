package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
)

func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	a, b := f.users[0], f.users[1]
	f.sk.Delegate(a, bai(1000))
	f.sk.Delegate(b, bai(1000))
	_, err := f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist, Add: []string{a.String(), b.String()}})
	require.NoError(t, err)
	_, err = f.record(lPublic, rec(a, 3), rec(b, 4))
	require.NoError(t, err)
	f.at(blockTime.Add(25 * time.Hour))
	_, err = f.record(lAllowlist, rec(a, 5))
	require.NoError(t, err)

	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.Equal(t, uint64(3), exported.LastReceiptId)
	require.Len(t, exported.ReceiptBatches, 2)
	require.Len(t, exported.Allowlists, 1)
	require.Len(t, exported.Operators, 5)
	require.Len(t, exported.DailyUsage, 3)
	require.Len(t, exported.ListingUsage, 2)

	// JSON round trip, then import into a fresh keeper and export again.
	bz, err := f.enc.Codec.MarshalJSON(exported)
	require.NoError(t, err)
	var decoded types.GenesisState
	require.NoError(t, f.enc.Codec.UnmarshalJSON(bz, &decoded))

	g := newBareFixture(t)
	g.ctx = g.ctx.WithBlockTime(f.ctx.BlockTime())
	require.NoError(t, g.k.InitGenesis(g.ctx, &decoded))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)
	require.NoError(t, keeperInvariant(g))

	// The imported state behaves: the sequence continues, today's usage counts, indexes work.
	g.sk.Delegate(a, bai(1000))
	require.Equal(t, uint64(1), g.check(t, lAllowlist, a).UsedToday)
	out, err := g.record(lAllowlist, rec(a, 1))
	require.NoError(t, err)
	require.Equal(t, []uint64{4}, out.ReceiptIds)
	u, err := g.query.UsageByUser(g.ctx, &types.QueryUsageByUserRequest{ListingId: lPublic, User: b.String()})
	require.NoError(t, err)
	require.Len(t, u.Receipts, 1)
	// Imported receipts are pruned like recorded ones.
	g.at(blockTime.Add(types.DefaultReceiptRetention))
	require.NoError(t, g.k.EndBlocker(g.ctx))
	require.Equal(t, []uint64{3, 4}, receiptIDs(t, g))
}

func TestGenesisValidate(t *testing.T) {
	f := newFixture(t)
	valid := func() *types.GenesisState {
		gs := types.DefaultGenesisState()
		gs.LastReceiptId = 4
		gs.ReceiptBatches = []types.ReceiptBatch{
			{FirstReceiptId: 1, ListingId: 1, Operator: f.operator.String(), Time: blockTime, Height: 3, Records: []types.UsageRecord{
				{User: f.users[0].String(), RequestCid: cidV0, ResponseCid: cidV1, Units: 1},
				{User: f.users[1].String(), RequestCid: cidV0, ResponseCid: cidV1, Units: 2},
			}},
			{FirstReceiptId: 4, ListingId: 1, Operator: f.operator.String(), Time: blockTime, Height: 4, Records: []types.UsageRecord{
				{User: f.users[0].String(), RequestCid: cidV0, ResponseCid: cidV1, Units: 1},
			}},
		}
		gs.Operators = []types.ListingOperators{{ListingId: 1, Operators: []string{f.operator.String()}}}
		gs.Allowlists = []types.ListingAllowlist{{ListingId: 1, Users: []string{f.users[0].String()}}}
		gs.DailyUsage = []types.DailyUsage{{Day: 1, ListingId: 1, User: f.users[0].String(), Usage: types.Usage{Requests: 1, Units: 1}}}
		gs.ListingUsage = []types.ListingUsage{{ListingId: 1, Usage: types.Usage{Requests: 2, Units: 3}}}
		return gs
	}
	require.NoError(t, valid().Validate())
	require.NoError(t, types.DefaultGenesisState().Validate())
	// A set written before governance lowered max_operators stays valid.
	lowered := valid()
	lowered.Operators[0].Operators = append(lowered.Operators[0].Operators, f.users[1].String())
	lowered.Params.MaxOperators = 1
	require.NoError(t, lowered.Validate())

	cases := map[string]func(gs *types.GenesisState){
		"receipt id above last": func(gs *types.GenesisState) { gs.LastReceiptId = 3 },
		"overlapping batches":   func(gs *types.GenesisState) { gs.ReceiptBatches[1].FirstReceiptId = 2 },
		"batches out of order": func(gs *types.GenesisState) {
			gs.ReceiptBatches[0], gs.ReceiptBatches[1] = gs.ReceiptBatches[1], gs.ReceiptBatches[0]
		},
		"first receipt id 0":    func(gs *types.GenesisState) { gs.ReceiptBatches[0].FirstReceiptId = 0 },
		"batch without records": func(gs *types.GenesisState) { gs.ReceiptBatches[1].Records = nil },
		// Pruning deletes a due batch in one block: none larger than any max_receipts_per_msg.
		"batch over the largest max_receipts_per_msg": func(gs *types.GenesisState) {
			b := &gs.ReceiptBatches[len(gs.ReceiptBatches)-1]
			for len(b.Records) <= int(types.MaxMaxReceiptsPerMsg) {
				b.Records = append(b.Records, b.Records[0])
			}
			gs.LastReceiptId = b.FirstReceiptId + uint64(len(b.Records))
		},
		"batch ids wrap around": func(gs *types.GenesisState) {
			gs.ReceiptBatches[1].FirstReceiptId = ^uint64(0)
			gs.ReceiptBatches[1].Records = append(gs.ReceiptBatches[1].Records, gs.ReceiptBatches[1].Records[0])
		},
		"receipt bad cid":      func(gs *types.GenesisState) { gs.ReceiptBatches[0].Records[1].RequestCid = "x" },
		"receipt zero units":   func(gs *types.GenesisState) { gs.ReceiptBatches[0].Records[0].Units = 0 },
		"receipt bad user":     func(gs *types.GenesisState) { gs.ReceiptBatches[1].Records[0].User = "x" },
		"receipt bad operator": func(gs *types.GenesisState) { gs.ReceiptBatches[0].Operator = "x" },
		"receipt listing 0":    func(gs *types.GenesisState) { gs.ReceiptBatches[0].ListingId = 0 },
		"repeated operators":   func(gs *types.GenesisState) { gs.Operators = append(gs.Operators, gs.Operators[0]) },
		"duplicate operator": func(gs *types.GenesisState) {
			gs.Operators[0].Operators = append(gs.Operators[0].Operators, f.operator.String())
		},
		"too many operators": func(gs *types.GenesisState) {
			ops := make([]string, 0, types.MaxMaxOperators+1)
			for i := 0; i <= int(types.MaxMaxOperators); i++ {
				ops = append(ops, sdk.AccAddress(fmt.Appendf(nil, "operator-%013d", i)).String())
			}
			gs.Operators[0].Operators = ops
		},
		"duplicate allowlisted": func(gs *types.GenesisState) {
			gs.Allowlists[0].Users = append(gs.Allowlists[0].Users, f.users[0].String())
		},
		"repeated day counter":   func(gs *types.GenesisState) { gs.DailyUsage = append(gs.DailyUsage, gs.DailyUsage[0]) },
		"repeated listing usage": func(gs *types.GenesisState) { gs.ListingUsage = append(gs.ListingUsage, gs.ListingUsage[0]) },
		"bad params":             func(gs *types.GenesisState) { gs.Params.ReceiptRetention = time.Hour },
	}
	for name, mut := range cases {
		t.Run(name, func(t *testing.T) {
			gs := valid()
			mut(gs)
			require.ErrorIs(t, gs.Validate(), types.ErrInvalidGenesis)
		})
	}
}
