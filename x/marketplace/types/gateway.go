package types

import gproto "github.com/golang/protobuf/proto"

// The REST gateway (grpc-gateway v1) resolves enum names in query strings such as
// `/balanceai/marketplace/v1/listings?kind=LISTING_KIND_MODEL&status=LISTING_STATUS_ACTIVE`
// through the golang/protobuf enum registry, which gogoproto-generated code does not fill.
// Without this registration the gateway only accepts the numbers and refuses the names with
// "strconv.ParseInt: parsing ...: invalid syntax".
func init() {
	gproto.RegisterEnum("balanceai.marketplace.v1.ListingKind", ListingKind_name, ListingKind_value)
	gproto.RegisterEnum("balanceai.marketplace.v1.ListingStatus", ListingStatus_name, ListingStatus_value)
	gproto.RegisterEnum("balanceai.marketplace.v1.AccessMode", AccessMode_name, AccessMode_value)
}
