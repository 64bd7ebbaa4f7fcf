package keeper

import (
	"context"
	"math"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/balanceai/balanceai/x/emission/types"
)

type queryServer struct{ k Keeper }

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the x/emission Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

// Params returns the module parameters.
func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// State returns the state, with the time to the next halving at the current exact rate.
func (q queryServer) State(ctx context.Context, req *types.QueryStateRequest) (*types.QueryStateResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, s, err := q.load(ctx)
	if err != nil {
		return nil, err
	}
	secs := types.SecondsToThreshold(p.MaxSupply, p.DailyEmission, s.Issued, s.Carry, s.Era)
	resp := &types.QueryStateResponse{State: s, SecondsToNextHalving: secs}
	// The estimate is only given when it fits a time.Duration (~292 years).
	if secs.IsPositive() && !s.LastEmissionTime.IsZero() && secs.IsInt64() && secs.Int64() <= math.MaxInt64/int64(time.Second) {
		t := s.LastEmissionTime.Add(time.Duration(secs.Int64()) * time.Second)
		resp.EstimatedNextHalvingTime = &t
	}
	return resp, nil
}

// Schedule returns every era from the current one up to the cap.
func (q queryServer) Schedule(ctx context.Context, req *types.QueryScheduleRequest) (*types.QueryScheduleResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, s, err := q.load(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryScheduleResponse{Eras: types.Schedule(p.MaxSupply, p.DailyEmission, s.Issued, s.Era)}, nil
}

// Supply returns issued, burned (in total and by source), circulating (bank supply) and
// remaining (to the cap). issued - burned = circulating as long as every burn is accounted for.
func (q queryServer) Supply(ctx context.Context, req *types.QuerySupplyRequest) (*types.QuerySupplyResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, s, err := q.load(ctx)
	if err != nil {
		return nil, err
	}
	bySource, err := q.k.BurnedBySource(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QuerySupplyResponse{
		Denom:          p.MintDenom,
		Issued:         s.Issued,
		Burned:         types.SumBurns(bySource),
		Circulating:    q.k.bankKeeper.GetSupply(ctx, p.MintDenom).Amount,
		Remaining:      p.MaxSupply.Sub(s.Issued),
		MaxSupply:      p.MaxSupply,
		GenesisSupply:  s.GenesisSupply,
		Minted:         s.TotalMinted,
		BurnedBySource: bySource,
	}, nil
}

func (q queryServer) load(ctx context.Context) (types.Params, types.State, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return p, types.State{}, status.Error(codes.Internal, err.Error())
	}
	s, err := q.k.State.Get(ctx)
	if err != nil {
		return p, s, status.Error(codes.Internal, err.Error())
	}
	return p, s, nil
}
