//go:build sims

package app_test

import (
	"context"
	"sort"
	"testing"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/app"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
	bridgetypes "github.com/balanceai/balanceai/x/bridge/types"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	emissiontypes "github.com/balanceai/balanceai/x/emission/types"
	grantstypes "github.com/balanceai/balanceai/x/grants/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// ownModules are the BalanceAI modules.
var ownModules = []string{
	accesstypes.ModuleName, bridgetypes.ModuleName, curationtypes.ModuleName,
	emissiontypes.ModuleName, grantstypes.ModuleName, marketplacetypes.ModuleName,
}

// ownStoreKeys returns the store key names of the BalanceAI modules, sorted.
func ownStoreKeys(*app.App) []string {
	names := []string{
		accesstypes.StoreKey, bridgetypes.StoreKey, curationtypes.StoreKey,
		emissiontypes.StoreKey, grantstypes.StoreKey, marketplacetypes.StoreKey,
	}
	sort.Strings(names)
	return names
}

// allPages asks list queries for everything at once.
var allPages = &query.PageRequest{Limit: 1 << 20, CountTotal: true}

// customQuery is one query of a BalanceAI module, asked the same way of both apps.
type customQuery struct {
	name string
	ask  func(ctx context.Context, conn *baseapp.QueryServiceTestHelper) (gogoproto.Message, error)
}

// customQueries lists every query of every BalanceAI module: the parameterless ones once, the
// per-object ones for every object the exported genesis holds.
func customQueries(tb testing.TB, a *app.App, gs app.GenesisState) []customQuery {
	tb.Helper()
	cdc := a.AppCodec()
	q := func(name string, ask func(ctx context.Context, conn *baseapp.QueryServiceTestHelper) (gogoproto.Message, error)) customQuery {
		return customQuery{name: name, ask: ask}
	}
	out := []customQuery{
		q("emission/Params", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return emissiontypes.NewQueryClient(c).Params(ctx, &emissiontypes.QueryParamsRequest{})
		}),
		q("emission/State", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return emissiontypes.NewQueryClient(c).State(ctx, &emissiontypes.QueryStateRequest{})
		}),
		q("emission/Schedule", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return emissiontypes.NewQueryClient(c).Schedule(ctx, &emissiontypes.QueryScheduleRequest{})
		}),
		q("emission/Supply", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return emissiontypes.NewQueryClient(c).Supply(ctx, &emissiontypes.QuerySupplyRequest{})
		}),
		q("marketplace/Params", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return marketplacetypes.NewQueryClient(c).Params(ctx, &marketplacetypes.QueryParamsRequest{})
		}),
		q("marketplace/Totals", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return marketplacetypes.NewQueryClient(c).Totals(ctx, &marketplacetypes.QueryTotalsRequest{})
		}),
		q("marketplace/Listings", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return marketplacetypes.NewQueryClient(c).Listings(ctx, &marketplacetypes.QueryListingsRequest{Pagination: allPages})
		}),
		q("curation/Params", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return curationtypes.NewQueryClient(c).Params(ctx, &curationtypes.QueryParamsRequest{})
		}),
		q("curation/Curators", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return curationtypes.NewQueryClient(c).Curators(ctx, &curationtypes.QueryCuratorsRequest{Pagination: allPages})
		}),
		q("curation/Epoch", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return curationtypes.NewQueryClient(c).Epoch(ctx, &curationtypes.QueryEpochRequest{})
		}),
		q("curation/Flags", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return curationtypes.NewQueryClient(c).Flags(ctx, &curationtypes.QueryFlagsRequest{Pagination: allPages})
		}),
		q("grants/Params", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return grantstypes.NewQueryClient(c).Params(ctx, &grantstypes.QueryParamsRequest{})
		}),
		q("grants/Funds", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return grantstypes.NewQueryClient(c).Funds(ctx, &grantstypes.QueryFundsRequest{})
		}),
		q("grants/Grants", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return grantstypes.NewQueryClient(c).Grants(ctx, &grantstypes.QueryGrantsRequest{Pagination: allPages})
		}),
		q("access/Params", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return accesstypes.NewQueryClient(c).Params(ctx, &accesstypes.QueryParamsRequest{})
		}),
		q("bridge/Params", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return bridgetypes.NewQueryClient(c).Params(ctx, &bridgetypes.QueryParamsRequest{})
		}),
		q("bridge/Totals", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return bridgetypes.NewQueryClient(c).Totals(ctx, &bridgetypes.QueryTotalsRequest{})
		}),
		q("bridge/OutboundTransfers", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return bridgetypes.NewQueryClient(c).OutboundTransfers(ctx, &bridgetypes.QueryOutboundTransfersRequest{Pagination: allPages})
		}),
	}

	var market marketplacetypes.GenesisState
	cdc.MustUnmarshalJSON(gs[marketplacetypes.ModuleName], &market)
	var access accesstypes.GenesisState
	cdc.MustUnmarshalJSON(gs[accesstypes.ModuleName], &access)
	users := map[string]bool{}
	for _, b := range access.ReceiptBatches {
		for _, r := range b.Records {
			users[r.User] = true
		}
	}
	for _, al := range access.Allowlists {
		for _, u := range al.Users {
			users[u] = true
		}
	}
	for _, l := range market.Listings {
		users[l.Owner] = true
	}
	sortedUsers := make([]string, 0, len(users))
	for u := range users {
		sortedUsers = append(sortedUsers, u)
	}
	sort.Strings(sortedUsers)
	for _, l := range market.Listings {
		id := l.Id
		out = append(out,
			q("marketplace/Listing", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
				return marketplacetypes.NewQueryClient(c).Listing(ctx, &marketplacetypes.QueryListingRequest{Id: id})
			}),
			q("curation/Scores", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
				return curationtypes.NewQueryClient(c).Scores(ctx, &curationtypes.QueryScoresRequest{ListingId: id})
			}),
			q("access/UsageByListing", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
				return accesstypes.NewQueryClient(c).UsageByListing(ctx, &accesstypes.QueryUsageByListingRequest{ListingId: id, Pagination: allPages})
			}),
			q("access/Operators", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
				return accesstypes.NewQueryClient(c).Operators(ctx, &accesstypes.QueryOperatorsRequest{ListingId: id})
			}),
			q("access/Allowlist", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
				return accesstypes.NewQueryClient(c).Allowlist(ctx, &accesstypes.QueryAllowlistRequest{ListingId: id, Pagination: allPages})
			}),
		)
		// A few users per listing (its owner and four others): every pair would grow with the
		// square of the simulation's size.
		users := []string{l.Owner}
		for j := 0; j < 4 && len(sortedUsers) > 0; j++ {
			users = append(users, sortedUsers[(int(id)*7+j)%len(sortedUsers)])
		}
		for _, u := range users {
			user := u
			out = append(out,
				q("access/CheckAccess", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
					return accesstypes.NewQueryClient(c).CheckAccess(ctx, &accesstypes.QueryCheckAccessRequest{ListingId: id, User: user})
				}),
				q("access/UsageByUser", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
					return accesstypes.NewQueryClient(c).UsageByUser(ctx, &accesstypes.QueryUsageByUserRequest{ListingId: id, User: user, Pagination: allPages})
				}),
			)
		}
	}

	var curation curationtypes.GenesisState
	cdc.MustUnmarshalJSON(gs[curationtypes.ModuleName], &curation)
	for _, cur := range curation.Curators {
		addr := cur.Address
		out = append(out, q("curation/Curator", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return curationtypes.NewQueryClient(c).Curator(ctx, &curationtypes.QueryCuratorRequest{Address: addr})
		}))
	}
	for _, f := range curation.Flags {
		id := f.Id
		out = append(out, q("curation/Flag", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return curationtypes.NewQueryClient(c).Flag(ctx, &curationtypes.QueryFlagRequest{Id: id})
		}))
	}

	var grants grantstypes.GenesisState
	cdc.MustUnmarshalJSON(gs[grantstypes.ModuleName], &grants)
	for _, g := range grants.Grants {
		id := g.Id
		out = append(out, q("grants/Grant", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return grantstypes.NewQueryClient(c).Grant(ctx, &grantstypes.QueryGrantRequest{Id: id})
		}))
	}
	owners := map[string]bool{}
	for _, r := range grants.Rewards {
		owners[r.Owner] = true
	}
	for _, o := range sortedKeys(owners) {
		owner := o
		out = append(out, q("grants/Rewards", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return grantstypes.NewQueryClient(c).Rewards(ctx, &grantstypes.QueryRewardsRequest{Owner: owner})
		}))
	}

	var bridge bridgetypes.GenesisState
	cdc.MustUnmarshalJSON(gs[bridgetypes.ModuleName], &bridge)
	for _, o := range bridge.OutboundTransfers {
		nonce := o.Nonce
		out = append(out, q("bridge/OutboundTransfer", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return bridgetypes.NewQueryClient(c).OutboundTransfer(ctx, &bridgetypes.QueryOutboundTransferRequest{Nonce: nonce})
		}))
	}
	for _, cl := range bridge.InboundClaims {
		id := cl.ClaimId
		out = append(out, q("bridge/InboundClaim", func(ctx context.Context, c *baseapp.QueryServiceTestHelper) (gogoproto.Message, error) {
			return bridgetypes.NewQueryClient(c).InboundClaim(ctx, &bridgetypes.QueryInboundClaimRequest{ClaimId: id})
		}))
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// assertSameCustomQueryAnswers asks every BalanceAI query of both apps and requires the same
// answer (the same bytes, or the same error).
func assertSameCustomQueryAnswers(tb testing.TB, a, b *app.App, ctxA, ctxB sdk.Context, gs app.GenesisState) {
	tb.Helper()
	connA := &baseapp.QueryServiceTestHelper{GRPCQueryRouter: a.GRPCQueryRouter(), Ctx: ctxA}
	connB := &baseapp.QueryServiceTestHelper{GRPCQueryRouter: b.GRPCQueryRouter(), Ctx: ctxB}
	queries := customQueries(tb, a, gs)
	for _, cq := range queries {
		resA, errA := cq.ask(ctxA, connA)
		resB, errB := cq.ask(ctxB, connB)
		if errA != nil || errB != nil {
			require.Equal(tb, errA, errB, cq.name)
			continue
		}
		bzA, err := gogoproto.Marshal(resA)
		require.NoError(tb, err)
		bzB, err := gogoproto.Marshal(resB)
		require.NoError(tb, err)
		require.Equal(tb, bzA, bzB, "%s answers differently after import:\n%v\n%v", cq.name, resA, resB)
	}
	tb.Logf("%d BalanceAI queries answered the same on both apps", len(queries))
}
