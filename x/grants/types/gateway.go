package types

import gproto "github.com/golang/protobuf/proto"

// The REST gateway (grpc-gateway v1) resolves enum names in query strings such as
// `/balanceai/grants/v1/grants?status=GRANT_STATUS_APPROVED` through the golang/protobuf
// enum registry, which gogoproto-generated code does not fill. Without this registration
// the gateway only accepts the numbers and refuses the names with
// "strconv.ParseInt: parsing ...: invalid syntax".
func init() {
	gproto.RegisterEnum("balanceai.grants.v1.GrantFund", GrantFund_name, GrantFund_value)
	gproto.RegisterEnum("balanceai.grants.v1.GrantStatus", GrantStatus_name, GrantStatus_value)
	gproto.RegisterEnum("balanceai.grants.v1.MilestoneStatus", MilestoneStatus_name, MilestoneStatus_value)
	gproto.RegisterEnum("balanceai.grants.v1.VoteOption", VoteOption_name, VoteOption_value)
}
