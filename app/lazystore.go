package app

import (
	"context"
	"io"
	"maps"
	"sync"
	"time"

	"cosmossdk.io/store/cachekv"
	"cosmossdk.io/store/rootmulti"
	"cosmossdk.io/store/tracekv"
	storetypes "cosmossdk.io/store/types"
	gogogrpc "github.com/cosmos/gogoproto/grpc"
	"google.golang.org/grpc"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// lazyRoot is the root multistore whose branches make a store's cache when the store is first
// used.
//
// BaseApp branches the root once per block state, and every transaction branches its block
// state two or three times (CheckTx, the ante handler and the messages in a block). The SDK's
// branch (cachemulti) makes a cache store for every mounted store at once, whichever stores the
// transaction touches: 18 a branch here, each with its maps and B-tree, where a bank send uses
// three. A lazy branch makes the cache of a store on its first GetKVStore/GetStore and writes
// back only the caches it made.
//
// What a branch reads and writes is the same either way: a cache store reads through to its
// parent's store at read time, so a cache made at first use sees what one made at the branch
// would have seen then, and a store never used has nothing to write. Only the block-level
// branch (once per block state) is the SDK's own, with its listeners and tracing.
type lazyRoot struct {
	*rootmulti.Store
}

// CacheMultiStore is the block-level branch: the SDK's, whose own branches are lazy. With
// tracing on (--trace-store, a debugging mode) every branch is the SDK's, which traces each
// store under its name.
func (r lazyRoot) CacheMultiStore() storetypes.CacheMultiStore {
	cms := r.Store.CacheMultiStore()
	if r.Store.TracingEnabled() {
		return cms
	}
	return blockBranch{sdkBranch: cms}
}

// CacheWrap implements storetypes.CacheWrapper.
func (r lazyRoot) CacheWrap() storetypes.CacheWrap {
	return r.CacheMultiStore().(storetypes.CacheWrap)
}

// CacheWrapWithTrace implements storetypes.CacheWrapper.
func (r lazyRoot) CacheWrapWithTrace(_ io.Writer, _ storetypes.TraceContext) storetypes.CacheWrap {
	return r.CacheWrap()
}

type sdkBranch = storetypes.CacheMultiStore

// blockBranch is the SDK's branch of the root (a block state's store) with lazy branches.
type blockBranch struct {
	sdkBranch
}

// CacheMultiStore implements storetypes.MultiStore.
func (b blockBranch) CacheMultiStore() storetypes.CacheMultiStore {
	return &lazyBranch{parent: b.sdkBranch}
}

// CacheWrap implements storetypes.CacheWrapper.
func (b blockBranch) CacheWrap() storetypes.CacheWrap {
	return b.CacheMultiStore().(storetypes.CacheWrap)
}

// CacheWrapWithTrace implements storetypes.CacheWrapper.
func (b blockBranch) CacheWrapWithTrace(_ io.Writer, _ storetypes.TraceContext) storetypes.CacheWrap {
	return b.CacheWrap()
}

// lazyBranch is a branch of a multistore whose cache stores are made on first use.
type lazyBranch struct {
	// parent is the branched multistore: the SDK's block-level branch or another lazyBranch.
	parent storetypes.MultiStore

	mu sync.Mutex
	// keys and made list the stores made, in the order they were made (for Write): made[i] is
	// the cache of the store under keys[i]. A transaction's branch makes a handful, found faster
	// by a scan than by hashing interface keys.
	keys []storetypes.StoreKey
	made []storetypes.CacheWrap

	traceWriter  io.Writer
	traceContext storetypes.TraceContext
}

var _ storetypes.CacheMultiStore = (*lazyBranch)(nil)

// store returns the branch's cache of the parent's store under key, making it on first use.
func (b *lazyBranch) store(key storetypes.StoreKey) storetypes.CacheWrap {
	if key == nil {
		panic("kv store with key <nil> has not been registered in stores")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, k := range b.keys {
		if k == key {
			return b.made[i]
		}
	}
	parent := b.parent.GetKVStore(key)
	if b.traceWriter != nil {
		tctx := b.traceContext.Clone().Merge(storetypes.TraceContext{"store_name": key.Name()})
		parent = tracekv.NewStore(parent, b.traceWriter, tctx)
	}
	s := cachekv.NewStore(parent)
	b.keys = append(b.keys, key)
	b.made = append(b.made, s)
	return s
}

// GetStore implements storetypes.MultiStore.
func (b *lazyBranch) GetStore(key storetypes.StoreKey) storetypes.Store {
	return b.store(key).(storetypes.Store)
}

// GetKVStore implements storetypes.MultiStore.
func (b *lazyBranch) GetKVStore(key storetypes.StoreKey) storetypes.KVStore {
	return b.store(key).(storetypes.KVStore)
}

// Write implements storetypes.CacheMultiStore: it writes back the caches this branch made.
func (b *lazyBranch) Write() {
	b.mu.Lock()
	made := b.made
	b.mu.Unlock()
	for _, s := range made {
		s.Write()
	}
}

// CacheMultiStore implements storetypes.MultiStore.
func (b *lazyBranch) CacheMultiStore() storetypes.CacheMultiStore {
	return &lazyBranch{parent: b, traceWriter: b.traceWriter, traceContext: b.traceContext}
}

// CacheMultiStoreWithVersion implements storetypes.MultiStore; a branch has no versions.
func (b *lazyBranch) CacheMultiStoreWithVersion(int64) (storetypes.CacheMultiStore, error) {
	panic("cannot branch cached multi-store with a version")
}

// CacheWrap implements storetypes.CacheWrapper.
func (b *lazyBranch) CacheWrap() storetypes.CacheWrap {
	return b.CacheMultiStore().(storetypes.CacheWrap)
}

// CacheWrapWithTrace implements storetypes.CacheWrapper.
func (b *lazyBranch) CacheWrapWithTrace(_ io.Writer, _ storetypes.TraceContext) storetypes.CacheWrap {
	return b.CacheWrap()
}

// GetStoreType implements storetypes.Store.
func (b *lazyBranch) GetStoreType() storetypes.StoreType { return storetypes.StoreTypeMulti }

// LatestVersion implements storetypes.MultiStore; a branch has no versions.
func (b *lazyBranch) LatestVersion() int64 {
	panic("cannot get latest version from branch cached multi-store")
}

// TracingEnabled implements storetypes.MultiStore.
func (b *lazyBranch) TracingEnabled() bool { return b.traceWriter != nil }

// SetTracer implements storetypes.MultiStore.
func (b *lazyBranch) SetTracer(w io.Writer) storetypes.MultiStore {
	b.traceWriter = w
	return b
}

// SetTracingContext implements storetypes.MultiStore: it merges tc into the branch's context.
func (b *lazyBranch) SetTracingContext(tc storetypes.TraceContext) storetypes.MultiStore {
	if b.traceContext != nil {
		maps.Copy(b.traceContext, tc)
	} else {
		b.traceContext = tc
	}
	return b
}

// historicalTimeServer registers the modules' query services so that a query at a past height
// sees that block's time. BaseApp gives a past height's context its block time from the commit
// info when it holds the root store itself (a *rootmulti.Store); with lazyRoot it would keep
// the latest block's time, so the query methods set it here, on both paths: gRPC and REST
// (BaseApp's interceptor makes the context) and ABCI queries (the context is the argument).
type historicalTimeServer struct {
	gogogrpc.Server
	app *App
}

// RegisterService implements gogogrpc.Server.
func (s historicalTimeServer) RegisterService(sd *grpc.ServiceDesc, impl any) {
	s.Server.RegisterService(wrapMethods(sd, func(handler grpc.MethodHandler) grpc.MethodHandler {
		return func(srv any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
			if ic == nil {
				return handler(srv, s.app.atBlockTime(ctx), dec, nil)
			}
			return handler(srv, ctx, dec, func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
				return ic(ctx, req, info, func(ctx context.Context, req any) (any, error) {
					return h(s.app.atBlockTime(ctx), req)
				})
			})
		}
	}), impl)
}

// atBlockTime gives a query context at a committed height the time of that block, as BaseApp
// does for a query that names its height (CreateQueryContextWithCheckHeader). The latest
// height too: until a restarted node commits its first block its check state's header is
// empty (year 1), and while a block is being committed it is the previous block's.
func (app *App) atBlockTime(ctx context.Context) context.Context {
	sdkCtx, ok := ctx.Value(sdk.SdkContextKey).(sdk.Context)
	if !ok {
		return ctx
	}
	h := sdkCtx.BlockHeight()
	// The height the app recorded after the last Commit: reading the root's own, which Commit
	// writes, would race with it.
	latest := app.committedHeight.Load()
	if h <= 0 || h > latest {
		return ctx
	}
	t, ok := app.commitTime(h, latest)
	if !ok {
		return ctx
	}
	sdkCtx = sdkCtx.WithBlockHeight(h).WithBlockTime(t)
	if _, isSDK := ctx.(sdk.Context); isSDK {
		return sdkCtx
	}
	return context.WithValue(ctx, sdk.SdkContextKey, sdkCtx)
}

// commitTime is the time of the block committed at height h, from the root's commit info; the
// latest one is remembered, so queries of the latest state read it once a block.
func (app *App) commitTime(h, latest int64) (time.Time, bool) {
	if c := app.latestCommitTime.Load(); c != nil && c.height == h {
		return c.time, true
	}
	info, err := app.root.GetCommitInfo(h)
	if err != nil || info == nil {
		return time.Time{}, false
	}
	if h == latest {
		app.latestCommitTime.Store(&heightTime{height: h, time: info.Timestamp})
	}
	return info.Timestamp, true
}

// heightTime is a block's height and time.
type heightTime struct {
	height int64
	time   time.Time
}

// CommitMultiStore returns the root multistore itself (BaseApp holds it wrapped in lazyRoot),
// for the SDK's commands that need its concrete type (prune, module hashes).
func (app *App) CommitMultiStore() storetypes.CommitMultiStore { return app.root }
