package app

import (
	"context"
	"strings"

	errorsmod "cosmossdk.io/errors"
	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// Query implements the ABCI Query: BaseApp's, except that a store subspace query
// (/store/<store>/subspace) is refused. That query returns every entry under a key prefix
// straight from the store, with no gas meter, so app.toml's query-gas-limit does not bound it,
// and over CometBFT's RPC (abci_query) it runs under the lock that block execution takes: one
// request for a large prefix could hold the node's consensus for as long as the walk takes.
// Key queries (/store/<store>/key, with or without proofs, as relayers and light clients ask)
// and every gRPC query are answered as before.
func (app *App) Query(ctx context.Context, req *abci.RequestQuery) (*abci.ResponseQuery, error) {
	if req != nil && isStoreSubspaceQuery(req.Path) {
		return sdkerrors.QueryResult(errorsmod.Wrap(sdkerrors.ErrUnknownRequest,
			"store subspace queries are not served (they walk a store prefix unmetered); ask the module's gRPC or REST queries, or /store/<store>/key for one key"), false), nil
	}
	return app.BaseApp.Query(ctx, req)
}

// isStoreSubspaceQuery reports whether path is /store/<store>/subspace, as BaseApp and the
// multistore read it.
func isStoreSubspaceQuery(path string) bool {
	p := baseapp.SplitABCIQueryPath(path)
	return len(p) >= 3 && p[0] == baseapp.QueryPathStore && strings.Join(p[2:], "/") == "subspace"
}
