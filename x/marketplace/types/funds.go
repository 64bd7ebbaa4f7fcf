package types

import "fmt"

// GrantFunds names the module account of the grant fund of each listing kind. The app declares
// it once (app/keepers) and hands it to every module that fills or spends the funds: x/emission
// pays each fund its share of the mint, x/curation sends slashed curator bonds to the fund of the
// flagged listing's kind, x/grants pays grants and epoch rewards out of them. No module decides
// the routing itself.
type GrantFunds struct {
	// Model is the module account of the fund for MODEL listings.
	Model string
	// Agent is the module account of the fund for AGENT listings.
	Agent string
}

// For returns the fund account of a listing kind, "" for a kind no fund serves.
func (f GrantFunds) For(kind ListingKind) string {
	switch kind {
	case ListingKindModel:
		return f.Model
	case ListingKindAgent:
		return f.Agent
	default:
		return ""
	}
}

// Names lists the fund accounts in listing-kind order (MODEL, AGENT).
func (f GrantFunds) Names() []string { return []string{f.Model, f.Agent} }

// Validate checks that every kind has its own, named fund account.
func (f GrantFunds) Validate() error {
	if f.Model == "" || f.Agent == "" {
		return fmt.Errorf("grant funds: both the MODEL and the AGENT fund account must be named, got %+v", f)
	}
	if f.Model == f.Agent {
		return fmt.Errorf("grant funds: MODEL and AGENT listings need separate fund accounts, both are %q", f.Model)
	}
	return nil
}
