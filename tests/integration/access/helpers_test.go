package access_test

import (
	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/keeper"
)

// errorsABCI returns the codespace and code a registered error is reported with.
func errorsABCI(err error) (string, uint32, string) {
	return errorsmod.ABCIInfo(err, false)
}

// keeperInvariant runs the module invariant on the committed state.
func keeperInvariant(e *env) (string, bool) {
	return keeper.ReceiptIndexesInvariant(e.c.App.AccessKeeper)(e.c.Ctx())
}

func collectionsJoin3(day int64, listingID uint64, user sdk.AccAddress) collections.Triple[int64, uint64, sdk.AccAddress] {
	return collections.Join3(day, listingID, user)
}
