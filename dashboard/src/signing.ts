// The CosmJS registry and amino converters every transaction of the dashboard is encoded with:
// the Cosmos SDK's own Msgs and every BalanceAI Msg, from @balanceai/client (client/js, its
// descriptors bundled).
import type { AminoTypes } from "@cosmjs/stargate";
import type { Registry } from "@cosmjs/proto-signing";
import { signingClientOptions } from "@balanceai/client";

let cached: { registry: Registry; aminoTypes: AminoTypes } | undefined;

export function signingOptions(): { registry: Registry; aminoTypes: AminoTypes } {
  cached ??= signingClientOptions() as { registry: Registry; aminoTypes: AminoTypes };
  return cached;
}
