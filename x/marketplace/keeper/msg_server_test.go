package keeper_test

import (
	"math/big"
	"strings"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// fixture registers listings in every status, all owned by addrs[0]:
// 1 ACTIVE model, 2 PAUSED model, 3 RETIRING model, 4 SUSPENDED model, 5 RETIRED model,
// 6 ACTIVE agent composing 1, 7 ACTIVE model with 200 BAI above the minimum.
func (s *KeeperSuite) fixture() {
	a := s.addrs[0]
	for i := 0; i < 5; i++ {
		s.register(modelMsg(a))
	}
	_, err := s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: a, Id: 5})
	s.Require().NoError(err)
	s.advance(types.DefaultUnlockPeriod)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetired, s.listing(5).Status)

	_, err = s.msgs.PauseListing(s.ctx, &types.MsgPauseListing{Owner: a, Id: 2})
	s.Require().NoError(err)
	_, err = s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: a, Id: 3})
	s.Require().NoError(err)
	_, err = s.msgs.SlashListing(s.ctx, &types.MsgSlashListing{Authority: s.authority, Id: 4, Fraction: math.LegacyNewDecWithPrec(5, 1), Reason: "test"})
	s.Require().NoError(err)
	s.Require().Equal(uint64(6), s.register(agentMsg(a, 1)))
	m := modelMsg(a)
	m.Collateral = sdk.NewInt64Coin("ubai", 1_200*bai)
	s.Require().Equal(uint64(7), s.register(m))
	s.invariant()
}

type errCase struct {
	name string
	run  func() error
	err  error
	// msg, when set, must appear in the error text.
	msg string
}

// runRefusals runs each case and checks it fails with the registered error and leaves
// the module store, all balances and the supply exactly as they were.
func (s *KeeperSuite) runRefusals(cases []errCase) {
	for _, tc := range cases {
		before := s.capture()
		err := tc.run()
		s.Require().Error(err, tc.name)
		s.Require().ErrorIs(err, tc.err, "%s: %v", tc.name, err)
		if tc.msg != "" {
			s.Require().Contains(err.Error(), tc.msg, tc.name)
		}
		s.Require().Equal(before, s.capture(), "%s changed state", tc.name)
		s.invariant()
	}
}

func (s *KeeperSuite) TestRegisterListingRefusals() {
	s.fixture()
	a := s.addrs[0]
	reg := func(mut func(m *types.MsgRegisterListing)) func() error {
		return func() error {
			m := modelMsg(a)
			mut(m)
			_, err := s.msgs.RegisterListing(s.ctx, m)
			return err
		}
	}
	agent := func(mut func(m *types.MsgRegisterListing)) func() error {
		return func() error {
			m := agentMsg(a, 1)
			mut(m)
			_, err := s.msgs.RegisterListing(s.ctx, m)
			return err
		}
	}
	// A cycle among existing listings can only come from corrupted state; write one
	// directly (bypassing validation) to exercise the defensive search.
	cyc1, cyc2 := s.listing(6), s.listing(6)
	cyc1.Id, cyc1.Components = 100, []uint64{101}
	cyc2.Id, cyc2.Components = 101, []uint64{100}
	cyc1.Collateral, cyc2.Collateral = sdk.NewInt64Coin("ubai", 0), sdk.NewInt64Coin("ubai", 0)
	// Owned by someone else, so they do not count against the owner limit refused below.
	other := s.addr(sdk.AccAddress("corrupted-owner-----"))
	cyc1.Owner, cyc2.Owner = other, other
	s.rawListing(cyc1, 1)
	s.rawListing(cyc2, 1)
	defer func() {
		s.rawListing(cyc1, -1)
		s.rawListing(cyc2, -1)
	}()

	s.runRefusals([]errCase{
		{"bad owner", reg(func(m *types.MsgRegisterListing) { m.Owner = "cosmos1xyz" }), types.ErrInvalidAddress, ""},
		{"bad CID", reg(func(m *types.MsgRegisterListing) { m.MetadataCid = "not-a-cid" }), types.ErrInvalidCID, ""},
		{"truncated CIDv0", reg(func(m *types.MsgRegisterListing) { m.MetadataCid = testCIDv0[:20] }), types.ErrInvalidCID, ""},
		{"empty CID", reg(func(m *types.MsgRegisterListing) { m.MetadataCid = "" }), types.ErrInvalidCID, ""},
		{"ftp URL", reg(func(m *types.MsgRegisterListing) { m.Endpoint = "ftp://node.example.com" }), types.ErrInvalidEndpoint, ""},
		{"http to remote host", reg(func(m *types.MsgRegisterListing) { m.Endpoint = "http://node.example.com" }), types.ErrInvalidEndpoint, ""},
		{"URL without host", reg(func(m *types.MsgRegisterListing) { m.Endpoint = "https:///path" }), types.ErrInvalidEndpoint, ""},
		{"relative URL", reg(func(m *types.MsgRegisterListing) { m.Endpoint = "node.example.com/v1" }), types.ErrInvalidEndpoint, ""},
		{"URL too long", reg(func(m *types.MsgRegisterListing) { m.Endpoint = "https://a.io/" + strings.Repeat("x", 244) }), types.ErrInvalidEndpoint, ""},
		{"empty name", reg(func(m *types.MsgRegisterListing) { m.Name = "" }), types.ErrInvalidListing, ""},
		{"name too long", reg(func(m *types.MsgRegisterListing) { m.Name = strings.Repeat("n", 65) }), types.ErrInvalidListing, ""},
		{"description too long", reg(func(m *types.MsgRegisterListing) { m.Description = strings.Repeat("d", 2049) }), types.ErrInvalidListing, ""},
		{"too many tags", reg(func(m *types.MsgRegisterListing) { m.Tags = strings.Split("a,b,c,d,e,f,g,h,i", ",") }), types.ErrInvalidTags, ""},
		{"uppercase tag", reg(func(m *types.MsgRegisterListing) { m.Tags = []string{"LLM"} }), types.ErrInvalidTags, ""},
		{"tag too long", reg(func(m *types.MsgRegisterListing) { m.Tags = []string{strings.Repeat("t", 33)} }), types.ErrInvalidTags, ""},
		{"duplicate tag", reg(func(m *types.MsgRegisterListing) { m.Tags = []string{"llm", "llm"} }), types.ErrInvalidTags, ""},
		{"empty task", reg(func(m *types.MsgRegisterListing) { m.Task = "" }), types.ErrInvalidListing, ""},
		{"uppercase task", reg(func(m *types.MsgRegisterListing) { m.Task = "NLP" }), types.ErrInvalidListing, ""},
		{"version not semver", reg(func(m *types.MsgRegisterListing) { m.Version = "1.0" }), types.ErrInvalidVersion, ""},
		{"version with v", reg(func(m *types.MsgRegisterListing) { m.Version = "v1.0.0" }), types.ErrInvalidVersion, ""},
		{"unspecified kind", reg(func(m *types.MsgRegisterListing) { m.Kind = types.ListingKindUnspecified }), types.ErrInvalidListing, ""},
		{"unspecified access mode", reg(func(m *types.MsgRegisterListing) { m.Access.Mode = types.AccessModeUnspecified }), types.ErrInvalidAccessPolicy, ""},
		{"negative min stake", reg(func(m *types.MsgRegisterListing) { m.Access.MinStake = math.NewInt(-1) }), types.ErrInvalidAccessPolicy, ""},
		{"999 BAI collateral", reg(func(m *types.MsgRegisterListing) { m.Collateral = sdk.NewInt64Coin("ubai", 999*bai) }),
			types.ErrInvalidCollateral, "collateral 999000000ubai is below the minimum 1000000000ubai for a model"},
		{"collateral in another denom", reg(func(m *types.MsgRegisterListing) { m.Collateral = sdk.NewInt64Coin("uother", 1_000*bai) }), types.ErrInvalidCollateral, ""},
		{"collateral of 2^256-1 ubai (plus the fee, more than 256 bits)", reg(func(m *types.MsgRegisterListing) {
			m.Collateral = sdk.NewCoin("ubai", math.NewIntFromBigInt(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))))
		}), types.ErrInvalidCollateral, "more than any account can hold"},
		{"agent below its minimum", agent(func(m *types.MsgRegisterListing) { m.Collateral = sdk.NewInt64Coin("ubai", 499*bai) }),
			types.ErrInvalidCollateral, "for an agent"},
		{"model with components", reg(func(m *types.MsgRegisterListing) { m.Components = []uint64{1} }), types.ErrInvalidComponents, ""},
		{"missing component", agent(func(m *types.MsgRegisterListing) { m.Components = []uint64{1, 99} }), types.ErrInvalidComponents, "component 99 does not exist"},
		{"paused component", agent(func(m *types.MsgRegisterListing) { m.Components = []uint64{2} }), types.ErrInvalidComponents, "must be ACTIVE"},
		{"suspended component", agent(func(m *types.MsgRegisterListing) { m.Components = []uint64{4} }), types.ErrInvalidComponents, ""},
		{"retired component", agent(func(m *types.MsgRegisterListing) { m.Components = []uint64{5} }), types.ErrInvalidComponents, ""},
		{"duplicate component", agent(func(m *types.MsgRegisterListing) { m.Components = []uint64{1, 1} }), types.ErrInvalidComponents, ""},
		{"component zero", agent(func(m *types.MsgRegisterListing) { m.Components = []uint64{0} }), types.ErrInvalidComponents, ""},
		{"too many components", agent(func(m *types.MsgRegisterListing) {
			m.Components = make([]uint64, 17)
			for i := range m.Components {
				m.Components[i] = uint64(i + 1)
			}
		}), types.ErrInvalidComponents, "at most 16"},
		{"cyclic components", agent(func(m *types.MsgRegisterListing) { m.Components = []uint64{100} }), types.ErrInvalidComponents, "cycle"},
		{"insufficient funds", func() error {
			poor := s.addr(sdk.AccAddress("poor-provider-address"))
			_, err := s.msgs.RegisterListing(s.ctx, modelMsg(poor))
			return err
		}, sdkerrors.ErrInsufficientFunds, ""},
	})

	// Over the per-owner limit: owner 0 has 6 live listings (5 is RETIRED).
	p := types.DefaultParams()
	p.MaxListingsPerOwner = 6
	_, err := s.msgs.UpdateParams(s.ctx, &types.MsgUpdateParams{Authority: s.authority, Params: p})
	s.Require().NoError(err)
	s.runRefusals([]errCase{
		{"over the per-owner limit", reg(func(*types.MsgRegisterListing) {}), types.ErrOwnerLimit, "already has 6 live listings"},
	})
	// Another owner is unaffected.
	s.register(modelMsg(s.addrs[1]))
}

func (s *KeeperSuite) TestOwnerMsgRefusals() {
	s.fixture()
	a, b := s.addrs[0], s.addrs[1]
	ubai := func(n int64) sdk.Coin { return sdk.NewInt64Coin("ubai", n) }
	update := func(owner string, id uint64, mut func(m *types.MsgUpdateListing)) func() error {
		return func() error {
			m := &types.MsgUpdateListing{
				Owner: owner, Id: id, Description: "new", Task: "nlp", Tags: []string{"llm"},
				Endpoint: "https://node.example.com/v2", MetadataCid: testCIDv0, Version: "1.1.0",
				Access: types.AccessPolicy{MinStake: math.ZeroInt(), Mode: types.AccessModeAllowlist},
			}
			if mut != nil {
				mut(m)
			}
			_, err := s.msgs.UpdateListing(s.ctx, m)
			return err
		}
	}
	deposit := func(owner string, id uint64, amt sdk.Coin) func() error {
		return func() error {
			_, err := s.msgs.DepositCollateral(s.ctx, &types.MsgDepositCollateral{Owner: owner, Id: id, Amount: amt})
			return err
		}
	}
	withdraw := func(owner string, id uint64, amt sdk.Coin) func() error {
		return func() error {
			_, err := s.msgs.WithdrawCollateral(s.ctx, &types.MsgWithdrawCollateral{Owner: owner, Id: id, Amount: amt})
			return err
		}
	}
	pause := func(owner string, id uint64) func() error {
		return func() error {
			_, err := s.msgs.PauseListing(s.ctx, &types.MsgPauseListing{Owner: owner, Id: id})
			return err
		}
	}
	resume := func(owner string, id uint64) func() error {
		return func() error {
			_, err := s.msgs.ResumeListing(s.ctx, &types.MsgResumeListing{Owner: owner, Id: id})
			return err
		}
	}
	retire := func(owner string, id uint64) func() error {
		return func() error {
			_, err := s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: owner, Id: id})
			return err
		}
	}
	transfer := func(owner string, id uint64, to string) func() error {
		return func() error {
			_, err := s.msgs.TransferListing(s.ctx, &types.MsgTransferListing{Owner: owner, Id: id, NewOwner: to})
			return err
		}
	}
	blocked := s.addr(sdk.AccAddress("blocked-address-0000"))
	s.bank.Blocked[string(s.accAddr(blocked))] = true

	s.runRefusals([]errCase{
		// UpdateListing
		{"update: foreign owner", update(b, 1, nil), types.ErrNotOwner, ""},
		{"update: missing listing", update(a, 99, nil), types.ErrListingNotFound, ""},
		{"update: RETIRED", update(a, 5, nil), types.ErrInvalidStatus, ""},
		{"update: SUSPENDED", update(a, 4, nil), types.ErrInvalidStatus, ""},
		{"update: bad CID", update(a, 1, func(m *types.MsgUpdateListing) { m.MetadataCid = "bafy-nope" }), types.ErrInvalidCID, ""},
		{"update: bad URL", update(a, 1, func(m *types.MsgUpdateListing) { m.Endpoint = "http://10.0.0.1" }), types.ErrInvalidEndpoint, ""},
		{"update: too many tags", update(a, 1, func(m *types.MsgUpdateListing) { m.Tags = strings.Split("a,b,c,d,e,f,g,h,i", ",") }), types.ErrInvalidTags, ""},
		{"update: bad version", update(a, 1, func(m *types.MsgUpdateListing) { m.Version = "01.0.0" }), types.ErrInvalidVersion, ""},
		{"update: bad owner", update("nope", 1, nil), types.ErrInvalidAddress, ""},
		// DepositCollateral
		{"deposit: foreign owner", deposit(b, 1, ubai(bai)), types.ErrNotOwner, ""},
		{"deposit: other denom", deposit(a, 1, sdk.NewInt64Coin("uother", bai)), types.ErrInvalidAmount, ""},
		{"deposit: zero", deposit(a, 1, ubai(0)), types.ErrInvalidAmount, ""},
		{"deposit: RETIRING", deposit(a, 3, ubai(bai)), types.ErrInvalidStatus, ""},
		{"deposit: RETIRED", deposit(a, 5, ubai(bai)), types.ErrInvalidStatus, ""},
		{"deposit: SUSPENDED", deposit(a, 4, ubai(bai)), types.ErrInvalidStatus, ""},
		{"deposit: insufficient funds", deposit(a, 1, ubai(1_000_000*bai)), sdkerrors.ErrInsufficientFunds, ""},
		{"deposit: missing listing", deposit(a, 99, ubai(bai)), types.ErrListingNotFound, ""},
		// WithdrawCollateral
		{"withdraw: below minimum", withdraw(a, 1, ubai(1)), types.ErrWithdrawBelowMinimum, "at most 0ubai can be withdrawn"},
		{"withdraw: more than the excess", withdraw(a, 7, ubai(200*bai+1)), types.ErrWithdrawBelowMinimum, "at most 200000000ubai"},
		{"withdraw: foreign owner", withdraw(b, 7, ubai(bai)), types.ErrNotOwner, ""},
		{"withdraw: other denom", withdraw(a, 7, sdk.NewInt64Coin("uother", 1)), types.ErrInvalidAmount, ""},
		{"withdraw: RETIRING", withdraw(a, 3, ubai(1)), types.ErrInvalidStatus, ""},
		{"withdraw: SUSPENDED", withdraw(a, 4, ubai(1)), types.ErrInvalidStatus, ""},
		{"withdraw: RETIRED", withdraw(a, 5, ubai(1)), types.ErrInvalidStatus, ""},
		// Pause / Resume / Retire
		{"pause: foreign owner", pause(b, 1), types.ErrNotOwner, ""},
		{"pause: already PAUSED", pause(a, 2), types.ErrInvalidStatus, ""},
		{"pause: RETIRED", pause(a, 5), types.ErrInvalidStatus, ""},
		{"pause: SUSPENDED", pause(a, 4), types.ErrInvalidStatus, ""},
		{"pause: missing listing", pause(a, 99), types.ErrListingNotFound, ""},
		{"resume: foreign owner", resume(b, 2), types.ErrNotOwner, ""},
		{"resume: ACTIVE", resume(a, 1), types.ErrInvalidStatus, ""},
		{"resume: RETIRING", resume(a, 3), types.ErrInvalidStatus, ""},
		{"resume: SUSPENDED", resume(a, 4), types.ErrInvalidStatus, ""},
		{"retire: foreign owner", retire(b, 1), types.ErrNotOwner, ""},
		{"retire: RETIRING", retire(a, 3), types.ErrInvalidStatus, ""},
		{"retire: RETIRED", retire(a, 5), types.ErrInvalidStatus, ""},
		{"retire: SUSPENDED", retire(a, 4), types.ErrInvalidStatus, ""},
		// TransferListing
		{"transfer: foreign owner", transfer(b, 1, s.addrs[2]), types.ErrNotOwner, ""},
		{"transfer: to self", transfer(a, 1, a), types.ErrInvalidAddress, ""},
		{"transfer: bad new owner", transfer(a, 1, "bai1notanaddress"), types.ErrInvalidAddress, ""},
		{"transfer: blocked new owner", transfer(a, 1, blocked), types.ErrInvalidAddress, ""},
		{"transfer: RETIRED", transfer(a, 5, b), types.ErrInvalidStatus, ""},
		{"transfer: SUSPENDED", transfer(a, 4, b), types.ErrInvalidStatus, ""},
		{"transfer: missing listing", transfer(a, 99, b), types.ErrListingNotFound, ""},
	})

	// New owner at its limit.
	p := types.DefaultParams()
	p.MaxListingsPerOwner = 1
	_, err := s.msgs.UpdateParams(s.ctx, &types.MsgUpdateParams{Authority: s.authority, Params: p})
	s.Require().NoError(err)
	s.register(modelMsg(b)) // b now holds 1
	s.runRefusals([]errCase{{"transfer: new owner at limit", transfer(a, 1, b), types.ErrOwnerLimit, ""}})
}

func (s *KeeperSuite) TestAuthorityMsgRefusals() {
	s.fixture()
	slash := func(authority string, id uint64, f math.LegacyDec, dest string) func() error {
		return func() error {
			_, err := s.msgs.SlashListing(s.ctx, &types.MsgSlashListing{Authority: authority, Id: id, Fraction: f, Destination: dest, Reason: "r"})
			return err
		}
	}
	half := math.LegacyNewDecWithPrec(5, 1)
	params := func(mut func(p *types.Params)) func() error {
		return func() error {
			p := types.DefaultParams()
			mut(&p)
			_, err := s.msgs.UpdateParams(s.ctx, &types.MsgUpdateParams{Authority: s.authority, Params: p})
			return err
		}
	}
	s.runRefusals([]errCase{
		{"slash: not the authority", slash(s.addrs[0], 1, half, ""), govtypes.ErrInvalidSigner, "invalid authority"},
		{"slash: zero fraction", slash(s.authority, 1, math.LegacyZeroDec(), ""), types.ErrInvalidFraction, ""},
		{"slash: fraction above one", slash(s.authority, 1, math.LegacyNewDecWithPrec(15, 1), ""), types.ErrInvalidFraction, ""},
		{"slash: negative fraction", slash(s.authority, 1, math.LegacyNewDec(-1), ""), types.ErrInvalidFraction, ""},
		{"slash: unknown destination", slash(s.authority, 1, half, "nowhere"), types.ErrInvalidDestination, ""},
		{"slash: to itself", slash(s.authority, 1, half, types.ModuleName), types.ErrInvalidDestination, ""},
		// A module account that exists but keeps books of its own (here gov's) is refused too.
		{"slash: to a module account that is not a grant fund", slash(s.authority, 1, half, govtypes.ModuleName), types.ErrInvalidDestination, "not \"gov\""},
		{"slash: SUSPENDED", slash(s.authority, 4, half, ""), types.ErrInvalidStatus, ""},
		{"slash: RETIRED", slash(s.authority, 5, half, ""), types.ErrInvalidStatus, ""},
		{"slash: missing listing", slash(s.authority, 99, half, ""), types.ErrListingNotFound, ""},
		{"params: not the authority", func() error {
			_, err := s.msgs.UpdateParams(s.ctx, &types.MsgUpdateParams{Authority: s.addrs[0], Params: types.DefaultParams()})
			return err
		}, govtypes.ErrInvalidSigner, ""},
		{"params: zero listings per owner", params(func(p *types.Params) { p.MaxListingsPerOwner = 0 }), types.ErrInvalidParams, ""},
		{"params: wrong denom", params(func(p *types.Params) { p.RegistrationFee = sdk.NewInt64Coin("uother", 1) }), types.ErrInvalidParams, ""},
		{"params: zero unlock period", params(func(p *types.Params) { p.UnlockPeriod = 0 }), types.ErrInvalidParams, ""},
		{"params: zero unlocks per block", params(func(p *types.Params) { p.MaxUnlocksPerBlock = 0 }), types.ErrInvalidParams, ""},
	})
}

func (s *KeeperSuite) TestLifecycleAndKeeperAPI() {
	a, b := s.addrs[0], s.addrs[1]
	id := s.register(modelMsg(a))
	s.Require().Equal(uint64(1), id)
	s.Require().Equal(types.ListingStatusActive, s.listing(id).Status)
	_, err := s.k.GetListing(s.ctx, 42)
	s.Require().ErrorIs(err, types.ErrListingNotFound)

	_, err = s.msgs.PauseListing(s.ctx, &types.MsgPauseListing{Owner: a, Id: id})
	s.Require().NoError(err)
	s.Require().Equal(types.ListingStatusPaused, s.listing(id).Status)
	_, err = s.msgs.ResumeListing(s.ctx, &types.MsgResumeListing{Owner: a, Id: id})
	s.Require().NoError(err)

	// Update re-indexes task and tags.
	_, err = s.msgs.UpdateListing(s.ctx, &types.MsgUpdateListing{
		Owner: a, Id: id, Task: "speech", Tags: []string{"asr"}, Endpoint: "http://localhost:8080",
		MetadataCid: testCIDv0, Version: "2.0.0-rc.1+build.5",
		Access: types.AccessPolicy{MinStake: math.NewInt(1), RequestsPerDay: 0, Mode: types.AccessModeAllowlist},
	})
	s.Require().NoError(err)
	l := s.listing(id)
	s.Require().Equal("speech", l.Task)
	s.Require().Equal([]string{"asr"}, l.Tags)
	s.Require().Equal(s.ids(&types.QueryListingsRequest{Tag: "llm"}), []uint64(nil))
	s.Require().Equal([]uint64{id}, s.ids(&types.QueryListingsRequest{Tag: "asr"}))
	s.Require().Equal([]uint64{id}, s.ids(&types.QueryListingsRequest{Task: "speech"}))

	// Transfer moves the owner index and live counters.
	_, err = s.msgs.TransferListing(s.ctx, &types.MsgTransferListing{Owner: a, Id: id, NewOwner: b})
	s.Require().NoError(err)
	s.Require().Equal(b, s.listing(id).Owner)
	s.Require().Empty(s.ids(&types.QueryListingsRequest{Owner: a}))
	s.Require().Equal([]uint64{id}, s.ids(&types.QueryListingsRequest{Owner: b}))
	n, err := s.k.OwnerLiveCount.Get(s.ctx, s.accAddr(b))
	s.Require().NoError(err)
	s.Require().Equal(uint64(1), n)
	has, err := s.k.OwnerLiveCount.Has(s.ctx, s.accAddr(a))
	s.Require().NoError(err)
	s.Require().False(has)

	// The keeper API slashes to a module account and suspends.
	slashed, err := s.k.SlashAndSuspend(s.ctx, id, math.LegacyNewDecWithPrec(25, 2), s.listing(id).Collateral.Amount, fundModule, "upheld flag 3")
	s.Require().NoError(err)
	s.Require().Equal(sdk.NewInt64Coin("ubai", 250*bai), slashed)
	s.Require().Equal(int64(250*bai), s.bank.GetBalance(s.ctx, s.ak.GetModuleAddress(fundModule), "ubai").Amount.Int64())
	l = s.listing(id)
	s.Require().Equal(types.ListingStatusSuspended, l.Status)
	s.Require().Equal(int64(750*bai), l.Collateral.Amount.Int64())
	s.Require().Equal(s.ctx.BlockTime().Add(types.DefaultUnlockPeriod), l.UnlockAt)
	s.invariant()

	// Events were emitted for every step.
	var kinds []string
	for _, e := range s.ctx.EventManager().Events() {
		kinds = append(kinds, e.Type)
	}
	for _, want := range []string{"EventListingRegistered", "EventListingPaused", "EventListingResumed",
		"EventListingUpdated", "EventListingTransferred", "EventListingSlashed"} {
		s.Require().Contains(kinds, "balanceai.marketplace.v1."+want)
	}
}

// Governance sends a slash to a grant fund it is allowed to, or burns it.
func (s *KeeperSuite) TestGovSlashToAGrantFund() {
	s.fixture()
	fund := s.ak.GetModuleAddress(fundModule)
	before := s.bank.GetBalance(s.ctx, fund, "ubai").Amount
	res, err := s.msgs.SlashListing(s.ctx, &types.MsgSlashListing{
		Authority: s.authority, Id: 1, Fraction: math.LegacyNewDecWithPrec(5, 1), Destination: fundModule, Reason: "r",
	})
	s.Require().NoError(err)
	s.Require().True(res.Slashed.IsPositive())
	s.Require().Equal(before.Add(res.Slashed.Amount), s.bank.GetBalance(s.ctx, fund, "ubai").Amount)
	s.Require().Equal(types.ListingStatusSuspended, s.listing(1).Status)
	s.invariant()
}

// TestStatusBefore: the status history answers what status a listing had just before any
// moment, through several changes (two in one block included); an update changes nothing; a
// moment before its registration has no status; the history survives an export and import.
func (s *KeeperSuite) TestStatusBefore() {
	a := s.addrs[0]
	t0 := s.ctx.BlockTime()
	id := s.register(modelMsg(a))
	at := func(t time.Time) (types.ListingStatus, bool) {
		s.T().Helper()
		st, ok, err := s.k.StatusBefore(s.ctx, id, t)
		s.Require().NoError(err)
		return st, ok
	}
	pause := func() {
		_, err := s.msgs.PauseListing(s.ctx, &types.MsgPauseListing{Owner: a, Id: id})
		s.Require().NoError(err)
	}
	resume := func() {
		_, err := s.msgs.ResumeListing(s.ctx, &types.MsgResumeListing{Owner: a, Id: id})
		s.Require().NoError(err)
	}
	_, ok := at(t0)
	s.Require().False(ok, "nothing before the registration")
	s.advance(time.Hour)
	pause()
	t1 := s.ctx.BlockTime()
	s.advance(time.Hour)
	_, err := s.msgs.UpdateListing(s.ctx, &types.MsgUpdateListing{Owner: a, Id: id, Description: "paused", Task: "speech",
		Endpoint: "http://localhost:8080", MetadataCid: testCIDv0, Version: "2.0.0",
		Access: types.AccessPolicy{MinStake: math.NewInt(1), Mode: types.AccessModePublic}})
	s.Require().NoError(err)
	s.advance(time.Hour)
	// Resumed and paused again in one block: PAUSED before and after it.
	resume()
	pause()
	t3 := s.ctx.BlockTime()
	s.advance(time.Hour)

	for _, tc := range []struct {
		t    time.Time
		want types.ListingStatus
	}{
		{t0.Add(time.Nanosecond), types.ListingStatusActive},
		{t1, types.ListingStatusActive}, // strictly before the pause
		{t1.Add(time.Nanosecond), types.ListingStatusPaused},
		{t3, types.ListingStatusPaused},
		{t3.Add(time.Nanosecond), types.ListingStatusPaused},
	} {
		st, ok := at(tc.t)
		s.Require().True(ok)
		s.Require().Equal(tc.want, st, "before %s", tc.t)
	}
	resume()
	st, _ := at(s.ctx.BlockTime().Add(time.Nanosecond))
	s.Require().Equal(types.ListingStatusActive, st)
	s.invariant()

	gs, err := s.k.ExportGenesis(s.ctx)
	s.Require().NoError(err)
	s.Require().NoError(gs.Validate())
	s.Require().Len(gs.StatusHistory, 4, "registration, pause, the block's last status, resume")
	ctx2, _, _, _, k2 := newKeeper(s.T())
	s.Require().NoError(k2.InitGenesis(ctx2, gs))
	for _, t := range []time.Time{t1, t1.Add(time.Nanosecond), t3.Add(time.Nanosecond)} {
		want, _, err := s.k.StatusBefore(s.ctx, id, t)
		s.Require().NoError(err)
		got, ok, err := k2.StatusBefore(ctx2, id, t)
		s.Require().NoError(err)
		s.Require().True(ok)
		s.Require().Equal(want, got)
	}
}

// TestStatusHistoryWhenTimeGoesBack: a chain restarted from an export with an earlier genesis
// time sees block times before the listings' last changes. A change then drops the points at or
// after it, so the last point is still the listing's status.
func (s *KeeperSuite) TestStatusHistoryWhenTimeGoesBack() {
	a := s.addrs[0]
	id := s.register(modelMsg(a))
	start := s.ctx.BlockTime()
	s.advance(2 * time.Hour)
	_, err := s.msgs.PauseListing(s.ctx, &types.MsgPauseListing{Owner: a, Id: id})
	s.Require().NoError(err)
	s.ctx = s.ctx.WithBlockTime(start.Add(time.Hour))
	_, err = s.msgs.ResumeListing(s.ctx, &types.MsgResumeListing{Owner: a, Id: id})
	s.Require().NoError(err)
	s.invariant()
	st, ok, err := s.k.StatusBefore(s.ctx, id, start.Add(3*time.Hour))
	s.Require().NoError(err)
	s.Require().True(ok)
	s.Require().Equal(types.ListingStatusActive, st, "the pause two hours in is dropped")
	gs, err := s.k.ExportGenesis(s.ctx)
	s.Require().NoError(err)
	s.Require().NoError(gs.Validate())
}

// TestStatusChangedAt: status_changed_at moves with the status (registration, pause, resume,
// retire, retired, suspend) and only with it: an update or a deposit moves updated_at alone.
func (s *KeeperSuite) TestStatusChangedAt() {
	a := s.addrs[0]
	id := s.register(modelMsg(a))
	registered := s.listing(id)
	s.Require().False(registered.StatusChangedAt.IsZero())
	s.Require().Equal(registered.CreatedAt, registered.StatusChangedAt)
	step := func(run func() error, statusChanges bool) {
		s.T().Helper()
		before := s.listing(id)
		s.advance(time.Hour)
		s.Require().NoError(run())
		after := s.listing(id)
		s.Require().Equal(s.ctx.BlockTime().UTC(), after.UpdatedAt)
		if statusChanges {
			s.Require().Equal(after.UpdatedAt, after.StatusChangedAt)
		} else {
			s.Require().Equal(before.StatusChangedAt, after.StatusChangedAt)
		}
	}
	step(func() error {
		_, err := s.msgs.PauseListing(s.ctx, &types.MsgPauseListing{Owner: a, Id: id})
		return err
	}, true)
	step(func() error {
		_, err := s.msgs.UpdateListing(s.ctx, &types.MsgUpdateListing{Owner: a, Id: id, Description: "still paused", Task: "speech",
			Endpoint: "http://localhost:8080", MetadataCid: testCIDv0, Version: "2.0.0",
			Access: types.AccessPolicy{MinStake: math.NewInt(1), Mode: types.AccessModePublic}})
		return err
	}, false)
	step(func() error {
		_, err := s.msgs.DepositCollateral(s.ctx, &types.MsgDepositCollateral{Owner: a, Id: id, Amount: sdk.NewInt64Coin("ubai", 1)})
		return err
	}, false)
	step(func() error {
		_, err := s.msgs.ResumeListing(s.ctx, &types.MsgResumeListing{Owner: a, Id: id})
		return err
	}, true)
	step(func() error {
		_, err := s.msgs.SlashListing(s.ctx, &types.MsgSlashListing{Authority: s.authority, Id: id, Fraction: math.LegacyNewDecWithPrec(1, 1), Reason: "r"})
		return err
	}, true)
	s.invariant()

	other := s.register(modelMsg(a))
	_, err := s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: a, Id: other})
	s.Require().NoError(err)
	s.Require().Equal(s.ctx.BlockTime().UTC(), s.listing(other).StatusChangedAt)
	s.advance(types.DefaultUnlockPeriod)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetired, s.listing(other).Status)
	s.Require().Equal(s.ctx.BlockTime().UTC(), s.listing(other).StatusChangedAt)
}
