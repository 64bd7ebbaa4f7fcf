package chainutil

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Invariant makes an sdk.Invariant of a module's check: broken, with the check's error, when it
// fails; holding, with ok, otherwise.
func Invariant(module, route string, check func(context.Context) error, ok string) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		if err := check(ctx); err != nil {
			return sdk.FormatInvariant(module, route, err.Error()), true
		}
		return sdk.FormatInvariant(module, route, ok), false
	}
}
