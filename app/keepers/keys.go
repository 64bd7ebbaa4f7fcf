package keepers

import (
	storetypes "cosmossdk.io/store/types"
	evidencetypes "cosmossdk.io/x/evidence/types"
	"cosmossdk.io/x/feegrant"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	authzkeeper "github.com/cosmos/cosmos-sdk/x/authz/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	consensusparamtypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	accesstypes "github.com/balanceai/balanceai/x/access/types"
	bridgetypes "github.com/balanceai/balanceai/x/bridge/types"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	emissiontypes "github.com/balanceai/balanceai/x/emission/types"
	grantstypes "github.com/balanceai/balanceai/x/grants/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// GenerateKeys creates the KV and transient store keys of every module that keeps state.
func (k *AppKeepers) GenerateKeys() {
	k.keys = storetypes.NewKVStoreKeys(
		authtypes.StoreKey,
		banktypes.StoreKey,
		stakingtypes.StoreKey,
		distrtypes.StoreKey,
		slashingtypes.StoreKey,
		govtypes.StoreKey,
		consensusparamtypes.StoreKey,
		upgradetypes.StoreKey,
		feegrant.StoreKey,
		evidencetypes.StoreKey,
		authzkeeper.StoreKey,
		emissiontypes.StoreKey,
		bridgetypes.StoreKey,
		marketplacetypes.StoreKey,
		accesstypes.StoreKey,
		curationtypes.StoreKey,
		grantstypes.StoreKey,
	)
	k.tkeys = storetypes.NewTransientStoreKeys()
}

// KVStoreKeys returns every KV store key, for mounting.
func (k *AppKeepers) KVStoreKeys() map[string]*storetypes.KVStoreKey { return k.keys }

// TransientStoreKeys returns every transient store key, for mounting.
func (k *AppKeepers) TransientStoreKeys() map[string]*storetypes.TransientStoreKey { return k.tkeys }

// GetKey returns the KV store key of a module (tests use it to open raw stores).
func (k *AppKeepers) GetKey(storeKey string) *storetypes.KVStoreKey { return k.keys[storeKey] }
