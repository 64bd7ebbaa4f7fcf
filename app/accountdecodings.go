package app

import (
	"context"
	"fmt"
	"sync"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	corestore "cosmossdk.io/core/store"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// accountDecodingsPerGeneration bounds the remembered decodings: at most two generations of this
// many accounts (each about 400 bytes with its key), about 13 MB.
const accountDecodingsPerGeneration = 16_384

// AccountDecodings remembers decoded accounts by their stored bytes. The ante handler reads a
// signer's account five times a transaction (fee payer, public key, signature count and gas,
// verification, sequence), in CheckTx and again in FinalizeBlock, and each read decoded the same
// bytes again: an Any, a registry lookup, the account, its public key's Any and the key.
//
// A decoding is a function of the bytes alone, so answering a read of the same bytes with a copy
// of an earlier decoding gives the reader exactly what decoding would: the store is still read
// (same gas, same result when the account changed or is gone), only the decoding is skipped.
// Only plain *authtypes.BaseAccount values are remembered; every read gets its own copy (the
// ante handler sets sequences and keys on what it reads), sharing only the immutable public key.
// Node-local memory, never state; safe for concurrent use (gRPC simulations run the ante handler
// beside CheckTx).
type AccountDecodings struct {
	mu       sync.Mutex
	max      int
	cur, old map[string]*authtypes.BaseAccount
	hits     uint64
	misses   uint64
}

// NewAccountDecodings returns an empty set of decodings keeping at most 2 × perGeneration.
func NewAccountDecodings(perGeneration int) *AccountDecodings {
	if perGeneration < 1 {
		perGeneration = 1
	}
	return &AccountDecodings{max: perGeneration, cur: make(map[string]*authtypes.BaseAccount)}
}

// get returns a copy of the decoding of bz, if remembered. A decoding found in the old
// generation moves to the current one.
func (d *AccountDecodings) get(bz []byte) (*authtypes.BaseAccount, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	acc, ok := d.cur[string(bz)]
	if !ok {
		if acc, ok = d.old[string(bz)]; ok {
			d.putLocked(string(bz), acc)
		}
	}
	if !ok {
		d.misses++
		return nil, false
	}
	d.hits++
	cp := *acc
	return &cp, true
}

// put remembers acc as the decoding of bz; acc must not be changed afterwards.
func (d *AccountDecodings) put(bz []byte, acc *authtypes.BaseAccount) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.putLocked(string(bz), acc)
}

func (d *AccountDecodings) putLocked(key string, acc *authtypes.BaseAccount) {
	if len(d.cur) >= d.max {
		d.old, d.cur = d.cur, make(map[string]*authtypes.BaseAccount, d.max)
	}
	d.cur[key] = acc
}

// Len is the number of decodings remembered.
func (d *AccountDecodings) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := len(d.cur)
	for k := range d.old {
		if _, dup := d.cur[k]; !dup {
			n++
		}
	}
	return n
}

// Stats returns how many reads found their decoding, and how many decoded.
func (d *AccountDecodings) Stats() (hits, misses uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hits, d.misses
}

// decodingAccountKeeper is the account keeper the ante decorators are given: GetAccount reads the
// account's bytes as the SDK's keeper does (same key, same store, same gas) and decodes them
// through AccountDecodings. Everything else is the SDK's keeper.
type decodingAccountKeeper struct {
	ante.AccountKeeper
	store      corestore.KVStoreService
	keyCodec   collcodec.KeyCodec[sdk.AccAddress]
	valueCodec collcodec.ValueCodec[sdk.AccountI]
	decodings  *AccountDecodings
}

func newDecodingAccountKeeper(ak authkeeper.AccountKeeper, store corestore.KVStoreService, d *AccountDecodings) decodingAccountKeeper {
	return decodingAccountKeeper{
		AccountKeeper: ak,
		store:         store,
		keyCodec:      ak.Accounts.KeyCodec(),
		valueCodec:    ak.Accounts.ValueCodec(),
		decodings:     d,
	}
}

// GetAccount implements ante.AccountKeeper as the SDK's keeper does (collections' Map.Get, then
// a panic on any error but not-found), the decoding aside. An address that does not encode as a
// key is left to the SDK's keeper before anything is read.
func (k decodingAccountKeeper) GetAccount(ctx context.Context, addr sdk.AccAddress) sdk.AccountI {
	key, err := collections.EncodeKeyWithPrefix(authtypes.AddressStoreKeyPrefix, k.keyCodec, addr)
	if err != nil {
		return k.AccountKeeper.GetAccount(ctx, addr)
	}
	bz, err := k.store.OpenKVStore(ctx).Get(key)
	if err != nil {
		panic(err)
	}
	if bz == nil {
		return nil
	}
	if acc, ok := k.decodings.get(bz); ok {
		return acc
	}
	acc, err := k.valueCodec.Decode(bz)
	if err != nil {
		panic(fmt.Errorf("%w: value decode: %w", collections.ErrEncoding, err))
	}
	if base, ok := acc.(*authtypes.BaseAccount); ok {
		remembered := *base
		k.decodings.put(bz, &remembered)
	}
	return acc
}
