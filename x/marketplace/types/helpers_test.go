package types_test

import errorsmod "cosmossdk.io/errors"

func errorsIs(err, target error) bool { return errorsmod.IsOf(err, target) }
