package app_test

import (
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/store/snapshots"
	snapshottypes "cosmossdk.io/store/snapshots/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/testutil"
)

// A node restarted on existing state checks transactions against its last committed block
// before it commits its first one: an account whose number is not 0 can send (the SDK's check
// would take it for a genesis transaction at height 0 and fail its signature), a timeout height
// already passed is refused, and an unordered transaction's timeout is measured from the last
// block's time (from zero time it would be too far ahead), in CheckTx and in a simulation.
func TestCheckTxAfterRestart(t *testing.T) {
	for _, cache := range []bool{false, true} {
		c := sigCacheChain(t, cache, []string{"alice", "bob"})
		for i := 0; i < 3; i++ {
			c.NextBlock(c.AllSigners())
		}
		height, blockTime := c.App.LastBlockHeight(), c.Time
		require.Greater(t, height, int64(2))
		c.Restart(nil)

		alice, bob := c.Accounts["alice"], c.Accounts["bob"]
		acc := c.App.AccountKeeper.GetAccount(c.Ctx(), alice.Address)
		require.NotZero(t, acc.GetAccountNumber(), "the check needs an account number other than 0")
		send := []sdk.Msg{banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5)))}
		base := sigTx{priv: alice.PrivKey, accNum: acc.GetAccountNumber(), seq: acc.GetSequence(),
			mode: signing.SignMode_SIGN_MODE_DIRECT, msgs: send, gas: 200_000}
		checkTx := func(tx []byte) *abci.ResponseCheckTx {
			res, err := c.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
			require.NoError(t, err)
			return res
		}

		unordered := base
		unordered.memo, unordered.seq, unordered.unordered, unordered.timeout = "unordered", 0, true, blockTime.Add(time.Minute)
		_, unorderedTx := unordered.build(t, c.App.TxConfig())
		// A simulation (gas estimation) runs with the same block.
		_, _, err := c.App.Simulate(unorderedTx)
		require.NoError(t, err, "cache=%v: simulation", cache)

		expired := base
		expired.memo, expired.timeoutHeight = "expired", uint64(height-1)
		_, bz := expired.build(t, c.App.TxConfig())
		res := checkTx(bz)
		require.Equal(t, sdkerrors.ErrTxTimeoutHeight.ABCICode(), res.Code, "cache=%v: %s", cache, res.Log)

		good := base
		good.memo, good.timeoutHeight = "after restart", uint64(height+1)
		_, goodTx := good.build(t, c.App.TxConfig())
		res = checkTx(goodTx)
		require.Zero(t, res.Code, "cache=%v: %s", cache, res.Log)

		res = checkTx(unorderedTx)
		require.Zero(t, res.Code, "cache=%v: %s", cache, res.Log)

		// The next block includes what was accepted, and from then on the check state has its
		// block's header.
		block := c.NextBlock(c.AllSigners(), goodTx, unorderedTx)
		for i, r := range block.TxResults {
			require.Zero(t, r.Code, "cache=%v: tx %d: %s", cache, i, r.Log)
		}
		require.Equal(t, acc.GetSequence()+1, c.App.AccountKeeper.GetAccount(c.Ctx(), alice.Address).GetSequence())
		stale := base
		stale.seq, stale.memo, stale.timeoutHeight = acc.GetSequence()+1, "stale", uint64(height)
		_, bz = stale.build(t, c.App.TxConfig())
		res = checkTx(bz)
		require.Equal(t, sdkerrors.ErrTxTimeoutHeight.ABCICode(), res.Code, "cache=%v: checked at height %d now: %s", cache, height+1, res.Log)
	}
}

// StartBlockDecorator changes only a check, recheck or simulation at height 0, and only when
// the node started on a committed block.
func TestStartBlockDecorator(t *testing.T) {
	start := time.Date(2026, 12, 2, 3, 4, 5, 0, time.UTC)
	committed := func() (int64, time.Time, bool) { return 41, start, true }
	fresh := func() (int64, time.Time, bool) { return 0, time.Time{}, false }
	for _, tc := range []struct {
		name   string
		mode   sdk.ExecMode
		height int64
		block  func() (int64, time.Time, bool)
		want   int64
	}{
		{"check after a restart", sdk.ExecModeCheck, 0, committed, 41},
		{"recheck after a restart", sdk.ExecModeReCheck, 0, committed, 41},
		{"simulation after a restart", sdk.ExecModeSimulate, 0, committed, 41},
		{"check on a new chain", sdk.ExecModeCheck, 0, fresh, 0},
		{"check after the first commit", sdk.ExecModeCheck, 42, committed, 42},
		{"block", sdk.ExecModeFinalize, 0, committed, 0},
		{"proposal", sdk.ExecModePrepareProposal, 0, committed, 0},
		{"no start block", sdk.ExecModeCheck, 0, nil, 0},
	} {
		ctx := sdk.Context{}.WithBlockHeader(cmtproto.Header{ChainID: "balanceai-test", Height: tc.height}).
			WithChainID("balanceai-test").WithExecMode(tc.mode)
		var seen sdk.Context
		_, err := app.StartBlockDecorator{Block: tc.block}.AnteHandle(ctx, nil, false, func(ctx sdk.Context, _ sdk.Tx, _ bool) (sdk.Context, error) {
			seen = ctx
			return ctx, nil
		})
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, seen.BlockHeight(), tc.name)
		require.Equal(t, "balanceai-test", seen.ChainID(), tc.name)
		if tc.want == 41 {
			require.Equal(t, start, seen.BlockTime(), tc.name)
			require.Equal(t, int64(41), seen.HeaderInfo().Height, tc.name)
			require.Equal(t, start, seen.HeaderInfo().Time, tc.name)
		} else {
			require.True(t, seen.BlockTime().IsZero(), tc.name)
		}
	}
}

// A node that has just restored a state-sync snapshot checks transactions against the restored
// height until it commits its first block, as a restarted node does: BaseApp's check state keeps
// the empty header it started with until then.
func TestCheckTxAfterStateSync(t *testing.T) {
	withSnapshots := func(t *testing.T) func(*baseapp.BaseApp) {
		store, err := snapshots.NewStore(dbm.NewMemDB(), t.TempDir())
		require.NoError(t, err)
		return baseapp.SetSnapshot(store, snapshottypes.NewSnapshotOptions(2, 2))
	}
	cfg := testutil.DefaultConfig()
	cfg.BaseAppOptions = []func(*baseapp.BaseApp){withSnapshots(t)}
	c := testutil.NewChain(t, cfg)
	appHashes := map[int64][]byte{}
	for i := 0; i < 4; i++ {
		c.NextBlock(c.AllSigners())
		appHashes[c.App.LastBlockHeight()] = c.App.LastCommitID().Hash
	}
	// Snapshots are taken in the background after the commit of every second block.
	var snapshot *abci.Snapshot
	require.Eventually(t, func() bool {
		res, err := c.App.ListSnapshots(&abci.RequestListSnapshots{})
		require.NoError(t, err)
		for _, s := range res.Snapshots {
			if snapshot == nil || s.Height > snapshot.Height {
				snapshot = s
			}
		}
		return snapshot != nil
	}, time.Minute, 50*time.Millisecond)

	synced := testutil.NewApp(t, dbm.NewMemDB(), withSnapshots(t))
	offer, err := synced.OfferSnapshot(&abci.RequestOfferSnapshot{Snapshot: snapshot, AppHash: appHashes[int64(snapshot.Height)]})
	require.NoError(t, err)
	require.Equal(t, abci.ResponseOfferSnapshot_ACCEPT, offer.Result)
	for i := uint32(0); i < snapshot.Chunks; i++ {
		chunk, err := c.App.LoadSnapshotChunk(&abci.RequestLoadSnapshotChunk{Height: snapshot.Height, Format: snapshot.Format, Chunk: i})
		require.NoError(t, err)
		res, err := synced.ApplySnapshotChunk(&abci.RequestApplySnapshotChunk{Index: i, Chunk: chunk.Chunk})
		require.NoError(t, err)
		require.Equal(t, abci.ResponseApplySnapshotChunk_ACCEPT, res.Result)
	}
	require.Equal(t, int64(snapshot.Height), synced.LastBlockHeight())

	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	acc := synced.AccountKeeper.GetAccount(synced.NewUncachedContext(false, cmtproto.Header{}), alice.Address)
	require.NotZero(t, acc.GetAccountNumber(), "the check needs an account number other than 0")
	_, tx := sigTx{priv: alice.PrivKey, accNum: acc.GetAccountNumber(), seq: acc.GetSequence(), mode: signing.SignMode_SIGN_MODE_DIRECT,
		msgs: []sdk.Msg{banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5)))},
		gas:  200_000, memo: "after state sync", timeoutHeight: snapshot.Height + 1}.build(t, synced.TxConfig())
	res, err := synced.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
	require.NoError(t, err)
	require.Zero(t, res.Code, res.Log)
}
