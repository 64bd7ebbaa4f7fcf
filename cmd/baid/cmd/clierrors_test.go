package cmd

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNameArgumentError(t *testing.T) {
	base := errors.New(`invalid argument "abc" for "--0" flag: strconv.ParseUint: parsing "abc": invalid syntax`)
	err := nameArgumentError("listing [id]", base)
	require.EqualError(t, err, `invalid argument 1 [id] "abc": strconv.ParseUint: parsing "abc": invalid syntax`)
	require.ErrorIs(t, err, base)

	// The third argument of five; a usage line without that many names keeps the position.
	require.EqualError(t,
		nameArgumentError("update [id] [task] [endpoint] [metadata-cid] [version]",
			errors.New(`invalid argument "x" for "--2" flag: bad`)),
		`invalid argument 3 [endpoint] "x": bad`)
	require.EqualError(t, nameArgumentError("vote [id]", errors.New(`invalid argument "maybe" for "--1" flag: not a bool`)),
		`invalid argument 2 "maybe": not a bool`)

	// Other errors, named flags included, are left as they are.
	named := errors.New(`invalid argument "x" for "--limit" flag: bad`)
	require.Same(t, named, nameArgumentError("listings", named))
	require.NoError(t, nameArgumentError("listing [id]", nil))
}

func TestOnceStatus(t *testing.T) {
	base := errors.New("rpc error: code = NotFound desc = rpc error: code = NotFound desc = listing 9 not found: key not found")
	err := once(base)
	require.EqualError(t, err, "rpc error: code = NotFound desc = listing 9 not found: key not found")
	require.ErrorIs(t, err, base)
	single := errors.New("rpc error: code = InvalidArgument desc = bad height")
	require.Same(t, single, once(single))
	require.NoError(t, once(nil))
}

// Through the real command tree: AutoCLI's query and tx commands name the bad argument.
func TestArgumentErrorsNamedByCommands(t *testing.T) {
	home := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"q", "marketplace", "listing", "abc"}, `invalid argument 1 [id] "abc": strconv.ParseUint`},
		{[]string{"tx", "curation", "vote-flag", "7", "maybe", "--from", "bai1dwe7sczejn7nk23zpw7erxxf0ae5aex9me3t8w", "--generate-only"}, `invalid argument 2 `},
	} {
		_, err := runBaid(t, append(tc.args, "--home", home)...)
		require.ErrorContains(t, err, tc.want, tc.args)
		require.NotContains(t, err.Error(), `for "--`, tc.args)
	}
}
