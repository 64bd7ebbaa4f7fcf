// Type declarations of @balanceai/client/gateway (src/gateway.js): signed calls to an AI node.

import type { OfflineAminoSigner, StdSignDoc, StdSignature } from "@cosmjs/amino";

export declare const DIGEST_VERSION: "BALANCEAI-GATEWAY-V1";
export declare const HEADER_ADDRESS: "X-BAI-Address";
export declare const HEADER_PUBKEY: "X-BAI-PubKey";
export declare const HEADER_SIGNATURE: "X-BAI-Signature";
export declare const HEADER_TIMESTAMP: "X-BAI-Timestamp";
export declare const HEADER_NONCE: "X-BAI-Nonce";
export declare const HEADER_BODY_SHA256: "X-BAI-Body-SHA256";
export declare const HEADER_REQUEST_CID: "X-BAI-Request-CID";
export declare const HEADER_RESPONSE_CID: "X-BAI-Response-CID";

/** What a gateway request is signed over. */
export interface GatewayRequest {
  chainId: string;
  listingId: bigint | number | string;
  method: string;
  /** Path and query exactly as sent ("/listings/7/v1/chat?x=1"). */
  path: string;
  /** A string (sent UTF-8 encoded) or bytes; omitted for none. */
  body?: string | Uint8Array | ArrayBuffer | ArrayBufferView | null;
  /** Unix seconds. */
  timestamp: bigint | number | string;
  /** 16 to 64 of [A-Za-z0-9_-]. */
  nonce: string;
}

/** Keplr's signArbitrary (window.keplr and wallets that copy its API). */
export interface ArbitrarySigner {
  signArbitrary(chainId: string, signer: string, data: string | Uint8Array): Promise<StdSignature>;
}

export type GatewaySigner = OfflineAminoSigner | ArbitrarySigner;

/** The six headers of a signed call. */
export interface GatewayHeaders {
  "X-BAI-Address": string;
  "X-BAI-PubKey": string;
  "X-BAI-Signature": string;
  "X-BAI-Timestamp": string;
  "X-BAI-Nonce": string;
  "X-BAI-Body-SHA256": string;
}

/** A random 32-character hex nonce. */
export declare function newNonce(): string;
/** Unix seconds now. */
export declare function nowSeconds(): number;
/** The canonical request digest, the UTF-8 text that is signed. */
export declare function requestDigest(request: GatewayRequest): string;
/** The ADR-036 amino sign doc of data signed by address. */
export declare function adr36SignDoc(address: string, data: string | Uint8Array): StdSignDoc;
/** Signs a call to an AI node and returns its six headers. */
export declare function signRequest(
  args: Omit<GatewayRequest, "timestamp" | "nonce"> & {
    signer: GatewaySigner;
    address: string;
    timestamp?: bigint | number | string;
    nonce?: string;
  },
): Promise<GatewayHeaders>;
