package keeper_test

import (
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"

	"github.com/balanceai/balanceai/testutil/fakes"
	"github.com/balanceai/balanceai/x/emission/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// testFunds are the grant fund accounts the fixture's keeper is given (the app declares its own).
var testFunds = marketplacetypes.GrantFunds{Model: "models_fund", Agent: "agents_fund"}

// moduleNames are the module accounts the fake auth keeper knows.
var moduleNames = []string{types.ModuleName, testFunds.Model, testFunds.Agent, authtypes.FeeCollectorName, distrtypes.ModuleName}

// newBank is the shared fake bank with x/emission as the only minter and burner, as in the app.
func newBank() *fakes.Bank {
	return fakes.NewBank().WithMinters(types.ModuleName).WithBurners(types.ModuleName)
}
