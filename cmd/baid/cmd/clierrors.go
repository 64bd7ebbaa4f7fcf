package cmd

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// clearerErrors makes the errors of every command under root read better:
//   - an error about a positional argument names it as the command's usage line does. AutoCLI
//     parses a command's positional arguments as flags named by their index, so a bad one was
//     reported as `invalid argument "abc" for "--0" flag: ...`; it now reads
//     `invalid argument 1 [id] "abc": ...`;
//   - a query's gRPC status is given once: the client's status wrapped the node's, so a missing
//     listing read `rpc error: code = NotFound desc = rpc error: code = NotFound desc = listing
//     9 not found`.
func clearerErrors(root *cobra.Command) {
	if run := root.RunE; run != nil {
		root.RunE = func(cmd *cobra.Command, args []string) error {
			return once(nameArgumentError(cmd.Use, run(cmd, args)))
		}
	}
	for _, sub := range root.Commands() {
		clearerErrors(sub)
	}
}

// repeatedStatus is a gRPC status prefix given twice in a row.
var repeatedStatus = regexp.MustCompile(`(rpc error: code = \w+ desc = )(?:rpc error: code = \w+ desc = )+`)

// once gives each gRPC status prefix of err's message once; other errors are returned as they
// are.
func once(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if !repeatedStatus.MatchString(msg) {
		return err
	}
	return clearError{msg: repeatedStatus.ReplaceAllString(msg, "$1"), err: err}
}

// indexFlagError is pflag's message for a bad value of a flag named by a positional index.
var indexFlagError = regexp.MustCompile(`invalid argument (".*?") for "--(\d+)" flag: `)

// clearError is an error with a clearer message; it unwraps to the original error.
type clearError struct {
	msg string
	err error
}

func (e clearError) Error() string { return e.msg }
func (e clearError) Unwrap() error { return e.err }

// nameArgumentError rewrites an index-named positional argument in err's message with the
// argument's position and its name from use (the command's usage line); other errors are
// returned as they are.
func nameArgumentError(use string, err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	m := indexFlagError.FindStringSubmatchIndex(msg)
	if m == nil {
		return err
	}
	i, convErr := strconv.Atoi(msg[m[4]:m[5]])
	if convErr != nil {
		return err
	}
	name := fmt.Sprintf("argument %d", i+1)
	if args := usageArgs(use); i < len(args) {
		name += " " + args[i]
	}
	return clearError{msg: msg[:m[0]] + fmt.Sprintf("invalid %s %s: ", name, msg[m[2]:m[3]]) + msg[m[1]:], err: err}
}

// usageArgs returns the positional arguments of a usage line ("update [id] [task]" gives
// "[id]", "[task]"): its words after the command's name that are in brackets.
func usageArgs(use string) []string {
	var args []string
	for i, w := range strings.Fields(use) {
		if i > 0 && (strings.HasPrefix(w, "[") || strings.HasPrefix(w, "<")) {
			args = append(args, w)
		}
	}
	return args
}
