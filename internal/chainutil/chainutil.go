// Package chainutil holds the small consensus helpers every BalanceAI module uses the same way:
// time-ordered queues keyed by whole unix seconds, the gov authority check and the decoding of
// account addresses into one canonical spelling. Keeping them once keeps the modules from
// drifting apart on rules that decide when state changes.
package chainutil

import (
	"context"
	"fmt"
	"math"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
)

// QueueKey is the key of a time-ordered queue: (due time in unix seconds, record id). The
// second is the due time rounded up (QueueSecond), so a key whose second the block time has
// reached is due.
type QueueKey = collections.Pair[int64, uint64]

// Queue is a time-ordered queue of record ids.
type Queue = collections.KeySet[QueueKey]

// QueueKeyCodec is the key codec of a Queue.
var QueueKeyCodec = collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)

// NewQueue declares a time-ordered queue on the schema.
func NewQueue(sb *collections.SchemaBuilder, prefix collections.Prefix, name string) Queue {
	return collections.NewKeySet(sb, prefix, name, QueueKeyCodec)
}

// WholeSecond rounds t up to a whole second and keeps a whole second as it is. Due times are
// stored rounded: queues are keyed by unix seconds and processed once the block time's second
// reaches the key, so a due time inside a second would otherwise be honoured up to a second
// early (or leave a gap in which a period has ended but its record is not processed yet).
func WholeSecond(t time.Time) time.Time {
	if r := t.Truncate(time.Second); !r.Equal(t) {
		return r.Add(time.Second)
	}
	return t
}

// QueueSecond is the queue second of a due time: its unix seconds rounded up, never before
// it, also for a due time that was not rounded (e.g. from a hand-written genesis).
func QueueSecond(t time.Time) int64 {
	return WholeSecond(t).Unix()
}

// QueueKeyAt is the queue key of record id due at t.
func QueueKeyAt(t time.Time, id uint64) QueueKey {
	return collections.Join(QueueSecond(t), id)
}

// DueKeys returns up to limit keys of q whose second is at most now's, oldest first (ties
// by id). A limit of 0 returns nothing: callers pass their per-block budget.
func DueKeys(ctx context.Context, q Queue, now time.Time, limit uint64) ([]QueueKey, error) {
	if limit == 0 {
		return nil, nil
	}
	rng := new(collections.Range[QueueKey]).EndInclusive(collections.Join(now.Unix(), uint64(math.MaxUint64)))
	it, err := q.Iterate(ctx, rng)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var keys []QueueKey
	for ; it.Valid() && uint64(len(keys)) < limit; it.Next() {
		key, err := it.Key()
		if err != nil {
			return nil, err
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// CheckAuthority refuses any signer but the module authority (the gov module account).
func CheckAuthority(authority, signer string) error {
	if signer != authority {
		return errorsmod.Wrapf(govtypes.ErrInvalidSigner, "invalid authority; expected %s, got %s", authority, signer)
	}
	return nil
}

// DecodeAddress decodes a non-empty account address and returns its bytes with its canonical
// spelling (the codec's re-encoding), so that stored addresses have one spelling. A bad
// address is wrapped in errType, naming field.
func DecodeAddress(ac address.Codec, field, s string, errType *errorsmod.Error) (sdk.AccAddress, string, error) {
	bz, err := ac.StringToBytes(s)
	if err != nil || len(bz) == 0 {
		return nil, "", errorsmod.Wrapf(errType, "%s %q is not a valid address", field, s)
	}
	canon, err := ac.BytesToString(bz)
	if err != nil {
		return nil, "", errorsmod.Wrapf(errType, "%s %q: %v", field, s, err)
	}
	return bz, canon, nil
}

// CheckCanonical checks that s is an account address (the SDK's configured prefix) in its
// canonical, lower-case spelling, as the chain writes addresses. Genesis validation uses it
// wherever records are told apart or compared by their address string: one account spelled two
// ways would count twice, or fail to match itself.
func CheckCanonical(s string) error {
	addr, err := sdk.AccAddressFromBech32(s)
	if err != nil {
		return fmt.Errorf("%q: %v", s, err)
	}
	if addr.String() != s {
		return fmt.Errorf("%q is not spelled canonically (%s)", s, addr)
	}
	return nil
}

// AddressString is the canonical spelling of an account address, as records store it. An
// empty address is wrapped in errType.
func AddressString(ac address.Codec, addr sdk.AccAddress, errType *errorsmod.Error) (string, error) {
	if len(addr) == 0 {
		return "", errorsmod.Wrap(errType, "empty address")
	}
	return ac.BytesToString(addr)
}

// UpdateParams is the MsgUpdateParams rule every module follows: only the authority may sign,
// check validates the whole new params object before anything is written, set stores it, and
// event (the module's EventParamsUpdated{params}) is emitted.
func UpdateParams[P any](ctx context.Context, authority, signer string, params P,
	check func(P) error, set func(context.Context, P) error, event proto.Message,
) error {
	if err := CheckAuthority(authority, signer); err != nil {
		return err
	}
	if err := check(params); err != nil {
		return err
	}
	if err := set(ctx, params); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(event)
}

// FirstBlockHeight is, in InitGenesis, the height of the chain's first block: InitChain runs
// at the genesis's initial height (or at 0 for a chain starting at 1).
func FirstBlockHeight(ctx context.Context) int64 {
	return max(sdk.UnwrapSDKContext(ctx).BlockHeight(), 1)
}
