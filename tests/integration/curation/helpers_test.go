// Package curation_test runs x/curation inside the real BalanceAI app (testutil.NewChain):
// curators bond, commit and reveal through signed txs; epochs roll on BFT block time in
// BeginBlock and are finalised in EndBlock; flags are tallied in EndBlock and slash listings
// through the real x/marketplace keeper; x/grants is the epoch hook. Answers are read through
// the app's gRPC query router (ABCI Query) and balances through x/bank.
package curation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/app"
	appkeepers "github.com/balanceai/balanceai/app/keepers"
	"github.com/balanceai/balanceai/testutil"
	"github.com/balanceai/balanceai/x/curation/keeper"
	"github.com/balanceai/balanceai/x/curation/types"
	emissiontypes "github.com/balanceai/balanceai/x/emission/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

const (
	bai   = int64(1_000_000)
	txFee = int64(5_000)
	cidV1 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	// evidenceCID is a CIDv0 (the flag's evidence).
	evidenceCID = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
)

var (
	fee            = sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, txFee))
	curationAddr   = authtypes.NewModuleAddress(types.ModuleName)
	marketAddr     = authtypes.NewModuleAddress(marketplacetypes.ModuleName)
	modelsFundAddr = authtypes.NewModuleAddress(appkeepers.ModelsFundName)
	agentsFundAddr = authtypes.NewModuleAddress(appkeepers.AgentsFundName)
)

func ubai(n int64) sdk.Coin { return sdk.NewInt64Coin(app.BondDenom, n) }

// env is an in-process chain with a listing owner, a flagger, four would-be curators and an
// outsider, every account holding 2,000,000 BAI.
type env struct {
	t        *testing.T
	c        *testutil.Chain
	owner    *testutil.Account
	flagger  *testutil.Account
	cur      []*testutil.Account // cur1..cur4
	outsider *testutil.Account
}

func newEnv(t *testing.T, blockTime time.Duration, edit func(*types.Params)) *env {
	t.Helper()
	c := testutil.NewChain(t, testutil.Config{
		Stakes:    []math.Int{math.NewInt(1_000_000 * bai)},
		Accounts:  []string{"owner", "flagger", "cur1", "cur2", "cur3", "cur4", "outsider"},
		Balance:   math.NewInt(2_000_000 * bai),
		BlockTime: blockTime,
		ModifyGenesis: func(gen app.GenesisState, a *app.App) app.GenesisState {
			var gs types.GenesisState
			a.AppCodec().MustUnmarshalJSON(gen[types.ModuleName], &gs)
			edit(&gs.Params)
			require.NoError(t, gs.Validate())
			gen[types.ModuleName] = a.AppCodec().MustMarshalJSON(&gs)
			return gen
		},
	})
	e := &env{t: t, c: c, owner: c.Accounts["owner"], flagger: c.Accounts["flagger"], outsider: c.Accounts["outsider"]}
	for i := 1; i <= 4; i++ {
		e.cur = append(e.cur, c.Accounts[fmt.Sprintf("cur%d", i)])
	}
	return e
}

// query runs a curation gRPC query through the app's ABCI Query on the committed state.
func (e *env) query(method string, req, res proto.Message) error {
	e.t.Helper()
	bz, err := proto.Marshal(req)
	require.NoError(e.t, err)
	out, err := e.c.App.Query(context.Background(), &abci.RequestQuery{Path: "/balanceai.curation.v1.Query/" + method, Data: bz})
	if err != nil {
		return err
	}
	if out.Code != 0 {
		return fmt.Errorf("code %d (%s): %s", out.Code, out.Codespace, out.Log)
	}
	return proto.Unmarshal(out.Value, res)
}

func (e *env) epoch() *types.QueryEpochResponse {
	e.t.Helper()
	var res types.QueryEpochResponse
	require.NoError(e.t, e.query("Epoch", &types.QueryEpochRequest{}, &res))
	return &res
}

func (e *env) curator(acc *testutil.Account) types.Curator {
	e.t.Helper()
	var res types.QueryCuratorResponse
	require.NoError(e.t, e.query("Curator", &types.QueryCuratorRequest{Address: acc.Address.String()}, &res))
	return res.Curator
}

func (e *env) score(listingID uint64) (types.ListingScore, error) {
	e.t.Helper()
	var res types.QueryScoresResponse
	err := e.query("Scores", &types.QueryScoresRequest{ListingId: listingID}, &res)
	return res.Score, err
}

func (e *env) flag(id uint64) types.Flag {
	e.t.Helper()
	var res types.QueryFlagResponse
	require.NoError(e.t, e.query("Flag", &types.QueryFlagRequest{Id: id}, &res))
	return res.Flag
}

func (e *env) flagIDs(status types.FlagStatus) []uint64 {
	e.t.Helper()
	var res types.QueryFlagsResponse
	require.NoError(e.t, e.query("Flags", &types.QueryFlagsRequest{Status: status}, &res))
	ids := []uint64{}
	for _, f := range res.Flags {
		ids = append(ids, f.Id)
	}
	return ids
}

func (e *env) listing(id uint64) marketplacetypes.Listing {
	e.t.Helper()
	l, err := e.c.App.MarketplaceKeeper.GetListing(e.c.Ctx(), id)
	require.NoError(e.t, err)
	return l
}

func (e *env) balance(addr sdk.AccAddress) math.Int { return e.c.Balance(addr) }

// invariant runs the curation accounting invariant on the committed state.
func (e *env) invariant() {
	e.t.Helper()
	require.NoError(e.t, e.c.App.CurationKeeper.CheckAccounting(e.c.Ctx()))
}

// ok delivers msgs signed by acc in the next block and requires success.
func (e *env) ok(acc *testutil.Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	e.t.Helper()
	res := e.c.DeliverTx(acc, fee, msgs...)
	require.Zero(e.t, res.Code, "codespace %s: %s", res.Codespace, res.Log)
	return res
}

// signed is one tx of a batch.
type signed struct {
	acc  *testutil.Account
	msgs []sdk.Msg
}

func tx(acc *testutil.Account, msgs ...sdk.Msg) signed { return signed{acc, msgs} }

// batch delivers several txs in one block, requires every one to succeed and returns the block.
func (e *env) batch(txs ...signed) *abci.ResponseFinalizeBlock {
	e.t.Helper()
	raw := make([][]byte, len(txs))
	for i, s := range txs {
		raw[i] = e.c.SignTx(s.acc, fee, s.msgs...)
	}
	res := e.c.NextBlock(e.c.AllSigners(), raw...)
	require.Len(e.t, res.TxResults, len(txs))
	for i, r := range res.TxResults {
		require.Zero(e.t, r.Code, "tx %d of %s: codespace %s: %s", i, txs[i].acc.Name, r.Codespace, r.Log)
	}
	return res
}

// refuse delivers msgs signed by acc, requires the registered error with a log containing msg,
// and checks that the curation state, the listings and the balances of every participant and
// module account (but the grant funds, which x/emission fills every block) are unchanged but
// the signer's tx fee.
func (e *env) refuse(wantErr error, msg string, acc *testutil.Account, msgs ...sdk.Msg) {
	e.t.Helper()
	before := e.snapshot()
	res := e.c.DeliverTx(acc, fee, msgs...)
	codespace, code, _ := errorsmod.ABCIInfo(wantErr, false)
	require.Equal(e.t, code, res.Code, "want %v; got codespace %s code %d: %s", wantErr, res.Codespace, res.Code, res.Log)
	require.Equal(e.t, codespace, res.Codespace, res.Log)
	require.Contains(e.t, res.Log, msg)
	after := e.snapshot()
	require.Equal(e.t, before.genesis, after.genesis, "curation state changed by a refused tx")
	require.Equal(e.t, before.listings, after.listings, "listings changed by a refused tx")
	for name, b := range before.balances {
		want := b
		if name == acc.Name {
			want = b.SubRaw(txFee)
		}
		require.Equal(e.t, want.String(), after.balances[name].String(), "balance of %s", name)
	}
}

type snapshot struct {
	genesis  string
	listings string
	balances map[string]math.Int
}

func (e *env) snapshot() snapshot {
	e.t.Helper()
	ctx := e.c.Ctx()
	gs, err := e.c.App.CurationKeeper.ExportGenesis(ctx)
	require.NoError(e.t, err)
	ms, err := e.c.App.MarketplaceKeeper.ExportGenesis(ctx)
	require.NoError(e.t, err)
	s := snapshot{genesis: gs.String(), listings: fmt.Sprint(ms.Listings), balances: map[string]math.Int{}}
	for name, acc := range e.c.Accounts {
		s.balances[name] = e.balance(acc.Address)
	}
	s.balances["curation module"] = e.balance(curationAddr)
	s.balances["marketplace module"] = e.balance(marketAddr)
	return s
}

// registerModel registers a MODEL listing owned by owner with the given collateral.
func (e *env) register(kind marketplacetypes.ListingKind, name string, collateral int64) uint64 {
	e.t.Helper()
	res := e.ok(e.owner, &marketplacetypes.MsgRegisterListing{
		Owner: e.owner.Address.String(), Kind: kind, Name: name, Task: "nlp",
		Endpoint: "https://node.example.com/v1", MetadataCid: cidV1, Version: "1.0.0",
		Collateral: ubai(collateral),
		Access:     marketplacetypes.AccessPolicy{MinStake: math.ZeroInt(), Mode: marketplacetypes.AccessModePublic},
	})
	var out marketplacetypes.MsgRegisterListingResponse
	testutil.MsgResponse(e.t, res, &out)
	require.NotZero(e.t, out.Id)
	return out.Id
}

func (e *env) bondMsg(acc *testutil.Account, amount int64) sdk.Msg {
	return &types.MsgBondCurator{Curator: acc.Address.String(), Amount: ubai(amount)}
}

// commitMsg commits acc to scores: the commitment hashes acc's address and the chain id.
func (e *env) commitMsg(acc *testutil.Account, epoch uint64, salt string, scores ...types.ListingScoreEntry) *types.MsgCommitScores {
	return &types.MsgCommitScores{Curator: acc.Address.String(), Epoch: epoch,
		Commitment: types.ComputeCommitment(acc.Address.String(), testutil.ChainID, salt, epoch, types.SortScores(scores))}
}

func (e *env) revealMsg(acc *testutil.Account, epoch uint64, salt string, scores ...types.ListingScoreEntry) sdk.Msg {
	return &types.MsgRevealScores{Curator: acc.Address.String(), Epoch: epoch, Salt: salt, Scores: scores}
}

func sc(id uint64, score uint32) types.ListingScoreEntry {
	return types.ListingScoreEntry{ListingId: id, Score: score}
}

// waitPhase finalizes empty blocks until the next block's time falls in the given phase of
// the given epoch (so a tx delivered next runs in it), for the reveal phase once a block of it
// has run. It fails after 100 blocks.
func (e *env) waitPhase(number uint64, phase types.EpochPhase) {
	e.t.Helper()
	for i := 0; i < 100; i++ {
		ep := e.epoch()
		cur := types.Epoch{Number: ep.Number, Start: ep.Start, RevealStart: ep.RevealStart, End: ep.End}
		// The reveal phase is open once a block of it has run (its first block records that, in
		// BeginBlock): a refused tx must not be the first block's.
		opened := phase != types.EpochPhaseReveal || keeper.PhaseAt(cur, e.c.Time) == phase
		if ep.Number == number && keeper.PhaseAt(cur, e.c.Time.Add(e.c.BlockTime)) == phase && opened {
			return
		}
		require.LessOrEqual(e.t, ep.Number, number, "epoch %d already passed", number)
		e.c.NextBlock(e.c.AllSigners())
	}
	e.t.Fatalf("epoch %d %s never came", number, phase)
}

// untilEpochEnd finalizes empty blocks until the next block is the one that starts epoch
// number (its time reaches the running epoch's end).
func (e *env) untilEpochEnd(number uint64) {
	e.t.Helper()
	for i := 0; i < 100; i++ {
		ep := e.epoch()
		require.Equal(e.t, number-1, ep.Number)
		if !e.c.Time.Add(e.c.BlockTime).Before(ep.End) {
			return
		}
		e.c.NextBlock(e.c.AllSigners())
	}
	e.t.Fatalf("epoch %d never ended", number-1)
}

// untilEpoch finalizes empty blocks until epoch number has started and returns the block that
// started it (its BeginBlock rolled the epoch and its EndBlock finalised the previous one).
func (e *env) untilEpoch(number uint64) *abci.ResponseFinalizeBlock {
	e.t.Helper()
	e.untilEpochEnd(number)
	res := e.c.NextBlock(e.c.AllSigners())
	require.Equal(e.t, number, e.epoch().Number)
	return res
}

// typedEvents returns the block's (Begin/EndBlock) typed events of T's type.
func typedEvents[T proto.Message](t *testing.T, res *abci.ResponseFinalizeBlock) []T {
	return testutil.TypedEvents[T](t, res.Events)
}

// transfers sums the block's (Begin/EndBlock) bank transfers from sender to recipient.
func transfers(t *testing.T, res *abci.ResponseFinalizeBlock, from, to sdk.AccAddress) math.Int {
	t.Helper()
	sum := math.ZeroInt()
	for _, ev := range res.Events {
		if ev.Type != "transfer" {
			continue
		}
		attrs := map[string]string{}
		for _, a := range ev.Attributes {
			attrs[a.Key] = a.Value
		}
		if (from != nil && attrs["sender"] != from.String()) || (to != nil && attrs["recipient"] != to.String()) {
			continue
		}
		coins, err := sdk.ParseCoinsNormalized(attrs["amount"])
		require.NoError(t, err)
		sum = sum.Add(coins.AmountOf(app.BondDenom))
	}
	return sum
}

// emissionTo returns what x/emission paid into the models and agents funds in the block.
func emissionTo(t *testing.T, res *abci.ResponseFinalizeBlock) (models, agents math.Int) {
	t.Helper()
	evs := typedEvents[*emissiontypes.EventEmission](t, res)
	require.Len(t, evs, 1, "one emission per block")
	return evs[0].Models.Amount, evs[0].Agents.Amount
}
