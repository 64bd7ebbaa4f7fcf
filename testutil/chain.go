// Package testutil runs a BalanceAI app in-process for tests: a genesis made from real gentxs,
// blocks finalized through ABCI with chosen signers, and signed transactions.
package testutil

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cast"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/core/header"
	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/server"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
)

// ChainID is the chain id of in-process test chains.
const ChainID = "balanceai-test"

// Account is a funded test account.
type Account struct {
	Name    string
	PrivKey cryptotypes.PrivKey
	Address sdk.AccAddress
	accNum  uint64
	seq     uint64
}

// Validator is a genesis validator of a test chain.
type Validator struct {
	Account
	ConsKey  cryptotypes.PrivKey
	ValAddr  sdk.ValAddress
	ConsAddr sdk.ConsAddress
	Stake    math.Int
}

// Config describes a test chain.
type Config struct {
	// Stakes is the self-delegation of each validator, in ubai (one validator per entry).
	Stakes []math.Int
	// Commission is the commission rate of every validator (default 10 %).
	Commission math.LegacyDec
	// Accounts names extra funded accounts.
	Accounts []string
	// Balance is the genesis balance of every account and validator, in ubai.
	Balance math.Int
	// BlockTime is the BFT-time gap between blocks (default 5 s).
	BlockTime time.Duration
	// GenesisTime is the time of the genesis (default 2026-01-01 UTC).
	GenesisTime time.Time
	// ModifyGenesis, when set, edits the app genesis before the gentxs are added.
	ModifyGenesis func(cdcGen app.GenesisState, a *app.App) app.GenesisState
	// AppOptions are app.toml settings of the node (e.g. app.FlagSigCacheEnable), on top of
	// its home.
	AppOptions map[string]any
	// BaseAppOptions are applied to the node's BaseApp after the chain id (e.g. a snapshot
	// store, as baid start sets one from app.toml).
	BaseAppOptions []func(*baseapp.BaseApp)
}

// Chain is an in-process BalanceAI chain.
type Chain struct {
	T          testing.TB
	App        *app.App
	Validators []*Validator
	Accounts   map[string]*Account
	Height     int64
	Time       time.Time
	BlockTime  time.Duration
	// Finalize, when set, finalizes blocks instead of App.FinalizeBlock (e.g. through an ABCI
	// client, as a node does).
	Finalize func(*abci.RequestFinalizeBlock) (*abci.ResponseFinalizeBlock, error)
	db       dbm.DB
	home     string
	appOpts  map[string]any
	baseOpts []func(*baseapp.BaseApp)
	rnd      *rand.Rand
}

// DefaultConfig is one validator with 1,000,000 BAI staked and accounts alice and bob.
func DefaultConfig() Config {
	return Config{
		Stakes:   []math.Int{math.NewInt(1_000_000_000_000)},
		Accounts: []string{"alice", "bob"},
	}
}

// NewChain creates the genesis, runs InitChain and finalizes the first block, in which every
// validator signs nothing (there is no previous block).
func NewChain(t testing.TB, cfg Config) *Chain {
	t.Helper()
	if cfg.Commission.IsNil() {
		cfg.Commission = math.LegacyNewDecWithPrec(10, 2)
	}
	if cfg.Balance.IsNil() {
		cfg.Balance = math.NewInt(2_000_000_000_000)
	}
	if cfg.BlockTime == 0 {
		cfg.BlockTime = 5 * time.Second
	}
	if cfg.GenesisTime.IsZero() {
		cfg.GenesisTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	db := dbm.NewMemDB()
	home := t.TempDir()
	a := newApp(db, home, cfg.AppOptions, cfg.BaseAppOptions, nil)
	c := &Chain{
		T: t, App: a, Accounts: map[string]*Account{}, Time: cfg.GenesisTime,
		BlockTime: cfg.BlockTime, db: db, home: home, appOpts: cfg.AppOptions, baseOpts: cfg.BaseAppOptions,
		rnd: rand.New(rand.NewSource(1)),
	}

	var genAccs []authtypes.GenesisAccount
	var balances []banktypes.Balance
	addAccount := func(acc *Account) {
		acc.accNum = uint64(len(genAccs))
		genAccs = append(genAccs, authtypes.NewBaseAccount(acc.Address, acc.PrivKey.PubKey(), acc.accNum, 0))
		balances = append(balances, banktypes.Balance{
			Address: acc.Address.String(),
			Coins:   sdk.NewCoins(sdk.NewCoin(app.BondDenom, cfg.Balance)),
		})
	}
	for i, stake := range cfg.Stakes {
		priv := secp256k1.GenPrivKeyFromSecret([]byte(fmt.Sprintf("validator-%d", i)))
		cons := ed25519.GenPrivKeyFromSecret([]byte(fmt.Sprintf("consensus-%d", i)))
		v := &Validator{
			Account:  Account{Name: fmt.Sprintf("val%d", i), PrivKey: priv, Address: sdk.AccAddress(priv.PubKey().Address())},
			ConsKey:  cons,
			ConsAddr: sdk.ConsAddress(cons.PubKey().Address()),
			Stake:    stake,
		}
		v.ValAddr = sdk.ValAddress(v.Address)
		addAccount(&v.Account)
		c.Validators = append(c.Validators, v)
	}
	for _, name := range cfg.Accounts {
		priv := secp256k1.GenPrivKeyFromSecret([]byte("account-" + name))
		acc := &Account{Name: name, PrivKey: priv, Address: sdk.AccAddress(priv.PubKey().Address())}
		addAccount(acc)
		c.Accounts[name] = acc
	}

	cdc := a.AppCodec()
	gen := a.DefaultGenesis()
	authGen := authtypes.NewGenesisState(authtypes.DefaultParams(), genAccs)
	gen[authtypes.ModuleName] = cdc.MustMarshalJSON(authGen)
	var bankGen banktypes.GenesisState
	cdc.MustUnmarshalJSON(gen[banktypes.ModuleName], &bankGen)
	bankGen.Balances = banktypes.SanitizeGenesisBalances(balances)
	supply := sdk.NewCoins()
	for _, b := range balances {
		supply = supply.Add(b.Coins...)
	}
	bankGen.Supply = supply
	gen[banktypes.ModuleName] = cdc.MustMarshalJSON(&bankGen)
	if cfg.ModifyGenesis != nil {
		gen = cfg.ModifyGenesis(gen, a)
	}

	// Validators join through real gentxs, as on a real network.
	var gentxs []json.RawMessage
	for _, v := range c.Validators {
		msg, err := stakingtypes.NewMsgCreateValidator(
			v.ValAddr.String(), v.ConsKey.PubKey(), sdk.NewCoin(app.BondDenom, v.Stake),
			stakingtypes.NewDescription(v.Name, "", "", "", ""),
			stakingtypes.NewCommissionRates(cfg.Commission, math.LegacyOneDec(), math.LegacyZeroDec()),
			math.OneInt(),
		)
		require.NoError(t, err)
		tx, err := simtestutil.GenSignedMockTx(c.rnd, a.TxConfig(), []sdk.Msg{msg}, sdk.NewCoins(), 1_000_000,
			ChainID, []uint64{0}, []uint64{0}, v.PrivKey)
		require.NoError(t, err)
		bz, err := a.TxConfig().TxJSONEncoder()(tx)
		require.NoError(t, err)
		gentxs = append(gentxs, bz)
	}
	gen[genutiltypes.ModuleName] = cdc.MustMarshalJSON(genutiltypes.NewGenesisState(gentxs))

	appState, err := json.Marshal(gen)
	require.NoError(t, err)
	_, err = a.InitChain(&abci.RequestInitChain{
		ChainId:         ChainID,
		Time:            c.Time,
		AppStateBytes:   appState,
		ConsensusParams: simtestutil.DefaultConsensusParams,
		InitialHeight:   1,
	})
	require.NoError(t, err)
	c.NextBlock(nil)
	return c
}

// NewApp returns a BalanceAI app on db for the test chain id, with baseOpts applied to its
// BaseApp after the chain id.
func NewApp(t testing.TB, db dbm.DB, baseOpts ...func(*baseapp.BaseApp)) *app.App {
	return newApp(db, t.TempDir(), nil, baseOpts, nil)
}

// newApp builds the app on db with its home at home, the app.toml settings opts and the BaseApp
// options extra (after the chain id); before, when set, runs before the stores are loaded (to
// install an upgrade, as the next release would).
func newApp(db dbm.DB, home string, opts map[string]any, extra []func(*baseapp.BaseApp), before func(*app.App)) *app.App {
	appOpts := simtestutil.AppOptionsMap{flags.FlagHome: home}
	for k, v := range opts {
		appOpts[k] = v
	}
	baseOpts := []func(*baseapp.BaseApp){baseapp.SetChainID(ChainID)}
	// app.toml's query-gas-limit, as the node's start command applies it.
	if limit, ok := opts[server.FlagQueryGasLimit]; ok {
		baseOpts = append(baseOpts, baseapp.SetQueryGasLimit(cast.ToUint64(limit)))
	}
	baseOpts = append(baseOpts, extra...)
	a := app.New(log.NewNopLogger(), db, nil, before == nil, appOpts, baseOpts...)
	if before != nil {
		before(a)
		if err := a.LoadLatestVersion(); err != nil {
			panic(fmt.Errorf("failed to load latest version: %w", err))
		}
	}
	return a
}

// Restart replaces the app by a new one on the same database and home, as a node restarted
// with another binary; before runs before the stores are loaded.
func (c *Chain) Restart(before func(*app.App)) {
	c.T.Helper()
	if before == nil {
		before = func(*app.App) {}
	}
	c.App = newApp(c.db, c.home, c.appOpts, c.baseOpts, before)
}

// AllSigners returns the indexes of every validator, for NextBlock.
func (c *Chain) AllSigners() []int {
	idx := make([]int, len(c.Validators))
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// NextBlock finalizes and commits the next block, BlockTime after the previous one. signers are
// the indexes of the validators whose votes for the previous block it carries (nil: none, as in
// the first block).
func (c *Chain) NextBlock(signers []int, txs ...[]byte) *abci.ResponseFinalizeBlock {
	c.T.Helper()
	return c.nextBlockAt(c.Time.Add(c.BlockTime), signers, txs...)
}

func (c *Chain) nextBlockAt(t time.Time, signers []int, txs ...[]byte) *abci.ResponseFinalizeBlock {
	c.T.Helper()
	res, err := c.finalizeAt(t, signers, txs...)
	require.NoError(c.T, err)
	return res
}

// TryNextBlock finalizes and commits the next block like NextBlock, but returns the error of a
// block the app refuses to finalize (a halt for an upgrade, say) instead of failing the test;
// the chain then stays at its last committed height.
func (c *Chain) TryNextBlock(signers []int, txs ...[]byte) (*abci.ResponseFinalizeBlock, error) {
	c.T.Helper()
	return c.finalizeAt(c.Time.Add(c.BlockTime), signers, txs...)
}

func (c *Chain) finalizeAt(t time.Time, signers []int, txs ...[]byte) (*abci.ResponseFinalizeBlock, error) {
	c.T.Helper()
	if c.Height == 0 {
		t = c.Time
	}
	signed := make(map[int]bool, len(signers))
	for _, s := range signers {
		signed[s] = true
	}
	var votes []abci.VoteInfo
	for i, v := range c.Validators {
		flag := cmtproto.BlockIDFlagAbsent
		if signed[i] {
			flag = cmtproto.BlockIDFlagCommit
		}
		votes = append(votes, abci.VoteInfo{
			Validator:   abci.Validator{Address: v.ConsAddr, Power: v.Stake.Quo(sdk.DefaultPowerReduction).Int64()},
			BlockIdFlag: flag,
		})
	}
	if c.Height == 0 {
		votes = nil
	}
	finalize := c.App.FinalizeBlock
	if c.Finalize != nil {
		finalize = c.Finalize
	}
	res, err := finalize(&abci.RequestFinalizeBlock{
		Height:            c.Height + 1,
		Time:              t,
		Txs:               txs,
		DecidedLastCommit: abci.CommitInfo{Votes: votes},
		ProposerAddress:   c.Validators[0].ConsAddr,
	})
	if err != nil {
		return nil, err
	}
	c.Height++
	c.Time = t
	if _, err := c.App.Commit(); err != nil {
		return nil, err
	}
	// Every module invariant holds after every committed block (app.CheckInvariants).
	if err := c.App.CheckInvariants(c.Ctx()); err != nil {
		return nil, fmt.Errorf("after block %d: %w", c.Height, err)
	}
	return res, nil
}

// Ctx returns a context on the committed state, at the last block's height and time.
func (c *Chain) Ctx() sdk.Context {
	return c.App.NewUncachedContext(false, cmtproto.Header{ChainID: ChainID, Height: c.Height, Time: c.Time}).
		WithHeaderInfo(header.Info{ChainID: ChainID, Height: c.Height, Time: c.Time})
}

// SignTx signs msgs with the account and returns the encoded tx; the account's sequence moves on.
func (c *Chain) SignTx(acc *Account, fee sdk.Coins, msgs ...sdk.Msg) []byte {
	c.T.Helper()
	tx, err := simtestutil.GenSignedMockTx(c.rnd, c.App.TxConfig(), msgs, fee, 2_000_000, ChainID,
		[]uint64{acc.accNum}, []uint64{acc.seq}, acc.PrivKey)
	require.NoError(c.T, err)
	bz, err := c.App.TxConfig().TxEncoder()(tx)
	require.NoError(c.T, err)
	acc.seq++
	return bz
}

// DeliverTx signs msgs with acc, includes them in the next block (signed by every validator) and
// returns the tx result.
func (c *Chain) DeliverTx(acc *Account, fee sdk.Coins, msgs ...sdk.Msg) *abci.ExecTxResult {
	c.T.Helper()
	res := c.NextBlock(c.AllSigners(), c.SignTx(acc, fee, msgs...))
	require.Len(c.T, res.TxResults, 1)
	// A tx refused by the ante handler does not use its sequence: read it back from state.
	acc.seq = c.App.AccountKeeper.GetAccount(c.Ctx(), acc.Address).GetSequence()
	return res.TxResults[0]
}

// Balance returns the ubai balance of an address.
func (c *Chain) Balance(addr sdk.AccAddress) math.Int {
	return c.App.BankKeeper.GetBalance(c.Ctx(), addr, app.BondDenom).Amount
}

// MsgResponse decodes the first Msg response of a delivered tx into out, requiring its type.
func MsgResponse(t testing.TB, res *abci.ExecTxResult, out proto.Message) {
	t.Helper()
	var data sdk.TxMsgData
	require.NoError(t, proto.Unmarshal(res.Data, &data))
	require.NotEmpty(t, data.MsgResponses)
	require.Equal(t, "/"+proto.MessageName(out), data.MsgResponses[0].TypeUrl)
	require.NoError(t, proto.Unmarshal(data.MsgResponses[0].Value, out))
}
