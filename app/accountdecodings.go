package app

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	corestore "cosmossdk.io/core/store"

	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/gogoproto/proto"
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
// An account the ante handler writes (a new sequence, a first public key) is remembered as the
// decoding of the bytes written, when decoding them would give it back field for field (see
// rememberWritten): the next transaction of the same signer reads those bytes.
// Only plain *authtypes.BaseAccount values are remembered; every read gets its own copy, with
// its own public key Any (the ante handler sets sequences and keys on what it reads), sharing
// only the immutable public key.
// The x/auth parameters, which three decorators read every transaction, are remembered the same
// way: the last stored bytes and their decoding.
// Node-local memory, never state; safe for concurrent use (gRPC simulations run the ante handler
// beside CheckTx).
type AccountDecodings struct {
	mu     sync.Mutex
	m      generations[*authtypes.BaseAccount]
	hits   uint64
	misses uint64

	params lastDecoding[authtypes.Params]
}

// NewAccountDecodings returns an empty set of decodings keeping at most 2 × perGeneration.
func NewAccountDecodings(perGeneration int) *AccountDecodings {
	return &AccountDecodings{m: newGenerations[*authtypes.BaseAccount](perGeneration, 0)}
}

// get returns a copy of the decoding of bz, if remembered. A decoding found in the old
// generation moves to the current one.
func (d *AccountDecodings) get(bz []byte) (*authtypes.BaseAccount, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	acc, ok := d.m.get(bz)
	if !ok {
		d.misses++
		return nil, false
	}
	d.hits++
	return copyBaseAccount(acc), true
}

// copyBaseAccount copies acc and its public key's Any (unpacking an Any writes into it); the
// key the Any holds is immutable and shared.
func copyBaseAccount(acc *authtypes.BaseAccount) *authtypes.BaseAccount {
	cp := *acc
	if acc.PubKey != nil {
		pk := *acc.PubKey
		cp.PubKey = &pk
	}
	return &cp
}

// put remembers acc as the decoding of bz; acc must not be changed afterwards.
func (d *AccountDecodings) put(bz []byte, acc *authtypes.BaseAccount) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.m.put(string(bz), acc)
}

// remember remembers a copy of acc as the decoding of bz unless a decoding of bz is remembered
// already (the block writes the bytes CheckTx wrote before it).
func (d *AccountDecodings) remember(bz []byte, acc *authtypes.BaseAccount) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.m.peek(bz); ok {
		return
	}
	d.m.put(string(bz), copyBaseAccount(acc))
}

// Len is the number of decodings remembered.
func (d *AccountDecodings) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.m.len()
}

// Stats returns how many reads found their decoding, and how many decoded.
func (d *AccountDecodings) Stats() (hits, misses uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hits, d.misses
}

// decodingAccountKeeper is the account keeper the ante decorators are given: GetAccount and
// GetParams read the stored bytes as the SDK's keeper does (same key, same store, same gas) and
// decode them through AccountDecodings; SetAccount leaves the unchanged account-number index
// entry alone. Everything else is the SDK's keeper.
type decodingAccountKeeper struct {
	ante.AccountKeeper
	store      corestore.KVStoreService
	keyCodec   collcodec.KeyCodec[sdk.AccAddress]
	valueCodec collcodec.ValueCodec[sdk.AccountI]
	paramsKey  []byte
	decodings  *AccountDecodings
}

func newDecodingAccountKeeper(ak authkeeper.AccountKeeper, store corestore.KVStoreService, d *AccountDecodings) decodingAccountKeeper {
	return decodingAccountKeeper{
		AccountKeeper: ak,
		store:         store,
		keyCodec:      ak.Accounts.KeyCodec(),
		valueCodec:    ak.Accounts.ValueCodec(),
		paramsKey:     authtypes.ParamsKey.Bytes(),
		decodings:     d,
	}
}

// GetAccount implements ante.AccountKeeper as the SDK's keeper does (collections' Map.Get, then
// a panic on any error but not-found), the decoding aside. An address that does not encode as a
// key is left to the SDK's keeper before anything is read.
func (k decodingAccountKeeper) GetAccount(ctx context.Context, addr sdk.AccAddress) sdk.AccountI {
	key, err := k.accountKey(addr)
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
	return k.decode(bz)
}

// accountKey is the store key of addr's account, as the SDK's keeper encodes it.
func (k decodingAccountKeeper) accountKey(addr sdk.AccAddress) ([]byte, error) {
	return collections.EncodeKeyWithPrefix(authtypes.AddressStoreKeyPrefix, k.keyCodec, addr)
}

// decode returns the account stored as bz, from the decodings when they have it.
func (k decodingAccountKeeper) decode(bz []byte) sdk.AccountI {
	if acc, ok := k.decodings.get(bz); ok {
		return acc
	}
	acc, err := k.valueCodec.Decode(bz)
	if err != nil {
		panic(fmt.Errorf("%w: value decode: %w", collections.ErrEncoding, err))
	}
	if base, ok := acc.(*authtypes.BaseAccount); ok {
		k.decodings.put(bz, copyBaseAccount(base))
	}
	return acc
}

// SetAccount implements ante.AccountKeeper. The SDK's keeper writes an account through an
// IndexedMap whose unique index (account number → address) is removed, checked and written
// again on every write, although a stored account's number never changes: a delete, a read
// and a write of an entry that stays as it was, on every transaction's sequence increment.
// When acc is a plain BaseAccount already stored under the same account number, only the
// account is written (after the same read of the stored account the SDK's keeper makes);
// the store then holds exactly what the SDK's keeper would leave. Anything else is written by
// the SDK's keeper.
func (k decodingAccountKeeper) SetAccount(ctx context.Context, acc sdk.AccountI) {
	base, ok := acc.(*authtypes.BaseAccount)
	if !ok {
		k.AccountKeeper.SetAccount(ctx, acc)
		return
	}
	// The address as the keeper's codec reads it (BaseAccount.GetAddress would decode the
	// bech32 again); one it refuses is left to the SDK's keeper.
	addr, err := k.AddressCodec().StringToBytes(base.Address)
	if err != nil {
		k.AccountKeeper.SetAccount(ctx, acc)
		return
	}
	key, err := k.accountKey(addr)
	if err != nil {
		k.AccountKeeper.SetAccount(ctx, acc)
		return
	}
	store := k.store.OpenKVStore(ctx)
	old, err := store.Get(key)
	if err != nil {
		panic(err)
	}
	if old == nil || k.decode(old).GetAccountNumber() != base.AccountNumber {
		k.AccountKeeper.SetAccount(ctx, acc)
		return
	}
	bz, err := k.valueCodec.Encode(acc)
	if err != nil {
		panic(fmt.Errorf("%w: value encode: %w", collections.ErrEncoding, err))
	}
	if err := store.Set(key, bz); err != nil {
		panic(err)
	}
	k.rememberWritten(bz, base)
}

// rememberWritten remembers a copy of acc as the decoding of bz, the bytes it was just encoded
// to, when decoding bz would give acc back: the address, numbers and public key Any are encoded
// as they are, and the Any's unpacked key (which the encoding leaves out) must be the key its
// type URL and bytes name. An Any packed without its bytes, or holding anything but a public
// key, is left for a decoding to read.
func (k decodingAccountKeeper) rememberWritten(bz []byte, acc *authtypes.BaseAccount) {
	if pkAny := acc.PubKey; pkAny != nil {
		pk, ok := pkAny.GetCachedValue().(cryptotypes.PubKey)
		if !ok || pkAny.TypeUrl != sdk.MsgTypeURL(pk) {
			return
		}
		pkBytes, err := proto.Marshal(pk)
		if err != nil || !bytes.Equal(pkBytes, pkAny.Value) {
			return
		}
	}
	k.decodings.remember(bz, acc)
}

// GetParams implements ante.AccountKeeper as the SDK's keeper does (collections' Item.Get, zero
// parameters when none are stored, a panic on any other error), the decoding aside: the last
// bytes read and their decoding are remembered.
func (k decodingAccountKeeper) GetParams(ctx context.Context) authtypes.Params {
	bz, err := k.store.OpenKVStore(ctx).Get(k.paramsKey)
	if err != nil {
		panic(err)
	}
	if bz == nil {
		return authtypes.Params{}
	}
	if params, ok := k.decodings.params.get(bz); ok {
		return params
	}
	var params authtypes.Params
	if err := proto.Unmarshal(bz, &params); err != nil {
		panic(fmt.Errorf("%w: value decode: %w", collections.ErrEncoding, err))
	}
	k.decodings.params.put(bz, params)
	return params
}
