package types

import gproto "github.com/golang/protobuf/proto"

// The REST gateway (grpc-gateway v1) resolves enum names in query strings such as
// `/balanceai/curation/v1/flags?status=FLAG_STATUS_OPEN` through the golang/protobuf enum
// registry, which gogoproto-generated code does not fill. Without this registration the
// gateway only accepts the numbers and refuses the names with
// "strconv.ParseInt: parsing ...: invalid syntax".
func init() {
	gproto.RegisterEnum("balanceai.curation.v1.FlagStatus", FlagStatus_name, FlagStatus_value)
	gproto.RegisterEnum("balanceai.curation.v1.EpochPhase", EpochPhase_name, EpochPhase_value)
}
