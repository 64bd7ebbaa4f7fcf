package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/cosmos/gogoproto/proto"

	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"

	invariantstypes "github.com/balanceai/balanceai/app/invariants/types"
)

// Invariant is one invariant a module registers: a check over the whole state that must hold
// after every block.
type Invariant struct {
	Module string
	Route  string
	Check  sdk.Invariant
}

// InvariantResult is the outcome of one invariant on one state.
type InvariantResult struct {
	Module  string
	Route   string
	Broken  bool
	Message string
}

// Error describes a broken invariant.
func (r InvariantResult) Error() string {
	return fmt.Sprintf("invariant %s/%s broken: %s", r.Module, r.Route, r.Message)
}

// invariantRegistry collects the invariants modules register (sdk.InvariantRegistry). The
// SDK's module manager no longer collects them since x/crisis left the default app, so the app
// does: the in-process test chains (testutil) and the simulation check them after every block,
// and the Invariants query (balanceai.invariants.v1) runs them on a live node.
type invariantRegistry struct{ list []Invariant }

// RegisterRoute implements sdk.InvariantRegistry.
func (r *invariantRegistry) RegisterRoute(moduleName, route string, inv sdk.Invariant) {
	r.list = append(r.list, Invariant{Module: moduleName, Route: route, Check: inv})
}

// Invariants returns every invariant registered by the app's modules, in module name order
// (each module's in the order it registers them).
func (app *App) Invariants() []Invariant {
	names := make([]string, 0, len(app.ModuleManager.Modules))
	for name := range app.ModuleManager.Modules {
		names = append(names, name)
	}
	sort.Strings(names)
	reg := &invariantRegistry{}
	for _, name := range names {
		if m, ok := app.ModuleManager.Modules[name].(module.HasInvariants); ok {
			m.RegisterInvariants(reg)
		}
	}
	return reg.list
}

// RunInvariants runs every invariant on ctx and returns each one's result, in the order of
// Invariants. Each runs on its own cached branch of ctx, so nothing an invariant might write
// reaches ctx's state.
func (app *App) RunInvariants(ctx sdk.Context) []InvariantResult {
	return runInvariants(ctx, app.Invariants())
}

func runInvariants(ctx sdk.Context, invs []Invariant) []InvariantResult {
	out := make([]InvariantResult, len(invs))
	for i, inv := range invs {
		cacheCtx, _ := ctx.CacheContext()
		msg, broken := inv.Check(cacheCtx)
		out[i] = InvariantResult{Module: inv.Module, Route: inv.Route, Broken: broken, Message: msg}
	}
	return out
}

// CheckInvariants runs every invariant on ctx and returns an error naming every broken one (nil
// when all hold).
func (app *App) CheckInvariants(ctx sdk.Context) error {
	var errs []error
	for _, r := range app.RunInvariants(ctx) {
		if r.Broken {
			errs = append(errs, r)
		}
	}
	return errors.Join(errs...)
}

// invariantsQueryServer serves balanceai.invariants.v1.Query: `baid q invariants` and
// GET /balanceai/invariants/v1/invariants report each invariant's status on a live node.
//
// The invariants walk every module's records, and anyone who can reach the node's gRPC, REST
// or RPC can ask, so a run is bounded three ways: its store reads are metered against
// app.toml's invariants.query-gas-limit (a state too large for it is refused with
// ResourceExhausted rather than walked), one run at a time per node (a request that arrives
// during another is refused with Unavailable), and only the latest two heights, whose answers
// are kept per module, so asking again costs nothing.
type invariantsQueryServer struct {
	app    *App
	gasCap uint64 // 0: unmetered

	run     sync.Mutex // held for a run
	mu      sync.Mutex // guards answers
	answers map[invariantsQuery]*invariantstypes.QueryInvariantsResponse
}

// invariantsQuery is what an answer is kept for: a height and a module filter.
type invariantsQuery struct {
	height int64
	module string
}

var _ invariantstypes.QueryServer = (*invariantsQueryServer)(nil)

// cached returns the answer kept for q, if any.
func (s *invariantsQueryServer) cached(q invariantsQuery) *invariantstypes.QueryInvariantsResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	if res, ok := s.answers[q]; ok {
		return proto.Clone(res).(*invariantstypes.QueryInvariantsResponse)
	}
	return nil
}

// keep stores an answer and forgets those of heights before oldest.
func (s *invariantsQueryServer) keep(q invariantsQuery, res *invariantstypes.QueryInvariantsResponse, oldest int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.answers == nil {
		s.answers = map[invariantsQuery]*invariantstypes.QueryInvariantsResponse{}
	}
	for k := range s.answers {
		if k.height < oldest {
			delete(s.answers, k)
		}
	}
	s.answers[q] = proto.Clone(res).(*invariantstypes.QueryInvariantsResponse)
}

// Invariants runs every invariant, or one module's, on the query's state: the node's latest
// committed state (or the one before it), on a cached branch of it.
func (s *invariantsQueryServer) Invariants(
	goCtx context.Context, req *invariantstypes.QueryInvariantsRequest,
) (res *invariantstypes.QueryInvariantsResponse, err error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	ctx := sdk.UnwrapSDKContext(goCtx)
	invs := s.app.Invariants()
	if req.Module != "" {
		var mine, modules []string
		selected := make([]Invariant, 0, len(invs))
		for _, inv := range invs {
			if len(modules) == 0 || modules[len(modules)-1] != inv.Module {
				modules = append(modules, inv.Module)
			}
			if inv.Module == req.Module {
				selected = append(selected, inv)
				mine = append(mine, inv.Route)
			}
		}
		if len(mine) == 0 {
			return nil, status.Errorf(codes.InvalidArgument,
				"module %q registers no invariants; modules that do: %s (or leave module empty for all)",
				req.Module, strings.Join(modules, ", "))
		}
		invs = selected
	}
	// Only the latest two states: an answer is kept per height, so a caller cycling through
	// older heights would otherwise make the node walk its whole state back to back.
	q := invariantsQuery{height: ctx.BlockHeight(), module: req.Module}
	oldest := s.app.committedHeight.Load() - 1
	if q.height < oldest {
		return nil, status.Errorf(codes.InvalidArgument,
			"invariants run on the latest state only (height %d or %d), not %d", oldest, oldest+1, q.height)
	}
	if res := s.cached(q); res != nil {
		return res, nil
	}
	if !s.run.TryLock() {
		return nil, status.Error(codes.Unavailable, "another invariants run is in progress on this node; retry in a moment")
	}
	defer s.run.Unlock()
	if res := s.cached(q); res != nil {
		return res, nil
	}

	// Its own bound replaces the node's query-gas-limit, in both directions: 0 is no bound.
	if s.gasCap > 0 {
		ctx = ctx.WithGasMeter(storetypes.NewGasMeter(s.gasCap))
	} else {
		ctx = ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
	}
	defer func() {
		if r := recover(); r != nil {
			oog, ok := r.(storetypes.ErrorOutOfGas)
			if !ok {
				panic(r)
			}
			res, err = nil, status.Errorf(codes.ResourceExhausted,
				"the invariants read more of the state than this node's app.toml invariants.query-gas-limit (%d) allows (%s); "+
					"ask for one module's (module=...), or ask a node whose operator raised the limit", s.gasCap, oog.Descriptor)
		}
	}()
	res = &invariantstypes.QueryInvariantsResponse{
		Height:     ctx.BlockHeight(),
		Invariants: make([]invariantstypes.InvariantStatus, len(invs)),
	}
	for i, r := range runInvariants(ctx, invs) {
		res.Invariants[i] = invariantstypes.InvariantStatus{
			Module: r.Module, Route: r.Route, Broken: r.Broken, Message: r.Message,
		}
		if r.Broken {
			res.Broken++
		}
	}
	s.keep(q, res, oldest)
	return res, nil
}

// registerInvariantsQuery registers the invariants query service on the app's gRPC query
// router (and so on the node's gRPC server).
func (app *App) registerInvariantsQuery(gasCap uint64) {
	app.invariantsQuery = &invariantsQueryServer{app: app, gasCap: gasCap}
	invariantstypes.RegisterQueryServer(app.GRPCQueryRouter(), app.invariantsQuery)
}

// registerInvariantsGateway registers GET /balanceai/invariants/v1/invariants on the API
// server's gRPC-gateway.
func registerInvariantsGateway(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := invariantstypes.RegisterQueryHandlerClient(
		context.Background(), mux, invariantstypes.NewQueryClient(clientCtx),
	); err != nil {
		panic(err)
	}
}
